"""Render one clip with manim, in this process, and move its finished files into place.

Every clip renders into a private work folder; only a complete, probed video (with its beat
clips, their poster frames and captions) is moved into ``<out>/<preset folder>/``, so a failed or
interrupted render never leaves a broken file where a good one was.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import shutil
import socket
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from lessons.quality import Quality
from lessons.series import Clip, beat_stem
from lessons.settings import Settings, frame_size, pixel_size
from mathcore.errors import MathError
from mathcore.expressions import ExpressionError
from pipeline.errors import PrimerError
from pipeline.files import link_or_copy
from pipeline.formats import Output
from pipeline.rendering import manifest
from pipeline.rendering.probe import VideoInfo, inspect
from pipeline.rendering.remux import copy_picture, faststart, join, with_audio
from pipeline.rendering.tasks import COMPILED, Piece, PieceResult, splittable
from pipeline.sound.narration import Speech, beat_tracks
from pipeline.sound.voice import RATE
from pipeline.values import lesson_error
from scenes.layout import LayoutError, LayoutProbe
from scenes.shown import Shown

ROOT = Path(__file__).resolve().parents[2]  # the project folder
MANIM_CFG = ROOT / "manim.cfg"
CACHE_KINDS = ("Tex", "texts")  # manim's folders of typeset formulas and of text, as SVG


@dataclass(frozen=True)
class RenderedClip:
    """Where a clip's outputs landed, and what they hold."""

    clip: Clip
    output: Output
    video: Path
    beats: tuple[Path, ...]  # one clip per beat (none for a still image)
    posters: tuple[Path, ...]  # the last frame of each beat, as PNG
    captions: tuple[Path, ...]  # each beat's caption, as text
    info: VideoInfo | None  # None for a still image
    beat_infos: tuple[VideoInfo, ...]
    planned: float  # seconds of animation the scene asked for
    shown: dict[str, Shown]  # every number and formula the scene put on screen
    seconds: float  # wall time of the render
    speeches: tuple[Speech | None, ...] = ()  # each beat's voice, when the clip carries sound
    keys: tuple[str, ...] = ()  # each beat's key (``scenes.state``), for reusing it next time
    states: tuple[str, ...] = ()  # the digest of the scene as each beat starts
    reused: tuple[int, ...] = ()  # the beats whose recorded clip was reused, not drawn


def render_piece(piece: Piece, on_frames: Callable[[int], None] | None = None) -> PieceResult:
    """Draw a task's beats (the earlier ones run skipped) and return its files as bytes.

    Runs anywhere: nothing is read from or written to the client's folders except the TeX cache
    and scratch folder the task names, and the cache only by atomic moves of finished files.
    ``on_frames`` is called with the number of frames drawn so far, as the render goes.
    """
    started = time.perf_counter()
    scratch = Path(piece.scratch) if piece.scratch else Path(tempfile.gettempdir()) / "primer-work"
    shared = Path(piece.cache) if piece.cache else Path(tempfile.gettempdir()) / "primer-cache" / piece.clip.id
    drawn = [0]

    def count(frames: int) -> None:
        drawn[0] = frames
        if on_frames is not None:
            on_frames(frames)

    from mathcore.compiled import keep_compiled

    keep_compiled(shared.parent / COMPILED)  # beside the TeX caches: the task's math compiles once per machine
    with work_folder(scratch) as work, private_cache(shared, work / "cache") as cache:
        with _counting_frames(count):
            whole, sections, planned, shown, scene = _render_in(work, piece, cache)
        reused = tuple(n for n in range(piece.first, piece.last + 1) if n not in scene.record.drawn)
        return PieceResult(
            piece,
            tuple(path.read_bytes() for path in sections),
            whole.read_bytes() if whole is not None else None,
            planned,
            shown,
            drawn[0],
            time.perf_counter() - started,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            socket.gethostname(),
            reused,
            tuple(scene.record.keys.get(n, "") for n in range(piece.first, piece.last + 1)),
            tuple(scene.record.states.get(n, "") for n in range(piece.first, piece.last + 1)),
        )


def assemble(
    results: Sequence[PieceResult],
    out: Path,
    speeches: Sequence[Speech | None] | None = None,
    previous: manifest.Entry | None = None,
) -> RenderedClip:
    """Check a clip's tasks, join their beat clips into the clip, add its sound and move it all into place.

    Only a complete, probed clip (with its beat clips, posters and captions) replaces the old one.
    ``speeches`` are the beats' voices (None: the clip is silent). A beat the tasks reused comes
    from ``previous``, the clip's manifest entry: its recorded beat clip, checked against its digest.
    """
    ordered = sorted(results, key=lambda result: result.piece.first)
    piece = ordered[0].piece
    clip, fmt, quality = piece.clip, piece.output, piece.quality
    starts = [1, *(result.piece.last + 1 for result in ordered)]
    if [result.piece.first for result in ordered] != starts[:-1] or starts[-1] != len(clip.beats) + 1:
        raise PrimerError(f"{clip.stem}: its tasks do not cover beats 1 to {len(clip.beats)} once each")
    planned = sum(result.planned for result in ordered)  # the beats drawn; reused ones add their recorded length
    shown = {name: value for result in ordered for name, value in result.shown.items()}
    seconds = sum(result.seconds for result in ordered)
    folder = out / quality.folder
    video, beats_dir = folder / fmt.video_name(clip.stem), folder / fmt.beats_name(clip.stem)
    folder.mkdir(parents=True, exist_ok=True)
    with work_folder(out / ".work") as work:
        if not fmt.has_beats:
            image = _write(work / f"{clip.stem}.png", ordered[0].whole, clip)
            _check_image(image, pixel_size(fmt.aspect, quality.height), clip)
            os.replace(image, video)
            return RenderedClip(clip, fmt, video, (), (), (), None, (), planned, shown, seconds)
        staged = work / "beats"
        staged.mkdir()
        reused = {number for result in ordered for number in result.reused}
        drawn = iter([data for result in ordered for data in result.sections])
        if sum(len(result.sections) for result in ordered) != len(clip.beats) - len(reused):
            raise PrimerError(f"{clip.stem} came back with beat clips for {len(clip.beats) - len(reused)} beats")
        sections = []
        for number, beat in enumerate(clip.beats, start=1):
            path = staged / f"{beat_stem(number, beat.slug)}.{fmt.beat_extension}"
            if number in reused:
                sections.append(_reuse(folder, previous, number, path, fmt, clip))
            else:
                sections.append(_write(path, next(drawn), clip))
        checked = [_check(section, quality, fmt, clip) for section in sections]
        beat_infos = tuple(info for info, _ in checked)
        planned += sum(beat_infos[number - 1].duration for number in reused)
        # Each beat's sound, exactly as long as its picture (the sections are probed: their lengths are known).
        tracks = None if speeches is None else beat_tracks(speeches, [b.duration for b in beat_infos], clip.stem)
        rendered = work / f"{clip.stem}.{fmt.format}"
        if splittable(fmt):
            join(sections, rendered, fmt.transparent, None if tracks is None else np.concatenate(tracks), RATE)
        else:
            faststart(_write(rendered, ordered[0].whole, clip))
        for number, section in enumerate(sections):  # mp4 and mov: the index first, for streaming
            if tracks is None:
                faststart(section)
            else:
                with_audio(section, tracks[number], RATE, fmt.transparent)
        info = _check(rendered, quality, replace(fmt, transparent=False), clip)[0]
        if abs(info.duration - planned) > 1.5 / quality.fps or sum(b.frames for b in beat_infos) != info.frames:
            raise PrimerError(f"{clip.stem} came out {info.duration:.2f} s long, the scene planned {planned:.2f} s")
        beats, posters, captions = [], [], []
        for beat, section, (_, last) in zip(clip.beats, sections, checked, strict=True):
            beats.append(beats_dir / section.name)
            posters.append(beats_dir / f"{section.stem}.png")
            captions.append(beats_dir / f"{section.stem}.txt")
            Image.fromarray(last).save(staged / posters[-1].name)
            (staged / captions[-1].name).write_text(beat.caption + "\n", encoding="utf-8")
        os.replace(rendered, video)
        _replace_dir(staged, beats_dir, work)
    remove_moved(folder, clip, fmt)
    return RenderedClip(
        clip,
        fmt,
        video,
        tuple(beats),
        tuple(posters),
        tuple(captions),
        info,
        beat_infos,
        planned,
        shown,
        seconds,
        tuple(speeches or ()),
        tuple(key for result in ordered for key in result.keys),
        tuple(state for result in ordered for state in result.states),
        tuple(sorted(reused)),
    )


def _reuse(folder: Path, entry: manifest.Entry | None, number: int, path: Path, fmt: Output, clip: Clip) -> Path:
    """Beat ``number``'s recorded clip, its picture only, copied to ``path`` (it must still be as recorded)."""
    name = entry["beats"][number - 1]["file"] if entry and len(entry["beats"]) >= number else ""
    if entry is None or not manifest.intact(folder, entry, name):
        raise PrimerError(f"{clip.stem}: beat {number}'s recorded clip changed while rendering; render it again")
    return copy_picture(folder / str(name), path, fmt.transparent)


def _write(path: Path, data: bytes | None, clip: Clip) -> Path:
    if not data:
        raise PrimerError(f"rendering {clip.stem} wrote no {path.suffix[1:]} file")
    path.write_bytes(data)
    return path


@contextmanager
def private_cache(shared: Path, private: Path) -> Iterator[Path]:
    """A task's own copy of a clip's TeX and text cache; what it adds is published back when it succeeds.

    Tasks of one clip run at once, and manim writes a formula's files in steps that another
    process could read half-done: each task compiles into its own folder, seeded with copies of
    the finished SVGs (copies, not links: manim rewrites a text's SVG in place each time it uses
    it), and new SVGs reach the shared cache by an atomic rename.
    """
    for kind in CACHE_KINDS:
        (private / kind).mkdir(parents=True)
        for svg in _finished(shared / kind):
            shutil.copyfile(svg, private / kind / svg.name)
    yield private
    for kind in CACHE_KINDS:
        (shared / kind).mkdir(parents=True, exist_ok=True)
        for svg in _finished(private / kind):
            target = shared / kind / svg.name
            if not target.exists():
                temporary = target.with_name(f".{svg.stem}-{uuid.uuid4().hex}.svg")
                link_or_copy(svg, temporary)
                os.replace(temporary, target)


def _finished(folder: Path) -> list[Path]:
    """The SVGs in ``folder``, not those another task is still moving in (``.name-….svg``)."""
    return [svg for svg in folder.glob("*.svg") if not svg.name.startswith(".")]


#: Files made beside a clip from its video (subtitles, transcript, descriptions), removed with it when it moves.
SIDECARS = (".vtt", ".srt")
SIDECAR_NAMES = (
    "-transcript.html",
    "-transcript.txt",
    "-descriptions.vtt",
    "-described.mp4",
    "-described.vtt",
    "-described.srt",
)


def remove_moved(folder: Path, clip: Clip, fmt: Output) -> list[Path]:
    """Remove this format's outputs of the clip under an older number (it moved in the series); return them."""
    removed = []
    for number in range(1, 100):
        stem = f"{number:02d}-{clip.id}"
        if stem == clip.stem:
            continue
        video = folder / fmt.video_name(stem)
        sidecars = [video.with_suffix(suffix) for suffix in SIDECARS]
        sidecars += [video.with_name(f"{video.stem}{suffix}") for suffix in SIDECAR_NAMES]
        for path in (video, folder / fmt.beats_name(stem), *sidecars):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            else:
                continue
            removed.append(path)
    return removed


def scene_class(clip: Clip) -> Any:
    """Import the clip's scene class (this imports manim)."""
    return getattr(importlib.import_module(clip.module), clip.class_name)


def make_scene(clip: Clip, settings: Settings | None = None, probe: Any = None, **kwargs: Any) -> Any:
    """A scene of the clip's template: the clip (its lesson and captions) drawn with ``settings``."""
    return scene_class(clip)(clip=clip, settings=settings or Settings(), probe=probe, **kwargs)


def scene_settings(
    output: Output,
    holds: tuple[float, ...] = (),
    beats: tuple[int, int] | None = None,
    picture: str = "",
    reusable: tuple[tuple[str, str], ...] = (),
) -> Settings:
    """How a scene is drawn for ``output``: its colours, frame and captions, the beats' holds and range, their keys."""
    return Settings(output.palette, output.aspect, output.captions, holds, beats, picture, reusable)


def frame_config(quality: Quality, output: Output) -> dict[str, Any]:
    """Manim's frame for ``output``'s aspect at ``quality``: pixels and scene units, and the background."""
    width, height = pixel_size(output.aspect, quality.height)
    frame_width, frame_height = frame_size(output.aspect)
    return {
        "pixel_width": width,
        "pixel_height": height,
        "frame_width": frame_width,
        "frame_height": frame_height,
        "background_color": output.palette.background,
    }


def where_in_project(error: BaseException) -> str:
    """``scenes/tangent.py, line 120``: the innermost frame of the traceback in project code."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(ROOT)
        and not Path(frame.filename).resolve().is_relative_to(ROOT / ".venv")
    ]
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        path = Path(error.filename)
        shown = path.relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        return f"{shown}, line {error.lineno}"
    if not frames:
        return ""
    last = frames[-1]
    return f"{Path(last.filename).resolve().relative_to(ROOT)}, line {last.lineno}"


def failure(clip: Clip, error: BaseException) -> PrimerError:
    """One line for a scene that raised: what went wrong and where in project code."""
    message = str(error).strip().splitlines()
    detail = message[-1] if message else type(error).__name__
    where = where_in_project(error)
    return PrimerError(f"rendering {clip.stem} failed: {detail}" + (f" ({where})" if where else ""))


def manim_config(
    quality: Quality,
    output: Output,
    media_dir: Path,
    cache: Path,
    output_file: str,
    encoder_options: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Per-run settings on top of ``manim.cfg`` (``encoder_options`` replace its ``video_encoder.options``)."""
    settings = {
        "quality": quality.manim_key,
        **frame_config(quality, output),
        "format": output.format,
        "transparent": output.transparent,
        "save_sections": output.has_beats,
        "media_dir": str(media_dir),
        # TeX and text are cached across runs: recompiling every MathTex costs ~0.4 s each.
        "tex_dir": str(cache / "Tex"),
        "text_dir": str(cache / "texts"),
        "output_file": output_file,
    }
    if encoder_options is not None:
        settings["video_encoder_options"] = encoder_options
    return settings


def load_manim_defaults() -> None:
    """Read ``manim.cfg`` by absolute path: manim would otherwise only find it in the working directory."""
    from manim import config, logger

    logger.setLevel("ERROR")  # failures are raised as exceptions; its warnings would only clutter progress
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


def _render_in(work: Path, piece: Piece, cache: Path) -> tuple[Path | None, list[Path], float, dict[str, Shown], Any]:
    """Run manim on the piece's beats in ``work``: manim's file (gif, png), the beat clips drawn, time, text, scene."""
    from manim import config, tempconfig

    from pipeline.rendering.encoder import renderer

    load_manim_defaults()
    clip, output, media = piece.clip, piece.output, work / "media"
    threads = piece.encoder_threads
    encoder = {**config.video_encoder_options, "threads": str(threads)} if threads else None
    with tempconfig(manim_config(piece.quality, output, media, cache, clip.stem, encoder)):
        try:
            settings = scene_settings(output, piece.holds, (piece.first, piece.last), piece.picture, piece.reusable)
            # The layout is checked while drawing; the first fault stops the render, so nothing lands.
            probe = LayoutProbe(clip.stem, stop_at_first=True, type_size=True)
            scene = make_scene(clip, settings, probe, renderer=renderer(scene_class(clip)))
            scene.render()
        except (KeyboardInterrupt, PrimerError):
            raise
        except LayoutError as error:
            raise PrimerError(f"{error} (nothing was written; `primer check {clip.id}` lists every fault)") from error
        except (MathError, ExpressionError) as error:
            raise lesson_error(clip, error) from error
        except Exception as error:
            raise failure(clip, error) from error
    # A skipped beat's clock runs on exact durations, a drawn one's in whole frames: count the drawn beats only.
    ends = {**{n - 1: start for n, start in scene.record.starts.items()}, piece.last: float(scene.time)}
    planned = sum(ends[n] - scene.record.starts[n] for n in scene.record.drawn) if scene.record.drawn else 0.0
    shown = dict(scene.shown)
    if not output.has_beats:
        images = list(media.rglob(f"{clip.stem}.png"))
        if len(images) != 1:
            raise PrimerError(f"rendering {clip.stem} wrote no image")
        return images[0], [], planned, shown, scene
    if not scene.record.drawn:  # every beat's segment is at hand: manim wrote nothing
        return None, [], planned, shown, scene
    indexes = list(media.rglob(f"sections/{clip.stem}.json"))
    if len(indexes) != 1:
        raise PrimerError(f"rendering {clip.stem} wrote no video")
    index = json.loads(indexes[0].read_text())
    sections = [indexes[0].parent / entry["video"] for entry in index]
    if len(sections) != len(scene.record.drawn):
        raise PrimerError(f"{piece.name} has {len(sections)} sections, not {len(scene.record.drawn)}")
    whole = None
    if not splittable(output):
        videos = list((media / "videos").rglob(f"{clip.stem}.{output.format}"))
        if len(videos) != 1:
            raise PrimerError(f"rendering {clip.stem} wrote no video")
        whole = videos[0]
    return whole, sections, planned, shown, scene


def _check(video: Path, quality: Quality, fmt: Output, clip: Clip) -> tuple[VideoInfo, npt.NDArray[np.uint8]]:
    """Probe ``video`` (it must decode to its end) and check its size and rate; its facts and last frame."""
    info, last = inspect(video, fmt.transparent)
    width, height = pixel_size(fmt.aspect, quality.height)
    # WebM counts time in milliseconds, so 15 fps reads back as 15000/1001: compare loosely.
    if (info.width, info.height) != (width, height) or abs(float(info.fps) - quality.fps) > 0.05:
        raise PrimerError(
            f"{clip.stem} came out {info.width}x{info.height} at {float(info.fps):.3f} fps, "
            f"not {width}x{height} at {quality.fps}"
        )
    return info, last


def _check_image(path: Path, size: tuple[int, int], clip: Clip) -> None:
    try:
        with Image.open(path) as image:
            found = image.size
    except OSError as error:
        raise PrimerError(f"{clip.stem}: {path.name} is not a readable image") from error
    if found != size:
        raise PrimerError(f"{clip.stem} came out {found[0]}x{found[1]}, not {size[0]}x{size[1]}")


@contextmanager
def work_folder(scratch: Path) -> Iterator[Path]:
    """A private folder in ``scratch`` (next to the outputs: moves are atomic), always removed."""
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
