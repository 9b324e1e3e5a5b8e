"""The tutorial-style examples with random streams, unmodified, on every backend.

``examples/dropout_mlp_theano.py`` (``MRG_RandomStreams`` dropout) and
``examples/dA_theano.py`` (``RandomStreams`` corruption) against what Theano 1.0.5 recorded
(``tools/make_trajectory.py``). With p = 0 no draw changes a number, so the trajectories
must match Theano's; with p > 0 the streams' numbers differ from Theano's by design, so the
loss must fall and the final loss (the whole dataset, no noise) must be within 5% of
Theano's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import blobs
import numpy as np
import pytest
from harness import expected

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = {
    "dropout": ("dropout_mlp_theano.py", "--dropout", "dropout-mlp-theano-1.0.5.json"),
    "dA": ("dA_theano.py", "--corruption", "dA-theano-1.0.5.json"),
}
P = 0.3  # the p > 0 that tools/make_trajectory.py records


@pytest.fixture(autouse=True)
def _runs_here():
    promised = expected()
    if promised == {}:
        pytest.skip("this env promises no backend")
    if promised is not None and "theano" in promised and _is_theano_pymc():
        pytest.skip(
            "relucompat run gives these scripts the real Theano-PyMC, which has neither "
            "theano.sandbox.rng_mrg.MRG_RandomStreams nor theano.tensor.shared_randomstreams"
        )


def _is_theano_pymc():
    from importlib import metadata

    try:
        metadata.version("Theano")
    except metadata.PackageNotFoundError:
        return True
    return False


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return blobs.write(str(tmp_path_factory.mktemp("blobs") / "blobs.npz"))


def golden(example):
    with open(os.path.join(ROOT, "tests", "golden", EXAMPLES[example][2])) as stream:
        return json.load(stream)


def run(example, data, p, direct=False):
    script, option, _ = EXAMPLES[example]
    steps = str(golden(example)["produced_by"]["steps"])
    args = [os.path.join(ROOT, "examples", script), data, option, str(p), "--steps", steps]
    if direct:
        command = [sys.executable, *args]
    else:  # Python's default filters: what a user would see
        command = [sys.executable, "-m", "relucompat", "run", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    if "theano" not in (expected() or {}):  # a real Theano's own warnings are not ours
        assert "DeprecationWarning" not in done.stderr, done.stderr[-3000:]
        assert "FutureWarning" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_with_p_0_the_trajectory_is_theanos(example, data):
    got, want = run(example, data, 0), golden(example)["p=0"]
    np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-5, atol=0)
    np.testing.assert_allclose(got["final"], want["final"], rtol=1e-5, atol=0)


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_with_p_above_0_it_learns_as_theano_does(example, data):
    got, want = run(example, data, P), golden(example)[f"p={P:g}"]
    losses = got["losses"]
    assert np.mean(losses[-10:]) < 0.8 * np.mean(losses[:10])
    assert abs(got["final"] - want["final"]) <= 0.05 * want["final"], (got["final"], want["final"])


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_on_real_theano_it_runs_directly_and_reproduces_the_record(example, data):
    if "theano" not in (expected() or {}):
        pytest.skip("needs Theano 1.0.5 (py38-theano, py38-multi)")
    for p in (0, P):
        got, want = run(example, data, p, direct=True), golden(example)[f"p={p:g}"]
        np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-12, atol=0)
