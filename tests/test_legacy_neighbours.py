"""``theano.tensor.nnet.neighbours`` on every backend, against the real Theano 1.0.5.

The golden values come from Theano's own op (tools/golden_neighbours.py): every mode of
``images2neibs``, ``neibs2images`` where Theano defines it, and the gradient where Theano
has one. Patches are copies and the gradients sum a few quarter-integers, so every value
is bit for bit. All cases of a dtype are one function per linker. Where relucompat builds
the op its gradient exists in every mode; those Theano lacks are checked against a NumPy
scatter of the patches.
"""

from __future__ import annotations

import functools
import os

import neighbours_cases
import numpy as np
import pytest
from harness import (
    Harness,
    backends_own,
    c_linker_limit,
    describe,
    made_the_golden_data,
    one_float_dtype,
    same_bits,
    static_shapes,
)

import relucompat
from relucompat.legacy.tensor.nnet import neighbours

ALL_LINKERS = True
GOLDEN = os.path.join(os.path.dirname(__file__), "golden", neighbours_cases.GOLDEN)


@functools.lru_cache(maxsize=None)
def golden() -> dict:
    with np.load(GOLDEN) as data:
        return {key: data[key] for key in data.files}


def native(h: Harness) -> bool:
    relucompat.use(h.loaded.distribution.name)
    return neighbours._native() is not None


@functools.lru_cache(maxsize=None)
def computed(h: Harness, dtype: str) -> dict:
    """Every case's outputs in one function: ``{"<id>|<output>": value}``."""
    own = native(h)
    inputs, outputs, names, feed = [], [], [], []
    for case in neighbours_cases.CASES:
        (x, w), outs = neighbours_cases.build(neighbours, h.T, case, dtype, static_shapes(h))
        rows = len(golden()[f"{case.id}|{dtype}|fwd"])
        labels = ["fwd", "inverse"][: len(outs)]
        if not own or f"{case.id}|{dtype}|grad" in golden():  # the gradients Theano has
            outs.append(h.grad((outs[0] * w).sum(), x))
            labels.append("grad")
        inputs += [x, w]
        feed += [case.x(dtype), neighbours_cases.upstream(case, rows, dtype)]
        outputs += outs
        names += [f"{case.id}|{label}" for label in labels]
    values = c_linker_limit(h, lambda: h.function(inputs, outputs))(*feed)
    return dict(zip(names, values))


def scattered(case: neighbours_cases.Case, dtype: str) -> np.ndarray:
    """The gradient of ``sum(patches * w)``, by NumPy: each patch entry's weight added at
    the pixel it read (located by the patches of an input numbered 1..n; 0 is padding)."""
    count = int(np.prod(case.shape))
    numbered = np.arange(1, count + 1, dtype="float64").reshape(case.shape)
    read = _theano_free_images2neibs(case, numbered).astype("int64") - 1
    w = neighbours_cases.upstream(case, len(read), dtype)
    grad = np.zeros(count, dtype=dtype)
    np.add.at(grad, read[read >= 0], w[read >= 0])
    return grad.reshape(case.shape)


def _theano_free_images2neibs(case: neighbours_cases.Case, x: np.ndarray) -> np.ndarray:
    """Theano's documented patch order, by NumPy: per image, patches row-major, taps
    row-major; zeros in the padding; the image wraps around in wrap_centered."""
    c, d = case.neib_shape
    step_r, step_c = case.neib_step or case.neib_shape
    _, _, rows, cols = x.shape
    shift = {"half": (c // 2, d // 2), "wrap_centered": (c // 2, d // 2), "full": (c - 1, d - 1)}
    sr, sc = shift.get(case.mode, (0, 0))
    extent = {"half": (rows - c % 2, cols - d % 2), "full": (rows + c - 2, cols + d - 2)}
    er, ec = extent.get(case.mode, (rows - c, cols - d))
    if case.mode == "wrap_centered":
        grid = (-(-rows // step_r), -(-cols // step_c))
    else:
        grid = (1 + er // step_r, 1 + ec // step_c)
    out = []
    for image in x.reshape(-1, rows, cols):
        for a in range(grid[0]):
            for b in range(grid[1]):
                patch = []
                for i in range(c):
                    for j in range(d):
                        r, q = a * step_r + i - sr, b * step_c + j - sc
                        if case.mode == "wrap_centered":
                            r, q = r % rows, q % cols
                        inside = 0 <= r < rows and 0 <= q < cols
                        patch.append(image[r, q] if inside else 0)
                out.append(patch)
    return np.array(out)


@pytest.mark.parametrize("dtype", neighbours_cases.DTYPES)
def test_neighbourhoods_equal_theano_1_0_5(h, dtype):
    own = native(h)
    backends_own(h, own, "neighbourhoods")
    one_float_dtype(h, own, dtype, "neighbourhoods")
    if made_the_golden_data(h):
        pytest.skip("Theano's own op under its default linker made the golden data")
    got = computed(h, dtype)
    for key, value in got.items():
        case_id, _, output = key.partition("|")
        case = next(c for c in neighbours_cases.CASES if c.id == case_id)
        want_key = f"{case_id}|{dtype}|{output}"
        # Theano lacks some gradients: those are checked against a NumPy scatter.
        want = golden()[want_key] if want_key in golden() else scattered(case, dtype)
        if output == "inverse" and h.linker == "jax" and value.dtype != want.dtype:
            # Measured (PyTensor 3.3): the JAX linker returns this float64 output, the float32
            # patches joined with floatX zeros, in float32; its values are exact.
            value = value.astype(want.dtype)
        if output == "grad" and want.dtype != value.dtype and not native(h):
            # Theano's gradient of overlapping patches is floatX (float64 when the golden
            # data was made) for float32 input; the built one keeps the input's dtype.
            assert value.dtype == dtype, want_key
            value = value.astype(want.dtype)
        assert same_bits(value, want), f"{want_key}:{describe(value, want)}"


def test_the_patch_order_is_theanos_documented_one():
    # The reference the gradients Theano lacks are checked against reads the patches as
    # Theano's docstring says; here it reproduces every golden forward.
    for case in neighbours_cases.CASES:
        for dtype in neighbours_cases.DTYPES:
            want = golden()[f"{case.id}|{dtype}|fwd"]
            assert same_bits(_theano_free_images2neibs(case, case.x(dtype)).astype(dtype), want)


def test_bad_neighbourhoods_are_refused_with_theanos_reasons(h):
    if native(h):
        pytest.skip(f"{h.name} runs its own neighbourhood op, which checks when run")
    x = h.T.tensor4()
    x = h.T.specify_shape(x, (1, 1, 5, 5))
    with pytest.raises(TypeError, match="not consistent"):
        neighbours.images2neibs(x, (2, 2))  # 5 is no multiple of 2 in 'valid'
    with pytest.raises(TypeError, match="odd sides"):
        neighbours.images2neibs(x, (2, 2), mode="wrap_centered")
    with pytest.raises(NotImplementedError, match="mode must be one of"):
        neighbours.images2neibs(x, (2, 2), mode="same")
    with pytest.raises(NotImplementedError, match="'valid' or 'ignore_borders'"):
        neighbours.neibs2images(h.T.matrix(), (2, 2), (1, 1, 4, 4), mode="half")
