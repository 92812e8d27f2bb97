"""Series files as a lecturer writes them: checked at the edge, one line per mistake, never run as code."""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import cli
from lessons.params import REQUIRED
from lessons.series import DEFAULT_SERIES, load_series
from lessons.templates import TEMPLATES
from pipeline.fonts import missing
from tests.conftest import clip_by_id

ROOT = Path(__file__).resolve().parent.parent
LECTURER = ROOT / "examples" / "my-course.toml"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def series_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.toml"
    path.write_text(text, encoding="utf-8")
    return path


def with_gradient(tmp_path: Path, old: str, new: str) -> Path:
    """The project's series with one line of the gradient clip changed."""
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    head, gradient = text.split('id = "gradient"')
    assert old in gradient
    return series_file(tmp_path, head + 'id = "gradient"' + gradient.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('template = "descent"', 'template = "spiral"', "clip 'gradient': field 'template': unknown template 'spiral'"),
        ("steps = 30", "steps = 30\ncolour = 1", "clip 'gradient': field 'colour': unknown field for template"),
        ("rate = 0.1", 'rate = "fast"', "clip 'gradient': field 'rate': expected a number in (0, 2], got 'fast'"),
        ("steps = 30", "steps = 600", "clip 'gradient': field 'steps': 600 is outside [5, 60]"),
        ("steps = 30", "steps = 2.5", "clip 'gradient': field 'steps': expected a whole number, got 2.5"),
        ("start = [1.5, 0.8]", "start = [1.5]", "clip 'gradient': field 'start': expected 2 items, got 1"),
        (
            "start = [1.5, 0.8]",
            "start = [9, 0.8]",
            "clip 'gradient': field 'start': 9 must lie in [-2.4, 2.4]: for x, the window [-3, 3], less 0.6",
        ),
        ("rate = 0.1\n", "", "clip 'gradient': field 'rate': missing (a number in (0, 2])"),
        (
            'f = "x**2 + y**2"',
            'f = "x**2 + z"',
            "clip 'gradient': field 'f': 'z' is not allowed here (names: x, y, pi)",
        ),
        (
            'f = "x**2 + y**2"',
            "f = \"__import__('os').system('touch /tmp/primer-pwned')\"",
            "clip 'gradient': field 'f': \"__import__('os').system('touch /tmp/primer-pwned')\" is not allowed",
        ),
        ('f = "x**2 + y**2"', 'f = "x.__class__"', "field 'f': 'x.__class__' is not allowed"),
        ('f = "x**2 + y**2"', 'f = "x**2 +"', "field 'f': 'x**2 +' is not a formula (invalid syntax)"),
        ('slug = "descent"', 'slug = "Descent!"', "field 'beats': beat 3: slug 'Descent!' must be unique"),
        (
            'caption = "Gradient descent steps against the gradient, again and again."',
            'caption = ""',
            "field 'beats': beat 3: caption must be one line of 1 to 90 characters",
        ),
        (
            'caption = "Gradient descent steps against the gradient, again and again."\nnarration = "',
            'caption = "Gradient descent steps against the gradient, again and again."\nnarration = 3\nvoice = "',
            "field 'beats': beat 3: expected { slug = ..., caption = ... } (and narration, description)",
        ),
        (
            'caption = "Gradient descent steps against the gradient, again and again."\n',
            'caption = "Gradient descent steps against the gradient, again and again."\ndescription = ["a"]\n',
            "field 'beats': beat 3: description must be text of at most 800 characters",
        ),
    ],
)
def test_a_mistake_in_a_series_file_is_one_line_naming_file_clip_and_field(
    tmp_path: Path, old: str, new: str, words: str
) -> None:
    path = with_gradient(tmp_path, old, new)
    for command in (["list"], ["values", "derivative"], ["check", "derivative"], ["render", "derivative"]):
        result = run(*command, "--series", str(path))
        assert result.exit_code == 2, (command, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.output
        assert lines[0].startswith("primer: error: course.toml: "), lines[0]
        assert words in lines[0], lines[0]
    assert not Path("/tmp/primer-pwned").exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (None, "course.toml: no such file"),
        ("[[clip]\n", "course.toml: not valid TOML"),
        ("titel = 'x'\n", "course.toml: unknown top-level field 'titel'"),
        ("title = ''\n", "course.toml: field 'title': expected one line of 1 to 80 characters"),
        ('title = "A\\u0001B"\n', "course.toml: field 'title': expected one line of 1 to 80 characters"),
        ("", "course.toml: no clips: add [[clip]] tables"),
        ('[[clip]]\nid = "Bad Id"\n', "course.toml: clip 1: field 'id': expected lower-case words"),
    ],
)
def test_a_missing_or_malformed_file_is_one_line(tmp_path: Path, text: str | None, words: str) -> None:
    path = tmp_path / "course.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    result = run("list", "--series", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"primer: error: {words}"] or words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_clips_with_one_id_and_the_wrong_number_of_beats(tmp_path: Path) -> None:
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    doubled = series_file(tmp_path, text + "\n" + text[text.index("\n[[clip]]") :])
    assert "clip 'derivative': field 'id': used by two clips" in run("list", "--series", str(doubled)).stderr
    descent = clip_by_id("gradient").beats[2]
    block = f'\n[[clip.beats]]\nslug = "descent"\ncaption = "{descent.caption}"\nnarration = "{descent.narration}"\n'
    fewer = with_gradient(tmp_path, block, "")
    result = run("list", "--series", str(fewer))
    assert "clip 'gradient': field 'beats': this lesson has 4 beats" in result.stderr


def test_a_tangent_lesson_has_one_beat_per_group_of_stops(tmp_path: Path) -> None:
    text = LECTURER.read_text(encoding="utf-8").replace(
        "stops = [[-2], [-1, 0], [1, 2]]", "stops = [[-2], [-1, 0], [1], [2]]"
    )
    result = run("list", "--series", str(series_file(tmp_path, text)))
    assert result.exit_code == 2
    assert "clip 'cubic-tangent': field 'beats': this lesson has 6 beats" in result.stderr


def test_the_templates_command_documents_every_field() -> None:
    result = run("templates")
    assert result.exit_code == 0
    for name in ("tangent:", "slices:", "chain:", "descent:"):
        assert name in result.output
    assert "  steps: a whole number in [5, 60]; default 30. How many steps each walk takes." in result.output


def record(beats: dict[str, list[dict[str, Any]]], slug: str, name: str) -> dict[str, Any]:
    found = [item for item in beats[slug] if item["name"] == name]
    assert len(found) == 1, (slug, name)
    return found[0]


def test_a_lecturers_cubic_tangent_against_closed_forms() -> None:
    result = run("values", "--json", "--series", str(LECTURER))
    assert result.exit_code == 0, result.output
    beats = json.loads(result.output)["cubic-tangent"]
    assert record(beats, "the-cubic", "f'(x)")["exact"] == "3 x^{2} - 3"
    slugs = {
        -2: "tangent-at-minus-2",
        -1: "over-the-top",
        0: "over-the-top",
        1: "through-the-bottom",
        2: "through-the-bottom",
    }
    for x, slug in slugs.items():
        slope = record(beats, slug, f"f'({x})")
        assert slope["value"] == 3 * x**2 - 3  # f' of x³ - 3x
        assert slope["tex"].startswith(rf"\text{{slope }} f'({x}) = 3 \cdot ")
        assert record(beats, slug, f"readout f(x) at x = {x}")["exact"] == repr(float(x**3 - 3 * x))
    assert record(beats, "over-the-top", "remark at x = -1")["tex"] == "topped out: the tangent is horizontal"
    assert record(beats, "through-the-bottom", "remark at x = 1")["tex"] == "bottomed out: the tangent is horizontal"
    triangle = record(beats, "tangent-at-minus-2", "rise / run")
    assert triangle["value"] == 9.0 and r"= \tan\theta" in triangle["tex"]


def test_a_lecturers_stretched_bowl_against_closed_forms() -> None:
    beats = json.loads(run("values", "--json", "--series", str(LECTURER)).output)["stretched-bowl"]
    # f = (x - 1)² + 2y² from (-1.5, 1.2): ∇f = (2(x - 1), 4y) = (-5, 4.8), ‖∇f‖ = √(25 + 23.04).
    assert record(beats, "gradient", "∇f")["tex"] == r"\nabla f = (2 x - 2,\ 4 y)"
    assert record(beats, "gradient", "∇f(-1.5, 1.2)")["tex"] == r"\nabla f(-1.5,\ 1.2) = (-5.00,\ 4.80)"
    assert record(beats, "gradient", "‖∇f‖")["value"] == pytest.approx(math.sqrt(48.04), rel=1e-15)
    # x_k - 1 = (1 - 2η)^k (x_0 - 1) and y_k = (1 - 4η)^k y_0 at η = 0.1, after 30 steps:
    x30, y30 = 1 - 2.5 * 0.8**30, 1.2 * 0.6**30
    end = record(beats, "rates", "∇f(w_30)")
    assert [float(v) for v in json.loads(end["exact"].replace("'", '"'))] == pytest.approx(
        [2 * (x30 - 1), 4 * y30], rel=1e-10
    )
    assert record(beats, "rates", "verdict of panel 3")["tex"] == r"\text{diverges: }\eta > 1 / 2"  # 2/λmax = 2/4


def test_the_project_series_is_one_entry_per_clip() -> None:
    data = tomllib.loads(DEFAULT_SERIES.read_text(encoding="utf-8"))
    templates = ["tangent", "slices", "chain", "descent", "descent-1d", "curvature", "regression", "network"]
    assert [entry["template"] for entry in data["clip"]] == templates
    assert load_series().ids[5:] == ("bowl-or-saddle", "regression", "small-net")


@pytest.mark.parametrize(
    "caption",
    [
        "Die Ableitung ändert sich: größer, schärfer, übrig.",  # German
        "Η παράγωγος είναι η κλίση της εφαπτομένης.",  # Greek
        "Производная: наклон касательной.",  # Russian
        "导数是切线的斜率。",  # Chinese
        "接線の傾きが導関数です。カタカナも。",  # Japanese
    ],
)
def test_captions_in_other_scripts_have_a_font(caption: str) -> None:
    assert missing(caption) == []


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("The steps shrink", "The steps 𓀀 shrink", "beat 3 (steps-shrink)"),
        ('title = "Descent in one dimension"', 'title = "Descent 𓀀 in one dimension"', "title"),
    ],
)
def test_text_no_font_covers_is_bad_input_refused_before_rendering(
    old: str, new: str, where: str, tmp_path: Path
) -> None:
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    start = text.index('[[clip]]\nid = "descent-1d"')
    entry = text[start : text.index("[[clip]]", start + 1)]
    assert old in entry
    series = tmp_path / "course.toml"
    series.write_text(entry.replace(old, new), encoding="utf-8")
    out = tmp_path / "renders"
    for command in (["render", "-q", "l", "--out", str(out)], ["check"]):
        result = run(*command, "--series", str(series))
        assert result.exit_code == 2  # the lecturer's text, like any other bad input
        assert result.stderr.strip().splitlines() == [
            f"primer: error: {series}: clip 'descent-1d': {where}: no installed font has "
            "'𓀀' (U+13000); install a font that covers it"
        ]
    assert not (out / "480p15").exists() or not any((out / "480p15").iterdir())


def lesson_values(tmp_path: Path, entry: str, beats: int) -> tuple[Path, dict[str, dict[str, Any]]]:
    """A one-clip series with ``entry`` and what ``primer values --json`` lists for it, by record name."""
    tables = "".join(f'\n[[clip.beats]]\nslug = "beat-{n}"\ncaption = "Beat {n}."\n' for n in range(1, beats + 1))
    path = series_file(tmp_path, f'[[clip]]\nid = "lesson"\ntitle = "A lesson"\n{entry}\n{tables}')
    result = run("values", "--json", "--series", str(path))
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)["lesson"]
    return path, {item["name"]: item for items in table.values() for item in items}


def test_a_walk_that_has_not_settled_claims_no_minimum(tmp_path: Path) -> None:
    _, records = lesson_values(
        tmp_path, 'template = "descent-1d"\nf = "(x - 3)**2 + 1"\nx0 = 0\nrate = 0.01\nsteps = 10\nwindow = [-1, 5]', 4
    )
    claim = records["where the walk ended"]["claim"]
    assert "minimum" not in claim["words"] and claim["words"].startswith("not settled after 10 steps")
    # x_10 = 3 - 3 (49/50)^10, f'(x_10) = -6 (49/50)^10: evidence from the walk, shown rounded
    assert records["x_10"]["tex"] == r"x_{10} \approx 0.54878"
    assert records["f'(x_10)"]["tex"] == r"f'(x_{10}) \approx -4.9"
    assert claim["evidence"] == "|f'(x_10)| = 4.902, |f'(x_0)| = 6"


def test_a_walk_on_a_saddle_never_crawls_or_converges(tmp_path: Path) -> None:
    _, records = lesson_values(
        tmp_path,
        'template = "descent"\nf = "x**2 - y**2"\nstart = [1, 0.5]\nrate = 0.1\nrates = [0.01, 0.1, 0.3]',
        4,
    )
    for panel in (1, 2, 3):
        claim = records[f"verdict of panel {panel}"]["claim"]
        assert claim["rule"].startswith("runs away"), claim
    assert "minimum" not in records["where the walk ends"]["tex"]


def test_a_walk_whose_gradient_shrank_far_from_a_flat_point_has_not_settled(tmp_path: Path) -> None:
    # Rosenbrock from (-1.5, 2): ‖∇f‖ = √(155² + 50²) ≈ 162.9 at the start, about 1.6 after 60 steps of 0.001:
    # a hundredth of where it started, yet the walk is creeping along the valley, far from (1, 1).
    _, records = lesson_values(
        tmp_path,
        'template = "descent"\nf = "(1 - x)**2 + 100*(y - x**2)**2"\nstart = [-1.5, 2]\nrate = 0.001\n'
        "rates = [0.0002, 0.001, 0.01]\nsteps = 60",
        4,
    )
    # At η = 0.01 the walk overflows float64 (x⁴ grows past 1e308): f is no number, not "≈ undefined".
    assert records["f(w_60) at η = 0.01"]["tex"] == r"f(w_{60})\ \text{overflows}"
    assert records["verdict of panel 3"]["claim"]["rule"].startswith("diverges")
    claim = records["where the walk ends"]["claim"]
    assert claim["words"] == "the gradient has shrunk, but not to zero: the walk has not settled", claim
    assert claim["evidence"].startswith("‖∇f(w_60)‖ = 1.6"), claim
    assert "‖∇f(w_0)‖ = 162.9" in claim["evidence"]


def test_a_walk_at_the_rate_limit_bounces_and_a_good_rate_converges(tmp_path: Path) -> None:
    # x² + 10y²: λmax = 20, so η = 2/20 = 0.1 bounces forever; η = 0.08 took f from 12.1 to 3.2e-5.
    _, records = lesson_values(
        tmp_path,
        'template = "descent"\nf = "x**2 + 10*y**2"\nstart = [1, 1.05]\nrate = 0.05\nrates = [0.08, 0.1, 0.3]',
        4,
    )
    rules = [records[f"verdict of panel {n}"]["claim"]["rule"].split(":")[0] for n in (1, 2, 3)]
    assert rules == ["converges", "bounces", "diverges"]
    assert records["verdict of panel 3"]["tex"] == r"\text{diverges: }\eta > 1 / 10"
    big = records["f(w_30) at η = 0.3"]["tex"]
    assert big.startswith(r"f(w_{30}) \approx ") and r"\times 10^{" in big  # never 40 digits after "="


def test_a_rate_is_shown_as_written(tmp_path: Path) -> None:
    _, records = lesson_values(
        tmp_path, 'template = "descent-1d"\nf = "(x - 3)**2 + 1"\nx0 = 0\nrate = 0.125\nsteps = 20\nwindow = [-1, 5]', 4
    )
    assert records["η"]["tex"] == r"\eta = 0.125"
    assert records["the first move"]["tex"] == r"-\eta\, f'(x_0) = -0.125 \cdot (-6) = 0.75"
    assert all("0.12 " not in item["tex"] and not item["tex"].endswith("0.12") for item in records.values())


@pytest.mark.render
def test_a_flat_point_off_the_grid_is_solved_exactly(tmp_path: Path) -> None:
    path, records = lesson_values(
        tmp_path,
        'template = "curvature"\nf = "x**2 + 4*x*y + y**2 + x"\npoint = [1, 2]\nprobe = [1, -1]\n'
        'map = ["x**2 + y", "x*y**3"]\ncubic = "x**3 + x*y**2 + y**3"',
        4,
    )
    assert records["where −∇g points"]["sympy"] == "[1/6, -1/3]"
    assert r"c = (1 / 6,\ - 1 / 3)" in records["where −∇g points"]["tex"]
    assert records["g along direction 1"]["tex"].endswith("= - 2 t^{2}")
    profiles = [records[f"g along direction {n}"]["tex"] for n in (1, 2)]
    assert profiles[1].endswith("= 6 t^{2}")
    result = run("check", "--series", str(path), "--out", str(tmp_path / "renders"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'template = "tangent"\nf = "tan(x)"\nstops = [[-1], [0, 1]]\nwindow = [-3, 3]',
            "clip 'lesson': field 'f': tan(x) is undefined at x = -pi/2, pi/2 inside the window",
        ),
        (
            'template = "tangent"\nf = "sqrt(x**2)"\nstops = [[-1], [0.5, 1]]\nwindow = [-2, 2]',
            "clip 'lesson': field 'f': sqrt(x**2) is not differentiable at x = 0",
        ),
        (
            'template = "descent-1d"\nf = "1/0 + x**2"\nx0 = 1\nrate = 0.1',
            "clip 'lesson': field 'f': 1/0 + x**2 is undefined: it divides by zero or leaves the real numbers",
        ),
        (
            'template = "descent-1d"\nf = "exp(exp(exp(x)))"\nx0 = 1\nrate = 0.1',
            "clip 'lesson': field 'f': exp(exp(exp(x))) is undefined or too large for float64 somewhere",
        ),
    ],
)
def test_a_lesson_the_math_refuses_is_one_line_before_anything_is_written(
    tmp_path: Path, entry: str, message: str
) -> None:
    tables = "".join(f'\n[[clip.beats]]\nslug = "beat-{n}"\ncaption = "Beat {n}."\n' for n in range(1, 5))
    path = series_file(tmp_path, f'[[clip]]\nid = "lesson"\ntitle = "A lesson"\n{entry}\n{tables}')
    out = tmp_path / "renders"
    for command in (["render", "-q", "l", "--out", str(out)], ["check", "--out", str(out)], ["values"]):
        result = run(*command, "--series", str(path))
        assert result.exit_code == 2, (command, result.output)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"primer: error: {path.name}: {message}"), line
    assert not out.exists()  # no lock, no cache folder


def test_a_rational_power_is_a_fair_lesson(tmp_path: Path) -> None:
    _, records = lesson_values(
        tmp_path, 'template = "tangent"\nf = "x**(1/3)"\nstops = [[1], [2, 2.5]]\nwindow = [0.5, 3]', 4
    )
    assert records["f'(1)"]["tex"].endswith(r"= 1 / 3 \approx 0.33")  # a short fraction is slashed


def test_a_stop_shows_its_substitution_only_where_it_reads_at_a_glance(tmp_path: Path) -> None:
    _, records = lesson_values(
        tmp_path, 'template = "tangent"\nf = "sqrt(x**2 + 1)"\nstops = [[-1], [2]]\nwindow = [-3, 3]', 4
    )
    # f'(x) = x / sqrt(x² + 1): put in, a fraction of roots; the statement goes straight to -1/√2 = -√2/2.
    assert records["f'(-1)"]["tex"] == r"\text{slope } f'(-1) = - \sqrt{2} / 2 \approx -0.71"
    assert values_of_series("derivative")["f'(-2)"]["tex"] == r"\text{slope } f'(-2) = 2 \cdot \left(-2\right) = -4"
    # f'(x) = 1 - tanh²(x): put in, short, but its exact value is a fraction; the two over one line were too wide.
    _, records = lesson_values(
        tmp_path, 'template = "tangent"\nf = "tanh(x)"\nstops = [[-2], [1]]\nwindow = [-3, 3]', 4
    )
    assert records["f'(-2)"]["tex"] == r"\text{slope } f'(-2) = \frac{1}{\cosh^{2}{\left(2 \right)}} \approx 0.07"
    assert records["f'(-2)"]["shown"] == "slope f'(-2) = 1/(cosh^2(2)) ≈ 0.07"  # as text: not \frac1cosh^2(2)


def test_values_as_data() -> None:
    table = values_of_series("gradient")
    gradient = table["∇f(1.5, 0.8)"]
    assert gradient["value"] == [3.0, 1.6] and gradient["sympy"] == "[3, 8/5]"
    assert gradient["tex"] == r"\nabla f(1.5,\ 0.8) = (3.00,\ 1.60)"
    claim = table["where the walk ends"]["claim"]
    assert claim["rule"] == "minimum: converged, both Hessian eigenvalues > 0"
    assert claim["evidence"].startswith("‖∇f(w_30)‖ = 0.004209, ‖∇f(w_0)‖ = 3.4")
    hessian = values_of_series("bowl-or-saddle")["H_h(1, 2)"]
    assert hessian["shown"] == "H_h(1, 2) = [[6, 4], [4, 14]]" and hessian["value"] == [[6, 4], [4, 14]]


def values_of_series(clip_id: str) -> dict[str, dict[str, Any]]:
    result = run("values", "--json", clip_id)
    assert result.exit_code == 0, result.output
    return {item["name"]: item for items in json.loads(result.output)[clip_id].values() for item in items}


def test_a_series_file_with_a_byte_order_mark_and_crlf_is_read(tmp_path: Path) -> None:
    text = DEFAULT_SERIES.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "course.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_series(path).ids == load_series(DEFAULT_SERIES).ids


@pytest.mark.render
def test_a_nearly_flat_first_tangent_passes_the_layout_check(tmp_path: Path) -> None:
    path, records = lesson_values(
        tmp_path, 'template = "tangent"\nf = "exp(x)"\nstops = [[-2.5], [0, 2]]\nwindow = [-3, 3]', 4
    )
    assert records["f'(-2.5)"]["tex"].endswith(r"= e^{- 5 / 2} \approx 0.08")  # a short fraction slashed
    result = run("check", "--series", str(path), "--out", str(tmp_path / "renders"))
    assert result.exit_code == 0, result.output


def test_values_a_readout_cannot_show_are_refused_in_one_line(tmp_path: Path) -> None:
    tables = "".join(f'\n[[clip.beats]]\nslug = "beat-{n}"\ncaption = "Beat {n}."\n' for n in range(1, 5))
    entry = 'template = "tangent"\nf = "exp(6*x)"\nstops = [[-2], [0, 8]]\nwindow = [-3, 9]'
    path = series_file(tmp_path, f'[[clip]]\nid = "lesson"\ntitle = "A lesson"\n{entry}\n{tables}')
    result = run("check", "--series", str(path), "--out", str(tmp_path / "renders"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"primer: error: {path.name}: clip 'lesson': field 'stops': f(x) between the stops reaches 7e+20: "
        "a live readout shows values below 1e+06 only"
    )


def test_a_course_title_no_font_covers_is_refused_before_rendering(tmp_path: Path) -> None:
    text = DEFAULT_SERIES.read_text(encoding="utf-8")
    start = text.index('[[clip]]\nid = "descent-1d"')
    series = tmp_path / "course.toml"
    series.write_text('title = "Descent 𓀀"\n' + text[start : text.index("[[clip]]", start + 1)], encoding="utf-8")
    out = tmp_path / "renders"
    result = run("render", "-q", "l", "--out", str(out), "--series", str(series))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"primer: error: {series}: field 'title': no installed font has '𓀀' (U+13000); install a font that covers it"
    ]
    assert not out.exists()


def test_a_lesson_is_its_templates_frozen_dataclass_with_the_fields_it_validates() -> None:
    """Each clip's lesson is typed after validation: the checked fields and the read fields are one list."""
    for clip in load_series(DEFAULT_SERIES).clips:
        lesson = clip.lesson
        kind = TEMPLATES[clip.template]
        assert type(lesson) is kind.lesson
        assert [f.name for f in dataclasses.fields(lesson)] == [p.name for p in kind.params]
        assert dataclasses.astuple(lesson) == tuple(value for _, value in clip.params)
        with pytest.raises(dataclasses.FrozenInstanceError):
            lesson.window = (0.0, 1.0)  # type: ignore[misc,union-attr]
    for kind in TEMPLATES.values():
        for param in kind.params:  # every default is a value its own field accepts
            if param.default is not REQUIRED and param.default is not None:
                raw = (
                    [list(v) if isinstance(v, tuple) else v for v in param.default]
                    if isinstance(param.default, tuple)
                    else param.default
                )
                assert param.kind(raw) == param.default, param.name


def test_a_partial_derivative_of_many_terms_is_stated_by_its_value(tmp_path: Path) -> None:
    # Both partials of this cubic have five terms: written out at (-2, -1) they would not fit a panel, so each
    # readout states its exact value; a partial of two terms is written out (the project's series).
    cubic = "3*x**2 - y**2 + 3*x*y + 2*x + y - 2*x**3 + 3*y**3 + x**2*y"
    _, records = lesson_values(tmp_path, f'template = "slices"\nf = "{cubic}"\npoint = [-2, -1]', 3)
    fx = -6 * 4 + 2 * (-2) * (-1) + 6 * (-2) + 3 * (-1) + 2  # -6x² + 2xy + 6x + 3y + 2, by hand
    fy = -2 * (-1) + 3 * (-2) + 1 + 9 * 1 + (-2) ** 2  # -2y + 3x + 1 + 9y² + x²
    assert records["∂f/∂x(-2, -1)"]["tex"] == rf"\frac{{\partial f}}{{\partial x}}(-2, -1) = {fx}"
    assert records["∂f/∂y(-2, -1)"]["tex"] == rf"\frac{{\partial f}}{{\partial y}}(-2, -1) = {fy}"
    (tmp_path / "series").mkdir()
    _, series = lesson_values(tmp_path / "series", 'template = "slices"\nf = "x**2 + 3*x*y + y**3"\npoint = [1, 2]', 3)
    assert series["∂f/∂x(1, 2)"]["tex"] == r"\frac{\partial f}{\partial x}(1, 2) = 2 \cdot 1 + 3 \cdot 2 = 8"


def test_a_step_that_says_what_the_one_before_said_is_left_out(tmp_path: Path) -> None:
    # u = 3x + 1 at x = 1: u = 4, du/dx = 3 (a constant: not "3 = 3"), y = u² = 16, dy/du = 2u = 8.
    _, records = lesson_values(tmp_path, 'template = "chain"\ninner = "3*x + 1"\nouter = "u**2"\nx0 = 1', 4)
    assert records["du/dx"]["tex"] == r"\frac{du}{dx} = 3"
    assert (records["u"]["tex"], records["y"]["tex"]) == ("u = 3 x + 1 = 4", "y = u^{2} = 16")
    assert records["dy/du"]["tex"] == r"\frac{dy}{du} = 2 u = 8"
    # The product ends exact, 3 · 8 = 24: no row under it says "= 24" again.
    assert records["dy/dx"]["tex"] == r"\frac{dy}{dx} = \frac{du}{dx} \cdot \frac{dy}{du} = 3 \cdot 8 = 24"
    assert "dy/dx exactly" not in records


def test_a_hessian_where_the_gradient_is_not_zero_judges_no_minimum(tmp_path: Path) -> None:
    # g = x + y²: ∇g = (1, 2y) is never 0, and H = [[0, 0], [0, 2]]; e^x + y² curves up every way at (0, 0),
    # where its gradient is (1, 0): neither the Hessian's "flat one way" nor "a minimum" may be claimed there.
    _, records = lesson_values(
        tmp_path,
        'template = "curvature"\nf = "x + y**2"\nbowl = "exp(x) + y**2"\npoint = [0, 0]\nprobe = [1, -1]\n'
        'map = ["x + y", "x*y"]\ncubic = "x**3 + y**3"',
        4,
    )
    assert (
        records["what the field says"]["tex"]
        == "here it is flat one way, and its gradient is not 0: no flat point here"
    )
    contrast = records["what the contrast's Hessian says"]["tex"]
    assert contrast == "here it curves up every way, but its gradient is not 0: no minimum here"


def test_an_irrational_rate_limit_is_named_and_rounded(tmp_path: Path) -> None:
    # H = [[1, 1], [1, 4]]: λmax = (5 + √13)/2 ≈ 4.303, so 2/λmax = 5/3 - √13/3 ≈ 0.4648 < 0.9.
    _, records = lesson_values(
        tmp_path,
        'template = "descent"\nf = "0.5*x**2 + 2*y**2 + x*y"\nstart = [2, 1]\nrate = 0.2\nrates = [0.05, 0.2, 0.9]',
        4,
    )
    assert records["verdict of panel 3"]["tex"] == r"\text{diverges: }\eta > 2/\lambda_{\max} \approx 0.46"
    # H = [[1, 1], [1, 3]]: 2/λmax = 2/(2 + √2) = 2 - √2 ≈ 0.5858; at η = 0.59, two places would read "≈ 0.59".
    _, records = lesson_values(
        tmp_path,
        'template = "descent"\nf = "x**2/2 + 1.5*y**2 + x*y"\nstart = [1.5, 1]\nrate = 0.1\nrates = [0.05, 0.3, 0.59]',
        4,
    )
    assert records["verdict of panel 3"]["tex"] == r"\text{diverges: }\eta > 2/\lambda_{\max} \approx 0.586"
    # g = x² + y² - 2x has its one flat point at c = (1, 0), a minimum; there the contrast e^x + y² has the
    # gradient (e, 0): what its Hessian says holds at c only, whatever g's gradient.
    _, records = lesson_values(
        tmp_path,
        'template = "curvature"\nf = "x**2 + y**2 - 2*x"\nbowl = "exp(x) + y**2"\npoint = [0, 0]\n'
        'probe = [1, -1]\nmap = ["x + y", "x*y"]\ncubic = "x**3 + y**3"',
        4,
    )
    assert records["what the field says"]["tex"] == "a bowl: up every way, a minimum"
    contrast = records["what the contrast's Hessian says"]["tex"]
    assert contrast == "here it curves up every way, but its gradient is not 0: no minimum here"
