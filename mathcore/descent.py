"""The descent template: the gradient of any f(x, y) at a point, and gradient descent against it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.contours import LevelCurve, level_curves
from mathcore.nice import nice_levels
from mathcore.symbolic import Formula, agree, defined, latex, smooth_2d
from mathcore.types import F64Array, to_numpy


@dataclass(frozen=True)
class DescentPath:
    """w_k = w_{k-1} − η ∇f(w_{k-1}) for k = 0..steps, with f(w_k) and ‖∇f(w_k)‖."""

    rate: float
    w: F64Array  # shape (steps + 1, 2)
    f: F64Array
    grad: F64Array  # ∇f(w_k), shape (steps + 1, 2)
    grad_norm: F64Array
    # Newton's step from the end, ‖H⁺∇f‖ (H's pseudo-inverse): about how far the flat point it nears lies.
    newton: float


@dataclass(frozen=True)
class GradientClip:
    """Every number and formula the descent template shows."""

    f_tex: str
    gradient_tex: tuple[str, str]  # (∂f/∂x, ∂f/∂y) as formulas
    start: tuple[float, float]
    f0: float
    gradient: tuple[float, float]  # ∇f at the start
    gradient_norm: float
    level_tangent: tuple[float, float]  # unit tangent of the level curve through the start
    descent: DescentPath  # the main walk
    contrast: tuple[DescentPath, ...]  # the same start at each of the contrast rates
    window: tuple[tuple[float, float], tuple[float, float]]  # plotted x and y ranges
    rate_limit: sp.Expr | None  # for a bowl (quadratic f): descent diverges above 2 / (largest Hessian eigenvalue)
    rate_limit_tex: str | None
    gradient_exact: tuple[sp.Expr, sp.Expr]  # ∇f at the start, exactly (numbers as written)
    f0_exact: sp.Expr
    unbounded_below: bool  # f is quadratic with a negative curvature: it has no lower bound
    end_curvatures: tuple[float, float]  # Hessian eigenvalues where the main walk ends: both > 0 at a minimum
    levels: tuple[LevelCurve, ...]  # the drawn contours
    marker_level: LevelCurve  # the contour through the start


@lru_cache(maxsize=32)
def _compiled(formula: Formula) -> Callable[..., tuple[jax.Array, ...]]:
    f2 = formula.jax

    def f(w: jax.Array) -> jax.Array:
        return f2(w[0], w[1])

    grad = jax.grad(f)

    @jax.jit
    def clip(start: jax.Array, rates: jax.Array, grid_x: jax.Array, grid_y: jax.Array, steps: jax.Array) -> tuple:  # type: ignore[type-arg]
        def run(rate: jax.Array) -> jax.Array:
            def step(w: jax.Array, _: jax.Array) -> tuple[jax.Array, jax.Array]:
                w_next = w - rate * grad(w)
                return w_next, w_next

            _, path = jax.lax.scan(step, start, steps)
            return jnp.concatenate([start[None, :], path])

        paths = jax.vmap(run)(rates)
        heights = jax.vmap(jax.vmap(f))(paths)
        grads = jax.vmap(jax.vmap(grad))(paths)
        grid_f = jax.vmap(jax.vmap(lambda x, y: f2(x, y), (0, None)), (None, 0))(grid_x, grid_y)
        end_hessians = jax.vmap(jax.hessian(f))(paths[:, -1])
        newton = jnp.linalg.norm(jnp.einsum("rij,rj->ri", jnp.linalg.pinv(end_hessians), grads[:, -1]), axis=-1)
        norms = jnp.linalg.norm(grads, axis=-1)
        return paths, heights, grads, norms, grid_f, jnp.linalg.eigvalsh(end_hessians[0]), newton

    return clip


def gradient_clip(
    f: str,
    start: tuple[float, float],
    rate: float,
    rates: Sequence[float],
    steps: int,
    window: tuple[tuple[float, float], tuple[float, float]] = ((-3.0, 3.0), (-3.0, 3.0)),
    levels: Sequence[float] | None = None,
    grid_size: int = 121,
) -> GradientClip:
    """The gradient at ``start``, descent paths at ``rate`` and each of ``rates``, and the contours.

    ``levels`` default to about six round levels between the lowest plotted value and the median.
    """
    formula = Formula.parse(f, ["x", "y"])
    partials = (formula.diff("x"), formula.diff("y"))
    smooth_2d(formula, window[0], "f")
    defined(formula, partials[0], "x", [start], "start")
    defined(formula, partials[1], "y", [start], "start")
    grid_x = np.linspace(*window[0], grid_size)
    grid_y = np.linspace(*window[1], grid_size)
    all_rates = np.asarray([rate, *rates], dtype=np.float64)
    out = _compiled(formula)(
        jnp.asarray(start, dtype=jnp.float64), jnp.asarray(all_rates), grid_x, grid_y, jnp.zeros(steps)
    )
    paths, heights, grads, norms, grid_f, end_curvatures, newton = (np.asarray(a) for a in out)
    gx, gy = (float(v) for v in grads[0, 0])
    agree(formula, partials[0], "x", [start], [gx])
    agree(formula, partials[1], "y", [start], [gy])
    norm = float(norms[0, 0])
    low, middle = float(grid_f.min()), float(np.median(grid_f))
    chosen = nice_levels(low, middle, 6) if levels is None else tuple(levels)
    curves = level_curves(grid_x, grid_y, grid_f, [*chosen, float(heights[0, 0])])
    limit, limit_tex, unbounded = _rate_limit(formula)
    runs = tuple(
        DescentPath(
            float(r),
            to_numpy(paths[i]),
            to_numpy(heights[i]),
            to_numpy(grads[i]),
            to_numpy(norms[i]),
            float(newton[i]) if np.isfinite(newton[i]) else math.inf,
        )
        for i, r in enumerate(all_rates)
    )
    return GradientClip(
        f_tex=formula.tex,
        gradient_tex=(partials[0].canonical_tex, partials[1].canonical_tex),
        start=(float(start[0]), float(start[1])),
        f0=float(heights[0, 0]),
        gradient=(gx, gy),
        gradient_norm=norm,
        level_tangent=(-gy / norm, gx / norm) if norm > 0 else (1.0, 0.0),
        descent=runs[0],
        contrast=runs[1:],
        window=(
            (float(window[0][0]), float(window[0][1])),
            (float(window[1][0]), float(window[1][1])),
        ),
        rate_limit=limit,
        rate_limit_tex=limit_tex,
        gradient_exact=(partials[0].exact(start), partials[1].exact(start)),
        f0_exact=formula.exact(start),
        unbounded_below=unbounded,
        end_curvatures=(float(end_curvatures[0]), float(end_curvatures[1])),
        levels=curves[:-1],
        marker_level=curves[-1],
    )


def _rate_limit(formula: Formula) -> tuple[sp.Expr | None, str | None, bool]:
    """2 / λ_max of the Hessian when f is a bowl (quadratic, every curvature > 0), and whether f is unbounded below.

    Above the limit, walks diverge. For any other f there is no such rate: a saddle's walk runs away
    at every rate, and a non-quadratic f's curvature changes along the way. A quadratic f with a
    negative curvature has no lower bound (exactly); for other f this is not decided (False).
    """
    x, y = formula.symbols
    hessian = sp.hessian(formula.expr, (x, y))
    if hessian.free_symbols or sp.diff(formula.expr, x, 3) != 0 or sp.diff(formula.expr, y, 3) != 0:
        return None, None, False
    eigenvalues = list(sp.Matrix(hessian).eigenvals())
    unbounded = any(value.is_negative for value in eigenvalues)
    if not all(value.is_positive for value in eigenvalues):
        return None, None, unbounded
    limit = sp.simplify(2 / max(eigenvalues))
    return limit, latex(limit), False
