"""The descriptive transcript (WCAG 1.2.8) per clip and for the lecture, as HTML and text, and a descriptions track.

For each beat: when it starts, what the voice says, the caption, what the picture shows (its audio
description, ``pipeline/text/described.py``) and every number and formula on screen, from the
records ``primer values`` lists, in words (``pipeline/text/spoken.py``). The HTML plays the video
beside the text; each time stamp seeks it there. Every lecturer string is escaped; the page's one
script holds no lecturer data. The descriptions, beat by beat, make a WebVTT ``kind="descriptions"``
track (``-descriptions.vtt``) for players that read descriptions aloud.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import write_text
from pipeline.rendering.manifest import Entry
from pipeline.text.described import description
from pipeline.text.escape import fill
from pipeline.text.spoken import spoken
from pipeline.text.subtitles import Cue, webvtt


@dataclass(frozen=True)
class Beat:
    """One beat as the transcript tells it."""

    heading: str  # "Beat 2 of 5: tangent at minus 2"
    start: float  # seconds on the video's clock
    end: float
    said: str
    caption: str
    shown: tuple[str, ...]  # in words
    described: str = ""  # what the picture shows that the narration does not say, in words


@dataclass(frozen=True)
class Part:
    """One clip's part of a transcript."""

    heading: str  # "01 · Derivative"
    beats: tuple[Beat, ...]


def part(entry: Entry, offset: float = 0.0) -> Part:
    """A rendered clip (a manifest entry) told beat by beat, its times shifted by ``offset`` seconds."""
    count, values = len(entry["beats"]), entry["values"]
    beats = []
    for number, beat in enumerate(entry["beats"], start=1):
        name = beat["slug"].replace("-", " ")
        records = values.get(beat["slug"], [])
        shown = tuple(spoken(item["tex"]) for item in records)
        said = beat["narration"]
        described = description(entry["pictured"].get(beat["slug"], ""), records, said, beat.get("description", ""))
        start, end = offset + float(beat["start"]), offset + float(beat["end"])
        beats.append(Beat(f"Beat {number} of {count}: {name}", start, end, said, beat["caption"], shown, described))
    return Part(f"{entry['stem'][:2]} · {entry['title']}", tuple(beats))


def stamp(seconds: float) -> str:
    """``1:05`` (or ``1:02:05``): a time as people read it."""
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole // 60 % 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_transcript(video: Path, title: str, parts: Sequence[Part]) -> tuple[Path, Path]:
    """``<video>-transcript.html`` and ``.txt`` beside ``video``; rewritten only when their text changed."""
    written = []
    base = video.with_name(f"{video.stem}-transcript")
    for path, text in (
        (base.with_suffix(".html"), as_html(video.name, title, parts)),
        (base.with_suffix(".txt"), as_text(title, parts)),
    ):
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
        written.append(path)
    return written[0], written[1]


def descriptions(parts: Sequence[Part]) -> list[Cue]:
    """A WebVTT ``kind="descriptions"`` track: per beat with a description, what the picture shows, in words."""
    return [Cue(beat.start, beat.end, beat.described) for clip in parts for beat in clip.beats if beat.described]


def write_descriptions(video: Path, parts: Sequence[Part]) -> Path:
    """``<video>-descriptions.vtt`` beside ``video``; rewritten only when its text changed."""
    path = video.with_name(f"{video.stem}-descriptions.vtt")
    text = webvtt(descriptions(parts))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_text(path, text)
    return path


def as_text(title: str, parts: Sequence[Part]) -> str:
    """The transcript as plain text, headings underlined."""
    lines = [title, "=" * len(title), ""]
    for clip in parts:
        lines += [clip.heading, "-" * len(clip.heading), ""]
        for beat in clip.beats:
            lines.append(f"[{stamp(beat.start)}] {beat.heading}")
            if beat.said:
                lines.append(f"Said: {beat.said}")
            lines.append(f"Caption: {beat.caption}")
            if beat.described:
                lines.append(f"Pictured: {beat.described}")
            if beat.shown:
                lines.append("Shown: " + "; ".join(beat.shown) + ".")
            lines.append("")
    return "\n".join(lines)


def as_html(video: str, title: str, parts: Sequence[Part]) -> str:
    """The transcript as a page with the video beside it, its subtitles and descriptions as tracks; time stamps seek it.

    Browsers load the tracks when the page is served (a web server, an LMS), not from ``file://``.
    """
    text = html.escape
    body = []
    for clip in parts:
        body.append(f"<section>\n<h2>{text(clip.heading)}</h2>")
        for beat in clip.beats:
            link = f'<a class="time" href="#t={beat.start:.2f}" data-seconds="{beat.start:.3f}">{stamp(beat.start)}</a>'
            body.append(f"<section>\n<h3>{link} {text(beat.heading)}</h3>")
            if beat.said:
                body.append(f"<p><strong>Said:</strong> {text(beat.said)}</p>")
            body.append(f"<p><strong>Caption:</strong> {text(beat.caption)}</p>")
            if beat.described:
                body.append(f"<p><strong>Pictured:</strong> {text(beat.described)}</p>")
            if beat.shown:
                items = "".join(f"<li>{text(item)}</li>" for item in beat.shown)
                body.append(f"<p><strong>Shown:</strong></p>\n<ul>{items}</ul>")
            body.append("</section>")
        body.append("</section>")
    stem = Path(video).stem
    files = {"VIDEO": video, "CAPTIONS": f"{stem}.vtt", "DESCRIPTIONS": f"{stem}-descriptions.vtt"}
    return fill(
        PAGE, {"TITLE": text(title), "BODY": "\n".join(body)} | {k: text(v, quote=True) for k, v in files.items()}
    )


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__: transcript</title>
<style>
  body { font: 18px/1.5 "DejaVu Sans", sans-serif; margin: 0; color: #111; background: #fff; }
  .layout { display: flex; flex-wrap: wrap; gap: 1.5rem; padding: 1rem; }
  .player { flex: 1 1 28rem; position: sticky; top: 0; align-self: flex-start; }
  .player video { width: 100%; }
  main { flex: 1 1 28rem; max-width: 46rem; }
  h2 { margin-top: 1.5rem; } h3 { font-size: 1.05rem; margin-bottom: 0.3rem; }
  a.time { font-variant-numeric: tabular-nums; color: #0645ad; }
</style>
</head>
<body>
<div class="layout">
<div class="player"><video id="video" src="__VIDEO__" controls preload="metadata">
<track kind="captions" src="__CAPTIONS__" srclang="en" label="Captions">
<track kind="descriptions" src="__DESCRIPTIONS__" srclang="en" label="What is on screen">
</video></div>
<main>
<h1>__TITLE__: transcript</h1>
__BODY__
</main>
</div>
<script>
const video = document.getElementById("video");
document.querySelectorAll("a.time").forEach((link) => link.addEventListener("click", (event) => {
  event.preventDefault();
  video.currentTime = Number(link.dataset.seconds);
  video.play().catch(() => {});
}));
</script>
</body>
</html>
"""
