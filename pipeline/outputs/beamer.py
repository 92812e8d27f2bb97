r"""The Beamer deck for pdfpc: ``deck-beamer/deck-beamer.tex`` compiled by pdflatex into a PDF.

A title frame with the course title, then one frame per beat: the beat's poster, which pdfpc
plays as the beat clip (the ``multimedia`` package's ``\movie``), the caption, and the values
shown in the beat as text. The narration goes to ``deck-beamer.pdfpc``, the notes file pdfpc reads.
Clips and posters are linked into ``media/`` beside the PDF, so the folder moves as one.
Lecturer text is set as typed (``escape.tex_text``); text the fonts cannot set is refused before
anything renders (``unsupported_text``).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lessons.palette import DEFAULT_THEME, PALETTES, Palette
from lessons.series import Clip, SeriesError
from lessons.settings import ASPECTS, DEFAULT_ASPECT
from pipeline.errors import PrimerError
from pipeline.outputs.deck import Slide, slides, staged, summary
from pipeline.rendering.manifest import BeatEntry, Entry
from pipeline.text.escape import fill, tex_text, tex_unsupported

BEAMER_DECK = "deck-beamer"
#: The font encodings the deck loads; their ``.dfu`` files list the characters they set directly.
ENCODINGS = ("t1enc.dfu", "ts1enc.dfu")
#: The poster's height on a frame, in mm (a 16:9 frame is 160 x 90 mm, a 4:3 frame 128 x 96 mm).
MOVIE_HEIGHT = {"16:9": 50, "4:3": 56}
TIMEOUT = 300  # seconds for pdflatex


@functools.cache
def encodable() -> frozenset[str]:
    """The non-ASCII characters pdflatex sets in text with the deck's encodings, read from the TeX installed."""
    found: set[str] = set()
    for name in ENCODINGS:
        try:
            path = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()
            text = Path(path).read_text(encoding="latin-1")
        except (OSError, subprocess.CalledProcessError) as error:
            raise PrimerError(f"the Beamer deck needs TeX's {name} (texlive-latex-base): run `make setup`") from error
        found.update(chr(int(code, 16)) for code in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", text))
    return frozenset(found)


def unsupported_text(title: str, clips: Iterable[Clip]) -> None:
    """``SeriesError`` (one line) naming the first title or caption with a character the deck cannot set.

    The lecturer's text is checked before anything renders; the values a template shows are checked
    when the deck is written (``document``), from the rendered clips, so no math runs here.
    """
    texts = [("the course title", title)]
    for clip in clips:
        texts.append((f"clip {clip.id!r}: its title", clip.title))
        texts.extend((f"clip {clip.id!r}: beat {n}: its caption", beat.caption) for n, beat in enumerate(clip.beats, 1))
    for where, text in texts:
        _refuse(where, text)


def _refuse(where: str, text: str) -> None:
    """``SeriesError`` if ``text`` has a character the deck's fonts cannot set, naming it and ``where`` it is."""
    missing = tex_unsupported(text, encodable())
    if missing:
        char = missing[0]
        raise SeriesError(
            f"{where} has {char!r} (U+{ord(char):04X}), which the Beamer deck's fonts cannot set;"
            " the HTML and PowerPoint decks can"
        )


def build_beamer_deck(
    folder: Path,
    entries: Sequence[Entry],
    palette: Palette = PALETTES[DEFAULT_THEME],
    aspect: str = DEFAULT_ASPECT,
    name: str = BEAMER_DECK,
    title: str = "Calculus Primer",
) -> Path:
    """Write ``folder/deck-beamer/`` with the ``.tex``, its PDF, the pdfpc notes and ``media/``; return the PDF."""
    found = slides(folder, entries)
    with staged(folder, name, found) as staging:
        source = document(found, _values_by_slide(entries), palette, aspect, title)
        (staging / f"{name}.tex").write_text(source, encoding="utf-8")
        _compile(staging, name)
        notes = {"pdfpcFormat": 2, "disableMarkdown": True, "pages": _notes(found)}
        (staging / f"{name}.pdfpc").write_text(json.dumps(notes, ensure_ascii=False, indent=1), encoding="utf-8")
        for extra in (".aux", ".log", ".nav", ".out", ".snm", ".toc", ".vrb"):
            (staging / f"{name}{extra}").unlink(missing_ok=True)
    return folder / name / f"{name}.pdf"


def _beat_values(entry: Entry, beat: BeatEntry) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = entry["values"].get(beat["slug"], [])
    return values


def _values_by_slide(entries: Sequence[Entry]) -> list[list[str]]:
    """The values each beat shows, as plain text, slide by slide."""
    return [[item["shown"] for item in _beat_values(entry, beat)] for entry in entries for beat in entry["beats"]]


def _notes(found: Sequence[Slide]) -> list[dict[str, Any]]:
    """Notes for pdfpc, page by page: the title frame has none, each beat its narration (else its caption)."""
    pages: list[dict[str, Any]] = [{"idx": 0, "label": "1", "overlay": 0, "note": ""}]
    for index, slide in enumerate(found, start=1):
        pages.append({"idx": index, "label": str(index + 1), "overlay": 0, "note": slide.narration or slide.caption})
    return pages


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def document(found: Sequence[Slide], values: Sequence[Sequence[str]], palette: Palette, aspect: str, title: str) -> str:
    """The ``.tex`` source: every lecturer string through ``tex_text``."""
    across, up = ASPECTS[aspect]
    chars = encodable()

    def text(value: str) -> str:
        return tex_text(value, chars)

    height = MOVIE_HEIGHT[aspect]
    width = round(height * across / up, 2)
    frames = []
    for index, (slide, shown) in enumerate(zip(found, values, strict=True)):
        for value in shown:
            _refuse(f"{slide.heading}: the value {value!r}", value)
        listed = r"\enspace\textbullet\enspace ".join(text(value) for value in shown)
        frames.append(
            f"\\begin{{frame}}{{{text(slide.heading)}}}\n"
            "\\centering\n"
            f"\\movie[width={width}mm,height={height}mm,poster,autostart]"
            f"{{\\includegraphics[width={width}mm,height={height}mm]{{media/{index:02d}.png}}}}{{media/{index:02d}.mp4}}\n\n"
            f"\\vspace{{1.5mm}}{{\\small {text(slide.caption)}\\par}}\n"
            + (f"\\vspace{{1mm}}{{\\scriptsize\\color{{primercaption}}{listed}\\par}}\n" if shown else "")
            + "\\end{frame}\n"
        )
    preamble = fill(
        PREAMBLE,
        {
            "RATIO": f"{across}{up}",
            "BACKGROUND": _hex(palette.background),
            "TEXT": _hex(palette.text),
            "CAPTION": _hex(palette.caption),
            "TITLE": text(title),
            "SUMMARY": text(summary(found)),
        },
    )
    return preamble + "\n".join(frames) + "\\end{document}\n"


def _compile(folder: Path, name: str) -> None:
    """pdflatex, without shell escape; ``PrimerError`` with TeX's first error line if it fails."""
    command = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f"{name}.tex"]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace", timeout=TIMEOUT)
    except FileNotFoundError as error:
        raise PrimerError("the Beamer deck needs pdflatex (texlive-latex-base): run `make setup`") from error
    except subprocess.TimeoutExpired as error:
        raise PrimerError(f"pdflatex took longer than {TIMEOUT} s on {name}.tex") from error
    if done.returncode != 0 or not (folder / f"{name}.pdf").is_file():
        errors = [line for line in done.stdout.splitlines() if line.startswith("!")]
        raise PrimerError(f"pdflatex failed on {name}.tex: {errors[0] if errors else 'see its log'}")


PREAMBLE = r"""\documentclass[aspectratio=__RATIO__,11pt,usepdftitle=false]{beamer}
\usepackage[T1]{fontenc}
\usepackage{helvet}
\usepackage{textcomp}
\usepackage{amsmath,amssymb}
\usepackage{multimedia}
\definecolor{primerbg}{HTML}{__BACKGROUND__}
\definecolor{primertext}{HTML}{__TEXT__}
\definecolor{primercaption}{HTML}{__CAPTION__}
\setbeamercolor{background canvas}{bg=primerbg}
\setbeamercolor{normal text}{fg=primertext,bg=primerbg}
\setbeamercolor{frametitle}{fg=primercaption,bg=primerbg}
\setbeamercolor{title}{fg=primertext}
\setbeamercolor{subtitle}{fg=primercaption}
\setbeamerfont{frametitle}{size=\normalsize}
\setbeamertemplate{navigation symbols}{}
\title{__TITLE__}
\subtitle{__SUMMARY__}
\date{}
\hypersetup{pdftitle={__TITLE__}}
\begin{document}
\begin{frame}
\titlepage
\end{frame}
"""
