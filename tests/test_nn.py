"""``relucompat.nn``: the legacy namespace's conv, pooling and nnet graphs under PyTensor's
names, built over the inputs' own backend without Theano's flags or truth.

One compiled function per backend computes every function's value and gradient twice,
through ``relucompat.nn`` and through the legacy namespace; the graphs are compared first.
The side effects are checked in a fresh interpreter, whose state is the module's alone.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
import warnings
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pytest
from harness import Harness, assert_same_graph

import relucompat
import relucompat.nn as nn

# Each case: its name, the float inputs it differentiates, and how it calls the function
# (``f`` is relucompat.nn's, or the legacy namespace's at the same name).
Case = Tuple[str, Tuple[str, ...], Callable[[Callable[..., Any], Dict[str, Any]], Any]]

CASES: List[Case] = [
    (
        "conv2d",
        ("image", "kernel"),
        lambda f, v: f(v["image"], v["kernel"], border_mode="half", subsample=(2, 1)),
    ),
    (
        "conv2d",
        ("image", "grouped"),
        lambda f, v: f(  # by keyword: Theano's conv2d takes image_shape 8th
            v["image"],
            v["grouped"],
            input_shape=(2, 4, 5, 6),
            border_mode=(1, 2),
            filter_flip=False,
            filter_dilation=(2, 1),
            num_groups=2,
        ),
    ),
    (
        "conv2d_transpose",
        ("top", "kernel"),
        lambda f, v: f(
            v["top"], v["kernel"], (2, 4, 5, 6), border_mode="half", input_dilation=(2, 1)
        ),
    ),
    (
        "pool_2d",
        ("image",),
        lambda f, v: f(v["image"], (2, 2), ignore_border=False, stride=(1, 2)),
    ),
    (
        "pool_2d",
        ("image",),
        lambda f, v: f(v["image"], (3, 3), True, (2, 2), (1, 1), "average_inc_pad"),
    ),
    ("pool_2d", ("image",), lambda f, v: f(v["image"], (2, 3), True, mode="sum")),
    (  # Theano has no gradient of average_exc_pad with a nonzero pad
        "pool_3d",
        ("image",),
        lambda f, v: f(v["image"], (2, 2, 3), False, (1, 2, 2), mode="average_exc_pad"),
    ),
    ("elu", ("m",), lambda f, v: f(v["m"], 0.5)),
    ("selu", ("m",), lambda f, v: f(v["m"])),
    ("softsign", ("m",), lambda f, v: f(v["m"])),
    ("hard_sigmoid", ("m",), lambda f, v: f(v["m"])),
    ("ultra_fast_sigmoid", ("m",), lambda f, v: f(v["m"])),
    ("binary_crossentropy", ("p", "t"), lambda f, v: f(v["p"], v["t"])),
    ("sigmoid_binary_crossentropy", ("m", "t"), lambda f, v: f(v["m"], v["t"])),
    ("categorical_crossentropy", ("p", "t"), lambda f, v: f(v["p"], v["t"])),
    ("categorical_crossentropy", ("p",), lambda f, v: f(v["p"], v["labels"])),
    ("crossentropy_categorical_1hot", ("p",), lambda f, v: f(v["p"], v["labels"])),
    (
        "batch_normalization",
        ("m", "gamma", "beta", "mean", "std"),
        lambda f, v: f(v["m"], v["gamma"], v["beta"], v["mean"], v["std"]),
    ),
    (
        "batch_normalization",
        ("m", "gamma", "std"),
        lambda f, v: f(v["m"], v["gamma"], v["beta"], v["mean"], v["std"], "high_mem"),
    ),
]

SHAPES = {
    "image": (2, 4, 5, 6),
    "kernel": (3, 4, 3, 2),
    "grouped": (4, 2, 2, 3),  # 2 groups of 2 channels
    "top": (2, 3, 3, 7),  # conv2d(image, kernel, "half", subsample=(2, 1))'s output
    "m": (3, 4),
    "p": (3, 4),
    "t": (3, 4),
    "gamma": (4,),
    "beta": (4,),
    "mean": (4,),
    "std": (4,),
}


def legacy(name: str) -> Callable[..., Any]:
    """The legacy namespace's function ``name`` (``theano.tensor.nnet``'s, or
    ``signal.pool``'s), over the backend ``relucompat.use`` chose."""
    if name.startswith("pool"):
        from relucompat.legacy.tensor.signal import pool

        return getattr(pool, name)  # type: ignore[no-any-return]
    from relucompat.legacy.tensor import nnet

    return getattr(nnet, name)  # type: ignore[no-any-return]


def differentiable(h: Harness, name: str) -> bool:
    """Theano's ultra_fast_sigmoid op has no gradient: nor has the backend's own copy."""
    return not (name == "ultra_fast_sigmoid" and h.loaded.native is not None)


def feed(h: Harness) -> Dict[str, np.ndarray]:
    rng = np.random.RandomState(7)
    values = {name: rng.uniform(-2, 2, size=shape) for name, shape in SHAPES.items()}
    values["p"] = rng.uniform(0.05, 0.95, size=SHAPES["p"])
    values["t"] = rng.uniform(0, 1, size=SHAPES["t"])
    values["std"] = rng.uniform(0.5, 2, size=SHAPES["std"])
    values["m"][0, 0] = 0.0  # elu's and the sigmoids' kinks
    return {**values, "labels": np.array([3, 0, -1], dtype="int32")}


def mode(h: Harness) -> Any:
    """The py linker where relucompat builds every graph from standard ops: the graphs are
    the legacy namespace's, whose arithmetic its own tests check under every linker, and
    the py linker compiles nothing (numba takes minutes over these). The default linker
    where the backend runs Theano's ops, some of which have only C code (CorrMM)."""
    if h.loaded.native is not None:
        return None
    py = importlib.import_module(f"{h.name}.compile.mode").Mode(linker="py", optimizer="fast_run")
    return py.excluding("fusion")  # the Python Elemwise takes at most 32 operands


@functools.lru_cache(maxsize=None)
def computed(h: Harness) -> List[Tuple[str, np.ndarray, np.ndarray]]:
    """Every case's value and gradients, through relucompat.nn and through the legacy
    namespace, from one compiled function: ``(what, nn's, legacy's)``."""
    relucompat.use(h.loaded.distribution.name)  # the legacy namespace over h's backend
    T = h.T
    variables = {
        name: T.TensorType("float64", (False,) * len(shape))(name) for name, shape in SHAPES.items()
    }
    variables["labels"] = T.ivector("labels")
    names, ours, theirs = [], [], []
    for index, (name, wrt, call) in enumerate(CASES):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # relucompat.nn warns of nothing
            mine = call(getattr(nn, name), variables)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the legacy namespace may warn as Theano did
            legacys = call(legacy(name), variables)
        for out, into in ((mine, ours), (legacys, theirs)):
            into.append(out)
            if differentiable(h, name):
                into.extend(h.grad(out.sum(), [variables[w] for w in wrt]))
        names.append(f"{index}:{name}")
        names.extend(f"{index}:{name} d/d{w}" for w in wrt if differentiable(h, name))
    inputs = list(variables.values())
    data = feed(h)
    values = [data[name] for name in variables]
    assert_same_graph((inputs, ours, values), (inputs, theirs, values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = h.B.function(inputs, ours + theirs, mode=mode(h))(*values)
    half = len(ours)
    return list(zip(names, results[:half], results[half:]))


def test_values_and_gradients_are_the_legacy_namespaces_bit_for_bit(h):
    found = computed(h)
    assert len(found) == len(CASES) + sum(
        len(wrt) for name, wrt, _ in CASES if differentiable(h, name)
    )
    for what, mine, legacys in found:
        assert mine.shape == legacys.shape and mine.dtype == legacys.dtype, what
        np.testing.assert_array_equal(mine, legacys, err_msg=what)
        assert np.isfinite(mine).all(), what


def test_nn_changes_no_flag_and_no_truth(h):
    """With floatX=float32 in THEANO_FLAGS, building, differentiating and compiling every
    function of relucompat.nn leaves the backend's floatX and its variables' truth as they
    were, and never loads the legacy namespace's flags: nothing in the built graphs calls
    back into it later (sigmoid_binary_crossentropy's gradient is built on grad)."""
    name = h.name
    script = f"""
        import json, warnings
        import {name}, {name}.tensor as T

        def truth():
            try:
                bool(T.scalar())
            except TypeError:
                return "raises"
            return "true"

        before = [str({name}.config.floatX), truth()]
        import relucompat.nn as nn
        from relucompat.legacy import _flags, _namespace
        warnings.simplefilter("error")  # nn warns of nothing, THEANO_FLAGS' floatX included
        x, w, m, t = T.tensor4(), T.tensor4(), T.matrix(), T.matrix()
        labels = T.ivector()
        outs = [
            nn.conv2d(x, w, border_mode="half"),
            nn.conv2d_transpose(x, w, (2, 3, 5, 5)),
            nn.pool_2d(x, (2, 2), ignore_border=False, mode="average_inc_pad"),
            nn.pool_3d(x, (2, 2, 2), True),
            nn.elu(m), nn.selu(m), nn.softsign(m), nn.hard_sigmoid(m),
            nn.binary_crossentropy(m, t), nn.sigmoid_binary_crossentropy(m, t),
            nn.categorical_crossentropy(m, m), nn.crossentropy_categorical_1hot(m, labels),
            nn.batch_normalization(m, m, m, m, m),
        ]
        cost = sum(out.sum() for out in outs)
        grads = {name}.grad(cost, [x, w, m, t])
        mode = None
        if {h.loaded.native is None}:  # rewrites, and no numba compile: see mode()
            from {name}.compile.mode import Mode
            mode = Mode(linker="py", optimizer="fast_run").excluding("fusion")
        # The backend's compile may warn of its own: PyTensor 3.3 compiles the built conv's
        # inner functions with C thunks, and warns that it finds no BLAS.
        warnings.simplefilter("default")
        {name}.function([x, w, m, t, labels], grads, mode=mode, on_unused_input="ignore")
        after = [str({name}.config.floatX), truth()]
        print(json.dumps({{
            "before": before,
            "after": after,
            "flags_loaded": _flags._outcomes is not None,
            "given_theano_truth": len(_namespace._theano_behaviours),
            "selu": str(nn.selu(T.vector(dtype="float32")).dtype),
        }}))
    """
    flags = ",".join(filter(None, [os.environ.get("THEANO_FLAGS", ""), "floatX=float32"]))
    found = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "THEANO_FLAGS": flags},
    )
    assert found.returncode == 0, found.stderr
    seen = json.loads(found.stdout.splitlines()[-1])
    assert seen["after"] == seen["before"]
    assert seen["flags_loaded"] is False and seen["given_theano_truth"] == 0
    if name != "theano":  # the real Theano reads THEANO_FLAGS itself: float32 from the start
        assert seen["before"][0] == "float64"
        assert seen["selu"] == "float64"  # floatX's, as in Theano: the backend's, not the flag's
    if name == "pytensor" and h.loaded.native is None:
        # PyTensor since 2.9 refuses a variable's truth (2.8.11 still had Theano's): the
        # check above can fail there, and that truth is kept.
        assert seen["before"][1] == "raises"


SIGNATURES = {
    "conv2d": "input, filters, input_shape=None, filter_shape=None, border_mode='valid', "
    "subsample=(1, 1), filter_flip=True, filter_dilation=(1, 1), num_groups=1",
    "conv2d_transpose": "input, filters, output_shape, filter_shape=None, border_mode='valid', "
    "input_dilation=(1, 1), filter_flip=True, filter_dilation=(1, 1), num_groups=1",
    "pool_2d": "input, ws, ignore_border, stride=None, pad=(0, 0), mode='max'",
    "pool_3d": "input, ws, ignore_border, stride=None, pad=(0, 0, 0), mode='max'",
    "elu": "x, alpha=1",
    "selu": "x",
    "softsign": "x",
    "hard_sigmoid": "x",
    "ultra_fast_sigmoid": "x",
    "binary_crossentropy": "output, target",
    "sigmoid_binary_crossentropy": "output, target",
    "categorical_crossentropy": "coding_dist, true_dist",
    "crossentropy_categorical_1hot": "coding_dist, true_one_of_n",
    "batch_normalization": "inputs, gamma, beta, mean, std, mode='low_mem'",
}


def test_the_signatures_are_theano_1_0s_modern_ones():
    assert sorted(nn.__all__) == sorted(SIGNATURES) == dir(nn)
    for name, wanted in SIGNATURES.items():
        parameters = inspect.signature(getattr(nn, name)).parameters.values()
        shown = ", ".join(
            p.name if p.default is p.empty else f"{p.name}={p.default!r}" for p in parameters
        )
        assert shown == wanted, name
        assert getattr(nn, name).__doc__, name


def test_bad_arguments_read_as_nn_calls(h):
    T = h.T
    x, w = T.tensor4(), T.tensor4()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'ignore_border'"):
        nn.pool_2d(x, (2, 2))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'ds'"):
        nn.pool_2d(x, ignore_border=True, ds=(2, 2))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="pool_3d's ignore_border must be True or False; got None"):
        nn.pool_3d(x, (2, 2, 2), None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pool_2d's mode must be one of 'max', 'sum', "):
        nn.pool_2d(x, (2, 2), True, mode="mean")
    with pytest.raises(TypeError, match="unexpected keyword argument 'image_shape'"):
        nn.conv2d(x, w, image_shape=(1, 1, 3, 3))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"input must be a 4D tensor \(batch, channels"):
        nn.conv2d(T.tensor3(), w)
    with pytest.raises(TypeError, match="filters must be a 4D tensor; got a 3D one"):
        nn.conv2d_transpose(x, T.tensor3(), (2, 3, 5, 5))
    with pytest.raises(ValueError, match=r"conv2d_transpose's output_shape must have 4 entries"):
        nn.conv2d_transpose(x, w, (2, 5, 5))
