"""Speech as samples: the draft voice, lecturers' recordings, and loudness made even.

Every voice becomes mono float32 at 48 kHz (the rate Opus needs and AAC prefers), normalised to
-16 LUFS integrated (EBU R128, measured by pyloudnorm) with true peaks below -1 dBTP (measured at
4x oversampling, as ITU-R BS.1770 does). The draft voice is espeak-ng, run offline; recordings
are decoded and resampled by FFmpeg through PyAV. Nothing here imports manim or jax.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import wave
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lessons.series import SeriesError
from pipeline.errors import PrimerError

RATE = 48_000
TARGET_LUFS = -16.0
#: Where peaks are held before encoding, under the -1 dBTP ceiling: AAC at 96 kb/s lifts a voice's peaks by up to
#: 1.5 dB, and the lecture's sound is a second generation (measured: -2.9 dBTP in a clip, -1.2 in the lecture at -3).
PEAK_AIM_DBTP = -4.0
#: The draft voice's settings: espeak-ng's American English at 160 words a minute.
DRAFT_VOICE = "en-us"
DRAFT_WORDS_PER_MINUTE = 160
#: Recordings' formats, by extension.
RECORDING_EXTENSIONS = (".wav", ".flac", ".mp3", ".m4a")
MARGIN_DB = 3.0  # the limiter's ceiling under the aim: deep enough that the make-up gain rarely needs a second pass
MIN_SECONDS = 0.4  # one loudness block: anything shorter cannot be measured

Samples = npt.NDArray[np.float32]


class VoiceError(PrimerError):
    """The draft voice cannot speak: the message says why."""


class RecordingError(SeriesError):
    """A recording that cannot be used (bad input, like a bad series file): the message names the file."""


@functools.cache
def engine_version() -> str:
    """``eSpeak NG 1.51``; part of every drafted clip's key."""
    found = shutil.which("espeak-ng")
    if found is None:
        raise VoiceError("the draft voice needs espeak-ng: run `make setup` (or apt-get install espeak-ng)")
    line = subprocess.run([found, "--version"], capture_output=True, text=True, check=False).stdout
    return " ".join(line.split()[:4]) or "espeak-ng"


def draft(text: str, voice: str = DRAFT_VOICE, words_per_minute: int = DRAFT_WORDS_PER_MINUTE) -> Samples:
    """``text`` spoken by espeak-ng, at 48 kHz and not yet normalised."""
    if voice not in voices():
        raise VoiceError(f"espeak-ng has no voice {voice!r}; `espeak-ng --voices` lists them (e.g. en-us, de, fr-fr)")
    spoken = subprocess.run(
        ["espeak-ng", "--stdout", "-v", voice, "-s", str(words_per_minute), "--", text],
        capture_output=True,
        check=False,
    )
    if spoken.returncode != 0 or not spoken.stdout:
        detail = spoken.stderr.decode(errors="replace").strip().splitlines()
        raise VoiceError(f"espeak-ng could not speak {text[:40]!r}: {detail[-1] if detail else 'no output'}")
    # espeak-ng writes the WAV header before it knows the length: read whatever frames follow it.
    with wave.open(io.BytesIO(spoken.stdout)) as reader:
        rate, pcm = reader.getframerate(), reader.readframes(reader.getnframes())
    return resample(np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0, rate)


@functools.cache
def voices() -> frozenset[str]:
    """The languages espeak-ng can speak here (``en-us``, ``de``...)."""
    engine_version()  # a clear error if it is missing
    listed = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=False).stdout
    return frozenset(line.split()[1] for line in listed.splitlines()[1:] if len(line.split()) > 1)


def resample(samples: Samples, rate: int) -> Samples:
    """Mono samples at ``rate`` brought to ``RATE`` (polyphase, from SciPy)."""
    if rate == RATE:
        return samples.astype(np.float32)
    from scipy.signal import resample_poly

    step = Fraction(RATE, rate)
    resampled: Samples = resample_poly(samples, step.numerator, step.denominator).astype(np.float32)
    return resampled


def read_recording(path: Path) -> Samples:
    """A lecturer's recording as mono float32 at 48 kHz; ``RecordingError`` naming the file if it cannot be used."""
    import av

    if path.stat().st_size == 0:
        raise RecordingError(f"{path}: empty file")
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise RecordingError(f"{path}: has no sound in it")
            stream = container.streams.audio[0]
            channels = stream.codec_context.channels
            if channels not in (1, 2):
                raise RecordingError(f"{path}: {channels} channels; record in mono or stereo")
            rate = stream.codec_context.sample_rate
            if not 8_000 <= rate <= 192_000:
                raise RecordingError(f"{path}: a sample rate of {rate} Hz; use 8 to 192 kHz")
            samples = decode(container, stream)
    except RecordingError:
        raise
    except (av.FFmpegError, OSError, ValueError) as error:
        raise RecordingError(f"{path}: not a readable recording ({error})") from None
    if samples.size < MIN_SECONDS * RATE:
        raise RecordingError(f"{path}: empty or shorter than {MIN_SECONDS} s")
    if not np.isfinite(samples).all() or float(np.abs(samples).max()) < 1e-4:
        raise RecordingError(f"{path}: silent")
    return samples


def decode(container: Any, stream: Any) -> Samples:
    """An audio stream of an open PyAV container, decoded to mono float32 at ``RATE``."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    frames = [*container.decode(stream), None]  # None flushes the resampler
    blocks = [block.to_ndarray().reshape(-1) for frame in frames for block in resampler.resample(frame)]
    return np.concatenate(blocks).astype(np.float32) if blocks else np.zeros(0, np.float32)


def sound_of(path: Path) -> Samples | None:
    """The sound of a rendered clip at ``RATE``, or None if it has none."""
    import av

    with av.open(str(path)) as container:
        return decode(container, container.streams.audio[0]) if container.streams.audio else None


def loudness(samples: Samples) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4, gated), by pyloudnorm."""
    import pyloudnorm

    if samples.size < MIN_SECONDS * RATE:
        padded = np.zeros(int(MIN_SECONDS * RATE), np.float32)
        padded[: samples.size] = samples
        samples = padded
    return float(pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64)))


def true_peak(samples: Samples) -> float:
    """The true peak in dBTP: the largest magnitude after 4x oversampling."""
    from scipy.signal import resample_poly

    peak = float(np.abs(resample_poly(samples.astype(np.float64), 4, 1)).max()) if samples.size else 0.0
    return 20 * float(np.log10(max(peak, 1e-12)))


def normalise(samples: Samples, name: str) -> Samples:
    """``samples`` at -16 LUFS integrated with true peaks below -1 dBTP.

    A gain brings the loudness to the target; where that lifts peaks over the aim, FFmpeg's
    look-ahead limiter holds them down and the loudness lost is made up, a few times over.
    """
    level = loudness(samples)
    if not np.isfinite(level):
        raise RecordingError(f"{name}: silent")
    out = samples * np.float32(10 ** ((TARGET_LUFS - level) / 20))
    for _ in range(8):
        if true_peak(out) <= PEAK_AIM_DBTP:
            break
        out = limit(out, PEAK_AIM_DBTP - MARGIN_DB)
        out = out * np.float32(10 ** ((TARGET_LUFS - loudness(out)) / 20))
    over = true_peak(out) - PEAK_AIM_DBTP
    if over > 0:  # what the limiter left: a little quieter rather than over the ceiling
        out = out * np.float32(10 ** (-over / 20))
    return faded(out.astype(np.float32))


def faded(samples: Samples, seconds: float = 0.01) -> Samples:
    """``samples`` with 10 ms fades at both ends: no click where the voice starts or stops."""
    ramp = min(samples.size // 2, round(seconds * RATE))
    out = samples.copy()
    if ramp:
        shape = (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, ramp))).astype(np.float32)
        out[:ramp] *= shape
        out[-ramp:] *= shape[::-1]
    return out


def limit(samples: Samples, ceiling_db: float) -> Samples:
    """``samples`` through FFmpeg's ``alimiter`` with its ceiling at ``ceiling_db`` dBFS (no delay added)."""
    import av

    graph = av.filter.Graph()
    source = graph.add_abuffer(format="flt", sample_rate=RATE, layout="mono", time_base=Fraction(1, RATE))
    limiter = graph.add("alimiter", f"limit={10 ** (ceiling_db / 20):.6f}:attack=5:release=50:level=false:latency=true")
    sink = graph.add("abuffersink")
    source.link_to(limiter)
    limiter.link_to(sink)
    graph.configure()
    blocks: list[npt.NDArray[np.float32]] = []

    def drain() -> None:
        while True:
            try:
                blocks.append(graph.pull().to_ndarray().reshape(-1).astype(np.float32))
            except (av.BlockingIOError, av.EOFError):
                return

    for start in range(0, samples.size, 4096):
        chunk = np.ascontiguousarray(samples[start : start + 4096].reshape(1, -1))
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
        graph.push(frame)
        drain()
    graph.push(None)
    drain()
    out = np.concatenate(blocks).astype(np.float32) if blocks else samples
    fitted = np.zeros(samples.size, np.float32)
    fitted[: min(out.size, samples.size)] = out[: samples.size]
    return fitted
