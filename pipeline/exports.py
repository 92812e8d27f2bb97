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
from pipeline.lecture import Lecture, build_lecture
from pipeline.progress import Reporter
from pipeline.quality import Quality
from pipeline.series import render_series
from scenes.catalog import Clip, Series


def rendered_series(series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter) -> list[dict[str, Any]]:
    """The whole series rendered as mp4 (what is up to date is skipped): its manifest entries, in order."""
    return render_series(series.clips, preset, out, jobs, reporter=reporter)


def lecture(series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter) -> Lecture:
    """``<out>/<preset>/lecture.mp4`` with chapters, and its captions as WebVTT and SRT."""
    return build_lecture(out / preset.folder, rendered_series(series, preset, out, jobs, reporter))


def deck(kind: str, series: Series, preset: Quality, out: Path, jobs: int, reporter: Reporter) -> Path:
    """``<out>/<preset>/deck/index.html`` (kind ``html``) or ``<out>/<preset>/deck.pptx`` (``pptx``)."""
    entries = rendered_series(series, preset, out, jobs, reporter)
    build = build_html_deck if kind == "html" else build_pptx_deck
    return build(out / preset.folder, entries)


def handout(series: Series, clips: Sequence[Clip], preset: Quality, out: Path, jobs: int, reporter: Reporter) -> Path:
    """``<out>/<preset>/handout.pdf`` for ``clips`` (rendered first where they are not up to date)."""
    from pipeline.handout import build_handout

    entries = render_series(list(clips), preset, out, jobs, reporter=reporter)
    return build_handout(out / preset.folder, entries, series.path.name)


def refresh_contact_sheet(series: Series, folder: Path) -> Path | None:
    """Redraw ``contact-sheet.png`` from the mp4 clips in the manifest when it is missing or older."""
    entries = manifest.load(folder)
    present = [entries[clip.id] for clip in series.clips if clip.id in entries]
    if not present:
        return None
    sheet, index = folder / SHEET, manifest.manifest_path(folder)
    if sheet.exists() and sheet.stat().st_mtime >= index.stat().st_mtime:
        return sheet
    return build_contact_sheet(folder, present)
