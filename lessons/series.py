"""The series as data: ``series.toml`` read, checked once, and frozen into clips.

A series file lists clips in order; each names its template, the lesson's parameters and each
beat's slug and caption. Everything is checked here, at the edge, with errors that name the file,
the clip and the field; scenes, the pipeline and the CLI take the frozen ``Clip``. Reading a file
imports neither manim nor JAX.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from lessons.palette import DEFAULT_THEME, PALETTES, Palette, ThemeError, custom_palette
from lessons.params import REQUIRED, FieldError
from lessons.quality import DEFAULT_QUALITY, QUALITIES, quality
from lessons.settings import ASPECTS, DEFAULT_ASPECT
from lessons.templates import TEMPLATES, Lesson, RuleError, Template

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERIES = ROOT / "series.toml"
#: What an id or a beat's slug may look like: it names files.
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_CAPTION = 90
MAX_TITLE = 40
MAX_COURSE_TITLE = 80
#: Words that end an output's file names (4:3, no captions, silent, transparent): no theme is called so.
SUFFIX_WORDS = frozenset({"4x3", "16x9", "nocaptions", "silent", "alpha"})
MAX_NARRATION = 800
#: The fields of a beat: its slug and caption, and optionally its narration and its picture's description.
BEAT_FIELDS = frozenset({"slug", "caption", "narration", "description"})
#: The draft voice's language: an espeak-ng voice name such as ``en-us``, ``de`` or ``fr-fr``.
DEFAULT_VOICE = "en-us"
VOICE = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)*")
CLIP_KEYS = ("id", "title", "template", "beats")


class SeriesError(ValueError):
    """A series file that cannot be used; the message names the file, clip and field."""


@dataclass(frozen=True)
class Beat:
    """One step of a clip: one manim section, one slide, one caption."""

    slug: str
    caption: str
    narration: str = ""  # what the voice says over the beat (none: the beat is silent)
    description: str = ""  # what the picture shows, in the lecturer's words (none: the template's)


def beat_stem(number: int, slug: str) -> str:
    """Name of one beat's files, without extension: ``02-tangent-at-minus-2``."""
    return f"{number:02d}-{slug}"


@dataclass(frozen=True)
class Clip:
    """One clip of the series: a template and its lesson, with the beats' captions."""

    number: int
    id: str
    title: str
    template: str
    params: tuple[tuple[str, Any], ...]  # the lesson, validated, in the template's field order
    beats: tuple[Beat, ...]
    entry: str  # sha256 of this clip's entry as validated: its key changes when, and only when, it does
    source: str  # the series file it came from
    voice: str = DEFAULT_VOICE  # the draft voice's language (the series file's ``voice``)

    @property
    def lesson(self) -> Lesson:
        """The lesson, typed: its template's frozen dataclass."""
        lesson: Lesson = self.kind.lesson(**dict(self.params))
        return lesson

    @property
    def stem(self) -> str:
        """File stem of the clip's outputs, e.g. ``01-derivative``."""
        return f"{self.number:02d}-{self.id}"

    @property
    def kind(self) -> Template:
        """The clip's template."""
        return TEMPLATES[self.template]

    @property
    def module(self) -> str:
        """Dotted name of the scene module."""
        return self.kind.module

    @property
    def class_name(self) -> str:
        """Name of the scene class."""
        return self.kind.class_name


@dataclass(frozen=True)
class Series:
    """The clips of one series file, in order."""

    path: Path
    clips: tuple[Clip, ...]
    theme: str = DEFAULT_THEME  # the colours, unless a command says otherwise
    themes: tuple[tuple[str, Palette], ...] = ()  # the file's own themes ([themes.NAME] tables)
    aspect: str = DEFAULT_ASPECT  # the frame's shape, unless a command says otherwise
    title: str = "Calculus Primer"  # the course's title: on the deck, the handout, the lecture and the contact sheet
    quality: str = DEFAULT_QUALITY  # the preset every command renders at, unless it says otherwise

    @property
    def theme_names(self) -> tuple[str, ...]:
        """Every theme a command may ask for: the built-in ones and the file's own."""
        return (*PALETTES, *(name for name, _ in self.themes))

    def colours(self, theme: str) -> Palette | None:
        """The colours of one of the file's own themes (None for a built-in theme); ``SeriesError`` if unknown."""
        if theme in PALETTES:
            return None
        for name, palette in self.themes:
            if name == theme:
                return palette
        raise SeriesError(f"{self.path.name}: no theme {theme!r}; themes: {', '.join(self.theme_names)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """Clip ids in series order."""
        return tuple(clip.id for clip in self.clips)

    def clip(self, clip_id: str) -> Clip:
        """The clip with this id; ``KeyError`` if there is none."""
        for clip in self.clips:
            if clip.id == clip_id:
                return clip
        raise KeyError(clip_id)


def load_series(path: Path = DEFAULT_SERIES) -> Series:
    """Read and check a series file; ``SeriesError`` (one line) if anything in it is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is not content
    except FileNotFoundError:
        raise SeriesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SeriesError(f"{path}: cannot be read ({error})") from None
    try:
        # Numbers as the decimals written (0.1 is 1/10), not their binary floats.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise SeriesError(f"{path.name}: not valid TOML: {error}") from None
    return parse_series(data, path)


def _controls(text: str) -> bool:
    """Whether ``text`` holds a control character (a line break, a tab, U+0001...): no output can show one."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def default_title(path: Path) -> str:
    """A course without a title is named for its file: ``my-course.toml`` is "My course"."""
    words = path.stem.replace("-", " ").replace("_", " ").strip() or "Course"
    return words[0].upper() + words[1:]


def parse_series(data: dict[str, Any], path: Path) -> Series:
    """Check parsed TOML as a series."""
    name = path.name
    unknown = sorted(set(data) - {"clip", "title", "quality", "theme", "themes", "voice", "aspect"})
    if unknown:
        raise SeriesError(
            f"{name}: unknown top-level field {unknown[0]!r} (a series is an optional title, quality, theme,"
            " aspect and voice, [themes.NAME] tables and [[clip]] tables)"
        )
    title = data.get("title", default_title(path))
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_COURSE_TITLE or _controls(title):
        raise SeriesError(
            f"{name}: field 'title': expected one line of 1 to {MAX_COURSE_TITLE} characters, got {title!r}"
        )
    quality_name = data.get("quality", DEFAULT_QUALITY)
    try:
        preset = quality(quality_name if isinstance(quality_name, str) else "")
    except KeyError:
        choices = ", ".join(q.name for q in QUALITIES)
        raise SeriesError(f"{name}: field 'quality': {quality_name!r} is not one of {choices}") from None
    voice = data.get("voice", DEFAULT_VOICE)
    if not isinstance(voice, str) or not VOICE.fullmatch(voice):
        raise SeriesError(f"{name}: field 'voice': expected an espeak-ng voice such as 'en-us' or 'de', got {voice!r}")
    themes = _themes(data.get("themes", {}), name)
    theme = data.get("theme", DEFAULT_THEME)
    known = (*PALETTES, *(n for n, _ in themes))
    if theme not in known:
        raise SeriesError(f"{name}: field 'theme': {theme!r} is not one of {', '.join(known)}")
    aspect = data.get("aspect", DEFAULT_ASPECT)
    if aspect not in ASPECTS:
        raise SeriesError(f"{name}: field 'aspect': {aspect!r} is not one of {', '.join(ASPECTS)}")
    entries = data.get("clip")
    if not isinstance(entries, list) or not entries:
        raise SeriesError(f"{name}: no clips: add [[clip]] tables")
    clips: list[Clip] = []
    for number, entry in enumerate(entries, start=1):
        clip = _clip(entry, number, name, path, voice)
        if clip.id in {c.id for c in clips}:
            raise SeriesError(f"{name}: clip {clip.id!r}: field 'id': used by two clips")
        clips.append(clip)
    return Series(path, tuple(clips), theme, themes, aspect, title.strip(), preset.name)


def _themes(raw: Any, name: str) -> tuple[tuple[str, Palette], ...]:
    """The file's own themes, each checked for contrast (WCAG 2) against its background."""
    if not isinstance(raw, dict):
        raise SeriesError(f"{name}: field 'themes': expected [themes.NAME] tables")
    themes = []
    for theme, table in raw.items():
        if not SLUG.fullmatch(theme) or theme in PALETTES or set(theme.split("-")) & SUFFIX_WORDS:
            raise SeriesError(
                f"{name}: theme {theme!r}: a theme's name is lower-case words joined by '-', not dark or light,"
                f" and none of {', '.join(sorted(SUFFIX_WORDS))} (they name other outputs' files)"
            )
        try:
            themes.append((theme, custom_palette(theme, table)))
        except ThemeError as error:
            raise SeriesError(f"{name}: {error}") from None
    return tuple(themes)


def _clip(entry: Any, number: int, name: str, path: Path, voice: str = DEFAULT_VOICE) -> Clip:
    where = f"{name}: clip {number}"
    if not isinstance(entry, dict):
        raise SeriesError(f"{where}: expected a table")
    clip_id = entry.get("id")
    if not isinstance(clip_id, str) or not SLUG.fullmatch(clip_id):
        raise SeriesError(f"{where}: field 'id': expected lower-case words joined by '-', got {clip_id!r}")
    where = f"{name}: clip {clip_id!r}"

    def fail(field: str, message: str) -> SeriesError:
        return SeriesError(f"{where}: field {field!r}: {message}")

    title = entry.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        raise fail("title", f"expected text of 1 to {MAX_TITLE} characters, got {title!r}")
    template_name = entry.get("template")
    if template_name not in TEMPLATES:
        raise fail("template", f"unknown template {template_name!r}; choose from {', '.join(TEMPLATES)}")
    template = TEMPLATES[template_name]
    fields = {p.name for p in template.params}
    for key in entry:
        if key not in fields and key not in CLIP_KEYS:
            raise fail(key, f"unknown field for template {template.name!r} (fields: {', '.join(sorted(fields))})")
    params: list[tuple[str, Any]] = []
    for param in template.params:
        if param.name not in entry:
            if param.default is REQUIRED:
                raise fail(param.name, f"missing ({param.kind.__doc__})")
            params.append((param.name, param.default))
            continue
        try:
            params.append((param.name, param.kind(entry[param.name])))
        except FieldError as error:
            raise fail(param.name, str(error)) from None
    lesson = template.lesson(**dict(params))
    try:
        template.check(lesson)
    except RuleError as error:
        raise fail(error.field, str(error)) from None
    beats = _beats(entry.get("beats"), template.beat_count(lesson), fail)
    digest = json.dumps(
        {
            "number": number,
            "id": clip_id,
            "title": title,
            "template": template_name,
            "lesson": params,
            "beats": [
                [b.slug, b.caption]
                + ([b.narration] if b.narration else [])
                + ([{"description": b.description}] if b.description else [])
                for b in beats
            ],
        }
        | ({"voice": voice} if voice != DEFAULT_VOICE and any(b.narration for b in beats) else {}),
        sort_keys=True,
    )
    return Clip(
        number,
        clip_id,
        title.strip(),
        template_name,
        tuple(params),
        beats,
        hashlib.sha256(digest.encode()).hexdigest(),
        str(path),
        voice,
    )


def _beats(raw: Any, count: int, fail: Any) -> tuple[Beat, ...]:
    if not isinstance(raw, list) or len(raw) != count:
        got = len(raw) if isinstance(raw, list) else repr(raw)
        raise fail("beats", f"this lesson has {count} beats, each {{ slug = ..., caption = ... }}; got {got}")
    beats: list[Beat] = []
    for index, beat in enumerate(raw, start=1):
        if not isinstance(beat, dict) or not {"slug", "caption"} <= set(beat) <= BEAT_FIELDS:
            raise fail(
                "beats",
                f"beat {index}: expected {{ slug = ..., caption = ... }} (and narration, description), got {beat!r}",
            )
        slug, caption, narration = beat["slug"], beat["caption"], beat.get("narration", "")
        described = beat.get("description", "")
        if not isinstance(slug, str) or not SLUG.fullmatch(slug) or slug in {b.slug for b in beats}:
            raise fail("beats", f"beat {index}: slug {slug!r} must be unique lower-case words joined by '-'")
        if not isinstance(caption, str) or not caption.strip() or len(caption) > MAX_CAPTION or "\n" in caption:
            raise fail("beats", f"beat {index}: caption must be one line of 1 to {MAX_CAPTION} characters")
        if not isinstance(narration, str) or len(narration) > MAX_NARRATION:
            raise fail("beats", f"beat {index}: narration must be text of at most {MAX_NARRATION} characters")
        if not isinstance(described, str) or len(described) > MAX_NARRATION:
            raise fail("beats", f"beat {index}: description must be text of at most {MAX_NARRATION} characters")
        beats.append(Beat(slug, caption.strip(), " ".join(narration.split()), " ".join(described.split())))
    return tuple(beats)


@lru_cache(maxsize=1)
def default_series() -> Series:
    """The project's own ``series.toml``."""
    return load_series(DEFAULT_SERIES)
