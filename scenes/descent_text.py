"""The descent template's text: every number and formula it shows, from the math core, as shown."""

from __future__ import annotations

import numpy as np
import sympy as sp

from lessons.templates import DescentLesson
from mathcore.descent import DescentPath, GradientClip, gradient_clip
from mathcore.symbolic import exact_number
from scenes.claims import CONVERGED, sign_within, walk_2d
from scenes.shown import (
    Claim,
    Shown,
    as_data,
    decide,
    fit_readout,
    full,
    given,
    live,
    number,
    said,
    said_all,
    vector,
    written,
)

#: Decimals of the gradient, its norm, and the readouts.
PLACES = 2


def compute(lesson: DescentLesson) -> GradientClip:
    """The math core's answer for this lesson (one jitted call)."""
    window = lesson.window
    math = gradient_clip(lesson.f, lesson.start, lesson.rate, lesson.rates, lesson.steps, (window, window))
    fit_readout(math.descent.f, "f along the main walk", "rate")
    fit_readout(math.descent.grad_norm, "‖∇f‖ along the main walk", "rate")
    return math


def verdict(run: DescentPath, math: GradientClip, rate: float) -> Claim:
    """What a walk at the lesson's ``rate`` (as written) did, by the rules of ``scenes.claims.walk_2d``."""
    (x_low, x_high), (y_low, y_high) = math.window
    span = max(x_high - x_low, y_high - y_low)
    return walk_2d(
        run.w, run.f, run.grad_norm, math.unbounded_below, math.rate_limit, exact_number(rate), run.newton, span
    )


def alarming(claim: Claim) -> bool:
    """A verdict to draw in the warning colour: the walk diverged or runs away."""
    return claim.rule.startswith(("diverges", "runs away"))


def shown(lesson: DescentLesson, math: GradientClip) -> dict[str, Shown]:
    """Every number and formula of the clip, keyed for the scene."""
    x0, y0 = (written(v) for v in lesson.start)
    point = f"{x0},\\ {y0}"
    gx, gy = math.gradient_tex
    sign, pair = vector(math.gradient, PLACES, math.gradient_exact)
    norm_exact = sp.sqrt(math.gradient_exact[0] ** 2 + math.gradient_exact[1] ** 2)
    norm_sign, norm = decide(math.gradient_norm, norm_exact, PLACES, pad=True)
    path = math.descent
    last = len(path.w) - 1
    end_sign, end_pair = vector(path.grad[-1], PLACES)
    items = {
        "f": Shown(1, "f(x, y)", f"f(x, y) = {math.f_tex}", lesson.f),
        "where": Shown(1, "the marker", f"({point})", f"({full(math.start[0])}, {full(math.start[1])})"),
        "height": Shown(
            1,
            f"f({x0}, {y0})",
            f"f({point}) {number(math.f0, exact=math.f0_exact)}",
            full(math.f0),
            math.f0,
            sympy=sp.sstr(math.f0_exact),
        ),
        "rule": Shown(2, "∇f", rf"\nabla f = ({gx},\ {gy})", f"({gx}, {gy})"),
        "value": Shown(
            2,
            f"∇f({x0}, {y0})",
            rf"\nabla f({point}) {sign} {pair}",
            str([full(v) for v in math.gradient]),
            as_data(math.gradient),
            sympy=sp.sstr(list(math.gradient_exact)),
        ),
        "norm": Shown(
            2,
            "‖∇f‖",
            rf"\|\nabla f\| {norm_sign} {norm}",
            full(math.gradient_norm),
            math.gradient_norm,
            sympy=sp.sstr(norm_exact),
        ),
        "rate": given(3, "η", r"\eta", lesson.rate),
    }
    for name, tex_name, key, values, places in (
        ("step", r"\text{step}", "step", [float(k) for k in range(last + 1)], 0),
        ("f(w)", "f(w)", "f", path.f, 3),
        ("‖∇f(w)‖", r"\|\nabla f(w)\|", "grad", path.grad_norm, 3),
    ):
        rel, shown_digits = live(float(values[-1]), places, exact=key == "step")
        items[f"readout-{key}"] = Shown(
            3, f"readout {name} after the walk", f"{tex_name} {rel} {shown_digits}", full(values[-1])
        )
    items["end"] = Shown(
        4,
        f"∇f(w_{last})",
        rf"\nabla f(w_{{{last}}}) {end_sign} {end_pair}",
        str([full(v) for v in path.grad[-1]]),
        as_data(path.grad[-1]),
    )
    claim = end_note(path, math, lesson.rate)
    items["end-note"] = Shown(4, "where the walk ends", claim.words, claim.evidence, claim=claim)
    for i, (run, rate) in enumerate(zip(math.contrast, lesson.rates, strict=True)):
        steps = len(run.w) - 1
        items[f"panel-{i}-rate"] = given(4, f"η of panel {i + 1}", r"\eta", rate)
        judged = verdict(run, math, rate)
        items[f"panel-{i}-verdict"] = Shown(4, f"verdict of panel {i + 1}", judged.words, "", claim=judged)
        end = float(run.f[-1])  # a diverging walk may overflow float64: f is then infinite or no number at all
        items[f"panel-{i}-f"] = Shown(
            4,
            f"f(w_{steps}) at η = {written(rate)}",
            rf"f(w_{{{steps}}}) {number(end)}" if np.isfinite(end) else rf"f(w_{{{steps}}})\ \text{{overflows}}",
            full(run.f[-1]),
            float(run.f[-1]),
        )
    return items


def end_note(path: DescentPath, math: GradientClip, rate: float) -> Claim:
    """What the main walk's end is: a minimum only where f curves up both ways at the flat point it converged to.

    Converged is ``walk_2d``'s rule (near a flat point); a curvature within ``FLAT`` of zero, relative to
    the other, decides nothing.
    """
    judged = verdict(path, math, rate)
    low, high = math.end_curvatures
    evidence = f"{judged.evidence}; Hessian eigenvalues at the end {low:.4g}, {high:.4g}"
    scale = max(abs(low), abs(high))
    if judged.rule.startswith("converges"):
        if sign_within(low, scale) > 0:
            words = "the gradient shrinks to zero here, and f curves up both ways: a minimum"
            return Claim(words, "minimum: converged, both Hessian eigenvalues > 0", evidence)
        if sign_within(low, scale) < 0:
            words = "the gradient shrinks to zero here, but f curves down one way: not a minimum"
            return Claim(words, "not a minimum: converged, a Hessian eigenvalue < 0", evidence)
        words = "the gradient shrinks to zero here; f is flat one way: the Hessian cannot tell"
        return Claim(words, "undecided: converged, a Hessian eigenvalue = 0", evidence)
    if float(path.grad_norm[-1]) <= CONVERGED * float(path.grad_norm[0]):
        words = "the gradient has shrunk, but not to zero: the walk has not settled"
        return Claim(words, f"not settled: {judged.rule}; the flat point it nears is far", judged.evidence)
    return Claim("the gradient is not near zero: the walk has not settled", judged.rule, judged.evidence)


def pictures(lesson: DescentLesson, items: dict[str, Shown]) -> dict[int, str]:
    """Per beat, what the picture shows, in sentences whose numbers and formulas are the clip's records."""
    panels = "; ".join(said_all(items, f"panel-{i}-rate", f"panel-{i}-verdict", f"panel-{i}-f") for i in range(3))
    return {
        1: f"Level curves of {said(items['f'])}, with a marker at {said(items['where'])}: {said(items['height'])}.",
        2: f"An arrow from the marker, at a right angle to the level curve through it: {said(items['rule'])},"
        f" {said(items['value'])}, {said(items['norm'])}.",
        3: f"With {said(items['rate'])}, the marker steps against the gradient, leaving its path;"
        f" readouts count {said_all(items, 'readout-step', 'readout-f', 'readout-grad')}.",
        4: f"The path ends where {said(items['end'])}: {said(items['end-note'])}. Three small panels walk with other"
        f" learning rates: {panels}.",
    }
