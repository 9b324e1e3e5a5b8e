"""A smoke run of ``relucompat bench``: small, and asserting only the output's structure.

Timings are never asserted; the committed bench/ records are where speed is shown. The run
times one backend's candidates, so it belongs to backend envs, not to the installation
passes; tox.ini's ``[legacy] bench_smoke`` says which. It runs under the py linker, which
compiles nothing (CI time: half a minute of cold compilation under numba); the record's
structure is the same under every linker.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import pytest
from harness import expected

from relucompat import bench


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    if expected() == {}:
        pytest.skip("this env promises no backend")
    path = tmp_path_factory.mktemp("bench") / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "relucompat",
            "bench",
            "--size",
            "16",
            "--repeat",
            "2",
            "--linker",
            "py",
            "--json",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "timing relucompat strict" in done.stderr  # plain progress lines off a terminal
    assert "\r" not in done.stderr
    return json.loads(path.read_text()), done.stdout


def test_record_structure(record):
    found, _ = record
    assert found["schema"] == bench.SCHEMA
    assert found["size"] == 16 and found["repeat"] == 2
    names = [c["name"] for c in found["candidates"]]
    assert names[-2:] == ["relucompat theano", "relucompat strict"]
    assert {"switch(x<0,0,x)", "switch(x<=0,0,x)", "maximum(x,0)", "x*(x>0)"} <= set(names)
    for candidate in found["candidates"]:
        for key in bench.MEASUREMENTS:
            assert candidate["seconds"][key] > 0
            assert candidate["compile_seconds"][key] > 0
            assert candidate["vs_fastest"][key] >= 1.0 or candidate["vs_fastest"][
                key
            ] == pytest.approx(1.0)
            assert candidate["vs_numpy"][key] > 0
    assert set(found["numpy_references"]) == set(bench.MEASUREMENTS)
    assert found["strict_formulation"] == "masked-switch"
    over = found["overheads"]
    assert over["import_ms"] == over["import_ms"]  # a number, not NaN
    assert set(over["build"]) == {"theano", "strict"}


def test_contract_column_tells_candidates_apart(record):
    found, _ = record
    meets = {c["name"]: c["meets_strict_contract"] for c in found["candidates"]}
    assert meets["relucompat strict"] is True
    assert meets["x*(x>0)"] is False  # -inf * 0 is NaN
    assert meets["switch(x<0,0,x)"] is False  # -0.0 stays -0.0, and the gradient at 0 is 1
    assert meets["relucompat theano"] is False  # by design: Theano's warts
    # A linker that flushes denormals (JAX) fails every candidate; this tells who else fails.
    but_denormals = {
        c["name"]: c["meets_strict_contract_but_denormals"] for c in found["candidates"]
    }
    assert but_denormals["relucompat strict"] is True
    assert but_denormals["x*(x>0)"] is False
    marks = {c["name"]: bench.contract_mark(c) for c in found["candidates"]}
    assert marks["relucompat strict"] == "yes" and marks["x*(x>0)"] == "no"


def test_text_table(record):
    found, text = record
    assert text.startswith(f"relucompat bench: {found['backend']} {found['version']}")
    for candidate in found["candidates"]:
        assert candidate["name"] in text
    assert "import relucompat: +" in text


def test_calls_are_timed_in_turns_after_a_warm_up_round():
    # Back to back, a drift of the machine lands on one candidate; in turns, on all alike.
    order: list = []
    medians = bench.medians_in_turns([functools.partial(order.append, c) for c in "abc"], 2)
    assert order == list("abc") * 3
    assert len(medians) == 3 and all(m >= 0 for m in medians)


@pytest.mark.installation
def test_without_a_backend_bench_names_the_extras():
    if expected() != {}:
        pytest.skip("py311-nobackend runs this")
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "bench"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert '"relucompat[pytensor]"' in done.stderr and "Traceback" not in done.stderr


@pytest.mark.installation
def test_bad_options_exit_2():
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "bench", "--dtype", "float16"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "invalid choice: 'float16'" in done.stderr


@pytest.mark.installation
def test_a_hand_formulation_a_linker_cannot_run_is_recorded_and_a_route_is_raised():
    # PyTensor's PyTorch linker runs maximum's gradient, eq, as torch.equal: one bool.
    error = AttributeError("'bool' object has no attribute 'shape'\nHINT: ...")
    assert bench.cannot_run("maximum(x,0)", error) == (
        "AttributeError: 'bool' object has no attribute 'shape'"
    )
    with pytest.raises(AttributeError):
        bench.cannot_run("relucompat strict", error)
