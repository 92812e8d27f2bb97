"""Type size: the check's cap heights against the pixels a camera draws, and TeX's script sizes."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Camera, MathTex, Mobject, tempconfig

from scenes.placement import break_points, broken, fit, wrapped
from scenes.type_size import SMALLEST, SMALLEST_MAIN, cap_shares, smallest_style, type_faults
from scenes.typeset import (
    CAPTION_SIZE,
    FORMULA_SIZE,
    SCRIPTED_SIZE,
    TICK_SIZE,
    WORDS_SIZE,
    exp_for_nested,
    slashed_in_scripts,
    tex,
    text,
)

pytestmark = pytest.mark.xdist_group("tex")  # typesets TeX: one worker keeps the cache warm


@pytest.mark.parametrize(
    ("content", "size"),
    [
        ("x", 1.0),
        ("x^{2} + 1", 0.7),
        ("x_{k+1} = x_k", 0.7),
        ("e^{x^{2}}", 0.5),
        (r"\frac{dy}{dx}", 1.0),  # display style: a fraction's parts at full size
        (r"\frac{\frac{1}{2}}{3}", 0.7),  # a fraction in a fraction's part: script size
        (r"x^{\frac{1}{2}}", 0.5),
        (r"\text{slope } f'(-2) = 2 \cdot (-2)", 1.0),
        (r"\sum_i (b + w x_i)^{2}", 0.7),
    ],
)
def test_tex_sets_scripts_at_70_and_scripts_of_scripts_at_50_percent(content: str, size: float) -> None:
    assert smallest_style(content) == size


def ink_rows(mobject: Mobject, frame: dict[str, float] | None = None) -> int:
    """How many pixel rows of a 1080p frame ``mobject`` inks, drawn alone by manim's camera (the oracle)."""
    with tempconfig({"pixel_height": 1080, "pixel_width": 1920, "background_color": "#000000", **(frame or {})}):
        camera = Camera()
        camera.capture_mobjects([mobject.set_color("#ffffff").move_to((0.0, 0.0, 0.0))])
        inked = np.asarray(camera.get_image().convert("L")) > 127
    rows = np.flatnonzero(inked.any(axis=1))
    return int(rows[-1] - rows[0] + 1)


@pytest.mark.parametrize("shrink", [1.0, 0.6])
def test_the_cap_height_measured_is_the_height_of_a_capital_drawn(shrink: float) -> None:
    for label in (tex("H", size=40), text("H", size=30)):
        label.scale(shrink)  # as a fit() shrinks it: the check follows the drawn size
        full, smallest = cap_shares(label) or (0.0, 0.0)
        assert full == smallest
        assert full * 1080 == pytest.approx(ink_rows(label), abs=1.5)
    scripted = MathTex("{}^{H}", font_size=40)  # a capital set as a superscript
    _, smallest = cap_shares(scripted) or (0.0, 0.0)
    assert smallest * 1080 == pytest.approx(ink_rows(scripted), abs=1.5)


def test_in_4_3_type_is_measured_against_the_4_3_frames_own_height() -> None:
    from lessons.settings import frame_size, pixel_size

    width, height = frame_size("4:3")
    assert width == pytest.approx(32 / 3)
    assert height == 8.0  # as high as 16:9's 8 units, 3/4 as wide
    assert pixel_size("4:3", 1080) == (1440, 1080)
    frame = {"pixel_width": 1440, "frame_width": width, "frame_height": height}
    with tempconfig(frame):
        label = tex("H", size=40)
        full, _ = cap_shares(label) or (0.0, 0.0)
    assert full * 1080 == pytest.approx(ink_rows(label, frame), abs=1.5)  # the share of the 4:3 frame drawn


def test_the_least_sizes_meet_the_rules_and_one_size_less_would_not() -> None:
    for label, main in (
        (tex("f(x) = x^{2}", size=FORMULA_SIZE), True),
        (tex("x^{2}", size=SCRIPTED_SIZE), False),
        (tex("8", size=TICK_SIZE), False),
        (text("words", size=WORDS_SIZE), False),
        (text("A caption.", size=CAPTION_SIZE), True),
    ):
        assert type_faults(label, label if main else None) == []
        label.scale(0.95)
        assert type_faults(label, label if main else None)  # about one point smaller: too small
    assert SMALLEST < SMALLEST_MAIN


def test_a_formula_too_wide_is_set_over_lines_at_its_size_not_shrunk() -> None:
    assert broken("y = x^{2} + 1 = 2 x + 5 - x", 2) == r"y = x^{2} + 1 \\ = 2 x + 5 - x"
    assert broken("y = 1 = x^{2} + 2 x + 5", 2) is None  # "y = 1" alone on a line reads worse
    assert broken(r"\left(a = b\right) = c", 2) is None  # no break inside brackets, and a line too short
    # Where relations do not break it well, a binary + or − may: never a sign after a relation or inside brackets.
    long_sum = r"f(x, y) = 3 x^{2} - y^{2} + 3 x y + 2 x + y - 2 x^{3}"
    assert broken(long_sum, 2) == r"f(x, y) \\ = 3 x^{2} - y^{2} + 3 x y + 2 x + y - 2 x^{3}"
    assert broken(long_sum, 2, operators=True) == r"f(x, y) = 3 x^{2} - y^{2} \\ + 3 x y + 2 x + y - 2 x^{3}"
    signed = r"y = - x^{2} - \left(-2 + x\right) - 4 x + 1"
    assert broken(signed, 2) is None
    assert broken(signed, 2, operators=True) == r"y = - x^{2} \\ - \left(-2 + x\right) - 4 x + 1"
    # A vector's components part after their comma; no sign inside plain parentheses is a place to break.
    gradient = r"\nabla f = (-40 x \left(- x^{2} + y\right) + 2 x - 2,\ -20 x^{2} + 20 y)"
    assert broken(gradient, 2, operators=True) == (
        r"\nabla f = (-40 x \left(- x^{2} + y\right) + 2 x - 2, \\ -20 x^{2} + 20 y)"
    )
    squares = r"f = (x - 1)^{2} + 10 (y - x^{2})^{2}"
    assert broken(squares, 2, operators=True) == r"f = (x - 1)^{2} \\ + 10 (y - x^{2})^{2}"
    thin = r"v = (\eta\, g_{1} + 10,\ \eta\, g_{2} - 10)"  # a thin space's comma is not a component's
    assert break_points(thin) == ([2], [thin.index("10,") + 3])
    point = r"\nabla g(1.25, -0.75) = (2.50, -1.50)"  # a function's arguments are not a vector's components
    assert break_points(point) == ([22], [point.index("2.50,") + 5])
    formula = tex(r"\text{slope } f'(-2) = 2 \cdot (-2) = -4 \approx -4.00", size=FORMULA_SIZE)
    width = formula.width * 0.7
    fitted = fit(formula, width, lines=True)
    assert fitted is formula and formula.width <= width + 1e-9
    full, _ = cap_shares(formula) or (0.0, 0.0)
    assert full >= SMALLEST_MAIN  # still at its size, over two lines
    assert ink_rows(formula) > 1.8 * ink_rows(tex("f'(-2)", size=FORMULA_SIZE))
    words = text("a long sentence of many small words that is far too wide", size=30)
    narrow = words.width * 0.6
    fit(words, narrow, lines=True)
    assert words.width <= narrow and (cap_shares(words) or (0.0, 0.0))[0] * 8 == pytest.approx(30 * 0.0101, abs=0.01)


def test_a_fraction_in_a_superscript_is_written_with_a_slash_at_script_size() -> None:
    assert slashed_in_scripts(r"u = e^{\frac{x}{2}} = e^{\frac{3}{4}}") == "u = e^{x/2} = e^{3/4}"
    assert slashed_in_scripts(r"e^{-\frac{x + 1}{2}} + \frac{1}{2}") == r"e^{-(x + 1)/2} + \frac{1}{2}"  # not outside
    assert slashed_in_scripts(r"e^{\frac{\frac{1}{2}}{y}}") == "e^{(1/2)/y}"
    formula = tex(r"u = e^{\frac{x}{2}} = e^{\frac{3}{4}} \approx 2.12", size=FORMULA_SIZE)
    assert smallest_style(str(formula.tex_string)) == 0.7  # stacked, the 3 and the 4 would be set at 50%
    assert type_faults(formula, formula) == []


def test_e_to_a_power_with_a_power_of_its_own_is_written_as_exp() -> None:
    assert exp_for_nested(r"y = e^{x^{2}} + e^{x}") == r"y = \exp\left(x^{2}\right) + e^{x}"
    assert exp_for_nested(r"y = e^{e^{x_{1}}}") == r"y = \exp\left(\exp\left(x_{1}\right)\right)"
    assert exp_for_nested(r"se^{x^{2}}") == r"se^{x^{2}}"  # not the constant e
    formula = tex(r"y = e^{x^{2}}", size=FORMULA_SIZE)
    assert smallest_style(str(formula.tex_string)) == 0.7  # x² inside e's power would be set at 50%
    assert type_faults(formula, formula) == []


def test_words_over_lines_never_part_a_short_group_in_parentheses() -> None:
    caption = "The same walk on the loss over (w, b) ends at the least-squares line."
    assert wrapped(caption.split(), 2) == "The same walk on the loss over\n(w, b) ends at the least-squares line."
    # A long aside in parentheses may still part: only groups of up to three words hold together.
    aside = "one two (three four five six) seven"
    assert wrapped(aside.split(), 2) == "one two (three\nfour five six) seven"
