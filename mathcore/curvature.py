"""The curvature template: bowl or saddle from the Hessian, and the Jacobian as the best linear map.

SymPy gives every formula and exact matrix (gradient, Hessian, its eigenvalues, Jacobian); one
jitted JAX call gives the numbers (the −∇f field, ``jax.hessian``, ``jax.jacobian``, the images of a
small square), and each exact matrix is checked against JAX's before anything is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
import sympy as sp

from mathcore.errors import MathError
from mathcore.symbolic import AGREEMENT, Formula, exact_number, latex, smooth_2d
from mathcore.types import F64Array, to_numpy

#: Points along each edge of the small square, for its curved image.
EDGE_POINTS = 16


@dataclass(frozen=True)
class Curvature:
    """The Hessian of f(x, y) at a point, what its eigenvalues say, and f along each eigen-direction."""

    f_tex: str
    matrix_tex: str  # the Hessian at the point, exactly
    matrix: F64Array  # the same from jax.hessian
    eigenvalues: tuple[float, float]  # ascending
    eigenvalues_tex: tuple[str, str]
    directions: F64Array  # unit eigenvectors as rows, in the order of ``eigenvalues``
    directions_tex: tuple[str, str]  # each direction with small whole numbers: (1, -1)
    profiles_tex: tuple[str, str]  # f(p + t·v) − f(p) along each direction v (as written), in t
    exact_directions: bool  # the directions are whole numbers; if not, show ``directions`` rounded instead
    kind: str  # "saddle", "bowl", "cap" or "flat"
    # ∇f ≠ 0 where the Hessian is taken, and f is not a quadratic with one flat point: ``kind`` is the
    # curvature there only, no minimum, maximum or saddle point (decided exactly).
    sloped: bool = False


@dataclass(frozen=True)
class CurvatureClip:
    """Every number and formula the curvature template shows."""

    f_tex: str
    gradient_tex: tuple[str, str]
    point: tuple[float, float]
    gradient: tuple[float, float]  # ∇f at the point
    probe: tuple[float, float]
    flow: tuple[float, float]  # −∇f at the probe
    critical: tuple[float, float] | None  # where ∇f = 0, when there is exactly one such point
    critical_exact: tuple[sp.Expr, sp.Expr] | None  # the same, exactly (SymPy's solution)
    flow_exact: tuple[sp.Expr, sp.Expr]  # −∇f at the probe, exactly
    gradient_exact: tuple[sp.Expr, sp.Expr]  # ∇f at the point, exactly
    determinant_exact: sp.Expr
    field_points: F64Array  # (n, 2) grid points of the arrows
    field: F64Array  # −∇f at each
    curvature: Curvature  # f's Hessian at the critical point (or at the point when there is none)
    bowl: Curvature  # the contrast's, at the same place
    window: tuple[float, float]
    map_tex: tuple[str, str]  # F = (F_1, F_2)
    jacobian_tex: str  # the Jacobian of F, in x and y
    jacobian_at_tex: str  # at the point, exactly
    jacobian: F64Array  # from jax.jacobian
    determinant: float
    determinant_tex: str
    side: float  # the small square's side
    square: F64Array  # its boundary, (4 · EDGE_POINTS, 2), from the point
    image: F64Array  # the boundary's image under F
    linear_image: F64Array  # and under F(p) + J (q − p)
    cubic_tex: str
    cubic_gradient_tex: tuple[str, str]
    cubic_hessian_tex: str  # the Hessian of the cubic, in x and y
    cubic_hessian_at_tex: str  # at the point, exactly
    cubic_hessian: F64Array  # from jax.jacobian(jax.grad), checked against jax.hessian


def _vector(formula: Formula) -> Callable[[jax.Array], jax.Array]:
    f = formula.jax
    return lambda w: f(w[0], w[1])


@lru_cache(maxsize=16)
def _compiled(f: Formula, bowl: Formula, first: Formula, second: Formula, cubic: Formula) -> Callable[..., tuple]:  # type: ignore[type-arg]
    g, b, h = _vector(f), _vector(bowl), _vector(cubic)
    f1, f2 = first.jax, second.jax

    def mapped(w: jax.Array) -> jax.Array:
        return jnp.stack([f1(w[0], w[1]), f2(w[0], w[1])])

    @jax.jit
    def clip(
        point: jax.Array, probe: jax.Array, centre: jax.Array, grid: jax.Array, square: jax.Array
    ) -> tuple[jax.Array, ...]:
        grad = jax.grad(g)
        jacobian = jax.jacobian(mapped)(point)
        image = jax.vmap(mapped)(square)
        linear = mapped(point) + (square - point) @ jacobian.T
        return (
            grad(point),
            -grad(probe),
            -jax.vmap(grad)(grid),
            jax.hessian(g)(centre),
            jnp.linalg.eigvalsh(jax.hessian(g)(centre)),
            jax.hessian(b)(centre),
            jnp.linalg.eigvalsh(jax.hessian(b)(centre)),
            jacobian,
            image,
            linear,
            jax.jacobian(jax.grad(h))(point),
            jax.hessian(h)(point),
        )

    return clip


def curvature_clip(
    f: str,
    bowl: str,
    point: tuple[float, float],
    probe: tuple[float, float],
    window: tuple[float, float],
    mapping: tuple[str, str],
    side: float,
    cubic: str,
    arrows: int = 9,
) -> CurvatureClip:
    """Everything the clip shows: f's field and Hessian, the bowl's, F's Jacobian at ``point``, the cubic's Hessian."""
    variables = ["x", "y"]
    formula, contrast = Formula.parse(f, variables), Formula.parse(bowl, variables)
    first, second = (Formula.parse(text, variables) for text in mapping)
    cubic_f = Formula.parse(cubic, variables)
    smooth_2d(formula, window, "f")
    smooth_2d(contrast, window, "bowl")
    exact_critical = _critical(formula)
    critical = None if exact_critical is None else (float(exact_critical[0]), float(exact_critical[1]))
    centre = critical if critical is not None else point
    exact_centre = exact_critical if exact_critical is not None else tuple(exact_number(v) for v in point)
    ticks = np.linspace(window[0], window[1], arrows)
    grid = np.array([(x, y) for y in ticks for x in ticks])
    edge = np.linspace(0.0, 1.0, EDGE_POINTS, endpoint=False)
    zero, one = np.zeros_like(edge), np.ones_like(edge)
    sides = ((edge, zero), (one, edge), (1 - edge, one), (zero, 1 - edge))  # counter-clockwise from the point
    unit = np.concatenate([np.stack(pair, 1) for pair in sides])
    square = np.asarray(point) + side * unit
    out = _compiled(formula, contrast, first, second, cubic_f)(
        jnp.asarray(point, dtype=jnp.float64),
        jnp.asarray(probe, dtype=jnp.float64),
        jnp.asarray(centre, dtype=jnp.float64),
        jnp.asarray(grid),
        jnp.asarray(square),
    )
    gradient, flow, field, hessian, eigen, bowl_hessian, bowl_eigen, jacobian, image, linear, cubic_jac, cubic_hess = (
        np.asarray(a) for a in out
    )
    if not (np.all(np.isfinite(field)) and np.all(np.isfinite(image))):
        raise MathError(f"{formula.text} or the map is undefined somewhere on the plotted window", "f")
    x, y = formula.symbols
    exact_jacobian = sp.Matrix([first.expr, second.expr]).jacobian([x, y])
    cubic_hessian = sp.hessian(cubic_f.expr, (x, y))
    jacobian_at = _at(exact_jacobian, (x, y), point)
    cubic_at = _at(cubic_hessian, (x, y), point)
    _check(jacobian_at, jacobian, "the Jacobian of F")
    _check(cubic_at, cubic_jac, "the Jacobian of the cubic's gradient")
    _check(cubic_at, cubic_hess, "the Hessian of the cubic")
    determinant = sp.simplify(jacobian_at.det())
    partials = (formula.diff("x"), formula.diff("y"))
    return CurvatureClip(
        f_tex=formula.tex,
        gradient_tex=(formula.diff("x").canonical_tex, formula.diff("y").canonical_tex),
        point=(float(point[0]), float(point[1])),
        gradient=(float(gradient[0]), float(gradient[1])),
        probe=(float(probe[0]), float(probe[1])),
        flow=(float(flow[0]), float(flow[1])),
        critical=critical,
        critical_exact=exact_critical,
        flow_exact=(-partials[0].exact(probe), -partials[1].exact(probe)),
        gradient_exact=(partials[0].exact(point), partials[1].exact(point)),
        determinant_exact=determinant,
        field_points=to_numpy(grid),
        field=to_numpy(field),
        curvature=_curvature(formula, exact_centre, hessian, eigen),
        bowl=_curvature(contrast, exact_centre, bowl_hessian, bowl_eigen),
        window=(float(window[0]), float(window[1])),
        map_tex=(first.tex, second.tex),
        jacobian_tex=latex(exact_jacobian),
        jacobian_at_tex=latex(jacobian_at),
        jacobian=to_numpy(jacobian),
        determinant=float(determinant),
        determinant_tex=latex(determinant),
        side=float(side),
        square=to_numpy(square),
        image=to_numpy(image),
        linear_image=to_numpy(linear),
        cubic_tex=cubic_f.tex,
        cubic_gradient_tex=(cubic_f.diff("x").canonical_tex, cubic_f.diff("y").canonical_tex),
        cubic_hessian_tex=latex(cubic_hessian),
        cubic_hessian_at_tex=latex(cubic_at),
        cubic_hessian=to_numpy(cubic_jac),
    )


def _at(matrix: sp.Matrix, symbols: Sequence[sp.Symbol], point: Sequence[float | sp.Expr]) -> sp.Matrix:
    """The matrix at a point: a lesson's numbers as written, SymPy numbers as they are."""
    values = [v if isinstance(v, sp.Basic) else exact_number(v) for v in point]
    return sp.simplify(matrix.subs(dict(zip(symbols, values, strict=True))))


def _check(exact: sp.Matrix, numbers: np.ndarray, what: str) -> None:
    """SymPy's matrix against JAX's, entry by entry."""
    values = np.array(exact.evalf(), dtype=float)
    if not np.all(np.abs(values - numbers) <= AGREEMENT * np.maximum(1.0, np.abs(values))):
        raise MathError(f"{what}: SymPy says {values.tolist()}, JAX says {numbers.tolist()}")


def _critical(formula: Formula) -> tuple[sp.Expr, sp.Expr] | None:
    """The one real point where ∇f = 0, if there is exactly one, exactly (never through a float)."""
    x, y = formula.symbols
    try:
        found = sp.solve([sp.diff(formula.expr, x), sp.diff(formula.expr, y)], [x, y], dict=True)
    except NotImplementedError:
        return None
    real = [s for s in found if len(s) == 2 and all(v.is_real for v in s.values())]
    return (sp.simplify(real[0][x]), sp.simplify(real[0][y])) if len(real) == 1 else None


def _curvature(formula: Formula, at: tuple[sp.Expr, ...], numbers: np.ndarray, values: np.ndarray) -> Curvature:
    """The Hessian at ``at`` exactly (checked against JAX's), its eigen-pairs and the kind of point."""
    x, y = formula.symbols
    exact = _at(sp.hessian(formula.expr, (x, y)), (x, y), at)
    _check(exact, numbers, f"the Hessian of {formula.text}")
    pairs = sorted(
        ((value, vector) for value, _, basis in exact.eigenvects() for vector in basis),
        key=lambda pair: float(pair[0]),
    )
    if len(pairs) == 1:  # a repeated eigenvalue: every direction is an eigen-direction; show the axes
        pairs = [(pairs[0][0], sp.Matrix([1, 0])), (pairs[0][0], sp.Matrix([0, 1]))]
    t = sp.Symbol("t", real=True)
    start = formula.expr.subs({x: at[0], y: at[1]})
    profiles, directions = [], []
    for _, vector in pairs:
        whole = vector / sp.gcd(list(vector)) if all(v.is_rational for v in vector) else vector
        if whole[0] < 0 or (whole[0] == 0 and whole[1] < 0):
            whole = -whole
        directions.append(whole)
        moved = formula.expr.subs({x: at[0] + t * whole[0], y: at[1] + t * whole[1]}, simultaneous=True)
        profiles.append(latex(sp.expand(moved - start)))
    rows = np.array([[float(v) for v in d] for d in directions])
    lows = [float(value) for value, _ in pairs]
    if not np.allclose(lows, values, rtol=0, atol=AGREEMENT * max(1.0, float(np.abs(values).max()))):
        raise MathError(
            f"the eigenvalues of the Hessian of {formula.text}: SymPy says {lows}, JAX says {values.tolist()}"
        )
    kind = "saddle" if lows[0] < 0 < lows[1] else "bowl" if lows[0] > 0 else "cap" if lows[1] < 0 else "flat"
    gradient = [sp.simplify(sp.diff(formula.expr, v).subs({x: at[0], y: at[1]}, simultaneous=True)) for v in (x, y)]
    one_flat_point = not sp.hessian(formula.expr, (x, y)).free_symbols and kind != "flat"  # a quadratic's
    return Curvature(
        f_tex=formula.tex,
        matrix_tex=latex(exact),
        matrix=to_numpy(numbers),
        eigenvalues=(lows[0], lows[1]),
        eigenvalues_tex=(latex(pairs[0][0]), latex(pairs[1][0])),
        directions=to_numpy(rows / np.linalg.norm(rows, axis=1, keepdims=True)),
        directions_tex=tuple(rf"({latex(d[0])},\ {latex(d[1])})" for d in directions),  # type: ignore[arg-type]
        profiles_tex=(profiles[0], profiles[1]),
        exact_directions=all(v.is_rational for d in directions for v in d),
        kind=kind,
        sloped=any(g != 0 for g in gradient) and not one_flat_point,
    )
