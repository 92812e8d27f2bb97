"""Everything made from rendered clips: the lecture video, slide decks, the handout, the contact sheet.

Each first brings the series' mp4 renders up to date (unchanged clips are not rendered again),
then builds from the manifest. Every file is written beside and renamed into place.
"""

from __future__ import annotations

from pathlib import Path

from lessons.series import Series
from pipeline.fonts import require_fonts
from pipeline.formats import DEFAULT_FORMAT, Output
from pipeline.outputs.contact_sheet import SHEET, build_contact_sheet
from pipeline.outputs.deck import PPTX_DECK, build_pptx_deck
from pipeline.outputs.described import Described, build_described_clip, build_described_lecture, described_path
from pipeline.outputs.lecture import LECTURE, Lecture, build_lecture
from pipeline.rendering import manifest
from pipeline.rendering.engines import Engine
from pipeline.rendering.manifest import Entry
from pipeline.rendering.schedule import render_series
from pipeline.rendering.tasks import VOICES
from pipeline.request import Request
from pipeline.text.subtitles import write_clip_subtitles
from pipeline.text.transcript import part, write_descriptions, write_transcript

#: Videos that get subtitles beside them (a gif or a png has no sound and no player to show them).
SUBTITLED = (".mp4", ".webm", ".mov")
#: Videos that get a described version beside them.
DESCRIBED = (".mp4",)


def described(request: Request, entry: Entry) -> Described:
    """The described version of a rendered clip (``entry``), in its clip's draft voice."""
    clip = next(clip for clip in request.clips if clip.id == entry["id"])
    return build_described_clip(request.folder, entry, clip.voice, request.out / ".cache" / VOICES)


def render(request: Request, engine: Engine | None = None) -> list[Entry]:
    """The request's clips rendered (what is up to date is skipped), their subtitles and transcripts, the contact sheet.

    Subtitles (``.vtt``, ``.srt``) go beside every clip and beat clip, and the descriptive transcript
    (``-transcript.html``, ``.txt``) and descriptions track beside every clip; an mp4 clip gets its
    described version (``-described.mp4``); the contact sheet is for plain mp4.

    Tasks run on ``engine`` (a Dask cluster) if given, else in the request's local workers.
    """
    require_fonts((), (str(request.series.path), request.series.title))  # drawn on the sheet, decks, handout
    entries = render_series(request, engine)
    for entry in entries:
        if Path(entry["video"]).suffix in SUBTITLED:
            write_clip_subtitles(request.folder, entry)
            told = [part(entry)]
            write_transcript(request.folder / entry["video"], entry["title"], told)
            write_descriptions(request.folder / entry["video"], told)
        if Path(entry["video"]).suffix in DESCRIBED:
            described(request, entry)
    if request.output.format == DEFAULT_FORMAT and not request.output.transparent:
        refresh_contact_sheet(request.series, request.folder, request.output)
    return entries


def lecture(request: Request, engine: Engine | None = None) -> Lecture:
    """``<out>/<preset>/lecture.mp4`` (``lecture-light.mp4``...) with chapters, subtitles and its transcript."""
    entries = render(request, engine)
    made = build_lecture(request.folder, entries, request.output.named(LECTURE), request.series.title)
    parts = [part(entry, start) for entry, (_, start, _) in zip(entries, made.chapters, strict=True)]
    write_transcript(made.video, request.series.title, parts)
    write_descriptions(made.video, parts)
    name = described_path(made.video).name
    build_described_lecture(request.folder, [(e, described(request, e)) for e in entries], name, request.series.title)
    return made


def deck(kind: str, request: Request, engine: Engine | None = None) -> Path:
    """A deck under ``<out>/<preset>/``, named for the output.

    ``deck/index.html`` (reveal.js, kind ``html``), ``deck-beamer/deck-beamer.pdf`` (``beamer``) or ``deck.pptx``.

    What the deck needs (reveal.js; text the Beamer fonts can set) is checked before anything renders.
    """
    from pipeline.outputs import beamer, reveal

    fmt, title = request.output, request.series.title
    if kind == "html":
        reveal.reveal_folder()
    if kind == "beamer":
        beamer.unsupported_text(title, request.clips)
    entries = render(request, engine)
    if kind == "html":
        return reveal.build_reveal_deck(
            request.folder, entries, fmt.palette, fmt.aspect, fmt.named(reveal.HTML_DECK), title
        )
    if kind == "beamer":
        return beamer.build_beamer_deck(
            request.folder, entries, fmt.palette, fmt.aspect, fmt.named(beamer.BEAMER_DECK), title
        )
    return build_pptx_deck(request.folder, entries, fmt.aspect, fmt.named(PPTX_DECK), title)


def handout(request: Request, engine: Engine | None = None) -> Path:
    """``<out>/<preset>/handout.pdf`` (``handout-light.pdf``...) for the clips, rendered first where not up to date."""
    from pipeline.outputs.handout import HANDOUT, build_handout

    entries = render(request, engine)
    return build_handout(request.folder, entries, request.series.title, request.output.named(HANDOUT))


def refresh_contact_sheet(series: Series, folder: Path, fmt: Output | None = None) -> Path | None:
    """Redraw the contact sheet of ``fmt``'s clips when it is missing, or older than the manifest or the series."""
    fmt = fmt or Output()
    if not manifest.manifest_path(folder).exists():
        return None
    entries = manifest.load(folder)
    present = [entries[fmt.entry_id(clip.id)] for clip in series.clips if fmt.entry_id(clip.id) in entries]
    if not present:
        return None
    sheet, index = folder / fmt.named(SHEET), manifest.manifest_path(folder)
    sources = [index, *([series.path] if series.path.is_file() else [])]  # the renders, and the course's title
    if sheet.exists() and all(sheet.stat().st_mtime >= source.stat().st_mtime for source in sources):
        return sheet
    return build_contact_sheet(folder, present, fmt.palette, sheet.name, series.title)
