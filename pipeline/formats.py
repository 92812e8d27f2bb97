"""What a render writes: the container format, whether it carries alpha, and the file names."""

from __future__ import annotations

from dataclasses import dataclass, fields

from lessons.palette import DEFAULT_THEME, PALETTES, Palette
from lessons.series import Series
from lessons.settings import ASPECTS, DEFAULT_ASPECT

FORMATS = ("mp4", "webm", "gif", "mov", "png")
#: Formats that can carry an alpha channel (mp4's H.264 and gif cannot).
ALPHA_FORMATS = ("webm", "mov", "png")
#: Formats that carry sound (AAC in mp4 and mov, Opus in WebM); gif and png are silent.
SOUND_FORMATS = ("mp4", "webm", "mov")
DEFAULT_FORMAT = "mp4"


@dataclass(frozen=True)
class Output:
    """A render's format; ``png`` is the clip's last frame as an image."""

    format: str = DEFAULT_FORMAT
    transparent: bool = False
    theme: str = DEFAULT_THEME
    captions: bool = True  # the beat's caption drawn in the frame (off when subtitles carry it)
    audio: bool = True  # the narration as sound (off: ``--silent``)
    colours: Palette | None = None  # a series file's own theme's colours (None: the built-in theme's)
    aspect: str = DEFAULT_ASPECT  # the frame's shape: 16:9 or 4:3

    def __post_init__(self) -> None:
        if self.colours is None and self.theme not in PALETTES:
            raise ValueError(f"unknown theme {self.theme!r}; choose from {', '.join(PALETTES)}")
        if self.aspect not in ASPECTS:
            raise ValueError(f"unknown aspect {self.aspect!r}; choose from {', '.join(ASPECTS)}")
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")
        if self.transparent and self.format not in ALPHA_FORMATS:
            raise ValueError(
                f"--transparent needs {', '.join(ALPHA_FORMATS)}: {self.format} cannot carry an alpha channel"
            )

    @property
    def palette(self) -> Palette:
        """The theme's colours."""
        return self.colours or PALETTES[self.theme]

    @property
    def variant(self) -> str:
        """``mp4``, ``webm-alpha``, ``mp4-light``...: one name for one kind of output."""
        return self.format + ("-alpha" if self.transparent else "") + self.theme_suffix

    @property
    def sound(self) -> bool:
        """Whether the files carry the narration: not for gif and png, nor with ``--silent``."""
        return self.audio and self.format in SOUND_FORMATS

    @property
    def silenced(self) -> bool:
        """``--silent`` on a format that would carry sound: its files are named, and keyed, apart."""
        return not self.audio and self.format in SOUND_FORMATS

    @property
    def theme_suffix(self) -> str:
        """``-light`` for the light theme (``-NAME`` for any other), ``-4x3`` in 4:3, ``-nocaptions``, ``-silent``.

        ``-nocaptions`` is without in-frame captions, ``-silent`` without sound.
        """
        theme = "" if self.theme == DEFAULT_THEME else f"-{self.theme}"
        aspect = "" if self.aspect == DEFAULT_ASPECT else "-" + self.aspect.replace(":", "x")
        return theme + aspect + ("" if self.captions else "-nocaptions") + ("-silent" if self.silenced else "")

    def named(self, name: str) -> str:
        """An export's name for this output: ``lecture.mp4``, ``lecture-light.mp4``, ``deck-nocaptions``."""
        stem, dot, extension = name.partition(".")
        return f"{stem}{self.theme_suffix}{dot}{extension}"

    @property
    def is_default(self) -> bool:
        """Plain mp4 in the default theme."""
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
        """File name of the clip: ``01-derivative.mp4``, ``01-derivative-alpha.webm``, ``01-derivative-light.mp4``."""
        return f"{stem}{self.theme_suffix}{'-alpha' if self.transparent else ''}.{self.format}"

    def beats_name(self, stem: str) -> str:
        """Folder of the beat clips: ``01-derivative`` (``-light``) for mp4, ``01-derivative-webm-alpha`` otherwise."""
        if self.format == DEFAULT_FORMAT and not self.transparent:
            return stem + self.theme_suffix
        return f"{stem}-{self.variant}"

    def entry_id(self, clip_id: str) -> str:
        """The clip's key in the manifest: its id for mp4, ``id@variant`` otherwise."""
        return clip_id if self.is_default else f"{clip_id}@{self.variant}"

    def options(self) -> dict[str, str]:
        """What goes into the clip's key."""
        return (
            {
                "format": self.format,
                "transparent": str(self.transparent).lower(),
                "theme": self.theme,
                "captions": str(self.captions).lower(),
            }
            | ({"audio": "silent"} if self.silenced else {})
            | self._look()
        )

    def _look(self) -> dict[str, str]:
        """A lecturer's theme's colours and a frame that is not 16:9 (built-in looks are named by the theme)."""
        colours = (
            {f"colour.{f.name}": str(getattr(self.colours, f.name)) for f in fields(Palette)} if self.colours else {}
        )
        return colours | ({"aspect": self.aspect} if self.aspect != DEFAULT_ASPECT else {})


@dataclass(frozen=True)
class Look:
    """What a command asked for about its output; ``theme`` and ``aspect`` None take the series file's."""

    format: str = DEFAULT_FORMAT
    transparent: bool = False
    theme: str | None = None
    captions: bool = True
    audio: bool = True
    aspect: str | None = None

    def output(self, series: Series) -> Output:
        """The output for ``series``: its theme (and that theme's colours) and aspect unless asked otherwise.

        ``SeriesError`` for a theme the file does not define; ``ValueError`` for a format that cannot
        carry what was asked (alpha in mp4).
        """
        theme = self.theme or series.theme
        aspect = self.aspect or series.aspect
        return Output(self.format, self.transparent, theme, self.captions, self.audio, series.colours(theme), aspect)
