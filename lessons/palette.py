"""The palettes: the built-in dark and light, and a course's own themes, each colour named for its meaning (no manim).

A colour keeps its meaning in both themes (the slope is amber-yellow, the gradient orange...); the
light palette darkens each so that it reads on a white slide. ``contrast`` is WCAG 2's ratio of
relative luminances: text needs at least 4.5:1 against the background, lines and fills 3:1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

THEMES = ("dark", "light")
DEFAULT_THEME = "dark"
#: What a colour in a series file's theme looks like.
HEX = re.compile(r"#[0-9a-fA-F]{6}")
#: WCAG 2's minimum contrast for text, and for lines and fills that carry meaning.
TEXT_CONTRAST, GRAPHIC_CONTRAST = 4.5, 3.0


@dataclass(frozen=True)
class Palette:
    """Every colour of a theme."""

    background: str
    text: str  # titles, formulas, the point we stand at
    caption: str
    axis: str  # a line: 3:1 is enough
    function: str  # a function's graph or surface
    slope: str
    gradient: str
    slice: str
    highlight: str  # what the eye should go to now (the backward pass, a warning)
    data: str
    model: str  # a model's output as it learns
    chain_b: str  # gear B and the variable u (gear A and x use ``function``)
    chain_c: str  # gear C and y
    bands: tuple[str, str, str, str]  # the contour plot's fill, from low to high (fills: 3:1 not needed)
    checks: tuple[str, str]  # the 3D surface's checkerboard

    @property
    def point(self) -> str:
        """The point we stand at: in the text colour."""
        return self.text

    @property
    def surface(self) -> str:
        """A surface is a function's graph."""
        return self.function

    @property
    def chain(self) -> tuple[str, str, str]:
        """Gears A, B, C, and the variables x, u, y that play their parts in the computation graph."""
        return (self.function, self.chain_b, self.chain_c)

    def text_colours(self) -> dict[str, str]:
        """The colours used for text, by name (every one but the axis and the fills)."""
        skip = {"background", "axis", "bands", "checks"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}


PALETTES = {
    "dark": Palette(
        background="#14171c",
        text="#ffffff",
        caption="#bbbbbb",
        axis="#6b7075",
        function="#58c4dd",
        slope="#f7d96f",
        gradient="#ff862f",
        slice="#5cd0b3",
        highlight="#fc6255",
        data="#bbbbbb",
        model="#83c167",
        chain_b="#83c167",
        chain_c="#cf6a7e",
        bands=("#06101f", "#1d4e89", "#58c4dd", "#f2fbff"),
        checks=("#2a6f8f", "#1d4e89"),
    ),
    "light": Palette(
        background="#ffffff",
        text="#1a1a1a",
        caption="#4a4f55",
        axis="#6e7379",
        function="#1f6fb2",
        slope="#8a5d00",
        gradient="#c2410c",
        slice="#0f766e",
        highlight="#c81e1e",
        data="#5f6368",
        model="#2e7d32",
        chain_b="#2e7d32",
        chain_c="#9d174d",
        bands=("#ffffff", "#cfe3f5", "#7fb2de", "#1f6fb2"),
        checks=("#9cc4e6", "#6fa6d6"),
    ),
}


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class ThemeError(ValueError):
    """A theme in a series file that cannot be used: its message names the theme and the colour."""


def custom_palette(name: str, table: Any) -> Palette:
    """A lecturer's theme: ``base`` (dark or light) with some colours replaced, checked for contrast.

    ``ThemeError`` names the theme, the colour and, for a colour too faint, its ratio.
    """
    if not isinstance(table, dict):
        raise ThemeError(f'theme {name!r}: expected a table with base = "dark" or "light" and colours')
    base = table.get("base")
    if base not in PALETTES:
        raise ThemeError(f"theme {name!r}: field 'base': expected one of {', '.join(THEMES)}, got {base!r}")
    names = {f.name for f in fields(Palette)}
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "base":
            continue
        if key not in names:
            raise ThemeError(f"theme {name!r}: unknown colour {key!r} (colours: {', '.join(sorted(names))})")
        wanted = len(getattr(PALETTES[base], key)) if key in ("bands", "checks") else 0
        given = value if wanted else [value]
        if not isinstance(given, list) or len(given) != max(wanted, 1):
            raise ThemeError(f"theme {name!r}: colour {key!r}: expected {wanted or 1} colour(s) as '#rrggbb'")
        for colour in given:
            if not isinstance(colour, str) or not HEX.fullmatch(colour):
                raise ThemeError(f"theme {name!r}: colour {key!r}: expected '#rrggbb', got {colour!r}")
        changes[key] = tuple(c.lower() for c in given) if wanted else given[0].lower()
    palette = replace(PALETTES[base], **changes)
    fault = contrast_fault(palette)
    if fault:
        raise ThemeError(f"theme {name!r}: {fault}")
    return palette


def contrast_fault(palette: Palette) -> str:
    """The first colour too faint on the background (WCAG 2: text 4.5:1, lines 3:1), or ''."""
    wanted = {colour: TEXT_CONTRAST for colour in palette.text_colours()} | {"axis": GRAPHIC_CONTRAST}
    for key, least in wanted.items():
        ratio = contrast(getattr(palette, key), palette.background)
        if ratio < least:
            return (
                f"colour {key!r} ({getattr(palette, key)}) has contrast {ratio:.2f}:1 on the background"
                f" {palette.background}; it needs {least:g}:1"
            )
    return ""
