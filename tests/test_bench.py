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
