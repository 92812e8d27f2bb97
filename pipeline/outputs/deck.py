"""Slide decks from the beat clips: the slides every deck shows, and the PowerPoint deck.

One slide per beat: the beat's clip plays once, with its narration, and holds its last frame. The
clip shows its caption itself; the deck also carries the beat's words as text: the caption for
screen readers, the narration (else the caption) as the speaker notes. The reveal.js deck is in
``pipeline/outputs/reveal.py``, the Beamer PDF in ``pipeline/outputs/beamer.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons.settings import ASPECTS, DEFAULT_ASPECT
from pipeline.files import current_umask, link_or_copy, write_with
from pipeline.rendering.manifest import Entry

PPTX_DECK = "deck.pptx"


@dataclass(frozen=True)
class Slide:
    """One beat as a slide."""

    stem: str  # the clip's, "01-derivative"
    heading: str  # "01 · Derivative · 2 / 5"
    caption: str
    narration: str  # what the voice says over it, if anything
    clip: Path
    poster: Path


def slides(folder: Path, entries: Sequence[Entry]) -> list[Slide]:
    """Every beat of every clip in ``entries`` (manifest entries in series order)."""
    found = []
    for entry in entries:
        count = len(entry["beats"])
        for number, beat in enumerate(entry["beats"], start=1):
            heading = f"{entry['stem'][:2]} · {entry['title']} · {number} / {count}"
            narration = beat["narration"]
            found.append(
                Slide(
                    entry["stem"], heading, beat["caption"], narration, folder / beat["file"], folder / beat["poster"]
                )
            )
    return found


@contextmanager
def staged(folder: Path, name: str, found: Sequence[Slide]) -> Iterator[Path]:
    """A folder deck built beside ``folder/name`` with the slides' clips and posters in ``media/NN``.

    It replaces ``folder/name`` only when the build inside the ``with`` succeeds; else nothing changes.
    """
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}-"))
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        (staging / "media").mkdir()
        for index, slide in enumerate(found):
            link_or_copy(slide.clip, staging / "media" / f"{index:02d}.mp4")
            link_or_copy(slide.poster, staging / "media" / f"{index:02d}.png")
            if slide.clip.with_suffix(".vtt").is_file():  # its subtitles, for the HTML deck's track
                link_or_copy(slide.clip.with_suffix(".vtt"), staging / "media" / f"{index:02d}.vtt")
        yield staging
        if (folder / name).exists():
            shutil.rmtree(folder / name)
        os.replace(staging, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def summary(found: Sequence[Slide]) -> str:
    """What a title slide says of the deck: "8 clips · 32 beats"."""
    clips, beats = len({slide.stem for slide in found}), len(found)
    return f"{clips} clip{'s' if clips != 1 else ''} · {beats} beat{'s' if beats != 1 else ''}"


def build_pptx_deck(
    folder: Path,
    entries: Sequence[Entry],
    aspect: str = DEFAULT_ASPECT,
    name: str = PPTX_DECK,
    title: str = "Calculus Primer",
) -> Path:
    """Write ``folder/deck.pptx`` (``deck-light.pptx``): a title slide, then the beats' clips embedded.

    Each beat's poster shows until its clip plays. The slides have the clips' aspect (16:9 or 4:3).
    """
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    presentation = Presentation()
    presentation.core_properties.title = title
    across, up = ASPECTS[aspect]
    width, height = 6_858_000 * across // up, 6_858_000  # in EMU: 12192000 wide at 16:9, 9144000 at 4:3
    presentation.slide_width, presentation.slide_height = Emu(width), Emu(height)
    titled = presentation.slide_layouts[5]  # "Title Only": each slide's heading is its title for screen readers
    margin, top = 304_800, 400_000
    # As large as fits under the heading with a margin below, in the clips' aspect, centred: never past the edge.
    movie_height = min((width - 2 * margin) * up // across, height - top - 60_000)
    movie_width = movie_height * across // up
    left = (width - movie_width) // 2
    found = slides(folder, entries)

    def heading(page: Any, text: str, box: tuple[int, int, int, int], size: int, align: Any) -> None:
        shape = page.shapes.title
        shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in box)
        shape.text_frame.text = text
        shape.text_frame.paragraphs[0].alignment = align
        shape.text_frame.paragraphs[0].runs[0].font.size = Pt(size)

    opening = presentation.slides.add_slide(titled)
    heading(opening, title, (margin, height * 2 // 5, width - 2 * margin, 700_000), 40, PP_ALIGN.CENTER)
    frame = opening.shapes.add_textbox(
        Emu(margin), Emu(height * 2 // 5 + 800_000), Emu(width - 2 * margin), Emu(700_000)
    ).text_frame
    frame.text = summary(found)
    frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    frame.paragraphs[0].runs[0].font.size = Pt(20)
    for slide in found:
        page = presentation.slides.add_slide(titled)
        heading(page, slide.heading, (left, 60_000, movie_width, 300_000), 14, PP_ALIGN.LEFT)
        movie = page.shapes.add_movie(
            str(slide.clip),
            Emu(left),
            Emu(top),
            Emu(movie_width),
            Emu(movie_height),
            poster_frame_image=str(slide.poster),
            mime_type="video/mp4",
        )
        movie._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", slide.caption)  # its alt text
        page.notes_slide.notes_text_frame.text = slide.narration or slide.caption
    return write_with(folder / name, lambda path: presentation.save(str(path)))
