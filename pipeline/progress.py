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

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int, beats: tuple[int, int]) -> None:
        """Clip ``stem`` (``frames`` frames, ``video_seconds`` long) landed after ``seconds`` of rendering.

        ``beats`` are how many of its beats were drawn, and how many reused as they were.
        """

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

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int, beats: tuple[int, int]) -> None:  # noqa: D102
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

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int, beats: tuple[int, int]) -> None:  # noqa: D102
        self.finished += 1
        elapsed = time.perf_counter() - self.started
        print(
            f"{stem}: rendered {video_seconds:.1f} s of video in {seconds:.1f} s, {drawn_and_reused(beats)} "
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
    """One live bar: frames drawn of frames planned across every task, clips done, beats reused, an estimate.

    Frames planned are those of each clip's last render (a clip never rendered counts what it has
    drawn so far); a clip that lands counts the frames it drew (its reused beats drew none).
    """

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("frames"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console or Console(stderr=False),
            transient=False,
        )
        self.bar: TaskID | None = None
        self.total = self.finished = self.reused = 0
        self.drawn: dict[str, tuple[int, int | None]] = {}  # frames drawn and expected, by clip

    def start(self, total: int, cached: list[str]) -> None:  # noqa: D102
        self.total, self.finished = total, len(cached)
        self.progress.start()
        self.bar = self.progress.add_task(self._description(), total=None)

    def frames(self, stem: str, drawn: int, expected: int | None) -> None:  # noqa: D102
        self.drawn[stem] = (drawn, expected)
        self._update()

    def tasks(self, name: str, finished: int, total: int) -> None:  # noqa: D102
        pass

    def done(self, stem: str, seconds: float, video_seconds: float, frames: int, beats: tuple[int, int]) -> None:  # noqa: D102
        self.finished += 1
        self.reused += beats[1]
        count = self.drawn.get(stem, (0, None))[0]
        self.drawn[stem] = (count, count)
        self._update()
        line = f"{stem}: {video_seconds:.1f} s of video in {seconds:.1f} s, {drawn_and_reused(beats)}"
        self.progress.console.print(line)

    def _description(self) -> str:
        reused = f", {counted(self.reused, 'beat')} reused" if self.reused else ""
        return f"{self.finished}/{counted(self.total, 'clip')}{reused}"

    def _update(self) -> None:
        assert self.bar is not None
        drawn = sum(count for count, _ in self.drawn.values())
        planned = sum(max(count, expected or count) for count, expected in self.drawn.values())
        self.progress.update(self.bar, completed=drawn, total=planned or None, description=self._description())

    def finish(self) -> None:  # noqa: D102
        self.progress.stop()


def drawn_and_reused(beats: tuple[int, int]) -> str:
    """``2 beats drawn, 3 reused``, or ``5 beats drawn``."""
    drawn, reused = beats
    return f"{counted(drawn, 'beat')} drawn" + (f", {reused} reused" if reused else "")


def reporter_for(quiet: bool) -> Reporter:
    """Quiet, live on a terminal, or plain lines."""
    if quiet:
        return QuietReporter()
    return RichReporter() if sys.stdout.isatty() else PlainReporter()
