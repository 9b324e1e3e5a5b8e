"""Legacy Theano code on every backend: the legacy namespace, and ``relucompat run``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from example_scripts import EXAMPLES
from harness import Harness, expected, same_bits

import relucompat

# Tests of what `import theano` finds in this installation are marked; the arithmetic of
# what it finds (nnet, scan, the convnet) is each backend env's, not the installation passes'.
installation = pytest.mark.installation
# The examples' trajectories are arithmetic; that a script compiles and runs through
# whatever this installation gives it is test_run_keeps_the_scripts_name_argv_and_exit_status.
SCRIPTS = sorted(EXAMPLES)


@pytest.fixture(autouse=True)
def _needs_a_backend():
    if expected() == {}:
        pytest.skip("this env promises no backend")


def wiring(h: Harness) -> Harness:
    """The py linker, which compiles nothing, for tests of what the namespace wires up: the
    arithmetic is test_legacy_nnet.py's and test_legacy_scan.py's, under every linker (CI
    time: these two compiled 23 C modules in each C env)."""
    return Harness(h.loaded, "py")


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "relucompat", *args], capture_output=True, text=True, cwd=cwd
    )


@installation
def test_the_namespace_is_theano_shaped(h):
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T

    for name in ("function", "shared", "grad", "config", "scan", "printing"):
        assert getattr(theano, name) is not None, name
    assert theano.config.floatX in ("float32", "float64")
    assert callable(theano.printing.debugprint)
    for name in (
        "matrix",
        "ivector",
        "lscalar",
        "dot",
        "mean",
        "log",
        "argmax",
        "neq",
        "arange",
        "cast",
        "tanh",
    ):
        assert callable(getattr(T, name)), name
    x = T.matrix()
    assert h.loaded.backend.owns(T.nnet.relu(x))


@installation
def test_nnet_relu_is_relucompat_with_theano_semantics(h):
    from relucompat.legacy import tensor as T

    relucompat.use(h.loaded.distribution.name)
    x = h.var("float64")
    edges = np.array([-np.inf, -1.0, -0.0, 0.0, 2.0, np.inf, np.nan])
    ours, theirs = h.function([x], [T.nnet.relu(x), relucompat.relu(x, semantics="theano")])(edges)
    assert same_bits(ours, theirs)
    assert np.isnan(ours[0])  # -inf gives NaN, as in Theano


def test_nnet_functions_compute_theanos_values(h):
    from relucompat.legacy import tensor as T

    relucompat.use(h.loaded.distribution.name)
    x, p, t, labels = h.var("float64", 2), h.var("float64", 2), h.var("float64", 2), h.T.ivector()
    outputs = [
        T.nnet.sigmoid(x),
        T.nnet.softplus(x),
        T.nnet.softmax(x),
        T.nnet.binary_crossentropy(p, t),
        T.nnet.categorical_crossentropy(p, labels),
        T.nnet.categorical_crossentropy(p, t),
    ]
    xv = np.array([[-2.0, 0.0, 3.0], [1.0, 1.0, -1.0]])
    pv = np.array([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]])
    tv = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    function = wiring(h).function([x, p, t, labels], outputs)
    got = function(xv, pv, tv, np.array([2, 0], dtype="int32"))
    softmax = np.exp(xv) / np.exp(xv).sum(axis=1, keepdims=True)
    want = [
        1 / (1 + np.exp(-xv)),
        np.log1p(np.exp(xv)),
        softmax,
        -(tv * np.log(pv) + (1 - tv) * np.log(1 - pv)),
        -np.log([0.5, 0.7]),
        -np.log([0.5, 0.7]),
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_scan_computes_a_cumulative_sum(h):
    # Theano 1.0.5 and Theano-PyMC import pkg_resources when scan first runs: their extras
    # must install a setuptools that still has it.
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T

    relucompat.use(h.loaded.distribution.name)
    x = h.var("float64")
    total, _ = theano.scan(
        lambda v, acc: acc + T.nnet.relu(v), sequences=x, outputs_info=T.zeros((), "float64")
    )
    got = wiring(h).function([x], [total])(np.array([-1.0, 2.0, -3.0, 4.0, 0.5]))[0]
    assert same_bits(got, np.array([0.0, 2.0, 2.0, 6.0, 6.5]))


@installation
def test_missing_names_say_what_and_where(h):
    relucompat.use(h.loaded.distribution.name)
    from relucompat.legacy import tensor as T

    with pytest.raises(AttributeError) as caught:
        _ = T.no_such_function
    message = str(caught.value)
    assert "theano.tensor.no_such_function" in message
    assert h.loaded.label in message
    import importlib.util

    import relucompat.legacy as theano

    if importlib.util.find_spec(f"{h.name}.sandbox") is None:  # sandbox.linalg: nlinalg
        modern = rf"its modern equivalent is {h.name}\.tensor\.nlinalg$"
        with pytest.raises(AttributeError, match=modern):
            _ = theano.sandbox.linalg


def losses_of(done):
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])["losses"]


def check_trajectory(example, losses, rtol):
    with open(example.golden) as stream:
        golden = json.load(stream)["losses"]
    np.testing.assert_allclose(losses, golden, rtol=rtol, atol=0)
    assert np.mean(losses[-5:]) < 0.75 * np.mean(losses[:5])  # it learns


# Relative tolerance of each trajectory against Theano 1.0.5's: the MLP's arithmetic is
# elementwise and one GEMM per layer; the convnet's sums run in another order off Theano.
RTOL = {"mlp": 1e-6, "lenet": 1e-5}


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_unmodified_example_runs_through_relucompat_run(name, tmp_path):
    example = EXAMPLES[name]
    done = cli("run", example.script, *example.arguments(str(tmp_path)))
    check_trajectory(example, losses_of(done), RTOL[name])


@pytest.mark.parametrize("name", SCRIPTS)
def test_on_real_theano_it_runs_directly(name, tmp_path):
    if "theano" not in (expected() or {}):
        pytest.skip("needs Theano or Theano-PyMC (py38-theano, py39-theanopymc, py38-multi)")
    example = EXAMPLES[name]
    done = subprocess.run(
        [sys.executable, example.script, *example.arguments(str(tmp_path))],
        capture_output=True,
        text=True,
    )
    check_trajectory(example, losses_of(done), RTOL[name])


@installation
def test_run_keeps_the_scripts_name_argv_and_exit_status(tmp_path):
    script = tmp_path / "legacy.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, theano, theano.tensor as T
            from theano.tensor.nnet import relu
            x = T.vector()
            f = theano.function([x], relu(x))
            print(__name__, sys.argv[1:], type(theano.function).__name__)
            print(f([-1.0, 2.0]).tolist())
            sys.exit(3)
            """
        )
    )
    done = cli("run", "--explain", str(script), "a", "--b")
    assert done.returncode == 3, done.stderr
    assert done.stdout.split("\n")[0].startswith("__main__ ['a', '--b']")
    assert done.stdout.split("\n")[1] == "[0.0, 2.0]"
    assert "relucompat run: `import theano` is" in done.stderr


@installation
def test_a_failing_script_fails_as_under_python(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("import theano\nraise RuntimeError('the script itself')\n")
    done = cli("run", str(script))
    assert done.returncode == 1
    assert "RuntimeError: the script itself" in done.stderr and "Traceback" in done.stderr


@installation
def test_an_unknown_theano_submodule_names_itself(tmp_path):
    if "theano" in (expected() or {}):
        pytest.skip("real Theano: its own modules")
    script = tmp_path / "sandbox.py"
    script.write_text("import theano.sandbox.gpuarray\n")  # gone in Theano 1.0.5 too
    done = cli("run", str(script))
    assert done.returncode == 1
    assert "ModuleNotFoundError: theano.sandbox.gpuarray is not in relucompat's" in done.stderr
    assert "has no equivalent" in done.stderr


@installation
def test_run_backend_forces_one_and_explains(tmp_path):
    name = next(iter(expected() or {"pytensor": None}))
    script = tmp_path / "which.py"
    script.write_text("import theano\nprint(theano.__name__)\n")
    done = cli("run", "--backend", name, "--explain", str(script))
    assert done.returncode == 0, done.stderr
    real = name == "theano"
    assert done.stdout.strip() == ("theano" if real else "relucompat.legacy")
    assert ("the real" in done.stderr) == real


@installation
def test_run_user_errors_exit_2():
    done = cli("run", "no/such/script.py")
    assert done.returncode == 2 and "no such script" in done.stderr
    assert "Traceback" not in done.stderr
