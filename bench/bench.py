"""Measure regeneration on this machine, all in one run, and print a table of times and ratios.

    .venv/bin/python bench/bench.py --quality low

Works on a copy of the project in a temporary folder, so editing a scene for (d) touches nothing
here. Rows:
  (a) the naive way: `manim -q<flag> <scene file> <Scene>` once per clip, in sequence, cold
  (b) `primer render` of the whole series from cold (fresh output and caches)
  (c) `primer render` again with nothing changed
  (d) `primer render` after editing one clip's scene file (only that clip renders),
      against (d0) that clip rendered alone with --force in the same warm folder
  (d1) one beat's caption edited in the series file, `primer render EDITED --jobs 1` (only the
      edited beat is drawn, the others are reused), against (d0)
  (d2) the same for one beat's narration, against (d0)
  (e) the math of the derivative clip: one JAX call per frame against mathcore's one jitted call
  (f) the edited clip alone as beat tasks over --jobs workers, against (d0) the same clip whole
  (g) `primer watch EDITED --beat 2`: from saving its scene file to the new preview, with the warm
      worker, against the same preview through a fresh `primer render --beat 2` process
  (h) the series cold through a real Dask scheduler and two one-thread workers on 127.0.0.1,
      against (b) --jobs locally
  (j) CPU seconds per second of video: the series rendered with --force (TeX already cached) by this
      code and by the code of BASELINE (the commit before frames got cheaper), turn about, in copies
      of the project with the same environment; at --quality (and alone with --frames-only)
  peak resident memory of one render process drawing a beat at 1080p60 and at 2160p60, and a
  schedule simulated from the measured beat times: the series and a course of forty clips at
  2160p60 on 1, 4, 16 and 64 workers.
CPU seconds count the command and everything it waited for (workers, LaTeX). Row (a') is (a)'s CPU
time shared over all cores: no schedule of the naive work on this machine could finish sooner.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("cli.py", "manim.cfg", "series.toml", "lessons", "scenes", "mathcore", "pipeline")
EDITED = "gradient"  # the clip whose scene file (d) edits
WATCHED_BEAT = 2  # the beat (g) previews
WORKER_COUNTS = (1, 4, 16, 64)  # the simulated schedules
COURSE = 40  # clips in the simulated course (the series' clips over and over)
BASELINE = "55a74bd"  # the commit (j) measures against: the code before frames got cheaper


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and everything it waited for (workers, TeX)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        lines = done.stderr.strip().splitlines() or ["(no message)"]
        raise BenchError(f"{' '.join([Path(command[0]).name, *command[1:4]])} exited {done.returncode}: {lines[-1]}")
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


def copy_commit(into: Path, revision: str) -> Path:
    """The project's files as they were at ``revision`` (from git), in ``into``/primer-REVISION."""
    root = into / f"primer-{revision}"
    root.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, *PROJECT], capture_output=True)
    if archive.returncode:
        raise BenchError(f"git archive {revision} failed: {archive.stderr.decode().strip()[:200]}")
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    return root


def video_seconds(out: Path, folder: str) -> float:
    """Seconds of video the manifest in ``out``/``folder`` records, over every clip."""
    clips = json.loads((out / folder / "manifest.json").read_text())["clips"]
    return float(sum(entry["duration"] for entry in clips.values()))


def frame_costs(scratch: Path, flag: str, folder: str, jobs: str, rounds: int) -> None:
    """Row (j): CPU per second of video, this code against BASELINE's, the series forced, turn about."""
    scratch = scratch / "frames"
    scratch.mkdir()
    roots = {"now": copy_project(scratch)}
    try:
        roots["then"] = copy_commit(scratch, BASELINE)
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        print(f"| (j) CPU per second of video | failed: {' '.join(str(error).split())[:200]} | | |", flush=True)
        return
    per_second: dict[str, list[float]] = {"now": [], "then": []}
    for turn in range(rounds + 1):  # the first turn fills each copy's TeX cache and is not counted
        for name, root in roots.items():
            out = scratch / f"frames-{name}"
            command = [sys.executable, "-m", "cli", "render", "-q", flag, "--quiet", "--force", "--jobs", jobs]
            try:
                wall, cpu = timed([*command, "--out", str(out)], root)
            except BenchError as error:
                print(f"| (j) {name} | failed: {error} | | |", flush=True)
                return
            if turn:
                seconds = video_seconds(out, folder)
                per_second[name].append(cpu / seconds)
                label = "this code" if name == "now" else BASELINE
                print(
                    f"| (j) series forced, {label}, per second of video | {wall / seconds:.3f} | "
                    f"{cpu / seconds:.2f} | |",
                    flush=True,
                )
    now, then = statistics.median(per_second["now"]), statistics.median(per_second["then"])
    print(f"| (j) CPU per second of video, this code against {BASELINE} | | {now:.2f} | {now / then:.2f} |", flush=True)


def peak_kib(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and the peak resident memory (KiB) of one command run in a process of its own."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, check=True, capture_output=True, text=True)
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def dask_cluster(root: Path, scratch: Path, workers: int = 2) -> Iterator[str]:
    """A Dask scheduler and one-thread workers on 127.0.0.1 running ``root``'s code, with cold caches."""
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PYTHONPATH": str(root), "TMPDIR": str(scratch)}
    port = address.rsplit(":", 1)[1]
    scheduler = [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"]
    worker = [dask, "worker", address, "--nthreads", "1", "--no-dashboard", "--memory-limit", "0"]
    processes = [_quietly(scheduler, root, dict(os.environ))]
    processes += [_quietly(worker, root, env) for _ in range(workers)]
    try:
        from distributed import Client

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with Client(address, timeout=2, set_as_default=False) as client:
                    if len(client.scheduler_info(n_workers=-1)["workers"]) == workers:
                        break
            except OSError:
                pass
            time.sleep(0.5)
        yield address
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _quietly(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start ``command`` in a process group of its own, its output dropped."""
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def watch_latency(command: list[str], root: Path, scene: Path, out: Path) -> float:
    """Seconds from saving ``scene`` to ``watch --beat`` printing its new preview (its worker warm by then)."""
    watch = subprocess.Popen(
        [*command, "watch", EDITED, "--beat", str(WATCHED_BEAT), "--out", str(out)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert watch.stdout is not None
    try:
        for line in watch.stdout:
            if line.startswith("previewed"):
                break
        time.sleep(15)  # the spare worker imports manim and jax meanwhile
        saved = time.perf_counter()
        scene.write_text(scene.read_text() + "\n# a second edit\n")
        for line in watch.stdout:
            if line.startswith("previewed"):
                return time.perf_counter() - saved
        raise RuntimeError("watch stopped before previewing")
    finally:
        os.killpg(watch.pid, signal.SIGTERM)  # as a kill; Ctrl-C may be ignored by a background job
        try:
            watch.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(watch.pid, signal.SIGKILL)  # it must not outlive the benchmark, whatever it says
            watch.wait()
            raise BenchError("watch ignored SIGTERM for 60 s (killed)") from None


def beat_costs(manifest: Path) -> list[list[float]]:
    """Each clip's render seconds, spread over its beats by their frames (one list per clip)."""
    entries = json.loads(manifest.read_text())["clips"].values()
    costs = []
    for entry in entries:
        frames = [beat["frames"] for beat in entry["beats"]]
        costs.append([entry["render_seconds"] * f / sum(frames) for f in frames])
    return costs


def makespan(clips: list[list[float]], workers: int, start: float, join: float) -> tuple[float, float]:
    """Simulated seconds for ``clips`` (beat costs) on ``workers``, and the longest single task.

    Tasks are planned as primer plans them (whole clips, or ranges of beats when workers
    outnumber clips), each paying ``start`` (a worker's imports and the clip's setup); the client
    joins each clip in ``join`` seconds, one clip at a time, as its last task comes back.
    """
    sys.path.insert(0, str(ROOT))
    from pipeline.rendering.tasks import pieces_per_clip, split_beats

    per_clip = pieces_per_clip(len(clips), workers)
    tasks = []
    for number, costs in enumerate(clips):
        for first, last in split_beats(costs, per_clip):
            tasks.append((start + sum(costs[first - 1 : last]), number))
    tasks.sort(reverse=True)  # longest first
    free = [0.0] * workers
    done: dict[int, float] = {}
    for seconds, number in tasks:
        finish = heapq.heappop(free) + seconds
        heapq.heappush(free, finish)
        done[number] = max(done.get(number, 0.0), finish)
    client = 0.0
    for finish in sorted(done.values()):
        client = max(client, finish) + join
    return client, max(seconds for seconds, _ in tasks)


def math_rows(quality_name: str) -> tuple[float, float, float]:
    """(e): seconds for one jax.grad call per frame, mathcore's first call, and a second call."""
    import jax
    import numpy as np

    import mathcore  # noqa: F401 - float64 on
    from lessons.quality import quality
    from mathcore.symbolic import Formula
    from mathcore.tangent import derivative_clip

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


def voice_rows() -> tuple[float, float, float, float]:
    """(i): the draft voice over every narrated beat of the series: seconds of audio, CPU seconds of
    espeak-ng (its processes, with this one's share), then CPU seconds with loudness normalisation."""
    sys.path.insert(0, str(ROOT))
    from lessons.series import default_series
    from pipeline.sound.voice import RATE, draft, normalise

    texts = [beat.narration for clip in default_series().clips for beat in clip.beats if beat.narration]
    normalise(draft("Warm up."), "warm-up")  # imports SciPy, pyloudnorm and PyAV once, outside the count

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    started = cpu()
    spoken = [draft(text) for text in texts]
    drafted = cpu() - started
    started = cpu()
    for samples in spoken:
        normalise(samples, "bench")
    evened = cpu() - started
    audio = sum(samples.size for samples in spoken) / RATE
    return audio, drafted, drafted + evened, len(texts)


def join_seconds(folder: Path, stem: str) -> float:
    """Seconds for the client's share of landing one clip: probe its beat clips, join them, probe the join."""
    sys.path.insert(0, str(ROOT))
    from pipeline.rendering.probe import inspect
    from pipeline.rendering.remux import join

    beats = sorted((folder / stem).glob("*.mp4"))
    started = time.perf_counter()
    for beat in beats:
        inspect(beat)
    with tempfile.TemporaryDirectory() as scratch:
        inspect(join(beats, Path(scratch) / "joined.mp4"))
    return time.perf_counter() - started


class BenchError(Exception):
    """A row that could not be measured; its message says why, in one line."""


class Table:
    """The table, printed a row at a time as each is measured; a row that fails says why and the rest go on."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        print("| step | seconds | CPU seconds | ratio |\n| --- | ---: | ---: | ---: |", flush=True)

    def row(
        self,
        key: str,
        name: str,
        measure: Callable[[], tuple[float, float | None]],
        against: str = "",
        fmt: str = ".2f",
    ) -> float | None:
        """Measure one row and print it: its wall and CPU seconds, and its ratio to row ``against`` if measured."""
        try:
            wall, cpu = measure()
        except (BenchError, OSError, subprocess.SubprocessError, RuntimeError) as error:
            reason = " ".join(str(error).split())[:300]
            print(f"| ({key}) {name} | failed: {reason} | | |", flush=True)
            return None
        self.seconds[key] = wall
        ratio = f"{wall / self.seconds[against]:{fmt}} of ({against})" if against in self.seconds else ""
        print(f"| ({key}) {name} | {wall:.3f} | {'' if cpu is None else f'{cpu:.1f}'} | {ratio} |", flush=True)
        return wall

    def note(self, key: str, name: str, seconds: float, ratio: str) -> None:
        """A derived row: no command of its own."""
        self.seconds[key] = seconds
        print(f"| ({key}) {name} | {seconds:.3f} | | {ratio} |", flush=True)


#: The beats (d1) and (d2) edit, and what they write there.
CAPTION_EDIT = (2, "caption", "The gradient points uphill, at right angles to the contour line.")
NARRATION_EDIT = (3, "narration", "Descent takes a step against the gradient, then another, and another.")


def edit_beat(series: Path, clip_id: str, number: int, field: str, text: str) -> None:
    """Write ``text`` as beat ``number``'s ``field`` of clip ``clip_id`` in the series file (its line replaced)."""
    from lessons.series import load_series

    before = getattr(load_series(series).clip(clip_id).beats[number - 1], field)
    source = series.read_text(encoding="utf-8")
    line = f"{field} = {json.dumps(before, ensure_ascii=False)}"
    if source.count(line) != 1:
        raise BenchError(f"cannot find beat {number}'s {field} of {clip_id} in {series.name} to edit")
    series.write_text(source.replace(line, f"{field} = {json.dumps(text, ensure_ascii=False)}"), encoding="utf-8")


def beat_edits(table: Table, root: Path, primer: list[str]) -> None:
    """Rows (d1) and (d2): one beat's caption, then one beat's narration, edited and the clip rendered again."""
    for key, (number, field, text) in (("d1", CAPTION_EDIT), ("d2", NARRATION_EDIT)):

        def edited(number: int = number, field: str = field, text: str = text) -> tuple[float, float]:
            edit_beat(root / "series.toml", EDITED, number, field, text)
            return timed([*primer, EDITED, "--jobs", "1"], root)

        table.row(key, f"{EDITED} after editing beat {number}'s {field}", edited, "d0")


def watch_rows(table: Table, root: Path, command: list[str], out: Path, series: Any) -> float | None:
    """Rows (g) and (g0): a saved scene file to its preview through a warm watch, and through a fresh process."""
    scene = root / (series.clip(EDITED).module.replace(".", "/") + ".py")
    watched = table.row(
        "g",
        f"watch --beat {WATCHED_BEAT}: save to preview, warm worker (480p15)",
        lambda: (watch_latency([*command], root, scene, out), None),
    )
    beat = [*command, "render", EDITED, "--beat", str(WATCHED_BEAT), "-q", "l", "--out", str(out)]
    fresh = table.row(
        "g0", f"the same preview, a fresh `primer render --beat {WATCHED_BEAT}`", lambda: timed(beat, root)
    )
    if watched and fresh:
        print(f"|   (g) against (g0) | | | {watched / fresh:.2f} of (g0) |", flush=True)
    return fresh


def edits_only(flag: str) -> None:
    """Rows (d0), (d1) and (d2) alone, at any quality: the cost of a word edited against the clip's whole render."""
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch))
        primer = [sys.executable, "-m", "cli", "render", "-q", flag, "--quiet", "--out", str(Path(scratch) / "out")]
        table = Table()
        table.row(
            "d0",
            f"{EDITED} alone, whole, --force --jobs 1",
            lambda: timed([*primer, EDITED, "--force", "--jobs", "1"], root),
        )
        beat_edits(table, root, primer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", default="low", choices=["low", "medium", "high", "production", "4k"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--voice-only", action="store_true", help="Only the draft voice's cost, row (i).")
    parser.add_argument("--edits-only", action="store_true", help="Only rows (d0), (d1) and (d2).")
    parser.add_argument("--frames-only", action="store_true", help="Only row (j).")
    parser.add_argument("--watch-only", action="store_true", help="Only rows (g) and (g0).")
    parser.add_argument("--rounds", type=int, default=1, help="Turns of (j) counted (median) [default: 1].")
    args = parser.parse_args()
    if args.voice_only:
        _print_voice()
        return
    sys.path.insert(0, str(ROOT))
    from lessons.quality import quality
    from lessons.series import default_series

    series = default_series()
    if args.edits_only:
        preset = quality(args.quality)
        print(f"primer benchmark, beat edits, {preset.name} quality ({preset.folder}), {date.today()}\n", flush=True)
        edits_only(preset.flag)
        return
    if args.watch_only:
        print(f"primer benchmark, watch, {date.today()}\n", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            root = copy_project(Path(scratch))
            watch_rows(Table(), root, [sys.executable, "-m", "cli"], Path(scratch) / "watch", series)
        return
    if args.frames_only:
        preset = quality(args.quality)
        print(f"primer benchmark, frame cost, {preset.name} quality ({preset.folder}), {date.today()}\n", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            print("| step | seconds per second of video | CPU seconds per second of video | ratio |")
            print("| --- | ---: | ---: | ---: |", flush=True)
            frame_costs(Path(scratch), preset.flag, preset.folder, str(args.jobs), args.rounds)
        return

    preset = quality(args.quality)
    python = sys.executable
    manim = str(Path(python).parent / "manim")
    cores = os.cpu_count() or 1
    jobs = str(args.jobs)
    print(
        f"primer benchmark, {preset.name} quality ({preset.folder}), {date.today()}, "
        f"{platform.machine()} {cores} cores, Python {platform.python_version()}\n",
        flush=True,
    )
    table = Table()
    extra: dict[str, float] = {}  # what a row measures besides its own time
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch))
        out = Path(scratch) / "out"
        command = [python, "-m", "cli"]
        primer = [*command, "render", "-q", preset.flag, "--quiet", "--out", str(out)]

        def naive() -> tuple[float, float]:
            wall, cpu = 0.0, 0.0
            for clip in series.clips:
                scene_file = root / (clip.module.replace(".", "/") + ".py")
                media = Path(scratch) / f"naive-{clip.id}"
                w, c = timed(
                    [manim, f"-q{preset.flag}", "--media_dir", str(media), str(scene_file), clip.class_name], root
                )
                wall, cpu = wall + w, cpu + c
            extra["naive_cpu"] = cpu
            return wall, cpu

        if table.row("a", "manim CLI, one clip after another", naive):
            floor = extra["naive_cpu"] / cores  # no schedule of (a)'s work finishes sooner
            table.note(
                "a'", f"CPU seconds of (a) over {cores} cores", floor, f"{floor / table.seconds['a']:.2f} of (a)"
            )
        table.row("b", f"primer render, cold, --jobs {jobs}", lambda: timed([*primer, "--jobs", jobs], root), "a")
        table.row("c", "primer render, nothing changed", lambda: timed([*primer, "--jobs", jobs], root), "b", ".3f")

        def on_cluster() -> tuple[float, float]:
            with dask_cluster(root, Path(scratch) / "workers") as address:
                remote = [*command, "render", "-q", preset.flag, "--quiet", "--out", str(Path(scratch) / "cluster")]
                return timed([*remote, "--scheduler", address], root)

        table.row("h", "series cold on a Dask scheduler + 2 workers, 127.0.0.1", on_cluster, "b")
        scene = root / (series.clip(EDITED).module.replace(".", "/") + ".py")
        scene.write_text(scene.read_text() + "\n# an edit\n")
        table.row("d", f"primer render after editing {EDITED}", lambda: timed([*primer, "--jobs", jobs], root))
        alone = table.row(
            "d0",
            f"{EDITED} alone, whole, --force --jobs 1",
            lambda: timed([*primer, EDITED, "--force", "--jobs", "1"], root),
        )
        if alone and "d" in table.seconds:
            print(f"|   (d) against (d0) | | | {table.seconds['d'] / alone:.2f} of (d0) |", flush=True)
        beat_edits(table, root, primer)
        folder = out / preset.folder
        whole_seconds = _recorded(out, preset.folder, EDITED) if alone else None
        split = table.row(
            "f",
            f"{EDITED} alone as beat tasks, --jobs {jobs}",
            lambda: timed([*primer, EDITED, "--force", "--jobs", jobs], root),
            "d0",
        )
        split_seconds = _recorded(out, preset.folder, EDITED) if split else None

        fresh = watch_rows(table, root, command, Path(scratch) / "watch", series)

        def maths() -> tuple[float, float | None]:
            per_frame, first, second = math_rows(args.quality)
            extra["first"], extra["second"] = first, second
            return per_frame, None

        if table.row("e", "one jax.grad call per frame", maths):
            first, second = extra["first"], extra["second"]
            table.note("e1", "mathcore, one jitted call (first)", first, "")
            table.note(
                "e2", "mathcore, one jitted call (again)", second, f"(e) is {table.seconds['e'] / second:.0f}x this"
            )

        try:
            imports: float | None = timed([python, "-c", "import manim, jax.numpy, sympy"], root)[0]
        except BenchError as error:
            print(f"(importing manim, jax and sympy failed: {error})", flush=True)
            imports = None
        preview = [*command, "render", EDITED, "--beat", str(WATCHED_BEAT), "--out", str(Path(scratch) / "big")]
        print(f"\nPeak resident memory of one render process drawing {EDITED} beat {WATCHED_BEAT} alone:\n")
        print("| quality | seconds | peak MiB |\n| --- | ---: | ---: |", flush=True)
        memory: dict[str, tuple[float, int]] = {}
        for name in ("high", "4k"):
            try:
                memory[name] = peak_kib([*preview, "-q", name], root)
            except (OSError, subprocess.SubprocessError) as error:
                print(f"| {quality(name).folder} | failed: {' '.join(str(error).split())[:200]} | |", flush=True)
                continue
            print(f"| {quality(name).folder} | {memory[name][0]:.1f} | {memory[name][1] / 1024:.0f} |", flush=True)
        if len(memory) == 2 and fresh and imports and whole_seconds is not None and split_seconds is not None:
            costs = beat_costs(folder / "manifest.json")
            join_here = join_seconds(folder, series.clip(EDITED).stem)
            _scaling(costs, memory, imports, fresh, whole_seconds, split_seconds, join_here, preset.name)
        else:
            print("\nThe scaling table needs the rows above it; one failed.")
        print("\nCPU per second of video, the series forced:\n")
        print("| step | seconds per second of video | CPU seconds per second of video | ratio |")
        print("| --- | ---: | ---: | ---: |", flush=True)
        frame_costs(Path(scratch), preset.flag, preset.folder, jobs, args.rounds)
    _print_voice()


def _print_voice() -> None:
    audio, drafted, evened, beats = voice_rows()
    print(f"\nThe draft voice (espeak-ng) over the series' {beats} narrated beats, {audio:.1f} s of speech:\n")
    print("| step | CPU seconds | seconds of audio per CPU second |\n| --- | ---: | ---: |")
    print(f"| (i) espeak-ng speaks every beat | {drafted:.2f} | {audio / drafted:.0f} |")
    print(f"| (i') and normalises it to -16 LUFS, peaks under -1 dBTP | {evened:.2f} | {audio / evened:.0f} |")


def _recorded(out: Path, folder: str, clip_id: str) -> float:
    """The render seconds the manifest records for a clip (its tasks' seconds, summed)."""
    return float(json.loads((out / folder / "manifest.json").read_text())["clips"][clip_id]["render_seconds"])


def _scaling(
    costs: list[list[float]],
    memory: dict[str, tuple[float, int]],
    imports: float,
    fresh: float,
    whole: float,
    split: float,
    join: float,
    measured_at: str,
) -> None:
    """The simulated schedule at 2160p60, from beat times measured at 1080p60 (only a high-quality run has them)."""
    if measured_at != "high":
        print("\nThe scaling table needs beat times at 1080p60: run with --quality high.")
        return
    # One beat drawn at 2160p60 against 1080p60, less what a fresh preview costs besides drawing (at
    # most (g0), a whole preview at 480p15): an overestimate of the drawing's share, so a safe projection.
    scale = (memory["4k"][0] - fresh) / (memory["high"][0] - fresh)
    start = imports + max(0.0, split - whole)  # a task's imports, and what a second task of a clip repeats
    beats = [[cost * scale for cost in clip] for clip in costs]
    course = [beats[n % len(beats)] for n in range(COURSE)]
    print(
        f"\nSimulated at 2160p60: beat times measured at 1080p60 times {scale:.2f} (one beat at both), "
        f"{start:.1f} s to start a task, {join * scale:.1f} s for the client to land a clip.\n"
    )
    print("| workers | series (8 clips) | longest task | course (40 clips) | longest task |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for workers in WORKER_COUNTS:
        series_time, series_task = makespan(beats, workers, start, join * scale)
        course_time, course_task = makespan(course, workers, start, join * scale)
        print(
            f"| {workers} | {series_time / 60:.1f} min | {series_task:.0f} s | "
            f"{course_time / 60:.1f} min | {course_task:.0f} s |"
        )


if __name__ == "__main__":
    main()
