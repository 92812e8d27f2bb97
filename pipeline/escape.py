"""Lecturer text, made inert for each place it lands: one helper per target, applied at the point of output.

Titles, captions and narration come from a series file that may be shared or hosted: each output
reads them as typed and never as markup. PPTX (python-pptx writes XML text nodes), the handout
(fpdf2 draws plain text) and the scenes (Pango ``Text``, not markup) need nothing more.
"""

from __future__ import annotations

import json
from typing import Any

#: Characters a JSON string may hold that would end or change the <script> element it is embedded in.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(data: Any) -> str:
    """``data`` as JSON that can stand inside an HTML ``<script>``: no ``</script>``, no ``<!--``, no ``&``."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in _SCRIPT_SAFE.items():
        text = text.replace(raw, escaped)
    return text


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
