"""Fades in place move every drawn member as manim's own fades do, without copying what they fade."""

from __future__ import annotations

from typing import Any

import manim
import numpy as np
import pytest
from manim import DOWN, LEFT, Arrow, Circle, Dot, MathTex, Scene, Square, ValueTracker, VGroup

from scenes.motion import FadeIn, FadeOut

KWARGS = [{}, {"shift": 0.3 * DOWN}, {"scale": 0.5}, {"shift": 0.2 * LEFT, "scale": 1.5, "lag_ratio": 0.3}]


def group() -> VGroup:
    square = Square().set_fill(manim.BLUE, opacity=0.6).set_stroke(opacity=0.8)
    square.set_stroke(manim.BLACK, width=8, background=True)
    return VGroup(square, Circle().shift(LEFT), Arrow(LEFT, 2 * DOWN), MathTex("x^{2}"), Dot())


def state(mobject: Any) -> list[np.ndarray]:
    members = mobject.family_members_with_points()
    return [a for m in members for a in (m.points, m.fill_rgbas, m.stroke_rgbas, m.background_stroke_rgbas)]


@pytest.mark.parametrize("kwargs", KWARGS)
@pytest.mark.parametrize("ours, theirs", [(FadeIn, manim.FadeIn), (FadeOut, manim.FadeOut)])
def test_a_fade_in_place_passes_through_the_states_of_manims(ours: Any, theirs: Any, kwargs: dict[str, Any]) -> None:
    mine, reference = group(), group()
    original = [a.copy() for a in state(mine)]
    animation, expected = ours(mine, **kwargs), theirs(reference, **kwargs)
    assert type(animation).__module__ == "scenes.motion"
    copies: list[Any] = []
    real_copy = manim.Mobject.copy

    def counted_copy(self: Any) -> Any:
        copies.append(self)
        return real_copy(self)

    manim.Mobject.copy = counted_copy  # type: ignore[method-assign]
    try:
        animation.begin()
    finally:
        manim.Mobject.copy = real_copy  # type: ignore[method-assign]
    expected.begin()
    assert copies == []  # nothing copied
    for alpha in (0.0, 0.2, 0.5, 0.9, 1.0):
        animation.interpolate(alpha)
        expected.interpolate(alpha)
        for got, want in zip(state(mine), state(reference), strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    scene = Scene()
    scene.add(mine)
    animation.finish()
    animation.clean_up_from_scene(scene)
    for got, want in zip(state(mine), original, strict=True):  # exactly as it was, faded in or (removed) out
        assert np.array_equal(got, want)
    assert (mine in scene.mobjects) == (ours is FadeIn)


def test_a_tracker_is_left_alone_and_what_cannot_fade_in_place_falls_back_to_manim() -> None:
    tracker = ValueTracker(3.0)
    fade = FadeOut(manim.Group(Dot(), tracker))
    assert type(fade).__module__ == "scenes.motion"
    fade.begin()
    fade.interpolate(0.5)
    assert tracker.get_value() == 3.0
    moved = FadeIn(manim.Group(Dot(), tracker), shift=DOWN)  # a shift would move the tracker's value
    assert isinstance(moved, manim.FadeIn)
