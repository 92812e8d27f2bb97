"""Narration: who speaks each beat, how long the beat must last for it, and the clip's sound.

A beat's narration is text in the series file. The lecturer's recording of it,
``narration/<clip-id>/<NN-slug>.wav`` (or .flac, .mp3, .m4a) beside the series file, speaks it
if there is one; otherwise the draft voice does. A recording is bound to the text it was made
for when primer first sees it (``recordings.json`` in the same folder), so a text changed
afterwards shows the recording as stale. Nothing here imports manim or jax.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lessons.series import Clip, beat_stem
from pipeline.files import sha256_file, write_text, write_with
from pipeline.sound import voice
from pipeline.sound.voice import RATE, RecordingError, Samples, VoiceError

FOLDER = "narration"
LEDGER = "recordings.json"
RECORDED, DRAFT, NONE = "recorded", "draft", "none"
#: Seconds from a beat's start to its first word (the caption is fading in), and after its last word.
LEAD = 0.3
PAUSE = 0.7
#: A recording longer than this many times the draft voice's reading, plus the slack, was left running.
OVERRUN_FACTOR = 2.0
OVERRUN_SLACK = 3.0


@dataclass(frozen=True)
class Speech:
    """One beat's voice, normalised, and where it came from."""

    number: int
    source: str  # RECORDED or DRAFT
    path: Path | None  # the recording, if it is one
    samples: Samples = field(repr=False, compare=False)

    @property
    def seconds(self) -> float:
        """How long the voice speaks."""
        return self.samples.size / RATE


@dataclass(frozen=True)
class BeatNarration:
    """What ``primer narration status`` says of one beat."""

    clip: Clip
    number: int
    state: str  # RECORDED, DRAFT or NONE
    path: Path | None
    stale: bool  # recorded for a text that has changed since


def folder(clip: Clip) -> Path:
    """``narration/<clip-id>/`` beside the clip's series file."""
    return Path(clip.source).resolve().parent / FOLDER / clip.id


def narrated(clip: Clip) -> bool:
    """Whether any beat of the clip has narration text or a recording."""
    return any(beat.narration for beat in clip.beats) or any(
        recording(clip, number) for number in range(1, len(clip.beats) + 1)
    )


def recording(clip: Clip, number: int) -> Path | None:
    """The lecturer's recording of beat ``number``, if there is one; two for one beat is an error."""
    stem = beat_stem(number, clip.beats[number - 1].slug)
    found = [folder(clip) / (stem + ext) for ext in voice.RECORDING_EXTENSIONS]
    found = [path for path in found if path.exists()]
    if len(found) > 1:
        raise RecordingError(f"{found[0]}: two recordings of beat {number} ({found[1].name} too); keep one")
    return found[0] if found else None


def fingerprint(clip: Clip) -> str:
    """What the clip's sound is made from, for its key: each beat's text and recording, the voice and its code.

    Empty for a clip with no narration at all (its key stays as it was before narration existed).
    """
    parts: list[list[str]] = []
    for number, beat in enumerate(clip.beats, start=1):
        path = recording(clip, number)
        if path is not None:
            parts.append([beat.narration, path.name, sha256_file(path)])
        else:
            parts.append([beat.narration, _engine()] if beat.narration else [])
    if not any(parts):
        return ""
    return hashlib.sha256(json.dumps([*_code(), *parts]).encode()).hexdigest()


def _code() -> list[str]:
    """The digests of the code that drafts and shapes the voice (this module and ``voice``)."""
    return [sha256_file(Path(voice.__file__)), sha256_file(Path(__file__))]


def _engine() -> str:
    try:
        return voice.engine_version()
    except VoiceError:
        return "no draft voice installed"


def speak(clip: Clip, only: Collection[int] | None = None, cache: Path | None = None) -> tuple[Speech | None, ...]:
    """Every beat's voice (None for a silent beat, and for beats not in ``only``), read or drafted, normalised.

    ``RecordingError`` names a recording that cannot be used: unreadable, empty, silent, in a layout
    that cannot be converted, or far longer than its text takes to say. Drafted voices are kept in
    ``cache`` (if given) by what decides them, and read back from it.
    """
    _bind(clip)
    speeches: list[Speech | None] = []
    for number, beat in enumerate(clip.beats, start=1):
        path = recording(clip, number)
        if only is not None and number not in only:
            speeches.append(None)
        elif path is not None:
            samples = voice.read_recording(path)
            if beat.narration:
                expected = voice.draft(beat.narration, clip.voice).size / RATE
                if samples.size / RATE > OVERRUN_FACTOR * expected + OVERRUN_SLACK:
                    raise RecordingError(
                        f"{path}: {samples.size / RATE:.1f} s long, but its text takes about {expected:.1f} s"
                        " to say (was the recorder left running?)"
                    )
            speeches.append(Speech(number, RECORDED, path, voice.normalise(samples, str(path))))
        elif beat.narration:
            drafted = draft_kept(beat.narration, clip.voice, f"{clip.stem} beat {number}", cache)
            speeches.append(Speech(number, DRAFT, None, drafted))
        else:
            speeches.append(None)
    return tuple(speeches)


def draft_kept(text: str, language: str, name: str, cache: Path | None) -> Samples:
    """``text`` in the draft voice, normalised; kept in ``cache`` under the text, voice, engine and this code."""
    if cache is None:
        return voice.normalise(voice.draft(text, language), name)
    decided = [text, language, voice.DRAFT_WORDS_PER_MINUTE, _engine(), *_code()]
    path = cache / f"{hashlib.sha256(json.dumps(decided).encode()).hexdigest()}.npy"
    with contextlib.suppress(OSError, ValueError):
        kept: Samples = np.load(path, allow_pickle=False)
        return kept
    samples = voice.normalise(voice.draft(text, language), name)
    cache.mkdir(parents=True, exist_ok=True)
    write_with(path, lambda temporary: np.save(temporary, samples, allow_pickle=False))
    return samples


def holds(speeches: Sequence[Speech | None]) -> tuple[float, ...]:
    """The least each beat may last: its voice with the lead before it and the pause after it (0: silent)."""
    return tuple(0.0 if s is None else LEAD + s.seconds + PAUSE for s in speeches)


def beat_tracks(speeches: Sequence[Speech | None], durations: Sequence[float], name: str) -> list[Samples]:
    """Each beat's sound, exactly as long as its video: silence, the voice from ``LEAD``, silence."""
    tracks = []
    for speech, seconds in zip(speeches, durations, strict=True):
        track = np.zeros(round(seconds * RATE), np.float32)
        if speech is not None:
            start = round(LEAD * RATE)
            if start + speech.samples.size > track.size:
                raise VoiceError(f"{name}: beat {speech.number} lasts {seconds:.2f} s, its voice {speech.seconds:.2f}")
            track[start : start + speech.samples.size] = speech.samples
        tracks.append(track)
    return tracks


def _bind(clip: Clip) -> dict[str, dict[str, str]]:
    """The ledger of the clip's recordings: each bound to the text it was first seen with (updated here)."""
    path = folder(clip) / LEDGER
    try:
        ledger = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ledger = {}
    if not isinstance(ledger, dict):
        ledger = {}
    changed = False
    for number, beat in enumerate(clip.beats, start=1):
        found = recording(clip, number)
        if found is None:
            continue
        digest = sha256_file(found)
        known = ledger.get(found.name)
        if not isinstance(known, dict) or known.get("sha256") != digest:
            ledger[found.name] = {"sha256": digest, "text": beat.narration}
            changed = True
    if changed:
        with contextlib.suppress(OSError):  # a read-only course folder: bound again next time
            write_text(path, json.dumps(ledger, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return ledger


def status(clips: Sequence[Clip]) -> list[BeatNarration]:
    """Per beat of ``clips``: recorded, draft or none, and whether a recording's text has changed since."""
    rows = []
    for clip in clips:
        ledger = _bind(clip)
        for number, beat in enumerate(clip.beats, start=1):
            path = recording(clip, number)
            if path is not None:
                bound = ledger.get(path.name, {})
                rows.append(BeatNarration(clip, number, RECORDED, path, bound.get("text") != beat.narration))
            else:
                rows.append(BeatNarration(clip, number, DRAFT if beat.narration else NONE, None, False))
    return rows
