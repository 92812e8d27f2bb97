"""The benchmark keeps what it measured: each row printed as measured, a failed row says why, the rest go on."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_script", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_failed_row_says_why_and_the_others_are_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bench = load_bench()
    table = bench.Table()
    table.row("b", "cold", lambda: (10.0, 18.0))
    assert capsys.readouterr().out.splitlines()[-1] == "| (b) cold | 10.000 | 18.0 |  |"  # printed at once

    def broken() -> tuple[float, float]:
        wall, cpu = bench.timed(["sh", "-c", "echo 'watch stopped: no preview' >&2; exit 3"], tmp_path)
        return float(wall), float(cpu)

    assert table.row("g", "watch", broken) is None
    said = "failed: sh -c echo 'watch stopped: no preview' >&2; exit 3 exited 3: watch stopped: no preview"
    assert capsys.readouterr().out.strip() == f"| (g) watch | {said} | | |"
    table.row("c", "again", lambda: (0.5, None), "b", ".3f")
    assert capsys.readouterr().out.strip() == "| (c) again | 0.500 |  | 0.050 of (b) |"
    table.row("d", "after an edit", lambda: (2.0, 1.0), "g")  # against a failed row: no ratio, still a row
    assert capsys.readouterr().out.strip() == "| (d) after an edit | 2.000 | 1.0 |  |"


def test_the_beat_edits_change_one_beat_of_the_edited_clip(tmp_path: Path) -> None:
    import shutil

    from lessons.series import load_series

    bench = load_bench()
    series = tmp_path / "series.toml"
    shutil.copy(BENCH.parent.parent / "series.toml", series)
    before = load_series(series)
    for number, field, text in (bench.CAPTION_EDIT, bench.NARRATION_EDIT):
        bench.edit_beat(series, bench.EDITED, number, field, text)
        assert getattr(load_series(series).clip(bench.EDITED).beats[number - 1], field) == text
    after = load_series(series)
    changed = [
        (clip.id, n)
        for clip, was in zip(after.clips, before.clips, strict=True)
        for n, (beat, old) in enumerate(zip(clip.beats, was.beats, strict=True), start=1)
        if beat != old
    ]
    assert changed == [(bench.EDITED, bench.CAPTION_EDIT[0]), (bench.EDITED, bench.NARRATION_EDIT[0])]


def test_row_j_measures_against_the_baseline_commit_as_it_was(tmp_path: Path) -> None:
    """(j) renders a copy of BASELINE's files from git (its x264 preset was veryfast) beside this code."""
    import json

    bench = load_bench()
    then = bench.copy_commit(tmp_path, bench.BASELINE)
    assert {path.name for path in then.iterdir()} == set(bench.PROJECT)
    assert "preset = veryfast" in (then / "manim.cfg").read_text()
    assert not (then / "pipeline" / "encoder.py").exists()
    with pytest.raises(bench.BenchError, match="git archive nonsense failed"):
        bench.copy_commit(tmp_path, "nonsense")
    folder = tmp_path / "out" / "1080p60"
    folder.mkdir(parents=True)
    clips = {"a": {"duration": 12.5}, "b": {"duration": 30.25}}
    (folder / "manifest.json").write_text(json.dumps({"clips": clips}))
    assert bench.video_seconds(tmp_path / "out", "1080p60") == 42.75
