"""Everything made from rendered clips: the lecture video, slide decks, the handout, the contact sheet.

Each first brings the series' mp4 renders up to date (unchanged clips are not rendered again),
then builds from the manifest. Every file is written beside and renamed into place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline import manifest
from pipeline.contact_sheet import SHEET, build_contact_sheet
from pipeline.deck import HTML_DECK, PPTX_DECK, build_html_deck, build_pptx_deck
from pipeline.engines import Engine
from pipeline.formats import Output
from pipeline.lecture import LECTURE, Lecture, build_lecture
from pipeline.progress import Reporter
from pipeline.quality import Quality
from pipeline.series import render_series
from scenes.catalog import Clip, Series


def rendered_series(
    series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter, fmt: Output, engine: Engine | None
) -> list[dict[str, Any]]:
    """The whole series rendered as mp4 in ``fmt``'s theme and captions (what is up to date is skipped).

    Tasks run on ``engine`` (a Dask cluster) if given, else in ``jobs`` local workers.
    """
    entries = render_series(series.clips, preset, out, jobs, reporter=reporter, output=fmt, engine=engine)
    refresh_contact_sheet(series, out / preset.folder, fmt)
    return entries


def lecture(
    series: Series,
    preset: Quality,
    out: Path,
    jobs: int,
    reporter: Reporter,
    fmt: Output,
    engine: Engine | None = None,
) -> Lecture:
    """``<out>/<preset>/lecture.mp4`` (``lecture-light.mp4``...) with chapters, and captions as WebVTT and SRT."""
    entries = rendered_series(series, preset, out, jobs, reporter, fmt, engine)
    return build_lecture(out / preset.folder, entries, fmt.named(LECTURE))


def deck(
    kind: str,
    series: Series,
    preset: Quality,
    out: Path,
    jobs: int,
    reporter: Reporter,
    fmt: Output,
    engine: Engine | None = None,
) -> Path:
    """``<out>/<preset>/deck/index.html`` (kind ``html``) or ``deck.pptx`` (``pptx``), named for ``fmt``."""
    entries = rendered_series(series, preset, out, jobs, reporter, fmt, engine)
    if kind == "html":
        return build_html_deck(out / preset.folder, entries, fmt.theme, fmt.named(HTML_DECK))
    return build_pptx_deck(out / preset.folder, entries, fmt.theme, fmt.named(PPTX_DECK))


def handout(
    series: Series,
    clips: Sequence[Clip],
    preset: Quality,
    out: Path,
    jobs: int,
    reporter: Reporter,
    fmt: Output,
    engine: Engine | None = None,
) -> Path:
    """``<out>/<preset>/handout.pdf`` (``handout-light.pdf``...) for ``clips``, rendered first where not up to date."""
    from pipeline.handout import HANDOUT, build_handout

    entries = render_series(list(clips), preset, out, jobs, reporter=reporter, output=fmt, engine=engine)
    refresh_contact_sheet(series, out / preset.folder, fmt)
    return build_handout(out / preset.folder, entries, series.path.name, fmt.named(HANDOUT))


def refresh_contact_sheet(series: Series, folder: Path, fmt: Output | None = None) -> Path | None:
    """Redraw the contact sheet from ``fmt``'s clips in the manifest when it is missing or older."""
    fmt = fmt or Output()
    if not manifest.manifest_path(folder).exists():
        return None
    entries = manifest.load(folder)
    present = [entries[fmt.entry_id(clip.id)] for clip in series.clips if fmt.entry_id(clip.id) in entries]
    if not present:
        return None
    sheet, index = folder / fmt.named(SHEET), manifest.manifest_path(folder)
    if sheet.exists() and sheet.stat().st_mtime >= index.stat().st_mtime:
        return sheet
    return build_contact_sheet(folder, present, fmt.theme, sheet.name)
