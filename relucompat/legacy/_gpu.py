"""Theano's GPU backends, gone: what importing them does on every backend.

Theano 1.0.5 on a machine without a GPU imported ``theano.gpuarray`` (with
``pygpu_activated = False`` and cuDNN reported absent) and raised nose's ``SkipTest`` on
``import theano.sandbox.cuda`` (the 0.x backend it removed; ``ImportError`` where nose was
not installed). Libraries probe these modules to choose their CPU code, catching
``ImportError`` or any exception, so the legacy namespace answers as that install did.
"""

from __future__ import annotations

import unittest

__all__ = ["GpuBackendGone", "why"]


def __dir__() -> list[str]:
    return __all__


class GpuBackendGone(ImportError, unittest.SkipTest):
    """Theano's old GPU backend cannot be imported: an ``ImportError``, and the
    ``SkipTest`` Theano 1.0.5 raised, so that a library's fallback and a test's skip both
    happen as they did there."""


def why() -> str:
    """Why nothing of Theano's GPU backends runs here, in one sentence."""
    from relucompat.legacy import _namespace

    try:
        over = f" on {_namespace.backend().label},"
    except ImportError:  # no usable backend: the import fails as Theano's did all the same
        over = ""
    return f"Theano's GPU backends are gone; relucompat's legacy namespace runs{over} on the CPU"
