"""Cheap checks of every clip without rendering: beats, knobs and frozen math."""

from __future__ import annotations

import numpy as np
import pytest
from manim import config, tempconfig
from manim.constants import QUALITIES as MANIM_QUALITIES

from pipeline.quality import QUALITIES
from pipeline.render import scene_class
from scenes.catalog import IDS, SERIES, clip_by_id
from scenes.style import fmt


def test_quality_presets_are_manims() -> None:
    for q in QUALITIES:
        preset = MANIM_QUALITIES[q.manim_key]
        assert (preset["flag"], preset["pixel_width"], preset["pixel_height"], preset["frame_rate"]) == (
            q.flag,
            q.width,
            q.height,
            q.fps,
        )


def test_catalog_ids_are_unique_and_numbered_in_order() -> None:
    assert len(set(IDS)) == len(IDS)
    numbers = [clip.number for clip in SERIES]
    assert numbers == sorted(set(numbers)) and set(numbers) <= {1, 2, 3, 4}
    for clip in SERIES:
        assert len({beat.slug for beat in clip.beats}) == len(clip.beats)
    with pytest.raises(KeyError):
        clip_by_id("nope")


@pytest.mark.parametrize("clip", SERIES, ids=IDS)
def test_every_clip_has_one_method_per_beat(clip) -> None:  # type: ignore[no-untyped-def]
    scene = scene_class(clip)()
    scene.setup()
    assert scene.clip == clip
    assert len(scene.beats()) == len(clip.beats)


@pytest.mark.parametrize("name", ["low_quality", "high_quality"])
def test_derivative_samples_one_point_per_frame(name: str) -> None:
    with tempconfig({"quality": name}):
        scene = scene_class(clip_by_id("derivative"))()
        scene.setup()
        for (start, end, seconds), leg in zip(scene.legs, scene.math.legs, strict=True):
            assert len(leg) == round(seconds * config.frame_rate) + 1
            assert (leg.x[0], leg.x[-1]) == (start, end)
            np.testing.assert_array_equal(leg.slope, 2 * leg.x)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-4.0, "-4"), (0.0, "0"), (-0.0, "0"), (0.8414709848, "0.84"), (1.0806, "1.08"), (2.5, "2.5")],
)
def test_numbers_are_shown_as_a_lecturer_writes_them(value: float, shown: str) -> None:
    assert fmt(value) == shown


@pytest.mark.parametrize(
    ("value", "places", "sign", "shown"),
    [
        (-2.0, 2, True, "-2.00"),
        (4.0, 2, False, "4.00"),
        (-0.0001, 2, True, "+0.00"),
        (149.92, 1, True, "+149.9"),
        (7, 0, False, "7"),
    ],
)
def test_live_numbers_draw_one_glyph_per_character(value: float, places: int, sign: bool, shown: str) -> None:
    from scenes.style import LiveNumber

    number = LiveNumber(value, places=places, sign=sign)
    drawn = [slot for slot in number.slots if len(slot.points)]
    assert len(drawn) == len(shown)
    for slot, ch in zip(drawn, shown, strict=True):
        np.testing.assert_allclose(slot.points - slot.points[0], number.shapes[ch] - number.shapes[ch][0])
    lefts = [slot.get_left()[0] for slot in drawn]
    assert lefts == sorted(lefts)  # left to right
    number.shift(np.array([2.0, 1.0, 0.0]))
    number.set_value(value)
    assert drawn[0].get_left()[0] == pytest.approx(lefts[0] + 2.0)
