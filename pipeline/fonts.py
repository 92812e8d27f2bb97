"""Which characters the installed fonts can draw, so a caption no font covers is refused before rendering.

Pango draws captions and titles in the series' font and falls back, through fontconfig, to any
installed font that has a character; a character no font has comes out as an empty box. One call
to ``fc-list`` gives every font's coverage.
"""

from __future__ import annotations

import bisect
import subprocess
from collections.abc import Iterable
from functools import lru_cache

from lessons.series import Clip, SeriesError
from pipeline.errors import PrimerError


@lru_cache(maxsize=1)
def covered() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of the merged code point ranges some installed font covers, sorted."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{charset}\\n"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise PrimerError(f"cannot list the installed fonts (fontconfig's fc-list failed: {error})") from error
    ranges: list[tuple[int, int]] = []
    for word in listed.split():
        first, _, last = word.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no installed font has, in order, each once."""
    starts, ends = covered()
    found: list[str] = []
    for char in text:
        if char.isspace() or char in found:
            continue
        i = bisect.bisect_right(starts, ord(char)) - 1
        if i < 0 or ord(char) > ends[i]:
            found.append(char)
    return found


def require_fonts(clips: Iterable[Clip], title: tuple[str, str] | None = None) -> None:
    """``SeriesError`` (bad input: exit 2) naming the clip, the beat or title, and a character no font can draw.

    ``title`` is the course's (its file, and the text), checked first.
    """
    if title is not None:
        source, text = title
        chars = missing(text)
        if chars:
            raise SeriesError(f"{source}: field 'title': {_no_font(chars[0])}")
    for clip in clips:
        texts = [("title", clip.title)] + [
            (f"beat {n} ({beat.slug})", beat.caption) for n, beat in enumerate(clip.beats, start=1)
        ]
        for where, text in texts:
            chars = missing(text)
            if chars:
                raise SeriesError(f"{clip.source}: clip {clip.id!r}: {where}: {_no_font(chars[0])}")


def _no_font(char: str) -> str:
    return f"no installed font has {char!r} (U+{ord(char):04X}); install a font that covers it"
