"""The layout check: every label inside the safe area, large enough, clear of others and of lines, points on axes.

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
from typing import cast

import numpy as np
from manim import (
    Arrow,
    ArrowTip,
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
from manim.utils.family import extract_mobject_family_members

from lessons.palette import TEXT_CONTRAST, contrast
from scenes.type_size import type_faults
from scenes.typeset import LiveNumber

#: Labels keep this far (scene units) inside the frame's edges.
SAFE_MARGIN = 0.12
#: Two labels overlap when their boxes share more than this much in both directions.
OVERLAP = 0.02
#: Labels keep this far (scene units, 5 px at 1080p) from one another and from every line drawn.
MARGIN = 0.04
#: A backing at least this opaque hides the lines drawn before it: a label on it may sit on them.
OPAQUE = 0.99
#: An arrow at rest is at least this many times as long as its tip, and at least ``SHORTEST_ARROW`` long
#: (scene units, 1/27 of the frame's height: manim shrinks a short arrow's tip with it); shorter, it reads as a stub.
ARROW_TIPS = 2.0
SHORTEST_ARROW = 0.3
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


def curve_points(part: VMobject) -> np.ndarray:
    """Points along every Bézier piece of ``part`` itself (not its children), at most ``SAMPLE_SPACING`` apart."""
    if len(part.points) < 4:
        return np.zeros((0, 3))
    curves = part.points[: len(part.points) // 4 * 4].reshape(-1, 4, 3)
    # A piece is no longer than its control polygon.
    lengths = np.linalg.norm(np.diff(curves, axis=1), axis=2).sum(axis=1)
    found = []
    for curve, length in zip(curves, lengths, strict=True):
        t = np.linspace(0.0, 1.0, int(np.clip(np.ceil(length / SAMPLE_SPACING), 2, 400)) + 1)[:, None]
        a, b, c, d = curve
        found.append((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d)
    return np.concatenate(found)


def line_points(line: Mobject) -> np.ndarray:
    """Points along every Bézier piece of ``line`` and its parts (not its labels), at most ``SAMPLE_SPACING`` apart.

    Axes give their lines and tick marks, not their numbers.
    """
    found: list[np.ndarray] = []

    def walk(part: Mobject) -> None:
        if _is_label(part) or isinstance(part, BackgroundRectangle):
            return
        if isinstance(part, VMobject):
            found.append(curve_points(part))
        for child in part.submobjects:
            walk(child)

    walk(line)
    return np.concatenate(found) if found else np.zeros((0, 3))


def near(box: tuple[float, float, float, float], points: np.ndarray, margin: float) -> bool:
    """Whether any of ``points`` lies within ``margin`` of ``box`` (a negative margin: that far inside it)."""
    left, bottom, right, top = box
    return bool(
        (
            (points[:, 0] > left - margin)
            & (points[:, 0] < right + margin)
            & (points[:, 1] > bottom - margin)
            & (points[:, 1] < top + margin)
        ).any()
    )


def covers(label: Mobject, points: np.ndarray) -> bool:
    """Whether any of ``points`` lies inside ``label``'s box."""
    box = _box(label)
    return box is not None and len(points) > 0 and near(box, points, -OVERLAP)


def touches(label: Mobject, points: np.ndarray) -> bool:
    """Whether any of ``points`` comes within ``MARGIN`` of ``label``'s box."""
    box = _box(label)
    return box is not None and len(points) > 0 and near(box, points, MARGIN)


@dataclass(frozen=True)
class Drawn:
    """What is on screen, in screen coordinates.

    The visible labels, the lines (strokes) that are not theirs, and the filled shapes (a label's
    backing, a hub's disc) that may hide lines under a label.
    """

    labels: list[Mobject]
    lines: list[VMobject]
    fills: list[VMobject]


def on_screen(scene: object) -> Drawn:
    """The visible labels, lines and fills on screen (a label's own parts are none of them, but its backing fills)."""
    labels: list[Mobject] = []
    lines: list[VMobject] = []
    fills: list[VMobject] = []
    fixed: set[int] | None = None
    if isinstance(scene, ThreeDScene):
        # Only what is fixed in the frame is laid out in screen coordinates.
        fixed = {id(m) for m in getattr(scene.renderer.camera, "fixed_in_frame_mobjects", [])}

    def walk(mobject: Mobject, flat: bool) -> None:
        flat = flat or fixed is None or id(mobject) in fixed
        if _is_label(mobject):
            if flat and _opacity(mobject) >= VISIBLE:
                labels.append(mobject)
                fills.extend(part for part in mobject.get_family() if isinstance(part, BackgroundRectangle))
            return
        if flat and isinstance(mobject, VMobject) and len(mobject.points):
            if float(mobject.get_fill_opacity()) > 0:
                fills.append(mobject)
            stroked = float(mobject.get_stroke_width()) > 0 and float(mobject.get_stroke_opacity()) >= VISIBLE
            if stroked and len(mobject.points) >= 4 and not isinstance(mobject, BackgroundRectangle):
                lines.append(mobject)
        for child in mobject.submobjects:
            walk(child, flat)

    for mobject in scene.mobjects:  # type: ignore[attr-defined]
        walk(mobject, False)
    return Drawn(labels, lines, fills)


def _ink(label: Mobject) -> tuple[float, float, float, float] | None:
    """The box of what ``label`` draws, without its backing."""
    parts = [p for p in label.get_family() if len(p.points) and not isinstance(p, BackgroundRectangle)]
    return _box(Mobject().add(*parts)) if parts else None


Box = tuple[float, float, float, float]


def _hidden(label: Mobject, line: Mobject, fills: list[tuple[VMobject, Box]], order: dict[int, int]) -> bool:
    """Whether ``line`` passes under an opaque fill drawn above it that holds ``label`` with a margin to spare.

    A label's backing is such a fill, and so is a hub's disc. A fill fading with its label counts as
    opaque when it is as opaque as the label is.
    """
    ink = _ink(label)
    if ink is None:
        return False
    needed, above = OPAQUE * _opacity(label), order.get(id(line), 0)
    for fill, box in fills:
        if (
            order.get(id(fill), -1) > above
            and float(fill.get_fill_opacity()) >= needed
            and box[0] <= ink[0] - MARGIN + 1e-6
            and box[1] <= ink[1] - MARGIN + 1e-6
            and box[2] >= ink[2] + MARGIN - 1e-6
            and box[3] >= ink[3] + MARGIN - 1e-6
        ):
            return True
    return False


def _draw_order(scene: object) -> dict[int, int]:
    """Each mobject's place in the order the camera draws them (by z-index, then as added)."""
    members = extract_mobject_family_members(scene.mobjects, use_z_index=True)  # type: ignore[attr-defined]
    return {id(m): place for place, m in enumerate(members)}


def tip(arrow: Arrow) -> float:
    """How long ``arrow``'s tip is drawn."""
    return float(cast(ArrowTip, arrow.get_tip()).length)


def _at(point: np.ndarray) -> str:
    return ", ".join(f"{c:.2f}" for c in point[:2])


def _what(line: Mobject) -> str:
    """A line's kind, for a message: ``a Line``, ``an Arrow``."""
    kind = type(line).__name__
    return f"{'an' if kind[0] in 'AEIOU' else 'a'} {kind}"


def safe_reach() -> tuple[float, float]:
    """How far from the frame's centre a label may reach, across and up: the safe area, less the margin."""
    return config.frame_width / 2 - SAFE_MARGIN - MARGIN, config.frame_height / 2 - SAFE_MARGIN - MARGIN


def faults_now(scene: object, type_size: bool = False, at_rest: bool = False) -> list[str]:
    """What is wrong with the layout on screen now, one message per fault.

    With ``type_size``, type too small is a fault too. ``at_rest`` (a beat's end) adds what only a
    finished picture must get right: margins between labels and from every line (mid-animation a
    backing may be half drawn under its label), and arrows long enough to read as arrows. A curve
    marked with ``keep_clear`` is never covered, at any moment.
    """
    faults: list[str] = []
    half_w, half_h = config.frame_width / 2 - SAFE_MARGIN, config.frame_height / 2 - SAFE_MARGIN
    drawn = on_screen(scene)
    boxes = []
    for label in drawn.labels:
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
        elif at_rest and wide > -MARGIN and high > -MARGIN:
            faults.append(f"{_name(a)} and {_name(b)} are closer than {MARGIN:g} apart")
    on_frame = {id(m) for top in scene.mobjects for m in top.get_family()}  # type: ignore[attr-defined]
    marked = {id(m) for line in getattr(scene, "kept_clear", []) for m in line.get_family()}
    order = _draw_order(scene) if drawn.lines and at_rest else {}
    fills = [(fill, box) for fill in drawn.fills if (box := _box(fill)) is not None] if at_rest else []
    for line in drawn.lines if at_rest else [line for line in drawn.lines if id(line) in marked]:
        points = curve_points(line)
        for label, box in boxes:
            if not near(box, points, MARGIN):
                continue
            if id(line) in marked and near(box, points, -OVERLAP):
                faults.append(f"{_name(label)} covers a curve or line")
            elif at_rest and not _hidden(label, line, fills, order):
                faults.append(f"{_name(label)} touches {_what(line)}")
        if at_rest and isinstance(line, Arrow) and line.get_length() < max(SHORTEST_ARROW, ARROW_TIPS * tip(line)):
            faults.append(f"{_what(line)} from ({_at(line.get_start())}) is a stub: {line.get_length():.2f} long")
    for point, axes in getattr(scene, "points_of_interest", []):
        if id(point) not in on_frame or _opacity(point) < VISIBLE:
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
        self.look(scene, self.type_size, at_rest=True)

    def moment(self, scene: object, t: float) -> None:
        """A frame was updated; look at it if it is time to."""
        now = float(getattr(scene, "time", 0.0))
        if self.sampled is not None or now - self._last >= self.every:
            self._last = now
            self.look(scene)

    def look(self, scene: object, type_size: bool = False, at_rest: bool = False) -> None:
        """Check what is on screen now (with ``type_size``, the size of its type too; ``at_rest``: a beat's end)."""
        self.checked += 1
        for message in faults_now(scene, type_size, at_rest):
            if (self.beat, message) in self._seen:
                continue
            self._seen.add((self.beat, message))
            fault = Fault(self.beat, float(getattr(scene, "time", 0.0)), message)
            self.faults.append(fault)
            if self.stop_at_first:
                raise LayoutError(f"{self.clip}: {fault}")
