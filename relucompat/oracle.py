"""NumPy references for both semantics: what ``relu`` must compute, without a backend.

The strict ones are deliberately naive, one ``np.where`` per sentence of docs/semantics.md's
contract, so that a reader can check them against it. ``doctor`` checks the active backend
against them, and so do the tests on every backend.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["strict_forward", "strict_grad_alpha", "strict_grad_x", "theano_forward", "theano_grad"]


def __dir__() -> list[str]:
    return __all__


def theano_forward(x: np.ndarray) -> np.ndarray:
    """Theano 1.0.5's ``0.5*(x+abs(x))`` as its C code computed it: the sum in x's dtype
    (integers wrap: uint8 200 gives 72), except that float16 was computed in float32; then
    times a float32 0.5, so the result is x's dtype promoted with float32."""
    out = np.result_type(x.dtype, np.float32)
    if x.dtype == np.float16:
        x = x.astype(np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        total = x + np.abs(x)
    return total.astype(out) * out.type(0.5)


def theano_grad(x: np.ndarray) -> np.ndarray:
    """The gradient of ``sum(theano_forward(x))``: 0.5 * (1 + sign(x)), NaN at NaN."""
    with np.errstate(invalid="ignore"):
        return (np.float32(0.5) * (1 + np.sign(x))).astype(x.dtype)


def is_zero(alpha: Any) -> bool:
    return np.ndim(alpha) == 0 and not hasattr(alpha, "type") and alpha == 0


def strict_dtype(x_dtype: str, alpha: Any) -> str:
    """The dtype table of docs/semantics.md."""
    if is_zero(alpha):
        return x_dtype
    if np.ndim(alpha) == 0 and not isinstance(alpha, np.ndarray):
        return x_dtype if np.dtype(x_dtype).kind == "f" else "float64"
    promoted = np.result_type(x_dtype, np.asarray(alpha).dtype)
    return "float64" if promoted.kind in "iu" else str(promoted)


def strict_forward(x: np.ndarray, alpha: Any = 0) -> np.ndarray:
    """x where x > 0; +0 where x <= 0 (alpha == 0) or alpha * x (otherwise); NaN stays."""
    out: np.dtype = np.dtype(strict_dtype(str(x.dtype), alpha))
    x = x.astype(out)
    a = np.asarray(alpha, dtype=out)
    with np.errstate(invalid="ignore", over="ignore"):
        negative = np.where(a == 0, out.type(0), a * x)
    return np.where(x <= 0, negative, x).astype(out)


def strict_grad_x(x: np.ndarray, g: np.ndarray, alpha: Any = 0) -> np.ndarray:
    """g where x > 0, alpha * g elsewhere (so 0 * g at 0 and at NaN for plain relu)."""
    out: np.dtype = np.dtype(strict_dtype(str(x.dtype), alpha))
    x, g = x.astype(out), g.astype(out)
    slope = np.where(x > 0, out.type(1), np.asarray(alpha, dtype=out))
    with np.errstate(invalid="ignore", over="ignore"):
        return (g * slope).astype(out)


def strict_grad_alpha(x: np.ndarray, g: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """g * x where x <= 0, 0 elsewhere, summed over the axes along which alpha broadcasts."""
    out: np.dtype = np.dtype(strict_dtype(str(x.dtype), alpha))
    x, g = x.astype(out), g.astype(out)
    with np.errstate(invalid="ignore", over="ignore"):
        each = np.where(x <= 0, g * x, out.type(0))
        axes = tuple(range(each.ndim - alpha.ndim))
        total = each.sum(axis=axes) if axes else each
    return np.asarray(total, dtype=alpha.dtype)
