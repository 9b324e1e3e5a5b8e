"""A smoke run of ``relucompat bench --model``: tiny batches, asserting only the record's
structure. Timings are never asserted; the committed bench/ records show speed."""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import pytest
from harness import expected

import relucompat
from relucompat import bench_model

# CI time: each candidate builds its own training step, and the peak-memory child the
# "theano" route's again. They run under the py linker, which compiles nothing: the record's
# structure is the same under every linker, and the steps' arithmetic is the examples'.
# LeNet's step is built below, and the LeNet example compiles and trains it on every backend.
CANDIDATES = ("x*(x>0)", "relucompat theano", "relucompat strict")


def test_a_training_step_per_candidate(tmp_path):
    if expected() == {}:
        pytest.skip("this env promises no backend")
    path = tmp_path / "model.json"
    command = ["bench", "--model", "mlp", "--batch", "3", "--repeat", "1", "--json", str(path)]
    command += ["--dtype", "float32"]  # as Theano-era programs ran, and a Python float upcasts
    command += ["--linker", "py"]
    for name in CANDIDATES:
        command += ["--candidate", name]
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", *command], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads(path.read_text())
    assert record["schema"] == bench_model.SCHEMA and record["model"] == "mlp"
    assert record["dtype"] == "float32"
    (row,) = record["batches"]
    assert row["batch"] == 3
    assert [c["name"] for c in row["candidates"]] == list(CANDIDATES)
    assert row["fastest_by_hand"] == "x*(x>0)"
    for candidate in row["candidates"]:
        assert candidate["step_seconds"] > 0 and candidate["compile_seconds"] > 0
        assert candidate["step_vs_fastest_by_hand"] > 0
    if sys.platform.startswith("linux"):  # the step's gradient of W1 alone is 1.5 MiB
        assert row["peak_step_bytes"] > 0
    assert "relucompat bench --model mlp" in done.stdout


@pytest.mark.parametrize("model", sorted(bench_model.MODELS))
def test_every_model_builds_a_step_of_its_dtype(h, model):
    relucompat.use(h.loaded.distribution.name)
    build = bench_model.MODELS[model].build
    relu = functools.partial(relucompat.relu, semantics="strict")
    graph = build(h.loaded, relu, 3, "float32")
    assert graph.cost.ndim == 0 and graph.cost.dtype == "float32"
    grads = h.grad(graph.cost, graph.params, consider_constant=list(graph.constant))
    assert [g.dtype for g in grads] == ["float32"] * len(graph.params)
    assert [x.ndim for x in graph.inputs] == [d.ndim for d in graph.data]
    assert [x.dtype for x in graph.inputs] == [str(d.dtype) for d in graph.data]
    assert 3 in graph.data[0].shape  # the batch, on the first axis or (sequences) the second


def test_a_model_without_relu_times_the_program(tmp_path):
    if expected() == {}:
        pytest.skip("this env promises no backend")
    path = tmp_path / "model.json"
    command = ["bench", "--model", "dae", "--batch", "3", "--repeat", "1", "--json", str(path)]
    command += ["--dtype", "float32", "--linker", "py"]
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", *command], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (row,) = json.loads(path.read_text())["batches"]
    (program,) = row["candidates"]
    assert program["name"] == "program" and "step_vs_fastest_by_hand" not in program
    assert "fastest_by_hand" not in row
    assert row["cold_compile_seconds"] > 0 and row["rerun_compile_seconds"] > 0
    assert "cold compile of a step, empty caches" in done.stdout


@pytest.mark.installation
@pytest.mark.parametrize(
    "option, message",
    [
        (["--batch", "0"], "--batch must be at least 1"),
        (["--candidate", "relu6"], "unknown candidate 'relu6'; the candidates are: nnet.relu"),
        (
            ["--candidate", "relucompat strict"],
            "--candidate needs at least one hand formulation to compare against, such as",
        ),
        (
            ["--model", "rbm", "--candidate", "x*(x>0)"],
            "the rbm model has no relu; leave --candidate out to time the program",
        ),
    ],
)
def test_bad_options_exit_2(option, message):
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "bench", "--model", "mlp", *option],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
