"""The regression template: a line fitted to noisy points by gradient descent, seen in (x, y) and in (w, b)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Axes,
    Circle,
    Create,
    Dot,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from lessons.templates import RegressionLesson
from mathcore.nice import nice_range
from mathcore.regression import RegressionClip
from scenes.builders import LogAxes, axis_names, readable_numbers, round_axes, tangent_segment, ticks
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import fit
from scenes.regression_text import compute, readouts, shown
from scenes.typeset import TICK_SIZE, LiveNumber, tex, text


class LineFit(LectureScene[RegressionLesson]):
    """Points, a line that turns and lifts as (w, b) descend the loss, the same walk on the loss's contours."""

    # Knobs.
    walk_seconds = 7.0
    plot_centre: ClassVar[tuple[float, float]] = (-3.5, 0.2)
    plot_size: ClassVar[tuple[float, float]] = (5.8, 5.4)
    narrow_plot = 0.8  # at 4:3, for the formulas beside it
    column_x = 3.7
    column_width = 6.0
    rows: ClassVar[dict[str, float]] = {
        "data": 2.95,
        "model": 2.25,
        "loss": 1.35,
        "start": 0.45,
        "dw": 1.0,
        "db": -0.1,
        "rate": -1.0,
        "readout": -1.95,
        "below-1": -1.8,
        "below-2": -2.55,
    }

    def setup(self) -> None:
        """Ask the math core once for the data, the walk and the loss's contours."""
        self.math: RegressionClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        m = self.math
        x_low, x_high, _ = nice_range(float(m.x.min()), float(m.x.max()), 6)
        y_low, y_high, y_step = nice_range(min(float(m.y.min()), 0.0), max(float(m.y.max()), 0.0), 5)
        self.x_range, self.y_range = (x_low, x_high), (y_low, y_high)
        centre, size = self.plot_box(self.plot_centre, self.plot_size)
        self.axes = round_axes(self.x_range, self.y_range, y_step, size, axis_color=self.palette.axis).move_to(centre)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The data and the first line, the walk, the walk on the contours, the loss falling."""
        return (self.data_and_line, self.walk, self.contours, self.loss_falling)

    def line_at(self, k: int) -> Line:
        """The line y = w_k x + b_k across the plot, cut where it leaves the y range."""
        w, b = (float(v) for v in self.math.path[k])
        middle, half = sum(self.x_range) / 2, (self.x_range[1] - self.x_range[0]) / 2
        return tangent_segment(self.axes, middle, w * middle + b, w, half, self.y_range, self.palette.model)

    # Beats.
    def data_and_line(self) -> None:
        """Beat 1: the scatter, the model and its loss, the line at (0, 0)."""
        m = self.math
        dots = VGroup(
            *(Dot(self.axes.c2p(x, y), radius=0.04, color=self.palette.data) for x, y in zip(m.x, m.y, strict=True))
        )
        data = self.at_row(self.tex_of("data", size=28, color=self.palette.data), "data", plot=self.axes)
        model = self.at_row(self.tex_of("model", size=34, color=self.palette.model), "model", plot=self.axes)
        loss = self.at_row(self.tex_of("loss", size=32), "loss", plot=self.axes)
        start = self.at_row(self.tex_of("start", size=32), "start", plot=self.axes)
        keys = text("x and ε drawn with separate random keys", size=18, color=self.palette.caption)
        keys = self.beside(keys, self.axes, start.get_bottom()[1] - 0.3, room=1.0)
        keys.shift((keys.get_top()[1] - (start.get_bottom()[1] - 0.3)) * DOWN)
        self.play(Create(self.axes), FadeIn(data), run_time=1.0)
        self.play(FadeIn(dots, lag_ratio=0.02), run_time=1.4)
        self.line = self.line_at(0)
        self.play(Create(self.line), FadeIn(model), run_time=1.0)
        self.play(FadeIn(loss), FadeIn(start), FadeIn(keys), run_time=1.0)
        self.first_rows = VGroup(data, loss, start, keys)
        self.model = model
        self.hold(4.4, formulas=4)

    def walk(self) -> None:
        """Beat 2: the gradient of L, and the walk: the line turns and lifts; k, w, b and L update."""
        m = self.math
        self.play(FadeOut(self.first_rows), run_time=0.5)
        dw = self.at_row(self.tex_of("dw", size=32, color=self.palette.gradient), "dw", plot=self.axes)
        db = self.at_row(self.tex_of("db", size=32, color=self.palette.gradient), "db", plot=self.axes)
        update = tex(r"(w, b) \leftarrow (w, b) - \eta\,\nabla L", size=32)
        rule = self.at_row(
            VGroup(update, self.tex_of("rate", size=32)).arrange(RIGHT, buff=0.5), "rate", plot=self.axes
        )
        self.play(FadeIn(dw), FadeIn(db), run_time=1.0)
        self.play(Write(rule), run_time=0.8)
        last = len(m.loss) - 1
        progress = ValueTracker(0.0)

        def reached() -> int:  # steps pass slowly at first, when the line moves most
            steps: float = (last + 1) ** progress.get_value() - 1
            return min(last, math.floor(steps + 1e-9))

        readout = self.at_row(self.live_readout(reached), "readout")
        self.add(readout)
        self.line.add_updater(lambda line: line.become(self.line_at(reached())))
        self.play(progress.animate.set_value(1.0), run_time=self.walk_seconds, rate_func=linear)
        self.line.clear_updaters()
        for row in readout:
            row[1].clear_updaters()
        self.walk_rows = VGroup(dw, db, rule, readout)
        self.hold(self.walk_seconds + 2.3, formulas=3)

    def contours(self) -> None:
        """Beat 3: the same walk on the contours of L over (w, b), ending at the least-squares solution."""
        m = self.math
        self.play(FadeOut(self.walk_rows), FadeOut(self.model), run_time=0.6)
        (w_low, w_high), (b_low, b_high) = m.window
        unit = min(self.across(4.4) / (w_high - w_low), 3.8 / (b_high - b_low))  # one scale for w and b: round contours
        axes = Axes(
            x_range=[w_low, w_high, ticks(w_low, w_high, 5)[0]],
            y_range=[b_low, b_high, ticks(b_low, b_high, 5)[0]],
            x_length=unit * (w_high - w_low),
            y_length=unit * (b_high - b_low),
            tips=False,
            axis_config={"color": self.palette.caption, "include_numbers": True, "font_size": TICK_SIZE},
        ).move_to((self.column_x, 0.65, 0.0))
        readable_numbers(axes)
        names = axis_names(axes, tex("w", size=30), tex("b", size=30))
        levels = VGroup(
            *(
                VMobject().set_points_as_corners([axes.c2p(*p) for p in piece])
                for curve in m.levels
                for piece in curve.pieces
            )
        ).set_stroke(self.palette.function, width=2, opacity=0.7)
        trail = VMobject(color=self.palette.gradient, stroke_width=4).set_points_as_corners(
            [axes.c2p(*p) for p in m.path]
        )
        start = Dot(axes.c2p(*m.path[0]), color=self.palette.point, radius=0.07)
        best = Circle(radius=0.14, color=self.palette.point, stroke_width=4).move_to(axes.c2p(*m.least_squares))
        self.on_axes(start, axes)
        self.on_axes(best, axes)
        found = self.over_lines_at_row(self.tex_of("least-squares"), "below-1", room=1.1)
        reached = self.at_row(self.tex_of("reached", size=28), "below-2", plot=self.axes)
        self.play(Create(axes), FadeIn(names), run_time=0.8)
        self.play(Create(levels), FadeIn(start), run_time=1.2)
        self.play(Create(trail), run_time=2.0)
        self.play(Create(best), FadeIn(found), FadeIn(reached), run_time=0.8)
        self.contour_plot = VGroup(axes, names, levels, trail, start, best, found, reached)
        self.hold(4.8, formulas=2)

    def loss_falling(self) -> None:
        """Beat 4: the loss at every step, on a log axis; what is left is the noise."""
        m = self.math
        self.play(FadeOut(self.contour_plot), run_time=0.6)
        low = math.floor(math.log10(float(m.loss.min())))
        high = math.ceil(math.log10(float(m.loss.max())))
        last = len(m.loss) - 1
        axes = LogAxes(
            (0.0, float(last)), (low, high), self.across_size((4.6, 3.6)), axis_color=self.palette.axis
        ).move_to((self.column_x + 0.1, 0.9, 0.0))
        step, name = axis_names(axes, tex("k", size=30), tex("L", size=30))
        self.within_sides(VGroup(axes, step, name))  # its name k inside a narrow frame
        curve = VMobject(color=self.palette.model, stroke_width=4).set_points_as_corners(
            [axes.point(k, v) for k, v in enumerate(m.loss)]
        )
        self.keep_clear(curve)
        ends = self.at_row(
            VGroup(self.tex_of("start-loss", size=30), self.tex_of("end-loss", size=30)).arrange(RIGHT, buff=0.6),
            "below-1",
            plot=self.axes,
        ).shift(0.25 * np.array([0.0, 1.0, 0.0]))
        noise = self.at_row(self.tex_of("noise", size=28, color=self.palette.data), "below-2", plot=self.axes)
        self.play(Create(axes), FadeIn(name), FadeIn(step), run_time=0.8)
        self.play(Create(curve), run_time=2.0, rate_func=linear)
        self.play(FadeIn(ends), FadeIn(noise), run_time=0.8)
        self.hold(3.6, formulas=2)

    # Builders.
    def live_readout(self, reached: Callable[[], int]) -> VGroup:
        """k, w, b and L at the last step reached ("=" or "≈" as they are)."""
        rows = []
        for _, name, values, places in readouts(self.math):
            color = self.palette.model if name == "L" else self.palette.point
            number = LiveNumber(
                float(values[0]), places=places, size=30, color=color, relation=True, exact=name == "k"
            ).reserve(values)
            number.add_updater(lambda n, values=values: n.set_value(float(values[reached()])))
            rows.append(VGroup(tex(name, size=30, color=color), number).arrange(RIGHT, buff=0.15))
        grid = VGroup(*rows).arrange_in_grid(rows=2, cols=2, buff=(0.6, 0.15), cell_alignment=LEFT)
        return fit(grid, self.column_width)
