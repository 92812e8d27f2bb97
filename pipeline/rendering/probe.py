"""What a video file really holds, read with PyAV.

Frames are counted from the container's packets (one per frame), and the last group of pictures
is decoded: that proves the file decodes to its end and gives its last frame, without decoding
every frame of a long clip.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

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
    frames: int
    duration: float  # seconds: frames / fps


def inspect(path: Path, alpha: bool = False) -> tuple[VideoInfo, npt.NDArray[np.uint8]]:
    """The stream's facts and its last frame (RGB, or RGBA with ``alpha``); ``PrimerError`` if unreadable."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            count, last_key = 0, None
            for packet in container.demux(stream):
                if packet.size:
                    count += 1
                    if packet.is_keyframe:
                        last_key = packet.pts
            if count == 0 or last_key is None:
                raise PrimerError(f"{path} holds no frames")
            container.seek(last_key, stream=stream)
            frame = _last_decoded(container, stream)
            fps = Fraction(stream.base_rate or stream.guessed_rate or 0)
            info = VideoInfo(stream.codec_context.name, stream.width, stream.height, fps, count, float(count / fps))
    except (av.error.FFmpegError, IndexError, OSError, ZeroDivisionError) as error:
        raise PrimerError(f"{path} is not a readable video ({error})") from error
    if frame is None:
        raise PrimerError(f"{path} does not decode")
    return info, np.asarray(frame.to_ndarray(format="rgba" if alpha else "rgb24"), dtype=np.uint8)


def _last_decoded(container: Any, stream: Any) -> Any:
    """Decode from the current (keyframe) position to the end; the last frame, or None.

    VP9 goes through libvpx, which (unlike FFmpeg's own decoder) reads the alpha channel that WebM
    keeps beside the picture.
    """
    decoder = av.CodecContext.create("libvpx-vp9", "r") if stream.codec_context.name == "vp9" else None
    frame = None
    if decoder is None:
        stream.codec_context.flush_buffers()
        for frame in container.decode(stream):  # noqa: B007 - keep the last one
            continue
        return frame
    for packet in container.demux(stream):
        for frame in decoder.decode(packet if packet.size else None):  # noqa: B007
            continue
    return frame


def probe(path: Path) -> VideoInfo:
    """The facts of ``path``'s video stream."""
    return inspect(path)[0]


def last_frame(path: Path, alpha: bool = False) -> npt.NDArray[np.uint8]:
    """The last frame of ``path`` as an RGB (or, with ``alpha``, RGBA) array."""
    return inspect(path, alpha)[1]
