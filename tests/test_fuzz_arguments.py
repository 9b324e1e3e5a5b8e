"""Hypothesis over the public argument parsing: semantics strings, environment variable
values, and alpha of every type. Nothing may come out but a graph or one of the
documented errors (TypeError, ValueError, ImportError) with a message."""

from __future__ import annotations

import contextlib
import os

import hypothesis.extra.numpy as hnp
import numpy as np
from harness import expected, loaded_backends
from hypothesis import given
from hypothesis import strategies as st

import relucompat

DOCUMENTED = (TypeError, ValueError, ImportError)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
names = st.one_of(
    text, st.sampled_from(["theano", "strict", "pytensor", "aesara", "theano-pymc", "Theano", ""])
)
dtypes = st.sampled_from(
    ["float16", "float32", "float64", "int8", "uint64", "bool", "complex64", "U3", "O"]
)
alphas = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
    text,
    st.binary(max_size=4),
    st.lists(st.floats(allow_nan=False), max_size=3),
    dtypes.flatmap(
        lambda d: hnp.arrays(
            d,
            hnp.array_shapes(min_dims=0, max_dims=3, max_side=3),
            elements=st.sampled_from([1, "a", None]) if d == "O" else None,
        )
    ),
    st.sampled_from(
        [np.float32(0.1), np.float64(-2), np.int8(3), np.bool_(True), np.complex128(1)]
    ),
)


def _set(key, value):
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


@contextlib.contextmanager
def environment(**values):
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            _set(key, value)
        yield
    finally:
        for key, value in saved.items():
            _set(key, value)


@given(
    semantics=st.one_of(st.none(), names, st.integers(), st.binary(max_size=3)),
    env_semantics=st.one_of(st.none(), names),
    env_backend=st.one_of(st.none(), names),
    alpha=alphas,
    symbolic=st.booleans(),
)
def test_only_a_graph_or_a_documented_error(semantics, env_semantics, env_backend, alpha, symbolic):
    loaded = loaded_backends()
    x = loaded[0].tensor.matrix() if symbolic and loaded else np.array([[-1.0, 2.0]])
    with environment(RELUCOMPAT_SEMANTICS=env_semantics, RELUCOMPAT_BACKEND=env_backend):
        try:
            y = relucompat.relu(x, alpha, semantics=semantics)
        except DOCUMENTED as exc:
            assert str(exc), f"{type(exc).__name__} without a message"
            return
    assert type(y).__module__.split(".")[0] in ("theano", "aesara", "pytensor"), type(y)
    if expected() == {}:
        raise AssertionError("a graph without a backend")
