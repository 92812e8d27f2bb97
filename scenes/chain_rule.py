"""Clip 3: the chain rule, as a train of meshed gears and as the computation graph of y = sin(x²)."""

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
    Circle,
    Create,
    CurvedArrow,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
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

from mathcore.chain import ChainClip, chain_clip
from scenes.gears import Gear, mesh_phase, pitch_radius
from scenes.style import (
    AXIS_COLOR,
    CAPTION_COLOR,
    CHAIN_COLORS,
    FUNCTION_COLOR,
    HIGHLIGHT_COLOR,
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


class GearsAndGraph(LectureScene):
    """Three meshed gears whose angles keep the ratio 1 : 2 : 10, then the graph of sin(x²)."""

    clip_id = "chain-rule"

    # Knobs.
    turn_degrees = 36.0  # how far A turns in the first beat (C turns ten times as far)
    turn_seconds = 6.0
    modules: ClassVar[tuple[float, float]] = (0.14, 0.08)  # tooth size of the A-B and B'-C meshes
    gear_a_centre: ClassVar[tuple[float, float]] = (-4.3, 0.0)
    node_height = 2.0
    node_xs: ClassVar[tuple[float, float, float]] = (-4.6, 0.0, 4.6)

    def setup(self) -> None:
        """Ask the math core once for the graph and for the gear angles at every frame."""
        frames = round(self.turn_seconds * config.frame_rate) + 1
        turn = self.turn_degrees * np.array([smooth(a) for a in np.linspace(0.0, 1.0, frames)])
        self.math: ChainClip = chain_clip(turn)
        self.gears = self.build_gears()
        self.frame = ValueTracker(0)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The four beats of the storyboard."""
        return (self.three_gears, self.computation_graph, self.multiply, self.backpropagation)

    # Gears.
    def build_gears(self) -> tuple[Gear, Gear, Gear, Gear]:
        """A and B mesh in front; B' shares B's axle and meshes with C behind them."""
        teeth_a, teeth_b, teeth_b2, teeth_c = self.math.gears.teeth
        m1, m2 = self.modules
        a_centre = np.array([*self.gear_a_centre, 0.0])
        b_centre = a_centre + (pitch_radius(teeth_a, m1) + pitch_radius(teeth_b, m1)) * RIGHT
        c_centre = b_centre + (pitch_radius(teeth_b2, m2) + pitch_radius(teeth_c, m2)) * RIGHT
        color_a, color_b, color_c = CHAIN_COLORS
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
        color_a, color_b, color_c = CHAIN_COLORS
        self.pose_gears(0)
        b2_label = tex("B'", size=28, color=color_b)
        b2_label.move_to(b2.centre + 1.35 * pitch_radius(g.teeth[2], self.modules[1]) * np.array([0.5, 0.87, 0]))
        hubs = VGroup(self.hub(a, "A", color_a), self.hub(b, "B", color_b), self.hub(c, "C", color_c))
        self.play(FadeIn(b2), FadeIn(c), FadeIn(a), FadeIn(b), FadeIn(hubs), FadeIn(b2_label), run_time=1.2)
        teeth = text("teeth  A {}, B {}  ·  B' {}, C {}".format(*g.teeth), size=18, color=CAPTION_COLOR).move_to(
            (4.3, -1.9, 0.0)
        )
        counters = self.angle_counters().move_to((4.3, 1.2, 0.0))
        self.play(FadeIn(counters), FadeIn(teeth), run_time=0.6)
        for gear in self.gears:
            gear.add_updater(lambda _m: self.pose_gears(round(self.frame.get_value())))
        last = len(g.angle_a) - 1
        self.play(self.frame.animate.set_value(last), run_time=last / config.frame_rate, rate_func=linear)
        for gear in self.gears:
            gear.clear_updaters()
        product = tex(
            r"\frac{d\theta_C}{d\theta_A} = ",
            fmt(abs(g.ratio_ab)),
            r"\cdot",
            fmt(abs(g.ratio_bc)),
            " = ",
            fmt(abs(g.ratio_ac)),
            size=40,
        )
        product[5].set_color(SLOPE_COLOR)
        product.move_to((4.3, -0.6, 0.0))
        self.play(Write(product), run_time=1.2)
        self.gear_parts = VGroup(*self.gears, hubs, b2_label, counters, teeth, product)
        self.hold(2.5)

    def angle_counters(self) -> VGroup:
        """θ_A, θ_B, θ_C in degrees at the current frame."""
        g = self.math.gears
        rows = []
        for name, angles, color in zip("ABC", (g.angle_a, g.angle_b, g.angle_c), CHAIN_COLORS, strict=True):
            number = LiveNumber(0, places=2, sign=True, unit=r"^\circ", size=36, color=color)
            number.add_updater(lambda m, angles=angles: m.set_value(angles[round(self.frame.get_value())]))
            rows.append(VGroup(tex(rf"\theta_{name} =", size=36, color=color), number).arrange(RIGHT, buff=0.2))
        return stacked(*rows, buff=0.22)

    # The graph.
    def node(self, content: str, color: ParsableManimColor, x: float) -> VGroup:
        """A box in the computation graph."""
        label = tex(content, size=34, color=color)
        box = RoundedRectangle(
            corner_radius=0.15, width=label.width + 0.5, height=label.height + 0.4, stroke_color=color
        )
        return VGroup(box, label).move_to((x, self.node_height, 0.0))

    def computation_graph(self) -> None:
        """Beat 2: x → u = x² → y = sin(u), each arrow labelled with its local rate."""
        gr = self.math.graph
        self.play(FadeOut(self.gear_parts), run_time=0.8)
        color_x, color_u, color_y = CHAIN_COLORS
        nodes = VGroup(
            self.node(f"x = {fmt(gr.x)}", color_x, self.node_xs[0]),
            self.node(f"u = x^2 = {fmt(gr.u)}", color_u, self.node_xs[1]),
            self.node(rf"y = \sin(u) = {fmt(gr.y)}", color_y, self.node_xs[2]),
        )
        arrows = [
            Arrow(nodes[0].get_right(), nodes[1].get_left(), buff=0.1, color=POINT_COLOR),
            Arrow(nodes[1].get_right(), nodes[2].get_left(), buff=0.1, color=POINT_COLOR),
        ]
        rates = VGroup(
            tex(r"\frac{du}{dx} = 2x = ", fmt(gr.du_dx), size=30, color=SLOPE_COLOR),
            tex(r"\frac{dy}{du} = \cos(u) \approx ", fmt(gr.dy_du), size=30, color=SLOPE_COLOR),
        )
        for rate, arrow in zip(rates, arrows, strict=True):
            rate.next_to(arrow, UP, buff=0.25)
        self.play(FadeIn(nodes[0]), run_time=0.6)
        self.play(GrowArrow(arrows[0]), FadeIn(nodes[1]), run_time=0.9)
        self.play(GrowArrow(arrows[1]), FadeIn(nodes[2]), run_time=0.9)
        self.play(FadeIn(rates[0], shift=0.1 * DOWN), FadeIn(rates[1], shift=0.1 * DOWN), run_time=0.9)
        self.nodes, self.arrows, self.rates = nodes, arrows, rates
        self.hold(3.3)

    def multiply(self) -> None:
        """Beat 3: dy/dx = du/dx · dy/du = 2 · 0.54 ≈ 1.08, exactly 2 cos 1."""
        gr = self.math.graph
        product = tex(
            r"\frac{dy}{dx} = \frac{du}{dx}\cdot\frac{dy}{du} = ",
            f"{fmt(gr.du_dx)} \\cdot {fmt(gr.dy_du)} \\approx {fmt(gr.dy_dx)}",
            size=38,
        )
        product[1].set_color(SLOPE_COLOR)
        exact = tex(rf"= 2\cos 1 = {fmt(gr.dy_dx, 4)}\ldots", size=34)
        self.statement = stacked(product, exact, buff=0.2).move_to((-3.2, -1.3, 0.0))
        self.play(Write(product), run_time=1.5)
        self.play(FadeIn(exact), run_time=0.6)
        self.hold(2.1)

    def backpropagation(self) -> None:
        """Beat 4: the adjoints flow from y back to x; the slope is the tangent of sin(x²) at 1."""
        gr = self.math.graph
        seed, through_u, at_x = gr.backward
        steps = (
            (
                2,
                1,
                rf"\frac{{\partial y}}{{\partial u}} = {fmt(seed)}\cdot{fmt(gr.dy_du)} = {fmt(through_u)}",
            ),
            (
                1,
                0,
                rf"\frac{{\partial y}}{{\partial x}} = {fmt(through_u)}\cdot{fmt(gr.du_dx)} = {fmt(at_x)}",
            ),
        )
        start = tex(rf"\frac{{\partial y}}{{\partial y}} = {fmt(seed)}", size=28, color=HIGHLIGHT_COLOR)
        start.next_to(self.nodes[2], DOWN, buff=0.6)
        self.play(self.nodes[2][0].animate.set_stroke(HIGHLIGHT_COLOR, width=6), FadeIn(start), run_time=0.6)
        for source, target, label in steps:
            back = CurvedArrow(
                self.nodes[source].get_bottom() + 0.1 * DOWN + 0.3 * LEFT,
                self.nodes[target].get_bottom() + 0.1 * DOWN + 0.3 * RIGHT,
                angle=-0.6,
                color=HIGHLIGHT_COLOR,
            )
            adjoint = tex(label, size=28, color=HIGHLIGHT_COLOR).next_to(self.nodes[target], DOWN, buff=0.6)
            self.play(
                Create(back),
                self.arrows[target].animate.set_color(HIGHLIGHT_COLOR),
                self.nodes[target][0].animate.set_stroke(HIGHLIGHT_COLOR, width=6),
                FadeIn(adjoint),
                run_time=1.0,
            )
        self.play(FadeIn(self.tangent_picture()), run_time=1.2)
        self.hold(5.0)

    def tangent_picture(self) -> VGroup:
        """Y = sin(x²) near x = 1 with its tangent there, whose slope is dy/dx."""
        gr, xs, ys = self.math.graph, self.math.curve_x, self.math.curve_y
        heights = (-1.3, 1.3)
        axes = Axes(
            x_range=[float(xs[0]), float(xs[-1]), 1],
            y_range=[heights[0], heights[1], 1],
            x_length=4.6,
            y_length=2.4,
            tips=False,
            axis_config={"color": AXIS_COLOR, "font_size": 20},
        ).move_to((3.6, -1.7, 0.0))
        axes.add_coordinates([-2, -1, 1, 2], [-1, 1])
        curve = VMobject(color=FUNCTION_COLOR, stroke_width=4).set_points_smoothly(
            [axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)]
        )
        tangent = tangent_segment(axes, gr.x, gr.y, gr.dy_dx, 0.6, heights)
        dot = Dot(axes.c2p(gr.x, gr.y), color=POINT_COLOR, radius=0.06)
        name = tex(r"y = \sin(x^2)", size=28, color=FUNCTION_COLOR).next_to(axes, UP, buff=0.1).align_to(axes, LEFT)
        slope = tex(r"\text{slope at } x = 1: ", fmt(gr.dy_dx), size=28)
        slope[1].set_color(SLOPE_COLOR)
        slope.next_to(axes, UP, buff=0.1).align_to(axes, RIGHT)
        return VGroup(axes, curve, tangent, dot, name, slope)
