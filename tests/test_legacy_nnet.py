"""Theano 1.0.5's nnet beyond relu (``relucompat.legacy.tensor.nnet`` and its ``bn``) on
every backend and linker, against the real Theano's values (tools/golden_nnet.py).

Every case of a dtype is one compiled function per linker. Where the backend runs Theano's
own C code (Theano, Theano-PyMC, under the C linkers) the values are Theano's bits; elsewhere
they are within the bounds measured below.
"""

from __future__ import annotations

import functools
import importlib
import os
import warnings
from types import SimpleNamespace

import nnet_cases
import numpy as np
import pytest
from harness import (
    Harness,
    assert_same_graph,
    backends_own,
    flushed,
    made_the_golden_data,
    one_float_dtype,
    undo_float64_leak,
)

import relucompat
from relucompat.legacy import _namespace

ALL_LINKERS = True
GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "nnet-theano-1.0.5.npz")

# The largest distance from Theano's value, in units in the last place of the larger of
# |Theano's value| and (max |Theano's value| in that array) * 2**-10 (so that a gradient that
# cancels to nearly zero counts at its array's scale), over every case, env and linker.
# Measured: 169 under C linkers (batch normalization's mean and variance over 3 items); under
# numba, which reassociates sums (fastmath), 884 in float32 (PyTensor 2.38) and 1593 in
# float64 (PyTensor 3.3): batch normalization's and softmax's gradients.
BOUND_ULPS = {"float32": 1024, "float64": 2048}
# Two exceptions under the py linker, measured (bound: float32's eps, 2**29 ulp of float64):
# - NumPy computes the math functions of float32 inputs (expm1) in float32, where C code,
#   Theano's included, calls the C library in double: float32 selu, float64 since its
#   constants are, carries float32 rounding (5e-8 relative).
# - Under PyTensor 3 the float64 invstd of batch_normalization_train comes out rounded to
#   float32 (5.3e-8 relative); the same graph under cvm and numba gives Theano's value to
#   1 ulp. Not explained.
PY_FLOAT32_ROUNDING_ULPS = 2.0**29


@functools.lru_cache(maxsize=None)
def golden() -> dict:
    with np.load(GOLDEN) as data:
        return {key: data[key] for key in data.files if key != "produced_by"}


def api(h: Harness) -> SimpleNamespace:
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy.tensor.nnet as nnet
    import relucompat.legacy.tensor.nnet.bn as bn

    return SimpleNamespace(nnet=nnet, bn=bn)


def aborts(h: Harness, case: nnet_cases.Case) -> bool:
    """Cases whose graph aborts the process (a failed assert in the generated C) under
    PyTensor 2.38's pure C linker: batch normalization (first seen over the "spatial" axes
    only; with the gather-built conv and pooling in the process, over the others too)."""
    version = h.loaded.distribution.version
    return (
        h.name == "pytensor"
        and h.linker == "c"
        and version.startswith("2.")
        and "batch_normalization" in case.id
    )


@functools.lru_cache(maxsize=None)
def computed(h: Harness, dtype: str) -> dict:
    """Every case of ``dtype`` in one function. Where Theano 1.0.5 made the golden data,
    the graph is compared with Theano's own instead."""
    backends_own(h, _namespace.native_nnet() is not None, "nnet")
    group = [case for case in nnet_cases.by_dtype()[dtype] if not aborts(h, case)]
    inputs, outputs, feed = ours = quiet_build(h, api(h), group)
    if made_the_golden_data(h):
        bn = importlib.import_module(f"{h.name}.tensor.nnet.bn")
        theanos = SimpleNamespace(nnet=h.B.tensor.nnet, bn=bn)
        assert_same_graph(ours, quiet_build(h, theanos, group))
        return {c.id: {name: golden()[f"{c.id}|{name}"] for name in c.names()} for c in group}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = h.function(inputs, outputs)(*feed)
    return nnet_cases.split(group, values)


def quiet_build(h: Harness, api: SimpleNamespace, group: list) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Theano's softmax warns of the vector case
        return nnet_cases.build(h.B, api, group)


def ulps(got: np.ndarray, want: np.ndarray, scale: float = 0.0) -> float:
    """The largest distance of ``got`` from ``want``, in units in the last place of each
    of ``want``'s values, or of ``scale`` where that is larger; inf where their NaNs or
    infinities differ."""
    dtype = want.dtype if want.dtype == got.dtype else got.dtype
    got, want = np.asarray(got, "float64"), np.asarray(want, "float64")
    if not np.array_equal(np.isnan(got), np.isnan(want)):
        return float("inf")
    if not np.array_equal(got[np.isinf(want)], want[np.isinf(want)]):
        return float("inf")
    finite = np.isfinite(want)
    if not finite.any():
        return 0.0
    unit = np.spacing(np.maximum(np.abs(want[finite]), scale).astype(dtype))
    return float((np.abs(got[finite] - want[finite]) / unit.astype("float64")).max())


def distance(case: nnet_cases.Case, name: str, got: np.ndarray, h: Harness) -> float:
    """``got``'s distance from Theano's value, in ulps: of each value for outputs, and for
    gradients (sums of terms of the weights' magnitude, ~1, that may cancel) at least of
    2**-10 * max(1, its largest). Without Theano's C sigmoid and softplus, the points where
    those clip (nnet_cases.THEANO_CLIPS) are left out. Logsoftmax's values count at least
    at the ulp of 1."""
    want = flushed(h, golden()[f"{case.id}|{name}"])
    if not theano_1_0_5(h) and name in ("out0", "grad0", "grad1"):
        keep = ~nnet_cases.clipped(case.id, case.values[0])
        if keep.shape == want.shape:
            got, want = got[keep], want[keep]
    if name.startswith("out"):  # a log's rounding is absolute: that of log(1 + eps)
        scale = 1.0 if "logsoftmax" in case.id else 0.0
    else:
        scale = 2.0**-10 * max(1.0, float(np.abs(want).max()))
    return ulps(got, want, scale)


def theano_1_0_5(h: Harness) -> bool:
    """Theano 1.0.5 itself (Theano-PyMC rewrote its sigmoid and softplus without clipping)."""
    return h.loaded.distribution.name == "theano"


def exact(h: Harness) -> bool:
    """Whether this backend and linker run Theano's own C code for every case."""
    return theano_1_0_5(h) and h.linker in ("default", "c", "cvm")


def py_rounds_in_float32(h: Harness, case: nnet_cases.Case, name: str, value: np.ndarray) -> bool:
    """The two exceptions above."""
    if h.linker != "py":
        return False
    float32_math = case.dtype == "float32" and value.dtype == np.float64
    version = h.loaded.distribution.version
    invstd = "batch_normalization_train" in case.id and name == "out2"
    return float32_math or (h.name == "pytensor" and version.startswith("3.") and invstd)


def test_golden_file_has_every_case():
    keys = {f"{case.id}|{name}" for case in nnet_cases.cases() for name in case.names()}
    assert keys == set(golden())


@pytest.mark.parametrize("dtype", nnet_cases.FLOATS)
def test_values_and_gradients_are_theanos(h, dtype):
    relucompat.use(h.loaded.distribution.name)
    one_float_dtype(h, _namespace.native_nnet() is not None, dtype, "nnet")
    found = computed(h, dtype)
    bound = 0 if exact(h) else BOUND_ULPS[dtype]
    worst = {}
    for case in nnet_cases.by_dtype()[dtype]:
        for name, value in found.get(case.id, {}).items():
            want = golden()[f"{case.id}|{name}"]
            where = f"{case.id} {name}"
            value = undo_float64_leak(h, value, dtype)
            assert value.dtype in (want.dtype, dtype), f"{where}: {value.dtype}, not {want.dtype}"
            assert value.shape == want.shape, f"{where}: {value.shape}, not {want.shape}"
            worst[where] = distance(case, name, value, h)
            if (
                py_rounds_in_float32(h, case, name, value)
                and worst[where] <= PY_FLOAT32_ROUNDING_ULPS
            ):
                worst[where] = 0.0
    over = {key: v for key, v in worst.items() if v > bound}
    assert not over, f"over {bound} ulp: {over}"


@pytest.mark.parametrize("floatx, dtype", [("float64", "float64"), ("float32", "float32")])
def test_selu_of_float32_follows_floatx_as_theanos_did(h, floatx, dtype):
    # Its constants, which float32 cannot hold, were floatX (the golden data: float64).
    config = h.B.config
    change_flags = getattr(config, "change_flags", None) or h.B.configparser.change_flags
    with change_flags(floatX=floatx):
        assert api(h).nnet.selu(h.T.vector(dtype="float32")).dtype == dtype


def test_softmax_shapes_are_theanos(h):
    nn = api(h).nnet
    assert nn.softmax(h.T.matrix()).ndim == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = nn.softmax(h.T.vector())
        assert row.ndim == 2 and row.broadcastable[0]
        assert nn.logsoftmax(h.T.vector()).ndim == 2
    for bad in (h.T.tensor3(), h.T.ivector(), h.T.scalar()):
        for name in ("softmax", "logsoftmax"):
            with pytest.raises(ValueError, match="1-d or 2-d tensor of floats"):
                getattr(nn, name)(bad)


def test_bad_input_names_the_argument(h):
    parts = api(h)
    T = h.T
    x, p = T.matrix(), T.matrix()
    with pytest.raises(TypeError, match="true_dist must have coding_dist's rank"):
        parts.nnet.categorical_crossentropy(p, T.imatrix().dimshuffle(0, 1, "x"))
    with pytest.raises(TypeError, match="true_one_of_n must be an int32 or int64 vector"):
        parts.nnet.crossentropy_categorical_1hot(p, T.vector())
    with pytest.raises(TypeError, match="coding_dist must be a matrix"):
        parts.nnet.crossentropy_categorical_1hot(T.tensor3(), T.ivector())
    with pytest.raises(ValueError, match="mode must be 'low_mem' or 'high_mem'; got 'fast'"):
        parts.bn.batch_normalization(x, x, x, x, x, mode="fast")
    v = T.vector()
    for axes, match in [
        ("channels", "axes must be 'per-activation', 'spatial' or a tuple of ints; got 'channels'"),
        ((), r"at least one axis"),
        ((0, 2), r"axes must be between 0 and 1 for 2-d inputs; got \(0, 2\)"),
    ]:
        with pytest.raises(ValueError, match=match):
            parts.bn.batch_normalization_train(x, v, v, axes=axes)
        with pytest.raises(ValueError, match=match):
            parts.bn.batch_normalization_test(x, v, v, v, v, axes=axes)
    with pytest.raises(ValueError, match="epsilon must be at least 1e-5"):
        parts.bn.batch_normalization_train(x, v, v, epsilon=1e-6)
    with pytest.raises(ValueError, match="running_mean and running_var must be given together"):
        parts.bn.batch_normalization_train(x, v, v, running_mean=v)
    with pytest.raises(ValueError, match=r"gamma and beta must have one dimension per"):
        parts.bn.batch_normalization_train(x, T.matrix(), v, axes="per-activation")


def measure() -> None:
    """Print, per dtype, each case's largest distance from Theano over every linker."""
    from harness import harnesses

    for dtype in nnet_cases.FLOATS:
        worst: dict = {}
        for h in harnesses(all_linkers=True):
            for case in nnet_cases.by_dtype()[dtype]:
                for name, value in computed(h, dtype).get(case.id, {}).items():
                    d = distance(case, name, value, h)
                    key = f"{case.id} {name}"
                    if d > worst.get(key, (0, ""))[0]:
                        worst[key] = (d, str(h))
        for key, (d, where) in sorted(worst.items(), key=lambda item: item[1][0]):
            print(f"{d:12.4g} ulp  {key}  ({where})")


if __name__ == "__main__":
    measure()
