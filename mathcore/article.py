"""The worked examples of the JAX calculus article, which the math core is modelled on."""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.types import F64Array, to_numpy


def saddle(w: jax.Array) -> jax.Array:
    """x² + 3xy + y²: the article's gradient-field example (a saddle, not a bowl)."""
    x, y = w[0], w[1]
    return x**2 + 3 * x * y + y**2


def vector_fn(w: jax.Array) -> jax.Array:
    """(x₀² + x₁, x₀x₁³)."""
    return jnp.array([w[0] ** 2 + w[1], w[0] * w[1] ** 3])


def cubic(w: jax.Array) -> jax.Array:
    """x₀³ + x₀x₁² + x₁³."""
    return w[0] ** 3 + w[0] * w[1] ** 2 + w[1] ** 3


def shifted_bowl(x: jax.Array) -> jax.Array:
    """(x − 3)² + 1, minimum at x = 3."""
    return (x - 3.0) ** 2 + 1.0


@dataclass(frozen=True)
class ArticleValues:
    """The article's printed results, recomputed exactly."""

    saddle_gradient: F64Array  # ∇(x² + 3xy + y²) at (1, 2)
    saddle_hessian_eigenvalues: F64Array  # ascending
    jacobian: F64Array  # of vector_fn at (1, 2)
    hessian: F64Array  # of cubic at (1, 2)
    sin_derivatives: F64Array  # sin, sin', sin'', sin''' at π/4
    descent_path: F64Array  # x_0..x_steps on (x − 3)² + 1


def _sin_derivatives(x: jax.Array) -> jax.Array:
    d1 = jax.grad(jnp.sin)
    d2 = jax.grad(d1)
    d3 = jax.grad(d2)
    return jnp.stack([jnp.sin(x), d1(x), d2(x), d3(x)])


def _descend_1d(x0: jax.Array, rate: float, steps: int) -> jax.Array:
    def step(x: jax.Array, _: None) -> tuple[jax.Array, jax.Array]:
        x_next = x - rate * jax.grad(shifted_bowl)(x)
        return x_next, x_next

    _, path = jax.lax.scan(step, x0, None, length=steps)
    return jnp.concatenate([x0[None], path])


def article_values(rate: float = 0.1, steps: int = 50) -> ArticleValues:
    """Every example of the article, at the article's points."""
    point = jnp.array([1.0, 2.0])
    return ArticleValues(
        saddle_gradient=to_numpy(jax.grad(saddle)(point)),
        saddle_hessian_eigenvalues=to_numpy(np.linalg.eigvalsh(np.asarray(jax.hessian(saddle)(point)))),
        jacobian=to_numpy(jax.jacobian(vector_fn)(point)),
        hessian=to_numpy(jax.hessian(cubic)(point)),
        sin_derivatives=to_numpy(_sin_derivatives(jnp.float64(jnp.pi / 4))),
        descent_path=to_numpy(_descend_1d(jnp.float64(0.0), rate, steps)),
    )
