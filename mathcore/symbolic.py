"""Formulas from SymPy, numbers from JAX, and a check that the two agree.

A ``Formula`` is built from an expression that ``mathcore.expressions`` accepted, node by node
(SymPy's own parsers call ``eval``, so they never see the text). SymPy says what a derivative is
and how it is written; JAX evaluates it in float64; ``agree`` asserts that SymPy's derivative,
evaluated, equals ``jax.grad`` at the points a clip shows.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import jax
import jax.numpy as jnp
import sympy as sp
from sympy.printing.latex import LatexPrinter

from mathcore.errors import MathError
from mathcore.exact import text_of
from mathcore.expressions import ExpressionError, parse

#: SymPy's derivative evaluated must equal jax.grad this closely (relative to the size of the value).
AGREEMENT = 1e-12
#: Points with more digits than this (numerator and denominator together) are not simplified.
SIMPLIFY_DIGITS = 40

_FUNCTIONS: dict[str, Any] = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
}


#: Functions with a kink or a jump where their argument is zero.
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.floor, sp.ceiling)


class _Printer(LatexPrinter):
    """SymPy's TeX, with a fraction slashed only where its denominator is one term: ``x / 3``, never ``x / 2 y``."""

    def _print_Mul(self, expr: sp.Expr) -> str:
        body = -expr if expr.could_extract_minus_sign() else expr
        numer, denom = sp.fraction(body, exact=True)
        if denom is not sp.S.One and numer != body and len(self._print(denom).split()) > 1:
            sign = "- " if body is not expr else ""
            return rf"{sign}\frac{{{self._print(numer)}}}{{{self._print(denom)}}}"
        return str(super()._print_Mul(expr))


def latex(expr: sp.Expr, **settings: Any) -> str:
    r"""TeX of ``expr``, a short fraction slashed (``x / 3``, ``e^{-9/8}``: shorter and no smaller type)."""
    return str(_Printer({"fold_short_frac": True, **settings}).doprint(expr))


def exact_number(value: float) -> sp.Rational:
    """A written number, exactly: ``0.1`` is 1/10, not the nearest double."""
    return sp.Rational(text_of(value))


def _build(node: ast.expr, symbols: dict[str, sp.Symbol], evaluate: bool) -> sp.Expr:
    match node:
        case ast.Constant(value=int() | float() as value):
            return exact_number(value)
        case ast.Name(id="pi"):
            return sp.pi
        case ast.Name(id=name):
            return symbols[name]
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            inner = _build(operand, symbols, evaluate)
            return sp.Mul(-1, inner, evaluate=evaluate) if not inner.is_Number else -inner
        case ast.UnaryOp(operand=operand):
            return _build(operand, symbols, evaluate)
        case ast.BinOp(op=op, left=left, right=right):
            a, b = _build(left, symbols, evaluate), _build(right, symbols, evaluate)
            # A left-nested sum or product is one sum or product as written: a + b + c, not (a + b) + c.
            if isinstance(op, ast.Add | ast.Sub):
                terms = a.args if a.is_Add and not evaluate else (a,)
                if isinstance(op, ast.Sub):
                    b = sp.Mul(-1, b, evaluate=evaluate) if not b.is_Number else -b
                return sp.Add(*terms, b, evaluate=evaluate)
            if isinstance(op, ast.Mult):
                factors = (*(a.args if a.is_Mul and not evaluate and not isinstance(left, ast.UnaryOp) else (a,)), b)
                # A number or a reciprocal after the first factor is written first, as a reader does: x*3 is 3 x,
                # x*0.5*y is x y / 2 (as written it would read x 3, x 1/2 y).
                tidy = factors[0] == 1 or any(f.is_Number or (f.is_Pow and f.exp.is_negative) for f in factors[1:])
                return sp.Mul(*factors, evaluate=evaluate or tidy)
            if isinstance(op, ast.Div):
                # As written, -x**2/2 is one product (- x^2 / 2, not ((-1) x^2) / 2) and 1/u is 1/u, not 1 (1/u).
                reciprocal = sp.Pow(b, -1, evaluate=evaluate)
                if evaluate or a != 1:
                    return sp.Mul(*(a.args if a.is_Mul and not evaluate else (a,)), reciprocal, evaluate=evaluate)
                return reciprocal
            return sp.Pow(a, b, evaluate=evaluate or bool(a.is_Number and b.is_Number))  # (-1)**(-2) is 1
        case ast.Call(func=ast.Name(id=name), args=[argument]):
            return _FUNCTIONS[name](_build(argument, symbols, evaluate), evaluate=evaluate)
    raise ExpressionError(f"cannot build {ast.dump(node)}")  # parse() lets nothing else through


@dataclass(frozen=True)
class Formula:
    """A function of named variables: its SymPy expression, its TeX, and a JAX function."""

    text: str
    variables: tuple[str, ...]
    expr: sp.Expr = field(compare=False)
    written: sp.Expr = field(compare=False)  # as the lesson wrote it, unsimplified: for its TeX

    @classmethod
    def parse(cls, text: str, variables: Sequence[str]) -> Formula:
        """The formula written as ``text`` in ``variables`` (``ExpressionError`` if not allowed)."""
        return _parsed(text.strip(), tuple(variables))

    @classmethod
    def of(cls, expr: sp.Expr, variables: Sequence[str]) -> Formula:
        """A formula from a SymPy expression (a derivative, a composition)."""
        return cls(str(expr), tuple(variables), expr, expr)

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        """The SymPy symbols of the variables, in order."""
        return tuple(sp.Symbol(name, real=True) for name in self.variables)

    @property
    def tex(self) -> str:
        """TeX of the formula as the lesson wrote it: ``x^{3} - 3 x`` (a short fraction slashed: ``x / 3``)."""
        return latex(self.written, order="none")

    @property
    def canonical_tex(self) -> str:
        """TeX of the simplified formula (derivatives are shown this way): ``3 x^{2} - 3``."""
        return latex(self.expr)

    def diff(self, variable: str) -> Formula:
        """The partial derivative along ``variable``."""
        return _derivative(self, variable)

    def substituted_tex(self, values: Sequence[float]) -> str:
        r"""TeX of the formula with the variables replaced by numbers: ``3 \cdot \left(-2\right)^{2} - 3``."""
        names = {
            symbol: (rf"\left({text_of(v)}\right)" if v < 0 else text_of(v))
            for symbol, v in zip(self.symbols, values, strict=True)
        }
        written = latex(self.expr, symbol_names=names, mul_symbol="dot")
        for v in values:  # a function's own brackets are enough: cos(-2), not cos((-2))
            if v < 0:
                written = written.replace(rf"\left(\left({text_of(v)}\right) \right)", rf"\left({text_of(v)} \right)")
        return written

    def exact(self, values: Sequence[float]) -> sp.Expr:
        """The exact value at a point (numbers as written: 0.1 is 1/10), simplified where that is cheap.

        A number of many digits (a float64 written out in full, say) is substituted as it is:
        simplifying trigonometry of a 600-digit fraction takes SymPy minutes and changes no value.
        """
        numbers = [exact_number(v) for v in values]
        value = self.expr.subs(dict(zip(self.symbols, numbers, strict=True)))
        if max((len(str(n.p)) + len(str(n.q)) for n in numbers), default=0) > SIMPLIFY_DIGITS:
            return value
        return sp.simplify(value)

    def exact_tex(self, values: Sequence[float]) -> str:
        r"""TeX of the exact value at a point: ``9``, ``2 \cos{\left(1 \right)}``."""
        return latex(self.exact(values))

    @cached_property
    def jax(self) -> Callable[..., jax.Array]:
        """The formula as a function of JAX scalars, one per variable."""
        function = sp.lambdify(self.symbols, self.expr, modules="jax")
        if not self.expr.free_symbols:  # a constant: lambdify would return a Python number
            constant = float(self.expr)
            return lambda *args: jnp.zeros_like(args[0]) + constant
        return function  # type: ignore[no-any-return]


@lru_cache(maxsize=256)
def _parsed(text: str, names: tuple[str, ...]) -> Formula:
    tree = parse(text, names)
    symbols = {name: sp.Symbol(name, real=True) for name in names}
    return Formula(text, names, _build(tree, symbols, True), _build(tree, symbols, False))


@lru_cache(maxsize=256)
def _derivative(formula: Formula, variable: str) -> Formula:
    return Formula.of(sp.diff(formula.expr, sp.Symbol(variable, real=True)), formula.variables)


def defined(
    formula: Formula, derivative: Formula, variable: str, points: Sequence[Sequence[float]], field: str | None = None
) -> None:
    """Check, with SymPy, that the formula and its derivative along ``variable`` are finite at every point.

    ``MathError`` (naming the point) if not: the lesson is refused before anything is computed or drawn.
    """
    for point in points:
        where = ", ".join(text_of(v) for v in point)
        if not _finite(formula.exact(point)):
            raise MathError(f"{formula.text} is undefined or infinite at ({where})", field)
        if not _finite(derivative.exact(point)):
            raise MathError(f"{formula.text} is not differentiable along {variable} at ({where})", field)


def agree(
    formula: Formula,
    derivative: Formula,
    variable: str,
    points: Sequence[Sequence[float]],
    from_jax: Sequence[float],
) -> None:
    """Check that SymPy's ``derivative``, evaluated at each point, equals what ``jax.grad`` gave there.

    ``from_jax`` are the JAX derivatives at ``points``, computed in the clip's one jitted call; they
    must agree to ``AGREEMENT`` (relative to the size of the value); ``MathError`` otherwise.
    """
    for point, value in zip(points, from_jax, strict=True):
        from_sympy = float(derivative.exact(point))
        if not abs(float(value) - from_sympy) <= AGREEMENT * max(1.0, abs(from_sympy)):
            where = ", ".join(text_of(v) for v in point)
            raise MathError(
                f"d/d{variable} of {formula.text} at ({where}): SymPy says {from_sympy!r}, JAX says {float(value)!r}"
            )


def _where(missing: sp.Set, variable: str) -> str:
    """``x = -pi/2, pi/2`` for isolated points, ``x in [-1, 0)`` for a stretch."""
    if isinstance(missing, sp.FiniteSet):
        return f"{variable} = " + ", ".join(sp.sstr(p) for p in sorted(missing, key=float))
    parts = missing.args if isinstance(missing, sp.Union) else (missing,)
    return f"{variable} in " + " and ".join(_interval(part) for part in parts)


def _interval(part: sp.Set) -> str:
    """``[-1, 0)`` for an interval, ``-pi/2`` for a point."""
    if isinstance(part, sp.Interval):
        left, right = "(" if part.left_open else "[", ")" if part.right_open else "]"
        return f"{left}{sp.sstr(part.start)}, {sp.sstr(part.end)}{right}"
    return str(sp.sstr(part))


def smooth(formula: Formula, window: tuple[float, float], field: str, order: int = 2) -> None:
    """Refuse a function of one variable that is undefined, or not ``order`` times differentiable, on the window.

    Decided by SymPy, not by sampling: a division by zero or an imaginary constant anywhere; a kink
    (|x| in any spelling, sign, max, min) whose argument vanishes on the window; a point where f or
    a derivative is not continuous (a pole, a cusp, a domain edge) inside it. ``MathError`` names
    the place ("not differentiable at x = 0", "undefined at x = -pi/2, pi/2 inside the window").
    """
    (variable,) = formula.variables
    (x,) = formula.symbols
    expr = formula.expr
    if expr.has(sp.zoo, sp.nan, sp.oo, sp.I):
        raise MathError(f"{formula.text} is undefined: it divides by zero or leaves the real numbers", field)
    span = sp.Interval(exact_number(window[0]), exact_number(window[1]))
    for kink in (node for node in sp.preorder_traversal(expr) if isinstance(node, _KINKS)):
        for argument in kink.args:
            zeros = sp.solveset(argument, x, span) if argument.free_symbols else sp.EmptySet
            if zeros is not sp.EmptySet:
                raise MathError(f"{formula.text} is not differentiable at {_where(zeros, variable)}", field)
    current = expr
    for depth in range(order + 1):
        try:
            domain = sp.calculus.util.continuous_domain(current, x, span)
        except (NotImplementedError, ValueError, TypeError):  # SymPy cannot tell: the numeric checks still run
            return
        missing = sp.Complement(span, domain)
        if missing is not sp.EmptySet:
            where = _where(missing, variable)
            if depth == 0:
                inside = f"[{text_of(window[0])}, {text_of(window[1])}]"
                raise MathError(
                    f"{formula.text} is undefined at {where} inside the window {inside}: set a window where it is"
                    " defined, or another function",
                    field,
                )
            raise MathError(f"{formula.text} is not differentiable at {where}", field)
        current = sp.diff(current, x)


def smooth_2d(formula: Formula, window: tuple[float, float], field: str) -> None:
    """Refuse a function of x and y with an undefined constant or a kink whose argument vanishes on the square."""
    expr = formula.expr
    if expr.has(sp.zoo, sp.nan, sp.oo, sp.I):
        raise MathError(f"{formula.text} is undefined: it divides by zero or leaves the real numbers", field)
    ticks = [sp.Rational(i, 8) for i in range(9)]
    low, high = exact_number(window[0]), exact_number(window[1])
    grid = [low + (high - low) * t for t in ticks]
    for kink in (node for node in sp.preorder_traversal(expr) if isinstance(node, _KINKS)):
        for argument in kink.args:
            if not argument.free_symbols:
                continue
            function = sp.lambdify(formula.symbols, argument, modules="mpmath")
            signs = {sp.sign(sp.Float(function(a, b), 30)) for a in grid for b in grid}
            if 0 in signs or len(signs) > 1:
                raise MathError(f"{formula.text} is not differentiable where {sp.sstr(argument)} = 0", field)


def _finite(value: sp.Expr) -> bool:
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return False
    return number.imag == 0 and math.isfinite(number.real)
