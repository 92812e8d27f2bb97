"""Render tasks on a Dask distributed cluster: ``primer render --scheduler tcp://HOST:PORT``.

Workers need no shared file system: a task draws in the worker's temporary folder, keeps a TeX
cache there, and returns its files as bytes; the client checks, joins and moves them into
place as for a local render. Before any task is sent, every worker must run the same manim,
jax and project code as this machine. A worker lost mid-task has its task run again elsewhere
(Dask's own bookkeeping); Ctrl-C cancels the tasks. This module is imported only when a
scheduler is named, and it is what workers import to run a task.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib.metadata import version

from pipeline.errors import PrimerError
from pipeline.rendering.engines import FramesCallback
from pipeline.rendering.keys import ROOT
from pipeline.rendering.tasks import Piece, PieceResult

#: What a worker must share with the client, besides the project's code.
PACKAGES = ("manim", "jax", "jaxlib")
#: The project's code, as the worker runs it: every module of these folders, and the manim settings.
CODE = ("mathcore", "lessons", "scenes", "pipeline")
CONNECT_SECONDS = 5
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def versions() -> dict[str, str]:
    """The manim, jax and jaxlib versions here, and a digest of the project's code."""
    digest = hashlib.sha256()
    files = sorted(path for folder in CODE for path in (ROOT / folder).rglob("*.py"))
    for path in [*files, ROOT / "manim.cfg"]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return {**{name: version(name) for name in PACKAGES}, "primer": digest.hexdigest()[:16]}


def mismatch(ours: dict[str, str], theirs: dict[str, dict[str, str]]) -> str | None:
    """The first worker whose versions differ from ours, said in one line; None if all agree."""
    for worker, found in sorted(theirs.items()):
        for name, wanted in ours.items():
            if found.get(name) != wanted:
                what = "the project's code" if name == "primer" else name
                return (
                    f"worker {worker} runs {what} {found.get(name, 'not at all')}, this machine {wanted}: "
                    "install the same manim, jax and primer on every worker"
                )
    return None


class Cluster:
    """An engine that sends render tasks to the Dask scheduler at ``address``."""

    remote = True  # tasks keep their files to themselves and return them as bytes

    def __init__(self, address: str) -> None:
        for name in ("distributed", "tornado", "asyncio"):  # its own warnings would only clutter progress
            logging.getLogger(name).setLevel(logging.CRITICAL)
        from distributed import Client

        self.address = address
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. distributed's own version warnings: checked below
                self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise PrimerError(f"cannot reach a Dask scheduler at {address} ({_first_line(error)})") from error
        try:
            self.workers = self._check_workers()
        except BaseException:
            self.client.close()
            raise

    def _check_workers(self) -> int:
        workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
        if not workers:
            raise PrimerError(f"the Dask scheduler at {self.address} has no workers; start some with `dask worker`")
        try:
            theirs = self.client.run(versions)
        except Exception as error:
            raise PrimerError(f"a worker of {self.address} cannot run primer's code ({_first_line(error)})") from error
        refused = mismatch(versions(), theirs)
        if refused:
            raise PrimerError(refused)
        return sum(int(worker.get("nthreads", 1)) for worker in workers.values())

    def run(self, pieces: Sequence[Piece], on_frames: FramesCallback) -> Iterator[PieceResult]:
        """Submit every task; yield results as the cluster finishes them (a lost worker's task runs again)."""
        from distributed import as_completed

        futures = [self.client.submit(render_on_worker, piece, pure=False) for piece in pieces]
        try:
            for future in as_completed(futures, loop=self.client.loop):
                try:
                    result: PieceResult = future.result()
                except PrimerError:
                    raise
                except Exception as error:  # e.g. KilledWorker: the task killed every worker that tried it
                    raise PrimerError(f"the cluster failed a task ({_first_line(error)})") from error
                on_frames(result.piece, result.frames)
                yield result
        except BaseException:
            self.client.cancel(futures, force=True)
            raise

    def close(self) -> None:
        """Disconnect (the cluster keeps running)."""
        self.client.close()


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


_ONE_AT_A_TIME = threading.Lock()  # manim's configuration is global: one render per worker process at once


def render_on_worker(piece: Piece) -> PieceResult:
    """Run on a Dask worker: draw the task in the worker's own folders and return the result."""
    from pipeline.rendering.render import render_piece

    with _ONE_AT_A_TIME:
        _keep_freed_memory()
        return render_piece(replace(piece, cache=None, scratch=None))


def _keep_freed_memory() -> None:
    """Let glibc reuse freed frame buffers instead of returning them to the system at once.

    A Dask nanny starts its worker with ``MALLOC_TRIM_THRESHOLD_`` set, which also stops glibc
    from raising its mmap threshold: every frame buffer (8 MB at 1080p) is then mapped and
    unmapped anew, and a 1080p60 render took 37 s on a nanny's worker against 23 s without one.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to undo
        return
    libc.mallopt(M_MMAP_THRESHOLD, 32 * 2**20)  # glibc's largest: buffers up to 32 MB come from the heap
    libc.mallopt(M_TRIM_THRESHOLD, 64 * 2**20)
