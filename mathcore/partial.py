"""Clip 2: partial derivatives of f(x, y) = x² + 3xy + y³ as slopes of slices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.contours import LevelCurve, level_curves
from mathcore.types import F64Array, to_numpy

#: The point where both slices are taken.
POINT: tuple[float, float] = (1.0, 2.0)
#: The contour plot's window (both axes) and its labelled levels.
WINDOW: tuple[float, float] = (-3.0, 3.0)
LEVELS: tuple[float, ...] = (-40.0, -30.0, -20.0, -10.0, 0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0)
#: The smaller square drawn as a 3D surface.
SURFACE_WINDOW: tuple[float, float] = (-2.5, 2.5)
#: Slices are polynomials of degree at most 3 in their free variable.
SLICE_DEGREE = 3


def surface(x: jax.Array, y: jax.Array) -> jax.Array:
    """f(x, y) = x² + 3xy + y³."""
    return x**2 + 3 * x * y + y**3


def _on_grid(xs: jax.Array, ys: jax.Array) -> jax.Array:
    """F on the grid: result[j, i] = f(xs[i], ys[j])."""
    return jax.vmap(jax.vmap(surface, (0, None)), (None, 0))(xs, ys)


def _taylor_at_zero(g: Callable[[jax.Array], jax.Array]) -> jax.Array:
    """Coefficients c_k = g⁽ᵏ⁾(0) / k! for k = 0..SLICE_DEGREE: exact for a polynomial slice."""
    coefficients, derivative, factorial = [], g, 1.0
    for k in range(SLICE_DEGREE + 1):
        factorial *= max(k, 1)
        coefficients.append(derivative(jnp.float64(0.0)) / factorial)
        derivative = jax.grad(derivative)
    return jnp.stack(coefficients)


@jax.jit
def _clip(grid: jax.Array, ts: jax.Array, mesh: jax.Array, point: jax.Array) -> tuple[jax.Array, ...]:
    x0, y0 = point[0], point[1]

    def along_x(x: jax.Array) -> jax.Array:  # y held at y0
        return surface(x, y0)

    def along_y(y: jax.Array) -> jax.Array:  # x held at x0
        return surface(x0, y)

    slope_x = jax.vmap(jax.value_and_grad(along_x))(ts)
    slope_y = jax.vmap(jax.value_and_grad(along_y))(ts)
    dfdx, dfdy = jax.grad(surface, argnums=(0, 1))(x0, y0)
    return (
        _on_grid(grid, grid),
        _on_grid(mesh, mesh),
        *slope_x,
        *slope_y,
        _taylor_at_zero(along_x),
        _taylor_at_zero(along_y),
        surface(x0, y0),
        dfdx,
        dfdy,
    )


@dataclass(frozen=True)
class Slice:
    """A curve cut out of the surface by holding one variable still.

    ``t`` is the free variable, ``f`` the height, ``slope`` the partial derivative along ``t``;
    ``coefficients`` are the slice as a polynomial in ``t``, lowest power first.
    """

    held: str  # the name of the variable held still, "x" or "y"
    held_at: float
    t: F64Array
    f: F64Array
    slope: F64Array
    coefficients: tuple[float, ...]


@dataclass(frozen=True)
class PartialClip:
    """Every number the partial-derivative clip shows."""

    x0: float
    y0: float
    f0: float
    dfdx: float  # ∂f/∂x at (x0, y0)
    dfdy: float  # ∂f/∂y at (x0, y0)
    grid: F64Array  # contour-plot coordinates, the same on both axes
    grid_f: F64Array  # grid_f[j, i] = f(grid[i], grid[j])
    levels: tuple[LevelCurve, ...]
    mesh: F64Array  # 3D-surface coordinates, the same on both axes
    mesh_f: F64Array  # mesh_f[j, i] = f(mesh[i], mesh[j])
    slice_y: Slice  # y held at y0: f(x, y0)
    slice_x: Slice  # x held at x0: f(x0, y)

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂f/∂x, ∂f/∂y) at the point: the gradient of the next clip."""
        return (self.dfdx, self.dfdy)


def partial_clip(
    point: tuple[float, float] = POINT,
    grid_size: int = 241,
    slice_size: int = 121,
    mesh_size: int = 13,
    levels: Sequence[float] = LEVELS,
) -> PartialClip:
    """The surface on a grid and a mesh, its level curves, both slices through ``point`` and the partials."""
    grid = np.linspace(*WINDOW, grid_size)
    ts = np.linspace(*WINDOW, slice_size)
    mesh = np.linspace(*SURFACE_WINDOW, mesh_size)
    out = [np.asarray(a) for a in _clip(grid, ts, mesh, jnp.asarray(point, dtype=jnp.float64))]
    grid_f, mesh_f, fx, sx, fy, sy, cx, cy, f0, dfdx, dfdy = out
    x0, y0 = float(point[0]), float(point[1])
    return PartialClip(
        x0=x0,
        y0=y0,
        f0=float(f0),
        dfdx=float(dfdx),
        dfdy=float(dfdy),
        grid=to_numpy(grid),
        grid_f=to_numpy(grid_f),
        levels=level_curves(grid, grid, grid_f, levels),
        mesh=to_numpy(mesh),
        mesh_f=to_numpy(mesh_f),
        slice_y=Slice("y", y0, to_numpy(ts), to_numpy(fx), to_numpy(sx), tuple(float(c) for c in cx)),
        slice_x=Slice("x", x0, to_numpy(ts), to_numpy(fy), to_numpy(sy), tuple(float(c) for c in cy)),
    )
