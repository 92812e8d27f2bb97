"""The series' look: fonts, the beat-by-beat scene base, and the builders every template draws with.

A colour means the same thing in every clip: the slope is always the palette's ``slope``, whether it
is a tangent line, a readout or the graph of f'. The palette comes from the scene's ``Settings``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Axes,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Scene,
    SingleStringMathTex,
    Text,
    VGroup,
    VMobject,
    config,
)
from manim.typing import Vector3D
from manim.utils.color import ParsableManimColor
from tqdm import tqdm

from mathcore.nice import nice_step
from scenes.catalog import Beat, Clip, default_series
from scenes.palette import Palette
from scenes.settings import Settings
from scenes.shown import EQUALS, Shown, live

M = TypeVar("M", bound=Mobject)

FONT = "DejaVu Sans"
CAPTION_SIZE = 24
TITLE_SIZE = 34
#: Seconds a caption stays for each word, so it can be read in the time it stands.
READING_SECONDS_PER_WORD = 0.3
#: Seconds to read each formula or line of text a beat puts up beside its picture.
READING_SECONDS_PER_FORMULA = 1.2


#: What manim typesets: while a scene renders, each defaults to its palette's text colour.
TYPESET: tuple[type[Mobject], ...] = (Text, MathTex, SingleStringMathTex, DecimalNumber)


def text(content: str, size: float = CAPTION_SIZE, color: ParsableManimColor | None = None, **kwargs: Any) -> Text:
    """Plain text in the series' font (in the scene's text colour unless ``color`` is given)."""
    if color is not None:
        kwargs["color"] = color
    return Text(content, font=FONT, font_size=size, **kwargs)


def tex(*parts: str, size: float = 36, color: ParsableManimColor | None = None, **kwargs: Any) -> MathTex:
    """Typeset math in the series' size (in the scene's text colour unless ``color`` is given)."""
    if color is not None:
        kwargs["color"] = color
    return MathTex(*parts, font_size=size, **kwargs)


@contextmanager
def typeset_in(color: str) -> Iterator[None]:
    """Make ``color`` the default of everything typeset (tick numbers manim makes too), for one render only."""
    saved = [kind.__dict__["__init__"] for kind in TYPESET]
    for kind in TYPESET:
        kind.set_default(color=color)
    try:
        yield
    finally:
        for kind, before in zip(TYPESET, saved, strict=True):
            setattr(kind, "__init__", before)  # noqa: B010 (a method, put back)


class LectureScene(Scene):
    """A clip made of beats: each beat is one manim section with its caption at the bottom.

    Built with the clip (the series entry: its lesson and captions) and the ``Settings`` it is drawn
    with. Subclasses implement ``beats()``, returning one method per beat of the entry, in order, and
    build the frozen ``mathcore`` result and the clip's text (``shown``) in ``setup``. A ``probe``
    (see ``scenes.layout``) is told of every beat's end and of moments in between.
    """

    shown: dict[str, Shown]
    caption_edge_buffer: ClassVar[float] = 0.3
    # The right-hand column: its centre, width and named rows (heights), for ``at_row``.
    column_x: ClassVar[float] = 3.7
    column_width: ClassVar[float] = 6.0
    rows: ClassVar[dict[str, float]] = {}

    def __init__(
        self, clip: Clip | None = None, settings: Settings | None = None, probe: Any = None, **kwargs: Any
    ) -> None:
        self.clip = clip or default_clip(type(self).__name__)
        self.settings = settings or Settings()
        self.probe = probe
        super().__init__(**kwargs)

    @property
    def palette(self) -> Palette:
        """The colours, by meaning."""
        return self.settings.palette

    @property
    def lesson(self) -> dict[str, Any]:
        """The clip's parameters."""
        return self.clip.lesson

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
        self.beat_starts: dict[int, float] = {}  # scene time at the start of each beat that ran
        first, last = self.settings.beats or (1, len(self.clip.beats))
        self.add_title()
        for number, (beat, play) in enumerate(zip(self.clip.beats, self.beats(), strict=True), start=1):
            if number > last:
                break
            if self.probe is not None and number > 1:
                self.probe.beat_end(self)
            self.next_section(f"{number:02d}-{beat.slug}", skip_animations=number < first)
            self.beat_starts[number] = float(self.time)
            if self.probe is not None:
                self.probe.beat_start(self, number, beat.slug)
            self.show_caption(beat)
            play()
            if number <= len(self.settings.holds):
                self.hold_until(self.beat_starts[number] + self.settings.holds[number - 1])
        else:
            self.wait(0.5)
        if self.probe is not None:
            self.probe.beat_end(self)

    def hold_until(self, moment: float) -> None:
        """Hold the last frame until scene time ``moment``, rounded up to a whole frame (manim rounds waits down)."""
        frames = math.ceil((moment - float(self.time)) * config.frame_rate - 1e-6)
        if frames > 0:
            self.wait((frames + 0.5) / config.frame_rate)

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

    def at_row(self, mobject: M, row: str) -> M:
        """Place ``mobject`` on a row of the right-hand column (``rows``), shrunk to ``column_width``."""
        return fit(mobject, self.column_width).move_to((self.column_x, self.rows[row], 0.0))

    def keep_clear(self, *mobjects: Mobject) -> None:
        """Mark curves and lines that no label may cover while they are on screen."""
        self.kept_clear.extend(mobjects)

    def tex_of(self, key: str, size: float = 36, color: ParsableManimColor | None = None) -> MathTex:
        """The clip's text ``key`` (from its text module), typeset."""
        return tex(self.shown[key].tex, size=size, color=color)

    def pin(self, *mobjects: Mobject) -> None:
        """Keep flat mobjects (text, 2D plots) fixed on the screen; only 3D scenes need to."""

    def add_title(self) -> None:
        """The clip title, small in the top-left corner for the whole clip."""
        title = text(self.clip.title, size=TITLE_SIZE, weight="BOLD").to_corner(UL, buff=0.35)
        self.title = title
        self.pin(title)
        self.add(title)

    def show_caption(self, beat: Beat) -> None:
        """Replace the caption at the bottom edge with this beat's caption (or keep its time, without it)."""
        self.caption_words = len(beat.caption.split())
        if not self.settings.captions:
            self.wait(0.6)
            return
        caption = text(beat.caption, color=self.palette.caption)
        caption.scale_to_fit_width(min(caption.width, 13.0))
        caption.to_edge(DOWN, buff=self.caption_edge_buffer)
        self.pin(caption)
        if self.caption is None:
            self.play(FadeIn(caption, shift=0.2 * UP), run_time=0.6)
        else:
            self.play(FadeOut(self.caption), FadeIn(caption, shift=0.2 * UP), run_time=0.6)
        self.caption = caption

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


def fit(mobject: M, width: float, height: float | None = None) -> M:
    """Shrink ``mobject`` (never enlarge it) to at most ``width`` wide and ``height`` high."""
    factor = min(1.0, width / max(mobject.width, 1e-9))
    if height is not None:
        factor = min(factor, height / max(mobject.height, 1e-9))
    if factor < 1.0:
        mobject.scale(factor)
    return mobject


def number_config(step: float) -> dict[str, Any]:
    """Axis numbers with as many decimals as the tick step needs: ``2``, not ``2.0``."""
    return {"num_decimal_places": len(f"{step:.10f}".rstrip("0").partition(".")[2]), "group_with_commas": False}


def round_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    y_step: float,
    size: tuple[float, float],
    labelled_y: tuple[float, float] | None = None,
    x_pad: float = 0.0,
    y_count: int = 5,
    font_size: float = 24,
    *,
    axis_color: str,
) -> Axes:
    """Axes with round tick numbers: about 7 on x, about ``y_count`` over ``labelled_y`` (default ``y_range``).

    The x axis reaches ``x_pad`` of a tick step past both ends of ``x_range``.
    """
    x_step, x_labels = ticks(x_range[0], x_range[1], 7)
    _, y_labels = ticks(*(labelled_y or y_range), y_count)
    return Axes(
        x_range=[x_range[0] - x_pad * x_step, x_range[1] + x_pad * x_step, x_step],
        y_range=[y_range[0], y_range[1], y_step],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": axis_color, "include_numbers": True, "font_size": font_size},
        x_axis_config={"numbers_to_include": x_labels, "decimal_number_config": number_config(x_step)},
        y_axis_config={"numbers_to_include": y_labels, "decimal_number_config": number_config(y_step)},
    )


class LogAxes(Axes):
    """Axes whose y is logarithmic, labelled 10^k at every power of ten, the x axis along the bottom.

    Place a value with ``point(x, value)``; ``c2p`` takes (x, decades above the lowest power).
    """

    def __init__(
        self,
        x_range: tuple[float, float],
        decades: tuple[int, int],
        size: tuple[float, float],
        font_size: float = 22,
        *,
        axis_color: str,
    ) -> None:
        x_step, x_labels = ticks(*x_range, 5)
        super().__init__(
            x_range=[x_range[0], x_range[1], x_step],
            y_range=[0, decades[1] - decades[0], 1],
            x_length=size[0],
            y_length=size[1],
            tips=False,
            axis_config={"color": axis_color, "include_numbers": False, "font_size": font_size},
            x_axis_config={
                "include_numbers": True,
                "numbers_to_include": x_labels,
                "decimal_number_config": number_config(x_step),
            },
        )
        self.lowest = decades[0]
        labels: dict[float, str | float | VMobject] = {
            float(k - decades[0]): MathTex(f"10^{{{k}}}", font_size=font_size)
            for k in range(decades[0], decades[1] + 1)
        }
        self.y_axis.add_labels(labels, buff=0.15)

    def point(self, x: float, value: float) -> np.ndarray:
        """The scene point of (x, value), value > 0."""
        return self.c2p(x, math.log10(value) - self.lowest)


def overlaps(a: Mobject, b: Mobject, gap: float = 0.03) -> bool:
    """Whether the boxes of ``a`` and ``b`` come closer than ``gap``."""
    return bool(
        a.get_left()[0] < b.get_right()[0] + gap
        and b.get_left()[0] < a.get_right()[0] + gap
        and a.get_bottom()[1] < b.get_top()[1] + gap
        and b.get_bottom()[1] < a.get_top()[1] + gap
    )


def place_clear(
    mobject: M, spots: Sequence[Callable[[M], object]], avoid: Sequence[Mobject], lines: Sequence[Mobject] = ()
) -> M:
    """Put ``mobject`` at the first of ``spots`` clear of the labels ``avoid`` and not covering ``lines``.

    Each spot is a function that moves it there. If no spot is clear it stays at the first: the
    layout check will say so.
    """
    from scenes.layout import covers, line_points

    points = np.concatenate([line_points(line) for line in lines]) if lines else np.zeros((0, 3))
    for spot in spots:
        spot(mobject)
        if not any(overlaps(mobject, other) for other in avoid) and not covers(mobject, points):
            return mobject
    spots[0](mobject)
    return mobject


def drop_covered_ticks(axes: Axes, *lines: Mobject) -> Axes:
    """Remove the tick numbers of ``axes`` that any of ``lines`` runs through (a tick is optional)."""
    from scenes.layout import covers, line_points

    points = np.concatenate([line_points(line) for line in lines]) if lines else np.zeros((0, 3))
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", None)
        if numbers is None:
            continue
        for number in [n for n in numbers if covers(n, points)]:
            numbers.remove(number)
    for coordinates in getattr(axes, "coordinate_labels", []):
        for number in [n for n in coordinates if covers(n, points)]:
            coordinates.remove(number)
    return axes


def drop_ticks_under(axes: Axes, *labels: Mobject) -> Axes:
    """Remove the tick numbers of ``axes`` that overlap any of ``labels`` (a tick is optional)."""
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", None)
        if numbers is not None:
            for number in [n for n in numbers if any(overlaps(n, label, gap=0.0) for label in labels)]:
                numbers.remove(number)
    return axes


def axis_labels(axes: Axes) -> list[Mobject]:
    """The number labels of both axes."""
    return [
        n for axis in (axes.x_axis, axes.y_axis) for n in (*getattr(axis, "numbers", ()), *getattr(axis, "labels", ()))
    ]


def ticks(low: float, high: float, count: int = 6) -> tuple[float, list[float]]:
    """A round tick step over ``[low, high]`` and the ticks to label (not the ends, not 0)."""
    step = nice_step(high - low, count)
    first = math.ceil(low / step) * step
    labels = []
    value = first
    while value <= high + 1e-9:
        if abs(value) > 1e-9 and low + 1e-9 < value < high - 1e-9:
            labels.append(round(value, 10))
        value += step
    return step, labels


def stacked(*rows: VMobject, buff: float = 0.25, direction: Vector3D = DOWN) -> VGroup:
    """Rows one under the other, left-aligned."""
    return VGroup(*rows).arrange(direction, buff=buff, aligned_edge=LEFT)


def tangent_segment(
    axes: Axes, x: float, f: float, slope: float, reach: float, heights: tuple[float, float], color: str
) -> Line:
    """The tangent through (x, f) with ``slope``, ``reach`` either side in x, clipped to ``heights``."""
    lo, hi = -reach, reach
    if slope != 0:
        ends = sorted(((heights[0] - f) / slope, (heights[1] - f) / slope))
        lo, hi = max(lo, ends[0]), min(hi, ends[1])
    return Line(axes.c2p(x + lo, f + slope * lo), axes.c2p(x + hi, f + slope * hi), color=color, stroke_width=5)


#: Every character a live number can show, typeset once per size and colour; "~" stands for ≈.
GLYPHS = "0123456789.-+"
RELATIONS = "=~"


class LiveNumber(VGroup):
    """A number redrawn at every frame from shapes typeset once.

    manim's ``DecimalNumber`` deep-copies a typeset glyph for every character at every change,
    which at 60 fps costs more than drawing the frame; this only moves point arrays. With
    ``relation`` it starts with "=" when the digits are the value exactly and "≈" when they are
    rounded, frame by frame.
    """

    def __init__(
        self,
        value: float,
        places: int = 2,
        sign: bool = False,
        size: float = 36,
        color: ParsableManimColor | None = None,
        unit: str | None = None,
        slots: int = 12,
        relation: bool = False,
        exact: bool = True,
    ) -> None:
        super().__init__()
        self.places, self.sign, self.relation, self.exact = places, sign, relation, exact
        typeset = MathTex(GLYPHS + r"=\approx", font_size=size)[0]
        color = color or typeset.get_color()  # the scene's text colour unless given
        chars = GLYPHS + RELATIONS
        lefts = {ch: glyph.get_left()[0] for ch, glyph in zip(chars, typeset, strict=True)}
        self.shapes = {
            ch: glyph.points - np.array([lefts[ch], 0.0, 0.0]) for ch, glyph in zip(chars, typeset, strict=True)
        }
        self.widths = {ch: glyph.width for ch, glyph in zip(chars, typeset, strict=True)}
        digits = [typeset[i] for i in range(10)]
        self.top = float(digits[0].get_top()[1])  # a unit such as ° sits at the digits' height
        self.gap = float(np.mean([b.get_left()[0] - a.get_right()[0] for a, b in itertools.pairwise(digits)]))
        # A point that moves with the group: where the first character starts.
        self.origin = VMobject(stroke_width=0, fill_opacity=0).set_points(np.zeros((4, 3)))
        self.slots = [VMobject(stroke_width=0, fill_color=color, fill_opacity=1.0) for _ in range(slots)]
        self.pad = VMobject(stroke_width=0, fill_opacity=0)  # keeps the width of the widest value set by ``reserve``
        self.unit = MathTex(unit, font_size=size, color=color) if unit else None
        self.add(self.origin, self.pad, *self.slots, *([self.unit] if self.unit else []))
        self.set_value(value)

    def reserve(self, values: Sequence[float] | np.ndarray) -> LiveNumber:
        """Make the number as wide as the widest of ``values`` (so arranging it leaves room), showing the first."""
        widest = max(values, key=lambda v: len(self.text_for(float(v))))
        self.set_value(float(widest))
        self.pad.set_points(np.array([self.get_corner(DOWN + LEFT), self.get_corner(UP + RIGHT)] * 2))
        return self.set_value(float(values[0]))

    def text_for(self, value: float) -> str:
        """The characters shown for ``value`` ("~" for ≈)."""
        sign, shown = live(value, self.places, self.sign, self.exact)
        if not self.relation:
            return shown
        return ("=" if sign == EQUALS else "~") + shown

    def set_value(self, value: float) -> LiveNumber:
        """Show ``value``."""
        shown = self.text_for(value)
        x, y = self.origin.points[0][0], self.origin.points[0][1]
        for slot, ch in zip(self.slots, shown.ljust(len(self.slots)), strict=True):
            if ch == " ":
                slot.points = np.zeros((0, 3))
                continue
            slot.points = self.shapes[ch] + np.array([x, y, 0.0])
            x += self.widths[ch] + (3.5 if ch in RELATIONS else 1.0) * self.gap
        if self.unit is not None:
            self.unit.next_to(np.array([x, y, 0.0]), RIGHT, buff=0.02)
            self.unit.set_y(y + self.top - self.unit.height / 2)
        return self
