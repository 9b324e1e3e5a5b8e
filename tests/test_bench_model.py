"""A smoke run of ``relucompat bench --model``: tiny batches, asserting only the record's
structure. Timings are never asserted; the committed bench/ records show speed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from harness import expected

from relucompat import bench_model

# CI time: each candidate compiles its own training step (LeNet's from cold takes a minute
# or two). The peak-memory child compiles the "theano" route's step again, from the caches.
CANDIDATES = {
    "mlp": ("x*(x>0)", "relucompat theano", "relucompat strict"),
    "lenet": ("x*(x>0)", "relucompat theano"),
}


@pytest.mark.parametrize("model", sorted(bench_model.MODELS))
def test_a_training_step_per_candidate(model, tmp_path):
    if expected() == {}:
        pytest.skip("this env promises no backend")
    path = tmp_path / "model.json"
    command = ["bench", "--model", model, "--batch", "3", "--repeat", "1", "--json", str(path)]
    command += ["--dtype", "float32"]  # as Theano-era programs ran, and a Python float upcasts
    for name in CANDIDATES[model]:
        command += ["--candidate", name]
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", *command], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads(path.read_text())
    assert record["schema"] == bench_model.SCHEMA and record["model"] == model
    assert record["dtype"] == "float32"
    (row,) = record["batches"]
    assert row["batch"] == 3
    names = [c["name"] for c in row["candidates"]]
    assert names == list(CANDIDATES[model])
    assert row["fastest_by_hand"] == "x*(x>0)"
    for candidate in row["candidates"]:
        assert candidate["step_seconds"] > 0 and candidate["compile_seconds"] > 0
        assert candidate["step_vs_fastest_by_hand"] > 0
    if sys.platform.startswith("linux"):  # a step's temporaries are well over 64 KiB
        assert row["peak_step_bytes"] > 0
    assert f"relucompat bench --model {model}" in done.stdout


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
    ],
)
def test_bad_options_exit_2(option, message):
    done = subprocess.run(
        [sys.executable, "-m", "relucompat", "bench", "--model", "mlp", *option],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
