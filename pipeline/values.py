"""Every number and formula a clip shows, by beat: its name, its text on screen and its exact value.

The records come from the clip's template text module (``Template.text``), the same that the
scene puts on screen, so what is listed is what is shown. Importing a text module imports the
math core (JAX, SymPy) but not manim.
"""

from __future__ import annotations

import csv
import importlib
from typing import IO, Any

from mathcore.expressions import ExpressionError
from mathcore.symbolic import MathError
from pipeline.errors import PrimerError
from scenes.catalog import Clip
from scenes.shown import Shown, plain_text

Values = dict[str, list[dict[str, Any]]]


def shown_items(clip: Clip) -> dict[str, Shown]:
    """The clip's text records, keyed as its scene uses them."""
    module: Any = importlib.import_module(clip.kind.text)
    try:
        math = module.compute(clip.lesson)
    except (MathError, ExpressionError) as error:
        raise PrimerError(f"{clip.source}: clip {clip.id!r}: {error}") from error
    items: dict[str, Shown] = module.shown(clip.lesson, math)
    return items


def clip_values(clip: Clip) -> Values:
    """The records of ``clip`` grouped by beat slug, in the series entry's order."""
    return by_beat(clip, shown_items(clip))


def by_beat(clip: Clip, items: dict[str, Shown]) -> Values:
    """``items`` (a clip's records, e.g. as its scene showed them) grouped by beat slug."""
    table: Values = {beat.slug: [] for beat in clip.beats}
    slugs = [beat.slug for beat in clip.beats]
    for item in items.values():
        table[slugs[item.beat - 1]].append(
            {"name": item.name, "shown": item.plain, "tex": item.tex, "exact": item.exact, "value": item.value}
        )
    return table


COLUMNS = ("clip", "beat", "name", "shown", "exact", "value")


def exact_column(item: dict[str, Any]) -> str:
    """The exact value (TeX made readable), or "" when the text on screen already says it."""
    exact = str(item["exact"])
    if not exact or exact in (item["shown"], item["tex"]) or item["shown"].endswith(f"= {exact}"):
        return ""
    readable = plain_text(exact) if "\\" in exact else exact
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
            "" if item["value"] is None else repr(item["value"]),
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
