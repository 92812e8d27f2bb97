"""Dependencies point one way, and commands import only what they need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_mathcore_imports_neither_manim_nor_click() -> None:
    modules = imported_after(
        "import mathcore.derivative, mathcore.partial, mathcore.chain, mathcore.gradient, mathcore.article"
    )
    assert "jax" in modules
    assert not {"manim", "click", "scenes", "pipeline"} & modules


@pytest.mark.parametrize("command", [["list"], ["--help"], ["render", "--help"], ["render", "nope"]])
def test_light_commands_import_neither_manim_nor_jax(command: list[str]) -> None:
    code = f"from click.testing import CliRunner\nfrom cli import cli\nCliRunner().invoke(cli, {command!r})"
    modules = imported_after(code)
    assert not {"manim", "jax"} & modules


def test_values_needs_jax_but_not_manim() -> None:
    modules = imported_after(
        "from click.testing import CliRunner\nfrom cli import cli\nCliRunner().invoke(cli, ['values'])"
    )
    assert "jax" in modules
    assert "manim" not in modules


def test_scenes_never_import_the_pipeline_or_the_cli() -> None:
    modules = imported_after("import scenes.derivative")
    assert not {"pipeline", "cli"} & modules  # manim itself imports click


def test_status_and_a_render_with_nothing_to_do_import_neither_manim_nor_jax(series_low) -> None:  # type: ignore[no-untyped-def]
    out = str(series_low[0])
    for command in (["status", "-q", "l", "--out", out], ["render", "-q", "l", "--out", out]):
        code = f"from click.testing import CliRunner\nfrom cli import cli\nCliRunner().invoke(cli, {command!r})"
        assert not {"manim", "jax", "dask", "distributed"} & imported_after(code), command


def test_a_render_without_a_scheduler_never_imports_dask(tmp_path: Path) -> None:
    command = ["render", "descent-1d", "--beat", "1", "-q", "l", "--out", str(tmp_path)]
    code = f"from click.testing import CliRunner\nfrom cli import cli\nr = CliRunner().invoke(cli, {command!r})\n"
    modules = imported_after(code + "assert r.exit_code == 0, r.output")
    assert "manim" in modules and not {"dask", "distributed"} & modules


def test_cli_py_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "cli.py", "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.startswith("01  derivative")
