"""Clip 4: the gradient on the contours of f(x, y) = x² + y², and gradient descent against it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    GrowArrow,
    Line,
    RightAngle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)

from mathcore.contours import LevelCurve
from mathcore.gradient import DescentPath, GradientClip, gradient_clip
from scenes.style import (
    AXIS_COLOR,
    CAPTION_COLOR,
    FUNCTION_COLOR,
    GRADIENT_COLOR,
    HIGHLIGHT_COLOR,
    POINT_COLOR,
    LectureScene,
    LiveNumber,
    fmt,
    stacked,
    tex,
    text,
)


class DescentOnContours(LectureScene):
    """A marker on circular contours: the gradient arrow, then a walk downhill against it."""

    clip_id = "gradient"

    # Knobs.
    arrow_scale = 0.5  # the gradient arrow is drawn at this fraction of its length, to fit the plot
    seconds_per_step = 0.25
    panel_centers: ClassVar[tuple[float, ...]] = (-4.6, 0.0, 4.6)

    def setup(self) -> None:
        """Ask the math core once for every number of the clip."""
        self.math: GradientClip = gradient_clip()
        self.axes = self.contour_axes(5.6, numbers=True).move_to((-3.3, 0.0, 0.0))

    def beats(self) -> Sequence[Callable[[], None]]:
        """The four beats of the storyboard."""
        return (self.contours_and_marker, self.gradient_arrow, self.descent, self.minimum_and_rates)

    # Beats.
    def contours_and_marker(self) -> None:
        """Beat 1: labelled contours of f and the marker at the start."""
        x0, y0 = self.math.start
        formula = tex("f(x, y) = x^2 + y^2", color=FUNCTION_COLOR, size=40).move_to((3.7, 2.4, 0.0))
        self.play(Create(self.axes), Write(formula), run_time=1.2)
        self.play(Create(self.contours(self.axes, labelled=True)), run_time=2.0)
        self.marker = Dot(self.axes.c2p(x0, y0), color=POINT_COLOR, radius=0.09).set_z_index(3)
        where = tex(f"({fmt(x0, 1, trim=False)},\\ {fmt(y0, 1, trim=False)})", size=28)
        # Left of the marker: the arrow, the tangent and the right angle take the other sides.
        where.next_to(self.marker, LEFT, buff=0.12).shift(0.18 * DOWN)
        where.add_background_rectangle(color=config.background_color, opacity=0.85, buff=0.04)
        height = tex(f"f({fmt(x0, 1, trim=False)},\\ {fmt(y0, 1, trim=False)}) = {fmt(self.math.f0)}", size=34)
        height.move_to((3.7, 1.4, 0.0))
        self.play(FadeIn(self.marker, scale=0.5), FadeIn(where), FadeIn(height), run_time=0.8)
        self.formula, self.where, self.height = formula, where, height
        self.hold(4.0)

    def gradient_arrow(self) -> None:
        """Beat 2: ∇f at the marker, uphill and at a right angle to the contour through it."""
        m = self.math
        p = self.marker.get_center()
        tip = self.axes.c2p(*(np.array(m.start) + self.arrow_scale * np.array(m.gradient)))
        arrow = Arrow(p, tip, buff=0, color=GRADIENT_COLOR, stroke_width=6, max_tip_length_to_length_ratio=0.15)
        level = self.level_mobject(self.axes, m.marker_level).set_stroke(POINT_COLOR, width=3, opacity=0.9)
        t = np.array(m.level_tangent)
        ahead = self.axes.c2p(*(np.array(m.start) + 0.9 * t))
        behind = self.axes.c2p(*(np.array(m.start) - 0.9 * t))
        tangent = DashedLine(behind, ahead, color=POINT_COLOR, stroke_width=3)
        square = RightAngle(Line(p, tip), Line(p, ahead), length=0.22, color=POINT_COLOR)
        gx, gy = (fmt(v, 1, trim=False) for v in m.gradient)
        x0, y0 = (fmt(v, 1, trim=False) for v in m.start)
        rule = tex(r"\nabla f = (2x,\ 2y)", size=36)
        value = tex(rf"\nabla f({x0},\ {y0}) = ", rf"({gx},\ {gy})", size=36)
        value[1].set_color(GRADIENT_COLOR)
        norm = tex(r"\|\nabla f\| = ", fmt(m.gradient_norm, 1, trim=False), size=36)
        norm[1].set_color(GRADIENT_COLOR)
        note = text(f"arrow drawn at {fmt(self.arrow_scale)} of its length", size=18, color=CAPTION_COLOR)
        panel = stacked(rule, value, norm, note, buff=0.3).move_to((3.7, -0.6, 0.0))
        self.play(Create(level), FadeIn(rule), run_time=1.0)
        self.play(GrowArrow(arrow), FadeIn(value), run_time=1.2)
        self.play(Create(tangent), Create(square), FadeIn(norm), FadeIn(note), run_time=1.0)
        self.arrow_parts = VGroup(arrow, level, tangent, square)
        self.panel = panel
        self.hold(3.2)

    def descent(self) -> None:
        """Beat 3: the marker walks the math core's path against the gradient, leaving a trail."""
        path = self.math.descent
        self.play(FadeOut(self.arrow_parts), FadeOut(self.panel), FadeOut(self.where), FadeOut(self.height))
        update = tex(r"w \leftarrow w - \eta\,\nabla f(w)", size=38)
        rate = tex(r"\eta = " + fmt(path.rate), size=34)
        header = stacked(update, rate, buff=0.2).move_to((3.7, 1.3, 0.0))
        self.play(Write(header), run_time=1.0)
        steps = ValueTracker(0.0)
        self.readout = self.descent_readout(path, steps).move_to((3.7, -0.9, 0.0))
        self.add(self.readout)
        trail = VMobject(color=GRADIENT_COLOR, stroke_width=3)
        trail.add_updater(lambda m: m.set_points_as_corners(self.trail_points(path, steps.get_value())))
        self.marker.add_updater(lambda m: m.move_to(self.trail_points(path, steps.get_value())[-1]))
        visited = VGroup(*(Dot(self.axes.c2p(*w), radius=0.035, color=GRADIENT_COLOR) for w in path.w[1:]))
        for k, dot in enumerate(visited, start=1):
            dot.add_updater(lambda m, k=k: m.set_opacity(1.0 if steps.get_value() >= k else 0.0))
        self.add(trail, visited)
        run = len(path.w) - 1
        self.play(steps.animate.set_value(run), run_time=run * self.seconds_per_step, rate_func=linear)
        for mob in (trail, self.marker, *visited):
            mob.clear_updaters()
        self.header, self.trail = header, VGroup(trail, visited)
        self.wait(1.0)

    def minimum_and_rates(self) -> None:
        """Beat 4: the gradient vanishes at the minimum; three learning rates side by side."""
        path = self.math.descent
        last = len(path.w) - 1
        gradient_at_end = [fmt(v, 2, trim=False) for v in path.grad[-1]]
        zero = tex(rf"\nabla f(w_{{{last}}}) = ", f"({gradient_at_end[0]},\\ {gradient_at_end[1]})", size=36)
        zero[1].set_color(GRADIENT_COLOR)
        zero.move_to((3.7, -2.5, 0.0))
        self.play(FadeIn(zero), run_time=0.6)
        self.wait(2.0)
        plot = Group(*(mob for mob in self.mobjects if mob not in (self.title, self.caption)))
        self.play(FadeOut(plot), run_time=0.8)
        panels = [
            self.rate_panel(run, center) for run, center in zip(self.math.contrast, self.panel_centers, strict=True)
        ]
        self.play(*(FadeIn(panel[0]) for panel in panels), run_time=0.8)
        self.play(*(Create(panel[1]) for panel in panels), run_time=3.0)
        self.play(*(FadeIn(panel[2]) for panel in panels), run_time=0.6)
        self.hold(5.2)

    # Builders.
    def contour_axes(self, side: float, numbers: bool) -> Axes:
        """Square axes over the plotted window of the math core."""
        half = self.math.half_width
        axes = Axes(
            x_range=[-half, half, 1],
            y_range=[-half, half, 1],
            x_length=side,
            y_length=side,
            tips=False,
            axis_config={"color": AXIS_COLOR, "include_numbers": False, "font_size": 22},
        )
        if numbers:
            axes.add_coordinates([-2, -1, 1, 2], [-2, -1, 1, 2])
        return axes

    def level_mobject(self, axes: Axes, curve: LevelCurve) -> VGroup:
        """One contour, every piece of it, on ``axes``."""
        return VGroup(*(VMobject().set_points_as_corners([axes.c2p(x, y) for x, y in piece]) for piece in curve.pieces))

    def contours(self, axes: Axes, labelled: bool) -> VGroup:
        """Every labelled level of f, lighter for lower levels, each label on its curve's lower-left side."""
        group = VGroup()
        count = len(self.math.levels)
        for i, curve in enumerate(self.math.levels):
            line = self.level_mobject(axes, curve).set_stroke(FUNCTION_COLOR, width=2, opacity=0.4 + 0.5 * i / count)
            group.add(line)
            if labelled:
                points = np.concatenate(curve.pieces)
                spot = points[np.argmin(points[:, 0] + points[:, 1])]
                label = tex(fmt(curve.level), size=20, color=FUNCTION_COLOR).move_to(axes.c2p(*spot))
                label.add_background_rectangle(color=config.background_color, opacity=1.0, buff=0.04)
                group.add(label)
        return group

    def trail_points(self, path: DescentPath, t: float) -> list[np.ndarray]:
        """Scene points of the walk so far: every step reached, then the marker easing to the next."""
        k = min(math.floor(t), len(path.w) - 1)
        points = [self.axes.c2p(*w) for w in path.w[: k + 1]]
        if k < len(path.w) - 1:
            here, there = path.w[k], path.w[k + 1]
            points.append(self.axes.c2p(*(here + smooth(t - k) * (there - here))))
        else:
            points.append(points[-1])
        return points

    def descent_readout(self, path: DescentPath, steps: ValueTracker) -> VGroup:
        """Step number, f(w) and ‖∇f(w)‖ at the last step reached."""

        def reached() -> int:
            return min(math.floor(steps.get_value()), len(path.w) - 1)

        rows = []
        for name, values, color, places in (
            ("f(w) =", path.f, FUNCTION_COLOR, 3),
            (r"\|\nabla f(w)\| =", path.grad_norm, GRADIENT_COLOR, 3),
        ):
            number = LiveNumber(values[0], places=places, size=36, color=color)
            number.add_updater(lambda m, values=values: m.set_value(values[reached()]))
            rows.append(VGroup(tex(name, size=36, color=color), number).arrange(buff=0.2))
        counter = LiveNumber(0, places=0, size=36)
        counter.add_updater(lambda m: m.set_value(reached()))
        rows.insert(0, VGroup(tex(r"\text{step}", size=36), counter).arrange(buff=0.2))
        return stacked(*rows, buff=0.25)

    def rate_panel(self, run: DescentPath, center: float) -> tuple[VGroup, VMobject, VGroup]:
        """Small contours with the path at one learning rate: (frame, path, verdict)."""
        axes = self.contour_axes(3.4, numbers=False).move_to((center, -0.1, 0.0))
        inside = [w for w in run.w if max(abs(w[0]), abs(w[1])) <= self.math.half_width]
        walk = VMobject(color=GRADIENT_COLOR, stroke_width=3).set_points_as_corners([axes.c2p(*w) for w in inside])
        walk.add(*(Dot(axes.c2p(*w), radius=0.04, color=GRADIENT_COLOR) for w in inside))
        start = Dot(axes.c2p(*run.w[0]), radius=0.07, color=POINT_COLOR)
        heading = tex(r"\eta = " + fmt(run.rate), size=34).next_to(axes, UP, buff=0.2)
        frame = VGroup(axes, self.contours(axes, labelled=False), start, heading)
        if run.rate > self.math.rate_limit:
            verdict, color = rf"\text{{diverges: }}\eta > {fmt(self.math.rate_limit)}", HIGHLIGHT_COLOR
        elif run.f[-1] > 0.01 * run.f[0]:
            verdict, color = r"\text{crawls}", POINT_COLOR
        else:
            verdict, color = r"\text{converges}", POINT_COLOR
        steps = len(run.w) - 1
        result = tex(verdict, size=28, color=color)
        after = tex(rf"f(w_{{{steps}}}) = {fmt(run.f[-1])}", size=28)
        words = stacked(result, after, buff=0.12).next_to(axes, DOWN, buff=0.2)
        for row in words:
            row.set_x(center)
        return frame, walk, words
