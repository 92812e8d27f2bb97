"""The chain template: a gear train given by its tooth counts, and the graph of any outer(inner(x)).

A driven gear turns the other way from its driver, faster when smaller: each mesh's ratio is
−(driver teeth)/(driven teeth), and the train's ratio is the product of its stages, signs included.
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
from mathcore.symbolic import Formula, agree, defined, latex, smooth
from mathcore.types import F64Array, to_numpy


def stage(driver_teeth: int, driven_teeth: int) -> float:
    """Signed ratio of one meshing pair: dθ_driven/dθ_driver."""
    return -driver_teeth / driven_teeth


@dataclass(frozen=True)
class ChainGraph:
    """Forward values, local rates and the backward pass of x → u = inner(x) → y = outer(u)."""

    x: float
    u: float
    y: float
    du_dx: float
    dy_du: float
    dy_dx: float  # from jax.grad of the whole composition
    backward: tuple[float, float, float]  # adjoints ȳ = 1, ū = dy/du, x̄ = dy/dx, from y back to x
    inner_tex: str  # u = inner(x)
    outer_tex: str  # y = outer(u)
    composed_tex: str  # y = outer(inner(x))
    du_dx_tex: str  # the local rates as formulas
    dy_du_tex: str
    exact_tex: dict[str, str]  # exact values by name: "u", "y", "du/dx", "dy/du", "dy/dx"
    exact: dict[str, sp.Expr]  # the same as SymPy numbers


@dataclass(frozen=True)
class GearTrain:
    """Tooth counts, signed stage ratios and the angles of A, B, C (degrees) at every frame."""

    teeth: tuple[int, int, int, int]  # A, B, B', C
    ratio_ab: float  # dθ_B/dθ_A, signed
    ratio_bc: float  # dθ_C/dθ_B, signed
    ratio_ac: float  # dθ_C/dθ_A, signed
    ratio_tex: dict[str, str]  # each ratio as an exact fraction in TeX
    angle_a: F64Array
    angle_b: F64Array
    angle_c: F64Array


@dataclass(frozen=True)
class ChainClip:
    """Every number and formula the chain template shows."""

    graph: ChainGraph
    gears: GearTrain
    curve_x: F64Array  # y = outer(inner(x)) sampled for the closing tangent picture
    curve_y: F64Array


@lru_cache(maxsize=32)
def _compiled(inner: Formula, outer: Formula) -> Callable[..., tuple[jax.Array, ...]]:
    f_in, f_out = inner.jax, outer.jax

    def composed(x: jax.Array) -> jax.Array:
        return f_out(f_in(x))

    @jax.jit
    def clip(x: jax.Array, curve: jax.Array, ratios: jax.Array, theta_a: jax.Array) -> tuple[jax.Array, ...]:
        u, du_dx = jax.value_and_grad(f_in)(x)
        y, dy_du = jax.value_and_grad(f_out)(u)
        dy_dx = jax.grad(composed)(x)
        # Backpropagation: pull the seed dy/dy = 1 back through the graph, one local rate at a time.
        _, pull_outer = jax.vjp(f_out, u)
        _, pull_inner = jax.vjp(f_in, x)
        (grad_u,) = pull_outer(jnp.ones_like(y))
        (grad_x,) = pull_inner(grad_u)
        angle_b = ratios[0] * theta_a
        angle_c = ratios[1] * angle_b
        # dθ_C/dθ_A by differentiating the train, not by multiplying the numbers by hand.
        ratio_ac = jax.grad(lambda a: ratios[1] * (ratios[0] * a))(jnp.float64(0.0))
        return u, y, du_dx, dy_du, dy_dx, grad_u, grad_x, jax.vmap(composed)(curve), angle_b, angle_c, ratio_ac

    return clip


def chain_clip(
    inner: str,
    outer: str,
    x0: float,
    teeth: tuple[int, int, int, int],
    theta_a: F64Array | None = None,
    window: tuple[float, float] = (-2.0, 2.0),
    curve_size: int = 201,
) -> ChainClip:
    """The graph at ``x0``, the gear angles for each of A's angles (degrees), and the curve over ``window``."""
    f_in, f_out = Formula.parse(inner, ["x"]), Formula.parse(outer, ["u"])
    du_dx_f, dy_du_f = f_in.diff("x"), f_out.diff("u")
    u_sym = f_out.symbols[0]
    composed = Formula.of(f_out.expr.subs(u_sym, f_in.expr), ["x"])
    dy_dx_f = composed.diff("x")
    smooth(f_in, window, "inner", order=1)
    smooth(composed, window, "outer", order=1)
    defined(f_in, du_dx_f, "x", [[x0]], "x0")
    defined(composed, dy_dx_f, "x", [[x0]], "x0")
    u_exact = f_in.exact([x0])
    thetas = np.asarray([0.0] if theta_a is None else theta_a, dtype=np.float64)
    a, b, b2, c = teeth
    ratios = np.array([stage(a, b), stage(b2, c)], dtype=np.float64)
    curve_x = np.linspace(window[0], window[1], curve_size)
    out = _compiled(f_in, f_out)(jnp.float64(x0), jnp.asarray(curve_x), jnp.asarray(ratios), jnp.asarray(thetas))
    u, y, du_dx, dy_du, dy_dx, grad_u, grad_x = (float(v) for v in out[:7])
    curve_y, angles_b, angles_c, ratio_ac = (np.asarray(v) for v in out[7:])
    defined(f_out, dy_du_f, "u", [[u]], "outer")
    agree(f_in, du_dx_f, "x", [[x0]], [du_dx])
    agree(f_out, dy_du_f, "u", [[u]], [dy_du])
    agree(composed, dy_dx_f, "x", [[x0]], [dy_dx])
    if not np.all(np.isfinite(curve_y)):
        raise MathError(f"{composed.text} is undefined or too large for float64 somewhere on the window", "outer")
    values = {
        "u": u_exact,
        "y": sp.simplify(f_out.expr.subs(u_sym, u_exact)),
        "du/dx": du_dx_f.exact([x0]),
        "dy/du": sp.simplify(dy_du_f.expr.subs(u_sym, u_exact)),
        "dy/dx": dy_dx_f.exact([x0]),
    }
    exact = {name: latex(value) for name, value in values.items()}
    fractions = {
        "ab": latex(sp.Rational(-a, b)),
        "bc": latex(sp.Rational(-b2, c)),
        "ac": latex(sp.Rational(a * b2, b * c)),
    }
    return ChainClip(
        graph=ChainGraph(
            x=float(x0),
            u=u,
            y=y,
            du_dx=du_dx,
            dy_du=dy_du,
            dy_dx=dy_dx,
            backward=(1.0, grad_u, grad_x),
            inner_tex=f_in.tex,
            outer_tex=f_out.tex,
            composed_tex=latex(composed.expr),
            du_dx_tex=du_dx_f.canonical_tex,
            dy_du_tex=dy_du_f.canonical_tex,
            exact_tex={k: str(v) for k, v in exact.items()},
            exact=values,
        ),
        gears=GearTrain(
            teeth=(a, b, b2, c),
            ratio_ab=float(ratios[0]),
            ratio_bc=float(ratios[1]),
            ratio_ac=float(ratio_ac),
            ratio_tex={k: str(v) for k, v in fractions.items()},
            angle_a=to_numpy(thetas),
            angle_b=to_numpy(angles_b),
            angle_c=to_numpy(angles_c),
        ),
        curve_x=to_numpy(curve_x),
        curve_y=to_numpy(curve_y),
    )
