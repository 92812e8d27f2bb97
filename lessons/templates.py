"""The templates a clip can use: each one scene module, registered here and nowhere else.

A template names its manim scene, the module that writes its on-screen text (pure: no manim), its
lesson type, how many beats a lesson of it has, and the rules between fields that no single field
can check. A lesson type is a frozen dataclass whose fields carry their own specs (kind, bounds,
default, meaning): the series reader validates a clip's entry against those specs and builds the
lesson from the values, so the fields checked and the fields read are one list. Adding a template is
one lesson type, one scene module, one text module and one entry in ``TEMPLATES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from lessons.params import (
    REQUIRED,
    FieldError,
    Kind,
    Param,
    expression,
    integer,
    interval,
    number,
    positive,
    sequence,
)
from mathcore.exact import text_of

Pair = tuple[float, float]


def spec(kind: Kind, doc: str, default: Any = REQUIRED) -> Any:
    """A lesson field: how its value is checked, what it means and its default (``REQUIRED`` if none)."""
    return field(metadata={"spec": (kind, doc, default)})


def params_of(lesson_type: type) -> tuple[Param, ...]:
    """The field specs of a lesson type, in its field order."""
    return tuple(Param(f.name, *f.metadata["spec"]) for f in fields(lesson_type))


@dataclass(frozen=True)
class TangentLesson:
    """A point sliding along f(x) with its tangent."""

    f: str = spec(expression("x"), "The function, in x.")
    stops: tuple[tuple[float, ...], ...] = spec(
        sequence(sequence(number(-10, 10), 1, 3), 2, 4),
        "Where the point stops, one group per beat: the first group is one stop (the tangent with "
        "its rise/run triangle), each later group a beat of sliding.",
    )
    window: Pair = spec(interval(-10, 10, 2), "The plotted x range.", (-3.0, 3.0))
    run: float | None = spec(
        positive(3),
        "The run of the rise/run triangle on the first tangent [default: a round run that makes the "
        "triangle about 30% of the plot].",
        None,
    )


@dataclass(frozen=True)
class SlicesLesson:
    """A surface and its two slices through a point."""

    f: str = spec(expression("x", "y"), "The surface, in x and y.")
    point: Pair = spec(sequence(number(-10, 10), 2, 2), "The point [x, y] where both slices cross.")
    window: Pair = spec(interval(-10, 10, 2), "The plotted range, the same for x and y.", (-3.0, 3.0))


@dataclass(frozen=True)
class ChainLesson:
    """A composition y = outer(inner(x)), as gears and as a graph."""

    inner: str = spec(expression("x"), "u = inner(x).")
    outer: str = spec(expression("u"), "y = outer(u).")
    x0: float = spec(number(-5, 5), "Where the graph is evaluated.")
    teeth: tuple[int, int, int, int] = spec(
        sequence(integer(6, 60), 4, 4),
        "Tooth counts [A, B, B', C]: A drives B; B' turns with B on one axle and drives C.",
        (30, 15, 40, 8),
    )
    window: Pair = spec(interval(-6, 6, 1), "The x range of the closing tangent picture.", (-2.0, 2.0))


@dataclass(frozen=True)
class Descent1DLesson:
    """Gradient descent on f(x)."""

    f: str = spec(expression("x"), "The function, in x.")
    x0: float = spec(number(-10, 10), "Where the walk starts.")
    rate: float = spec(positive(2), "The learning rate η.")
    steps: int = spec(integer(3, 100), "How many steps the walk takes.", 50)
    window: Pair = spec(interval(-10, 10, 2), "The plotted x range (the walk must stay in it).", (-3.0, 3.0))


@dataclass(frozen=True)
class DescentLesson:
    """Gradient descent on f(x, y), on its contours."""

    f: str = spec(expression("x", "y"), "The function, in x and y.")
    start: Pair = spec(sequence(number(-10, 10), 2, 2), "Where the walk starts, [x, y].")
    rate: float = spec(positive(2), "The learning rate of the main walk.")
    rates: tuple[float, float, float] = spec(
        sequence(positive(3), 3, 3), "Three learning rates to contrast: slow, good, too big."
    )
    steps: int = spec(integer(5, 60), "How many steps each walk takes.", 30)
    window: Pair = spec(interval(-10, 10, 2), "The plotted range, the same for x and y.", (-3.0, 3.0))


@dataclass(frozen=True)
class CurvatureLesson:
    """Bowl or saddle: a field, a Hessian and a Jacobian."""

    f: str = spec(expression("x", "y"), "The function whose field and Hessian are shown, in x and y.")
    bowl: str = spec(expression("x", "y"), "A function set beside it for contrast.", "x**2 + y**2")
    point: Pair = spec(sequence(number(-10, 10), 2, 2), "Where ∇f, the Jacobian and the cubic's Hessian are taken.")
    probe: Pair = spec(sequence(number(-10, 10), 2, 2), "Where one arrow of -∇f is singled out.")
    window: Pair = spec(interval(-10, 10, 2), "The plotted range of the field, the same for x and y.", (-2.0, 2.0))
    map: tuple[str, str] = spec(sequence(expression("x", "y"), 2, 2), "A map F(x, y) = [F1, F2] for the Jacobian.")
    side: float = spec(positive(1), "The side of the small square mapped by F.", 0.1)
    cubic: str = spec(expression("x", "y"), "A function whose Hessian is shown as the Jacobian of its gradient.")


@dataclass(frozen=True)
class RegressionLesson:
    """A line fitted to noisy points."""

    line: Pair = spec(sequence(number(-5, 5), 2, 2), "The line the points are drawn from, [slope, intercept].")
    noise: float = spec(positive(2), "The noise's standard deviation.", 0.1)
    points: int = spec(integer(10, 500), "How many points.", 100)
    seed: int = spec(integer(0, 2**31 - 1), "The random seed (x and the noise from keys split off it).", 42)
    rate: float = spec(positive(2), "The learning rate η.", 0.1)
    steps: int = spec(integer(10, 1000), "How many steps (w, b) take from (0, 0).", 200)


@dataclass(frozen=True)
class NetworkLesson:
    """A small ReLU net learning f(x)."""

    f: str = spec(expression("x"), "The function the net learns, in x.")
    widths: tuple[int, ...] = spec(sequence(integer(1, 128), 1, 3), "The hidden layers' widths.", (32, 32))
    interval: Pair = spec(interval(-10, 10, 1), "Where the training points lie.", (-3.0, 3.0))
    points: int = spec(integer(10, 1000), "How many training points (uniform on the interval).", 200)
    seed: int = spec(integer(0, 2**31 - 1), "The random seed of the points and the first weights.", 0)
    scale: float = spec(positive(1), "The first weights' standard deviation (biases start at 0).", 0.1)
    rate: float = spec(positive(1), "The learning rate η.")
    steps: int = spec(integer(10, 50000), "How many steps of plain gradient descent.")
    baseline_rate: float = spec(positive(1), "A second run's learning rate, drawn in grey for contrast.")
    baseline_steps: int = spec(integer(10, 50000), "How many steps the second run takes.")


Lesson = (
    TangentLesson
    | SlicesLesson
    | ChainLesson
    | Descent1DLesson
    | DescentLesson
    | CurvatureLesson
    | RegressionLesson
    | NetworkLesson
)


@dataclass(frozen=True)
class Template:
    """One kind of clip."""

    name: str
    scene: str  # "module:Class" of the manim scene
    text: str  # module with ``compute(lesson)`` and ``shown(lesson, math)``: every number and formula shown
    doc: str
    lesson: type[Any]  # the lesson's frozen dataclass (one of ``Lesson``)
    beat_count: Callable[[Any], int]
    check: Callable[[Any], None]  # raises RuleError(field, message) for rules between fields

    @property
    def params(self) -> tuple[Param, ...]:
        """The lesson's fields with their kinds, bounds, defaults and meanings."""
        return params_of(self.lesson)

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


def _inside(field: str, value: float, window: Pair, where: str, margin: float = 0.0) -> None:
    low, high = window[0] + margin, window[1] - margin
    if low <= value <= high:
        return
    span = f"[{text_of(window[0])}, {text_of(window[1])}]"
    if not margin:
        raise RuleError(field, f"{text_of(value)} lies outside {where} {span}")
    # The room kept at the window's edges (for the labels around a point) is said with the range that is left.
    raise RuleError(
        field, f"{text_of(value)} must lie in [{low:.6g}, {high:.6g}]: {where} {span}, less {margin:.6g} at each edge"
    )


def _check_tangent(lesson: TangentLesson) -> None:
    window = lesson.window
    for group in lesson.stops:
        for x in group:
            _inside("stops", x, window, "the window")
    first = lesson.stops[0]
    if len(first) != 1:
        raise RuleError("stops", "the first group is the first tangent alone: give it one stop, e.g. [[-2], ...]")
    room = window[1] - first[0]
    if lesson.run is None and room < (window[1] - window[0]) / 20:
        raise RuleError("stops", f"the first stop {first[0]:g} leaves no room for its rise/run triangle on the right")
    if lesson.run is not None and lesson.run > room:
        raise RuleError("run", f"the rise/run triangle at {first[0]:g} would reach past the window's end")


def _point_inside(field: str, point: Pair, window: Pair, share: float) -> None:
    """Both coordinates of ``point`` inside the window, ``share`` of its width in from the edges (room for labels)."""
    margin = (window[1] - window[0]) * share
    for name, value in zip("xy", point, strict=True):
        _inside(field, value, window, f"for {name}, the window", margin)


def _check_slices(lesson: SlicesLesson) -> None:
    _point_inside("point", lesson.point, lesson.window, 1 / 12)


def _check_chain(lesson: ChainLesson) -> None:
    _inside("x0", lesson.x0, lesson.window, "the window", (lesson.window[1] - lesson.window[0]) / 8)


def _check_descent_1d(lesson: Descent1DLesson) -> None:
    _inside("x0", lesson.x0, lesson.window, "the window", (lesson.window[1] - lesson.window[0]) / 20)


def _check_curvature(lesson: CurvatureLesson) -> None:
    _point_inside("probe", lesson.probe, lesson.window, 1 / 10)


def _check_descent(lesson: DescentLesson) -> None:
    _point_inside("start", lesson.start, lesson.window, 1 / 10)


def _no_rule(lesson: Lesson) -> None:
    """A template whose fields need no rule between them."""


def _four_beats(lesson: Lesson) -> int:
    return 4


def _tangent_beats(lesson: TangentLesson) -> int:
    return 2 + len(lesson.stops)


TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template(
            "tangent",
            "scenes.tangent:RotatingTangent",
            "scenes.tangent_text",
            "A point slides along f(x), its tangent turns, and the slopes trace the graph of f'.",
            TangentLesson,
            _tangent_beats,
            _check_tangent,
        ),
        Template(
            "slices",
            "scenes.slices:SurfaceSlices",
            "scenes.slices_text",
            "A contour map and a 3D view of f(x, y); the slices through a point give the partials.",
            SlicesLesson,
            lambda lesson: 3,
            _check_slices,
        ),
        Template(
            "chain",
            "scenes.chain:GearsAndGraph",
            "scenes.chain_text",
            "A gear train multiplies its ratios; so does the chain rule along a computation graph.",
            ChainLesson,
            _four_beats,
            _check_chain,
        ),
        Template(
            "descent-1d",
            "scenes.descent1d:StepsDownhill",
            "scenes.descent1d_text",
            "Gradient descent on f(x): each step is -η f'(x), the steps shrink as the slope flattens.",
            Descent1DLesson,
            _four_beats,
            _check_descent_1d,
        ),
        Template(
            "descent",
            "scenes.descent:DescentOnContours",
            "scenes.descent_text",
            "The gradient of f(x, y) on its contours, a walk against it, and three learning rates.",
            DescentLesson,
            _four_beats,
            _check_descent,
        ),
        Template(
            "curvature",
            "scenes.curvature:BowlOrSaddle",
            "scenes.curvature_text",
            "Bowl or saddle: the -∇f field and the Hessian's eigenvalues; the Jacobian as the best linear map.",
            CurvatureLesson,
            _four_beats,
            _check_curvature,
        ),
        Template(
            "regression",
            "scenes.regression:LineFit",
            "scenes.regression_text",
            "A line fitted to noisy points by gradient descent on the mean squared error, in (x, y) and in (w, b).",
            RegressionLesson,
            _four_beats,
            _no_rule,
        ),
        Template(
            "network",
            "scenes.network:NetLearns",
            "scenes.network_text",
            "A small ReLU net learns f(x) by gradient descent; its loss on a log axis; backpropagation.",
            NetworkLesson,
            _four_beats,
            _no_rule,
        ),
    )
}
