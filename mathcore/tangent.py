"""The tangent template: any f(x), its derivative at the stops and at every frame of the motion."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.errors import MathError
from mathcore.nice import nice_floor
from mathcore.symbolic import Formula, agree, defined, smooth
from mathcore.types import F64Array, to_numpy


@dataclass(frozen=True)
class TangentPoint:
    """One point of the curve with the slope of its tangent line."""

    x: float
    f: float
    slope: float


@dataclass(frozen=True)
class TangentSamples:
    """x, f(x) and f'(x) for a run of points (one per frame of a motion)."""

    x: F64Array
    f: F64Array
    slope: F64Array

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> TangentPoint:
        return TangentPoint(float(self.x[i]), float(self.f[i]), float(self.slope[i]))

    @property
    def points(self) -> tuple[TangentPoint, ...]:
        """Every sample as a ``TangentPoint``."""
        return tuple(self[i] for i in range(len(self)))


@dataclass(frozen=True)
class RiseRun:
    """The right triangle under a tangent: slope = rise / run = tan θ."""

    x: float
    f: float
    run: float
    rise: float
    slope: float
    angle: float  # θ in radians, measured from the x axis


@dataclass(frozen=True)
class Stop:
    """Where the point stops: its values, the curvature there, and f'(x) written out."""

    point: TangentPoint
    curvature: float  # f''(x): the sign says bottom (> 0) or top (< 0) where the slope is 0
    slope_exact: str  # TeX of f'(x) there, exactly, e.g. ``9``
    substituted: str  # TeX of f'(x) with x replaced by its value, e.g. ``3 \cdot \left(-2\right)^{2} - 3``
    slope_value: sp.Expr  # f'(x) there, exactly (the stop as written)
    curvature_value: sp.Expr  # f''(x) there, exactly


@dataclass(frozen=True)
class DerivativeClip:
    """Every number and formula the tangent template shows."""

    f_tex: str  # f(x) as written
    slope_tex: str  # f'(x), from SymPy
    stops: tuple[Stop, ...]
    legs: tuple[TangentSamples, ...]
    curve: TangentSamples  # the whole curve over the window, for drawing it
    triangle: RiseRun


@lru_cache(maxsize=32)
def _sampler(formula: Formula) -> Callable[[jax.Array], tuple[jax.Array, ...]]:
    """One jitted function: f, f' and f'' at every x (compiled once per formula)."""
    f = formula.jax
    slope = jax.grad(f)
    return jax.jit(jax.vmap(lambda x: (f(x), slope(x), jax.grad(slope)(x))))


#: The rise/run triangle spans about this share of the plotted x range or height range, whichever is larger.
TRIANGLE_SHARE = 0.3


def readable_run(slope: float, room: float, x_span: float, y_span: float) -> float:
    """A round run for the rise/run triangle: the triangle spans about ``TRIANGLE_SHARE`` of the plot.

    The run is 1, 2 or 5 times a power of ten, at most ``room`` (the distance to the window's end).
    Its rise may reach past the curve's lowest or highest point: the plot's height range takes it in.
    """
    share = max(1.0 / x_span, abs(slope) / max(y_span, 1e-12))
    return nice_floor(min(TRIANGLE_SHARE / share, room))


def derivative_clip(
    f: str,
    stops: Sequence[float],
    legs: Sequence[F64Array] = (),
    run: float | None = None,
    window: tuple[float, float] = (-3.0, 3.0),
    curve_size: int = 241,
) -> DerivativeClip:
    """The tangent at the stops, along each leg of motion and over the window, in one jitted call.

    ``legs`` are the x positions of the point at each frame of each motion; the result has one
    ``TangentSamples`` per leg, in order. ``run`` is the rise/run triangle's run (by default
    ``readable_run``). ``MathError`` if f is undefined, infinite or not
    differentiable anywhere the clip goes, or if SymPy and JAX disagree at a stop.
    """
    formula = Formula.parse(f, ["x"])
    derivative = formula.diff("x")
    smooth(formula, window, "f")
    defined(formula, derivative, "x", [[s] for s in stops], "stops")
    curve_x = np.linspace(window[0], window[1], curve_size)
    pieces = [np.asarray(stops, dtype=np.float64), *(np.asarray(leg, dtype=np.float64) for leg in legs), curve_x]
    xs = np.concatenate(pieces)
    values, slopes, curvatures = (np.asarray(a) for a in _sampler(formula)(jnp.asarray(xs)))
    bad = ~(np.isfinite(values) & np.isfinite(slopes))
    if bad.any():
        raise MathError(f"{formula.text} is undefined or not differentiable at x = {float(xs[bad][0]):.4g}", "f")
    agree(formula, derivative, "x", [[s] for s in stops], [float(v) for v in slopes[: len(stops)]])
    bounds = np.cumsum([0, *(len(p) for p in pieces)])
    samples = [
        TangentSamples(to_numpy(xs[a:b]), to_numpy(values[a:b]), to_numpy(slopes[a:b]))
        for a, b in itertools.pairwise(bounds)
    ]
    at_stops = samples[0]
    second = derivative.diff("x")
    made = tuple(
        Stop(
            at_stops[i],
            float(curvatures[i]),
            derivative.exact_tex([s]),
            derivative.substituted_tex([s]),
            derivative.exact([s]),
            second.exact([s]),
        )
        for i, s in enumerate(stops)
    )
    first = at_stops[0]
    curve = samples[-1]
    if run is None:
        if first.x >= window[1]:
            raise MathError(
                f"the first stop {first.x:g} leaves no room for the rise/run triangle to its right", "stops"
            )
        heights = np.concatenate([curve.f, at_stops.f])
        run = readable_run(first.slope, window[1] - first.x, window[1] - window[0], float(np.ptp(heights)))
    rise = first.slope * run
    triangle = RiseRun(first.x, first.f, run, rise, first.slope, float(np.arctan2(rise, run)))
    return DerivativeClip(
        f_tex=formula.tex,
        slope_tex=derivative.canonical_tex,
        stops=made,
        legs=tuple(samples[1:-1]),
        curve=samples[-1],
        triangle=triangle,
    )
