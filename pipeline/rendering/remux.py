"""Packet copies: clips joined end to end, and an mp4 or mov rewritten with its index first.

With the index (the ``moov`` box) ahead of its media, a player or an LMS can start streaming
before the whole file has arrived. Packets are copied, not encoded again: the frames are the same bits.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]
#: The containers that have a ``moov`` index to move.
INDEXED = (".mp4", ".mov")


@contextmanager
def _rewriting(path: Path) -> Iterator[tuple[Any, Any]]:
    """``path`` open for reading and its replacement open for writing (index first); it replaces ``path`` on success."""
    temporary = path.with_name(f".{path.stem}-rewrite{path.suffix}")
    try:
        with (
            av.open(str(path)) as source,
            av.open(str(temporary), "w", format=path.suffix[1:], options=_options(path)) as target,
        ):
            yield source, target
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _options(path: Path) -> dict[str, str]:
    return {"movflags": "+faststart"} if path.suffix in INDEXED else {}


def faststart(path: Path) -> None:
    """Rewrite ``path`` in place with its index first (nothing to do for other containers)."""
    if path.suffix not in INDEXED:
        return
    with _rewriting(path) as (source, target):
        kept = [s for s in source.streams if s.type in ("video", "audio")]
        streams = {s.index: target.add_stream_from_template(s) for s in kept}
        for packet in source.demux(*kept):
            if packet.dts is None:  # the demuxer's empty flush packet
                continue
            packet.stream = streams[packet.stream.index]
            target.mux(packet)


def top_level_boxes(path: Path) -> list[str]:
    """The names of an mp4's top-level boxes in file order: ``['ftyp', 'moov', 'mdat']`` when fast-started."""
    names = []
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        offset = 0
        while offset + 8 <= size:
            file.seek(offset)
            header = file.read(16)
            length, name = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:  # a 64-bit size follows the name
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:  # the box runs to the end of the file
                length = size - offset
            names.append(name)
            offset += length
    return names


def join(
    parts: Sequence[Path],
    target: Path,
    alpha: bool = False,
    sound: Samples | None = None,
    rate: int = 0,
    metadata: dict[str, str] | None = None,
) -> Path:
    """Concatenate clips encoded alike into ``target`` by copying their packets (index first for mp4 and mov).

    FFmpeg's concat demuxer lays the parts end to end on one clock; the decoding times are left
    to the muxer, since consecutive parts may restart them. ``alpha`` keeps a WebM's alpha plane;
    ``sound`` (mono, at ``rate``) is encoded beside the picture in the same pass; ``metadata`` tags the file.
    """
    listing = "".join(f"file 'file:{part.resolve().as_posix()}'\n" for part in parts).encode()
    with (
        av.open(io.BytesIO(listing), "r", format="concat", options={"safe": "0"}) as source,
        av.open(str(target), "w", format=target.suffix[1:], options=_options(target)) as output,
    ):
        output.metadata.update(metadata or {})
        _mux_with_sound(source, output, target.suffix, alpha, sound, rate, restart_dts=True)
    return target


def copy_picture(source: Path, target: Path, alpha: bool = False) -> Path:
    """Copy ``source``'s picture into ``target`` (the same container), without its sound."""
    with (
        av.open(str(source)) as reading,
        av.open(str(target), "w", format=target.suffix[1:], options=_options(target)) as output,
    ):
        _mux_with_sound(reading, output, target.suffix, alpha, None, 0)
    return target


#: The sound each container carries: AAC in mp4 and mov, Opus in WebM.
AUDIO_CODECS = {".mp4": "aac", ".mov": "aac", ".webm": "libopus"}
AUDIO_BITRATE = 96_000
AUDIO_OPTIONS = {".mp4": {"aac_coder": "fast"}, ".mov": {"aac_coder": "fast"}}


def encode_audio(samples: Samples, rate: int, stream: Any) -> list[Any]:
    """Mono float ``samples`` encoded by ``stream``'s encoder, as packets (the encoder's delay is in their times)."""
    codec = stream.codec_context
    resampler = av.AudioResampler(format=codec.format.name, layout="mono", rate=rate)
    size = codec.frame_size or 1024
    packets = []
    for start in range(0, samples.size, size):
        chunk = np.ascontiguousarray(samples[start : start + size].reshape(1, -1), dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        for converted in resampler.resample(frame):
            packets.extend(stream.encode(converted))
    packets.extend(stream.encode(None))
    return packets


def audio_stream(output: Any, suffix: str, rate: int) -> Any:
    """A mono audio stream in ``output`` with the codec its container carries.

    FFmpeg's AAC encoder runs its fast coder: half the CPU of its default on the draft voice, and
    nearer the samples (40.5 dB SNR against 26.6 on 42 s of speech), in files 5% larger.
    """
    stream = output.add_stream(AUDIO_CODECS[suffix], rate=rate, layout="mono", options=AUDIO_OPTIONS.get(suffix, {}))
    stream.bit_rate = AUDIO_BITRATE
    return stream


def interleave(video: Iterable[Any], audio: Sequence[Any], output: Any) -> None:
    """Mux ``video`` packets as they come and ``audio`` packets in time order between them."""
    pending = iter(audio)
    waiting = next(pending, None)
    for packet in video:
        at = packet.pts * packet.time_base
        while waiting is not None and waiting.pts * waiting.time_base <= at:
            output.mux(waiting)
            waiting = next(pending, None)
        output.mux(packet)
    while waiting is not None:
        output.mux(waiting)
        waiting = next(pending, None)


def with_audio(path: Path, samples: Samples, rate: int, alpha: bool = False) -> None:
    """Rewrite the video ``path`` in place with ``samples`` as its sound (index first for mp4 and mov)."""
    with _rewriting(path) as (source, target):
        _mux_with_sound(source, target, path.suffix, alpha, samples, rate)


def _mux_with_sound(
    source: Any, output: Any, suffix: str, alpha: bool, sound: Samples | None, rate: int, restart_dts: bool = False
) -> None:
    """Copy ``source``'s video packets into ``output``, with ``sound`` encoded and interleaved if given."""
    video = source.streams.video[0]
    stream = output.add_stream_from_template(video)
    if alpha and suffix == ".webm":
        stream.pix_fmt = "yuva420p"
    audio = [] if sound is None else encode_audio(sound, rate, audio_stream(output, suffix, rate))

    def copied() -> Iterator[Any]:
        for packet in source.demux(video):
            if packet.dts is None:  # the demuxer's empty flush packet
                continue
            if restart_dts:
                packet.dts = None
            packet.stream = stream
            yield packet

    interleave(copied(), audio, output)
