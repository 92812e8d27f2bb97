"""Writing a file so that it is either the old one or the complete new one, never half of either."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it becomes ``target`` in one rename.

    On failure (or Ctrl-C) the temporary file is removed and ``target`` is left as it was. The new
    file gets ordinary permissions (``0666`` less the umask), not ``mkstemp``'s private ``0600``.
    """
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=target.suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` (UTF-8) in one rename."""
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


def write_with(target: Path, writer: Callable[[Path], object]) -> Path:
    """Replace ``target`` with what ``writer`` writes to the path it is given; return ``target``."""
    with replacing(target) as temporary:
        writer(temporary)
    return target


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` where the file system allows it (no copy), else a copy."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)
