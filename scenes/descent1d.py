"""The descent-in-one-dimension template: a point walks down f(x), each step −η f'(x), until f' = 0."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Create,
    Dot,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from lessons.templates import Descent1DLesson
from mathcore.descent1d import Descent1DClip
from mathcore.nice import nice_range
from scenes.builders import round_axes, tangent_segment
from scenes.descent1d_text import compute, shown
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import drop_covered_ticks, fit, stacked
from scenes.typeset import LiveNumber, tex, text


class StepsDownhill(LectureScene[Descent1DLesson]):
    """Gradient descent on a curve: the tangent at each step says which way and how far to go."""

    # Knobs.
    tangent_share = 0.18  # the tangent reaches this share of the window either side of the point
    walk_seconds = 6.0  # the whole walk after the first step
    plot_centre: ClassVar[tuple[float, float]] = (-3.4, 0.15)
    plot_size: ClassVar[tuple[float, float]] = (5.8, 5.4)  # its top clear of a title with descenders
    column_x = 3.7
    column_width = 6.0
    column_at_top = True
    rows: ClassVar[dict[str, float]] = {
        "f": 2.95,
        "rule": 2.3,
        "a": 1.5,
        "b": 0.8,
        "c": 0.1,
        "d": -0.6,
        "e": -1.3,
        "g": -2.0,
    }

    def setup(self) -> None:
        """Ask the math core once for the whole walk and the curve."""
        self.math: Descent1DClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        window = self.lesson.window
        heights = [*self.math.curve_f, *self.math.f]
        low, high, step = nice_range(min(heights), max(heights), 5)
        self.y_range = (low, high)
        centre, size = self.plot_box(self.plot_centre, self.plot_size)
        self.axes = round_axes(window, (low, high), step, size, axis_color=self.palette.axis).move_to(centre)
        self.reach = self.tangent_share * (window[1] - window[0])

    def beats(self) -> Sequence[Callable[[], None]]:
        """The curve and the start, one step, the walk, the flat point."""
        return (self.start, self.one_step, self.walk, self.flat_point)

    def point_at(self, k: int) -> Dot:
        """The walk's point after ``k`` steps."""
        dot = Dot(self.axes.c2p(self.math.x[k], self.math.f[k]), color=self.palette.point, radius=0.09).set_z_index(3)
        return self.on_axes(dot, self.axes)

    def tangent_at(self, k: int) -> Line:
        """The tangent at the walk's point after ``k`` steps."""
        m = self.math
        return tangent_segment(
            self.axes, float(m.x[k]), float(m.f[k]), float(m.slope[k]), self.reach, self.y_range, self.palette.slope
        )

    # Beats.
    def start(self) -> None:
        """Beat 1: the curve; the point at x₀ with its tangent."""
        m = self.math
        curve = VMobject(color=self.palette.function, stroke_width=5).set_points_smoothly(
            [self.axes.c2p(x, f) for x, f in zip(m.curve_x, m.curve_f, strict=True)]
        )
        drop_covered_ticks(self.axes, curve)
        self.keep_clear(curve)
        label = self.under_title(self.at_row(self.tex_of("f", size=36, color=self.palette.function), "f"))
        rule = self.clear_below(self.at_row(self.tex_of("rule", size=34, color=self.palette.slope), "rule"), label)
        self.play(Create(self.axes), run_time=1.0)
        self.play(Create(curve), FadeIn(label), FadeIn(rule), run_time=1.6)
        self.rule = rule
        self.point, self.tangent = self.point_at(0), self.tangent_at(0)
        # A long statement stands over lines (three at most); the rows of the next beat move down as it needs.
        statement = self.beside(self.tex_of("start", size=32), self.axes, self.rows["a"], 1.6)
        statement = self.clear_below(statement, rule)
        self.play(FadeIn(self.point, scale=0.5), Create(self.tangent), FadeIn(statement), run_time=1.2)
        self.statement = statement
        self.hold(3.8)

    def one_step(self) -> None:
        """Beat 2: one step of −η f'(x₀), and the flatter tangent where it lands."""
        update = self.clear_below(self.at_row(tex(r"x_{k+1} = x_k - \eta\, f'(x_k)", size=34), "b"), self.statement)
        rate = self.clear_below(self.at_row(self.tex_of("rate", size=32), "c", plot=self.axes), update, 0.15)
        # A long move stands over two lines; the rows below it move down as far as it needs.
        move = self.beside(self.tex_of("move", size=32, color=self.palette.gradient), self.axes, self.rows["d"], 1.3)
        move = self.clear_below(move, rate, 0.15)
        self.play(Write(update), run_time=1.0)
        self.play(FadeIn(rate), FadeIn(move), run_time=0.8)
        self.rate_row = VGroup(update, rate, move)
        landed = self.point_at(1)
        self.play(self.point.animate.move_to(landed.get_center()), rate_func=smooth, run_time=1.2)
        self.remove(self.point)
        self.point = landed
        self.add(self.point)
        x1 = self.clear_below(self.beside(self.tex_of("x1", size=32), self.axes, self.rows["e"], 1.1), move, 0.15)
        slope = self.at_row(self.tex_of("slope-1", size=32, color=self.palette.slope), "g", plot=self.axes)
        slope = self.clear_below(slope, x1, 0.15)
        self.play(FadeOut(self.tangent), Create(tangent := self.tangent_at(1)), FadeIn(x1), FadeIn(slope), run_time=1.0)
        self.tangent, self.first_rows = tangent, VGroup(x1, slope)
        self.hold(3.0)

    def walk(self) -> None:
        """Beat 3: the rest of the walk; the steps shrink as the slope flattens; k, x and f'(x) update."""
        m = self.math
        self.play(FadeOut(self.statement), FadeOut(self.first_rows), FadeOut(self.rate_row), run_time=0.6)
        steps = ValueTracker(1.0)
        last = len(m.x) - 1

        def reached() -> int:
            return min(math.floor(steps.get_value()), last)

        readout = self.live_readout(reached)
        known = [self.shown[f"x{k}"] for k in range(1, 4) if f"x{k}" in self.shown]
        steps_in_full = [fit(tex(item.tex, size=30), self.column_width, lines=True) for item in known]
        first_steps = VGroup(*steps_in_full).arrange(RIGHT, buff=0.5)
        if first_steps.width > self.column_width:  # one step to a line (a long one over lines) rather than smaller type
            first_steps.arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        rows: list[VMobject] = [first_steps]
        if "closed" in self.shown:
            rows.append(fit(self.tex_of("closed", size=32), self.column_width, lines=True))
        facts = fit(stacked(*rows, buff=0.25), self.column_width)
        self.clear_below(self.at_row(readout, "a"), self.rule)  # a tall f' (a fraction) pushes it down
        self.at_row(facts, "c")
        facts.shift(max(0.0, facts.get_top()[1] - (readout.get_bottom()[1] - 0.4)) * DOWN)  # over lines: it hangs down
        trail = VGroup(
            *(self.point_at(k).scale(0.55).set_color(self.palette.gradient).set_z_index(2) for k in range(1, last + 1))
        )
        for k, dot in enumerate(trail, start=1):
            dot.add_updater(lambda d, k=k: d.set_opacity(1.0 if reached() >= k else 0.0))
        self.point.add_updater(lambda d: d.move_to(self.axes.c2p(m.x[reached()], m.f[reached()])))
        self.tangent.add_updater(lambda t: t.become(self.tangent_at(reached())))
        self.add(trail)
        self.play(FadeIn(readout), FadeIn(facts), run_time=0.8)
        self.play(steps.animate.set_value(last), run_time=self.walk_seconds, rate_func=linear)
        for mobject in (self.point, self.tangent, *trail):
            mobject.clear_updaters()
        self.readout, self.facts = readout, facts
        self.hold(7.4)

    def flat_point(self) -> None:
        """Beat 4: where f' = 0 the walk stops; f'' says whether that is a minimum."""
        self.play(FadeOut(self.facts), run_time=0.5)
        end = self.at_row(self.tex_of("end", size=32), "c", plot=self.axes)
        slope = self.at_row(self.tex_of("end-slope", size=32, color=self.palette.slope), "d", plot=self.axes)
        curvature = self.clear_below(self.at_row(self.tex_of("curvature", size=32), "e"), slope, 0.15)
        words = fit(text(self.shown["verdict"].tex, size=20, color=self.palette.caption), self.column_width, lines=True)
        words.next_to(curvature, DOWN, buff=0.2)
        self.play(FadeIn(end), FadeIn(slope), run_time=0.8)
        self.play(FadeIn(curvature), FadeIn(words), run_time=0.8)
        self.hold(4.0)

    # Builders.
    def live_readout(self, reached: Callable[[], int]) -> VGroup:
        """k, x_k and f'(x_k) at the last step reached ("=" or "≈" as they are)."""
        m = self.math
        rows = []
        for name, values, color, places in (
            ("k", np.arange(len(m.x), dtype=float), self.palette.point, 0),
            ("x_k", m.x, self.palette.point, 2),
            ("f'(x_k)", m.slope, self.palette.slope, 2),
        ):
            walk = name != "k"  # iterates are float64 approximations: "≈" always
            number = LiveNumber(float(values[1]), places=places, size=32, color=color, relation=True, exact=not walk)
            number.add_updater(lambda n, values=values: n.set_value(float(values[reached()])))
            rows.append(VGroup(tex(name, size=32, color=color), number).arrange(RIGHT, buff=0.2))
        group = VGroup(*rows).arrange(RIGHT, buff=0.55)
        if group.width > self.column_width:  # long numbers: f'(x_k) on a line of its own rather than smaller type
            group = VGroup(VGroup(*rows[:2]).arrange(RIGHT, buff=0.55), rows[2]).arrange(DOWN, buff=0.2)
        return group
