"""Where labels go: sized to fit, stacked, and placed clear of other labels and of the lines drawn."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Axes,
    MathTex,
    Mobject,
    Text,
    VGroup,
    VMobject,
)
from manim.typing import Vector3D

from scenes.layout import MARGIN, covers, line_points, touches
from scenes.type_size import cap_shares

M = TypeVar("M", bound=Mobject)


def fit(mobject: M, width: float, height: float | None = None, lines: bool = False) -> M:
    """Make ``mobject`` at most ``width`` wide and ``height`` high: shrunk (never enlarged), or first set over lines.

    With ``lines`` (where there is room above and below), a formula or words too wide are set over
    lines at their size, in place; what is still too large is shrunk, and the layout check (with
    ``--type-size``) says if its type came out too small.
    """
    if lines and mobject.width > width and isinstance(mobject, MathTex | Text):
        over_lines(mobject, width)
    factor = min(1.0, width / max(mobject.width, 1e-9))
    if height is not None:
        factor = min(factor, height / max(mobject.height, 1e-9))
    if factor < 1.0:
        mobject.scale(factor)
    return mobject


def fit_room(mobject: M, width: float, room: float) -> M:
    """``mobject`` set ``width`` wide and ``room`` high, at the larger of two types.

    On one line shrunk to the width, or over lines shrunk to the room: a formula too long for one
    line keeps more of its size on two.
    """
    one = fit(mobject.copy(), width)
    over = fit(mobject.copy(), width, room, lines=True)
    one_size, over_size = cap_shares(one), cap_shares(over)
    if one_size is None or over_size is None or over_size[1] <= one_size[1]:
        return one
    return over


#: The fewest characters of TeX a line of a broken formula holds.
SHORTEST_LINE = 6


#: What may stand before a sign that is not a binary operator (a relation, an opening, another operator).
UNARY_AFTER = ("=", "(", "[", "{", ",", "+", "-", r"\approx", r"\cdot", "\\\\")
#: A break before + or − costs this many characters of line length over a break before a relation.
OPERATOR_BREAK_COST = 4


def break_points(content: str) -> tuple[list[int], list[int]]:
    """Where TeX ``content`` may break: before a relation, before a binary + or −, and after a tuple's comma.

    Relations and signs only at the top level (outside braces, brackets and parentheses); a sign after
    a relation, an opening or an operator is unary, not a place to break. A comma inside one pair of
    plain parentheses that hold a tuple (a vector's components, not a function's arguments) may end a
    line: the next starts with the next component.
    The second list holds the signs and the commas: breaks that cost more than a relation's.
    """
    depth, relations, operators = 0, [], []
    opened: list[bool] = []  # for each open ( or [: whether it holds a tuple (not a call's arguments, f(1, 2))
    spacing = r"\\[ ,;:!]"  # a space command, whose comma is none
    tokens = rf"\\(?:left|right)(?![A-Za-z])(?:\\[A-Za-z]+|\\.|.)|{spacing}|[{{}}()\[\],]|=|\\approx(?![A-Za-z])|[+-]"
    for match in re.finditer(tokens, content):
        token = match[0]
        if token.startswith("\\left") or token == "{":
            depth += 1
        elif token.startswith("\\right") or token == "}":
            depth -= 1
        elif token in "([":
            before = content[: match.start()].rstrip()
            opened.append(token == "(" and not re.search(r"[A-Za-z0-9'}\)]$", before))
        elif token in ")]":
            opened = opened[:-1]
        elif token == ",":
            if depth == 0 and opened == [True]:
                operators.append(match.end())  # after the comma: it ends its line
        elif re.fullmatch(spacing, token):
            continue
        elif depth == 0 and not opened and match.start() > 0:
            before = content[: match.start()].rstrip()
            if token not in "+-":
                relations.append(match.start())
            elif before and not before.endswith(UNARY_AFTER):
                operators.append(match.start())
    return relations, operators


def _visible(piece: str) -> int:
    """About how many characters wide TeX ``piece`` is set (commands and brackets' sizing drop out)."""
    piece = re.sub(r"\\(left|right)(?![A-Za-z])", "", piece)
    piece = re.sub(r"\\text\{([^}]*)\}", r"\1", piece)
    return len(re.sub(r"[{}^_\s]", "", re.sub(r"\\[A-Za-z]+", "x", piece)))


def broken(content: str, lines: int, operators: bool = False) -> str | None:
    """``content`` over ``lines`` lines, the longest as short as can be, or None if no way reads well.

    Each line after the first starts with a relation (with ``operators``, or a binary + or −, each such
    break counted as ``OPERATOR_BREAK_COST`` characters longer).
    """
    relations, signs = break_points(content)
    allowed = sorted([*relations, *(signs if operators else [])])
    best: tuple[int, list[str]] | None = None
    for cuts in itertools.combinations(allowed, lines - 1):
        pieces = [
            re.sub(r"^(\\[ ,;:!]|\s)+", "", content[a:b]).strip()  # no line starts with a space command
            for a, b in zip([0, *cuts], [*cuts, len(content)], strict=True)
        ]
        if min(len(piece) for piece in pieces) < SHORTEST_LINE:
            continue  # "y" over "= sin(x^2)" reads worse than one line
        cost = max(_visible(piece) for piece in pieces) + OPERATOR_BREAK_COST * sum(c in signs for c in cuts)
        if best is None or cost < best[0]:
            best = (cost, pieces)
    return None if best is None else r" \\ ".join(best[1])


def over_lines(mobject: MathTex | Text, width: float) -> None:
    """Set ``mobject`` over as few lines as fit ``width`` at its size (words at spaces, formulas as ``broken``).

    If no way over two or three lines fits, the narrowest found is kept (``fit`` shrinks it the rest).
    """
    colour = mobject.get_color()
    centre = mobject.get_center()
    size = float(cast(Any, mobject).font_size)
    found: list[MathTex | Text] = []
    for lines in (2, 3):
        if isinstance(mobject, Text):
            words = str(getattr(mobject, "original_text", mobject.text)).split()
            if len(words) < lines:
                break
            found.append(Text(wrapped(words, lines), font=mobject.font, font_size=size, color=colour))
        else:
            for operators in (False, True):
                content = broken(str(mobject.tex_string), lines, operators)
                if content is not None and content not in (str(getattr(m, "tex_string", "")) for m in found):
                    found.append(MathTex(content, font_size=size, color=colour, tex_environment="gather*"))
                    if found[-1].width <= width:
                        break
        if found and found[-1].width <= width:
            break
    if not found:
        return
    new = min(found, key=lambda m: m.width)
    mobject.become(new)
    mobject.initial_height = new.initial_height
    for name in ("tex_string", "original_text", "text"):
        if hasattr(new, name):
            setattr(mobject, name, getattr(new, name))
    mobject.move_to(centre)


#: A parenthesis that closes within this many words keeps them on one line: "(w, b)", never "(w," over "b)".
SHORT_GROUP = 3


def kept_together(words: list[str]) -> list[str]:
    """``words`` with each short parenthesised group joined into one, so no line breaks inside it."""
    out: list[str] = []
    at = 0
    while at < len(words):
        closes = next(
            (end for end in range(at, min(at + SHORT_GROUP, len(words))) if ")" in words[end]),
            None,
        )
        if "(" in words[at] and ")" not in words[at] and closes is not None:
            out.append(" ".join(words[at : closes + 1]))
            at = closes + 1
        else:
            out.append(words[at])
            at += 1
    return out


def wrapped(words: list[str], lines: int) -> str:
    """``words`` over ``lines`` lines of about equal length, never breaking a short group in parentheses."""
    words = kept_together(words)
    total = sum(len(word) + 1 for word in words)
    out: list[str] = []
    line: list[str] = []
    length = 0
    for word in words:
        if line and length + len(word) > total / lines * (len(out) + 1) and len(out) < lines - 1:
            out.append(" ".join(line))
            line = []
        line.append(word)
        length += len(word) + 1
    return "\n".join([*out, " ".join(line)])


def overlaps(a: Mobject, b: Mobject, gap: float = MARGIN) -> bool:
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
    """Put ``mobject`` at the first of ``spots`` clear of the labels ``avoid`` and of ``lines`` (by ``MARGIN``).

    Each spot is a function that moves it there. If no spot is clear it stays at the first: the
    layout check will say so (a label that may be left out asks ``found_clear`` instead).
    """
    if not found_clear(mobject, spots, avoid, lines):
        spots[0](mobject)
    return mobject


def found_clear(
    mobject: M, spots: Sequence[Callable[[M], object]], avoid: Sequence[Mobject], lines: Sequence[Mobject] = ()
) -> bool:
    """Whether one of ``spots`` is clear as for ``place_clear``; ``mobject`` is left at the first that is."""
    points = np.concatenate([line_points(line) for line in lines]) if lines else np.zeros((0, 3))
    for spot in spots:
        spot(mobject)
        if not any(overlaps(mobject, other) for other in avoid) and not touches(mobject, points):
            return True
    return False


def drop_covered_ticks(axes: Axes, *lines: Mobject) -> Axes:
    """Remove the tick numbers of ``axes`` that any of ``lines`` runs through (a tick is optional)."""
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
            for number in [n for n in numbers if any(overlaps(n, label) for label in labels)]:
                numbers.remove(number)
    return axes


def stacked(*rows: VMobject, buff: float = 0.25, direction: Vector3D = DOWN) -> VGroup:
    """Rows one under the other, left-aligned."""
    return VGroup(*rows).arrange(direction, buff=buff, aligned_edge=LEFT)
