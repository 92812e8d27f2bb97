"""The network template: a small ReLU net learns a function of x by plain gradient descent on the MSE.

The net, its data and its first weights follow the article: 1 → widths → 1, weights normal × scale,
biases 0, points uniform on the interval, one key for the data and (split) for the weights. One
jitted call trains it in a ``lax.scan``, keeping the loss at every step and the fitted curve at
checkpoints, and trains a second copy at a baseline rate for comparison (the article's settings).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from mathcore.errors import MathError
from mathcore.symbolic import Formula, smooth
from mathcore.types import F64Array, to_numpy

Params = list[tuple[jax.Array, jax.Array]]

#: About this many checkpoints of the fitted curve, spaced evenly in log(step).
CHECKPOINTS = 40


@dataclass(frozen=True)
class Run:
    """One training run: the loss before every step and after the last."""

    rate: float
    loss: F64Array  # shape (steps + 1,)

    @property
    def steps(self) -> int:
        """How many steps the run took."""
        return len(self.loss) - 1


@dataclass(frozen=True)
class NetworkClip:
    """Every number and formula the network template shows."""

    target_tex: str
    sizes: tuple[int, ...]  # 1, the hidden widths, 1
    parameter_count: int
    x: F64Array  # the training points
    y: F64Array
    grid: F64Array  # where the curves are drawn
    target: F64Array  # the target on the grid
    checkpoints: tuple[int, ...]  # the steps whose fitted curve is kept, from 0 to the last
    fitted: F64Array  # the net's output on the grid at each checkpoint, shape (checkpoints, grid)
    run: Run
    baseline: Run
    baseline_fitted: F64Array  # the baseline net's output on the grid after its last step


def checkpoints(steps: int, count: int = CHECKPOINTS) -> tuple[int, ...]:
    """0 and about ``count`` steps up to ``steps``, evenly spaced in log(step)."""
    spaced = np.unique(np.round(np.geomspace(1, steps, count)).astype(int))
    return (0, *(int(k) for k in spaced))


def _init(key: jax.Array, sizes: Sequence[int], scale: jax.Array) -> Params:
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        key, subkey = jax.random.split(key)
        params.append((jax.random.normal(subkey, (fan_in, fan_out), dtype=jnp.float64) * scale, jnp.zeros(fan_out)))
    return params


def _forward(params: Params, x: jax.Array) -> jax.Array:
    for w, b in params[:-1]:
        x = jnp.maximum(0.0, x @ w + b)
    w, b = params[-1]
    return x @ w + b


@lru_cache(maxsize=8)
def _compiled(formula: Formula, sizes: tuple[int, ...], count: int) -> Callable[..., tuple[jax.Array, ...]]:
    target = formula.jax

    def loss(params: Params, x: jax.Array, y: jax.Array) -> jax.Array:
        return jnp.mean((_forward(params, x) - y) ** 2)

    value_and_grad = jax.value_and_grad(loss)

    def train(
        params: Params, x: jax.Array, y: jax.Array, grid: jax.Array, rate: jax.Array, slots: jax.Array, kept: int
    ) -> tuple[Params, jax.Array, jax.Array]:
        """``len(slots)`` steps; after step k the curve is kept in ``slots[k]`` unless it is -1."""

        def step(carry: tuple[Params, jax.Array], slot: jax.Array) -> tuple[tuple[Params, jax.Array], jax.Array]:
            params, curves = carry
            value, grads = value_and_grad(params, x, y)
            params = jax.tree.map(lambda p, g: p - rate * g, params, grads)
            curves = jax.lax.cond(
                slot >= 0,
                lambda c: c.at[slot].set(_forward(params, grid)[:, 0]),
                lambda c: c,
                curves,
            )
            return (params, curves), value

        curves = jnp.zeros((kept, grid.shape[0])).at[0].set(_forward(params, grid)[:, 0])
        (params, curves), losses = jax.lax.scan(step, (params, curves), slots)
        return params, curves, jnp.concatenate([losses, loss(params, x, y)[None]])

    @jax.jit
    def clip(
        seed: jax.Array,
        interval: jax.Array,
        scale: jax.Array,
        grid: jax.Array,
        rate: jax.Array,
        slots: jax.Array,
        kept: jax.Array,
        baseline_rate: jax.Array,
        baseline_slots: jax.Array,
    ) -> tuple[jax.Array, ...]:
        key = jax.random.PRNGKey(seed)
        x = jax.random.uniform(key, (count, 1), dtype=jnp.float64, minval=interval[0], maxval=interval[1])
        y = target(x)
        params = _init(key, sizes, scale)
        column = grid[:, None]
        _, curves, losses = train(params, x, y, column, rate, slots, kept.shape[0])
        _, last, baseline_losses = train(params, x, y, column, baseline_rate, baseline_slots, 2)
        return x[:, 0], y[:, 0], target(grid), curves, losses, last[1], baseline_losses

    return clip


def network_clip(
    target: str,
    widths: Sequence[int],
    interval: tuple[float, float],
    count: int,
    seed: int,
    scale: float,
    rate: float,
    steps: int,
    baseline: tuple[float, int],
    grid_size: int = 161,
) -> NetworkClip:
    """Train the net on ``count`` points of ``target`` for ``steps`` at ``rate``; and at the baseline (rate, steps)."""
    formula = Formula.parse(target, ["x"])
    smooth(formula, interval, "f", order=0)
    sizes = (1, *(int(w) for w in widths), 1)
    kept = checkpoints(steps)
    slots = np.full(steps, -1, dtype=np.int32)
    for slot, k in enumerate(kept[1:], start=1):
        slots[k - 1] = slot
    baseline_slots = np.full(baseline[1], -1, dtype=np.int32)
    baseline_slots[-1] = 1
    grid = np.linspace(interval[0], interval[1], grid_size)
    out = _compiled(formula, sizes, count)(
        jnp.uint32(seed),
        jnp.asarray(interval, dtype=jnp.float64),
        jnp.float64(scale),
        jnp.asarray(grid),
        jnp.float64(rate),
        jnp.asarray(slots),
        jnp.zeros(len(kept)),
        jnp.float64(baseline[0]),
        jnp.asarray(baseline_slots),
    )
    x, y, on_grid, curves, losses, baseline_curve, baseline_losses = (np.asarray(a) for a in out)
    if not np.all(np.isfinite(on_grid)):
        raise MathError(f"{formula.text} is undefined or too large for float64 somewhere on the interval", "f")
    for name, run_rate, run_losses in (("rate", rate, losses), ("baseline rate", baseline[0], baseline_losses)):
        if not np.all(np.isfinite(run_losses)) or run_losses[-1] > run_losses[0]:
            raise MathError(f"training diverges at the {name} {run_rate:g}: the loss grows", name.replace(" ", "_"))
    return NetworkClip(
        target_tex=formula.tex,
        sizes=sizes,
        parameter_count=sum(a * b + b for a, b in itertools.pairwise(sizes)),
        x=to_numpy(x),
        y=to_numpy(y),
        grid=to_numpy(grid),
        target=to_numpy(on_grid),
        checkpoints=kept,
        fitted=to_numpy(curves),
        run=Run(float(rate), to_numpy(losses)),
        baseline=Run(float(baseline[0]), to_numpy(baseline_losses)),
        baseline_fitted=to_numpy(baseline_curve),
    )
