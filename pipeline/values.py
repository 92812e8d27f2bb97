"""Every number each clip shows, by beat, as the math core computes it (for handouts and tests)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from scenes.catalog import Clip

Values = dict[str, dict[str, Any]]


def derivative_values() -> Values:
    """Clip 1: the stops of the point, the rise/run triangle and the ends of the f' sweep."""
    from mathcore.derivative import STOPS, SWEEP, derivative_clip

    clip = derivative_clip(legs=[np.asarray(SWEEP)])
    stops = {p.x: {"x": p.x, "f": p.f, "slope": p.slope} for p in clip.stops.points}
    t = clip.triangle
    sweep = clip.legs[0]
    return {
        "curve-and-notations": {"f": "x^2", "f'": "2x"},
        "tangent-at-minus-2": {
            **stops[STOPS[0]],
            "run": t.run,
            "rise": t.rise,
            "rise_over_run": t.rise / t.run,
            "theta_degrees": math.degrees(t.angle),
        },
        "sliding-to-the-bottom": {"stops": [stops[STOPS[1]], stops[STOPS[2]]]},
        "climbing-steeply": stops[STOPS[3]],
        "slope-graph": {"trace": [{"x": p.x, "slope": p.slope} for p in sweep.points]},
    }


def partial_derivative_values() -> Values:
    """Clip 2: the levels of the map, the slices through (1, 2) and the two partials there."""
    from mathcore.partial import partial_clip

    clip = partial_clip()
    point = [clip.x0, clip.y0]
    return {
        "surface-as-contours": {"levels": [c.level for c in clip.levels]},
        "slice-at-y-2": {"y": clip.y0, "f(x, y0) coefficients": list(clip.slice_y.coefficients)},
        "slopes-of-the-slices": {
            "point": point,
            "f": clip.f0,
            "df/dx": clip.dfdx,
            "x": clip.x0,
            "f(x0, y) coefficients": list(clip.slice_x.coefficients),
            "df/dy": clip.dfdy,
            "gradient": list(clip.gradient),
        },
    }


def chain_rule_values() -> Values:
    """Clip 3: the gear ratios, the graph of sin(x²) at 1, its product and the backward pass."""
    from mathcore.chain import chain_clip

    clip = chain_clip()
    g, gr = clip.gears, clip.graph
    return {
        "three-gears": {
            "teeth (A, B, B', C)": list(g.teeth),
            "dθB/dθA": g.ratio_ab,
            "dθC/dθB": g.ratio_bc,
            "dθC/dθA": g.ratio_ac,
        },
        "computation-graph": {"x": gr.x, "u": gr.u, "y": gr.y, "du/dx": gr.du_dx, "dy/du": gr.dy_du},
        "multiply-along-the-chain": {"dy/dx": gr.dy_dx, "du/dx * dy/du": gr.du_dx * gr.dy_du},
        "backpropagation": {"adjoints y, u, x": list(gr.backward), "tangent slope at x": gr.dy_dx},
    }


def gradient_values() -> Values:
    """Clip 4: the start, the gradient there, the descent path and the three learning rates."""
    from mathcore.gradient import gradient_clip

    clip = gradient_clip()

    def path(run: Any) -> dict[str, Any]:
        return {
            "rate": run.rate,
            "w": run.w.tolist(),
            "f": run.f.tolist(),
            "grad": run.grad.tolist(),
            "grad_norm": run.grad_norm.tolist(),
        }

    return {
        "contours-and-marker": {
            "start": list(clip.start),
            "f": clip.f0,
            "levels": [c.level for c in clip.levels],
        },
        "gradient-points-uphill": {
            "gradient": list(clip.gradient),
            "gradient_norm": clip.gradient_norm,
            "level_tangent": list(clip.level_tangent),
        },
        "descent": path(clip.descent),
        "minimum-and-learning-rates": {
            "gradient_at_end": clip.descent.grad[-1].tolist(),
            "rate_limit": clip.rate_limit,
            "rates": [path(run) for run in clip.contrast],
        },
    }


VALUES: dict[str, Callable[[], Values]] = {
    "derivative": derivative_values,
    "partial-derivative": partial_derivative_values,
    "chain-rule": chain_rule_values,
    "gradient": gradient_values,
}


def clip_values(clip: Clip) -> Values:
    """The numbers ``clip`` shows, keyed by beat slug in the catalog's order."""
    values = VALUES[clip.id]()
    return {beat.slug: values[beat.slug] for beat in clip.beats}
