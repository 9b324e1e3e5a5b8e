"""The ``relucompat`` command: doctor's report, exit codes and plain output, argparse
errors, and the compatibility table merged from per-env records."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from harness import expected

from relucompat import doctor
from relucompat.lineage import registry

pytestmark = pytest.mark.installation

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "relucompat", *args], capture_output=True, text=True, **kwargs
    )


@pytest.fixture(scope="module")
def doctor_json():
    done = cli("doctor", "--json")
    return done.returncode, json.loads(done.stdout)


def test_doctor_json_schema(doctor_json):
    code, found = doctor_json
    assert found["schema"] == doctor.SCHEMA
    assert found["exit_code"] == code
    for key in ("relucompat", "python", "numpy", "platform", "backends", "active", "notes"):
        assert key in found
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    for entry in found["backends"]:
        for key in ("name", "version", "import_name", "extra", "usable", "reason", "native"):
            assert key in entry
        if entry["usable"]:
            assert set(entry["routes"]) == {"theano", "strict"}
            backend = next(b for b in registry() if b.import_name == entry["import_name"])
            assert entry["native"].endswith(".tensor.nnet.relu") or entry["native"] == (
                f"none: {backend.no_native_relu()}"  # "pytensor removed nnet.relu in 2.9.0"
            )
            for route in entry["routes"].values():
                assert set(route) >= {"backend", "formulation", "semantics", "linker", "reason"}


def test_doctor_exit_code_and_self_check(doctor_json):
    code, found = doctor_json
    promised = expected()
    if promised == {} or (promised is None and not found["backends"]):
        assert code == doctor.NO_BACKEND
        for extra in ("pytensor", "aesara", "theano-pymc", "theano"):
            assert f'"relucompat[{extra}]"' in found["hint"]
        assert found["self_check"] is None
        return
    assert code == doctor.OK, found["self_check"]
    checks = found["self_check"]["checks"]
    assert len(checks) == 8 and all(check["passed"] for check in checks)
    assert isinstance(found["self_check"]["seconds"], float)  # reported; no test asserts a time
    if promised:
        assert found["active"] in {
            e["name"] for e in found["backends"] if e["import_name"] in promised
        }


def test_doctor_plain_output_is_stable_and_complete(doctor_json):
    code, found = doctor_json
    done = cli("doctor", "--no-self-check")
    assert done.returncode == (doctor.NO_BACKEND if code == doctor.NO_BACKEND else doctor.OK)
    text = done.stdout
    assert "\x1b[" not in text  # no colour codes when stdout is not a terminal
    assert text.splitlines()[0].startswith("relucompat ")
    assert f"numpy      {found['numpy']}" in text
    for entry in found["backends"]:
        assert f"{entry['name']} {entry['version']}" in text
        if entry["usable"]:
            assert f"native relu:    {entry['native']}" in text
            assert f"default linker: {entry['linker']}" in text
    if code == doctor.NO_BACKEND:
        assert "none installed" in text and "relucompat[pytensor]" in text


def test_a_failed_self_check_names_what_differs():
    import numpy as np

    assert doctor._check("strict forward", np.zeros(2), np.zeros(2), True)["passed"]
    bad = doctor._check("strict forward", np.array([-0.0]), np.array([0.0]), True)
    assert not bad["passed"] and "expected float64 [0.0]" in bad["detail"]
    assert doctor._check("strict gradient", np.array([-0.0]), np.array([0.0]), False)["passed"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["doctor", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_user_errors_exit_2_with_usage_and_no_traceback(args, message):
    done = cli(*args)
    assert done.returncode == 2
    assert "usage: relucompat" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
