"""The series' look: colours named for what they mean, fonts, and the beat-by-beat scene base.

A colour means the same thing in every clip: the slope is always ``SLOPE_COLOR``, whether it is a
tangent line, a readout or the graph of f'.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
from manim import (
    BLUE_C,
    DOWN,
    GREEN_C,
    GREY_B,
    GREY_D,
    LEFT,
    MAROON_C,
    ORANGE,
    RED_C,
    RIGHT,
    TEAL_C,
    UL,
    UP,
    WHITE,
    YELLOW,
    Axes,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Scene,
    Text,
    VGroup,
    VMobject,
)
from manim.typing import Vector3D
from manim.utils.color import ParsableManimColor

from scenes.catalog import Beat, Clip, clip_by_id

# Colours, by meaning.
FUNCTION_COLOR = BLUE_C  # a function's graph or surface
SURFACE_COLOR = BLUE_C
SLOPE_COLOR = YELLOW  # any slope: tangent lines, derivative values, the graph of f'
GRADIENT_COLOR = ORANGE  # the gradient vector and its components
POINT_COLOR = WHITE  # the point we stand at
SLICE_COLOR = TEAL_C  # a slice through a surface
HIGHLIGHT_COLOR = RED_C  # what the eye should go to now (the backward pass, a warning)
CAPTION_COLOR = GREY_B
#: Gears A, B, C, and the variables x, u, y that play their parts in the computation graph.
CHAIN_COLORS = (BLUE_C, GREEN_C, MAROON_C)
AXIS_COLOR = GREY_D

FONT = "DejaVu Sans"
CAPTION_SIZE = 24
TITLE_SIZE = 34
#: Seconds a caption stays for each word, so it can be read in the time it stands.
READING_SECONDS_PER_WORD = 0.3


def text(content: str, size: float = CAPTION_SIZE, color: ParsableManimColor = WHITE, **kwargs: Any) -> Text:
    """Plain text in the series' font."""
    return Text(content, font=FONT, font_size=size, color=color, **kwargs)


def tex(*parts: str, size: float = 36, color: ParsableManimColor = WHITE, **kwargs: Any) -> MathTex:
    """Typeset math in the series' size."""
    return MathTex(*parts, font_size=size, color=color, **kwargs)


class LectureScene(Scene):
    """A clip made of beats: each beat is one manim section with its caption at the bottom.

    Subclasses set ``clip_id`` and implement ``beats()``, returning one method per beat of the
    catalog entry, in order. The frozen ``mathcore`` result is built in ``setup``.
    """

    clip_id: ClassVar[str]
    caption_edge_buffer: ClassVar[float] = 0.3

    @property
    def clip(self) -> Clip:
        """The catalog entry of this scene."""
        return clip_by_id(self.clip_id)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The beat methods, in the catalog's order."""
        raise NotImplementedError

    def construct(self) -> None:
        """Play every beat in its own section, each under its caption."""
        self.caption: Mobject | None = None
        self.add_title()
        for number, (beat, play) in enumerate(zip(self.clip.beats, self.beats(), strict=True), start=1):
            self.next_section(f"{number:02d}-{beat.slug}")
            self.show_caption(beat)
            play()
        self.wait(0.5)

    def pin(self, *mobjects: Mobject) -> None:
        """Keep flat mobjects (text, 2D plots) fixed on the screen; only 3D scenes need to."""

    def add_title(self) -> None:
        """The clip title, small in the top-left corner for the whole clip."""
        title = text(self.clip.title, size=TITLE_SIZE, weight="BOLD").to_corner(UL, buff=0.35)
        self.title = title
        self.pin(title)
        self.add(title)

    def show_caption(self, beat: Beat) -> None:
        """Replace the caption at the bottom edge with this beat's caption."""
        caption = text(beat.caption, color=CAPTION_COLOR)
        caption.scale_to_fit_width(min(caption.width, 13.0))
        caption.to_edge(DOWN, buff=self.caption_edge_buffer)
        self.pin(caption)
        if self.caption is None:
            self.play(FadeIn(caption, shift=0.2 * UP), run_time=0.6)
        else:
            self.play(FadeOut(self.caption), FadeIn(caption, shift=0.2 * UP), run_time=0.6)
        self.caption = caption

    def hold(self, spent: float = 0.0) -> None:
        """Wait until the caption can have been read, counting ``spent`` seconds of animation."""
        assert isinstance(self.caption, Text)
        words = len(str(self.caption.text).split())
        self.wait(max(0.8, READING_SECONDS_PER_WORD * words - spent))


def stacked(*rows: VMobject, buff: float = 0.25, direction: Vector3D = DOWN) -> VGroup:
    """Rows one under the other, left-aligned."""
    return VGroup(*rows).arrange(direction, buff=buff, aligned_edge=LEFT)


def fmt(value: float, places: int = 2, trim: bool = True) -> str:
    """A number as a lecturer writes it: ``-4`` not ``-4.00`` (unless ``trim`` is off), ``0.84``."""
    rounded = round(value, places)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    shown = f"{rounded:.{places}f}"
    return shown.rstrip("0").rstrip(".") if trim and places > 0 else shown


def polynomial_tex(coefficients: Sequence[float], variable: str) -> str:
    """TeX of a polynomial from its coefficients, lowest power first: ``x^2 + 6x + 8``."""
    terms: list[str] = []
    for power in range(len(coefficients) - 1, -1, -1):
        c = coefficients[power]
        if c == 0:
            continue
        magnitude = fmt(abs(c))
        unit = {0: "", 1: variable}.get(power, f"{variable}^{power}")
        body = unit if magnitude == "1" and unit else magnitude + unit
        sign = "-" if c < 0 else "+"
        terms.append(body if not terms and sign == "+" else (sign + body if not terms else f" {sign} {body}"))
    return "".join(terms) or "0"


def tangent_segment(axes: Axes, x: float, f: float, slope: float, reach: float, heights: tuple[float, float]) -> Line:
    """The tangent through (x, f) with ``slope``, ``reach`` either side in x, clipped to ``heights``."""
    lo, hi = -reach, reach
    if slope != 0:
        ends = sorted(((heights[0] - f) / slope, (heights[1] - f) / slope))
        lo, hi = max(lo, ends[0]), min(hi, ends[1])
    return Line(axes.c2p(x + lo, f + slope * lo), axes.c2p(x + hi, f + slope * hi), color=SLOPE_COLOR, stroke_width=5)


#: Every character a live number can show, typeset once per size and colour.
GLYPHS = "0123456789.-+"


class LiveNumber(VGroup):
    """A number redrawn at every frame from shapes typeset once.

    manim's ``DecimalNumber`` deep-copies a typeset glyph for every character at every change,
    which at 60 fps costs more than drawing the frame; this only moves point arrays.
    """

    def __init__(
        self,
        value: float,
        places: int = 2,
        sign: bool = False,
        size: float = 36,
        color: ParsableManimColor = WHITE,
        unit: str | None = None,
        slots: int = 10,
    ) -> None:
        super().__init__()
        self.places, self.sign = places, sign
        typeset = MathTex(GLYPHS, font_size=size)[0]
        lefts = {ch: glyph.get_left()[0] for ch, glyph in zip(GLYPHS, typeset, strict=True)}
        self.shapes = {
            ch: glyph.points - np.array([lefts[ch], 0.0, 0.0]) for ch, glyph in zip(GLYPHS, typeset, strict=True)
        }
        self.widths = {ch: glyph.width for ch, glyph in zip(GLYPHS, typeset, strict=True)}
        digits = [typeset[i] for i in range(10)]
        self.top = float(digits[0].get_top()[1])  # a unit such as ° sits at the digits' height
        self.gap = float(np.mean([b.get_left()[0] - a.get_right()[0] for a, b in itertools.pairwise(digits)]))
        # A point that moves with the group: where the first character starts.
        self.origin = VMobject(stroke_width=0, fill_opacity=0).set_points(np.zeros((4, 3)))
        self.slots = [VMobject(stroke_width=0, fill_color=color, fill_opacity=1.0) for _ in range(slots)]
        self.unit = MathTex(unit, font_size=size, color=color) if unit else None
        self.add(self.origin, *self.slots, *([self.unit] if self.unit else []))
        self.set_value(value)

    def set_value(self, value: float) -> LiveNumber:
        """Show ``value``."""
        shown = f"{value:+.{self.places}f}" if self.sign else f"{value:.{self.places}f}"
        if float(shown) == 0:  # no "-0.00"
            shown = shown.replace("-", "+" if self.sign else "")
        x, y = self.origin.points[0][0], self.origin.points[0][1]
        for slot, ch in zip(self.slots, shown.ljust(len(self.slots)), strict=True):
            if ch == " ":
                slot.points = np.zeros((0, 3))
                continue
            slot.points = self.shapes[ch] + np.array([x, y, 0.0])
            x += self.widths[ch] + self.gap
        if self.unit is not None:
            self.unit.next_to(np.array([x, y, 0.0]), RIGHT, buff=0.02)
            self.unit.set_y(y + self.top - self.unit.height / 2)
        return self
