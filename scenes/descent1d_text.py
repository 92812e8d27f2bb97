"""The descent-in-one-dimension template's text: every number and formula it shows, as shown."""

from __future__ import annotations

import numpy as np
import sympy as sp

from lessons.templates import Descent1DLesson
from mathcore.descent1d import Descent1DClip, descent_1d_clip
from mathcore.errors import MathError
from scenes.claims import walk_1d
from scenes.shown import (
    Shown,
    at_a_glance,
    decide,
    fit_readout,
    full,
    given,
    live,
    number,
    said,
    said_all,
    slope_statement,
    written,
)

#: Decimals of the readouts, and of where the walk ends.
PLACES, END_PLACES = 2, 5
#: The most digits an exact value may have to be written out; one longer is shown by its rounding alone.
MOST_DIGITS = 12


def compute(lesson: Descent1DLesson) -> Descent1DClip:
    """The math core's answer for this lesson (one jitted call)."""
    math = descent_1d_clip(lesson.f, lesson.x0, lesson.rate, lesson.steps, lesson.window)
    low, high = lesson.window
    outside = np.flatnonzero((math.x < low) | (math.x > high))
    if outside.size:
        k = int(outside[0])  # never 0: the lesson's x0 is checked against its window as it is read
        raise MathError(
            f"the walk leaves the window [{written(low)}, {written(high)}] at step {k} (x_{k} ≈ {math.x[k]:.4g});"
            " lower the rate, or start elsewhere, or widen the window",
            "window",
        )
    fit_readout(math.x, "the walk's x", "rate")
    fit_readout(math.slope, "f' along the walk", "rate")
    return math


def _exact_value(tex: str, value: float, exact: sp.Expr) -> str:
    r"""``= 0.6`` when the digits are the value exactly, else ``= \frac{1}{3} \approx 0.33``.

    An exact value of more than ``MOST_DIGITS`` digits (steps of an irregular rate soon reach dozens) is
    left out: ``\approx 1.2178``.
    """
    relation, shown = decide(value, exact, 4)
    if relation == "=":
        return f"= {shown}"
    if sum(character.isdigit() for character in tex) > MOST_DIGITS:
        return f"{relation} {shown}"
    return f"= {tex} {relation} {shown}"


def shown(lesson: Descent1DLesson, math: Descent1DClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    x0, eta = written(lesson.x0), written(lesson.rate)
    first = math.exact_steps[0]
    n = len(math.x) - 1
    items = {
        "f": Shown(1, "f(x)", f"f(x) = {math.f_tex}", lesson.f),
        "rule": Shown(1, "f'(x)", f"f'(x) = {math.slope_tex}", math.slope_tex),
        "start": Shown(
            1,
            f"f'({x0})",
            slope_statement(x0, math.start_substituted, first.slope),
            first.slope,
            float(math.slope[0]),
        ),
        "rate": given(2, "η", r"\eta", lesson.rate),
        "move": Shown(
            2,
            "the first move",
            r"-\eta\, f'(x_0) "  # with the slope put in where that reads at a glance
            + (rf"= -{eta} \cdot ({first.slope}) " if at_a_glance(first.slope, first.move) else "")
            + _exact_value(first.move, first.move_value, first.move_exact),
            first.move,
            first.move_value,
        ),
    }
    for k, step in enumerate(math.exact_steps, start=1):
        items[f"x{k}"] = Shown(
            2 if k == 1 else 3,
            f"x_{k}",
            f"x_{k} {_exact_value(step.next_x, step.next_value, step.next_exact)}",
            step.next_x,
            step.next_value,
        )
    slope_1, slope_1_exact = float(math.slope[1]), math.exact_steps[1].slope_exact
    items["slope-1"] = Shown(
        2,
        "f'(x_1)",
        rf"\text{{slope }} f'(x_1) {number(slope_1, exact=slope_1_exact)}",
        math.exact_steps[1].slope,
        slope_1,
        sympy=sp.sstr(slope_1_exact),
    )
    if math.closed_form is not None:
        items["closed"] = Shown(3, "x_k", f"x_k = {math.closed_form}", math.closed_form)
    for name, tex_name, key, values, places in (
        ("k", "k", "k", np.arange(n + 1, dtype=float), 0),
        ("x_k", "x_k", "x", math.x, PLACES),
        ("f'(x_k)", "f'(x_k)", "slope", math.slope, PLACES),
    ):
        rel, shown_digits = live(float(values[-1]), places, exact=key == "k")
        items[f"readout-{key}"] = Shown(
            3, f"readout {name} after the walk", f"{tex_name} {rel} {shown_digits}", full(values[-1])
        )
    end, slope_end, curvature_end = float(math.x[-1]), float(math.slope[-1]), float(math.curvature[-1])
    items["end"] = Shown(4, f"x_{n}", rf"x_{{{n}}} {number(end, END_PLACES)}", full(end), end)
    items["end-slope"] = Shown(4, f"f'(x_{n})", rf"f'(x_{{{n}}}) {number(slope_end)}", full(slope_end), slope_end)
    items["curvature"] = Shown(4, "f''(x)", f"f''(x) = {math.curvature_tex}", math.curvature_tex)
    claim = walk_1d(math.x, math.f, math.slope, curvature_end)
    items["verdict"] = Shown(4, "where the walk ended", claim.words, full(curvature_end), claim=claim)
    return items


def pictures(lesson: Descent1DLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    steps = said_all(items, *(key for key in items if key[1:].isdigit() and key[0] == "x" and items[key].beat == 3))
    return {
        1: f"The curve {said(items['f'])}, {said(items['rule'])}, with a dot at $x = {written(lesson.x0)}$ and its"
        f" tangent line: {said(items['start'])}.",
        2: f"With {said(items['rate'])}, the dot moves along the x-axis by {said(items['move'])} to"
        f" {said(items['x1'])}; the tangent there: {said(items['slope-1'])}.",
        3: f"The dot keeps stepping, leaving a trail of points, {steps}; "
        + said_all(items, "closed", "readout-k", "readout-x", "readout-slope")
        + ".",
        4: f"Where the walk ends, {said(items['end'])}, {said(items['end-slope'])}; {said(items['curvature'])}:"
        f" {said(items['verdict'])}.",
    }
