"""Clip 2: partial derivatives as the slopes of slices through the surface x² + 3xy + y³."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    Line,
    Mobject,
    Polygon,
    Rotate,
    Surface,
    ThreeDAxes,
    ThreeDScene,
    VGroup,
    VMobject,
    Write,
    color_gradient,
    config,
)

from mathcore.contours import LevelCurve
from mathcore.partial import SURFACE_WINDOW, PartialClip, Slice, partial_clip
from mathcore.types import F64Array
from scenes.style import (
    AXIS_COLOR,
    CAPTION_COLOR,
    FUNCTION_COLOR,
    GRADIENT_COLOR,
    POINT_COLOR,
    SLICE_COLOR,
    SLOPE_COLOR,
    SURFACE_COLOR,
    LectureScene,
    fmt,
    polynomial_tex,
    tangent_segment,
    tex,
    text,
)

#: The filled bands run from deep to light as f rises.
BAND_COLORS = ("#06101f", "#1d4e89", SURFACE_COLOR, "#f2fbff")


class SurfaceSlices(LectureScene, ThreeDScene):
    """A contour plot and a 3D view of one surface; holding one variable still leaves a curve."""

    clip_id = "partial-derivative"

    # Knobs.
    labelled_levels: ClassVar[tuple[float, ...]] = (-20.0, 0.0, 20.0, 40.0)
    camera_angles: ClassVar[tuple[float, float]] = (65.0, -60.0)  # phi, theta in degrees
    turn_degrees = 50.0  # how far the 3D view turns in the first beat
    slice_heights: ClassVar[dict[str, tuple[float, float]]] = {"y": (-10.0, 40.0), "x": (-40.0, 40.0)}
    tangent_reach = 1.1
    heights_3d: ClassVar[tuple[float, float, float]] = (-30.0, 45.0, 15.0)  # the 3D view's z axis

    def setup(self) -> None:
        """Ask the math core once for every number and curve of the clip; aim the 3D camera."""
        self.math: PartialClip = partial_clip()
        phi, theta = self.camera_angles
        self.set_camera_orientation(phi=phi * DEGREES, theta=theta * DEGREES)
        low, high = float(self.math.grid[0]), float(self.math.grid[-1])
        self.plot = Axes(
            x_range=[low, high, 1],
            y_range=[low, high, 1],
            x_length=4.6,
            y_length=4.6,
            tips=False,
            axis_config={"color": AXIS_COLOR, "font_size": 22},
        ).move_to((-3.7, 0.05, 0.0))
        self.plot.add_coordinates([-2, -1, 1, 2], [-2, -1, 1, 2])

    def pin(self, *mobjects: Mobject) -> None:
        """Everything flat stays on the screen while the 3D view turns."""
        self.add_fixed_in_frame_mobjects(*mobjects)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The three beats of the storyboard."""
        return (self.surface_as_contours, self.slice_at_y0, self.slopes_of_the_slices)

    # Beats.
    def surface_as_contours(self) -> None:
        """Beat 1: the filled contour plot with labelled levels, and the same surface in 3D, turning."""
        bands = self.filled_bands()
        lines = self.level_lines()
        formula = tex(r"f(x, y) = x^2 + 3xy + y^3", color=FUNCTION_COLOR, size=36)
        formula.next_to(self.plot, UP, buff=0.15)
        note = text("no slice chosen yet", size=20, color=CAPTION_COLOR).next_to(self.plot, DOWN, buff=0.15)
        self.pin(bands, self.plot, lines, formula, note)
        self.play(FadeIn(bands), Create(self.plot), FadeIn(lines), Write(formula), FadeIn(note), run_time=2.0)
        self.view = self.surface_view()
        self.play(FadeIn(self.view), run_time=1.0)
        centre = self.view[0].c2p(0, 0, 0)
        self.play(Rotate(self.view, self.turn_degrees * DEGREES, axis=OUT, about_point=centre), run_time=3.0)
        self.note = note
        self.hold(6.0)

    def slice_at_y0(self) -> None:
        """Beat 2: the slice y = y₀ as a line on the plot and a plane through the surface."""
        m = self.math
        line, name = self.slice_line("y", m.y0)
        self.pin(line, name)
        axes = self.view[0]
        (zlo, zhi) = self.heights_3d[:2]
        (lo, hi) = SURFACE_WINDOW
        plane = Polygon(
            *(axes.c2p(x, m.y0, z) for x, z in ((lo, zlo), (hi, zlo), (hi, zhi), (lo, zhi))),
            stroke_width=1,
            stroke_color=SLICE_COLOR,
            fill_color=SLICE_COLOR,
            fill_opacity=0.25,
        )
        inside = (m.slice_y.t >= lo) & (m.slice_y.t <= hi)
        cut = (
            VMobject(color=SLICE_COLOR, stroke_width=7)
            .set_z_index(5)
            .set_points_smoothly(
                [axes.c2p(t, m.y0, f) for t, f in zip(m.slice_y.t[inside], m.slice_y.f[inside], strict=True)]
            )
        )
        self.play(FadeOut(self.note), Create(line), FadeIn(name), FadeIn(plane), run_time=1.2)
        self.play(Create(cut), run_time=1.5)
        self.cut = Group(plane, cut)
        self.hold(2.7)

    def slopes_of_the_slices(self) -> None:
        """Beat 3: each slice on its own axes with its tangent: ∂f/∂x = 8, then ∂f/∂y = 15."""
        m = self.math
        point = Dot(self.plot.c2p(m.x0, m.y0), color=POINT_COLOR, radius=0.08)
        self.pin(point)
        self.play(FadeOut(self.view), FadeOut(self.cut), FadeIn(point), run_time=0.8)
        top = self.slice_panel(m.slice_y, m.x0, m.dfdx, center=(3.6, 1.35))
        self.pin(top)
        self.play(FadeIn(top[0]), Create(top[1]), run_time=1.2)
        self.play(Create(top[2]), FadeIn(top[3]), run_time=1.0)
        self.wait(1.5)
        other, other_name = self.slice_line("x", m.x0)
        bottom = self.slice_panel(m.slice_x, m.y0, m.dfdy, center=(3.6, -1.55))
        self.pin(other, other_name, bottom)
        self.play(Create(other), FadeIn(other_name), FadeIn(bottom[0]), Create(bottom[1]), run_time=1.2)
        self.play(Create(bottom[2]), FadeIn(bottom[3]), run_time=1.0)
        dx, dy = (fmt(v) for v in m.gradient)
        named = tex(rf"\nabla f({fmt(m.x0)}, {fmt(m.y0)}) = ", rf"({dx},\ {dy})", size=30)
        named[1].set_color(GRADIENT_COLOR)
        words = text("the gradient, in the last clip", size=18, color=GRADIENT_COLOR)
        statement = VGroup(named, words).arrange(RIGHT, buff=0.25).next_to(self.plot, DOWN, buff=0.2)
        self.pin(statement)
        self.play(FadeIn(statement), run_time=0.8)
        self.hold(7.0)

    # Builders.
    def slice_line(self, held: str, at: float) -> tuple[Line, Mobject]:
        """The slice ``held = at`` across the contour plot, with its name at one end."""
        ends = (float(self.math.grid[0]), float(self.math.grid[-1]))
        if held == "y":
            line = Line(self.plot.c2p(ends[0], at), self.plot.c2p(ends[1], at))
            name = tex(f"y = {fmt(at)}", size=30, color=SLICE_COLOR).next_to(line, UP, buff=0.1)
            name.align_to(line, LEFT).shift(0.1 * RIGHT)
        else:
            line = Line(self.plot.c2p(at, ends[0]), self.plot.c2p(at, ends[1]))
            name = tex(f"x = {fmt(at)}", size=30, color=SLICE_COLOR).next_to(line, RIGHT, buff=0.1)
            name.align_to(line, DOWN).shift(0.1 * UP)
        name.add_background_rectangle(color=config.background_color, opacity=0.8, buff=0.04)
        return line.set_stroke(SLICE_COLOR, width=5), name

    def filled_bands(self) -> ImageMobject:
        """The plot's background: each pixel coloured by the band between two levels it falls in."""
        m = self.math
        palette = color_gradient(list(BAND_COLORS), len(m.levels) + 1)
        rgb = np.array([c.to_int_rgb() for c in palette], dtype=np.uint8)
        band = np.digitize(m.grid_f, [c.level for c in m.levels])
        rgba = np.concatenate([rgb, np.full((len(rgb), 1), 255, dtype=np.uint8)], axis=1)
        image = ImageMobject(rgba[band][::-1])  # row 0 of an image is the top: the largest y
        image.stretch_to_fit_width(self.plot.x_length or 5.0).stretch_to_fit_height(self.plot.y_length or 5.0)
        return image.move_to(self.plot.c2p(0, 0))

    def level_lines(self) -> VGroup:
        """Every level curve over the bands, the chosen levels labelled on their longest piece."""
        group = VGroup()
        for curve in self.math.levels:
            group.add(self.curve_on(self.plot, curve).set_stroke(POINT_COLOR, width=1.5, opacity=0.55))
            if curve.level in self.labelled_levels:
                spot = self.label_spot(curve)
                label = tex(fmt(curve.level), size=20).move_to(self.plot.c2p(*spot))
                label.add_background_rectangle(color=config.background_color, opacity=0.85, buff=0.04)
                group.add(label)
        return group

    def label_spot(self, curve: LevelCurve) -> F64Array:
        """Where a level's label goes: away from both slice lines and inside the plot's border."""
        points = np.concatenate(curve.pieces)
        inner = points[np.max(np.abs(points), axis=1) <= 0.85 * float(self.math.grid[-1])]
        clearance = np.minimum(np.abs(inner[:, 0] - self.math.x0), np.abs(inner[:, 1] - self.math.y0))
        return np.asarray(inner[np.argmax(clearance)], dtype=np.float64)

    @staticmethod
    def curve_on(axes: Axes, curve: LevelCurve) -> VGroup:
        """One level curve, every piece of it, on ``axes``."""
        return VGroup(*(VMobject().set_points_as_corners([axes.c2p(x, y) for x, y in p]) for p in curve.pieces))

    def surface_view(self) -> Group:
        """3D axes and the surface over the smaller window, placed on the right of the screen."""
        m = self.math
        heights = {(i, j): m.mesh_f[j, i] for i in range(len(m.mesh)) for j in range(len(m.mesh))}
        step = float(m.mesh[1] - m.mesh[0])
        axes = ThreeDAxes(
            x_range=[*SURFACE_WINDOW, 1],
            y_range=[*SURFACE_WINDOW, 1],
            z_range=list(self.heights_3d),
            x_length=3.4,
            y_length=3.4,
            z_length=3.0,
            axis_config={"color": AXIS_COLOR, "stroke_width": 1.5},
        )

        def lookup(u: float, v: float) -> np.ndarray:
            # The surface samples the math core's mesh: u, v land on its nodes.
            i, j = round((u - m.mesh[0]) / step), round((v - m.mesh[0]) / step)
            return axes.c2p(u, v, heights[(i, j)])

        resolution = len(m.mesh) - 1
        surface = Surface(
            lookup,
            u_range=(float(m.mesh[0]), float(m.mesh[-1])),
            v_range=(float(m.mesh[0]), float(m.mesh[-1])),
            resolution=(resolution, resolution),
            fill_opacity=0.85,
            checkerboard_colors=["#2a6f8f", "#1d4e89"],
            stroke_color=POINT_COLOR,
            stroke_width=0.3,
        )
        view = Group(axes, surface)
        # Shift in space so that the view lands right of centre on the screen.
        to_screen = self.camera.get_rotation_matrix()
        view.shift(to_screen.T @ np.array([3.6, -0.3, 0.0]))
        return view

    def slice_panel(self, cut: Slice, at: float, slope: float, center: tuple[float, float]) -> VGroup:
        """One slice on its own axes: (axes and formula, curve, tangent and point, slope readout)."""
        free = "x" if cut.held == "y" else "y"
        heights = self.slice_heights[cut.held]
        axes = Axes(
            x_range=[float(cut.t[0]), float(cut.t[-1]), 1],
            y_range=[heights[0], heights[1], 10 if cut.held == "y" else 20],
            x_length=4.2,
            y_length=1.9,
            tips=False,
            axis_config={"color": AXIS_COLOR, "font_size": 18, "include_numbers": False},
        ).move_to((center[0], center[1], 0.0))
        axes.add_coordinates([-2, 2], [heights[0], heights[1]])
        args = f"{free}, {fmt(cut.held_at)}" if cut.held == "y" else f"{fmt(cut.held_at)}, {free}"
        formula = tex(f"f({args}) = {polynomial_tex(cut.coefficients, free)}", size=28, color=SLICE_COLOR)
        formula.next_to(axes, UP, buff=0.08).align_to(axes, RIGHT)
        curve = VMobject(color=SLICE_COLOR, stroke_width=4).set_points_smoothly(
            [axes.c2p(t, f) for t, f in zip(cut.t, cut.f, strict=True) if heights[0] <= f <= heights[1]]
        )
        height = self.math.f0  # both slices pass through (x0, y0, f0)
        tangent = tangent_segment(axes, at, height, slope, self.tangent_reach, heights)
        dot = Dot(axes.c2p(at, height), color=POINT_COLOR, radius=0.06)
        partial = rf"\frac{{\partial f}}{{\partial {free}}}({fmt(self.math.x0)}, {fmt(self.math.y0)}) = "
        readout = tex(partial, fmt(slope), size=30)
        readout[1].set_color(SLOPE_COLOR)
        readout.next_to(axes.get_corner(UP + LEFT), DOWN + RIGHT, buff=0.05).shift(0.25 * DOWN)
        return VGroup(VGroup(axes, formula), curve, VGroup(tangent, dot), readout)
