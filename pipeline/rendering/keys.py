"""What a clip's render depends on, and a key that changes when any of it does.

Found statically: the template's scene module and every project module it imports (transitively,
read with ``ast``: its text module, the math core modules it uses, the shared scene modules), ``manim.cfg``,
the pipeline modules that write a clip's files and manifest values; then the clip's own entry in
the series file (not the rest of the file), the render options, and the installed versions of
manim, jax and sympy. Nothing here imports manim or jax, so deciding what to skip is quick.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from lessons.quality import Quality
from lessons.series import Clip
from pipeline.files import sha256_file
from pipeline.sound.narration import fingerprint

ROOT = Path(__file__).resolve().parents[2]  # the project folder
#: Top-level packages that belong to the project (their modules count as dependencies).
PROJECT_PACKAGES = ("lessons", "scenes", "mathcore", "pipeline")
#: The pipeline modules that make a clip's files and the values its manifest entry records.
WRITERS = ("pipeline.rendering.render", "pipeline.values")
TOOL_PACKAGES = ("manim", "jax", "jaxlib", "sympy")


@dataclass(frozen=True)
class ClipKey:
    """A clip's key and the inputs it was made from."""

    key: str
    files: dict[str, str]  # repo-relative path -> sha256 of its content
    options: dict[str, str]
    # What every beat's frames depend on besides the state it starts from and its own caption and hold:
    # the same inputs without the beats' captions and narration (see ``scenes.state``).
    picture: str = ""


def module_path(module: str, root: Path) -> Path | None:
    """The file of a project module (``scenes.typeset`` -> ``scenes/typeset.py``), or None."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(path: Path) -> set[str]:
    """Project modules that ``path`` imports, read from its source.

    A file that does not parse (saved mid-edit) imports nothing here: its bytes still count in the
    key, and rendering it says what is wrong.
    """
    return set(_imports_in(path.read_bytes()))


@lru_cache(maxsize=1024)
def _imports_in(source: bytes) -> frozenset[str]:
    """The project modules a module's source imports (remembered by content: parsing is the cost)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name.split(".")[0] in PROJECT_PACKAGES)
    return frozenset(found)


def dependencies(clip: Clip, root: Path = ROOT, imports: dict[Path, set[str]] | None = None) -> list[Path]:
    """Every file the clip's render reads, sorted.

    That is its template's scene module with its project imports and the pipeline's ``WRITERS``
    (both transitively), and ``manim.cfg``. ``imports`` remembers what each file imports, for the
    next clip.
    """
    known = {} if imports is None else imports
    seen: set[Path] = set()
    todo = [clip.module, *WRITERS]
    while todo:
        path = module_path(todo.pop(), root)
        if path is None or path in seen:
            continue
        seen.add(path)
        if path not in known:
            known[path] = imported_modules(path)
        todo.extend(known[path])
        for parent in path.relative_to(root).parents:  # importing a.b.c runs a/__init__.py too
            init = root / parent / "__init__.py"
            if parent != Path(".") and init.is_file() and init not in seen:
                todo.append(".".join(parent.parts))
    seen.add(root / "manim.cfg")
    return sorted(seen)


def tool_versions() -> dict[str, str]:
    """Installed versions of the libraries that draw and compute."""
    found = {}
    for name in TOOL_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def clip_keys(
    clips: Sequence[Clip],
    quality: Quality,
    options: dict[str, str] | None = None,
    root: Path = ROOT,
    sound: bool = False,
) -> list[ClipKey]:
    """The keys of ``clips`` rendered at ``quality`` with ``options``; shared files are read once.

    With ``sound``, a narrated clip's key also covers its narration: texts, recordings and voice.
    """
    imports: dict[Path, set[str]] = {}
    digests: dict[Path, str] = {}
    versions = tool_versions()
    keys = []
    for clip in clips:
        files = {}
        for path in dependencies(clip, root, imports):
            if path not in digests:
                digests[path] = sha256_file(path)
            files[str(path.relative_to(root))] = digests[path]
        settings = {"clip": clip.stem, "entry": clip.entry, "quality": quality.folder, **(options or {}), **versions}
        narration = fingerprint(clip) if sound else ""
        if narration:
            settings["narration"] = narration
        blob = json.dumps({"files": files, "options": settings}, sort_keys=True).encode()
        drawn = {name: value for name, value in settings.items() if name not in ("entry", "narration")}
        picture = json.dumps({"files": files, "options": drawn, "lesson": picture_entry(clip)}, sort_keys=True)
        keys.append(
            ClipKey(hashlib.sha256(blob).hexdigest(), files, settings, hashlib.sha256(picture.encode()).hexdigest())
        )
    return keys


def picture_entry(clip: Clip) -> dict[str, object]:
    """The part of a clip's entry that can decide its pictures in every beat: not its captions or narration."""
    return {"title": clip.title, "template": clip.template, "lesson": list(clip.params), "beats": len(clip.beats)}


def clip_key(
    clip: Clip, quality: Quality, options: dict[str, str] | None = None, root: Path = ROOT, sound: bool = False
) -> ClipKey:
    """The key of ``clip`` rendered at ``quality`` with ``options``."""
    return clip_keys([clip], quality, options, root, sound)[0]
