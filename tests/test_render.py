"""Real renders at 480p15: probed with PyAV, and each beat's key frame compared with a golden image."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from pipeline.rendering.probe import last_frame, probe
from tests.conftest import GOLDENS, IDS, SERIES, clip_by_id

#: A pixel counts as changed when a channel moves by more than this (encoder noise stays well below).
PIXEL_TOLERANCE = 48
#: A key frame may differ from its golden in at most this many pixels: fewer than one changed digit.
MAX_CHANGED_PIXELS = 30

Series = tuple[Path, dict[str, dict[str, Any]]]


@pytest.mark.parametrize("clip_id", IDS)
def test_render_is_probed_right(clip_id: str, series_low: Series) -> None:
    out, entries = series_low
    entry, clip = entries[clip_id], clip_by_id(clip_id)
    folder = out / "480p15"
    video = folder / f"{clip.stem}.mp4"
    info = probe(video)
    assert (info.codec, info.width, info.height, float(info.fps)) == ("h264", 854, 480, 15.0)
    assert abs(info.duration - entry["planned"]) <= 1 / 15  # within one frame of the scene's own timeline
    assert (entry["frames"], entry["duration"]) == (info.frames, info.duration)
    beats = sorted((folder / clip.stem).glob("*.mp4"))
    assert [p.name for p in beats] == [f"{n:02d}-{b.slug}.mp4" for n, b in enumerate(clip.beats, start=1)]
    assert len(beats) == len(clip.beats)
    start = 0.0
    for path, beat, recorded in zip(beats, clip.beats, entry["beats"], strict=True):
        beat_info = probe(path)
        assert (beat_info.width, beat_info.height, float(beat_info.fps)) == (854, 480, 15.0)
        assert recorded["caption"] == beat.caption
        assert recorded["start"] == pytest.approx(start)
        start += beat_info.duration
        assert recorded["end"] == pytest.approx(start)
    assert start == pytest.approx(info.duration)
    assert not (out / ".work").exists()


def _key_frames() -> list[tuple[str, str]]:
    return [(clip.id, f"{n:02d}-{beat.slug}") for clip in SERIES for n, beat in enumerate(clip.beats, 1)]


@pytest.mark.parametrize(("clip_id", "beat"), _key_frames())
def test_key_frame_matches_golden(
    clip_id: str, beat: str, series_low: Series, update_goldens: bool, tmp_path: Path
) -> None:
    out, _ = series_low
    stem = clip_by_id(clip_id).stem
    frame = last_frame(out / "480p15" / stem / f"{beat}.mp4")
    golden = GOLDENS / stem / f"{beat}.png"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(frame).save(golden, optimize=True)
        return
    assert golden.exists(), f"no golden for {beat}: run `make goldens`"
    expected = np.asarray(Image.open(golden).convert("RGB"))
    assert expected.shape == frame.shape
    changed = np.abs(frame.astype(int) - expected.astype(int)).max(axis=2) > PIXEL_TOLERANCE
    if changed.sum() > MAX_CHANGED_PIXELS:
        Image.fromarray(frame).save(tmp_path / "actual.png")
        Image.fromarray((changed * 255).astype(np.uint8)).save(tmp_path / "changed.png")
    assert changed.sum() <= MAX_CHANGED_PIXELS, f"{changed.sum()} pixels changed; see {tmp_path}"


def test_every_template_has_goldens() -> None:
    # The render tests draw the project series; every template must be in it, with a golden per beat.
    from lessons.templates import TEMPLATES

    assert {clip.template for clip in SERIES} >= set(TEMPLATES), "a template with no clip in series.toml"
    expected = {f"{clip.stem}/{n:02d}-{beat.slug}.png" for clip in SERIES for n, beat in enumerate(clip.beats, 1)}
    present = {str(p.relative_to(GOLDENS)) for p in GOLDENS.rglob("*.png")}
    assert expected - present == set(), "run `make goldens` and look at the new images"
    assert present - expected == set(), "goldens of beats the series no longer has"
