"""The curvature template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from lessons.templates import CurvatureLesson
from mathcore.curvature import Curvature, CurvatureClip, curvature_clip
from mathcore.errors import MathError
from mathcore.symbolic import exact_number, latex
from scenes.claims import heading
from scenes.shown import EQUALS, Shown, as_data, digits, full, given, number, said, said_all, vector, written

#: What each kind of point is, in words.
KINDS = {
    "saddle": "a saddle, not a minimum: up one way, down the other",
    "bowl": "a bowl: up every way, a minimum",
    "cap": "a cap: down every way, a maximum",
    "flat": "flat one way: the Hessian cannot tell",
}
#: The same where the gradient is not 0 (``Curvature.sloped``): its curvature there, never a minimum or maximum.
SLOPED = {
    "saddle": "here it curves up one way, down the other; its gradient is not 0: no flat point here",
    "bowl": "here it curves up every way, but its gradient is not 0: no minimum here",
    "cap": "here it curves down every way, but its gradient is not 0: no maximum here",
    "flat": "here it is flat one way, and its gradient is not 0: no flat point here",
}


def compute(lesson: CurvatureLesson) -> CurvatureClip:
    """The math core's answer for this lesson (one jitted call); refused if the probe stands on a flat point."""
    math = curvature_clip(
        lesson.f,
        lesson.bowl,
        lesson.point,
        lesson.probe,
        lesson.window,
        lesson.map,
        lesson.side,
        lesson.cubic,
    )
    if all(v == 0 for v in math.flow_exact):  # the probe stands on a flat point (the one, or one of several)
        where = ", ".join(written(v) for v in lesson.probe)
        raise MathError(f"the probe ({where}) is a flat point: no arrow points there; choose another probe", "probe")
    return math


#: A point with rational coordinates is written as fractions when every denominator is at most this.
SMALL_DENOMINATOR = 12


def pair(values: tuple[float, float]) -> str:
    r"""``(1,\ 2)``: a point as written in the lesson."""
    return rf"({written(values[0])},\ {written(values[1])})"


def value_pair(values: tuple[float, float], exact: tuple[sp.Expr, sp.Expr] | None = None) -> tuple[str, str]:
    r"""(relation, TeX) of a computed pair: ``("=", "(8,\ 7)")``, or ``("=", "(\frac{1}{6},\ -\frac{1}{3})")``.

    Exact rationals with small denominators that decimals would round are written as fractions;
    otherwise up to two decimals, "≈" when an entry is rounded or not known exactly.
    """
    relation, shown = vector(values, 2, exact, pad=False)
    if relation != EQUALS and exact is not None and all(v.is_Rational and v.q <= SMALL_DENOMINATOR for v in exact):
        return EQUALS, "(" + r",\ ".join(latex(v) for v in exact) + ")"
    return relation, shown


def direction(curvature: Curvature, i: int) -> str:
    """The i-th eigen-direction: whole numbers when they are, else the unit vector rounded."""
    if curvature.exact_directions:
        return curvature.directions_tex[i]
    return r"\approx " + value_pair(tuple(curvature.directions[i]))[1]


def profile(curvature: Curvature, i: int) -> str:
    """F along the i-th direction from the point, minus f there: exact, or λ/2 t² to second order."""
    if curvature.exact_directions:
        return f"= {curvature.profiles_tex[i]}"
    return rf"\approx {digits(curvature.eigenvalues[i] / 2)}\,t^{{2}}"


def label(values: tuple[float, float], exact: tuple[sp.Expr, sp.Expr] | None = None) -> str:
    r"""A point's label on the plot: ``(0,\ 0)``, or ``\approx (0.29,\ -0.14)`` when rounded."""
    relation, shown = value_pair(values, exact)
    return shown if relation == EQUALS else rf"\approx {shown}"


def _written(point: tuple[float, float]) -> tuple[sp.Expr, sp.Expr]:
    """A lesson's point, exactly as written."""
    return (exact_number(point[0]), exact_number(point[1]))


def _eigen(curvature: Curvature, beat: int, key: str, name: str) -> dict[str, Shown]:
    items = {}
    for i in range(2):
        value, along = curvature.eigenvalues_tex[i], direction(curvature, i)
        items[f"{key}-eigen-{i}"] = Shown(
            beat,
            f"{name}: eigenvalue {i + 1}",
            rf"\lambda_{{{i + 1}}} = {value} \text{{ along }} {along}",
            value,
            curvature.eigenvalues[i],
        )
    return items


def shown(lesson: CurvatureLesson, math: CurvatureClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    gx, gy = math.gradient_tex
    sign, gradient = value_pair(math.gradient, math.gradient_exact)
    flow_sign, flow = value_pair(math.flow, math.flow_exact)
    point, probe = pair(lesson.point), pair(lesson.probe)
    at, probe_at = (f"({written(v[0])}, {written(v[1])})" for v in (lesson.point, lesson.probe))
    curv = math.curvature
    items = {
        "f": Shown(1, "g(x, y)", f"g(x, y) = {math.f_tex}", lesson.f),
        "gradient": Shown(1, "∇g", rf"\nabla g = ({gx},\ {gy})", f"({gx}, {gy})"),
        "at-point": Shown(
            1,
            f"∇g{at}",
            rf"\nabla g{point} {sign} {gradient}",
            str([full(v) for v in math.gradient]),
            as_data(math.gradient),
            sympy=sp.sstr(list(math.gradient_exact)),
        ),
        "flow": Shown(
            1,
            f"−∇g{probe_at}",
            rf"-\nabla g{probe} {flow_sign} {flow}",
            str([full(v) for v in math.flow]),
            as_data(math.flow),
            sympy=sp.sstr(list(math.flow_exact)),
        ),
        "probe-label": Shown(1, "the probe's label", probe, probe_at, as_data(math.probe)),
    }
    if math.critical is not None and math.critical_exact is not None:
        centre_relation, centre = value_pair(math.critical, math.critical_exact)
        towards = [c - exact_number(p) for c, p in zip(math.critical_exact, lesson.probe, strict=True)]
        claim = heading(math.flow_exact, towards)
        items["heading"] = Shown(
            1,
            "where −∇g points",
            rf"\text{{it points {claim.words} }} c {centre_relation} {centre}\text{{, where }} \nabla g = 0",
            f"c = ({latex(math.critical_exact[0])}, {latex(math.critical_exact[1])})",
            as_data(math.critical),
            claim=claim,
            sympy=sp.sstr(list(math.critical_exact)),
        )
        items["centre-label"] = Shown(
            1, "c's label", label(math.critical, math.critical_exact), items["heading"].exact, as_data(math.critical)
        )
        along = direction(curv, 0).removeprefix(r"\approx ")
        items["profile"] = Shown(
            1,
            "g along direction 1",
            rf"g\big(c + t\,{along}\big) - g(c) {profile(curv, 0)}",
            curv.profiles_tex[0],
        )
    items["verdict"] = Shown(1, "what the field says", (SLOPED if curv.sloped else KINDS)[curv.kind], curv.kind)
    items["hessian"] = Shown(2, "H", rf"H = {curv.matrix_tex}", curv.matrix_tex, as_data(curv.matrix))
    items.update(_eigen(curv, 2, "f", "H"))
    for i in range(2):
        items[f"f-profile-{i}"] = Shown(
            2,
            f"g along direction {i + 1}",
            rf"\text{{along }} {direction(curv, i)}:\ \Delta g {profile(curv, i)}",
            curv.profiles_tex[i],
        )
    bowl = math.bowl
    items["bowl"] = Shown(
        2,
        "the contrast",
        rf"{bowl.f_tex}:\ H = {bowl.matrix_tex},\ \lambda = {bowl.eigenvalues_tex[0]},\ {bowl.eigenvalues_tex[1]}",
        bowl.matrix_tex,
    )
    items["bowl-verdict"] = Shown(
        2, "what the contrast's Hessian says", (SLOPED if bowl.sloped else KINDS)[bowl.kind], bowl.kind
    )
    f1, f2 = math.map_tex
    items["map"] = Shown(3, "F(x, y)", rf"F(x, y) = \left({f1},\ {f2}\right)", f"({f1}, {f2})")
    items["jacobian"] = Shown(3, "J_F", rf"J_F = {math.jacobian_tex}", math.jacobian_tex)
    items["jacobian-at"] = Shown(
        3, f"J_F{at}", rf"J_F{point} = {math.jacobian_at_tex}", math.jacobian_at_tex, as_data(math.jacobian)
    )
    items["det"] = Shown(
        3,
        "det J_F",
        rf"\det J_F {number(math.determinant, 4, math.determinant_exact)}",
        math.determinant_tex,
        math.determinant,
        sympy=sp.sstr(math.determinant_exact),
    )
    side = given(3, "the square's side", r"\text{square of side}", lesson.side)
    items["side"] = replace(side, tex=rf"\text{{square of side }} {written(lesson.side)}")
    h1, h2 = math.cubic_gradient_tex
    items["cubic"] = Shown(4, "h(x, y)", f"h(x, y) = {math.cubic_tex}", lesson.cubic)
    items["cubic-gradient"] = Shown(4, "∇h", rf"\nabla h = ({h1},\ {h2})", f"({h1}, {h2})")
    items["cubic-hessian"] = Shown(
        4, "H_h", rf"H_h = J_{{\nabla h}} = {math.cubic_hessian_tex}", math.cubic_hessian_tex
    )
    items["cubic-at"] = Shown(
        4,
        f"H_h{at}",
        rf"H_h{point} = {math.cubic_hessian_at_tex}",
        math.cubic_hessian_at_tex,
        as_data(math.cubic_hessian),
    )
    return items


def pictures(lesson: CurvatureLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    eigen = said_all(items, *(key for key in items if key.startswith(("f-eigen-", "f-profile-"))))
    return {
        1: f"Arrows of minus the gradient over the plane, for {said(items['f'])}, {said(items['gradient'])};"
        f" {said(items['at-point'])}. One arrow is singled out at {said(items['probe-label'])}:"
        f" {said(items['flow'])}; " + said_all(items, "heading", "centre-label", "profile", "verdict") + ".",
        2: f"{said(items['hessian'])}, with dashed lines along its eigen-directions: {eigen}. Beside it,"
        f" {said(items['bowl'])}: {said(items['bowl-verdict'])}.",
        3: f"{said(items['map'])}, {said(items['jacobian'])}, {said(items['jacobian-at'])}. A small square,"
        f" {said(items['side'])}, and its image under F: {said(items['det'])}.",
        4: said_all(items, "cubic", "cubic-gradient", "cubic-hessian", "cubic-at") + ".",
    }
