"""The descent template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mathcore.gradient import DescentPath, GradientClip, gradient_clip
from scenes.shown import Shown, digits, fixed, full, live, number, relation, vector

#: Decimals of the gradient, its norm, and the readouts.
PLACES = 2


def compute(lesson: Mapping[str, Any]) -> GradientClip:
    """The math core's answer for this lesson (one jitted call)."""
    window = tuple(lesson["window"])
    return gradient_clip(
        lesson["f"], tuple(lesson["start"]), lesson["rate"], lesson["rates"], lesson["steps"], (window, window)
    )


def verdict(run: DescentPath, math: GradientClip) -> str:
    """What a walk did, in words (TeX text): diverges, converges or crawls."""
    if run.diverges:
        if math.rate_limit is not None and run.rate > math.rate_limit:
            return rf"\text{{diverges: }}\eta > {math.rate_limit_tex}"
        return r"\text{diverges}"
    return r"\text{converges}" if run.converges else r"\text{crawls}"


def shown(lesson: Mapping[str, Any], math: GradientClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    x0, y0 = (digits(v) for v in math.start)
    point = f"{x0},\\ {y0}"
    gx, gy = math.gradient_tex
    sign, pair = vector(math.gradient, PLACES)
    norm = fixed(math.gradient_norm, PLACES)
    path = math.descent
    last = len(path.w) - 1
    end_sign, end_pair = vector(path.grad[-1], PLACES)
    items = {
        "f": Shown(1, "f(x, y)", f"f(x, y) = {math.f_tex}", lesson["f"]),
        "where": Shown(1, "the marker", f"({point})", f"({full(math.start[0])}, {full(math.start[1])})"),
        "height": Shown(1, f"f({x0}, {y0})", f"f({point}) {number(math.f0)}", full(math.f0), math.f0),
        "rule": Shown(2, "∇f", rf"\nabla f = ({gx},\ {gy})", f"({gx}, {gy})"),
        "value": Shown(
            2, f"∇f({x0}, {y0})", rf"\nabla f({point}) {sign} {pair}", str([full(v) for v in math.gradient])
        ),
        "norm": Shown(
            2,
            "‖∇f‖",
            rf"\|\nabla f\| {relation(math.gradient_norm, norm)} {norm}",
            full(math.gradient_norm),
            math.gradient_norm,
        ),
        "rate": Shown(3, "η", rf"\eta = {digits(path.rate)}", full(path.rate), path.rate),
    }
    for name, tex_name, key, values, places in (
        ("step", r"\text{step}", "step", [float(k) for k in range(last + 1)], 0),
        ("f(w)", "f(w)", "f", path.f, 3),
        ("‖∇f(w)‖", r"\|\nabla f(w)\|", "grad", path.grad_norm, 3),
    ):
        rel, shown_digits = live(float(values[-1]), places)
        items[f"readout-{key}"] = Shown(
            3, f"readout {name} after the walk", f"{tex_name} {rel} {shown_digits}", full(values[-1])
        )
    items["end"] = Shown(
        4, f"∇f(w_{last})", rf"\nabla f(w_{{{last}}}) {end_sign} {end_pair}", str([full(v) for v in path.grad[-1]])
    )
    low, high = math.end_curvatures
    settled = path.converges or path.grad_norm[-1] < 1e-2 * path.grad_norm[0]
    if settled and low > 0:
        note = "the gradient shrinks to zero here, and f curves up both ways: a minimum"
    elif settled:
        note = "the gradient shrinks to zero here, but f curves down one way: not a minimum"
    else:
        note = "the gradient is not near zero yet: the walk is still going"
    items["end-note"] = Shown(4, "where the walk ends", note, f"Hessian eigenvalues {full(low)}, {full(high)}")
    for i, run in enumerate(math.contrast):
        steps = len(run.w) - 1
        items[f"panel-{i}-rate"] = Shown(
            4, f"η of panel {i + 1}", rf"\eta = {digits(run.rate)}", full(run.rate), run.rate
        )
        items[f"panel-{i}-verdict"] = Shown(4, f"verdict of panel {i + 1}", verdict(run, math), "")
        items[f"panel-{i}-f"] = Shown(
            4,
            f"f(w_{steps}) at η = {digits(run.rate)}",
            rf"f(w_{{{steps}}}) {number(float(run.f[-1]))}",
            full(run.f[-1]),
        )
    return items
