"""Render a series incrementally: skip what is up to date, render the rest as parallel tasks.

Each clip's key (``pipeline.rendering.keys``) and its recorded outputs (``pipeline.rendering.manifest``) decide
whether it renders. A clip is one task, or several over ranges of its beats when workers
outnumber clips (``plan``); tasks run on an engine (``pipeline.rendering.engines``: this process, local
workers, or a Dask cluster), and the clip is joined and moved into place once all its tasks are
back. The manifest is rewritten after every clip that lands, so an interrupted run keeps what
it finished.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lessons.quality import Quality
from lessons.series import Clip
from lessons.settings import pixel_size
from pipeline.files import sha256_file
from pipeline.fonts import require_fonts
from pipeline.formats import Output
from pipeline.progress import Reporter
from pipeline.rendering import manifest
from pipeline.rendering.engines import Engine, InProcess, Processes
from pipeline.rendering.keys import ROOT, ClipKey, clip_keys
from pipeline.rendering.lock import output_lock
from pipeline.rendering.tasks import VOICES, Piece, PieceResult, pieces_per_clip, split_beats, splittable
from pipeline.request import Request
from pipeline.sound.narration import LEAD, Speech, holds, narrated, speak

if TYPE_CHECKING:
    from pipeline.rendering.render import RenderedClip

UP_TO_DATE, STALE, MISSING = "up to date", "stale", "missing"


@dataclass(frozen=True)
class Job:
    """One clip to render and what its manifest entry records (its tasks are ``Piece``s)."""

    clip: Clip
    key: str
    inputs: dict[str, str]
    options: dict[str, str]
    picture: str = ""


@dataclass(frozen=True)
class ClipState:
    """Whether a clip needs rendering, and why."""

    clip: Clip
    key: ClipKey
    state: str  # UP_TO_DATE, STALE or MISSING
    reason: str  # what made it stale or missing; empty when up to date
    # Its picture key is the one recorded: this lesson's math was worked out and drawn with this code before.
    known: bool = False


def default_jobs() -> int:
    """One worker per core."""
    return os.cpu_count() or 1


def clip_states(
    clips: Sequence[Clip],
    preset: Quality,
    out: Path,
    output: Output | None = None,
    root: Path = ROOT,
    entries: dict[str, manifest.Entry] | None = None,
    check_files: bool = True,
) -> list[ClipState]:
    """Compare every clip's key and outputs with the manifest, without importing manim or jax.

    ``root`` is where the sources are read from (the project itself, unless a test says otherwise).
    Without ``check_files`` a clip whose key matches its entry counts as up to date without its
    recorded files being hashed (what may need drawing, before the output folder is locked).
    """
    folder = out / preset.folder
    recorded = manifest.load(folder) if entries is None else entries
    fmt = output or Output()
    keys = clip_keys(clips, preset, fmt.options(), root, fmt.sound)
    return [
        _state(clip, key, recorded.get(fmt.entry_id(clip.id)), folder, check_files)
        for clip, key in zip(clips, keys, strict=True)
    ]


def _state(clip: Clip, key: ClipKey, entry: manifest.Entry | None, folder: Path, check_files: bool) -> ClipState:
    if entry is None:
        return ClipState(clip, key, MISSING, "never rendered here")
    known = bool(key.picture) and entry["picture"] == key.picture
    if entry["key"] != key.key:
        return ClipState(clip, key, STALE, _what_changed(clip, key, entry), known)
    damaged = manifest.damaged_file(folder, entry) if check_files else None
    if damaged is not None:
        return ClipState(clip, key, MISSING, f"{damaged} is missing or changed", known)
    return ClipState(clip, key, UP_TO_DATE, "", known)


def _what_changed(clip: Clip, key: ClipKey, entry: manifest.Entry) -> str:
    """The beats whose words changed, else the inputs, or failing that the options, that differ from the recorded ones.

    Only the words: a beat that starts from what an edited beat left on screen is redrawn too, as
    the render finds when it keys the beats.
    """
    edited = _beats_edited(clip, entry) if entry["picture"] == key.picture else []
    if edited:
        return "changed: " + "; ".join(edited)
    options = entry["options"]
    if options.get("entry") not in (None, key.options["entry"]):
        return f"changed: its entry in {Path(clip.source).name}"
    for now, recorded in ((key.files, entry["inputs"]), (key.options, options)):
        edited = sorted(name for name in set(now) & set(recorded) if now[name] != recorded[name])
        changed = edited or sorted(set(now) ^ set(recorded))  # files edited, else files added or dropped
        if changed:
            return "changed: " + ", ".join(changed)
    return "changed: the key"


def _beats_edited(clip: Clip, entry: manifest.Entry) -> list[str]:
    """``beat 3, its caption`` for each beat whose caption, narration or description differs from the recorded one."""
    recorded = entry["beats"]
    if len(recorded) != len(clip.beats):
        return []
    edited = []
    for number, (beat, before) in enumerate(zip(clip.beats, recorded, strict=True), start=1):
        fields = [
            name for name in ("caption", "narration", "description") if getattr(beat, name) != before.get(name, "")
        ]
        if fields:
            edited.append(f"beat {number}, its {' and '.join(fields)}")
    return edited


def render_series(
    request: Request, engine: Engine | None = None, reporter: Reporter | None = None
) -> list[manifest.Entry]:
    """Render the request's clips that are not up to date (all with ``force``); return the manifest entries of all.

    Tasks run on ``engine`` (a Dask cluster, or ``watch``'s warm workers); by default in the
    request's ``jobs`` local worker processes, or in this process when one will do. Progress goes to
    ``reporter`` (by default the request's).
    """
    report = reporter or request.reporter
    clips, preset, out, fmt = request.clips, request.quality, request.out, request.output
    # Every lesson to draw is worked out before the output folder is touched: a refused one writes nothing.
    # A clip whose picture key is recorded was worked out with this lesson and code before.
    states = clip_states(clips, preset, out, fmt, check_files=False)
    to_check = [s.clip for s in states if (request.force or s.state != UP_TO_DATE) and not s.known]
    if to_check:
        from pipeline.values import validate  # the math core, imported only when something new will be drawn

        validate(to_check)
    with output_lock(out):
        shutil.rmtree(out / ".work", ignore_errors=True)  # leftovers of a killed run; we hold the lock
        entries = manifest.load(request.folder)
        states = clip_states(clips, preset, out, fmt, entries=entries)
        todo = [s for s in states if request.force or s.state != UP_TO_DATE]
        require_fonts(s.clip for s in todo)
        voices = _voices(todo, fmt, out / ".cache" / VOICES)  # before anything renders: a bad recording stops it all
        report.start(len(states), [s.clip.stem for s in states if s not in todo])
        try:
            for entry in _run(todo, request, report, entries, engine, voices):
                entries[fmt.entry_id(entry["id"])] = entry
                manifest.save(request.folder, entries)
                reused = len(entry["reused"])
                beats = (len(entry["beats"]) - reused, reused)
                report.done(entry["stem"], entry["render_seconds"], entry["duration"], entry["frames"], beats)
        finally:
            shutil.rmtree(out / ".work", ignore_errors=True)
            report.finish()
    return [entries[fmt.entry_id(s.clip.id)] for s in states]


def _run(
    todo: list[ClipState],
    request: Request,
    report: Reporter,
    entries: dict[str, manifest.Entry],
    engine: Engine | None,
    voices: dict[str, tuple[Speech | None, ...]],
) -> Iterator[manifest.Entry]:
    if not todo:
        return
    from pipeline.rendering.render import assemble

    fmt = request.output
    recorded = {s.clip.id: entries.get(fmt.entry_id(s.clip.id)) for s in todo}
    owned = engine is None  # started here, so stopped here
    engine = engine or _local_engine(len(todo), request.jobs, fmt, todo)
    pieces = plan(
        longest_first(todo, {i: e["render_seconds"] for i, e in recorded.items() if e}),
        request,
        engine.workers,
        recorded,
        engine.remote,
        {clip_id: holds(speeches) for clip_id, speeches in voices.items()},
        {s.clip.id: s.key.picture for s in todo},
        {i: manifest.reusable(request.folder, e) for i, e in recorded.items() if e and not request.force},
    )
    jobs_by_id = {s.clip.id: Job(s.clip, s.key.key, s.key.files, s.key.options, s.key.picture) for s in todo}
    expected = {clip_id: entry["frames"] if entry else None for clip_id, entry in recorded.items()}
    drawn: dict[tuple[str, int], int] = {}  # frames so far, by clip and first beat of the task
    waiting = {clip_id: sum(p.clip.id == clip_id for p in pieces) for clip_id in jobs_by_id}
    results: dict[str, list[PieceResult]] = {clip_id: [] for clip_id in jobs_by_id}
    finished_tasks = 0

    def frames(piece: Piece, count: int) -> None:
        clip = piece.clip
        drawn[clip.id, piece.first] = count
        report.frames(clip.stem, sum(n for (i, _), n in drawn.items() if i == clip.id), expected[clip.id])

    try:
        for result in engine.run(pieces, frames):
            finished_tasks += 1
            report.tasks(result.piece.name, finished_tasks, len(pieces))
            clip_id = result.piece.clip.id
            results[clip_id].append(result)
            if len(results[clip_id]) == waiting[clip_id]:
                done = assemble(results.pop(clip_id), request.out, voices.get(clip_id), recorded[clip_id])
                yield entry_for(jobs_by_id[clip_id], done, request.quality)
    finally:
        if owned:
            engine.close()


def _voices(todo: Sequence[ClipState], fmt: Output, cache: Path) -> dict[str, tuple[Speech | None, ...]]:
    """Each narrated clip's voices, by id, when the output carries sound (drafted voices kept in ``cache``)."""
    if not fmt.sound:
        return {}
    return {s.clip.id: speak(s.clip, cache=cache) for s in todo if narrated(s.clip)}


def _local_engine(clips: int, jobs: int, fmt: Output, todo: Sequence[ClipState]) -> Engine:
    """Run in this process if one task runs at a time, else in workers."""
    workers = max(1, jobs)
    splits = any(splittable(fmt) and len(s.clip.beats) > 1 for s in todo)
    tasks = clips * (pieces_per_clip(clips, workers) if splits else 1)
    if min(workers, tasks) == 1:
        return InProcess()
    return Processes(min(workers, tasks))


def plan(
    states: Sequence[ClipState],
    request: Request,
    workers: int,
    recorded: dict[str, manifest.Entry | None],
    remote: bool = False,
    holds: dict[str, tuple[float, ...]] | None = None,
    pictures: dict[str, str] | None = None,
    reusable: dict[str, tuple[tuple[str, str], ...]] | None = None,
) -> list[Piece]:
    """The tasks of a render, longest first: each clip whole, or in ranges of beats when workers outnumber clips.

    A clip's beats are balanced by their recorded frames, and a task's length is its share of the
    clip's recorded render time (a clip never rendered goes first, in series order). Encoders
    share a machine's cores between local workers; on a cluster (``remote``) each task encodes
    on one thread and keeps its files to itself. ``holds`` are the least each beat may last, by clip id;
    ``pictures`` the clips' picture keys, and ``reusable`` the keys and start states of the beats whose
    recorded clips are intact (joined formats only: a task does not draw a beat whose key it finds there).
    """
    preset, out, fmt = request.quality, request.out, request.output
    per_clip = pieces_per_clip(len(states), workers) if splittable(fmt) else 1
    threads = 1 if remote else (0 if workers == 1 else max(1, (os.cpu_count() or 1) // workers))
    pieces: list[tuple[float, Piece]] = []
    for state in states:
        clip, entry = state.clip, recorded.get(state.clip.id)
        seconds = entry["render_seconds"] if entry else None
        costs = [float(b["frames"]) for b in entry["beats"]] if entry else []
        if len(costs) != len(clip.beats):
            costs = [1.0] * len(clip.beats)
        cache = None if remote else str(out / ".cache" / clip.id)
        scratch = None if remote else str(out / ".work")
        for first, last in split_beats(costs, per_clip):
            share = sum(costs[first - 1 : last]) / sum(costs)
            length = float(seconds) * share if seconds is not None else math.inf
            least = (holds or {}).get(clip.id, ())
            picture = (pictures or {}).get(clip.id, "")
            known = (reusable or {}).get(clip.id, ()) if splittable(fmt) else ()
            piece = Piece(clip, preset, fmt, first, last, threads, cache, scratch, least, picture, known)
            pieces.append((length, piece))
    return [piece for _, piece in sorted(pieces, key=lambda pair: pair[0], reverse=True)]  # a stable sort


def longest_first(states: Sequence[ClipState], seconds: dict[str, float]) -> list[ClipState]:
    """Clips in the order that finishes soonest on a few workers: the longest recorded render first.

    Clips never rendered before keep series order, ahead of the others (their cost is unknown).
    """

    def cost(state: ClipState) -> float:
        recorded = seconds.get(state.clip.id)
        return float(recorded) if isinstance(recorded, (int, float)) else math.inf

    return sorted(states, key=cost, reverse=True)


def entry_for(job: Job, done: RenderedClip, preset: Quality) -> manifest.Entry:
    """A rendered clip, described for the manifest."""
    from pipeline.values import by_beat, pictured

    clip, output = job.clip, done.output
    folder = done.video.parent
    beats: list[manifest.BeatEntry] = []
    start = 0.0
    speeches = done.speeches or (None,) * len(clip.beats)
    for beat, path, poster, caption, info, speech in zip(
        clip.beats, done.beats, done.posters, done.captions, done.beat_infos, speeches, strict=False
    ):
        end = start + info.duration
        beats.append(
            {
                "slug": beat.slug,
                "key": done.keys[len(beats)] if len(done.keys) == len(clip.beats) else "",
                "state": done.states[len(beats)] if len(done.states) == len(clip.beats) else "",
                "caption": beat.caption,
                "narration": beat.narration,
                "description": beat.description,
                "voice": speech.source if speech else "none",
                # When the voice speaks, in seconds from the beat's start (the subtitles' span).
                "speech": [LEAD, round(LEAD + speech.seconds, 6)] if speech else None,
                "file": str(path.relative_to(folder)),
                "poster": str(poster.relative_to(folder)),
                "caption_file": str(caption.relative_to(folder)),
                "start": round(start, 6),
                "end": round(end, 6),
                "frames": info.frames,
            }
        )
        start = end
    files = [done.video, *done.beats, *done.posters, *done.captions]
    return {
        "id": clip.id,
        "title": clip.title,
        "stem": clip.stem,
        "key": job.key,
        "picture": job.picture,
        "inputs": job.inputs,
        "options": job.options,
        "format": output.format,
        "transparent": output.transparent,
        "theme": output.theme,
        "captions": output.captions,
        "video": str(done.video.relative_to(folder)),
        "files": {str(p.relative_to(folder)): sha256_file(p) for p in files},
        "duration": done.info.duration if done.info else 0.0,
        "planned": done.planned,
        "frames": done.info.frames if done.info else 1,
        "fps": preset.fps,
        "aspect": output.aspect,
        "width": pixel_size(output.aspect, preset.height)[0],
        "height": preset.height,
        "beats": beats,
        "values": by_beat(clip, done.shown),  # as the scene showed them: not computed again
        "pictured": pictured(clip, done.shown),
        "render_seconds": round(done.seconds, 3),
        "reused": list(done.reused),  # beats whose recorded clip was reused as it was, not drawn
    }
