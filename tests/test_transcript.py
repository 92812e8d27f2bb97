"""The descriptive transcript: what is said, the caption and what is shown, in words a screen reader reads well."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pipeline.text.spoken import spoken
from pipeline.text.transcript import Part, as_text, part, stamp


@pytest.mark.parametrize(
    ("shown", "words"),
    [
        ("f'(-2) = -4", "f prime of minus 2 equals minus 4"),
        (
            r"\text{slope } f'(-2) = 2 \cdot \left(-2\right) = -4",
            "slope f prime of minus 2 equals 2 times (minus 2) equals minus 4",
        ),
        (
            r"\frac{dy}{dx} \approx 0.54 \cdot 2 \approx 1.08",
            "d y by d x is approximately 0.54 times 2 is approximately 1.08",
        ),
        (r"\nabla f(1.5,\ 0.8) = (3.00,\ 1.60)", "gradient of f of 1.5, 0.8 equals (3.00, 1.60)"),
        (r"f(x) = \left(x - 3\right)^{2} + 1", "f of x equals (x minus 3) squared plus 1"),
        (
            r"f'(x_{50}) \approx -8.6 \times 10^{-5}",
            "f prime of x sub 50 is approximately minus 8.6 times 10 to the power minus 5",
        ),
        (r"\theta_A = +36.00^\circ", "theta sub A equals plus 36.00 degrees"),
        (r"\|\nabla f\| = 3.40", "the norm of gradient of f equals 3.40"),
        (r"H = \left[\begin{matrix}2 & 3\\3 & 2\end{matrix}\right]", "H equals the matrix with rows 2, 3; 3, 2"),
        (r"\frac{\partial L}{\partial \hat y}", "partial L by partial y hat"),
        (r"\lambda_{1} = -1 \text{ along } (1,\ -1)", "lambda sub 1 equals minus 1 along (1, minus 1)"),
        (r"y = \sin{\left(u \right)} \approx 0.84", "y equals sin of u is approximately 0.84"),
        (
            "f'' > 0: it bends up, so this is a minimum",
            "f double prime is greater than 0: it bends up, so this is a minimum",
        ),
        ("falling, less steeply", "falling, less steeply"),
        (r"g \circ f", "g composed with f"),
        (r"\hat{\theta} = 2", "theta hat equals 2"),
        (r"x^\top \cdots", "x transposed and so on"),
        (r"\bigl(x\bigr) \to 0", "(x) goes to 0"),
        ("‖∇f‖ = 3.40", "the norm of gradient of f equals 3.40"),
        (r"\frac{1}{4 \cosh^{2}{\left(1 \right)}} \approx 0.1", "1 over (4 cosh squared of 1) is approximately 0.1"),
        (r"\frac{x}{2 y}", "x over (2 y)"),  # not (x over 2) y
        ("∂L/∂ŷ", "partial L over partial y hat"),
    ],
)
def test_what_is_shown_reads_as_words(shown: str, words: str) -> None:
    assert spoken(shown) == words


def test_no_tex_is_left_in_the_words_for_any_record_of_the_series() -> None:
    from lessons.series import default_series
    from pipeline.values import clip_values

    for clip in default_series().clips:
        for records in clip_values(clip).values():
            for record in records:
                words = spoken(record["tex"])
                assert "\\" not in words and "{" not in words and "^" not in words and "_" not in words, (
                    clip.id,
                    words,
                )


ENTRY: Any = {  # the fields of a manifest entry that a transcript reads
    "stem": "01-derivative",
    "title": "Derivative",
    "beats": [
        {"slug": "curve", "caption": "A curve.", "narration": "Here is f.", "start": 0.0, "end": 65.5},
        {"slug": "tangent-at-minus-2", "caption": "Its tangent.", "narration": "", "start": 65.5, "end": 70.0},
    ],
    "values": {
        "curve": [{"name": "f(x)", "tex": "f(x) = x^{2}"}],
        "tangent-at-minus-2": [{"name": "f'(-2)", "tex": "f'(-2) = -4"}],
    },
    "pictured": {"curve": "The curve $f(x) = x^{2}$.", "tangent-at-minus-2": "A tangent line."},
}


def test_the_text_transcript_tells_each_beat_said_caption_and_shown() -> None:
    assert stamp(65.5) == "1:05" and stamp(3725) == "1:02:05"
    text = as_text("Calculus", [part(ENTRY, 10.0)])
    assert text == (
        "Calculus\n========\n\n01 · Derivative\n---------------\n\n"
        "[0:10] Beat 1 of 2: curve\nSaid: Here is f.\nCaption: A curve.\nPictured: The curve f of x equals x squared.\n"
        "Shown: f of x equals x squared.\n\n"
        "[1:15] Beat 2 of 2: tangent at minus 2\nCaption: Its tangent.\n"
        "Pictured: A tangent line. Also on screen: f prime of minus 2 equals minus 4.\n"
        "Shown: f prime of minus 2 equals minus 4.\n"
    )


class Outline(HTMLParser):
    """Headings, paragraphs and list items of a page with their text, and the time links' seconds."""

    KINDS = ("h1", "h2", "h3", "li", "p")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.times: list[float] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.KINDS:
            self._open.append((tag, []))
        if tag == "a":
            self.times.append(float(dict(attrs)["data-seconds"] or "nan"))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            kind, parts = self._open.pop()
            self.found.append((kind, " ".join("".join(parts).split())))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1].append(data)


def test_a_transcript_part_is_headings_per_clip_and_beat(tmp_path: Path) -> None:
    from pipeline.text.transcript import write_transcript

    page, text = write_transcript(
        tmp_path / "01-derivative.mp4", "Derivative", [Part("01 · Derivative", part(ENTRY).beats)]
    )
    outline = Outline()
    outline.feed(page.read_text(encoding="utf-8"))
    assert ("h2", "01 · Derivative") in outline.found
    assert [t for tag, t in outline.found if tag == "h3"] == [
        "0:00 Beat 1 of 2: curve",
        "1:05 Beat 2 of 2: tangent at minus 2",
    ]
    assert outline.times == [0.0, 65.5]
    assert ("li", "f prime of minus 2 equals minus 4") in outline.found
    assert text.read_text(encoding="utf-8").startswith("Derivative\n")


def test_the_descriptions_track_says_what_each_picture_shows_beat_by_beat(tmp_path: Path) -> None:
    import webvtt

    from pipeline.text.transcript import write_descriptions

    track = webvtt.read(str(write_descriptions(tmp_path / "01-derivative.mp4", [part(ENTRY, 10.0)])))
    assert [(c.start, c.end, c.text) for c in track.captions] == [
        ("00:00:10.000", "00:01:15.500", "The curve f of x equals x squared."),
        ("00:01:15.500", "00:01:20.000", "A tangent line. Also on screen: f prime of minus 2 equals minus 4."),
    ]
