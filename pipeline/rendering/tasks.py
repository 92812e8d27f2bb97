"""Render tasks: a clip is drawn as one or more ranges of its beats, and joined afterwards.

A task (``Piece``) is everything a worker needs, picklable, and names no file of the client's
unless the worker shares its file system: what it draws comes back as bytes (``PieceResult``),
so the same task runs in this process, in a local worker process, or on a Dask cluster.
Nothing here imports manim or jax.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from lessons.quality import Quality
from lessons.series import Clip
from pipeline.formats import Output
from scenes.shown import Shown

#: Formats whose clip is the packet-copy join of its beat clips (gif is re-encoded by manim; png is one frame).
JOINED_FORMATS = ("mp4", "webm", "mov")
#: The folder beside the clips' TeX caches where the tasks keep compiled math (``mathcore.compiled``).
COMPILED = "compiled"
#: ... and where drafted voices are kept (``pipeline.sound.narration.speak``).
VOICES = "voices"


@dataclass(frozen=True)
class Piece:
    """Beats ``first``..``last`` (from 1) of a clip, drawn with the beats before them run but skipped."""

    clip: Clip
    quality: Quality
    output: Output
    first: int
    last: int
    encoder_threads: int = 0  # 0: the encoder's own choice (one thread per core)
    cache: str | None = None  # the clip's TeX and text cache on this machine (None: the worker's own)
    scratch: str | None = None  # where the worker draws (None: its temporary folder)
    holds: tuple[float, ...] = ()  # the least each beat of the clip may last (its narration); none: as drawn
    picture: str = ""  # the clip's picture key (``pipeline.rendering.keys``): the beats are keyed with it
    # Each beat's recorded key and start state, where the client holds its segment ("" for none): not drawn again.
    reusable: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """``03-chain-rule``, or ``03-chain-rule beats 2-3`` for part of a clip."""
        whole = (self.first, self.last) == (1, len(self.clip.beats))
        return self.clip.stem if whole else f"{self.clip.stem} beats {self.first}-{self.last}"


@dataclass(frozen=True)
class PieceResult:
    """What a task drew: its beat clips (and, for gif and png, the clip itself) as bytes."""

    piece: Piece
    sections: tuple[bytes, ...]  # one encoded clip per beat drawn (first..last but the ``reused``)
    whole: bytes | None  # manim's own file, for formats that are not joined from the beats
    planned: float  # seconds of animation the scene asked for in the beats it drew
    shown: dict[str, Shown]  # every number and formula the scene put on screen
    frames: int  # frames drawn
    seconds: float  # wall time of the task
    peak_kib: int = 0  # the worker process's peak resident memory so far
    host: str = field(default="", compare=False)
    reused: tuple[int, ...] = ()  # the beats in first..last not drawn: their segments are at hand
    keys: tuple[str, ...] = ()  # the key of each beat first..last (none without a picture key)
    states: tuple[str, ...] = ()  # the digest of the scene as each beat first..last starts (``scenes.state``)


def splittable(output: Output) -> bool:
    """Whether a clip in this format may render as several tasks."""
    return output.format in JOINED_FORMATS


def pieces_per_clip(clips: int, workers: int) -> int:
    """How many tasks each clip becomes: one while clips keep every worker busy, else two per worker.

    Beats differ in length and a task holds whole beats: with twice as many tasks as workers, the
    longest-first schedule evens the workers out (measured on the gradient clip at 1080p60 on two
    workers: 25.1 s in two tasks, 23.1 s in four, 27.2 s whole). Each task costs its own scene setup.
    """
    return 1 if clips >= workers else math.ceil(2 * workers / max(1, clips))


def split_beats(costs: Sequence[float], pieces: int) -> list[tuple[int, int]]:
    """Cut beats 1..n into at most ``pieces`` consecutive ranges whose largest total cost is least.

    ``costs`` are the beats' expected costs (their recorded frames, or all equal when unknown).
    """
    n = len(costs)
    pieces = max(1, min(pieces, n))
    best: tuple[float, list[tuple[int, int]]] = (math.inf, [(1, n)])
    for cuts in itertools.combinations(range(1, n), pieces - 1):
        bounds = [0, *cuts, n]
        ranges = [(bounds[i] + 1, bounds[i + 1]) for i in range(pieces)]
        heaviest = max(sum(costs[a - 1 : b]) for a, b in ranges)
        if heaviest < best[0]:
            best = (heaviest, ranges)
    return best[1]
