"""Numbers as the lecturer wrote them: ``0.125`` is 1/8 and ``0.1`` is 1/10, never the nearest double.

The series file's numbers are read as decimal text (``tomllib``'s ``parse_float``); a ``Written``
is the float64 that the math core computes with, carrying that text, so the exact value goes into
SymPy and the screen shows the number as written. Pure Python: no SymPy, no JAX.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any


class Written(float):
    """A float64 that remembers the decimal text it was written as (``Written("0.125")``)."""

    text: str

    def __new__(cls, text: str | Decimal | int | float) -> Written:
        """The number written as ``text`` (a float is taken as its shortest repr)."""
        source = repr(text) if isinstance(text, float) and not isinstance(text, Written) else str(text)
        try:
            decimal = Decimal(source)
        except InvalidOperation:
            raise ValueError(f"{source!r} is not a decimal number") from None
        self = super().__new__(cls, float(decimal))
        self.text = _plain(decimal)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its text, so worker processes see the same number."""
        return (Written, (self.text,))

    def __repr__(self) -> str:
        """Its float64 repr (so JSON and keys see a plain float)."""
        return float.__repr__(self)


def _plain(decimal: Decimal) -> str:
    """Decimal text without exponent or trailing zeros: ``1.50`` → ``1.5``, ``1e-3`` → ``0.001``."""
    text = format(decimal.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_of(value: float) -> str:
    """A number as written: the lecturer's text for a ``Written``, ``-2`` for -2.0, else its shortest repr."""
    if isinstance(value, Written):
        return value.text
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return _plain(Decimal(repr(float(value))))


def fraction(value: float) -> Fraction:
    """The exact rational a number was written as (``0.1`` → 1/10)."""
    return Fraction(text_of(value))
