"""``theano.tensor``: the backend's ``tensor``, with Theano's ``nnet`` and ``signal``, and the
names of Theano's ``tensor`` that the backend renamed or dropped (``tensor/basic.py``).

Theano's ``tensor`` gathered the names of its submodules (``basic``, ``subtensor``,
``elemwise``, ``extra_ops``...) and of ``gradient``; a name the backend's ``tensor`` lacks is
looked up in the backend's modules at those paths.
"""

from typing import Any

from relucompat.legacy import _namespace
from relucompat.legacy.gradient import consider_constant
from relucompat.legacy.tensor.basic import (
    abs_,
    addbroadcast,
    inv,
    patternbroadcast,
    stack,
    unbroadcast,
)

__all__ = [
    "TensorVariable",
    "abs_",
    "addbroadcast",
    "consider_constant",
    "inv",
    "patternbroadcast",
    "stack",
    "unbroadcast",
]

TensorVariable: Any  # tensor/var.py's, on first use (__getattr__)


def __getattr__(name: str) -> Any:
    if name == "TensorVariable":  # Theano's: no shared variable or constant is one
        from relucompat.legacy.tensor import var

        return var.TensorVariable
    return _forward(name)


_forward, __dir__ = _namespace.forward(
    __name__,
    "tensor",
    _namespace.at(
        "tensor",
        "tensor.basic",
        "tensor.math",
        "tensor.shape",
        "tensor.subtensor",
        "tensor.elemwise",
        "tensor.type",
        "tensor.variable",
        "tensor.var",
        "tensor.sharedvar",
        "gradient",
    ),
)
