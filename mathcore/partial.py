"""Clip 2: partial derivatives of f(x, y) = x² + 3xy + y³ as slopes of slices."""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.types import F64Array, to_numpy

#: The point where both slices are taken.
POINT: tuple[float, float] = (1.0, 2.0)
#: The plotted window, x and y ranges.
X_RANGE: tuple[float, float] = (-3.0, 3.0)
Y_RANGE: tuple[float, float] = (-3.0, 3.0)


def surface(x: jax.Array, y: jax.Array) -> jax.Array:
    """f(x, y) = x² + 3xy + y³."""
    return x**2 + 3 * x * y + y**3


_partials = jax.grad(surface, argnums=(0, 1))


def _slice_x(x: jax.Array, y0: jax.Array) -> tuple[jax.Array, jax.Array]:
    """f(x, y0) and its slope in x: the curve left by holding y still."""
    return jax.value_and_grad(surface, argnums=0)(x, y0)


def _slice_y(y: jax.Array, x0: jax.Array) -> tuple[jax.Array, jax.Array]:
    """f(x0, y) and its slope in y: the curve left by holding x still."""
    return jax.value_and_grad(surface, argnums=1)(x0, y)


@jax.jit
def _clip(
    grid_x: jax.Array, grid_y: jax.Array, xs: jax.Array, ys: jax.Array, point: jax.Array
) -> tuple[jax.Array, ...]:
    x0, y0 = point[0], point[1]
    grid = jax.vmap(jax.vmap(surface, (0, None)), (None, 0))(grid_x, grid_y)
    along_x, along_x_slope = jax.vmap(_slice_x, (0, None))(xs, y0)
    along_y, along_y_slope = jax.vmap(_slice_y, (0, None))(ys, x0)
    dfdx, dfdy = _partials(x0, y0)
    return grid, along_x, along_x_slope, along_y, along_y_slope, surface(x0, y0), dfdx, dfdy


@dataclass(frozen=True)
class Slice:
    """A curve cut out of the surface by holding one variable still.

    ``t`` is the free variable, ``f`` the height, ``slope`` the partial derivative along ``t``.
    """

    held: str  # the name of the variable held still, "x" or "y"
    held_at: float
    t: F64Array
    f: F64Array
    slope: F64Array


@dataclass(frozen=True)
class PartialClip:
    """Every number the partial-derivative clip shows."""

    x0: float
    y0: float
    f0: float
    dfdx: float  # ∂f/∂x at (x0, y0)
    dfdy: float  # ∂f/∂y at (x0, y0)
    grid_x: F64Array  # shape (nx,)
    grid_y: F64Array  # shape (ny,)
    grid_f: F64Array  # shape (ny, nx): grid_f[j, i] = f(grid_x[i], grid_y[j])
    slice_y: Slice  # y held at y0: f(x, y0)
    slice_x: Slice  # x held at x0: f(x0, y)

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂f/∂x, ∂f/∂y) at the point: the gradient of the next clip."""
        return (self.dfdx, self.dfdy)


def partial_clip(
    point: tuple[float, float] = POINT,
    grid_size: int = 61,
    slice_size: int = 121,
    x_range: tuple[float, float] = X_RANGE,
    y_range: tuple[float, float] = Y_RANGE,
) -> PartialClip:
    """The surface on a grid, both slices through ``point`` and the partials there, in one call."""
    grid_x = np.linspace(*x_range, grid_size)
    grid_y = np.linspace(*y_range, grid_size)
    xs = np.linspace(*x_range, slice_size)
    ys = np.linspace(*y_range, slice_size)
    out = [np.asarray(a) for a in _clip(grid_x, grid_y, xs, ys, jnp.asarray(point, dtype=jnp.float64))]
    grid, along_x, along_x_slope, along_y, along_y_slope, f0, dfdx, dfdy = out
    x0, y0 = float(point[0]), float(point[1])
    return PartialClip(
        x0=x0,
        y0=y0,
        f0=float(f0),
        dfdx=float(dfdx),
        dfdy=float(dfdy),
        grid_x=to_numpy(grid_x),
        grid_y=to_numpy(grid_y),
        grid_f=to_numpy(grid),
        slice_y=Slice("y", y0, to_numpy(xs), to_numpy(along_x), to_numpy(along_x_slope)),
        slice_x=Slice("x", x0, to_numpy(ys), to_numpy(along_y), to_numpy(along_y_slope)),
    )
