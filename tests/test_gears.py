"""The chain-rule clip's gears, read back from the scene's own mobjects at every frame of the turn."""

from __future__ import annotations

import cmath

import numpy as np
import pytest
from manim import tempconfig

from pipeline.rendering.render import make_scene
from scenes.gears import Gear
from tests.conftest import clip_by_id


def corners(gear: Gear) -> np.ndarray:
    anchors = np.asarray(gear.get_start_anchors())
    return np.vstack([anchors, anchors[:1]])


def turned_by(gear: Gear) -> complex:
    """exp(iθ) of the gear's turn, measured from its first corner against its starting template."""
    now = corners(gear)[0] - gear.centre
    start = gear.template[0]
    return complex(now[0], now[1]) / complex(start[0], start[1])


def inside(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd test of each point against a closed polygon."""
    x, y = points[:, :1], points[:, 1:2]
    x1, y1, x2, y2 = polygon[:-1, 0], polygon[:-1, 1], polygon[1:, 0], polygon[1:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        crosses = ((y1 > y) != (y2 > y)) & (x < (x2 - x1) * (y - y1) / (y2 - y1) + x1)
    return np.asarray(crosses.sum(axis=1) % 2 == 1)


def along_edges(polygon: np.ndarray, per_edge: int = 6) -> np.ndarray:
    t = np.linspace(0.0, 1.0, per_edge, endpoint=False)[None, :, None]
    return (polygon[:-1, None, :] * (1 - t) + polygon[1:, None, :] * t).reshape(-1, 3)


def overlapping(one: Gear, other: Gear) -> int:
    a, b = corners(one), corners(other)
    return int(inside(along_edges(a), b).sum() + inside(along_edges(b), a).sum())


@pytest.fixture(scope="module")
def scene():  # type: ignore[no-untyped-def]
    with tempconfig({"quality": "high_quality"}):  # 60 fps: the most frames, the smallest steps
        made = make_scene(clip_by_id("chain-rule"))
        made.setup()
        yield made


def test_angles_keep_the_ratio_1_2_10_at_every_frame(scene) -> None:  # type: ignore[no-untyped-def]
    a, b, b2, c = scene.gears
    frames = len(scene.math.gears.angle_a)
    assert frames > 300
    for frame in range(frames):
        scene.pose_gears(frame)
        ta, tb, tb2, tc = (turned_by(g) for g in (a, b, b2, c))
        theta_a = cmath.phase(ta)
        assert abs(tb - cmath.exp(-2j * theta_a)) < 1e-9  # B: twice as far, the other way
        assert abs(tb2 - tb) < 1e-12  # B' is on B's axle
        assert abs(tc - cmath.exp(10j * theta_a)) < 1e-9  # C: ten times as far, A's way
    assert np.degrees(cmath.phase(turned_by(a))) == pytest.approx(36.0)  # C makes one whole turn: 360° / 10


def test_meshing_teeth_never_overlap(scene) -> None:  # type: ignore[no-untyped-def]
    a, b, b2, c = scene.gears
    for frame in range(len(scene.math.gears.angle_a)):
        scene.pose_gears(frame)
        assert overlapping(a, b) == 0, f"A and B overlap at frame {frame}"
        assert overlapping(b2, c) == 0, f"B' and C overlap at frame {frame}"


def test_the_overlap_check_can_fail(scene) -> None:  # type: ignore[no-untyped-def]
    a, b, _, _ = scene.gears
    scene.pose_gears(0)
    b.set_angle(np.pi / b.teeth)  # half a tooth off: teeth land on teeth
    assert overlapping(a, b) > 0


def test_meshing_pairs_share_their_tooth_size(scene) -> None:  # type: ignore[no-untyped-def]
    a, b, b2, c = scene.gears
    assert a.module == b.module and b2.module == c.module
    distance = np.linalg.norm(b.centre - a.centre)
    assert distance == pytest.approx(a.module * (a.teeth + b.teeth) / 2)
    assert np.linalg.norm(c.centre - b2.centre) == pytest.approx(c.module * (b2.teeth + c.teeth) / 2)
