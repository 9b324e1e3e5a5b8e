"""Every program of ``examples/`` ported by ``relucompat port --write``, then run with plain
``python`` (no ``relucompat run``) on the env's PyTensor: the trajectories Theano 1.0.5
recorded, within the bounds the legacy tests use (tests/test_legacy.py,
tests/test_legacy_examples.py). The ported code imports neither theano nor relucompat's
legacy namespace.

Runs where the env promises a PyTensor the port's rules are written for (>= 2.38);
tests/test_port_rules.py checks the rules against every PyTensor of the matrix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import blobs
import numpy as np
import pytest
from example_scripts import EXAMPLES
from harness import expected
from test_legacy import RTOL, check_trajectory
from test_legacy_examples import EXAMPLES as STREAM_EXAMPLES
from test_legacy_examples import P, golden

from relucompat._port import table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _version(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


@pytest.fixture(scope="module")
def ported(tmp_path_factory):
    if "pytensor" not in (expected() or {}):
        pytest.skip("the port writes PyTensor code; this env promises no PyTensor")
    from importlib import metadata

    installed = metadata.version("pytensor")
    if _version(installed) < _version(table.load().pytensor):
        pytest.skip(
            f"the port's rules are for PyTensor >= {table.load().pytensor}, not {installed}"
        )
    directory = tmp_path_factory.mktemp("ported")
    shutil.copytree(os.path.join(ROOT, "examples"), directory / "examples")
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "port", "--write", "examples"],
        capture_output=True,
        text=True,
        cwd=directory,
    )
    assert done.returncode == 0, done.stderr
    assert "0 items left to you" in done.stdout, done.stdout
    return directory / "examples"


def run(script, *args):
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_ported_examples_import_no_theano(ported):
    for name in sorted(os.listdir(ported)):
        source = (ported / name).read_text()
        assert not re.search(r"^\s*(import|from)\s+theano\b", source, re.M), name
        assert "relucompat.legacy" not in source, name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_ported_example_trajectory_is_theanos(name, ported, tmp_path):
    example = EXAMPLES[name]
    script = ported / os.path.basename(example.script)
    losses = run(script, *example.arguments(str(tmp_path)))["losses"]
    check_trajectory(example, losses, RTOL[name])


def test_ported_dropout_example_with_p_0_trajectory_is_theanos(ported, tmp_path):
    """No draw changes a number at p = 0; the ported RandomStream still draws each step."""
    data = blobs.write(str(tmp_path / "blobs.npz"))
    script, option, _ = STREAM_EXAMPLES["dropout"]
    steps = str(golden("dropout")["produced_by"]["steps"])
    got = run(ported / script, data, option, "0", "--steps", steps)
    want = golden("dropout")["p=0"]
    np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-5, atol=0)
    np.testing.assert_allclose(got["final"], want["final"], rtol=1e-5, atol=0)


def test_ported_dA_example_with_p_above_0_learns_as_theano_does(ported, tmp_path):
    """PyTensor's generator draws other numbers than Theano's: the loss must fall and the
    final loss be within 5% of Theano's, as for the legacy streams."""
    data = blobs.write(str(tmp_path / "blobs.npz"))
    script, option, _ = STREAM_EXAMPLES["dA"]
    steps = str(golden("dA")["produced_by"]["steps"])
    got = run(ported / script, data, option, str(P), "--steps", steps)
    want = golden("dA")[f"p={P:g}"]
    assert np.mean(got["losses"][-10:]) < 0.8 * np.mean(got["losses"][:10])
    assert abs(got["final"] - want["final"]) <= 0.05 * want["final"], (got, want["final"])
