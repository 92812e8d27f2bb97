"""``<out>/<preset>/manifest.json``: what each rendered clip was made from and what it holds.

A missing or damaged manifest reads as empty, so the clips simply render again. Writes are
atomic (a temporary file, then a rename), so a kill never leaves half a manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from pipeline.files import sha256_file, write_text

NAME = "manifest.json"
VERSION = 1

Values = dict[str, list[dict[str, Any]]]  # a clip's shown records by beat slug (``pipeline.values.by_beat``)


class BeatEntry(TypedDict):
    """One beat of a rendered clip: its words, its files and where it sits on the clip's clock."""

    slug: str
    key: str  # the beat's key ("" where the clip was not rendered in beats)
    state: str  # the digest of the scene as the beat starts ("" likewise)
    caption: str
    narration: str
    description: NotRequired[str]  # the lecturer's description of the picture, if any (absent in older manifests)
    voice: str  # where its sound came from ("none": silent)
    speech: list[float] | None  # when the voice speaks, in seconds from the beat's start
    file: str  # the beat's clip, relative to the preset folder
    poster: str
    caption_file: str
    start: float
    end: float
    frames: int


class Entry(TypedDict):
    """One rendered clip: what it was made from (keys, inputs, options) and what it holds."""

    id: str
    title: str
    stem: str
    key: str
    picture: str
    inputs: dict[str, str]
    options: dict[str, str]
    format: str
    transparent: bool
    theme: str
    captions: bool
    video: str
    files: dict[str, str]  # every output, relative to the preset folder, with its sha256
    duration: float
    planned: float
    frames: int
    fps: int
    aspect: str
    width: int
    height: int
    beats: list[BeatEntry]
    values: Values
    pictured: dict[str, str]  # per beat slug, what the picture shows, its records marked $...$ (``pipeline.values``)
    render_seconds: float
    reused: list[int]  # beats whose recorded clip was reused as it was, not drawn


def _well_formed(entry: Any) -> bool:
    """Whether a stored entry has every field, so readers may trust its shape."""
    return (
        isinstance(entry, dict)
        and Entry.__required_keys__ <= entry.keys()
        and isinstance(entry["beats"], list)
        and all(isinstance(b, dict) and BeatEntry.__required_keys__ <= b.keys() for b in entry["beats"])
        and isinstance(entry["files"], dict)
    )


def manifest_path(folder: Path) -> Path:
    """The manifest of one preset folder."""
    return folder / NAME


def load(folder: Path) -> dict[str, Entry]:
    """Entries by clip id; empty when the manifest is missing, unreadable or of another version.

    An entry missing a field is left out (its clip renders again).
    """
    try:
        data = json.loads(manifest_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("clips"), dict):
        return {}
    return {k: cast(Entry, v) for k, v in data["clips"].items() if _well_formed(v)}


def save(folder: Path, entries: dict[str, Entry]) -> None:
    """Write the manifest atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text(
        manifest_path(folder), json.dumps({"version": VERSION, "clips": entries}, indent=2, sort_keys=True) + "\n"
    )


def damaged_file(folder: Path, entry: Entry) -> str | None:
    """The first recorded output that is missing or whose bytes changed, or None if all are intact."""
    if not entry["files"]:
        return "(no files recorded)"
    return next((name for name in entry["files"] if not intact(folder, entry, name)), None)


def reusable(folder: Path, entry: Entry) -> tuple[tuple[str, str], ...]:
    """Each recorded beat's key and start state, where its clip is still as recorded (empty where not)."""
    return tuple(
        (beat["key"], beat["state"]) if intact(folder, entry, beat["file"]) else ("", "") for beat in entry["beats"]
    )


def intact(folder: Path, entry: Entry, name: str) -> bool:
    """Whether the entry records file ``name`` and it is still there with the bytes recorded."""
    path = folder / name
    return name in entry["files"] and path.is_file() and sha256_file(path) == entry["files"][name]
