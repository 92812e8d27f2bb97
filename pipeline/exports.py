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
from pipeline.deck import build_html_deck, build_pptx_deck
from pipeline.formats import Output, themed
from pipeline.lecture import LECTURE, Lecture, build_lecture
from pipeline.progress import Reporter
from pipeline.quality import Quality
from pipeline.series import render_series
from scenes.catalog import Clip, Series
from scenes.palette import DEFAULT_THEME


def rendered_series(
    series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter, theme: str
) -> list[dict[str, Any]]:
    """The whole series rendered as mp4 in ``theme`` (what is up to date is skipped): its manifest entries."""
    entries = render_series(series.clips, preset, out, jobs, reporter=reporter, output=Output(theme=theme))
    refresh_contact_sheet(series, out / preset.folder, theme)
    return entries


def lecture(series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter, theme: str) -> Lecture:
    """``<out>/<preset>/lecture.mp4`` (``lecture-light.mp4``) with chapters, and its captions as WebVTT and SRT."""
    entries = rendered_series(series, preset, out, jobs, reporter, theme)
    return build_lecture(out / preset.folder, entries, themed(LECTURE, theme))


def deck(kind: str, series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter, theme: str) -> Path:
    """``<out>/<preset>/deck/index.html`` (kind ``html``) or ``<out>/<preset>/deck.pptx`` (``pptx``), themed."""
    entries = rendered_series(series, preset, out, jobs, reporter, theme)
    build = build_html_deck if kind == "html" else build_pptx_deck
    return build(out / preset.folder, entries, theme)


def handout(
    series: Series, clips: Sequence[Clip], preset: Quality, out: Path, jobs: int, reporter: Reporter, theme: str
) -> Path:
    """``<out>/<preset>/handout.pdf`` (``handout-light.pdf``) for ``clips``, rendered first where not up to date."""
    from pipeline.handout import HANDOUT, build_handout

    fmt = Output(theme=theme)
    entries = render_series(list(clips), preset, out, jobs, reporter=reporter, output=fmt)
    refresh_contact_sheet(series, out / preset.folder, theme)
    return build_handout(out / preset.folder, entries, series.path.name, themed(HANDOUT, theme))


def refresh_contact_sheet(series: Series, folder: Path, theme: str = DEFAULT_THEME) -> Path | None:
    """Redraw the contact sheet from the theme's mp4 clips in the manifest when it is missing or older."""
    if not manifest.manifest_path(folder).exists():
        return None
    entries = manifest.load(folder)
    fmt = Output(theme=theme)
    present = [entries[fmt.entry_id(clip.id)] for clip in series.clips if fmt.entry_id(clip.id) in entries]
    if not present:
        return None
    sheet, index = folder / themed(SHEET, theme), manifest.manifest_path(folder)
    if sheet.exists() and sheet.stat().st_mtime >= index.stat().st_mtime:
        return sheet
    return build_contact_sheet(folder, present, theme)
