"""Typed lesson parameters with documented bounds, checked once where a series file is read.

A ``Param`` names a field of a clip's entry, what kind of value it takes and its bounds; its
``kind`` turns the raw TOML value into a frozen Python value or raises ``FieldError`` saying what
is wrong. Nothing here imports manim, SymPy or JAX.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mathcore.exact import Written, text_of
from mathcore.expressions import ExpressionError, check


class FieldError(ValueError):
    """A value that does not fit its field; the message says why (the caller adds where)."""


Kind = Callable[[Any], Any]
REQUIRED: Any = object()


@dataclass(frozen=True)
class Param:
    """One field of a lesson: its name, kind, default (``REQUIRED`` if none) and what it means."""

    name: str
    kind: Kind
    doc: str
    default: Any = REQUIRED


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and math.isfinite(value)


def _written(value: Any) -> Written | None:
    """The number as written (a TOML float arrives as its ``Decimal`` text), or None if it is not one."""
    return Written(value) if _is_number(value) else None


def number(low: float, high: float) -> Kind:
    """A finite number in ``[low, high]``, kept as written."""

    def convert(value: Any) -> float:
        written = _written(value)
        if written is None:
            raise FieldError(f"expected a number, got {_shown(value)}")
        if not low <= written <= high:
            raise FieldError(f"{written.text} is outside [{low:g}, {high:g}]")
        return written

    convert.__doc__ = f"a number in [{low:g}, {high:g}]"
    return convert


def positive(high: float) -> Kind:
    """A number in ``(0, high]``."""

    def convert(value: Any) -> float:
        written = _written(value)
        if written is None or not 0 < written <= high:
            raise FieldError(f"expected a number in (0, {high:g}], got {_shown(value)}")
        return written

    convert.__doc__ = f"a number in (0, {high:g}]"
    return convert


def _shown(value: Any) -> str:
    """A raw value as the lecturer wrote it, for an error message."""
    return text_of(Written(value)) if isinstance(value, Decimal) and value.is_finite() else repr(value)


def integer(low: int, high: int) -> Kind:
    """A whole number in ``[low, high]``."""

    def convert(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise FieldError(f"expected a whole number, got {_shown(value)}")
        if not low <= value <= high:
            raise FieldError(f"{value!r} is outside [{low}, {high}]")
        return value

    convert.__doc__ = f"a whole number in [{low}, {high}]"
    return convert


def sequence(item: Kind, low: int, high: int) -> Kind:
    """A list of ``low`` to ``high`` items of one kind, as a tuple."""

    def convert(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise FieldError(f"expected a list, got {_shown(value)}")
        if not low <= len(value) <= high:
            count = f"{low}" if low == high else f"{low} to {high}"
            raise FieldError(f"expected {count} items, got {len(value)}")
        converted = []
        for index, element in enumerate(value):
            try:
                converted.append(item(element))
            except FieldError as error:
                raise FieldError(f"item {index + 1}: {error}") from None
        return tuple(converted)

    count = f"{low}" if low == high else f"{low} to {high}"
    convert.__doc__ = f"a list of {count} items, each {item.__doc__}"
    return convert


def interval(low: float, high: float, min_width: float) -> Kind:
    """``[a, b]`` with ``low <= a``, ``b <= high`` and ``b - a >= min_width``."""
    pair = sequence(number(low, high), 2, 2)

    def convert(value: Any) -> tuple[float, float]:
        a, b = pair(value)
        if b - a < min_width:
            raise FieldError(f"[{text_of(a)}, {text_of(b)}] must be at least {min_width:g} wide, lowest first")
        return (a, b)

    convert.__doc__ = f"[low, high] within [{low:g}, {high:g}], at least {min_width:g} wide"
    return convert


def expression(*variables: str) -> Kind:
    """A formula in ``variables`` (see ``mathcore.expressions``)."""

    def convert(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f'expected a formula as text, e.g. "x**2", got {value!r}')
        try:
            return check(value, variables)
        except ExpressionError as error:
            raise FieldError(str(error)) from None

    convert.__doc__ = f"a formula in {', '.join(variables)}, as text"
    return convert


def _as_toml(value: Any) -> str:
    """A default as it would be written in the series file: ``[-3, 3]``, ``30``."""
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_as_toml(v) for v in value) + "]"
    if isinstance(value, float):
        return text_of(value)
    return repr(value)


def describe(params: Sequence[Param]) -> list[str]:
    """One line per field: name, kind and bounds, default, meaning (for ``primer templates``)."""
    lines = []
    for p in params:
        if p.default is REQUIRED:
            default = "required"
        elif p.default is None:
            default = "optional"
        else:
            default = f"default {_as_toml(p.default)}"
        lines.append(f"{p.name}: {p.kind.__doc__}; {default}. {p.doc}")
    return lines
