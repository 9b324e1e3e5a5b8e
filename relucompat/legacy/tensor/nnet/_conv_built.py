"""Theano's convolution built from the backend's standard tensor ops: im2col and one GEMM.

The image is read through its windows in one gather (``relucompat.legacy._windows``): for
each channel, filter tap and output position, the pixel under it (dilation, stride, padding
and the filter flip are in the integer index, so any of them may be symbolic). The filters
reshaped to ``(output channels, channels * taps)`` times the gathered ``(channels * taps,
positions * batch)`` matrix is the output (one ``dot`` per group), as Theano's ``CorrMM``
multiplies its im2col columns; the gather lands in that layout, so neither it nor its
gradient is copied again. Every op is a standard one, so gradients, R_op, every linker and
pickling work as for any other graph; :func:`built` runs that graph, and its gradients, as
ops (``_conv_op``), so that the window matrix is not held from the forward pass to the
backward one. JAX needs every size known when the graph is built:
give ``input_shape`` and ``filter_shape`` (or variables with static shapes) there. Callers
check the arguments (abstract_conv._check).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

from relucompat.legacy import _namespace, _windows
from relucompat.legacy.tensor.nnet import _conv_op

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


def output_sizes(
    sizes: Sequence[Any],
    taps: Sequence[Any],
    padding: Pads,
    dilation: Sequence[Any],
    subsample: Sequence[Any],
) -> list:
    """The output's size along each spatial axis (ints or symbolic, as the arguments)."""
    return [
        (size + before + after - (k - 1) * d - 1) // s + 1
        for size, k, (before, after), d, s in zip(sizes, taps, padding, dilation, subsample)
    ]


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
    channels, *sizes = _windows.static_shape(img)[1:]
    taps = _windows.static_shape(kern)[2:]
    counts = output_sizes(sizes, taps, padding, filter_dilation, subsample)
    batch, filters = img.shape[0], kern.shape[0]
    rows = _windows.index(
        T,
        sizes,
        taps,
        counts,
        subsample,
        filter_dilation,
        [before for before, _ in padding],
        flip=filter_flip,
        channels=channels,
    )
    k, n = _windows.product(taps), _windows.product(counts)
    # Channel major, as Theano's im2col: (channels * taps, positions * batch) with no copy
    # after the gather, and the filters' own (out, channels / groups * taps) layout.
    columns = _windows.gather(T, img, dims + 1, rows, 0).reshape((channels * k, n * batch))
    weights = kern.reshape((filters, kern.shape[1] * k))
    rows_per_group, outs = channels // num_groups * k, filters // num_groups
    parts = [
        T.dot(
            weights[g * outs : (g + 1) * outs],
            columns[g * rows_per_group : (g + 1) * rows_per_group],
        )
        if num_groups > 1
        else T.dot(weights, columns)
        for g in range(num_groups)
    ]
    out = parts[0] if num_groups == 1 else T.concatenate(parts, axis=0)
    out = out.reshape((filters, n, batch)).dimshuffle(2, 0, 1)
    out = out.reshape((batch, filters, *counts))
    if out.dtype != img.dtype:
        out = T.cast(out, img.dtype)
    return out


def built(input: Any, filters: Any, spec: Any) -> Any:
    """The conv built from standard ops, as one op (``_conv_op``), for ``spec`` (an
    ``abstract_conv.Conv``) checked against ``input`` and ``filters`` (the tests call it on
    every backend, native ones included)."""
    T = _namespace.backend().tensor
    input_shape, filter_shape = spec.input_shape, spec.filter_shape
    kernel = known(filters, filter_shape)
    if filter_shape is not None:  # Theano asserts the shapes it is given; so do we
        filters = T.specify_shape(
            filters, [k if k is not None else filters.shape[i] for i, k in enumerate(kernel)]
        )
    if input_shape is not None:
        given = known(input, input_shape)
        input = T.specify_shape(
            input, [n if n is not None else input.shape[i] for i, n in enumerate(given)]
        )
    out = _conv_op.conv(input, filters, _conv_op.params_of(spec))
    pattern = (input.broadcastable[0], filters.broadcastable[0])
    if any(pattern):  # Theano's output is broadcastable where batch and out channels are
        out = T.specify_shape(
            out,
            [1 if b else out.shape[i] for i, b in enumerate(pattern)]
            + [out.shape[i] for i in range(2, out.ndim)],
        )
    return out


def known(var: Any, given: Any) -> Tuple[Optional[int], ...]:
    """Each dimension's size where ``given`` or the variable's static type says it."""
    static = tuple(getattr(var.type, "shape", None) or (None,) * var.ndim)
    if given is None:
        return static
    return tuple(_int(g) if g is not None else s for g, s in zip(given, static))


def _int(value: Any) -> Optional[int]:
    try:
        return int(value)
    except TypeError:  # a symbolic constant
        return int(value.data) if hasattr(value, "data") else None


def grad_wrt_inputs(output_grad: Any, filters: Any, input_shape: Sequence[Any], spec: Any) -> Any:
    """The gradient of the built conv ``spec`` with respect to an input whose spatial
    shape ends ``input_shape`` (ints or symbolic), for the output gradient ``output_grad``:
    a transposed convolution. The input it differentiates at is zeros; only its shape
    enters the graph."""
    T = _namespace.backend().tensor
    dims = filters.ndim - 2
    spatial = list(input_shape)[-dims:]
    image = T.zeros(
        [output_grad.shape[0], filters.shape[1] * spec.num_groups, *spatial],
        dtype=output_grad.dtype,
    )
    out = built(image, filters, spec.checked(image, filters))
    return _namespace.backend().module.grad(None, wrt=image, known_grads={out: output_grad})


def grad_wrt_weights(input: Any, output_grad: Any, filter_shape: Sequence[Any], spec: Any) -> Any:
    """The gradient of the built conv ``spec`` with respect to filters whose spatial shape
    ends ``filter_shape``, for the output gradient ``output_grad`` (a dilated or strided
    correlation of ``input`` with it)."""
    T = _namespace.backend().tensor
    dims = input.ndim - 2
    spatial = list(filter_shape)[-dims:]
    kernel = T.zeros(
        [output_grad.shape[1], input.shape[1] // spec.num_groups, *spatial], dtype=input.dtype
    )
    out = built(input, kernel, spec.checked(input, kernel))
    return _namespace.backend().module.grad(None, wrt=kernel, known_grads={out: output_grad})
