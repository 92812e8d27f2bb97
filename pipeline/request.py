"""One command's whole ask, as a frozen value: which clips, at what quality, in what output, where, on what.

The command line builds it once (``cli.py``'s shared options) and hands it to rendering and every
export whole, and to previews, stills, watch and check as the parts they use (clips, output, look,
out folder); nothing downstream reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lessons.quality import Quality
from lessons.series import Clip, Series
from pipeline.formats import Look, Output
from pipeline.progress import Reporter, reporter_for


@dataclass(frozen=True)
class Request:
    """What to render (``clips`` of ``series``), how (``quality``, ``output``), where (``out``) and on what."""

    series: Series
    clips: tuple[Clip, ...]
    quality: Quality
    output: Output
    out: Path  # resolved and writable
    jobs: int  # local worker processes
    scheduler: str | None = None  # a Dask scheduler's address: render on its workers instead
    quiet: bool = False  # print nothing but errors
    force: bool = False  # render even what is up to date
    ids: tuple[str, ...] = ()  # the clips as named (none: the whole series)
    # The output as asked, before the series file's defaults (``watch`` reads the file anew at every save).
    look: Look = field(default_factory=Look)

    @property
    def folder(self) -> Path:
        """Where this quality's outputs land: ``<out>/480p15``."""
        return self.out / self.quality.folder

    @property
    def reporter(self) -> Reporter:
        """How progress is shown: a live bar on a terminal, plain lines elsewhere, nothing when quiet."""
        return reporter_for(self.quiet)
