"""What a video file really holds, read with PyAV: stream facts and decoded frames."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from pipeline.errors import PrimerError


@dataclass(frozen=True)
class VideoInfo:
    """The facts of a video's first stream."""

    codec: str
    width: int
    height: int
    fps: Fraction
    frames: int  # decoded, not the container's estimate
    duration: float  # seconds: frames / fps


def probe(path: Path) -> VideoInfo:
    """Decode ``path`` and report its stream; ``PrimerError`` if it is not a readable video."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            frames = sum(1 for _ in container.decode(stream))
            fps = Fraction(stream.base_rate or stream.guessed_rate or 0)
            info = VideoInfo(stream.codec_context.name, stream.width, stream.height, fps, frames, 0.0)
    except (av.error.FFmpegError, IndexError, OSError) as error:
        raise PrimerError(f"{path} is not a readable video ({error})") from error
    if frames == 0 or fps == 0:
        raise PrimerError(f"{path} holds no frames")
    return VideoInfo(info.codec, info.width, info.height, fps, frames, float(frames / fps))


def frames(path: Path) -> Iterator[av.VideoFrame]:
    """Every decoded frame of ``path``.

    VP9 goes through libvpx, which (unlike FFmpeg's own decoder) reads the alpha channel that WebM
    keeps beside the picture.
    """
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.codec_context.name == "vp9":
            decoder = av.CodecContext.create("libvpx-vp9", "r")
            for packet in container.demux(stream):
                yield from decoder.decode(packet)
        else:
            yield from container.decode(stream)


def last_frame(path: Path, alpha: bool = False) -> npt.NDArray[np.uint8]:
    """The last frame of ``path`` as an RGB (or, with ``alpha``, RGBA) array."""
    frame = None
    for frame in frames(path):  # noqa: B007 - keep the last one
        continue
    if frame is None:
        raise PrimerError(f"{path} holds no frames")
    return np.asarray(frame.to_ndarray(format="rgba" if alpha else "rgb24"), dtype=np.uint8)
