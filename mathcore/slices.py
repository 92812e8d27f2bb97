"""The slices template: partial derivatives of any f(x, y) as the slopes of slices through a point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.contours import LevelCurve, level_curves
from mathcore.errors import MathError
from mathcore.nice import nice_levels
from mathcore.symbolic import Formula, agree, defined, exact_number, latex, smooth_2d
from mathcore.types import F64Array, to_numpy


@dataclass(frozen=True)
class Slice:
    """A curve cut out of the surface by holding one variable still.

    ``t`` is the free variable, ``f`` the height, ``slope`` the partial derivative along ``t``.
    """

    held: str  # the name of the variable held still, "x" or "y"
    held_at: float
    free: str
    tex: str  # the slice as a formula in the free variable, e.g. ``x^{2} + 6 x + 8``
    t: F64Array
    f: F64Array
    slope: F64Array


@dataclass(frozen=True)
class PartialClip:
    """Every number and formula the slices template shows."""

    f_tex: str
    dfdx_tex: str  # ∂f/∂x as a formula
    dfdy_tex: str
    dfdx_at: tuple[str, str]  # ∂f/∂x with the point substituted, and its exact value, in TeX
    dfdy_at: tuple[str, str]
    gradient_exact: tuple[sp.Expr, sp.Expr]  # (∂f/∂x, ∂f/∂y) at the point, exactly
    x0: float
    y0: float
    f0: float
    dfdx: float  # ∂f/∂x at (x0, y0)
    dfdy: float  # ∂f/∂y at (x0, y0)
    window: tuple[float, float]  # the contour plot's range, the same on both axes
    grid: F64Array  # contour-plot coordinates, the same on both axes
    grid_f: F64Array  # grid_f[j, i] = f(grid[i], grid[j])
    levels: tuple[LevelCurve, ...]
    mesh: F64Array  # 3D-surface coordinates, the same on both axes
    mesh_f: F64Array  # mesh_f[j, i] = f(mesh[i], mesh[j])
    slice_y: Slice  # y held at y0: f(x, y0)
    slice_x: Slice  # x held at x0: f(x0, y)

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂f/∂x, ∂f/∂y) at the point."""
        return (self.dfdx, self.dfdy)


@lru_cache(maxsize=32)
def _compiled(formula: Formula) -> Callable[..., tuple[jax.Array, ...]]:
    f = formula.jax

    def on_grid(xs: jax.Array, ys: jax.Array) -> jax.Array:
        return jax.vmap(jax.vmap(f, (0, None)), (None, 0))(xs, ys)

    @jax.jit
    def clip(grid: jax.Array, ts: jax.Array, mesh: jax.Array, point: jax.Array) -> tuple[jax.Array, ...]:
        x0, y0 = point[0], point[1]
        along_x = jax.vmap(jax.value_and_grad(lambda x: f(x, y0)))(ts)
        along_y = jax.vmap(jax.value_and_grad(lambda y: f(x0, y)))(ts)
        dfdx, dfdy = jax.grad(f, argnums=(0, 1))(x0, y0)
        return (on_grid(grid, grid), on_grid(mesh, mesh), *along_x, *along_y, f(x0, y0), dfdx, dfdy)

    return clip


def partial_clip(
    f: str,
    point: tuple[float, float],
    window: tuple[float, float] = (-3.0, 3.0),
    levels: Sequence[float] | None = None,
    grid_size: int = 241,
    slice_size: int = 121,
    mesh_size: int = 13,
    surface_share: float = 5 / 6,
) -> PartialClip:
    """The surface on a grid and a mesh, its level curves, both slices through ``point`` and the partials.

    ``levels`` default to about ten round levels over the plotted values; the 3D mesh covers the
    middle ``surface_share`` of the window.
    """
    formula = Formula.parse(f, ["x", "y"])
    dfdx_f, dfdy_f = formula.diff("x"), formula.diff("y")
    smooth_2d(formula, window, "f")
    defined(formula, dfdx_f, "x", [point], "point")
    defined(formula, dfdy_f, "y", [point], "point")
    grid = np.linspace(*window, grid_size)
    ts = np.linspace(*window, slice_size)
    middle, half = (window[0] + window[1]) / 2, (window[1] - window[0]) / 2 * surface_share
    mesh = np.linspace(middle - half, middle + half, mesh_size)
    out = [np.asarray(a) for a in _compiled(formula)(grid, ts, mesh, jnp.asarray(point, dtype=jnp.float64))]
    grid_f, mesh_f, fx, sx, fy, sy, f0, dfdx, dfdy = out
    agree(formula, dfdx_f, "x", [point], [float(dfdx)])
    agree(formula, dfdy_f, "y", [point], [float(dfdy)])
    for name, values in (("the plotted window", grid_f), ("the slices", np.concatenate([fx, sx, fy, sy]))):
        if not np.all(np.isfinite(values)):
            raise MathError(f"{formula.text} is undefined or infinite somewhere on {name}", "f")
    x0, y0 = float(point[0]), float(point[1])
    chosen = nice_levels(float(grid_f.min()), float(grid_f.max()), 14) if levels is None else tuple(levels)
    x, y = formula.symbols
    return PartialClip(
        f_tex=formula.tex,
        dfdx_tex=dfdx_f.canonical_tex,
        dfdy_tex=dfdy_f.canonical_tex,
        dfdx_at=(dfdx_f.substituted_tex(point), dfdx_f.exact_tex(point)),
        dfdy_at=(dfdy_f.substituted_tex(point), dfdy_f.exact_tex(point)),
        gradient_exact=(dfdx_f.exact(point), dfdy_f.exact(point)),
        x0=x0,
        y0=y0,
        f0=float(f0),
        dfdx=float(dfdx),
        dfdy=float(dfdy),
        window=(float(window[0]), float(window[1])),
        grid=to_numpy(grid),
        grid_f=to_numpy(grid_f),
        levels=level_curves(grid, grid, grid_f, chosen),
        mesh=to_numpy(mesh),
        mesh_f=to_numpy(mesh_f),
        slice_y=Slice("y", y0, "x", _slice_tex(formula, y, point[1]), to_numpy(ts), to_numpy(fx), to_numpy(sx)),
        slice_x=Slice("x", x0, "y", _slice_tex(formula, x, point[0]), to_numpy(ts), to_numpy(fy), to_numpy(sy)),
    )


def _slice_tex(formula: Formula, held: sp.Symbol, at: float) -> str:
    """TeX of f with one variable held at a number, expanded: ``x^{2} + 6 x + 8``."""
    return latex(sp.expand(formula.expr.subs(held, exact_number(at))))
