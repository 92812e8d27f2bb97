"""``<out>/<preset>/manifest.json``: what each rendered clip was made from and what it holds.

A missing or damaged manifest reads as empty, so the clips simply render again. Writes are
atomic (a temporary file, then a rename), so a kill never leaves half a manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.files import sha256_file, write_text

NAME = "manifest.json"
VERSION = 1

Entry = dict[str, Any]


def manifest_path(folder: Path) -> Path:
    """The manifest of one preset folder."""
    return folder / NAME


def load(folder: Path) -> dict[str, Entry]:
    """Entries by clip id; empty when the manifest is missing, unreadable or of another version."""
    try:
        data = json.loads(manifest_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("clips"), dict):
        return {}
    return {k: v for k, v in data["clips"].items() if isinstance(v, dict)}


def save(folder: Path, entries: dict[str, Entry]) -> None:
    """Write the manifest atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text(
        manifest_path(folder), json.dumps({"version": VERSION, "clips": entries}, indent=2, sort_keys=True) + "\n"
    )


def damaged_file(folder: Path, entry: Entry) -> str | None:
    """The first recorded output that is missing or whose bytes changed, or None if all are intact."""
    files = entry.get("files")
    if not isinstance(files, dict) or not files:
        return "(no files recorded)"
    for name, digest in files.items():
        path = folder / str(name)
        if not path.is_file() or sha256_file(path) != digest:
            return str(name)
    return None


def reusable(folder: Path, entry: Entry) -> tuple[tuple[str, str], ...]:
    """Each recorded beat's key and start state, where its clip is still as recorded (empty where not)."""
    beats, files = entry.get("beats"), entry.get("files")
    if not isinstance(beats, list) or not isinstance(files, dict):
        return ()
    found: list[tuple[str, str]] = []
    for beat in beats:
        record = beat if isinstance(beat, dict) else {}
        key, state = record.get("key"), record.get("state")
        if isinstance(key, str) and isinstance(state, str) and intact(folder, entry, record.get("file")):
            found.append((key, state))
        else:
            found.append(("", ""))
    return tuple(found)


def intact(folder: Path, entry: Entry, name: Any) -> bool:
    """Whether the entry records file ``name`` and it is still there with the bytes recorded."""
    files = entry.get("files")
    if not isinstance(files, dict) or not isinstance(name, str) or name not in files:
        return False
    path = folder / name
    return path.is_file() and sha256_file(path) == files[name]
