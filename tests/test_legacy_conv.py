"""``theano.tensor.nnet.conv2d`` and friends in the legacy namespace, against Theano 1.0.5.

The golden data come from the real Theano 1.0.5 (tools/golden_conv.py); every case of a
dtype is one compiled function per linker. Where the backend runs Theano's own op
(Theano's and Theano-PyMC's CorrMM and ConvOp, under the default linker) the values are
compared bit for bit; elsewhere within BOUND, measured across the envs (see below).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import warnings
from typing import Any, Iterator, List

import conv_cases
import numpy as np
import pytest
from fresh_process import loaded_elsewhere
from harness import (
    Harness,
    assert_same_graph,
    backends_own,
    c_linker_limit,
    made_the_golden_data,
    one_float_dtype,
    one_linker,
    same_bits,
    static_shapes,
)

import relucompat
from relucompat.legacy.tensor import nnet
from relucompat.legacy.tensor.nnet import _conv_built, _conv_chunks, _conv_op, abstract_conv

ALL_LINKERS = True
GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "conv-theano-1.0.5.npz")

# Largest |got - Theano's| / (eps * max |Theano's|) over each output array, measured over
# every case, linker and env (native and built); a filter gradient sums up to 162 products.
# Measured: float32 2.61 (Aesara 2.9, built), float64 3.35 (Theano, built, py linker). Bound: 8.
BOUND = {"float32": 8.0, "float64": 8.0}
# Backends and linkers that run Theano's own C code, and so give its bits.
BIT_FOR_BIT = {("theano", "default")}


@functools.lru_cache(maxsize=None)
def golden() -> dict:
    with np.load(GOLDEN) as data:
        return {key: data[key] for key in data.files}


@contextlib.contextmanager
def built_everywhere() -> Iterator[None]:
    """Build the conv from standard ops even where the backend's own compiles."""
    saved = abstract_conv.native
    abstract_conv.native = lambda: None  # type: ignore[assignment]
    try:
        yield
    finally:
        abstract_conv.native = saved  # type: ignore[assignment]


@functools.lru_cache(maxsize=None)
def native_values(h: Harness, dtype: str) -> dict:
    """Every case of ``dtype`` through the legacy API, in one function: the backend's own
    ops (one compiled op per distinct case, as Theano compiles them). Where Theano 1.0.5
    made the golden data, the graph is compared with Theano's own instead."""
    relucompat.use(h.loaded.distribution.name)
    group = conv_cases.by_dtype()[dtype]
    keys = [f"{case.id}|{name}" for case in group for name in conv_cases.OUTPUTS]
    ours = quiet_build(h, nnet, group)
    if made_the_golden_data(h):
        assert_same_graph(ours, quiet_build(h, h.B.tensor.nnet, group))
        return {key: golden()[key] for key in keys}
    inputs, outputs, feed = ours
    return dict(zip(keys, h.function(inputs, outputs)(*feed)))


def quiet_build(h: Harness, nnet_module: Any, group: list) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nnet.conv.conv2d is deprecated
        return conv_cases.build(h.B, nnet_module, group)


@functools.lru_cache(maxsize=None)
def built_function(h: Harness, dtype: str, num_groups: int) -> Any:
    """The built conv with its pads, strides, dilations and flip as inputs: one compiled
    function runs every case of the grid (the legacy API passes the same as constants)."""
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    x, w, g = (T.tensor4(dtype=dtype) for _ in range(3))
    ints = [T.lscalar() for _ in range(9)]
    padding = [(ints[0], ints[1]), (ints[2], ints[3])]
    out = _conv_built.conv(T, x, w, padding, ints[4:6], T.neq(ints[8], 0), ints[6:8], num_groups)
    outputs = [out, *h.grad((out * g).sum(), [x, w])]
    if h.linker != "py":
        return compiled(h, [x, w, g, *ints], outputs)
    # The symbolic sizes fuse into one scalar Elemwise of more than 32 operands, which the py
    # linker cannot run (NumPy's ufunc limit; pymc-labs/pymc-marketing#1760): not fused here.
    mode = h.mode().excluding("fusion")
    return h.B.function([x, w, g, *ints], outputs, mode=mode, on_unused_input="ignore")


def built_values(h: Harness, dtype: str) -> dict:
    values = {}
    for case in conv_cases.by_dtype()[dtype]:
        mode = abstract_conv._border_mode(case.border_mode, 2)
        padding = _conv_built.pads(mode, case.filter_shape[2:], case.filter_dilation)
        params = [p for pair in padding for p in pair]
        params += [*case.subsample, *case.filter_dilation, int(case.filter_flip)]
        a = case.arrays()
        got = built_function(h, dtype, case.num_groups)(a["input"], a["filters"], a["g"], *params)
        values.update({f"{case.id}|{name}": v for name, v in zip(conv_cases.OUTPUTS, got)})
    return values


@functools.lru_cache(maxsize=None)
def static_values(h: Harness, dtype: str, every: int) -> dict:
    """The cases that give their shapes, built through the legacy API in one function:
    JAX compiles only static sizes."""
    relucompat.use(h.loaded.distribution.name)
    group = [case for case in conv_cases.by_dtype()[dtype] if case.give_shapes][::every]
    with built_everywhere():
        inputs, outputs, feed = quiet_build(h, nnet, group)
    values = list(compiled(h, inputs, outputs)(*feed))
    return {f"{case.id}|{name}": values.pop(0) for case in group for name in conv_cases.OUTPUTS}


def computed(h: Harness, dtype: str, built: bool) -> List[dict]:
    """The values to check: the backend's own ops; or the built grid, plus, under the py
    linker, the cases that give their shapes through the legacy API (the built conv with
    constant arguments). Their ops are the grid's with constant sizes; the linkers that
    compile run that path end to end in the LeNet example, which gives its shapes (CI time:
    43 s of cold numba per env alone, part of which the example's run now pays)."""
    if not built:
        return [native_values(h, dtype)]
    if static_shapes(h):
        return [static_values(h, dtype, 3)]
    if h.linker == "py":
        return [built_values(h, dtype), static_values(h, dtype, 3)]
    return [built_values(h, dtype)]


def scaled_error(got: np.ndarray, want: np.ndarray) -> float:
    scale = np.finfo(want.dtype).eps * max(float(np.abs(want).max()), 1e-30)
    return float(np.abs(got.astype("float64") - want).max() / scale)


def variants(h: Harness) -> list:
    """Whether to check the built conv (True) or the backend's own (False)."""
    relucompat.use(h.loaded.distribution.name)
    if abstract_conv.native() is None:
        return [True]
    backends_own(h, True, "conv")
    return [False]


def linker_safe(h: Harness) -> contextlib.AbstractContextManager:
    """Built where the backend's own conv cannot run under this linker (see variants)."""
    return built_everywhere() if variants(h) == [True] else contextlib.nullcontext()


def one_conv_linker(h: Harness, why: str) -> None:
    """One linker for a check of graphs: the py linker, which compiles nothing, for the
    built conv; the default one for the backend's own, whose CorrMM has no Python code."""
    if static_shapes(h):
        pytest.skip(f"checked under the linkers that take computed shapes: {why}")
    one_linker(h, why, python_code=variants(h) == [True])


def compiled(h: Harness, inputs: list, outputs: list) -> Any:
    return c_linker_limit(h, lambda: h.function(inputs, outputs))


def test_golden_file_matches_the_case_definitions():
    ids = {key.partition("|")[0] for key in golden() if key != "produced_by"}
    assert ids == {case.id for case in conv_cases.cases()}


@pytest.mark.parametrize("dtype", conv_cases.DTYPES)
def test_conv2d_matches_theano_1_0_5(h, dtype):
    relucompat.use(h.loaded.distribution.name)
    one_float_dtype(h, abstract_conv.native() is not None, dtype, "conv")
    for built in variants(h):
        sources = computed(h, dtype, built)
        exact = not built and (h.name, h.linker) in BIT_FOR_BIT
        errors = {}
        for got in sources:
            for key, value in got.items():
                want = golden()[key]
                assert value.dtype == want.dtype and value.shape == want.shape, key
                if exact:
                    assert value.tobytes() == want.tobytes(), f"{key} (built={built})"
                else:
                    errors[key] = max(errors.get(key, 0.0), scaled_error(value, want))
        if errors:
            worst = max(errors, key=errors.__getitem__)
            print(f"{h} {dtype} built={built}: worst scaled error {errors[worst]:.3g} ({worst})")
            assert errors[worst] <= BOUND[dtype], f"{worst} (built={built}): {errors[worst]}"


def test_output_type_is_theanos(h):
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    x = T.tensor4(dtype="float32")
    w = T.tensor4(dtype="float32")
    assert nnet.conv2d(x, w).broadcastable == (False,) * 4
    assert nnet.conv2d(x, w).dtype == "float32"
    row = T.TensorType("float32", (True, False, False, False))()  # a batch of one
    with built_everywhere():
        assert nnet.conv2d(row, w).broadcastable == (True, False, False, False)
    assert nnet.conv2d(row, w).broadcastable == (True, False, False, False)


def test_r_op_is_the_sum_of_both_directions(h):
    relucompat.use(h.loaded.distribution.name)
    case = next(
        c
        for c in conv_cases.by_dtype()["float64"]
        if c.id.endswith("'half',sub=(2,1),flip=True,dil=(1,1)")
    )
    kw = {**case.kwargs(), "input_shape": case.input_shape, "filter_shape": case.filter_shape}
    x, w, vx, vw = (h.T.tensor4() for _ in range(4))
    with linker_safe(h):
        out = nnet.conv2d(x, w, **kw)
        rop = h.rop(out, [x, w], [vx, vw])
        both = nnet.conv2d(vx, w, **kw) + nnet.conv2d(x, vw, **kw)
    a = case.arrays()
    rng = np.random.RandomState(0)
    feed = [
        a["input"],
        a["filters"],
        rng.uniform(-1, 1, a["input"].shape),
        rng.uniform(-1, 1, a["filters"].shape),
    ]
    got, want = compiled(h, [x, w, vx, vw], [rop, both])(*feed)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_built_conv_loads_in_a_fresh_process_with_theanos_values(h, tmp_path, monkeypatch):
    """The built conv's ops (forward and both gradients) compile under every linker, give
    Theano's values one image at a time (``_conv_chunks``), and the graph and function that
    hold them pickle, load in a fresh process and copy with the same bits."""
    relucompat.use(h.loaded.distribution.name)
    case = next(c for c in conv_cases.by_dtype()["float64"] if c.give_shapes and c.api == "nnet")
    monkeypatch.setattr(_conv_chunks, "WINDOW_BYTES", 1)  # a chunk of one image (of two)
    with built_everywhere():
        inputs, outputs, feed = quiet_build(h, nnet, [case])
    function = compiled(h, inputs, outputs)
    ops = [node.op for node in function.maker.fgraph.toposort() if hasattr(node.op, "conv_kind")]
    kinds = {op.conv_kind for op in ops}
    assert kinds >= {_conv_op.CONV, _conv_op.GRAD_INPUTS, _conv_op.GRAD_WEIGHTS}, kinds
    assert {op.window_bytes for op in ops} == {1}
    if type(function.maker.linker).__name__ == "NumbaLinker":  # numba runs our loop
        assert {type(op) for op in ops} <= _conv_chunks._registered
    want = function(*feed)

    def check(values: list, what: str) -> None:
        if h.linker == "pytorch" and what != "values":
            # PyTensor's PyTorch linker gives the input gradient's scatter-add 1 ulp apart
            # in a function's first and later calls, and between processes (PyTensor
            # 3.0.7, torch 2.13): within the bound, not the same bits.
            values, what = list(values), "values"
        if what != "values":
            assert all(same_bits(a, b) for a, b in zip(values, want)), what
            return
        for name, value in zip(conv_cases.OUTPUTS, values):
            assert scaled_error(value, golden()[f"{case.id}|{name}"]) <= BOUND["float64"], name

    check(want, "values")
    got = loaded_elsewhere(h, str(tmp_path / "conv.pkl"), inputs, outputs, feed, function)
    for name, value in got.items():
        check(value, f"the loaded {name}")
    if h.linker != "c":  # deepcopy goes through pickle's protocol (test_pickle.py)
        check(copy.deepcopy(function)(*feed), "copy.deepcopy(function)")


def test_a_first_layer_computes_only_its_filters_gradient(h):
    """The filters' gradient alone is one op, without the input's: a first layer's step
    does not compute a gradient for its data."""
    relucompat.use(h.loaded.distribution.name)
    x, w = h.T.tensor4(), h.T.tensor4()
    with built_everywhere():
        cost = nnet.conv2d(x, w, input_shape=(2, 3, 7, 6), filter_shape=(4, 3, 3, 2)).sum()
    kinds = {getattr(node.op, "conv_kind", None) for node in applies(h.grad(cost, w))}
    assert _conv_op.GRAD_WEIGHTS in kinds and _conv_op.GRAD_INPUTS not in kinds


def test_second_derivatives_and_r_op_of_the_gradients_are_the_standard_graphs(h):
    """The ops' derivatives are the ops again (by bilinearity): their Hessian-vector
    products agree with those of the same conv as a graph of standard ops, and the R_op of
    their filters' gradient with its Hessian-vector product (the Hessian is symmetric;
    Aesara's R_op of the standard graph's gradient fails its own type assertion)."""
    one_conv_linker(h, "the ops' first derivatives are checked under every linker")
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    x, w, vx, vw = (T.tensor4() for _ in range(4))
    shapes = {"input_shape": (2, 3, 7, 6), "filter_shape": (4, 3, 3, 2)}
    padding = _conv_built.pads("half", [3, 2], (1, 1))

    def gradients(out: Any) -> list:
        return h.grad((out * T.sin(out)).sum(), [x, w])

    def hessian_times_v(gx: Any, gw: Any) -> list:
        return h.grad((gx * vx).sum() + (gw * vw).sum(), [x, w])

    with built_everywhere():
        gx, gw = gradients(nnet.conv2d(x, w, border_mode="half", subsample=(2, 1), **shapes))
    ops = [*hessian_times_v(gx, gw), h.rop(gw, [x, w], [vx, vw])]
    assert {_conv_op.GRAD_INPUTS, _conv_op.GRAD_WEIGHTS} <= {
        getattr(node.op, "conv_kind", None) for node in applies(ops[0])
    }
    standard = hessian_times_v(
        *gradients(_conv_built.conv(T, x, w, padding, (2, 1), True, (1, 1), 1))
    )
    rng = np.random.RandomState(0)
    feed = [
        rng.uniform(-1, 1, shape) for shape in [shapes["input_shape"], shapes["filter_shape"]] * 2
    ]
    hx, hw, r_op, want_hx, want_hw = h.function([x, w, vx, vw], ops + standard)(*feed)
    for got, want in [(hx, want_hx), (hw, want_hw), (r_op, want_hw)]:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def applies(var: Any) -> list:
    """Every node that ``var`` is computed by."""
    seen, stack, nodes = set(), [var], []
    while stack:
        node = stack.pop().owner
        if node is not None and id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
            stack.extend(node.inputs)
    return nodes


def test_conv2d_transpose_is_the_input_gradient(h):
    one_conv_linker(h, "the gradients are checked under every linker")
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    picked = [c for c in conv_cases.by_dtype()["float64"] if c.api == "nnet"][::7]
    inputs, outputs, feed = [], [], []
    for case in picked:
        g, w = T.tensor4(), T.tensor4()
        kw = case.kwargs()
        kw.pop("input_shape", None)
        out = nnet.conv2d_transpose(
            g, w, case.input_shape, input_dilation=kw.pop("subsample"), **kw
        )
        inputs += [g, w]
        feed += [case.arrays()["g"], case.arrays()["filters"]]
        outputs.append(out)
    for case, got in zip(picked, h.function(inputs, outputs)(*feed)):
        want = golden()[f"{case.id}|grad_input"]
        assert scaled_error(got, want) <= BOUND["float64"], case.id


def test_conv3d_of_flat_volumes_is_conv2d(h):
    one_conv_linker(h, "an identity of graphs")
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    x, w = T.tensor4(), T.tensor4()
    kw = {"border_mode": "half", "subsample": (2, 1), "filter_dilation": (1, 2)}
    flat = nnet.conv2d(x, w, **kw)
    volume = nnet.conv3d(
        x.dimshuffle(0, 1, "x", 2, 3),
        w.dimshuffle(0, 1, "x", 2, 3),
        border_mode="half",
        subsample=(1, 2, 1),
        filter_dilation=(1, 1, 2),
    )
    rng = np.random.RandomState(3)
    got3, got2 = h.function([x, w], [volume, flat])(rng.randn(2, 3, 7, 8), rng.randn(4, 3, 3, 3))
    np.testing.assert_allclose(got3[:, :, 0], got2, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"border_mode": "same"}, ValueError, "border_mode must be 'valid', 'full', 'half'"),
        ({"border_mode": -1}, ValueError, "border_mode must be .* negative -1"),
        ({"border_mode": (1, -2)}, ValueError, r"border_mode must be .*got \(1, -2\)"),
        ({"border_mode": (1, 2, 3)}, ValueError, "border_mode must be"),
        ({"subsample": (0, 1)}, ValueError, "subsample must be a tuple of 2 positive ints"),
        ({"subsample": (1,)}, ValueError, "subsample must be a tuple of 2"),
        ({"filter_dilation": (1, -1)}, ValueError, "filter_dilation must be a tuple of 2 positive"),
        ({"num_groups": 0}, ValueError, "num_groups must be a positive int"),
        (
            {"num_groups": 2, "input_shape": (2, 3, 7, 8)},
            ValueError,
            "num_groups=2 must divide the input channels; got 3",
        ),
        (
            {"input_shape": (2, 3, 7, 8), "filter_shape": (4, 2, 3, 3)},
            ValueError,
            "the input has 3 channels",
        ),
        (
            {"input_shape": (2, 3, 4, 8), "filter_shape": (4, 3, 5, 3)},
            ValueError,
            "the filters span 5 along spatial axis 0",
        ),
        (
            {"input_shape": (2, 3, 4, 8), "filter_shape": (4, 3, 3, 3), "filter_dilation": (2, 1)},
            ValueError,
            "span 5",
        ),
        ({"input_shape": (2, 3, 7)}, ValueError, "input_shape must have 4 entries"),
        (
            {"image_shape": (2, 3, 7, 8), "input_shape": (2, 3, 7, 8)},
            ValueError,
            "input_shape and image_shape",
        ),
        ({"imshp_logical": (1, 1)}, ValueError, "imshp_logical"),
    ],
)
def test_bad_arguments_are_named_before_the_backend_sees_them(h, kwargs, error, words):
    relucompat.use(h.loaded.distribution.name)
    x, w = h.T.tensor4(), h.T.tensor4()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=words):
            nnet.conv2d(x, w, **kwargs)


def test_bad_ranks_and_old_border_modes(h):
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    with pytest.raises(TypeError, match=r"input must be a 4D tensor .* got a 3D one"):
        nnet.conv2d(T.tensor3(), T.tensor4())
    with pytest.raises(TypeError, match="filters must be a 4D tensor; got a 2D one"):
        nnet.conv2d(T.tensor4(), T.matrix())
    with pytest.warns(UserWarning, match="deprecated"), pytest.raises(
        ValueError, match="'valid' or 'full'"
    ):
        nnet.conv.conv2d(T.tensor4(), T.tensor4(), border_mode="half")
    with pytest.warns(UserWarning, match="`image_shape` keyword argument"):
        nnet.conv2d(T.tensor4(), T.tensor4(), image_shape=(2, 3, 7, 8))


def test_unshared_is_native_or_says_it_is_not_built(h):
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    if abstract_conv.native() is not None:
        kernel = T.TensorType(h.T.tensor4().dtype, (False,) * 6)()
        assert nnet.conv2d(T.tensor4(), kernel, unshared=True).ndim == 4
    with built_everywhere(), pytest.raises(NotImplementedError, match="unshared=True"):
        nnet.conv2d(T.tensor4(), T.tensor4(), unshared=True)
