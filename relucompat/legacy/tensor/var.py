"""``theano.tensor.var``: the backend's tensor variables, with Theano's classes and truth.

``TensorVariable`` answers ``isinstance`` as Theano's did: shared variables and constants
are not TensorVariables there (libraries branch on it: Lasagne takes a TensorVariable
``hid_init`` as the initial state itself, a shared one as a parameter to repeat).

In Theano a variable was true (``if not W:`` tested that a shared variable was given), except
the result of a Python comparison (``a < b``), which raised, so that ``a < b < c`` could not
silently mean ``(a < b) and (b < c)``. PyTensor makes every variable raise. Once the legacy
namespace loads a backend that does, :func:`theano_truth` gives the backend's tensor
variables Theano's truth, for the rest of the process (it is a legacy program's process).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from relucompat.legacy import _namespace

__all__ = ["TensorVariable", "theano_truth"]

TensorVariable: Any  # made for the backend on first use (__getattr__)

_MESSAGE = (
    "Variables do not support boolean operations: a comparison of symbolic variables has "
    "no truth value until the graph runs (use theano.tensor.switch, or compare the "
    "computed values)"
)


def theano_truth(loaded: Any) -> None:
    """Give ``loaded``'s tensor variables Theano's truth, if they lack it (once)."""
    _give(loaded.tensor)


@functools.lru_cache(maxsize=None)
def _give(tensor: Any) -> None:
    probe = tensor.scalar()
    try:
        bool(probe)
        return  # Theano, Theano-PyMC, Aesara: their own truth is Theano's
    except TypeError:
        pass
    owner = next(c for c in type(probe).__mro__ if "__bool__" in vars(c))
    setattr(owner, "__bool__", _bool)  # noqa: B010 (mypy: a class has no __bool__)
    for name in ("__lt__", "__le__", "__gt__", "__ge__"):
        holder = next(c for c in type(probe).__mro__ if name in vars(c))
        setattr(holder, name, _no_truth(getattr(holder, name)))


def _bool(self: Any) -> bool:
    if getattr(self, "_is_nonzero", True):
        return True
    raise TypeError(_MESSAGE)


def _no_truth(comparison: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``comparison``, whose result raises when its truth is asked (Theano's rule)."""

    @functools.wraps(comparison)
    def compared(self: Any, other: Any) -> Any:
        result = comparison(self, other)
        if result is not NotImplemented:
            result._is_nonzero = False
        return result

    return compared


def __getattr__(name: str) -> Any:
    if name == "TensorVariable":
        loaded = _namespace.backend()
        constant = _namespace.backend_module("tensor").TensorConstant  # type: ignore[union-attr]
        shared = _namespace.backend_module("compile").SharedVariable  # type: ignore[union-attr]
        base = loaded.tensor.TensorVariable
        return _namespace.theano_class(base, name, __name__, excluding=(constant, shared))
    return _forward(name)


_forward, __dir__ = _namespace.forward(
    __name__, "tensor.var", _namespace.at("tensor.var", "tensor.variable")
)
