"""Fades that change what they fade in place, instead of deep-copying it.

manim's ``FadeIn`` and ``FadeOut`` are transforms: each deep-copies the faded mobject twice (a faded
copy and a copy of the target) when it begins, which for a field of arrows or a column of formulas
cost more than drawing the frames. These keep each drawn member's own points and colours (plain
array copies) and move them between the faded state and their own, as manim's do: the faded state
has every opacity at 0 and is shifted by ``shift`` (backwards when fading in) and scaled by
``scale`` about the group's centre. A fade in ends exactly as the mobject was; a faded-out mobject
is removed from the scene and restored, as manim leaves it.
"""

from __future__ import annotations

from typing import Any, cast

import manim
import numpy as np
from manim import ORIGIN, Animation, Mobject, ValueTracker, VMobject

Kept = tuple[VMobject, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]


def _opacity(rgbas: np.ndarray, shown: float) -> np.ndarray:
    """``rgbas`` with every opacity scaled by ``shown`` (a new array)."""
    faded = rgbas.copy()
    faded[:, 3] *= shown
    return faded


class _Fade(Animation):
    """Between a mobject as it is and its faded state; ``fading_in`` says which way."""

    fading_in: bool = True

    def __init__(self, mobject: Mobject, shift: Any = None, scale: float = 1.0, **kwargs: Any) -> None:
        self.shift_vector = ORIGIN if shift is None else np.asarray(shift, dtype=float)
        self.scale_factor = scale
        self._kept: list[Kept] = []
        super().__init__(mobject, introducer=self.fading_in, remover=not self.fading_in, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        """Nothing to copy: ``begin`` keeps each member's own arrays."""
        return Mobject()

    def begin(self) -> None:
        direction = -1.0 if self.fading_in else 1.0
        moves = bool(np.any(self.shift_vector)) or self.scale_factor != 1.0
        if not vector_only(self.mobject, moves):
            raise TypeError(f"{type(self).__name__} fades vector mobjects only")
        drawn = [m for m in self.mobject.family_members_with_points() if isinstance(m, VMobject)]
        members = cast(list[VMobject], drawn)
        centre = self.mobject.get_center() + direction * self.shift_vector
        self._kept = []
        for member in members:
            points = member.points.copy()
            moved = None
            if moves:  # as manim's faded copy: shifted, then scaled about the shifted group's centre
                moved = centre + (points + direction * self.shift_vector - centre) * self.scale_factor
            fill, stroke, background = member.fill_rgbas, member.stroke_rgbas, member.background_stroke_rgbas
            self._kept.append((member, points, fill.copy(), stroke.copy(), background.copy(), moved))
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        for index, (member, points, fill, stroke, background, moved) in enumerate(self._kept):
            progress = self.get_sub_alpha(alpha, index, len(self._kept))
            shown = progress if self.fading_in else 1.0 - progress
            member.fill_rgbas = _opacity(fill, shown)
            member.stroke_rgbas = _opacity(stroke, shown)
            member.background_stroke_rgbas = _opacity(background, shown)
            if moved is not None:
                member.points = moved + (points - moved) * shown

    def restore(self) -> None:
        """Every member exactly as it was before the fade."""
        for member, points, fill, stroke, background, _ in self._kept:
            member.points = points.copy()
            member.fill_rgbas, member.stroke_rgbas = fill.copy(), stroke.copy()
            member.background_stroke_rgbas = background.copy()


def vector_only(mobject: Any, moves: bool = False) -> bool:
    """Whether everything drawn of ``mobject`` is a vector mobject (what these fades can change in place).

    A ``ValueTracker`` draws nothing and is left as it is, unless the fade ``moves`` (shifts or scales).
    """
    return all(
        isinstance(member, VMobject) or (isinstance(member, ValueTracker) and not moves)
        for member in mobject.family_members_with_points()
    )


def _moves(kwargs: dict[str, Any]) -> bool:
    return kwargs.get("shift") is not None or kwargs.get("scale", 1.0) != 1.0


def FadeIn(mobject: Mobject, **kwargs: Any) -> Animation:  # named as manim's, which it stands in for
    """Fade ``mobject`` in: in place where it is all vector mobjects, else with manim's ``FadeIn``."""
    return _FadeIn(mobject, **kwargs) if vector_only(mobject, _moves(kwargs)) else manim.FadeIn(mobject, **kwargs)


def FadeOut(mobject: Mobject, **kwargs: Any) -> Animation:
    """Fade ``mobject`` out and remove it: in place where it is all vector mobjects, else with manim's ``FadeOut``."""
    return _FadeOut(mobject, **kwargs) if vector_only(mobject, _moves(kwargs)) else manim.FadeOut(mobject, **kwargs)


class _FadeIn(_Fade):
    """Fade a vector mobject in, in place (``shift``: it comes from that far back; ``scale``: from that size)."""

    fading_in = True

    def finish(self) -> None:
        super().finish()
        self.restore()


class _FadeOut(_Fade):
    """Fade a vector mobject out, in place, and remove it (``shift``, ``scale``: where and how it goes)."""

    fading_in = False

    def clean_up_from_scene(self, scene: Any) -> None:
        super().clean_up_from_scene(scene)
        self.restore()
