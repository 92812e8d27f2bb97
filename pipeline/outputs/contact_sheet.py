"""``contact-sheet.png``: every beat's poster frame in a grid, one row per clip, captions under each."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from lessons.palette import DEFAULT_THEME, PALETTES, Palette
from pipeline.files import write_with
from pipeline.rendering.manifest import Entry

SHEET = "contact-sheet.png"
THUMB = (320, 180)
GAP = 16
CAPTION_LINES = 3
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def build_contact_sheet(
    folder: Path,
    entries: Sequence[Entry],
    palette: Palette = PALETTES[DEFAULT_THEME],
    name: str = SHEET,
    title: str = "",
) -> Path:
    """Draw ``contact-sheet.png`` (``contact-sheet-light.png``) for ``entries`` (manifest entries, in order).

    With ``title``, the course's title heads the sheet.
    """
    columns = max(len(entry["beats"]) for entry in entries)
    first = entries[0]
    thumb_size = (THUMB[0], round(THUMB[0] * first["height"] / first["width"]))  # 320x180 at 16:9, 320x240 at 4:3
    text_font, title_font = ImageFont.truetype(FONT, 13), ImageFont.truetype(BOLD, 18)
    line = 17
    cell_height = thumb_size[1] + 6 + CAPTION_LINES * line
    row_height = 28 + cell_height + GAP
    width = GAP + columns * (thumb_size[0] + GAP)
    head = 40 if title else 0
    sheet = Image.new("RGB", (width, GAP + head + len(entries) * row_height), palette.background)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((GAP, GAP), title, font=ImageFont.truetype(BOLD, 24), fill=palette.text)
    for row, entry in enumerate(entries):
        top = GAP + head + row * row_height
        draw.text((GAP, top), f"{entry['stem'][:2]}  {entry['title']}", font=title_font, fill=palette.text)
        for column, beat in enumerate(entry["beats"]):
            left = GAP + column * (thumb_size[0] + GAP)
            with Image.open(folder / beat["poster"]) as poster:
                thumb = poster.convert("RGB").resize(thumb_size, Image.Resampling.LANCZOS)
            sheet.paste(thumb, (left, top + 28))
            lines = textwrap.wrap(f"{column + 1}. {beat['caption']}", width=44)[:CAPTION_LINES]
            for k, text in enumerate(lines):
                draw.text((left, top + 28 + thumb_size[1] + 6 + k * line), text, font=text_font, fill=palette.caption)
    return write_with(folder / name, lambda path: sheet.save(path, format="PNG", optimize=True))
