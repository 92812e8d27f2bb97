"""Exact numbers for every clip of the series, computed with JAX in float64.

Importing this package turns on float64 before any array exists, without importing JAX itself:
``mathcore.expressions`` (the whitelist that lesson files are checked against) stays light.
Nothing here imports manim or click: scenes and commands ask for a frozen result and only show it.
"""

from __future__ import annotations

import os
import sys

# Without this, JAX probes for TPU libraries and logs a warning into manim's output.
os.environ.setdefault("JAX_PLATFORMS", "cpu")
# JAX reads this when it is first imported; if something imported it earlier, set it directly.
os.environ["JAX_ENABLE_X64"] = "1"
if "jax" in sys.modules:
    sys.modules["jax"].config.update("jax_enable_x64", True)
