"""Where labels go: sized to fit, stacked, and placed clear of other labels and of the lines drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Axes,
    Mobject,
    VGroup,
    VMobject,
)
from manim.typing import Vector3D

from scenes.layout import covers, line_points

M = TypeVar("M", bound=Mobject)


def fit(mobject: M, width: float, height: float | None = None) -> M:
    """Shrink ``mobject`` (never enlarge it) to at most ``width`` wide and ``height`` high."""
    factor = min(1.0, width / max(mobject.width, 1e-9))
    if height is not None:
        factor = min(factor, height / max(mobject.height, 1e-9))
    if factor < 1.0:
        mobject.scale(factor)
    return mobject


def overlaps(a: Mobject, b: Mobject, gap: float = 0.03) -> bool:
    """Whether the boxes of ``a`` and ``b`` come closer than ``gap``."""
    return bool(
        a.get_left()[0] < b.get_right()[0] + gap
        and b.get_left()[0] < a.get_right()[0] + gap
        and a.get_bottom()[1] < b.get_top()[1] + gap
        and b.get_bottom()[1] < a.get_top()[1] + gap
    )


def place_clear(
    mobject: M, spots: Sequence[Callable[[M], object]], avoid: Sequence[Mobject], lines: Sequence[Mobject] = ()
) -> M:
    """Put ``mobject`` at the first of ``spots`` clear of the labels ``avoid`` and not covering ``lines``.

    Each spot is a function that moves it there. If no spot is clear it stays at the first: the
    layout check will say so.
    """
    points = np.concatenate([line_points(line) for line in lines]) if lines else np.zeros((0, 3))
    for spot in spots:
        spot(mobject)
        if not any(overlaps(mobject, other) for other in avoid) and not covers(mobject, points):
            return mobject
    spots[0](mobject)
    return mobject


def drop_covered_ticks(axes: Axes, *lines: Mobject) -> Axes:
    """Remove the tick numbers of ``axes`` that any of ``lines`` runs through (a tick is optional)."""
    points = np.concatenate([line_points(line) for line in lines]) if lines else np.zeros((0, 3))
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", None)
        if numbers is None:
            continue
        for number in [n for n in numbers if covers(n, points)]:
            numbers.remove(number)
    for coordinates in getattr(axes, "coordinate_labels", []):
        for number in [n for n in coordinates if covers(n, points)]:
            coordinates.remove(number)
    return axes


def drop_ticks_under(axes: Axes, *labels: Mobject) -> Axes:
    """Remove the tick numbers of ``axes`` that overlap any of ``labels`` (a tick is optional)."""
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", None)
        if numbers is not None:
            for number in [n for n in numbers if any(overlaps(n, label, gap=0.0) for label in labels)]:
                numbers.remove(number)
    return axes


def stacked(*rows: VMobject, buff: float = 0.25, direction: Vector3D = DOWN) -> VGroup:
    """Rows one under the other, left-aligned."""
    return VGroup(*rows).arrange(direction, buff=buff, aligned_edge=LEFT)
