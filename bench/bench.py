"""Measure regeneration on this machine, all in one run, and print a table of times and ratios.

    .venv/bin/python bench/bench.py --quality low

Works on a copy of the project in a temporary folder, so editing a scene for (d) touches nothing
here. Rows:
  (a) the naive way: `manim -q<flag> <scene file> <Scene>` once per clip, in sequence, cold
  (b) `primer render` of the whole series from cold (fresh output and caches)
  (c) `primer render` again with nothing changed
  (d) `primer render` after editing one clip's scene file (only that clip renders),
      against (d0) that clip rendered alone with --force in the same warm folder
  (e) the math of the derivative clip: one JAX call per frame against mathcore's one jitted call
CPU seconds count the command and everything it waited for (workers, LaTeX). Row (a') is (a)'s CPU
time shared over all cores: no schedule of the naive work on this machine could finish sooner.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("cli.py", "manim.cfg", "series.toml", "scenes", "mathcore", "pipeline")
EDITED = "gradient"  # the clip whose scene file (d) edits


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and everything it waited for (workers, TeX)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def copy_project(into: Path) -> Path:
    root = into / "primer"
    root.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    return root


def math_rows(quality_name: str) -> tuple[float, float, float]:
    """(e): seconds for one jax.grad call per frame, mathcore's first call, and a second call."""
    import jax
    import numpy as np

    import mathcore  # noqa: F401 - float64 on
    from mathcore.derivative import derivative_clip
    from mathcore.symbolic import Formula
    from pipeline.quality import quality

    fps = quality(quality_name).fps
    legs = [np.linspace(a, b, round(s * fps) + 1) for a, b, s in ((-2, -1, 2.5), (-1, 0, 2.5), (0, 3, 3.5), (3, -3, 6))]
    xs = np.concatenate(legs)
    grad = jax.grad(Formula.parse("x**2", ["x"]).jax)
    started = time.perf_counter()
    for x in xs:
        float(grad(jax.numpy.float64(x)))
    per_frame = time.perf_counter() - started
    started = time.perf_counter()
    derivative_clip("x**2", (-2.0, -1.0, 0.0, 3.0), legs)
    first = time.perf_counter() - started
    started = time.perf_counter()
    derivative_clip("x**2", (-2.0, -1.0, 0.0, 3.0), legs)
    return per_frame, first, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", default="low", choices=["low", "medium", "high", "production", "4k"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.quality import quality
    from scenes.catalog import default_series

    series = default_series()

    preset = quality(args.quality)
    python = sys.executable
    manim = str(Path(python).parent / "manim")
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch))
        primer = [python, "-m", "cli", "render", "-q", preset.flag, "--quiet", "--out", str(Path(scratch) / "out")]

        naive, naive_cpu = 0.0, 0.0
        for clip in series.clips:
            scene_file = root / (clip.module.replace(".", "/") + ".py")
            media = Path(scratch) / f"naive-{clip.id}"
            wall, cpu = timed(
                [manim, f"-q{preset.flag}", "--media_dir", str(media), str(scene_file), clip.class_name], root
            )
            naive, naive_cpu = naive + wall, naive_cpu + cpu
        cold, cold_cpu = timed([*primer, "--jobs", str(args.jobs)], root)
        again, again_cpu = timed([*primer, "--jobs", str(args.jobs)], root)
        scene = root / (series.clip(EDITED).module.replace(".", "/") + ".py")
        scene.write_text(scene.read_text() + "\n# an edit\n")
        edited, edited_cpu = timed([*primer, "--jobs", str(args.jobs)], root)
        alone, alone_cpu = timed([*primer, EDITED, "--force", "--jobs", "1"], root)
    per_frame, first, second = math_rows(args.quality)

    cores = os.cpu_count() or 1
    floor = naive_cpu / cores  # no schedule of (a)'s work on these cores finishes sooner
    rows = [
        ("(a) manim CLI, one clip after another", naive, f"{naive_cpu:.1f}", "1.00"),
        (f"(b) primer render, cold, --jobs {args.jobs}", cold, f"{cold_cpu:.1f}", f"{cold / naive:.2f} of (a)"),
        (f"(a') CPU seconds of (a) over {cores} cores", floor, "", f"{floor / naive:.2f} of (a)"),
        ("(c) primer render, nothing changed", again, f"{again_cpu:.1f}", f"{again / cold:.3f} of (b)"),
        (f"(d) primer render after editing {EDITED}", edited, f"{edited_cpu:.1f}", f"{edited / alone:.2f} of (d0)"),
        (f"(d0) {EDITED} alone, --force", alone, f"{alone_cpu:.1f}", ""),
        ("(e) one jax.grad call per frame", per_frame, "", f"{per_frame / second:.0f}x mathcore"),
        ("(e) mathcore, one jitted call (first)", first, "", ""),
        ("(e) mathcore, one jitted call (again)", second, "", ""),
    ]
    print(
        f"primer benchmark, {preset.name} quality ({preset.folder}), {date.today()}, "
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| step | seconds | CPU seconds | ratio |\n| --- | ---: | ---: | ---: |")
    for name, seconds, cpu_seconds, ratio in rows:
        print(f"| {name} | {seconds:.3f} | {cpu_seconds} | {ratio} |")


if __name__ == "__main__":
    main()
