"""Array aliases shared by the math core's frozen results."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64Array = npt.NDArray[np.float64]


def to_numpy(value: object) -> F64Array:
    """Copy a JAX (or any) array into a read-only numpy float64 array."""
    array = np.array(value, dtype=np.float64)
    array.setflags(write=False)
    return array
