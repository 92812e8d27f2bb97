"""One render request: every option of every command arrives where the work is done.

The core the commands call is replaced by recorders; each command is driven with each option it
accepts set to a value other than its default, and the test asserts that value arrived.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import pipeline.commands.check
import pipeline.commands.preview
import pipeline.commands.watch
import pipeline.outputs.exports
import pipeline.rendering.cluster
import pipeline.rendering.schedule
from cli import cli
from lessons.palette import PALETTES, ThemeError, contrast, custom_palette
from lessons.quality import quality
from lessons.series import DEFAULT_SERIES, SeriesError, load_series, parse_series
from pipeline.formats import Look, Output

Seen = dict[str, Any]


class FakeCluster:
    """Stands in for a Dask cluster: remembers the address it was given."""

    def __init__(self, address: str) -> None:
        self.address = address

    def close(self) -> None:
        pass


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    """What the core was asked to do, by the last command run (its request, or the values it got)."""
    seen: Seen = {}

    def from_request(request: Any, engine: Any = None, **extra: Any) -> None:
        seen.update(vars(request) | {"engine": engine} | extra)

    def render(request: Any, engine: Any = None) -> list[dict[str, Any]]:
        from_request(request, engine)
        return [{"video": "x.mp4"} for _ in request.clips]

    def lecture(request: Any, engine: Any = None) -> Any:
        from_request(request, engine)
        raise click.exceptions.Exit(0)

    def deck(kind: str, request: Any, engine: Any = None) -> Path:
        from_request(request, engine, kind=kind)
        return Path("deck")

    def check_series(
        clips: Any, out: Path, output: Output, report: Any = None, subtitles: bool = False, type_size: bool = True
    ) -> list[Any]:
        seen.update(clips=tuple(clips), out=out, output=output, subtitles=subtitles, type_size=type_size)
        return []

    def render_beat(clip: Any, preset: Any, out: Path, beat: int, output: Output, engine: Any = None) -> Any:
        seen.update(clips=(clip,), quality=preset, out=out, beat=beat, output=output, engine=engine)
        return pipeline.commands.preview.Preview(out / "p.mp4", 0.0)

    def watch(series_path: Path, ids: Any, out: Path, echo: Any, beat: Any, engine: Any, look: Look) -> None:
        series = load_series(series_path)
        clips = tuple(c for c in series.clips if not ids or c.id in ids)
        seen.update(clips=clips, out=out, beat=beat, engine=engine, output=look.output(series), series=series)

    def clip_states(clips: Any, preset: Any, out: Path, output: Output) -> list[Any]:
        seen.update(clips=tuple(clips), out=out, output=output, quality=preset)
        seen.setdefault("presets", []).append(preset)
        return []

    def write_still(video: Path, at: float, target: Path) -> Path:
        seen.update(at=at)
        return target

    monkeypatch.setattr(pipeline.outputs.exports, "render", render)
    monkeypatch.setattr(pipeline.outputs.exports, "lecture", lecture)
    monkeypatch.setattr(pipeline.outputs.exports, "deck", deck)
    monkeypatch.setattr(pipeline.outputs.exports, "handout", lambda request, engine=None: from_request(request, engine))
    monkeypatch.setattr(pipeline.commands.check, "check_series", check_series)
    monkeypatch.setattr(pipeline.commands.preview, "render_beat", render_beat)
    monkeypatch.setattr(pipeline.commands.preview, "write_still", write_still)
    monkeypatch.setattr(pipeline.commands.watch, "watch", watch)
    monkeypatch.setattr(pipeline.rendering.schedule, "clip_states", clip_states)
    monkeypatch.setattr(pipeline.rendering.cluster, "Cluster", FakeCluster)
    return seen


def _other_series(tmp_path: Path) -> Path:
    path = tmp_path / "course.toml"
    shutil.copy(DEFAULT_SERIES, path)
    return path


#: For each option (by its parameter name): the arguments that set it, and how to see that it arrived.
OPTIONS: dict[str, tuple[Callable[[Path], list[str]], Callable[[Seen, Path], bool]]] = {
    "ids": (lambda _: ["gradient"], lambda s, _: [c.id for c in s["clips"]] == ["gradient"]),
    "clip_id": (lambda _: ["gradient"], lambda s, _: [c.id for c in s["clips"]] == ["gradient"]),
    "series_path": (
        lambda tmp: ["--series", str(_other_series(tmp))],
        lambda s, tmp: s.get("series") is None or s["series"].path == tmp / "course.toml",
    ),
    "quality_name": (lambda _: ["-q", "medium"], lambda s, _: s["quality"] == quality("medium")),
    "out": (lambda tmp: ["--out", str(tmp / "elsewhere")], lambda s, tmp: s["out"] == (tmp / "elsewhere").resolve()),
    "format_name": (lambda _: ["--format", "webm"], lambda s, _: s["output"].format == "webm"),
    "transparent": (
        lambda _: ["--format", "mov", "--transparent"],
        lambda s, _: s["output"].transparent and s["output"].format == "mov",
    ),
    "theme": (lambda _: ["--theme", "light"], lambda s, _: s["output"].palette == PALETTES["light"]),
    "aspect": (lambda _: ["--aspect", "4:3"], lambda s, _: s["output"].aspect == "4:3"),
    "no_captions": (lambda _: ["--no-captions"], lambda s, _: s["output"].captions is False),
    "silent": (lambda _: ["--silent"], lambda s, _: s["output"].audio is False),
    "jobs": (lambda _: ["-j", "3"], lambda s, _: s["jobs"] == 3),
    "scheduler": (
        lambda _: ["--scheduler", "tcp://example:8786"],
        lambda s, _: s["engine"].address == "tcp://example:8786",
    ),
    "quiet": (lambda _: ["--quiet"], lambda s, _: s["quiet"] is True),
    "force": (lambda _: ["--force"], lambda s, _: s["force"] is True),
    "beat": (lambda _: ["gradient", "--beat", "2"], lambda s, _: s["beat"] == 2),
    "kind": (lambda _: ["--format", "pptx"], lambda s, _: s["kind"] == "pptx"),
    "at": (lambda _: ["--at", "1.5"], lambda s, _: s["at"] == 1.5),
    "type_size": (lambda _: ["--no-type-size"], lambda s, _: s["type_size"] is False),  # on unless turned off
}
#: Options that change how a failure is printed, not what is done (tested in test_cli).
NOT_FOR_THE_CORE = {"verbose", "help", "as_json", "as_csv"}
#: Commands that render nothing: they read the series only.
READERS = {"list", "templates", "values", "narration"}
#: What a command needs besides the option under test.
NEEDS = {"still": ["gradient", "--at", "1"]}


@pytest.mark.parametrize("name", sorted(set(cli.commands) - READERS))
def test_every_option_of_every_command_arrives(name: str, seen: Seen, tmp_path: Path) -> None:
    command = cli.commands[name]
    params = [p.name for p in command.params if p.name not in NOT_FOR_THE_CORE]
    missing = [p for p in params if p not in OPTIONS]
    assert not missing, f"{name}: no wiring check for {missing}: add one to OPTIONS"
    for out in ("renders", "elsewhere"):  # something rendered, for ``status`` to report
        (tmp_path / out / "480p15").mkdir(parents=True)
        (tmp_path / out / "720p30").mkdir(parents=True)
    for param in params:
        seen.clear()
        arguments, arrived = OPTIONS[param]
        args = arguments(tmp_path)
        base = {"clip_id": ["--at", "1"], "at": ["gradient"]}.get(param, NEEDS.get(name, []))
        if "--out" not in args:
            args = [*args, "--out", str(tmp_path / "renders")]
        result = CliRunner().invoke(cli, [name, *base, *args])
        assert result.exit_code == 0, (name, param, result.output, result.stderr)
        assert seen, f"{name} {' '.join(args)}: the core was not called"
        assert arrived(seen, tmp_path), f"{name} {' '.join(args)}: the option did not arrive ({seen})"


def test_status_without_quality_reports_every_preset_rendered(seen: Seen, tmp_path: Path) -> None:
    for folder in ("480p15", "720p30"):
        (tmp_path / folder).mkdir()
    result = CliRunner().invoke(cli, ["status", "--out", str(tmp_path)])
    assert result.exit_code == 0 and seen["presets"] == [quality("low"), quality("medium")]


def test_a_series_file_s_quality_theme_and_aspect_are_the_default(seen: Seen, tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    path.write_text(  # top-level fields first; a table, such as the theme's, after the clips
        'quality = "medium"\ntheme = "campus"\naspect = "4:3"\n'
        + text
        + '\n[themes.campus]\nbase = "light"\nfunction = "#003d7c"\n',
        encoding="utf-8",
    )
    for command in ("handout", "lecture", "deck"):  # every command follows the course's quality
        seen.clear()
        assert CliRunner().invoke(cli, [command, "--series", str(path), "--out", str(tmp_path)]).exit_code == 0
        assert seen["quality"] == quality("medium"), command
    out = str(tmp_path / "renders")
    assert CliRunner().invoke(cli, ["render", "gradient", "--series", str(path), "--out", out]).exit_code == 0
    output = seen["output"]
    assert (output.theme, output.aspect, output.palette.function) == ("campus", "4:3", "#003d7c")
    assert output.palette.background == PALETTES["light"].background  # the rest from its base
    assert output.video_name("04-gradient") == "04-gradient-campus-4x3.mp4"
    assert {"colour.function": "#003d7c", "aspect": "4:3"}.items() <= output.options().items()  # in the key
    seen.clear()
    assert (
        CliRunner().invoke(cli, ["render", "--series", str(path), "--theme", "dark", "--aspect", "16:9"]).exit_code == 0
    )
    assert (seen["output"].theme, seen["output"].aspect) == ("dark", "16:9")
    seen.clear()
    assert CliRunner().invoke(cli, ["render", "--series", str(path), "-q", "low"]).exit_code == 0
    assert seen["quality"] == quality("low")  # an option says otherwise


def test_a_theme_too_faint_is_refused_naming_the_colour_and_the_ratio(tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    path.write_text(
        DEFAULT_SERIES.read_text(encoding="utf-8") + '\n[themes.pale]\nbase = "light"\nslope = "#ffe08a"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--series", str(path)])
    assert result.exit_code == 2
    ratio = contrast("#ffe08a", PALETTES["light"].background)
    assert result.stderr.strip() == (
        f"primer: error: course.toml: theme 'pale': colour 'slope' (#ffe08a) has contrast {ratio:.2f}:1"
        " on the background #ffffff; it needs 4.5:1"
    )
    with pytest.raises(ThemeError, match=r"colour 'axis'.*it needs 3:1"):
        custom_palette("faint", {"base": "dark", "axis": "#22262b"})
    with pytest.raises(ThemeError, match="unknown colour 'slopes'"):
        custom_palette("typo", {"base": "dark", "slopes": "#ffffff"})
    with pytest.raises(ThemeError, match="expected '#rrggbb', got 'red'"):
        custom_palette("named", {"base": "dark", "slope": "red"})
    with pytest.raises(ThemeError, match="field 'base'"):
        custom_palette("baseless", {"slope": "#ffffff"})


def test_unknown_themes_and_aspects_are_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "--theme", "sepia", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no theme 'sepia'; themes: dark, light" in result.stderr
    result = CliRunner().invoke(cli, ["render", "--aspect", "21:9", "--out", str(tmp_path)])
    assert result.exit_code == 2
    entry = {"id": "a", "title": "A", "template": "descent-1d", "f": "x**2", "x0": 1, "rate": 0.1}
    entry["beats"] = [{"slug": f"b{i}", "caption": "c"} for i in range(4)]
    with pytest.raises(SeriesError, match=re.escape("field 'aspect': '5:4' is not one of 16:9, 4:3")):
        parse_series({"aspect": "5:4", "clip": [entry]}, Path("c.toml"))
    with pytest.raises(SeriesError, match="not dark or light"):
        parse_series({"themes": {"dark": {"base": "dark"}}, "clip": [entry]}, Path("c.toml"))


@pytest.mark.parametrize("where", ["/", "~"])
def test_out_at_the_root_or_home_is_refused(where: str) -> None:
    result = CliRunner().invoke(cli, ["render", "--out", str(Path(where).expanduser())])
    assert result.exit_code == 2
    assert "the file system's root or your home folder" in result.stderr


def test_no_environment_variable_carries_the_theme_or_the_lesson() -> None:
    root = Path(__file__).resolve().parent.parent
    code = [
        root / "cli.py",
        *(path for layer in ("lessons", "scenes", "pipeline") for path in sorted((root / layer).glob("*.py"))),
    ]
    found = [
        f"{path.relative_to(root)}: {name}"
        for path in code
        for name in ("PRIMER_THEME", "PRIMER_SERIES", "PRIMER_CLIP", "os.environ[", "os.environ.get(")
        if name in path.read_text(encoding="utf-8")
    ]
    assert not found  # settings travel as values: the request, the output, the scene's settings


def test_a_theme_named_like_another_output_is_refused(tmp_path: Path) -> None:
    # "light-4x3" at 16:9 would share file names with the built-in light theme at 4:3.
    path = tmp_path / "course.toml"
    path.write_text(DEFAULT_SERIES.read_text(encoding="utf-8") + '\n[themes.light-4x3]\nbase = "light"\n', "utf-8")
    result = CliRunner().invoke(cli, ["list", "--series", str(path)])
    assert result.exit_code == 2
    assert "theme 'light-4x3': a theme's name is lower-case words joined by '-', not dark or light" in result.stderr


def test_status_only_reads_so_it_takes_any_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "480p15").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert CliRunner().invoke(cli, ["status", "-q", "l", "--out", str(home)]).exit_code == 0  # it writes nothing
    refused = CliRunner().invoke(cli, ["render", "-q", "l", "--out", str(home)])
    assert refused.exit_code == 2 and "your home folder" in refused.stderr
