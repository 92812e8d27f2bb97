"""The layout check: lessons drawn across each template's bounds pass it; lessons that cannot fit are refused.

Each example builds a whole clip without drawing (about 4 s, most of it TeX for new formulas), so
each template gets three examples, each in a theme and an aspect drawn too; ``derandomize`` makes
them the same on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli import cli
from lessons.palette import THEMES
from lessons.series import MAX_TITLE, Clip, SeriesError, parse_series
from lessons.settings import ASPECTS
from lessons.templates import TEMPLATES
from pipeline.commands.check import check_clip
from pipeline.formats import Output

EXAMPLES = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: each example builds a whole clip
)
CAPTION = "A caption of an ordinary length, as lecturers write them for a beat."


def lesson_clip(template: str, title: str = "A drawn lesson", **lesson: Any) -> Clip:
    """A one-clip series with ``lesson`` on ``template``, as if read from a file."""
    entry = {"id": "drawn", "title": title, "template": template, **lesson}
    count = TEMPLATES[template].beat_count(parse_lesson(template, lesson))
    entry["beats"] = [{"slug": f"beat-{i}", "caption": CAPTION} for i in range(count)]
    return parse_series({"clip": [entry]}, Path("drawn.toml")).clips[0]


def parse_lesson(template: str, lesson: dict[str, Any]) -> Any:
    kind = TEMPLATES[template]
    return kind.lesson(**{p.name: p.kind(lesson[p.name]) if p.name in lesson else p.default for p in kind.params})


def faults(clip: Clip, tmp_path: Path, output: Output | None = None) -> list[str]:
    return [str(f) for f in check_clip(clip, tmp_path / "cache", output).faults]


coefficient = st.integers(-3, 3)
halves = st.integers(-6, 6).map(lambda k: k / 2)


@st.composite
def polynomial(draw: st.DrawFn, terms: tuple[str, ...]) -> str:
    chosen = [f"{c}*{t}" if t else str(c) for t in terms if (c := draw(coefficient))]
    return " + ".join(chosen) or terms[0]


@st.composite
def tangent_lessons(draw: st.DrawFn) -> dict[str, Any]:
    half = draw(st.sampled_from([2.0, 2.5, 3.0, 4.0]))
    xs = [k / 2 for k in range(int(-2 * half) + 1, int(2 * half) - 1)]
    stops = draw(st.lists(st.sampled_from(xs), min_size=2, max_size=6, unique=True))
    groups = [[stops[0]]]
    rest = stops[1:]
    while rest and len(groups) < 4:
        size = draw(st.integers(1, min(3, len(rest))))
        groups.append(rest[:size])
        rest = rest[size:]
    return {"f": draw(polynomial(("x**3", "x**2", "x", ""))), "stops": groups, "window": [-half, half]}


@st.composite
def slices_lessons(draw: st.DrawFn) -> dict[str, Any]:
    f = draw(polynomial(("x**2", "y**2", "x*y", "x", "y", "x**3", "y**3", "x**2*y")))
    return {"f": f, "point": [draw(st.integers(-2, 2)), draw(st.integers(-2, 2))]}


@st.composite
def chain_lessons(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "inner": draw(st.sampled_from(["x**2", "3*x + 1", "sin(x)", "x**3 - x", "exp(x/2)"])),
        "outer": draw(st.sampled_from(["sin(u)", "u**2", "exp(u)", "cos(u)", "u**3 - u", "tanh(u)"])),
        "x0": draw(st.sampled_from([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5])),
        "teeth": draw(st.lists(st.integers(6, 60), min_size=4, max_size=4)),
    }


@st.composite
def descent_lessons(draw: st.DrawFn) -> dict[str, Any]:
    a, b = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    p, q = draw(st.integers(-1, 1)), draw(st.integers(-1, 1))
    curvature = 2 * max(a, b)  # the Hessian's largest eigenvalue: walks diverge above 2 / curvature
    return {
        "f": f"{a}*(x - {p})**2 + {b}*(y - {q})**2",
        "start": [draw(st.sampled_from([-2, -1.5, 1.5, 2])), draw(st.sampled_from([-2, -1, 1, 2]))],
        "rate": round(draw(st.floats(0.05, 0.9)) / curvature, 3),
        "rates": [round(0.1 / curvature, 3), round(1 / curvature, 3), round(2.2 / curvature, 3)],
        "steps": draw(st.integers(10, 40)),
    }


@st.composite
def curvature_lessons(draw: st.DrawFn) -> dict[str, Any]:
    a, b, c = draw(st.integers(-2, 2)), draw(st.integers(-3, 3)), draw(st.integers(-2, 2))
    return {
        "f": f"{a or 1}*x**2 + {b}*x*y + {c or -1}*y**2",
        "point": [draw(st.sampled_from([-1, 1, 2])), draw(st.sampled_from([-1, 1, 2]))],
        "probe": [draw(st.sampled_from([-1, 1])), draw(st.sampled_from([-1, 1]))],
        "map": [
            draw(st.sampled_from(["x**2 + y", "x*y", "sin(x) + y"])),
            draw(st.sampled_from(["x*y**3", "x - y**2"])),
        ],
        "side": draw(st.sampled_from([0.05, 0.1, 0.2])),
        "cubic": draw(polynomial(("x**3", "x*y**2", "y**3", "x*y"))),
    }


@st.composite
def regression_lessons(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "line": [draw(halves), draw(halves)],
        "noise": draw(st.sampled_from([0.05, 0.1, 0.5])),
        "points": draw(st.integers(20, 150)),
        "seed": draw(st.integers(0, 1000)),
        "rate": draw(st.sampled_from([0.02, 0.1, 0.3])),
        "steps": draw(st.integers(20, 300)),
    }


@st.composite
def descent_1d_lessons(draw: st.DrawFn) -> dict[str, Any]:
    a, p = draw(st.integers(1, 3)), draw(st.integers(-1, 1))
    return {
        "f": f"{a}*(x - {p})**2 + {draw(coefficient)}",
        "x0": draw(st.sampled_from([-2.5, -2, 2, 2.5])),
        "rate": round(draw(st.floats(0.05, 0.9)) / (2 * a), 3),  # 0 < 2aη < 1: the walk closes in monotonically
        "steps": draw(st.integers(10, 50)),
    }


@st.composite
def network_lessons(draw: st.DrawFn) -> dict[str, Any]:
    steps = draw(st.integers(100, 400))  # the net trains while the clip is built: a few hundred steps keep it quick
    return {
        "f": draw(st.sampled_from(["sin(x)", "tanh(2*x) - x/3", "x**2/4", "cos(x)"])),
        "widths": draw(st.sampled_from([[8], [16], [8, 8]])),
        "points": draw(st.integers(20, 80)),
        "seed": draw(st.integers(0, 100)),
        "rate": draw(st.sampled_from([0.02, 0.1])),
        "steps": steps,
        "baseline_rate": 0.01,
        "baseline_steps": steps // 2,
    }


WORDS = "Gradient descent WITH Momentum: Jacobians, Hessians and the chain rule (part 2) of a two-layer MLP sweep"


@st.composite
def titles(draw: st.DrawFn) -> str:
    """A clip title as lecturers write them: words, up to the 40 characters a title may have."""
    words = draw(st.lists(st.sampled_from(WORDS.split()), min_size=1, max_size=12))
    while len(" ".join(words)) > MAX_TITLE:
        words.pop()
    return " ".join(words)


# One strategy per template: a template added to TEMPLATES without one fails the test below.
LESSONS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "tangent": tangent_lessons(),
    "slices": slices_lessons(),
    "chain": chain_lessons(),
    "descent": descent_lessons(),
    "curvature": curvature_lessons(),
    "regression": regression_lessons(),
    "descent-1d": descent_1d_lessons(),
    "network": network_lessons(),
}


@pytest.mark.render
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_lessons_across_a_templates_bounds_pass_the_layout_check(
    template: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert template in LESSONS, f"template {template!r} has no lesson strategy in tests/test_layout.py"
    folder = tmp_path_factory.mktemp(template)
    # In 4:3 (a quarter narrower, type as high) the chain's rates, the slices' readouts and the
    # curvature's profiles stand over more lines than their rows have room for: lessons at these
    # bounds are refused there, with the label named. The series passes in 4:3 (below).
    aspects = ["16:9"] if template in ("chain", "slices", "curvature") else sorted(ASPECTS)

    @EXAMPLES
    @given(
        LESSONS[template],
        titles(),
        st.builds(Output, theme=st.sampled_from(THEMES), aspect=st.sampled_from(aspects)),
    )
    def check(lesson: dict[str, Any], title: str, output: Output) -> None:
        # The type is measured too, as a render measures it: lessons across the bounds keep it readable.
        assert faults(lesson_clip(template, title, **lesson), folder, output) == [], (lesson, title, output)

    check()


@pytest.mark.render
@pytest.mark.parametrize(
    ("template", "lesson"),
    [
        ("tangent", {"f": "x**2", "stops": [[-2], [-1, 0], [3]], "window": [-3, 3]}),
        ("slices", {"f": "x**2 + 3*x*y + y**3", "point": [1, 2]}),
        ("descent-1d", {"f": "(x - 3)**2 + 1", "x0": 0, "rate": 0.1, "steps": 50, "window": [-1, 5]}),
    ],
)
def test_a_title_of_forty_characters_fits(template: str, lesson: dict[str, Any], tmp_path: Path) -> None:
    # Set smaller (never below the caption) and, if it must, over the column's top: the panels stand below it.
    title = "Why MOMENTUM helps: a walkthrough (pt 2)"
    assert len(title) == MAX_TITLE
    assert faults(lesson_clip(template, title, **lesson), tmp_path) == []


@pytest.mark.render
@pytest.mark.parametrize(
    ("template", "lesson"),
    [
        # A first step whose exact value is long: over lines, the steps beside it at full size.
        ("descent-1d", {"f": "x**2/10 + sin(x)", "x0": 1, "rate": 1.9, "steps": 10, "window": [-3, 3]}),
        # The start's slope put in, then its exact value: over two lines; f' a tall fraction above the readout.
        ("descent-1d", {"f": "log(1 + exp(x)) - x/2", "x0": -1.5, "rate": 0.2, "steps": 40, "window": [-4, 4]}),
        # The sigmoid's slope: 1/(4 cosh²(1)) goes straight to its value.
        ("tangent", {"f": "1/(1 + exp(-x))", "stops": [[-2], [0, 1], [3]], "window": [-4, 4]}),
        ("slices", {"f": "exp(-(x**2 + y**2)/2)", "point": [1, 0.5]}),
        (
            "descent",  # near the minimum, ∇f = (0.4, 0.2): drawn 2.5 times as long, not a 0.21-unit stub
            {"f": "x**2 + y**2", "start": [0.2, 0.1], "rate": 0.1, "rates": [0.02, 0.3, 1.05]},
        ),
        (
            "descent",  # η = 0.9 > 2/λmax = 5/3 - √13/3 ≈ 0.46: the panel's verdict over two lines
            {"f": "0.5*x**2 + 2*y**2 + x*y", "start": [2, 1], "rate": 0.2, "rates": [0.05, 0.2, 0.9]},
        ),
        (
            "curvature",  # ∇g's fractions stand tall: the rows under it move down
            {
                "f": "log(exp(x) + exp(y))",
                "point": [0, 0],
                "probe": [1, -1],
                "map": ["x + y", "x*y"],
                "cubic": "x**3 + y**3",
            },
        ),
        (
            "network",
            {
                "f": "exp(-x**2)",
                "widths": [32, 32, 32],
                "rate": 0.02,
                "steps": 300,
                "baseline_rate": 0.002,
                "baseline_steps": 300,
            },
        ),
    ],
)
def test_lessons_lecturers_wrote_fit(template: str, lesson: dict[str, Any], tmp_path: Path) -> None:
    # Each was refused (type set 2.3-3.1% high, rows overlapping) before the rows learnt to stand over lines.
    assert faults(lesson_clip(template, "A lecturer's lesson", **lesson), tmp_path) == []


@pytest.mark.render
def test_in_4_3_wide_boxes_of_the_chain_spread_out_to_leave_their_arrows_room(tmp_path: Path) -> None:
    # u = x³ - x = 0 and y = sin(u) = 0 on one line each: at the 16:9 places scaled across, the arrow
    # from u to y was a stub 0.22 long; spread across the frame it is an arrow, and the labels under
    # the boxes at the frame's edges stay inside it.
    lesson = {"inner": "x**3 - x", "outer": "sin(u)", "x0": -1.0, "teeth": [37, 42, 37, 26]}
    assert faults(lesson_clip("chain", "and a", **lesson), tmp_path, Output(aspect="4:3")) == []


@pytest.mark.render
def test_the_level_lines_tangent_ends_at_the_window(tmp_path: Path) -> None:
    # From (-1, 1.5), near the window's top-left corner, the dashed tangent reached out of the plot to the title.
    lesson = {"f": "(x - 1)**2 + 10*(y - x**2)**2", "start": [-1, 1.5], "rate": 0.01, "rates": [0.002, 0.01, 0.05]}
    found = faults(lesson_clip("descent", "A curved valley (Rosenbrock)", **lesson, steps=60, window=[-2, 2]), tmp_path)
    assert found == []  # the dashed line inside the plot; ∇f(-1, 1.5) = (16.00, 10.00) by hand, ∇f over two lines


@pytest.mark.render
def test_a_walk_that_leaves_the_plot_is_refused(tmp_path: Path) -> None:
    clip = lesson_clip(
        "descent", f="x**2 + y**2", start=[2, 2], rate=1.2, rates=[0.01, 0.1, 1.2], steps=10
    )  # |1 - 2·1.2| > 1: the marker walks off the plot
    found = faults(clip, tmp_path)
    assert found and all("lies off its axes" in fault for fault in found)
    assert found[0].startswith("beat 3 (beat-2)")


@pytest.mark.parametrize(
    ("template", "lesson", "words"),
    [
        (
            "tangent",
            {"f": "log(x)", "stops": [[1], [2]], "window": [-1, 3]},
            "field 'f': log(x) is undefined at x in [-1, 0] inside the window",
        ),
        (
            "tangent",
            {"f": "sqrt(x)", "stops": [[0], [1]], "window": [0, 2]},
            "field 'f': sqrt(x) is not differentiable at x = 0",
        ),
        (
            "chain",
            {"inner": "x - 1", "outer": "log(u)", "x0": 1},
            "field 'outer': log(x - 1) is undefined at x in [-2, 1] inside the window",
        ),
        ("slices", {"f": "x/y", "point": [1, 1]}, "field 'f': x/y is undefined or infinite somewhere on the plotted"),
        (
            "curvature",  # ∇g = (2x, -2y) = 0 at (0, 0), where the probe stands
            {"f": "x**2 - y**2", "point": [1, 1], "probe": [0, 0], "map": ["x + y", "x*y"], "cubic": "x**3 + y**3"},
            "field 'probe': the probe (0, 0) is a flat point: no arrow points there; choose another probe",
        ),
        (
            "curvature",  # ∇g = (3x² - 3, 2y): flat at (1, 0) and at (-1, 0)
            {"f": "x**3 - 3*x + y**2", "point": [0, 1], "probe": [1, 0], "map": ["x + y", "x*y"], "cubic": "x**3"},
            "field 'probe': the probe (1, 0) is a flat point: no arrow points there; choose another probe",
        ),
        (
            "descent-1d",  # x_1 = 2 - 1.2·4 = -2.8, x_2 = -2.8 + 1.2·5.6 = 3.92: out of [-3, 3]
            {"f": "x**2", "x0": 2, "rate": 1.2, "steps": 10, "window": [-3, 3]},
            "field 'window': the walk leaves the window [-3, 3] at step 2 (x_2 ≈ 3.92); lower the rate,",
        ),
    ],
)
def test_math_that_cannot_be_shown_is_refused_before_drawing(
    template: str, lesson: dict[str, Any], words: str, tmp_path: Path
) -> None:
    with pytest.raises(SeriesError) as refused:  # a lecturer's error: exit 2
        check_clip(lesson_clip(template, **lesson), tmp_path)
    assert str(refused.value).startswith(f"drawn.toml: clip 'drawn': {words}")


@pytest.mark.render
def test_render_refuses_a_lesson_that_fails_the_check_and_writes_nothing(tmp_path: Path) -> None:
    series = four_beat_course(
        tmp_path,
        'id = "runaway"\ntitle = "A runaway walk"\ntemplate = "descent"\nf = "x**2 + y**2"\nstart = [2, 2]\n'
        "rate = 1.2\nrates = [0.01, 0.1, 1.2]\nsteps = 10",
    )
    line = refused_render(series, tmp_path / "renders")
    assert line.startswith("primer: error: 01-runaway: beat 3 (c) at ")
    assert "lies off its axes (nothing was written; `primer check runaway` lists every fault)" in line


def four_beat_course(tmp_path: Path, fields: str) -> Path:
    """A course file of one clip with ``fields`` (TOML lines) and four beats, slugs a to d."""
    series = tmp_path / "course.toml"
    beats = ", ".join(f'{{ slug = "{slug}", caption = "Beat {slug}." }}' for slug in "abcd")
    series.write_text(f"[[clip]]\n{fields}\nbeats = [{beats}]\n", encoding="utf-8")
    return series


def refused_render(series: Path, out: Path) -> str:
    """Render ``series`` expecting a refusal: its last line, once nothing at all was written to ``out``."""
    result = CliRunner().invoke(cli, ["render", "--series", str(series), "-q", "l", "--out", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert not (out / "480p15").exists()  # nothing at all: a clip lands only when complete and checked
    assert not (out / ".work").exists()
    return str(result.stderr.strip().splitlines()[-1])


@pytest.mark.render
def test_a_lesson_that_needs_smaller_type_is_refused(tmp_path: Path) -> None:
    # A polynomial of degree six: f(x) on its row, too wide for the column, would be set 2.5% of the picture
    # high, where a formula needs 3.3%. The layout itself holds: only the type is too small.
    series = four_beat_course(
        tmp_path,
        'id = "crowded"\ntitle = "A crowded curve"\ntemplate = "tangent"\n'
        'f = "x**6 - 5*x**5 + 3*x**4 - 2*x**3 + 7*x**2 - 11*x + 13"\nstops = [[-1], [0, 1]]\nwindow = [-1.5, 1.5]',
    )
    label = "'f(x) = x^{6} - 5 x^{5} + 3 x^{4} - 2 x^{3} + ...'"
    checked = CliRunner().invoke(cli, ["check", "--series", str(series), "--out", str(tmp_path / "c")])
    assert checked.exit_code == 1
    assert f"beat 1 (a) at 9.9 s: {label} is set 2.5% of the picture high (cap height), below 3.3%" in checked.output
    layout_only = ["check", "--no-type-size", "--series", str(series), "--out", str(tmp_path / "c")]
    assert CliRunner().invoke(cli, layout_only).exit_code == 0
    line = refused_render(series, tmp_path / "renders")
    assert line.startswith("primer: error: 01-crowded: beat 1 (a) at ") and f"{label} is set 2." in line
    assert line.endswith("(nothing was written; `primer check crowded` lists every fault)")


@pytest.mark.render
def test_check_command_over_the_series_and_a_lecturers_file() -> None:
    # The project's series is checked in 16:9 as it renders (the session's render stops at any fault);
    # here whole in 4:3 (its type measured against the 4:3 frame's height), then a lecturer's file whole.
    root = Path(__file__).resolve().parent.parent
    for args in (["--aspect", "4:3"], ["--series", str(root / "examples" / "my-course.toml")]):
        result = CliRunner().invoke(cli, ["check", *args])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines and all(" ok  (" in line for line in lines)


@pytest.mark.render
def test_a_network_lesson_of_the_lecturers_own_passes_the_check(tmp_path: Path) -> None:
    clip = lesson_clip(
        "network",
        f="tanh(2*x) - x/3",
        widths=[16],
        interval=[-2, 2],
        points=80,
        seed=3,
        rate=0.1,
        steps=600,
        baseline_rate=0.01,
        baseline_steps=300,
    )
    assert faults(clip, tmp_path) == []


def test_a_label_that_does_not_stand_out_from_the_background_is_a_fault() -> None:
    from types import SimpleNamespace

    from manim import RIGHT, UP, BackgroundRectangle, MathTex, Text, tempconfig

    from scenes.layout import faults_now

    with tempconfig({"background_color": "#ffffff"}):
        faint = Text("faint", font_size=24, color="#bbbbbb")  # the dark theme's caption grey, on white
        clear = MathTex("x = 1", color="#1a1a1a")
        backed = MathTex("y", color="#1a1a1a").next_to(clear, 4 * RIGHT)
        backed.add_background_rectangle(color="#ffffff", opacity=1.0)  # its backing is not its colour
        scene = SimpleNamespace(mobjects=[faint.shift(2 * UP), clear, backed])
        found = faults_now(scene)
    assert found == ["'faint' is #bbbbbb on #ffffff: contrast 1.9:1, below 4.5:1"]
    assert isinstance(backed[0], BackgroundRectangle)
