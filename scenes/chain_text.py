"""The chain template's text: every number and formula it shows, from the math core, as shown.

One notation throughout: dy/du for the local rates, forward and backward (the backward pass
carries the same rates from y to x). Each mesh turns the driven gear the other way, so the
ratios carry their signs.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from lessons.templates import ChainLesson
from mathcore.chain import ChainClip, chain_clip
from mathcore.types import F64Array
from scenes.shown import EQUALS, Shown, decide, digits, full, given, live, number, said, said_all, written

#: How far C turns during the first beat, at most, in degrees (A turns this over the train's ratio).
C_TURN = 360.0
A_TURN_LIMITS = (5.0, 90.0)


def turn_degrees(lesson: ChainLesson) -> float:
    """How far A turns in the first beat: C makes one turn, if A's turn stays readable."""
    a, b, b2, c = lesson.teeth
    ratio = abs(a * b2 / (b * c))
    return float(np.clip(C_TURN / ratio, *A_TURN_LIMITS))


def compute(lesson: ChainLesson, theta_a: F64Array | None = None) -> ChainClip:
    """The math core's answer for this lesson (one jitted call); ``theta_a`` defaults to the turn's ends."""
    thetas = np.array([0.0, turn_degrees(lesson)]) if theta_a is None else theta_a
    return chain_clip(lesson.inner, lesson.outer, lesson.x0, lesson.teeth, thetas, lesson.window)


def _value(formula: str, exact: str, value: float, exact_value: sp.Expr) -> str:
    r"""``2 u = 2`` or ``3 x = 0.3`` when the digits are the value; ``\cos{(u)} = \cos{(1)} \approx 0.54`` otherwise.

    A step that says what the one before it said is left out: a linear inner's du/dx is ``3``, not ``3 = 3``.
    """
    relation, shown = decide(value, exact_value)
    steps = [formula, shown] if relation == EQUALS else [formula, exact]
    said = " = ".join(step for i, step in enumerate(steps) if i == 0 or step != steps[i - 1])
    return said if relation == EQUALS else f"{said} {relation} {shown}"


def _product(factors: list[tuple[float, sp.Expr]], result: float, exact: sp.Expr) -> str:
    r"""``= 2 \cdot 0.54 \approx 1.08``: "≈" before the factors when any of them is rounded."""
    decided = [decide(value, value_exact) for value, value_exact in factors]
    relation = EQUALS if all(r == EQUALS for r, _ in decided) else r"\approx"
    return rf"{relation} " + r" \cdot ".join(d for _, d in decided) + f" {number(result, exact=exact)}"


def shown(lesson: ChainLesson, math: ChainClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    g, gr = math.gears, math.graph
    ex, values = gr.exact_tex, gr.exact
    x = written(lesson.x0)
    items: dict[str, Shown] = {}
    a, b, b2, c = g.teeth
    items["teeth"] = Shown(1, "teeth", f"teeth  A {a}, B {b}  ·  B' {b2}, C {c}", f"{a}, {b}, {b2}, {c}")
    for name, angles in (("A", g.angle_a), ("B", g.angle_b), ("C", g.angle_c)):
        sign, shown_digits = live(float(angles[-1]), 2, sign=True)
        items[f"angle-{name}"] = Shown(
            1, f"θ_{name} at the end of the turn", rf"\theta_{name} {sign} {shown_digits}^\circ", full(angles[-1])
        )
    items["ratio"] = Shown(
        1,
        "dθ_C/dθ_A",
        rf"\frac{{d\theta_C}}{{d\theta_A}} = \frac{{d\theta_B}}{{d\theta_A}} \cdot \frac{{d\theta_C}}{{d\theta_B}}"
        rf" = ({g.ratio_tex['ab']})({g.ratio_tex['bc']}) = {g.ratio_tex['ac']}",
        g.ratio_tex["ac"],
        g.ratio_ac,
    )
    items["node-x"] = given(2, "x", "x", lesson.x0)
    items["node-u"] = Shown(2, "u", f"u = {_value(gr.inner_tex, ex['u'], gr.u, values['u'])}", ex["u"], gr.u)
    items["node-y"] = Shown(2, "y", f"y = {_value(gr.outer_tex, ex['y'], gr.y, values['y'])}", ex["y"], gr.y)
    items["du/dx"] = Shown(
        2,
        "du/dx",
        rf"\frac{{du}}{{dx}} = {_value(gr.du_dx_tex, ex['du/dx'], gr.du_dx, values['du/dx'])}",
        ex["du/dx"],
        gr.du_dx,
    )
    items["dy/du"] = Shown(
        2,
        "dy/du",
        rf"\frac{{dy}}{{du}} = {_value(gr.dy_du_tex, ex['dy/du'], gr.dy_du, values['dy/du'])}",
        ex["dy/du"],
        gr.dy_du,
    )
    du_dx, dy_du, dy_dx = (gr.du_dx, values["du/dx"]), (gr.dy_du, values["dy/du"]), values["dy/dx"]
    items["product"] = Shown(
        3,
        "dy/dx",
        rf"\frac{{dy}}{{dx}} = \frac{{du}}{{dx}} \cdot \frac{{dy}}{{du}} {_product([du_dx, dy_du], gr.dy_dx, dy_dx)}",
        ex["dy/dx"],
        gr.dy_dx,
        sympy=sp.sstr(dy_dx),
    )
    exact_digits = decide(gr.dy_dx, dy_dx, 4)
    if decide(gr.dy_dx, dy_dx)[0] != EQUALS:  # the product ends rounded: its exact value under it (else it says it)
        items["exact"] = Shown(
            3,
            "dy/dx exactly",
            f"= {ex['dy/dx']}" + ("" if ex["dy/dx"] == exact_digits[1] else " " + " ".join(exact_digits)),
            ex["dy/dx"],
            gr.dy_dx,
        )
    seed, through_u, at_x = gr.backward
    items["back-y"] = Shown(4, "dy/dy", rf"\frac{{dy}}{{dy}} = {digits(seed, exact=sp.Integer(1))}", full(seed), seed)
    items["back-u"] = Shown(
        4,
        "dy/du backward",
        rf"\frac{{dy}}{{du}} {_product([(seed, sp.Integer(1)), dy_du], through_u, values['dy/du'])}",
        ex["dy/du"],
        through_u,
    )
    items["back-x"] = Shown(
        4,
        "dy/dx backward",
        rf"\frac{{dy}}{{dx}} {_product([(through_u, values['dy/du']), du_dx], at_x, dy_dx)}",
        ex["dy/dx"],
        at_x,
    )
    items["curve"] = Shown(4, "the composition", f"y = {gr.composed_tex}", gr.composed_tex)
    items["slope"] = Shown(
        4, f"slope at x = {x}", rf"\text{{slope at }} x = {x} {number(gr.dy_dx, exact=dy_dx)}", ex["dy/dx"], gr.dy_dx
    )
    return items


def pictures(lesson: ChainLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    return {
        1: f"Three meshed gears A, B and C, {said(items['teeth'])}, turn together; their angles read"
        f" {said_all(items, 'angle-A', 'angle-B', 'angle-C')}. Below: {said(items['ratio'])}.",
        2: f"A computation graph of three boxes, {said_all(items, 'node-x', 'node-u', 'node-y')}, joined left to right"
        f" by arrows labelled {said(items['du/dx'])} and {said(items['dy/du'])}.",
        3: f"The two arrow labels multiply: {said(items['product'])}"
        + (f"; exactly, {said(items['exact'])}." if "exact" in items else "."),
        4: f"The arrows light up from y back to x: {said_all(items, 'back-y', 'back-u', 'back-x')}. Then the curve"
        f" {said(items['curve'])} with its tangent line at $x = {written(lesson.x0)}$: {said(items['slope'])}.",
    }
