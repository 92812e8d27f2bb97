"""``primer watch``: re-render what a saved file affects, at low quality, until Ctrl-C.

Renders run on warm workers (``pipeline.rendering.engines.Processes`` with ``warm``): a spare process has
imported manim and jax but not the scenes, so a save starts drawing at once and sees the code as
saved; a stale clip renders as parallel tasks over its beats. With ``beat``, a save redraws that
one beat of one clip as a preview instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from lessons.quality import quality
from lessons.series import Clip, SeriesError, load_series
from pipeline.errors import PrimerError
from pipeline.formats import Look, Output
from pipeline.progress import PlainReporter
from pipeline.rendering.engines import Engine, Processes
from pipeline.rendering.keys import ROOT
from pipeline.rendering.schedule import UP_TO_DATE, clip_states, default_jobs, render_series
from pipeline.request import Request
from pipeline.words import counted

WATCHED = ("lessons", "scenes", "mathcore", "manim.cfg")
PRESET = quality("low")


def watch(
    series_path: Path,
    ids: Sequence[str],
    out: Path,
    echo: Callable[[str], None] = print,
    beat: int | None = None,
    engine: Engine | None = None,
    look: Look | None = None,
    changes: Iterable[object] | None = None,
) -> None:
    """Render what is stale once ``changes`` starts, then again after every non-empty batch of saved files.

    The series file is read again at every batch, so an edited entry renders as saved (a broken
    one is reported, and watching goes on). ``changes`` defaults to watchfiles' stream of
    file-system events under the project and the series file. It wakes up empty twice a second,
    the first time once the watcher is in place: files saved during the first render are seen.
    ``look`` is the output asked for (default: plain mp4 in the series file's theme and aspect).
    """
    look = look or Look()
    if changes is None:
        from watchfiles import watch as file_events

        paths = [ROOT / name for name in WATCHED] + [series_path]
        changes = file_events(*paths, debounce=300, yield_on_timeout=True, rust_timeout=500)
    names = ", ".join([*WATCHED, series_path.name])
    which = "every clip" if not ids else counted(len(ids), "clip")
    if beat is not None:
        which = f"beat {beat} of {ids[0]}"
    echo(f"watching {names} for {which}; Ctrl-C stops")
    workers = engine or Processes(default_jobs(), warm=True)
    started = False
    try:
        for batch in changes:
            if batch or not started:
                started = True
                try:
                    series = load_series(series_path)
                    output = look.output(series)
                except (SeriesError, ValueError) as error:
                    echo(f"error: {error}")
                    continue
                clips = [clip for clip in series.clips if not ids or clip.id in ids]
                if beat is None:
                    refresh(Request(series, tuple(clips), PRESET, output, out, default_jobs()), echo, workers)
                else:
                    preview(clips[0], beat, out, echo, output, workers)
                if isinstance(workers, Processes):
                    workers.prestart()  # nothing ran: still have a worker waiting for the first save
    finally:
        if engine is None:
            workers.close()


def preview(clip: Clip, beat: int, out: Path, echo: Callable[[str], None], output: Output, engine: Engine) -> None:
    """Redraw one beat as a preview; say where it is and how long it took."""
    from pipeline.commands.preview import render_beat

    try:
        done = render_beat(clip, PRESET, out, beat, output, engine)
    except (PrimerError, SeriesError) as error:
        echo(f"error: {error}")
        return
    echo(f"previewed {done.path.name} in {done.seconds:.1f} s")


def refresh(request: Request, echo: Callable[[str], None], engine: Engine | None = None) -> list[str]:
    """Render the request's clips whose key changed; say what was rendered and how long it took.

    Renders run on ``engine`` (by default fresh worker processes), which imports the edited modules anew.
    """
    states = clip_states(request.clips, request.quality, request.out, request.output)
    stale = tuple(s.clip for s in states if s.state != UP_TO_DATE)
    if not stale:
        echo("nothing to re-render")
        return []
    started = time.perf_counter()
    workers = engine or Processes(request.jobs)
    try:
        render_series(replace(request, clips=stale), workers, PlainReporter())
    except (PrimerError, SeriesError) as error:  # a broken scene or lesson mid-edit: say so, keep watching
        echo(f"error: {error}")
        return []
    finally:
        if engine is None:
            workers.close()
    names = [clip.stem for clip in stale]
    echo(f"re-rendered {', '.join(names)} in {time.perf_counter() - started:.1f} s")
    return names
