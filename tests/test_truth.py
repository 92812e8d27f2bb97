"""An oracle for lessons nobody wrote in advance: every "=", every rounding and every claim, checked independently.

Lessons are drawn with hypothesis across the templates' documented bounds and written to a series
file; what the clip shows is read back from ``primer values --json``. This module does its own
arithmetic (exact fractions, and mpmath at 50 digits for what is not rational) and imports nothing
from ``mathcore`` or ``scenes``: it knows each lesson's closed forms because it built the lesson.

In the suite a handful of lessons per template run, derandomized; ``make truth`` runs hundreds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeAlias

import mpmath
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from cli import cli

mpmath.mp.dps = 50
#: ``make truth`` selects the profile "truth" (hundreds of lessons); the suite runs a handful.
ORACLE = (
    settings.get_profile("truth")
    if settings.get_current_profile_name() == "truth"
    else settings(max_examples=4, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
)

Number: TypeAlias = Fraction | Any  # a fraction, or an mpmath number (untyped)
Record: TypeAlias = dict[str, Any]

# The relation and the number a shown formula ends with: "= 1.92", "\approx 8.7 \times 10^{42}", "= -\frac{6}{5}",
# "= 1 / 1000" (a short fraction is slashed).
TAIL = re.compile(
    r"(?P<rel>=|\\approx)\s*(?P<num>-?\s*(?:\\frac\{\d+\}\{\d+\}|\d+\s*/\s*\d+|\d+(?:\.\d+)?)"
    r"(?:\s*\\times\s*10\^\{-?\d+\})?)\s*$"
)


def parse_number(text: str) -> tuple[Fraction, Fraction]:
    """The value of a shown number and half a unit of its last digit (what rounding may be off by)."""
    text = text.replace(" ", "")
    fraction = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", text) or re.fullmatch(r"(-?)(\d+)/(\d+)", text)
    if fraction:
        value = Fraction(int(fraction[2]), int(fraction[3]))
        return (-value if fraction[1] else value), Fraction(0)
    powers = re.fullmatch(r"(-?\d+(?:\.\d+)?)(?:\\times10\^\{(-?\d+)\})?", text)
    assert powers, f"not a number: {text!r}"
    mantissa = Decimal(powers[1])
    exponent = int(powers[2] or 0)
    value = Fraction(mantissa) * Fraction(10) ** exponent
    places = -mantissa.as_tuple().exponent  # type: ignore[operator]
    return value, Fraction(1, 2) * Fraction(10) ** (exponent - int(places))


def check_tail(tex: str, truth: Number, exact: bool, where: str, slack: float = 1e-12) -> None:
    """The relation and number at the end of ``tex`` are right for the true value.

    "=" only when the true value is known exactly and is the number shown; "≈" with the number
    rounded correctly (within ``slack``, relative, for values a float64 walk computed).
    """
    found = TAIL.search(tex)
    assert found, f"{where}: no relation and number at the end of {tex!r}"
    shown, half = parse_number(found["num"])
    true = mpmath.mpf(truth.numerator) / truth.denominator if isinstance(truth, Fraction) else truth
    if found["rel"] == "=":
        assert exact and isinstance(truth, Fraction) and shown == truth, f"{where}: {tex!r} says '=' but it is {true}"
        return
    if exact and isinstance(truth, Fraction):
        assert shown != truth or half > 0, f"{where}: {tex!r} says '≈' for an exact value"
    error = abs(mpmath.mpf(shown.numerator) / shown.denominator - true)
    bound = mpmath.mpf(half.numerator) / half.denominator + slack * max(1, abs(true))
    assert error <= bound, f"{where}: {tex!r} is not {true} rounded (off by {error})"


def check_vector(tex: str, truths: tuple[Fraction, ...], where: str) -> None:
    """A vector at the end of ``tex``: "=" only if every entry is exactly the number shown, else each rounded."""
    found = re.search(r"(?P<rel>=|\\approx)\s*\((?P<entries>[^()]*)\)\s*$", tex)
    assert found, f"{where}: no vector at the end of {tex!r}"
    entries = [e.strip() for e in found["entries"].split(r",\ ")]
    assert len(entries) == len(truths), (where, tex)
    shown = [parse_number(e) for e in entries]
    if found["rel"] == "=":
        assert all(value == truth for (value, _), truth in zip(shown, truths, strict=True)), f"{where}: {tex!r}"
        return
    assert any(value != truth for (value, _), truth in zip(shown, truths, strict=True)), f"{where}: '≈' for {tex!r}"
    for entry, truth in zip(entries, truths, strict=True):
        check_tail(rf"\approx {entry}", truth, False, where)


def values_of(tmp_path: Path, entry: str, beats: int) -> list[Record]:
    """What ``primer values --json`` lists for a one-clip series with ``entry`` (TOML lines)."""
    series = tmp_path / "lesson.toml"
    beat_tables = "".join(f'\n[[clip.beats]]\nslug = "beat-{n}"\ncaption = "Beat {n}."\n' for n in range(1, beats + 1))
    series.write_text(f'[[clip]]\nid = "lesson"\ntitle = "A lesson"\n{entry}\n{beat_tables}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["values", "--json", "--series", str(series)])
    if result.exit_code == 2 and "a live readout shows values below" in result.output:
        reject()  # a main walk too large to read out is refused, in one line: a right answer, not one to check
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    return [record for records in table["lesson"].values() for record in records]


def by_name(records: list[Record]) -> dict[str, Record]:
    return {record["name"]: record for record in records}


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[str]:
    """Decimal text between ``low`` and ``high`` with up to ``places`` decimals, as a lecturer writes it."""
    return st.integers(low * 10**places, high * 10**places).map(lambda n: _text(Fraction(n, 10**places)))


def _text(value: Fraction) -> str:
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def sign_word(value: Fraction) -> int:
    return (value > 0) - (value < 0)


# descent-1d: f(x) = a (x - m)^2 + c; x_{k+1} = x_k - η f'(x_k), so x_k - m = (x_0 - m) q^k with q = 1 - 2aη.
@ORACLE
@given(
    a=st.sampled_from(["0.5", "1", "2", "3"]),
    m=decimals(-2, 2, 1),
    c=st.integers(0, 3),
    x0=decimals(-2, 2, 3),
    rate=st.sampled_from(["0.01", "0.05", "0.1", "0.125", "0.2", "0.25", "0.3", "0.375", "0.45"]),
    steps=st.integers(3, 60),
)
def test_descent_1d_says_only_what_is_true(
    a: str, m: str, c: int, x0: str, rate: str, steps: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    A, M, X0, ETA = Fraction(a), Fraction(m), Fraction(x0), Fraction(rate)
    q = 1 - 2 * A * ETA
    assume(abs(q) <= 1 and X0 != M)  # the walk stays in the window
    records = by_name(
        values_of(
            tmp_path_factory.mktemp("d1"),
            f'template = "descent-1d"\nf = "{a}*(x - ({m}))**2 + {c}"\nx0 = {x0}\nrate = {rate}\nsteps = {steps}',
            4,
        )
    )

    def x(k: int) -> Fraction:
        return M + (X0 - M) * q**k

    def slope(value: Fraction) -> Fraction:
        return 2 * A * (value - M)

    assert records["η"]["tex"] == rf"\eta = {rate}"  # as written, never rounded
    assert records[f"f'({x0})"]["tex"].startswith(rf"\text{{slope }} f'({x0}) =")
    check_tail(records[f"f'({x0})"]["tex"], slope(X0), True, "f'(x_0)")
    check_tail(records["the first move"]["tex"], -ETA * slope(X0), True, "the move")
    for k in range(1, 4):
        check_tail(records[f"x_{k}"]["tex"], x(k), True, f"x_{k}")
    check_tail(records["f'(x_1)"]["tex"], slope(x(1)), True, "f'(x_1)")
    end, end_slope = x(steps), slope(x(steps))
    assume(end_slope == 0 or abs(abs(end_slope) / abs(slope(X0)) - Fraction(1, 1000)) > Fraction(1, 10**9))
    check_tail(records[f"x_{steps}"]["tex"], end, False, "x_n")
    check_tail(records[f"f'(x_{steps})"]["tex"], end_slope, False, "f'(x_n)")
    for name in ("readout x_k after the walk", "readout f'(x_k) after the walk"):
        assert r"\approx" in records[name]["tex"], f"{name}: a walk's float64 is never '=': {records[name]['tex']}"
    claim = records["where the walk ended"]["claim"]
    settled = abs(end_slope) <= abs(slope(X0)) / 1000
    assert claim["rule"].startswith("minimum") == settled, claim  # f'' = 2a > 0: a minimum exactly when settled
    if not settled:
        assert "not settled" in claim["words"], claim


# tangent: a cubic f with rational coefficients; each stop's slope and remark.
@ORACLE
@given(
    coefficients=st.lists(decimals(-2, 2, 1), min_size=4, max_size=4),
    stops=st.lists(decimals(-2, 2, 2), min_size=3, max_size=3, unique=True),
)
def test_tangent_slopes_and_remarks_are_true(
    coefficients: list[str], stops: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    c1, c2, c3 = (Fraction(v) for v in coefficients[1:])
    assume(any((c1, c2, c3)))
    f = f"({coefficients[3]})*x**3 + ({coefficients[2]})*x**2 + ({coefficients[1]})*x + ({coefficients[0]})"
    first, *rest = stops
    records = values_of(
        tmp_path_factory.mktemp("tangent"),
        f'template = "tangent"\nf = "{f}"\nstops = [[{first}], [{", ".join(rest)}]]\nwindow = [-3, 3]\nrun = 0.5',
        4,
    )
    named = by_name(records)
    previous: Fraction | None = None
    for stop in stops:
        s = Fraction(stop)
        slope = 3 * c3 * s**2 + 2 * c2 * s + c1
        curvature = 6 * c3 * s + 2 * c2
        record = named[f"f'({stop})"]
        assert TAIL.search(record["tex"]) or record["tex"].endswith(record["exact"]), record
        if TAIL.search(record["tex"]):
            check_tail(record["tex"], slope, True, f"f'({stop})")
        rule = named[f"remark at x = {stop}"]["claim"]["rule"]
        if slope == 0:
            expected = "bottomed out" if curvature > 0 else "topped out" if curvature < 0 else "flat"
            assert rule.startswith(expected), (stop, rule)
        else:
            assert rule.startswith("falling" if slope < 0 else "climbing"), (stop, slope, rule)
            if previous is not None and previous != 0 and sign_word(previous) == sign_word(slope):
                how = "less" if abs(slope) < abs(previous) else "more" if abs(slope) > abs(previous) else "just as"
                assert how in rule, (stop, slope, previous, rule)
        previous = slope


RATES = ["0.01", "0.02", "0.05", "0.08", "0.1", "0.2", "0.3", "0.5", "1"]


# descent: f = a x^2 + b y^2 (a bowl, a saddle or a cap); every walk's verdict and the gradient at the start.
@ORACLE
@given(
    a=st.sampled_from(["1", "2", "0.5", "-1"]),
    b=st.sampled_from(["1", "5", "10", "-1", "0.5"]),
    start=st.lists(decimals(-2, 2, 1), min_size=2, max_size=2),
    rates=st.lists(
        st.sampled_from(["0.01", "0.02", "0.05", "0.08", "0.1", "0.2", "0.3", "0.5", "1"]), min_size=4, max_size=4
    ),
)
def test_descent_verdicts_are_decided_by_the_walk(
    a: str, b: str, start: list[str], rates: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    A, B = Fraction(a), Fraction(b)
    X, Y = (Fraction(v) for v in start)
    assume(X != 0 and Y != 0)
    steps = 30
    records = by_name(
        values_of(
            tmp_path_factory.mktemp("descent"),
            f'template = "descent"\nf = "{a}*x**2 + {b}*y**2"\nstart = [{start[0]}, {start[1]}]\n'
            f"rate = {rates[0]}\nrates = [{', '.join(rates[1:])}]\nsteps = {steps}",
            4,
        )
    )
    check_vector(records[f"∇f({start[0]}, {start[1]})"]["tex"], (2 * A * X, 2 * B * Y), "∇f(start)")
    height = A * X**2 + B * Y**2
    check_tail(records[f"f({start[0]}, {start[1]})"]["tex"], height, True, "f(start)")
    for i, rate in enumerate(rates[1:]):
        assert records[f"η of panel {i + 1}"]["tex"] == rf"\eta = {rate}"
        eta = Fraction(rate)
        qx, qy = 1 - 2 * A * eta, 1 - 2 * B * eta  # each coordinate is multiplied by its q every step
        f_end = A * (X * qx**steps) ** 2 + B * (Y * qy**steps) ** 2
        g0 = 4 * (A * X) ** 2 + 4 * (B * Y) ** 2
        g_end = 4 * (A * X * qx**steps) ** 2 + 4 * (B * Y * qy**steps) ** 2
        # A quadratic's Newton step from w_n reaches its flat point (0, 0): it lies |w_n| away, here squared.
        away = (X * qx**steps) ** 2 + (Y * qy**steps) ** 2
        near = Fraction(6, 100) ** 2  # 1% of the window [-3, 3]
        rule = records[f"verdict of panel {i + 1}"]["claim"]["rule"]
        assume(abs(g_end - g0 / 10**4) > g0 / 10**12)  # not on the rule's threshold (float64 decides there)
        assume(abs(away - near) > near / 10**6)
        if f_end == height:  # a walk that bounces forever: neither diverges nor converges
            assert not rule.startswith("converges"), (rate, rule)
        elif f_end > height:
            assert rule.startswith("diverges"), (rate, rule)
        elif g_end <= g0 / 10**4 and away <= near:  # ‖∇f‖ ≤ 1e-2 ‖∇f_0‖, squared, and near the flat point
            assert rule.startswith("converges"), (rate, rule)
        else:
            assert not rule.startswith(("converges", "diverges")), (rate, rule)
        if min(A, B) < 0 and f_end < height:  # a saddle or a cap: f has no bottom, and the walk went down
            assert not rule.startswith(("crawls", "converges")), (rate, rule)


# curvature: g = p x^2 + q xy + r y^2 + s x with an invertible Hessian: the flat point exactly, and where −∇g points.
@ORACLE
@given(
    p=st.integers(-3, 3),
    q=st.integers(-4, 4),
    r=st.integers(-3, 3),
    s=st.integers(-2, 2),
    probe=st.lists(decimals(-1, 1, 1), min_size=2, max_size=2),
)
def test_curvature_finds_the_flat_point_exactly(
    p: int, q: int, r: int, s: int, probe: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    det = 4 * p * r - q * q
    assume(det != 0)
    # ∇g = (2p x + q y + s, q x + 2r y) = 0.
    cx, cy = Fraction(-2 * r * s, det), Fraction(q * s, det)
    px, py = (Fraction(v) for v in probe)
    flow = (-(2 * p * px + q * py + s), -(q * px + 2 * r * py))
    towards = (cx - px, cy - py)
    assume(any(flow) and any(towards))
    records = by_name(
        values_of(
            tmp_path_factory.mktemp("curvature"),
            f'template = "curvature"\nf = "{p}*x**2 + {q}*x*y + {r}*y**2 + {s}*x"\npoint = [0.5, 0.5]\n'
            f'probe = [{probe[0]}, {probe[1]}]\nmap = ["x**2 + y", "x*y**3"]\ncubic = "x**3 + x*y**2 + y**3"',
            4,
        )
    )
    heading = records["where −∇g points"]
    assert [Fraction(v) for v in heading["sympy"].strip("[]").split(", ")] == [cx, cy]
    dot = flow[0] * towards[0] + flow[1] * towards[1]
    cos2 = Fraction(dot * abs(dot)) / ((flow[0] ** 2 + flow[1] ** 2) * (towards[0] ** 2 + towards[1] ** 2))
    rule = heading["claim"]["rule"]
    expected = "toward" if cos2 >= Fraction(1, 4) else "away" if cos2 <= -Fraction(1, 4) else "across"
    assert rule.startswith(expected), (cos2, rule)


# slices: f = a x^2 + b x y + c y^3 + d y; both partials at the point, exactly.
@ORACLE
@given(
    coefficients=st.lists(st.integers(-3, 3), min_size=4, max_size=4),
    point=st.lists(decimals(-2, 2, 2), min_size=2, max_size=2),
)
def test_slices_partials_are_exact(
    coefficients: list[int], point: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    a, b, c, d = coefficients
    assume(any(coefficients))
    x, y = (Fraction(v) for v in point)
    records = by_name(
        values_of(
            tmp_path_factory.mktemp("slices"),
            f'template = "slices"\nf = "{a}*x**2 + {b}*x*y + {c}*y**3 + {d}*y"\npoint = [{point[0]}, {point[1]}]',
            3,
        )
    )
    where = f"{point[0]}, {point[1]}"
    dfdx, dfdy = 2 * a * x + b * y, b * x + 3 * c * y**2 + d
    for name, truth in ((f"∂f/∂x({where})", dfdx), (f"∂f/∂y({where})", dfdy)):
        tex = records[name]["tex"]
        if TAIL.search(tex):
            check_tail(tex, truth, True, name)
    check_vector(records[f"∇f({where})"]["tex"], (dfdx, dfdy), "∇f")
    assert records["the slice"]["tex"] == f"y = {point[1]}"


# chain: u = a x^2 + b, y = sin(u): the values and local rates, exact or correctly rounded.
@ORACLE
@given(a=st.sampled_from(["1", "2", "0.5", "-1"]), b=decimals(-1, 1, 1), x0=decimals(-1, 1, 2))
def test_chain_values_are_exact_or_rounded(a: str, b: str, x0: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    A, B, X = Fraction(a), Fraction(b), Fraction(x0)
    assume(X != 0)
    records = by_name(
        values_of(
            tmp_path_factory.mktemp("chain"),
            f'template = "chain"\ninner = "{a}*x**2 + ({b})"\nouter = "sin(u)"\nx0 = {x0}',
            4,
        )
    )
    u = A * X**2 + B
    mp_u = mpmath.mpf(u.numerator) / u.denominator
    assert records["x"]["tex"] == f"x = {x0}"
    check_tail(records["u"]["tex"], u, True, "u")
    check_tail(records["du/dx"]["tex"], 2 * A * X, True, "du/dx")
    at_zero = u == 0  # sin 0 = 0 and cos 0 = 1 exactly; at any other rational u both are irrational
    check_tail(records["y"]["tex"], Fraction(0) if at_zero else mpmath.sin(mp_u), at_zero, "y")
    check_tail(records["dy/du"]["tex"], Fraction(1) if at_zero else mpmath.cos(mp_u), at_zero, "dy/du")
    slope = 2 * A * X
    exact_slope = slope if at_zero else slope.numerator * mpmath.cos(mp_u) / slope.denominator
    check_tail(records["dy/dx"]["tex"], exact_slope, at_zero, "dy/dx")
    if not at_zero:  # the product of the rounded local rates is "≈" (cos u is irrational), never "="
        assert r"\approx" in records["dy/dx"]["tex"].split(r"\frac{dy}{du}", 1)[1].split(r"\cdot", 1)[1]


def no_equals_without_an_exact_value(records: list[Record]) -> None:
    """A number known only as a float64 (no SymPy form) is never written after "=" (step counts aside)."""
    for record in records:
        found = TAIL.search(record["tex"])
        if not found or found["rel"] != "=" or record["sympy"] or isinstance(record["value"], list):
            continue
        shown, _ = parse_number(found["num"])
        if shown.denominator == 1 and str(record["exact"]).removesuffix(".0").lstrip("-").isdigit():
            continue  # a whole number the clip counted or was given (k = 200, 1153 weights)
        raise AssertionError(f"{record['name']}: {record['tex']!r} says '=' for a float64 ({record['exact']})")


# regression: the data come from JAX's generator, so the oracle checks what it can know: inputs as written,
# "=" only with an exact value, and the closing claim consistent with the walk reaching the least-squares line.
@ORACLE
@given(
    line=st.lists(decimals(-3, 3, 2), min_size=2, max_size=2),
    noise=st.sampled_from(["0.05", "0.1", "0.25", "0.5"]),
    seed=st.integers(0, 1000),
    rate=st.sampled_from(["0.01", "0.05", "0.1", "0.125", "0.3"]),
    steps=st.integers(10, 400),
)
def test_regression_says_only_what_it_knows(
    line: list[str], noise: str, seed: int, rate: str, steps: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    records = values_of(
        tmp_path_factory.mktemp("regression"),
        f'template = "regression"\nline = [{line[0]}, {line[1]}]\nnoise = {noise}\npoints = 40\nseed = {seed}\n'
        f"rate = {rate}\nsteps = {steps}",
        4,
    )
    named = by_name(records)
    assert named["η"]["tex"] == rf"\eta = {rate}"
    b = Decimal(line[1])  # written with its sign: "- 1.5", never "+ -1.5"; no "+ 0"
    offset = "" if b == 0 else f" - {line[1].lstrip('-')}" if b < 0 else f" + {line[1]}"
    assert named["the data"]["tex"].startswith(f"y_i = {line[0]}\\,x_i{offset} + {noise}")
    check_tail(named["σ²"]["tex"], Fraction(noise) ** 2, True, "σ²") if "noise" in named["σ²"]["tex"] else None
    reached = (
        "within" in named["steps to reach (w*, b*)"]["tex"]
        and "not within" not in named["steps to reach (w*, b*)"]["tex"]
    )
    assert named["σ²"]["claim"]["rule"].startswith("at the least-squares line") == reached
    no_equals_without_an_exact_value(records)


# network: inputs as written and "=" only with an exact value.
@ORACLE
@given(
    rate=st.sampled_from(["0.01", "0.02", "0.05", "0.125"]),
    steps=st.integers(10, 300),
    seed=st.integers(0, 100),
    width=st.integers(2, 12),
)
def test_network_says_only_what_it_knows(
    rate: str, steps: int, seed: int, width: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    records = values_of(
        tmp_path_factory.mktemp("network"),
        f'template = "network"\nf = "sin(x)"\nwidths = [{width}]\npoints = 50\nseed = {seed}\nrate = {rate}\n'
        f"steps = {steps}\nbaseline_rate = 0.005\nbaseline_steps = 20",
        4,
    )
    named = by_name(records)
    assert named["η"]["tex"] == rf"\eta = {rate}"
    assert named["L_20 at η = 0.005"]["tex"].startswith(r"\eta = 0.005:")
    assert named["weights and biases"]["tex"].startswith(f"{3 * width + 1} ")  # w·1 + w + 1·w + 1
    no_equals_without_an_exact_value(records)


CHECKS: dict[str, Callable[..., None]] = {
    "descent-1d": test_descent_1d_says_only_what_is_true,
    "tangent": test_tangent_slopes_and_remarks_are_true,
    "descent": test_descent_verdicts_are_decided_by_the_walk,
    "curvature": test_curvature_finds_the_flat_point_exactly,
    "slices": test_slices_partials_are_exact,
    "chain": test_chain_values_are_exact_or_rounded,
    "regression": test_regression_says_only_what_it_knows,
    "network": test_network_says_only_what_it_knows,
}


def test_every_template_has_an_oracle() -> None:
    """A new template fails here until this module checks what it shows."""
    listed = CliRunner().invoke(cli, ["templates"]).output
    names = {line.split(":")[0] for line in listed.splitlines() if line and not line.startswith(" ")}
    assert names == set(CHECKS)
