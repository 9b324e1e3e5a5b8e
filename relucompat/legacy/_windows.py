"""Sliding windows from standard ops: one integer index and one gather.

The built convolution (``tensor/nnet/_conv_built.py``) and the built pooling
(``tensor/signal/pool.py``) both read an image through windows: for every output position
and every tap of its window, one pixel, or the padding. Here the image's spatial axes are
flattened into the rows of a ``(pixels + 1, images)`` matrix whose last row is a fill value
(0, or the lowest value for max pooling), and one integer vector picks, for each (tap,
position), the row of the pixel under it, or the fill row where the tap falls in the padding
or past the border. Any window, stride, dilation and padding is then one
``AdvancedSubtensor1`` (its gradient one ``AdvancedIncSubtensor1``), so a graph holds a few
standard ops whatever the sizes, every linker has them, and the index is folded into a
constant when the sizes are known. Sizes, strides, dilations and pads may be ints or
symbolic scalars.
"""

from __future__ import annotations

from typing import Any, Sequence


def index(
    T: Any,
    sizes: Sequence[Any],
    taps: Sequence[Any],
    counts: Sequence[Any],
    stride: Sequence[Any],
    dilation: Sequence[Any],
    pad: Sequence[Any],
    flip: Any = False,
) -> Any:
    """For each tap (major) and output position (minor), in row-major order over the
    spatial axes, the flat pixel under it, or ``prod(sizes)`` in the padding. ``flip`` (a
    bool or a symbolic one) reverses the taps: a correlation becomes a convolution."""
    nd = len(sizes)
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
        pattern: list = ["x"] * (2 * nd)
        pattern[axis], pattern[nd + axis] = 0, 1  # (taps..., positions...)
        ok = T.and_(T.ge(where, 0), T.lt(where, sizes[axis])).dimshuffle(*pattern)
        flat = flat * sizes[axis] + where.dimshuffle(*pattern)
        inside = ok if inside is True else T.and_(inside, ok)
    return T.switch(inside, flat, product(sizes)).flatten()


def gather(T: Any, x: Any, nd: int, rows: Any, fill: Any) -> Any:
    """The pixels ``rows`` of every image of ``x`` (its last ``nd`` axes are an image's),
    ``fill`` for the row one past the last pixel: ``(len(rows), images)``."""
    lead = product([x.shape[axis] for axis in range(x.ndim - nd)])
    pixels = x.reshape((lead, product([x.shape[axis] for axis in range(x.ndim - nd, x.ndim)])))
    padding = T.alloc(T.cast(fill, x.dtype), 1, lead)
    return T.concatenate([pixels.T, padding], axis=0)[rows]


def product(values: Sequence[Any]) -> Any:
    result: Any = 1
    for value in values:
        result = result * value
    return result
