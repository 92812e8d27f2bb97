"""The slices template: partial derivatives of any f(x, y) as the slopes of slices through a point."""

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
    Group,
    ImageMobject,
    Line,
    MathTex,
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
)

from lessons.templates import SlicesLesson
from mathcore.contours import LevelCurve
from mathcore.nice import nice_range
from mathcore.slices import PartialClip, Slice
from mathcore.types import F64Array
from scenes.builders import axis_labels, backed, number_config, readable_numbers, tangent_segment, ticks
from scenes.layout import safe_reach
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import drop_covered_ticks, drop_ticks_under, fit, place_clear
from scenes.shown import digits
from scenes.slices_text import compute, labelled_levels, shown
from scenes.typeset import TICK_SIZE, tex, text

#: The filled bands run from deep to light as f rises.


class SurfaceSlices(LectureScene[SlicesLesson], ThreeDScene):
    """A contour plot and a 3D view of one surface; holding one variable still leaves a curve."""

    # Knobs.
    camera_angles: ClassVar[tuple[float, float]] = (65.0, -60.0)  # phi, theta in degrees
    turn_degrees = 50.0  # how far the 3D view turns in the first beat
    tangent_share = 0.18  # the tangent reaches this share of the window either side of the point
    column_width = 6.8  # the right-hand column of the two panels: text set over lines or shrunk to this width
    column_x = 3.4  # its centre
    column_at_top = True
    axes_height = 1.2  # a slice's axes, as tall as there is room for, down to the least
    least_axes_height = 0.7
    panel_gap = 0.3  # between the two slices' panels

    def setup(self) -> None:
        """Ask the math core once for every number and curve of the clip; aim the 3D camera."""
        self.math: PartialClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        phi, theta = self.camera_angles
        self.set_camera_orientation(phi=phi * DEGREES, theta=theta * DEGREES)
        low, high = self.math.window
        step, labels = ticks(low, high, 6)
        self.plot = Axes(
            x_range=[low, high, step],
            y_range=[low, high, step],
            x_length=self.across(4.6),
            y_length=self.across(4.6),
            tips=False,
            axis_config={
                "color": self.palette.axis,
                "font_size": TICK_SIZE,
                "decimal_number_config": number_config(step),
            },
        ).move_to(self.across_point((-3.7, 0.05)))
        # No tick number where a slice line will cross the axis: the line would cover it.
        readable_numbers(
            self.plot.add_coordinates(
                [v for v in labels if abs(v - self.math.x0) > step / 4],
                [v for v in labels if abs(v - self.math.y0) > step / 4],
            )
        )
        mesh_low, mesh_high, mesh_step = nice_range(float(self.math.mesh_f.min()), float(self.math.mesh_f.max()), 5)
        self.heights_3d = (mesh_low, mesh_high, mesh_step)

    def pin(self, *mobjects: Mobject) -> None:
        """Everything flat stays on the screen while the 3D view turns."""
        self.add_fixed_in_frame_mobjects(*mobjects)

    def unpin(self, *mobjects: Mobject) -> None:
        """Flat mobjects that left the screen no longer follow it."""
        self.remove_fixed_in_frame_mobjects(*mobjects)

    def beats(self) -> Sequence[Callable[[], None]]:
        """The three beats of the storyboard."""
        return (self.surface_as_contours, self.slice_at_y0, self.slopes_of_the_slices)

    # Beats.
    def surface_as_contours(self) -> None:
        """Beat 1: the filled contour plot with labelled levels, and the same surface in 3D, turning."""
        bands = self.filled_bands()
        lines = self.level_lines()
        formula = self.heading()
        note = text("no slice chosen yet", size=20, color=self.palette.caption).next_to(self.plot, DOWN, buff=0.15)
        self.pin(bands, self.plot, lines, formula, note)
        self.play(FadeIn(bands), Create(self.plot), FadeIn(lines), Write(formula), FadeIn(note), run_time=2.0)
        self.view = self.surface_view()
        self.play(FadeIn(self.view), run_time=1.0)
        centre = self.view[0].c2p(0, 0, 0)
        self.play(Rotate(self.view, self.turn_degrees * DEGREES, axis=OUT, about_point=centre), run_time=3.0)
        self.note, self.formula = note, formula
        self.hold(6.0)

    def slice_at_y0(self) -> None:
        """Beat 2: the slice y = y₀ as a line on the plot and a plane through the surface."""
        m = self.math
        line, name = self.slice_line("y", m.y0)
        self.pin(line, name)
        axes = self.view[0]
        (zlo, zhi) = self.heights_3d[:2]
        (lo, hi) = (float(m.mesh[0]), float(m.mesh[-1]))
        plane = Polygon(
            *(axes.c2p(x, m.y0, z) for x, z in ((lo, zlo), (hi, zlo), (hi, zhi), (lo, zhi))),
            stroke_width=1,
            stroke_color=self.palette.slice,
            fill_color=self.palette.slice,
            fill_opacity=0.25,
        )
        inside = (m.slice_y.t >= lo) & (m.slice_y.t <= hi)
        cut = (
            VMobject(color=self.palette.slice, stroke_width=7)
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
        point = Dot(self.plot.c2p(m.x0, m.y0), color=self.palette.point, radius=0.08)
        self.pin(point)
        # A heading wide enough to reach over the 3D view gives its room to the slices' panels.
        wide = [self.formula] if self.formula.get_right()[0] > self.plot.get_right()[0] + 0.8 else []
        self.play(FadeOut(self.view), FadeOut(self.cut), *map(FadeOut, wide), FadeIn(point), run_time=0.8)
        self.unpin(*wide)
        top, bottom = self.slice_panels()
        self.pin(top)
        self.play(FadeIn(top[0]), Create(top[1]), run_time=1.2)
        self.play(Create(top[2]), FadeIn(top[3]), run_time=1.0)
        self.wait(1.5)
        other, other_name = self.slice_line("x", m.x0)
        upper_axes = top[0][0]
        assert isinstance(upper_axes, Axes)
        drop_ticks_under(upper_axes, bottom[0][1])  # the lower formula wins over the upper panel's ticks
        self.pin(other, other_name, bottom)
        self.play(Create(other), FadeIn(other_name), FadeIn(bottom[0]), Create(bottom[1]), run_time=1.2)
        self.play(Create(bottom[2]), FadeIn(bottom[3]), run_time=1.0)
        named = self.tex_of("gradient", color=self.palette.gradient)
        words = text("both slopes: the gradient", color=self.palette.gradient)
        statement = fit(VGroup(words, named).arrange(DOWN, buff=0.1), self.centred_room(self.plot.get_center()[0]))
        statement.next_to(self.plot, DOWN, buff=0.15)
        self.pin(statement)
        self.play(FadeIn(statement), run_time=0.8)
        self.hold(7.0)

    # Builders.
    def slice_line(self, held: str, at: float) -> tuple[Line, Mobject]:
        """The slice ``held = at`` across the contour plot, with its name at one end."""
        ends = (float(self.math.grid[0]), float(self.math.grid[-1]))
        if held == "y":
            line = Line(self.plot.c2p(ends[0], at), self.plot.c2p(ends[1], at))
            name = self.tex_of("slice-y", size=30, color=self.palette.slice).next_to(line, UP, buff=0.1)
            if name.get_top()[1] > self.plot.get_top()[1]:  # a slice near the top: its name under it, in the plot
                name.next_to(line, DOWN, buff=0.1)
            name.align_to(line, LEFT).shift(0.25 * RIGHT)  # clear of the plot's edge
        else:
            line = Line(self.plot.c2p(at, ends[0]), self.plot.c2p(at, ends[1]))
            name = self.tex_of("slice-x", size=30, color=self.palette.slice).next_to(line, RIGHT, buff=0.1)
            name.align_to(line, DOWN).shift(0.25 * UP)
        backed(name)
        drop_ticks_under(self.plot, name)  # the slice's name matters more than a tick number
        return line.set_stroke(self.palette.slice, width=5), name

    def filled_bands(self) -> ImageMobject:
        """The plot's background: each pixel coloured by the band between two levels it falls in."""
        m = self.math
        palette = color_gradient(list(self.palette.bands), len(m.levels) + 1)
        rgb = np.array([c.to_int_rgb() for c in palette], dtype=np.uint8)
        band = np.digitize(m.grid_f, [c.level for c in m.levels])
        rgba = np.concatenate([rgb, np.full((len(rgb), 1), 255, dtype=np.uint8)], axis=1)
        image = ImageMobject(rgba[band][::-1])  # row 0 of an image is the top: the largest y
        image.stretch_to_fit_width(self.plot.x_length or 5.0).stretch_to_fit_height(self.plot.y_length or 5.0)
        return image.move_to(self.plot.c2p(0, 0))

    def level_lines(self) -> VGroup:
        """Every level curve over the bands, the chosen levels labelled on their longest piece."""
        group = VGroup()
        # Clear of the tick numbers and of where the slices' names will stand.
        names = [self.slice_line(held, at)[1] for held, at in (("y", self.math.y0), ("x", self.math.x0))]
        placed: list[Mobject] = [*axis_labels(self.plot), *names]
        labelled = labelled_levels(self.math)
        for curve in self.math.levels:
            group.add(self.curve_on(self.plot, curve).set_stroke(self.palette.point, width=1.5, opacity=0.55))
            if curve.level in labelled:
                label = backed(tex(digits(curve.level), size=20))
                spots = [lambda m, p=p: m.move_to(self.plot.c2p(*p)) for p in self.label_spots(curve)]
                if spots:  # the labelled levels are the text module's: each is shown
                    group.add(place_clear(label, spots, placed))
                    placed.append(label)
        return group

    def label_spots(self, curve: LevelCurve, count: int = 24) -> list[F64Array]:
        """Where a level's label may go, best first: inside the plot's border, far from both slice lines."""
        points = np.concatenate(curve.pieces)
        low, high = self.math.window
        margin = 0.1 * (high - low)
        inner = points[np.all((points > low + margin) & (points < high - margin), axis=1)]
        if not len(inner):
            return []
        clearance = np.minimum(np.abs(inner[:, 0] - self.math.x0), np.abs(inner[:, 1] - self.math.y0))
        order = np.argsort(-clearance)
        return [np.asarray(inner[i], dtype=np.float64) for i in order[:: max(1, len(order) // count)]]

    @staticmethod
    def curve_on(axes: Axes, curve: LevelCurve) -> VGroup:
        """One level curve, every piece of it, on ``axes``."""
        return VGroup(*(VMobject().set_points_as_corners([axes.c2p(x, y) for x, y in p]) for p in curve.pieces))

    def heading(self) -> MathTex:
        """f(x, y) above the contour plot: centred on it, or, if wider, reaching right over the 3D view's room."""
        formula = self.tex_of("f", size=36, color=self.palette.function)
        if formula.width <= self.plot.width + self.across(1.6):
            return formula.next_to(self.plot, UP, buff=0.15)
        fit(formula, safe_reach()[0] - self.plot.get_left()[0])
        return formula.next_to(self.plot, UP, buff=0.15).align_to(self.plot, LEFT)

    def surface_view(self) -> Group:
        """3D axes and the surface over the smaller window, placed on the right of the screen."""
        m = self.math
        heights = {(i, j): m.mesh_f[j, i] for i in range(len(m.mesh)) for j in range(len(m.mesh))}
        step = float(m.mesh[1] - m.mesh[0])
        ends = [float(m.mesh[0]), float(m.mesh[-1])]
        tick_step = ticks(ends[0], ends[1])[0]
        axes = ThreeDAxes(
            x_range=[*ends, tick_step],
            y_range=[*ends, tick_step],
            z_range=list(self.heights_3d),
            x_length=self.across(3.4),
            y_length=self.across(3.4),
            z_length=self.across(3.0),
            axis_config={"color": self.palette.axis, "stroke_width": 1.5},
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
            checkerboard_colors=list(self.palette.checks),
            stroke_color=self.palette.point,
            stroke_width=0.3,
        )
        view = Group(axes, surface)
        # Shift in space so that the view lands right of centre on the screen.
        to_screen = self.camera.get_rotation_matrix()
        view.shift(to_screen.T @ np.array(self.across_point((3.6, -0.3))))
        return view

    def slice_panels(self) -> tuple[VGroup, VGroup]:
        """Both slices' panels, stacked in the right-hand column from the frame's top (or the title) to the caption.

        A readout too wide stands over lines; the axes give up height (down to ``least_axes_height``)
        so that both panels fit.
        """
        m = self.math
        top_edge, bottom_edge = safe_reach()[1], self.floor()

        def build(height: float, lines: bool = True) -> tuple[VGroup, VGroup]:
            return (
                self.slice_panel(m.slice_y, m.x0, m.dfdx, "y", height, lines),
                self.slice_panel(m.slice_x, m.y0, m.dfdy, "x", height, lines),
            )

        def excess(panels: tuple[VGroup, VGroup]) -> float:
            return panels[0].height + panels[1].height + self.panel_gap - (top_edge - bottom_edge)

        top, bottom = build(self.axes_height)
        formula, readout = top[0][1], top[3]  # the top panel's rows: they stand under a title that reaches over
        top_edge = self.below_title(min(formula.get_left()[0], readout.get_left()[0]))
        height = self.axes_height
        for _ in range(4):  # the axes give up height (their numbers do not): again, if once is not enough
            if excess((top, bottom)) <= 0 or height <= self.least_axes_height:
                break
            height = max(self.least_axes_height, height - excess((top, bottom)) / 2 - 0.02)
            top, bottom = build(height)
        if excess((top, bottom)) > 0:  # still too tall: readouts on one line, shrunk (the type check will say)
            top, bottom = build(self.axes_height, lines=False)
        spare = max(0.0, (top_edge - bottom_edge) - top.height - bottom.height - self.panel_gap) / 3
        top.shift((top_edge - spare - top.get_top()[1]) * UP)  # what room is left: a third above, between, below
        bottom.shift((bottom_edge + spare - bottom.get_bottom()[1]) * UP)
        for panel in (top, bottom):
            axes, curve, (tangent, dot) = panel[0][0], panel[1], panel[2]
            assert isinstance(axes, Axes)
            self.on_axes(dot, axes)
            drop_covered_ticks(axes, curve, tangent)
            self.keep_clear(curve, tangent)
        return top, bottom

    def slice_panel(
        self, cut: Slice, at: float, slope: float, key: str, axes_height: float, lines: bool = True
    ) -> VGroup:
        """One slice on its own axes: (axes and formula, curve, tangent and point, slope readout).

        With ``lines``, formula and readout too wide for the panel stand over lines at their size.
        """
        low, high, step = nice_range(float(cut.f.min()), float(cut.f.max()), 4)
        heights = (low, high)
        t_step, t_labels = ticks(float(cut.t[0]), float(cut.t[-1]), 4)
        axes = Axes(
            x_range=[float(cut.t[0]), float(cut.t[-1]), t_step],
            y_range=[low, high, step],
            x_length=self.across(4.2),
            y_length=axes_height,
            tips=False,
            axis_config={"color": self.palette.axis, "font_size": TICK_SIZE, "include_numbers": False},
            x_axis_config={"decimal_number_config": number_config(t_step)},
            y_axis_config={"decimal_number_config": number_config(step)},
        ).move_to((self.column_x, 0.0, 0.0))
        readable_numbers(axes.add_coordinates([t_labels[0], t_labels[-1]], [low, high]))
        # Readout and formula reach from the contour plot to the frame's safe edge, centred on the column if they can.
        span = self.span_beside(self.plot)
        readout = fit(
            self.tex_of("dfdx" if cut.held == "y" else "dfdy", size=30, color=self.palette.slope), span, lines=lines
        )
        self.within_sides(readout.next_to(axes, UP, buff=0.12).set_x(self.column_x))
        formula = fit(self.tex_of(f"curve-{key}", size=28, color=self.palette.slice), span, lines=lines)
        self.within_sides(formula.next_to(readout, UP, buff=0.12).set_x(self.column_x))
        curve = VMobject(color=self.palette.slice, stroke_width=4).set_points_smoothly(
            [axes.c2p(t, f) for t, f in zip(cut.t, cut.f, strict=True)]
        )
        height = self.math.f0  # both slices pass through (x0, y0, f0)
        reach = self.tangent_share * (self.math.window[1] - self.math.window[0])
        tangent = tangent_segment(axes, at, height, slope, reach, heights, self.palette.slope)
        dot = Dot(axes.c2p(at, height), color=self.palette.point, radius=0.06)
        return VGroup(VGroup(axes, formula), curve, VGroup(tangent, dot), readout)
