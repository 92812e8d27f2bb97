"""The ``primer`` command: list the series, print its numbers, check and render it, make lectures and decks.

Thin on purpose: options are declared here, the work is done in ``pipeline``, and known
errors become one line on stderr with a non-zero exit code (``--verbose`` adds the traceback).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.errors import PrimerError
from pipeline.formats import DEFAULT_FORMAT, FORMATS, Output
from pipeline.quality import DEFAULT_QUALITY, QUALITIES, QUALITY_CHOICES, quality
from scenes.catalog import DEFAULT_SERIES, Clip, Series, SeriesError, beat_stem, load_series
from scenes.palette import DEFAULT_THEME, THEME_VARIABLE, THEMES

if TYPE_CHECKING:
    from pipeline.engines import Engine

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
    """``out`` resolved, if it is (or can be made) a writable folder; a usage error if not."""
    resolved = out.resolve()
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
    from scenes.params import describe
    from scenes.templates import TEMPLATES

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


quality_option = click.option(
    "-q",
    "--quality",
    "quality_name",
    type=click.Choice(QUALITY_CHOICES),
    default=DEFAULT_QUALITY,
    show_default=True,
    help="manim's preset: low 480p15, medium 720p30, high 1080p60, production 1440p60, 4k 2160p60.",
)
out_option = click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("renders"),
    show_default=True,
    help="Output folder; videos land in OUT/<preset>/, e.g. renders/480p15/01-derivative.mp4.",
)


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: cores]."
)
quiet_option = click.option("--quiet", is_flag=True, help="Print nothing but errors.")
scheduler_option = click.option(
    "--scheduler",
    envvar="PRIMER_SCHEDULER",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Render on this Dask scheduler's workers instead of here [env: PRIMER_SCHEDULER].",
)


@contextmanager
def _engine(scheduler: str | None) -> Iterator[Engine | None]:
    """The Dask cluster at ``scheduler`` (checked, then disconnected at the end), or None: render here."""
    if not scheduler:
        yield None
        return
    from pipeline.cluster import Cluster

    cluster = Cluster(scheduler)
    try:
        yield cluster
    finally:
        cluster.close()


theme_option = click.option(
    "--theme",
    type=click.Choice(THEMES),
    default=None,
    help="Colours: dark, or light for white slides [default: the series file's theme, else dark].",
)


captions_option = click.option(
    "--no-captions",
    "no_captions",
    is_flag=True,
    help="Leave the beat captions out of the frame, for subtitles (the lecture's WebVTT/SRT) to carry them.",
)


silent_option = click.option(
    "--silent",
    is_flag=True,
    help="No narration: no sound, and no beat held for its voice (files are named -silent).",
)


def format_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--format``, ``--transparent``, ``--theme`` and the rest, shared by the commands that render or inspect."""
    command = theme_option(command)
    command = silent_option(command)
    command = captions_option(command)
    command = click.option(
        "--transparent", is_flag=True, help="Keep an alpha channel (webm, mov or png), to lay clips over slides."
    )(command)
    return click.option(
        "--format",
        "format_name",
        type=click.Choice(FORMATS),
        default=DEFAULT_FORMAT,
        show_default=True,
        help="Container of the clips; png is the last frame of each clip.",
    )(command)


def _output(
    format_name: str, transparent: bool, theme: str = DEFAULT_THEME, captions: bool = True, audio: bool = True
) -> Output:
    """The output format, or a usage error naming what can carry alpha."""
    try:
        return Output(format_name, transparent, theme, captions, audio)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _mp4(series: Series, theme: str | None, captions: bool = True, audio: bool = True) -> Output:
    """Plain mp4 in the theme asked for, else the series file's: what lectures, decks and handouts use."""
    return _output(DEFAULT_FORMAT, False, theme or series.theme, captions, audio)


@cli.command("check")
@ids_argument
@series_option
@out_option
@theme_option
@verbose_option
def check_command(ids: tuple[str, ...], series_path: Path | None, out: Path, theme: str | None, verbose: bool) -> None:
    """Build the clips without drawing and check their layout; exit 1 if any clip fails.

    Labels must lie inside the frame's safe area, none may overlap another or cover a marked
    curve, every label must stand out from the background (4.5:1), and every point of interest
    must lie on its axes.

    Example: primer check --series my-course.toml
    """
    from pipeline.check import Checked, check_series

    series = _series(series_path)
    clips = _clips(series, ids)
    os.environ[THEME_VARIABLE] = theme or series.theme  # the scenes read it when first imported

    def report(result: Checked) -> None:
        verdict = "ok" if not result.faults else f"{len(result.faults)} fault{'s' * (len(result.faults) != 1)}"
        click.echo(f"{result.clip.stem:<28} {verdict}  ({result.looks} looks, {result.seconds:.1f} s)")
        for fault in result.faults:
            click.echo(f"  {fault}")

    _interrupt_on_sigterm()
    results = check_series(clips, _writable(out), report)
    failed = [r.clip.id for r in results if r.faults]
    if failed:
        raise PrimerError(f"layout check failed for {', '.join(failed)}")


@cli.command("render")
@ids_argument
@series_option
@quality_option
@out_option
@format_options
@jobs_option
@scheduler_option
@click.option("--force", is_flag=True, help="Render even the clips that are up to date.")
@click.option(
    "--beat",
    type=click.IntRange(min=1),
    default=None,
    help="Preview: draw only beat N of the one clip named, into OUT/<preset>/previews/ (not a render of record).",
)
@quiet_option
@verbose_option
def render_command(
    ids: tuple[str, ...],
    series_path: Path | None,
    quality_name: str,
    out: Path,
    format_name: str,
    transparent: bool,
    theme: str | None,
    silent: bool,
    no_captions: bool,
    jobs: int | None,
    scheduler: str | None,
    force: bool,
    beat: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Render the series, or the clips named, to video (and one clip per beat).

    Clips whose sources, series entry, settings and outputs are unchanged since their last render
    are skipped. The layout is checked while drawing; a clip that fails it is not written.

    Examples: primer render derivative -q low; primer render gradient --beat 3 -q low (a preview)
    """
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs, render_series

    series = _series(series_path)
    clips = _clips(series, ids)
    output = _output(format_name, transparent, theme or series.theme, not no_captions, not silent)
    folder = _writable(out)
    _interrupt_on_sigterm()
    if beat is not None:
        if len(ids) != 1:
            raise click.UsageError("--beat previews one beat of one clip: name exactly one clip id")
        from pipeline.preview import render_beat

        with _engine(scheduler) as engine:
            made = render_beat(clips[0], quality(quality_name), folder, beat, output.theme, engine)
        click.echo(f"preview: {made.path} ({made.seconds:.1f} s)")
        return
    preset = quality(quality_name)
    with _engine(scheduler) as engine:
        render_series(clips, preset, folder, jobs or default_jobs(), force, reporter_for(quiet), output, engine)
    if output.format == DEFAULT_FORMAT and not output.transparent:
        from pipeline.exports import refresh_contact_sheet

        refresh_contact_sheet(series, folder / preset.folder, output)
    if not quiet:
        click.echo(f"outputs in {out / preset.folder}/")


@cli.command("lecture")
@series_option
@quality_option
@out_option
@jobs_option
@scheduler_option
@quiet_option
@captions_option
@silent_option
@theme_option
@verbose_option
def lecture_command(
    series_path: Path | None,
    quality_name: str,
    out: Path,
    jobs: int | None,
    scheduler: str | None,
    quiet: bool,
    theme: str | None,
    silent: bool,
    no_captions: bool,
    verbose: bool,
) -> None:
    """Join the series into one video with a chapter per clip, and captions (WebVTT, SRT) per beat.

    Clips are rendered first if they are not up to date; joining copies them without re-encoding.

    Example: primer lecture -q low
    """
    from pipeline.exports import lecture
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs

    series = _series(series_path)
    folder = _writable(out)
    _interrupt_on_sigterm()
    with _engine(scheduler) as engine:
        made = lecture(
            series,
            quality(quality_name),
            folder,
            jobs or default_jobs(),
            reporter_for(quiet),
            _mp4(series, theme, not no_captions, not silent),
            engine,
        )
    if not quiet:
        for title, start, _end in made.chapters:
            click.echo(f"  {start:7.2f} s  {title}")
        click.echo(f"lecture: {made.video} (captions: {made.vtt.name}, {made.srt.name})")


@cli.command("deck")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["html", "pptx"]),
    default="html",
    show_default=True,
    help="html: an offline folder to open in a browser; pptx: PowerPoint with the clips embedded.",
)
@series_option
@quality_option
@out_option
@jobs_option
@scheduler_option
@quiet_option
@captions_option
@silent_option
@theme_option
@verbose_option
def deck_command(
    kind: str,
    series_path: Path | None,
    quality_name: str,
    out: Path,
    jobs: int | None,
    scheduler: str | None,
    quiet: bool,
    theme: str | None,
    silent: bool,
    no_captions: bool,
    verbose: bool,
) -> None:
    """Make a slide deck with one slide per beat: the beat's clip and its caption.

    Example: primer deck --format pptx -q low
    """
    from pipeline.exports import deck
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs

    series = _series(series_path)
    folder = _writable(out)
    _interrupt_on_sigterm()
    with _engine(scheduler) as engine:
        made = deck(
            kind,
            series,
            quality(quality_name),
            folder,
            jobs or default_jobs(),
            reporter_for(quiet),
            _mp4(series, theme, not no_captions, not silent),
            engine,
        )
    if not quiet:
        click.echo(f"deck: {made}")


@cli.command("handout")
@ids_argument
@series_option
@quality_option
@out_option
@jobs_option
@scheduler_option
@quiet_option
@theme_option
@verbose_option
def handout_command(
    ids: tuple[str, ...],
    series_path: Path | None,
    quality_name: str,
    out: Path,
    jobs: int | None,
    scheduler: str | None,
    quiet: bool,
    theme: str | None,
    verbose: bool,
) -> None:
    """Write a PDF handout: per clip its title, each beat's poster and caption, and the values on screen.

    Clips are rendered first if they are not up to date. Example: primer handout -q low
    """
    from pipeline.exports import handout
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs

    series = _series(series_path)
    clips = _clips(series, ids)
    folder = _writable(out)
    _interrupt_on_sigterm()
    with _engine(scheduler) as engine:
        made = handout(
            series,
            clips,
            quality(quality_name),
            folder,
            jobs or default_jobs(),
            reporter_for(quiet),
            _mp4(series, theme),
            engine,
        )
    if not quiet:
        click.echo(f"handout: {made}")


@cli.command("still")
@click.argument("clip_id", metavar="ID")
@click.option("--at", "at", type=float, required=True, help="Seconds into the clip.")
@series_option
@quality_option
@out_option
@theme_option
@quiet_option
@verbose_option
def still_command(
    clip_id: str,
    at: float,
    series_path: Path | None,
    quality_name: str,
    out: Path,
    theme: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Write the frame a clip shows at a time as a PNG (the clip is rendered first if it is not up to date).

    Example: primer still gradient --at 12.5 -q low
    """
    from pipeline.preview import write_still
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs, render_series

    series = _series(series_path)
    (clip,) = _clips(series, (clip_id,))
    output = _mp4(series, theme)
    folder = _writable(out)
    _interrupt_on_sigterm()
    preset = quality(quality_name)
    (entry,) = render_series([clip], preset, folder, default_jobs(), reporter=reporter_for(quiet), output=output)
    name = f"{clip.stem}{output.theme_suffix}-at-{at:g}s.png"
    made = write_still(folder / preset.folder / entry["video"], at, folder / preset.folder / "stills" / name)
    click.echo(f"still: {made}")


@cli.command("status")
@ids_argument
@series_option
@click.option(
    "-q",
    "--quality",
    "quality_name",
    type=click.Choice(QUALITY_CHOICES),
    default=None,
    help="Only this preset [default: every preset rendered into OUT].",
)
@out_option
@format_options
def status_command(
    ids: tuple[str, ...],
    series_path: Path | None,
    quality_name: str | None,
    out: Path,
    format_name: str,
    transparent: bool,
    theme: str | None,
    silent: bool,
    no_captions: bool,
) -> None:
    """Say for each clip whether its render is up to date, stale (and why) or missing.

    Without -q, every preset with a folder in OUT is reported. Example: primer status -q low
    """
    from pipeline.series import UP_TO_DATE, clip_states

    series = _series(series_path)
    clips = _clips(series, ids)
    found = [q for q in QUALITIES if (out / q.folder).is_dir()]
    presets = [quality(quality_name)] if quality_name else found
    if not presets:
        click.echo(f"nothing rendered in {out}/ yet; `primer render -q low` renders the series at 480p")
        return
    for preset in presets:
        if not quality_name:
            click.echo(f"{preset.folder} ({preset.name}):")
        output = _output(format_name, transparent, theme or series.theme, not no_captions, not silent)
        for state in clip_states(clips, preset, out.resolve(), output):
            why = "" if state.state == UP_TO_DATE else f" ({state.reason})"
            click.echo(f"{'  ' if not quality_name else ''}{state.clip.stem:<24} {state.state}{why}")


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
    from pipeline.narration import DRAFT, NONE, RECORDED, status
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
@ids_argument
@series_option
@out_option
@click.option(
    "--beat",
    type=click.IntRange(min=1),
    default=None,
    help="Redraw only beat N of the one clip named, as a preview, at every save.",
)
@scheduler_option
def watch_command(
    ids: tuple[str, ...], series_path: Path | None, out: Path, beat: int | None, scheduler: str | None
) -> None:
    """Re-render the clips at low quality whenever a file they depend on, or the series file, is saved.

    A warm worker (manim and jax imported) starts drawing at once. Ctrl-C stops.

    Examples: primer watch derivative; primer watch gradient --beat 3 (a preview of beat 3 at every save)
    """
    from pipeline.watch import watch

    series = _series(series_path)
    clips = _clips(series, ids)
    if beat is not None:
        if len(ids) != 1:
            raise click.UsageError("--beat previews one beat of one clip: name exactly one clip id")
        if beat > len(clips[0].beats):
            raise click.UsageError(f"{clips[0].id} has beats 1 to {len(clips[0].beats)}, not {beat}")
    folder = _writable(out)
    _interrupt_on_sigterm()
    try:
        with _engine(scheduler) as engine:
            watch(series.path.resolve(), ids, folder, echo=click.echo, beat=beat, engine=engine)
    except KeyboardInterrupt:
        click.echo("stopped watching")


def _interrupt_on_sigterm() -> None:
    """A kill (SIGTERM) unwinds like Ctrl-C, so work folders are cleaned and workers stopped."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
