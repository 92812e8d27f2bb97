r"""How tall the type on screen is: the cap height of every glyph a label draws, as a share of the frame's height.

Read across a lecture hall, type needs a cap height of at least 2.2% of the frame's height (tick
numbers, labels in the picture, sub- and superscripts), and captions, formulas and readouts at
least 3.3% (outside their scripts). A label's size is what it is drawn at (after any
scaling), times its cap height per point, measured once on a typeset "H"; in TeX, a glyph in a
superscript or subscript is set at 70% of its formula's size, in a script of a script at 50%
(TeX's script and scriptscript styles), and so are a fraction's parts inside a fraction or a script.
"""

from __future__ import annotations

import functools
import re
from typing import Any, cast

from manim import DecimalNumber, MathTex, Mobject, SingleStringMathTex, Text, config

from scenes.typeset import FONT, RELATION, LiveNumber

#: The least cap height of any glyph, and of captions, formulas and readouts, as shares of the frame's height.
SMALLEST = 0.022
SMALLEST_MAIN = 0.033
#: TeX's styles, outermost first: display and text at full size, then script and scriptscript.
SIZES = {"D": 1.0, "T": 1.0, "S": 0.7, "SS": 0.5}
SCRIPT = {"D": "S", "T": "S", "S": "SS", "SS": "SS"}
FRACTION = {"D": "T", "T": "S", "S": "SS", "SS": "SS"}


def frame_height() -> float:
    """The height (scene units) type is measured against: the frame's, in every aspect."""
    return float(config.frame_height)


@functools.cache
def cap_per_point(kind: str) -> float:
    """Scene units of cap height per point of font size: of the series' font (``text``) or of TeX (``tex``)."""
    size = 48.0
    probe = Text("H", font=FONT, font_size=size) if kind == "text" else MathTex("H", font_size=size)
    return float(probe.height) / size


def _token(tex: str, at: int) -> tuple[str, int]:
    """The next token of ``tex`` from ``at``: a braced group (without its braces), a command, or one character."""
    while at < len(tex) and tex[at].isspace():
        at += 1
    if at >= len(tex):
        return "", at
    if tex[at] == "{":
        depth, start = 0, at
        for index in range(at, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[index], 0)
            if depth == 0:
                return tex[start + 1 : index], index + 1
        return tex[start + 1 :], len(tex)
    if tex[at] == "\\":
        found = re.match(r"\\([A-Za-z]+|.)", tex[at:])
        assert found is not None
        return found[0], at + len(found[0])
    return tex[at], at + 1


def smallest_style(tex: str, style: str = "D") -> float:
    """The smallest size (1, 0.7 or 0.5 of the formula's) at which ``tex`` sets any glyph."""
    smallest, at = SIZES[style], 0
    while at < len(tex):
        token, at = _token(tex, at)
        if token in ("^", "_"):
            argument, at = _token(tex, at)
            smallest = min(smallest, smallest_style(argument, SCRIPT[style]))
        elif token in (r"\frac", r"\tfrac", r"\dfrac", r"\binom"):
            inner = {r"\dfrac": "T", r"\tfrac": FRACTION["T"]}.get(token, FRACTION[style])
            for _ in range(2):
                argument, at = _token(tex, at)
                smallest = min(smallest, smallest_style(argument, inner))
        elif len(token) > 1 and not token.startswith("\\"):  # a group in braces
            smallest = min(smallest, smallest_style(token, style))
    return smallest


def _glyph_parts(label: Mobject) -> list[Mobject]:
    """The typeset pieces of ``label`` that carry a size: itself, or its TeX and text parts."""
    if isinstance(label, Text | SingleStringMathTex):
        return [label]
    return [part for part in label.get_family() if isinstance(part, Text | SingleStringMathTex)]


def cap_shares(label: Mobject) -> tuple[float, float] | None:
    """(full size, smallest) cap height of ``label``'s glyphs as shares of the frame's height (None: no type).

    The full size is that of its glyphs outside any script; the smallest, that of its smallest script.
    """
    if isinstance(label, LiveNumber):
        share = float(label.font_size) * cap_per_point("tex") / frame_height()
        return share, share
    full, smallest = [], []
    for part in _glyph_parts(label):
        initial = float(getattr(part, "initial_height", 0.0) or 0.0)
        if initial <= 0 or part.height <= 0:
            continue
        size = float(cast(Any, part).font_size)
        if isinstance(part, Text):
            cap, least = size * cap_per_point("text"), 1.0
        else:
            cap, least = size * cap_per_point("tex"), smallest_style(str(part.tex_string))
        full.append(cap / frame_height())
        smallest.append(cap * least / frame_height())
    return (min(full), min(smallest)) if full else None


def is_main(label: Mobject, caption: Mobject | None) -> bool:
    """Whether ``label`` is a caption, a formula or a readout (held to ``SMALLEST_MAIN``), not a small label."""
    if label is caption or isinstance(label, LiveNumber):
        return True
    if isinstance(label, DecimalNumber):
        return False  # a tick number
    if isinstance(label, Text):
        return False  # words in the picture; the caption is named above
    return bool(RELATION.search(str(getattr(label, "tex_string", ""))))  # a formula states something


def type_faults(label: Mobject, caption: Mobject | None) -> list[str]:
    """How ``label``'s type is too small to read across a hall, if it is (the caption is named: it is main)."""
    shares = cap_shares(label)
    if shares is None:
        return []
    full, smallest = shares
    found = []
    if is_main(label, caption) and full < SMALLEST_MAIN - 1e-9:
        found.append(f"is set {full:.1%} of the picture high (cap height), below {SMALLEST_MAIN:.1%}")
    if smallest < SMALLEST - 1e-9:
        what = "its scripts are" if smallest < full - 1e-9 else "is"
        found.append(f"{what} set {smallest:.1%} of the picture high (cap height), below {SMALLEST:.1%}")
    return found
