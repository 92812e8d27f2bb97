"""Clip 4: the gradient of f(x, y) = x² + y² and gradient descent on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.contours import LevelCurve, level_curves
from mathcore.types import F64Array, to_numpy

#: Where the marker starts.
START: tuple[float, float] = (1.5, 0.8)
#: The learning rate of the main descent, and the three of the contrast (crawl, converge, diverge).
RATE = 0.1
RATES: tuple[float, float, float] = (0.02, 0.3, 1.05)
STEPS = 30
#: The plotted window (square, centred on the minimum) and the labelled levels.
HALF_WIDTH = 3.0
LEVELS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 6.0, 8.0)


def bowl(w: jax.Array) -> jax.Array:
    """f(w) = x² + y² for w = (x, y)."""
    return jnp.sum(w**2)


_grad = jax.grad(bowl)


@partial(jax.jit, static_argnames="steps")
def _descend(start: jax.Array, rates: jax.Array, steps: int) -> tuple[jax.Array, ...]:
    """Paths w_0..w_steps for each rate, with f, ∇f and ‖∇f‖ at every point."""

    def run(rate: jax.Array) -> jax.Array:
        def step(w: jax.Array, _: None) -> tuple[jax.Array, jax.Array]:
            w_next = w - rate * _grad(w)
            return w_next, w_next

        _, path = jax.lax.scan(step, start, None, length=steps)
        return jnp.concatenate([start[None, :], path])

    paths = jax.vmap(run)(rates)
    heights = jax.vmap(jax.vmap(bowl))(paths)
    grads = jax.vmap(jax.vmap(_grad))(paths)
    return paths, heights, grads, jnp.linalg.norm(grads, axis=-1)


@dataclass(frozen=True)
class DescentPath:
    """w_k = w_{k-1} − η ∇f(w_{k-1}) for k = 0..steps, with f(w_k) and ‖∇f(w_k)‖."""

    rate: float
    w: F64Array  # shape (steps + 1, 2)
    f: F64Array
    grad: F64Array  # ∇f(w_k), shape (steps + 1, 2)
    grad_norm: F64Array


@dataclass(frozen=True)
class GradientClip:
    """Every number the gradient clip shows."""

    start: tuple[float, float]
    f0: float
    gradient: tuple[float, float]  # ∇f at the start
    gradient_norm: float
    level_tangent: tuple[float, float]  # unit tangent of the level curve through the start
    descent: DescentPath  # the main walk, at RATE
    contrast: tuple[DescentPath, ...]  # the same start at each of RATES
    half_width: float  # the plotted window is [-half_width, half_width]²
    rate_limit: float  # descent diverges for rates above 2 / (largest eigenvalue of the Hessian)
    levels: tuple[LevelCurve, ...]  # the labelled contours
    marker_level: LevelCurve  # the contour through the start


@jax.jit
def _at(w: jax.Array, grid: jax.Array) -> tuple[jax.Array, ...]:
    g = _grad(w)
    heights = jax.vmap(jax.vmap(lambda x, y: bowl(jnp.stack([x, y])), (0, None)), (None, 0))(grid, grid)
    curvature = jnp.max(jnp.linalg.eigvalsh(jax.hessian(bowl)(w)))
    return bowl(w), g, jnp.linalg.norm(g), heights, 2.0 / curvature


def gradient_clip(
    start: tuple[float, float] = START,
    rate: float = RATE,
    rates: Sequence[float] = RATES,
    steps: int = STEPS,
    levels: Sequence[float] = LEVELS,
    grid_size: int = 121,
) -> GradientClip:
    """The gradient at ``start``, descent paths at ``rate`` and each of ``rates``, and the contours."""
    w0 = jnp.asarray(start, dtype=jnp.float64)
    all_rates = jnp.asarray([rate, *rates], dtype=jnp.float64)
    grid = np.linspace(-HALF_WIDTH, HALF_WIDTH, grid_size)
    f0, g, norm, grid_f, rate_limit = _at(w0, jnp.asarray(grid))
    paths, heights, grads, norms = (np.asarray(a) for a in _descend(w0, all_rates, steps))
    gx, gy = float(g[0]), float(g[1])
    curves = level_curves(grid, grid, np.asarray(grid_f), [*levels, float(f0)])
    runs = tuple(
        DescentPath(float(r), to_numpy(paths[i]), to_numpy(heights[i]), to_numpy(grads[i]), to_numpy(norms[i]))
        for i, r in enumerate(np.asarray(all_rates))
    )
    return GradientClip(
        start=(float(start[0]), float(start[1])),
        f0=float(f0),
        gradient=(gx, gy),
        gradient_norm=float(norm),
        level_tangent=(-gy / float(norm), gx / float(norm)),
        descent=runs[0],
        contrast=runs[1:],
        half_width=HALF_WIDTH,
        rate_limit=float(rate_limit),
        levels=curves[:-1],
        marker_level=curves[-1],
    )
