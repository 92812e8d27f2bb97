"""A beat is the unit of work: an edited beat is drawn again, the others are reused, and the clip is the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import pytest
from manim import Dot, Mobject, Scene, Square, ValueTracker

from lessons.quality import quality
from lessons.series import ROOT, Series, load_series
from pipeline.formats import Output
from pipeline.progress import PlainReporter
from pipeline.rendering.schedule import STALE, clip_states, render_series
from scenes.state import beat_key, state_digest
from tests.conftest import request_for

LOW = quality("low")
Rendered = tuple[Path, dict[str, dict[str, Any]]]


def scene_with(*mobjects: Mobject) -> Scene:
    scene = Scene()
    scene.add(*mobjects)
    return scene


def test_the_state_digest_sees_what_is_drawn_and_what_decides_later_frames() -> None:
    square = Square()
    before = state_digest(scene_with(square))
    assert state_digest(scene_with(Square())) == before  # the same content in another object
    assert state_digest(scene_with(Square().shift((1e-6, 0.0, 0.0)))) != before  # moved by a thousandth of a pixel
    assert state_digest(scene_with(Square(color="#ff0000"))) != before
    assert state_digest(scene_with(Square().set_stroke(width=5))) != before
    assert state_digest(scene_with(Square(), Dot())) != before
    assert state_digest(scene_with(Dot(), Square())) != state_digest(scene_with(Square(), Dot()))  # drawing order
    scene = scene_with(Square())
    scene.tracker = ValueTracker(2.0)  # type: ignore[attr-defined]  # off screen; an updater may read it later
    other = scene_with(Square())
    other.tracker = ValueTracker(3.0)  # type: ignore[attr-defined]
    assert state_digest(scene) != state_digest(other)
    moving = Square()
    moving.add_updater(lambda m, dt: m.shift((dt, 0.0, 0.0)))
    assert state_digest(scene_with(moving)) != before  # what moves on its own moves on in the next beat


def test_the_state_digest_ignores_the_clock_and_drift_in_the_last_bits() -> None:
    scene = scene_with(Square())
    before = state_digest(scene)
    scene.renderer.time = 12.5  # a longer hold earlier moves the clock, not the picture
    assert state_digest(scene) == before
    drifted = Square()
    drifted.points = drifted.points + 1e-13  # moved by an updater every frame, not once
    assert state_digest(scene_with(drifted)) == before
    flipped = Square()
    flipped.points = np.where(flipped.points == 0.0, -0.0, flipped.points)
    assert state_digest(scene_with(flipped)) == before


def test_a_beat_key_holds_its_caption_hold_start_and_picture() -> None:
    key = beat_key("picture", "A caption.", 4.2, "state")
    assert beat_key("picture", "A caption.", 4.2, "state") == key
    for changed in (
        beat_key("other picture", "A caption.", 4.2, "state"),
        beat_key("picture", "Another caption.", 4.2, "state"),
        beat_key("picture", "A caption.", 4.3, "state"),
        beat_key("picture", "A caption.", None, "state"),
        beat_key("picture", "A caption.", 4.2, "other state"),
    ):
        assert changed != key


def edited(series: Path, clip_id: str, beat: int, field: str, text: str) -> Series:
    """Write ``text`` as beat ``beat``'s ``field`` of clip ``clip_id`` in the series file ``series``."""
    before = getattr(load_series(series).clip(clip_id).beats[beat - 1], field)
    source = series.read_text(encoding="utf-8")
    line = f"{field} = {json.dumps(before, ensure_ascii=False)}"
    assert source.count(line) == 1
    series.write_text(source.replace(line, f"{field} = {json.dumps(text, ensure_ascii=False)}"), encoding="utf-8")
    return load_series(series)


def decoded(video: Path) -> tuple[list[npt.NDArray[Any]], npt.NDArray[Any]]:
    """Every frame of ``video`` as RGB, and its sound as samples."""
    with av.open(str(video)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    with av.open(str(video)) as container:
        sound = [frame.to_ndarray().ravel() for frame in container.decode(audio=0)]
    return frames, np.concatenate(sound) if sound else np.zeros(0, np.float32)


def test_an_edited_beat_is_drawn_alone_and_the_clip_equals_a_whole_render(
    series_low: Rendered, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".cache", ".lock"))
    series = tmp_path / "series.toml"
    shutil.copy(ROOT / "series.toml", series)
    # A caption: beat 2 is drawn; beat 3 starts from what beat 2 left, which has no words in it.
    clip = edited(series, "gradient", 2, "caption", "The gradient points uphill & <square> to the contour.").clip(
        "gradient"
    )
    [state] = clip_states([clip], LOW, out)
    assert (state.state, state.reason) == (STALE, "changed: beat 2, its caption")
    [entry] = render_series(request_for([clip], out), reporter=PlainReporter())
    assert entry["reused"] == [1, 3, 4]
    assert "04-gradient: rendered" in capsys.readouterr().out.replace("1 beat drawn, 3 reused", "")
    # A description of the picture: it changes the described outputs only, and no beat is drawn.
    words = "The walk, drawn as a chain of dots, ends in the middle of the bowl."
    narration = load_series(series).clip("gradient").beats[3].narration
    source = series.read_text(encoding="utf-8")
    line = f"narration = {json.dumps(narration, ensure_ascii=False)}"
    series.write_text(source.replace(line, f"{line}\ndescription = {json.dumps(words)}"), encoding="utf-8")
    clip = load_series(series).clip("gradient")
    [state] = clip_states([clip], LOW, out)
    assert (state.state, state.reason) == (STALE, "changed: beat 4, its description")
    [entry] = render_series(request_for([clip], out), reporter=PlainReporter())
    assert entry["reused"] == [1, 2, 3, 4] and entry["beats"][3]["description"] == words
    capsys.readouterr()
    # Narration: beat 3 is held for its new voice; beat 4 starts from the same picture.
    words = "Step after step, each one against the gradient, the walk goes down the hill to the bottom of the bowl."
    clip = edited(series, "gradient", 3, "narration", words).clip("gradient")
    [entry] = render_series(request_for([clip], out), reporter=PlainReporter())
    assert entry["reused"] == [1, 2, 4]
    assert "1 beat drawn, 3 reused" in capsys.readouterr().out
    assert entry["beats"][2]["speech"] != series_low[1]["gradient"]["beats"][2]["speech"]  # the new voice
    # The proof: a forced whole render of the edited clip, the same settings, decodes to the same frames and sound.
    whole = tmp_path / "whole"
    [fresh] = render_series(request_for([clip], whole, force=True))
    assert fresh["reused"] == []
    pieces, pieces_sound = decoded(out / "480p15" / entry["video"])
    frames, sound = decoded(whole / "480p15" / fresh["video"])
    assert len(pieces) == len(frames) == entry["frames"]
    different = [number for number, (a, b) in enumerate(zip(pieces, frames, strict=True)) if not np.array_equal(a, b)]
    assert different == []  # bit for bit: drawn from equal states by the same encoder settings
    assert sound.size > 0 and np.array_equal(pieces_sound, sound)
    assert [b["key"] for b in entry["beats"]] == [b["key"] for b in fresh["beats"]]


def test_a_forced_render_and_another_format_reuse_nothing(series_low: Rendered, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".cache", ".lock"))
    clip = load_series().clip("chain-rule")
    [entry] = render_series(request_for([clip], out, jobs=1, force=True))
    assert entry["reused"] == []
    [entry] = render_series(request_for([clip], out, jobs=1, output=Output(captions=False)))
    assert entry["reused"] == []  # no segment of this variant exists yet


KEYS_SCRIPT = """
import json, sys, tempfile
from manim import tempconfig
from lessons.quality import quality
from lessons.series import default_series
from lessons.settings import Settings
from pipeline.formats import Output
from pipeline.rendering.render import frame_config, load_manim_defaults, make_scene

first, order, cache = int(sys.argv[1]), sys.argv[2], sys.argv[3]
clips = default_series().clips[:: 1 if order == "forward" else -1]
load_manim_defaults()
found = {}
with tempfile.TemporaryDirectory() as media:
    for clip in clips:
        tex = {"tex_dir": f"{cache}/{clip.id}/Tex", "text_dir": f"{cache}/{clip.id}/texts"}
        with tempconfig({"dry_run": True, "media_dir": media, **tex, **frame_config(quality("low"), Output())}):
            settings = Settings(beats=(first, len(clip.beats)), picture="picture")
            scene = make_scene(clip, settings, skip_animations=True)
            scene.render()
            found[clip.id] = {str(number): key for number, key in scene.record.keys.items()}
print(json.dumps(found))
"""


def test_beat_keys_agree_across_processes_orders_and_starting_beats(series_low: Rendered, tmp_path: Path) -> None:
    # What one process renders first (manim's SVG cache, cairo's numbering) must not reach a beat's key.
    # Each process builds every clip, from its own copy of the rendered series' TeX cache (no compiles).
    runs = []
    for first, order in (("1", "forward"), ("2", "backward")):
        cache = shutil.copytree(series_low[0] / ".cache", tmp_path / order)
        command = [sys.executable, "-c", KEYS_SCRIPT, first, order, str(cache)]
        runs.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True))
    whole, later = (json.loads(run.communicate(timeout=600)[0]) for run in runs)
    assert set(whole) == set(later) == {clip.id for clip in load_series().clips}
    for clip_id, keys in later.items():
        assert keys == {number: key for number, key in whole[clip_id].items() if number != "1"}, clip_id
