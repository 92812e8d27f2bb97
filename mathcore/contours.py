"""Level curves of a function sampled on a grid, traced with contourpy (what matplotlib uses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import contourpy
import numpy as np

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
        LevelCurve(float(level), tuple(to_numpy(piece) for piece in generator.lines(level)))
        for level in levels
    )


def filled_bands(
    grid_x: F64Array, grid_y: F64Array, grid_f: F64Array, bounds: Sequence[float]
) -> tuple[tuple[float, float, tuple[F64Array, ...]], ...]:
    """Regions where ``bounds[k] <= f < bounds[k+1]``, as outer boundary polygons with their holes."""
    generator = contourpy.contour_generator(
        grid_x, grid_y, grid_f, fill_type=contourpy.FillType.OuterOffset
    )
    bands = []
    for lower, upper in zip(bounds[:-1], bounds[1:], strict=True):
        points, offsets = generator.filled(lower, upper)
        polygons = tuple(
            to_numpy(pts[a:b]) for pts, offs in zip(points, offsets, strict=True) for a, b in zip(offs[:-1], offs[1:], strict=True)
        )
        bands.append((float(lower), float(upper), polygons))
    return tuple(bands)


def nice_levels(values: F64Array, count: int) -> F64Array:
    """``count`` evenly spaced levels strictly inside the range of ``values``."""
    low, high = float(np.min(values)), float(np.max(values))
    return np.linspace(low, high, count + 2)[1:-1]
