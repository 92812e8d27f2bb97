"""Described video (WCAG 1.2.5, extended): each beat's last frame held while the draft voice reads its description.

A clip's described version is its beat clips joined with a held frame after each described beat
(the beat's poster, encoded as the render encodes), so the packets of the picture are copied, not
encoded again. Its sound is the clip's own, with each description spoken in its hold at the
narration's loudness (-16 LUFS). Its subtitles carry the narration and, during each hold, the
description. The described lecture joins the described clips as the lecture joins the clips.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
from PIL import Image

from pipeline.files import replacing, sha256_file
from pipeline.outputs.lecture import join_clips, soundtrack
from pipeline.rendering.codecs import HOLD_OPTIONS
from pipeline.rendering.manifest import Entry
from pipeline.rendering.remux import join
from pipeline.sound import narration, voice
from pipeline.sound.voice import RATE, Samples, sound_of
from pipeline.text.subtitles import Cue, beat_cues, timed, write_subtitles
from pipeline.text.transcript import part

#: What a described video's name adds to its source's: ``01-derivative-described.mp4``.
SUFFIX = "-described"


@dataclass(frozen=True)
class Described:
    """A described video, its subtitles, how long each beat's picture is held, and its cues."""

    video: Path
    holds: tuple[float, ...]  # seconds held after each beat (0: not described)
    cues: tuple[Cue, ...]
    duration: float


def described_path(video: Path) -> Path:
    """``01-derivative-described.mp4`` beside ``01-derivative.mp4``."""
    return video.with_name(f"{video.stem}{SUFFIX}{video.suffix}")


def hold_frames(speech: Samples, fps: int) -> int:
    """Frames a beat's picture is held for its description: the lead, the voice and the pause, whole frames."""
    return math.ceil((narration.LEAD + speech.size / RATE + narration.PAUSE) * fps - 1e-9)


def encode_hold(poster: Path, frames: int, like: Path, target: Path) -> None:
    """``frames`` copies of ``poster`` (a PNG) encoded as ``like``'s picture is, so the two join by copying packets."""
    with av.open(str(like)) as source:
        model = source.streams.video[0].codec_context
        codec, width, height, pix_fmt = model.name, model.width, model.height, model.pix_fmt
        rate = Fraction(source.streams.video[0].base_rate or source.streams.video[0].average_rate or 1)
    with Image.open(poster) as image:  # converted as the render converts its frames (not as a PNG decoder tags them)
        pixels = np.asarray(image.convert("RGB"))
    picture = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(width, height, pix_fmt)
    encoder = {"h264": "libx264"}.get(codec, codec)
    with av.open(str(target), "w", format="mp4") as output:
        stream = cast(
            av.VideoStream, output.add_stream(encoder, rate=rate, options=dict(HOLD_OPTIONS.get(encoder, {})))
        )
        stream.pix_fmt, stream.width, stream.height = pix_fmt, width, height
        for index in range(frames):
            picture.pts, picture.time_base = index, 1 / rate
            output.mux(stream.encode(picture))
        output.mux(stream.encode(None))


def _key(entry: Entry, descriptions: Sequence[str], language: str) -> str:
    decided = [
        entry["files"][entry["video"]],  # the clip's sha256, as the manifest recorded it
        list(descriptions),
        language,
        voice.DRAFT_WORDS_PER_MINUTE,
        sha256_file(Path(__file__)),
    ]
    return hashlib.sha256(json.dumps(decided).encode()).hexdigest()


def _made_with(video: Path) -> str:
    try:
        with av.open(str(video)) as container:
            return str(container.metadata.get("comment", ""))
    except (OSError, av.FFmpegError):
        return ""


def build_described_clip(folder: Path, entry: Entry, language: str, cache: Path | None = None) -> Described:
    """``NN-id-described.mp4`` beside the clip of ``entry`` (an mp4), remade only when it or its descriptions change.

    ``language`` is the draft voice's; its voices are kept in ``cache`` (if given).
    """
    video = folder / entry["video"]
    target = described_path(video)
    told = part(entry).beats
    texts = [beat.described for beat in told]
    speeches = [
        narration.draft_kept(text, language, f"{entry['stem']} beat {number} description", cache) if text else None
        for number, text in enumerate(texts, start=1)
    ]
    fps = int(entry["fps"])
    holds = [0 if speech is None else hold_frames(speech, fps) for speech in speeches]
    cues: list[Cue] = []
    clock = 0.0
    for beat, text, speech, frames in zip(entry["beats"], texts, speeches, holds, strict=True):
        length = int(beat["frames"]) / fps
        cues.extend(beat_cues(beat, clock, clock + length))
        clock += length
        if speech is not None:
            spoken = (narration.LEAD, narration.LEAD + speech.size / RATE)
            cues.extend(timed(text, clock, clock + frames / fps, spoken))
            clock += frames / fps
    key = _key(entry, texts, language)
    if not (target.is_file() and _made_with(target) == key):
        _write(folder, entry, speeches, holds, target, key)
    write_subtitles(target, cues)
    return Described(target, tuple(frames / fps for frames in holds), tuple(cues), clock)


def _write(
    folder: Path, entry: Entry, speeches: Sequence[Samples | None], holds: Sequence[int], target: Path, key: str
) -> None:
    video, fps = folder / entry["video"], int(entry["fps"])
    original = sound_of(video)
    tracks: list[Samples] = []
    parts: list[Path] = []
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        done = 0
        for number, (beat, speech, frames) in enumerate(zip(entry["beats"], speeches, holds, strict=True), start=1):
            parts.append(folder / beat["file"])
            start, done = done, done + int(beat["frames"])
            track = np.zeros(round(done * RATE / fps) - round(start * RATE / fps), np.float32)
            if original is not None:
                piece = original[round(start * RATE / fps) : round(done * RATE / fps)]
                track[: piece.size] = piece
            tracks.append(track)
            if speech is None:
                continue
            hold = Path(scratch) / f"hold-{number:02d}.mp4"
            encode_hold(folder / beat["poster"], frames, video, hold)
            parts.append(hold)
            spoken = np.zeros(round(frames * RATE / fps), np.float32)
            lead = round(narration.LEAD * RATE)
            spoken[lead : lead + speech.size] = speech[: spoken.size - lead]
            tracks.append(spoken)
        with replacing(target) as temporary:
            join(parts, temporary, sound=np.concatenate(tracks), rate=RATE, metadata={"comment": key})


def build_described_lecture(folder: Path, clips: Sequence[tuple[Entry, Described]], name: str, title: str) -> Path:
    """The described clips joined into ``folder/<name>`` with a chapter per clip, and its subtitles."""
    videos = [described.video for _, described in clips]
    sound = soundtrack(videos, [described.duration for _, described in clips])
    target = folder / name
    titles = [f"{entry['stem'][:2]}. {entry['title']}" for entry, _ in clips]
    chapters, _ = join_clips(videos, titles, target, sound, title)
    cues = [
        Cue(cue.start + start, cue.end + start, cue.text)
        for (_, described), (_, start, _) in zip(clips, chapters, strict=True)
        for cue in described.cues
    ]
    write_subtitles(target, cues)
    return target
