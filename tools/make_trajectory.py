"""Write tests/golden/mlp-theano-1.0.5.json: examples/mlp_theano.py's loss trajectory on the
real Theano 1.0.5, which every other backend must reproduce through relucompat.

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


def main() -> int:
    version = None
    with contextlib.suppress(metadata.PackageNotFoundError):
        version = metadata.version("Theano")
    if version != "1.0.5":
        sys.exit(f"make_trajectory.py needs Theano 1.0.5 (found {version})")
    with tempfile.TemporaryDirectory() as tmp:
        data = blobs.write(os.path.join(tmp, "blobs.npz"))
        script = os.path.join(ROOT, "examples", "mlp_theano.py")
        done = subprocess.run(
            [sys.executable, script, data, "--steps", str(STEPS)],
            capture_output=True,
            text=True,
            check=True,
        )
    losses = json.loads(done.stdout.splitlines()[-1])["losses"]
    out = os.path.join(ROOT, "tests", "golden", "mlp-theano-1.0.5.json")
    record = {
        "produced_by": {
            "command": "python3 -m tox exec -e py38-theano -- python tools/make_trajectory.py",
            "theano": version,
            "python": platform.python_version(),
            "script": "examples/mlp_theano.py",
            "data": f"tests/blobs.py, seed {blobs.SEED}",
            "steps": STEPS,
        },
        "losses": losses,
    }
    with open(out, "w") as stream:
        json.dump(record, stream, indent=1)
        stream.write("\n")
    print(f"wrote {len(losses)} losses to {os.path.relpath(out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
