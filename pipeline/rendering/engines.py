"""Where render tasks run: in this process, in local worker processes, or on a Dask cluster.

An engine takes ``Piece`` tasks and yields their ``PieceResult`` as each one finishes; the
series (``pipeline.rendering.schedule``) joins them into clips. Local workers are processes started with
``spawn`` (JAX does not survive ``fork``). A warm pool, for ``watch``, keeps a spare worker with
manim and jax imported (the scenes not yet) and uses each worker for one task only, so every
task imports the code as it is saved. The Dask engine lives in ``pipeline.rendering.cluster``.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from pipeline.errors import PrimerError
from pipeline.rendering.tasks import Piece, PieceResult

#: Told how many frames a task has drawn so far.
FramesCallback = Callable[[Piece, int], None]


class Engine(Protocol):
    """Runs render tasks; ``workers`` of them at a time (``remote``: on machines that do not share our files)."""

    workers: int
    remote: bool

    def run(self, pieces: Sequence[Piece], on_frames: FramesCallback) -> Iterator[PieceResult]:
        """Run ``pieces`` and yield each result as it finishes (in any order)."""
        ...

    def close(self) -> None:
        """Stop whatever the engine started."""
        ...


class InProcess:
    """Tasks one after another in this process (its imported scenes are reused)."""

    workers = 1
    remote = False

    def run(self, pieces: Sequence[Piece], on_frames: FramesCallback) -> Iterator[PieceResult]:  # noqa: D102
        from pipeline.rendering.render import render_piece

        for piece in pieces:

            def frames(drawn: int, piece: Piece = piece) -> None:
                on_frames(piece, drawn)

            yield render_piece(piece, frames)

    def close(self) -> None:  # noqa: D102
        pass


class Processes:
    """Local worker processes; with ``warm``, one task per process and a replacement always importing ahead."""

    remote = False

    def __init__(self, workers: int, warm: bool = False) -> None:
        self.workers = workers
        self.warm = warm
        self._pool: ProcessPoolExecutor | None = None
        self._updates: Any = None

    def _start(self) -> ProcessPoolExecutor:
        # A killed worker leaves a semaphore behind, and multiprocessing's resource tracker (a process
        # of its own, which takes its warning filters from ours) would print a warning about it at exit.
        if "ignore::UserWarning:multiprocessing.resource_tracker" not in sys.warnoptions:
            sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
        context = multiprocessing.get_context("spawn")
        self._updates = context.Queue()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self._updates, self.warm, os.getpid()),
            max_tasks_per_child=1 if self.warm else None,
        )
        return self._pool

    def prestart(self) -> None:
        """Have warm workers waiting before the first task (processes otherwise start with it)."""
        if self.warm and self._pool is None:
            pool = self._start()
            for _ in range(self.workers):  # an empty task starts each; its fresh replacement is the one kept
                pool.submit(os.getpid)

    def run(self, pieces: Sequence[Piece], on_frames: FramesCallback) -> Iterator[PieceResult]:  # noqa: D102
        pool = self._pool or self._start()
        pending: dict[Future[PieceResult], Piece] = {pool.submit(_piece_in_worker, p): p for p in pieces}
        by_name = {piece.name: piece for piece in pieces}
        try:
            while pending:
                finished, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                self._drain(by_name, on_frames)
                for future in finished:
                    del pending[future]
                    try:
                        yield future.result()
                    except BrokenProcessPool as error:
                        raise PrimerError(
                            "a render worker died before finishing; finished clips are kept, run again"
                        ) from error
        except BaseException:
            self.close()
            raise

    def _drain(self, pieces: dict[str, Piece], on_frames: FramesCallback) -> None:
        while True:
            try:
                name, drawn = self._updates.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            if name in pieces:
                on_frames(pieces[name], drawn)

    def close(self) -> None:
        """Stop the workers at once (a task still running is abandoned), and any the pool starts meanwhile.

        The pool replaces a worker that exits (one task per warm worker) even while it shuts down, so
        every worker it has is stopped until the shutdown is done; one that outlives SIGTERM is killed.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes: dict[int, Any] = getattr(pool, "_processes", None) or {}  # the pool's own, kept up to date
        stopping = threading.Thread(target=pool.shutdown, kwargs={"wait": True, "cancel_futures": True}, daemon=True)
        stopping.start()
        deadline = time.monotonic() + 10
        while stopping.is_alive() and time.monotonic() < deadline:
            for process in list(processes.values()):
                process.terminate()
                process.join(timeout=1)
                if process.is_alive():
                    process.kill()
            stopping.join(timeout=0.2)
        self._updates.close()


_UPDATES: Any = None


def _start_worker(updates: Any, warm: bool, parent: int) -> None:
    """Keep the progress queue; print nothing of our own; when warm, import manim and jax ahead of the task."""
    global _UPDATES
    _UPDATES = updates
    updates.cancel_join_thread()  # progress is disposable: a worker's exit never waits for anyone to read it
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    devnull = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker
    sys.stdout = sys.stderr = devnull
    if warm:  # the libraries only: the project's own modules are imported by the task, as saved
        import av  # noqa: F401
        import contourpy  # noqa: F401
        import jax.numpy  # noqa: F401
        import manim  # noqa: F401
        import sympy  # noqa: F401


def _exit_with(parent: int) -> None:
    """End this worker once ``parent`` is gone (killed outright, it cleans nothing up and reads no more progress)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _piece_in_worker(piece: Piece) -> PieceResult:
    from pipeline.rendering.render import render_piece

    last = [0]

    def frames(drawn: int) -> None:
        if drawn - last[0] >= 10:  # a few updates a second are plenty
            last[0] = drawn
            _UPDATES.put((piece.name, drawn))

    return render_piece(piece, frames)
