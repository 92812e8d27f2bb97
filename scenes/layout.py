"""The layout check: every label inside the safe area, large enough, clear of others, points on their axes.

A ``LayoutProbe`` rides along a ``LectureScene``: the scene tells it when each beat starts and ends
and when a frame is updated. At each beat's end and at moments in between it looks at what is on
screen and records faults, each naming the clip, the beat and the labels at fault. ``primer check``
builds a clip with animations skipped (nothing drawn) and samples each animation at a few moments;
``primer render`` carries the same probe while drawing and stops at the first fault.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from manim import (
    BackgroundRectangle,
    DecimalNumber,
    ManimColor,
    Mobject,
    SingleStringMathTex,
    Text,
    ThreeDScene,
    VMobject,
    config,
)

from lessons.palette import TEXT_CONTRAST, contrast
from scenes.type_size import type_faults
from scenes.typeset import LiveNumber

#: Labels keep this far (scene units) inside the frame's edges.
SAFE_MARGIN = 0.12
#: Two labels overlap when their boxes share more than this much in both directions.
OVERLAP = 0.02
#: A label fading in or out (less opaque than this) is between states and not checked.
VISIBLE = 0.75
#: A point of interest may stray this far (in axis units, relative to the range) outside its axes.
AXIS_SLACK = 1e-6


class LayoutError(Exception):
    """A clip whose layout fails; the message names the clip, the beat and the labels."""


@dataclass(frozen=True)
class Fault:
    """One layout fault."""

    beat: str
    at: float  # seconds into the clip
    message: str

    def __str__(self) -> str:
        return f"beat {self.beat} at {self.at:.1f} s: {self.message}"


def _is_label(mobject: Mobject) -> bool:
    return isinstance(mobject, Text | SingleStringMathTex | DecimalNumber | LiveNumber)


def _name(mobject: Mobject) -> str:
    if isinstance(mobject, Text):
        words = str(getattr(mobject, "original_text", mobject.text))
    elif isinstance(mobject, SingleStringMathTex):
        words = str(mobject.tex_string)
    elif isinstance(mobject, DecimalNumber):
        words = f"tick {mobject.get_value():g}"
    elif isinstance(mobject, LiveNumber):
        words = "a live number"
    else:
        words = type(mobject).__name__
    words = " ".join(words.split())
    return repr(words if len(words) <= 48 else words[:45] + "...")


def _opacity(mobject: Mobject) -> float:
    family = [m for m in mobject.get_family() if isinstance(m, VMobject) and len(m.points)]
    if not family:
        return 0.0
    return max(max(float(m.get_fill_opacity()), float(m.get_stroke_opacity())) for m in family)


def _colour(mobject: Mobject) -> str | None:
    """The colour a label is drawn in (``#rrggbb``), from its first filled part (not its backing)."""
    for part in mobject.get_family():
        if isinstance(part, BackgroundRectangle):
            continue
        if isinstance(part, VMobject) and len(part.points) and float(part.get_fill_opacity()) > 0:
            return str(part.get_fill_color().to_hex()).lower()[:7]
    return None


def _box(mobject: Mobject) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) of the drawn points, or None for an empty label."""
    points = [m.points for m in mobject.get_family() if len(m.points)]
    if not points:
        return None
    stacked = np.concatenate(points)
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 0].max()),
        float(stacked[:, 1].max()),
    )


#: Points along a marked line are at most this far apart (scene units): closer than any label is small.
SAMPLE_SPACING = 0.04


def line_points(line: Mobject) -> np.ndarray:
    """Points along every Bézier piece of ``line``, at most ``SAMPLE_SPACING`` apart."""
    found = []
    for part in line.get_family():
        if not isinstance(part, VMobject) or len(part.points) < 4:
            continue
        curves = part.points[: len(part.points) // 4 * 4].reshape(-1, 4, 3)
        # A piece is no longer than its control polygon.
        lengths = np.linalg.norm(np.diff(curves, axis=1), axis=2).sum(axis=1)
        for curve, length in zip(curves, lengths, strict=True):
            t = np.linspace(0.0, 1.0, int(np.clip(np.ceil(length / SAMPLE_SPACING), 2, 400)) + 1)[:, None]
            a, b, c, d = curve
            found.append((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d)
    return np.concatenate(found) if found else np.zeros((0, 3))


def covers(label: Mobject, points: np.ndarray) -> bool:
    """Whether any of ``points`` lies inside ``label``'s box."""
    box = _box(label)
    if box is None or not len(points):
        return False
    left, bottom, right, top = box
    return bool(
        (
            (points[:, 0] > left + OVERLAP)
            & (points[:, 0] < right - OVERLAP)
            & (points[:, 1] > bottom + OVERLAP)
            & (points[:, 1] < top - OVERLAP)
        ).any()
    )


def labels_on_screen(scene: object) -> list[Mobject]:
    """Every visible label on screen (a label's own parts are not labels of their own)."""
    found: list[Mobject] = []
    fixed: set[int] | None = None
    if isinstance(scene, ThreeDScene):
        # Only what is fixed in the frame is laid out in screen coordinates.
        fixed = {id(m) for m in getattr(scene.renderer.camera, "fixed_in_frame_mobjects", [])}

    def walk(mobject: Mobject, flat: bool) -> None:
        flat = flat or fixed is None or id(mobject) in fixed
        if _is_label(mobject):
            if flat and _opacity(mobject) >= VISIBLE:
                found.append(mobject)
            return
        for child in mobject.submobjects:
            walk(child, flat)

    for mobject in scene.mobjects:  # type: ignore[attr-defined]
        walk(mobject, False)
    return found


def faults_now(scene: object, type_size: bool = False) -> list[str]:
    """What is wrong with the layout on screen now, one message per fault (with ``type_size``, type too small too)."""
    faults: list[str] = []
    half_w, half_h = config.frame_width / 2 - SAFE_MARGIN, config.frame_height / 2 - SAFE_MARGIN
    boxes = []
    for label in labels_on_screen(scene):
        box = _box(label)
        if box is None:
            continue
        left, bottom, right, top = box
        if left < -half_w or right > half_w or bottom < -half_h or top > half_h:
            faults.append(f"{_name(label)} reaches outside the safe area")
        boxes.append((label, box))
    caption = getattr(scene, "caption", None)
    for label, _ in boxes if type_size else ():
        faults.extend(f"{_name(label)} {fault}" for fault in type_faults(label, caption))
    background = str(ManimColor(config.background_color).to_hex()).lower()[:7]
    for label, _ in boxes:
        colour = _colour(label)
        if colour is not None and contrast(colour, background) < TEXT_CONTRAST:
            faults.append(
                f"{_name(label)} is {colour} on {background}: contrast "
                f"{contrast(colour, background):.1f}:1, below {TEXT_CONTRAST:g}:1"
            )
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        wide = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
        high = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
        if wide > OVERLAP and high > OVERLAP:
            faults.append(f"{_name(a)} overlaps {_name(b)}")
    on_screen = {id(m) for top in scene.mobjects for m in top.get_family()}  # type: ignore[attr-defined]
    for line in getattr(scene, "kept_clear", []):
        if id(line) not in on_screen or _opacity(line) < VISIBLE:
            continue
        points = line_points(line)
        for label, _ in boxes:
            if covers(label, points):
                faults.append(f"{_name(label)} covers a curve or line")
    for point, axes in getattr(scene, "points_of_interest", []):
        if id(point) not in on_screen or _opacity(point) < VISIBLE:
            continue
        coords = axes.p2c(point.get_center())
        for value, axis in zip(coords, (axes.x_range, axes.y_range), strict=False):
            slack = AXIS_SLACK * (axis[1] - axis[0])
            if not axis[0] - slack <= value <= axis[1] + slack:
                where = ", ".join(f"{c:.3g}" for c in coords)
                faults.append(f"a point of interest at ({where}) lies off its axes")
                break
    return faults


@dataclass
class LayoutProbe:
    """Collects layout faults while a scene plays.

    ``every`` is the time between checks while animating (seconds); ``sampled``, when set, is how
    many moments of each animation a scene built without drawing is advanced to.
    """

    clip: str
    every: float = 0.5
    sampled: int | None = None
    stop_at_first: bool = False
    type_size: bool = False  # also measure the type (``scenes/type_size.py``)
    faults: list[Fault] = field(default_factory=list)
    beat: str = "(title)"
    checked: int = 0
    _last: float = -math.inf
    _seen: set[tuple[str, str]] = field(default_factory=set)

    @property
    def samples(self) -> Callable[[float], list[float]] | None:
        """A few moments of an animation of ``run_time`` seconds, when only checking."""
        if self.sampled is None:
            return None
        count = self.sampled
        return lambda run_time: [run_time * (k + 1) / count for k in range(count)]

    def beat_start(self, scene: object, number: int, slug: str) -> None:
        """A beat begins."""
        self.beat = f"{number} ({slug})"

    def beat_end(self, scene: object) -> None:
        """A beat ends: always checked (its type too, if asked: mid-animation a label may be half drawn)."""
        self.look(scene, self.type_size)

    def moment(self, scene: object, t: float) -> None:
        """A frame was updated; look at it if it is time to."""
        now = float(getattr(scene, "time", 0.0))
        if self.sampled is not None or now - self._last >= self.every:
            self._last = now
            self.look(scene)

    def look(self, scene: object, type_size: bool = False) -> None:
        """Check what is on screen now (with ``type_size``, the size of its type too)."""
        self.checked += 1
        for message in faults_now(scene, type_size):
            if (self.beat, message) in self._seen:
                continue
            self._seen.add((self.beat, message))
            fault = Fault(self.beat, float(getattr(scene, "time", 0.0)), message)
            self.faults.append(fault)
            if self.stop_at_first:
                raise LayoutError(f"{self.clip}: {fault}")
