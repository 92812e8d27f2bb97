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


VALUES: dict[str, Callable[[], Values]] = {
    "derivative": derivative_values,
}


def clip_values(clip: Clip) -> Values:
    """The numbers ``clip`` shows, keyed by beat slug in the catalog's order."""
    values = VALUES[clip.id]()
    return {beat.slug: values[beat.slug] for beat in clip.beats}
