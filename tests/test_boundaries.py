"""Dependencies point one way, and commands import only what they need."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SERIES_FOLDER

ROOT = Path(__file__).resolve().parent.parent


def imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def modules_of(package: str) -> list[str]:
    """Every module of ``package`` and its subpackages, found on disk: a module added later is checked too."""
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / package).rglob("*.py")
        if p.stem != "__init__"
    )


def test_mathcore_imports_neither_manim_nor_click() -> None:
    modules = imported_after("\n".join(f"import {name}" for name in modules_of("mathcore")))
    assert "jax" in modules
    assert not {"manim", "click", "scenes", "pipeline", "cli"} & modules


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
    modules = imported_after("\n".join(f"import {name}" for name in modules_of("scenes")))
    assert "manim" in modules and not {"pipeline", "cli"} & modules  # manim itself imports click


def test_the_lessons_layer_imports_no_manim_and_reads_a_series_without_jax() -> None:
    modules = imported_after("\n".join(f"import {name}" for name in modules_of("lessons")))
    assert not {"manim", "scenes", "pipeline", "cli"} & modules
    assert not {"manim", "jax", "sympy"} & imported_after("from lessons.series import load_series; load_series()")


@SERIES_FOLDER
def test_status_and_a_render_with_nothing_to_do_import_neither_manim_nor_jax(series_low) -> None:  # type: ignore[no-untyped-def]
    out = str(series_low[0])
    for command in (["status", "-q", "l", "--out", out], ["render", "-q", "l", "--out", out]):
        invoke = f"result = CliRunner().invoke(cli, {command!r})\nassert result.exit_code == 0, result.output"
        code = f"from click.testing import CliRunner\nfrom cli import cli\n{invoke}"
        assert not {"manim", "jax", "dask", "distributed"} & imported_after(code), command


@pytest.mark.render
def test_a_render_without_a_scheduler_never_imports_dask(tmp_path: Path) -> None:
    command = ["render", "descent-1d", "--beat", "1", "-q", "l", "--out", str(tmp_path)]
    code = f"from click.testing import CliRunner\nfrom cli import cli\nr = CliRunner().invoke(cli, {command!r})\n"
    modules = imported_after(code + "assert r.exit_code == 0, r.output")
    assert "manim" in modules and not {"dask", "distributed"} & modules


def test_cli_py_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "cli.py", "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.startswith("01  derivative")


#: The layers, lowest first: a module may import its own layer and those below it, never above.
LAYERS = ("mathcore", "lessons", "scenes", "pipeline", "cli")


def project_imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports anywhere in it (inside functions too)."""
    files = {name: ROOT / (name.replace(".", "/") + ".py") for p in LAYERS[:-1] for name in modules_of(p)}
    files["cli"] = ROOT / "cli.py"
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def test_layers_depend_one_way() -> None:
    rank = {layer: n for n, layer in enumerate(LAYERS)}
    upward = [
        f"{module} imports {target}"
        for module, targets in project_imports().items()
        for target in targets
        if rank[target.split(".")[0]] > rank[module.split(".")[0]]
    ]
    assert upward == []


#: Inside ``pipeline/``, the folders are layers too: what every layer uses (the request, formats, progress,
#: values, files, fonts, errors, words) at 0, then sound, rendering, the text made for people, and the
#: commands and outputs built on them all.
PIPELINE_LAYERS = {"sound": 1, "rendering": 2, "text": 3, "outputs": 4, "commands": 4}


def test_pipeline_folders_depend_one_way() -> None:
    def rank(module: str) -> int:
        return PIPELINE_LAYERS.get(module.split(".")[1], 0)

    graph = project_imports()
    upward = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("pipeline.")
        for target in targets
        if target.startswith("pipeline.") and rank(target) > rank(module)
    ]
    assert upward == []
    folders = {p.name for p in (ROOT / "pipeline").iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders <= set(PIPELINE_LAYERS), "a new pipeline folder needs its place in PIPELINE_LAYERS"
    assert len(modules_of("pipeline")) > 30 and any(rank(m) == 2 for m in graph)


def test_no_import_cycles_even_inside_functions() -> None:
    graph = project_imports()
    cycles = []
    for start in graph:  # a depth-first walk from each module back to itself
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            module, path = stack.pop()
            for target in graph[module]:
                if target == start:
                    cycles.append(" -> ".join([*path, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    assert cycles == []
