"""The math core against closed forms, in float64, and against finite differences."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.series import default_series
from lessons.templates import TEMPLATES
from mathcore import article, chain, curvature, descent, descent1d, network, regression, slices, tangent
from mathcore.errors import MathError
from mathcore.expressions import ExpressionError
from mathcore.symbolic import Formula, agree
from scenes.claims import walk_2d

ROOT = Path(__file__).resolve().parent.parent

finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


def central_difference(f: Callable[[float], Any], x: float, h: float = 1e-6) -> float:
    return float((f(x + h) - f(x - h)) / (2 * h))


def compiled(function: object) -> int:
    """How many versions of a jitted function JAX has compiled."""
    return int(cast(Any, function)._cache_size())


# The tangent template (clip 1: f = x², and a lecturer's cubic)
PRIMER_STOPS = (-2.0, -1.0, 0.0, 3.0)


def test_derivative_of_x_squared_at_the_stops() -> None:
    clip = tangent.derivative_clip("x**2", PRIMER_STOPS)
    points = [s.point for s in clip.stops]
    assert [p.x for p in points] == [-2.0, -1.0, 0.0, 3.0]
    assert [p.slope for p in points] == [-4.0, -2.0, 0.0, 6.0]
    assert [p.f for p in points] == [4.0, 1.0, 0.0, 9.0]
    assert [s.curvature for s in clip.stops] == [2.0] * 4
    assert (clip.f_tex, clip.slope_tex) == ("x^{2}", "2 x")
    assert [s.slope_exact for s in clip.stops] == ["-4", "-2", "0", "6"]
    assert clip.stops[0].substituted == r"2 \cdot \left(-2\right)"


def test_derivative_of_a_cubic_matches_its_closed_form() -> None:
    xs = np.linspace(-2.5, 2.5, 41)
    clip = tangent.derivative_clip("x**3 - 3*x", (-2.0, -1.0, 0.0, 1.0, 2.0), [xs])
    assert [s.point.slope for s in clip.stops] == [9.0, 0.0, -3.0, 0.0, 9.0]
    assert [s.curvature for s in clip.stops] == [-12.0, -6.0, 0.0, 6.0, 12.0]
    assert clip.slope_tex == "3 x^{2} - 3"
    np.testing.assert_allclose(clip.legs[0].f, xs**3 - 3 * xs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.legs[0].slope, 3 * xs**2 - 3, rtol=0, atol=1e-12)


def test_rise_run_triangle_is_the_tangent_slope() -> None:
    t = tangent.derivative_clip("x**2", PRIMER_STOPS, run=1.0).triangle
    assert (t.x, t.f, t.run, t.rise, t.slope) == (-2.0, 4.0, 1.0, -4.0, -4.0)
    assert math.tan(t.angle) == pytest.approx(t.rise / t.run, rel=1e-15)


def test_the_default_run_makes_a_readable_triangle() -> None:
    # x² on [-3, 3] spans 9 in height; at -2 the slope is -4: the triangle's height share 4·run/9 is the
    # larger, and run = 0.3 / (4/9) = 0.675 rounds down to 0.5 (rise -2, which stays above the minimum 0).
    t = tangent.derivative_clip("x**2", PRIMER_STOPS).triangle
    assert (t.run, t.rise) == (0.5, -2.0)
    # A steep parabola: 3x² + 3x + 2 on [-4, 4] spans 62 - 5/4 in height; at -2 the slope is -9, so
    # run = 0.3 / (9 / 60.75) = 2.025 rounds down to 2: its rise, -18, reaches below the curve's lowest
    # point (the plot takes it in) rather than shrinking the triangle.
    steep = tangent.derivative_clip("3*x**2 + 3*x + 2", [-2.0, 1.5], window=(-4.0, 4.0)).triangle
    assert (steep.run, steep.rise) == (2.0, -18.0)
    # sin on [-3, 3] spans 2 (it passes both ±π/2); at -2 the slope is cos 2 ≈ -0.416: 0.3 / (0.416 / 2) ≈ 1.44,
    # so the run is 1 (it used to be 0.2, kept above the curve's minimum: a triangle hidden under the dot).
    sine = tangent.derivative_clip("sin(x)", [-2.0, 0.0, 1.0, 2.0]).triangle
    assert sine.run == 1.0 and sine.rise == pytest.approx(math.cos(2.0), abs=1e-12)


def test_derivative_legs_sample_every_frame() -> None:
    legs = [np.linspace(-2, -1, 38), np.linspace(0, 3, 53)]
    clip = tangent.derivative_clip("x**2", PRIMER_STOPS, legs)
    assert [len(leg) for leg in clip.legs] == [38, 53]
    for leg, xs in zip(clip.legs, legs, strict=True):
        np.testing.assert_array_equal(leg.x, xs)
        np.testing.assert_array_equal(leg.f, xs**2)
        np.testing.assert_array_equal(leg.slope, 2 * xs)


def test_frozen_results_are_read_only() -> None:
    clip = tangent.derivative_clip("x**2", PRIMER_STOPS)
    with pytest.raises(ValueError):
        clip.curve.x[0] = 1.0
    with pytest.raises(AttributeError):
        clip.triangle.rise = 0.0  # type: ignore[misc]


@settings(max_examples=50, deadline=None)
@given(finite)
def test_derivative_matches_finite_differences(x: float) -> None:
    slope = tangent.derivative_clip("sin(x**2) + x**3", [x], window=(-4.0, 4.0)).stops[0].point.slope
    assert slope == pytest.approx(central_difference(lambda t: math.sin(t**2) + t**3, x), abs=1e-6)


@pytest.mark.parametrize(
    ("text", "where"),
    [("sqrt(x)", "at (0)"), ("log(x)", "at (0)"), ("1/x", "at (0)"), ("x**3", None)],
)
def test_a_function_undefined_or_not_differentiable_at_a_stop_is_refused(text: str, where: str | None) -> None:
    if where is None:
        tangent.derivative_clip(text, [0.0], window=(-1.0, 1.0))
        return
    with pytest.raises(MathError, match=re.escape(where)):
        tangent.derivative_clip(text, [0.0, 1.0], window=(0.5, 2.0))


def test_a_first_stop_at_the_windows_end_is_refused() -> None:
    with pytest.raises(MathError, match="leaves no room for the rise/run triangle"):
        tangent.derivative_clip("x**2", [3.0, 0.0], window=(-3.0, 3.0))


@pytest.mark.parametrize(
    ("text", "window", "message"),
    [
        ("log(x)", (-1.0, 2.0), "log(x) is undefined at x in [-1, 0] inside the window [-1, 2]: set a window"),
        ("tan(x)", (-3.0, 3.0), "tan(x) is undefined at x = -pi/2, pi/2 inside the window"),
        ("sqrt(x**2)", (-3.0, 3.0), "sqrt(x**2) is not differentiable at x = 0"),
        ("(x**2)**(1/3)", (-1.0, 2.0), "(x**2)**(1/3) is not differentiable at x = 0"),
        ("x**(1/3)", (-1.0, 2.0), "x**(1/3) is not differentiable at x = 0"),
        ("1/0 + x", (-1.0, 2.0), "1/0 + x is undefined: it divides by zero"),
        ("log(-1)*x", (-1.0, 2.0), "log(-1)*x is undefined: it divides by zero or leaves the real numbers"),
    ],
)
def test_a_function_undefined_or_kinked_on_the_plotted_window_is_refused(
    text: str, window: tuple[float, float], message: str
) -> None:
    with pytest.raises(MathError, match=re.escape(message)) as refused:
        tangent.derivative_clip(text, [1.0], window=window)
    assert refused.value.field == "f"


def test_a_rational_power_is_a_fair_lesson_where_it_is_defined() -> None:
    clip = tangent.derivative_clip("x**(1/3)", [1.0, 2.0], window=(0.5, 3.0))
    assert clip.stops[0].slope_value == sp.Rational(1, 3)
    assert clip.stops[1].point.slope == pytest.approx(1 / (3 * 2 ** (2 / 3)), rel=1e-15)


# The slices template (clip 2)
def test_partials_of_the_surface_at_1_2() -> None:
    clip = slices.partial_clip("x**2 + 3*x*y + y**3", (1.0, 2.0))
    assert (clip.x0, clip.y0) == (1.0, 2.0)
    assert clip.dfdx == 8.0
    assert clip.dfdy == 15.0
    assert clip.gradient == (8.0, 15.0)
    assert clip.f0 == 1 + 6 + 8
    assert (clip.dfdx_tex, clip.dfdy_tex) == ("2 x + 3 y", "3 x + 3 y^{2}")
    assert clip.dfdx_at == (r"2 \cdot 1 + 3 \cdot 2", "8")
    assert (clip.slice_y.tex, clip.slice_x.tex) == ("x^{2} + 6 x + 8", "y^{3} + 3 y + 1")


def test_slices_and_grid_match_closed_forms() -> None:
    clip = slices.partial_clip("x**2 + 3*x*y + y**3", (1.0, 2.0))
    x, y = clip.slice_y.t, clip.slice_x.t
    np.testing.assert_allclose(clip.slice_y.f, x**2 + 6 * x + 8, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_y.slope, 2 * x + 6, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_x.f, 1 + 3 * y + y**3, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_x.slope, 3 + 3 * y**2, rtol=0, atol=1e-12)
    for coords, heights in ((clip.grid, clip.grid_f), (clip.mesh, clip.mesh_f)):
        gx, gy = np.meshgrid(coords, coords)
        np.testing.assert_allclose(heights, gx**2 + 3 * gx * gy + gy**3, rtol=0, atol=1e-12)


def test_level_curves_lie_on_their_levels() -> None:
    clip = slices.partial_clip("x**2 + 3*x*y + y**3", (1.0, 2.0))
    levels = [c.level for c in clip.levels]
    # On [-3, 3]² f runs from -45 at (3, -3) to 63 at (3, 3): round levels strictly between, every 10.
    assert (clip.grid_f.min(), clip.grid_f.max()) == (-45.0, 63.0)
    assert levels == [float(v) for v in range(-40, 61, 10)]
    step = clip.grid[1] - clip.grid[0]
    for curve in clip.levels:
        assert curve.pieces
        for piece in curve.pieces:
            x, y = piece[:, 0], piece[:, 1]
            heights = x**2 + 3 * x * y + y**3
            # Traced on a grid with linear interpolation: off by at most the curvature over one cell.
            assert np.max(np.abs(heights - curve.level)) < 40 * step**2


@settings(max_examples=30, deadline=None)
@given(finite, finite)
def test_partials_match_finite_differences(x: float, y: float) -> None:
    clip = slices.partial_clip("x**2 + 3*x*y + y**3", (x, y), grid_size=3, slice_size=3, mesh_size=3, levels=())

    def f(a: float, b: float) -> float:
        return a**2 + 3 * a * b + b**3

    assert clip.dfdx == pytest.approx(central_difference(lambda t: f(t, y), x), abs=1e-5)
    assert clip.dfdy == pytest.approx(central_difference(lambda t: f(x, t), y), abs=1e-5)


# The chain template (clip 3)
def test_chain_rule_of_sin_x_squared_at_1() -> None:
    g = chain.chain_clip("x**2", "sin(u)", 1.0, (30, 15, 40, 8)).graph
    assert g.u == 1.0
    assert g.y == math.sin(1.0)
    assert g.du_dx == 2.0
    assert g.dy_du == math.cos(1.0)
    assert g.dy_dx == pytest.approx(2 * math.cos(1.0), rel=1e-15)
    assert g.dy_dx == pytest.approx(g.du_dx * g.dy_du, rel=1e-15)
    assert round(g.y, 2) == 0.84 and round(g.dy_du, 2) == 0.54 and round(g.dy_dx, 2) == 1.08
    assert g.backward[0] == 1.0
    assert g.backward[1] == pytest.approx(g.dy_du, rel=1e-15)
    assert g.backward[2] == pytest.approx(g.dy_dx, rel=1e-15)
    assert g.exact_tex == {
        "u": "1",
        "y": r"\sin{\left(1 \right)}",
        "du/dx": "2",
        "dy/du": r"\cos{\left(1 \right)}",
        "dy/dx": r"2 \cos{\left(1 \right)}",
    }


def test_chain_rule_of_another_composition() -> None:
    g = chain.chain_clip("3*x + 1", "exp(u)", 0.5, (30, 15, 40, 8)).graph
    assert (g.u, g.du_dx) == (2.5, 3.0)
    assert g.dy_dx == pytest.approx(3 * math.exp(2.5), rel=1e-14)
    assert g.exact_tex["dy/dx"] == r"3 e^{5 / 2}"


def test_gear_train_turns_c_ten_degrees_per_degree_of_a() -> None:
    thetas = np.linspace(0.0, 72.0, 97)
    gears = chain.chain_clip("x**2", "sin(u)", 1.0, (30, 15, 40, 8), thetas).gears
    assert gears.ratio_ab == -2.0
    assert gears.ratio_bc == -5.0
    assert gears.ratio_ac == 10.0  # (-2)(-5): each mesh reverses the sense of turning
    assert gears.ratio_tex == {"ab": "-2", "bc": "-5", "ac": "10"}
    np.testing.assert_array_equal(gears.angle_b, -2.0 * thetas)
    np.testing.assert_array_equal(gears.angle_c, 10.0 * thetas)


def test_gear_ratios_follow_any_tooth_counts() -> None:
    gears = chain.chain_clip("x**2", "sin(u)", 1.0, (24, 16, 9, 27), np.array([0.0, 8.0])).gears
    assert gears.ratio_ac == pytest.approx((-24 / 16) * (-9 / 27), rel=1e-15)
    assert gears.ratio_tex == {"ab": "- 3 / 2", "bc": "- 1 / 3", "ac": "1 / 2"}


def test_closing_curve_is_the_composition() -> None:
    clip = chain.chain_clip("x**2", "sin(u)", 1.0, (30, 15, 40, 8))
    np.testing.assert_allclose(clip.curve_y, np.sin(clip.curve_x**2), rtol=0, atol=1e-15)


# The descent template (clip 4, and a lecturer's stretched bowl)
def bowl(**kwargs: Any) -> descent.GradientClip:
    settings_ = {"rate": 0.1, "rates": (0.02, 0.3, 1.05), "steps": 30, **kwargs}
    return descent.gradient_clip("x**2 + y**2", (1.5, 0.8), **settings_)


def test_gradient_of_the_bowl_at_the_start() -> None:
    clip = bowl()
    assert clip.start == (1.5, 0.8)
    assert clip.gradient == (3.0, 1.6)
    assert clip.gradient_tex == ("2 x", "2 y")
    assert clip.gradient_norm == pytest.approx(3.4, rel=1e-15)
    tx, ty = clip.level_tangent
    assert tx * clip.gradient[0] + ty * clip.gradient[1] == pytest.approx(0.0, abs=1e-15)
    assert clip.f0 == pytest.approx(1.5**2 + 0.8**2, rel=1e-15)
    assert (clip.rate_limit, clip.rate_limit_tex) == (sp.Integer(1), "1")  # |1 - 2η| < 1 exactly when η < 1
    assert clip.end_curvatures == (2.0, 2.0)
    for curve in (*clip.levels, clip.marker_level):  # contours of x² + y² are circles
        for piece in curve.pieces:
            np.testing.assert_allclose(np.hypot(piece[:, 0], piece[:, 1]), math.sqrt(curve.level), rtol=2e-3)
    assert clip.marker_level.level == clip.f0


@pytest.mark.parametrize("rate", [0.02, 0.1, 0.3, 1.05])
def test_descent_paths_match_the_closed_form(rate: float) -> None:
    path = bowl(rate=rate).descent
    k = np.arange(31)[:, None]
    expected = (1 - 2 * rate) ** k * np.array([1.5, 0.8])
    np.testing.assert_allclose(path.w, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.f, np.sum(expected**2, axis=1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.grad, 2 * expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.grad_norm, 2 * np.linalg.norm(expected, axis=1), rtol=1e-12, atol=1e-15)


def test_learning_rates_crawl_converge_and_diverge() -> None:
    clip = bowl()
    diverge = clip.contrast[2]
    assert np.linalg.norm(clip.descent.w[-1]) < 1e-2
    verdicts = [
        walk_2d(run.w, run.f, run.grad_norm, False, clip.rate_limit, sp.Rational(repr(run.rate)), run.newton, 6.0)
        for run in clip.contrast
    ]
    assert [v.rule.split(":")[0] for v in verdicts] == ["crawls", "converges", "diverges"]
    assert verdicts[2].words == r"\text{diverges: }\eta > 1"  # 1.05 > 2/λmax = 1, decided exactly
    assert np.all(np.diff(diverge.grad_norm) > 0)


def test_descent_on_a_stretched_bowl_matches_its_closed_form() -> None:
    # f = (x - 1)² + 2y²: x_k - 1 = (1 - 2η)^k (x_0 - 1), y_k = (1 - 4η)^k y_0; diverges for η > 1/2.
    clip = descent.gradient_clip("(x - 1)**2 + 2*y**2", (-1.5, 1.2), 0.1, (0.02, 0.2, 0.55), 30)
    k = np.arange(31)
    np.testing.assert_allclose(clip.descent.w[:, 0], 1 + 0.8**k * -2.5, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(clip.descent.w[:, 1], 0.6**k * 1.2, rtol=1e-12, atol=1e-14)
    assert clip.gradient == (-5.0, 4.8)
    assert clip.gradient_tex == ("2 x - 2", "4 y")
    assert (clip.rate_limit, clip.rate_limit_tex) == (sp.Rational(1, 2), "1 / 2")
    assert [bool(run.f[-1] > run.f[0]) for run in clip.contrast] == [False, False, True]


def test_descent_on_a_saddle_has_no_rate_limit_and_no_minimum() -> None:
    clip = descent.gradient_clip("x**2 + 3*x*y + y**2", (1.0, -0.9), 0.05, (0.01, 0.02, 0.03), 10)
    assert clip.rate_limit is None and clip.unbounded_below  # the Hessian has a negative eigenvalue
    assert min(clip.end_curvatures) == pytest.approx(-1.0, rel=1e-12)


# The descent-in-one-dimension template (clip 5)
def test_descent_in_one_dimension_matches_its_closed_form() -> None:
    # f = (x - 3)² + 1, x_{k+1} = x_k - 0.1·2(x_k - 3): x_k - 3 = 0.8^k (x_0 - 3), so x_k = 3 - 3·0.8^k.
    clip = descent1d.descent_1d_clip("(x - 3)**2 + 1", 0.0, 0.1, 50, (-1.0, 5.0))
    k = np.arange(51)
    np.testing.assert_allclose(clip.x, 3 - 3 * 0.8**k, rtol=1e-13, atol=1e-15)
    assert clip.x[50] == pytest.approx(3 - 3 * 0.8**50, rel=1e-15)
    assert clip.x[50] == 2.9999571825692186  # the storyboard's float64 value
    np.testing.assert_allclose(clip.slope, 2 * (clip.x - 3), rtol=0, atol=1e-14)
    assert list(clip.curvature) == [2.0] * 51
    assert [(s.next_x, s.next_value) for s in clip.exact_steps] == [
        ("3 / 5", 0.6),  # a short fraction slashed
        ("27 / 25", 1.08),
        ("183 / 125", 1.464),
    ]
    assert clip.exact_steps[0].slope == "-6" and clip.exact_steps[1].slope == "- 24 / 5"  # -4.8
    assert (clip.closed_form, clip.minimum) == (r"3 - 3 \left(4 / 5\right)^{k}", 3.0)
    assert (clip.slope_tex, clip.curvature_tex) == ("2 x - 6", "2")


def test_descent_in_one_dimension_without_a_closed_form() -> None:
    clip = descent1d.descent_1d_clip("x**4 - 3*x", 1.0, 0.02, 40, (-2.0, 2.0))
    assert clip.closed_form is None  # f'' = 12x² is not constant
    assert float(clip.x[1]) == 1.0 - 0.02 * (4 - 3)
    assert abs(clip.slope[-1]) < 1e-3 and clip.curvature[-1] > 0  # settles at the minimum (3/4)^(1/3)
    assert clip.x[-1] == pytest.approx(0.75 ** (1 / 3), abs=1e-4)


def test_a_walk_that_blows_up_is_refused() -> None:
    with pytest.raises(MathError, match="diverges past what float64 holds; lower the rate"):
        descent1d.descent_1d_clip("x**4", 1.0, 1.5, 40, (-2.0, 2.0))


# The curvature template (clip 6)
def saddle_clip() -> curvature.CurvatureClip:
    return curvature.curvature_clip(
        "x**2 + 3*x*y + y**2",
        "x**2 + y**2",
        (1, 2),
        (1, -1),
        (-2, 2),
        ("x**2 + y", "x*y**3"),
        0.1,
        "x**3 + x*y**2 + y**3",
    )


def test_the_articles_bowl_is_a_saddle() -> None:
    clip = saddle_clip()
    # ∇g = (2x + 3y, 3x + 2y): (8, 7) at (1, 2); -∇g(1, -1) = (1, -1), away from the flat point (0, 0).
    assert clip.gradient == (8.0, 7.0) and clip.flow == (1.0, -1.0)
    assert clip.critical == (0.0, 0.0) and clip.critical_exact == (0, 0)
    assert clip.flow_exact == (1, -1) and clip.gradient_exact == (8, 7)
    for (x, y), (u, v) in zip(clip.field_points, clip.field, strict=True):
        assert (u, v) == pytest.approx((-(2 * x + 3 * y), -(3 * x + 2 * y)), abs=1e-14)
    saddle = clip.curvature
    assert saddle.kind == "saddle" and saddle.eigenvalues == (-1.0, 5.0)
    np.testing.assert_array_equal(saddle.matrix, [[2, 3], [3, 2]])
    root = 1 / math.sqrt(2)
    np.testing.assert_allclose(saddle.directions, [[root, -root], [root, root]], rtol=1e-15)
    assert saddle.directions_tex == (r"(1,\ -1)", r"(1,\ 1)")
    assert saddle.profiles_tex == ("- t^{2}", "5 t^{2}")  # g(t, -t) = t² - 3t² + t², g(t, t) = 5t²
    assert clip.bowl.kind == "bowl" and clip.bowl.eigenvalues == (2.0, 2.0)


def test_the_jacobian_is_the_best_linear_map() -> None:
    clip = saddle_clip()
    np.testing.assert_array_equal(clip.jacobian, [[2, 1], [8, 12]])  # [[2x, 1], [y³, 3xy²]] at (1, 2)
    assert clip.determinant == 16.0 and clip.determinant_tex == "16"
    x, y = clip.square[:, 0], clip.square[:, 1]
    np.testing.assert_allclose(clip.image, np.stack([x**2 + y, x * y**3], 1), rtol=1e-15)
    np.testing.assert_allclose(
        clip.linear_image, np.stack([3 + 2 * (x - 1) + (y - 2), 8 + 8 * (x - 1) + 12 * (y - 2)], 1)
    )
    assert np.abs(clip.image - clip.linear_image).max() < 0.2 < np.abs(clip.image - clip.image[0]).max()
    # h = x³ + xy² + y³: H = [[6x, 2y], [2y, 2x + 6y]] = [[6, 4], [4, 14]] at (1, 2)
    np.testing.assert_array_equal(clip.cubic_hessian, [[6, 4], [4, 14]])
    assert clip.cubic_hessian_at_tex == r"\left[\begin{matrix}6 & 4\\4 & 14\end{matrix}\right]"


# The regression template (clip 7)
def test_regression_ends_at_the_least_squares_line() -> None:
    clip = regression.regression_clip(2.0, 1.0, 0.1, 100, 42, 0.1, 200)
    design = np.stack([clip.x, np.ones_like(clip.x)], 1)
    best, *_ = np.linalg.lstsq(design, clip.y, rcond=None)
    assert clip.least_squares == pytest.approx(tuple(best), abs=1e-12)
    assert np.abs(clip.path[-1] - best).max() < 1e-12
    # L is quadratic: p_k - p* = (I - ηH)^k (p_0 - p*), H = (2/n) XᵀX.
    hessian = 2 * design.T @ design / len(clip.x)
    walk = np.eye(2) - 0.1 * hessian
    for k in (1, 5, 30):
        expected = best + np.linalg.matrix_power(walk, k) @ (np.zeros(2) - best)
        np.testing.assert_allclose(clip.path[k], expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(clip.curvatures, np.linalg.eigvalsh(hessian), rtol=1e-12)
    assert clip.reached_at is not None and clip.reached_at == 68
    assert np.abs(clip.path[clip.reached_at] - best).max() <= 1e-6 < np.abs(clip.path[clip.reached_at - 1] - best).max()
    assert clip.loss[-1] == pytest.approx(np.mean((design @ best - clip.y) ** 2), rel=1e-12)


def test_regression_noise_is_not_a_copy_of_x() -> None:
    clip = regression.regression_clip(2.0, 1.0, 0.1, 100, 42, 0.1, 200)
    noise = clip.y - 2 * clip.x - 1
    assert abs(np.corrcoef(noise, clip.x)[0, 1]) < 0.3  # one key for both would make this exactly 1
    assert 0.05 < noise.std() < 0.15


def test_regression_at_a_rate_too_big_is_refused() -> None:
    with pytest.raises(MathError, match=re.escape("diverges at rate 1.2")):
        regression.regression_clip(2.0, 1.0, 0.1, 100, 42, 1.2, 50)


# The network template (clip 8), pinned: the article's net and keys, float64
def test_the_small_net_learns_sin_x() -> None:
    clip = network.network_clip("sin(x)", [32, 32], (-3, 3), 200, 0, 0.1, 0.05, 5000, (0.01, 2000))
    assert clip.sizes == (1, 32, 32, 1) and clip.parameter_count == (32 + 32) + (32 * 32 + 32) + (32 + 1)
    assert clip.run.loss[0] == pytest.approx(0.4913, abs=5e-5)
    assert clip.baseline.loss[1] == pytest.approx(0.4901, abs=5e-5)  # the article's "epoch 0" line, at η = 0.01
    assert clip.baseline.loss[-1] == pytest.approx(0.0593, abs=5e-5)  # its settings: not yet sin x
    assert clip.run.loss[-1] == pytest.approx(3.229e-5, rel=1e-3)
    assert np.all(np.diff(clip.run.loss) <= 1e-12)  # plain descent at this rate never goes up
    np.testing.assert_allclose(clip.y, np.sin(clip.x), rtol=1e-15)
    assert np.abs(clip.fitted[-1] - np.sin(clip.grid)).max() < 0.05  # worst at the ends, past the last points
    assert np.abs(clip.baseline_fitted - np.sin(clip.grid)).max() > 0.2
    assert np.abs(clip.fitted[0]).max() < 0.1  # untrained: nearly flat
    assert (
        clip.checkpoints[0] == 0 and clip.checkpoints[-1] == 5000 and list(clip.checkpoints) == sorted(clip.checkpoints)
    )
    for k, curve in zip(clip.checkpoints[1:4], clip.fitted[1:4], strict=True):  # the curves are the net's at step k
        assert not np.array_equal(curve, clip.fitted[0]), k


def test_the_article_settings_reach_the_storyboards_loss_after_twenty_thousand_steps() -> None:
    clip = network.network_clip("sin(x)", [32, 32], (-3, 3), 200, 0, 0.1, 0.01, 20000, (0.01, 2000))
    assert clip.run.loss[2000] == clip.baseline.loss[-1]  # the same run, cut at 2000
    assert clip.run.loss[-1] == pytest.approx(6.05e-5, rel=2e-3)


# Expressions: text checked against a whitelist, SymPy and JAX checked against each other
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("__import__('os').system('true')", "__import__('os').system('true')"),
        ("x.real", "x.real"),
        ("x[0]", "x[0]"),
        ("(lambda: 1)()", "(lambda: 1)()"),
        ("z + 1", "'z'"),
        ("open('f')", "open('f')"),
        ("9**9**9", "9**9"),
        ("x if x else 1", "x if x else 1"),
        ("[x]", "[x]"),
        ("'x'", "'x'"),
        ("sin(x, 2)", "sin(x, 2)"),
        ("x == 1", "x == 1"),
    ],
)
def test_anything_but_a_formula_is_refused_and_quoted(text: str, quoted: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        Formula.parse(text, ["x"])
    assert quoted in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2x + 1", "'2x + 1' is not a formula (write a product with *: 2*x)"),
        ("3(x + 1)", "'3(x + 1)': write a product with *, as in 3*(...)"),
        ("x(x + 1)", "'x(x + 1)': write a product with *, as in x*(...)"),
        ("x^2", "'x^2': write a power with **, as in x**2 (^ is not a power)"),
        ("e**x", "'e' is not allowed here (names: x, pi); for e to a power write exp(...)"),
        ("ln(x)", "'ln(x)': the natural logarithm is written log(...)"),
    ],
)
def test_a_formula_written_as_on_paper_is_refused_with_how_to_write_it(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        Formula.parse(text, ["x"])
    assert str(refused.value) == message


def test_sympy_derivatives_agree_with_jax_at_the_points() -> None:
    f = Formula.parse("exp(-x**2) * cos(3*x) + tanh(x)", ["x"])
    points = [[-1.3], [0.0], [0.4], [2.2]]
    from_jax = [float(jax.grad(f.jax)(jnp.float64(p[0]))) for p in points]
    agree(f, f.diff("x"), "x", points, from_jax)  # raises if they differ by 1e-12
    # and by hand: d/dx = -2x e^(-x²) cos 3x - 3 e^(-x²) sin 3x + 1 - tanh² x
    x = 0.4
    by_hand = -2 * x * math.exp(-(x**2)) * math.cos(3 * x) - 3 * math.exp(-(x**2)) * math.sin(3 * x) + 1
    assert from_jax[2] == pytest.approx(by_hand - math.tanh(x) ** 2, rel=1e-14)


def test_a_wrong_derivative_is_caught() -> None:
    f = Formula.parse("x**3", ["x"])
    with pytest.raises(MathError, match="SymPy says"):
        agree(f, Formula.parse("3*x**2 + 1e-9", ["x"]), "x", [[1.0]], [3.0])


def test_numbers_are_exact_as_written() -> None:
    f = Formula.parse("0.1*x + 1/3", ["x"])
    assert f.exact([3.0]) == sympy.Rational(19, 30)
    assert Formula.parse("x**2 + 3*x*y + y**3", ["x", "y"]).tex == "x^{2} + 3 x y + y^{3}"
    assert Formula.parse("(x - 1)**2 + 2*y**2", ["x", "y"]).tex == r"\left(x - 1\right)^{2} + 2 y^{2}"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x*exp(-x**2/2)", r"x e^{- x^{2} / 2}"),  # one product over 2, not ((-1) x^2) / 2
        ("1/(1 + exp(-x))", r"\frac{1}{1 + e^{- x}}"),  # the sigmoid: not 1 times 1/(1 + e^-x)
        ("-x*y/3", "- x y / 3"),
        ("x/(2*y)", r"\frac{x}{2 y}"),  # slashed only over one term: x / 2 y would read as (x/2) y
        ("x/3/y", r"\frac{x}{3 y}"),
        ("exp(-x**2/2)/sqrt(2*pi)", r"\frac{e^{- x^{2} / 2}}{\sqrt{2 \pi}}"),
        ("x*0.5*y", "x y / 2"),  # a number after a factor goes first: not x 1/2 y
        ("2/(x*3)", r"\frac{2}{3 x}"),  # not x 3, which TeX sets as x3
        ("(-1)**(-2)*x", "x"),  # a power of numbers is its value (SymPy's printer recursed forever on it)
    ],
)
def test_a_formula_is_written_as_a_reader_writes_it(text: str, written: str) -> None:
    formula = Formula.parse(text, ["x", "y"])
    assert formula.tex == written
    assert sympy.simplify(formula.written - formula.expr) == 0


# The article
def test_article_values() -> None:
    v = article.article_values()
    np.testing.assert_array_equal(v.saddle_gradient, [8.0, 7.0])
    np.testing.assert_allclose(v.saddle_hessian_eigenvalues, [-1.0, 5.0], rtol=1e-14)
    np.testing.assert_array_equal(v.jacobian, [[2.0, 1.0], [8.0, 12.0]])
    np.testing.assert_array_equal(v.hessian, [[6.0, 4.0], [4.0, 14.0]])
    s = math.sqrt(0.5)
    np.testing.assert_allclose(v.sin_derivatives, [s, s, -s, -s], rtol=1e-15)
    k = np.arange(len(v.descent_path))
    np.testing.assert_allclose(v.descent_path, 3 - 3 * 0.8**k, rtol=1e-13)
    assert v.descent_path[-1] == pytest.approx(3.0, abs=1e-4)


def test_float64_is_on() -> None:
    assert jnp.asarray(1.0).dtype == jnp.float64


# For each template, a field of its project lesson to change without changing any array's shape: the
# second lesson must reuse what the first compiled. A template missing here fails the test below.
SAME_SHAPE = {
    "tangent": ("stops", [[-1.5], [-0.5, 0.5], [2.5]]),
    "slices": ("point", [0.5, 1.0]),
    "chain": ("x0", 0.25),
    "descent": ("start", [1.0, -2.0]),
    "descent-1d": ("x0", 0.5),
    "curvature": ("probe", [0.5, -1.5]),
    "regression": ("seed", 7),
    "network": ("seed", 5),
}
COMPILES = """
import dataclasses, importlib, json, pkgutil, sys
from jax import monitoring
import mathcore
from lessons.series import default_series
from lessons.templates import TEMPLATES
same_shape = json.loads(sys.argv[1])
count = [0]
def listen(event, duration, **_):
    count[0] += event == "/jax/core/compile/backend_compile_duration"
monitoring.register_event_duration_secs_listener(listen)
clips = {c.template: c for c in reversed(default_series().clips)}
def compiles():
    found = {}
    for template, kind in TEMPLATES.items():
        module = importlib.import_module(kind.text)
        count[0] = 0
        module.compute(clips[template].lesson)
        first = count[0]
        field, value = same_shape[template]
        count[0] = 0
        spec = {p.name: p.kind for p in kind.params}[field]
        module.compute(dataclasses.replace(clips[template].lesson, **{field: spec(value)}))
        found[template] = [first, count[0]]
    return found
kept = compiles()
# What a cache that broke would do: every lesson builds and compiles its function anew.
for info in pkgutil.iter_modules(mathcore.__path__):
    module = importlib.import_module(f"mathcore.{info.name}")
    for attr, value in list(vars(module).items()):
        if attr.startswith("_") and hasattr(value, "cache_clear") and hasattr(value, "__wrapped__"):
            setattr(module, attr, value.__wrapped__)
print(json.dumps([kept, compiles()]))
"""


def test_no_template_recompiles_its_math_for_a_lesson_of_the_same_shapes() -> None:
    assert set(SAME_SHAPE) == set(TEMPLATES), "every template needs a SAME_SHAPE entry"
    assert {c.template for c in default_series().clips} >= set(TEMPLATES), "every template needs a project clip"
    done = subprocess.run(
        [sys.executable, "-c", COMPILES, json.dumps(SAME_SHAPE)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    counted, forgetting = json.loads(done.stdout)  # per template: compiles for its lesson, then for the other
    assert all(first > 0 for first, _ in counted.values()), counted  # the counter sees compiles at all
    assert {template: again for template, (_, again) in counted.items()} == dict.fromkeys(TEMPLATES, 0)
    # And the test can fail: with the compiled functions' caches bypassed, every template compiles again.
    assert all(again > 0 for _, again in forgetting.values()), forgetting
