"""``theano.tensor.nnet.sigm``: the sigmoid family."""

from __future__ import annotations

from typing import Any

from relucompat.legacy import _namespace


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))``: the backend's own op."""
    return _namespace.native_or("sigmoid", "tensor.sigmoid")(x)


def softplus(x: Any) -> Any:
    """``log(1 + exp(x))``: the backend's own op."""
    return _namespace.native_or("softplus", "tensor.softplus")(x)
