"""Theano's behaviours that scripts rely on, in the legacy namespace on every backend:
variable truth, ``In`` with a plain default, ``theano.config`` at run time, and the GPU
modules failing as on Theano 1.0.5 without a GPU.

What a truth or a config setting does lasts the process (a legacy program's); the tests
that change them run in their own interpreter.
"""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import subprocess
import sys
import textwrap
import unittest

import numpy as np
import pytest
from harness import Harness, expected

import relucompat

pytestmark = pytest.mark.installation


@pytest.fixture(autouse=True)
def _needs_a_backend():
    if expected() == {}:
        pytest.skip("this env promises no backend")


def in_a_fresh_interpreter(h: Harness, script: str) -> dict:
    """Run ``script`` (which prints one JSON line) with ``theano``, ``T`` and ``numpy`` as
    ``np``: the legacy namespace over ``h``'s backend."""
    prelude = f"""
        import json, warnings, numpy as np, relucompat
        relucompat.use({h.loaded.distribution.name!r})
        import relucompat.legacy as theano
        from relucompat.legacy import tensor as T
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(prelude) + textwrap.dedent(script)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_a_variable_is_true_and_a_comparison_refuses_to_be(h):
    seen = in_a_fresh_interpreter(
        h,
        """
        W = theano.shared(np.zeros(2))
        x, y = T.scalars("xy")
        def truth(v):
            try:
                return bool(v)
            except TypeError as error:
                return str(error)
        print(json.dumps([truth(W), truth(x), truth(x + y), truth(x < y), truth(y >= x)]))
        """,
    )
    assert seen[:3] == [True, True, True]
    for refused in seen[3:]:
        assert refused.startswith("Variables do not support boolean operations")


def test_in_with_a_plain_default_is_put_back_before_each_call(h):
    seen = in_a_fresh_interpreter(
        h,
        """
        import copy, pickle
        x, y, s = T.dscalar("x"), T.dscalar("y"), T.dscalar("s")
        mode = theano.compile.mode.Mode(linker="py")
        f = theano.function([y, theano.In(x, value=0.2)], x + y, mode=mode)
        calls = [float(v) for v in (f(1.0), f(1.0, 0.5), f(1.0), f(y=2.0, x=3.0), f(2.0))]
        acc = theano.function([y, theano.In(s, value=1.0, update=s + 1)], s + y, mode=mode)
        updates = [float(v) for v in (acc(0.0), acc(0.0), acc(0.0, 10.0), acc(0.0))]
        again = pickle.loads(pickle.dumps(f))
        copied = copy.deepcopy(f)
        kept = [float(v) for v in (again(1.0), again(1.0, 0.5), again(1.0), copied(1.0))]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            old = theano.function([y, theano.Param(x, default=0.2)], x + y, mode=mode)
        print(json.dumps([calls, updates, kept, float(old(1.0)), [str(w.message) for w in caught]]))
        """,
    )
    calls, updates, kept, old, caught = seen
    assert np.allclose(calls, [1.2, 1.5, 1.2, 5.0, 2.2], rtol=0, atol=1e-15)
    assert updates == [1.0, 2.0, 10.0, 11.0]  # with an update the value carries over
    assert np.allclose(kept, [1.2, 1.5, 1.2, 1.2], rtol=0, atol=1e-15)
    assert abs(old - 1.2) < 1e-15
    assert any("Param class is deprecated" in m for m in caught)


def test_config_reads_and_sets_theanos_flags_and_sections(h):
    seen = in_a_fresh_interpreter(
        h,
        """
        from relucompat.legacy.configparser import TheanoFlagsWarning
        c = theano.config
        c.warn.subtensor_merge_bug = False  # the tutorials' rnnrbm.py
        before = c.floatX
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            c.floatX = "float32"  # Keras' backend, at import
            try:
                c.device = "cuda"
            except Exception as error:  # Theano's own: not after initialization
                print(error)
        try:
            c.floatX = "float17"
            refused = None
        except ValueError as error:
            refused = str(error)
        try:
            c.no_such_flag
            missing = None
        except AttributeError as error:
            missing = str(error)
        c.my_own_setting = 3  # Theano's config took any attribute
        print(json.dumps({
            "merge_bug": c.warn.subtensor_merge_bug, "floatX": [before, c.floatX],
            "shared": str(theano.shared(np.zeros(2, dtype=c.floatX)).dtype),
            "device": c.device, "gcc": type(c.gcc.cxxflags).__name__,
            "warned": [str(w.message) for w in caught if w.category is TheanoFlagsWarning],
            "refused": refused, "missing": missing, "own": c.my_own_setting,
            "sections": [n in dir(c) for n in ("warn", "gcc", "floatX")],
        }))
        """,
    )
    assert seen["merge_bug"] is False
    assert seen["floatX"] == ["float64", "float32"] or h.name == "theano"
    assert seen["shared"] == "float32"
    assert seen["device"] == "cuda" or h.name == "theano"
    assert seen["gcc"] == "str"
    if h.name != "theano":
        assert seen["warned"] == [
            f"device=cuda: Theano's GPU backends (cuda, gpuarray) are gone; this runs on "
            f"{h.loaded.label} with its {h.loaded.linker} linker, on the CPU"
        ]
        assert 'invalid value "float17" for the Theano flag floatX' in seen["refused"]
        assert seen["missing"].startswith("theano.config has no flag no_such_flag")
    assert seen["own"] == 3 and seen["sections"] == [True, True, True]


def test_gpu_modules_fail_as_theano_without_a_gpu(h):
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import gpuarray

    # Lasagne's dnn.py: `from theano import gpuarray as gpu`, then these two.
    assert gpuarray.pygpu_activated is False
    assert gpuarray.dnn.dnn_present() is False
    assert "GPU backends are gone" in gpuarray.dnn.dnn_present.msg
    assert h.loaded.label in gpuarray.dnn.dnn_present.msg
    with pytest.raises(AttributeError, match=r"theano\.gpuarray\.basic_ops"):
        _ = gpuarray.basic_ops
    # Its corrmm and cuda_convnet import the old backend; tests expect ImportError, and
    # Theano 1.0.5 raised nose's SkipTest: the exception is both.
    with pytest.raises(ImportError) as caught:
        importlib.import_module("relucompat.legacy.sandbox.cuda")
    assert isinstance(caught.value, unittest.SkipTest)
    assert "old GPU back-end" in str(caught.value)
    # Keras' batch normalization: an attribute chain that must end in AttributeError.
    with pytest.raises(AttributeError):
        _ = theano.sandbox.cuda.dnn.dnn_batch_normalization_train


def test_pickled_and_copied_functions_keep_their_defaults(h):
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T

    x, y = T.dscalar("x"), T.dscalar("y")
    mode = Harness(h.loaded, "py").mode()
    f = theano.function([y, theano.In(x, value=0.25)], x * y, mode=mode)
    for other in (pickle.loads(pickle.dumps(f)), copy.deepcopy(f)):
        assert other(2.0) == 0.5 and other(2.0, 2.0) == 4.0 and other(2.0) == 0.5
