"""Subtitles: a beat's narration (else its caption) as cues within caption rules, in WebVTT and SubRip.

The rules, checked by ``faults`` (``primer check`` and the tests use it): at most ``LINES`` lines of
at most ``LINE`` characters; ``SHORTEST`` to ``LONGEST`` seconds on screen; at most about ``PACE``
characters a second. Text is cut after a sentence, then after punctuation, then before a word that
starts a phrase, and lines break the same way. Narrated cues follow the voice, which speaks each
piece in its share of the characters; the first shows as the beat starts.
Every clip and beat clip gets its ``.vtt`` and ``.srt`` beside it (``write_clip_subtitles``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srt

from pipeline.files import write_text
from pipeline.rendering.manifest import BeatEntry, Entry
from pipeline.text import escape

LINE, LINES = 42, 2
SHORTEST, LONGEST = 1.0, 7.0
PACE = 20.0  # characters a second, "about": a cue may exceed it by a tenth
#: Words that start a phrase: text may be cut, and a line broken, before them.
PHRASE_WORDS = frozenset(
    [
        "and",
        "but",
        "or",
        "so",
        "then",
        "which",
        "that",
        "where",
        "when",
        "while",
        "because",
        "to",
        "of",
        "for",
        "with",
        "as",
        "if",
        "than",
        "into",
        "from",
        "on",
        "at",
        "until",
        "unless",
        "whose",
        "who",
        "how",
        "what",
    ]
)
PUNCTUATION = ",;:.!?)—–"


@dataclass(frozen=True)
class Cue:
    """One subtitle on a video's clock, in seconds: its text, lines separated by a line break."""

    start: float
    end: float
    text: str

    @property
    def lines(self) -> list[str]:
        """The cue's lines, as shown."""
        return self.text.split("\n")


def lines(text: str) -> list[str] | None:
    """``text`` on at most two lines of at most ``LINE`` characters, broken where a reader pauses; None if it cannot."""
    text = " ".join(text.split())
    if len(text) <= LINE:
        return [text]
    best: tuple[int, int, int] | None = None
    for found in re.finditer(" ", text):
        left, right = text[: found.start()], text[found.end() :]
        if len(left) <= LINE and len(right) <= LINE:
            score = (_pause(left, right), abs(len(left) - len(right)), found.start())
            best = score if best is None or score < best else best
    if best is None:
        return None
    return [text[: best[2]], text[best[2] + 1 :]]


def _pause(left: str, right: str) -> int:
    """How well a cut between ``left`` and ``right`` reads: 0 after punctuation, 1 before a phrase, else 2."""
    if left[-1] in PUNCTUATION:
        return 0
    return 1 if right.split(" ", 1)[0].lower() in PHRASE_WORDS else 2


def pieces(text: str) -> list[str]:
    """``text`` cut into pieces that each fit two lines: at sentence ends, then where a reader pauses."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]
    return [piece for sentence in sentences for piece in _cut(sentence)]


def _cut(sentence: str) -> list[str]:
    if lines(sentence) is not None:
        return [sentence]
    cuts = [m.start() for m in re.finditer(" ", sentence) if lines(sentence[: m.start()]) is not None]
    if not cuts:  # one word longer than a line: it stands alone
        word = sentence.split(" ", 1)
        return [word[0], *(_cut(word[1]) if len(word) > 1 else [])]
    # The latest cut after punctuation, else before a phrase, else the latest that fits.
    at = min(cuts, key=lambda c: (_pause(sentence[:c], sentence[c + 1 :]), -c))
    return [sentence[:at], *_cut(sentence[at + 1 :])]


def timed(text: str, start: float, end: float, voice: tuple[float, float] | None = None) -> list[Cue]:
    """``text`` as cues within ``start``..``end``: timed by the voice's span (relative to ``start``) if spoken.

    Each piece gets its share of the characters; the first starts with the beat. Then the rules:
    a cue under ``SHORTEST`` joins a neighbour if the two fit two lines, or takes time from its
    neighbours; a cue over ``LONGEST`` ends early (the screen holds the caption drawn in the frame).
    """
    found = pieces(text) or [""]
    first, last = (start + voice[0], min(end, start + voice[1])) if voice else (start, end)
    total = sum(len(piece) for piece in found) or 1
    bounds, at = [start], first
    for piece in found[:-1]:
        at += (last - first) * len(piece) / total
        bounds.append(at)
    bounds.append(end)
    spans: list[list[Any]] = [[a, b, piece] for a, b, piece in zip(bounds[:-1], bounds[1:], found, strict=True)]
    spans = _join_short(spans)
    # Move the boundaries as little as it takes for every cue to last SHORTEST, where the span allows:
    # each pushed after the one before, then pulled back before the one after.
    if end - start >= SHORTEST * len(spans):  # else too little time for all: they keep their shares
        for i in range(1, len(spans)):
            spans[i][0] = spans[i - 1][1] = min(max(spans[i][0], spans[i - 1][0] + SHORTEST), spans[i][1])
        for i in range(len(spans) - 1, 0, -1):
            spans[i][0] = spans[i - 1][1] = max(min(spans[i][0], spans[i][1] - SHORTEST), spans[i - 1][0])
    return [Cue(a, min(b, a + LONGEST), "\n".join(lines(piece) or [piece])) for a, b, piece in spans]


def _join_short(spans: list[list[Any]]) -> list[list[Any]]:
    """Join each cue shorter than ``SHORTEST`` to its shorter neighbour, where the two fit two lines."""
    for i, (start, end, _) in enumerate(spans):
        if end - start >= SHORTEST or len(spans) == 1:
            continue
        for j in sorted((j for j in (i - 1, i + 1) if 0 <= j < len(spans)), key=lambda j: spans[j][1] - spans[j][0]):
            first, second = spans[min(i, j)], spans[max(i, j)]
            joined = f"{first[2]} {second[2]}"
            if lines(joined) is not None:
                return _join_short([*spans[: min(i, j)], [first[0], second[1], joined], *spans[max(i, j) + 1 :]])
    return spans


def beat_cues(beat: BeatEntry, start: float, end: float) -> list[Cue]:
    """A manifest beat's subtitles over ``start``..``end``: its narration as the voice speaks it, else its caption."""
    speech, narration = beat["speech"], beat["narration"]
    if speech and narration:
        return timed(narration, start, end, (float(speech[0]), float(speech[1])))
    return timed(beat["caption"], start, end)


def faults(cues: Sequence[Cue]) -> list[str]:
    """Every way ``cues`` break the caption rules, one line each, naming the cue by its time."""
    found = []
    for cue in cues:
        where, seconds = f"cue at {cue.start:.2f} s", round(cue.end - cue.start, 3)
        if len(cue.lines) > LINES or any(len(line) > LINE for line in cue.lines):
            count, longest = len(cue.lines), max(map(len, cue.lines))
            lines = "1 line" if count == 1 else f"{count} lines"
            found.append(f"{where}: {lines} of up to {longest} characters (at most {LINES} lines of {LINE})")
        if not SHORTEST <= seconds <= LONGEST:
            found.append(f"{where}: {seconds:.2f} s on screen, not {SHORTEST:g} to {LONGEST:g} s")
        pace = len(cue.text.replace("\n", " ")) / max(seconds, 1e-9)
        if pace > PACE * 1.1:
            found.append(f"{where}: {pace:.0f} characters a second, over {PACE:g}")
    return found


def milliseconds(seconds: float) -> int:
    """A time on the subtitles' clock: whole milliseconds, rounded (WebVTT and SRT agree to the millisecond)."""
    return round(seconds * 1000)


def webvtt(cues: Sequence[Cue]) -> str:
    """Cues as WebVTT, the format browsers read: each line's text escaped."""

    def stamp(seconds: float) -> str:
        millis = milliseconds(seconds)
        return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"

    blocks = [
        f"{i}\n{stamp(c.start)} --> {stamp(c.end)}\n" + "\n".join(escape.webvtt_text(line) for line in c.lines)
        for i, c in enumerate(cues, start=1)
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def subrip(cues: Sequence[Cue]) -> str:
    """Cues as SubRip (.srt), the format video players read."""
    return str(
        srt.compose(
            srt.Subtitle(
                i,
                datetime.timedelta(milliseconds=milliseconds(c.start)),
                datetime.timedelta(milliseconds=milliseconds(c.end)),
                "\n".join(escape.subrip_text(line) for line in c.lines),
            )
            for i, c in enumerate(cues, start=1)
        )
    )


def write_subtitles(video: Path, cues: Sequence[Cue]) -> tuple[Path, Path]:
    """``video``'s ``.vtt`` and ``.srt`` beside it, rewritten only when their text changed."""
    written = []
    for path, text in ((video.with_suffix(".vtt"), webvtt(cues)), (video.with_suffix(".srt"), subrip(cues))):
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
        written.append(path)
    return written[0], written[1]


def clip_cues(entry: Entry) -> list[Cue]:
    """A rendered clip's cues (a manifest entry), each beat on the clip's clock."""
    return [cue for beat in entry["beats"] for cue in beat_cues(beat, float(beat["start"]), float(beat["end"]))]


def write_clip_subtitles(folder: Path, entry: Entry) -> None:
    """Subtitles beside the clip and beside each of its beat clips."""
    write_subtitles(folder / entry["video"], clip_cues(entry))
    for beat in entry["beats"]:
        length = float(beat["end"]) - float(beat["start"])
        write_subtitles(folder / beat["file"], beat_cues(beat, 0.0, length))
