"""What a render writes: the container format, whether it carries alpha, and the file names."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("mp4", "webm", "gif", "mov", "png")
#: Formats that can carry an alpha channel (mp4's H.264 and gif cannot).
ALPHA_FORMATS = ("webm", "mov", "png")
DEFAULT_FORMAT = "mp4"


@dataclass(frozen=True)
class Output:
    """A render's format; ``png`` is the clip's last frame as an image."""

    format: str = DEFAULT_FORMAT
    transparent: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")
        if self.transparent and self.format not in ALPHA_FORMATS:
            raise ValueError(
                f"--transparent needs {', '.join(ALPHA_FORMATS)}: {self.format} cannot carry an alpha channel"
            )

    @property
    def variant(self) -> str:
        """``mp4``, ``webm-alpha``...: one name for one kind of output."""
        return self.format + ("-alpha" if self.transparent else "")

    @property
    def is_default(self) -> bool:
        """Plain mp4, the format lectures and decks are built from."""
        return self.variant == DEFAULT_FORMAT

    @property
    def has_beats(self) -> bool:
        """Whether the render also gives one clip per beat (a still image has no beats)."""
        return self.format != "png"

    @property
    def beat_extension(self) -> str:
        """Extension of the beat clips: manim cuts a gif's sections as mp4."""
        return "mp4" if self.format == "gif" else self.format

    def video_name(self, stem: str) -> str:
        """File name of the clip: ``01-derivative.mp4``, ``01-derivative-alpha.webm``."""
        return f"{stem}{'-alpha' if self.transparent else ''}.{self.format}"

    def beats_name(self, stem: str) -> str:
        """Folder of the beat clips: ``01-derivative`` for mp4, ``01-derivative-webm-alpha`` otherwise."""
        return stem if self.is_default else f"{stem}-{self.variant}"

    def entry_id(self, clip_id: str) -> str:
        """The clip's key in the manifest: its id for mp4, ``id@variant`` otherwise."""
        return clip_id if self.is_default else f"{clip_id}@{self.variant}"

    def options(self) -> dict[str, str]:
        """What goes into the clip's key."""
        return {"format": self.format, "transparent": str(self.transparent).lower()}
