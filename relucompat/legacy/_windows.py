"""Sliding windows from standard ops: one integer index and one gather.

The built convolution (``tensor/nnet/_conv_built.py``) and the built pooling
(``tensor/signal/pool.py``) both read an image through windows: for every output position
and every tap of its window, one pixel, or the padding. Here the image's spatial axes are
flattened into the rows of a ``(pixels + 1, images)`` matrix whose last row is a fill value
(0, or the lowest value for max pooling), and one integer vector picks, for each (tap,
position), the row of the pixel under it, or the fill row where the tap falls in the padding
or past the border (the conv reads channel and image axes as one image, channel major, so
that the gather lands in its matrix product's layout: ``index(..., channels=)``). Any
window, stride, dilation and padding is then one ``AdvancedSubtensor1``, so a graph holds a
few standard ops whatever the sizes, every linker has them (its gradient is one op,
``_window_gather``). Sizes, strides, dilations and pads may be ints or symbolic scalars; when
all are ints the index is computed here, with NumPy, and enters the graph as a constant (no
integer graph for JAX to trace or Aesara's R_op to walk); else one op computes it when the
function runs (``_window_index``).
"""

from __future__ import annotations

from typing import Any, Sequence, Tuple

import numpy as np

from relucompat.legacy import _window_gather


def index(
    T: Any,
    sizes: Sequence[Any],
    taps: Sequence[Any],
    counts: Sequence[Any],
    stride: Sequence[Any],
    dilation: Sequence[Any],
    pad: Sequence[Any],
    flip: Any = False,
    wrap: bool = False,
    channels: Any = None,
) -> Any:
    """For each tap (major) and output position (minor), in row-major order over the
    spatial axes, the flat pixel under it, or ``prod(sizes)`` in the padding. ``flip`` (a
    bool or a symbolic one) reverses the taps: a correlation becomes a convolution. With
    ``wrap`` a tap past a border reads the opposite border instead (the image is a torus).
    With ``channels`` the index reads every channel, channel major: ``(channels, taps,
    positions)`` from the channel and image axes, the padding at ``channels * prod(sizes)``
    (a convolution's columns, in the layout of its matrix product). Known sizes give a
    constant; any symbolic one, one op (``_window_index``)."""
    spec = (*sizes, *taps, *counts, *stride, *dilation, *pad, flip)
    spec += (1 if channels is None else channels,)
    by_channel = channels is not None
    if all(isinstance(v, (int, np.integer)) for v in spec):  # flip too: a bool is an int
        return T.constant(static_index(len(sizes), wrap, by_channel, spec))
    from relucompat.legacy import _window_index  # its op's graph is symbolic_index's

    return _window_index.index(T, len(sizes), wrap, by_channel, spec)


def spec_fields(nd: int, spec: Sequence[Any]) -> Tuple[Sequence[Any], ...]:
    """``spec`` (nd sizes, taps, counts, strides, dilations and pads, then flip and
    channels) as those eight."""
    return (*(spec[i * nd : (i + 1) * nd] for i in range(6)), spec[6 * nd], spec[6 * nd + 1])


def static_index(nd: int, wrap: bool, by_channel: bool, spec: Sequence[Any]) -> np.ndarray:
    """:func:`index` with NumPy, for ``spec`` as :func:`spec_fields` reads it (ints)."""
    values = [int(v) for v in spec]
    sizes, taps, counts, stride, dilation, pad, flip, channels = spec_fields(nd, values)
    rows = _index(sizes, taps, counts, stride, dilation, pad, bool(flip), wrap)
    return _by_channel(np, rows, channels, int(np.prod(sizes))) if by_channel else rows


def symbolic_index(T: Any, nd: int, wrap: bool, by_channel: bool, spec: Sequence[Any]) -> Any:
    """:func:`index` as a graph of the backend's tensor ops ``T``, for ``spec`` as
    :func:`spec_fields` reads it (ints or symbolic; flip a bool or a symbolic one)."""
    sizes, taps, counts, stride, dilation, pad, flip, channels = spec_fields(nd, spec)
    flat: Any = 0
    inside: Any = True
    for axis in range(nd):
        tap = T.arange(taps[axis], dtype="int64")
        if flip is True:
            tap = taps[axis] - 1 - tap
        elif flip is not False:
            tap = T.switch(flip, taps[axis] - 1 - tap, tap)
        start = T.arange(counts[axis], dtype="int64") * stride[axis]
        where = tap.dimshuffle(0, "x") * dilation[axis] - pad[axis] + start.dimshuffle("x", 0)
        if wrap:
            where = T.mod(where, sizes[axis])
        pattern: list = ["x"] * (2 * nd)
        pattern[axis], pattern[nd + axis] = 0, 1  # (taps..., positions...)
        ok = T.and_(T.ge(where, 0), T.lt(where, sizes[axis])).dimshuffle(*pattern)
        flat = flat * sizes[axis] + where.dimshuffle(*pattern)
        inside = ok if inside is True else T.and_(inside, ok)
    rows = T.switch(inside, flat, product(sizes)).flatten()
    return _by_channel(T, rows, channels, product(sizes)) if by_channel else rows


def _by_channel(T: Any, rows: Any, channels: Any, pixels: Any) -> Any:
    """``rows`` for every channel, channel major, with NumPy or the backend's tensor ``T``."""
    if T is np:
        by = np.arange(channels)[:, None] * pixels + rows
        return np.where(rows == pixels, channels * pixels, by).ravel()
    by = T.arange(channels, dtype="int64").dimshuffle(0, "x") * pixels + rows.dimshuffle("x", 0)
    return T.switch(T.eq(rows, pixels).dimshuffle("x", 0), channels * pixels, by).flatten()


def _index(
    sizes: Sequence[int],
    taps: Sequence[int],
    counts: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    pad: Sequence[int],
    flip: bool,
    wrap: bool = False,
) -> np.ndarray:
    """The index for sizes known when the graph is built, with NumPy."""
    nd = len(sizes)
    flat: Any = np.zeros((1,) * (2 * nd), dtype="int64")
    inside: Any = np.ones((1,) * (2 * nd), dtype=bool)
    for axis in range(nd):
        tap = np.arange(taps[axis])
        tap = taps[axis] - 1 - tap if flip else tap
        where = tap[:, None] * dilation[axis] - pad[axis] + np.arange(counts[axis]) * stride[axis]
        if wrap:
            where = np.mod(where, sizes[axis])
        shape = [1] * (2 * nd)
        shape[axis], shape[nd + axis] = taps[axis], counts[axis]
        where = where.reshape(shape)
        flat = flat * sizes[axis] + where
        inside = inside & (where >= 0) & (where < sizes[axis])
    return np.where(inside, flat, int(np.prod(sizes))).ravel().astype("int64")


def static_shape(var: Any) -> list:
    """Each dimension of ``var``: an int where its type knows it, else symbolic."""
    known = getattr(var.type, "shape", None) or (None,) * var.ndim
    return [int(n) if n is not None else var.shape[axis] for axis, n in enumerate(known)]


def gather(T: Any, x: Any, nd: int, rows: Any, fill: Any) -> Any:
    """The pixels ``rows`` of every image of ``x`` (its last ``nd`` axes are an image's),
    ``fill`` for the row one past the last pixel: ``(len(rows), images)``."""
    lead = product([x.shape[axis] for axis in range(x.ndim - nd)])
    pixels = x.reshape((lead, product([x.shape[axis] for axis in range(x.ndim - nd, x.ndim)])))
    return _window_gather.gather(T, pixels.T, rows, fill)


def product(values: Sequence[Any]) -> Any:
    result: Any = 1
    for value in values:
        result = result * value
    return result
