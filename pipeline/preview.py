"""Previews: one beat of a clip drawn alone, and one frame of a clip as a PNG.

A beat renders with the beats before it run but skipped (nothing drawn), so its frames are those
of the whole clip; a preview is not a render of record: it lands in ``previews/``, not in the
manifest, and never replaces a clip.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from pipeline.errors import PrimerError
from pipeline.formats import Output
from pipeline.quality import Quality
from scenes.catalog import Clip
from scenes.palette import DEFAULT_THEME, THEME_VARIABLE

PREVIEWS = "previews"


@dataclass(frozen=True)
class Preview:
    """A written preview and what it took."""

    path: Path
    seconds: float


def render_beat(clip: Clip, quality: Quality, out: Path, beat: int, theme: str = DEFAULT_THEME) -> Preview:
    """Draw beat ``beat`` (from 1) of ``clip`` alone into ``<out>/<preset>/previews/<stem>-beat-NN-<slug>.mp4``."""
    from manim import tempconfig

    from pipeline.lock import output_lock
    from pipeline.remux import faststart
    from pipeline.render import failure, load_manim_defaults, make_scene, manim_config, work_folder

    if not 1 <= beat <= len(clip.beats):
        raise PrimerError(f"{clip.id} has beats 1 to {len(clip.beats)}, not {beat}")
    started = time.perf_counter()
    os.environ[THEME_VARIABLE] = theme  # read when the scenes are first imported
    slug = clip.beats[beat - 1].slug
    name = f"{clip.stem}{Output(theme=theme).theme_suffix}-beat-{beat:02d}-{slug}"
    folder = out / quality.folder / PREVIEWS
    folder.mkdir(parents=True, exist_ok=True)
    load_manim_defaults()
    with output_lock(out), work_folder(out) as work:
        settings = manim_config(quality, Output(theme=theme), work / "media", out / ".cache" / clip.id, name)
        settings["save_sections"] = False
        with tempconfig(settings):
            try:
                scene = make_scene(clip)
                scene.only_beat = beat
                scene.render()
            except (KeyboardInterrupt, PrimerError):
                raise
            except Exception as error:
                raise failure(clip, error) from error
        videos = list((work / "media" / "videos").rglob(f"{name}.mp4"))
        if len(videos) != 1:
            raise PrimerError(f"the preview of {clip.stem} beat {beat} wrote no video")
        faststart(videos[0])
        target = folder / f"{name}.mp4"
        os.replace(videos[0], target)
    return Preview(target, time.perf_counter() - started)


def write_still(video: Path, at: float, target: Path) -> Path:
    """The frame of ``video`` shown at ``at`` seconds, as a PNG at ``target``."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(stream.frames / (stream.base_rate or 1)) if stream.frames else None
        if at < 0 or (duration is not None and at >= duration):
            raise PrimerError(f"{video.name} is {duration:.2f} s long: --at must be in [0, {duration:.2f})")
        base = stream.time_base
        assert base is not None
        container.seek(int(at / base), stream=stream, backward=True, any_frame=False)
        chosen = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > at + 1e-9:
                break
            chosen = frame
    if chosen is None:
        raise PrimerError(f"{video.name} has no frame at {at:g} s")
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(chosen.to_ndarray(format="rgb24")).save(target)
    return target
