"""Spur gears for the chain-rule clip: tooth outlines, meshing phases, and turning by an angle.

Geometry only: how a gear looks and where its teeth sit. How far each gear turns comes from
the math core.
"""

from __future__ import annotations

import math

import numpy as np
from manim import VMobject
from manim.utils.color import ParsableManimColor

from mathcore.types import F64Array

#: Tooth thickness on the pitch circle, as a fraction of the circular pitch (the rest is gap).
THICKNESS = 0.34
#: Addendum and dedendum in modules: the tip is one module out, the root 1.25 in.
ADDENDUM, DEDENDUM = 1.0, 1.25
#: The flanks lean like a 20° pressure angle.
FLANK = math.tan(math.radians(20.0))


def pitch_radius(teeth: int, module: float) -> float:
    """Radius of the pitch circle: where two meshing gears roll on each other."""
    return module * teeth / 2.0


def tip_radius(teeth: int, module: float) -> float:
    """Radius of the circle through the teeth's tips: nothing drawn beside a gear comes inside it."""
    return pitch_radius(teeth, module) + ADDENDUM * module


def outline(teeth: int, module: float, phase: float) -> F64Array:
    """Closed polygon of a gear centred at the origin, tooth 0 centred at angle ``phase`` (radians)."""
    r = pitch_radius(teeth, module)
    root, tip = r - DEDENDUM * module, r + ADDENDUM * module
    pitch = math.pi * module  # circular pitch, as arc length on the pitch circle
    half_tip = (THICKNESS * pitch - 2 * FLANK * ADDENDUM * module) / 2 / tip
    half_root = (THICKNESS * pitch + 2 * FLANK * DEDENDUM * module) / 2 / root
    step = 2 * math.pi / teeth
    points = []
    for k in range(teeth):
        centre = phase + k * step
        for radius, angle in (
            (root, centre - half_root),
            (tip, centre - half_tip),
            (tip, centre + half_tip),
            (root, centre + half_root),
        ):
            points.append((radius * math.cos(angle), radius * math.sin(angle), 0.0))
        # The root between this tooth and the next, as a short arc.
        for t in np.linspace(centre + half_root, centre + step - half_root, 4)[1:-1]:
            points.append((root * math.cos(t), root * math.sin(t), 0.0))
    points.append(points[0])
    return np.array(points, dtype=np.float64)


def mesh_phase(driver_teeth: int, driver_phase: float, driven_teeth: int, direction: float) -> float:
    """Phase of a driven gear so that its teeth fall into the driver's gaps.

    ``direction`` is the angle of the line from the driver's centre to the driven gear's centre.
    A point of the driver's pitch circle a little clockwise of the contact meets, by rolling, a point
    the same arc length anticlockwise of the contact on the driven gear; that point must be a gap.
    """
    driver_step, driven_step = 2 * math.pi / driver_teeth, 2 * math.pi / driven_teeth
    behind = (direction - driver_phase) % driver_step  # driver's nearest tooth is this far clockwise
    return direction + math.pi + behind * driver_teeth / driven_teeth + driven_step / 2


class Gear(VMobject):
    """A gear that can be set to any angle about its own centre without drift."""

    def __init__(
        self,
        teeth: int,
        module: float,
        centre: F64Array,
        phase: float,
        color: ParsableManimColor,
        fill_opacity: float = 0.85,
    ) -> None:
        super().__init__(fill_color=color, fill_opacity=fill_opacity, stroke_color=color, stroke_width=2)
        self.teeth, self.module = teeth, module
        self.centre = np.asarray(centre, dtype=np.float64)
        self.template = outline(teeth, module, phase)
        self.angle = 0.0
        self.set_points_as_corners(self.template + self.centre)

    def set_angle(self, radians: float) -> Gear:
        """Turn to ``radians`` from the starting pose (anticlockwise positive)."""
        c, s = math.cos(radians), math.sin(radians)
        turned = self.template @ np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
        self.set_points_as_corners(turned + self.centre)
        self.angle = radians
        return self
