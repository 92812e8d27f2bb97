"""Words of judgement as theorems: every verdict a template can say comes from one named rule here.

A rule takes the math core's results (exact where SymPy has them, float64 otherwise), applies
stated tolerances and returns a ``Claim``: the words on screen, the rule's name and the figures it
rests on. Where no rule decides, the words say what is true ("not settled after 10 steps").
Nothing here imports manim or JAX.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import sympy as sp

from mathcore.symbolic import latex
from scenes.shown import Claim, number

#: A walk has settled when its gradient has shrunk to this share of where it started.
SETTLED = 1e-3
#: A 2-D walk converges when its gradient has shrunk to this share (the contrast panels run few steps) ...
CONVERGED = 1e-2
#: ... and the flat point it nears (Newton's step from its end) lies within this share of the window: the marker.
HERE = 0.01
#: A curvature (f'' or a Hessian eigenvalue) this close to 0, relative to the function's scale, decides nothing.
FLAT = 1e-9
#: Successive steps bounce when the cosine between them is at most this, for the last ``BOUNCE_STEPS`` steps.
BOUNCE_COSINE, BOUNCE_STEPS = -0.5, 4
#: −∇g points toward c when the cosine between it and the way to c is at least this; away at most its negative.
TOWARD = 0.5


def _e(value: float) -> str:
    """A figure of evidence: four significant digits."""
    return f"{value:.4g}"


def sign_within(value: float, scale: float) -> int:
    """+1, -1, or 0 when ``value`` is within ``FLAT`` of zero relative to ``scale``."""
    return 0 if abs(value) <= FLAT * max(1.0, abs(scale)) else (1 if value > 0 else -1)


def _bounces(steps: np.ndarray) -> bool:
    """The last steps each turn back against the one before (zig-zag)."""
    tail = steps[-(BOUNCE_STEPS + 1) :]
    if len(tail) < 2:
        return False
    for a, b in itertools.pairwise(tail):
        na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if na == 0 or nb == 0 or float(np.dot(a, b)) / (na * nb) > BOUNCE_COSINE:
            return False
    return True


#: |f'| from which a slope reads as steep.
STEEP = 3


def _exact_sign(value: sp.Expr) -> int:
    """The sign of an exact number, decided by SymPy (to 50 digits when it cannot prove it)."""
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    number = sp.N(value, 50)
    return 0 if number == 0 else (1 if number > 0 else -1)


def slope_remark(slope: sp.Expr, curvature: sp.Expr, previous: sp.Expr | None) -> Claim:
    """What a slope means at a stop, decided exactly: flat (bottomed or topped out), falling or climbing.

    Rules: f' = 0 with f'' > 0 bottomed out, f'' < 0 topped out, f'' = 0 flat; otherwise the sign of f'
    says falling or climbing, and against the slope before it (same sign) less, more or just as
    steeply; else steeply when |f'| ≥ 3.
    """
    evidence = f"f'(x) = {sp.sstr(slope)}, f''(x) = {sp.sstr(curvature)}" + (
        f", f' before = {sp.sstr(previous)}" if previous is not None else ""
    )
    sign = _exact_sign(slope)
    if sign == 0:
        bend = _exact_sign(curvature)
        if bend > 0:
            return Claim("bottomed out: the tangent is horizontal", "bottomed out: f' = 0, f'' > 0", evidence)
        if bend < 0:
            return Claim("topped out: the tangent is horizontal", "topped out: f' = 0, f'' < 0", evidence)
        return Claim("flat: the tangent is horizontal", "flat: f' = 0, f'' = 0", evidence)
    direction = "falling" if sign < 0 else "climbing"
    if previous is not None and _exact_sign(previous) == sign:
        change = _exact_sign(sp.Abs(slope) - sp.Abs(previous))
        how = {-1: "less steeply", 1: "more steeply", 0: "just as steeply"}[change]
        return Claim(f"{direction}, {how}", f"{direction}, {how}: sign of f', |f'| against the one before", evidence)
    if _exact_sign(sp.Abs(slope) - STEEP) >= 0:
        return Claim(f"{direction} steeply", f"{direction} steeply: |f'| ≥ {STEEP}", evidence)
    pointing = "down" if sign < 0 else "up"
    return Claim(f"{direction}: the tangent points {pointing}", f"{direction}: sign of f', |f'| < {STEEP}", evidence)


def walk_1d(x: npt.ArrayLike, f: npt.ArrayLike, slope: npt.ArrayLike, curvature: float) -> Claim:
    """Where a 1-D walk x_0 .. x_n ended: a minimum or maximum only when f' settled, else what it is doing.

    Rules, in order: settled (|f'(x_n)| ≤ 10⁻³ |f'(x_0)|) and f'' > 0: a minimum; f'' < 0: a maximum;
    f'' ≈ 0: undecided. Not settled: it diverges if |f'| and f both grew, bounces if its last steps
    zig-zag, else it is still going.
    """
    xs, fs, gs = (np.asarray(a, dtype=float) for a in (x, f, slope))
    n = len(xs) - 1
    first, last = abs(float(gs[0])), abs(float(gs[-1]))
    figures = f"|f'(x_{n})| = {_e(last)}, |f'(x_0)| = {_e(first)}"
    if last <= SETTLED * first or last == 0:
        bend = sign_within(curvature, float(np.max(np.abs(fs))))
        evidence = f"{figures} (settled: at most 1e-3 of it); f''(x_{n}) = {_e(curvature)}"
        if bend > 0:
            return Claim("f'' > 0: it bends up, so this is a minimum", "minimum: settled, f'' > 0", evidence)
        if bend < 0:
            return Claim("f'' < 0: it bends down, so this is a maximum", "maximum: settled, f'' < 0", evidence)
        return Claim("f'' = 0 here: the second derivative cannot tell", "undecided: settled, f'' = 0", evidence)
    steps = np.diff(xs).reshape(-1, 1)
    if last > first and float(fs[-1]) > float(fs[0]):
        return Claim(
            f"not settled: the steps grow, the walk diverges after {n} steps",
            "diverges: |f'| and f both grew",
            f"{figures}; f(x_{n}) = {_e(float(fs[-1]))} > f(x_0) = {_e(float(fs[0]))}",
        )
    if _bounces(steps):
        return Claim(
            f"not settled after {n} steps: the walk bounces across the bottom",
            "bounces: the last steps zig-zag",
            f"{figures}; the last {BOUNCE_STEPS} steps each reverse",
        )
    return Claim(
        f"not settled after {n} steps: f' is not 0 yet, the walk is still going",
        "not settled: |f'(x_n)| > 1e-3 |f'(x_0)|",
        figures,
    )


def walk_2d(
    w: np.ndarray,
    f: np.ndarray,
    grad_norm: np.ndarray,
    unbounded_below: bool,
    limit: sp.Expr | None,
    rate: sp.Expr,
    newton: float,
    span: float,
) -> Claim:
    r"""What a 2-D walk did, in TeX text: diverges, converges, bounces, runs away, crawls, or not settled.

    Rules, in order: f not finite, or above where it started: diverges (with η > 2/λ_max when f is a
    bowl and η exceeds it, decided exactly). ‖∇f‖ shrunk to 10⁻², and the flat point it nears
    (``newton``, Newton's step from the end) within ``HERE`` of the window's ``span``: converges. The
    last steps zig-zag: bounces. f fell and is unbounded below (an exact fact of f): runs away. f fell
    and ‖∇f‖ shrank: crawls. Otherwise: not settled.
    """
    steps = np.diff(w, axis=0)
    n = len(w) - 1
    g0, gn = float(grad_norm[0]), float(grad_norm[-1])
    figures = rf"‖∇f(w_{n})‖ = {_e(gn)}, ‖∇f(w_0)‖ = {_e(g0)}; Newton's step from the end {_e(newton)}"
    if not np.all(np.isfinite(f)) or float(f[-1]) > float(f[0]):
        end = "not finite" if not np.all(np.isfinite(f)) else _e(float(f[-1]))
        evidence = f"f(w_{n}) = {end} > f(w_0) = {_e(float(f[0]))}"
        if limit is not None and rate > limit:
            # An irrational limit (5/3 - √13/3) is named and rounded: 2/λmax ≈ 0.46 reads at a glance; to more
            # places where two would read as the rate itself (η = 0.59 > 2 - √2 ≈ 0.5858).
            places = 2
            while places < 6 and sp.Rational(f"{float(limit):.{places}f}") == rate:
                places += 1
            named = rf"2/\lambda_{{\max}} {number(float(limit), places, exact=limit)}"
            bound = latex(limit) if limit.is_Rational else named
            return Claim(
                rf"\text{{diverges: }}\eta > {bound}",
                "diverges: f grew; η > 2/λmax",
                evidence + "; η > 2/λmax",
            )
        return Claim(r"\text{diverges}", "diverges: f grew", evidence)
    if gn <= CONVERGED * g0 and newton <= HERE * span:
        return Claim(
            r"\text{converges}",
            "converges: ‖∇f‖ ≤ 1e-2 of its start, the flat point within 1e-2 of the window",
            figures,
        )
    if _bounces(steps):
        return Claim(r"\text{bounces}", "bounces: the last steps zig-zag", f"{figures}; the last steps each reverse")
    if unbounded_below and float(f[-1]) < float(f[0]):
        return Claim(
            r"\text{runs away: no bottom}",
            "runs away: f fell and f is unbounded below",
            f"f(w_{n}) = {_e(float(f[-1]))} < f(w_0) = {_e(float(f[0]))}; f has no lower bound",
        )
    if float(f[-1]) < float(f[0]) and gn < g0:
        return Claim(r"\text{crawls}", "crawls: f fell, ‖∇f‖ shrank, not to 1e-2", figures)
    return Claim(r"\text{not settled}", "not settled", figures)


def heading(flow: Sequence[sp.Expr], towards: Sequence[sp.Expr]) -> Claim:
    """Where the arrow −∇g points relative to c: toward, away from, or across the line to c.

    Decided by the cosine between −∇g(p) and c − p, computed exactly: toward when it is at least
    1/2 (within 60°), away when at most −1/2, across otherwise.
    """
    dot = sp.simplify(sum(a * b for a, b in zip(flow, towards, strict=True)))
    norms = sp.sqrt(sum(a**2 for a in flow)) * sp.sqrt(sum(b**2 for b in towards))
    if norms == 0:
        return Claim("it stands at c", "at c: −∇g = 0 or p = c", "|−∇g(p)| · |c − p| = 0")
    cosine = sp.simplify(dot / norms)
    evidence = f"cos(−∇g(p), c − p) = {sp.sstr(cosine)} ≈ {_e(float(cosine))}"
    if sp.simplify(cosine - sp.Rational(1, 2)) >= 0:
        return Claim("toward", "toward: cos ≥ 1/2", evidence)
    if sp.simplify(cosine + sp.Rational(1, 2)) <= 0:
        return Claim("away from", "away: cos ≤ −1/2", evidence)
    return Claim("across the line to", "across: |cos| < 1/2", evidence)
