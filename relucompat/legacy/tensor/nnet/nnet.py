"""``theano.tensor.nnet.nnet``: relu, softmax and the crossentropies."""

from __future__ import annotations

import inspect
from typing import Any

from relucompat.legacy import _namespace


def relu(x: Any, alpha: Any = 0) -> Any:
    """Theano's ``nnet.relu``, through relucompat (``"theano"`` semantics)."""
    from relucompat.route import relu as relucompat_relu

    return relucompat_relu(x, alpha, semantics="theano")


def softmax(c: Any) -> Any:
    """Theano's ``nnet.softmax``: over the last axis."""
    native = _namespace.native_or("softmax", "tensor.special.softmax")
    if "axis" not in inspect.signature(native).parameters:
        return native(c)  # Theano's own
    # Aesara and PyTensor 2.8 warn when axis is not given; Theano's meaning is the last one.
    return native(c, axis=-1)


def binary_crossentropy(output: Any, target: Any) -> Any:
    """``-(target * log(output) + (1 - target) * log(1 - output))``."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.binary_crossentropy(output, target)
    T = _namespace.backend().tensor
    return -(target * T.log(output) + (1.0 - target) * T.log(1.0 - output))


def categorical_crossentropy(coding_dist: Any, true_dist: Any) -> Any:
    """``-log`` of the true class's probability for integer labels, else
    ``-sum(true_dist * log(coding_dist))`` over the last axis."""
    nnet = _namespace.native_nnet()
    if nnet is not None:
        return nnet.categorical_crossentropy(coding_dist, true_dist)
    T = _namespace.backend().tensor
    if true_dist.ndim == coding_dist.ndim:
        return -(true_dist * T.log(coding_dist)).sum(axis=coding_dist.ndim - 1)
    rows = T.arange(true_dist.shape[0])
    return -T.log(coding_dist[rows, true_dist])
