"""Write tests/golden/<example>-theano-1.0.5.json: each example's loss trajectory on the real
Theano 1.0.5, which every other backend must reproduce through ``relucompat run``; for the
examples with random streams (dropout_mlp_theano.py, dA_theano.py), their runs with p = 0
(which every backend must reproduce) and with p > 0 (whose final loss it must come close
to: the streams' numbers differ by design).

    python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py [NAME ...]
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

import example_scripts as examples  # noqa: E402


def record(name: str, version: str) -> str:
    example = examples.EXAMPLES[name]
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, example.script, *example.arguments(tmp)],
            capture_output=True,
            text=True,
            check=True,
        )
    losses = json.loads(done.stdout.splitlines()[-1])["losses"]
    document = {
        "produced_by": {
            "command": "python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py",
            "theano": version,
            "python": platform.python_version(),
            "script": os.path.relpath(example.script, ROOT),
            "arguments": example.arguments("DIR")[1:],
            "data": example.data_doc,
        },
        "losses": losses,
    }
    with open(example.golden, "w") as stream:
        json.dump(document, stream, indent=1)
        stream.write("\n")
    return f"wrote {len(losses)} losses to {os.path.relpath(example.golden, ROOT)}"


# Examples with random streams: golden file, script, the option that sets p, p > 0, steps.
RANDOM = (
    ("dropout-mlp-theano-1.0.5.json", "dropout_mlp_theano.py", "--dropout", 0.3, 200),
    ("dA-theano-1.0.5.json", "dA_theano.py", "--corruption", 0.3, 200),
)


def record_random(version: str) -> None:
    import blobs

    for name, script, option, p, steps in RANDOM:
        with tempfile.TemporaryDirectory() as tmp:
            data = blobs.write(os.path.join(tmp, "blobs.npz"))
            runs = {}
            for value in (0.0, p):
                done = subprocess.run(
                    [
                        sys.executable,
                        os.path.join(ROOT, "examples", script),
                        data,
                        option,
                        str(value),
                        "--steps",
                        str(steps),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[f"p={value:g}"] = json.loads(done.stdout.splitlines()[-1])
        produced_by = {
            "command": "python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py",
            "theano": version,
            "python": platform.python_version(),
            "script": f"examples/{script}",
            "data": f"tests/blobs.py, seed {blobs.SEED}",
            "steps": steps,
        }
        out = os.path.join(ROOT, "tests", "golden", name)
        with open(out, "w") as stream:
            json.dump({"produced_by": produced_by, **runs}, stream, indent=1)
            stream.write("\n")
        print(f"wrote {os.path.relpath(out, ROOT)}")


def main() -> int:
    version = None
    with contextlib.suppress(metadata.PackageNotFoundError):
        version = metadata.version("Theano")
    if version != "1.0.5":
        sys.exit(f"make_trajectory.py needs Theano 1.0.5 (found {version})")
    for name in sys.argv[1:] or sorted(examples.EXAMPLES):
        print(record(name, version))
    if not sys.argv[1:]:
        record_random(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
