"""Checks on ``x`` and ``alpha``, made before anything reaches a backend.

numpy is imported inside the functions: ``import relucompat`` stays cheap.
"""

from __future__ import annotations

from typing import Any, Optional

from relucompat.discovery import backend_of

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


def check_x(x: Any) -> None:
    """Raise ``TypeError`` unless ``x`` is a real tensor, array or number."""
    if backend_of(x) is not None:
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


def check_alpha(alpha: Any) -> None:
    """Raise ``TypeError`` unless ``alpha`` is a real number or a real tensor."""
    import numbers

    import numpy as np

    if backend_of(alpha) is not None:
        dtype = _symbolic_dtype(alpha)
        if dtype is None:
            raise TypeError(f"alpha must be a real tensor; got {type(alpha).__name__}")
    elif isinstance(alpha, (bool, np.bool_)):
        raise TypeError("alpha must be a real number, not a bool; use 0 or 1")
    elif isinstance(alpha, numbers.Real):
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


def is_static_zero(alpha: Any) -> bool:
    """Theano's own test, ``alpha == 0``, for values known while building the graph."""
    if backend_of(alpha) is not None:
        return False  # a variable never equals 0 in Python: Theano takes the alpha branch
    size = getattr(alpha, "size", 1)
    return size == 1 and bool(alpha == 0)
