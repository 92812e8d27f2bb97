"""Audio descriptions: what each beat's picture shows, built from its records, and nothing on screen left unsaid."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest

from lessons.series import Clip, default_series
from pipeline.commands.check import unsaid_faults
from pipeline.text.described import description, narrated, numbers, read, unsaid
from pipeline.text.spoken import spoken
from pipeline.values import by_beat, pictured, shown_items
from scenes.shown import written

SERIES = default_series().clips
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def flat(value: Any) -> list[float]:
    """The numbers of a lesson's parameters, however nested."""
    if isinstance(value, int | float):
        return [float(value)]
    return [n for v in value for n in flat(v)] if isinstance(value, list | tuple) else []


def record(name: str, tex: str) -> dict[str, str]:
    return {"name": name, "tex": tex}


def test_numbers_are_read_alike_in_digits_and_words() -> None:
    assert numbers("x equals minus 2.00, then 0.540 and zero; -3 and twelve") == {"-2", "0.54", "0", "-3", "12"}
    assert numbers("minus 0.00") == {"0"}
    assert numbers("the x-axis, f prime") == set()


def test_a_record_is_narrated_when_the_narration_says_its_numbers_or_its_words() -> None:
    assert narrated(record("x", "x = -2.00"), "We stand at x equals minus two.")
    assert not narrated(record("x", "x = -2.00"), "We stand at x equals two.")
    assert narrated(record("verdict", r"\text{a minimum}"), "This is a minimum, since it bends up.")
    assert not narrated(record("verdict", r"\text{a minimum}"), "It bends up.")


def test_a_description_reads_the_template_sentences_and_adds_what_is_not_yet_said() -> None:
    records = [record("f(x)", "f(x) = x^2"), record("slope", "f'(-2) = -4"), record("x", "x = 3")]
    text = description("The curve $f(x) = x^2$ is drawn.", records, "Then we move to x equals three.")
    assert text == "The curve f of x equals x squared is drawn. Also on screen: f prime of minus 2 equals minus 4."
    assert unsaid(records, "Then we move to x equals three.", text) == []
    assert unsaid(records, "", "The curve f of x equals x squared is drawn.") == ["slope", "x"]


def test_a_lecturers_description_replaces_the_templates_and_what_it_leaves_out_is_added() -> None:
    records = [record("f(x)", "f(x) = x^2"), record("slope", "f'(-2) = -4"), record("x", "x = 3")]
    mine = "A parabola; where f prime of minus 2 equals minus 4 the tangent falls."
    text = description("The curve $f(x) = x^2$ is drawn.", records, "Then we move to x equals three.", mine)
    assert text == mine + " Also on screen: f of x equals x squared."  # x = 3 is narrated, f'(-2) described
    assert unsaid(records, "Then we move to x equals three.", text) == []


def test_a_value_is_said_only_as_whole_words_that_end_there() -> None:
    records = [record("slope", "f'(1) = -4"), record("f(x)", "f(x) = x^2")]
    # "minus 40" does not say -4, nor "x squared plus 1" x²: both are added after the lecturer's words.
    text = description("", records, "", "Here f prime of 1 equals minus 40, and f of x equals x squared plus 1.")
    assert text.endswith("Also on screen: f prime of 1 equals minus 4; f of x equals x squared.")
    assert unsaid(records, "", "f prime of 1 equals minus 4. f of x equals x squared.") == []
    assert description("", records[:1], "", "The tangent: $f'(1) = -4$.") == "The tangent: f prime of 1 equals minus 4."


@pytest.mark.parametrize("clip", SERIES, ids=[c.id for c in SERIES])
def test_every_beat_of_the_series_is_described_from_its_own_records(clip: Clip) -> None:
    items = shown_items(clip)
    values, pictures = by_beat(clip, items), pictured(clip, items)
    for number, beat in enumerate(clip.beats, start=1):
        sentence, records = pictures[beat.slug], values[beat.slug]
        assert sentence, (clip.id, number)  # every beat's picture is described
        # Never a typed number: each in the sentences is a record's of the beat, or the lesson's as written.
        said = {n for r in records for n in DIGITS.findall(spoken(r["tex"]))}
        inputs = set(DIGITS.findall(" ".join(written(v) for v in flat([v for _, v in clip.params]))))
        assert set(DIGITS.findall(read(sentence))) <= said | inputs, (clip.id, number, read(sentence))
        # Every record is in the template's own sentences (none left for "Also on screen").
        missing = [r["name"] for r in records if f"${r['tex']}$" not in sentence]
        assert not missing, (clip.id, number, missing)
    assert unsaid_faults(clip, items) == ()


def test_check_names_a_value_neither_narrated_nor_described(monkeypatch: pytest.MonkeyPatch) -> None:
    clip = next(c for c in SERIES if c.id == "derivative")
    items = shown_items(clip)
    module = importlib.import_module(clip.kind.text)
    # A description that leaves the records out, and a composition that does not add them: the check sees it.
    monkeypatch.setattr(module, "pictures", lambda lesson, items: {1: "A curve."})
    monkeypatch.setattr("pipeline.commands.check.description", lambda pictured, records, *words: pictured)
    found = unsaid_faults(clip, items)
    assert "beat 1 (curve-and-notations): 'f(x)' is neither narrated nor described" in found
    assert any(fault.startswith('beat 2 (tangent-at-minus-2): "f\'(-2)"') for fault in found)
