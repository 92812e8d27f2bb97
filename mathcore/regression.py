"""The regression template: fit a line y = w x + b to noisy points by gradient descent on the MSE.

The data come from separate random keys for x and for the noise (one key for both would make the
noise a copy of x). JAX draws the data, walks (w, b) in one jitted ``lax.scan`` and evaluates the
loss over a (w, b) grid for its contours; the least-squares solution comes from the normal
equations, and SymPy differentiates one point's squared error for the gradient's formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.contours import LevelCurve, level_curves
from mathcore.errors import MathError
from mathcore.symbolic import latex
from mathcore.types import F64Array, to_numpy

#: The walk has reached the least-squares solution when it is this close to it (in w and in b).
REACHED = 1e-6


@dataclass(frozen=True)
class RegressionClip:
    """Every number and formula the regression template shows."""

    x: F64Array  # the data
    y: F64Array
    truth: tuple[float, float]  # the line the data were drawn from: (slope, intercept)
    rate: float
    path: F64Array  # (w_k, b_k), shape (steps + 1, 2)
    loss: F64Array  # L(w_k, b_k)
    gradient: F64Array  # ∇L(w_k, b_k), shape (steps + 1, 2)
    least_squares: tuple[float, float]  # (w*, b*) from the normal equations
    least_loss: float  # L(w*, b*)
    reached_at: int | None  # the first step within REACHED of (w*, b*), None if the walk never gets there
    curvatures: tuple[float, float]  # eigenvalues of the loss's Hessian (constant: L is quadratic)
    loss_tex: str  # one point's squared error
    partials_tex: tuple[str, str]  # its partial derivatives along w and b
    window: tuple[tuple[float, float], tuple[float, float]]  # the (w, b) plotted range
    levels: tuple[LevelCurve, ...]


@lru_cache(maxsize=8)
def _compiled(count: int) -> Callable[..., tuple[jax.Array, ...]]:
    @jax.jit
    def clip(
        seed: jax.Array, truth: jax.Array, noise: jax.Array, rate: jax.Array, steps: jax.Array, grid: jax.Array
    ) -> tuple[jax.Array, ...]:
        key_x, key_noise = jax.random.split(jax.random.PRNGKey(seed))
        x = jax.random.normal(key_x, (count,), dtype=jnp.float64)
        y = truth[0] * x + truth[1] + noise * jax.random.normal(key_noise, (count,), dtype=jnp.float64)

        def loss(p: jax.Array) -> jax.Array:
            return jnp.mean((p[0] * x + p[1] - y) ** 2)

        grad = jax.grad(loss)

        def step(p: jax.Array, _: jax.Array) -> tuple[jax.Array, jax.Array]:
            p_next = p - rate * grad(p)
            return p_next, p_next

        start = jnp.zeros(2)
        _, walk = jax.lax.scan(step, start, steps)
        path = jnp.concatenate([start[None, :], walk])
        design = jnp.stack([x, jnp.ones_like(x)], axis=1)
        best = jnp.linalg.solve(design.T @ design, design.T @ y)
        grid_loss = jax.vmap(jax.vmap(lambda w, b: loss(jnp.stack([w, b])), (0, None)), (None, 0))(grid[0], grid[1])
        hessian = jax.hessian(loss)(best)
        return (
            x,
            y,
            path,
            jax.vmap(loss)(path),
            jax.vmap(grad)(path),
            best,
            loss(best),
            grid_loss,
            jnp.linalg.eigvalsh(hessian),
        )

    return clip


def regression_clip(
    slope: float,
    intercept: float,
    noise: float,
    count: int,
    seed: int,
    rate: float,
    steps: int,
    grid_size: int = 121,
) -> RegressionClip:
    """Draw ``count`` points of y = slope·x + intercept + noise·ε and walk (w, b) from (0, 0) for ``steps``."""
    span = max(abs(slope), abs(intercept), 1.0) * 1.25
    window = (
        (min(0.0, slope) - 0.25 * span, max(0.0, slope) + 0.25 * span),
        (min(0.0, intercept) - 0.25 * span, max(0.0, intercept) + 0.25 * span),
    )
    grid = np.stack([np.linspace(*window[0], grid_size), np.linspace(*window[1], grid_size)])
    out = _compiled(count)(
        jnp.uint32(seed),
        jnp.asarray([slope, intercept], dtype=jnp.float64),
        jnp.float64(noise),
        jnp.float64(rate),
        jnp.zeros(steps),
        jnp.asarray(grid),
    )
    x, y, path, loss, gradient, best, best_loss, grid_loss, curvatures = (np.asarray(a) for a in out)
    limit = 2.0 / float(curvatures[-1])
    if rate >= limit or not np.all(np.isfinite(loss)):
        raise MathError(f"descent on this loss diverges at rate {rate:g}: it needs a rate below {limit:.3g}", "rate")
    loss_tex, partials = _formulas()
    within = np.flatnonzero(np.max(np.abs(path - best), axis=1) <= REACHED)
    reached = int(within[0]) if within.size and np.all(np.diff(within) == 1) and within[-1] == steps else None
    low = float(best_loss)
    levels = tuple(low + (float(loss[0]) - low) * s**2 for s in (0.04, 0.1, 0.2, 0.35, 0.55, 0.8, 1.0))
    return RegressionClip(
        x=to_numpy(x),
        y=to_numpy(y),
        truth=(float(slope), float(intercept)),
        rate=float(rate),
        path=to_numpy(path),
        loss=to_numpy(loss),
        gradient=to_numpy(gradient),
        least_squares=(float(best[0]), float(best[1])),
        least_loss=low,
        reached_at=reached,
        curvatures=(float(curvatures[0]), float(curvatures[1])),
        loss_tex=loss_tex,
        partials_tex=partials,
        window=window,
        levels=level_curves(grid[0], grid[1], grid_loss, levels),
    )


@lru_cache(maxsize=1)
def _formulas() -> tuple[str, tuple[str, str]]:
    """One point's squared error (w x_i + b − y_i)² and its partial derivatives, from SymPy."""
    w, b, x, y = sp.symbols("w b x_i y_i", real=True)
    error = (w * x + b - y) ** 2
    return latex(error), tuple(latex(sp.factor(sp.diff(error, v))) for v in (w, b))  # type: ignore[return-value]
