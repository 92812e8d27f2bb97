"""``primer check``: build each clip's beats without drawing a frame, and check the layout as it goes.

It also checks each beat's subtitles against the caption rules (``pipeline/text/subtitles.py``).

The scene runs with animations skipped (manim's Cairo renderer only honours that when it is given
to the Scene's constructor) and movie writing off; the layout probe advances each animation to a
few moments and looks at every beat's end. The TeX cache is the render's, so a check warms it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lessons.quality import quality
from lessons.series import Clip
from mathcore.errors import MathError
from mathcore.expressions import ExpressionError
from pipeline.fonts import require_fonts
from pipeline.formats import Output
from pipeline.rendering.render import failure, frame_config, load_manim_defaults, make_scene, scene_settings
from pipeline.sound.narration import LEAD, PAUSE, speak
from pipeline.text.described import description, unsaid
from pipeline.text.subtitles import faults, lines, pieces, timed
from pipeline.values import by_beat, lesson_error, pictured, validate
from scenes.layout import Fault, LayoutProbe
from scenes.shown import Shown

#: Moments each animation is advanced to while checking (its end is always one).
SAMPLES_PER_ANIMATION = 3


@dataclass(frozen=True)
class Checked:
    """One clip's check: its faults (none when it passes), how many looks, and how long it took."""

    clip: Clip
    faults: tuple[Fault, ...]
    looks: int
    seconds: float
    subtitles: tuple[str, ...] = ()  # the caption rules a beat's subtitles would break
    unsaid: tuple[str, ...] = ()  # values a beat shows that neither its narration nor its description says

    @property
    def failed(self) -> bool:
        """Whether the clip has a layout, subtitle or description fault."""
        return bool(self.faults or self.subtitles or self.unsaid)


def check_clip(clip: Clip, cache: Path, output: Output | None = None, type_size: bool = True) -> Checked:
    """Build ``clip`` without drawing, as drawn for ``output`` (its theme and aspect), and return its layout faults.

    With ``type_size`` (as ``primer render`` checks), type too small to read across a hall is a fault too
    (``scenes/type_size.py``).

    ``PrimerError`` if the lesson cannot be built at all (its math is refused or the scene raises).
    """
    from manim import tempconfig

    output = output or Output()
    require_fonts([clip])
    load_manim_defaults()
    started = time.perf_counter()
    probe = LayoutProbe(clip.stem, sampled=SAMPLES_PER_ANIMATION, type_size=type_size)
    with tempfile.TemporaryDirectory() as media:
        settings = {
            "quality": quality("low").manim_key,
            **frame_config(quality("low"), output),
            "dry_run": True,
            "media_dir": media,
            "tex_dir": str(cache / "Tex"),
            "text_dir": str(cache / "texts"),
        }
        with tempconfig(settings):
            try:
                scene = make_scene(clip, scene_settings(output), probe, skip_animations=True)
                scene.render()
            except KeyboardInterrupt:
                raise
            except (MathError, ExpressionError) as error:
                raise lesson_error(clip, error) from error
            except Exception as error:
                raise failure(clip, error) from error
    unsaid = unsaid_faults(clip, scene.shown)
    return Checked(clip, tuple(probe.faults), probe.checked, time.perf_counter() - started, unsaid=unsaid)


def unsaid_faults(clip: Clip, items: dict[str, Shown]) -> tuple[str, ...]:
    """Per beat, the values it shows that neither its narration nor its description says."""
    values, pictures = by_beat(clip, items), pictured(clip, items)
    found: list[str] = []
    for number, beat in enumerate(clip.beats, start=1):
        records = values[beat.slug]
        missed = unsaid(
            records, beat.narration, description(pictures[beat.slug], records, beat.narration, beat.description)
        )
        found.extend(f"beat {number} ({beat.slug}): {name!r} is neither narrated nor described" for name in missed)
    return tuple(found)


def subtitle_faults(clip: Clip) -> tuple[str, ...]:
    """The caption rules each beat's subtitles would break, spoken by its voice in the shortest beat it allows.

    A narrated beat's cues are timed by its voice (drafted or recorded), so the pace and the seconds
    on screen are known before rendering; a caption's cues are checked for their lines.
    """
    found: list[str] = []
    for number, (beat, speech) in enumerate(zip(clip.beats, speak(clip), strict=True), start=1):
        if speech is not None and beat.narration:
            cues = timed(beat.narration, 0.0, LEAD + speech.seconds + PAUSE, (LEAD, LEAD + speech.seconds))
            problems = faults(cues)
        else:
            problems = [f"cue {text!r} does not fit two lines" for text in pieces(beat.caption) if lines(text) is None]
        found.extend(f"beat {number} ({beat.slug}): subtitles: {problem}" for problem in problems)
    return tuple(found)


def check_series(
    clips: Sequence[Clip],
    out: Path,
    output: Output,
    report: Callable[[Checked], None] | None = None,
    subtitles: bool = False,
    type_size: bool = True,
) -> list[Checked]:
    """Check every clip in turn, as drawn for ``output`` (in this process: manim is imported once).

    With ``subtitles``, each clip's subtitles are checked against the caption rules too (its voice is spoken);
    with ``type_size``, the size of its type.
    """
    validate(clips)  # every lesson's math first: a refused one is one line, before any clip is built
    results = []
    for clip in clips:
        result = check_clip(clip, out / ".cache" / clip.id, output, type_size)
        if subtitles:
            result = replace(result, subtitles=subtitle_faults(clip))
        if report is not None:
            report(result)
        results.append(result)
    return results
