"""Outputs for lectures and slides: formats, beat posters, the lecture video, decks, the contact sheet."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
import pytest
import srt
import webvtt
from click.testing import CliRunner
from PIL import Image

import pipeline.outputs.lecture
from cli import cli
from lessons.series import DEFAULT_SERIES, default_series
from pipeline.formats import Output
from pipeline.outputs.contact_sheet import THUMB
from pipeline.outputs.exports import refresh_contact_sheet
from pipeline.rendering.manifest import Entry
from pipeline.rendering.probe import last_frame, probe
from pipeline.rendering.remux import top_level_boxes
from pipeline.text.subtitles import LONGEST, Cue
from pipeline.text.subtitles import faults as subtitle_faults
from tests.conftest import SERIES, clip_by_id
from tests.test_narration import ffmpeg_loudness, ffprobe_streams

Series = tuple[Path, dict[str, dict[str, Any]]]
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.xdist_group("exports")  # one exported copy of the series for the whole module


@pytest.fixture(scope="module")
def exported(series_low: Series, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the rendered series with its lecture and both decks made by the CLI."""
    out = tmp_path_factory.mktemp("exports") / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))
    decks = [["deck", "--format", kind] for kind in ("html", "beamer", "pptx")]
    for command in (["lecture"], *decks, ["handout"]):
        result = CliRunner().invoke(cli, [*command, "-q", "l", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "rendered" not in result.output  # everything was up to date: nothing rendered again
    return out / "480p15"


def _seconds(stamp: str) -> float:
    """``00:01:02.345`` in seconds (webvtt-py gives whole seconds only)."""
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_every_beat_has_a_clip_a_poster_and_its_caption(series_low: Series) -> None:
    out, entries = series_low
    folder = out / "480p15"
    for clip in SERIES:
        for number, (beat, recorded) in enumerate(zip(clip.beats, entries[clip.id]["beats"], strict=True), start=1):
            name = f"{clip.stem}/{number:02d}-{beat.slug}"
            assert (recorded["file"], recorded["poster"]) == (f"{name}.mp4", f"{name}.png")
            assert (folder / f"{name}.txt").read_text().strip() == beat.caption
            poster = np.asarray(Image.open(folder / f"{name}.png").convert("RGB"))
            np.testing.assert_array_equal(poster, last_frame(folder / f"{name}.mp4"))


def test_the_lecture_joins_the_clips_with_chapters_and_captions(exported: Path, series_low: Series) -> None:
    _, entries = series_low
    ordered = [entries[clip.id] for clip in SERIES]
    lecture = probe(exported / "lecture.mp4")
    assert lecture.frames == sum(e["frames"] for e in ordered)
    assert lecture.duration == pytest.approx(sum(e["duration"] for e in ordered), abs=1 / 15)
    with av.open(str(exported / "lecture.mp4")) as container:
        chapters = container.chapters()
    starts = np.cumsum([0.0] + [e["duration"] for e in ordered])
    assert [c["metadata"]["title"] for c in chapters] == [f"{c.number:02d}. {c.title}" for c in SERIES]
    for chapter, start, end in zip(chapters, starts[:-1], starts[1:], strict=True):
        time_base = chapter["time_base"]
        assert time_base is not None
        assert float(chapter["start"] * time_base) == pytest.approx(start, abs=1 / 15)
        assert float(chapter["end"] * time_base) == pytest.approx(end, abs=1 / 15)
    beats = [
        (start + b["start"], start + b["end"], b["narration"] or b["caption"])
        for e, start in zip(ordered, starts, strict=False)
        for b in e["beats"]
    ]
    vtt = (exported / "lecture.vtt").read_text()
    assert vtt.startswith("WEBVTT\n")
    parsed = {
        "vtt": [(_seconds(c.start), _seconds(c.end), c.text) for c in webvtt.from_string(vtt).captions],
        "srt": [
            (s.start.total_seconds(), s.end.total_seconds(), s.content)
            for s in srt.parse((exported / "lecture.srt").read_text())
        ],
    }
    # The subtitles are the narration, in cues within the caption rules, inside each beat: the first
    # shows as the beat starts; none outlasts its beat.
    for timed in parsed.values():
        cues = [Cue(start, end, text) for start, end, text in timed]
        assert not subtitle_faults(cues)
        for start, end, words in beats:
            inside = [cue for cue in timed if start - 1 / 30 <= cue[0] and cue[1] <= end + 1 / 30]
            assert " ".join(text.replace("\n", " ") for _, _, text in inside) == words
            assert inside[0][0] == pytest.approx(start, abs=1 / 15)
            assert inside[-1][1] == pytest.approx(min(end, inside[-1][0] + LONGEST), abs=1 / 15)
        assert len(timed) > len(beats)
    # One clock: cues never overlap, WebVTT and SRT agree to the millisecond, and every chapter starts on a cue.
    as_ms = [[(round(start * 1000), round(end * 1000)) for start, end, _ in timed] for timed in parsed.values()]
    assert as_ms[0] == as_ms[1]
    assert all(end <= next_start for (_, end), (next_start, _) in zip(as_ms[0], as_ms[0][1:], strict=False))
    cue_starts = {start for start, _ in as_ms[0]}
    base = chapters[0]["time_base"]
    assert base is not None
    for chapter in chapters:
        assert round(float(chapter["start"] * base) * 1000) in cue_starts
    assert as_ms[0][-1][1] <= round(float(chapters[-1]["end"] * base) * 1000)


def test_every_clip_and_beat_clip_has_subtitles_within_the_rules(exported: Path) -> None:
    for clip in SERIES:
        video = exported / f"{clip.stem}.mp4"
        length = probe(video).duration
        cues = [
            (_seconds(c.start), _seconds(c.end), c.text) for c in webvtt.read(str(video.with_suffix(".vtt"))).captions
        ]
        subtitles = list(srt.parse(video.with_suffix(".srt").read_text()))
        assert [(round(s.start.total_seconds(), 3), round(s.end.total_seconds(), 3)) for s in subtitles] == [
            (round(a, 3), round(b, 3)) for a, b, _ in cues
        ]  # WebVTT and SRT agree to the millisecond
        assert not subtitle_faults([Cue(*cue) for cue in cues]), clip.id
        assert cues[0][0] == 0 and cues[-1][1] <= length + 1 / 15
        said = " ".join(beat.narration or beat.caption for beat in clip.beats)
        assert " ".join(text.replace("\n", " ") for _, _, text in cues) == said
        for number, beat in enumerate(clip.beats, start=1):
            beat_video = exported / clip.stem / f"{number:02d}-{beat.slug}.mp4"
            beat_cues = [
                (_seconds(c.start), _seconds(c.end), c.text)
                for c in webvtt.read(str(beat_video.with_suffix(".vtt"))).captions
            ]
            assert not subtitle_faults([Cue(*cue) for cue in beat_cues]), (clip.id, number)
            assert beat_cues[0][0] == 0 and beat_cues[-1][1] <= probe(beat_video).duration + 1 / 15
            assert " ".join(t.replace("\n", " ") for _, _, t in beat_cues) == (beat.narration or beat.caption)
            assert beat_video.with_suffix(".srt").is_file()


def test_the_lecture_and_every_clip_have_a_descriptive_transcript(exported: Path, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.test_transcript import Outline

    beats = [beat for clip in SERIES for beat in clip.beats]
    outline = Outline()
    outline.feed((exported / "lecture-transcript.html").read_text(encoding="utf-8"))
    assert [t for kind, t in outline.found if kind == "h2"] == [f"{c.number:02d} · {c.title}" for c in SERIES]
    assert len([t for kind, t in outline.found if kind == "h3"]) == len(beats)
    paragraphs = [t for kind, t in outline.found if kind == "p"]
    for beat in beats:
        assert f"Caption: {beat.caption}" in paragraphs and (
            not beat.narration or f"Said: {beat.narration}" in paragraphs
        )
    shown = [t for kind, t in outline.found if kind == "li"]
    assert "slope f prime of minus 2 equals 2 times (minus 2) equals minus 4" in shown  # derivative, beat 2
    assert outline.times == sorted(outline.times) and outline.times[0] == 0
    text = (exported / "lecture-transcript.txt").read_text(encoding="utf-8")
    assert text.count("Caption: ") == len(beats) and "Shown: " in text
    described = webvtt.read(str(exported / "lecture-descriptions.vtt")).captions  # kind="descriptions"
    pictured = [t for kind, t in outline.found if kind == "p" and t.startswith("Pictured: ")]
    assert len(described) == len(pictured) == len(beats) and text.count("Pictured: ") == len(beats)
    assert described[1].text.replace("\n", " ").startswith("A dot on the curve with its tangent line stops at x equals")
    assert pictured[1].startswith("Pictured: A dot on the curve with its tangent line stops at x equals minus 2.00")
    for clip in SERIES:
        for suffix in ("-transcript.html", "-transcript.txt", "-descriptions.vtt"):
            assert (exported / f"{clip.stem}{suffix}").is_file()
    # The time stamps seek the lecture played beside the text.
    driver = _chromium(tmp_path)
    try:
        driver.get((exported / "lecture-transcript.html").as_uri())
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: d.execute_script("return document.getElementById('video').readyState >= 1"))
        link = driver.find_elements("css selector", "a.time")[7]
        link.click()
        target = float(link.get_attribute("data-seconds") or "nan")
        wait.until(lambda d: abs(d.execute_script("return document.getElementById('video').currentTime") - target) < 1)
    finally:
        driver.quit()
    # Served as an LMS would, its player carries the subtitles and the descriptions as tracks.
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(exported))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = _chromium(tmp_path / "served")
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/lecture-transcript.html")
        tracks = (
            "const t = document.getElementById('video').textTracks;"
            "for (const track of t) track.mode = 'hidden';"
            "return [...t].map(track => [track.kind, track.cues ? track.cues.length : 0])"
        )
        captions = len(webvtt.read(str(exported / "lecture.vtt")).captions)
        expected = [["captions", captions], ["descriptions", len(described)]]
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(tracks) == expected)
    finally:
        driver.quit()
        server.shutdown()


def test_the_course_title_reaches_the_lecture_the_decks_and_the_handout(exported: Path) -> None:
    title = default_series().title
    assert title == "Calculus Primer"  # the series file's own `title`
    asked = ["ffprobe", "-v", "error", "-show_entries", "format_tags=title", "-of", "csv=p=0"]
    tags = subprocess.run([*asked, str(exported / "lecture.mp4")], capture_output=True, text=True, check=True).stdout
    assert tags.strip() == title
    info = subprocess.run(["pdfinfo", str(exported / "handout.pdf")], capture_output=True, text=True, check=True)
    assert re.search(rf"^Title:\s+{title}$", info.stdout, re.M)
    first = subprocess.run(["pdftotext", "-l", "1", str(exported / "handout.pdf"), "-"], capture_output=True, text=True)
    assert first.stdout.lstrip().startswith(title)
    assert f"<title>{title}</title>" in (exported / "deck" / "index.html").read_text(encoding="utf-8")
    from pptx import Presentation

    assert Presentation(str(exported / "deck.pptx")).core_properties.title == title


def test_a_course_without_a_title_is_named_for_its_file_and_its_quality_is_the_default(tmp_path: Path) -> None:
    from lessons.series import load_series

    course = tmp_path / "linear-algebra_notes.toml"
    text = (Path(__file__).resolve().parent.parent / "series.toml").read_text(encoding="utf-8")
    course.write_text(text.replace('title = "Calculus Primer"\n', 'quality = "low"\n'), encoding="utf-8")
    series = load_series(course)
    assert (series.title, series.quality) == ("Linear algebra notes", "low")
    course.write_text('quality = "ultra"\n' + text, encoding="utf-8")
    result = run("list", "--series", str(course))
    assert result.exit_code == 2
    assert "field 'quality': 'ultra' is not one of low, medium, high, production, 4k" in result.stderr


def test_every_mp4_has_its_index_first_for_streaming(exported: Path) -> None:
    for path in (
        exported / "01-derivative.mp4",
        exported / "01-derivative" / "02-tangent-at-minus-2.mp4",
        exported / "lecture.mp4",
    ):
        boxes = top_level_boxes(path)
        assert boxes[0] == "ftyp" and boxes.index("moov") < boxes.index("mdat"), (path.name, boxes)
    with av.open(str(exported / "lecture.mp4")) as container:
        assert len(container.chapters()) == len(SERIES)  # chapters survive


def test_the_lecture_copies_the_clips_without_re_encoding(exported: Path) -> None:
    def packets(path: Path, count: int) -> list[bytes]:
        with av.open(str(path)) as container:
            found = [bytes(p) for p in container.demux(video=0) if p.size]
        return found[:count]

    first = packets(exported / "01-derivative.mp4", 40)
    assert packets(exported / "lecture.mp4", 40) == first


def test_an_interrupted_lecture_leaves_the_previous_one(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (exported / "lecture.mp4").read_bytes()

    def broken(*args: Any) -> Any:
        Path(args[3]).write_bytes(b"half a video")
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.outputs.lecture, "_copy_packets", broken)
    result = run("lecture", "-q", "l", "--out", str(exported.parent))
    assert result.exit_code == 130
    assert (exported / "lecture.mp4").read_bytes() == before
    assert not list(exported.glob(".lecture*"))


def test_the_pptx_deck_has_one_slide_per_beat_with_its_clip_and_notes(exported: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(str(exported / "deck.pptx"))
    beats = [beat for clip in SERIES for beat in clip.beats]
    title, *slides = deck.slides
    assert [shape.text_frame.text for shape in title.shapes] == [
        default_series().title,
        f"8 clips · {len(beats)} beats",
    ]
    assert len(slides) == len(beats)
    headings = [
        f"{n:02d} · {clip.title} · {b} / {len(clip.beats)}"
        for n, clip in enumerate(SERIES, 1)
        for b in range(1, len(clip.beats) + 1)
    ]
    for slide, beat, heading in zip(slides, beats, headings, strict=True):
        assert slide.shapes.title.text_frame.text == heading  # a title a screen reader finds
        assert slide.notes_slide.notes_text_frame.text == (beat.narration or beat.caption)
        media = [rel for rel in slide.part.rels.values() if rel.reltype.endswith("/media")]
        assert len(media) == 1
        assert media[0].target_part.content_type == "video/mp4"
        assert media[0].target_part.blob[4:8] == b"ftyp"  # an mp4 file, embedded whole
        with av.open(io.BytesIO(media[0].target_part.blob)) as embedded:
            assert [s.codec_context.name for s in embedded.streams.audio] == ["aac"]  # with its narration
        (movie,) = (shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA)
        assert movie._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == beat.caption  # its alt text
        posters = [rel for rel in slide.part.rels.values() if rel.reltype.endswith("/image")]
        assert posters and posters[0].target_part.content_type == "image/png"
        for shape in slide.shapes:  # nothing runs past the slide's edges
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, shape.name
            assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height, shape.name


def test_the_html_deck_is_reveal_js_copied_in(exported: Path) -> None:
    deck = exported / "deck"
    page = (deck / "index.html").read_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert '<script src="reveal/reveal.js">' in page and '<script src="reveal/plugin/notes.js">' in page
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["reveal.js"]
    for asset in ("reveal.js", "reveal.css", "plugin/notes.js"):  # the npm package's own files, as published
        assert (deck / "reveal" / asset).read_bytes() == (ROOT / "node_modules/reveal.js/dist" / asset).read_bytes()
    assert json.loads((ROOT / "node_modules/reveal.js/package.json").read_text())["version"] == pinned
    count = sum(len(clip.beats) for clip in SERIES)
    assert len(list((deck / "media").glob("*.mp4"))) == count
    assert len(list((deck / "media").glob("*.png"))) == count
    assert len(list((deck / "media").glob("*.vtt"))) == count  # each beat's subtitles, the video's track


def _chromium(tmp_path: Path, *, window: str = "1280,720", autoplay: bool = False) -> Any:
    """Headless Chromium under chromedriver, its requests logged, with the browser's own autoplay policy."""
    assert CHROMEDRIVER.exists(), "needs Debian's chromium and chromium-driver: `make test` installs them"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={window}",
        f"--user-data-dir={tmp_path / 'profile'}",
        *(["--autoplay-policy=no-user-gesture-required"] if autoplay else []),
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.page_load_strategy = "none"  # the speaker view keeps loading its previews
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _leaving(requested: set[str]) -> set[str]:
    """The requests that would leave this machine: any web or socket URL not on the loopback address."""
    from urllib.parse import urlsplit

    web = {url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss", "ftp")}
    return {url for url in web if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1")}


def _requested(driver: Any) -> set[str]:
    """Every URL the browser asked for so far."""
    found = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            found.add(message["params"]["request"]["url"])
    return found


def _on_slide(driver: Any, index: int) -> bool:
    return bool(driver.execute_script("return deck.getIndices().h") == index)


PLAYING = (
    "const v = deck.getCurrentSlide().querySelector('video');"
    "return v && !v.paused && !v.muted && v.volume > 0 && v.currentTime > 0.3 && v.webkitAudioDecodedByteCount > 0"
)


def test_the_reveal_deck_plays_each_beat_with_sound_notes_and_a_speaker_view(exported: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    beats = [beat for clip in SERIES for beat in clip.beats]
    driver = _chromium(tmp_path)
    try:
        driver.get((exported / "deck" / "index.html").as_uri())
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: d.execute_script("return !!(window.deck && deck.isReady())"))
        assert driver.execute_script("return deck.getTotalSlides()") == len(beats) + 1
        assert driver.find_element("tag name", "h1").text == default_series().title  # the title slide
        notes = driver.execute_script(
            "return [...document.querySelectorAll('section.beat')].map(s => s.querySelector('aside.notes').textContent)"
        )
        assert notes == [beat.narration or beat.caption for beat in beats]
        captions = driver.execute_script(
            "return [...document.querySelectorAll('section.beat .caption')].map(p => p.textContent)"
        )
        assert captions == [beat.caption for beat in beats]  # the slide's text for screen readers
        body = driver.find_element("tag name", "body")
        body.send_keys(Keys.ARROW_RIGHT)  # one key: beat 1, with its sound
        wait.until(lambda d: d.execute_script(PLAYING))
        assert driver.execute_script("return deck.getIndices().h") == 1
        driver.find_element("css selector", "section.beat.present video").click()  # a click moves on
        wait.until(lambda d: d.execute_script("return deck.getIndices().h") == 2)
        body.send_keys(Keys.ARROW_LEFT)
        wait.until(lambda d: d.execute_script("return deck.getIndices().h") == 1)
        wait.until(lambda d: d.execute_script(PLAYING))  # back on beat 1: it plays again from the start
        for index in range(2, len(beats) + 1):  # through every beat
            body.send_keys(Keys.SPACE if index % 2 else Keys.ARROW_RIGHT)
            wait.until(functools.partial(_on_slide, index=index))
            src = driver.execute_script("return deck.getCurrentSlide().querySelector('video').currentSrc")
            assert src.endswith(f"media/{index - 1:02d}.mp4")
        wait.until(lambda d: d.execute_script("return deck.getCurrentSlide().querySelector('video').ended"))
        assert driver.execute_script(  # played once and holds its last frame
            "const v = deck.getCurrentSlide().querySelector('video'); return v.paused && v.currentTime > 0"
        )
        body.send_keys(Keys.ESCAPE)
        wait.until(lambda d: d.execute_script("return deck.isOverview()"))
        body.send_keys(Keys.ESCAPE)
        wait.until(lambda d: d.execute_script("return !deck.isOverview()"))
        driver.execute_script("deck.slide(2)")
        body.send_keys("s")  # the speaker view: this beat, the next, the notes and a timer
        wait.until(lambda d: len(d.window_handles) == 2)
        main = driver.current_window_handle
        driver.switch_to.window(next(h for h in driver.window_handles if h != main))
        wait.until(lambda d: beats[1].narration in d.execute_script("return document.body.innerText"))
        text = driver.execute_script("return document.body.innerText")
        assert "Upcoming" in text and re.search(r"\d\d:\d\d:\d\d", text)
        frames = driver.execute_script("return [...document.querySelectorAll('iframe')].map(f => f.src)")
        assert any("receiver" in src for src in frames)  # the current and the upcoming beat
        driver.save_screenshot(str(tmp_path / "speaker-view.png"))
        driver.switch_to.window(main)
        requested = _requested(driver)
        assert f"{(exported / 'deck' / 'reveal' / 'reveal.js').as_uri()}" in requested
        assert not _leaving(requested)  # nothing left the machine
    finally:
        driver.quit()


def test_a_deck_opened_on_a_beat_waits_for_a_key_then_plays_it_with_sound(exported: Path, tmp_path: Path) -> None:
    """From a static web server on this machine; the first key plays beat 3 and does not move on."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(exported / "deck"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = _chromium(tmp_path)
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/index.html#/3")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: d.execute_script("return !!(window.deck && deck.isReady())"))
        assert driver.execute_script("return deck.getIndices().h") == 3
        wait.until(lambda d: d.execute_script("return document.body.classList.contains('waiting')"))
        assert driver.find_element("css selector", ".sound-hint").is_displayed()
        driver.find_element("tag name", "body").send_keys(Keys.ARROW_RIGHT)
        wait.until(lambda d: d.execute_script(PLAYING))
        assert driver.execute_script("return deck.getIndices().h") == 3  # the key started it, and did not move on
        assert not driver.find_element("css selector", ".sound-hint").is_displayed()
        cues = driver.execute_async_script(  # the beat's subtitles, as the browser's own WebVTT parser reads them
            "const done = arguments[0], video = deck.getCurrentSlide().querySelector('video');"
            "const track = video.textTracks[0]; track.mode = 'hidden';"
            "const look = () => track.cues && track.cues.length ? done([track.kind, [...track.cues].map(c => c.text)])"
            " : setTimeout(look, 100); look();"
        )
        beat = [beat for clip in SERIES for beat in clip.beats][2]
        assert cues[0] == "subtitles" and " ".join(" ".join(cues[1]).split()) == beat.narration
        requested = _requested(driver)
        assert f"http://127.0.0.1:{server.server_port}/reveal/reveal.js" in requested
        assert not _leaving(requested)
    finally:
        driver.quit()
        server.shutdown()


def test_a_deck_the_browser_lets_play_opens_on_a_beat_playing_and_the_key_moves_on(
    exported: Path, tmp_path: Path
) -> None:
    """A kiosk or a browser set to allow sound: nothing waits, so the first key moves on."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver = _chromium(tmp_path, autoplay=True)
    try:
        driver.get((exported / "deck" / "index.html").as_uri() + "#/3")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: d.execute_script("return !!(window.deck && deck.isReady())"))
        wait.until(lambda d: d.execute_script(PLAYING))
        time.sleep(0.5)  # any late rejection of an earlier play() has come back by now
        assert not driver.execute_script("return document.body.classList.contains('waiting')")
        driver.find_element("tag name", "body").send_keys(Keys.ARROW_RIGHT)
        wait.until(functools.partial(_on_slide, index=4))
    finally:
        driver.quit()


def test_the_beamer_deck_has_a_title_frame_then_each_beat_with_its_movie(exported: Path, tmp_path: Path) -> None:
    folder = exported / "deck-beamer"
    pdf = folder / "deck-beamer.pdf"
    beats = [(clip, beat) for clip in SERIES for beat in clip.beats]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M)[1] == str(len(beats) + 1)  # type: ignore[index]
    assert re.search(rf"^Title:\s+{default_series().title}$", info, re.M)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = [" ".join(page.split()) for page in pages.split("\f")]
    assert text[0].startswith(default_series().title)
    for page, (clip, beat) in zip(text[1:], beats, strict=False):
        assert clip.title in page and " ".join(beat.caption.split()) in page
    # One movie per beat frame, as pdfpc plays it: the multimedia package's annotation, the clip beside the PDF.
    movies = re.findall(rb"/Subtype /Movie .*?/Movie << /F \((media/\d+\.mp4)\) /Poster true >>", _pdf_objects(pdf))
    assert [m.decode() for m in movies] == [f"media/{i:02d}.mp4" for i in range(len(beats))]
    assert all((folder / m.decode()).is_file() for m in movies)
    notes = json.loads((folder / "deck-beamer.pdfpc").read_text(encoding="utf-8"))["pages"]
    assert [page["note"] for page in notes] == ["", *(beat.narration or beat.caption for _, beat in beats)]
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "3", "-l", "3", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page-03.png") as page:  # 16:9, and not blank
        assert abs(page.width / page.height - 16 / 9) < 0.01
        assert np.asarray(page.convert("L")).std() > 10


def _pdf_objects(pdf: Path) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams hold the annotations)."""
    import zlib

    data = pdf.read_bytes()
    inflated = []
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream[1]))
        except zlib.error:
            continue
    return data + b"".join(inflated)


def test_the_beamer_deck_refuses_text_its_fonts_cannot_set_before_rendering(tmp_path: Path) -> None:
    course = tmp_path / "course.toml"
    text = (ROOT / "series.toml").read_text(encoding="utf-8")
    course.write_text(text.replace('title = "Calculus Primer"', 'title = "微积分 Primer"'), encoding="utf-8")
    result = run("deck", "--format", "beamer", "-q", "l", "--series", str(course), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "primer: error: the course title has '微' (U+5FAE), which the Beamer deck's fonts cannot set;"
        " the HTML and PowerPoint decks can"
    )
    assert not (tmp_path / "out").exists()


def test_the_html_deck_needs_the_pinned_reveal_js(tmp_path: Path) -> None:
    from pipeline.errors import PrimerError
    from pipeline.outputs.reveal import reveal_folder

    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"reveal.js": "6.0.2"}}))
    with pytest.raises(PrimerError, match=r"^the HTML deck needs reveal.js 6.0.2 from npm: run `make setup`$"):
        reveal_folder(tmp_path)
    package = tmp_path / "node_modules" / "reveal.js"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "5.1.0"}))
    with pytest.raises(PrimerError, match=r"\(found 5.1.0\)"):
        reveal_folder(tmp_path)
    assert reveal_folder() == ROOT / "node_modules" / "reveal.js"


def test_the_contact_sheet_shows_every_beat(copied_sheet: Path) -> None:
    with Image.open(copied_sheet) as sheet:
        columns = max(len(c.beats) for c in SERIES)
        assert sheet.width == 16 + columns * (THUMB[0] + 16)
        assert sheet.height > len(SERIES) * THUMB[1]


@pytest.fixture
def copied_sheet(series_low: Series, tmp_path: Path) -> Path:
    folder = tmp_path / "480p15"
    shutil.copytree(series_low[0] / "480p15", folder)
    made = refresh_contact_sheet(default_series(), folder)
    assert made is not None
    mtime = made.stat().st_mtime
    time.sleep(0.01)
    assert (
        refresh_contact_sheet(default_series(), folder) == made and made.stat().st_mtime == mtime
    )  # up to date: not redrawn
    return made


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "mp4", "--transparent"], ["--transparent", "mp4"]),
        (["--format", "gif", "--transparent"], ["--transparent", "gif"]),
        (["--format", "avi"], ["avi", "mp4", "webm", "gif", "mov", "png"]),
    ],
)
def test_formats_that_cannot_be_made_are_refused_in_one_line(args: list[str], words: list[str], tmp_path: Path) -> None:
    result = run("render", "gradient", "-q", "l", "--out", str(tmp_path), *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and all(word in lines[0] for word in words)
    assert not list(tmp_path.iterdir())


def test_deck_refuses_an_unknown_kind() -> None:
    result = run("deck", "--format", "key")
    assert result.exit_code == 2 and "'key' is not one of 'html', 'beamer', 'pptx'" in result.stderr


@pytest.mark.render
def test_transparent_webm_and_a_png_still(tmp_path: Path) -> None:
    out = tmp_path / "renders"
    result = run("render", "partial-derivative", "-q", "l", "--out", str(out), "--format", "webm", "--transparent")
    assert result.exit_code == 0, result.output
    folder = out / "480p15"
    clip = clip_by_id("partial-derivative")
    video = folder / "02-partial-derivative-alpha.webm"
    info = probe(video)
    assert (info.codec, info.width, info.height) == ("vp9", 854, 480)
    for webm in (video, *sorted((folder / "02-partial-derivative-webm-alpha").glob("*.webm"))):
        streams = {s["codec_type"]: s for s in ffprobe_streams(webm)}  # Opus, as long as the picture
        assert streams["audio"]["codec_name"] == "opus", webm.name
        assert abs(float(streams["audio"]["duration"]) - float(streams["video"]["duration"])) <= 1 / 15
    assert last_frame(video, alpha=True)[..., 3].min() == 0  # the background is see-through
    beats = folder / "02-partial-derivative-webm-alpha"
    assert sorted(p.name for p in beats.glob("*.webm")) == [
        f"{n:02d}-{b.slug}.webm" for n, b in enumerate(clip.beats, 1)
    ]
    poster = np.asarray(Image.open(next(beats.glob("*.png"))))
    assert poster.shape[2] == 4 and poster[..., 3].min() == 0

    still = run("render", "partial-derivative", "-q", "l", "--out", str(out), "--format", "png")
    assert still.exit_code == 0, still.output
    with Image.open(folder / "02-partial-derivative.png") as image:
        assert image.size == (854, 480)
    status = run("status", "partial-derivative", "-q", "l", "--out", str(out), "--format", "webm", "--transparent")
    assert status.output.split()[1:3] == ["up", "to"]

    # A caption edit redraws its beat alone; the others' transparent segments are joined as they were.
    before = yuva_frames(video)
    series = tmp_path / "series.toml"
    caption = "Each slice is a plain curve; its slope is a partial derivative."
    series.write_text(DEFAULT_SERIES.read_text(encoding="utf-8").replace(caption, "Each slice: a curve & its slope."))
    args = ["--series", str(series), "-q", "l", "--out", str(out), "--format", "webm", "--transparent"]
    edited = run("render", "partial-derivative", *args)
    assert edited.exit_code == 0 and "1 beat drawn, 2 reused" in edited.output, edited.output
    after = yuva_frames(video)
    entry = json.loads((folder / "manifest.json").read_text())["clips"][
        Output(format="webm", transparent=True).entry_id("partial-derivative")
    ]
    assert entry["reused"] == [1, 2]  # the caption edited is beat 3's
    ends = np.cumsum([beat["frames"] for beat in entry["beats"]])
    assert len(before) == len(after) == ends[-1]
    assert all(np.array_equal(before[n], after[n]) for n in range(ends[1]))  # colour and alpha, frame for frame
    assert last_frame(video, alpha=True)[..., 3].min() == 0  # still see-through after the join
    assert not np.array_equal(before[-1], after[-1])  # beat 3 shows its new caption


def yuva_frames(video: Path) -> list[Any]:
    """Every frame of a VP9 WebM as its decoded planes, alpha among them (libvpx reads the alpha WebM keeps
    beside the picture). Planes, not RGBA: converting them to RGB leaves fully transparent pixels' colour
    different from one conversion to the next.
    """
    decoder = av.CodecContext.create("libvpx-vp9", "r")
    with av.open(str(video)) as container:
        packets = list(container.demux(container.streams.video[0]))
    frames = [frame for packet in packets for frame in decoder.decode(packet if packet.size else None)]
    assert frames and all(frame.format.name == "yuva420p" for frame in frames)
    return [
        np.concatenate(
            [
                np.frombuffer(bytes(p), np.uint8).reshape(p.height, p.line_size)[:, : p.width].ravel()
                for p in frame.planes
            ]
        )
        for frame in frames
    ]


def test_the_handout_has_every_clip_poster_caption_and_value(exported: Path, series_low: Series) -> None:
    _, entries = series_low
    pdf = exported / "handout.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       595.28 x 841.89 pts (A4)" in info
    assert re.search(r"Tagged:\s+yes", info)  # each poster a figure with its alt text, for screen readers
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= len(SERIES)  # each clip starts a page
    # Text in content order (each table cell's lines together), compared without line breaks.
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for clip in SERIES:
        assert "".join(f"{clip.stem[:2]} {clip.title}".split()) in flat
        for beat in clip.beats:
            assert "".join(beat.caption.split()) in flat, beat.caption
        for items in entries[clip.id]["values"].values():
            for item in items:
                assert "".join(item["shown"].split()) in flat, (clip.id, item["shown"])
    assert "∇g(1,2)=(8,7)" in flat and "H_h(1,2)=[[6,4],[4,14]]" in flat
    # A page drawn by poppler: an A4 page with the posters on it, not blank.
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(exported / "page")], check=True)
    page = np.asarray(Image.open(next(exported.glob("page*.png"))).convert("L"))
    assert page.shape[0] / page.shape[1] == pytest.approx(297 / 210, rel=0.01)
    assert (page < 60).mean() > 0.1  # the dark posters cover a good part of the page


def test_a_handout_of_chosen_clips(series_low: Series, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))
    result = run("handout", "gradient", "small-net", "-q", "l", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", str(out / "480p15" / "handout.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "04 Gradient" in text and "08 A small network learns sin x" in text and "Derivative" not in text


def test_a_preview_of_one_beat_has_the_frames_of_the_whole_render(series_low: Series, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))  # with its warm TeX cache
    # In one process, as the preview is drawn: x264 encodes the same frames the same way only with
    # the same number of threads (the two-worker render gives each encoder one).
    assert run("render", "descent-1d", "-q", "l", "--out", str(out), "-j", "1", "--force").exit_code == 0
    before = (out / "480p15" / "manifest.json").read_bytes()
    result = run("render", "descent-1d", "--beat", "2", "-q", "l", "--out", str(out))
    assert result.exit_code == 0, result.output
    preview = out / "480p15" / "previews" / "05-descent-1d-beat-02-one-step.mp4"
    assert result.output.startswith(f"preview: {preview} (")

    def frames(path: Path) -> list[np.ndarray]:
        with av.open(str(path)) as container:
            return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]

    drawn, whole = frames(preview), frames(out / "480p15" / "05-descent-1d" / "02-one-step.mp4")
    assert len(drawn) == len(whole)
    for a, b in zip(drawn, whole, strict=True):  # the same drawing; x264 may round a few pixels differently
        assert (np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 48).sum() <= 30
    assert top_level_boxes(preview).index("moov") < top_level_boxes(preview).index("mdat")
    assert (out / "480p15" / "manifest.json").read_bytes() == before  # a preview is not a render of record
    assert run("render", "descent-1d", "gradient", "--beat", "2", "--out", str(out)).exit_code == 2
    wrong = run("render", "descent-1d", "--beat", "9", "-q", "l", "--out", str(out))
    assert wrong.exit_code == 1 and "descent-1d has beats 1 to 4, not 9" in wrong.stderr


def test_a_still_is_the_frame_shown_at_that_time(series_low: Series, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))
    result = run("still", "gradient", "--at", "7.3", "-q", "l", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "rendered" not in result.output  # up to date: only the frame is read
    still = np.asarray(Image.open(out / "480p15" / "stills" / "04-gradient-at-7.3s.png").convert("RGB"))
    with av.open(str(out / "480p15" / "04-gradient.mp4")) as container:
        decoded = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert np.array_equal(still, decoded[int(7.3 * 15)])  # frame k is shown from k/15 s
    late = run("still", "gradient", "--at", "999", "-q", "l", "--out", str(out))
    assert late.exit_code == 1 and "--at must be in [0, " in late.stderr


def test_the_described_lecture_holds_each_picture_while_its_description_is_spoken(
    exported: Path, series_low: Series
) -> None:
    from pipeline.outputs.described import build_described_clip, hold_frames

    _, entries = series_low
    entry = entries["derivative"]
    described = exported / "01-derivative-described.mp4"
    made = build_described_clip(
        exported, cast(Entry, entry), "en-us", exported.parent / ".cache" / "voices"
    )  # as it was made
    assert made.video == described and all(hold >= 1 for hold in made.holds)  # every beat is described
    # Each beat's frames as rendered, then its last frame held while its description is read (encoded anew,
    # so within the encoder's noise: a mean difference under 3 levels of 255; and still from frame to frame:
    # under 0.1 level, where a hold coded like the clip drifted by up to 0.53 as x264 refined it).
    ends, at = {}, 0
    for beat, hold in zip(entry["beats"], made.holds, strict=True):
        at += beat["frames"]
        ends[at - 1] = (beat, at + round(hold * 15))
        at += round(hold * 15)
    last: Any = None
    count, holding, previous = 0, None, None
    for index, frame in enumerate(_decoded(described)):
        pixels = frame.to_ndarray(format="rgb24").astype(np.int16)
        if holding is not None and index < holding[1]:
            assert np.abs(pixels - last).mean() < 3, holding[0]["slug"]
            if index - 1 not in ends:  # from the second held frame on: still
                assert np.abs(pixels - previous).mean() < 0.1, holding[0]["slug"]
        if index in ends:
            holding, last = ends[index], pixels
            poster = np.asarray(Image.open(exported / holding[0]["poster"]).convert("RGB"), dtype=np.int16)
            assert np.abs(last - poster).mean() < 0.5, holding[0]["slug"]  # the beat's last frame is its poster
        previous, count = pixels, count + 1
    assert count == at  # nothing else was added
    # The voice reads the description in the hold, as loud as the narration; its words are subtitled.
    for video in (described, exported / "lecture-described.mp4"):
        level, peak = ffmpeg_loudness(video)
        assert level == pytest.approx(-16, abs=1) and peak < -1, (video.name, level, peak)
        streams = {s["codec_type"]: s for s in ffprobe_streams(video)}
        assert abs(float(streams["audio"]["duration"]) - float(streams["video"]["duration"])) <= 1 / 15
        cues = [
            Cue(_seconds(c.start), _seconds(c.end), c.text)
            for c in webvtt.read(str(video.with_suffix(".vtt"))).captions
        ]
        assert not subtitle_faults(cues), video.name
        assert "A dot on the curve with its tangent line" in " ".join(c.text.replace("\n", " ") for c in cues)
    lecture = float(ffprobe_streams(exported / "lecture-described.mp4")[0]["duration"])
    clips = sum(float(ffprobe_streams(exported / f"{c.stem}-described.mp4")[0]["duration"]) for c in SERIES)
    assert lecture == pytest.approx(clips, abs=len(SERIES) / 15)
    assert hold_frames(np.zeros(48_000, np.float32), 15) == 30  # lead 0.3 s, a second of voice, pause 0.7 s


def _decoded(video: Path) -> Iterator[Any]:
    with av.open(str(video)) as container:
        yield from container.decode(video=0)


def test_every_clip_beat_clip_and_the_lecture_speak_at_minus_16_lufs(exported: Path, series_low: Series) -> None:
    _, entries = series_low
    videos = [exported / "lecture.mp4"]
    for clip in SERIES:
        videos += [exported / entries[clip.id]["video"], *(exported / b["file"] for b in entries[clip.id]["beats"])]
    for video in videos:  # ffprobe: AAC beside the picture, and they end within one frame of each other
        streams = {s["codec_type"]: s for s in ffprobe_streams(video)}
        assert streams["audio"]["codec_name"] == "aac", video.name
        assert abs(float(streams["audio"]["duration"]) - float(streams["video"]["duration"])) <= 1 / 15, video.name
    for video in (exported / "lecture.mp4", exported / "03-chain-rule.mp4"):  # FFmpeg's EBU R128 meter
        level, peak = ffmpeg_loudness(video)
        assert level == pytest.approx(-16, abs=1) and peak < -1, (video.name, level, peak)
