"""Real renders at 480p15: probed with PyAV, and each beat's key frame compared with a golden image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.probe import last_frame, probe
from pipeline.render import RenderedClip
from scenes.catalog import SERIES, clip_by_id
from tests.conftest import GOLDENS

#: A pixel counts as changed when a channel moves by more than this (encoder noise stays well below).
PIXEL_TOLERANCE = 48
#: A key frame may differ from its golden in at most this many pixels: fewer than one changed digit.
MAX_CHANGED_PIXELS = 30

RENDERED = ["derivative", "partial-derivative", "chain-rule", "gradient"]


@pytest.mark.parametrize("clip_id", RENDERED)
def test_render_is_probed_right(clip_id: str, render_low: Callable[[str], RenderedClip]) -> None:
    done = render_low(clip_id)
    clip = clip_by_id(clip_id)
    assert done.video.name == f"{clip.stem}.mp4"
    assert done.video.parent.name == "480p15"
    info = probe(done.video)
    assert (info.codec, info.width, info.height, info.fps) == ("h264", 854, 480, 15)
    assert abs(info.duration - done.planned) <= 1 / 15
    assert [p.name for p in sorted(done.beats[0].parent.iterdir())] == [p.name for p in done.beats]
    assert [p.name for p in done.beats] == [
        f"{n:02d}-{b.slug}.mp4" for n, b in enumerate(clip.beats, start=1)
    ]
    beat_frames = 0
    for beat in done.beats:
        beat_info = probe(beat)
        assert (beat_info.width, beat_info.height, beat_info.fps) == (854, 480, 15)
        beat_frames += beat_info.frames
    assert beat_frames == info.frames
    assert not list((done.video.parent.parent / ".work").iterdir())


def _key_frames() -> list[tuple[str, str]]:
    return [
        (clip.id, f"{n:02d}-{beat.slug}")
        for clip in SERIES
        if clip.id in RENDERED
        for n, beat in enumerate(clip.beats, 1)
    ]


@pytest.mark.parametrize(("clip_id", "beat"), _key_frames())
def test_key_frame_matches_golden(
    clip_id: str, beat: str, render_low: Callable[[str], RenderedClip], update_goldens: bool, tmp_path: Path
) -> None:
    done = render_low(clip_id)
    frame = last_frame(done.video.parent / done.clip.stem / f"{beat}.mp4")
    golden = GOLDENS / done.clip.stem / f"{beat}.png"
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
