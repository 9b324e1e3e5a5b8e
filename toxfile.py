"""Let tox find pyenv's interpreters by itself, and never let uv download one.

tox loads this inline plugin at start-up, before it looks for interpreters.
pyenv's shims only expose the active version, so each version's bin dir goes on PATH.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess


def _pyenv_root() -> str:
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    pyenv = shutil.which("pyenv")
    if pyenv:
        found = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    return os.path.expanduser("~/.pyenv")


_dirs = sorted(glob.glob(os.path.join(_pyenv_root(), "versions", "*", "bin")))
_path = os.environ.get("PATH", "").split(os.pathsep)
os.environ["PATH"] = os.pathsep.join(_path + [d for d in _dirs if d not in _path])
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
