"""Themes: contrast computed against WCAG 2 for both palettes, and a light render that sits on a white slide."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from cli import cli
from lessons.palette import GRAPHIC_CONTRAST, PALETTES, TEXT_CONTRAST, contrast, luminance
from lessons.series import SeriesError, parse_series
from pipeline.formats import Output
from pipeline.rendering import manifest
from pipeline.rendering.probe import last_frame


def test_wcag_contrast_of_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert luminance("#ffffff") == pytest.approx(1.0) and luminance("#000000") == 0.0


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_every_colour_reads_on_its_background(theme: str) -> None:
    palette = PALETTES[theme]
    for name, colour in palette.text_colours().items():
        assert contrast(colour, palette.background) >= TEXT_CONTRAST, (theme, name, colour)
    assert contrast(palette.axis, palette.background) >= GRAPHIC_CONTRAST


def test_colours_keep_their_meaning_across_themes() -> None:
    dark, light = PALETTES["dark"], PALETTES["light"]
    for name in dark.text_colours():
        if name in ("text", "caption", "data"):  # the neutrals flip from light to dark
            continue
        hue_dark, hue_light = (_hue(getattr(p, name)) for p in (dark, light))
        assert min(abs(hue_dark - hue_light), 360 - abs(hue_dark - hue_light)) < 40, name


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    high, low = max(r, g, b), min(r, g, b)
    if high == low:
        return 0.0
    if high == r:
        hue = (g - b) / (high - low) % 6
    elif high == g:
        hue = (b - r) / (high - low) + 2
    else:
        hue = (r - g) / (high - low) + 4
    return 60 * hue


def test_theme_names_and_the_series_setting() -> None:
    light = Output(theme="light")
    assert (light.video_name("04-gradient"), light.beats_name("04-gradient")) == (
        "04-gradient-light.mp4",
        "04-gradient-light",
    )
    assert light.entry_id("gradient") == "gradient@mp4-light" and not light.is_default
    assert Output("webm", True, "light").video_name("04-gradient") == "04-gradient-light-alpha.webm"
    assert [light.named(n) for n in ("lecture.mp4", "deck", "deck.pptx")] == [
        "lecture-light.mp4",
        "deck-light",
        "deck-light.pptx",
    ]
    assert Output().named("lecture.mp4") == "lecture.mp4"
    assert Output(captions=False).named("lecture.mp4") == "lecture-nocaptions.mp4"
    assert Output(theme="light", captions=False).video_name("04-gradient") == "04-gradient-light-nocaptions.mp4"
    entry = {"id": "a", "title": "A", "template": "descent-1d", "f": "x**2", "x0": 1, "rate": 0.1}
    entry["beats"] = [{"slug": f"b{i}", "caption": "c"} for i in range(4)]
    assert parse_series({"theme": "light", "clip": [entry]}, Path("c.toml")).theme == "light"
    with pytest.raises(SeriesError, match=re.escape("c.toml: field 'theme': 'sepia' is not one of dark, light")):
        parse_series({"theme": "sepia", "clip": [entry]}, Path("c.toml"))


@pytest.mark.render
def test_a_light_clip_renders_beside_the_dark_one(tmp_path: Path) -> None:
    out = tmp_path / "renders"
    args = ["render", "descent-1d", "-q", "l", "--out", str(out), "-j", "1"]
    assert CliRunner().invoke(cli, [*args, "--theme", "light"]).exit_code == 0
    folder = out / "480p15"
    poster = np.asarray(Image.open(folder / "05-descent-1d-light" / "04-flat-point.png").convert("RGB"))
    assert (poster[5, 5] > 245).all()  # a white slide
    assert (poster < 80).all(axis=2).mean() > 0.002  # dark text and lines on it
    assert (folder / "contact-sheet-light.png").exists() and not (folder / "05-descent-1d.mp4").exists()
    entries = manifest.load(folder)
    assert entries["descent-1d@mp4-light"]["theme"] == "light"
    status = CliRunner().invoke(cli, ["status", "descent-1d", "-q", "l", "--out", str(out), "--theme", "light"])
    assert status.output.split() == ["05-descent-1d", "up", "to", "date"]
    transparent = [*args, "--theme", "light", "--aspect", "4:3", "--format", "webm", "--transparent"]
    assert CliRunner().invoke(cli, transparent).exit_code == 0
    frame = last_frame(folder / "05-descent-1d-light-4x3-alpha.webm", alpha=True)
    assert frame.shape == (480, 640, 4)  # 4:3 at 480p
    on_white = frame[..., :3] * (frame[..., 3:] / 255) + 255 * (1 - frame[..., 3:] / 255)
    assert frame[5, 5, 3] == 0  # nothing behind the picture
    assert (on_white < 80).all(axis=2).mean() > 0.002  # laid on a white slide, it still reads


@pytest.mark.render
def test_both_themes_pass_the_layout_check_one_after_the_other_in_one_process() -> None:
    # No theme is kept between renders: light, then dark, then light in 4:3, all in this process.
    ids = ["derivative", "gradient"]  # the gradient's live counter once stayed white on the light slide
    for look in (["--theme", "light"], ["--theme", "dark"], ["--theme", "light", "--aspect", "4:3"]):
        result = CliRunner().invoke(cli, ["check", *ids, *look])
        assert result.exit_code == 0, (look, result.output)
        assert result.output.count(" ok  (") == len(ids), (look, result.output)


@pytest.mark.render
def test_clips_without_the_in_frame_caption_keep_their_timing(
    series_low: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))
    result = CliRunner().invoke(cli, ["render", "descent-1d", "-q", "l", "--out", str(out), "--no-captions"])
    assert result.exit_code == 0, result.output
    folder = out / "480p15"
    bare, captioned = manifest.load(folder)["descent-1d@mp4-nocaptions"], series_low[1]["descent-1d"]
    assert bare["frames"] == captioned["frames"]  # subtitles timed for one fit the other
    assert [b["frames"] for b in bare["beats"]] == [b["frames"] for b in captioned["beats"]]
    poster = np.asarray(Image.open(folder / "05-descent-1d-nocaptions" / "01-curve-and-start.png").convert("RGB"))
    with_caption = np.asarray(Image.open(folder / "05-descent-1d" / "01-curve-and-start.png").convert("RGB"))
    strip = slice(440, 470)  # where the caption sits at 480p
    assert np.ptp(poster[strip].astype(int)) < 10 < np.ptp(with_caption[strip].astype(int))
    changed = np.abs(poster[:400].astype(int) - with_caption[:400].astype(int)).max(axis=2) > 48
    assert changed.sum() <= 30  # the rest of the frame is the same, up to the encoder (as the goldens allow)
