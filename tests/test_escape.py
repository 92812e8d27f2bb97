"""Hostile lecturer text through the outputs it reaches, read back by real clients: inert, and read as typed."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import srt
import webvtt
from PIL import Image

from pipeline.outputs.beamer import build_beamer_deck, encodable
from pipeline.outputs.deck import build_pptx_deck
from pipeline.outputs.handout import build_handout
from pipeline.outputs.reveal import build_reveal_deck
from pipeline.text import escape
from pipeline.text.subtitles import Cue, subrip
from pipeline.text.subtitles import webvtt as webvtt_text
from tests.test_exports import CHROMIUM

HOSTILE = [
    "</script><img src=x onerror=alert(3)>",
    "<img src=x onerror=alert(3)> & 5 < 6",
    "a --> b, \"quoted\" and 'single' & ampersands",
    "<b>bold</b> {\\an8} top, \u2028 line separator",
]
#: What TeX would read as markup: commands, math, comments, parameters, ligatures.
TEX_HOSTILE = [
    "\\input{/etc/passwd} \\def\\x{1} $x^2$ 100% #1 a_b ~ ^^41",
    "-- --- `` '' ,, !` ?` << >> | \"q\" { } & η ≈ −2 x²",
]


def _entries(folder: Path) -> list[Any]:
    """A one-clip manifest whose title, captions and narration are hostile; its media are stand-ins."""
    Image.new("RGB", (16, 9), "black").save(folder / "poster.png")
    (folder / "beat.mp4").write_bytes(b"\x00" * 64)  # never played here: the page and the PPTX only refer to it
    beats = [
        {"slug": f"b{n}", "caption": text, "narration": text[::-1], "file": "beat.mp4", "poster": "poster.png"}
        for n, text in enumerate(HOSTILE, start=1)
    ]
    return [{"stem": "01-hostile", "title": "<i>T</i> & </script>", "beats": beats}]


def _dom(page: Path) -> str:
    """The page's DOM after its scripts ran in headless Chromium."""
    assert CHROMIUM.exists(), "needs Debian's chromium: `make test` installs it"
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout


def test_json_for_a_script_element_never_closes_it() -> None:
    text = escape.json_for_script({"caption": HOSTILE[0], "other": HOSTILE[3]})
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == {"caption": HOSTILE[0], "other": HOSTILE[3]}


def test_the_reveal_deck_shows_hostile_text_as_typed_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "needs Debian's chromium: `make test` installs it"
    page = build_reveal_deck(tmp_path, _entries(tmp_path), title=HOSTILE[0])
    body = _dom(page)
    assert re.search(r'<div class="reveal\b[^"]*\bready\b', body)  # reveal.js started: nothing broke its page
    assert "<img" not in body and "<b>" not in body and "<i>" not in body  # nothing became an element
    captions = [html.unescape(c) for c in re.findall(r'<p class="caption">(.*?)</p>', body, re.S)]
    assert captions == HOSTILE
    notes = [html.unescape(n) for n in re.findall(r'<aside class="notes">(.*?)</aside>', body, re.S)]
    assert notes[1:] == [typed[::-1] for typed in HOSTILE]
    headings = [html.unescape(h) for h in re.findall(r'<h2 id="beat-\d+">(.*?)</h2>', body, re.S)]
    assert headings == [f"01 · <i>T</i> & </script> · {n} / {len(HOSTILE)}" for n in range(1, len(HOSTILE) + 1)]
    title = re.search(r"<title>(.*?)</title>", body, re.S)  # the course's title, as typed
    assert title and html.unescape(title[1]) == HOSTILE[0]
    heading = re.search(r"<h1>(.*?)</h1>", body, re.S)
    assert heading and html.unescape(heading[1]) == HOSTILE[0]


def test_the_transcript_shows_hostile_text_as_typed_in_chromium(tmp_path: Path) -> None:
    from pipeline.text.transcript import part, write_descriptions, write_transcript

    entries = _entries(tmp_path)
    for number, beat in enumerate(entries[0]["beats"]):
        beat["start"], beat["end"] = number * 2.0, number * 2.0 + 2.0
    entries[0]["values"] = {"b1": [{"tex": HOSTILE[1]}, {"tex": r"\text{Q&A}"}]}
    entries[0]["pictured"] = {"b1": HOSTILE[2]}  # a template's sentence is escaped like the lecturer's words
    entries[0]["beats"][1]["description"] = HOSTILE[2]  # and a lecturer's own description of beat 2
    page, text = write_transcript(tmp_path / "beat.mp4", HOSTILE[0], [part(entries[0])])
    body = _dom(page)
    assert "<img" not in body and "<b>" not in body and "<i>" not in body  # nothing became an element
    said = [html.unescape(p) for p in re.findall(r"<p><strong>Said:</strong> (.*?)</p>", body, re.S)]
    assert said == [typed[::-1] for typed in HOSTILE]
    captions = [html.unescape(p) for p in re.findall(r"<p><strong>Caption:</strong> (.*?)</p>", body, re.S)]
    assert (
        captions == [" ".join(typed.split()) if "\u2028" in typed else typed for typed in HOSTILE]
        or captions == HOSTILE
    )
    title = re.search(r"<h1>(.*?)</h1>", body, re.S)
    assert title and html.unescape(title[1]) == f"{HOSTILE[0]}: transcript"
    assert HOSTILE[2] in text.read_text(encoding="utf-8")  # the text version is plain: as typed
    pictured = [html.unescape(p) for p in re.findall(r"<p><strong>Pictured:</strong> (.*?)</p>", body, re.S)]
    assert len(pictured) == 2 and pictured[0].startswith(HOSTILE[2]) and pictured[1] == HOSTILE[2]
    track = write_descriptions(tmp_path / "beat.mp4", [part(entries[0])])
    described = webvtt.read(str(track)).captions  # a cue a beat, parsed whole: no "-->" or tag broke one
    raw = track.read_text(encoding="utf-8")
    assert len(described) == 2 and "; Q&amp;A.\n" in raw and "Q&A" not in raw  # WebVTT's entities
    assert html.unescape(described[1].text) == HOSTILE[2]


def test_the_beamer_deck_sets_hostile_text_as_typed(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    for beat, typed in zip(entries[0]["beats"], TEX_HOSTILE, strict=False):
        beat["caption"] = typed
    entries[0]["values"] = {"b1": [{"shown": TEX_HOSTILE[1]}]}
    pdf = build_beamer_deck(tmp_path, entries, title=TEX_HOSTILE[0])
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = [" ".join(page.split()) for page in pages.stdout.split("\f")]
    assert text[0] == " ".join(TEX_HOSTILE[0].split()) + " 1 clip · 4 beats"  # not read, defined or expanded
    assert " ".join(TEX_HOSTILE[0].split()) in text[1] and " ".join(TEX_HOSTILE[1].split()) in text[1]
    assert " ".join(TEX_HOSTILE[1].split()) in text[2]
    for page, typed in zip(text[3:], HOSTILE[2:], strict=False):
        assert " ".join(typed.split()) in page
    notes = json.loads(pdf.with_suffix(".pdfpc").read_text(encoding="utf-8"))
    assert [page["note"] for page in notes["pages"][1:]] == [typed[::-1] for typed in HOSTILE]


def test_text_the_beamer_fonts_cannot_set_is_named(tmp_path: Path) -> None:
    assert "é" in encodable() and "微" not in encodable()
    with pytest.raises(ValueError, match=r"'微' \(U\+5FAE\)"):
        escape.tex_text("微积分", encodable())


def test_subtitles_carry_hostile_text_as_typed() -> None:
    cues = [Cue(i * 2.0, i * 2.0 + 1.5, text) for i, text in enumerate(HOSTILE)]
    parsed = webvtt.from_string(webvtt_text(cues)).captions
    assert len(parsed) == len(HOSTILE)  # no "-->" or blank line broke a cue
    for cue, typed in zip(parsed, HOSTILE, strict=True):
        assert "<" not in cue.text and html.unescape(cue.text) == " ".join(typed.split())
    subtitles = list(srt.parse(subrip(cues)))
    assert len(subtitles) == len(HOSTILE)
    for subtitle, typed in zip(subtitles, HOSTILE, strict=True):
        assert not re.search(r"[<>{]", subtitle.content)  # nothing a player reads as a tag
        plain = subtitle.content.translate({0xFE64: "<", 0xFE65: ">", 0xFE5B: "{"})
        assert plain == " ".join(typed.split())


@pytest.mark.parametrize("typed", HOSTILE)
def test_webvtt_cue_text_is_entities_and_one_line(typed: str) -> None:
    cue = escape.webvtt_text(typed)
    assert "-->" not in cue and "\n" not in cue and not re.search(r"[<>]", cue)


def test_the_pptx_keeps_hostile_text_as_typed(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = build_pptx_deck(tmp_path, _entries(tmp_path), title=HOSTILE[0])
    presentation = Presentation(str(deck))
    assert presentation.core_properties.title == HOSTILE[0]
    title_slide, *beats = presentation.slides
    assert next(shape.text_frame.text for shape in title_slide.shapes) == HOSTILE[0]
    for slide, typed in zip(beats, HOSTILE, strict=True):
        assert slide.notes_slide.notes_text_frame.text == typed[::-1]
        assert slide.shapes.title.text_frame.text.startswith("01 · <i>T</i> & </script>")  # the slide's title
        (movie,) = (shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA)
        assert movie._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == typed  # alt text: the caption


def test_the_handout_keeps_hostile_text_as_typed(tmp_path: Path) -> None:
    # fpdf2 writes ASCII metadata and alt text as literal strings unescaped: a lone ")" would end the string.
    entries = _entries(tmp_path)
    entries[0] |= {"width": 16, "height": 9, "values": {}}
    caption = "unbalanced ) /S /Link ( and \\"
    entries[0]["beats"][0]["caption"] = caption
    title = "a ) /Evil (b \\ " + HOSTILE[0]
    pdf = build_handout(tmp_path, entries, title)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert info.stderr == "" and f"Title:           {title}\n" in info.stdout  # as typed, nothing added
    assert "Custom Metadata: no" in info.stdout and "Tagged:          yes" in info.stdout
    tree = subprocess.run(["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True)
    assert tree.stderr == "" and tree.stdout.split() == ["Document"] + ["Figure"] * len(HOSTILE)
    # The first figure's alt text, read as a PDF literal string (\\, \( and \) stand for themselves).
    literal = re.search(rb"/Alt \(((?:[^()\\]|\\.)*)\)", pdf.read_bytes())
    assert literal and re.sub(rb"\\(.)", rb"\1", literal[1]).decode() == f"Beat 1 of <i>T</i> & </script>: {caption}"


def test_a_value_the_beamer_fonts_cannot_set_is_refused_in_one_line(tmp_path: Path) -> None:
    from lessons.series import SeriesError

    entries = _entries(tmp_path)
    entries[0]["values"] = {"b2": [{"shown": "x → ∞ ⊕ y"}]}
    with pytest.raises(SeriesError, match=r"^01 · .* · 2 / 4: the value 'x → ∞ ⊕ y' has '⊕' \(U\+2295\)"):
        build_beamer_deck(tmp_path, entries)
    assert not list(tmp_path.glob("deck-beamer*")) and not list(tmp_path.glob(".deck-beamer-*"))
