"""The curvature template: the −∇f field says bowl or saddle, the Hessian says why; the Jacobian as a linear map."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    Group,
    GrowArrow,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
    Write,
)
from manim.utils.color import ParsableManimColor

from lessons.templates import CurvatureLesson
from mathcore.curvature import CurvatureClip
from scenes.builders import LINK, backed, number_config, readable_numbers, ticks
from scenes.curvature_text import compute, shown
from scenes.lecture_scene import LectureScene
from scenes.motion import FadeIn, FadeOut
from scenes.placement import fit, place_clear
from scenes.shown import digits
from scenes.typeset import TICK_SIZE, tex, text

#: The leftmost a panel's box (with its tick numbers) may reach: inside the frame's safe area.
LEFT_EDGE = -6.8


def small_axes(
    x_range: tuple[float, float], y_range: tuple[float, float], size: tuple[float, float], axis_color: str
) -> Axes:
    """Axes over a small window with about three round ticks labelled on each."""
    x_step, x_labels = ticks(*x_range, 3)
    y_step, y_labels = ticks(*y_range, 3)
    axes = Axes(
        x_range=[x_range[0], x_range[1], x_step],
        y_range=[y_range[0], y_range[1], y_step],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": axis_color, "include_numbers": True, "font_size": TICK_SIZE},
        x_axis_config={"numbers_to_include": x_labels, "decimal_number_config": number_config(x_step)},
        y_axis_config={"numbers_to_include": y_labels, "decimal_number_config": number_config(y_step)},
    )
    return readable_numbers(axes)


def padded(points: np.ndarray, share: float = 0.15) -> tuple[tuple[float, float], tuple[float, float]]:
    """The x and y ranges of ``points``, widened by ``share`` of their span on each side."""
    low, high = points.min(axis=0), points.max(axis=0)
    pad = share * (high - low)
    return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]), float(high[1] + pad[1]))


class BowlOrSaddle(LectureScene[CurvatureLesson]):
    """Arrows of −∇f over the plane, the Hessian's eigen-directions, a square under a map and under its Jacobian."""

    # Knobs.
    arrow_share = 0.75  # each arrow spans this share of the grid spacing: the field shows directions
    plot_centre: ClassVar[tuple[float, float]] = (-3.5, 0.0)
    plot_side = 5.0
    column_x = 3.7
    column_width = 6.0
    rows: ClassVar[dict[str, float]] = {
        "f": 2.85,
        "gradient": 2.2,
        "at-point": 1.55,
        "flow": 0.85,
        "heading": 0.0,
        "profile": -0.85,
        "verdict": -1.55,
        "hessian": 1.75,
        "eigen-0": 0.75,
        "eigen-1": 0.15,
        "profile-0": -0.5,
        "profile-1": -1.05,
        "bowl": -1.85,
        "bowl-verdict": -2.5,
    }

    def setup(self) -> None:
        """Ask the math core once for the field, the Hessians, the Jacobian and the square's images."""
        self.math: CurvatureClip = compute(self.lesson)
        self.shown = shown(self.lesson, self.math)
        low, high = self.math.window
        step, _ = ticks(low, high, 5)
        self.axes = Axes(
            x_range=[low, high, step],
            y_range=[low, high, step],
            x_length=self.across(self.plot_side),
            y_length=self.across(self.plot_side),
            tips=False,
            axis_config={"color": self.palette.axis, "include_numbers": False, "font_size": TICK_SIZE},
            x_axis_config={"decimal_number_config": number_config(step)},
            y_axis_config={"decimal_number_config": number_config(step)},
        ).move_to(self.across_point(self.plot_centre))  # no tick numbers: the arrows cover the axes; points are named

    def beats(self) -> Sequence[Callable[[], None]]:
        """The field, the Hessian, the Jacobian, the Hessian as the gradient's Jacobian."""
        return (self.field, self.hessian, self.jacobian, self.hessian_of_cubic)

    def arrow(self, at: np.ndarray, direction: np.ndarray, color: ParsableManimColor, width: float) -> Arrow:
        """An arrow of fixed length at ``at`` (plane coordinates) pointing along ``direction``."""
        spacing = (self.math.window[1] - self.math.window[0]) / (round(len(self.math.field) ** 0.5) - 1)
        reach = self.arrow_share * spacing * direction / max(float(np.linalg.norm(direction)), 1e-12)
        start, end = self.axes.c2p(*(at - reach / 2)), self.axes.c2p(*(at + reach / 2))
        return Arrow(start, end, buff=0, color=color, stroke_width=width, max_tip_length_to_length_ratio=0.3)

    def point_name(self, key: str, color: ParsableManimColor, dot: Dot) -> MathTex:
        """The label ``key`` (a point's coordinates) beside its dot, on a backing so the arrows do not cross it."""
        name = backed(self.tex_of(key, size=26, color=color))
        return name.next_to(dot, DOWN + LEFT, buff=0.05)

    # Beats.
    def field(self) -> None:
        """Beat 1: −∇f as arrows (directions); one flows away from the flat point: a saddle."""
        m = self.math
        arrows = VGroup(
            *(
                self.arrow(p, v, self.palette.gradient, 3).set_opacity(0.75)
                for p, v in zip(m.field_points, m.field, strict=True)
                if np.linalg.norm(v) > 1e-9
            )
        )
        low, high = (digits(v) for v in m.window)
        note = text(f"arrows show the direction of -∇g on [{low}, {high}]²", size=18, color=self.palette.caption)
        fit(note, self.centred_room(self.axes.get_center()[0]), lines=True)  # centred over the plot
        note.next_to(VGroup(self.axes, arrows), UP, buff=0.1)  # arrows at the window's edge reach past the axes
        rows = [
            self.at_row(self.tex_of(key, size=32, color=color), key, plot=self.axes)
            for key, color in (
                ("f", self.palette.function),
                ("gradient", self.palette.point),
                ("at-point", self.palette.gradient),
                ("flow", self.palette.highlight),
            )
        ]
        for above, row in itertools.pairwise(rows):  # a tall row (a fraction in ∇g) pushes the rows under it down
            self.clear_below(row, above, 0.12)
        self.play(Create(self.axes), FadeIn(rows[0]), run_time=1.0)
        self.play(FadeIn(arrows, lag_ratio=0.01), FadeIn(note), FadeIn(rows[1]), run_time=1.6)
        self.play(FadeIn(rows[2]), run_time=0.6)
        self.names: list[tuple[Mobject, Mobject]] = []  # each point's name and its dot, moved clear of lines later
        probe = np.asarray(m.probe)
        highlighted = self.arrow(probe, np.asarray(m.flow), self.palette.highlight, 7)
        dot = self.on_axes(Dot(self.axes.c2p(*probe), color=self.palette.highlight, radius=0.07), self.axes)
        where = self.point_name("probe-label", self.palette.highlight, dot)
        self.names.append((where, dot))
        self.play(FadeIn(dot), GrowArrow(highlighted), FadeIn(where), FadeIn(rows[3]), run_time=1.0)
        extra = VGroup()
        if m.critical is not None:
            centre = self.on_axes(Dot(self.axes.c2p(*m.critical), color=self.palette.point, radius=0.08), self.axes)
            claim = self.shown["heading"].claim
            away = claim is not None and claim.rule.startswith("away")
            heading = self.over_lines_at_row(
                self.tex_of("heading", size=30, color=self.palette.highlight if away else self.palette.point),
                "heading",
                room=1.5,
            )
            self.clear_below(heading, rows[3])  # over two lines, it stands taller than its row
            profile = self.beside(self.tex_of("profile", size=30), self.axes, self.rows["profile"])
            self.clear_below(profile, heading)
            named = self.point_name("centre-label", self.palette.point, centre)
            self.names.append((named, centre))
            self.play(FadeIn(centre), FadeIn(named), FadeIn(heading), run_time=0.8)
            self.play(FadeIn(profile), run_time=0.8)
            extra.add(heading, profile)
            self.centre = centre
        verdict = self.over_lines_at_row(
            text(
                self.shown["verdict"].tex,
                size=22,
                color=self.palette.highlight if m.curvature.kind == "saddle" else self.palette.point,
            ),
            "verdict",
            room=0.9,
        )
        self.clear_below(verdict, extra if len(extra) else rows[3])
        self.play(FadeIn(verdict), run_time=0.6)
        self.field_parts = VGroup(arrows, note, highlighted, dot, where)
        self.first_rows = VGroup(*rows[1:], *extra, verdict)
        self.formula = rows[0]
        self.hold(5.8, formulas=6)

    def hessian(self) -> None:
        """Beat 2: the Hessian, its eigen-directions drawn, f along each; the bowl beside it."""
        m, curv = self.math, self.math.curvature
        self.play(FadeOut(self.first_rows), self.field_parts[0].animate.set_opacity(0.3), run_time=0.6)
        centre = np.asarray(m.critical if m.critical is not None else m.point)
        half = 0.45 * (m.window[1] - m.window[0])
        lines, labels = VGroup(), VGroup()
        for i, direction in enumerate(curv.directions):
            color = self.palette.highlight if curv.eigenvalues[i] < 0 else self.palette.slice
            ends = [self.axes.c2p(*(centre + s * half * direction)) for s in (-1, 1)]
            lines.add(DashedLine(*ends, color=color, stroke_width=5))
            label = backed(tex(rf"\lambda_{{{i + 1}}}", size=30, color=color))  # an axis may pass under it
            outward = np.array([direction[0], direction[1], 0.0])
            spots = [
                lambda m, end=ends[1], out=outward: m.next_to(end, out, buff=0.12),
                lambda m, end=ends[0], out=outward: m.next_to(end, -out, buff=0.12),
                lambda m, end=ends[1], up=direction[1] <= 0: m.next_to(end, UP if up else DOWN, buff=0.1),
            ]
            labels.add(place_clear(label, spots, [*labels, *(n for n, _ in self.names)], [*lines]))
        self.keep_clear(*lines)
        # A point's name moves off the eigen-lines drawn through it (the first spot clear of them and the labels).
        moves = []
        for name, dot in self.names:
            target = name.copy()
            sides = [(DL, 0.05), (DR, 0.05), (UL, 0.05), (UR, 0.05), (LEFT, 0.3), (RIGHT, 0.3), (UP, 0.5), (DOWN, 0.5)]
            sides += [(side, 2 * buff + 0.3) for side, buff in sides]  # farther out, for lines at any angle
            place_clear(
                target,
                [beside(dot, side, buff) for side, buff in sides],
                [*labels, *(n for n, _ in self.names if n is not name)],
                [*lines],
            )
            moves.append(name.animate.move_to(target.get_center()))
        rows = [
            self.at_row(self.tex_of("hessian", size=34), "hessian", plot=self.axes),
            *(
                self.at_row(
                    self.tex_of(f"f-eigen-{i}", size=30, color=lines[i].get_color()), f"eigen-{i}", plot=self.axes
                )
                for i in range(2)
            ),
            *(
                self.beside(
                    self.tex_of(f"f-profile-{i}", size=30, color=lines[i].get_color()),
                    self.axes,
                    self.rows[f"profile-{i}"],
                )
                for i in range(2)
            ),
        ]
        self.play(FadeIn(rows[0]), run_time=0.8)
        if moves:
            self.play(*moves, run_time=0.5)
        self.play(*(Create(line) for line in lines), FadeIn(labels), FadeIn(rows[1]), FadeIn(rows[2]), run_time=1.2)
        self.play(FadeIn(rows[3]), FadeIn(rows[4]), run_time=0.8)
        bowl = self.at_row(self.tex_of("bowl", size=30, color=self.palette.caption), "bowl", plot=self.axes)
        words = self.at_row(text(self.shown["bowl-verdict"].tex, size=20, color=self.palette.caption), "bowl-verdict")
        self.play(FadeIn(bowl), FadeIn(words), run_time=0.8)
        self.hold(4.2, formulas=6)

    def jacobian(self) -> None:
        """Beat 3: a small square near the point, its image under F and under the Jacobian: nearly one shape."""
        m = self.math
        everything = Group(*(mob for mob in self.mobjects if mob not in (self.title, self.caption)))
        self.play(FadeOut(everything), run_time=0.6)
        self.points_of_interest.clear()
        x_range, y_range = padded(m.square, 0.3)
        before = small_axes(x_range, y_range, (self.across(3.0), self.across(3.0)), self.palette.axis)
        before.move_to(self.across_point((-5.1, 0.5)))
        before.shift(
            max(0.0, self.across(LEFT_EDGE) - before.get_left()[0]) * RIGHT
        )  # its tick numbers inside the frame
        u_range, v_range = padded(np.concatenate([m.image, m.linear_image]), 0.15)
        after = small_axes(u_range, v_range, self.across_size((3.0, 4.4)), self.palette.axis)
        after.move_to(self.across_point((-0.2, 0.3)))
        link_room = 0.3 + LINK + 0.3  # the arrow F from one to the other: its buffers and its length
        after.shift(max(0.0, before.get_right()[0] + link_room - after.get_left()[0]) * RIGHT)

        def outline(axes: Axes, points: np.ndarray, color: ParsableManimColor) -> VMobject:
            return VMobject(color=color, stroke_width=4).set_points_as_corners(
                [axes.c2p(*p) for p in [*points, points[0]]]
            )

        square = outline(before, m.square, self.palette.point).set_fill(self.palette.point, opacity=0.2)
        curved = outline(after, m.image, self.palette.function).set_fill(self.palette.function, opacity=0.2)
        linear = outline(after, m.linear_image, self.palette.slope)
        corner = self.on_axes(Dot(before.c2p(*m.point), radius=0.06, color=self.palette.point), before)
        link = Arrow(before.get_right(), after.get_left(), buff=0.3, color=self.palette.point, stroke_width=4)
        name = tex("F", size=32).next_to(link, UP, buff=0.1)
        legend = VGroup(
            text("image under F", size=18, color=self.palette.function),
            text("image under the Jacobian", size=18, color=self.palette.slope),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        legend.next_to(after, DOWN, buff=0.2)
        side = self.tex_of("side", size=26)
        side.next_to(before, DOWN, buff=0.45)
        right = self.across(4.75)
        column = VGroup(
            *(
                fit(self.tex_of(key, size=32, color=color), self.across(4.4), lines=True)
                for key, color in (
                    ("map", self.palette.function),
                    ("jacobian", self.palette.slope),
                    ("jacobian-at", self.palette.slope),
                    ("det", self.palette.slope),
                )
            )
        ).arrange(DOWN, buff=0.45)
        column.move_to((right, 0.4, 0.0))
        self.play(Create(before), Create(after), run_time=1.0)
        self.play(FadeIn(square), FadeIn(corner), FadeIn(side), FadeIn(column[0]), run_time=0.8)
        self.play(GrowArrow(link), FadeIn(name), Create(curved), run_time=1.2)
        self.play(FadeIn(column[1]), FadeIn(column[2]), run_time=0.8)
        self.play(Create(linear), FadeIn(legend), FadeIn(column[3]), run_time=1.2)
        self.jacobian_parts = Group(before, after, square, curved, linear, corner, link, name, legend, side, column)
        self.hold(5.0, formulas=4)

    def hessian_of_cubic(self) -> None:
        """Beat 4: the Hessian is the Jacobian of the gradient."""
        self.play(FadeOut(self.jacobian_parts), run_time=0.6)
        self.points_of_interest.clear()
        rows = VGroup(
            *(
                fit(self.tex_of(key, size=38, color=color), self.across(12.0))
                for key, color in (
                    ("cubic", self.palette.function),
                    ("cubic-gradient", self.palette.gradient),
                    ("cubic-hessian", self.palette.point),
                    ("cubic-at", self.palette.slope),
                )
            )
        ).arrange(DOWN, buff=0.5)
        rows.move_to((0.0, 0.2, 0.0))
        for row in rows:
            self.play(Write(row) if isinstance(row, MathTex) else FadeIn(row), run_time=0.9)
        self.hold(3.6, formulas=4)


def beside(dot: Mobject, side: np.ndarray, buff: float) -> Callable[[Mobject], object]:
    """A spot for ``place_clear``: next to ``dot`` on ``side``, ``buff`` away."""
    return lambda mobject: mobject.next_to(dot, side, buff=buff)
