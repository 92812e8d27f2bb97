"""The pieces templates draw with: axes with round ticks, a log-scaled axis, a tangent segment, backed labels."""

from __future__ import annotations

import itertools
import math
from typing import Any, TypeVar

import numpy as np
from manim import (
    RIGHT,
    Axes,
    Line,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
    config,
)

from mathcore.nice import nice_step
from scenes.placement import overlaps
from scenes.typeset import SCRIPTED_SIZE, TICK_SIZE

M = TypeVar("M", bound=Mobject)
A = TypeVar("A", bound=Axes)

#: Backed labels are drawn at this z-index: above curves and lines (0), below points (3).
BACKED_Z = 2
#: The least length (scene units) of an arrow that joins two things drawn: a graph's boxes, a square and its image.
LINK = 0.7


def backed(label: M) -> M:
    """``label`` on an opaque backing of the background's colour, drawn above curves and lines: they pass under it."""
    label.add_background_rectangle(color=config.background_color, opacity=1.0, buff=0.04)
    return label.set_z_index(BACKED_Z)


def readable_numbers(axes: A) -> A:
    """``axes`` with its tick numbers readable.

    Each is backed (a curve or a moving line passes under a number, never through it); numbers too
    close to their neighbours are thinned to every other one, and a y number that would touch an x
    number (where axes meet away from the origin) is dropped: a tick number is optional.
    """
    for number in axis_labels(axes):
        backed(number)
    for axis in (axes.x_axis, axes.y_axis):
        numbers = getattr(axis, "numbers", VGroup())
        while any(overlaps(a, b) for a, b in itertools.pairwise(numbers)):  # crowded: every other one
            for number in list(numbers)[1::2]:
                numbers.remove(number)
    xs = list(getattr(axes.x_axis, "numbers", ()))
    y_numbers = getattr(axes.y_axis, "numbers", VGroup())
    for number in [n for n in y_numbers if any(overlaps(n, x) for x in xs)]:
        y_numbers.remove(number)
    return axes


def number_config(step: float) -> dict[str, Any]:
    """Axis numbers with as many decimals as the tick step needs: ``2``, not ``2.0``."""
    return {"num_decimal_places": len(f"{step:.10f}".rstrip("0").partition(".")[2]), "group_with_commas": False}


def round_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    y_step: float,
    size: tuple[float, float],
    labelled_y: tuple[float, float] | None = None,
    x_pad: float = 0.0,
    y_count: int = 5,
    font_size: float = TICK_SIZE,
    *,
    axis_color: str,
) -> Axes:
    """Axes with round tick numbers: about 7 on x, about ``y_count`` over ``labelled_y`` (default ``y_range``).

    The x axis reaches ``x_pad`` of a tick step past both ends of ``x_range``.
    """
    x_step, x_labels = ticks(x_range[0], x_range[1], 7)
    _, y_labels = ticks(*(labelled_y or y_range), y_count)
    axes = Axes(
        x_range=[x_range[0] - x_pad * x_step, x_range[1] + x_pad * x_step, x_step],
        y_range=[y_range[0], y_range[1], y_step],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": axis_color, "include_numbers": True, "font_size": max(font_size, TICK_SIZE)},
        x_axis_config={"numbers_to_include": x_labels, "decimal_number_config": number_config(x_step)},
        y_axis_config={"numbers_to_include": y_labels, "decimal_number_config": number_config(y_step)},
    )
    return readable_numbers(axes)


class LogAxes(Axes):
    """Axes whose y is logarithmic, labelled 10^k at every power of ten, the x axis along the bottom.

    Place a value with ``point(x, value)``; ``c2p`` takes (x, decades above the lowest power).
    """

    def __init__(
        self,
        x_range: tuple[float, float],
        decades: tuple[int, int],
        size: tuple[float, float],
        font_size: float = TICK_SIZE,
        *,
        axis_color: str,
    ) -> None:
        x_step, x_labels = ticks(*x_range, 5)
        super().__init__(
            x_range=[x_range[0], x_range[1], x_step],
            y_range=[0, decades[1] - decades[0], 1],
            x_length=size[0],
            y_length=size[1],
            tips=False,
            axis_config={"color": axis_color, "include_numbers": False, "font_size": max(font_size, TICK_SIZE)},
            x_axis_config={
                "include_numbers": True,
                "numbers_to_include": x_labels,
                "decimal_number_config": number_config(x_step),
            },
        )
        self.lowest = decades[0]
        labels: dict[float, str | float | VMobject] = {
            float(k - decades[0]): MathTex(f"10^{{{k}}}", font_size=SCRIPTED_SIZE)
            for k in range(decades[0], decades[1] + 1)
        }
        self.y_axis.add_labels(labels, buff=0.2, font_size=SCRIPTED_SIZE)  # else it sets them at the ticks' size
        readable_numbers(self)

    def point(self, x: float, value: float) -> np.ndarray:
        """The scene point of (x, value), value > 0."""
        return self.c2p(x, math.log10(value) - self.lowest)


def axis_names(axes: Axes, x_name: VMobject, y_name: VMobject) -> VGroup:
    """The axes' names: x's beyond the end of its line, y's beside the top of its line (not of its numbers)."""
    return VGroup(
        x_name.next_to(axes.x_axis.get_end(), RIGHT, buff=0.2),
        y_name.next_to(axes.y_axis.get_end(), RIGHT, buff=0.2),
    )


def axis_labels(axes: Axes) -> list[Mobject]:
    """The number labels of both axes."""
    return [
        n for axis in (axes.x_axis, axes.y_axis) for n in (*getattr(axis, "numbers", ()), *getattr(axis, "labels", ()))
    ]


def ticks(low: float, high: float, count: int = 6) -> tuple[float, list[float]]:
    """A round tick step over ``[low, high]`` and the ticks to label (not the ends, not 0)."""
    step = nice_step(high - low, count)
    first = math.ceil(low / step) * step
    labels = []
    value = first
    while value <= high + 1e-9:
        if abs(value) > 1e-9 and low + 1e-9 < value < high - 1e-9:
            labels.append(round(value, 10))
        value += step
    return step, labels


def reach_in_box(
    start: tuple[float, float], direction: tuple[float, float], box: tuple[tuple[float, float], ...], most: float
) -> float:
    """How many ``direction``s (at most ``most``) from ``start`` a line stays in ``box``: x and y ranges, in data."""
    reach = most
    for at, d, (low, high) in zip(start, direction, box, strict=True):
        if d > 0:
            reach = min(reach, (high - at) / d)
        elif d < 0:
            reach = min(reach, (low - at) / d)
    return max(reach, 0.0)


def tangent_segment(
    axes: Axes, x: float, f: float, slope: float, reach: float, heights: tuple[float, float], color: str
) -> Line:
    """The tangent through (x, f) with ``slope``, ``reach`` either side in x, clipped to ``heights`` and the x axis."""
    box = ((float(axes.x_range[0]), float(axes.x_range[1])), heights)
    lo, hi = -reach_in_box((x, f), (-1.0, -slope), box, reach), reach_in_box((x, f), (1.0, slope), box, reach)
    return Line(axes.c2p(x + lo, f + slope * lo), axes.c2p(x + hi, f + slope * hi), color=color, stroke_width=5)


#: Every character a live number can show, typeset once per size and colour; "~" stands for ≈.
