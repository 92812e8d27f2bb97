"""The ``primer`` command as a user meets it: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pipeline.render
from cli import cli
from scenes.catalog import IDS, SERIES


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("primer: error: ")
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("args", [[], ["list"], ["values"], ["render"]])
def test_help(args: list[str]) -> None:
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_list_shows_the_series_in_order() -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == len(SERIES)
    for line, clip in zip(lines, SERIES, strict=True):
        assert line.split()[:2] == [f"{clip.number:02d}", clip.id]
        assert clip.title in line
        assert line.endswith(f"{len(clip.beats)} beats")


def test_values_json_has_every_beat_and_the_storyboard_numbers() -> None:
    result = run("values", "--json")
    assert result.exit_code == 0
    table = json.loads(result.output)
    assert list(table) == list(IDS)
    for clip in SERIES:
        assert list(table[clip.id]) == [beat.slug for beat in clip.beats]
    d = table["derivative"]
    assert d["tangent-at-minus-2"]["slope"] == -4.0
    assert d["tangent-at-minus-2"]["rise_over_run"] == -4.0
    assert math.tan(math.radians(d["tangent-at-minus-2"]["theta_degrees"])) == pytest.approx(-4.0)
    assert [s["slope"] for s in d["sliding-to-the-bottom"]["stops"]] == [-2.0, 0.0]
    assert d["climbing-steeply"]["slope"] == 6.0
    assert d["slope-graph"]["trace"] == [{"x": 3.0, "slope": 6.0}, {"x": -3.0, "slope": -6.0}]


def test_values_text_for_one_clip() -> None:
    result = run("values", "derivative")
    assert result.exit_code == 0
    assert result.output.startswith("01-derivative\n")
    assert '"slope": -4.0' in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["render", "no-such-clip"], ["no-such-clip", "derivative"]),
        (["values", "no-such-clip"], ["no-such-clip", "derivative"]),
        (["render", "--quality", "ultra"], ["ultra", "low", "medium", "high", "production", "4k"]),
        (["render", "-q", "z"], ["'z'", "low"]),
        (["render", "--bogus"], ["--bogus"]),
        (["list", "--bogus"], ["--bogus"]),
        (["frobnicate"], ["frobnicate", "render"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], words: list[str]) -> None:
    assert_one_line_error(run(*args), 2, *words)


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    assert_one_line_error(run("render", "derivative", "--out", str(target)), 2, "a-file")
    assert target.read_text() == "keep me"


class _Broken(Exception):
    pass


def _failing_scene(error: BaseException) -> type:
    from manim import Circle, Create, Scene

    class Failing(Scene):
        def construct(self) -> None:
            self.next_section("first")
            self.play(Create(Circle()), run_time=0.2)
            raise error

    return Failing


@pytest.mark.parametrize(("error", "code"), [(_Broken("the scene broke"), 1), (KeyboardInterrupt(), 130)])
def test_a_failed_or_interrupted_render_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, code: int
) -> None:
    folder = tmp_path / "480p15"
    beats = folder / "01-derivative"
    beats.mkdir(parents=True)
    (folder / "01-derivative.mp4").write_bytes(b"a good video")
    (beats / "01-curve-and-notations.mp4").write_bytes(b"a good beat")
    monkeypatch.setattr(pipeline.render, "scene_class", lambda clip: _failing_scene(error))

    result = run("render", "derivative", "-q", "l", "--out", str(tmp_path))

    assert_one_line_error(result, code)
    assert (folder / "01-derivative.mp4").read_bytes() == b"a good video"
    assert [p.name for p in beats.iterdir()] == ["01-curve-and-notations.mp4"]
    assert not (tmp_path / ".work").exists()


def test_values_of_the_gradient_clip() -> None:
    table = json.loads(run("values", "gradient", "--json").output)["gradient"]
    assert table["contours-and-marker"]["start"] == [1.5, 0.8]
    assert table["gradient-points-uphill"]["gradient"] == [3.0, 1.6]
    assert table["gradient-points-uphill"]["gradient_norm"] == pytest.approx(3.4, rel=1e-15)
    descent = table["descent"]
    assert descent["rate"] == 0.1
    assert descent["w"][1] == pytest.approx([1.5 * 0.8, 0.8 * 0.8], rel=1e-15)
    end = table["minimum-and-learning-rates"]
    assert max(abs(g) for g in end["gradient_at_end"]) < 5e-3
    assert [run["rate"] for run in end["rates"]] == [0.02, 0.3, 1.05]
    assert end["rate_limit"] == 1.0


def test_values_of_the_partial_derivative_clip() -> None:
    table = json.loads(run("values", "partial-derivative", "--json").output)["partial-derivative"]
    assert table["slice-at-y-2"] == {"y": 2.0, "f(x, y0) coefficients": [8.0, 6.0, 1.0, 0.0]}
    slopes = table["slopes-of-the-slices"]
    assert (slopes["df/dx"], slopes["df/dy"], slopes["gradient"], slopes["f"]) == (
        8.0,
        15.0,
        [8.0, 15.0],
        15.0,
    )


def test_values_of_the_chain_rule_clip() -> None:
    table = json.loads(run("values", "chain-rule", "--json").output)["chain-rule"]
    assert table["three-gears"]["dθC/dθA"] == 10.0
    graph = table["computation-graph"]
    assert (graph["x"], graph["u"], graph["du/dx"]) == (1.0, 1.0, 2.0)
    assert graph["y"] == math.sin(1.0) and graph["dy/du"] == math.cos(1.0)
    assert table["multiply-along-the-chain"]["dy/dx"] == pytest.approx(2 * math.cos(1.0), rel=1e-15)
    assert table["backpropagation"]["adjoints y, u, x"] == pytest.approx([1.0, math.cos(1.0), 2 * math.cos(1.0)])
