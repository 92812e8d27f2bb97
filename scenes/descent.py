"""The descent template: the gradient of any f(x, y) on its contours, and gradient descent against it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    Group,
    GrowArrow,
    Line,
    MathTex,
    Mobject,
    RightAngle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from lessons.templates import DescentLesson
from mathcore.contours import LevelCurve
from mathcore.descent import DescentPath, GradientClip
from mathcore.nice import nice_floor
from scenes.builders import axis_labels, backed, number_config, reach_in_box, readable_numbers, ticks
from scenes.descent_text import alarming, compute, shown
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import drop_ticks_under, fit, found_clear, place_clear, stacked
from scenes.shown import digits
from scenes.typeset import TICK_SIZE, LiveNumber, tex, text

#: The contour plot's side (scene units, laid out for 16:9).
PLOT_SIDE = 5.6
#: The gradient arrow is drawn at least this long (scene units) where the plot has room: shorter, it is a stub.
LEAST_ARROW = 0.6


class DescentOnContours(LectureScene[DescentLesson]):
    """A marker on the contours of f: the gradient arrow, then a walk downhill against it."""

    # Knobs.
    arrow_reach = 0.3  # the gradient arrow is drawn at most this share of the window long
    seconds_per_step = 0.25
    panel_centers: ClassVar[tuple[float, ...]] = (-4.6, 0.0, 4.6)
    column_x = 3.7
    column_width = 5.8

    def setup(self) -> None:
        """Ask the math core once for every number of the clip."""
        self.math: GradientClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        self.arrow_scale = self.fitting_arrow_scale()
        self.axes = self.contour_axes(self.across(PLOT_SIDE), numbers=True).move_to((self.across(-3.3), 0.0, 0.0))

    def beats(self) -> Sequence[Callable[[], None]]:
        """The four beats of the storyboard."""
        return (self.contours_and_marker, self.gradient_arrow, self.descent, self.minimum_and_rates)

    # Beats.
    def contours_and_marker(self) -> None:
        """Beat 1: labelled contours of f and the marker at the start."""
        x0, y0 = self.math.start
        # Over two lines where long (log(1 + e^{-x - y}) + ...), rather than smaller type.
        formula = self.beside(self.tex_of("f", size=40, color=self.palette.function), self.axes, 2.4, 1.0)
        self.play(Create(self.axes), Write(formula), run_time=1.2)
        contours = self.contours(self.axes, labelled=True, keep_off=self.arrow_and_tangent())
        self.play(Create(contours), run_time=2.0)
        self.marker = Dot(self.axes.c2p(x0, y0), color=self.palette.point, radius=0.09).set_z_index(3)
        self.on_axes(self.marker, self.axes)
        where = backed(self.tex_of("where", size=28))
        # Beside the marker, away from the gradient arrow and from the level curve's tangent line.
        uphill = np.array([*self.math.gradient, 0.0]) / max(self.math.gradient_norm, 1e-12)
        along = np.array([*self.math.level_tangent, 0.0])

        def crowding(d: np.ndarray) -> float:
            unit = d / np.linalg.norm(d)
            return float(np.dot(unit, uphill) + abs(np.dot(unit, along)))

        sides = sorted((LEFT, DOWN, RIGHT, UP, LEFT + DOWN, RIGHT + DOWN, LEFT + UP, RIGHT + UP), key=crowding)

        def beside_marker(d: np.ndarray, buff: float) -> Callable[[Mobject], object]:
            return lambda m: m.next_to(self.marker, d, buff=buff)

        arrow, tangent = self.arrow_and_tangent()
        place_clear(
            where,
            [beside_marker(d, buff) for buff in (0.12, 0.45) for d in sides],
            [*axis_labels(self.axes), *(m for m in contours if isinstance(m, MathTex))],
            [arrow, tangent],
        )
        drop_ticks_under(self.axes, where)  # where the marker stands matters more than a tick number
        height = fit(self.tex_of("height", size=34), self.column_width).move_to((self.column_x, 1.4, 0.0))
        self.clear_below(height, formula)
        self.play(FadeIn(self.marker, scale=0.5), FadeIn(where), FadeIn(height), run_time=0.8)
        self.formula, self.where, self.height = formula, where, height
        self.hold(4.0)

    def gradient_arrow(self) -> None:
        """Beat 2: ∇f at the marker, uphill and at a right angle to the contour through it."""
        m = self.math
        p = self.marker.get_center()
        arrow, tangent = self.arrow_and_tangent()
        tip, ahead = arrow.get_end(), tangent.get_end()
        level = self.level_mobject(self.axes, m.marker_level).set_stroke(self.palette.point, width=3, opacity=0.9)
        square = RightAngle(Line(p, tip), Line(p, ahead), length=0.22, color=self.palette.point)
        span = self.span_beside(self.axes)
        rule = fit(self.tex_of("rule", size=36), span, lines=True)  # over lines rather than smaller
        value = fit(self.tex_of("value", size=36, color=self.palette.gradient), span, lines=True)
        norm = fit(self.tex_of("norm", size=36, color=self.palette.gradient), span, lines=True)
        scale = digits(self.arrow_scale)
        drawn = f"at {scale} of its length" if self.arrow_scale < 1 else f"{scale} times as long as it is"
        note = text(f"arrow drawn {drawn}", size=18, color=self.palette.caption)
        panel = self.beside(stacked(rule, value, norm, note, buff=0.3), self.axes, -0.6)
        self.play(Create(level), FadeIn(rule), run_time=1.0)
        self.play(GrowArrow(arrow), FadeIn(value), run_time=1.2)
        self.play(Create(tangent), Create(square), FadeIn(norm), FadeIn(note), run_time=1.0)
        self.keep_clear(arrow)
        self.arrow_parts = VGroup(arrow, level, tangent, square)
        self.panel = panel
        self.hold(3.2)

    def descent(self) -> None:
        """Beat 3: the marker walks the math core's path against the gradient, leaving a trail."""
        path = self.math.descent
        self.play(FadeOut(self.arrow_parts), FadeOut(self.panel), FadeOut(self.where), FadeOut(self.height))
        update = tex(r"w \leftarrow w - \eta\,\nabla f(w)", size=38)
        rate = self.tex_of("rate", size=34)
        header = stacked(update, rate, buff=0.2).move_to((self.column_x, 1.3, 0.0))
        self.play(Write(header), run_time=1.0)
        steps = ValueTracker(0.0)
        self.readout = self.descent_readout(path, steps).move_to((self.column_x, -0.9, 0.0))
        self.add(self.readout)
        trail = VMobject(color=self.palette.gradient, stroke_width=3)
        trail.add_updater(lambda m: m.set_points_as_corners(self.trail_points(path, steps.get_value())))
        self.marker.add_updater(lambda m: m.move_to(self.trail_points(path, steps.get_value())[-1]))
        visited = VGroup(*(Dot(self.axes.c2p(*w), radius=0.035, color=self.palette.gradient) for w in path.w[1:]))
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
        zero = fit(self.tex_of("end", size=34, color=self.palette.gradient), self.column_width)
        note = fit(text(self.shown["end-note"].tex, size=18, color=self.palette.caption), self.column_width)
        stacked(zero, note, buff=0.15).move_to((self.column_x, -2.45, 0.0))
        self.play(FadeIn(zero), FadeIn(note), run_time=0.6)
        self.wait(2.0)
        plot = Group(*(mob for mob in self.mobjects if mob not in (self.title, self.caption)))
        self.play(FadeOut(plot), run_time=0.8)
        panels = [
            self.rate_panel(i, run, center)
            for i, (run, center) in enumerate(
                zip(self.math.contrast, map(self.across, self.panel_centers), strict=True)
            )
        ]
        self.play(*(FadeIn(panel[0]) for panel in panels), run_time=0.8)
        self.play(*(Create(panel[1]) for panel in panels), run_time=3.0)
        self.play(*(FadeIn(panel[2]) for panel in panels), run_time=0.6)
        self.hold(5.2)

    # Builders.
    def fitting_arrow_scale(self) -> float:
        """A round share of the gradient's length that keeps the arrow short and inside the plot, and visible.

        At most 1/2; a gradient so small that half of it would draw a stub is drawn longer than it is, at
        least ``LEAST_ARROW`` long on screen where the plot has room.
        """
        m = self.math
        (x_low, x_high), (y_low, y_high) = m.window
        longest = self.arrow_reach * (x_high - x_low)
        for value, gradient, low, high in zip(m.start, m.gradient, (x_low, y_low), (x_high, y_high), strict=True):
            if gradient > 0:
                longest = min(longest, 0.9 * (high - value) * m.gradient_norm / gradient)
            elif gradient < 0:
                longest = min(longest, 0.9 * (value - low) * m.gradient_norm / -gradient)
        norm = max(m.gradient_norm, 1e-12)
        wanted = min(0.5, longest / norm)
        visible = LEAST_ARROW / (norm * self.across(PLOT_SIDE) / (x_high - x_low))  # the share drawn that long
        if wanted < visible:  # a round share between it and twice it, as far as the plot allows
            wanted = min(longest / norm, 2 * visible)
        return nice_floor(wanted, (1.0, 2.0, 2.5, 3.0, 4.0, 5.0))

    def arrow_and_tangent(self) -> tuple[Arrow, DashedLine]:
        """The gradient arrow at the start (drawn at ``arrow_scale`` of its length) and the level curve's tangent."""
        m = self.math
        start = np.array(m.start)
        tip = self.axes.c2p(*(start + self.arrow_scale * np.array(m.gradient)))
        p = self.axes.c2p(*start)
        arrow = Arrow(p, tip, buff=0, color=self.palette.gradient, stroke_width=6, max_tip_length_to_length_ratio=0.15)
        t = np.array(m.level_tangent)
        ends = (
            self.axes.c2p(*(start + sign * reach_in_box(m.start, tuple(sign * t), m.window, 0.9) * t))
            for sign in (1, -1)
        )  # the dashed line ends where the plotted window does
        ahead, behind = ends
        return arrow, DashedLine(behind, ahead, color=self.palette.point, stroke_width=3)

    def contour_axes(self, side: float, numbers: bool) -> Axes:
        """Square axes over the plotted window of the math core."""
        (x_low, x_high), (y_low, y_high) = self.math.window
        step, labels = ticks(x_low, x_high, 6)
        axes = Axes(
            x_range=[x_low, x_high, step],
            y_range=[y_low, y_high, step],
            x_length=side,
            y_length=side,
            tips=False,
            axis_config={"color": self.palette.axis, "include_numbers": False, "font_size": TICK_SIZE},
            x_axis_config={"decimal_number_config": number_config(step)},
            y_axis_config={"decimal_number_config": number_config(step)},
        )
        if numbers:
            readable_numbers(axes.add_coordinates(labels, ticks(y_low, y_high, 6)[1]))
        return axes

    def level_mobject(self, axes: Axes, curve: LevelCurve) -> VGroup:
        """One contour, every piece of it, on ``axes``."""
        return VGroup(*(VMobject().set_points_as_corners([axes.c2p(x, y) for x, y in piece]) for piece in curve.pieces))

    def contours(self, axes: Axes, labelled: bool, keep_off: Sequence[Mobject] = ()) -> VGroup:
        """Every labelled level of f, lighter for lower levels, each label on its curve's lower-left side."""
        group = VGroup()
        count = len(self.math.levels)
        placed: list[Mobject] = list(axis_labels(axes)) if labelled else []
        for i, curve in enumerate(self.math.levels):
            if not curve.pieces:
                continue
            line = self.level_mobject(axes, curve).set_stroke(
                self.palette.function, width=2, opacity=0.4 + 0.5 * i / count
            )
            group.add(line)
            if labelled:
                label = backed(tex(digits(curve.level), size=20, color=self.palette.function))
                points = np.concatenate(curve.pieces)
                (x_low, x_high), (y_low, y_high) = self.math.window
                inside = points[
                    (points[:, 0] > x_low + 0.08 * (x_high - x_low))
                    & (points[:, 0] < x_high - 0.08 * (x_high - x_low))
                    & (points[:, 1] > y_low + 0.08 * (y_high - y_low))
                    & (points[:, 1] < y_high - 0.08 * (y_high - y_low))
                ]
                if not len(inside):
                    continue
                # Lower left first, where a walk that starts upper right does not pass.
                order = np.argsort(inside[:, 0] + inside[:, 1])
                spots = [lambda m, p=inside[k]: m.move_to(axes.c2p(*p)) for k in order[:: max(1, len(order) // 24)]]
                if found_clear(label, spots, placed, [*keep_off, axes]):  # else this level goes unlabelled
                    group.add(label)
                    placed.append(label)
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
            ("f(w)", path.f, self.palette.function, 3),
            (r"\|\nabla f(w)\|", path.grad_norm, self.palette.gradient, 3),
        ):
            number = LiveNumber(values[0], places=places, size=36, color=color, relation=True, exact=False)
            number.add_updater(lambda m, values=values: m.set_value(values[reached()]))
            rows.append(VGroup(tex(name, size=36, color=color), number).arrange(buff=0.2))
        counter = LiveNumber(0, places=0, size=36, relation=True)
        counter.add_updater(lambda m: m.set_value(reached()))
        rows.insert(0, VGroup(tex(r"\text{step}", size=36), counter).arrange(buff=0.2))
        group = stacked(*rows, buff=0.25)
        for row in rows:  # line up the relation signs
            row.shift((rows[0][1].get_left()[0] - row[1].get_left()[0]) * RIGHT)
        return group

    def rate_panel(self, index: int, run: DescentPath, center: float) -> tuple[VGroup, VMobject, VGroup]:
        """Small contours with the path at one learning rate: (frame, path, verdict)."""
        axes = self.contour_axes(self.across(3.4), numbers=False).move_to((center, 0.1, 0.0))
        inside, leaves = walk_in_window(run.w, self.math.window)
        walk = VMobject(color=self.palette.gradient, stroke_width=3).set_points_as_corners(
            [axes.c2p(*w) for w in (*inside, *leaves)]
        )
        walk.add(*(Dot(axes.c2p(*w), radius=0.04, color=self.palette.gradient) for w in inside))
        start = Dot(axes.c2p(*run.w[0]), radius=0.07, color=self.palette.point)
        heading = self.tex_of(f"panel-{index}-rate", size=34).next_to(axes, UP, buff=0.2)
        frame = VGroup(axes, self.contours(axes, labelled=False), start, heading)
        claim = self.shown[f"panel-{index}-verdict"].claim
        warn = claim is not None and alarming(claim)
        result = fit(  # a long verdict (an irrational rate limit, named and rounded) stands over two lines
            self.tex_of(
                f"panel-{index}-verdict", size=28, color=self.palette.highlight if warn else self.palette.point
            ),
            self.across(4.0),
            lines=True,
        )
        after = fit(self.tex_of(f"panel-{index}-f", size=28), self.across(4.0), lines=True)
        words = stacked(result, after, buff=0.12).next_to(axes, DOWN, buff=0.2)
        for row in words:
            row.set_x(center)
        return frame, walk, words


def walk_in_window(
    w: np.ndarray, window: tuple[tuple[float, float], tuple[float, float]]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The steps of walk ``w`` until it first leaves ``window``, and where its next step crosses the edge (if it does).

    A diverging walk is drawn out to the window's edge: its line goes off the panel, not into nothing.
    """
    (x_low, x_high), (y_low, y_high) = window
    steps: list[np.ndarray] = []
    for point in w:
        if not (x_low <= point[0] <= x_high and y_low <= point[1] <= y_high):
            if not steps or not np.all(np.isfinite(point)):  # no edge to draw to: from outside, or to no number
                return steps, []
            last = steps[-1]
            reach = reach_in_box((float(last[0]), float(last[1])), tuple(point - last), window, 1.0)
            return steps, [last + reach * (point - last)]
        steps.append(point)
    return steps, []
