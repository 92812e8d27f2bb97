"""Cheap checks of every clip without rendering: beats, knobs and frozen math."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from manim import config, tempconfig
from manim.constants import QUALITIES as MANIM_QUALITIES

from lessons.quality import QUALITIES
from lessons.series import parse_series
from mathcore.exact import Written
from pipeline.rendering.render import make_scene
from scenes.shown import digits, live, number, relation, vector, written
from tests.conftest import IDS, SERIES, clip_by_id


def test_quality_presets_are_manims() -> None:
    for q in QUALITIES:
        preset = MANIM_QUALITIES[q.manim_key]
        assert (preset["flag"], preset["pixel_width"], preset["pixel_height"], preset["frame_rate"]) == (
            q.flag,
            q.width,
            q.height,
            q.fps,
        )


def test_series_ids_are_unique_and_numbered_in_order() -> None:
    assert len(set(IDS)) == len(IDS)
    assert [clip.number for clip in SERIES] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert IDS == (
        "derivative",
        "partial-derivative",
        "chain-rule",
        "gradient",
        "descent-1d",
        "bowl-or-saddle",
        "regression",
        "small-net",
    )
    for clip in SERIES:
        assert len({beat.slug for beat in clip.beats}) == len(clip.beats)
    with pytest.raises(KeyError):
        clip_by_id("nope")


@pytest.mark.parametrize("clip", SERIES, ids=IDS)
def test_every_clip_has_one_method_per_beat(clip) -> None:  # type: ignore[no-untyped-def]
    scene = make_scene(clip)
    scene.setup()
    assert scene.clip == clip
    assert len(scene.beats()) == len(clip.beats)


@pytest.mark.parametrize("name", ["low_quality", "high_quality"])
def test_derivative_samples_one_point_per_frame(name: str) -> None:
    with tempconfig({"quality": name}):
        scene = make_scene(clip_by_id("derivative"))
        scene.setup()
        plan = [(-2.0, -1.0), (-1.0, 0.0), (0.0, 3.0), (3.0, -3.0)]  # the last leg sweeps back across the window
        for (start, end), leg in zip(plan, scene.math.legs, strict=True):
            seconds = max(scene.least_leg_seconds, scene.seconds_per_unit * abs(end - start))
            assert len(leg) == round(seconds * config.frame_rate) + 1
            assert (leg.x[0], leg.x[-1]) == (start, end)
            np.testing.assert_array_equal(leg.slope, 2 * leg.x)


def test_the_last_beat_sweeps_the_whole_window_whatever_the_last_stop() -> None:
    clip = parse_series(
        {
            "clip": [
                {
                    "id": "sine",
                    "title": "Sine",
                    "template": "tangent",
                    "f": "sin(x)",
                    "stops": [[-2], [0, 1], [2]],
                    "window": [-3, 3],
                    "beats": [{"slug": f"b{i}", "caption": "A beat."} for i in range(5)],
                }
            ]
        },
        Path("course.toml"),
    ).clips[0]
    scene = make_scene(clip)
    scene.setup()
    sweep = scene.math.legs[-1]
    # From the last stop, 2, out to the nearer end, 3, then back across to -3: the slopes trace f' everywhere.
    assert (sweep.x[0], float(sweep.x.max()), sweep.x[-1]) == (2.0, 3.0, -3.0)
    np.testing.assert_allclose(sweep.slope, np.cos(sweep.x), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-4.0, "-4"), (0.0, "0"), (-0.0, "0"), (0.8414709848, "0.84"), (1.0806, "1.08"), (2.5, "2.5")],
)
def test_numbers_are_shown_as_a_lecturer_writes_them(value: float, shown: str) -> None:
    assert digits(value) == shown


@pytest.mark.parametrize(
    ("value", "exact", "places", "shown"),
    [
        (-4.0, sp.Integer(-4), 2, "= -4"),
        (0.8414709848078965, sp.sin(1), 2, r"\approx 0.84"),
        (2.89, sp.Rational(289, 100), 2, "= 2.89"),  # 1.5² + 0.8², decided on the fraction
        (2.89, None, 2, r"\approx 2.89"),  # a float64 alone never earns "="
        (1.92, sp.Rational(48, 25), 2, "= 1.92"),
        (0.3, sp.Rational(3, 10), 2, "= 0.3"),
        (0.125, sp.Rational(1, 8), 2, r"\approx 0.13"),  # rounded half away from zero, from the fraction
        (3.841468907818421e-24, None, 2, r"\approx 3.8 \times 10^{-24}"),  # never "= 0"
        (0.004, sp.Rational(1, 250), 2, r"= 4 \times 10^{-3}"),
        (0.004, None, 2, r"\approx 4 \times 10^{-3}"),
        (0.1 + 0.2, None, 2, r"\approx 0.3"),
        (8.673617379884035e42, None, 2, r"\approx 8.7 \times 10^{42}"),  # no digits past float64's 16
        (4.210041547258579e21, 6 * sp.exp(48), 2, r"\approx 4.2 \times 10^{21}"),
        (1e6, sp.Integer(10) ** 6, 2, r"= 1 \times 10^{6}"),
        (0.0005, sp.Rational(1, 2000), 5, r"= 5 \times 10^{-4}"),
    ],
)
def test_rounding_is_decided_exactly(value: float, exact: sp.Expr | None, places: int, shown: str) -> None:
    assert number(value, places, exact) == shown


def test_a_vector_and_its_relation() -> None:
    assert vector((3.0, 1.6), 2, (sp.Integer(3), sp.Rational(8, 5))) == ("=", r"(3.00,\ 1.60)")
    assert vector((3.0, 1.6), 2) == (r"\approx", r"(3.00,\ 1.60)")
    assert vector((0.003713820117856138, 0.001980704062856608), 2) == (
        r"\approx",
        r"(3.7 \times 10^{-3},\ 2 \times 10^{-3})",
    )
    assert relation(sp.Rational(1, 2), "0.5") == "=" and relation(sp.Rational(1, 3), "0.33") == r"\approx"
    assert relation(sp.sqrt(2) ** 2, "2") == "=" and relation(sp.sqrt(2), "1.41") == r"\approx"


@pytest.mark.parametrize(("text", "shown"), [("0.125", "0.125"), ("1.50", "1.5"), ("1e-3", "0.001"), ("-2", "-2")])
def test_inputs_are_shown_as_written(text: str, shown: str) -> None:
    assert written(Written(text)) == shown
    assert Fraction(written(Written(text))) == Fraction(text)


@pytest.mark.parametrize(
    ("value", "places", "sign", "relation", "shown"),
    [(-2.0, 2, False, "=", "-2.00"), (1e-30, 3, False, r"\approx", "0.000"), (-1e-9, 2, True, r"\approx", "+0.00")],
)
def test_live_readouts_say_when_they_are_rounded(
    value: float, places: int, sign: bool, relation: str, shown: str
) -> None:
    assert live(value, places, sign) == (relation, shown)


@pytest.mark.parametrize(
    ("value", "places", "sign", "shown"),
    [
        (-2.0, 2, True, "-2.00"),
        (4.0, 2, False, "4.00"),
        (-0.0001, 2, True, "+0.00"),
        (149.92, 1, True, "+149.9"),
        (7, 0, False, "7"),
    ],
)
def test_live_numbers_draw_one_glyph_per_character(value: float, places: int, sign: bool, shown: str) -> None:
    from scenes.typeset import LiveNumber

    number = LiveNumber(value, places=places, sign=sign)
    drawn = [slot for slot in number.slots if len(slot.points)]
    assert len(drawn) == len(shown)
    for slot, ch in zip(drawn, shown, strict=True):
        np.testing.assert_allclose(slot.points - slot.points[0], number.shapes[ch] - number.shapes[ch][0])
    lefts = [slot.get_left()[0] for slot in drawn]
    assert lefts == sorted(lefts)  # left to right
    number.shift(np.array([2.0, 1.0, 0.0]))
    number.set_value(value)
    assert drawn[0].get_left()[0] == pytest.approx(lefts[0] + 2.0)


def test_the_3d_surface_lies_on_its_axes() -> None:
    scene = make_scene(clip_by_id("partial-derivative"))
    scene.setup()
    axes, surface = scene.surface_view()
    points = np.concatenate([m.points for m in surface.get_family() if len(m.points)])
    coords = np.array([axes.p2c(p) for p in points])
    low, high = float(scene.math.mesh[0]), float(scene.math.mesh[-1])
    assert coords[:, 0].min() >= low - 1e-9 and coords[:, 0].max() <= high + 1e-9
    assert coords[:, 1].min() >= low - 1e-9 and coords[:, 1].max() <= high + 1e-9
    z_low, z_high, _ = scene.heights_3d
    assert z_low <= coords[:, 2].min() and coords[:, 2].max() <= z_high
    # Every node sits at the height the math core gives it.
    corners = {(round(float(x), 9), round(float(y), 9)): z for x, y, z in coords}
    x0 = y0 = round(low, 9)
    assert corners[(x0, y0)] == pytest.approx(float(scene.math.mesh_f[0, 0]), abs=1e-9)


def test_a_label_on_the_middle_of_a_long_straight_line_covers_it() -> None:
    from manim import Line, MathTex

    from scenes.layout import covers, line_points

    line = Line(np.array([-5.0, -3.0, 0.0]), np.array([5.0, 3.0, 0.0]))  # one Bézier piece, 11.7 long
    label = MathTex(r"\Delta y").move_to(np.array([0.05, 0.05, 0.0]))
    assert covers(label, line_points(line))
    assert not covers(label.shift(np.array([0.0, 1.0, 0.0])), line_points(line))


def _faults_of(*mobjects: object, at_rest: bool = True) -> list[str]:
    """The layout check's faults for a frame holding ``mobjects`` (nothing marked, no caption)."""
    from types import SimpleNamespace

    from scenes.layout import faults_now

    return faults_now(SimpleNamespace(mobjects=list(mobjects)), at_rest=at_rest)


def test_a_label_near_any_line_drawn_is_a_fault_unless_it_stands_above_it_on_a_backing() -> None:
    from manim import UP, Circle, Line, MathTex, RoundedRectangle

    from scenes.builders import backed
    from scenes.layout import MARGIN

    box = RoundedRectangle(corner_radius=0.15, width=2.0, height=1.0)  # a node's border, never marked
    label = MathTex(r"\frac{dy}{du}").next_to(box, UP, buff=MARGIN / 2)
    assert _faults_of(box, label) == [r"'\\frac{dy}{du}' touches a RoundedRectangle"]
    assert _faults_of(box, label.shift(2 * MARGIN * UP)) == []  # a margin away: clear

    line = Line(np.array([-3.0, 0.0, 0.0]), np.array([3.0, 0.0, 0.0]))
    number = MathTex("-1").move_to(line.get_center())
    assert _faults_of(line, number) == ["'-1' touches a Line"]
    over = backed(number.copy())  # on an opaque backing, drawn above the line (z-index): the line passes under
    assert _faults_of(line, over) == []
    under = backed(number.copy()).set_z_index(0)
    assert _faults_of(under, line) == ["'-1' touches a Line"]  # the line is drawn after it, across the number
    # Any opaque fill drawn above the line that holds the label with a margin hides it: a gear's hub.
    hub = Circle(radius=0.4, fill_color="#000000", fill_opacity=1.0).move_to(line.get_center())
    assert _faults_of(line, hub, number) == []
    assert _faults_of(line, hub.copy().set_fill(opacity=0.5), number) == ["'-1' touches a Line"]


def test_two_labels_closer_than_the_margin_are_a_fault() -> None:
    from manim import RIGHT, MathTex

    from scenes.layout import MARGIN

    a = MathTex("a = 1")
    b = MathTex("b = 2").next_to(a, RIGHT, buff=MARGIN / 2)
    assert _faults_of(a, b) == [f"'a = 1' and 'b = 2' are closer than {MARGIN:g} apart"]
    assert _faults_of(a, b.shift(MARGIN * RIGHT)) == []
    assert _faults_of(a, b.shift(-MARGIN * RIGHT), at_rest=False) == []  # mid-animation: only overlaps


def test_an_arrow_at_rest_shorter_than_two_tips_or_than_the_shortest_is_a_stub() -> None:
    from manim import Arrow

    from scenes.layout import SHORTEST_ARROW, tip

    origin = np.array([0.0, 0.0, 0.0])
    stub = Arrow(origin, np.array([0.4, 0.0, 0.0]), buff=0.0, max_tip_length_to_length_ratio=0.9)
    assert SHORTEST_ARROW < stub.get_length() < 2 * tip(stub)  # a tip too long for it
    assert _faults_of(stub, at_rest=True) == ["an Arrow from (0.00, 0.00) is a stub: 0.40 long"]
    assert _faults_of(stub, at_rest=False) == []  # growing, mid-animation: not yet
    # A short link between two pictures: manim shrinks its tip to a quarter of it, so only the length tells.
    short = Arrow(origin, np.array([0.0, 0.2, 0.0]), buff=0.0)
    assert short.get_length() > 2 * tip(short)
    assert _faults_of(short, at_rest=True) == ["an Arrow from (0.00, 0.00) is a stub: 0.20 long"]
    field = Arrow(origin, np.array([0.25, 0.25, 0.0]), buff=0.0, max_tip_length_to_length_ratio=0.3)
    assert _faults_of(field, at_rest=True) == []  # a field's short arrow, 0.35 long with its tip in scale
    long = Arrow(np.array([0.0, 0.0, 0.0]), np.array([2.0, 0.0, 0.0]), buff=0.0)
    assert _faults_of(long, at_rest=True) == []


def test_a_diverging_walk_is_drawn_to_the_windows_edge_where_it_leaves() -> None:
    from scenes.descent import walk_in_window

    window = ((-1.0, 1.0), (-1.0, 1.0))
    w = np.array([[0.5, 0.5], [-0.8, 0.4], [2.0, 1.0], [-0.5, 0.0]])  # leaves at step 2, then comes back
    steps, leaves = walk_in_window(w, window)
    assert [list(p) for p in steps] == [[0.5, 0.5], [-0.8, 0.4]]
    # From (-0.8, 0.4) toward (2, 1): x reaches 1 after 1.8/2.8 of the step, where y = 0.4 + 0.6 * 9/14.
    assert len(leaves) == 1
    assert leaves[0] == pytest.approx([1.0, 0.4 + 0.6 * 9 / 14])
    inside = np.array([[0.5, 0.5], [0.1, 0.1]])
    assert walk_in_window(inside, window)[1] == []  # a walk that stays in is drawn whole
