"""The templates a clip can use: each one scene module, registered here and nowhere else.

A template names its manim scene, the module that writes its on-screen text (pure: no manim), the
fields of its lesson with their bounds, how many beats a lesson of it has, and the rules between
fields that no single field can check. Adding a template is one scene module, one text module and
one entry in ``TEMPLATES``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lessons.params import (
    FieldError,
    Param,
    expression,
    integer,
    interval,
    number,
    positive,
    sequence,
)
from mathcore.exact import text_of

Lesson = Mapping[str, Any]


@dataclass(frozen=True)
class Template:
    """One kind of clip."""

    name: str
    scene: str  # "module:Class" of the manim scene
    text: str  # module with ``shown(lesson)``: every number and formula the clip shows
    doc: str
    params: tuple[Param, ...]
    beat_count: Callable[[Lesson], int]
    check: Callable[[Lesson], None]  # raises FieldError(field, message) for rules between fields

    @property
    def module(self) -> str:
        """Dotted name of the scene module."""
        return self.scene.partition(":")[0]

    @property
    def class_name(self) -> str:
        """Name of the scene class."""
        return self.scene.partition(":")[2]


class RuleError(FieldError):
    """A rule between fields that a lesson breaks; ``field`` is the one to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _inside(field: str, value: float, window: tuple[float, float], where: str, margin: float = 0.0) -> None:
    if not window[0] + margin <= value <= window[1] - margin:
        raise RuleError(field, f"{text_of(value)} lies outside {where} [{text_of(window[0])}, {text_of(window[1])}]")


def _check_tangent(lesson: Lesson) -> None:
    window = lesson["window"]
    for group in lesson["stops"]:
        for x in group:
            _inside("stops", x, window, "the window")
    first = lesson["stops"][0]
    if len(first) != 1:
        raise RuleError("stops", "the first group is the first tangent alone: give it one stop, e.g. [[-2], ...]")
    room = window[1] - first[0]
    if lesson["run"] is None and room < (window[1] - window[0]) / 20:
        raise RuleError("stops", f"the first stop {first[0]:g} leaves no room for its rise/run triangle on the right")
    if lesson["run"] is not None and lesson["run"] > room:
        raise RuleError("run", f"the rise/run triangle at {first[0]:g} would reach past the window's end")


def _point_inside(field: str, point: tuple[float, float], window: tuple[float, float], share: float) -> None:
    """Both coordinates of ``point`` inside the window, ``share`` of its width in from the edges (room for labels)."""
    margin = (window[1] - window[0]) * share
    for name, value in zip("xy", point, strict=True):
        _inside(field, value, window, f"the window (with room for labels) for {name}:", margin)


def _check_slices(lesson: Lesson) -> None:
    _point_inside("point", lesson["point"], lesson["window"], 1 / 12)


def _check_chain(lesson: Lesson) -> None:
    _inside("x0", lesson["x0"], lesson["window"], "the window", (lesson["window"][1] - lesson["window"][0]) / 8)


def _check_descent_1d(lesson: Lesson) -> None:
    _inside("x0", lesson["x0"], lesson["window"], "the window", (lesson["window"][1] - lesson["window"][0]) / 20)


def _check_curvature(lesson: Lesson) -> None:
    _point_inside("probe", lesson["probe"], lesson["window"], 1 / 10)


def _check_descent(lesson: Lesson) -> None:
    _point_inside("start", lesson["start"], lesson["window"], 1 / 10)


TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template(
            "tangent",
            "scenes.tangent:RotatingTangent",
            "scenes.tangent_text",
            "A point slides along f(x), its tangent turns, and the slopes trace the graph of f'.",
            (
                Param("f", expression("x"), "The function, in x."),
                Param(
                    "stops",
                    sequence(sequence(number(-10, 10), 1, 3), 2, 4),
                    "Where the point stops, one group per beat: the first group is one stop (the tangent with "
                    "its rise/run triangle), each later group a beat of sliding.",
                ),
                Param("window", interval(-10, 10, 2), "The plotted x range.", (-3.0, 3.0)),
                Param(
                    "run",
                    positive(3),
                    "The run of the rise/run triangle on the first tangent [default: a round run that makes the "
                    "triangle about 30% of the plot].",
                    None,
                ),
            ),
            lambda lesson: 2 + len(lesson["stops"]),
            _check_tangent,
        ),
        Template(
            "slices",
            "scenes.slices:SurfaceSlices",
            "scenes.slices_text",
            "A contour map and a 3D view of f(x, y); the slices through a point give the partials.",
            (
                Param("f", expression("x", "y"), "The surface, in x and y."),
                Param("point", sequence(number(-10, 10), 2, 2), "The point [x, y] where both slices cross."),
                Param("window", interval(-10, 10, 2), "The plotted range, the same for x and y.", (-3.0, 3.0)),
            ),
            lambda lesson: 3,
            _check_slices,
        ),
        Template(
            "chain",
            "scenes.chain:GearsAndGraph",
            "scenes.chain_text",
            "A gear train multiplies its ratios; so does the chain rule along a computation graph.",
            (
                Param("inner", expression("x"), "u = inner(x)."),
                Param("outer", expression("u"), "y = outer(u)."),
                Param("x0", number(-5, 5), "Where the graph is evaluated."),
                Param(
                    "teeth",
                    sequence(integer(6, 60), 4, 4),
                    "Tooth counts [A, B, B', C]: A drives B; B' turns with B on one axle and drives C.",
                    (30, 15, 40, 8),
                ),
                Param("window", interval(-6, 6, 1), "The x range of the closing tangent picture.", (-2.0, 2.0)),
            ),
            lambda lesson: 4,
            _check_chain,
        ),
        Template(
            "descent-1d",
            "scenes.descent1d:StepsDownhill",
            "scenes.descent1d_text",
            "Gradient descent on f(x): each step is -η f'(x), the steps shrink as the slope flattens.",
            (
                Param("f", expression("x"), "The function, in x."),
                Param("x0", number(-10, 10), "Where the walk starts."),
                Param("rate", positive(2), "The learning rate η."),
                Param("steps", integer(3, 100), "How many steps the walk takes.", 50),
                Param("window", interval(-10, 10, 2), "The plotted x range (the walk must stay in it).", (-3.0, 3.0)),
            ),
            lambda lesson: 4,
            _check_descent_1d,
        ),
        Template(
            "descent",
            "scenes.descent:DescentOnContours",
            "scenes.descent_text",
            "The gradient of f(x, y) on its contours, a walk against it, and three learning rates.",
            (
                Param("f", expression("x", "y"), "The function, in x and y."),
                Param("start", sequence(number(-10, 10), 2, 2), "Where the walk starts, [x, y]."),
                Param("rate", positive(2), "The learning rate of the main walk."),
                Param("rates", sequence(positive(3), 3, 3), "Three learning rates to contrast: slow, good, too big."),
                Param("steps", integer(5, 60), "How many steps each walk takes.", 30),
                Param("window", interval(-10, 10, 2), "The plotted range, the same for x and y.", (-3.0, 3.0)),
            ),
            lambda lesson: 4,
            _check_descent,
        ),
        Template(
            "curvature",
            "scenes.curvature:BowlOrSaddle",
            "scenes.curvature_text",
            "Bowl or saddle: the -∇f field and the Hessian's eigenvalues; the Jacobian as the best linear map.",
            (
                Param("f", expression("x", "y"), "The function whose field and Hessian are shown, in x and y."),
                Param("bowl", expression("x", "y"), "A function set beside it for contrast.", "x**2 + y**2"),
                Param(
                    "point",
                    sequence(number(-10, 10), 2, 2),
                    "Where ∇f, the Jacobian and the cubic's Hessian are taken.",
                ),
                Param("probe", sequence(number(-10, 10), 2, 2), "Where one arrow of -∇f is singled out."),
                Param(
                    "window", interval(-10, 10, 2), "The plotted range of the field, the same for x and y.", (-2.0, 2.0)
                ),
                Param("map", sequence(expression("x", "y"), 2, 2), "A map F(x, y) = [F1, F2] for the Jacobian."),
                Param("side", positive(1), "The side of the small square mapped by F.", 0.1),
                Param(
                    "cubic", expression("x", "y"), "A function whose Hessian is shown as the Jacobian of its gradient."
                ),
            ),
            lambda lesson: 4,
            _check_curvature,
        ),
        Template(
            "regression",
            "scenes.regression:LineFit",
            "scenes.regression_text",
            "A line fitted to noisy points by gradient descent on the mean squared error, in (x, y) and in (w, b).",
            (
                Param("line", sequence(number(-5, 5), 2, 2), "The line the points are drawn from, [slope, intercept]."),
                Param("noise", positive(2), "The noise's standard deviation.", 0.1),
                Param("points", integer(10, 500), "How many points.", 100),
                Param("seed", integer(0, 2**31 - 1), "The random seed (x and the noise from keys split off it).", 42),
                Param("rate", positive(2), "The learning rate η.", 0.1),
                Param("steps", integer(10, 1000), "How many steps (w, b) take from (0, 0).", 200),
            ),
            lambda lesson: 4,
            lambda lesson: None,
        ),
        Template(
            "network",
            "scenes.network:NetLearns",
            "scenes.network_text",
            "A small ReLU net learns f(x) by gradient descent; its loss on a log axis; backpropagation.",
            (
                Param("f", expression("x"), "The function the net learns, in x."),
                Param("widths", sequence(integer(1, 128), 1, 3), "The hidden layers' widths.", (32, 32)),
                Param("interval", interval(-10, 10, 1), "Where the training points lie.", (-3.0, 3.0)),
                Param("points", integer(10, 1000), "How many training points (uniform on the interval).", 200),
                Param("seed", integer(0, 2**31 - 1), "The random seed of the points and the first weights.", 0),
                Param("scale", positive(1), "The first weights' standard deviation (biases start at 0).", 0.1),
                Param("rate", positive(1), "The learning rate η."),
                Param("steps", integer(10, 50000), "How many steps of plain gradient descent."),
                Param("baseline_rate", positive(1), "A second run's learning rate, drawn in grey for contrast."),
                Param("baseline_steps", integer(10, 50000), "How many steps the second run takes."),
            ),
            lambda lesson: 4,
            lambda lesson: None,
        ),
    )
}
