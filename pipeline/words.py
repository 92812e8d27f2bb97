"""Counted nouns for what the commands print."""

from __future__ import annotations


def counted(count: int, word: str) -> str:
    """``1 clip``, ``2 clips``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
