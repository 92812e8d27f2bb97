"""How a series render reports itself: a live rich display on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline.words import counted


class Reporter(Protocol):
    """Receives the events of a series render."""

    def start(self, total: int, cached: list[str]) -> None:
        """``total`` clips asked for; ``cached`` are up to date and will be skipped."""

    def frames(self, stem: str, drawn: int, expected: int | None) -> None:
        """``drawn`` frames of clip ``stem`` so far (``expected`` if known from a previous render)."""

    def tasks(self, name: str, finished: int, total: int) -> None:
        """Task ``name`` (a clip, or a range of its beats) came back: ``finished`` of ``total`` tasks."""

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int) -> None:
        """Clip ``stem`` (``frames`` frames, ``video_seconds`` long) landed after ``seconds`` of rendering."""

    def finish(self) -> None:
        """The run is over (normally or not)."""


class QuietReporter:
    """Says nothing."""

    def start(self, total: int, cached: list[str]) -> None:  # noqa: D102
        pass

    def frames(self, stem: str, drawn: int, expected: int | None) -> None:  # noqa: D102
        pass

    def tasks(self, name: str, finished: int, total: int) -> None:  # noqa: D102
        pass

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int) -> None:  # noqa: D102
        pass

    def finish(self) -> None:  # noqa: D102
        pass


class PlainReporter:
    """One line per event, for logs and pipes."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.total = self.finished = self.rendering = 0

    def start(self, total: int, cached: list[str]) -> None:  # noqa: D102
        self.total, self.finished, self.rendering = total, len(cached), total - len(cached)
        for stem in cached:
            print(f"{stem}: up to date, skipped", flush=True)
        if self.finished < total:
            print(f"rendering {total - self.finished} of {counted(total, 'clip')}", flush=True)

    def frames(self, stem: str, drawn: int, expected: int | None) -> None:  # noqa: D102
        pass

    def tasks(self, name: str, finished: int, total: int) -> None:  # noqa: D102
        if total != self.rendering:  # clips split into tasks: say so as each comes back
            print(f"{name}: drawn ({finished}/{counted(total, 'task')})", flush=True)

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int) -> None:  # noqa: D102
        self.finished += 1
        elapsed = time.perf_counter() - self.started
        print(
            f"{stem}: rendered {video_seconds:.1f} s of video in {seconds:.1f} s "
            f"({self.finished}/{self.total} done, {elapsed:.1f} s elapsed)",
            flush=True,
        )

    def finish(self) -> None:  # noqa: D102
        elapsed = time.perf_counter() - self.started
        if self.finished < self.total:  # failed or interrupted
            print(f"stopped after {elapsed:.1f} s, {self.finished} of {counted(self.total, 'clip')} done", flush=True)
        else:
            print(f"done in {elapsed:.1f} s", flush=True)


class RichReporter:
    """A live display: clips done of total with cache hits, elapsed and estimate, frames of each clip."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=False),
            transient=False,
        )
        self.series: TaskID | None = None
        self.task_row: TaskID | None = None
        self.clips: dict[str, TaskID] = {}

    def start(self, total: int, cached: list[str]) -> None:  # noqa: D102
        self.progress.start()
        hits = f", {len(cached)} up to date" if cached else ""
        self.series = self.progress.add_task(f"series ({total} clips{hits})", total=total, completed=len(cached))

    def frames(self, stem: str, drawn: int, expected: int | None) -> None:  # noqa: D102
        if stem not in self.clips:
            self.clips[stem] = self.progress.add_task(f"  {stem} frames", total=expected)
        self.progress.update(self.clips[stem], completed=drawn)

    def tasks(self, name: str, finished: int, total: int) -> None:  # noqa: D102
        if self.task_row is None:
            self.task_row = self.progress.add_task("  tasks", total=total)
        self.progress.update(self.task_row, completed=finished)

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int) -> None:  # noqa: D102
        if stem in self.clips:
            self.progress.update(self.clips[stem], total=frames, completed=frames, description=f"  {stem} done")
        assert self.series is not None
        self.progress.advance(self.series)
        self.progress.console.print(f"{stem}: {video_seconds:.1f} s of video in {seconds:.1f} s")

    def finish(self) -> None:  # noqa: D102
        self.progress.stop()


def reporter_for(quiet: bool) -> Reporter:
    """Quiet, live on a terminal, or plain lines."""
    if quiet:
        return QuietReporter()
    return RichReporter() if sys.stdout.isatty() else PlainReporter()
