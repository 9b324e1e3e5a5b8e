"""``theano.tensor.basic``: Theano 1.0.5's names that its descendants renamed or dropped.

``abs_`` and ``inv`` became ``abs`` and ``reciprocal``; ``stack(a, b, c)``, Theano's
deprecated varargs form, is refused by PyTensor; ``addbroadcast``, ``unbroadcast`` and
``patternbroadcast`` went with ``Rebroadcast`` when the backends moved to static shapes. Each
is the backend's own where it still has it. Everything else is the backend's
``tensor.basic``, then its ``tensor``.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

from relucompat.legacy import _namespace

__all__ = ["abs_", "addbroadcast", "inv", "patternbroadcast", "stack", "unbroadcast"]


def _tensor() -> Any:
    return _namespace.backend().tensor


def _own(name: str) -> Any:
    """The backend's ``tensor.<name>`` (or ``tensor.shape.<name>``, where Aesara and
    PyTensor keep the broadcast helpers), or None where it dropped it."""
    for module in (_tensor(), _namespace.backend_module("tensor.shape")):
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    return None


def abs_(a: Any) -> Any:
    """``|a|`` elementwise (Theano's name; its descendants call it ``abs``)."""
    own = _own("abs_")
    return own(a) if own is not None else _tensor().abs(a)


def inv(a: Any) -> Any:
    """``1 / a`` elementwise (Theano's name; its descendants call it ``reciprocal``)."""
    own = _own("inv")
    return own(a) if own is not None else _tensor().reciprocal(a)


def stack(*tensors: Any, **kwargs: Any) -> Any:
    """Theano's ``stack``: ``stack(tensors, axis=0)``, and the deprecated ``stack(a, b,
    c)``, which stacks its arguments along a new first axis."""
    if not tensors and not kwargs:
        raise TypeError(
            "theano.tensor.stack(tensors, axis) must have at least one parameter; "
            "pass a list of tensors"
        )
    if not kwargs and not isinstance(tensors[0], (list, tuple)):
        warnings.warn(
            "stack(*tensors) interface is deprecated, use stack(tensors, axis=0) instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        listed: Sequence[Any] = tensors
        axis = 0
    elif "tensors" in kwargs:
        listed, axis = kwargs["tensors"], kwargs.get("axis", 0)
    else:
        axis = tensors[1] if len(tensors) == 2 else kwargs.get("axis", 0)
        listed = tensors[0]
    return _tensor().stack(list(listed), axis=axis)


def addbroadcast(x: Any, *axes: int) -> Any:
    """``x`` with ``axes`` broadcastable, checked to be 1 long when run."""
    own = _own("addbroadcast")
    if own is not None:
        return own(x, *axes)
    x = _tensor().as_tensor_variable(x)
    return _own("specify_broadcastable")(x, *axes) if axes else x


def unbroadcast(x: Any, *axes: int) -> Any:
    """``x`` with ``axes`` no longer broadcastable (a type change; the values are x's)."""
    own = _own("unbroadcast")
    if own is not None:
        return own(x, *axes)
    x = _tensor().as_tensor_variable(x)
    for axis in axes:
        if x.type.shape[axis] == 1:
            # A reshape whose size along ``axis`` is -1 has no static size there, unless
            # every other size is known (PyTensor has no op that forgets one then, and
            # takes the variable wherever the unbroadcast type is expected); the backend's
            # rewrites remove the reshape, so nothing runs.
            sizes = [-1 if i == axis else x.shape[i] for i in range(x.ndim)]
            x = x.reshape(sizes, ndim=x.ndim)
    return x


def patternbroadcast(x: Any, broadcastable: Sequence[bool]) -> Any:
    """``x`` broadcastable exactly on the axes ``broadcastable`` marks."""
    own = _own("patternbroadcast")
    if own is not None:
        return own(x, broadcastable)
    x = _tensor().as_tensor_variable(x)
    if len(broadcastable) != x.ndim:
        raise ValueError(
            f"patternbroadcast needs one flag per axis of x: x has {x.ndim} axes, the "
            f"pattern {tuple(broadcastable)!r} has {len(broadcastable)}"
        )
    # Sizes forgotten first: a reshape forgets one only while another is unknown.
    x = unbroadcast(x, *(i for i, b in enumerate(broadcastable) if not b))
    return addbroadcast(x, *(i for i, b in enumerate(broadcastable) if b))


__getattr__, __dir__ = _namespace.forward(
    __name__, "tensor.basic", _namespace.at("tensor.basic", "tensor")
)
