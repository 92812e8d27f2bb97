"""Every number and formula a clip shows, by beat: its name, its text on screen and its exact value.

The records come from the clip's template text module (``Template.text``), the same that the
scene puts on screen, so what is listed is what is shown. Importing a text module imports the
math core (JAX, SymPy) but not manim.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from lessons.series import Clip, SeriesError
from mathcore.errors import MathError
from mathcore.expressions import ExpressionError
from scenes.shown import Claim, Shown, plain_text

Values = dict[str, list[dict[str, Any]]]


def lesson_error(clip: Clip, error: MathError | ExpressionError) -> SeriesError:
    """A lesson the math refuses, as one line naming the file, the clip and (where one does) the field."""
    field = getattr(error, "field", None)
    where = f"{Path(clip.source).name}: clip {clip.id!r}" + (f": field {field!r}" if field else "")
    return SeriesError(f"{where}: {error}")


def shown_items(clip: Clip) -> dict[str, Shown]:
    """The clip's text records, keyed as its scene uses them; ``SeriesError`` if the math refuses the lesson."""
    module: Any = importlib.import_module(clip.kind.text)
    try:
        math = module.compute(clip.lesson)
        items: dict[str, Shown] = module.shown(clip.lesson, math)
    except (MathError, ExpressionError) as error:
        raise lesson_error(clip, error) from error
    return items


def validate(clips: Iterable[Clip]) -> None:
    """Work out every clip's math and text before anything is drawn or written: a refused lesson stops all."""
    for clip in clips:
        shown_items(clip)


def clip_values(clip: Clip) -> Values:
    """The records of ``clip`` grouped by beat slug, in the series entry's order."""
    return by_beat(clip, shown_items(clip))


def by_beat(clip: Clip, items: dict[str, Shown]) -> Values:
    """``items`` (a clip's records, e.g. as its scene showed them) grouped by beat slug."""
    table: Values = {beat.slug: [] for beat in clip.beats}
    slugs = [beat.slug for beat in clip.beats]
    for item in items.values():
        record: dict[str, Any] = {
            "name": item.name,
            "shown": item.plain,
            "tex": item.tex,
            "exact": item.exact,
            "sympy": item.sympy,
            "value": _listed(item.value),
        }
        if item.claim is not None:
            record["claim"] = claim_record(item.claim)
        table[slugs[item.beat - 1]].append(record)
    return table


def pictured(clip: Clip, items: dict[str, Shown]) -> dict[str, str]:
    """Per beat slug, the template's sentences on what the picture shows (its records marked ``$...$``)."""
    module: Any = importlib.import_module(clip.kind.text)
    found: dict[int, str] = module.pictures(clip.lesson, items)
    return {beat.slug: found.get(number, "") for number, beat in enumerate(clip.beats, start=1)}


def _listed(value: Any) -> Any:
    """A vector or matrix as lists (as JSON keeps it), a number as it is."""
    return [_listed(v) for v in value] if isinstance(value, tuple | list) else value


def claim_record(claim: Claim) -> dict[str, str]:
    """A claim as data: its words, the rule that decided it and the figures it rests on."""
    return {"words": plain_text(claim.words), "rule": claim.rule, "evidence": claim.evidence}


COLUMNS = ("clip", "beat", "name", "shown", "exact", "value")


def exact_column(item: dict[str, Any]) -> str:
    """The exact value (TeX made readable), or "" when the text on screen already says it."""
    exact = str(item["exact"])
    if not exact or exact in (item["shown"], item["tex"]) or item["shown"].endswith(f"= {exact}"):
        return ""
    readable = plain_text(exact)
    return "" if readable == item["shown"] or item["shown"].endswith(f"= {readable}") else readable


def rows(table: dict[str, Values]) -> list[tuple[str, str, str, str, str, str]]:
    """One row per record: (clip id, beat slug, name, as shown, exact, float64 value or "")."""
    return [
        (
            clip_id,
            slug,
            item["name"],
            item["shown"],
            str(item["exact"]),
            "" if item["value"] is None else json.dumps(item["value"]),
        )
        for clip_id, beats in table.items()
        for slug, items in beats.items()
        for item in items
    ]


def write_csv(stream: IO[str], table: dict[str, Values]) -> None:
    """The records as CSV with a header row, for spreadsheets."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(table))
