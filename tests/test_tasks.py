"""Beats as tasks: a clip drawn as ranges of its beats in parallel, joined by packet copy, frame for frame."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from pipeline.errors import PrimerError
from pipeline.formats import Output
from pipeline.progress import QuietReporter
from pipeline.rendering.engines import Processes
from pipeline.rendering.remux import top_level_boxes
from pipeline.rendering.render import assemble, private_cache
from pipeline.rendering.schedule import ClipState, plan, render_series
from pipeline.rendering.tasks import Piece, PieceResult, pieces_per_clip, split_beats
from tests.conftest import LOW, clip_by_id, request_for

pytestmark = pytest.mark.render  # every test here draws video

Series = tuple[Path, dict[str, dict[str, Any]]]
#: The series fixture renders in two workers, each encoder on cores // 2 threads. x264 encodes the
#: same frames to the same bits only with the same thread count: exact where that count is 1.
SAME_ENCODER = (os.cpu_count() or 1) // 2 == 1


def frame_digests(path: Path) -> list[str]:
    """One digest per decoded frame."""
    with av.open(str(path)) as container:
        return [hashlib.sha256(f.to_ndarray(format="rgb24").tobytes()).hexdigest() for f in container.decode(video=0)]


def assert_same_frames(path: Path, reference: Path) -> None:
    drawn, whole = frame_digests(path), frame_digests(reference)
    assert len(drawn) == len(whole), path.name
    if SAME_ENCODER:
        assert drawn == whole, path.name


def assert_close_frames(path: Path, reference: Path) -> None:
    """The same frames within the goldens' tolerance: no more than 30 pixels off by more than 48 in a channel."""
    with av.open(str(path)) as a, av.open(str(reference)) as b:
        pairs = zip(a.decode(video=0), b.decode(video=0), strict=True)
        for number, (x, y) in enumerate(pairs):
            off = np.abs(x.to_ndarray(format="rgb24").astype(int) - y.to_ndarray(format="rgb24").astype(int))
            assert (off.max(axis=2) > 48).sum() <= 30, f"{path.name} frame {number}"


def test_beats_are_split_to_balance_their_recorded_frames() -> None:
    assert split_beats([1, 1, 1, 1], 2) == [(1, 2), (3, 4)]
    assert split_beats([90, 10, 10, 10], 2) == [(1, 1), (2, 4)]
    assert split_beats([40, 10, 10, 40], 2) == [(1, 2), (3, 4)]
    assert split_beats([10, 10, 10, 90], 3)[-1] == (4, 4)
    assert split_beats([5, 5], 8) == [(1, 1), (2, 2)]  # never more tasks than beats
    assert split_beats([3, 1, 1], 1) == [(1, 3)]


def test_clips_split_only_when_workers_outnumber_them() -> None:
    assert pieces_per_clip(clips=1, workers=2) == 4  # split_beats never makes more than the clip's beats
    assert pieces_per_clip(clips=8, workers=2) == 1
    assert pieces_per_clip(clips=2, workers=2) == 1
    assert pieces_per_clip(clips=2, workers=16) == 16
    assert pieces_per_clip(clips=3, workers=4) == 3


def test_a_clip_as_beat_tasks_has_the_frames_of_the_whole_render(series_low: Series, tmp_path: Path) -> None:
    clip = clip_by_id("descent-1d")
    reference = series_low[0] / "480p15"
    out = tmp_path / "renders"
    # Cold: both tasks of the clip typeset its formulas at once, each in its own cache folder.
    for force in (False, True):  # then warm: the tasks start from what the first run published
        (entry,) = render_series(request_for([clip], out, force=force), reporter=QuietReporter())
        folder = out / "480p15"
        assert_same_frames(folder / entry["video"], reference / entry["video"])
        for beat, recorded in zip(entry["beats"], series_low[1]["descent-1d"]["beats"], strict=True):
            assert beat["frames"] == recorded["frames"]
            assert_same_frames(folder / beat["file"], reference / beat["file"])
        boxes = top_level_boxes(folder / entry["video"])
        assert boxes.index("moov") < boxes.index("mdat")  # joined with its index first
    cache = out / ".cache" / "descent-1d"
    typeset = sorted(p.name for p in (cache / "Tex").iterdir())
    assert typeset and all(name.endswith(".svg") and not name.startswith(".") for name in typeset)
    assert not (out / ".work").exists()


def test_a_task_cache_starts_from_the_shared_one_and_publishes_only_what_it_adds(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "Tex").mkdir(parents=True)
    (shared / "Tex" / "old.svg").write_text("old")
    (shared / "Tex" / "half.dvi").write_text("a compiler's leftover")
    with private_cache(shared, tmp_path / "a") as mine, private_cache(shared, tmp_path / "b") as theirs:
        assert sorted(p.name for p in (mine / "Tex").iterdir()) == ["old.svg"]
        (mine / "Tex" / "old.svg").write_text("")  # manim rewrites a text's SVG in place when it reuses it
        assert (shared / "Tex" / "old.svg").read_text() == "old"  # another task reading it meanwhile is safe
        (mine / "Tex" / "new.svg").write_text("new")
        (mine / "Tex" / "new.tex").write_text("source")
        (theirs / "Tex" / "new.svg").write_text("new")
        assert not (shared / "Tex" / "new.svg").exists()  # nothing half-written is ever visible
    assert sorted(p.name for p in (shared / "Tex").iterdir()) == ["half.dvi", "new.svg", "old.svg"]
    assert (shared / "Tex" / "new.svg").read_text() == "new"


def test_tasks_that_do_not_cover_the_clip_are_refused(tmp_path: Path) -> None:
    clip = clip_by_id("descent-1d")

    def result(first: int, last: int) -> PieceResult:
        piece = Piece(clip, LOW, Output(), first, last)
        return PieceResult(piece, (b"",) * (last - first + 1), None, 1.0, {}, 15, 1.0)

    for parts in ([result(1, 2)], [result(1, 2), result(2, 4)], [result(2, 4)]):
        with pytest.raises(PrimerError, match="do not cover beats 1 to 4"):
            assemble(parts, tmp_path)
    assert not (tmp_path / "480p15").exists() or not any((tmp_path / "480p15").iterdir())


def test_a_clip_landed_from_tasks_replaces_only_on_success(series_low: Series, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".lock"))
    video = out / "480p15" / "05-descent-1d.mp4"
    before = video.read_bytes()
    clip = clip_by_id("descent-1d")
    broken = PieceResult(Piece(clip, LOW, Output(), 1, 4), (b"not a video",) * 4, None, 23.5, {}, 352, 1.0)
    with pytest.raises(PrimerError, match="not a readable video"):
        assemble([broken], out)
    assert video.read_bytes() == before


def _imported() -> tuple[int, list[str]]:
    """In a worker: its process id, and which of manim, jax and the scenes it had imported before this task."""
    return os.getpid(), sorted(name for name in ("manim", "jax", "scenes.lecture_scene") if name in sys.modules)


def test_a_warm_worker_has_manim_and_jax_but_not_the_scenes_and_serves_one_task() -> None:
    engine = Processes(1, warm=True)
    try:
        engine.prestart()
        pool = engine._pool
        assert pool is not None
        first, second = (pool.submit(_imported).result(timeout=180) for _ in range(2))
    finally:
        engine.close()
    assert first[1] == second[1] == ["jax", "manim"]  # imported ahead; the scenes as saved, at the task
    assert first[0] != second[0]  # each task has a fresh process


def test_a_lone_clip_is_planned_as_its_beats_longest_first(tmp_path: Path) -> None:
    clip = clip_by_id("gradient")
    state = ClipState(clip, None, "stale", "changed")  # type: ignore[arg-type]  # plan reads no key
    recorded: Any = {"gradient": {"render_seconds": 40.0, "beats": [{"frames": f} for f in (324, 276, 666, 582)]}}
    pieces = plan([state], request_for([clip], tmp_path), workers=2, recorded=recorded)
    assert [(p.first, p.last) for p in pieces] == [(3, 3), (4, 4), (1, 1), (2, 2)]
    assert {p.encoder_threads for p in pieces} == {max(1, (os.cpu_count() or 1) // 2)}
    remote = plan([state], request_for([clip], tmp_path), workers=2, recorded=recorded, remote=True)
    assert {(p.cache, p.scratch, p.encoder_threads) for p in remote} == {(None, None, 1)}
