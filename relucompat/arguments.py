"""What ``relu`` knows of ``x`` and ``alpha`` before anything reaches a backend: the checks,
and the facts the route and the formulations use, computed once per call (:func:`read`).

numpy is imported inside the functions: ``import relucompat`` stays cheap.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple, Optional

from relucompat.discovery import backend_of
from relucompat.lineage import Backend

__all__ = ["Arguments", "read"]


def __dir__() -> list[str]:
    return __all__


class Arguments(NamedTuple):
    """The facts of one call's arguments, read once (:func:`read`)."""

    x_owner: Optional[Backend]  # the backend x is a variable of, or None for a number/array
    alpha_owner: Optional[Backend]  # likewise for alpha: a symbolic alpha has one
    alpha_is_zero: bool  # Theano's ``alpha == 0``: known to be 0 while building the graph


def read(x: Any, alpha: Any = 0) -> Arguments:
    """Check ``x`` and ``alpha`` (``TypeError``/``ValueError`` naming the problem and the
    fix) and return what the route and the formulations need to know of them."""
    x_owner, alpha_owner = backend_of(x), backend_of(alpha)
    check_x(x, x_owner)
    check_alpha(alpha, alpha_owner)
    check_broadcast(static_shape(x, x_owner), static_shape(alpha, alpha_owner))
    # Theano's own test; a variable never equals 0 in Python, so it takes the alpha branch.
    zero = alpha_owner is None and getattr(alpha, "size", 1) == 1 and bool(alpha == 0)
    return Arguments(x_owner, alpha_owner, zero)


_KIND_BY_PREFIX = (("uint", "u"), ("int", "i"), ("float", "f"), ("complex", "c"), ("bool", "b"))


def kind(dtype: str) -> str:
    """numpy's one-letter kind of a dtype name, without importing numpy."""
    return next((k for prefix, k in _KIND_BY_PREFIX if dtype.startswith(prefix)), "?")


def _dtype_problem(dtype: str, what: str) -> Optional[str]:
    found = kind(dtype)
    if found in "iuf" and found != "?":
        return None
    if found == "b":
        return (
            f"relu is undefined for a bool {what}: a boolean has no sign to rectify. "
            f"Cast it first, e.g. to 'int8' or 'float32'."
        )
    if found == "c":
        return (
            f"relu is undefined for a complex {what} ({dtype}): complex numbers are not "
            f"ordered, so 'x > 0' has no meaning. Apply relu to the real part or to abs()."
        )
    return (
        f"relu needs a real numeric {what}; got dtype {dtype}. "
        f"Pass a symbolic tensor, a numpy array or a Python number."
    )


def _symbolic_dtype(obj: Any) -> Optional[str]:
    dtype = getattr(obj, "dtype", None)
    return dtype if isinstance(dtype, str) else None


def check_x(x: Any, owner: Optional[Backend]) -> None:
    """Raise ``TypeError`` unless ``x`` is a real tensor, array or number."""
    if owner is not None:
        dtype = _symbolic_dtype(x)
        if dtype is None:
            raise TypeError(
                f"relu needs a tensor; got {type(x).__name__} {x!r}, which has no tensor dtype"
            )
    else:
        if x is None or isinstance(x, (str, bytes)):
            raise TypeError(
                f"relu needs a tensor, a numpy array or a number; got {type(x).__name__}"
            )
        import numpy as np

        try:
            dtype = str(np.asarray(x).dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"relu needs a tensor, a numpy array or a number; could not read a "
                f"{type(x).__name__} as an array ({exc})"
            ) from None
    problem = _dtype_problem(dtype, "input")
    if problem:
        raise TypeError(problem)


def check_alpha(alpha: Any, owner: Optional[Backend]) -> None:
    """Raise ``TypeError`` unless ``alpha`` is a real number or a real tensor."""
    import numpy as np

    if owner is not None:
        dtype = _symbolic_dtype(alpha)
        if dtype is None:
            raise TypeError(f"alpha must be a real tensor; got {type(alpha).__name__}")
    elif isinstance(alpha, (bool, np.bool_)):
        raise TypeError("alpha must be a real number, not a bool; use 0 or 1")
    elif isinstance(alpha, numbers.Real):
        if isinstance(alpha, int) and not -(2**63) <= alpha < 2**63:
            raise ValueError(
                f"alpha={alpha} is too large for an int64 constant; pass float(alpha) instead"
            )
        return
    elif isinstance(alpha, (np.ndarray, np.generic)):
        dtype = str(alpha.dtype)
    else:
        raise TypeError(
            f"alpha must be a real number or a real tensor; got {type(alpha).__name__} {alpha!r}"
        )
    problem = _dtype_problem(dtype, "alpha")
    if problem:
        raise TypeError(problem)


def check_broadcast(x_shape: Optional[tuple], alpha_shape: Optional[tuple]) -> None:
    """Raise ``ValueError`` when the shapes known now already show that ``alpha`` cannot
    broadcast against ``x`` (a backend would fail later, deep inside its compiler)."""
    if x_shape is None or alpha_shape is None:
        return
    for offset in range(1, min(len(x_shape), len(alpha_shape)) + 1):
        a, b = x_shape[-offset], alpha_shape[-offset]
        if a is not None and b is not None and a != b and 1 not in (a, b):
            raise ValueError(
                f"alpha of shape {_show(alpha_shape)} does not broadcast against x of shape "
                f"{_show(x_shape)}: their dimension {-offset} is {b} against {a}. Give alpha "
                f"length 1 or {a} there, or fewer dimensions."
            )


def static_shape(obj: Any, owner: Optional[Backend]) -> Optional[tuple]:
    """The shape known before running: a length, or None where only run time knows it."""
    if owner is not None:
        kind = getattr(obj, "type", None)
        shape = getattr(kind, "shape", None)  # PyTensor and newer Aesara
        if isinstance(shape, tuple):
            return shape
        broadcastable = getattr(kind, "broadcastable", None)  # Theano: a length-1 flag
        if isinstance(broadcastable, tuple):
            return tuple(1 if flag else None for flag in broadcastable)
        return None
    if isinstance(obj, numbers.Number):
        return ()
    shape = getattr(obj, "shape", None)
    return tuple(shape) if isinstance(shape, tuple) else None


def _show(shape: tuple) -> str:
    return (
        "("
        + ", ".join("?" if n is None else str(n) for n in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )
