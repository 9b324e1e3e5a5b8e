"""Backends of the lineage that compile C extensions under the same names, loaded apart.

Theano, Aesara and PyTensor compile their C VM, ``run_cthunk`` and scan's inner loop into
their own compiledirs, but import them under the same top-level names, and each checks the
version of the ``lazylinker_ext`` it imports: in one process, the second to import finds
the first's and fails (``AssertionError`` in its ``lazylinker_c``). Here each imports its
own with the other's out of the way (``Backend.c_importers`` names the modules that do).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import warnings
from types import ModuleType
from typing import Dict, Iterator, Sequence

from relucompat.lineage._base import Backend, Loaded

SHARED_C_MODULES = ("lazylinker_ext", "cutils_ext", "scan_perform")


def load_apart(backend: Backend, others: Sequence[Backend]) -> Loaded:
    """``backend.load()`` in a process that has imported ``others``: where they import C
    extensions under the names ``backend`` uses, each binds its own, with the others' out
    of ``sys.modules`` (put back afterwards): what a backend has bound stays its own,
    whatever is imported later."""
    sharing = [other for other in others if backend.clashes_with(other)]
    if not sharing:
        return backend.load()
    for other in sharing:  # one imported by hand may not have imported its own yet
        with _apart():
            _bind(other)
    with _apart():
        loaded = backend.load()
        _bind(backend)
    return loaded


def _bind(backend: Backend) -> None:
    """Import the modules that import ``backend``'s shared-name C extensions now, so that
    they hold its own, whatever ``sys.modules`` holds later."""
    # A name of another layout fails, and so does one that cannot compile: the backend
    # meets that error again where it needs the module, and has its own fallback there.
    for name in backend.c_importers:
        with warnings.catch_warnings(), contextlib.suppress(Exception):
            warnings.simplefilter("ignore")
            importlib.import_module(name)


@contextlib.contextmanager
def _apart() -> Iterator[None]:
    """Hide the shared-name C extensions from ``import``; restore what was there afterwards.

    Hidden from ``sys.modules``, and from ``sys.path`` too: a backend that compiles one
    of them cold leaves its compiledir there (its ``try_import`` deletes it only after an
    import that succeeds), where the other's first ``import scan_perform`` would find it.
    """
    held = _shared_c_modules()
    for name in held:
        del sys.modules[name]
    # Rebound, not edited in place: another thread walking sys.path (importlib.metadata
    # does, to find a distribution) would skip entries that shift under it.
    path = sys.path
    sys.path = [entry for entry in path if not _holds_shared_c(entry)]
    try:
        yield
    finally:
        sys.path = path
        for name in _shared_c_modules():
            del sys.modules[name]
        sys.modules.update(held)


def _holds_shared_c(entry: object) -> bool:
    """Whether a ``sys.path`` entry is a backend's compiledir."""
    return isinstance(entry, str) and any(
        os.path.isdir(os.path.join(entry, name)) for name in SHARED_C_MODULES
    )


def _shared_c_modules() -> Dict[str, ModuleType]:
    return {
        name: module
        for name, module in list(sys.modules.items())
        if name.partition(".")[0] in SHARED_C_MODULES
    }
