"""Render presets, named as manim names them, without importing manim."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    """One of manim's quality presets."""

    name: str  # what the CLI takes: low, medium, high, production, 4k
    flag: str  # manim's one-letter flag: l, m, h, p, k
    manim_key: str  # the key in manim.constants.QUALITIES
    width: int
    height: int
    fps: int

    @property
    def folder(self) -> str:
        """Output folder name, as manim names it: ``480p15``."""
        return f"{self.height}p{self.fps}"


QUALITIES: tuple[Quality, ...] = (
    Quality("low", "l", "low_quality", 854, 480, 15),
    Quality("medium", "m", "medium_quality", 1280, 720, 30),
    Quality("high", "h", "high_quality", 1920, 1080, 60),
    Quality("production", "p", "production_quality", 2560, 1440, 60),
    Quality("4k", "k", "fourk_quality", 3840, 2160, 60),
)
DEFAULT_QUALITY = "high"  # manim's default too

#: Every name the CLI accepts, long names first.
QUALITY_CHOICES: tuple[str, ...] = tuple(q.name for q in QUALITIES) + tuple(q.flag for q in QUALITIES)


def quality(name: str) -> Quality:
    """The preset called ``name`` (long name or one-letter flag); ``KeyError`` if none."""
    for q in QUALITIES:
        if name in (q.name, q.flag):
            return q
    raise KeyError(name)
