"""The tangent template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from lessons.templates import TangentLesson
from mathcore.symbolic import exact_number
from mathcore.tangent import DerivativeClip, derivative_clip
from mathcore.types import F64Array
from scenes.claims import slope_remark
from scenes.shown import (
    APPROX,
    EQUALS,
    Shown,
    decide,
    fit_readout,
    full,
    live,
    number,
    said,
    said_all,
    slope_statement,
    written,
)


def flat_stops(lesson: TangentLesson) -> tuple[float, ...]:
    """Every stop in order, from the lesson's groups."""
    return tuple(x for group in lesson.stops for x in group)


def compute(lesson: TangentLesson, legs: Sequence[F64Array] = ()) -> DerivativeClip:
    """The math core's answer for this lesson (one jitted call); refused if a readout could not show it."""
    math = derivative_clip(lesson.f, flat_stops(lesson), legs, lesson.run, lesson.window)
    stops = flat_stops(lesson)
    travelled = (math.curve.x >= min(stops)) & (math.curve.x <= max(stops))
    fit_readout(math.curve.f[travelled], "f(x) between the stops", "stops")
    fit_readout(math.curve.slope[travelled], "f'(x) between the stops", "stops")
    return math


def beat_of_stop(lesson: TangentLesson) -> list[int]:
    """The beat (from 1) in which each stop is reached: beat 1 is the curve, beat 2 the first stop."""
    return [2 + g for g, group in enumerate(lesson.stops) for _ in group]


def shown(lesson: TangentLesson, math: DerivativeClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    last = 2 + len(lesson.stops)
    items: dict[str, Shown] = {
        "f": Shown(1, "f(x)", f"f(x) = {math.f_tex}", lesson.f),
        "rule": Shown(1, "f'(x)", f"f'(x) = {math.slope_tex}", math.slope_tex),
    }
    previous: sp.Expr | None = None
    for i, (stop, beat, written_x) in enumerate(zip(math.stops, beat_of_stop(lesson), flat_stops(lesson), strict=True)):
        p = stop.point
        x = written(written_x)
        relation, value = decide(p.slope, stop.slope_value)
        tail = "" if stop.slope_exact == value else rf" {relation} {value}"
        statement = slope_statement(x, stop.substituted, stop.slope_exact) + tail
        items[f"stop-{i}"] = Shown(
            beat,
            f"f'({x})",
            statement,
            stop.slope_exact,
            p.slope,
            sympy=sp.sstr(stop.slope_value),
        )
        claim = slope_remark(stop.slope_value, stop.curvature_value, previous)
        items[f"remark-{i}"] = Shown(beat, f"remark at x = {x}", claim.words, "", claim=claim)
        for name, key, val in (("x", "x", p.x), ("f(x)", "f", p.f), ("f'(x)", "slope", p.slope)):
            items[f"readout-{i}-{key}"] = Shown(
                beat, f"readout {name} at x = {x}", f"{name} {' '.join(live(val, 2))}", full(val)
            )
        previous = stop.slope_value
    t = math.triangle
    run_exact = exact_number(lesson.run if lesson.run is not None else t.run)
    slope_exact = math.stops[0].slope_value
    rise_relation, rise = decide(t.rise, slope_exact * run_exact)
    run_relation, run = decide(t.run, run_exact)
    legs = EQUALS if rise_relation == run_relation == EQUALS else APPROX
    ratio = rf"\frac{{\Delta y}}{{\Delta x}} {legs} \frac{{{rise}}}{{{run}}}"
    items["triangle"] = Shown(
        2,
        "rise / run",
        rf"\text{{slope}} = {ratio} {number(t.slope, exact=slope_exact)} = \tan\theta",
        full(t.slope),
        t.slope,
        sympy=sp.sstr(slope_exact),
    )
    items["trace"] = Shown(last, "the traced graph", f"f'(x) = {math.slope_tex}", math.slope_tex)
    return items


def pictures(lesson: TangentLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    left, right = (written(v) for v in lesson.window)
    curve = f"The curve {said(items['f'])} is drawn for $x$ from ${left}$ to ${right}$"
    found = {1: f"{curve}, beside {said(items['rule'])}."}
    for i, beat in enumerate(beat_of_stop(lesson)):
        readouts = said_all(items, f"readout-{i}-x", f"readout-{i}-f", f"readout-{i}-slope")
        found[beat] = (
            found.get(beat, "") + f" A dot on the curve with its tangent line stops at {readouts}:"
            f" {said(items[f'stop-{i}'])}, {said(items[f'remark-{i}'])}."
        ).strip()
    found[2] += (
        " A right triangle under the tangent marks the run Delta x and the rise Delta y, and the angle theta"
        f" the line makes with the x-axis: {said(items['triangle'])}."
    )
    found[2 + len(lesson.stops)] = f"The slope at each x is traced as a second graph below: {said(items['trace'])}."
    return found
