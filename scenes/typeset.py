"""What the series puts on screen as type: its font and sizes, text, formulas, and live numbers.

While a scene renders, everything typeset defaults to its palette's text colour (``typeset_in``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DecimalNumber,
    MathTex,
    Mobject,
    SingleStringMathTex,
    Text,
    VGroup,
    VMobject,
)
from manim.utils.color import ParsableManimColor

from scenes.shown import EQUALS, live

FONT = "DejaVu Sans"
#: Sizes (points) that keep type readable across a hall (``scenes/type_size.py`` measures them): the caption,
#: the title, and the least of plain words in the picture, tick numbers, formulas and readouts (a relation in
#: them), and TeX with scripts (set at 70%).
CAPTION_SIZE = 27
TITLE_SIZE = 34
WORDS_SIZE = 18
TICK_SIZE = 25
FORMULA_SIZE = 38
SCRIPTED_SIZE = 36
#: What makes TeX a formula (a relation), and what sets part of it smaller (scripts, fractions' parts in a script).
RELATION = re.compile(r"=|\\approx|\\leftarrow|<|>|\\leq|\\geq|\\neq")
SCRIPTED = re.compile(r"[_^]")


def least_size(content: str) -> float:
    """The least size TeX ``content`` may be set at: a formula's, else one with scripts, else a tick number's."""
    if RELATION.search(content):
        return FORMULA_SIZE
    return SCRIPTED_SIZE if SCRIPTED.search(content) else TICK_SIZE


#: What manim typesets: while a scene renders, each defaults to its palette's text colour.
TYPESET: tuple[type[Mobject], ...] = (Text, MathTex, SingleStringMathTex, DecimalNumber)


def text(content: str, size: float = CAPTION_SIZE, color: ParsableManimColor | None = None, **kwargs: Any) -> Text:
    """Plain text in the series' font (in the scene's text colour unless ``color`` is given)."""
    if color is not None:
        kwargs["color"] = color
    return Text(content, font=FONT, font_size=max(size, WORDS_SIZE), **kwargs)


def tex(*parts: str, size: float = 36, color: ParsableManimColor | None = None, **kwargs: Any) -> MathTex:
    r"""Typeset math in the series' size (in the scene's text colour unless ``color`` is given).

    A fraction in a superscript is written with a slash (``e^{3/4}``), and e to a power that has a
    power of its own as exp (``\exp\left(x^{2}\right)``): TeX would set the inner parts at half size,
    too small to read.
    """
    if color is not None:
        kwargs["color"] = color
    parts = tuple(slashed_in_scripts(exp_for_nested(part)) for part in parts)
    return MathTex(*parts, font_size=max(size, least_size(" ".join(parts))), **kwargs)


def _group(content: str, start: int) -> int:
    """The index just past the brace group opening at ``content[start]`` (``{...}``, nested)."""
    depth = 0
    for index in range(start, len(content)):
        depth += {"{": 1, "}": -1}.get(content[index], 0)
        if depth == 0:
            return index + 1
    return len(content)


def slashed(content: str) -> str:
    r"""Every ``\frac{a}{b}`` in ``content`` as ``a/b`` (each part in brackets unless a single symbol or number)."""
    out, at = [], 0
    while (found := content.find(r"\frac{", at)) >= 0:
        top_end = _group(content, found + 5)
        if top_end >= len(content) or content[top_end] != "{":
            break
        bottom_end = _group(content, top_end)
        parts = [slashed(content[found + 6 : top_end - 1]), slashed(content[top_end + 1 : bottom_end - 1])]
        simple = [re.fullmatch(r"-?[0-9.]+|[A-Za-z]|\\[A-Za-z]+", part.strip()) for part in parts]
        top, bottom = (part if ok else f"({part})" for part, ok in zip(parts, simple, strict=True))
        out += [content[at:found], f"{top}/{bottom}"]
        at = bottom_end
    return "".join(out) + content[at:]


def exp_for_nested(content: str) -> str:
    r"""``content`` with each ``e^{...}`` whose power has a script of its own as ``\exp\left(...\right)``."""
    out, at = [], 0
    for found in re.finditer(r"(?<![A-Za-z\\])e\^\{", content):
        if found.start() < at:
            continue
        end = _group(content, found.end() - 1)
        power = content[found.end() : end - 1]
        if "^" in power or "_" in power:
            out += [content[at : found.start()], rf"\exp\left({exp_for_nested(power)}\right)"]
            at = end
    return "".join(out) + content[at:]


def slashed_in_scripts(content: str) -> str:
    r"""``content`` with the fractions inside superscripts written with a slash: ``e^{\frac{x}{2}}`` → ``e^{x/2}``."""
    out, at = [], 0
    while (found := content.find("^{", at)) >= 0:
        end = _group(content, found + 1)
        out += [content[at : found + 2], slashed(content[found + 2 : end - 1]), "}"]
        at = end
    return "".join(out) + content[at:]


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
        size = max(size, FORMULA_SIZE)  # a readout
        self.places, self.sign, self.relation, self.exact = places, sign, relation, exact
        self.font_size = size  # its glyphs keep this size: they are set from shapes typeset once
        formula = MathTex(GLYPHS + r"=\approx", font_size=size)
        typeset = formula[0]
        color = color or formula.get_color()  # the scene's text colour unless given (its parts keep white)
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
