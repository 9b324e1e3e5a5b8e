"""Theano's pooling built from the backend's standard ops, for ``signal.pool`` where the
backend has no ``Pool`` that compiles.

Every window is read in one gather (``relucompat.legacy._windows``; taps in the padding or
past the border read the lowest value for max, 0 for sums), then reduced over its taps:
``max``, or a sum in Theano's order (row-major in the window) divided by the window's size.
A max whose windows tile the image (a convnet's usual 2x2, stride 2) is a reshape and a max
instead. So gradients, R_op, every linker and pickling work as for any graph. The gradient
of max pooling gives the upstream gradient to every element equal to its window's max,
ties included, summed over overlapping windows, as Theano's ``MaxPoolGrad``. Callers check
the arguments (``pool._pool``).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

import numpy as np

from relucompat.legacy import _namespace, _windows

__all__ = ["gathered_pool", "out_len", "pool", "tiled_max", "window_taps"]


def __dir__() -> list[str]:
    return __all__


def pool(
    x: Any, ws: Sequence[Any], ignore_border: bool, stride: Sequence[Any], pad: Any, mode: str
) -> Any:
    """The built pooling: a max whose windows tile the image reshapes, anything else
    gathers. ``ws``, ``stride`` and ``pad`` are ints or symbolic scalars."""
    known = all(isinstance(v, int) for v in (*ws, *stride, *pad))
    if known and mode == "max" and tuple(stride) == tuple(ws) and not any(pad):
        tiled = tiled_max(x, ws, ignore_border)
        if tiled is not None:
            return tiled
    return gathered_pool(x, ws, ignore_border, stride, pad, mode)


def tiled_max(x: Any, ws: Sequence[int], ignore_border: bool) -> Optional[Any]:
    """Max pooling whose windows tile the image (stride == ws, no padding, no partial
    window), as a reshape and a max over each window's axes: the gather copies the input
    twice and its gradient scatters into an array of the input's size; this copies nothing
    and its gradient is an elementwise mask. Same values and gradient (every tie gets it).
    None where a partial window stays (``ignore_border=False`` and a size that ``ws`` does
    not divide, or one unknown when the graph is built)."""
    nd = len(ws)
    shape = _windows.static_shape(x)
    lead, sizes = shape[: x.ndim - nd], shape[x.ndim - nd :]
    whole = all(isinstance(v, int) and v % w == 0 for v, w in zip(sizes, ws))
    if not (ignore_border or whole):
        return None
    counts = [v // w for v, w in zip(sizes, ws)]
    crop = tuple(slice(0, n * w) for n, w in zip(counts, ws))  # the border's partial windows
    kept = x if whole else x[(slice(None),) * len(lead) + crop]
    windows = kept.reshape((*lead, *(d for n, w in zip(counts, ws) for d in (n, w))))
    T = _namespace.backend().tensor
    return T.max(windows, axis=tuple(len(lead) + 2 * i + 1 for i in range(nd)))


def window_taps(
    x: Any,
    ws: Sequence[Any],
    ignore_border: bool,
    stride: Sequence[Any],
    pad: Sequence[Any],
    mode: str,
) -> Tuple[Any, Any, Any]:
    """``(taps, pooled, rows)``: every window's taps, ``(taps, positions, images)``; their
    max or sum, ``(1, positions, images)``; and the gathered pixel of each tap."""
    T = _namespace.backend().tensor
    nd = len(ws)
    sizes = _windows.static_shape(x)[x.ndim - nd :]
    counts = [out_len(T, v, w, s, p, ignore_border) for v, w, s, p in zip(sizes, ws, stride, pad)]
    rows = _windows.index(T, sizes, ws, counts, stride, [1] * nd, pad)
    if mode != "max":
        fill: Any = 0
    elif x.dtype.startswith(("int", "uint")):
        fill = np.iinfo(x.dtype).min
    else:
        fill = -np.inf
    taps = _windows.gather(T, x, nd, rows, fill)
    taps = taps.reshape((_windows.product(ws), _windows.product(counts), taps.shape[1]))
    if mode == "max":  # a reduction, whose gradient reaches every tie (not maximum's)
        return taps, T.max(taps, axis=0, keepdims=True), rows
    # Theano's C adds the taps one by one in the output's dtype: so does a sum over axis 0.
    return taps, T.sum(taps, axis=0, keepdims=True, dtype=x.dtype, acc_dtype=x.dtype), rows


def gathered_pool(
    x: Any, ws: Sequence[Any], ignore_border: bool, stride: Sequence[Any], pad: Any, mode: str
) -> Any:
    """The built pooling; ``ws``, ``stride`` and ``pad`` may be symbolic scalars."""
    T = _namespace.backend().tensor
    nd = len(ws)
    taps, pooled, rows = window_taps(x, ws, ignore_border, stride, pad, mode)
    pooled = pooled[0]  # (positions, images)
    if mode.startswith("average"):
        if mode == "average_inc_pad" and ignore_border:
            size: Any = T.cast(_windows.product(ws), x.dtype)
        else:  # the taps in the image (not in the padding, nor past the border)
            pixels = _windows.product(_windows.static_shape(x)[x.ndim - nd :])
            inside = T.neq(rows, pixels)
            size = T.cast(inside.reshape((taps.shape[0], taps.shape[1])).sum(axis=0), x.dtype)
            size = size.dimshuffle(0, "x")
        if x.dtype.startswith(("int", "uint")):  # Theano's C divides ints truncating
            pooled = T.cast(T.sgn(pooled) * (abs(pooled) // size), x.dtype)
        else:
            pooled = pooled / size
    sizes = _windows.static_shape(x)[x.ndim - nd :]
    counts = [out_len(T, v, w, s, p, ignore_border) for v, w, s, p in zip(sizes, ws, stride, pad)]
    lead = [x.shape[i] for i in range(x.ndim - nd)]
    return pooled.T.reshape((*lead, *counts))


def out_len(T: Any, v: Any, w: Any, s: Any, p: Any, ignore_border: bool) -> Any:
    """Theano's ``Pool.out_shape`` in one dimension: windows along an image of length v."""
    if all(isinstance(n, int) for n in (v, w, s, p)):  # known when the graph is built
        if ignore_border:
            return max((v + 2 * p - w) // s + 1, 0)
        return (v - 1) // s + 1 if s >= w else max(0, (v - 1 - w + s) // s) + 1
    if ignore_border:
        return T.maximum((v + 2 * p - w) // s + 1, 0)
    partial = T.maximum(0, (v - 1 - w + s) // s) + 1
    if isinstance(s, int) and isinstance(w, int):
        return (v - 1) // s + 1 if s >= w else partial
    return T.switch(T.ge(s, w), (v - 1) // s + 1, partial)
