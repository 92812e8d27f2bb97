"""Clip 3: the chain rule, as a gear train and as the computation graph of y = sin(x²)."""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.types import F64Array, to_numpy

#: Where the graph is evaluated.
X0 = 1.0

#: Tooth counts. A drives B; B' is fixed to B's axle and drives C.
#: The stage ratios are 30/15 = 2 and 40/8 = 5, so C turns 2 · 5 = 10 times as far as A.
TEETH_A, TEETH_B, TEETH_B2, TEETH_C = 30, 15, 40, 8


def inner(x: jax.Array) -> jax.Array:
    """U = x²."""
    return x**2


def outer(u: jax.Array) -> jax.Array:
    """Y = sin(u)."""
    return jnp.sin(u)


def composed(x: jax.Array) -> jax.Array:
    """Y = sin(x²)."""
    return outer(inner(x))


def stage(driver_teeth: int, driven_teeth: int) -> jax.Array:
    """Signed ratio of one meshing pair: the driven gear turns the other way, faster if smaller."""
    return jnp.asarray(-driver_teeth / driven_teeth, dtype=jnp.float64)


def angle_b(theta_a: jax.Array) -> jax.Array:
    """B's angle for A's angle (same units)."""
    return stage(TEETH_A, TEETH_B) * theta_a


def angle_c(theta_a: jax.Array) -> jax.Array:
    """C's angle for A's angle: the composition of both stages."""
    return stage(TEETH_B2, TEETH_C) * angle_b(theta_a)


@jax.jit
def _graph(x: jax.Array) -> tuple[jax.Array, ...]:
    u, du_dx = jax.value_and_grad(inner)(x)
    y, dy_du = jax.value_and_grad(outer)(u)
    dy_dx = jax.grad(composed)(x)
    # Backpropagation: pull the seed dy/dy = 1 back through the graph, one local rate at a time.
    _, pull_outer = jax.vjp(outer, u)
    _, pull_inner = jax.vjp(inner, x)
    (grad_u,) = pull_outer(jnp.ones_like(y))
    (grad_x,) = pull_inner(grad_u)
    return u, y, du_dx, dy_du, dy_dx, grad_u, grad_x


@jax.jit
def _gears(theta_a: jax.Array) -> tuple[jax.Array, ...]:
    angles_b = jax.vmap(angle_b)(theta_a)
    angles_c = jax.vmap(angle_c)(theta_a)
    stage_two = jax.grad(lambda theta_b: stage(TEETH_B2, TEETH_C) * theta_b)(0.0)
    return angles_b, angles_c, jax.grad(angle_b)(0.0), stage_two, jax.grad(angle_c)(0.0)


@dataclass(frozen=True)
class ChainGraph:
    """Forward values and local rates of x → u = x² → y = sin(u), and the backward pass."""

    x: float
    u: float
    y: float
    du_dx: float
    dy_du: float
    dy_dx: float  # from jax.grad of the whole composition
    backward: tuple[float, float, float]  # adjoints ȳ = 1, ū = dy/du, x̄ = dy/dx, from y back to x


@dataclass(frozen=True)
class GearTrain:
    """Tooth counts, signed stage ratios and the angles of A, B, C (degrees) at every frame."""

    teeth: tuple[int, int, int, int]  # A, B, B', C
    ratio_ab: float  # dθ_B/dθ_A, signed
    ratio_bc: float  # dθ_C/dθ_B, signed
    ratio_ac: float  # dθ_C/dθ_A, signed
    angle_a: F64Array
    angle_b: F64Array
    angle_c: F64Array


@dataclass(frozen=True)
class ChainClip:
    """Every number the chain-rule clip shows."""

    graph: ChainGraph
    gears: GearTrain
    curve_x: F64Array  # y = sin(x²) sampled for the closing tangent picture
    curve_y: F64Array


def chain_clip(theta_a: F64Array | None = None, x0: float = X0, curve_size: int = 201) -> ChainClip:
    """The graph at ``x0``, the gear angles for each of A's angles, and the curve y = sin(x²)."""
    thetas = np.asarray([0.0] if theta_a is None else theta_a, dtype=np.float64)
    u, y, du_dx, dy_du, dy_dx, grad_u, grad_x = (float(v) for v in _graph(jnp.float64(x0)))
    angles_b, angles_c, ratio_ab, ratio_bc, ratio_ac = _gears(jnp.asarray(thetas))
    curve_x = np.linspace(-2.0, 2.0, curve_size)
    curve_y = np.asarray(jax.jit(jax.vmap(composed))(jnp.asarray(curve_x)))
    return ChainClip(
        graph=ChainGraph(x0, u, y, du_dx, dy_du, dy_dx, (1.0, grad_u, grad_x)),
        gears=GearTrain(
            teeth=(TEETH_A, TEETH_B, TEETH_B2, TEETH_C),
            ratio_ab=float(ratio_ab),
            ratio_bc=float(ratio_bc),
            ratio_ac=float(ratio_ac),
            angle_a=to_numpy(thetas),
            angle_b=to_numpy(angles_b),
            angle_c=to_numpy(angles_c),
        ),
        curve_x=to_numpy(curve_x),
        curve_y=to_numpy(curve_y),
    )
