"""Write tests/golden/mlp-theano-1.0.5.json: examples/mlp_theano.py's loss trajectory on the
real Theano 1.0.5, which every other backend must reproduce through relucompat; and, for the
examples with random streams (dropout_mlp_theano.py, dA_theano.py), their trajectories with
p = 0 (which every backend must reproduce) and with p > 0 (whose final loss it must come
close to: the streams' numbers differ by design).

    python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import blobs  # noqa: E402

STEPS = 20
# Examples with random streams: golden file, script, the option that sets p, p > 0, steps.
RANDOM = (
    ("dropout-mlp-theano-1.0.5.json", "dropout_mlp_theano.py", "--dropout", 0.3, 200),
    ("dA-theano-1.0.5.json", "dA_theano.py", "--corruption", 0.3, 200),
)


def run(script: str, data: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", script), data, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def write(name: str, record: dict) -> None:
    out = os.path.join(ROOT, "tests", "golden", name)
    with open(out, "w") as stream:
        json.dump(record, stream, indent=1)
        stream.write("\n")
    print(f"wrote {os.path.relpath(out, ROOT)}")


def main() -> int:
    version = None
    with contextlib.suppress(metadata.PackageNotFoundError):
        version = metadata.version("Theano")
    if version != "1.0.5":
        sys.exit(f"make_trajectory.py needs Theano 1.0.5 (found {version})")

    def produced_by(script: str, steps: int) -> dict:
        return {
            "command": "python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py",
            "theano": version,
            "python": platform.python_version(),
            "script": f"examples/{script}",
            "data": f"tests/blobs.py, seed {blobs.SEED}",
            "steps": steps,
        }

    with tempfile.TemporaryDirectory() as tmp:
        data = blobs.write(os.path.join(tmp, "blobs.npz"))
        mlp = run("mlp_theano.py", data, "--steps", str(STEPS))
        info = produced_by("mlp_theano.py", STEPS)
        write("mlp-theano-1.0.5.json", {"produced_by": info, "losses": mlp["losses"]})
        for name, script, option, p, steps in RANDOM:
            runs = {
                f"p={value:g}": run(script, data, option, str(value), "--steps", str(steps))
                for value in (0.0, p)
            }
            write(name, {"produced_by": produced_by(script, steps), **runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
