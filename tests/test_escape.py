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

from pipeline import escape
from pipeline.deck import build_html_deck, build_pptx_deck
from pipeline.lecture import Cue, subrip_text
from pipeline.lecture import webvtt as webvtt_text
from tests.test_exports import CHROMIUM

HOSTILE = [
    "</script><img src=x onerror=alert(3)>",
    "<img src=x onerror=alert(3)> & 5 < 6",
    "a --> b, \"quoted\" and 'single' & ampersands",
    "<b>bold</b> {\\an8} top, \u2028 line separator",
]


def _entries(folder: Path) -> list[dict[str, Any]]:
    """A one-clip manifest whose title, captions and narration are hostile; its media are stand-ins."""
    Image.new("RGB", (16, 9), "black").save(folder / "poster.png")
    (folder / "beat.mp4").write_bytes(b"\x00" * 64)  # never played here: the page and the PPTX only refer to it
    beats = [
        {"slug": f"b{n}", "caption": text, "narration": text[::-1], "file": "beat.mp4", "poster": "poster.png"}
        for n, text in enumerate(HOSTILE, start=1)
    ]
    return [{"stem": "01-hostile", "title": "<i>T</i> & </script>", "beats": beats}]


def test_json_for_a_script_element_never_closes_it() -> None:
    text = escape.json_for_script({"caption": HOSTILE[0], "other": HOSTILE[3]})
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == {"caption": HOSTILE[0], "other": HOSTILE[3]}


def test_the_html_deck_shows_hostile_text_as_typed_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "needs Debian's chromium: `make test` installs it"
    page = build_html_deck(tmp_path, _entries(tmp_path), title=HOSTILE[0])
    dom = {}
    for number in range(1, len(HOSTILE) + 1):
        result = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
             "--dump-dom", f"{page.as_uri()}#{number}"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        dom[number] = result.stdout
    for number, typed in enumerate(HOSTILE, start=1):
        body = dom[number]
        assert f'data-slide="{number - 1}"' in body  # the script ran to the end: nothing closed it early
        assert "<img" not in body and "<b>" not in body.split("<script>")[0]
        caption = re.search(r'<p id="caption"[^>]*>(.*?)</p>', body, re.S)
        assert caption and html.unescape(caption[1]) == typed
        heading = re.search(r'<header id="heading">(.*?)</header>', body, re.S)
        assert heading and html.unescape(heading[1]) == f"01 · <i>T</i> & </script> · {number} / {len(HOSTILE)}"
        title = re.search(r"<title>(.*?)</title>", body, re.S)  # the course's title, as typed
        assert title and html.unescape(title[1]) == HOSTILE[0]


def test_subtitles_carry_hostile_text_as_typed() -> None:
    cues = [Cue(i * 2.0, i * 2.0 + 1.5, text) for i, text in enumerate(HOSTILE)]
    parsed = webvtt.from_string(webvtt_text(cues)).captions
    assert len(parsed) == len(HOSTILE)  # no "-->" or blank line broke a cue
    for cue, typed in zip(parsed, HOSTILE, strict=True):
        assert "<" not in cue.text and html.unescape(cue.text) == " ".join(typed.split())
    subtitles = list(srt.parse(subrip_text(cues)))
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

    deck = build_pptx_deck(tmp_path, _entries(tmp_path), title=HOSTILE[0])
    presentation = Presentation(str(deck))
    assert presentation.core_properties.title == HOSTILE[0]
    for slide, typed in zip(presentation.slides, HOSTILE, strict=True):
        assert slide.notes_slide.notes_text_frame.text == typed[::-1]
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert any(text.startswith("01 · <i>T</i> & </script>") for text in texts)
