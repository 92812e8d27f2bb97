"""Subtitles within caption rules, for any text a lecturer writes, and beside every clip and beat clip."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import webvtt
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import cli
from pipeline.text.subtitles import LINE, LONGEST, SHORTEST, Cue, faults, lines, pieces, timed
from pipeline.text.subtitles import webvtt as webvtt_text

WORDS = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x3FF), min_size=1, max_size=12)
TEXT = st.lists(st.tuples(WORDS, st.sampled_from(["", "", "", ",", ".", ":", ";", "?"])), min_size=1, max_size=60).map(
    lambda words: " ".join(word + mark for word, mark in words)
)


def test_cues_are_readable_pieces_of_the_narration_timed_within_the_voice() -> None:
    text = (
        "Now let the point slide. The tangent turns with it: steeply falling at first, then flatter, "
        "until at the bottom it lies level and the slope is zero, which is where the walk would stop."
    )
    found = timed(text, 10.0, 20.5, (0.3, 10.1))
    assert " ".join(cue.text.replace("\n", " ") for cue in found) == text
    assert found[0].text == "Now let the point slide." and len(found) > 2
    assert found[0].start == 10.0 and found[-1].end == pytest.approx(20.5)
    for before, after in itertools.pairwise(found):
        assert before.end == pytest.approx(after.start)
    # Inside the voice, each piece's share of the time is its share of the characters.
    total = sum(len(cue.text) for cue in found)
    for cue in found[1:-1]:
        assert cue.end - cue.start == pytest.approx(9.8 * len(cue.text) / total)
    assert not faults(found)


def test_lines_break_after_punctuation_then_before_a_phrase() -> None:
    assert lines("The tangent turns with it: steeply falling at first, then flatter,") == [
        "The tangent turns with it:",
        "steeply falling at first, then flatter,",
    ]
    assert lines("Past the bottom the curve climbs and the slope grows with it") == [
        "Past the bottom the curve climbs",
        "and the slope grows with it",
    ]
    assert lines("x" * (LINE + 1)) is None


@settings(max_examples=300, deadline=None)
@given(text=TEXT, start=st.floats(0, 100), length=st.floats(0.5, 40))
def test_any_text_becomes_cues_of_at_most_two_short_lines_in_order(text: str, start: float, length: float) -> None:
    found = timed(text, start, start + length)
    assert " ".join(cue.text.replace("\n", " ") for cue in found) == " ".join(text.split())  # nothing lost
    for cue in found:
        assert start <= cue.start < cue.end <= start + length + 1e-9
        assert cue.end - cue.start <= LONGEST + 1e-9
        words = cue.text.split()
        assert (len(cue.lines) <= 2 and all(len(line) <= LINE for line in cue.lines)) or len(words) == 1
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start + 1e-9
    # Given time enough, every cue is on screen a second or more.
    if length >= SHORTEST * len(pieces(text)):
        assert all(cue.end - cue.start >= SHORTEST - 1e-9 for cue in found)


def test_two_line_cues_stay_two_lines_in_webvtt() -> None:
    cue = Cue(0.0, 2.0, "The tangent turns with it:\nsteeply <falling> & flatter")
    parsed = webvtt.from_string(webvtt_text([cue])).captions
    assert parsed[0].lines == ["The tangent turns with it:", "steeply &lt;falling&gt; &amp; flatter"]


def test_a_cue_too_long_too_short_or_too_fast_is_a_fault() -> None:
    assert faults([Cue(0, 8, "A caption")]) == ["cue at 0.00 s: 8.00 s on screen, not 1 to 7 s"]
    assert faults([Cue(0, 0.5, "Hi")]) == ["cue at 0.00 s: 0.50 s on screen, not 1 to 7 s"]
    assert faults([Cue(0, 1, "x" * 30)]) == ["cue at 0.00 s: 30 characters a second, over 20"]
    assert faults([Cue(0, 5, "a\nb\nc")]) == ["cue at 0.00 s: 3 lines of up to 1 characters (at most 2 lines of 42)"]
    assert faults([Cue(0, 5, "a" * 43)]) == ["cue at 0.00 s: 1 line of up to 43 characters (at most 2 lines of 42)"]


def test_check_names_a_beat_whose_subtitles_break_the_rules(tmp_path: Path) -> None:
    course = tmp_path / "course.toml"
    word = "https://example.org/a-very-long-link-to-the-notes.html"
    course.write_text(
        f"""
[[clip]]
id = "cubic"
title = "Cubic"
template = "tangent"
f = "x**3 - 3*x"
stops = [[-2], [1]]
window = [-2.5, 2.5]
beats = [
  {{ slug = "curve", caption = "A cubic." }},
  {{ slug = "tangent", caption = "The notes: {word}" }},
  {{ slug = "slopes", caption = "Its slopes." }},
  {{ slug = "graph", caption = "The slope graph." }},
]
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--series", str(course), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"beat 2 (tangent): subtitles: cue '{word}' does not fit two lines" in result.output
    assert result.stderr.strip() == "primer: error: check failed for cubic"
