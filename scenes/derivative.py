"""Clip 1: the derivative as the slope of a tangent line rotating along f(x) = x²."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Angle,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Mobject,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)

from mathcore.derivative import DerivativeClip, TangentPoint, TangentSamples, derivative_clip
from mathcore.types import F64Array
from scenes.style import (
    AXIS_COLOR,
    FUNCTION_COLOR,
    POINT_COLOR,
    SLOPE_COLOR,
    LectureScene,
    LiveNumber,
    fmt,
    stacked,
    tangent_segment,
    tex,
    text,
)


class RotatingTangent(LectureScene):
    """A point slides along x², its tangent turns, and the slopes trace the line y = 2x."""

    clip_id = "derivative"

    # Knobs: where the point travels, and how long each motion takes (seconds).
    legs: ClassVar[tuple[tuple[float, float, float], ...]] = (
        (-2.0, -1.0, 2.5),  # falling, less steeply
        (-1.0, 0.0, 2.5),  # bottomed out
        (0.0, 3.0, 3.5),  # climbing steeply
        (3.0, -3.0, 6.0),  # the sweep back that traces f'
    )
    tangent_reach = 1.2  # how far the tangent is drawn on each side of the point, in x
    x_range: ClassVar[tuple[float, float]] = (-3.5, 3.5)
    y_range: ClassVar[tuple[float, float]] = (-1.0, 10.0)

    def setup(self) -> None:
        """Ask the math core once for every number of the clip (stops and every frame of every leg)."""
        self.math: DerivativeClip = derivative_clip(legs=[self.leg_positions(*leg) for leg in self.legs])
        self.axes = Axes(
            x_range=[*self.x_range, 1],
            y_range=[*self.y_range, 1],
            x_length=5.8,
            y_length=5.6,
            tips=False,
            axis_config={"color": AXIS_COLOR, "include_numbers": True, "font_size": 24},
            y_axis_config={"numbers_to_include": [2, 4, 6, 8]},
            x_axis_config={"numbers_to_include": [-3, -2, -1, 1, 2, 3]},
        ).move_to((-3.4, 0.15, 0.0))
        self.frame_index = ValueTracker(0)
        self.samples: TangentSamples = self.math.stops

    @staticmethod
    def leg_positions(start: float, end: float, seconds: float) -> F64Array:
        """X of the point at each frame of a motion that eases in and out."""
        frames = round(seconds * config.frame_rate) + 1
        alphas = np.array([smooth(a) for a in np.linspace(0.0, 1.0, frames)])
        return start + (end - start) * alphas

    def beats(self) -> Sequence[Callable[[], None]]:
        """The five beats of the storyboard."""
        return (self.curve_and_notations, self.tangent_at_start, self.slide_to_bottom, self.climb, self.trace)

    # The live point: every mobject below reads the current sample, one per frame.
    def current(self) -> TangentPoint:
        """The sample shown at this frame."""
        return self.samples[round(self.frame_index.get_value())]

    def tangent_line(self) -> Line:
        """The tangent at the current point, clipped to the plotted heights."""
        p = self.current()
        return tangent_segment(self.axes, p.x, p.f, p.slope, self.tangent_reach, self.y_range)

    def point(self) -> Dot:
        """The point on the curve."""
        p = self.current()
        return Dot(self.axes.c2p(p.x, p.f), color=POINT_COLOR, radius=0.09).set_z_index(2)

    def move_along(self, samples: TangentSamples) -> None:
        """Play one leg: the frame index runs through the leg's samples, one per frame."""
        self.samples = samples
        self.frame_index.set_value(0)
        seconds = (len(samples) - 1) / config.frame_rate
        self.play(self.frame_index.animate.set_value(len(samples) - 1), run_time=seconds, rate_func=linear)

    def stop_statement(self, stop: TangentPoint, remark: str) -> VGroup:
        """``slope f'(x) = 2 · (x) = value`` and a word on what that slope means."""
        formula = tex(
            r"\text{slope }f'(x) = 2 \cdot (" + fmt(stop.x) + ") = ",
            fmt(stop.slope),
            size=34,
        )
        formula[1].set_color(SLOPE_COLOR)
        return stacked(formula, text(remark, size=22, color=SLOPE_COLOR), buff=0.15).move_to((3.7, -0.9, 0.0))

    # Beats.
    def curve_and_notations(self) -> None:
        """Beat 1: the curve draws itself; the three notations are one idea."""
        curve = self.axes.plot(lambda x: x**2, x_range=[-3.15, 3.15], color=FUNCTION_COLOR, stroke_width=5)
        label = tex("f(x) = x^2", color=FUNCTION_COLOR, size=34).move_to(self.axes.c2p(1.3, 7.2))
        self.play(Create(self.axes), run_time=1.2)
        self.play(Create(curve), FadeIn(label), run_time=2.0)
        notations = tex(r"f'(x)", "=", r"\frac{df}{dx}", "=", r"\frac{d}{dx}\big[f(x)\big]", size=44)
        notations.move_to((3.7, 1.6, 0.0))
        names = VGroup(
            *(
                text(name, size=18, color=AXIS_COLOR).next_to(notations[i], DOWN, buff=0.25)
                for i, name in ((0, "Lagrange"), (2, "Leibniz"), (4, "operator"))
            )
        )
        rule = tex("f'(x) = 2x", color=SLOPE_COLOR, size=44).move_to((3.7, -0.6, 0.0))
        self.play(Write(notations), run_time=1.5)
        self.play(FadeIn(names), run_time=0.6)
        self.play(Write(rule), run_time=1.0)
        self.wait(2.0)
        self.curve, self.label, self.rule = curve, label, rule
        self.play(FadeOut(notations), FadeOut(names), self.rule.animate.scale(0.8).move_to((3.7, 3.0, 0.0)))

    def tangent_at_start(self) -> None:
        """Beat 2: the point at the first stop, its tangent, the readout and the rise/run triangle."""
        self.samples = self.math.stops
        self.frame_index.set_value(0)
        tangent, point = self.tangent_line(), self.point()
        self.play(FadeIn(point, scale=0.5), Create(tangent), run_time=1.2)
        self.readout = self.live_readout()
        self.statement = self.stop_statement(self.math.stops[0], "falling: the tangent points down")
        self.play(FadeIn(self.readout), FadeIn(self.statement), run_time=0.8)
        self.wait(1.5)
        self.play(FadeIn(self.rise_run_triangle()), run_time=1.2)
        self.remove(tangent, point)
        self.add_live_tangent()
        self.wait(3.5)

    def slide_to_bottom(self) -> None:
        """Beat 3: the point slides to the next two stops, the readout following every frame."""
        self.play(FadeOut(self.triangle), run_time=0.6)
        remarks = ("falling, less steeply", "bottomed out: the tangent is horizontal")
        for leg, stop, remark in zip(self.math.legs[:2], self.math.stops.points[1:3], remarks, strict=True):
            self.play(FadeOut(self.statement), run_time=0.3)
            self.move_along(leg)
            self.statement = self.stop_statement(stop, remark)
            self.play(FadeIn(self.statement), run_time=0.5)
            self.wait(1.8)

    def climb(self) -> None:
        """Beat 4: on to the steep stop."""
        self.play(FadeOut(self.statement), run_time=0.3)
        self.move_along(self.math.legs[2])
        self.statement = self.stop_statement(self.math.stops[3], "pretty steep")
        self.play(FadeIn(self.statement), run_time=0.5)
        self.wait(2.5)

    def trace(self) -> None:
        """Beat 5: a sweep whose slopes trace the graph of f', and the closing line."""
        sweep = self.math.legs[3]
        slope_axes = Axes(
            x_range=[-3.5, 3.5, 1],
            y_range=[-7, 7, 2],
            x_length=5.0,
            y_length=4.2,
            tips=False,
            axis_config={"color": AXIS_COLOR, "include_numbers": True, "font_size": 22},
            x_axis_config={"numbers_to_include": [-3, -2, -1, 1, 2, 3]},
            y_axis_config={"numbers_to_include": [-6, -4, -2, 2, 4, 6]},
        ).move_to((3.7, -0.2, 0.0))
        axes_label = tex("f'(x)", color=SLOPE_COLOR, size=30).next_to(slope_axes.c2p(-3.4, 6.6), RIGHT)
        self.play(
            FadeOut(self.readout),
            FadeOut(self.statement),
            FadeIn(slope_axes),
            FadeIn(axes_label),
            run_time=1.0,
        )
        self.samples = sweep
        self.frame_index.set_value(0)
        traced = VMobject(color=SLOPE_COLOR, stroke_width=5)

        def follow(trail: Mobject) -> None:
            upto = round(self.frame_index.get_value()) + 1
            pts = [slope_axes.c2p(x, s) for x, s in zip(sweep.x[:upto], sweep.slope[:upto], strict=True)]
            trail.set_points_as_corners(pts if len(pts) > 1 else [pts[0], pts[0]])

        traced.add_updater(follow)
        marker = Dot(color=SLOPE_COLOR, radius=0.07)
        marker.add_updater(lambda m: m.move_to(slope_axes.c2p(self.current().x, self.current().slope)))
        self.add(traced, marker)
        self.move_along(sweep)
        traced.clear_updaters()
        marker.clear_updaters()
        formula = tex("f'(x) = 2x", color=SLOPE_COLOR, size=34).move_to(slope_axes.c2p(2.0, -3.5))
        self.play(ReplacementTransform(self.rule, formula), FadeOut(marker), run_time=1.0)
        closing = tex(r"x \leftarrow x - \eta\, f'(x)", size=34).move_to((3.7, 3.0, 0.0))
        closing_words = text("gradient descent steps against the derivative", size=20)
        closing_words.next_to(closing, DOWN, buff=0.12)
        self.play(Write(closing), FadeIn(closing_words), run_time=1.2)
        self.wait(3.0)

    # Builders.
    def add_live_tangent(self) -> None:
        """Tangent and point redrawn from the current sample at every frame."""
        tangent = self.tangent_line()
        tangent.add_updater(lambda m: m.become(self.tangent_line()))
        point = self.point()
        point.add_updater(lambda m: m.become(self.point()))
        self.add(tangent, point)

    def live_readout(self) -> VGroup:
        """x, f(x) and f'(x) of the current sample, updated every frame."""
        rows = []
        for name, field, color in (
            ("x", "x", POINT_COLOR),
            ("f(x)", "f", FUNCTION_COLOR),
            ("f'(x)", "slope", SLOPE_COLOR),
        ):
            label = tex(name + " =", size=34, color=color)
            number = LiveNumber(0, places=2, sign=field != "f", size=34, color=color)
            number.add_updater(lambda m, field=field: m.set_value(getattr(self.current(), field)))
            number.update()
            rows.append(VGroup(label, number).arrange(RIGHT, buff=0.2))
        group = stacked(*rows, buff=0.2)
        for row in rows:  # align the equals signs
            row.shift((rows[0][0].get_right()[0] - row[0].get_right()[0]) * RIGHT)
        return group.move_to((3.7, 1.3, 0.0))

    def rise_run_triangle(self) -> VGroup:
        """Run, rise and θ on the first tangent: slope = Δy/Δx = tan θ."""
        t = self.math.triangle
        start = self.axes.c2p(t.x, t.f)
        corner = self.axes.c2p(t.x + t.run, t.f)
        end = self.axes.c2p(t.x + t.run, t.f + t.rise)
        run_leg = Line(start, corner, color=POINT_COLOR, stroke_width=3)
        rise_leg = Line(corner, end, color=SLOPE_COLOR, stroke_width=3)
        # Short labels fit in the gaps beside the legs; the numbers go in the formula on the right.
        run_label = tex(r"\Delta x", size=28).next_to(run_leg, UP, buff=0.1)
        rise_label = tex(r"\Delta y", size=28, color=SLOPE_COLOR)
        # Beside the rise leg, between two of the y axis's numbers.
        rise_label.next_to(self.axes.c2p(t.x + t.run, t.f + 0.25 * t.rise), RIGHT, buff=0.1)
        angle = Angle(run_leg, Line(start, end), radius=0.45, other_angle=t.angle < 0, color=SLOPE_COLOR)
        theta = tex(r"\theta", size=26, color=SLOPE_COLOR)
        theta.move_to(start + 1.7 * (angle.point_from_proportion(0.5) - start))
        ratio = tex(
            r"\text{slope} = \frac{\Delta y}{\Delta x} = \frac{"
            + fmt(t.rise)
            + "}{"
            + fmt(t.run)
            + "} = "
            + fmt(t.slope)
            + r" = \tan\theta",
            size=32,
        ).move_to((3.7, -2.35, 0.0))
        self.triangle = VGroup(run_leg, rise_leg, run_label, rise_label, angle, theta, ratio)
        return self.triangle
