"""``"theano"`` semantics reproduce Theano 1.0.5's ``nnet.relu`` bit for bit, everywhere.

The vectors come from the real Theano 1.0.5 (tools/make_golden.py). Each dtype's cases are
compiled as one function, so a backend compiles four graphs here, not fifty. Under Theano
1.0.5's default linker, which made them, each graph is compared with ``nnet.relu``'s
instead (see harness.made_the_golden_data).
"""

from __future__ import annotations

import functools
import json
import os

import golden_cases
import numpy as np
import pytest
from harness import Harness, assert_same_graph, describe, made_the_golden_data, need, same_bits

import relucompat

GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "theano-1.0.5.json")

# Set by tox envs whose compiled arithmetic is known to round Theano's expression differently
# (see docs/semantics.md, "Bit-identity with Theano 1.0.5"): there, float cases with alpha != 0, and
# float16 cases (Theano's C computed float16 in float32), are checked to 2 ulp away from the
# overflow edge. Every other case, alpha == 0 in float32 and float64 above all, stays bit
# for bit.
TOLERANT = os.environ.get("RELUCOMPAT_TEST_GOLDEN_TOLERANT") == "leaky"


@functools.lru_cache(maxsize=None)
def golden() -> dict:
    with open(GOLDEN) as stream:
        return {case["id"]: case for case in json.load(stream)["cases"]}


@functools.lru_cache(maxsize=None)
def computed(h: Harness, dtype: str) -> dict:
    group = golden_cases.by_dtype()[dtype]

    def relu(x, alpha):
        return relucompat.relu(x, alpha, semantics="theano")

    ours = golden_cases.build(h.B, relu, dtype, group)
    if made_the_golden_data(h):  # tools/make_golden.py: this graph with Theano's nnet.relu
        assert_same_graph(ours, golden_cases.build(h.B, h.B.tensor.nnet.relu, dtype, group))
        return {case.id: golden_outputs(case) for case in group}
    inputs, outputs, feed = ours
    values = list(h.function(inputs, outputs)(*feed))
    found = {}
    for case in group:
        found[case.id] = {name: values.pop(0) for name in golden_cases.output_names(case)}
    return found


def golden_outputs(case: golden_cases.Case) -> dict:
    return {
        name: golden_cases.decode(value) for name, value in golden()[case.id]["outputs"].items()
    }


def test_golden_file_matches_the_case_definitions():
    cases = golden_cases.cases()
    assert sorted(c.id for c in cases) == sorted(golden())
    for case in cases:
        assert golden()[case.id]["x"]["hex"] == case.x.tobytes().hex(), case.id


@pytest.mark.parametrize("case", golden_cases.cases(), ids=lambda case: case.id)
def test_theano_semantics_are_bit_identical_to_theano_1_0_5(h, case):
    need(h, case.dtype)
    got = computed(h, case.dtype)[case.id]
    want = golden()[case.id]["outputs"]
    assert sorted(got) == sorted(want)
    leaky = not (case.alpha_kind == "python" and case.alpha == 0)
    for name, value in got.items():
        expected = golden_cases.decode(want[name])
        if TOLERANT and case.g is not None and (leaky or case.dtype == "float16"):
            assert_close_to_theano(value, expected, case, name)
        else:
            same = same_bits(value, expected, nan_payloads=False)
            assert same, f"{case.id} {name}:{describe(value, expected)}"


def assert_close_to_theano(got, want, case, name):
    """Same dtype, NaN and inf positions, and values within 2 ulp, away from overflow."""
    assert got.dtype == want.dtype and got.shape == want.shape, f"{case.id} {name}"
    if got.ndim == 0:  # a gradient summed over every x, edges included
        np.testing.assert_allclose(
            got, want, rtol=1e-5, equal_nan=True, err_msg=f"{case.id} {name}"
        )
        return
    x = case.x if name != "grad_alpha" or case.x.ndim == 1 else case.x[0]
    inside = np.abs(x.astype("float64")) <= np.finfo(case.dtype).max / 4
    eps = np.finfo(got.dtype).eps
    np.testing.assert_allclose(
        got[..., inside],
        want[..., inside],
        rtol=2 * eps,  # measured: at most 1 ulp apart (docs/semantics.md)
        atol=2 * eps,
        equal_nan=True,
        err_msg=f"{case.id} {name}",
    )


def test_the_golden_data_shows_theanos_warts():
    # The warts the "theano" semantics promise to keep, read from the golden file itself.
    fwd = golden_cases.decode(golden()["float32/alpha=0"]["outputs"]["fwd"])
    grad = golden_cases.decode(golden()["float32/alpha=0"]["outputs"]["grad"])
    x = golden_cases.float_edges("float32")
    assert np.isnan(fwd[x == -np.inf]).all()
    assert (grad[x == 0] == 0.5).all()
    assert np.isinf(fwd[x == np.finfo("float32").max]).all()
    assert golden()["int32/alpha=0"]["outputs"]["fwd"]["dtype"] == "float64"
