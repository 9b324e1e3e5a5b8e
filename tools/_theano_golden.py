"""What the scripts that record golden data from the real Theano 1.0.5 share."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any, Dict


def require_theano_1_0_5(script: str) -> None:
    """Exit unless the running interpreter has Theano 1.0.5 itself (not Theano-PyMC)."""
    try:
        version = metadata.version("Theano")
    except metadata.PackageNotFoundError:
        version = None
    if version != "1.0.5":
        sys.exit(f"{script} needs Theano 1.0.5 (found {version}); see its docstring")


def produced_by(script: str, **extra: Any) -> Dict[str, Any]:
    """How a golden file was made: the command, and the versions that made its bits."""
    import numpy as np
    import theano

    return {
        "command": f"tox exec -e py38-theano -- python tools/{script}",
        "theano": theano.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "linker": theano.config.linker,
        **extra,
    }
