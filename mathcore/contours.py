"""Level curves of a function sampled on a grid, traced with contourpy (what matplotlib uses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import contourpy

from mathcore.types import F64Array, to_numpy


@dataclass(frozen=True)
class LevelCurve:
    """All pieces of the curve f = level: each piece is an (n, 2) array of (x, y) points."""

    level: float
    pieces: tuple[F64Array, ...]


def level_curves(
    grid_x: F64Array, grid_y: F64Array, grid_f: F64Array, levels: Sequence[float]
) -> tuple[LevelCurve, ...]:
    """Trace each level of ``grid_f[j, i] = f(grid_x[i], grid_y[j])``."""
    generator = contourpy.contour_generator(grid_x, grid_y, grid_f, line_type=contourpy.LineType.Separate)
    return tuple(
        LevelCurve(float(level), tuple(to_numpy(piece) for piece in generator.lines(level))) for level in levels
    )
