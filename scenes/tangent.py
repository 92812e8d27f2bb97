"""The tangent template: a point slides along any f(x), its tangent turns, the slopes trace f'."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Angle,
    Axes,
    Create,
    Dot,
    Indicate,
    Line,
    MathTex,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)

from lessons.templates import TangentLesson
from mathcore.nice import nice_range
from mathcore.tangent import DerivativeClip, TangentPoint, TangentSamples
from mathcore.types import F64Array
from scenes.builders import axis_labels, round_axes, tangent_segment
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import drop_covered_ticks, drop_ticks_under, fit, fit_room, place_clear, stacked
from scenes.tangent_text import compute, flat_stops, shown
from scenes.typeset import FORMULA_SIZE, LiveNumber, tex, text

#: A rise leg shorter than this on screen (scene units) is too flat to mark its angle.
MIN_RISE = 0.05
#: The size the rule f'(x) is introduced at, before it takes its row among the formulas.
RULE_SIZE = 44
#: The tallest a stop's formula may stand over lines (scene units), between the readout and the triangle.
STATEMENT_ROOM = 1.5
#: The tallest f'(x) may stand over lines (scene units) where it is introduced, under the notations.
RULE_ROOM = 1.4


class RotatingTangent(LectureScene[TangentLesson]):
    """A point slides along f, its tangent turns, and the slopes trace the graph of f'."""

    # Knobs: how long the point takes per unit of x, and the layout of the two columns.
    seconds_per_unit = 1.2
    least_leg_seconds = 1.5
    tangent_reach = 1.2  # how far the tangent is drawn on each side of the point, in x
    plot_centre: ClassVar[tuple[float, float]] = (-3.4, 0.15)
    plot_size: ClassVar[tuple[float, float]] = (5.8, 5.4)  # its top clear of a title with descenders
    narrow_plot = 0.9  # at 4:3, for the formulas beside it
    column_x = 3.7  # the right-hand column's centre
    column_width = 6.0
    column_at_top = True
    # Heights of the right-hand column's rows.
    rows: ClassVar[dict[str, float]] = {
        "f": 2.95,
        "rule": 2.3,
        "readout": 1.0,
        "statement": -0.85,
    }

    def setup(self) -> None:
        """Ask the math core once for every number of the clip (stops and every frame of every leg)."""
        stops = flat_stops(self.lesson)
        legs = [self.leg_positions(a, b) for a, b in itertools.pairwise(stops)]
        self.math: DerivativeClip = compute(self.lesson, [*legs, self.sweep_positions(stops[-1])])
        self.shown = shown(self.lesson, self.math)
        corner = self.math.triangle.f + self.math.triangle.rise  # the rise/run triangle may reach past the curve
        heights = [*self.math.curve.f, *(s.point.f for s in self.math.stops), corner]
        low, high, step = nice_range(min(heights), max(heights), 5)
        pad = 0.05 * (high - low)
        self.y_range = (low - pad, high + pad)
        self.axes = self.plot_axes(self.lesson.window, (low, high), step)
        self.frame_index = ValueTracker(0)
        self.samples: TangentSamples = self.stop_samples()

    def plot_axes(self, window: tuple[float, float], heights: tuple[float, float], step: float) -> Axes:
        """Axes over the window and the curve's round height range, with round ticks."""
        centre, size = self.plot_box(self.plot_centre, self.plot_size)
        axes = round_axes(
            window, self.y_range, step, size, labelled_y=heights, x_pad=0.25, axis_color=self.palette.axis
        )
        return axes.move_to(centre)

    def stop_samples(self) -> TangentSamples:
        """The stops as one run of samples."""
        points = [s.point for s in self.math.stops]
        return TangentSamples(
            np.array([p.x for p in points]), np.array([p.f for p in points]), np.array([p.slope for p in points])
        )

    def sweep_positions(self, start: float) -> F64Array:
        """X of the point in the last beat: from the last stop to the nearer end of the window, then across it all.

        So the slopes it passes trace f' over the whole window.
        """
        low, high = self.lesson.window
        near, far = (low, high) if start - low <= high - start else (high, low)
        if start == near:
            return self.leg_positions(start, far)
        return np.concatenate([self.leg_positions(start, near), self.leg_positions(near, far)[1:]])

    def leg_positions(self, start: float, end: float) -> F64Array:
        """X of the point at each frame of a motion that eases in and out."""
        seconds = max(self.least_leg_seconds, self.seconds_per_unit * abs(end - start))
        frames = round(seconds * config.frame_rate) + 1
        alphas = np.array([smooth(a) for a in np.linspace(0.0, 1.0, frames)])
        return start + (end - start) * alphas

    def beats(self) -> Sequence[Callable[[], None]]:
        """Curve, first tangent, one beat per later group of stops, the traced derivative."""
        slides = [lambda g=g: self.slide(g) for g in range(1, len(self.lesson.stops))]
        return (self.curve_and_notations, self.tangent_at_start, *slides, self.trace)

    # The live point: every mobject below reads the current sample, one per frame.
    def current(self) -> TangentPoint:
        """The sample shown at this frame."""
        return self.samples[round(self.frame_index.get_value())]

    def tangent_line(self) -> Line:
        """The tangent at the current point, clipped to the plotted heights."""
        p = self.current()
        return tangent_segment(self.axes, p.x, p.f, p.slope, self.tangent_reach, self.y_range, self.palette.slope)

    def point(self) -> Dot:
        """The point on the curve."""
        p = self.current()
        return Dot(self.axes.c2p(p.x, p.f), color=self.palette.point, radius=0.09).set_z_index(2)

    def move_along(self, samples: TangentSamples) -> None:
        """Play one leg: the frame index runs through the leg's samples, one per frame."""
        self.samples = samples
        self.frame_index.set_value(0)
        seconds = (len(samples) - 1) / config.frame_rate
        self.play(self.frame_index.animate.set_value(len(samples) - 1), run_time=seconds, rate_func=linear)

    def stop_statement(self, index: int) -> VGroup:
        """``slope f'(x) = ... = value`` and a word on what that slope means, under the readout.

        The first stands over ``STATEMENT_ROOM`` at most (the rise/run ratio comes below it); later ones
        may take the room down to the caption.
        """
        formula = self.tex_of(f"stop-{index}", size=34)
        words = fit(
            text(self.shown[f"remark-{index}"].tex, size=22, color=self.palette.slope), self.column_width, lines=True
        )
        room = STATEMENT_ROOM
        if index > 0:
            room = max(room, self.readout.get_bottom()[1] - 0.2 - self.floor() - words.height - 0.15)
        formula = fit_room(formula, self.span_beside(self.axes), room)
        group = stacked(formula, words, buff=0.15)
        return self.above_caption(self.clear_below(self.at_row(group, "statement", plot=self.axes), self.readout))

    # Beats.
    def curve_and_notations(self) -> None:
        """Beat 1: the curve draws itself; the three notations are one idea; the rule for f'."""
        curve_samples = self.math.curve
        inside = (curve_samples.f >= self.y_range[0]) & (curve_samples.f <= self.y_range[1])
        curve = VMobject(color=self.palette.function, stroke_width=5).set_points_smoothly(
            [self.axes.c2p(x, f) for x, f in zip(curve_samples.x[inside], curve_samples.f[inside], strict=True)]
        )
        label = self.under_title(self.at_row(self.tex_of("f", size=36, color=self.palette.function), "f"))
        drop_covered_ticks(self.axes, curve)
        self.keep_clear(curve)
        self.play(Create(self.axes), run_time=1.2)
        self.play(Create(curve), FadeIn(label), run_time=2.0)
        notations = tex(r"f'(x)", "=", r"\frac{df}{dx}", "=", r"\frac{d}{dx}\big[f(x)\big]", size=44)
        fit(notations, self.column_width).move_to((self.column_x, 0.9, 0.0))
        names = VGroup(
            *(
                text(name, size=18, color=self.palette.caption).next_to(notations[i], DOWN, buff=0.25)
                for i, name in ((0, "Lagrange"), (2, "Leibniz"), (4, "operator"))
            )
        )
        rule = fit_room(self.tex_of("rule", size=RULE_SIZE, color=self.palette.slope), self.column_width, RULE_ROOM)
        rule.move_to((self.column_x, -1.0, 0.0))
        self.play(Write(notations), run_time=1.5)
        self.play(FadeIn(names), run_time=0.6)
        self.play(Write(rule), run_time=1.0)
        self.wait(2.0)
        self.curve, self.label, self.rule = curve, label, rule
        smaller = FORMULA_SIZE / RULE_SIZE  # from its introduction's size to a formula's
        target = self.clear_below(self.at_row(rule.copy().scale(smaller), "rule"), label, 0.15)  # under a tall f
        self.play(FadeOut(notations), FadeOut(names), run_time=0.4)  # gone before f' moves up past them
        self.play(self.rule.animate.move_to(target).scale(smaller), run_time=0.6)

    def tangent_at_start(self) -> None:
        """Beat 2: the point at the first stop, its tangent, the readout and the rise/run triangle."""
        self.samples = self.stop_samples()
        self.frame_index.set_value(0)
        tangent, point = self.tangent_line(), self.point()
        self.play(FadeIn(point, scale=0.5), Create(tangent), run_time=1.2)
        self.readout = self.live_readout()
        self.statement = self.stop_statement(0)
        self.play(FadeIn(self.readout), FadeIn(self.statement), run_time=0.8)
        self.wait(1.5)
        self.play(FadeIn(self.rise_run_triangle()), run_time=1.2)
        self.remove(tangent, point)
        self.add_live_tangent()
        self.wait(3.5)

    def slide(self, group: int) -> None:
        """A later beat: the point slides to each stop of one group, the readout following every frame."""
        if group == 1:
            self.play(FadeOut(self.triangle), run_time=0.6)
        first = sum(len(g) for g in self.lesson.stops[:group])
        for index in range(first, first + len(self.lesson.stops[group])):
            self.play(FadeOut(self.statement), run_time=0.3)
            self.move_along(self.math.legs[index - 1])
            self.statement = self.stop_statement(index)
            self.play(FadeIn(self.statement), run_time=0.5)
            self.wait(2.0)

    def trace(self) -> None:
        """Last beat: a sweep whose slopes trace the graph of f', and the closing line."""
        sweep = self.math.legs[-1]
        low, high, step = nice_range(float(np.min(sweep.slope)), float(np.max(sweep.slope)), 4)
        # f' takes f's row, under a title that reaches over the column.
        under_title = self.below_title(self.column_x - self.rule.width / 2) - self.rule.height / 2
        rule_y = min(self.rows["f"] - 0.05, under_title)
        closing = tex(r"x \leftarrow x - \eta\, f'(x)", size=32)
        closing_words = text("gradient descent steps against the derivative", size=20)
        fit(closing_words, self.centred_room(self.column_x), lines=True)
        closing_group = stacked(closing, closing_words, buff=0.1)
        for row in closing_group:
            row.set_x(self.column_x)
        # The graph of f' below, its name and the closing line above it, all under f' (over lines if long).
        ceiling = rule_y - self.rule.height / 2 - 0.2 - closing_group.height - 0.2 - 0.45

        def slope_graph(height: float) -> Axes:
            return round_axes(
                self.lesson.window,
                (low, high),
                step,
                (self.across(5.0), height),
                x_pad=0.25,
                y_count=4,
                font_size=20,
                axis_color=self.palette.axis,
            ).move_to((self.column_x, -0.75, 0.0))

        slope_axes = slope_graph(3.0)
        if slope_axes.get_top()[1] > ceiling:  # a tall f' above: the graph gives up height, its bottom stays
            bottom = slope_axes.get_bottom()[1]
            slope_axes = slope_graph(max(1.5, 3.0 - (slope_axes.get_top()[1] - ceiling)))
            slope_axes.shift((bottom - slope_axes.get_bottom()[1]) * UP)
        traced_path = VMobject().set_points_as_corners(
            [slope_axes.c2p(x, v) for x, v in zip(sweep.x, sweep.slope, strict=True)]
        )
        drop_covered_ticks(slope_axes, traced_path)
        axes_label = tex("f'(x)", color=self.palette.slope, size=28).next_to(slope_axes, UP, buff=0.1)
        axes_label.align_to(slope_axes, RIGHT)
        self.play(FadeOut(self.readout), FadeOut(self.statement), FadeOut(self.label), run_time=0.8)
        self.play(
            self.rule.animate.move_to((self.column_x, rule_y, 0.0)),
            FadeIn(slope_axes),
            FadeIn(axes_label),
            run_time=1.0,
        )
        self.samples = sweep
        self.frame_index.set_value(0)
        traced = VMobject(color=self.palette.slope, stroke_width=5)

        def follow(trail: Mobject) -> None:
            upto = round(self.frame_index.get_value()) + 1
            pts = [slope_axes.c2p(x, s) for x, s in zip(sweep.x[:upto], sweep.slope[:upto], strict=True)]
            trail.set_points_as_corners(pts if len(pts) > 1 else [pts[0], pts[0]])

        traced.add_updater(follow)
        marker = Dot(color=self.palette.slope, radius=0.07)
        marker.add_updater(lambda m: m.move_to(slope_axes.c2p(self.current().x, self.current().slope)))
        self.on_axes(marker, slope_axes)
        self.add(traced, marker)
        self.move_along(sweep)
        traced.clear_updaters()
        marker.clear_updaters()
        self.keep_clear(traced)
        self.play(Indicate(self.rule, color=self.palette.slope), FadeOut(marker), run_time=1.0)
        closing_group.next_to(axes_label, UP, buff=0.2).set_x(self.column_x)  # just above the graph's name
        self.play(Write(closing), FadeIn(closing_words), run_time=1.2)
        self.wait(3.0)

    # Builders.
    def add_live_tangent(self) -> None:
        """Tangent and point redrawn from the current sample at every frame."""
        tangent = self.tangent_line()
        tangent.add_updater(lambda m: m.become(self.tangent_line()))
        point = self.point()
        point.add_updater(lambda m: m.become(self.point()))
        self.on_axes(point, self.axes)
        self.add(tangent, point)

    def live_readout(self) -> VGroup:
        """x, f(x) and f'(x) of the current sample, updated every frame ("=" or "≈" as they are)."""
        rows = []
        for name, field, color in (
            ("x", "x", self.palette.point),
            ("f(x)", "f", self.palette.function),
            ("f'(x)", "slope", self.palette.slope),
        ):
            label = tex(name, size=34, color=color)
            number = LiveNumber(0, places=2, size=34, color=color, relation=True)
            number.add_updater(lambda m, field=field: m.set_value(getattr(self.current(), field)))
            number.update()
            rows.append(VGroup(label, number).arrange(RIGHT, buff=0.2))
        group = stacked(*rows, buff=0.2)
        for row in rows:  # line up the relation signs
            row.shift((rows[0][1].get_left()[0] - row[1].get_left()[0]) * RIGHT)
        group.move_to((self.column_x, self.rows["readout"], 0.0))
        return self.clear_below(group, self.rule)  # under a tall f'(x)

    def rise_run_triangle(self) -> VGroup:
        """Run, rise and θ on the first tangent: slope = Δy/Δx = tan θ."""
        t = self.math.triangle
        start = self.axes.c2p(t.x, t.f)
        corner = self.axes.c2p(t.x + t.run, t.f)
        end = self.axes.c2p(t.x + t.run, t.f + t.rise)
        run_leg = Line(start, corner, color=self.palette.point, stroke_width=3)
        rise_leg = Line(corner, end, color=self.palette.slope, stroke_width=3)
        self.samples = self.stop_samples()
        self.frame_index.set_value(0)
        # Labels keep clear of the curve, the tangent, the legs, the angle's arc and the axes' lines and ticks.
        lines: list[Mobject] = [self.curve, self.tangent_line(), run_leg, rise_leg, self.axes]
        placed: list[Mobject] = [*axis_labels(self.axes), self.statement]  # a wide statement reaches to the plot
        # Short labels fit in the gaps beside the legs; the numbers go in the formula on the right.
        run_label = tex(r"\Delta x", size=28)
        sides = (UP, DOWN) if t.rise < 0 else (DOWN, UP)

        def beside_run(side: np.ndarray, along: np.ndarray, buff: float) -> Callable[[Mobject], object]:
            return lambda m: m.next_to(run_leg, side, buff=buff).shift(along)

        shifts = [np.zeros(3), 0.25 * RIGHT, 0.25 * LEFT, 0.5 * RIGHT, 0.5 * LEFT, 0.8 * RIGHT, 0.8 * LEFT]
        spots = [beside_run(d, a, b) for b in (0.1, 0.35) for d in sides for a in shifts]
        place_clear(run_label, spots, placed, lines)
        placed.append(run_label)
        parts: list[VMobject] = [run_leg, rise_leg, run_label]
        if float(np.linalg.norm(end - corner)) > MIN_RISE:  # a tangent flat on screen has no angle to mark
            angle = Angle(run_leg, Line(start, end), radius=0.45, other_angle=t.angle < 0, color=self.palette.slope)
            theta = tex(r"\theta", size=26, color=self.palette.slope)
            middle = angle.point_from_proportion(0.5) - start

            def out_along(k: float, turn: float) -> Callable[[Mobject], object]:
                c, s = np.cos(turn), np.sin(turn)
                direction = np.array([c * middle[0] - s * middle[1], s * middle[0] + c * middle[1], 0.0])
                return lambda m: m.move_to(start + k * direction)

            # Out along the angle's bisector, or a little either side of it, farther if need be.
            spots = [out_along(k, turn) for k in (1.7, 2.3, 2.9, 3.6) for turn in (0.0, 0.35, -0.35)]
            place_clear(theta, spots, placed, lines)
            placed.append(theta)
            parts += [angle, theta]
            lines.append(angle)
            self.keep_clear(angle)
        rise_label = tex(r"\Delta y", size=28, color=self.palette.slope)

        def beside_rise(fraction: float, side: np.ndarray, buff: float) -> Callable[[Mobject], object]:
            return lambda m: m.next_to(self.axes.c2p(t.x + t.run, t.f + fraction * t.rise), side, buff=buff)

        # Beside the rise leg, as near its middle as the axis numbers and the curve allow; a rise too short
        # to sit beside (a nearly flat tangent) is labelled above or below its end, then farther out.
        fractions = (0.5, 0.3, 0.7, 0.15, 0.85)
        spots = [beside_rise(f, side, b) for b in (0.1, 0.4) for side in (RIGHT, LEFT) for f in fractions]
        spots += [beside_rise(f, side, b) for b in (0.15, 0.5) for f in (1.0, 0.0) for side in (UP, DOWN)]
        spots += [beside_rise(0.5, RIGHT, b) for b in (0.8, 1.2)]
        place_clear(rise_label, spots, placed, lines)
        drop_ticks_under(self.axes, *(m for m in (run_label, rise_label, *parts[3:]) if isinstance(m, MathTex)))
        self.keep_clear(run_leg, rise_leg)
        drop_covered_ticks(self.axes, run_leg, rise_leg)  # a tick number is optional; the legs are not
        # The ratio fills the room between the statement and the caption, from the plot to the frame's safe
        # edge: over two lines if it must.
        ceiling, floor = self.statement.get_bottom()[1] - 0.2, self.floor()
        ratio = self.beside(self.tex_of("triangle", size=32), self.axes, (ceiling + floor) / 2, ceiling - floor)
        top = self.on_axes(Dot(end, radius=0.02, color=self.palette.slope), self.axes)  # the triangle stays on the plot
        self.triangle = VGroup(*parts, rise_label, ratio, top)
        return self.triangle
