"""The ``primer`` command as a user meets it: output, exit codes and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import pipeline.rendering.render
from cli import cli
from pipeline.words import counted
from tests.conftest import IDS, SERIES


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
    assert (counted(1, "beat"), counted(2, "clip"), counted(0, "clip")) == ("1 beat", "2 clips", "0 clips")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_shows_an_example_in_its_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output, command


def values_of(*args: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    result = run("values", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def record(beats: dict[str, list[dict[str, Any]]], slug: str, name: str) -> dict[str, Any]:
    found = [item for item in beats[slug] if item["name"] == name]
    assert len(found) == 1, (slug, name, [item["name"] for item in beats[slug]])
    return found[0]


def test_values_json_has_every_beat_and_the_storyboard_numbers() -> None:
    table = values_of()
    assert list(table) == list(IDS)
    for clip in SERIES:
        assert list(table[clip.id]) == [beat.slug for beat in clip.beats]
    d = table["derivative"]
    for slug, x in (("tangent-at-minus-2", -2), ("sliding-to-the-bottom", -1), ("sliding-to-the-bottom", 0)):
        item = record(d, slug, f"f'({x})")
        assert item["value"] == 2 * x and item["exact"] == str(2 * x)
    steep = record(d, "climbing-steeply", "f'(3)")
    assert (steep["value"], steep["tex"]) == (6.0, r"\text{slope } f'(3) = 2 \cdot 3 = 6")
    assert record(d, "tangent-at-minus-2", "rise / run")["value"] == -4.0
    assert record(d, "slope-graph", "the traced graph")["exact"] == "2 x"


def test_values_table_for_one_clip() -> None:
    result = CliRunner().invoke(cli, ["values", "derivative"], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].strip() == "01-derivative: Derivative"
    assert any("beat 2: tangent-at-minus-2" in line for line in lines)
    row = next(line for line in lines if "f'(-2) = 2 · (-2) = -4" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][:2] == ["f'(-2)", "slope f'(-2) = 2 · (-2) = -4"]
    row = next(line for line in lines if "readout f(x) at x = -1" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][1:] == ["f(x) = 1.00", "1.0"]  # rounded, and exactly
    assert max(len(line) for line in lines) <= 160


def test_the_values_table_writes_an_exact_fraction_as_text() -> None:
    result = CliRunner().invoke(cli, ["values", "descent-1d"], env={"COLUMNS": "160"})
    row = next(line for line in result.output.splitlines() if "x_2 = 1.08" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][1:] == ["x_2 = 1.08", "27/25"]  # 0.6 + 0.1·4.8


def test_values_as_csv_for_spreadsheets() -> None:
    result = run("values", "--csv", "derivative", "descent-1d")
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert list(table[0]) == ["clip", "beat", "name", "shown", "exact", "value"]
    slope = next(row for row in table if row["name"] == "f'(-2)")
    assert (slope["clip"], slope["beat"], slope["shown"], float(slope["value"])) == (
        "derivative",
        "tangent-at-minus-2",
        "slope f'(-2) = 2 · (-2) = -4",
        -4.0,
    )
    assert {row["clip"] for row in table} == {"derivative", "descent-1d"}
    assert run("values", "--csv", "--json").exit_code == 2


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


@pytest.mark.parametrize("under", [False, True])
def test_out_that_is_a_file_or_under_one_is_refused(tmp_path: Path, under: bool) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    out = target / "renders" if under else target
    for command in ("render", "lecture", "deck", "check"):
        assert_one_line_error(run(command, "--out", str(out)), 2, "a-file", "not a folder")
    assert target.read_text() == "keep me"


def test_a_read_only_output_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    # What a user without write permission is told by the kernel (root, who runs CI, is told yes).
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == folder else real(path, mode))
    try:
        assert_one_line_error(run("render", "--out", str(folder / "renders")), 2, "locked", "not writable")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


class _Broken(Exception):
    pass


def _failing_scene(error: BaseException) -> type:
    from manim import Circle, Create, Scene

    class Failing(Scene):
        def __init__(self, clip: object = None, settings: object = None, probe: object = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)

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
    monkeypatch.setattr(pipeline.rendering.render, "scene_class", lambda clip: _failing_scene(error))

    result = run("render", "derivative", "-q", "l", "--out", str(tmp_path), "-j", "1")  # in this process

    assert_one_line_error(result, code)
    assert (folder / "01-derivative.mp4").read_bytes() == b"a good video"
    assert [p.name for p in beats.iterdir()] == ["01-curve-and-notations.mp4"]
    assert not (tmp_path / ".work").exists()


def test_a_scene_that_raises_is_reported_with_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pipeline.rendering.render, "scene_class", lambda clip: _failing_scene(_Broken("the scene broke"))
    )
    result = run("render", "derivative", "-q", "l", "--out", str(tmp_path), "-j", "1")
    assert_one_line_error(result, 1, "rendering 01-derivative failed: the scene broke (tests/test_cli.py, line ")
    line = int(result.stderr.split(", line ")[1].split(")")[0])
    assert "raise error" in Path(__file__).read_text().splitlines()[line - 1]

    verbose = run("render", "derivative", "-q", "l", "--out", str(tmp_path), "-j", "1", "--verbose")
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr
    assert verbose.stderr.strip().splitlines()[-1] == result.stderr.strip()


def test_values_of_the_gradient_clip() -> None:
    beats = values_of("gradient")["gradient"]
    assert record(beats, "contours-and-marker", "the marker")["tex"] == r"(1.5,\ 0.8)"
    assert record(beats, "gradient-points-uphill", "∇f(1.5, 0.8)")["tex"] == r"\nabla f(1.5,\ 0.8) = (3.00,\ 1.60)"
    norm = record(beats, "gradient-points-uphill", "‖∇f‖")
    assert norm["value"] == pytest.approx(3.4, rel=1e-15)
    assert norm["tex"].endswith(" 3.40") and (r"\approx" in norm["tex"]) == (norm["value"] != 3.4)
    end = record(beats, "minimum-and-learning-rates", "∇f(w_30)")
    expected = [2 * v * 0.8**30 for v in (1.5, 0.8)]  # w_k = (1 - 2η)^k w_0, ∇f = 2w
    assert [float(v) for v in json.loads(end["exact"].replace("'", '"'))] == pytest.approx(expected, rel=1e-12)
    assert r"\approx" in end["tex"] and "0.00" not in end["tex"]  # not "(0.00, 0.00)" for a non-zero vector
    converged = record(beats, "minimum-and-learning-rates", "f(w_30) at η = 0.3")
    assert float(converged["exact"]) == pytest.approx(2.89 * 0.16**30, rel=1e-12)
    assert converged["tex"] == r"f(w_{30}) \approx 3.8 \times 10^{-24}"  # not "= 0"
    assert record(beats, "minimum-and-learning-rates", "verdict of panel 3")["tex"] == r"\text{diverges: }\eta > 1"


def test_values_of_the_partial_derivative_clip() -> None:
    beats = values_of("partial-derivative")["partial-derivative"]
    slopes = beats["slopes-of-the-slices"]
    assert record(beats, "slopes-of-the-slices", "f(x, 2)")["exact"] == "x^{2} + 6 x + 8"  # x² + 3·2x + 2³
    assert record(beats, "slopes-of-the-slices", "f(1, y)")["exact"] == "y^{3} + 3 y + 1"
    assert record(beats, "slopes-of-the-slices", "∂f/∂x(1, 2)")["value"] == 2 * 1 + 3 * 2
    assert record(beats, "slopes-of-the-slices", "∂f/∂y(1, 2)")["value"] == 3 * 1 + 3 * 2**2
    assert record(beats, "slopes-of-the-slices", "∇f(1, 2)")["tex"] == r"\nabla f(1, 2) = (8,\ 15)"
    assert len(slopes) == 6


def test_values_of_the_chain_rule_clip() -> None:
    beats = values_of("chain-rule")["chain-rule"]
    ratio = record(beats, "three-gears", "dθ_C/dθ_A")
    assert ratio["value"] == (-30 / 15) * (-40 / 8)
    assert ratio["tex"].endswith("= (-2)(-5) = 10")
    assert record(beats, "three-gears", "θ_C at the end of the turn")["exact"] == "360.0"
    y = record(beats, "computation-graph", "y")
    assert y["value"] == math.sin(1.0) and y["tex"].endswith(r"\approx 0.84")  # "≈", never "= 0.84"
    rate = record(beats, "computation-graph", "dy/du")
    assert rate["value"] == math.cos(1.0) and rate["tex"].endswith(r"\approx 0.54")
    forward = record(beats, "multiply-along-the-chain", "dy/dx")
    backward = record(beats, "backpropagation", "dy/dx backward")
    for item in (forward, backward):
        assert item["value"] == pytest.approx(2 * math.cos(1.0), rel=1e-15)
        assert item["exact"] == r"2 \cos{\left(1 \right)}"
        assert item["tex"].endswith(r"\approx 1.08")  # the same relation forward and backward
        assert r"\partial" not in item["tex"]  # one notation: dy/du


def test_values_of_the_descent_in_one_dimension_clip() -> None:
    beats = values_of("descent-1d")["descent-1d"]
    assert record(beats, "curve-and-start", "f'(0)")["tex"] == r"\text{slope } f'(0) = 2 \cdot 0 - 6 = -6"
    assert record(beats, "one-step", "the first move")["tex"].endswith(r"(-6) = 0.6")  # -η f'(x0) = 3/5 exactly
    for k, value in ((1, 0.6), (2, 1.08), (3, 1.464)):  # x_k = 3 - 3·0.8^k, exactly
        item = record(beats, "one-step" if k == 1 else "steps-shrink", f"x_{k}")
        assert item["value"] == pytest.approx(3 - 3 * 0.8**k, rel=1e-15)
        assert item["tex"] == f"x_{k} = {value}"
    end = record(beats, "flat-point", "x_50")
    assert end["value"] == pytest.approx(3 - 3 * 0.8**50, rel=1e-15)
    assert end["tex"] == r"x_{50} \approx 2.99996"  # rounded, so "≈"
    assert record(beats, "flat-point", "f'(x_50)")["tex"] == r"f'(x_{50}) \approx -8.6 \times 10^{-5}"
    assert record(beats, "flat-point", "where the walk ended")["tex"].endswith("a minimum")


def test_values_of_the_article_clips() -> None:
    saddle = values_of("bowl-or-saddle")["bowl-or-saddle"]
    assert record(saddle, "field", "∇g(1, 2)")["tex"] == r"\nabla g(1,\ 2) = (8,\ 7)"
    assert record(saddle, "field", "−∇g(1, -1)")["tex"] == r"-\nabla g(1,\ -1) = (1,\ -1)"
    assert record(saddle, "hessian", "H: eigenvalue 1")["tex"] == r"\lambda_{1} = -1 \text{ along } (1,\ -1)"
    assert record(saddle, "jacobian", "det J_F")["tex"] == r"\det J_F = 16"
    assert record(saddle, "hessian-is-a-jacobian", "H_h(1, 2)")["exact"].endswith(r"6 & 4\\4 & 14\end{matrix}\right]")
    fit = values_of("regression")["regression"]
    assert record(fit, "path-on-the-loss", "steps to reach (w*, b*)")["tex"].endswith(r"\text{ of it from step } 68")
    assert record(fit, "loss-falling", "L_200")["tex"] == r"L_{200} \approx 0.0091"
    net = values_of("small-net")["small-net"]
    assert record(net, "untrained", "weights and biases")["value"] == 1153
    assert record(net, "loss-curve", "L_2000 at η = 0.01")["tex"] == r"\eta = 0.01:\ L_{2000} \approx 0.0593"
    assert record(net, "loss-curve", "L_5000")["tex"] == r"\eta = 0.05:\ L_{5000} \approx 3.2 \times 10^{-5}"
