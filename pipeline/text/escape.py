"""Lecturer text, made inert for each place it lands: one helper per target, applied at the point of output.

Titles, captions and narration come from a series file that may be shared or hosted: each output
reads them as typed and never as markup. PPTX (python-pptx writes XML text nodes), the handout's
page text (fpdf2 draws glyphs) and the scenes (Pango ``Text``, not markup) need nothing more; the
handout's metadata and alt text do (``pdf_string``).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Characters a JSON string may hold that would end or change the <script> element it is embedded in.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(data: Any) -> str:
    """``data`` as JSON that can stand inside an HTML ``<script>``: no ``</script>``, no ``<!--``, no ``&``."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in _SCRIPT_SAFE.items():
        text = text.replace(raw, escaped)
    return text


def pdf_string(text: str) -> str:
    r"""``text`` for a PDF string fpdf2 writes (the document's title, a figure's alt text), read back as typed.

    fpdf2 writes ASCII text as a literal string ``(...)`` without escaping it, so a ``)`` would end the
    string and what follows would be read as PDF; ``\``, ``(`` and ``)`` are escaped. Other text it
    writes as UTF-16 hex, which needs nothing.
    """
    if not text.isascii():
        return text
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def webvtt_text(text: str) -> str:
    """Cue text for WebVTT: ``&``, ``<`` and ``>`` as entities (so ``-->`` cannot occur), one line."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.split())


#: SubRip has no escapes, and players read <b>, <i>, <font> and {\an8} in it: look-alikes keep the text as typed.
_SUBRIP_SAFE = {
    "<": "\N{SMALL LESS-THAN SIGN}",
    ">": "\N{SMALL GREATER-THAN SIGN}",
    "{": "\N{SMALL LEFT CURLY BRACKET}",
}


def subrip_text(text: str) -> str:
    """Cue text for SubRip: markup characters as their small look-alikes, one line (no ``-->``)."""
    for raw, safe in _SUBRIP_SAFE.items():
        text = text.replace(raw, safe)
    return " ".join(text.split())


#: Characters TeX reads as markup, as the commands that print them.
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "-": "-{}",  # no "--" or "---" dashes
    ",": ",{}",  # no ",," low quotes
    "`": r"\textasciigrave{}",  # no "``" quotes, no "!`" or "?`" inverted marks
    "'": r"\textquotesingle{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
}
#: Symbols the text fonts lack, set in math: Greek letters and the signs the values and captions use.
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho varsigma sigma"
    " tau upsilon phi chi psi omega"
)
_CAPITALS = ("gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "phi", "psi", "omega")
_TEX_MATH = {
    **{chr(0x3B1 + i): "\\" + name for i, name in enumerate(_GREEK.split()) if name != "omicron"},
    **{capital: "\\" + name.capitalize() for capital, name in zip("ΓΔΘΛΞΠΣΦΨΩ", _CAPITALS, strict=True)},
    "−": "-",
    "≈": r"\approx",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "∇": r"\nabla",
    "∂": r"\partial",
    "∞": r"\infty",
    "√": r"\surd",
    "∑": r"\sum",
    "∫": r"\int",
    "→": r"\to",
    "←": r"\leftarrow",
    "↑": r"\uparrow",
    "↓": r"\downarrow",
    "′": r"{}^{\prime}",
    "″": r"{}^{\prime\prime}",
    "⋅": r"\cdot",
    "∈": r"\in",
    "∘": r"\circ",
    "≡": r"\equiv",
    "‖": r"\|",
    "ŷ": r"\hat{y}",
    "ε": r"\varepsilon",
    **{chr(0x2070 + d if d not in (1, 2, 3) else ord("¹²³"[d - 1])): f"^{{{d}}}" for d in range(10)},
    "⁻": "^{-}",
    "⁺": "^{+}",
    **{chr(0x2080 + d): f"_{{{d}}}" for d in range(10)},
}


def tex_unsupported(text: str, encodable: frozenset[str]) -> list[str]:
    """The characters of ``text`` that ``tex_text`` cannot set with these text fonts, in order, once each."""
    found: list[str] = []
    for char in text:
        if not (char.isascii() or char in encodable or char in _TEX_MATH or char.isspace()) and char not in found:
            found.append(char)
    return found


def tex_text(text: str, encodable: frozenset[str]) -> str:
    """``text`` as TeX that prints it as typed: markup characters as commands, missing symbols in math.

    ``encodable`` holds the non-ASCII characters the document's font encodings set directly;
    ``ValueError`` names the first character neither they nor the math symbols cover.
    """
    missing = tex_unsupported(text, encodable)
    if missing:
        raise ValueError(f"TeX cannot set {missing[0]!r} (U+{ord(missing[0]):04X})")
    out = []
    for char in " ".join(text.split()):
        if char in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[char])
        elif char in _TEX_MATH and char not in encodable:
            out.append(f"\\ensuremath{{{_TEX_MATH[char]}}}")
        else:
            out.append(char)
    return "".join(out)


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``__NAME__`` replaced by ``values[NAME]`` in one pass: a value is never read as one."""
    return re.sub(r"__([A-Z]+)__", lambda found: values.get(found[1], found[0]), template)
