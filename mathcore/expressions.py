"""Functions written as text (``x**3 - 3*x``), checked against a whitelist: never evaluated as code.

The text is parsed with ``ast`` (which reads without running anything) and every node must be a
number, one of the allowed variables or constants, ``+ - * / **``, a unary sign, or a call of one
listed function with one argument. This module imports neither SymPy nor JAX, so a lesson file
is checked in milliseconds.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction

#: The functions a lesson may use, by the name it writes.
FUNCTIONS: tuple[str, ...] = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh")
#: Named constants.
CONSTANTS: tuple[str, ...] = ("pi",)
#: The longest expression accepted, in characters.
MAX_LENGTH = 160
#: The largest number written in an expression, and the largest constant exponent.
MAX_NUMBER = 1e6
MAX_EXPONENT = 12

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


class ExpressionError(ValueError):
    """Text that is not an allowed expression; the message quotes the offending part."""


def parse(text: str, variables: tuple[str, ...]) -> ast.expr:
    """The syntax tree of ``text``, after checking every node against the whitelist."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression must be non-empty text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"{len(text)} characters is too long (at most {MAX_LENGTH})")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        product = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)(?![eE][-+]?\d)([A-Za-z(])", text)  # 2x, 3(x + 1); not 1e-3
        hint = f"write a product with *: {product[1]}*{product[2]}" if product else error.msg
        raise ExpressionError(f"{text.strip()!r} is not a formula ({hint})") from None
    _check(tree.body, text.strip(), variables)
    return tree.body


def _quote(node: ast.AST, source: str) -> str:
    return repr(ast.get_source_segment(source, node) or ast.dump(node))


def _check(node: ast.expr, source: str, variables: tuple[str, ...]) -> None:
    match node:
        case ast.Constant(value=bool()) | ast.Constant(value=complex()):
            raise ExpressionError(f"{_quote(node, source)} is not a real number")
        case ast.Constant(value=int() | float() as value):
            if abs(value) > MAX_NUMBER:
                raise ExpressionError(f"{_quote(node, source)} is larger than {MAX_NUMBER:g}")
        case ast.Name(id=name):
            if name not in variables and name not in CONSTANTS:
                allowed = ", ".join((*variables, *CONSTANTS))
                hint = "; for e to a power write exp(...)" if name == "e" else ""
                raise ExpressionError(f"{_quote(node, source)} is not allowed here (names: {allowed}){hint}")
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=operand):
            _check(operand, source, variables)
        case ast.BinOp(op=op, left=left, right=right) if isinstance(op, _OPERATORS):
            if isinstance(op, ast.Pow):
                _check_exponent(right, source, variables)
            _check(left, source, variables)
            _check(right, source, variables)
        case ast.Call(func=ast.Name(id=name), args=[argument], keywords=[]) if name in FUNCTIONS:
            _check(argument, source, variables)
        case ast.Call(func=ast.Name(id=name)) if name in FUNCTIONS:
            raise ExpressionError(f"{_quote(node, source)}: {name} takes one argument")
        case ast.BinOp(op=ast.BitXor()):
            raise ExpressionError(f"{_quote(node, source)}: write a power with **, as in x**2 (^ is not a power)")
        case ast.Call(func=ast.Name(id="ln")):
            raise ExpressionError(f"{_quote(node, source)}: the natural logarithm is written log(...)")
        case ast.Call(func=ast.Constant() | ast.BinOp() | ast.Name()) if (
            not isinstance(node.func, ast.Name) or node.func.id in variables
        ):
            factor = ast.get_source_segment(source, node.func) if not isinstance(node.func, ast.BinOp) else None
            example = f", as in {factor}*(...)" if factor else ""
            raise ExpressionError(f"{_quote(node, source)}: write a product with *{example}")
        case _:
            listed = ", ".join(FUNCTIONS)
            raise ExpressionError(
                f"{_quote(node, source)} is not allowed: use numbers, variables, + - * / **, and {listed}"
            )


def _constant(node: ast.expr) -> Fraction | None:
    """The value of a number written with + - * / only (``1/3``, ``-2``), exactly; None if it is anything else."""
    match node:
        case ast.Constant(value=bool()):
            return None
        case ast.Constant(value=int() | float() as value):
            return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
        case ast.UnaryOp(op=ast.USub() | ast.UAdd() as op, operand=operand):
            inner = _constant(operand)
            return None if inner is None else (-inner if isinstance(op, ast.USub) else inner)
        case ast.BinOp(op=ast.Add() | ast.Sub() | ast.Mult() | ast.Div() as op, left=left, right=right):
            a, b = _constant(left), _constant(right)
            if a is None or b is None:
                return None
            if isinstance(op, ast.Div):
                return a / b if b else None
            return a + b if isinstance(op, ast.Add) else a - b if isinstance(op, ast.Sub) else a * b
    return None


def _check_exponent(node: ast.expr, source: str, variables: tuple[str, ...]) -> None:
    """A constant exponent (a number, or a fraction such as ``1/3``) stays small, so no power grows without bound."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if names & set(variables):
        return
    value = _constant(node)
    if value is None:
        raise ExpressionError(f"exponent {_quote(node, source)} must be a number, a fraction or contain a variable")
    if abs(value) > MAX_EXPONENT:
        raise ExpressionError(f"exponent {_quote(node, source)} is larger than {MAX_EXPONENT}")


def check(text: str, variables: tuple[str, ...]) -> str:
    """``text`` stripped, if it is an allowed expression in ``variables``; ``ExpressionError`` if not."""
    parse(text, variables)
    return text.strip()
