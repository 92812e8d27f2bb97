"""What a clip shows, as shown: every number and formula with its exact value and its text on screen.

One module decides how every number reads, in every template:
- "=" only when the digits shown are the exact value, decided exactly (SymPy: rational, algebraic
  or transcendental); a value known only as a float64 always reads "≈";
- digits are rounded from the exact value (50 significant digits) when it is known, else from the
  float64's exact binary value, half away from zero;
- magnitudes of a million or more, and below a thousandth (or too small for the decimals asked),
  are written in powers of ten, "≈" unless the mantissa is the value exactly;
- a lecturer's input is shown as written (``written``), never rounded.
Scenes put ``Shown.tex`` on screen; ``primer values`` lists the same records. Nothing here imports manim.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeAlias

import numpy as np
import sympy as sp

from mathcore.errors import MathError
from mathcore.exact import fraction, text_of

EQUALS, APPROX = "=", r"\approx"
#: From this magnitude on, and below ``SMALL``, numbers are written in powers of ten.
LARGE = Decimal(10) ** 6
SMALL = Decimal("0.001")
#: Significant digits of a mantissa in powers of ten, and of the exact value digits are rounded from.
MANTISSA, PRECISION = 2, 50

Exact: TypeAlias = sp.Expr | None
#: A number on screen as data: a float, a vector or a matrix.
Value: TypeAlias = float | tuple[float, ...] | tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Claim:
    """A word of judgement on screen, with the named rule that decided it and the figures it rests on."""

    words: str  # what the screen says
    rule: str  # the rule's name, e.g. "minimum: f' settled and f'' > 0"
    evidence: str  # the figures, e.g. "|f'(x_50)| = 8.6e-05 <= 1e-3 |f'(x_0)|; f'' = 2 > 0"


@dataclass(frozen=True)
class Shown:
    """One number, formula or claim on screen."""

    beat: int  # the beat (from 1) where it first appears
    name: str  # what it is, e.g. "f'(-2)"
    tex: str  # the TeX on screen
    exact: str  # its exact value: a SymPy TeX form, or the float64 value in full
    value: Value | None = None  # the float64 value: a number, a vector or a matrix
    claim: Claim | None = None  # for a word of judgement: its rule and evidence
    sympy: str = ""  # the exact value as SymPy text, where there is one

    @property
    def plain(self) -> str:
        """The on-screen TeX made readable as plain text (for tables and handouts)."""
        return plain_text(self.tex)


def written(value: float) -> str:
    """A lecturer's number as written in the series file (``0.125``, ``-2``): inputs are never rounded."""
    return text_of(value)


#: The most characters (commands and braces aside) f' with a point put in may have to be shown.
LONGEST_SUBSTITUTION = 24


def at_a_glance(substituted: str, exact: str) -> bool:
    """Whether f' with a point put in reads at a glance beside its exact value.

    It must be short, with no fraction or root in either: those stand tall, and the two would not fit
    one line at full size.
    """
    compact = re.sub(r"\\[A-Za-z]+|[{}\s]", "", substituted)
    return not re.search(r"\\frac|\\sqrt", substituted + exact) and len(compact) <= LONGEST_SUBSTITUTION


def slope_statement(x: str, substituted: str, exact: str) -> str:
    r"""``\text{slope } f'(-2) = 2 \cdot (-2) = -4``: f' at ``x`` with ``x`` put in, then its exact value.

    The substitution is left out where it is the exact value as written or does not read at a glance.
    """
    shown = f"{substituted} = {exact}" if substituted != exact and at_a_glance(substituted, exact) else exact
    return rf"\text{{slope }} f'({x}) = {shown}"


def given(beat: int, name: str, tex: str, value: float) -> Shown:
    r"""A lecturer's input on screen, ``\eta = 0.125``: as written, "=" to its exact value (``sympy`` 1/8)."""
    return Shown(beat, name, f"{tex} = {written(value)}", full(value), float(value), sympy=str(fraction(value)))


def _decimal(value: float, exact: Exact) -> Decimal | None:
    """The value to round: 50 digits of the exact value when known, else the float64's exact binary value."""
    if exact is not None:
        number = sp.N(exact, PRECISION)
        if number.is_real and number.is_finite:
            return Decimal(str(number))
    if not math.isfinite(value):
        return None
    return Decimal(float(value))


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _equal(exact: Exact, shown: Decimal) -> bool:
    """Whether the exact value is the decimal ``shown``, decided exactly."""
    if exact is None:
        return False
    target = sp.Rational(*Fraction(shown).as_integer_ratio())
    if exact.is_Rational:
        return bool(exact == target)
    if exact.is_rational is False or exact.free_symbols:
        return False
    return bool(sp.simplify(exact - target) == 0)


def _powers(number: Decimal) -> tuple[str, Decimal]:
    r"""``8.7 \times 10^{42}`` and the value it stands for."""
    exponent = number.adjusted()
    mantissa = number.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - MANTISSA), ROUND_HALF_UP)
    if abs(mantissa) >= 10:
        mantissa, exponent = (mantissa / 10).quantize(Decimal(1).scaleb(1 - MANTISSA)), exponent + 1
    return rf"{_plain(mantissa)} \times 10^{{{exponent}}}", mantissa.scaleb(exponent)


def _needs_powers(number: Decimal, places: int) -> bool:
    small = max(SMALL, Decimal(5).scaleb(-places - 1))
    return number != 0 and (abs(number) >= LARGE or abs(number) < small)


def decide(value: float, exact: Exact = None, places: int = 2, pad: bool = False) -> tuple[str, str]:
    r"""(relation, TeX digits) of a number shown with up to ``places`` decimals (exactly ``places`` with ``pad``).

    ``exact`` is its exact value (a SymPy number) when known: only then can the relation be "=".
    """
    number = _decimal(value, exact)
    if number is None:
        return APPROX, r"\infty" if value > 0 else r"-\infty" if value < 0 else r"\text{undefined}"
    if _needs_powers(number, places):
        text, stands_for = _powers(number)
    else:
        stands_for = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        text = format(stands_for, "f") if pad else _plain(stands_for)
        if pad and stands_for == 0:
            text = text.lstrip("-")
    return (EQUALS if _equal(exact, stands_for) else APPROX), text


def digits(value: float, places: int = 2, exact: Exact = None) -> str:
    """The digits shown for ``value`` (up to ``places`` decimals, or powers of ten), without a relation."""
    return decide(value, exact, places)[1]


def fixed(value: float, places: int, exact: Exact = None) -> str:
    """Exactly ``places`` decimals (for vectors and readouts whose columns line up)."""
    return decide(value, exact, places, pad=True)[1]


def number(value: float, places: int = 2, exact: Exact = None) -> str:
    r"""``= 4`` or ``\approx 0.84``: the relation and the digits, ready to follow a name."""
    return " ".join(decide(value, exact, places))


def relation(exact: Exact, shown: str) -> str:
    r"""``=`` if the plain decimal ``shown`` is the exact value, ``\approx`` otherwise."""
    try:
        return EQUALS if _equal(exact, Decimal(shown)) else APPROX
    except ArithmeticError:
        return APPROX


def vector(
    values: Sequence[float], places: int = 2, exact: Sequence[sp.Expr] | None = None, pad: bool = True
) -> tuple[str, str]:
    r"""(relation, TeX) of a vector: ``("=", "(3.0,\ 1.6)")``; "=" only when every entry is exact."""
    exacts: Sequence[Exact] = exact if exact is not None else [None] * len(values)
    decided = [decide(v, e, places, pad) for v, e in zip(values, exacts, strict=True)]
    equal = all(rel == EQUALS for rel, _ in decided)
    return (EQUALS if equal else APPROX), "(" + r",\ ".join(text for _, text in decided) + ")"


def live(value: float, places: int, sign: bool = False, exact: bool = True) -> tuple[str, str]:
    """(relation, digits) of a live readout, redrawn every frame: fixed decimals (a sign if asked).

    With ``exact``, the float64 is the quantity itself (a point placed on a curve, a step count), and
    the readout says "=" when it is the digits shown exactly. Without it (an iterate of a walk,
    whose float64 only approximates the true iterate), it always says "≈". Never "= 0" for a value
    that rounds to zero.
    """
    shown = f"{value:+.{places}f}" if sign else f"{value:.{places}f}"
    if float(shown) == 0:  # no "-0.00"
        shown = shown.replace("-", "+" if sign else "")
    equal = exact and abs(value) < LARGE and float(shown) == value
    return (EQUALS if equal else APPROX), shown


def fit_readout(values: Any, what: str, field: str) -> None:
    """Refuse a lesson whose live readout would need more digits than a readout shows (``MathError``).

    Readouts show fixed decimals below a million; a value beyond that (or not finite) is named with
    the field that leads to it.
    """
    peak = float(np.max(np.abs(np.asarray(values, dtype=float)))) if np.size(values) else 0.0
    if not math.isfinite(peak) or peak >= float(LARGE):
        size = "not finite" if not math.isfinite(peak) else f"{peak:.2g}"
        raise MathError(f"{what} reaches {size}: a live readout shows values below 1e+06 only", field)


def full(value: float) -> str:
    """A float64 in full, as Python writes it: the exact value when no closed form is known."""
    return repr(float(value))


def as_data(values: Any) -> Value:
    """A float, a vector or a matrix of float64s as plain tuples (for ``Shown.value``)."""
    if isinstance(values, int | float):
        return float(values)
    return tuple(as_data(v) for v in values)  # type: ignore[return-value]


def said(item: Shown) -> str:
    """``item``'s text on screen marked as math (``$...$``) for a picture's description, which reads it in words."""
    return f"${item.tex}$"


def said_all(items: dict[str, Shown], *keys: str) -> str:
    """The records of ``keys`` that exist, as ``said``, joined by commas."""
    return ", ".join(said(items[key]) for key in keys if key in items)


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
        r"\sum": "Σ",
        r"\hat y": "ŷ",
        r"\pi": "π",
    }

    def matrix(found: re.Match[str]) -> str:
        rows = found[1].split("\\\\")
        return "[" + ", ".join("[" + ", ".join(cell.strip() for cell in row.split("&")) + "]" for row in rows) + "]"

    text = re.sub(r"\s+\\right", r"\\right", tex)  # cos(2), not cos(2 )
    text = re.sub(r"\\(max|min)(?![A-Za-z])", r"\1", text)  # λ_max, not λ_(\max)
    text = re.sub(r"(?:\\left\[)?\\begin\{matrix\}(.*?)\\end\{matrix\}(?:\\right\])?", matrix, text)
    # Innermost groups first, so nested forms read right: 3 e^{\frac{1}{2}} / 2 is "(3 e^(1/2))/2".
    fraction = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    script = re.compile(r"([\^_])\{([^{}]*)\}")
    root = re.compile(r"\\sqrt\{([^{}]*)\}")
    argument = re.compile(r"\{(\\left\([^{}]*\\right\))\}")  # a function's: \cosh^{2}{\left(1\right)}

    def grouped(part: str) -> str:
        return part if re.fullmatch(r"-?[\w.]+|-?\\[A-Za-z]+|\(.*\)", part.strip()) else f"({part.strip()})"

    previous = None
    while previous != text:
        previous = text
        text = fraction.sub(lambda m: f"{grouped(m[1])}/{grouped(m[2])}", text)
        text = script.sub(lambda m: m[1] + grouped(m[2]), text)
        text = root.sub(lambda m: f"sqrt({m[1].strip()})", text)
        text = argument.sub(r"\1", text)
    for source, target in replacements.items():
        text = text.replace(source, target)
    for command in (r"\text", r"\mathrm"):
        text = text.replace(command, "")
    for command in (r"\sinh", r"\cosh", r"\tanh", r"\sin", r"\cos", r"\tan", r"\exp", r"\log", r"\sqrt"):
        text = text.replace(command, command[1:])
    text = text.replace("{", "").replace("}", "")
    return " ".join(re.sub(r"\s*/\s*", "/", text).split())
