"""The conv golden cases: inputs, and how to build their graphs with any conv2d.

tools/golden_conv.py builds them with Theano 1.0.5's own ``nnet.conv2d`` and
``nnet.conv.conv2d``; test_legacy_conv.py builds them with ``relucompat.legacy``'s on every
backend. Each case gives its output and the gradients of ``sum(out * g)`` with respect to
the input and the filters, for a fixed random ``g``.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import case_groups
import numpy as np

DTYPES = ("float32", "float64")
BORDER_MODES: Tuple[Any, ...] = ("valid", "full", "half", 1, (1, 2))
SUBSAMPLES = ((1, 1), (2, 2), (2, 1))
DILATIONS = ((1, 1), (2, 2))
OUTPUTS = ("out", "grad_input", "grad_filters")


@dataclass(frozen=True)
class Case:
    id: str
    dtype: str
    api: str  # "nnet" (nnet.conv2d) or "conv" (the old nnet.conv.conv2d)
    input_shape: Tuple[int, int, int, int]
    filter_shape: Tuple[int, int, int, int]
    border_mode: Any
    subsample: Tuple[int, int]
    filter_flip: bool
    filter_dilation: Tuple[int, int]
    num_groups: int
    give_shapes: bool  # pass input_shape and filter_shape (the built conv's static path)

    def kwargs(self) -> Dict[str, Any]:
        shapes: Dict[str, Any] = {}
        if self.api == "conv":
            if self.give_shapes:
                shapes = {"image_shape": self.input_shape, "filter_shape": self.filter_shape}
            return {"border_mode": self.border_mode, "subsample": self.subsample, **shapes}
        if self.give_shapes:
            shapes = {"input_shape": self.input_shape, "filter_shape": self.filter_shape}
        return {
            "border_mode": self.border_mode,
            "subsample": self.subsample,
            "filter_flip": self.filter_flip,
            "filter_dilation": self.filter_dilation,
            "num_groups": self.num_groups,
            **shapes,
        }

    def output_shape(self) -> Tuple[int, int, int, int]:
        """Theano's ``get_conv_output_shape``, for integers."""
        spatial = []
        for axis in range(2):
            size, k = self.input_shape[2 + axis], self.filter_shape[2 + axis]
            k = (k - 1) * self.filter_dilation[axis] + 1
            mode = self.border_mode
            mode = mode[axis] if isinstance(mode, tuple) else mode
            pad = {"valid": (0, 0), "full": (k - 1, k - 1), "half": (k // 2, k // 2)}.get(
                mode, mode if isinstance(mode, tuple) else (mode, mode)
            )
            spatial.append((size + sum(pad) - k) // self.subsample[axis] + 1)
        return (self.input_shape[0], self.filter_shape[0], spatial[0], spatial[1])

    def arrays(self) -> Dict[str, np.ndarray]:
        """The input, the filters and ``g``, seeded by the case's id."""
        rng = np.random.RandomState(zlib.crc32(self.id.encode()))
        return {
            "input": rng.uniform(-1, 1, self.input_shape).astype(self.dtype),
            "filters": rng.uniform(-1, 1, self.filter_shape).astype(self.dtype),
            "g": rng.uniform(-1, 1, self.output_shape()).astype(self.dtype),
        }


def cases() -> List[Case]:
    found = []
    for dtype in DTYPES:
        grid = itertools.product(BORDER_MODES, SUBSAMPLES, (True, False), DILATIONS)
        for number, (mode, sub, flip, dil) in enumerate(grid):
            kernel = (3, 2) if flip else (3, 3)
            name = f"{dtype}/{mode!r},sub={sub},flip={flip},dil={dil}".replace(" ", "")
            found.append(
                Case(
                    name,
                    dtype,
                    "nnet",
                    (2, 3, 7, 8),
                    (2, 3, *kernel),
                    mode,
                    sub,
                    flip,
                    dil,
                    1,
                    give_shapes=number % 2 == 0,
                )
            )
        extra = [
            ("groups=2", (2, 4, 7, 8), (4, 2, 3, 2), "valid", (1, 1), (1, 1), 2),
            ("groups=2,half,sub=2,dil=2", (2, 4, 7, 8), (4, 2, 3, 3), "half", (2, 2), (2, 2), 2),
            ("pair-of-pairs", (2, 3, 7, 8), (2, 3, 3, 2), ((1, 2), (0, 1)), (1, 2), (1, 1), 1),
            ("int-and-pair", (2, 3, 7, 8), (2, 3, 3, 3), (2, (1, 0)), (1, 1), (1, 2), 1),
        ]
        for name, ishape, fshape, mode, sub, dil, groups in extra:
            found.append(
                Case(
                    f"{dtype}/{name}",
                    dtype,
                    "nnet",
                    ishape,
                    fshape,
                    mode,
                    sub,
                    True,
                    dil,
                    groups,
                    give_shapes=groups == 1,
                )
            )
        # Theano 1.0.5's ConvOp refuses gradients of a strided "valid" convolution.
        for mode, sub in (("valid", (1, 1)), ("full", (1, 1)), ("full", (2, 1))):
            found.append(
                Case(
                    f"{dtype}/conv.conv2d/{mode},sub={sub}".replace(" ", ""),
                    dtype,
                    "conv",
                    (2, 3, 7, 8),
                    (2, 3, 3, 2),
                    mode,
                    sub,
                    True,
                    (1, 1),
                    1,
                    give_shapes=mode == "full",
                )
            )
    return found


def by_dtype() -> Dict[str, List[Case]]:
    return case_groups.by_dtype(cases())


def build(B: Any, nnet: Any, group: List[Case]) -> Tuple[list, list, list]:
    """Graphs for ``group`` (one dtype) in backend module ``B`` with legacy module ``nnet``
    (``theano.tensor.nnet`` or ``relucompat.legacy.tensor.nnet``): one function's worth.
    Its outputs are each case's OUTPUTS, in order."""
    T = B.tensor
    inputs: list = []
    outputs: list = []
    feed: list = []
    for case in group:
        arrays = case.arrays()
        x, w, g = (T.tensor4(dtype=case.dtype) for _ in range(3))
        conv2d = nnet.conv.conv2d if case.api == "conv" else nnet.conv2d
        out = conv2d(x, w, **case.kwargs())
        cost = (out * g).sum()
        inputs += [x, w, g]
        feed += [arrays["input"], arrays["filters"], arrays["g"]]
        outputs += [out, *B.grad(cost, [x, w])]
    return inputs, outputs, feed
