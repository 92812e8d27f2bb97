"""The ``primer`` command: list the series, print its numbers, render it, and make lectures and decks.

Thin on purpose: options are declared here, the work is done in ``pipeline``, and known
errors become one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline.errors import PrimerError
from pipeline.formats import DEFAULT_FORMAT, FORMATS, Output
from pipeline.quality import DEFAULT_QUALITY, QUALITY_CHOICES, quality
from scenes.catalog import IDS, SERIES, Clip, clip_by_id

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class PrimerGroup(click.Group):
    """A click group whose errors are one line, whatever the caller (console script or tests)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command; print usage errors and failures as one line and exit non-zero."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as error:
            message = error.format_message()
            if message.startswith("No such command"):
                message += f" Commands: {', '.join(self.commands)}."
            _fail(message, EXIT_USAGE)
        except (click.ClickException, PrimerError) as error:
            _fail(str(error), EXIT_FAILED)
        except (click.Abort, KeyboardInterrupt):
            _fail("interrupted; finished files are intact", EXIT_INTERRUPTED)
        except Exception as error:  # a bug: still one line, and the type says where to look
            _fail(f"unexpected {type(error).__name__}: {error}", EXIT_FAILED)
        sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"primer: error: {message}", err=True)
    sys.exit(code)


def _clips(ids: tuple[str, ...]) -> list[Clip]:
    """The chosen clips in series order (all of them when none is named), each once."""
    return [clip for clip in SERIES if not ids or clip.id in ids]


ids_argument = click.argument("ids", metavar="[ID]...", nargs=-1, type=click.Choice(IDS))


@click.group(cls=PrimerGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Render the Calculus Primer series: four lecture clips with exact numbers from JAX."""


@cli.command("list")
def list_command() -> None:
    """List the clips in order: number, id, title, number of beats."""
    for clip in SERIES:
        click.echo(f"{clip.number:02d}  {clip.id:<20} {clip.title:<20} {len(clip.beats)} beats")


@cli.command("values")
@ids_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def values_command(ids: tuple[str, ...], as_json: bool) -> None:
    """Print every number the clips show, by beat, as the math core computes it."""
    from pipeline.values import clip_values

    table = {clip.id: clip_values(clip) for clip in _clips(ids)}
    if as_json:
        click.echo(json.dumps(table, indent=2))
        return
    for clip_id, beats in table.items():
        click.echo(f"{clip_by_id(clip_id).stem}")
        for slug, numbers in beats.items():
            click.echo(f"  {slug}: {json.dumps(numbers)}")


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
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("renders"),
    show_default=True,
    help="Output folder; videos land in OUT/<preset>/, e.g. renders/480p15/01-derivative.mp4.",
)


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: cores]."
)
quiet_option = click.option("--quiet", is_flag=True, help="Print nothing but errors.")


def format_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--format`` and ``--transparent``, shared by the commands that render or inspect renders."""
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


def _output(format_name: str, transparent: bool) -> Output:
    """The output format, or a usage error naming what can carry alpha."""
    try:
        return Output(format_name, transparent)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@cli.command("render")
@ids_argument
@quality_option
@out_option
@format_options
@jobs_option
@click.option("--force", is_flag=True, help="Render even the clips that are up to date.")
@quiet_option
def render_command(
    ids: tuple[str, ...],
    quality_name: str,
    out: Path,
    format_name: str,
    transparent: bool,
    jobs: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Render the series, or the clips named, to video (and one clip per beat).

    Clips whose sources, settings and outputs are unchanged since their last render are skipped.
    """
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs, render_series

    output = _output(format_name, transparent)
    _interrupt_on_sigterm()
    preset = quality(quality_name)
    render_series(_clips(ids), preset, out.resolve(), jobs or default_jobs(), force, reporter_for(quiet), output)
    if output.is_default:
        from pipeline.exports import refresh_contact_sheet

        refresh_contact_sheet(out.resolve() / preset.folder)
    if not quiet:
        click.echo(f"outputs in {out / preset.folder}/")


@cli.command("lecture")
@quality_option
@out_option
@jobs_option
@quiet_option
def lecture_command(quality_name: str, out: Path, jobs: int | None, quiet: bool) -> None:
    """Join the series into one video with a chapter per clip, and captions (WebVTT, SRT) per beat.

    Clips are rendered first if they are not up to date; joining copies them without re-encoding.
    """
    from pipeline.exports import lecture
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs

    _interrupt_on_sigterm()
    made = lecture(quality(quality_name), out.resolve(), jobs or default_jobs(), reporter_for(quiet))
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
@quality_option
@out_option
@jobs_option
@quiet_option
def deck_command(kind: str, quality_name: str, out: Path, jobs: int | None, quiet: bool) -> None:
    """Make a slide deck with one slide per beat: the beat's clip and its caption."""
    from pipeline.exports import deck
    from pipeline.progress import reporter_for
    from pipeline.series import default_jobs

    _interrupt_on_sigterm()
    made = deck(kind, quality(quality_name), out.resolve(), jobs or default_jobs(), reporter_for(quiet))
    if not quiet:
        click.echo(f"deck: {made}")


@cli.command("status")
@ids_argument
@quality_option
@out_option
@format_options
def status_command(ids: tuple[str, ...], quality_name: str, out: Path, format_name: str, transparent: bool) -> None:
    """Say for each clip whether its render is up to date, stale (and why) or missing."""
    from pipeline.series import UP_TO_DATE, clip_states

    for state in clip_states(_clips(ids), quality(quality_name), out.resolve(), _output(format_name, transparent)):
        why = "" if state.state == UP_TO_DATE else f" ({state.reason})"
        click.echo(f"{state.clip.stem:<24} {state.state}{why}")


@cli.command("watch")
@ids_argument
@out_option
def watch_command(ids: tuple[str, ...], out: Path) -> None:
    """Re-render the clips at low quality whenever a file they depend on is saved (Ctrl-C stops)."""
    from pipeline.watch import watch

    _interrupt_on_sigterm()
    try:
        watch(_clips(ids), out.resolve(), echo=click.echo)
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
