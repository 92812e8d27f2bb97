"""Round numbers for contour levels and axis ranges: steps of 1, 2 or 5 times a power of ten."""

from __future__ import annotations

import math


def nice_step(span: float, count: int) -> float:
    """The round step that cuts ``span`` into about ``count`` pieces."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= raw:
            return factor * power
    return 10.0 * power


def nice_floor(value: float, factors: tuple[float, ...] = (1.0, 2.0, 5.0)) -> float:
    """The largest of ``factors`` times a power of ten that is at most ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return max(f * power for f in factors if f * power <= value * (1 + 1e-12))


def nice_range(low: float, high: float, count: int = 5) -> tuple[float, float, float]:
    """(start, end, step): round numbers around ``[low, high]`` with about ``count`` steps between."""
    if high <= low:
        high = low + 1.0
    step = nice_step(high - low, count)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def nice_levels(low: float, high: float, count: int = 6) -> tuple[float, ...]:
    """About ``count`` round levels strictly between ``low`` and ``high``."""
    step = nice_step(high - low, count)
    first = math.floor(low / step) * step + step
    levels = []
    level = first
    while level < high - 1e-9 * step:
        levels.append(round(level, 12) + 0.0)
        level += step
    return tuple(levels)
