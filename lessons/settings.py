"""How a scene is drawn, as one value: its colours, its frame's shape, captions in the frame, beat holds.

A render task builds it from the render request and hands it to the scene; nothing is read from the
environment or from module state. No manim here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessons.palette import DEFAULT_THEME, PALETTES, Palette

#: The frame shapes a clip can be drawn in, as width:height.
ASPECTS: dict[str, tuple[int, int]] = {"16:9": (16, 9), "4:3": (4, 3)}
DEFAULT_ASPECT = "16:9"
#: Scene units up the frame, in every aspect: a 4:3 frame is as high as a 16:9 one and narrower.
FRAME_HEIGHT = 8.0
#: Scene units across the widest frame (16:9): templates are laid out for it and scaled across to narrower ones.
WIDEST = FRAME_HEIGHT * 16 / 9


def frame_size(aspect: str) -> tuple[float, float]:
    """The frame's width and height in scene units."""
    across, up = ASPECTS[aspect]
    return FRAME_HEIGHT * across / up, FRAME_HEIGHT


def pixel_size(aspect: str, height: int) -> tuple[int, int]:
    """A frame ``height`` pixels high in ``aspect``: 854x480 at 16:9, 640x480 at 4:3 (width even, for H.264)."""
    across, up = ASPECTS[aspect]
    width = round(height * across / up)
    return width + width % 2, height


@dataclass(frozen=True)
class Settings:
    """Everything about a scene's look that is not its lesson."""

    palette: Palette = PALETTES[DEFAULT_THEME]
    aspect: str = DEFAULT_ASPECT
    captions: bool = True  # the caption drawn in the frame (off when subtitles carry it: same timing)
    # The least each beat may last (seconds): its narration with a pause; a beat over sooner holds its last frame.
    holds: tuple[float, ...] = ()
    # Draw only beats first..last (from 1): earlier ones run skipped to set the stage, later ones do not run.
    beats: tuple[int, int] | None = None
    # What every beat's frames depend on besides its start, caption and hold (``pipeline.rendering.keys``);
    # empty: unkeyed.
    picture: str = ""
    # Each beat's recorded key and start state whose encoded segment is at hand ("" for none): not drawn again.
    reusable: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.aspect not in ASPECTS:
            raise ValueError(f"unknown aspect {self.aspect!r}; choose from {', '.join(ASPECTS)}")

    @property
    def frame(self) -> tuple[float, float]:
        """The frame's width and height in scene units."""
        return frame_size(self.aspect)

    @property
    def across(self) -> float:
        """The frame's width as a share of the widest (16:9) frame's: 1, or 0.75 at 4:3."""
        return self.frame[0] / WIDEST
