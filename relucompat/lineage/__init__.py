"""The backends of the Theano lineage: one module each, found by listing this package.

Adding a backend means adding a module that defines ``BACKEND``, plus a tox env.
"""

from __future__ import annotations

import functools
import importlib
from typing import Tuple

from relucompat.lineage._base import Backend, Installed, Loaded, Provider
from relucompat.lineage._shared_c import SHARED_C_MODULES, load_apart

__all__ = [
    "SHARED_C_MODULES",
    "Backend",
    "Installed",
    "Loaded",
    "Provider",
    "load_apart",
    "named",
    "registry",
]


def __dir__() -> list[str]:
    return __all__


@functools.lru_cache(maxsize=None)
def registry() -> Tuple[Backend, ...]:
    """Every declared backend, most preferred first."""
    import pkgutil

    found = [
        importlib.import_module(f"{__name__}.{info.name}").BACKEND
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(found, key=lambda backend: backend.priority))


def named(import_name: str) -> Backend:
    """The most preferred declared backend that ``import <import_name>`` loads."""
    return next(backend for backend in registry() if backend.import_name == import_name)
