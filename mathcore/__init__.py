"""Exact numbers for every clip of the series, computed with JAX in float64.

Importing this package turns on float64 before any array exists. Nothing here imports manim
or click: scenes and commands ask for a frozen result and only show it.
"""

from __future__ import annotations

import os

# Without this, JAX probes for TPU libraries and logs a warning into manim's output.
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax

jax.config.update("jax_enable_x64", True)
