"""The tangent template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mathcore.derivative import DerivativeClip, derivative_clip
from mathcore.types import F64Array
from scenes.shown import APPROX, EQUALS, Shown, digits, full, is_exact, live, number, relation

#: |f'| from which a slope reads as steep.
STEEP = 3.0


def flat_stops(lesson: Mapping[str, Any]) -> tuple[float, ...]:
    """Every stop in order, from the lesson's groups."""
    return tuple(x for group in lesson["stops"] for x in group)


def compute(lesson: Mapping[str, Any], legs: Sequence[F64Array] = ()) -> DerivativeClip:
    """The math core's answer for this lesson (one jitted call)."""
    return derivative_clip(lesson["f"], flat_stops(lesson), legs, lesson["run"], lesson["window"])


def beat_of_stop(lesson: Mapping[str, Any]) -> list[int]:
    """The beat (from 1) in which each stop is reached: beat 1 is the curve, beat 2 the first stop."""
    return [2 + g for g, group in enumerate(lesson["stops"]) for _ in group]


def remark(slope: float, curvature: float, previous: float | None) -> str:
    """What a slope means, in words: derived from its sign, its size and the slope before it."""
    if slope == 0:
        if curvature > 0:
            return "bottomed out: the tangent is horizontal"
        if curvature < 0:
            return "topped out: the tangent is horizontal"
        return "flat: the tangent is horizontal"
    direction = "falling" if slope < 0 else "climbing"
    if previous is not None and previous != 0 and (previous < 0) == (slope < 0):
        if abs(slope) < abs(previous):
            return f"{direction}, less steeply"
        if abs(slope) > abs(previous):
            return f"{direction}, more steeply"
        return f"{direction}, just as steeply"
    if abs(slope) >= STEEP:
        return f"{direction} steeply"
    return f"{direction}: the tangent points {'down' if slope < 0 else 'up'}"


def shown(lesson: Mapping[str, Any], math: DerivativeClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    last = 2 + len(lesson["stops"])
    items: dict[str, Shown] = {
        "f": Shown(1, "f(x)", f"f(x) = {math.f_tex}", lesson["f"]),
        "rule": Shown(1, "f'(x)", f"f'(x) = {math.slope_tex}", math.slope_tex),
    }
    previous: float | None = None
    for i, (stop, beat) in enumerate(zip(math.stops, beat_of_stop(lesson), strict=True)):
        p = stop.point
        x = digits(p.x)
        value = digits(p.slope)
        middle = "" if stop.substituted == stop.slope_exact else f"{stop.substituted} = "
        items[f"stop-{i}"] = Shown(
            beat,
            f"f'({x})",
            rf"\text{{slope }} f'({x}) = {middle}{stop.slope_exact}"
            + ("" if stop.slope_exact == value else rf" {relation(p.slope, value)} {value}"),
            stop.slope_exact,
            p.slope,
        )
        items[f"remark-{i}"] = Shown(beat, f"remark at x = {x}", remark(p.slope, stop.curvature, previous), "")
        for name, key, val in (("x", "x", p.x), ("f(x)", "f", p.f), ("f'(x)", "slope", p.slope)):
            items[f"readout-{i}-{key}"] = Shown(
                beat, f"readout {name} at x = {x}", f"{name} {' '.join(live(val, 2))}", full(val)
            )
        previous = p.slope
    t = math.triangle
    rise, run = digits(t.rise), digits(t.run)
    legs = EQUALS if is_exact(t.rise, rise) and is_exact(t.run, run) else APPROX
    ratio = rf"\frac{{\Delta y}}{{\Delta x}} {legs} \frac{{{rise}}}{{{run}}}"
    items["triangle"] = Shown(
        2,
        "rise / run",
        rf"\text{{slope}} = {ratio} {number(t.slope)} = \tan\theta",
        full(t.slope),
        t.slope,
    )
    items["trace"] = Shown(last, "the traced graph", f"f'(x) = {math.slope_tex}", math.slope_tex)
    return items
