"""What a clip shows, as shown: every number and formula with its exact value and its text on screen.

Rounding is honest: "=" only when the digits shown are the value exactly, "≈" otherwise, and a
value that rounds to zero but is not zero is written in powers of ten rather than as 0. Scenes
put ``Shown.tex`` on screen; ``primer values`` lists the same records. Nothing here imports manim.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

EQUALS, APPROX = "=", r"\approx"


@dataclass(frozen=True)
class Shown:
    """One number or formula on screen."""

    beat: int  # the beat (from 1) where it first appears
    name: str  # what it is, e.g. "f'(-2)"
    tex: str  # the TeX on screen
    exact: str  # its exact value: a SymPy TeX form, or the float64 value in full
    value: float | None = None  # the float64 value, for a number

    @property
    def plain(self) -> str:
        """The on-screen TeX made readable as plain text (for tables and handouts)."""
        return plain_text(self.tex)


def digits(value: float, places: int = 2) -> str:
    """The digits shown for ``value``: up to ``places`` decimals, no trailing zeros, no "-0"."""
    if value != 0 and abs(value) < 0.5 * 10.0**-places:
        return tiny(value)
    shown = f"{round(value, places):.{places}f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def fixed(value: float, places: int) -> str:
    """Exactly ``places`` decimals (for vectors and readouts whose columns line up)."""
    if value != 0 and abs(value) < 0.5 * 10.0**-places:
        return tiny(value)
    shown = f"{value:.{places}f}"
    return shown[1:] if shown.startswith("-") and float(shown) == 0 else shown


def tiny(value: float) -> str:
    r"""A value too small for its decimals, in TeX powers of ten: ``3.8 \times 10^{-24}``."""
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10.0**exponent
    return rf"{mantissa:.1f} \times 10^{{{exponent}}}"


def is_exact(value: float, shown: str) -> bool:
    """Whether the digits ``shown`` are ``value`` exactly (to the last bit of the float64)."""
    if "times" in shown:
        return False
    return float(shown) == value


def relation(value: float, shown: str) -> str:
    r"""``=`` if ``shown`` is ``value`` exactly, ``\approx`` otherwise."""
    return EQUALS if is_exact(value, shown) else APPROX


def number(value: float, places: int = 2) -> str:
    r"""``= 4`` or ``\approx 0.84``: the relation and the digits, ready to follow a name."""
    shown = digits(value, places)
    return f"{relation(value, shown)} {shown}"


def vector(values: Sequence[float], places: int = 2, exact: bool | None = None) -> tuple[str, str]:
    r"""(relation, TeX) of a vector shown with ``places`` decimals: ``("=", "(3.0,\ 1.6)")``."""
    shown = [fixed(v, places) for v in values]
    is_equal = all(is_exact(v, s) for v, s in zip(values, shown, strict=True)) if exact is None else exact
    return (EQUALS if is_equal else APPROX), "(" + r",\ ".join(shown) + ")"


def live(value: float, places: int, sign: bool = False) -> tuple[str, str]:
    """(relation, digits) of a live readout: fixed decimals (a sign if asked), "≈" unless exact.

    A value too small for its decimals reads as zero, rounded: never "= 0".
    """
    shown = f"{value:+.{places}f}" if sign else f"{value:.{places}f}"
    if float(shown) == 0:  # no "-0.00"
        shown = shown.replace("-", "+" if sign else "")
    return (EQUALS if float(shown) == value else APPROX), shown


def full(value: float) -> str:
    """A float64 in full, as Python writes it: the exact value when no closed form is known."""
    return repr(float(value))


def plain_text(tex: str) -> str:
    """A rough plain-text reading of simple TeX, for terminals."""
    replacements = {
        r"\approx": "≈",
        r"\cdot": "·",
        r"\nabla": "∇",
        r"\partial": "∂",
        r"\theta": "θ",
        r"\eta": "η",
        r"\leftarrow": "←",
        r"\times": "×",
        r"\left(": "(",
        r"\right)": ")",
        r"\left[": "[",
        r"\right]": "]",
        r"\,": " ",
        r"\ ": " ",
        r"\|": "‖",
        r"\Delta": "Δ",
        r"\ldots": "…",
        r"\circ": "°",
        r"\lambda": "λ",
        r"\sigma": "σ",
        r"\varepsilon": "ε",
        r"\big": "",
        r"\det": "det",
        r"\quad": "  ",
    }

    def matrix(found: re.Match[str]) -> str:
        rows = found[1].split("\\\\")
        return "[" + ", ".join("[" + ", ".join(cell.strip() for cell in row.split("&")) + "]" for row in rows) + "]"

    text = re.sub(r"(?:\\left\[)?\\begin\{matrix\}(.*?)\\end\{matrix\}(?:\\right\])?", matrix, tex)
    fraction = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while fraction.search(text):
        text = fraction.sub(lambda m: f"({m[1]})/({m[2]})" if len(m[1] + m[2]) > 2 else f"{m[1]}/{m[2]}", text)
    for source, target in replacements.items():
        text = text.replace(source, target)
    for command in (r"\text", r"\mathrm"):
        text = text.replace(command, "")
    for command in (r"\sin", r"\cos", r"\tan", r"\exp", r"\log", r"\tanh", r"\sqrt"):
        text = text.replace(command, command[1:])
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())
