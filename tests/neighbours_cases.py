"""The neighbourhood cases that tools/golden_neighbours.py records on Theano 1.0.5 and
tests/test_legacy_neighbours.py checks: every mode of ``images2neibs``, with and without a
step, and ``neibs2images`` where Theano defines it."""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional, Tuple

import numpy as np

GOLDEN = "neighbours-theano-1.0.5.npz"


class Case(NamedTuple):
    id: str
    shape: Tuple[int, int, int, int]
    neib_shape: Tuple[int, int]
    neib_step: Optional[Tuple[int, int]]
    mode: str

    def x(self, dtype: str) -> np.ndarray:
        """Distinct small integers, negative ones included: exact in every float dtype."""
        count = int(np.prod(self.shape))
        return (np.arange(count) * 7 % 23 - 11).reshape(self.shape).astype(dtype)

    @property
    def inverts(self) -> bool:
        """Whether Theano's ``neibs2images`` takes these patches back."""
        return self.neib_step is None and self.mode in ("valid", "ignore_borders")


CASES: List[Case] = [
    Case("valid", (2, 3, 4, 6), (2, 3), None, "valid"),
    Case("valid-step", (1, 2, 5, 5), (3, 3), (1, 2), "valid"),
    Case("ignore-borders", (2, 1, 5, 7), (2, 2), None, "ignore_borders"),
    Case("ignore-borders-step", (1, 2, 6, 5), (3, 2), (2, 1), "ignore_borders"),
    Case("half", (1, 2, 5, 5), (3, 3), (1, 1), "half"),
    Case("full", (1, 1, 4, 5), (2, 3), (1, 1), "full"),
    Case("wrap-centered", (2, 1, 5, 4), (3, 3), None, "wrap_centered"),
    Case("wrap-centered-step", (1, 2, 5, 6), (3, 1), (2, 2), "wrap_centered"),
]
DTYPES = ("float32", "float64")


def upstream(case: Case, rows: int, dtype: str) -> np.ndarray:
    """The gradient flowing into the patches: distinct values, exact in every dtype."""
    size = rows * case.neib_shape[0] * case.neib_shape[1]
    return ((np.arange(size) * 5 % 17) - 8).reshape(rows, -1).astype(dtype) / 4


def build(module: Any, T: Any, case: Case, dtype: str, static: bool = False) -> Tuple[list, list]:
    """``(inputs, outputs)`` of one case through ``module`` (a neighbours module): the
    patches, and where Theano defines them, the inverse. With ``static`` the input's shape
    is given to the graph (JAX compiles only static sizes)."""
    x, w = T.tensor4(dtype=dtype), T.matrix(dtype=dtype)
    given = T.specify_shape(x, case.shape) if static else x
    patches = module.images2neibs(given, case.neib_shape, case.neib_step, case.mode)
    outputs = [patches]
    if case.inverts:
        outputs.append(module.neibs2images(patches, case.neib_shape, given.shape, case.mode))
    return [x, w], outputs
