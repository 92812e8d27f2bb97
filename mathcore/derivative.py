"""Clip 1: the derivative of f(x) = x², sampled for a rotating tangent line."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.types import F64Array, to_numpy

#: Where the point stops in the storyboard: falling, falling less, bottomed out, steep.
STOPS: tuple[float, ...] = (-2.0, -1.0, 0.0, 3.0)
#: The closing sweep, whose slopes trace the graph of f'.
SWEEP: tuple[float, float] = (3.0, -3.0)
#: The run of the rise/run triangle drawn on the first tangent.
TRIANGLE_RUN = 1.0


def parabola(x: jax.Array) -> jax.Array:
    """f(x) = x²."""
    return x**2


_value_and_slope = jax.jit(jax.vmap(jax.value_and_grad(parabola)))


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
class DerivativeClip:
    """Every number the derivative clip shows."""

    stops: TangentSamples
    legs: tuple[TangentSamples, ...]
    triangle: RiseRun


def derivative_clip(
    legs: Sequence[F64Array] = (),
    stops: Sequence[float] = STOPS,
    run: float = TRIANGLE_RUN,
) -> DerivativeClip:
    """Sample the tangent at the stops and along each leg of motion, in one jitted call.

    ``legs`` are the x positions of the point at each frame of each motion; the result
    has one ``TangentSamples`` per leg, in order.
    """
    stops_x = np.asarray(stops, dtype=np.float64)
    pieces = [stops_x, *(np.asarray(leg, dtype=np.float64) for leg in legs)]
    xs = np.concatenate(pieces)
    values, slopes = (np.asarray(a) for a in _value_and_slope(jnp.asarray(xs)))
    bounds = np.cumsum([0, *(len(p) for p in pieces)])
    samples = tuple(
        TangentSamples(to_numpy(xs[a:b]), to_numpy(values[a:b]), to_numpy(slopes[a:b]))
        for a, b in itertools.pairwise(bounds)
    )
    first = samples[0][0]
    rise = first.slope * run
    triangle = RiseRun(first.x, first.f, run, rise, first.slope, float(np.arctan2(rise, run)))
    return DerivativeClip(stops=samples[0], legs=samples[1:], triangle=triangle)
