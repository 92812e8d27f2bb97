"""The network template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

import itertools
from typing import Any

from lessons.templates import NetworkLesson
from mathcore.network import NetworkClip, network_clip
from scenes.shown import Shown, full, given, live, number, said, said_all, written

#: Decimals of the live loss readout, and significant places of the losses quoted.
LOSS_PLACES, QUOTE_PLACES = 5, 4


def compute(lesson: NetworkLesson) -> NetworkClip:
    """The math core's answer for this lesson (one jitted call)."""
    return network_clip(
        lesson.f,
        lesson.widths,
        lesson.interval,
        lesson.points,
        lesson.seed,
        lesson.scale,
        lesson.rate,
        lesson.steps,
        (lesson.baseline_rate, lesson.baseline_steps),
    )


def layers_tex(math: NetworkClip) -> list[str]:
    r"""The net, one layer a line: ``h_1 = \mathrm{relu}(W_1 x + b_1)`` .. ``\hat y = W_3 h_2 + b_3``."""
    count = len(math.sizes) - 1
    rows = []
    for i in range(1, count + 1):
        given = "x" if i == 1 else f"h_{{{i - 1}}}"
        if i < count:
            rows.append(rf"h_{{{i}}} = \mathrm{{relu}}(W_{{{i}}} {given} + b_{{{i}}})")
        else:
            rows.append(rf"\hat y = W_{{{i}}} {given} + b_{{{i}}}")
    return rows


def chain_tex(math: NetworkClip) -> str:
    r"""The chain rule for the first layer's weights, through every layer: ∂L/∂W_1 = ∂L/∂ŷ · … · ∂h_1/∂W_1."""
    count = len(math.sizes) - 1
    names = ["L", r"\hat y", *(f"h_{{{i}}}" for i in range(count - 1, 0, -1))]
    factors = [rf"\frac{{\partial {a}}}{{\partial {b}}}" for a, b in itertools.pairwise(names)]
    factors.append(r"\frac{\partial h_{1}}{\partial W_{1}}")
    return r"\frac{\partial L}{\partial W_{1}} = " + r"\cdot ".join(factors)


def loss_at(run_loss: Any, k: int, places: int = QUOTE_PLACES) -> str:
    """``L_{k} ≈ 0.0593`` for step ``k`` of a run."""
    value = float(run_loss[k])
    return rf"L_{{{k}}} {number(value, places)}"


def shown(lesson: NetworkLesson, math: NetworkClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    low, high = (written(v) for v in lesson.interval)
    n = len(math.x)
    arrows = r" \to ".join(str(size) for size in math.sizes)
    run, base = math.run, math.baseline
    items = {
        "target": Shown(
            1, "the target", rf"y = {math.target_tex},\ {n} \text{{ points on }} [{low}, {high}]", lesson.f
        ),
        "shape": Shown(1, "the layers", rf"{arrows},\ \mathrm{{relu}}", str(math.sizes)),
        "count": Shown(
            1,
            "weights and biases",
            rf"{math.parameter_count} \text{{ weights and biases}}",
            str(math.parameter_count),
            float(math.parameter_count),
            sympy=str(math.parameter_count),
        ),
        "layers": Shown(1, "the net", r",\quad ".join(layers_tex(math)), r"; ".join(layers_tex(math))),
        "start": Shown(1, "L_0", loss_at(run.loss, 0), full(run.loss[0]), float(run.loss[0])),
        "rate": given(2, "η", r"\eta", lesson.rate),
    }
    rel, shown_loss = live(float(run.loss[-1]), LOSS_PLACES, exact=False)
    items["readout"] = Shown(
        2, f"readout after {run.steps} steps", rf"k = {run.steps},\ L {rel} {shown_loss}", full(run.loss[-1])
    )
    items["end"] = Shown(
        3, f"L_{run.steps}", rf"\eta = {written(lesson.rate)}:\ " + loss_at(run.loss, run.steps), full(run.loss[-1])
    )
    items["baseline"] = Shown(
        3,
        f"L_{base.steps} at η = {written(lesson.baseline_rate)}",
        rf"\eta = {written(lesson.baseline_rate)}:\ " + loss_at(base.loss, base.steps),
        full(base.loss[-1]),
        float(base.loss[-1]),
    )
    items["chain"] = Shown(4, "∂L/∂W_1", chain_tex(math), chain_tex(math))
    return items


def pictures(lesson: NetworkLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    return {
        1: f"The training points, {said(items['target'])}, and the untrained net's output;"
        f" {said_all(items, 'shape', 'count', 'layers', 'start')}.",
        2: f"With {said(items['rate'])}, the net's curve changes as training runs; {said(items['readout'])}.",
        3: f"The loss curve on a log axis, {said(items['end'])}, beside a grey run: {said(items['baseline'])}.",
        4: f"{said(items['chain'])}.",
    }
