"""Graphs and compiled functions that use relu pickle, load in a fresh process, and copy.

One function per backend and linker holds every variant (both semantics, no alpha, a
Python alpha, a symbolic scalar and a per-element alpha), forward and gradients; one
subprocess per linker loads it and the graph, and must compute the same bits.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, List, Tuple

import numpy as np
import pytest
from fresh_process import loaded_elsewhere
from golden_cases import float_edges
from harness import Harness, describe, same_bits

import relucompat

ALL_LINKERS = True  # pickling must hold under every linker in $RELUCOMPAT_TEST_LINKERS


@functools.lru_cache(maxsize=None)
def built(h: Harness) -> Tuple[List[Any], List[Any], List[str], Any]:
    """Inputs, outputs, the semantics of each output, and the compiled function."""
    x, g, a, av = h.var("float64"), h.var("float64"), h.var("float64", 0), h.var("float64")
    outputs, semantics_of = [], []
    for semantics in ("theano", "strict"):
        for alpha in (0, 0.3, a, av):
            y = relucompat.relu(x, alpha, semantics=semantics)
            cost = (y * g).sum()
            outputs += [y, h.grad(cost, x)]
            if not isinstance(alpha, (int, float)):
                outputs.append(h.grad(cost, alpha))
            semantics_of += [semantics] * (len(outputs) - len(semantics_of))
    inputs = [x, g, a, av]
    return inputs, outputs, semantics_of, h.function(inputs, outputs)


def arguments() -> tuple:
    x = float_edges("float64")
    g = np.resize(np.array([2.0, -3.0, 0.5, -1.25]), x.shape)
    slopes = np.resize(np.array([0.3, -0.3, 0.0, 1.0, 2.0]), x.shape)
    return x, g, np.asarray(0.3), slopes


def check_all(got: List[Any], want: List[Any], what: str) -> None:
    assert len(got) == len(want), what
    for i, (actual, expected) in enumerate(zip(got, want)):
        # The 0-d outputs are sums (the gradients for a scalar alpha) over NaNs of both
        # signs: which sign a sum keeps is the compiled reduction's, and IEEE 754 leaves it
        # open. PyTensor 3.3's numba gives -NaN when it compiles the sum and +NaN when it
        # loads the same kernel from its on-disk cache (measured: every cold-cache run of
        # this test). Elementwise outputs keep every bit, NaN payloads included.
        nan_payloads = np.ndim(expected) > 0
        assert same_bits(actual, expected, nan_payloads=nan_payloads), (
            f"{what}, output {i}:{describe(actual, expected)}"
        )


def test_function_and_graph_load_in_a_fresh_process(h, tmp_path):
    inputs, outputs, _, function = built(h)
    args = arguments()
    want = function(*args)
    got = loaded_elsewhere(h, str(tmp_path / "relu.pkl"), inputs, outputs, args, function)
    check_all(got["graph"], want, "the loaded graph, compiled again")
    if "function" in got:
        check_all(got["function"], want, "the loaded function")


def test_deepcopy_and_copy_compute_the_same_bits(h):
    _, _, semantics_of, function = built(h)
    args = arguments()
    want = function(*args)
    if h.linker == "c":
        # deepcopy goes through pickle's protocol (see above), and Function.copy() needs
        # the storage map of a VM, which a CLinker thunk does not have.
        with pytest.raises(NotImplementedError, match="Params is immutable"):
            copy.deepcopy(function)
        return
    check_all(copy.deepcopy(function)(*args), want, "copy.deepcopy(function)")
    copied = function.copy()(*args)
    if h.name == "theano":
        # Theano's Function.copy() miscomputes its own nnet.relu(x, alpha) once the graph
        # also holds nnet.relu(x): keep to what relucompat builds, the strict outputs.
        keep = [i for i, semantics in enumerate(semantics_of) if semantics == "strict"]
        copied, want = [copied[i] for i in keep], [want[i] for i in keep]
    check_all(copied, want, "function.copy()")
