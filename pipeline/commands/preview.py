"""Previews: one beat of a clip drawn alone, and one frame of a clip as a PNG.

A beat renders with the beats before it run but skipped (nothing drawn), so its frames are those
of the whole clip; a preview is not a render of record: it lands in ``previews/``, not in the
manifest, and never replaces a clip.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from lessons.quality import Quality
from lessons.series import Clip
from pipeline.errors import PrimerError
from pipeline.formats import Output
from pipeline.rendering.engines import Engine, InProcess
from pipeline.rendering.tasks import VOICES, Piece

PREVIEWS = "previews"


@dataclass(frozen=True)
class Preview:
    """A written preview and what it took."""

    path: Path
    seconds: float


def render_beat(
    clip: Clip, quality: Quality, out: Path, beat: int, output: Output | None = None, engine: Engine | None = None
) -> Preview:
    """Draw beat ``beat`` (from 1) of ``clip`` alone into ``<out>/<preset>/previews/<stem>-beat-NN-<slug>.<format>``.

    Drawn for ``output`` (format, theme, aspect, captions, sound; default plain mp4). The beat waits
    for its voice and carries it, as in the clip. The task runs on ``engine``
    (``watch``'s warm worker), or in this process.
    """
    from pipeline.rendering.lock import output_lock
    from pipeline.rendering.probe import probe
    from pipeline.rendering.remux import faststart, with_audio
    from pipeline.sound.narration import beat_tracks, holds, speak
    from pipeline.sound.voice import RATE
    from pipeline.values import validate

    if not 1 <= beat <= len(clip.beats):
        raise PrimerError(f"{clip.id} has beats 1 to {len(clip.beats)}, not {beat}")
    validate([clip])  # the lesson's math before anything is written
    started = time.perf_counter()
    output = output or Output()
    alpha = "-alpha" if output.transparent else ""
    name = f"{clip.stem}{output.theme_suffix}{alpha}-beat-{beat:02d}-{clip.beats[beat - 1].slug}"
    folder = out / quality.folder / PREVIEWS
    folder.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        cache, scratch = str(out / ".cache" / clip.id), str(out / ".work")
        speeches = speak(clip, {beat}, out / ".cache" / VOICES) if output.sound else (None,) * len(clip.beats)
        piece = Piece(clip, quality, output, beat, beat, cache=cache, scratch=scratch, holds=holds(speeches))
        (result,) = (engine or InProcess()).run([piece], lambda piece, drawn: None)
        if not output.has_beats:  # png: the beat's last frame
            assert result.whole is not None
            target = folder / f"{name}.png"
            target.write_bytes(result.whole)
            return Preview(target, time.perf_counter() - started)
        (section,) = result.sections
        extension = output.beat_extension
        staged = folder / f".{name}.{extension}"
        staged.write_bytes(section)
        if speeches[beat - 1] is not None:
            (track,) = beat_tracks(speeches[beat - 1 : beat], [probe(staged).duration], name)
            with_audio(staged, track, RATE, output.transparent)
        else:
            faststart(staged)
        target = folder / f"{name}.{extension}"
        os.replace(staged, target)
    return Preview(target, time.perf_counter() - started)


def write_still(video: Path, at: float, target: Path) -> Path:
    """The frame of ``video`` shown at ``at`` seconds, as a PNG at ``target``."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(stream.frames / (stream.base_rate or 1)) if stream.frames else None
        if at < 0 or (duration is not None and at >= duration):
            raise PrimerError(f"{video.name} is {duration:.2f} s long: --at must be in [0, {duration:.2f})")
        base = stream.time_base
        assert base is not None
        container.seek(int(at / base), stream=stream, backward=True, any_frame=False)
        chosen = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > at + 1e-9:
                break
            chosen = frame
    if chosen is None:
        raise PrimerError(f"{video.name} has no frame at {at:g} s")
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(chosen.to_ndarray(format="rgb24")).save(target)
    return target
