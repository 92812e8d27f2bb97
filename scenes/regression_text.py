"""The regression template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

import math as maths
from typing import Any

from lessons.templates import RegressionLesson
from mathcore.regression import REACHED, RegressionClip, regression_clip
from mathcore.symbolic import exact_number
from scenes.shown import Claim, Shown, as_data, full, given, live, number, said, said_all, vector, written

#: Decimals of w, b and the loss in the readouts.
PLACES, LOSS_PLACES = 3, 4


def compute(lesson: RegressionLesson) -> RegressionClip:
    """The math core's answer for this lesson (one jitted call)."""
    slope, intercept = lesson.line
    return regression_clip(slope, intercept, lesson.noise, lesson.points, lesson.seed, lesson.rate, lesson.steps)


def readouts(math: RegressionClip) -> tuple[tuple[str, str, Any, int], ...]:
    """(key, TeX name, values per step, decimals) of each live readout."""
    steps = [float(k) for k in range(len(math.loss))]
    return (
        ("k", "k", steps, 0),
        ("w", "w", math.path[:, 0], PLACES),
        ("b", "b", math.path[:, 1], PLACES),
        ("loss", "L", math.loss, LOSS_PLACES),
    )


def shown(lesson: RegressionLesson, math: RegressionClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    slope = written(lesson.line[0])
    b = written(lesson.line[1])  # y = 2x - 1, not 2x + -1; no "+ 0"
    offset = f" - {b[1:]}" if b.startswith("-") else f" + {b}" if lesson.line[1] != 0 else ""
    sigma = written(lesson.noise)
    n = len(math.x)
    last = len(math.loss) - 1
    dw, db = math.partials_tex
    items = {
        "data": Shown(
            1,
            "the data",
            rf"y_i = {slope}\,x_i{offset} + {sigma}\,\varepsilon_i,\ i = 1..{n}",
            f"seed {lesson.seed}: x and ε from separate keys",
        ),
        "model": Shown(1, "the model", r"\hat y = w\,x + b", r"w x + b"),
        "loss": Shown(1, "L(w, b)", rf"L(w, b) = \frac{{1}}{{{n}}} \sum_i {math.loss_tex}", math.loss_tex),
        "start": Shown(
            1, "L(0, 0)", rf"L(0, 0) {number(float(math.loss[0]), LOSS_PLACES)}", full(math.loss[0]), math.loss[0]
        ),
        "dw": Shown(2, "∂L/∂w", rf"\frac{{\partial L}}{{\partial w}} = \frac{{1}}{{{n}}} \sum_i {dw}", dw),
        "db": Shown(2, "∂L/∂b", rf"\frac{{\partial L}}{{\partial b}} = \frac{{1}}{{{n}}} \sum_i {db}", db),
        "rate": given(2, "η", r"\eta", lesson.rate),
    }
    for key, name, values, places in readouts(math):
        rel, shown_digits = live(float(values[-1]), places, exact=key == "k")
        items[f"readout-{key}"] = Shown(
            2, f"readout {name} after {last} steps", f"{name} {rel} {shown_digits}", full(values[-1])
        )
    sign, pair = vector(math.least_squares, PLACES)
    items["least-squares"] = Shown(
        3,
        "(w*, b*)",
        rf"\text{{least squares: }} (w^*, b^*) {sign} {pair}",
        str([full(v) for v in math.least_squares]),
        as_data(math.least_squares),
    )
    power = f"10^{{{round(maths.log10(REACHED))}}}"
    if math.reached_at is not None:
        reached = rf"\text{{within }} {power} \text{{ of it from step }} {math.reached_at}"
    else:
        reached = rf"\text{{not within }} {power} \text{{ of it after {last} steps}}"
    items["reached"] = Shown(3, "steps to reach (w*, b*)", reached, str(math.reached_at))
    items["start-loss"] = Shown(
        4, "L_0", rf"L_0 {number(float(math.loss[0]), LOSS_PLACES)}", full(math.loss[0]), float(math.loss[0])
    )
    items["end-loss"] = Shown(
        4,
        f"L_{last}",
        rf"L_{{{last}}} {number(float(math.loss[-1]), LOSS_PLACES)}",
        full(math.loss[-1]),
        float(math.loss[-1]),
    )
    noise, noise_exact = float(lesson.noise) ** 2, exact_number(lesson.noise) ** 2
    if math.reached_at is not None:
        claim = Claim(
            "what is left is the noise",
            "at the least-squares line: the walk reached (w*, b*)",
            f"within {REACHED:g} of (w*, b*) from step {math.reached_at}; L_{last} = {float(math.loss[-1]):.4g}",
        )
        words = rf"\text{{{claim.words}: }} \sigma^2 {number(noise, 6, noise_exact)}"
    else:
        claim = Claim(
            "not at the least-squares line yet",
            "not settled: the walk has not reached (w*, b*)",
            f"not within {REACHED:g} of (w*, b*) after {last} steps",
        )
        words = rf"\text{{{claim.words}}}"
    items["noise"] = Shown(4, "σ²", words, full(noise), noise, claim=claim, sympy=str(noise_exact))
    return items


def pictures(lesson: RegressionLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    return {
        1: f"A scatter of points, {said(items['data'])}, and the line {said(items['model'])};"
        f" {said(items['loss'])}, {said(items['start'])}.",
        2: f"{said(items['dw'])}, {said(items['db'])}. With {said(items['rate'])} the line moves with each step;"
        f" readouts {said_all(items, 'readout-k', 'readout-w', 'readout-b', 'readout-loss')}.",
        3: f"The same path of (w, b) drawn on the level curves of the loss, ending at {said(items['least-squares'])},"
        f" {said(items['reached'])}.",
        4: f"The loss falling, on its own axes, from {said(items['start-loss'])} to {said(items['end-loss'])};"
        f" {said(items['noise'])}.",
    }
