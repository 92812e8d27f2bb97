"""The lecture video: the series joined in order, with a chapter per clip and captions per beat.

Clips of one preset share codec, size and frame rate, so their video packets are copied, not
re-encoded: joining takes a moment, whatever the length. Their sound is laid end to end on the
same clock (silence for a silent clip) and encoded once, and the subtitles follow the narration.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np

from pipeline.errors import PrimerError
from pipeline.files import replacing
from pipeline.rendering.manifest import Entry
from pipeline.rendering.remux import audio_stream, encode_audio, interleave
from pipeline.sound.voice import RATE, Samples, sound_of
from pipeline.text.subtitles import Cue, beat_cues, write_subtitles

if TYPE_CHECKING:
    from av.container.core import Chapter

LECTURE = "lecture.mp4"


@dataclass(frozen=True)
class Lecture:
    """The files of a lecture and where its chapters start."""

    video: Path
    vtt: Path
    srt: Path
    chapters: tuple[tuple[str, float, float], ...]  # title, start, end in seconds
    cues: tuple[Cue, ...]


def build_lecture(folder: Path, entries: Sequence[Entry], name: str = LECTURE, title: str = "") -> Lecture:
    """Join the clips of ``entries`` (manifest entries, in series order) into ``folder/<name>``, titled ``title``."""
    clips = [folder / entry["video"] for entry in entries]
    video = folder / name
    sound = soundtrack(clips, [float(entry["duration"]) for entry in entries])
    chapters, frame_times = join_clips(clips, [f"{e['stem'][:2]}. {e['title']}" for e in entries], video, sound, title)
    cues = []
    # One clock, the packets': a beat starts when its first frame is shown, and ends when the next starts.
    for entry, times in zip(entries, frame_times, strict=True):
        frames = 0
        for beat in entry["beats"]:
            start = times[frames]
            frames += beat["frames"]
            cues.extend(beat_cues(beat, float(start), float(times[frames])))
    vtt, subrip = write_subtitles(video, cues)
    return Lecture(video, vtt, subrip, chapters, tuple(cues))


Chapters = tuple[tuple[str, float, float], ...]


def soundtrack(clips: Sequence[Path], durations: Sequence[float]) -> Samples | None:
    """The clips' sound end to end, each exactly as long as its video (None if every clip is silent)."""
    tracks, heard = [], False
    for clip, seconds in zip(clips, durations, strict=True):
        track = np.zeros(round(seconds * RATE), np.float32)
        found = sound_of(clip)
        if found is not None:
            heard = True
            track[: min(track.size, found.size)] = found[: track.size]
        tracks.append(track)
    return np.concatenate(tracks) if heard else None


def join_clips(
    clips: list[Path], titles: list[str], target: Path, sound: Samples | None = None, title: str = ""
) -> tuple[Chapters, list[list[Fraction]]]:
    """Copy every clip's packets one after another into ``target``.

    Returns the chapters, and per clip when each of its frames is shown in the lecture, then its end.
    """
    inputs = [av.open(str(clip)) for clip in clips]
    try:
        streams = [container.streams.video[0] for container in inputs]
        first = streams[0]
        for clip, stream in zip(clips, streams, strict=True):
            shape = (stream.codec_context.name, stream.width, stream.height, stream.time_base)
            if shape != (first.codec_context.name, first.width, first.height, first.time_base):
                raise PrimerError(f"{clip.name} does not match the first clip's codec, size or time base")
        with replacing(target) as temporary:
            chapters, frame_times = _copy_packets(inputs, streams, titles, temporary, sound, title)
    finally:
        for container in inputs:
            container.close()
    return chapters, frame_times


def _copy_packets(
    inputs: list[Any], streams: list[Any], titles: list[str], path: Path, sound: Samples | None, title: str = ""
) -> tuple[Chapters, list[list[Fraction]]]:
    time_base: Fraction = streams[0].time_base
    # One frame in stream ticks: a clip ends one frame after its last frame starts.
    frame = round(1 / (Fraction(streams[0].base_rate) * time_base))
    output = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
    if title:
        output.metadata["title"] = title  # what players show as the video's name
    marks: list[Chapter] = []
    frame_times: list[list[Fraction]] = []
    try:
        target = output.add_stream_from_template(streams[0])
        audio = [] if sound is None else encode_audio(sound, RATE, audio_stream(output, ".mp4", RATE))

        def copied() -> Iterator[Any]:
            offset = 0
            for number, (container, stream, title) in enumerate(zip(inputs, streams, titles, strict=True)):
                end = 0
                shown: list[int] = []
                for packet in container.demux(stream):
                    if packet.dts is None:  # the demuxer's empty flush packet
                        continue
                    end = max(end, packet.pts + frame)
                    shown.append(packet.pts + offset)
                    packet.pts += offset
                    packet.dts += offset
                    packet.stream = target
                    yield packet
                mark: Chapter = {
                    "id": number,
                    "start": offset,
                    "end": offset + end,
                    "time_base": time_base,
                    "metadata": {"title": title},
                }
                marks.append(mark)
                frame_times.append([tick * time_base for tick in [*sorted(shown), offset + end]])
                offset += end

        interleave(copied(), audio, output)
        output.set_chapters(marks)
    finally:
        output.close()
    chapters = tuple(
        (m["metadata"]["title"], float(m["start"] * time_base), float(m["end"] * time_base)) for m in marks
    )
    return chapters, frame_times
