"""The slices template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

import sympy as sp

from lessons.templates import SlicesLesson
from mathcore.slices import PartialClip, partial_clip
from scenes.shown import Shown, as_data, at_a_glance, decide, digits, full, given, said, vector, written

#: How many of the level curves carry a label.
LABELLED = 4


def compute(lesson: SlicesLesson) -> PartialClip:
    """The math core's answer for this lesson (one jitted call)."""
    return partial_clip(lesson.f, lesson.point, lesson.window)


def labelled_levels(math: PartialClip) -> list[float]:
    """The levels that carry a label: evenly spread over those drawn, at most ``LABELLED``."""
    levels = [c.level for c in math.levels if c.pieces]
    if len(levels) <= LABELLED:
        return levels
    stride = -(-len(levels) // LABELLED)
    return levels[stride // 2 :: stride]


#: The most terms a partial derivative is written out with at the point; with more, the readout states its
#: value alone (written out, an eight-term cubic's stood too wide for a panel, even over lines).
MOST_TERMS = 4


def terms(tex: str) -> int:
    """How many terms TeX ``tex`` sums at its top level (a sign after nothing or an opening is unary)."""
    depth, count = 0, 1
    for index, char in enumerate(tex):
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(char, 0)
        if depth == 0 and char in "+-" and tex[index - 1 : index + 2] in (" + ", " - "):
            count += 1
    return count


def _partial(name: str, point: str, at: tuple[str, str], value: float, exact_value: sp.Expr) -> str:
    substituted, exact = at
    relation, shown = decide(value, exact_value)
    put_in = substituted != exact and terms(substituted) <= MOST_TERMS and at_a_glance(substituted, exact)
    middle = f"{substituted} = " if put_in else ""
    tail = "" if exact == shown else rf" {relation} {shown}"
    return rf"\frac{{\partial f}}{{\partial {name}}}({point}) = {middle}{exact}{tail}"


def shown(lesson: SlicesLesson, math: PartialClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    x0, y0 = (written(v) for v in lesson.point)
    gx, gy = math.gradient_exact
    point = f"{x0}, {y0}"
    levels = labelled_levels(math)
    items = {
        "f": Shown(1, "f(x, y)", f"f(x, y) = {math.f_tex}", lesson.f),
        "levels": Shown(1, "labelled levels", ", ".join(digits(v) for v in levels), ", ".join(map(full, levels))),
        "slice-y": given(2, "the slice", "y", lesson.point[1]),
        "curve-y": Shown(3, f"f(x, {y0})", f"f(x, {y0}) = {math.slice_y.tex}", math.slice_y.tex),
        "dfdx": Shown(
            3, f"∂f/∂x({point})", _partial("x", point, math.dfdx_at, math.dfdx, gx), math.dfdx_at[1], math.dfdx
        ),
        "slice-x": given(3, "the other slice", "x", lesson.point[0]),
        "curve-x": Shown(3, f"f({x0}, y)", f"f({x0}, y) = {math.slice_x.tex}", math.slice_x.tex),
        "dfdy": Shown(
            3, f"∂f/∂y({point})", _partial("y", point, math.dfdy_at, math.dfdy, gy), math.dfdy_at[1], math.dfdy
        ),
    }
    sign, pair = vector(math.gradient, 2, math.gradient_exact, pad=False)
    exact = f"({math.dfdx_at[1]}, {math.dfdy_at[1]})"
    items["gradient"] = Shown(
        3,
        f"∇f({point})",
        rf"\nabla f({point}) {sign} {pair}",
        exact,
        as_data(math.gradient),
        sympy=sp.sstr([gx, gy]),
    )
    return items


def pictures(lesson: SlicesLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    left, right = (written(v) for v in lesson.window)
    return {
        1: f"Filled level curves of {said(items['f'])} for $x$ and $y$ from ${left}$ to ${right}$, labelled"
        f" {said(items['levels'])}; beside them, the same surface in 3D.",
        2: f"A line across the level curves at {said(items['slice-y'])}, and a vertical plane cutting the"
        " surface there.",
        3: f"The slice's curve on its own axes, {said(items['curve-y'])}, with its tangent: {said(items['dfdx'])}."
        f" Then the other slice, {said(items['slice-x'])}: {said(items['curve-x'])}, with its tangent:"
        f" {said(items['dfdy'])}. Together: {said(items['gradient'])}.",
    }
