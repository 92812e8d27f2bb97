"""The network template: a small ReLU net bends toward its target as it trains; backpropagation is the chain rule."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    Circle,
    Create,
    DashedVMobject,
    Dot,
    GrowArrow,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)
from manim.utils.color import ParsableManimColor

from lessons.templates import NetworkLesson
from mathcore.network import NetworkClip
from mathcore.nice import nice_range
from scenes.builders import LogAxes, axis_names, round_axes
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.network_text import compute, layers_tex, shown
from scenes.placement import fit, stacked
from scenes.typeset import LiveNumber, tex, text


class NetLearns(LectureScene[NetworkLesson]):
    """The net's curve at checkpoints of training against its target, the loss on a log axis, backprop."""

    # Knobs.
    train_seconds = 7.0
    plot_centre: ClassVar[tuple[float, float]] = (-3.5, 0.2)
    plot_size: ClassVar[tuple[float, float]] = (5.8, 5.0)
    narrow_plot = 0.8  # at 4:3, for the formulas beside it
    column_x = 3.7
    column_width = 6.0
    rows: ClassVar[dict[str, float]] = {
        "target": 2.95,
        "shape": 2.25,
        "layers": 1.1,
        "count": -0.4,
        "start": -1.2,
        "rule": 1.3,
        "readout": 0.3,
        "below-1": -1.85,
        "below-2": -2.45,
        "graph": 1.5,
        "chain": -0.2,
        "note": -1.1,
    }

    def setup(self) -> None:
        """Ask the math core once: the data, the training runs, the curves at checkpoints."""
        self.math: NetworkClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        m = self.math
        heights = np.concatenate([m.target, m.y, m.fitted.ravel(), m.baseline_fitted])
        low, high, step = nice_range(float(heights.min()), float(heights.max()), 4)
        self.y_range = (low, high)
        interval = (float(m.grid[0]), float(m.grid[-1]))
        centre, size = self.plot_box(self.plot_centre, self.plot_size)
        self.axes = round_axes(interval, self.y_range, step, size, axis_color=self.palette.axis).move_to(centre)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The data and the untrained net, training, the loss curve, backpropagation."""
        return (self.untrained, self.training, self.loss_curve, self.backpropagation)

    def curve(self, values: np.ndarray, color: ParsableManimColor | None = None, width: float = 5) -> VMobject:
        """A curve over the grid, e.g. the net's output at a checkpoint."""
        points = [self.axes.c2p(x, y) for x, y in zip(self.math.grid, values, strict=True)]
        return VMobject(color=color or self.palette.model, stroke_width=width).set_points_as_corners(points)

    # Beats.
    def untrained(self) -> None:
        """Beat 1: the data, the target, the net's layers, its output before training (nearly flat)."""
        m = self.math
        dots = VGroup(
            *(Dot(self.axes.c2p(x, y), radius=0.035, color=self.palette.data) for x, y in zip(m.x, m.y, strict=True))
        )
        target = self.curve(m.target, self.palette.function, 3).set_stroke(opacity=0.8)
        target_tex = self.tex_of("target", size=30, color=self.palette.function)
        # As wide as the row beside the plot, over two lines rather than smaller; the rows under it move down.
        heading = self.under_title(self.beside(target_tex, self.axes, self.rows["target"], room=1.0))
        shape = self.at_row(self.tex_of("shape", size=32), "shape", plot=self.axes)
        layers = self.at_row(stacked(*(tex(row, size=30) for row in layers_tex(m)), buff=0.2), "layers")
        count = self.at_row(self.tex_of("count", size=30), "count", plot=self.axes)
        start = self.at_row(self.tex_of("start", size=32, color=self.palette.model), "start", plot=self.axes)
        for above, row in itertools.pairwise((heading, shape, layers, count, start)):  # three hidden layers: taller
            self.clear_below(row, above, 0.2)
        self.play(Create(self.axes), FadeIn(heading), run_time=1.0)
        self.play(FadeIn(dots, lag_ratio=0.01), Create(target), run_time=1.6)
        self.play(FadeIn(shape), FadeIn(layers), FadeIn(count), run_time=1.0)
        self.fit = self.curve(m.fitted[0])
        self.play(Create(self.fit), FadeIn(start), run_time=1.0)
        self.first_rows = VGroup(layers, count, start)
        self.heading = VGroup(heading, shape)
        self.hold(4.6, formulas=5)

    def training(self) -> None:
        """Beat 2: gradient descent on every weight; the curve at checkpoints bends toward the target."""
        m = self.math
        self.play(FadeOut(self.first_rows), run_time=0.5)
        rule = VGroup(tex(r"\theta \leftarrow \theta - \eta\, \nabla_\theta L", size=34), self.tex_of("rate", size=34))
        rule = self.clear_below(self.at_row(rule.arrange(RIGHT, buff=0.5), "rule", plot=self.axes), self.heading)
        self.play(Write(rule), run_time=0.8)
        progress = ValueTracker(0.0)
        last = len(m.checkpoints) - 1

        def reached() -> int:
            return min(last, math.floor(progress.get_value()))

        steps = np.asarray(m.checkpoints, dtype=float)
        losses = m.run.loss[list(m.checkpoints)]
        rows = []
        for name, values, places, color in (("k", steps, 0, self.palette.point), ("L", losses, 5, self.palette.model)):
            number = LiveNumber(
                float(values[0]), places=places, size=34, color=color, relation=True, exact=name == "k"
            ).reserve(values)
            number.add_updater(lambda n, values=values: n.set_value(float(values[reached()])))
            rows.append(VGroup(tex(name, size=34, color=color), number).arrange(RIGHT, buff=0.15))
        readout = self.clear_below(self.at_row(VGroup(*rows).arrange(RIGHT, buff=0.6), "readout"), rule)
        self.add(readout)
        self.fit.add_updater(lambda c: c.become(self.curve(m.fitted[reached()])))
        self.play(progress.animate.set_value(last), run_time=self.train_seconds, rate_func=linear)
        self.fit.clear_updaters()
        for row in rows:
            row[1].clear_updaters()
        self.train_rows = VGroup(rule, readout)
        self.hold(self.train_seconds + 2.1, formulas=2)

    def loss_curve(self) -> None:
        """Beat 3: the loss at every step on a log axis; a smaller rate's run beside it."""
        m = self.math
        self.play(FadeOut(self.train_rows), FadeOut(self.heading), run_time=0.5)
        losses = np.concatenate([m.run.loss, m.baseline.loss])
        low, high = math.floor(math.log10(float(losses.min()))), math.ceil(math.log10(float(losses.max())))
        longest = max(m.run.steps, m.baseline.steps)
        axes = LogAxes(
            (0.0, float(longest)), (low, high), self.across_size((4.6, 3.4)), axis_color=self.palette.axis
        ).move_to((self.column_x - 0.1, 0.7, 0.0))
        names = axis_names(axes, tex("k", size=30), tex("L", size=30))
        self.within_sides(VGroup(axes, names))  # its name k inside a narrow frame
        every = max(1, longest // 400)  # a few hundred corners are plenty for a curve this size

        def loss_line(values: np.ndarray, color: ParsableManimColor) -> VMobject:
            ks = [*range(0, len(values), every), len(values) - 1]
            return VMobject(color=color, stroke_width=4).set_points_as_corners([axes.point(k, values[k]) for k in ks])

        main, other = loss_line(m.run.loss, self.palette.model), loss_line(m.baseline.loss, self.palette.caption)
        self.keep_clear(main, other)
        end = self.at_row(self.tex_of("end", size=30, color=self.palette.model), "below-1", plot=self.axes)
        base = self.at_row(self.tex_of("baseline", size=30, color=self.palette.caption), "below-2", plot=self.axes)
        baseline_fit = DashedVMobject(self.curve(m.baseline_fitted, self.palette.caption, 4), num_dashes=40)
        self.play(Create(axes), FadeIn(names), run_time=0.8)
        self.play(Create(main), Create(other), run_time=2.0, rate_func=linear)
        self.play(FadeIn(end), FadeIn(base), Create(baseline_fit), run_time=1.0)
        self.loss_plot = VGroup(axes, names, main, other, end, base)
        self.hold(4.3, formulas=2)

    def backpropagation(self) -> None:
        """Beat 4: the loss's gradient for every weight is the chain rule, layer by layer, from L back to x."""
        self.play(FadeOut(self.loss_plot), run_time=0.5)
        count = len(self.math.sizes) - 1
        names = ["x", *(f"h_{{{i}}}" for i in range(1, count)), r"\hat y", "L"]
        nodes = VGroup(*(self.node(name) for name in names)).arrange(RIGHT, buff=0.55)
        if nodes.width > self.span_beside(self.axes):  # three hidden layers: smaller circles, not smaller names
            nodes = VGroup(*(self.node(name, 0.3) for name in names)).arrange(RIGHT, buff=0.42)
        graph = self.at_row(nodes, "graph", plot=self.axes)
        forward = [
            Arrow(a.get_right(), b.get_left(), buff=0.05, color=self.palette.axis, stroke_width=4)
            for a, b in itertools.pairwise(nodes)
        ]
        backward: list[Arrow] = [
            Arrow(
                b.get_bottom() + 0.1 * DOWN, a.get_bottom() + 0.1 * DOWN, buff=0.05, color=self.palette.highlight
            ).shift(0.35 * DOWN)
            for a, b in itertools.pairwise(nodes)
        ]
        chain = self.at_row(self.tex_of("chain", size=32), "chain", plot=self.axes)
        note = text("backpropagation: one pass from L back to x", size=20, color=self.palette.highlight)
        note = self.at_row(fit(note, self.span_beside(self.axes), lines=True), "note", plot=self.axes)
        self.play(FadeIn(graph), *(GrowArrow(a) for a in forward), run_time=1.0)
        for arrow in reversed(backward):
            self.play(GrowArrow(arrow), run_time=0.4)
        self.play(Write(chain), FadeIn(note, shift=0.1 * LEFT), run_time=1.2)
        self.hold(2.0 + 0.4 * len(backward), formulas=2)

    def node(self, name: str, radius: float = 0.38) -> VGroup:
        """One variable of the computation graph in a circle."""
        label = tex(name, size=32)
        return VGroup(Circle(radius=radius, color=self.palette.point, stroke_width=3), label)
