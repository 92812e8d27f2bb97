"""Slide decks from the beat clips: an offline HTML folder, or a PowerPoint file.

One slide per beat: the beat's clip plays once, with its narration, and holds its last frame. The
clip shows its caption itself; the deck also carries the beat's words as text: the caption for
screen readers (HTML), the narration (else the caption) as the speaker notes (PowerPoint).
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons.palette import DEFAULT_THEME, PALETTES, Palette
from lessons.settings import ASPECTS, DEFAULT_ASPECT
from pipeline.escape import json_for_script
from pipeline.files import current_umask, write_with

HTML_DECK = "deck"
PPTX_DECK = "deck.pptx"


@dataclass(frozen=True)
class Slide:
    """One beat as a slide."""

    heading: str  # "01 · Derivative · 2 / 5"
    caption: str
    narration: str  # what the voice says over it, if anything
    clip: Path
    poster: Path


def slides(folder: Path, entries: Sequence[dict[str, Any]]) -> list[Slide]:
    """Every beat of every clip in ``entries`` (manifest entries in series order)."""
    found = []
    for entry in entries:
        count = len(entry["beats"])
        for number, beat in enumerate(entry["beats"], start=1):
            heading = f"{entry['stem'][:2]} · {entry['title']} · {number} / {count}"
            narration = beat.get("narration") or ""
            found.append(Slide(heading, beat["caption"], narration, folder / beat["file"], folder / beat["poster"]))
    return found


def build_html_deck(
    folder: Path,
    entries: Sequence[dict[str, Any]],
    palette: Palette = PALETTES[DEFAULT_THEME],
    name: str = HTML_DECK,
    title: str = "Calculus Primer",
) -> Path:
    """Write ``folder/deck/`` (``deck-light/`` in the light theme): ``index.html`` and its media, all offline."""
    deck = folder / name
    page = (
        PAGE.replace("__BACKGROUND__", palette.background)
        .replace("__TEXT__", palette.text)
        .replace("__CAPTION__", palette.caption)
        .replace("__AXIS__", palette.axis)
    )
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".deck-"))
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        media = staging / "media"
        media.mkdir()
        items = []
        for index, slide in enumerate(slides(folder, entries)):
            clip, poster = f"media/{index:02d}.mp4", f"media/{index:02d}.png"
            _link(slide.clip, staging / clip)
            _link(slide.poster, staging / poster)
            items.append({"heading": slide.heading, "caption": slide.caption, "clip": clip, "poster": poster})
        text = page.replace("__SLIDES__", json_for_script(items)).replace("__TITLE__", html.escape(title), 1)
        (staging / "index.html").write_text(text, encoding="utf-8")
        if deck.exists():
            shutil.rmtree(deck)
        os.replace(staging, deck)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return deck / "index.html"


def build_pptx_deck(
    folder: Path,
    entries: Sequence[dict[str, Any]],
    aspect: str = DEFAULT_ASPECT,
    name: str = PPTX_DECK,
    title: str = "Calculus Primer",
) -> Path:
    """Write ``folder/deck.pptx`` (``deck-light.pptx``): each beat's clip embedded, its poster shown until it plays.

    The slides have the clips' aspect (16:9 or 4:3).
    """
    from pptx import Presentation
    from pptx.util import Emu, Pt

    presentation = Presentation()
    presentation.core_properties.title = title
    across, up = ASPECTS[aspect]
    width, height = 6_858_000 * across // up, 6_858_000  # in EMU: 12192000 wide at 16:9, 9144000 at 4:3
    presentation.slide_width, presentation.slide_height = Emu(width), Emu(height)
    blank = presentation.slide_layouts[6]
    margin, top = 304_800, 400_000
    # As large as fits under the heading with a margin below, in the clips' aspect, centred: never past the edge.
    movie_height = min((width - 2 * margin) * up // across, height - top - 60_000)
    movie_width = movie_height * across // up
    left = (width - movie_width) // 2
    for slide in slides(folder, entries):
        page = presentation.slides.add_slide(blank)
        heading = page.shapes.add_textbox(Emu(left), Emu(60_000), Emu(movie_width), Emu(300_000)).text_frame
        heading.text = slide.heading
        heading.paragraphs[0].runs[0].font.size = Pt(14)
        page.shapes.add_movie(
            str(slide.clip),
            Emu(left),
            Emu(top),
            Emu(movie_width),
            Emu(movie_height),
            poster_frame_image=str(slide.poster),
            mime_type="video/mp4",
        )
        page.notes_slide.notes_text_frame.text = slide.narration or slide.caption
    return write_with(folder / name, lambda path: presentation.save(str(path)))


def _link(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (no copy), a copy where it does not."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; height: 100%; background: __BACKGROUND__; color: __TEXT__;
               font-family: "DejaVu Sans", sans-serif; cursor: pointer; }
  main { display: flex; flex-direction: column; align-items: center; justify-content: center; height: 100%; }
  header { font-size: 1rem; color: __CAPTION__; margin-bottom: 0.5rem; }
  video { max-width: 92vw; max-height: 78vh; background: __BACKGROUND__; }
  /* The clip shows the caption; this copy is read out by screen readers, not shown twice. */
  p#caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  footer { position: fixed; bottom: 0.4rem; font-size: 0.8rem; color: __CAPTION__; }
</style>
</head>
<body>
<main>
  <header id="heading"></header>
  <video id="clip" playsinline preload="auto"></video>
  <p id="caption" aria-live="polite"></p>
  <footer>→, space or click: next beat · ←: back</footer>
</main>
<script>
const slides = __SLIDES__;
const video = document.getElementById("clip");
let current = -1;
function show(index) {
  index = Math.max(0, Math.min(slides.length - 1, index));
  if (index === current) return;
  current = index;
  const slide = slides[index];
  video.poster = slide.poster;
  video.src = slide.clip;  // plays once and, being over, holds its last frame
  document.getElementById("heading").textContent = slide.heading;
  document.getElementById("caption").textContent = slide.caption;
  document.body.dataset.slide = String(index);
  history.replaceState(null, "", "#" + (index + 1));
  video.muted = false;
  // A browser may refuse sound before the first key or click: then the clip plays muted, and the
  // next key or click turns the sound on.
  video.play().catch(() => { video.muted = true; video.play().catch(() => {}); });
}
document.addEventListener("keydown", (event) => {
  if (["ArrowRight", "PageDown", " ", "Enter"].includes(event.key)) { show(current + 1); event.preventDefault(); }
  if (["ArrowLeft", "PageUp", "Backspace"].includes(event.key)) { show(current - 1); event.preventDefault(); }
  if (event.key === "Home") show(0);
  if (event.key === "End") show(slides.length - 1);
});
document.addEventListener("click", () => show(current + 1));
function fromHash() { show((parseInt(location.hash.slice(1), 10) || 1) - 1); }
window.addEventListener("hashchange", fromHash);  // a link or an edited #N in the address bar
fromHash();
</script>
</body>
</html>
"""
