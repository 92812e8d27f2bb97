"""The segment encoder: manim's bytes for manim's options, held frames converted once, x264's settings."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from manim import Camera, ThreeDCamera
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from pipeline.rendering.codecs import X264
from pipeline.rendering.encoder import FileWriter, SegmentEncoder, renderer
from pipeline.rendering.render import scene_class
from tests.conftest import clip_by_id

WIDTH, HEIGHT = 64, 48


def spec(codec: str = "libx264", pixel_format: str = "yuv420p", container: str = "mp4") -> VideoEncoderSpec:
    return VideoEncoderSpec(
        container_format=container,
        codec=codec,
        pixel_format=pixel_format,
        width=WIDTH,
        height=HEIGHT,
        frame_rate=Fraction(15),
        options=(("crf", "23"), ("threads", "1")),
    )


def frames() -> list[tuple[np.ndarray, int]]:
    """Frames with edges and a moving square, some held for several frames."""
    shown = []
    for step, repeat in enumerate((1, 3, 1, 5, 2)):
        pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
        pixels[..., 3] = 255
        pixels[8:20, 4 + 6 * step : 16 + 6 * step] = (240, 130, 40, 255)
        pixels[30:, :, 2] = 200
        shown.append((pixels, repeat))
    return shown


def encode(encoder: VideoSegmentEncoder) -> None:
    for pixels, repeat in frames():
        encoder.write_frame(pixels.copy(), repeat=repeat)
    encoder.finish()


def packets(path: Path) -> list[bytes]:
    """The encoded frames (a container's header may hold a random id)."""
    with av.open(str(path)) as container:
        return [bytes(packet) for packet in container.demux(video=0) if packet.size]


def decoded(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.mark.parametrize(
    ("codec", "pixel_format", "container"),
    [("libx264", "yuv420p", "mp4"), ("libvpx-vp9", "yuva420p", "webm"), ("qtrle", "argb", "mov")],
)
def test_same_bytes_as_manims_encoder(tmp_path: Path, codec: str, pixel_format: str, container: str) -> None:
    """Read in place and converted once per held frame, a segment encodes to manim's very packets."""
    settings = spec(codec, pixel_format, container)
    ours, theirs = tmp_path / f"ours.{container}", tmp_path / f"theirs.{container}"
    encode(SegmentEncoder(target=ours, spec=settings))
    encode(VideoSegmentEncoder(target=theirs, spec=settings))
    assert packets(ours) == packets(theirs)
    assert len(decoded(ours)) == sum(repeat for _, repeat in frames())


def test_vp9_segments_use_libvpx_realtime_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Transparent webm segments are encoded at libvpx's realtime speed 8, and keep their alpha."""
    import manim.scene.video_segment_encoder as manims

    given: list[dict[str, str]] = []
    original = manims.VideoSegmentEncoder.__init__

    def recording(self: VideoSegmentEncoder, *, target: Path, spec: VideoEncoderSpec) -> None:
        given.append(dict(spec.options))
        original(self, target=target, spec=spec)

    monkeypatch.setattr(manims.VideoSegmentEncoder, "__init__", recording)
    writer = FileWriter.__new__(FileWriter)
    writer.video_encoder = spec("libvpx-vp9", "yuva420p", "webm")
    target = tmp_path / "segment.webm"
    encode(writer._create_segment_encoder(target))
    assert given == [{"crf": "23", "threads": "1", "deadline": "realtime", "cpu-used": "8"}]
    with av.open(str(target)) as container:
        assert container.streams.video[0].metadata.get("alpha_mode") == "1"


def test_x264_segments_use_the_fast_settings(tmp_path: Path) -> None:
    """libx264 segments get ultrafast with CABAC at CRF 30 (x264 writes its settings into the stream)."""
    writer = FileWriter.__new__(FileWriter)
    writer.video_encoder = spec()
    target = tmp_path / "segment.mp4"
    encode(writer._create_segment_encoder(target))
    text = target.read_bytes()
    assert b"cabac=1" in text and b"crf=30.0" in text and b"subme=0" in text and b"threads=1" in text
    assert X264["preset"] == "ultrafast"
    expected = [pixels[..., :3] for pixels, repeat in frames() for _ in range(repeat)]
    for got, want in zip(decoded(target), expected, strict=True):
        assert np.abs(got.astype(int) - want).mean() < 6  # lossy, but the same picture


def test_renderer_keeps_manims_camera_for_each_scene() -> None:
    """A 3-D template still gets manim's 3-D camera; the others the plain one."""
    assert type(renderer(scene_class(clip_by_id("partial-derivative"))).camera) is ThreeDCamera
    assert type(renderer(scene_class(clip_by_id("gradient"))).camera) is Camera
    assert renderer(scene_class(clip_by_id("gradient")))._file_writer_class is FileWriter
