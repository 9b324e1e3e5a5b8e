"""Where relucompat's ops give the backend's numba linker their own function: the dispatch
that takes one with a cache key, so that numba's persistent cache keeps it between runs."""

from __future__ import annotations

import importlib
import sys
from hashlib import sha256
from types import ModuleType
from typing import Any, Callable, Optional

from relucompat.lineage._base import default_linker

__all__ = ["dispatch", "register_kernel"]


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


_registered: set = set()


def register_kernel(
    import_name: str, op_class: Any, kernel: Callable[[Any, Any], Any], key: Callable[[Any], tuple]
) -> None:
    """Give ``op_class``'s ops numba's function ``kernel(njit, op)`` where :func:`dispatch`
    finds the dispatch, cached under ``key(op)`` (which names the kernel's version): numba
    then keeps it between runs. Elsewhere numba compiles the op's inner graph."""
    if op_class in _registered:
        return
    basic = dispatch(import_name)
    if basic is None:
        return
    _registered.add(op_class)

    @basic.register_funcify_and_cache_key(op_class)
    def funcify(op: Any, node: Any = None, **kwargs: Any) -> Any:
        return kernel(basic.numba_njit, op), sha256(str(key(op)).encode()).hexdigest()
