"""``theano.gradient``: the backend's own, with ``consider_constant``, which Theano 1.0.5
still had (deprecated) and PyTensor dropped."""

from __future__ import annotations

import warnings
from typing import Any

from relucompat.legacy import _namespace

__all__ = ["consider_constant"]


def consider_constant(x: Any) -> Any:
    """``x``, with its gradient truncated to 0 (Theano's deprecated name for ``zero_grad``)."""
    warnings.warn(
        "consider_constant() is deprecated, use zero_grad() or disconnected_grad() instead.",
        stacklevel=2,
    )
    gradient = _namespace.backend_module("gradient")
    return gradient.zero_grad(x)  # type: ignore[union-attr]


__getattr__, __dir__ = _namespace.forward(__name__, "gradient", _namespace.at("gradient"))
