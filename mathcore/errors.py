"""The math core's one error, importable without JAX or SymPy."""

from __future__ import annotations


class MathError(ValueError):
    """A lesson whose function cannot be shown at one of its points (undefined, infinite, ...).

    ``field`` names the lesson's field to change, when one does.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
