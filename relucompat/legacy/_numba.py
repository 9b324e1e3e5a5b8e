"""Where relucompat's ops give the backend's numba linker their own function: the dispatch
that takes one with a cache key, so that numba's persistent cache keeps it between runs."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Optional

from relucompat.lineage._base import default_linker

__all__ = ["dispatch"]


def dispatch(import_name: str) -> Optional[ModuleType]:
    """The backend's numba dispatch module where it funcifies ops with cache keys
    (PyTensor 2.38 and 3) and is loaded, or numba is the default linker (then imported
    here); else None, and numba compiles an op's inner graph as the backend does."""
    name = import_name + ".link.numba.dispatch.basic"
    if name not in sys.modules and default_linker(sys.modules[import_name]) != "numba":
        return None
    try:
        basic = importlib.import_module(name)
    except ImportError:  # no numba
        return None
    return basic if hasattr(basic, "register_funcify_and_cache_key") else None
