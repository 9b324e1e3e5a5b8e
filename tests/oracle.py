"""NumPy oracles for the ``"strict"`` contract, written from the README's words.

They are deliberately naive (one ``np.where`` per sentence of the contract) so that a
reader can check them against the README, and the backends against them.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def is_zero(alpha: Any) -> bool:
    return np.ndim(alpha) == 0 and not hasattr(alpha, "type") and alpha == 0


def dtype(x_dtype: str, alpha: Any) -> str:
    """The README's dtype table."""
    if is_zero(alpha):
        return x_dtype
    if np.ndim(alpha) == 0 and not isinstance(alpha, np.ndarray):
        return x_dtype if np.dtype(x_dtype).kind == "f" else "float64"
    promoted = np.result_type(x_dtype, np.asarray(alpha).dtype)
    return "float64" if promoted.kind in "iu" else str(promoted)


def forward(x: np.ndarray, alpha: Any = 0) -> np.ndarray:
    """x where x > 0; +0 where x <= 0 (alpha == 0) or alpha * x (otherwise); NaN stays."""
    out = np.dtype(dtype(str(x.dtype), alpha))
    x = x.astype(out)
    a = np.asarray(alpha, dtype=out)
    with np.errstate(invalid="ignore", over="ignore"):
        negative = np.where(a == 0, out.type(0), a * x)
    return np.where(x <= 0, negative, x).astype(out)


def grad_x(x: np.ndarray, g: np.ndarray, alpha: Any = 0) -> np.ndarray:
    """g where x > 0, alpha * g elsewhere (so 0 * g at 0 and at NaN for plain relu)."""
    out = np.dtype(dtype(str(x.dtype), alpha))
    x, g = x.astype(out), g.astype(out)
    slope = np.where(x > 0, out.type(1), np.asarray(alpha, dtype=out))
    with np.errstate(invalid="ignore", over="ignore"):
        return (g * slope).astype(out)


def grad_alpha(x: np.ndarray, g: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """g * x where x <= 0, 0 elsewhere, summed over the axes along which alpha broadcasts."""
    out = np.dtype(dtype(str(x.dtype), alpha))
    x, g = x.astype(out), g.astype(out)
    with np.errstate(invalid="ignore", over="ignore"):
        each = np.where(x <= 0, g * x, out.type(0))
        axes = tuple(range(each.ndim - alpha.ndim))
        total = each.sum(axis=axes) if axes else each
    return np.asarray(total, dtype=alpha.dtype)
