"""Render one clip with manim, in this process, and move its finished files into place.

Every clip renders into a private work folder; only a complete, probed video (and its beat
clips) is moved into ``<out>/<preset folder>/``, so a failed or interrupted render never leaves
a broken file where a good one was.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from pipeline.errors import PrimerError
from pipeline.probe import VideoInfo, probe
from pipeline.quality import Quality
from scenes.catalog import Clip

ROOT = Path(__file__).resolve().parent.parent
MANIM_CFG = ROOT / "manim.cfg"


@dataclass(frozen=True)
class RenderedClip:
    """Where a clip's outputs landed, and what they hold."""

    clip: Clip
    video: Path
    beats: tuple[Path, ...]
    info: VideoInfo
    beat_infos: tuple[VideoInfo, ...]
    planned: float  # seconds of animation the scene asked for
    seconds: float  # wall time of the render


def output_paths(clip: Clip, quality: Quality, out: Path) -> tuple[Path, Path]:
    """The clip's video and its folder of beat clips, under ``out``."""
    folder = out / quality.folder
    return folder / f"{clip.stem}.mp4", folder / clip.stem


def beat_file(number: int, slug: str) -> str:
    """File name of one beat clip: ``02-tangent-at-minus-2.mp4``."""
    return f"{number:02d}-{slug}.mp4"


def render_clip(
    clip: Clip, quality: Quality, out: Path, on_frames: Callable[[int], None] | None = None
) -> RenderedClip:
    """Render ``clip`` at ``quality`` into ``out``, replacing its previous outputs only on success.

    ``on_frames`` is called with the number of frames drawn so far, as the render goes.
    """
    started = time.perf_counter()
    video, beats_dir = output_paths(clip, quality, out)
    video.parent.mkdir(parents=True, exist_ok=True)
    with _work_folder(out) as work:
        with _counting_frames(on_frames):
            rendered, sections, planned = _render_in(work, clip, quality, out / ".cache" / clip.id)
        info = _check(rendered, quality, clip)
        beat_infos = tuple(_check(section, quality, clip) for section in sections)
        if abs(info.duration - planned) > 1.5 / quality.fps or sum(b.frames for b in beat_infos) != info.frames:
            raise PrimerError(f"{clip.stem} came out {info.duration:.2f} s long, the scene planned {planned:.2f} s")
        staged = work / "beats"
        staged.mkdir()
        beats = []
        for number, (beat, section) in enumerate(zip(clip.beats, sections, strict=True), start=1):
            beats.append(beats_dir / beat_file(number, beat.slug))
            os.replace(section, staged / beats[-1].name)
        os.replace(rendered, video)
        _replace_dir(staged, beats_dir, work)
    return RenderedClip(clip, video, tuple(beats), info, beat_infos, planned, time.perf_counter() - started)


def scene_class(clip: Clip) -> Any:
    """Import the clip's scene class (this imports manim)."""
    return getattr(importlib.import_module(clip.module), clip.class_name)


def manim_config(quality: Quality, media_dir: Path, cache: Path, output_file: str) -> dict[str, Any]:
    """Per-run settings on top of ``manim.cfg``."""
    return {
        "quality": quality.manim_key,
        "media_dir": str(media_dir),
        # TeX and text are cached across runs: recompiling every MathTex costs ~0.4 s each.
        "tex_dir": str(cache / "Tex"),
        "text_dir": str(cache / "texts"),
        "save_sections": True,
        "output_file": output_file,
    }


def load_manim_defaults() -> None:
    """Read ``manim.cfg`` by absolute path: manim would otherwise only find it in the working directory."""
    from manim import config, logger

    logger.setLevel("WARNING")  # manim.cfg sets this too, but only once it has been read
    config.digest_file(str(MANIM_CFG))


@contextmanager
def _counting_frames(on_frames: Callable[[int], None] | None) -> Iterator[None]:
    """Report frames as manim's renderer adds them (a static wait adds many at once)."""
    if on_frames is None:
        yield
        return
    from manim.renderer.cairo_renderer import CairoRenderer

    original = CairoRenderer.add_frame
    drawn = 0

    def add_frame(renderer: CairoRenderer, frame: Any, num_frames: int = 1) -> None:
        nonlocal drawn
        original(renderer, frame, num_frames)
        drawn += num_frames
        on_frames(drawn)

    CairoRenderer.add_frame = add_frame  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        CairoRenderer.add_frame = original  # type: ignore[method-assign]


def _render_in(work: Path, clip: Clip, quality: Quality, cache: Path) -> tuple[Path, list[Path], float]:
    from manim import tempconfig

    load_manim_defaults()
    with tempconfig(manim_config(quality, work / "media", cache, clip.stem)):
        try:
            scene = scene_class(clip)()
            scene.render()
        except (KeyboardInterrupt, PrimerError):
            raise
        except Exception as error:
            message = str(error).strip().splitlines()
            detail = message[-1] if message else type(error).__name__
            raise PrimerError(f"rendering {clip.stem} failed: {detail}") from error
    videos = list((work / "media").rglob(f"{clip.stem}.mp4"))
    indexes = list((work / "media").rglob(f"sections/{clip.stem}.json"))
    if len(videos) != 1 or len(indexes) != 1:
        raise PrimerError(f"rendering {clip.stem} wrote no video")
    index = json.loads(indexes[0].read_text())
    sections = [indexes[0].parent / entry["video"] for entry in index]
    if len(sections) != len(clip.beats):
        raise PrimerError(f"{clip.stem} has {len(sections)} sections, the catalog lists {len(clip.beats)} beats")
    return videos[0], sections, float(scene.time)


def _check(video: Path, quality: Quality, clip: Clip) -> VideoInfo:
    info = probe(video)
    if (info.width, info.height, info.fps) != (quality.width, quality.height, Fraction(quality.fps)):
        raise PrimerError(
            f"{clip.stem} came out {info.width}x{info.height} at {info.fps} fps, "
            f"not {quality.width}x{quality.height} at {quality.fps}"
        )
    return info


@contextmanager
def _work_folder(out: Path) -> Iterator[Path]:
    """A private folder next to the outputs (same file system, so moves are atomic), always removed."""
    scratch = out / ".work"
    scratch.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=scratch))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _replace_dir(new: Path, target: Path, work: Path) -> None:
    """Put folder ``new`` at ``target``, moving any old one into ``work`` first."""
    if target.exists():
        os.replace(target, work / "previous-beats")
    os.replace(new, target)
