"""One render at a time per output folder."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PrimerError

LOCK_NAME = ".lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``<out>/.lock`` for the duration; ``PrimerError`` at once if another run holds it.

    The lock is the kernel's (``flock``): it goes away with its process, even after a kill.
    """
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PrimerError(
                f"another primer render is writing to {out} (pid {holder}); "
                "wait for it to finish or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
