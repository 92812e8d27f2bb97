"""The chain template: a train of meshed gears, and the computation graph of any outer(inner(x))."""

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
    UP,
    Arrow,
    Axes,
    Circle,
    Create,
    CurvedArrow,
    Dot,
    GrowArrow,
    Mobject,
    RoundedRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)
from manim.utils.color import ParsableManimColor

from lessons.templates import ChainLesson
from mathcore.chain import ChainClip
from mathcore.nice import nice_range
from scenes.builders import LINK, number_config, readable_numbers, tangent_segment, ticks
from scenes.chain_text import compute, shown, turn_degrees
from scenes.gears import Gear, mesh_phase, pitch_radius, tip_radius
from scenes.layout import line_points, safe_reach
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import drop_covered_ticks, fit, place_clear, stacked
from scenes.typeset import TICK_SIZE, LiveNumber, tex, text

#: The tallest a node's formula may stand over lines (three of them; scene units): taller, it is shrunk to one.
NODE_ROOM = 1.9
#: Room kept under the tangent picture's axes for its x tick numbers.
PICTURE_NUMBERS = 0.45


class GearsAndGraph(LectureScene[ChainLesson]):
    """Three meshed gears whose angles keep the train's ratios at every frame, then the graph of y(x)."""

    # Knobs.
    turn_seconds = 6.0
    module_ratio = 0.08 / 0.14  # tooth size of the B'-C mesh against the A-B mesh
    gear_box: ClassVar[tuple[float, float, float, float]] = (-6.6, -2.5, 1.5, 2.6)  # left, bottom, right, top
    node_height = 2.0
    node_xs: ClassVar[tuple[float, float, float]] = (-4.6, 0.0, 4.6)
    node_width = 3.6  # a node's formula is set over lines, or shrunk, to this width
    column_x = 4.3
    column_width = 5.0

    def setup(self) -> None:
        """Ask the math core once for the graph and for the gear angles at every frame."""
        frames = round(self.turn_seconds * config.frame_rate) + 1
        turn = turn_degrees(self.lesson) * np.array([smooth(a) for a in np.linspace(0.0, 1.0, frames)])
        self.math: ChainClip = compute(self.lesson, turn)
        self.shown = shown(self.lesson, self.math)
        self.modules = self.fitting_modules()
        self.gears = self.build_gears()
        self.frame = ValueTracker(0)

    def train_extent(self, m1: float, m2: float) -> tuple[float, float, float]:
        """Width, height, and A's centre from the left edge, of the train with modules ``m1``, ``m2``."""
        teeth_a, teeth_b, teeth_b2, teeth_c = self.math.gears.teeth
        r_a, r_b = tip_radius(teeth_a, m1), tip_radius(teeth_b, m1)
        r_b2, r_c = tip_radius(teeth_b2, m2), tip_radius(teeth_c, m2)
        b_x = pitch_radius(teeth_a, m1) + pitch_radius(teeth_b, m1)
        c_x = b_x + pitch_radius(teeth_b2, m2) + pitch_radius(teeth_c, m2)
        left = min(-r_a, b_x - r_b, b_x - r_b2)
        right = max(b_x + r_b, b_x + r_b2, c_x + r_c)
        return right - left, 2 * max(r_a, r_b, r_b2, r_c), -left

    def fitting_modules(self) -> tuple[float, float]:
        """Tooth sizes that make the whole train fill ``gear_box``."""
        width, height, _ = self.train_extent(1.0, self.module_ratio)
        left, bottom, right, top = self.gear_box
        left, right = self.across(left), self.across(right)
        m1 = min((right - left) / width, (top - bottom) / height)
        return m1, m1 * self.module_ratio

    def beats(self) -> Sequence[Callable[[], None]]:
        """The four beats of the storyboard."""
        return (self.three_gears, self.computation_graph, self.multiply, self.backpropagation)

    # Gears.
    def build_gears(self) -> tuple[Gear, Gear, Gear, Gear]:
        """A and B mesh in front; B' shares B's axle and meshes with C behind them."""
        teeth_a, teeth_b, teeth_b2, teeth_c = self.math.gears.teeth
        m1, m2 = self.modules
        width, _, a_offset = self.train_extent(m1, m2)
        left, bottom, right, top = self.gear_box
        left, right = self.across(left), self.across(right)
        a_centre = np.array([left + (right - left - width) / 2 + a_offset, (bottom + top) / 2, 0.0])
        b_centre = a_centre + (pitch_radius(teeth_a, m1) + pitch_radius(teeth_b, m1)) * RIGHT
        c_centre = b_centre + (pitch_radius(teeth_b2, m2) + pitch_radius(teeth_c, m2)) * RIGHT
        color_a, color_b, color_c = self.palette.chain
        a = Gear(teeth_a, m1, a_centre, 0.0, color_a)
        b = Gear(teeth_b, m1, b_centre, mesh_phase(teeth_a, 0.0, teeth_b, 0.0), color_b)
        b2 = Gear(teeth_b2, m2, b_centre, 0.0, color_b, fill_opacity=0.35)
        c = Gear(teeth_c, m2, c_centre, mesh_phase(teeth_b2, 0.0, teeth_c, 0.0), color_c)
        return a, b, b2, c

    def pose_gears(self, frame: int) -> None:
        """Turn every gear to the math core's angles at ``frame`` (B' turns with B, on one axle)."""
        g = self.math.gears
        a, b, b2, c = self.gears
        a.set_angle(math.radians(g.angle_a[frame]))
        b.set_angle(math.radians(g.angle_b[frame]))
        b2.set_angle(math.radians(g.angle_b[frame]))
        c.set_angle(math.radians(g.angle_c[frame]))

    def hub(self, gear: Gear, name: str, color: ParsableManimColor) -> VGroup:
        """A dark hub with the gear's letter on it."""
        disc = Circle(radius=0.22, fill_color=config.background_color, fill_opacity=1, stroke_color=color)
        return VGroup(disc, tex(name, size=30, color=color)).move_to(gear.centre).set_z_index(2)

    def three_gears(self) -> None:
        """Beat 1: A turns, B turns twice as far the other way, C ten times as far as A."""
        g = self.math.gears
        a, b, b2, c = self.gears
        color_a, color_b, color_c = self.palette.chain
        self.pose_gears(0)
        b2_label = tex("B'", size=28, color=color_b)
        # Up and to the right of the shared axle, beyond the teeth of B' and of B in front of it.
        beyond = max(tip_radius(g.teeth[1], self.modules[0]), tip_radius(g.teeth[2], self.modules[1]))
        reach = beyond + 0.1 + float(np.hypot(b2_label.width, b2_label.height)) / 2
        angles = np.radians([60, 120, 90, 30, 150, -60, -120])  # up and to the right first, then round the axle
        spots = [lambda m, a=a: m.move_to(b2.centre + reach * np.array([np.cos(a), np.sin(a), 0.0])) for a in angles]
        place_clear(b2_label, spots, [], self.gears)
        hubs = VGroup(self.hub(a, "A", color_a), self.hub(b, "B", color_b), self.hub(c, "C", color_c))
        self.play(FadeIn(b2), FadeIn(c), FadeIn(a), FadeIn(b), FadeIn(hubs), FadeIn(b2_label), run_time=1.2)
        counters = self.angle_counters().move_to((self.column_x, 1.8, 0.0))
        # The product and the note come after the turn; the teeth go under where they will stand.
        product = fit(self.tex_of("ratio", size=34, color=self.palette.slope), self.column_width, lines=True)
        product.next_to(counters, DOWN, buff=0.35).set_x(self.column_x)
        mesh_note = text("each mesh turns the other way: a minus sign", size=18, color=self.palette.caption)
        fit(mesh_note, self.column_width, lines=True).next_to(product, DOWN, buff=0.2)
        teeth = text(self.shown["teeth"].tex, size=18, color=self.palette.caption).next_to(mesh_note, DOWN, buff=0.2)
        teeth.set_x(self.column_x)
        self.play(FadeIn(counters), FadeIn(teeth), run_time=0.6)
        for gear in self.gears:
            gear.add_updater(lambda _m: self.pose_gears(round(self.frame.get_value())))
        last = len(g.angle_a) - 1
        self.play(self.frame.animate.set_value(last), run_time=last / config.frame_rate, rate_func=linear)
        for gear in self.gears:
            gear.clear_updaters()
        self.play(Write(product), FadeIn(mesh_note), run_time=1.2)
        self.gear_parts = VGroup(*self.gears, hubs, b2_label, counters, teeth, product, mesh_note)
        self.hold(2.5)

    def angle_counters(self) -> VGroup:
        """θ_A, θ_B, θ_C in degrees at the current frame."""
        g = self.math.gears
        rows = []
        for name, angles, color in zip("ABC", (g.angle_a, g.angle_b, g.angle_c), self.palette.chain, strict=True):
            number = LiveNumber(0, places=2, sign=True, unit=r"^\circ", size=36, color=color, relation=True)
            number.add_updater(lambda m, angles=angles: m.set_value(angles[round(self.frame.get_value())]))
            rows.append(VGroup(tex(rf"\theta_{name}", size=36, color=color), number).arrange(RIGHT, buff=0.2))
        group = stacked(*rows, buff=0.22)
        for row in rows:  # line up the relation signs
            row.shift((rows[0][1].get_left()[0] - row[1].get_left()[0]) * RIGHT)
        return group

    # The graph.
    def node(self, key: str, color: ParsableManimColor, x: float) -> VGroup:
        """A box in the computation graph."""
        label = self.tex_of(key, size=34, color=color)
        width = self.across(self.node_width)
        trial = fit(label.copy(), width, lines=True)  # over two lines if they are not too tall
        label = trial if trial.height <= NODE_ROOM else fit(label, width)
        box = RoundedRectangle(
            corner_radius=0.15, width=label.width + 0.5, height=label.height + 0.4, stroke_color=color
        )
        return VGroup(box, label).move_to((self.across(x), self.node_height, 0.0))

    def space_out(self, nodes: VGroup) -> None:
        """Where wide boxes leave an arrow less than ``LINK`` long, spread them across the safe width, gaps equal."""
        gaps = [b.get_left()[0] - a.get_right()[0] for a, b in itertools.pairwise(nodes)]
        if min(gaps) >= LINK + 0.2:  # each arrow's length and its buffers
            return
        half = safe_reach()[0]
        gap = (2 * half - sum(node.width for node in nodes)) / (len(nodes) - 1)
        left = -half
        for node in nodes:
            node.shift((left - node.get_left()[0]) * RIGHT)
            left += node.width + gap

    def computation_graph(self) -> None:
        """Beat 2: x → u = x² → y = sin(u), each arrow labelled with its local rate."""
        self.play(FadeOut(self.gear_parts), run_time=0.8)
        color_x, color_u, color_y = self.palette.chain
        nodes = VGroup(
            self.node("node-x", color_x, self.node_xs[0]),
            self.node("node-u", color_u, self.node_xs[1]),
            self.node("node-y", color_y, self.node_xs[2]),
        )
        self.space_out(nodes)
        arrows = [
            Arrow(nodes[0].get_right(), nodes[1].get_left(), buff=0.1, color=self.palette.point),
            Arrow(nodes[1].get_right(), nodes[2].get_left(), buff=0.1, color=self.palette.point),
        ]
        rates = VGroup(
            self.tex_of("du/dx", size=30, color=self.palette.slope),
            self.tex_of("dy/du", size=30, color=self.palette.slope),
        )
        for index, (rate, arrow) in enumerate(zip(rates, arrows, strict=True)):
            fit(rate, self.across(4.2), lines=True).next_to(arrow, DOWN, buff=0.45)
            lowest = min(nodes[index].get_bottom()[1], nodes[index + 1].get_bottom()[1])  # below both boxes
            rate.shift(max(0.0, rate.get_top()[1] - lowest + 0.15) * DOWN)
        self.play(FadeIn(nodes[0]), run_time=0.6)
        self.play(GrowArrow(arrows[0]), FadeIn(nodes[1]), run_time=0.9)
        self.play(GrowArrow(arrows[1]), FadeIn(nodes[2]), run_time=0.9)
        self.play(FadeIn(rates[0], shift=0.1 * DOWN), FadeIn(rates[1], shift=0.1 * DOWN), run_time=0.9)
        self.nodes, self.arrows, self.rates = nodes, arrows, rates
        self.hold(3.3)

    def multiply(self) -> None:
        """Beat 3: dy/dx = du/dx · dy/du = 2 · 0.54 ≈ 1.08, exactly 2 cos 1."""
        product = fit(self.tex_of("product", size=38, color=self.palette.slope), self.across(6.4), lines=True)
        rows: list[VMobject] = [product]
        if "exact" in self.shown:  # its exact value under it, unless the product already ends on it ("= 2")
            rows.append(fit(self.tex_of("exact", size=34), self.across(6.4)))
        self.statement = stacked(*rows, buff=0.2).move_to(self.across_point((-3.4, -1.6)))
        left, right = self.statement.get_left()[0], self.statement.get_right()[0]
        above = [rate for rate in self.rates if rate.get_left()[0] < right and rate.get_right()[0] > left]
        lowest = min((rate.get_bottom()[1] for rate in above), default=self.statement.get_top()[1] + 0.25)
        self.statement.shift(max(0.0, self.statement.get_top()[1] - (lowest - 0.25)) * DOWN)
        self.above_caption(self.statement)
        self.play(Write(product), run_time=1.5)
        if len(rows) > 1:
            self.play(FadeIn(rows[1]), run_time=0.6)
        self.hold(2.1)

    def backpropagation(self) -> None:
        """Beat 4: the adjoints flow from y back to x; the slope is the tangent of sin(x²) at 1."""
        self.play(FadeOut(self.rates), run_time=0.4)  # the backward rates take their place
        steps = ((2, 1, "back-u"), (1, 0, "back-x"))
        start = self.tex_of("back-y", size=28, color=self.palette.highlight)
        self.within_sides(start.next_to(self.nodes[2], DOWN, buff=0.4))  # no arrow ends under y: closer to its box
        self.back_labels: list[Mobject] = [start]
        self.play(self.nodes[2][0].animate.set_stroke(self.palette.highlight, width=6), FadeIn(start), run_time=0.6)
        for source, target, label in steps:
            back = CurvedArrow(
                self.nodes[source].get_bottom() + 0.1 * DOWN + 0.3 * LEFT,
                self.nodes[target].get_bottom() + 0.1 * DOWN + 0.3 * RIGHT,
                angle=-0.6,
                color=self.palette.highlight,
            )
            adjoint = fit(self.tex_of(label, size=28, color=self.palette.highlight), self.across(4.0), lines=True)
            adjoint.next_to(self.nodes[target], DOWN, buff=0.6)
            self.within_sides(adjoint)  # under a box at the frame's edge
            under = line_points(back)  # below the arrow where it passes over the label
            under = under[(under[:, 0] > adjoint.get_left()[0] - 0.1) & (under[:, 0] < adjoint.get_right()[0] + 0.1)]
            if len(under):
                adjoint.shift(max(0.0, adjoint.get_top()[1] - (float(under[:, 1].min()) - 0.12)) * DOWN)
            self.back_labels.append(adjoint)
            self.play(
                Create(back),
                self.arrows[target].animate.set_color(self.palette.highlight),
                self.nodes[target][0].animate.set_stroke(self.palette.highlight, width=6),
                FadeIn(adjoint),
                run_time=1.0,
            )
        self.play(FadeIn(self.tangent_picture()), run_time=1.2)
        self.hold(5.0)

    def tangent_picture(self) -> VGroup:
        """Y = sin(x²) near x = 1 with its tangent there, whose slope is dy/dx."""
        gr, xs, ys = self.math.graph, self.math.curve_x, self.math.curve_y
        low, high, step = nice_range(float(ys.min()), float(ys.max()), 3)
        heights = (low, high)
        x_step, x_labels = ticks(float(xs[0]), float(xs[-1]), 5)
        _, y_labels = ticks(low, high, 3)
        name = self.tex_of("curve", color=self.palette.function)
        slope = self.tex_of("slope", color=self.palette.slope)
        labels = fit(VGroup(name, slope).arrange(DOWN, buff=0.1, aligned_edge=RIGHT), self.across(5.2))
        # Between the backward labels on its side and the caption: shorter axes where a tall node pushed them down.
        ceiling = (
            min((m.get_bottom()[1] for m in self.back_labels if m.get_right()[0] > self.across(1.2)), default=1.0) - 0.2
        )
        floor = self.floor()
        room = ceiling - floor - labels.height - 0.05 - PICTURE_NUMBERS
        y_length = float(np.clip(room, 1.0, 1.8))
        y_centre = max(-2.05, floor + PICTURE_NUMBERS + y_length / 2)
        y_centre = min(y_centre, ceiling - labels.height - 0.05 - y_length / 2)
        axes = Axes(
            x_range=[float(xs[0]), float(xs[-1]), x_step],
            y_range=[low, high, step],
            x_length=self.across(4.6),
            y_length=y_length,
            tips=False,
            axis_config={"color": self.palette.axis, "font_size": TICK_SIZE},
            x_axis_config={"decimal_number_config": number_config(x_step)},
            y_axis_config={"decimal_number_config": number_config(step)},
        ).move_to((self.across(3.6), y_centre, 0.0))
        readable_numbers(axes.add_coordinates(x_labels, y_labels))
        curve = VMobject(color=self.palette.function, stroke_width=4).set_points_smoothly(
            [axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)]
        )
        tangent = tangent_segment(
            axes, gr.x, gr.y, gr.dy_dx, 0.15 * (float(xs[-1]) - float(xs[0])), heights, self.palette.slope
        )
        dot = Dot(axes.c2p(gr.x, gr.y), color=self.palette.point, radius=0.06)
        self.on_axes(dot, axes)
        drop_covered_ticks(axes, curve, tangent)
        self.keep_clear(curve, tangent)
        spots = [  # above the axes, right or left; else beside them on the left
            lambda m: m.next_to(axes, UP, buff=0.05).align_to(axes, RIGHT),
            lambda m: m.next_to(axes, UP, buff=0.05).align_to(axes, LEFT),
            lambda m: m.next_to(axes, LEFT, buff=0.2).align_to(axes, UP),
        ]
        place_clear(labels, spots, [*self.back_labels, self.statement], [curve, tangent])
        return VGroup(axes, curve, tangent, dot, name, slope)
