"""The ``primer`` command: list the series, print its numbers, render it.

Thin on purpose: options are declared here, the work is done in ``pipeline``, and known
errors become one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from pipeline.errors import PrimerError
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


@cli.command("render")
@ids_argument
@click.option(
    "-q",
    "--quality",
    "quality_name",
    type=click.Choice(QUALITY_CHOICES),
    default=DEFAULT_QUALITY,
    show_default=True,
    help="manim's preset: low 480p15, medium 720p30, high 1080p60, production 1440p60, 4k 2160p60.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("renders"),
    show_default=True,
    help="Output folder; videos land in OUT/<preset>/, e.g. renders/480p15/01-derivative.mp4.",
)
def render_command(ids: tuple[str, ...], quality_name: str, out: Path) -> None:
    """Render the series, or the clips named, to video (and one clip per beat)."""
    from pipeline.render import render_series

    preset = quality(quality_name)
    clips = _clips(ids)
    click.echo(f"rendering {len(clips)} clip(s) at {preset.folder} into {out}/{preset.folder}/")
    for done in render_series(clips, preset, out.resolve()):
        click.echo(
            f"{done.clip.stem}: {done.info.duration:.1f} s of video in {done.seconds:.1f} s -> {done.video}"
        )


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
