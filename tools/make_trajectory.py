"""Write tests/golden/<example>-theano-1.0.5.json: each example's loss trajectory on the real
Theano 1.0.5, which every other backend must reproduce through ``relucompat run``.

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


def main() -> int:
    version = None
    with contextlib.suppress(metadata.PackageNotFoundError):
        version = metadata.version("Theano")
    if version != "1.0.5":
        sys.exit(f"make_trajectory.py needs Theano 1.0.5 (found {version})")
    for name in sys.argv[1:] or sorted(examples.EXAMPLES):
        print(record(name, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
