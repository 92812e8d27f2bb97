"""The series in order: ids, titles, beats and captions. Plain data: importing this is free.

Scenes take their section names and captions from here, and so do the CLI and the pipeline,
so a beat is named in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Beat:
    """One step of a clip: one manim section, one slide, one caption."""

    slug: str
    caption: str


@dataclass(frozen=True)
class Clip:
    """One clip of the series."""

    number: int
    id: str
    title: str
    scene: str  # "module:Class" of the manim scene
    beats: tuple[Beat, ...]

    @property
    def stem(self) -> str:
        """File stem of the clip's outputs, e.g. ``01-derivative``."""
        return f"{self.number:02d}-{self.id}"

    @property
    def module(self) -> str:
        """Dotted name of the scene module."""
        return self.scene.partition(":")[0]

    @property
    def class_name(self) -> str:
        """Name of the scene class."""
        return self.scene.partition(":")[2]


SERIES: tuple[Clip, ...] = (
    Clip(
        1,
        "derivative",
        "Derivative",
        "scenes.derivative:RotatingTangent",
        (
            Beat("curve-and-notations", "f'(x), df/dx and d/dx[f(x)] all name one idea: how fast f changes."),
            Beat("tangent-at-minus-2", "The derivative is the slope of the tangent line: rise over run, tan θ."),
            Beat("sliding-to-the-bottom", "As the point slides, the tangent turns: falling, then bottomed out."),
            Beat("climbing-steeply", "Past the bottom the curve climbs, and the slope grows with it."),
            Beat("slope-graph", "The slopes trace a second graph, f'(x) = 2x: one formula for every point."),
        ),
    ),
    Clip(
        2,
        "partial-derivative",
        "Partial derivative",
        "scenes.partial_derivative:SurfaceSlices",
        (
            Beat("surface-as-contours", "One surface, two views: its level lines, and the landscape."),
            Beat("slice-at-y-2", "Holding y still carves one curve out of the surface."),
            Beat("slopes-of-the-slices", "Each slice is a plain curve; its slope is a partial derivative."),
        ),
    ),
    Clip(
        3,
        "chain-rule",
        "Chain rule",
        "scenes.chain_rule:GearsAndGraph",
        (
            Beat("three-gears", "Meshed gears multiply their ratios: the rate of C against A is their product."),
            Beat("computation-graph", "The same idea as a graph: each arrow carries one local rate."),
            Beat("multiply-along-the-chain", "Multiply the local rates along the chain to get dy/dx."),
            Beat("backpropagation", "Backpropagation: the same product, computed from y back to x."),
        ),
    ),
    Clip(
        4,
        "gradient",
        "Gradient",
        "scenes.gradient:DescentOnContours",
        (
            Beat("contours-and-marker", "Contours join points of equal height. The marker stands at one point."),
            Beat("gradient-points-uphill", "The gradient points uphill, at a right angle to the contour."),
            Beat("descent", "Gradient descent steps against the gradient, again and again."),
            Beat("minimum-and-learning-rates", "At the minimum the gradient is zero. The rate sets the pace."),
        ),
    ),
)

IDS: tuple[str, ...] = tuple(clip.id for clip in SERIES)


def clip_by_id(clip_id: str) -> Clip:
    """The clip with this id; ``KeyError`` if there is none."""
    for clip in SERIES:
        if clip.id == clip_id:
            return clip
    raise KeyError(clip_id)
