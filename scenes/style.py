"""The series' look: colours named for what they mean, fonts, and the beat-by-beat scene base.

A colour means the same thing in every clip: the slope is always ``SLOPE_COLOR``, whether it is a
tangent line, a readout or the graph of f'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

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
