"""The HTML deck: a reveal.js presentation with a title slide, one slide per beat and a speaker view.

reveal.js and its notes plugin come pinned from npm (``package.json``, fetched by ``make setup``)
and are copied into every deck, so it runs offline from ``file://`` or any static web server.
Each beat's slide plays its voiced clip once and holds the last frame, with the beat's subtitles as
its track; the caption is the slide's text for screen readers (the clip shows it already), the
narration its speaker notes. Browsers
refuse sound before a gesture: a deck opened on a beat waits, and the first key or click plays
that beat with sound instead of moving on.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from lessons.palette import DEFAULT_THEME, PALETTES, Palette
from lessons.settings import ASPECTS, DEFAULT_ASPECT
from pipeline.errors import PrimerError
from pipeline.outputs.deck import Slide, slides, staged, summary
from pipeline.rendering.manifest import Entry
from pipeline.text.escape import fill

HTML_DECK = "deck"
ROOT = Path(__file__).resolve().parents[2]  # the project folder
#: What the deck copies from the npm package (under ``dist/``), into ``<deck>/reveal/``.
ASSETS = ("reveal.css", "reveal.js", "plugin/notes.js")
#: The deck's slide size in CSS pixels (reveal.js scales it to the window): the clip, a heading above it.
WIDTH, HEADING = 1280, 64


def pinned_version(root: Path = ROOT) -> str:
    """The reveal.js version ``package.json`` pins."""
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return str(manifest["dependencies"]["reveal.js"])


def reveal_folder(root: Path = ROOT) -> Path:
    """The installed npm package of the pinned version; ``PrimerError`` (one line) if it is missing or another."""
    folder, wanted = root / "node_modules" / "reveal.js", pinned_version(root)
    try:
        found = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        found = None
    if found != wanted or not all((folder / "dist" / asset).is_file() for asset in ASSETS):
        have = f" (found {found})" if found else ""
        raise PrimerError(f"the HTML deck needs reveal.js {wanted} from npm{have}: run `make setup`")
    return folder


def build_reveal_deck(
    folder: Path,
    entries: Sequence[Entry],
    palette: Palette = PALETTES[DEFAULT_THEME],
    aspect: str = DEFAULT_ASPECT,
    name: str = HTML_DECK,
    title: str = "Calculus Primer",
) -> Path:
    """Write ``folder/deck/`` (``deck-light/``...): ``index.html``, ``reveal/`` and ``media/``; return the page."""
    package = reveal_folder()
    found = slides(folder, entries)
    with staged(folder, name, found) as staging:
        for asset in ASSETS:
            target = staging / "reveal" / asset
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / "dist" / asset, target)
        shutil.copyfile(package / "LICENSE", staging / "reveal" / "LICENSE")
        (staging / "index.html").write_text(page_html(found, palette, aspect, title), encoding="utf-8")
    return folder / name / "index.html"


def page_html(found: Sequence[Slide], palette: Palette, aspect: str, title: str) -> str:
    """The presentation: every lecturer string escaped as HTML text, no data in scripts."""
    across, up = ASPECTS[aspect]
    height = WIDTH * up // across + HEADING
    text = html.escape
    sections = [
        '<section class="title">\n'
        f"  <h1>{text(title)}</h1>\n"
        f'  <p class="summary">{summary(found)}</p>\n'
        '  <p class="hint">→, space or click: start with sound · S: speaker view · Esc: overview</p>\n'
        f'  <aside class="notes">{text(title)}: the first key or click starts beat 1 with its sound.</aside>\n'
        "</section>"
    ]
    for index, slide in enumerate(found):
        has_subtitles = slide.clip.with_suffix(".vtt").is_file()  # copied beside the clip (``staged``)
        track = f'<track kind="subtitles" src="media/{index:02d}.vtt" srclang="en" label="Subtitles">'
        track = track if has_subtitles else ""
        sections.append(
            f'<section class="beat" aria-labelledby="beat-{index}">\n'
            f'  <h2 id="beat-{index}">{text(slide.heading)}</h2>\n'
            f'  <video src="media/{index:02d}.mp4" poster="media/{index:02d}.png" preload="auto" playsinline'
            f" data-ignore>{track}</video>\n"
            f'  <p class="caption">{text(slide.caption)}</p>\n'
            f'  <aside class="notes">{text(slide.narration or slide.caption)}</aside>\n'
            "</section>"
        )
    return fill(
        PAGE,
        {
            "TITLE": text(title),
            "SECTIONS": "\n".join(sections),
            "WIDTH": str(WIDTH),
            "HEIGHT": str(height),
            "BACKGROUND": palette.background,
            "TEXT": palette.text,
            "CAPTION": palette.caption,
            "ACCENT": palette.axis,
        },
    )


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<link rel="stylesheet" href="reveal/reveal.css">
<style>
  html, body, .reveal-viewport { background: __BACKGROUND__; color: __TEXT__; }
  .reveal { font-family: "DejaVu Sans", sans-serif; font-size: 32px; color: __TEXT__; }
  .reveal h1 { font-size: 2.2em; margin-bottom: 0.6em; }
  .reveal h2 { font-size: 0.8em; font-weight: normal; color: __CAPTION__; margin: 0 0 0.3em; height: 1.5em; }
  .reveal .summary, .reveal .hint { color: __CAPTION__; }
  .reveal .hint { font-size: 0.7em; }
  .reveal section.beat video { display: block; width: 100%; height: auto; margin: 0; background: __BACKGROUND__; }
  /* The clip shows the caption; this copy is read out by screen readers, not shown twice. */
  .reveal .caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .reveal .controls, .reveal .progress { color: __ACCENT__; }
  /* Shown while a beat waits for the first key or click, which the browser needs before sound. */
  .sound-hint { position: fixed; bottom: 1rem; left: 50%; transform: translateX(-50%); display: none;
                font: 20px "DejaVu Sans", sans-serif; color: __TEXT__; background: __BACKGROUND__;
                border: 1px solid __CAPTION__; padding: 0.3em 0.8em; border-radius: 0.3em; }
  body.waiting .sound-hint { display: block; }
</style>
</head>
<body>
<div class="reveal">
<div class="slides">
__SECTIONS__
</div>
</div>
<p class="sound-hint" role="status">Press → or click to play this beat with sound</p>
<script src="reveal/reveal.js"></script>
<script src="reveal/plugin/notes.js"></script>
<script>
const deck = new Reveal({
  width: __WIDTH__, height: __HEIGHT__, margin: 0.02, center: true, hash: true, transition: "none",
  autoPlayMedia: false, plugins: [RevealNotes],
});
window.deck = deck;
const FORWARD = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter", "n", "N"];
let waiting = false;  // a beat is shown but the browser has refused its sound until a key or click

function beatVideo() {
  return deck.getCurrentSlide().querySelector("video");
}
function setWaiting(value) {
  waiting = value;
  document.body.classList.toggle("waiting", value);
}
function playBeat() {
  document.querySelectorAll(".reveal video").forEach((video) => video.pause());
  const video = beatVideo();
  setWaiting(false);
  if (!video) return;
  video.currentTime = 0;  // plays once from the start and, being over, holds its last frame
  if (deck.isSpeakerNotes()) {  // the speaker view's previews are silent
    video.muted = true;
    video.play().catch(() => {});
    return;
  }
  video.muted = false;
  video.play().catch((error) => {  // an AbortError only means another beat took over
    if (error.name === "NotAllowedError" && beatVideo() === video) setWaiting(true);
  });
}
function startWaitingBeat(event) {
  if (!waiting || deck.isOverview()) return false;
  event.preventDefault();
  event.stopImmediatePropagation();  // reveal.js does not see it: the deck stays on this beat
  playBeat();
  return true;
}
window.addEventListener("keydown", (event) => {
  if (FORWARD.includes(event.key)) startWaitingBeat(event);
}, true);
document.addEventListener("click", (event) => {
  if (event.target.closest(".controls, .progress, a, button") || deck.isOverview() || deck.isSpeakerNotes()) return;
  if (!startWaitingBeat(event)) deck.next();
}, true);
deck.on("ready", playBeat);
deck.on("slidechanged", playBeat);
deck.initialize();
</script>
</body>
</html>
"""
