"""What a video file really holds, read with PyAV: stream facts and decoded frames."""

from __future__ import annotations

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


def last_frame(path: Path) -> npt.NDArray[np.uint8]:
    """The last frame of ``path`` as an RGB array (height, width, 3)."""
    with av.open(str(path)) as container:
        frame = None
        for frame in container.decode(video=0):  # noqa: B007 - keep the last one
            continue
    if frame is None:
        raise PrimerError(f"{path} holds no frames")
    return np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
