"""Hypothesis against the NumPy oracles, both semantics, every dtype, every shape up to 3-D.
(Strict with a symbolic alpha, and its gradients, is in test_properties.py.)

Compiled once per backend, linker and dtype (values are elementwise, so a 1-D function
serves arrays of any shape, flattened); shapes themselves are checked by a 3-D function.
The number of examples follows the Hypothesis profile: 200 per test in tox ("ci"),
20,000 with ``--hypothesis-profile=thorough``. ``--hypothesis-show-statistics`` prints them.
"""

from __future__ import annotations

import functools
import os

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from harness import FLOATS, INTS, Harness, describe, need, same_bits
from hypothesis import given
from hypothesis import strategies as st

import relucompat
from relucompat import oracle

TOLERANT = os.environ.get("RELUCOMPAT_TEST_GOLDEN_TOLERANT") == "leaky"


def values(dtype: str):
    if dtype in INTS:
        return st.integers(int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))
    width = int(dtype[5:])
    return st.floats(width=width, allow_nan=True, allow_infinity=True, allow_subnormal=True)


@functools.lru_cache(maxsize=None)  # built once: building is most of an example's time
def arrays(dtype: str, max_dims: int = 3):
    shapes = hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4)
    return hnp.arrays(dtype, shapes, elements=values(dtype))


@functools.lru_cache(maxsize=None)
def compiled(h: Harness, dtype: str, semantics: str):
    x = h.var(dtype)
    return h.function([x], [relucompat.relu(x, semantics=semantics)])


@pytest.mark.parametrize("dtype", FLOATS + INTS)
@pytest.mark.parametrize("semantics", ["theano", "strict"])
@given(data=st.data())
def test_every_dtype_against_its_oracle(h, dtype, semantics, data):
    need(h, dtype)
    function = compiled(h, dtype, semantics)
    x = data.draw(arrays(dtype), label="x")
    (got,) = function(x.ravel())
    if semantics == "strict":
        want = oracle.strict_forward(x.ravel())
        assert same_bits(got, want), f"x={x!r}:{describe(got, want)}"
        return
    want = oracle.theano_forward(x.ravel())
    if TOLERANT and dtype == "float16":  # see the golden test: Theano computed in float32
        near_max = np.abs(x.ravel().astype("float64")) > np.finfo(dtype).max / 4
        got, want = got[~near_max], want[~near_max]
    assert same_bits(got, want, nan_payloads=False), f"x={x!r}:{describe(got, want)}"


@functools.lru_cache(maxsize=None)
def shaped(h: Harness, semantics: str):
    x = h.T.tensor3()
    return h.function([x], [relucompat.relu(x, semantics=semantics)])


@pytest.mark.parametrize("semantics", ["theano", "strict"])
@given(
    x=hnp.arrays(
        "float64",
        hnp.array_shapes(min_dims=3, max_dims=3, min_side=0, max_side=3),
        elements=values("float64"),
    )
)
def test_shapes_up_to_3d_including_empty(h, semantics, x):
    (got,) = shaped(h, semantics)(x)
    assert got.shape == x.shape
    flat = (
        oracle.strict_forward(x.ravel())
        if semantics == "strict"
        else oracle.theano_forward(x.ravel())
    )
    assert same_bits(got.ravel(), flat, nan_payloads=semantics == "strict")


def test_zero_dimensional_input(h):
    for semantics in ("theano", "strict"):
        x = h.T.scalar()
        (got,) = h.function([x], [relucompat.relu(x, semantics=semantics)])(np.float64(-2.5))
        assert got.shape == () and got == 0
