"""Hypothesis: ``"strict"`` equals its NumPy oracle bit for bit, NaN and inf included.

One compiled function per backend, linker and dtype serves every example.
"""

from __future__ import annotations

import functools

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from harness import FLOATS, Harness, describe, need, same_bits
from hypothesis import given
from hypothesis import strategies as st

import relucompat
from relucompat import oracle

WIDTH = {"float16": 16, "float32": 32, "float64": 64}


@functools.lru_cache(maxsize=None)
def compiled(h: Harness, dtype: str):
    x, g, alpha = h.var(dtype), h.var(dtype), h.var(dtype)
    plain = relucompat.relu(x, semantics="strict")
    leaky = relucompat.relu(x, alpha, semantics="strict")
    outputs = [
        plain,
        h.grad((plain * g).sum(), x),
        leaky,
        h.grad((leaky * g).sum(), x),
        h.grad((leaky * g).sum(), alpha),
    ]
    return h.function([x, g, alpha], outputs)


def floats(dtype, finite=False):
    return st.floats(
        width=WIDTH[dtype],
        allow_nan=not finite,
        allow_infinity=not finite,
        allow_subnormal=True,
    )


def slopes(dtype):
    """Any finite alpha, and the ones that matter most: 0, -0, negative, above 1."""
    special = [0.0, -0.0, 0.01, 0.3, -0.5, 1.0, 2.0, 1e3, -1e3]
    exact = [float(np.asarray(v, dtype)) for v in special]  # representable in dtype
    return st.one_of(st.sampled_from(exact), floats(dtype, finite=True))


# Strategies are built once per dtype and length, not once per example: building them is
# most of Hypothesis's time per example.
@functools.lru_cache(maxsize=None)
def triples(dtype: str):
    return st.integers(0, 12).flatmap(functools.partial(triples_of_length, dtype))


@functools.lru_cache(maxsize=None)
def triples_of_length(dtype: str, n: int):
    return st.tuples(
        hnp.arrays(dtype, n, elements=floats(dtype)),
        hnp.arrays(dtype, n, elements=floats(dtype, finite=True)),
        hnp.arrays(dtype, n, elements=slopes(dtype)),
    )


@pytest.mark.parametrize("dtype", FLOATS)
@given(data=st.data())
def test_strict_matches_the_oracle(h, dtype, data):
    need(h, dtype)
    function = compiled(h, dtype)
    x, g, alpha = data.draw(triples(dtype), label="x, g, alpha")
    fwd, grad, fwd_a, grad_a, grad_alpha = function(x, g, alpha)
    with np.errstate(all="ignore"):
        wanted = [
            ("relu(x)", fwd, oracle.strict_forward(x), True),
            ("grad", grad, oracle.strict_grad_x(x, g), False),
            ("relu(x, alpha)", fwd_a, oracle.strict_forward(x, alpha), True),
            ("grad x", grad_a, oracle.strict_grad_x(x, g, alpha), False),
            ("grad alpha", grad_alpha, oracle.strict_grad_alpha(x, g, alpha), False),
        ]
    for what, got, want, signed in wanted:
        assert same_bits(got, want, signed_zeros=signed), f"{what} at x={x!r}:{describe(got, want)}"
