"""``theano.tensor.signal.pool`` on every backend, against the real Theano 1.0.5.

The golden values come from Theano's own op (tools/golden_pool.py). Where the backend runs
Theano's ``Pool`` op, each dtype's cases (forward, gradient of ``sum(out * w)``, R_op) are one
function per linker, and every value is bit for bit. Where relucompat builds the pooling,
the grid of ``pool_2d`` runs through one function per dtype and ``ignore_border``, with the
window, stride and padding as inputs (the legacy API passes them as constants), and the
other cases through the legacy API; max and sum are bit for bit (the inputs are small
integers, so no sum rounds), and averages within AVERAGE_EPS (measured, see below). JAX
compiles only static sizes: it runs the subset of cases with every mode and code path.
"""

from __future__ import annotations

import functools
import importlib
import os
import warnings
from typing import Any, Callable, Optional

import numpy as np
import pool_cases
import pytest
from harness import (
    Harness,
    assert_same_graph,
    backends_own,
    c_linker_limit,
    describe,
    made_the_golden_data,
    one_float_dtype,
    same_bits,
    static_shapes,
    undo_float64_leak,
)

import relucompat
from relucompat.legacy import _namespace
from relucompat.legacy.tensor.signal import _pool_built, pool

ALL_LINKERS = True
GOLDEN = os.path.join(os.path.dirname(__file__), "golden", pool_cases.GOLDEN)
# Measured over every env and linker: the largest |got - Theano's| of a built average
# (forward or gradient), in units of eps * max |Theano's| over the array. Division by a
# window's size is correctly rounded either way; the gradients sum the divided values over
# overlapping windows in another order than Theano's loop.
AVERAGE_EPS = 2.0


def use(h: Harness, compiles: bool = True) -> bool:
    """Point the legacy namespace at ``h``'s backend; True where it runs Theano's op. A
    test that ``compiles`` skips the backend's own op under its other linkers."""
    relucompat.use(h.loaded.distribution.name)
    native = pool._native_pool(_namespace.package()) is not None
    if compiles:
        backends_own(h, native, "pooling")
    return native


@functools.lru_cache(maxsize=None)
def golden() -> dict:
    with np.load(GOLDEN) as data:
        return {key: data[key] for key in data.files}


def no_grad(native: bool) -> Optional[Callable[[pool_cases.Case], bool]]:
    # Theano's op has no gradient of average_exc_pad with padding (it raises when run).
    return pool_cases.Case.theano_grad_fails.fget if native else None


def torch_limit(h: Harness, dtype: str) -> None:
    """Skip the pooling cases under PyTensor's PyTorch linker, which cannot run them
    (measured on PyTensor 3.0.7, torch 2.13): it runs ``eq`` as torch.equal, one bool for
    the whole tensor, and max's gradient is ``eq(x, max(x))``; and int32 pooling, whose
    static-shape graph folds to constants, leaves it a graph with no node, for which it
    returns None ("'NoneType' object is not iterable")."""
    if h.linker == "pytorch":
        why = "folds to a graph with no node" if dtype == "int32" else "holds eq (max's gradient)"
        pytest.skip(f"PyTensor's PyTorch linker cannot run {dtype} pooling: it {why}")


@functools.lru_cache(maxsize=None)
def computed(h: Harness, dtype: str) -> dict:
    """Each case's values, keyed ``id|output``."""
    native = use(h)
    if made_the_golden_data(h):  # every case, as a graph: see made_the_golden_data
        group = pool_cases.by_dtype()[dtype]
        ours = pool_cases.build(pool, h.B, group, no_grad(native))
        theanos = importlib.import_module(f"{h.name}.tensor.signal.pool")
        assert_same_graph(ours, pool_cases.build(theanos, h.B, group, no_grad(native)))
        names = [(c, name) for c in group for name in pool_cases.output_names(c, no_grad(native))]
        return {f"{c.id}|{name}": golden()[f"{c.id}|{name}"] for c, name in names}
    if native or static_shapes(h):
        # The backend's own op takes the subset too: it shows each argument reaches the op,
        # and the whole grid would check only the backend's own arithmetic (at 80 modules
        # of cold C compilation on Theano).
        group = [c for c in pool_cases.by_dtype()[dtype] if c.every_linker]
        return legacy_values(h, group, native)
    # The cases off the grid (pool_3d, same-size, 2-d and 3-d input) run under the py linker
    # only: each is its own graph, of the grid's ops in other shapes (CI time: 91 s of cold
    # numba per env for five of them). The tiling max is a graph of other ops (a reshape, no
    # gather), which the grid's symbolic windows never build: it runs under every linker.
    values = {}
    for case in pool_cases.by_dtype()[dtype]:
        if on_grid(case):
            stride = case.stride or case.ws
            function = grid_function(h, dtype, case.ignore_border)
            got = function(
                case.x,
                pool_cases.weights(case),
                pool_cases.eval_point(case),
                *case.ws,
                *stride,
                *case.pad,
            )
            per_mode = len(got) // len(pool_cases.MODES)
            named = got[pool_cases.MODES.index(case.mode) * per_mode :][:per_mode]
            values.update(
                {
                    f"{case.id}|{name}": v
                    for name, v in zip(("fwd", "grad", "rop"), named)
                    if name in case.outputs
                }
            )
    group = pool_cases.by_dtype()[dtype]
    off_grid = [c for c in group if not on_grid(c)] if h.linker == "py" else []
    values.update(legacy_values(h, off_grid + [c for c in group if c.tiles], native))
    return values


def on_grid(case: pool_cases.Case) -> bool:
    return case.function == "pool_2d" and case.x.ndim == 4


def legacy_values(h: Harness, group: list, native: bool) -> dict:
    """``group`` through the legacy API, in one function."""
    inputs, outputs, feed = pool_cases.build(
        pool, h.B, group, no_grad(native), static=static_shapes(h)
    )
    values = list(c_linker_limit(h, lambda: h.function(inputs, outputs))(*feed))
    return {
        f"{case.id}|{name}": values.pop(0)
        for case in group
        for name in pool_cases.output_names(case, no_grad(native))
    }


@functools.lru_cache(maxsize=None)
def grid_function(h: Harness, dtype: str, ignore_border: bool) -> Any:
    """The built pool_2d of every mode, with window, stride and padding as inputs:
    forward, and for floats the gradient of ``sum(out * w)`` and R_op at ``v``."""
    T = h.T
    x, w, v = (T.tensor4(dtype=dtype) for _ in range(3))
    ints = [T.lscalar() for _ in range(6)]
    outputs = []
    for mode in pool_cases.MODES:
        y = _pool_built.gathered_pool(x, ints[0:2], ignore_border, ints[2:4], ints[4:6], mode)
        outputs.append(y)
        if not dtype.startswith("int"):
            outputs += [h.grad((y * w).sum(), x), pool_cases.rop(h.B, y, x, v)]
    if h.linker != "py":
        return c_linker_limit(h, lambda: h.function([x, w, v, *ints], outputs))
    # The symbolic sizes fuse into one scalar Elemwise of more than 32 operands, which the py
    # linker cannot run (NumPy's ufunc limit; pymc-labs/pymc-marketing#1760): not fused here.
    mode = h.mode().excluding("fusion")
    return h.B.function([x, w, v, *ints], outputs, mode=mode, on_unused_input="ignore")


def scaled_error(got: np.ndarray, want: np.ndarray) -> float:
    scale = np.finfo(got.dtype).eps * max(float(np.abs(want).max()), 1e-30)
    return float(np.abs(got.astype("float64") - want).max() / scale)


def test_the_golden_file_matches_the_cases_and_the_reference():
    stored = {key for key in golden() if key != "produced_by"}
    skip = pool_cases.Case.theano_grad_fails.fget
    cases = pool_cases.cases()
    assert stored == {f"{c.id}|{name}" for c in cases for name in pool_cases.output_names(c, skip)}
    for case in cases:  # Theano agrees with the NumPy reference (in float64, to rounding)
        reference = pool_cases.reference(case)
        for name in pool_cases.output_names(case, skip):
            want = golden()[f"{case.id}|{name}"]
            assert want.dtype == case.dtype and want.shape == reference[name].shape, case.id
            if case.dtype.startswith("int") and case.mode.startswith("average"):
                truncated = np.trunc(reference[name]).astype(case.dtype)
                assert same_bits(want, truncated), case.id  # C's integer division
            else:
                np.testing.assert_allclose(
                    want, reference[name], rtol=1e-6, atol=1e-5, err_msg=case.id
                )


@pytest.mark.parametrize("dtype", pool_cases.DTYPES)
def test_pooling_equals_theano_1_0_5(h, dtype):
    relucompat.use(h.loaded.distribution.name)
    one_float_dtype(h, use(h), dtype, "pooling")
    torch_limit(h, dtype)
    checked = {key.partition("|")[0] for key in computed(h, dtype)}
    for case in pool_cases.by_dtype()[dtype]:
        if case.id in checked:
            check(h, case)


def check(h: Harness, case: pool_cases.Case) -> None:
    native = use(h)
    got = computed(h, case.dtype)
    for name in pool_cases.output_names(case, no_grad(native)):
        value = undo_float64_leak(h, got[f"{case.id}|{name}"], case.dtype)
        key = f"{case.id}|{name}"
        if key not in golden():  # the gradient Theano lacks: the reference's
            want = pool_cases.reference(case)[name]
            assert value.dtype == case.dtype
            assert scaled_error(value, want) <= AVERAGE_EPS, f"{key}:{describe(value, want)}"
            continue
        want = golden()[key]
        if native and h.linker == "py" and case.mode == "max" and any(case.pad) and name == "grad":
            continue  # Theano's Python MaxPoolGrad shifts padded windows (its C code does not)
        # R_op sums the non-integer eval point: it rounds, in another order than Theano's.
        exact_sums = case.mode in ("max", "sum") and name != "rop"
        if native or exact_sums or case.dtype.startswith("int"):
            assert same_bits(value, want, signed_zeros=False), f"{key}:{describe(value, want)}"
        else:
            assert value.dtype == want.dtype and value.shape == want.shape, key
            assert scaled_error(value, want) <= AVERAGE_EPS, f"{key}:{describe(value, want)}"


def test_max_pool_gradient_reaches_every_tie(h):
    # Theano's MaxPoolGrad: every element equal to its window's max gets the gradient.
    use(h)
    # windows that overlap, so that a pixel's gradient sums over its windows
    overlapping = (c for c in pool_cases.cases() if c.every_linker and not c.tiles)
    case = next(c for c in overlapping if c.id.endswith("pad=(0, 0),max"))
    torch_limit(h, case.dtype)
    grad = computed(h, case.dtype)[f"{case.id}|grad"]
    windows = [
        case.x[k][region] for k in np.ndindex(2, 1) for _, region, _ in pool_cases._regions(case)
    ]
    assert any((w == w.max()).sum() > 1 for w in windows)  # the data has ties
    assert same_bits(
        grad, pool_cases.reference(case)["grad"].astype(case.dtype), signed_zeros=False
    )


def test_bad_arguments_are_refused_before_the_backend_sees_them(h):
    use(h, compiles=False)
    T = h.T
    x = T.tensor4()
    with pytest.raises(NotImplementedError, match="2 or more dimensions"):
        pool.pool_2d(T.vector(), (2, 2), ignore_border=True)
    for ws in [(2,), (2, 2, 2), (2.0, 2), "22", 2, (True, 2)]:
        with pytest.raises(TypeError, match="ws must be 2 positive ints"):
            pool.pool_2d(x, ws, ignore_border=True)
    with pytest.raises(ValueError, match=r"ws must be 2 positive ints; got \(0, 2\)"):
        pool.pool_2d(x, (0, 2), ignore_border=True)
    with pytest.raises(ValueError, match="stride must be 2 positive ints"):
        pool.pool_2d(x, (2, 2), ignore_border=True, stride=(1, 0))
    with pytest.raises(ValueError, match="pad must be 2 non-negative ints"):
        pool.pool_2d(x, (2, 2), ignore_border=True, pad=(-1, 0))
    with pytest.raises(NotImplementedError, match="pad must be smaller than ws"):
        pool.pool_2d(x, (2, 2), ignore_border=True, pad=(2, 0))
    with pytest.raises(NotImplementedError, match="only with ignore_border=True"):
        pool.pool_2d(x, (2, 2), ignore_border=False, pad=(1, 1))
    with pytest.raises(ValueError, match="'max', 'sum', 'average_inc_pad', 'average_exc_pad'"):
        pool.pool_2d(x, (2, 2), ignore_border=True, mode="average")
    with pytest.raises(ValueError, match="both 'ws' and 'ds'"):
        pool.pool_2d(x, (2, 2), ds=(2, 2))
    with pytest.raises(ValueError, match="window size"):
        pool.pool_2d(x)
    with pytest.raises(NotImplementedError, match="3 or more dimensions"):
        pool.pool_3d(x[0, 0], (2, 2, 2), ignore_border=True)
    with pytest.raises(TypeError, match="patch_size must be 2 positive ints"):
        pool.max_pool_2d_same_size(x, 2)


def test_theano_warnings_and_defaults(h):
    use(h)
    if static_shapes(h):
        pytest.skip(f"under {h.linker} the built pooling needs static shapes; this input has none")
    x = h.T.tensor4()
    with pytest.warns(UserWarning, match="ignore_border default value changed to True") as caught:
        pooled = pool.pool_2d(x, (2, 2))  # ignore_border=False: (5, 7) pools to (3, 4)
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match="DEPRECATION: the 'ds' parameter"):
        renamed = pool.pool_2d(x, ds=(2, 2), st=(2, 2), padding=(0, 0), ignore_border=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing else warns
        same = pool.pool_2d(x, (2, 2), ignore_border=False, mode="max_deterministic")
    f = h.function([x], [pooled, renamed, same])
    values = f(np.arange(70.0).reshape(2, 1, 5, 7).astype(x.dtype))
    assert all(v.shape == (2, 1, 3, 4) for v in values)
    assert same_bits(values[0], values[1]) and same_bits(values[0], values[2])
