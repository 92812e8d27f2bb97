"""Render a series incrementally: skip what is up to date, render the rest in parallel workers.

Each clip's key (``pipeline.keys``) and its recorded outputs (``pipeline.manifest``) decide
whether it renders. Workers are separate processes, started with ``spawn`` (JAX does not
survive ``fork``), each rendering into its own work and cache folders. The manifest is rewritten
after every clip that lands, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import queue
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import manifest
from pipeline.errors import PrimerError
from pipeline.fonts import require_fonts
from pipeline.formats import Output
from pipeline.keys import ROOT, ClipKey, clip_keys, sha256_file
from pipeline.lock import output_lock
from pipeline.progress import QuietReporter, Reporter
from pipeline.quality import Quality, quality
from scenes.catalog import Clip
from scenes.palette import THEME_VARIABLE

UP_TO_DATE, STALE, MISSING = "up to date", "stale", "missing"


@dataclass(frozen=True)
class Task:
    """One clip to render: everything a worker needs, picklable."""

    clip: Clip
    quality_name: str
    out: str
    key: str
    inputs: dict[str, str]
    options: dict[str, str]
    format: str
    transparent: bool
    theme: str
    captions: bool
    encoder_threads: int = 0  # 0: the encoder's own choice (all cores)


@dataclass(frozen=True)
class ClipState:
    """Whether a clip needs rendering, and why."""

    clip: Clip
    key: ClipKey
    state: str  # UP_TO_DATE, STALE or MISSING
    reason: str  # what made it stale or missing; empty when up to date


def default_jobs() -> int:
    """One worker per core."""
    return os.cpu_count() or 1


def clip_states(
    clips: Sequence[Clip],
    preset: Quality,
    out: Path,
    output: Output | None = None,
    root: Path = ROOT,
    entries: dict[str, manifest.Entry] | None = None,
) -> list[ClipState]:
    """Compare every clip's key and outputs with the manifest, without importing manim or jax.

    ``root`` is where the sources are read from (the project itself, unless a test says otherwise).
    """
    folder = out / preset.folder
    recorded = manifest.load(folder) if entries is None else entries
    fmt = output or Output()
    keys = clip_keys(clips, preset, fmt.options(), root)
    return [
        _state(clip, key, recorded.get(fmt.entry_id(clip.id)), folder) for clip, key in zip(clips, keys, strict=True)
    ]


def _state(clip: Clip, key: ClipKey, entry: manifest.Entry | None, folder: Path) -> ClipState:
    if entry is None:
        return ClipState(clip, key, MISSING, "never rendered here")
    if entry.get("key") != key.key:
        return ClipState(clip, key, STALE, _what_changed(clip, key, entry))
    damaged = manifest.damaged_file(folder, entry)
    if damaged is not None:
        return ClipState(clip, key, MISSING, f"{damaged} is missing or changed")
    return ClipState(clip, key, UP_TO_DATE, "")


def _what_changed(clip: Clip, key: ClipKey, entry: manifest.Entry) -> str:
    """The inputs, or failing that the options, that differ from the recorded ones."""
    options = entry.get("options")
    if isinstance(options, dict) and options.get("entry") not in (None, key.options["entry"]):
        return f"changed: its entry in {Path(clip.source).name}"
    for now, before in ((key.files, entry.get("inputs")), (key.options, options)):
        recorded: dict[str, Any] = before if isinstance(before, dict) else {}
        edited = sorted(name for name in set(now) & set(recorded) if now[name] != recorded[name])
        changed = edited or sorted(set(now) ^ set(recorded))  # files edited, else files added or dropped
        if changed:
            return "changed: " + ", ".join(changed)
    return "changed: the key"


def render_series(
    clips: Sequence[Clip],
    preset: Quality,
    out: Path,
    jobs: int = 1,
    force: bool = False,
    reporter: Reporter | None = None,
    output: Output | None = None,
    isolated: bool = False,
) -> list[manifest.Entry]:
    """Render the clips that are not up to date (all with ``force``); return the manifest entries of all.

    With ``isolated``, even a single clip renders in a worker process, never in this one: a
    long-lived caller (``watch``) must not keep scene modules imported across edits.
    """
    report = reporter or QuietReporter()
    fmt = output or Output()
    folder = out / preset.folder
    with output_lock(out):
        shutil.rmtree(out / ".work", ignore_errors=True)  # leftovers of a killed run; we hold the lock
        entries = manifest.load(folder)
        states = clip_states(clips, preset, out, fmt, entries=entries)
        todo = [s for s in states if force or s.state != UP_TO_DATE]
        require_fonts(s.clip for s in todo)
        report.start(len(states), [s.clip.stem for s in states if s not in todo])
        try:
            for entry in _run(todo, preset, out, jobs, report, entries, fmt, isolated):
                entries[fmt.entry_id(entry["id"])] = entry
                manifest.save(folder, entries)
                report.done(entry["stem"], entry["render_seconds"], entry["duration"], entry["frames"])
        finally:
            shutil.rmtree(out / ".work", ignore_errors=True)
            report.finish()
    return [entries[fmt.entry_id(s.clip.id)] for s in states]


def _run(
    todo: list[ClipState],
    preset: Quality,
    out: Path,
    jobs: int,
    report: Reporter,
    entries: dict[str, manifest.Entry],
    fmt: Output,
    isolated: bool,
) -> Iterator[manifest.Entry]:
    recorded = {s.clip.id: entries.get(fmt.entry_id(s.clip.id), {}) for s in todo}
    expected = {clip_id: entry.get("frames") for clip_id, entry in recorded.items()}
    workers = max(1, min(jobs, len(todo)))
    # The scenes take their colours from the theme when first imported: another theme needs a fresh process.
    imported = sys.modules.get("scenes.style")
    in_process = not isolated and workers == 1 and getattr(imported, "THEME", fmt.theme) == fmt.theme
    # Workers share the cores: each encoder gets its share rather than one thread per core each.
    threads = 0 if workers == 1 else max(1, (os.cpu_count() or 1) // workers)
    tasks = [
        Task(
            s.clip,
            preset.name,
            str(out),
            s.key.key,
            s.key.files,
            s.key.options,
            fmt.format,
            fmt.transparent,
            fmt.theme,
            fmt.captions,
            threads,
        )
        for s in longest_first(todo, {clip_id: entry.get("render_seconds") for clip_id, entry in recorded.items()})
    ]
    if not tasks:
        return
    if in_process:
        for task in tasks:

            def frames(drawn: int, stem: str = task.clip.stem, clip_id: str = task.clip.id) -> None:
                report.frames(stem, drawn, expected[clip_id])

            yield render_task(task, on_frames=frames)
        return
    stems = {task.clip.id: task.clip.stem for task in tasks}
    yield from _in_workers(tasks, workers, report, expected, stems)


def longest_first(states: Sequence[ClipState], seconds: dict[str, Any]) -> list[ClipState]:
    """Clips in the order that finishes soonest on a few workers: the longest recorded render first.

    Clips never rendered before keep series order, ahead of the others (their cost is unknown).
    """

    def cost(state: ClipState) -> float:
        recorded = seconds.get(state.clip.id)
        return float(recorded) if isinstance(recorded, (int, float)) else math.inf

    return sorted(states, key=cost, reverse=True)


def _in_workers(
    tasks: list[Task], jobs: int, report: Reporter, expected: dict[str, Any], stems: dict[str, str]
) -> Iterator[manifest.Entry]:
    # A killed worker leaves a semaphore behind, and multiprocessing's resource tracker (a process
    # of its own, which takes its warning filters from ours) would print a warning about it at exit.
    if "ignore::UserWarning:multiprocessing.resource_tracker" not in sys.warnoptions:
        sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    context = multiprocessing.get_context("spawn")
    updates = context.Queue()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(updates,))
    pending: set[Future[manifest.Entry]] = {pool.submit(_task_in_worker, task) for task in tasks}
    try:
        while pending:
            finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            _drain(updates, report, expected, stems)
            for future in finished:
                try:
                    yield future.result()
                except BrokenProcessPool as error:
                    raise PrimerError(
                        "a render worker died before finishing; finished clips are kept, run again"
                    ) from error
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        updates.close()
    pool.shutdown(wait=True)


def _drain(updates: Any, report: Reporter, expected: dict[str, Any], stems: dict[str, str]) -> None:
    while True:
        try:
            clip_id, drawn = updates.get_nowait()
        except (queue.Empty, OSError, ValueError):
            return
        report.frames(stems[clip_id], drawn, expected.get(clip_id))


_UPDATES: Any = None


def _start_worker(updates: Any) -> None:
    """Keep the progress queue; print nothing of our own (results and errors go back to the parent)."""
    global _UPDATES
    _UPDATES = updates
    devnull = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker
    sys.stdout = sys.stderr = devnull


def _task_in_worker(task: Task) -> manifest.Entry:
    last = [0]

    def frames(drawn: int) -> None:
        if drawn - last[0] >= 10:  # a few updates a second are plenty
            last[0] = drawn
            _UPDATES.put((task.clip.id, drawn))

    return render_task(task, on_frames=frames)


def render_task(task: Task, on_frames: Callable[[int], None] | None = None) -> manifest.Entry:
    """Render one clip and describe it for the manifest (runs in a worker or in this process)."""
    os.environ[THEME_VARIABLE] = task.theme  # read when the scenes are first imported
    from pipeline.render import render_clip
    from pipeline.values import by_beat

    clip = task.clip
    preset = quality(task.quality_name)
    folder = Path(task.out) / preset.folder
    output = Output(task.format, task.transparent, task.theme, task.captions)
    done = render_clip(clip, preset, Path(task.out), output, on_frames, task.encoder_threads)
    beats, start = [], 0.0
    for beat, path, poster, caption, info in zip(
        clip.beats, done.beats, done.posters, done.captions, done.beat_infos, strict=False
    ):
        end = start + info.duration
        beats.append(
            {
                "slug": beat.slug,
                "caption": beat.caption,
                "file": str(path.relative_to(folder)),
                "poster": str(poster.relative_to(folder)),
                "caption_file": str(caption.relative_to(folder)),
                "start": round(start, 6),
                "end": round(end, 6),
                "frames": info.frames,
            }
        )
        start = end
    files = [done.video, *done.beats, *done.posters, *done.captions]
    return {
        "id": clip.id,
        "title": clip.title,
        "stem": clip.stem,
        "key": task.key,
        "inputs": task.inputs,
        "options": task.options,
        "format": output.format,
        "transparent": output.transparent,
        "theme": output.theme,
        "captions": output.captions,
        "video": str(done.video.relative_to(folder)),
        "files": {str(p.relative_to(folder)): sha256_file(p) for p in files},
        "duration": done.info.duration if done.info else 0.0,
        "planned": done.planned,
        "frames": done.info.frames if done.info else 1,
        "fps": preset.fps,
        "width": preset.width,
        "height": preset.height,
        "beats": beats,
        "values": by_beat(clip, done.shown),  # as the scene showed them: not computed again
        "render_seconds": round(done.seconds, 3),
    }
