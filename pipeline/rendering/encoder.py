"""How clips are encoded: manim's segment encoder with fewer copies, and x264 settings for flat pictures.

manim copies every RGBA frame into a new FFmpeg frame and converts it to the codec's pixel format
again for each repeat of a held frame. Here the frame is wrapped without a copy, converted on one
thread, and a held frame is converted once and encoded as many times as it is shown (the bytes are
the same as manim's for the same options).

x264 takes most of a render's CPU at 1080p60. Its ``ultrafast`` preset at CRF 30, with CABAC, took
half the CPU of ``veryfast`` at CRF 23 on the gradient clip and came closer to the drawn frames
(PSNR 52.4 dB against 47.5; SSIM 0.9988 against 0.9976), in files about twice the size: these
frames are flat colour with sharp edges, which the costlier analysis of the slower presets does not
help. VP9 (transparent webm) in libvpx's realtime mode at speed 8 took a
tenth of the CPU of its default on the gradient clip at 480p15, 0.3 dB PSNR from it, in files 40%
larger. Other codecs (qtrle for transparent mov) keep manim's settings.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import av
from av.video.reformatter import VideoReformatter
from manim import Camera, ThreeDCamera, ThreeDScene
from manim._config.video_encoder import VideoEncoderSpec
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from pipeline.rendering.codecs import OPTIONS


class SegmentEncoder(VideoSegmentEncoder):
    """One video segment; frames are converted once, on this thread, from the renderer's own array."""

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        super().__init__(target=target, spec=spec)
        self._reformatter = VideoReformatter()

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        """Encode ``pixels`` ``repeat`` times at consecutive time stamps (one conversion)."""
        self._validate_frame(pixels, repeat)
        spec, stream = self.spec, cast(av.VideoStream, self._stream)
        try:
            rgba = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
            frame = self._reformatter.reformat(rgba, spec.width, spec.height, spec.pixel_format, threads=1)
            frame.time_base = 1 / spec.frame_rate
            for _ in range(repeat):
                frame.pts = self._next_pts
                self._next_pts += 1
                for packet in stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class FileWriter(SceneFileWriter):
    """manim's file writer with the encoder above."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        spec = self.video_encoder
        if spec is None:
            raise RuntimeError("video segments need resolved encoder settings")
        if spec.codec in OPTIONS:
            spec = replace(spec, options=tuple(sorted({**dict(spec.options), **OPTIONS[spec.codec]}.items())))
        return SegmentEncoder(target=target, spec=spec)


def renderer(scene_class: type) -> CairoRenderer:
    """A Cairo renderer for ``scene_class`` (with manim's camera for it) that writes with :class:`SegmentEncoder`."""
    camera = ThreeDCamera if issubclass(scene_class, ThreeDScene) else Camera
    return CairoRenderer(file_writer_class=FileWriter, camera_class=camera)
