"""The descent-in-one-dimension template: gradient descent on any f(x), step by step.

x_{k+1} = x_k − η f'(x_k). JAX walks the whole path in one jitted ``lax.scan``; SymPy gives the
first steps exactly (the numbers as written: 0.1 is 1/10), and, when f'' is constant (f
quadratic), the closed form x_k = m + (x_0 − m)(1 − η f'')^k.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.errors import MathError
from mathcore.exact import text_of
from mathcore.symbolic import Formula, agree, defined, exact_number, latex, smooth
from mathcore.types import F64Array, to_numpy

#: How many of the first steps are worked out exactly, as fractions.
EXACT_STEPS = 3


@dataclass(frozen=True)
class ExactStep:
    """One step worked out exactly: x_{k+1} = x_k − η f'(x_k), each part in TeX."""

    x: str  # x_k
    slope: str  # f'(x_k)
    move: str  # −η f'(x_k)
    move_value: float
    next_x: str  # x_{k+1}
    next_value: float  # x_{k+1} as a float64, from the fraction
    slope_exact: sp.Expr  # f'(x_k), −η f'(x_k) and x_{k+1} as SymPy numbers
    move_exact: sp.Expr
    next_exact: sp.Expr


@dataclass(frozen=True)
class Descent1DClip:
    """Every number and formula the descent-in-one-dimension template shows."""

    f_tex: str
    slope_tex: str  # f'(x)
    start_substituted: str  # f'(x_0) written out, e.g. ``2 \cdot 0 - 6``
    curvature_tex: str  # f''(x)
    rate: float
    x: F64Array  # x_0 .. x_steps
    f: F64Array
    slope: F64Array  # f'(x_k)
    curvature: F64Array  # f''(x_k)
    exact_steps: tuple[ExactStep, ...]  # the first steps, exactly
    closed_form: str | None  # TeX of x_k when f is quadratic, else None
    minimum: float | None  # where f' = 0 when f is quadratic with f'' > 0
    curve_x: F64Array  # the curve over the window, for drawing it
    curve_f: F64Array


@lru_cache(maxsize=32)
def _compiled(formula: Formula) -> Callable[..., tuple[jax.Array, ...]]:
    f = formula.jax
    slope = jax.grad(f)
    curvature = jax.grad(slope)

    @jax.jit
    def clip(x0: jax.Array, rate: jax.Array, steps: jax.Array, curve: jax.Array) -> tuple[jax.Array, ...]:
        def step(x: jax.Array, _: jax.Array) -> tuple[jax.Array, jax.Array]:
            x_next = x - rate * slope(x)
            return x_next, x_next

        _, path = jax.lax.scan(step, x0, steps)
        xs = jnp.concatenate([x0[None], path])
        return xs, jax.vmap(f)(xs), jax.vmap(slope)(xs), jax.vmap(curvature)(xs), jax.vmap(f)(curve)

    return clip


def descent_1d_clip(
    f: str, x0: float, rate: float, steps: int, window: tuple[float, float], curve_size: int = 241
) -> Descent1DClip:
    """The walk x_0 .. x_steps at ``rate`` from ``x0``, f, f' and f'' along it, and the curve over ``window``."""
    formula = Formula.parse(f, ["x"])
    slope_f = formula.diff("x")
    curvature_f = slope_f.diff("x")
    smooth(formula, window, "f")
    defined(formula, slope_f, "x", [[x0]], "x0")
    curve_x = np.linspace(window[0], window[1], curve_size)
    out = _compiled(formula)(jnp.float64(x0), jnp.float64(rate), jnp.zeros(steps), jnp.asarray(curve_x))
    xs, values, slopes, curvatures, curve_f = (np.asarray(a) for a in out)
    if not (np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))):
        raise MathError(
            f"the walk on {formula.text} at rate {text_of(rate)} diverges past what float64 holds; lower the rate",
            "rate",
        )
    if not np.all(np.isfinite(curve_f)):
        raise MathError(f"{formula.text} is undefined or too large for float64 somewhere on the window", "f")
    agree(formula, slope_f, "x", [[x0]], [float(slopes[0])])
    agree(slope_f, curvature_f, "x", [[x0]], [float(curvatures[0])])
    exact = _exact_steps(slope_f, x0, rate, min(EXACT_STEPS, steps))
    for k, step in enumerate(exact, start=1):  # SymPy's fractions against JAX's floats
        if not abs(step.next_value - float(xs[k])) <= 1e-12 * max(1.0, abs(step.next_value)):
            raise MathError(f"step {k}: SymPy says {step.next_value!r}, JAX says {float(xs[k])!r}")
    closed, minimum = _closed_form(slope_f, curvature_f, x0, rate)
    return Descent1DClip(
        f_tex=formula.tex,
        slope_tex=slope_f.canonical_tex,
        start_substituted=slope_f.substituted_tex([x0]),
        curvature_tex=curvature_f.canonical_tex,
        rate=float(rate),
        x=to_numpy(xs),
        f=to_numpy(values),
        slope=to_numpy(slopes),
        curvature=to_numpy(curvatures),
        exact_steps=exact,
        closed_form=closed,
        minimum=minimum,
        curve_x=to_numpy(curve_x),
        curve_f=to_numpy(curve_f),
    )


def _exact_steps(slope: Formula, x0: float, rate: float, count: int) -> tuple[ExactStep, ...]:
    (x,) = slope.symbols
    eta, here = exact_number(rate), exact_number(x0)
    steps = []
    for _ in range(count):
        gradient = sp.simplify(slope.expr.subs(x, here))
        move = sp.simplify(-eta * gradient)
        after = sp.simplify(here + move)
        steps.append(
            ExactStep(
                latex(here),
                latex(gradient),
                latex(move),
                float(move),
                latex(after),
                float(after),
                gradient,
                move,
                after,
            )
        )
        here = after
    return tuple(steps)


def _closed_form(slope: Formula, curvature: Formula, x0: float, rate: float) -> tuple[str | None, float | None]:
    """x_k = m + (x_0 − m)(1 − η f'')^k when f'' is a constant (f quadratic), with m where f' = 0."""
    if curvature.expr.free_symbols or curvature.expr == 0:
        return None, None
    (x,) = slope.symbols
    (m,) = sp.solve(slope.expr, x)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    factor = sp.simplify(1 - exact_number(rate) * curvature.expr)
    form = m + (exact_number(x0) - m) * sp.Pow(factor, k, evaluate=False)
    minimum = float(m) if curvature.expr.is_positive else None
    return latex(form), minimum
