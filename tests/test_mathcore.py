"""The math core against closed forms, in float64, and against finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, cast

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import article, chain, derivative, gradient, partial

finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


def central_difference(f: Callable[[float], Any], x: float, h: float = 1e-6) -> float:
    return float((f(x + h) - f(x - h)) / (2 * h))


def compiled(function: object) -> int:
    """How many versions of a jitted function JAX has compiled."""
    return int(cast(Any, function)._cache_size())


# Clip 1
def test_derivative_of_x_squared_at_the_stops() -> None:
    clip = derivative.derivative_clip()
    assert clip.stops.x.tolist() == [-2.0, -1.0, 0.0, 3.0]
    assert clip.stops.slope.tolist() == [-4.0, -2.0, 0.0, 6.0]
    assert clip.stops.f.tolist() == [4.0, 1.0, 0.0, 9.0]
    assert clip.stops.slope.dtype == np.float64


def test_rise_run_triangle_is_the_tangent_slope() -> None:
    t = derivative.derivative_clip().triangle
    assert (t.x, t.f, t.run, t.rise, t.slope) == (-2.0, 4.0, 1.0, -4.0, -4.0)
    assert math.tan(t.angle) == pytest.approx(t.rise / t.run, rel=1e-15)


def test_derivative_legs_sample_every_frame() -> None:
    legs = [np.linspace(-2, -1, 38), np.linspace(0, 3, 53)]
    clip = derivative.derivative_clip(legs=legs)
    assert [len(leg) for leg in clip.legs] == [38, 53]
    for leg, xs in zip(clip.legs, legs, strict=True):
        np.testing.assert_array_equal(leg.x, xs)
        np.testing.assert_array_equal(leg.f, xs**2)
        np.testing.assert_array_equal(leg.slope, 2 * xs)


def test_frozen_results_are_read_only() -> None:
    clip = derivative.derivative_clip()
    with pytest.raises(ValueError):
        clip.stops.x[0] = 1.0
    with pytest.raises(AttributeError):
        clip.triangle.rise = 0.0  # type: ignore[misc]


@settings(max_examples=50, deadline=None)
@given(finite)
def test_derivative_matches_finite_differences(x: float) -> None:
    slope = derivative.derivative_clip(stops=[x]).stops.slope[0]
    assert slope == pytest.approx(central_difference(lambda t: t**2, x), abs=1e-6)


# Clip 2
def test_partials_of_the_surface_at_1_2() -> None:
    clip = partial.partial_clip()
    assert (clip.x0, clip.y0) == (1.0, 2.0)
    assert clip.dfdx == 8.0
    assert clip.dfdy == 15.0
    assert clip.gradient == (8.0, 15.0)
    assert clip.f0 == 1 + 6 + 8


def test_slices_and_grid_match_closed_forms() -> None:
    clip = partial.partial_clip()
    x, y = clip.slice_y.t, clip.slice_x.t
    np.testing.assert_allclose(clip.slice_y.f, x**2 + 6 * x + 8, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_y.slope, 2 * x + 6, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_x.f, 1 + 3 * y + y**3, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clip.slice_x.slope, 3 + 3 * y**2, rtol=0, atol=1e-12)
    assert clip.slice_y.coefficients == (8.0, 6.0, 1.0, 0.0)  # x² + 6x + 8
    assert clip.slice_x.coefficients == (1.0, 3.0, 0.0, 1.0)  # y³ + 3y + 1
    for coords, heights in ((clip.grid, clip.grid_f), (clip.mesh, clip.mesh_f)):
        gx, gy = np.meshgrid(coords, coords)
        np.testing.assert_allclose(heights, gx**2 + 3 * gx * gy + gy**3, rtol=0, atol=1e-12)


def test_level_curves_lie_on_their_levels() -> None:
    clip = partial.partial_clip()
    assert [c.level for c in clip.levels] == list(partial.LEVELS)
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
    clip = partial.partial_clip(point=(x, y), grid_size=3, slice_size=3, mesh_size=3, levels=())

    def f(a: float, b: float) -> float:
        return a**2 + 3 * a * b + b**3

    assert clip.dfdx == pytest.approx(central_difference(lambda t: f(t, y), x), abs=1e-5)
    assert clip.dfdy == pytest.approx(central_difference(lambda t: f(x, t), y), abs=1e-5)


# Clip 3
def test_chain_rule_of_sin_x_squared_at_1() -> None:
    g = chain.chain_clip().graph
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


def test_gear_train_turns_c_ten_degrees_per_degree_of_a() -> None:
    thetas = np.linspace(0.0, 72.0, 97)
    gears = chain.chain_clip(thetas).gears
    assert gears.ratio_ab == -2.0
    assert gears.ratio_bc == -5.0
    assert gears.ratio_ac == 10.0
    assert abs(gears.ratio_ac) == 10.0  # dθ_C/dθ_A, as the primer states it
    np.testing.assert_array_equal(gears.angle_b, -2.0 * thetas)
    np.testing.assert_array_equal(gears.angle_c, 10.0 * thetas)
    a, b, b2, c = gears.teeth
    assert (a / b, b2 / c) == (2.0, 5.0)


def test_closing_curve_is_sin_x_squared() -> None:
    clip = chain.chain_clip()
    np.testing.assert_allclose(clip.curve_y, np.sin(clip.curve_x**2), rtol=0, atol=1e-15)


# Clip 4
def test_gradient_of_the_bowl_at_the_start() -> None:
    clip = gradient.gradient_clip()
    assert clip.start == (1.5, 0.8)
    assert clip.gradient == (3.0, 1.6)
    assert clip.gradient_norm == pytest.approx(3.4, rel=1e-15)
    tx, ty = clip.level_tangent
    assert tx * clip.gradient[0] + ty * clip.gradient[1] == pytest.approx(0.0, abs=1e-15)
    assert clip.f0 == pytest.approx(1.5**2 + 0.8**2, rel=1e-15)
    assert clip.rate_limit == 1.0  # |1 - 2η| < 1 exactly when η < 1
    assert [c.level for c in clip.levels] == list(gradient.LEVELS)
    for curve in (*clip.levels, clip.marker_level):  # contours of x² + y² are circles
        for piece in curve.pieces:
            np.testing.assert_allclose(np.hypot(piece[:, 0], piece[:, 1]), math.sqrt(curve.level), rtol=2e-3)
    assert clip.marker_level.level == clip.f0


@pytest.mark.parametrize("rate", [0.02, 0.1, 0.3, 1.05])
def test_descent_paths_match_the_closed_form(rate: float) -> None:
    clip = gradient.gradient_clip(rate=rate, rates=(), steps=30)
    path = clip.descent
    k = np.arange(31)[:, None]
    expected = (1 - 2 * rate) ** k * np.array([1.5, 0.8])
    np.testing.assert_allclose(path.w, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.f, np.sum(expected**2, axis=1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.grad, 2 * expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.grad_norm, 2 * np.linalg.norm(expected, axis=1), rtol=1e-12, atol=1e-15)


def test_learning_rates_crawl_converge_and_diverge() -> None:
    clip = gradient.gradient_clip()
    crawl, converge, diverge = clip.contrast
    assert np.linalg.norm(clip.descent.w[-1]) < 1e-2
    assert np.linalg.norm(converge.w[-1]) < 1e-10
    assert np.linalg.norm(crawl.w[-1]) > 0.3
    assert diverge.rate > 1.0
    assert np.all(np.diff(diverge.grad_norm) > 0)


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


def test_jitted_entry_points_do_not_recompile() -> None:
    legs = [np.linspace(-2, -1, 10)]
    derivative.derivative_clip(legs=legs)
    sizes = compiled(derivative._value_and_slope)
    derivative.derivative_clip(legs=[np.linspace(0, 3, 10)])
    assert compiled(derivative._value_and_slope) == sizes

    partial.partial_clip()
    sizes = compiled(partial._clip)
    partial.partial_clip(point=(0.5, -1.0))
    assert compiled(partial._clip) == sizes

    gradient.gradient_clip()
    sizes = compiled(gradient._descend)
    gradient.gradient_clip(start=(-1.0, 2.0))
    assert compiled(gradient._descend) == sizes

    chain.chain_clip(np.zeros(5))
    sizes = compiled(chain._gears)
    chain.chain_clip(np.ones(5))
    assert compiled(chain._gears) == sizes
