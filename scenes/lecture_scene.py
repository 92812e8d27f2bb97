"""The base scene of every clip: beats as manim sections, the caption at the bottom, the title card.

A colour means the same thing in every clip: the slope is always the palette's ``slope``, whether it
is a tangent line, a readout or the graph of f'. The palette comes from the scene's ``Settings``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar, cast

from manim import (
    DOWN,
    RIGHT,
    UL,
    UP,
    Axes,
    MathTex,
    Mobject,
    Scene,
    config,
)
from manim.utils.color import ParsableManimColor
from tqdm import tqdm

from lessons.palette import Palette
from lessons.series import Beat, Clip, default_series
from lessons.settings import Settings
from lessons.templates import Lesson
from scenes.layout import safe_reach
from scenes.motion import FadeIn
from scenes.placement import fit, fit_room
from scenes.shown import Shown
from scenes.state import beat_key, state_digest
from scenes.typeset import CAPTION_SIZE, TITLE_SIZE, tex, text, typeset_in

M = TypeVar("M", bound=Mobject)
L = TypeVar("L", bound=Lesson)

#: The widest a caption's line may be (scene units): a longer caption is set over two lines.
CAPTION_WIDTH = 13.0
#: The least gap (scene units) between the title's right end and the right-hand column.
TITLE_GAP = 0.3
#: Seconds a caption stays for each word, so it can be read in the time it stands.
READING_SECONDS_PER_WORD = 0.3
#: Seconds to read each formula or line of text a beat puts up beside its picture.
READING_SECONDS_PER_FORMULA = 1.2


@dataclass
class BeatRecord:
    """What a render did beat by beat, for the pipeline to read afterwards; none of it decides a frame."""

    starts: dict[int, float] = field(default_factory=dict)  # scene time at the start of each beat that ran
    keys: dict[int, str] = field(default_factory=dict)  # the key of each beat in range (with a picture key)
    states: dict[int, str] = field(default_factory=dict)  # the digest of the scene as each beat in range starts
    drawn: list[int] = field(default_factory=list)  # the beats drawn: in range and not reusable


class LectureScene(Scene, Generic[L]):
    """A clip made of beats: each beat is one manim section with its caption at the bottom.

    Built with the clip (the series entry: its lesson and captions) and the ``Settings`` it is drawn
    with. Subclasses implement ``beats()``, returning one method per beat of the entry, in order, and
    build the frozen ``mathcore`` result and the clip's text (``shown``) in ``setup``. A ``probe``
    (see ``scenes.layout``) is told of every beat's end and of moments in between.
    """

    shown: dict[str, Shown]
    caption_edge_buffer: ClassVar[float] = 0.3
    # The right-hand column: its centre, width and named rows (heights), for ``at_row``. Lengths across
    # the frame are laid out for 16:9 and scaled to the frame's width (``across``) when the scene is made.
    column_x: float = 3.7
    column_width: float = 6.0
    rows: ClassVar[dict[str, float]] = {}
    # The share of its scaled width the main plot keeps in a frame narrower than 16:9: less than 1 leaves
    # more room to the column beside it (for long formulas there).
    narrow_plot: ClassVar[float] = 1.0
    # Whether the column's first row stands as high as the title: the title keeps short of it.
    column_at_top: ClassVar[bool] = False

    def __init__(
        self, clip: Clip | None = None, settings: Settings | None = None, probe: Any = None, **kwargs: Any
    ) -> None:
        self.clip = clip or default_clip(type(self).__name__)
        self.settings = settings or Settings()
        self.probe = probe
        self.column_x, self.column_width = self.across(type(self).column_x), self.across(type(self).column_width)
        super().__init__(**kwargs)

    def across(self, length: float) -> float:
        """A length or x laid out for the 16:9 frame, scaled to this frame's width (as it is, or 3/4 at 4:3)."""
        return length * self.settings.across

    def across_size(self, size: tuple[float, float]) -> tuple[float, float]:
        """A (width, height) laid out for 16:9: its width scaled to this frame, its height as it is."""
        return self.across(size[0]), size[1]

    def across_point(self, point: tuple[float, float]) -> tuple[float, float, float]:
        """An (x, y) laid out for 16:9, as a scene point in this frame (x scaled, y as it is)."""
        return self.across(point[0]), point[1], 0.0

    def plot_box(
        self, centre: tuple[float, float], size: tuple[float, float]
    ) -> tuple[tuple[float, float, float], tuple[float, float]]:
        """The main plot's centre and size, laid out for 16:9, in this frame: its left edge scaled across.

        In a narrower frame it keeps ``narrow_plot`` of its scaled width, from the same left edge.
        """
        share = self.narrow_plot if self.settings.across < 1 else 1.0
        width = self.across(size[0]) * share
        left = self.across(centre[0] - size[0] / 2)
        return (left + width / 2, centre[1], 0.0), (width, size[1])

    @property
    def palette(self) -> Palette:
        """The colours, by meaning."""
        return self.settings.palette

    @property
    def lesson(self) -> L:
        """The clip's lesson, as its template's frozen dataclass."""
        return cast(L, self.clip.lesson)

    def render(self, preview: bool = False) -> bool:
        """Render the scene, with whatever manim typesets in the palette's text colour."""
        with typeset_in(self.palette.text):
            return bool(super().render(preview))

    def beats(self) -> Sequence[Callable[[], None]]:
        """The beat methods, in the series entry's order."""
        raise NotImplementedError

    def construct(self) -> None:
        """Play every beat in its own section, each under its caption."""
        self.caption: Mobject | None = None
        self.points_of_interest: list[tuple[Mobject, Axes]] = []
        self.kept_clear: list[Mobject] = []
        self.record = BeatRecord()
        first, last = self.settings.beats or (1, len(self.clip.beats))
        self.add_title()
        for number, (beat, play) in enumerate(zip(self.clip.beats, self.beats(), strict=True), start=1):
            if number > last:
                break
            if self.probe is not None and number > 1:
                self.probe.beat_end(self)
            self.clear_caption()  # each beat starts without the last one's words: they decide no frame of it
            skip = number < first or self.reusable(number, beat)
            self.record.starts[number] = float(self.time)
            if skip and number >= first and self.rest_reusable(number, last):
                if not self.record.drawn:  # manim wants a play to finish a video; a skipped one draws nothing
                    self.next_section("reused", skip_animations=True)
                    self.wait(0.1)
                break  # this beat and those after it start and go as recorded: nothing is left to draw
            if not skip:
                self.record.drawn.append(number)
            self.next_section(f"{number:02d}-{beat.slug}", skip_animations=skip)
            if self.probe is not None:
                self.probe.beat_start(self, number, beat.slug)
            self.show_caption(beat)
            play()
            if number <= len(self.settings.holds):
                self.hold_until(self.record.starts[number] + self.settings.holds[number - 1])
        else:
            self.wait(0.5)
        if self.probe is not None:
            self.probe.beat_end(self)

    def reusable(self, number: int, beat: Beat) -> bool:
        """Key beat ``number`` (in range) by the state it starts from; whether its segment is at hand."""
        first, _ = self.settings.beats or (1, len(self.clip.beats))
        if number < first or not self.settings.picture:
            return False
        holds = self.settings.holds
        hold = holds[number - 1] if number <= len(holds) else None
        state = state_digest(self)
        key = beat_key(self.settings.picture, beat.caption, hold, state)
        self.record.keys[number], self.record.states[number] = key, state
        known = self.settings.reusable
        return number <= len(known) and known[number - 1] == (key, state)

    def rest_reusable(self, number: int, last: int) -> bool:
        """Whether beats ``number``..``last`` are all reusable, ``number`` having started as recorded.

        A beat that starts as recorded, with its own caption and hold as recorded, ends as recorded: so
        each later beat starts from its recorded state, and its key follows from that state and its own
        words. When every one matches, the scene need not run them; their keys are the recorded ones.
        """
        known, holds = self.settings.reusable, self.settings.holds
        if last > len(known):
            return False
        for later in range(number + 1, last + 1):
            key, state = known[later - 1]
            hold = holds[later - 1] if later <= len(holds) else None
            if not state or beat_key(self.settings.picture, self.clip.beats[later - 1].caption, hold, state) != key:
                return False
        for later in range(number + 1, last + 1):
            self.record.keys[later], self.record.states[later] = known[later - 1]
        return True

    def hold_until(self, moment: float) -> None:
        """Hold the last frame until scene time ``moment``, rounded up to a whole frame (manim rounds waits down)."""
        frames = math.ceil((moment - float(self.time)) * config.frame_rate - 1e-6)
        if frames > 0:
            self.wait((frames + 0.5) / config.frame_rate)

    def wait(self, *args: Any, **kwargs: Any) -> None:
        """Wait, and take away the empty mobject manim's ``Wait`` leaves in the scene.

        So a beat held longer for its voice leaves the scene as it was, and the beat after it keys the same.
        """
        before = {id(mobject) for mobject in self.mobjects}
        super().wait(*args, **kwargs)
        self.remove(
            *(
                mobject
                for mobject in self.mobjects
                if id(mobject) not in before
                and type(mobject) is Mobject
                and not mobject.submobjects
                and not mobject.has_points()
            )
        )

    def update_to_time(self, t: float) -> None:
        """Advance the animations to ``t``; let the probe look at the frame."""
        super().update_to_time(t)
        if self.probe is not None:
            self.probe.moment(self, t)

    def get_time_progression(self, run_time: float, *args: Any, **kwargs: Any) -> Any:
        """The moments an animation is drawn at; a probe that only checks chooses a few of its own."""
        if self.probe is not None and self.probe.samples is not None:
            return tqdm(self.probe.samples(run_time), disable=True)
        return super().get_time_progression(run_time, *args, **kwargs)

    def on_axes(self, mobject: M, axes: Axes) -> M:
        """Mark ``mobject`` as a point of interest that must lie within ``axes``' ranges."""
        self.points_of_interest.append((mobject, axes))
        return mobject

    def at_row(self, mobject: M, row: str, plot: Mobject | None = None) -> M:
        """Place ``mobject`` on a fixed row of the right-hand column (``rows``), shrunk to ``column_width``.

        A row with nothing beside it but ``plot`` may reach from the plot to the frame's safe edge (``beside``).
        """
        if plot is not None:
            return self.beside(mobject, plot, self.rows[row])
        return fit(mobject, self.column_width).move_to((self.column_x, self.rows[row], 0.0))

    def beside(self, mobject: M, axes: Mobject, y: float, room: float | None = None) -> M:
        """``mobject`` on the column at height ``y``, as wide as the span from ``axes`` to the frame's safe edge.

        Centred on the column if it fits there, else moved left no more than it must. With ``room``
        (the height to spare), it is set over lines if that keeps its type larger (``fit_room``).
        """
        width, right = self.span_beside(axes), safe_reach()[0]
        fitted = fit(mobject, width) if room is None else fit_room(mobject, width, room)
        return fitted.move_to((min(self.column_x, right - fitted.width / 2), y, 0.0))

    def within_sides(self, mobject: M) -> M:
        """``mobject`` moved across, if need be, to stand inside the frame's safe area."""
        edge = safe_reach()[0]
        return mobject.shift(
            (max(0.0, -edge - mobject.get_left()[0]) - max(0.0, mobject.get_right()[0] - edge)) * RIGHT
        )

    def centred_room(self, x: float) -> float:
        """How wide a row centred at ``x`` may be, inside the frame's safe area."""
        return float(2 * (safe_reach()[0] - abs(x)))

    def span_beside(self, axes: Mobject) -> float:
        """How wide a row beside ``axes`` may be: from just right of them to the frame's safe edge."""
        return float(safe_reach()[0] - (axes.get_right()[0] + 0.2))

    def over_lines_at_row(self, mobject: M, row: str, room: float) -> M:
        """Place ``mobject`` on a row of the right-hand column, set over lines if wider than ``column_width``.

        Over lines no taller than ``room`` (the row's height to spare), or on one line, at the larger type.
        """
        return fit_room(mobject, self.column_width, room).move_to((self.column_x, self.rows[row], 0.0))

    def keep_clear(self, *mobjects: Mobject) -> None:
        """Mark curves and lines that no label may cover while they are on screen."""
        self.kept_clear.extend(mobjects)

    def tex_of(self, key: str, size: float = 36, color: ParsableManimColor | None = None) -> MathTex:
        """The clip's text ``key`` (from its text module), typeset."""
        return tex(self.shown[key].tex, size=size, color=color)

    def pin(self, *mobjects: Mobject) -> None:
        """Keep flat mobjects (text, 2D plots) fixed on the screen; only 3D scenes need to."""

    def unpin(self, *mobjects: Mobject) -> None:
        """Let go of mobjects ``pin`` fixed, once they are off the screen."""

    def title_reach(self) -> float:
        """How far right the title may reach at full size: the safe edge, or short of a column at the top."""
        if self.column_at_top:
            return self.column_x - self.column_width / 2 - TITLE_GAP
        return safe_reach()[0]

    def add_title(self) -> None:
        """The clip title in the top-left corner for the whole clip, as far as ``title_reach``.

        A long title is set smaller to fit, never smaller than the caption: longer still, it reaches over
        the column's top (``below_title`` gives the room under it; the layout check says if that is free).
        """
        title = text(self.clip.title, size=TITLE_SIZE, weight="BOLD").to_corner(UL, buff=0.35)
        room = self.title_reach() - title.get_left()[0]
        title.scale(max(CAPTION_SIZE / TITLE_SIZE, min(1.0, room / title.width)), about_edge=UL)
        self.title = title
        self.pin(title)
        self.add(title)

    def show_caption(self, beat: Beat) -> None:
        """Fade this beat's caption in at the bottom edge (or keep its time, without it)."""
        self.caption_words = len(beat.caption.split())
        if not self.settings.captions:
            self.wait(0.6)
            return
        caption = fit(
            text(beat.caption, color=self.palette.caption), self.across(CAPTION_WIDTH), lines=True
        )  # two lines if long
        caption.to_edge(DOWN, buff=self.caption_edge_buffer)
        self.pin(caption)
        self.play(FadeIn(caption, shift=0.2 * UP), run_time=0.6)
        self.caption = caption

    def clear_below(self, mobject: M, above: Mobject, buff: float = 0.2) -> M:
        """``mobject`` moved down, if need be, to stand ``buff`` below ``above`` (a row pushed by a taller one)."""
        return mobject.shift(max(0.0, mobject.get_top()[1] - (above.get_bottom()[1] - buff)) * DOWN)

    def below_title(self, left: float, margin: float = 0.2) -> float:
        """The highest a label reaching left to ``left`` may stand: under the title if the title reaches there."""
        top = safe_reach()[1]
        return top if self.title.get_right()[0] + margin <= left else min(top, self.title.get_bottom()[1] - margin)

    def under_title(self, mobject: M, margin: float = 0.2) -> M:
        """``mobject`` moved down, if need be, to stand under the title where the title reaches over it."""
        top = self.below_title(mobject.get_left()[0], margin)
        return mobject.shift(max(0.0, mobject.get_top()[1] - top) * DOWN)

    def floor(self, margin: float = 0.15) -> float:
        """The lowest a label may reach: ``margin`` above the caption, or the safe area's bottom without one."""
        return self.caption.get_top()[1] + margin if self.caption is not None else -safe_reach()[1]

    def above_caption(self, mobject: M, margin: float = 0.15) -> M:
        """``mobject`` moved up, if need be, to stand ``margin`` clear of the caption (two lines stand taller)."""
        if self.caption is not None:
            mobject.shift(max(0.0, self.floor(margin) - mobject.get_bottom()[1]) * UP)
        return mobject

    def clear_caption(self) -> None:
        """Take the caption away between beats (no frame shows it going: the last beat ends with it)."""
        self.caption_words = 0
        if self.caption is not None:
            self.remove(self.caption)
            self.unpin(self.caption)
            self.caption = None

    def hold(self, spent: float = 0.0, formulas: int = 0) -> None:
        """Wait until the caption and the beat's ``formulas`` can have been read, counting ``spent`` seconds."""
        words = self.caption_words
        self.wait(max(0.8, READING_SECONDS_PER_WORD * words + READING_SECONDS_PER_FORMULA * formulas - spent))


def default_clip(class_name: str) -> Clip:
    """The clip a scene plays when manim runs it directly: the project series' first on its template."""
    series = default_series()
    for clip in series.clips:
        if clip.class_name == class_name:
            return clip
    raise LookupError(f"no clip in {series.path.name} uses the scene {class_name}")
