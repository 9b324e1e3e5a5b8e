"""Theano's convolution built from the backend's standard tensor ops: im2col and one GEMM.

The padded input is cut into one strided, dilated view per filter tap (plain slices, when
the filter's spatial size is known when the graph is built; else gathered with ``take``),
the views are stacked into a ``(channels * taps, batch * output pixels)`` matrix, and one
``dot`` with the filters reshaped to ``(output channels, channels * taps)`` gives the output
(one ``dot`` per group). Every op is a standard one, so gradients, R_op, every linker and
pickling work as for any other graph. JAX needs every size known when the graph is built:
give ``input_shape`` and ``filter_shape`` (or variables with static shapes) there.
Callers check the arguments (abstract_conv._check).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

Pads = Sequence[Tuple[Any, Any]]


def pads(border_mode: Any, kernel: Sequence[Any], dilation: Sequence[int]) -> Pads:
    """``(before, after)`` zero padding per spatial axis (Theano's ``border_mode_to_pad``),
    for a checked ``border_mode``; ``kernel`` may hold symbolic sizes."""
    dilated = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    if border_mode == "valid":
        return [(0, 0)] * len(kernel)
    if border_mode == "full":
        return [(k - 1, k - 1) for k in dilated]
    if border_mode == "half":
        return [(k // 2, k // 2) for k in dilated]
    if isinstance(border_mode, int):
        return [(border_mode, border_mode)] * len(kernel)
    return [tuple(m) if isinstance(m, tuple) else (m, m) for m in border_mode]


def conv(
    T: Any,
    img: Any,
    kern: Any,
    border_mode: Any,
    subsample: Sequence[int],
    filter_flip: bool,
    filter_dilation: Sequence[int],
    num_groups: int,
    kernel_shape: Sequence[Optional[int]],
) -> Any:
    """Theano's ``AbstractConv`` output for ``img`` (batch, channels, *spatial) and ``kern``
    (out channels, channels / groups, *taps); ``kernel_shape`` has the spatial tap counts
    known when the graph is built (None where unknown)."""
    dims = img.ndim - 2
    spatial = list(range(2, 2 + dims))
    if filter_flip:  # a true convolution: correlate with the filters flipped
        kern = kern[(slice(None), slice(None)) + (slice(None, None, -1),) * dims]
    taps = [k if k is not None else kern.shape[axis] for k, axis in zip(kernel_shape, spatial)]
    padding = pads(border_mode, taps, filter_dilation)
    if any(not (isinstance(p, int) and p == 0) for pair in padding for p in pair):
        shape = [img.shape[0], img.shape[1]]
        shape += [img.shape[a] + lo + hi for a, (lo, hi) in zip(spatial, padding)]
        inside: Tuple[slice, ...] = (slice(None), slice(None))
        inside += tuple(_inner(lo, hi, img.shape[a]) for a, (lo, hi) in zip(spatial, padding))
        img = T.set_subtensor(T.zeros(shape, dtype=img.dtype)[inside], img)
    # Channels first, then batch: the stacked views reshape to the GEMM's matrix for free.
    x = img.dimshuffle(1, 0, *spatial)
    known = [k for k in kernel_shape if k is not None]
    if len(known) == dims:
        columns = x
        for i, (k, d, s) in enumerate(zip(known, filter_dilation, subsample)):
            # Constant bounds only (JAX needs them): tap t spans [t*d, size - (k-1-t)*d).
            at = (slice(None),) * (2 + 2 * i)  # (channels, taps so far, batch, sizes so far)
            views = [columns[(*at, slice(t * d, -(k - 1 - t) * d or None, s))] for t in range(k)]
            columns = T.stack(views, axis=1 + i)
    else:
        columns = gather(T, x, taps, filter_dilation, subsample)
    # (channels, k0, k1, ..., batch, n0, n1, ...): reshaped, the GEMM's right-hand matrix
    size = [columns.shape[a] for a in range(columns.ndim - dims, columns.ndim)]
    columns = columns.reshape((x.shape[0] * _product(taps), -1))
    filters = kern.reshape((kern.shape[0], -1))
    if num_groups == 1:
        out = T.dot(filters, columns)
    else:
        rows, outs = columns.shape[0] // num_groups, kern.shape[0] // num_groups
        out = T.concatenate(
            [
                T.dot(
                    filters[g * outs : (g + 1) * outs],
                    columns[g * rows : (g + 1) * rows],
                )
                for g in range(num_groups)
            ],
            axis=0,
        )
    out = out.reshape([kern.shape[0], img.shape[0], *size]).dimshuffle(1, 0, *spatial)
    if out.dtype != img.dtype:
        out = T.cast(out, img.dtype)
    return out


def gather(
    T: Any, x: Any, taps: List[Any], dilation: Sequence[int], subsample: Sequence[int]
) -> Any:
    """The views of :func:`conv` for tap counts known only at run time: one ``take`` of
    the rows ``out * stride + tap * dilation`` per spatial axis."""
    dims = len(taps)
    for i, (k, d, s) in enumerate(zip(taps, dilation, subsample)):
        n = (x.shape[2 + 2 * i] - (k - 1) * d - 1) // s + 1
        rows = (T.arange(n) * s).dimshuffle(0, "x") + (T.arange(k) * d).dimshuffle("x", 0)
        axis = 2 + 2 * i
        x = T.take(x, rows.flatten(), axis=axis)
        shape = [x.shape[a] for a in range(x.ndim)]
        x = x.reshape([*shape[:axis], n, k, *shape[axis + 1 :]])
    # (channels, batch, n0, k0, n1, k1, ...) -> (channels, k0, k1, ..., batch, n0, n1, ...)
    order = [0] + [3 + 2 * i for i in range(dims)] + [1] + [2 + 2 * i for i in range(dims)]
    return x.dimshuffle(*order)


def _inner(before: Any, after: Any, size: Any) -> slice:
    """Where the input sits in its padded copy: constant bounds when the pads are known."""
    if isinstance(before, int) and isinstance(after, int):
        return slice(before, -after or None)
    return slice(before, before + size)


def _product(values: Sequence[Any]) -> Any:
    result: Any = 1
    for value in values:
        result = result * value
    return result
