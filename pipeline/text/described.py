"""Audio description: per beat, what the picture shows that the narration does not say, in words.

A template describes each beat's picture in sentences whose numbers and formulas are its own
records, marked ``$...$`` (``pictures`` in its text module; kept in the manifest as ``pictured``);
a lecturer may write a beat's description instead (its ``description`` in the series file).
Here they are read in words, and every record of the beat that neither the narration nor those
sentences say is added after them: nothing on screen goes unsaid. ``unsaid`` checks that
independently, from the words alone: a record is narrated when the narration says each of its
numbers (or, with none, its words), described when the description says its words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pipeline.text.spoken import spoken

MATH = re.compile(r"\$([^$]*)\$")
#: A number as read aloud: "minus 2.00", "0.54", "10 to the power minus 3" (its parts are numbers too).
NUMBER = re.compile(r"(?<![\w.])(minus )?(\d+(?:\.\d+)?)(?![\w])")
#: Small numbers a lecturer may write as words.
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
            "twenty",
        )
    )
}


def read(sentence: str) -> str:
    """A template's sentence with its ``$...$`` math read in words."""
    return MATH.sub(lambda found: spoken(found[1]), sentence)


def numbers(words: str) -> set[str]:
    """The numbers ``words`` say, written alike: "minus 2.00" and "-2" are both ``-2``."""
    text = re.sub(r"(?<![\w.])-(?=\d)", "minus ", words.lower())
    text = re.sub(r"[a-z]+", lambda found: NUMBER_WORDS.get(found[0], found[0]), text)
    found = set()
    for sign, digits in NUMBER.findall(text):
        value = digits.rstrip("0").rstrip(".") if "." in digits else digits
        value = value or "0"
        found.add(value if not sign or value == "0" else f"-{value}")
    return found


#: Words that, after a phrase, make it part of a longer expression: "x squared plus 1" does not say "x squared".
CONTINUATIONS = frozenset({"plus", "minus", "times", "over", "squared", "cubed", "to", "sub", "divided", "by"})


def _words(text: str) -> str:
    return " ".join(word.rstrip(".") for word in re.findall(r"[a-z0-9.]+", text.lower()))


def says(text: str, phrase: str) -> bool:
    """Whether ``text`` says ``phrase`` as whole words, and not as the start of something longer ("minus 40")."""
    tokens, wanted = _words(text).split(), _words(phrase).split()
    if not wanted:
        return False
    for start in range(len(tokens) - len(wanted) + 1):
        if tokens[start : start + len(wanted)] == wanted:
            after = tokens[start + len(wanted)] if start + len(wanted) < len(tokens) else ""
            if after not in CONTINUATIONS and not re.fullmatch(r"[0-9.]+", after):
                return True
    return False


def narrated(record: dict[str, Any], narration: str) -> bool:
    """Whether the narration says ``record`` (a manifest value): each of its numbers, or with none, its words."""
    said = spoken(str(record["tex"]))
    wanted = numbers(said)
    if wanted:
        return wanted <= numbers(narration)
    return bool(_words(said)) and _words(said) in _words(narration)


def description(pictured: str, records: Sequence[dict[str, Any]], narration: str, written: str = "") -> str:
    """The beat's description: the lecturer's (``written``) or the template's sentences in words.

    After them comes any record that neither the narration nor those sentences say.
    """
    text = read(written).strip() or read(pictured).strip()
    rest = [
        spoken(str(record["tex"]))
        for record in records
        if not narrated(record, narration) and not says(text, spoken(str(record["tex"])))
    ]
    if rest:
        text = (text + " " if text else "") + "Also on screen: " + "; ".join(rest) + "."
    return text


def unsaid(records: Sequence[dict[str, Any]], narration: str, described: str) -> list[str]:
    """The names of the records a beat shows that neither its narration nor its description says."""
    return [
        str(record["name"])
        for record in records
        if not narrated(record, narration) and not says(described, spoken(str(record["tex"])))
    ]
