"""The handout: a PDF with, per clip, its title, every beat's poster and caption, and its values.

Built from the manifest alone (posters, captions, and the values as shown with their exact forms),
with fpdf2 and the series' font (DejaVu Sans, which covers the symbols the values use); the text
is real text, so it can be selected, searched and read aloud.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from pipeline.errors import PrimerError
from pipeline.files import write_with
from pipeline.rendering.manifest import Entry
from pipeline.text.escape import pdf_string
from pipeline.values import exact_column

HANDOUT = "handout.pdf"
FAMILY = "DejaVu Sans"
#: Page layout in millimetres (A4 portrait): margins, and the gap between the two poster columns.
MARGIN, GAP = 15.0, 6.0
#: Column widths of the values table, as shares of the text width.
COLUMNS = (("beat", 0.07), ("name", 0.23), ("as shown", 0.38), ("exact", 0.32))


@lru_cache(maxsize=2)
def font_file(style: str = "") -> Path:
    """The TrueType file of the series' font (``style`` "bold" for bold), found by fontconfig."""
    pattern = f"{FAMILY}:{style}" if style else FAMILY
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise PrimerError(f"cannot find the font {FAMILY} (fontconfig's fc-match failed: {error})") from error
    path = Path(found.stdout.strip())
    if path.suffix.lower() != ".ttf" or not path.exists():
        raise PrimerError(f"the font {FAMILY} is not installed (fc-match gave {path}); install fonts-dejavu-core")
    return path


def build_handout(folder: Path, entries: Sequence[Entry], title: str, name: str = HANDOUT) -> Path:
    """``<folder>/<name>`` for the rendered clips ``entries`` (manifest entries, in order), headed by ``title``."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FAMILY, "", str(font_file()))
    pdf.add_font(FAMILY, "B", str(font_file("bold")))
    pdf.set_title(pdf_string(title))
    pdf.set_lang("en")
    pdf.set_creator("primer")
    for number, entry in enumerate(entries):
        _clip_pages(pdf, folder, entry, title if number == 0 else "")
    return write_with(folder / name, lambda path: pdf.output(str(path)))


def _clip_pages(pdf: FPDF, folder: Path, entry: Entry, course: str = "") -> None:
    """One clip: its title (under the ``course`` title on the first page), the posters two by two, its values."""
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    if course:
        pdf.set_font(FAMILY, "B", 20)
        pdf.multi_cell(width, 10, course, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(width, 9, f"{entry['stem'][:2]}  {entry['title']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    column = (width - GAP) / 2
    height = column * entry["height"] / entry["width"]
    beats = entry["beats"]
    for row in range(0, len(beats), 2):
        pair = beats[row : row + 2]
        if pdf.will_page_break(height + 16):
            pdf.add_page()
        top = pdf.get_y()
        bottoms = []
        for i, beat in enumerate(pair):
            x = MARGIN + i * (column + GAP)
            poster = f"Beat {row + i + 1} of {entry['title']}: {beat['caption']}"  # its alt text (a tagged figure)
            pdf.image(str(folder / beat["poster"]), x=x, y=top, w=column, h=height, alt_text=pdf_string(poster))
            pdf.set_xy(x, top + height + 1)
            pdf.set_font(FAMILY, "B", 8)
            pdf.cell(column, 4, f"{row + i + 1}. {beat['slug']}", new_x="LEFT", new_y="NEXT")
            pdf.set_font(FAMILY, "", 8)
            pdf.multi_cell(column, 3.8, beat["caption"], align="L", new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y())
        pdf.set_xy(MARGIN, max(bottoms) + 3)
    _values_table(pdf, entry, width)


def _values_table(pdf: FPDF, entry: Entry, width: float) -> None:
    """Every number and formula the clip shows, by beat, as shown and exactly."""
    values = entry["values"]  # by slug; the beats list keeps the clip's order (a JSON object may not)
    rows = [
        (str(number) if i == 0 else "", item["name"], item["shown"], exact_column(item))
        for number, beat in enumerate(entry["beats"], start=1)
        for i, item in enumerate(values.get(beat["slug"], []))
    ]
    if not rows:
        return
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(width, 7, "Values on screen", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7.5)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=tuple(share for _, share in COLUMNS),
        headings_style=heading,
        line_height=3.6,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row([name for name, _ in COLUMNS])
        for cells in rows:
            table.row(cells)
