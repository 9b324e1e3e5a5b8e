"""Theano's convolution built from the backend's standard tensor ops: im2col and one GEMM.

The image is read through its windows in one gather (``relucompat.legacy._windows``): for
each output position, the pixel under each filter tap (dilation, stride, padding and the
filter flip are in the integer index, so any of them may be symbolic). The gathered
``(positions * batch, taps * channels)`` matrix times the filters reshaped to ``(taps *
channels, output channels)`` is the output (one ``dot`` per group). Every op is a standard
one, so gradients, R_op, every linker and pickling work as for any other graph. JAX needs
every size known when the graph is built: give ``input_shape`` and ``filter_shape`` (or
variables with static shapes) there. Callers check the arguments (abstract_conv._check).
"""

from __future__ import annotations

from typing import Any, Sequence, Tuple

from relucompat.legacy import _windows

Pads = Sequence[Tuple[Any, Any]]


def pads(border_mode: Any, kernel: Sequence[Any], dilation: Sequence[Any]) -> Pads:
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
    padding: Pads,
    subsample: Sequence[Any],
    filter_flip: Any,
    filter_dilation: Sequence[Any],
    num_groups: int,
) -> Any:
    """Theano's ``AbstractConv`` output for ``img`` (batch, channels, *spatial) and ``kern``
    (out channels, channels / groups, *taps), with ``padding`` from :func:`pads`."""
    dims = img.ndim - 2
    sizes = _windows.static_shape(img)[2:]
    taps = _windows.static_shape(kern)[2:]
    counts = [
        (size + before + after - (k - 1) * d - 1) // s + 1
        for size, k, (before, after), d, s in zip(sizes, taps, padding, filter_dilation, subsample)
    ]
    rows = _windows.index(
        T,
        sizes,
        taps,
        counts,
        subsample,
        filter_dilation,
        [before for before, _ in padding],
        flip=filter_flip,
    )
    batch, channels, filters = img.shape[0], img.shape[1], kern.shape[0]
    k, n = _windows.product(taps), _windows.product(counts)
    # (taps, positions, batch, channels) -> (positions, batch, taps, channels)
    columns = _windows.gather(T, img, dims, rows, 0).reshape((k, n, batch, channels))
    columns = columns.dimshuffle(1, 2, 0, 3)
    weights = kern.reshape((filters, kern.shape[1], k)).dimshuffle(2, 1, 0)  # (taps, c, out)
    per_group, outs = channels // num_groups, filters // num_groups
    parts = [
        T.dot(
            columns[:, :, :, g * per_group : (g + 1) * per_group].reshape((n * batch, -1)),
            weights[:, :, g * outs : (g + 1) * outs].reshape((-1, outs)),
        )
        if num_groups > 1
        else T.dot(columns.reshape((n * batch, -1)), weights.reshape((-1, filters)))
        for g in range(num_groups)
    ]
    out = parts[0] if num_groups == 1 else T.concatenate(parts, axis=1)
    out = out.reshape((n, batch, filters)).dimshuffle(1, 2, 0)
    out = out.reshape((batch, filters, *counts))
    if out.dtype != img.dtype:
        out = T.cast(out, img.dtype)
    return out
