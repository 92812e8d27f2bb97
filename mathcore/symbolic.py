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

from mathcore.expressions import ExpressionError, parse

#: SymPy's derivative evaluated must equal jax.grad this closely (relative to the size of the value).
AGREEMENT = 1e-12

_FUNCTIONS: dict[str, Any] = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
}


class MathError(ValueError):
    """A lesson whose function cannot be shown at one of its points (undefined, infinite, ...)."""


def _number(value: float) -> sp.Expr:
    """A written number, exactly: ``0.1`` is 1/10, not the nearest double."""
    return sp.Integer(value) if isinstance(value, int) else sp.Rational(repr(value))


def _build(node: ast.expr, symbols: dict[str, sp.Symbol], evaluate: bool) -> sp.Expr:
    match node:
        case ast.Constant(value=int() | float() as value):
            return _number(value)
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
                factors = a.args if a.is_Mul and not evaluate and not isinstance(left, ast.UnaryOp) else (a,)
                return sp.Mul(*factors, b, evaluate=evaluate)
            if isinstance(op, ast.Div):
                return sp.Mul(a, sp.Pow(b, -1, evaluate=evaluate), evaluate=evaluate)
            return sp.Pow(a, b, evaluate=evaluate)
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
        """TeX of the formula as the lesson wrote it: ``x^{3} - 3 x``."""
        return str(sp.latex(self.written, order="none"))

    @property
    def canonical_tex(self) -> str:
        """TeX of the simplified formula (derivatives are shown this way): ``3 x^{2} - 3``."""
        return str(sp.latex(self.expr))

    def diff(self, variable: str) -> Formula:
        """The partial derivative along ``variable``."""
        return _derivative(self, variable)

    def substituted_tex(self, values: Sequence[float]) -> str:
        r"""TeX of the formula with the variables replaced by numbers: ``3 \cdot \left(-2\right)^{2} - 3``."""
        names = {
            symbol: (rf"\left({_plain(v)}\right)" if v < 0 else _plain(v))
            for symbol, v in zip(self.symbols, values, strict=True)
        }
        return str(sp.latex(self.expr, symbol_names=names, mul_symbol="dot"))

    def exact(self, values: Sequence[float]) -> sp.Expr:
        """The exact value at a point (numbers as written: 0.1 is 1/10)."""
        return sp.simplify(self.expr.subs(dict(zip(self.symbols, (_number(v) for v in values), strict=True))))

    def exact_tex(self, values: Sequence[float]) -> str:
        r"""TeX of the exact value at a point: ``9``, ``2 \cos{\left(1 \right)}``."""
        return str(sp.latex(self.exact(values)))

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


def _plain(value: float) -> str:
    """A number as written in a substituted formula: ``-2`` not ``-2.0``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def defined(formula: Formula, derivative: Formula, variable: str, points: Sequence[Sequence[float]]) -> None:
    """Check, with SymPy, that the formula and its derivative along ``variable`` are finite at every point.

    ``MathError`` (naming the point) if not: the lesson is refused before anything is computed or drawn.
    """
    for point in points:
        where = ", ".join(_plain(v) for v in point)
        if not _finite(formula.exact(point)):
            raise MathError(f"{formula.text} is undefined or infinite at ({where})")
        if not _finite(derivative.exact(point)):
            raise MathError(f"{formula.text} has no finite derivative along {variable} at ({where})")


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
            where = ", ".join(_plain(v) for v in point)
            raise MathError(
                f"d/d{variable} of {formula.text} at ({where}): SymPy says {from_sympy!r}, JAX says {float(value)!r}"
            )


def _finite(value: sp.Expr) -> bool:
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return False
    return number.imag == 0 and math.isfinite(number.real)
