"""The ``primer`` command: list the series, print its numbers, check and render it, make lectures and decks.

Thin on purpose: options are declared here, the work is done in ``pipeline``, and known
errors become one line on stderr with a non-zero exit code (``--verbose`` adds the traceback).
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from lessons.quality import DEFAULT_QUALITY, QUALITIES, QUALITY_CHOICES, quality
from lessons.series import DEFAULT_SERIES, Clip, Series, SeriesError, beat_stem, load_series
from lessons.settings import ASPECTS
from pipeline.errors import PrimerError
from pipeline.formats import DEFAULT_FORMAT, FORMATS, Look
from pipeline.request import Request

if TYPE_CHECKING:
    from pipeline.rendering.engines import Engine

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class PrimerGroup(click.Group):
    """A click group whose errors are one line, whatever the caller (console script or tests)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command; print usage errors and failures as one line and exit non-zero."""
        kwargs["standalone_mode"] = False
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        verbose = "--verbose" in argv
        previous = _interrupt_on_sigterm()
        try:
            try:
                code = super().main(*args, **kwargs)
            except click.UsageError as error:
                message = error.format_message()
                if message.startswith("No such command"):
                    message += f" Commands: {', '.join(self.commands)}."
                _fail(message, EXIT_USAGE)
            except SeriesError as error:
                _fail(str(error), EXIT_USAGE, error if verbose else None)
            except (click.ClickException, PrimerError) as error:
                _fail(str(error), EXIT_FAILED, error if verbose else None)
            except (click.Abort, KeyboardInterrupt):
                _fail("interrupted; finished files are intact", EXIT_INTERRUPTED)
            except Exception as error:  # a bug: still one line, and the type says where to look
                _fail(f"unexpected {type(error).__name__}: {error}", EXIT_FAILED, error if verbose else None)
            sys.exit(code if isinstance(code, int) else 0)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)  # as it was: the caller may be a longer-lived process


def _fail(message: str, code: int, error: BaseException | None = None) -> None:
    if error is not None:
        traceback.print_exception(error, file=sys.stderr)
    click.echo(f"primer: error: {message}", err=True)
    sys.exit(code)


def _series(path: Path | None) -> Series:
    """The series file given, or the project's own."""
    return load_series(path or DEFAULT_SERIES)


def _clips(series: Series, ids: tuple[str, ...]) -> list[Clip]:
    """The chosen clips in series order (all of them when none is named), each once."""
    unknown = [i for i in ids if i not in series.ids]
    if unknown:
        raise click.UsageError(
            f"no clip {unknown[0]!r} in {series.path.name}; clips: {', '.join(series.ids)}", ctx=None
        )
    return [clip for clip in series.clips if not ids or clip.id in ids]


def _writable(out: Path) -> Path:
    """``out`` resolved, if it is (or can be made) a writable folder other than ``/`` or home; a usage error if not."""
    resolved = out.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise click.UsageError(f"--out {out}: {resolved} is the file system's root or your home folder; name a folder")
    existing = resolved
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise click.UsageError(f"--out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise click.UsageError(f"--out {out}: {existing} is not writable")
    return resolved


ids_argument = click.argument("ids", metavar="[ID]...", nargs=-1)
series_option = click.option(
    "--series",
    "series_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The series file to use [default: series.toml of the project].",
)
verbose_option = click.option("--verbose", is_flag=True, help="On failure, print the whole traceback too.")


@click.group(cls=PrimerGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Render the Calculus Primer series: lecture clips with exact numbers from JAX.

    The series is a data file (series.toml): each clip a template and a lesson.
    Example: primer check && primer render -q low
    """


@cli.command("list")
@series_option
def list_command(series_path: Path | None) -> None:
    """List the clips in order: number, id, title, template, number of beats.

    Example: primer list --series examples/my-course.toml
    """
    from pipeline.words import counted

    clips = _series(series_path).clips
    rows = [(c.id, c.title, c.template) for c in clips]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for clip in clips:
        cells = (f"{text:<{width}}" for text, width in zip((clip.id, clip.title, clip.template), widths, strict=True))
        click.echo(f"{clip.number:02d}  {'  '.join(cells)}  {counted(len(clip.beats), 'beat')}")


@cli.command("templates")
def templates_command() -> None:
    """List the templates a clip can use, with every field, its bounds and default.

    Example: primer templates
    """
    from lessons.params import describe
    from lessons.templates import TEMPLATES

    for template in TEMPLATES.values():
        click.echo(f"{template.name}: {template.doc}")
        for line in describe(template.params):
            click.echo(f"  {line}")


@cli.command("values")
@ids_argument
@series_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the TeX and the float64 values).")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print CSV for spreadsheets: clip, beat, name, shown, exact, value."
)
def values_command(ids: tuple[str, ...], series_path: Path | None, as_json: bool, as_csv: bool) -> None:
    """Print every number and formula the clips show, by beat: as shown, and exactly.

    Examples: primer values derivative; primer values --csv > values.csv
    """
    from pipeline.values import clip_values, exact_column, write_csv

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    clips = _clips(_series(series_path), ids)
    table = {clip.id: clip_values(clip) for clip in clips}
    if as_json:
        click.echo(json.dumps(table, indent=2, ensure_ascii=False))
        return
    if as_csv:
        write_csv(sys.stdout, table)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    for clip in clips:
        grid = Table(title=f"{clip.stem}: {clip.title}", title_justify="left", show_lines=False)
        grid.add_column("name", ratio=2, overflow="fold")
        grid.add_column("as shown", ratio=3, overflow="fold")
        grid.add_column("exact", ratio=2, overflow="fold")
        for number, (slug, items) in enumerate(table[clip.id].items(), start=1):
            grid.add_row(f"[bold]beat {number}: {slug}[/bold]", "", "")
            for item in items:
                grid.add_row(f"  {item['name']}", item["shown"], exact_column(item))
        console.print(grid)


#: The options that make a render request, in the order ``--help`` lists them.
QUALITY = click.option(
    "-q",
    "--quality",
    "quality_name",
    type=click.Choice(QUALITY_CHOICES),
    help="manim's preset: low 480p15, medium 720p30, high 1080p60, production 1440p60, 4k 2160p60 "
    f"[default: the series file's quality, else {DEFAULT_QUALITY}].",
)
OUT = click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("renders"),
    show_default=True,
    help="Output folder; videos land in OUT/<preset>/, e.g. renders/480p15/01-derivative.mp4.",
)
FORMAT = click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMATS),
    default=DEFAULT_FORMAT,
    show_default=True,
    help="Container of the clips; png is the last frame of each clip.",
)
TRANSPARENT = click.option(
    "--transparent", is_flag=True, help="Keep an alpha channel (webm, mov or png), to lay clips over slides."
)
THEME = click.option(
    "--theme",
    default=None,
    metavar="NAME",
    help="Colours: dark, light (white slides) or a [themes.NAME] of the series file [default: its theme, else dark].",
)
ASPECT = click.option(
    "--aspect",
    type=click.Choice(list(ASPECTS)),
    default=None,
    help="The frame's shape; 4:3 at 480p is 640x480 [default: the series file's aspect, else 16:9].",
)
CAPTIONS = click.option(
    "--no-captions",
    "no_captions",
    is_flag=True,
    help="Leave the beat captions out of the frame, for subtitles (WebVTT/SRT) to carry them.",
)
SILENT = click.option(
    "--silent", is_flag=True, help="No narration: no sound, and no beat held for its voice (files are named -silent)."
)
JOBS = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: cores].")
SCHEDULER = click.option(
    "--scheduler",
    envvar="PRIMER_SCHEDULER",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Render on this Dask scheduler's workers instead of here [env: PRIMER_SCHEDULER].",
)
QUIET = click.option("--quiet", is_flag=True, help="Print nothing but errors.")
FORCE = click.option(
    "--force", is_flag=True, help="Render even the clips that are up to date, drawing every beat (none reused)."
)
#: Which request options each kind of command takes.
VIDEO = (FORMAT, TRANSPARENT, THEME, ASPECT, CAPTIONS, SILENT)  # any output
MP4 = (QUALITY, THEME, ASPECT, CAPTIONS, SILENT)  # exports made of the plain mp4 clips
WORK = (JOBS, SCHEDULER, QUIET)


def request_options(
    *options: Callable[[Any], Any], ids: bool = True, writes: bool = True
) -> Callable[[Callable[..., Any]], Any]:
    """Declare ``options`` (and ``[ID]...``, ``--series``, ``--out``) and hand the command one ``Request``.

    The command receives ``request`` instead of the options; any option it does not declare takes
    its default. The series file's quality, theme and aspect apply unless an option says otherwise.
    A command that ``writes`` needs ``--out`` to be a writable folder other than ``/`` or home.
    """

    def decorate(command: Callable[..., Any]) -> Any:
        @functools.wraps(command)
        def run(**given: Any) -> Any:
            asked = {name: given.pop(name) for name in REQUEST_NAMES if name in given}
            return command(request=_request(**asked, writes=writes), **given)

        declared = [*((ids_argument,) if ids else ()), series_option, OUT, *options]
        for option in reversed(declared):
            run = option(run)
        return run

    return decorate


REQUEST_NAMES = (
    "ids",
    "series_path",
    "quality_name",
    "out",
    "format_name",
    "transparent",
    "theme",
    "aspect",
    "no_captions",
    "silent",
    "jobs",
    "scheduler",
    "quiet",
    "force",
)


def _request(
    ids: tuple[str, ...] = (),
    series_path: Path | None = None,
    quality_name: str | None = None,
    out: Path = Path("renders"),
    format_name: str = DEFAULT_FORMAT,
    transparent: bool = False,
    theme: str | None = None,
    aspect: str | None = None,
    no_captions: bool = False,
    silent: bool = False,
    jobs: int | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    force: bool = False,
    writes: bool = True,
) -> Request:
    """The request the options make, checked: unknown clips, themes and formats are usage errors."""
    from pipeline.rendering.schedule import default_jobs

    series = _series(series_path)
    look = Look(format_name, transparent, theme, not no_captions, not silent, aspect)
    try:
        output = look.output(series)
    except ValueError as error:
        if isinstance(error, SeriesError):
            raise
        raise click.UsageError(str(error)) from None
    clips = tuple(_clips(series, ids))
    folder = _writable(out) if writes else out.resolve()
    jobs = jobs or default_jobs()
    preset = quality(quality_name or series.quality)
    return Request(series, clips, preset, output, folder, jobs, scheduler, quiet, force, ids, look)


@contextmanager
def _engine(scheduler: str | None) -> Iterator[Engine | None]:
    """The Dask cluster at ``scheduler`` (checked, then disconnected at the end), or None: render here."""
    if not scheduler:
        yield None
        return
    from pipeline.rendering.cluster import Cluster

    cluster = Cluster(scheduler)
    try:
        yield cluster
    finally:
        cluster.close()


@cli.command("check")
@request_options(THEME, ASPECT, CAPTIONS)
@click.option(
    "--type-size/--no-type-size",
    default=True,
    show_default=True,
    help="Measure the type, as a render does: cap height at least 2.2% of the picture (3.3% for captions, "
    "formulas, readouts). --no-type-size checks the rest alone.",
)
@verbose_option
def check_command(request: Request, type_size: bool, verbose: bool) -> None:
    """Build the clips without drawing and check their layout; exit 1 if any clip fails.

    Labels must lie inside the frame's safe area, none may overlap another or cover a marked
    curve, every label must stand out from the background (4.5:1), and every point of interest
    must lie on its axes. The theme, aspect and captions are those a render would use. Each beat's
    subtitles must keep the caption rules: two lines of 42 characters, 1 to 7 s, about 20 characters a second.
    Every value a beat shows must be narrated or described (the audio description says it). Type
    must be large enough to read across a hall (a render refuses a clip whose type is not).

    Example: primer check --series my-course.toml --aspect 4:3
    """
    from pipeline.commands.check import Checked, check_series

    def report(result: Checked) -> None:
        count = len(result.faults) + len(result.subtitles) + len(result.unsaid)
        verdict = "ok" if not count else f"{count} fault{'s' * (count != 1)}"
        click.echo(f"{result.clip.stem:<28} {verdict}  ({result.looks} looks, {result.seconds:.1f} s)")
        for fault in (*result.faults, *result.subtitles, *result.unsaid):
            click.echo(f"  {fault}")

    results = check_series(request.clips, request.out, request.output, report, subtitles=True, type_size=type_size)
    failed = [r.clip.id for r in results if r.failed]
    if failed:
        raise PrimerError(f"check failed for {', '.join(failed)}")


@cli.command("render")
@request_options(QUALITY, *VIDEO, *WORK, FORCE)
@click.option(
    "--beat",
    type=click.IntRange(min=1),
    default=None,
    help="Preview: draw only beat N of the one clip named, into OUT/<preset>/previews/ (not a render of record).",
)
@verbose_option
def render_command(request: Request, beat: int | None, verbose: bool) -> None:
    """Render the series, or the clips named, to video (and one clip per beat).

    Clips whose sources, series entry, settings and outputs are unchanged since their last render
    are skipped; in a clip whose captions or narration were edited, only the beats that changed are
    drawn and the others are reused. The layout is checked while drawing; a clip that fails it is
    not written.

    Examples: primer render derivative -q low; primer render gradient --beat 3 -q low (a preview)
    """
    from pipeline.outputs.exports import render

    if beat is not None:
        if len(request.ids) != 1:
            raise click.UsageError("--beat previews one beat of one clip: name exactly one clip id")
        from pipeline.commands.preview import render_beat

        with _engine(request.scheduler) as engine:
            made = render_beat(request.clips[0], request.quality, request.out, beat, request.output, engine)
        click.echo(f"preview: {made.path} ({made.seconds:.1f} s)")
        return
    with _engine(request.scheduler) as engine:
        render(request, engine)
    if not request.quiet:
        click.echo(f"outputs in {request.folder}/")


@cli.command("lecture")
@request_options(*MP4, *WORK)
@verbose_option
def lecture_command(request: Request, verbose: bool) -> None:
    """Join the series (or the clips named) into one video with a chapter per clip, and captions per beat.

    Clips are rendered first if they are not up to date; joining copies them without re-encoding.
    The captions come as WebVTT and SRT beside the video.

    Examples: primer lecture -q low; primer lecture derivative gradient -q low
    """
    from pipeline.outputs.exports import lecture

    with _engine(request.scheduler) as engine:
        made = lecture(request, engine)
    if not request.quiet:
        for title, start, _end in made.chapters:
            click.echo(f"  {start:7.2f} s  {title}")
        click.echo(f"lecture: {made.video} (captions: {made.vtt.name}, {made.srt.name})")


@cli.command("deck")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["html", "beamer", "pptx"]),
    default="html",
    show_default=True,
    help="html: a reveal.js folder to open offline in a browser (S: speaker view); beamer: a PDF for pdfpc;"
    " pptx: PowerPoint with the clips embedded.",
)
@request_options(*MP4, *WORK)
@verbose_option
def deck_command(kind: str, request: Request, verbose: bool) -> None:
    """Make a slide deck: a title slide, then one slide per beat with its clip, caption and speaker notes.

    Example: primer deck --format beamer -q low
    """
    from pipeline.outputs.exports import deck

    with _engine(request.scheduler) as engine:
        made = deck(kind, request, engine)
    if not request.quiet:
        click.echo(f"deck: {made}")


@cli.command("handout")
@request_options(*MP4, *WORK)
@verbose_option
def handout_command(request: Request, verbose: bool) -> None:
    """Write a PDF handout: per clip its title, each beat's poster and caption, and the values on screen.

    Clips are rendered first if they are not up to date. Example: primer handout -q low
    """
    from pipeline.outputs.exports import handout

    with _engine(request.scheduler) as engine:
        made = handout(request, engine)
    if not request.quiet:
        click.echo(f"handout: {made}")


@cli.command("still")
@click.argument("clip_id", metavar="ID")
@click.option("--at", "at", type=float, required=True, help="Seconds into the clip.")
@request_options(*MP4, QUIET, ids=False)
@verbose_option
def still_command(clip_id: str, at: float, request: Request, verbose: bool) -> None:
    """Write the frame a clip shows at a time as a PNG (the clip is rendered first if it is not up to date).

    Example: primer still gradient --at 12.5 -q low
    """
    from dataclasses import replace

    from pipeline.commands.preview import write_still
    from pipeline.outputs.exports import render

    request = replace(request, clips=tuple(_clips(request.series, (clip_id,))), jobs=1)
    (entry,) = render(request)
    name = f"{request.clips[0].stem}{request.output.theme_suffix}-at-{at:g}s.png"
    made = write_still(request.folder / entry["video"], at, request.folder / "stills" / name)
    click.echo(f"still: {made}")


@cli.command("status")
@request_options(QUALITY, *VIDEO, writes=False)
def status_command(request: Request) -> None:
    """Say for each clip whether its render is up to date, stale (and why) or missing.

    Without -q, for every preset rendered into OUT.

    Example: primer status -q low
    """
    from pipeline.rendering.schedule import UP_TO_DATE, clip_states

    every = click.get_current_context().get_parameter_source("quality_name") == ParameterSource.DEFAULT
    found = [q for q in QUALITIES if (request.out / q.folder).is_dir()]
    if not found:
        click.echo(f"nothing rendered in {request.out}/ yet; `primer render -q low` renders the series at 480p")
        return
    for preset in found if every else [request.quality]:
        if every:
            click.echo(f"{preset.folder} ({preset.name}):")
        for state in clip_states(request.clips, preset, request.out, request.output):
            why = "" if state.state == UP_TO_DATE else f" ({state.reason})"
            click.echo(f"{'  ' if every else ''}{state.clip.stem:<24} {state.state}{why}")


@cli.group("narration")
def narration_group() -> None:
    """The voice over each beat: the lecturer's recordings and the draft voice.

    Example: primer narration status
    """


@narration_group.command("status")
@ids_argument
@series_option
def narration_status_command(ids: tuple[str, ...], series_path: Path | None) -> None:
    """List per beat whether the lecturer recorded it, the draft voice speaks it, or it is silent.

    A recording is NARRATION/<clip-id>/<NN-slug>.wav (or .flac, .mp3, .m4a) beside the series
    file; it is stale when the beat's text changed after it was recorded.

    Example: primer narration status derivative
    """
    from pipeline.sound.narration import DRAFT, NONE, RECORDED, status
    from pipeline.words import counted

    series = _series(series_path)
    rows = status(_clips(series, ids))
    names = [f"{row.clip.stem} {beat_stem(row.number, row.clip.beats[row.number - 1].slug)}" for row in rows]
    width = max(len(name) for name in names)
    base = Path(series.path).resolve().parent
    for name, row in zip(names, rows, strict=True):
        where = f"  {row.path.relative_to(base)}" if row.path is not None else ""
        stale = "  stale: its text changed after it was recorded" if row.stale else ""
        click.echo(f"{name:<{width}}  {row.state:<8}{where}{stale}".rstrip())
    counts = {state: sum(r.state == state for r in rows) for state in (RECORDED, DRAFT, NONE)}
    click.echo(
        f"{counted(len(rows), 'beat')}: {counts[RECORDED]} recorded ({sum(r.stale for r in rows)} stale), "
        f"{counts[DRAFT]} draft voice, {counts[NONE]} silent"
    )


@cli.command("watch")
@request_options(*VIDEO, SCHEDULER)
@click.option(
    "--beat",
    type=click.IntRange(min=1),
    default=None,
    help="Redraw only beat N of the one clip named, as a preview, at every save.",
)
def watch_command(request: Request, beat: int | None) -> None:
    """Re-render the clips at low quality whenever a file they depend on, or the series file, is saved.

    A warm worker (manim and jax imported) starts drawing at once. Ctrl-C stops.

    Examples: primer watch derivative; primer watch gradient --beat 3 (a preview of beat 3 at every save)
    """
    from pipeline.commands.watch import watch

    ids = request.ids
    if beat is not None:
        if len(ids) != 1:
            raise click.UsageError("--beat previews one beat of one clip: name exactly one clip id")
        if beat > len(request.clips[0].beats):
            raise click.UsageError(f"{ids[0]} has beats 1 to {len(request.clips[0].beats)}, not {beat}")
    try:
        with _engine(request.scheduler) as engine:
            watch(request.series.path.resolve(), ids, request.out, click.echo, beat, engine, request.look)
    except KeyboardInterrupt:
        click.echo("stopped watching")


def _interrupt_on_sigterm() -> Any:
    """A kill (SIGTERM) unwinds like Ctrl-C in every command, so work folders are cleaned and workers stopped.

    Returns the handler it replaced (None off the main thread, where it sets none).
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        return None
    return signal.signal(signal.SIGTERM, interrupt)


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
