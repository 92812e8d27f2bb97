"""Regeneration after edits: keys, skips, the manifest, the lock, and interrupted renders."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from cli import cli
from lessons.quality import quality
from lessons.series import load_series
from pipeline.commands.watch import refresh, watch
from pipeline.formats import Output
from pipeline.progress import PlainReporter
from pipeline.rendering import manifest
from pipeline.rendering.keys import ROOT, clip_key, dependencies
from pipeline.rendering.lock import output_lock
from pipeline.rendering.render import remove_moved
from pipeline.rendering.schedule import MISSING, STALE, UP_TO_DATE, clip_states, longest_first
from pipeline.values import clip_values
from tests.conftest import IDS, SERIES, SERIES_FOLDER, clip_by_id, request_for

LOW = quality("low")
Series = tuple[Path, dict[str, dict[str, Any]]]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the files clips are made from, to edit freely."""
    root = tmp_path / "src"
    for name in ("lessons", "scenes", "mathcore", "pipeline"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("manim.cfg", "series.toml"):
        shutil.copy(ROOT / name, root / name)
    return root


@pytest.fixture
def copied(series_low: Series, tmp_path: Path) -> Path:
    """A copy of the rendered series, for tests that damage or replace outputs."""
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".cache", ".lock"))
    return out


def keys(root: Path, preset: str = "low") -> dict[str, str]:
    return {clip.id: clip_key(clip, quality(preset), {}, root).key for clip in SERIES}


def edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# edited\n")


def changed_keys(root: Path, path: str) -> set[str]:
    before = keys(root)
    edit(root / path)
    after = keys(root)
    return {clip_id for clip_id in IDS if before[clip_id] != after[clip_id]}


@pytest.mark.parametrize(
    ("path", "affected"),
    [
        ("scenes/tangent.py", {"derivative"}),
        ("scenes/descent.py", {"gradient"}),
        ("scenes/gears.py", {"chain-rule"}),  # found through scenes/chain.py's imports only
        ("scenes/tangent_text.py", {"derivative"}),  # a template's text module
        ("mathcore/chain.py", {"chain-rule"}),  # a template's math
        ("mathcore/descent1d.py", {"descent-1d"}),
        ("scenes/descent1d_text.py", {"descent-1d"}),
        ("mathcore/curvature.py", {"bowl-or-saddle"}),
        ("mathcore/regression.py", {"regression"}),
        ("scenes/network_text.py", {"small-net"}),
        ("mathcore/network.py", {"small-net"}),
        ("mathcore/contours.py", {"partial-derivative", "gradient", "regression"}),
        ("scenes/lecture_scene.py", set(IDS)),  # shared by every scene
        ("mathcore/types.py", set(IDS)),
        ("mathcore/symbolic.py", set(IDS)),
        ("series.toml", set()),  # a clip's key holds its own entry, not the file (see below)
        ("manim.cfg", set(IDS)),
        ("pipeline/rendering/render.py", set(IDS)),  # writes every clip's files
        ("pipeline/rendering/probe.py", set(IDS)),  # imported by render.py
        ("pipeline/values.py", set(IDS)),  # the values a manifest entry records
        ("pipeline/outputs/deck.py", set()),  # reads renders, never shapes them
        ("pipeline/rendering/schedule.py", set()),
    ],
)
def test_an_edit_changes_exactly_the_keys_that_depend_on_it(sources: Path, path: str, affected: set[str]) -> None:
    assert changed_keys(sources, path) == affected


def test_keys_depend_on_preset_and_options_but_not_on_mtime(sources: Path) -> None:
    assert keys(sources, "low") != keys(sources, "medium")
    clip = clip_by_id("derivative")
    assert clip_key(clip, LOW, {"format": "mp4"}, sources).key != clip_key(clip, LOW, {"format": "webm"}, sources).key
    before = keys(sources)
    os.utime(sources / "scenes" / "tangent.py", (1, 1))
    assert keys(sources) == before


def test_dependencies_are_found_transitively(sources: Path) -> None:
    names = {str(p.relative_to(sources)) for p in dependencies(clip_by_id("chain-rule"), sources)}
    assert {
        "scenes/chain.py",
        "scenes/gears.py",
        "scenes/lecture_scene.py",
        "lessons/series.py",
        "manim.cfg",
    } <= names
    assert {"scenes/chain_text.py", "mathcore/chain.py", "mathcore/symbolic.py", "mathcore/expressions.py"} <= names
    assert not {"scenes/tangent.py", "mathcore/descent.py", "mathcore/article.py"} & names


def test_editing_one_entry_rerenders_that_clip_only_and_status_names_the_entry(
    series_low: Series, tmp_path: Path
) -> None:
    out, _ = series_low
    edited = tmp_path / "series.toml"
    text = (ROOT / "series.toml").read_text()
    edited.write_text(
        text.replace("rate = 0.1\n", "rate = 0.2\n", 1) + "\n# a comment changes no clip\n"
    )  # gradient only
    series = load_series(edited)
    before = {clip.id: clip.entry for clip in SERIES}
    assert {clip.id for clip in series.clips if clip.entry != before[clip.id]} == {"gradient"}
    states = {s.clip.id: s for s in clip_states(series.clips, LOW, out)}
    assert (states["gradient"].state, states["gradient"].reason) == (STALE, "changed: its entry in series.toml")
    assert {states[i].state for i in IDS if i != "gradient"} == {UP_TO_DATE}
    status = CliRunner().invoke(cli, ["status", "-q", "l", "--out", str(out), "--series", str(edited)])
    assert "04-gradient              stale (changed: its entry in series.toml)" in status.output


def test_status_names_the_file_that_made_a_clip_stale(series_low: Series, sources: Path) -> None:
    out, _ = series_low
    assert {s.state for s in clip_states(SERIES, LOW, out, None, sources)} == {UP_TO_DATE}
    edit(sources / "scenes" / "descent.py")
    states = {s.clip.id: s for s in clip_states(SERIES, LOW, out, None, sources)}
    assert states["gradient"].state == STALE
    assert states["gradient"].reason == "changed: scenes/descent.py"
    assert {states[i].state for i in IDS if i != "gradient"} == {UP_TO_DATE}
    assert clip_states([clip_by_id("derivative")], quality("medium"), out)[0].state == MISSING


def test_a_scene_saved_mid_edit_is_stale_because_of_that_file(series_low: Series, sources: Path) -> None:
    out, _ = series_low
    scene = sources / "scenes" / "descent.py"
    scene.write_text(scene.read_text() + "\n)\n")
    states = {s.clip.id: s for s in clip_states(SERIES, LOW, out, None, sources)}
    assert (states["gradient"].state, states["gradient"].reason) == (STALE, "changed: scenes/descent.py")
    assert {states[i].state for i in IDS if i != "gradient"} == {UP_TO_DATE}


def test_parallel_workers_share_the_cores_between_their_encoders(series_low: Series) -> None:
    out, _ = series_low  # rendered by two workers
    settings = re.search(rb"x264 - core .*? threads=(\d+)", (out / "480p15" / "01-derivative.mp4").read_bytes())
    assert settings is not None  # x264 writes its settings into the stream
    assert int(settings.group(1)) == max(1, (os.cpu_count() or 1) // 2)


def test_the_longest_recorded_render_goes_first_and_new_clips_before_those(sources: Path) -> None:
    states = clip_states(SERIES, LOW, sources / "nowhere", None, sources)
    seconds = {"derivative": 9.0, "partial-derivative": 14.0, "gradient": 10.0}
    order = [s.clip.id for s in longest_first(states, seconds)]
    never = ["chain-rule", "descent-1d", "bowl-or-saddle", "regression", "small-net"]
    assert order == [*never, "partial-derivative", "gradient", "derivative"]
    assert tuple(s.clip.id for s in longest_first(states, {})) == IDS


@SERIES_FOLDER
def test_a_second_render_skips_everything_quickly_and_says_so(series_low: Series) -> None:
    out, _ = series_low
    before = (out / "480p15" / "manifest.json").read_bytes()
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["render", "-q", "l", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 5
    lines = result.output.splitlines()  # not a terminal: plain lines, no live display
    for clip in SERIES:
        assert f"{clip.stem}: up to date, skipped" in lines
    assert (out / "480p15" / "manifest.json").read_bytes() == before


def test_plain_progress_says_what_was_skipped_rendered_and_whether_the_run_finished(
    capsys: pytest.CaptureFixture[str],
) -> None:
    finished = PlainReporter()
    finished.start(2, ["01-derivative"])
    finished.done("02-partial-derivative", 12.34, 20.9, 314, (1, 3))
    finished.finish()
    stopped = PlainReporter()
    stopped.start(2, [])
    stopped.done("01-derivative", 9.0, 50.8, 763, (5, 0))
    stopped.finish()  # a failed or interrupted run ends here too
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["01-derivative: up to date, skipped", "rendering 1 of 2 clips"]
    assert re.fullmatch(
        r"02-partial-derivative: rendered 20\.9 s of video in 12\.3 s, 1 beat drawn, 3 reused \(2/2 done, .* elapsed\)",
        lines[2],
    )
    assert re.fullmatch(r"done in \d+\.\d s", lines[3])
    assert lines[4] == "rendering 2 of 2 clips"
    assert re.fullmatch(r"stopped after \d+\.\d s, 1 of 2 clips done", lines[6])


def test_status_command(series_low: Series) -> None:
    out, _ = series_low
    result = CliRunner().invoke(cli, ["status", "-q", "l", "--out", str(out)])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [clip.stem for clip in SERIES]
    assert all(line.endswith("up to date") for line in result.output.splitlines())
    every = CliRunner().invoke(cli, ["status", "--out", str(out)])  # no -q: each preset folder there is
    assert every.output.splitlines() == ["480p15 (low):", *(f"  {line}" for line in result.output.splitlines())]


def test_status_without_renders_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output == f"nothing rendered in {tmp_path}/ yet; `primer render -q low` renders the series at 480p\n"


def test_manifest_records_files_beats_and_values(series_low: Series) -> None:
    out, entries = series_low
    entry = entries["derivative"]
    assert entry["video"] == "01-derivative.mp4"
    beat_files = {b[kind] for b in entry["beats"] for kind in ("file", "poster", "caption_file")}
    assert set(entry["files"]) == {"01-derivative.mp4", *beat_files}
    slope = [item for item in entry["values"]["tangent-at-minus-2"] if item["name"] == "f'(-2)"]
    assert [item["value"] for item in slope] == [-4.0]
    for clip in SERIES:  # as the scene showed them, and as `primer values` computes them alone: the same
        assert json.loads(json.dumps(entries[clip.id]["values"])) == json.loads(json.dumps(clip_values(clip)))
    assert [b["slug"] for b in entry["beats"]] == [b.slug for b in clip_by_id("derivative").beats]
    assert manifest.load(out / "480p15") == entries


def test_a_damaged_manifest_or_a_deleted_output_means_rendering_again(copied: Path) -> None:
    folder = copied / "480p15"
    (folder / "04-gradient" / "02-gradient-points-uphill.mp4").unlink()
    states = {s.clip.id: s for s in clip_states(SERIES, LOW, copied)}
    assert states["gradient"].state == MISSING
    assert "04-gradient/02-gradient-points-uphill.mp4" in states["gradient"].reason
    data = json.loads((folder / "manifest.json").read_text())
    del data["clips"][IDS[0]]["beats"][1]["poster"]  # an entry missing a field: its clip alone renders again
    (folder / "manifest.json").write_text(json.dumps(data))
    states = {s.clip.id: s for s in clip_states(SERIES, LOW, copied)}
    assert states[IDS[0]].reason == "never rendered here" and states[IDS[1]].state == UP_TO_DATE
    (folder / "manifest.json").write_text('{"version": 1, "clips": ')  # cut off mid-write
    assert {s.state for s in clip_states(SERIES, LOW, copied)} == {MISSING}
    status = CliRunner().invoke(cli, ["status", "-q", "l", "--out", str(copied)])
    assert status.exit_code == 0 and "never rendered here" in status.output

    result = CliRunner().invoke(cli, ["render", "gradient", "-q", "l", "--out", str(copied), "--jobs", "1"])

    assert result.exit_code == 0, result.output
    assert "04-gradient: rendered" in result.output
    assert clip_states([clip_by_id("gradient")], LOW, copied)[0].state == UP_TO_DATE
    assert (folder / "04-gradient" / "02-gradient-points-uphill.mp4").is_file()


def test_a_second_run_on_the_same_folder_cannot_start(copied: Path) -> None:
    with output_lock(copied):
        result = CliRunner().invoke(cli, ["render", "-q", "l", "--out", str(copied)])
    assert result.exit_code == 1
    assert "another primer render is writing to" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    after = CliRunner().invoke(cli, ["render", "-q", "l", "--out", str(copied)])
    assert after.exit_code == 0  # the lock is gone with its holder


PARENT, SESSION = 1, 3  # fields of /proc/<pid>/stat after the command name


def _processes(field: int, value: int) -> list[int]:
    """Processes whose /proc stat ``field`` is ``value``: the children of a pid, or the members of a session."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[field]) == value:
                found.append(int(entry.name))
    return found


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killing_a_worker_mid_render_keeps_every_output_and_a_later_run_completes(copied: Path) -> None:
    folder = copied / "480p15"
    before = _snapshot(folder)
    command = [sys.executable, "-m", "cli", "render", "derivative", "gradient", "--force", "-q", "l"]
    run = subprocess.Popen(
        [*command, "--jobs", "2", "--out", str(copied)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list((copied / ".work").glob("*/media/videos/*/partial_movie_files/*/*.mp4")):
            assert time.monotonic() < deadline and run.poll() is None, "the render never started drawing"
            time.sleep(0.2)
        second = CliRunner().invoke(cli, ["render", "-q", "l", "--out", str(copied)])
        assert second.exit_code == 1 and "another primer render" in second.stderr
        workers = [
            pid for pid in _processes(PARENT, run.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 1
    assert stderr.strip().splitlines() == [
        "primer: error: a render worker died before finishing; finished clips are kept, run again"
    ]
    assert _snapshot(folder) == before
    assert json.loads((folder / "manifest.json").read_text())["clips"].keys() == set(IDS)

    again = CliRunner().invoke(cli, ["render", "gradient", "--force", "-q", "l", "--out", str(copied)])

    assert again.exit_code == 0, again.output
    assert not (copied / ".work").exists()
    assert {s.state for s in clip_states(SERIES, LOW, copied)} == {UP_TO_DATE}


def primer_as_at_a_terminal(*args: str) -> list[str]:
    """A ``python -m cli`` command that meets Ctrl-C as at a terminal, even if this process ignores it."""
    code = "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    code += f"sys.argv = ['cli', *{list(args)!r}]; runpy.run_module('cli', run_name='__main__', alter_sys=True)"
    return [sys.executable, "-c", code]


def stop(run: subprocess.Popen[str], how: str) -> None:
    """Ctrl-C at a terminal (SIGINT to every process of the group), or a ``kill`` (to the command only)."""
    if how == "ctrl-c":
        os.killpg(run.pid, signal.SIGINT)
    else:
        os.kill(run.pid, signal.SIGKILL if how == "sigkill" else signal.SIGTERM)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "sigkill"])
def test_stopping_mid_render_stops_every_process_and_keeps_every_output(copied: Path, how: str) -> None:
    folder = copied / "480p15"
    before = _snapshot(folder)
    run = subprocess.Popen(
        primer_as_at_a_terminal(
            "render", "derivative", "gradient", "--force", "-q", "l", "-j", "2", "--out", str(copied)
        ),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 60
        while not list((copied / ".work").glob("*/media/videos/*/partial_movie_files/*/*.mp4")):
            assert time.monotonic() < deadline and run.poll() is None, "the render never started drawing"
            time.sleep(0.2)
        stop(run, how)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert _snapshot(folder) == before
    if how == "sigkill":  # nothing can run in the command: its workers notice it is gone and end
        assert run.returncode == -signal.SIGKILL
    else:
        assert run.returncode == 130
        assert stderr.strip().splitlines() == ["primer: error: interrupted; finished files are intact"]
        assert not (copied / ".work").exists()
    deadline = time.monotonic() + 10
    while _processes(SESSION, run.pid):  # workers, LaTeX: nothing is left running
        assert time.monotonic() < deadline, _processes(SESSION, run.pid)
        time.sleep(0.2)


@pytest.mark.render
@pytest.mark.parametrize("how", ["the command, mid-redraw", "its process group, after a redraw"])
def test_sigterm_stops_watch_and_its_warm_workers(tmp_path: Path, how: str) -> None:
    # As an editor or a service manager stops it: a kill of the command alone, or of its whole group.
    series = tmp_path / "series.toml"
    shutil.copy(ROOT / "series.toml", series)
    out = tmp_path / "renders"
    command = [sys.executable, "-m", "cli", "watch", "derivative", "--beat", "2", "--series", str(series)]
    run = subprocess.Popen(
        [*command, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert run.stdout is not None
        said = [run.stdout.readline(), run.stdout.readline()]
        assert said[1].startswith("previewed 01-derivative-beat-02"), said
        text = series.read_text(encoding="utf-8")
        series.write_text(text.replace("slope of the tangent line", "slope of this tangent line"), encoding="utf-8")
        if how.startswith("the command"):
            previews = _snapshot(out / "480p15" / "previews")
            deadline = time.monotonic() + 30
            while len(_processes(PARENT, run.pid)) < 2:  # the redraw's worker (and a spare) are busy
                assert time.monotonic() < deadline and run.poll() is None, "the redraw never started"
                time.sleep(0.2)
            time.sleep(2)
        else:
            assert run.stdout.readline().startswith("previewed 01-derivative-beat-02")  # redrawn; a new spare starts
            previews = _snapshot(out / "480p15" / "previews")
        workers = _processes(PARENT, run.pid)
        stopped = time.monotonic()
        os.kill(run.pid, signal.SIGTERM) if how.startswith("the command") else os.killpg(run.pid, signal.SIGTERM)
        rest, _ = run.communicate(timeout=30)
        assert time.monotonic() - stopped < 15
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 0 and rest.strip().splitlines()[-1] == "stopped watching", rest
    deadline = time.monotonic() + 10
    while alive := [pid for pid in workers if Path(f"/proc/{pid}").exists()]:  # its workers go with it
        assert time.monotonic() < deadline, alive
        time.sleep(0.2)
    assert _snapshot(out / "480p15" / "previews") == previews  # the last finished preview is intact


@SERIES_FOLDER
def test_watch_renders_once_started_and_after_each_batch_of_changes(series_low: Series) -> None:
    out, _ = series_low
    said: list[str] = []
    changes = [set(), set(), {("modified", "scenes/tangent.py")}]
    watch(ROOT / "series.toml", (), out, echo=said.append, changes=changes)
    assert said[0] == "watching lessons, scenes, mathcore, manim.cfg, series.toml for every clip; Ctrl-C stops"
    assert said[1:] == ["nothing to re-render", "nothing to re-render"]  # once started, then after the batch
    assert refresh(request_for(SERIES, out, jobs=1), said.append) == []


# The last beat waits {seconds} s more: longer than its narration, so the beat grows by each second added.
LONGER = """

_backpropagation_{n} = GearsAndGraph.backpropagation


def _longer_{n}(self: GearsAndGraph) -> None:
    _backpropagation_{n}(self)
    self.wait({seconds})


GearsAndGraph.backpropagation = _longer_{n}  # type: ignore[method-assign]
"""


def _read_lines(stream: IO[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _until(lines: queue.Queue[str], prefix: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if line.startswith(prefix):
            return line


@pytest.mark.render
def test_watch_rerenders_each_saved_edit_of_a_scene_until_ctrl_c(series_low: Series, tmp_path: Path) -> None:
    project = tmp_path / "primer"
    for name in ("lessons", "scenes", "mathcore", "pipeline"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("cli.py", "manim.cfg", "series.toml"):
        shutil.copy(ROOT / name, project / name)
    out = tmp_path / "renders"
    shutil.copytree(series_low[0], out, ignore=shutil.ignore_patterns(".cache", ".lock"))
    duration = series_low[1]["chain-rule"]["duration"]
    scene = project / "scenes" / "chain.py"
    run = subprocess.Popen(
        primer_as_at_a_terminal("watch", "chain-rule", "--out", str(out)),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = _read_lines(run.stdout)  # type: ignore[arg-type]
        assert _until(lines, "watching").endswith("Ctrl-C stops")
        _until(lines, "nothing to re-render")
        original = scene.read_text()
        lengths = []
        for edits in (1, 2):  # the second render must see the second edit, not a module imported before
            scene.write_text(original + LONGER.format(n=edits, seconds=20 + edits))
            assert re.fullmatch(r"re-rendered 03-chain-rule in \d+\.\d s", _until(lines, "re-rendered"))
            entry = json.loads((out / "480p15" / "manifest.json").read_text())["clips"]["chain-rule"]
            lengths.append(entry["duration"])
        assert lengths[0] > duration + 10 and lengths[1] == pytest.approx(lengths[0] + 1, abs=0.01)
        good = scene.read_text()
        scene.write_text(good + "\n)\n")  # saved mid-edit: said in one line, and watching goes on
        assert _until(lines, "error: ").startswith("error: rendering 03-chain-rule failed: ")
        scene.write_text(good)  # back to what was last rendered
        _until(lines, "nothing to re-render")
        series = project / "series.toml"  # one beat's caption edited: that beat alone is drawn again
        caption = json.dumps(clip_by_id("chain-rule").beats[1].caption, ensure_ascii=False)
        assert series.read_text(encoding="utf-8").count(f"caption = {caption}") == 1
        series.write_text(series.read_text(encoding="utf-8").replace(f"caption = {caption}", 'caption = "Edited."'))
        assert _until(lines, "03-chain-rule: rendered").split(", ")[1:3] == ["1 beat drawn", "3 reused (1/1 done"]
        _until(lines, "re-rendered")
        (project / "scenes" / "tangent.py").write_text("# not a clip being watched\n", encoding="utf-8")
        _until(lines, "nothing to re-render")
        run.send_signal(signal.SIGINT)
        assert _until(lines, "stopped watching")
        assert run.wait(timeout=30) == 0
    finally:
        if run.poll() is None:
            run.kill()
    assert run.stderr is not None and run.stderr.read() == ""


def test_a_clip_moved_in_the_series_leaves_nothing_under_its_old_number(tmp_path: Path) -> None:
    clip = clip_by_id("regression")
    assert clip.stem == "07-regression"
    sidecars = ["06-regression.vtt", "06-regression.srt", "06-regression-transcript.html"]
    sidecars += ["06-regression-transcript.txt", "06-regression-descriptions.vtt"]
    old = [tmp_path / "06-regression.mp4", tmp_path / "06-regression" / "01-data-and-line.mp4"]
    old += [tmp_path / name for name in sidecars]  # made from its video, so gone with it
    kept = [
        tmp_path / "07-regression.mp4",  # where it is now
        tmp_path / "06-regression-alpha.webm",  # another format: its own render replaces it
        tmp_path / "06-regression-2.mp4",  # another clip
        tmp_path / "06-bowl-or-saddle.mp4",
    ]
    for path in old + kept:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"video")
    removed = remove_moved(tmp_path, clip, Output())
    expected = [tmp_path / "06-regression", tmp_path / "06-regression.mp4", *(tmp_path / n for n in sidecars)]
    assert sorted(removed) == sorted(expected)
    assert not any(path.exists() for path in old) and all(path.exists() for path in kept)


def test_the_live_display_is_one_bar_of_frames_with_clips_done_and_beats_reused() -> None:
    from rich.console import Console

    from pipeline.progress import RichReporter

    console = Console(record=True, width=120, force_terminal=False)
    live = RichReporter(console)
    live.start(3, ["01-derivative"])
    live.frames("02-partial-derivative", 40, 160)
    live.frames("04-gradient", 10, None)  # never rendered here: its planned frames are not known yet
    [task] = live.progress.tasks
    assert (task.completed, task.total, task.description) == (50, 170, "1/3 clips")
    live.done("02-partial-derivative", 4.0, 25.5, 383, (1, 2))
    [task] = live.progress.tasks  # still one bar: the landed clip counts the frames it drew
    assert (task.completed, task.total, task.description) == (50, 50, "2/3 clips, 2 beats reused")
    live.finish()
    assert "02-partial-derivative: 25.5 s of video in 4.0 s, 1 beat drawn, 2 reused" in console.export_text()
