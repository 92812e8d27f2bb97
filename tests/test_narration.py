"""Narration: the draft voice and recordings, beats that wait for the voice, loudness, bad recordings."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np
import pyloudnorm
import pytest
from click.testing import CliRunner
from scipy.signal import resample_poly

from cli import cli
from lessons.quality import quality
from lessons.series import DEFAULT_SERIES, load_series
from pipeline.formats import Output
from pipeline.progress import QuietReporter
from pipeline.rendering.keys import clip_key
from pipeline.rendering.schedule import render_series
from pipeline.sound.narration import LEAD, PAUSE, speak
from pipeline.sound.voice import RATE, draft, normalise
from tests.conftest import clip_by_id, request_for

LOW = quality("low")
ESPEAK = shutil.which("espeak-ng")


def ebu_r128(samples: np.ndarray) -> tuple[float, float]:
    """Integrated loudness (pyloudnorm) and true peak (4x oversampled, as BS.1770 says), computed here."""
    level = pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64))
    peak = np.abs(resample_poly(samples.astype(np.float64), 4, 1)).max()
    return float(level), float(20 * np.log10(peak))


def ffmpeg_loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness and true peak of a file's sound, as FFmpeg's ebur128 filter measures them."""
    log = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    summary = log[log.rindex("Summary:") :]
    level = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert level and peak, summary
    return float(level.group(1)), float(peak.group(1))


def ffprobe_streams(path: Path) -> list[dict[str, Any]]:
    """ffprobe's streams of ``path``, each with its ``duration`` in seconds (WebM keeps it as a tag)."""
    entries = "stream=codec_type,codec_name,duration:stream_tags=DURATION"
    found = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", entries, "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    streams: list[dict[str, Any]] = json.loads(found)["streams"]
    for stream in streams:
        if "duration" not in stream and "DURATION" in stream.get("tags", {}):
            hours, minutes, seconds = stream["tags"]["DURATION"].split(":")
            stream["duration"] = str(int(hours) * 3600 + int(minutes) * 60 + float(seconds))
    return streams


def speak_to(path: Path, text: str, words_per_minute: int) -> Path:
    """A lecturer's recording, made with the speech engine at another pace (22050 Hz mono WAV)."""
    assert ESPEAK, "needs espeak-ng: `make setup` installs it"
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([ESPEAK, "-v", "en-gb", "-s", str(words_per_minute), "-w", str(path), text], check=True)
    return path


def one_clip_series(tmp_path: Path, clip_id: str = "descent-1d") -> Path:
    """A series file with one clip of the project's series (narration and all)."""
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    blocks = text.split("\n[[clip]]\n")
    chosen = next(block for block in blocks[1:] if block.startswith(f'id = "{clip_id}"'))
    path = tmp_path / "course" / "series.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[[clip]]\n" + chosen, encoding="utf-8")
    return path


def test_the_draft_voice_is_even_minus_16_lufs_with_true_peaks_under_minus_1() -> None:
    spoken = draft("Gradient descent takes a small step against the gradient, looks again, and steps again.")
    raw_level, _ = ebu_r128(spoken)
    assert -30 < raw_level < -12  # espeak-ng's own level: somewhere else
    level, peak = ebu_r128(normalise(spoken, "draft"))
    assert level == pytest.approx(-16, abs=0.2) and peak < -1
    # A recording with clicks far above its speech goes through the limiter, still at -16 LUFS.
    clicks = spoken.copy()
    clicks[::9000] = 1.0
    assert ebu_r128(clicks)[1] - ebu_r128(clicks)[0] > 18  # its peaks stand out
    level, peak = ebu_r128(normalise(clicks, "clicks"))
    assert level == pytest.approx(-16, abs=0.5) and peak < -1


def write_channels(path: Path, channels: int, seconds: float = 2.0, rate: int = 16000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tone = (0.3 * np.sin(np.arange(int(seconds * rate)) * 0.2) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(np.repeat(tone, channels).tobytes())
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda folder: (folder / "02-one-step.wav").write_bytes(b"RIFF\x00\x00junk" * 20), "not a readable recording"),
        (lambda folder: (folder / "02-one-step.flac").write_bytes(b""), "02-one-step.flac: empty file"),
        (lambda folder: write_channels(folder / "02-one-step.wav", 6), "6 channels; record in mono or stereo"),
        (lambda folder: write_channels(folder / "02-one-step.wav", 1, 0.2), "empty or shorter than 0.4 s"),
        (lambda folder: write_channels(folder / "02-one-step.wav", 1, 3, 4000), "4000 Hz; use 8 to 192 kHz"),
        (lambda folder: write_channels(folder / "02-one-step.m4a", 1, 60.0), "was the recorder left running?"),
        (
            lambda folder: [write_channels(folder / f"02-one-step.{ext}", 1) for ext in ("wav", "mp3")],
            "two recordings of beat 2",
        ),
    ],
)
def test_a_bad_recording_is_one_line_naming_it_and_nothing_is_replaced(tmp_path: Path, make: Any, words: str) -> None:
    series = one_clip_series(tmp_path)
    folder = series.parent / "narration" / "descent-1d"
    folder.mkdir(parents=True)
    out = tmp_path / "renders"
    (out / "480p15").mkdir(parents=True)
    kept = out / "480p15" / "01-descent-1d.mp4"
    kept.write_bytes(b"an earlier render")
    make(folder)
    result = CliRunner().invoke(cli, ["render", "-q", "l", "--series", str(series), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "narration/descent-1d/02-one-step." in lines[0], lines
    assert kept.read_bytes() == b"an earlier render"
    assert sorted(p.name for p in (out / "480p15").iterdir()) == ["01-descent-1d.mp4"]


def test_a_drafted_voice_is_kept_by_what_decides_it_and_read_back(tmp_path: Path) -> None:
    clip = clip_by_id("gradient")
    cache = tmp_path / "voices"
    first = speak(clip, {2}, cache)[1]
    kept = sorted(cache.iterdir())
    assert len(kept) == 1 and first is not None
    again = speak(clip, {2}, cache)[1]
    assert again is not None and np.array_equal(again.samples, first.samples)
    uncached = speak(clip, {2})[1]
    assert uncached is not None and np.array_equal(uncached.samples, first.samples)
    kept[0].write_bytes(b"cut off")  # a damaged file is drafted again and replaced
    redrafted = speak(clip, {2}, cache)[1]
    assert redrafted is not None and np.array_equal(redrafted.samples, first.samples)
    other = replace(clip, beats=(clip.beats[0], replace(clip.beats[1], narration="Another sentence."), *clip.beats[2:]))
    speak(other, {2}, cache)
    assert len(list(cache.iterdir())) == 2  # another text, another entry


def test_narration_status_says_recorded_draft_or_none_and_which_recordings_are_stale(tmp_path: Path) -> None:
    series = one_clip_series(tmp_path)
    text = series.read_text(encoding="utf-8")
    clip = load_series(series).clips[0]
    quiet = text.replace(f'narration = "{clip.beats[3].narration}"\n', "")
    series.write_text(quiet, encoding="utf-8")
    speak_to(series.parent / "narration" / "descent-1d" / "02-one-step.wav", clip.beats[1].narration, 120)

    def status() -> list[str]:
        result = CliRunner().invoke(cli, ["narration", "status", "--series", str(series)])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    lines = status()
    assert re.fullmatch(r"01-descent-1d 01-curve-and-start +draft", lines[0])
    assert re.fullmatch(r"01-descent-1d 02-one-step +recorded +narration/descent-1d/02-one-step.wav", lines[1])
    assert re.fullmatch(r"01-descent-1d 04-flat-point +none", lines[3])
    assert lines[-1] == "4 beats: 1 recorded (0 stale), 2 draft voice, 1 silent"
    series.write_text(quiet.replace(clip.beats[1].narration, "One step moves the point downhill."), encoding="utf-8")
    assert lines[1] + "  stale: its text changed after it was recorded" == status()[1]
    assert status()[-1] == "4 beats: 1 recorded (1 stale), 2 draft voice, 1 silent"


def test_a_clip_key_covers_its_narration_its_recordings_and_silence(tmp_path: Path) -> None:
    series = one_clip_series(tmp_path)
    clip = load_series(series).clips[0]
    voiced, silent = Output(), Output(audio=False)
    base = clip_key(clip, LOW, voiced.options(), sound=voiced.sound).key
    assert clip_key(clip, LOW, silent.options(), sound=silent.sound).key != base
    assert silent.video_name(clip.stem) == "01-descent-1d-silent.mp4"
    assert Output("gif", audio=False).video_name(clip.stem) == "01-descent-1d.gif"  # gif is silent anyway
    edited = series.read_text(encoding="utf-8").replace(clip.beats[2].narration, "Steps shrink.")
    series.write_text(edited, encoding="utf-8")
    changed = load_series(series).clips[0]
    assert clip_key(changed, LOW, voiced.options(), sound=True).key != base
    recording = speak_to(series.parent / "narration" / "descent-1d" / "03-steps-shrink.wav", "Steps shrink.", 120)
    recorded = clip_key(changed, LOW, voiced.options(), sound=True).key
    assert recorded != clip_key(clip, LOW, voiced.options(), sound=True).key
    speak_to(recording, "Steps shrink.", 140)  # recorded again
    assert clip_key(changed, LOW, voiced.options(), sound=True).key != recorded


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def sound_of(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        blocks = [b.to_ndarray().reshape(-1) for f in container.decode(audio=0) for b in resampler.resample(f)]
    return np.concatenate(blocks)


@pytest.mark.render
def test_a_recording_replaces_the_draft_voice_and_its_beat_waits_for_it(tmp_path: Path) -> None:
    series = one_clip_series(tmp_path)
    clip = load_series(series).clips[0]
    recording = speak_to(series.parent / "narration" / "descent-1d" / "02-one-step.wav", clip.beats[1].narration, 90)
    with wave.open(str(recording)) as reader:
        recorded_seconds = reader.getnframes() / reader.getframerate()
    assert recorded_seconds > 1.4 * draft(clip.beats[1].narration).size / RATE  # slower than the draft voice
    out = tmp_path / "renders"
    voiced = render_series(request_for([clip], out), reporter=QuietReporter())[0]
    silent = render_series(request_for([clip], out, output=Output(audio=False)), reporter=QuietReporter())[0]
    folder = out / "480p15"

    assert [b["voice"] for b in voiced["beats"]] == ["draft", "recorded", "draft", "draft"]
    speeches = speak(clip)
    for beat, speech in zip(voiced["beats"], speeches, strict=True):
        assert speech is not None
        assert beat["end"] - beat["start"] >= LEAD + speech.seconds + PAUSE - 1e-9  # never cuts the voice
    one_step = voiced["beats"][1]
    assert one_step["end"] - one_step["start"] >= LEAD + recorded_seconds + PAUSE - 0.05
    # The beat is stretched by holding its last frame: the animation keeps its pace. Two encodes of the same
    # picture differ by codec noise (above 38 dB PSNR here), and each frame of the held beat is nearer the
    # quick beat's frame at its place than the frames either side of it, where those differ (< 40 dB).
    held, quick = frames_of(folder / one_step["file"]), frames_of(folder / silent["beats"][1]["file"])
    assert len(held) > len(quick) + 15 * 1.5
    moving = 0
    for index, frame in enumerate(held):
        place = min(index, len(quick) - 1)
        own = psnr(frame, quick[place])
        assert own > 38, index
        for other in (place - 1, place + 1):
            if 0 <= other < len(quick) and psnr(quick[other], quick[place]) < 40:
                moving += 1
                assert own > psnr(frame, quick[other]), (index, other)
    assert moving > 10  # the comparison saw the animation move

    # The voice in the beat is the recording's, starting LEAD in: it lines up with the recording.
    heard = sound_of(folder / one_step["file"])
    start = round(LEAD * RATE)
    expected = speeches[1].samples if speeches[1] is not None else np.zeros(1)
    got = heard[start : start + expected.size]
    assert np.corrcoef(got, expected)[0, 1] > 0.9
    assert np.abs(heard[: start - 2048]).max() < 1e-3  # silence before it

    video = folder / voiced["video"]
    streams = {s["codec_type"]: s for s in ffprobe_streams(video)}
    assert streams["audio"]["codec_name"] == "aac"
    assert abs(float(streams["audio"]["duration"]) - float(streams["video"]["duration"])) <= 1 / LOW.fps
    level, peak = ffmpeg_loudness(video)
    assert level == pytest.approx(-16, abs=1) and peak < -1
    silent_video = folder / silent["video"]
    assert silent_video.name == "01-descent-1d-silent.mp4"
    assert [s["codec_type"] for s in ffprobe_streams(silent_video)] == ["video"]


def test_the_series_file_names_the_draft_voice_language(tmp_path: Path) -> None:
    series = one_clip_series(tmp_path)
    english = load_series(series).clips[0]
    series.write_text('voice = "de"\n' + series.read_text(encoding="utf-8"), encoding="utf-8")
    german = load_series(series).clips[0]
    assert (english.voice, german.voice) == ("en-us", "de") and german.entry != english.entry
    assert draft("Die Ableitung ist die Steigung der Tangente.", "de").size > RATE  # espeak-ng speaks German
    series.write_text(series.read_text(encoding="utf-8").replace('voice = "de"', 'voice = "Klingon!"'), "utf-8")
    result = CliRunner().invoke(cli, ["narration", "status", "--series", str(series)])
    assert result.exit_code == 2 and "field 'voice': expected an espeak-ng voice" in result.stderr
