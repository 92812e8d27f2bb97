"""Errors a user can act on: the CLI prints them as one line."""

from __future__ import annotations


class PrimerError(Exception):
    """A failure with a message meant for the person at the terminal."""
