"""The pieces templates draw with: axes with round ticks, a log-scaled axis, a tangent segment."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import (
    Axes,
    Line,
    MathTex,
    Mobject,
    VMobject,
)

from mathcore.nice import nice_step
from scenes.typeset import SCRIPTED_SIZE, TICK_SIZE


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
    return Axes(
        x_range=[x_range[0] - x_pad * x_step, x_range[1] + x_pad * x_step, x_step],
        y_range=[y_range[0], y_range[1], y_step],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": axis_color, "include_numbers": True, "font_size": max(font_size, TICK_SIZE)},
        x_axis_config={"numbers_to_include": x_labels, "decimal_number_config": number_config(x_step)},
        y_axis_config={"numbers_to_include": y_labels, "decimal_number_config": number_config(y_step)},
    )


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
        self.y_axis.add_labels(labels, buff=0.15, font_size=SCRIPTED_SIZE)  # else it sets them at the ticks' size

    def top_of_y(self) -> np.ndarray:
        """The top of the y axis's line (``y_axis.get_top()`` is the top of the line and its labels together)."""
        return np.asarray(self.c2p(self.x_range[0], self.y_range[1]))

    def point(self, x: float, value: float) -> np.ndarray:
        """The scene point of (x, value), value > 0."""
        return self.c2p(x, math.log10(value) - self.lowest)


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


def tangent_segment(
    axes: Axes, x: float, f: float, slope: float, reach: float, heights: tuple[float, float], color: str
) -> Line:
    """The tangent through (x, f) with ``slope``, ``reach`` either side in x, clipped to ``heights``."""
    lo, hi = -reach, reach
    if slope != 0:
        ends = sorted(((heights[0] - f) / slope, (heights[1] - f) / slope))
        lo, hi = max(lo, ends[0]), min(hi, ends[1])
    return Line(axes.c2p(x + lo, f + slope * lo), axes.c2p(x + hi, f + slope * hi), color=color, stroke_width=5)


#: Every character a live number can show, typeset once per size and colour; "~" stands for ≈.
