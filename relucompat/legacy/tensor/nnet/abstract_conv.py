"""``theano.tensor.nnet.abstract_conv``: ``conv2d``, ``conv3d`` and ``conv2d_transpose``.

Native or built is decided in :func:`native` alone. The backend's own abstract conv is used
where it has Theano's nnet and its ``CorrMM`` (the CPU implementation every abstract conv
is rewritten to) builds: Theano 1.0.5, Theano-PyMC, Aesara 2.8 and PyTensor 2.8. Aesara 2.9's
``CorrMM.make_node`` calls ``tuple()`` with four arguments, so its conv2d can never compile
("AbstractConv2d Aesara rewriting failed: there is no implementation available ..."), with
or without BLAS; PyTensor >= 2.9 has no nnet. There, and wherever the backend has no C
compiler (``config.cxx`` empty: no ``CorrMM``), the conv is built from standard ops
(``_conv_built``). The arguments are checked here, as Theano's ops check them, before either.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any, Optional, Sequence, Tuple

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.nnet import _conv_built

__all__ = ["BORDER_MODES", "conv2d", "conv2d_transpose", "conv3d", "native"]


def __dir__() -> list[str]:
    return __all__


BORDER_MODES = (
    "'valid', 'full', 'half', a non-negative int, or a tuple of {dims} such ints"
    " or (before, after) pairs of them"
)


def native() -> Optional[ModuleType]:
    """The backend's own ``tensor.nnet.abstract_conv`` where its convolutions compile."""
    return _native(_namespace.package())


@functools.lru_cache(maxsize=None)
def _native(package: str) -> Optional[ModuleType]:
    if _namespace.native_nnet() is None or not _namespace.backend().module.config.cxx:
        return None
    corr = _namespace.backend_module("tensor.nnet.corr")
    T = _namespace.backend().tensor
    try:  # building a node compiles nothing
        corr.CorrMM()(T.tensor4(), T.tensor4())  # type: ignore[union-attr]
    except Exception:  # Aesara 2.9: TypeError, tuple expected at most 1 argument, got 4
        return None
    return _namespace.backend_module("tensor.nnet.abstract_conv")


def conv2d(
    input: Any,
    filters: Any,
    input_shape: Any = None,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
    unshared: bool = False,
) -> Any:
    """Theano's ``abstract_conv.conv2d``; see ``theano.tensor.nnet.conv2d``."""
    return _conv(2, **locals())


def conv3d(
    input: Any,
    filters: Any,
    input_shape: Any = None,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1, 1),
    num_groups: int = 1,
) -> Any:
    """Theano's ``abstract_conv.conv3d``: conv2d over (batch, channels, depth, rows, cols)."""
    return _conv(3, unshared=False, **locals())


def conv2d_transpose(
    input: Any,
    filters: Any,
    output_shape: Any,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    input_dilation: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
    unshared: bool = False,
) -> Any:
    """Theano's ``nnet.conv2d_transpose``: the gradient of ``conv2d`` with respect to its
    input, whose shape is ``output_shape``, for an output gradient ``input``."""
    T = _namespace.backend().tensor
    input, filters = T.as_tensor_variable(input), T.as_tensor_variable(filters)
    border_mode = _check(
        2,
        input,
        filters,
        None,
        filter_shape,
        border_mode,
        input_dilation,
        filter_dilation,
        num_groups,
        unshared,
    )
    module = native()
    if module is not None:
        nnet = _namespace.native_nnet()
        return nnet.conv2d_transpose(  # type: ignore[union-attr]
            input,
            filters,
            output_shape,
            filter_shape=filter_shape,
            border_mode=border_mode,
            input_dilation=input_dilation,
            filter_flip=filter_flip,
            filter_dilation=filter_dilation,
            num_groups=num_groups,
            unshared=unshared,
        )
    shape = [input.shape[0], filters.shape[1] * num_groups, output_shape[-2], output_shape[-1]]
    image = T.zeros(shape, dtype=input.dtype)
    out = _built(
        2,
        image,
        filters,
        None,
        filter_shape,
        border_mode,
        input_dilation,
        filter_flip,
        filter_dilation,
        num_groups,
    )
    return _namespace.backend().module.grad(None, wrt=image, known_grads={out: input})


def _conv(
    convdim: int,
    input: Any,
    filters: Any,
    input_shape: Any,
    filter_shape: Any,
    border_mode: Any,
    subsample: Sequence[int],
    filter_flip: bool,
    filter_dilation: Sequence[int],
    num_groups: int,
    unshared: bool,
) -> Any:
    T = _namespace.backend().tensor
    input, filters = T.as_tensor_variable(input), T.as_tensor_variable(filters)
    border_mode = _check(
        convdim,
        input,
        filters,
        input_shape,
        filter_shape,
        border_mode,
        subsample,
        filter_dilation,
        num_groups,
        unshared,
    )
    module = native()
    if module is not None:
        conv = module.conv2d if convdim == 2 else module.conv3d
        extra = {"unshared": unshared} if convdim == 2 else {}
        return conv(  # by keyword: Aesara's and PyTensor's conv2d took image_shape 8th
            input,
            filters,
            input_shape=input_shape,
            filter_shape=filter_shape,
            border_mode=border_mode,
            subsample=tuple(subsample),
            filter_flip=filter_flip,
            filter_dilation=tuple(filter_dilation),
            num_groups=num_groups,
            **extra,
        )
    return _built(
        convdim,
        input,
        filters,
        input_shape,
        filter_shape,
        border_mode,
        subsample,
        filter_flip,
        filter_dilation,
        num_groups,
    )


def _built(
    convdim: int,
    input: Any,
    filters: Any,
    input_shape: Any,
    filter_shape: Any,
    border_mode: Any,
    subsample: Sequence[int],
    filter_flip: bool,
    filter_dilation: Sequence[int],
    num_groups: int,
) -> Any:
    """The conv built from standard ops, for checked arguments (the tests call it on every
    backend, native ones included)."""
    T = _namespace.backend().tensor
    kernel = _known(filters, filter_shape)
    if filter_shape is not None:  # Theano asserts the shapes it is given; so do we
        filters = T.specify_shape(
            filters, [k if k is not None else filters.shape[i] for i, k in enumerate(kernel)]
        )
    if input_shape is not None:
        given = _known(input, input_shape)
        input = T.specify_shape(
            input, [n if n is not None else input.shape[i] for i, n in enumerate(given)]
        )
    taps = [k if k is not None else filters.shape[2 + i] for i, k in enumerate(kernel[2:])]
    padding = _conv_built.pads(border_mode, taps, filter_dilation)
    out = _conv_built.conv(
        T, input, filters, padding, subsample, filter_flip, filter_dilation, num_groups
    )
    pattern = (input.broadcastable[0], filters.broadcastable[0])
    if any(pattern):  # Theano's output is broadcastable where batch and out channels are
        out = T.specify_shape(
            out,
            [1 if b else out.shape[i] for i, b in enumerate(pattern)]
            + [out.shape[i] for i in range(2, out.ndim)],
        )
    return out


def _known(var: Any, given: Any) -> Tuple[Optional[int], ...]:
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


def _check(
    convdim: int,
    input: Any,
    filters: Any,
    input_shape: Any,
    filter_shape: Any,
    border_mode: Any,
    subsample: Sequence[int],
    filter_dilation: Sequence[int],
    num_groups: int,
    unshared: bool,
) -> Any:
    """Theano's checks, worded as sentences; returns the border mode, lists made tuples."""
    rank = 2 + convdim
    kernel_rank = rank + convdim if unshared else rank
    if unshared and native() is None:
        raise NotImplementedError(
            f"conv2d(unshared=True) needs {_namespace.package()}'s own nnet, which this "
            "install lacks; relucompat builds shared-filter convolutions only"
        )
    if input.ndim != rank:
        raise TypeError(
            f"input must be a {rank}D tensor (batch, channels, {_axes(convdim)}); "
            f"got a {input.ndim}D one"
        )
    if filters.ndim != kernel_rank:
        raise TypeError(f"filters must be a {kernel_rank}D tensor; got a {filters.ndim}D one")
    for name, value in (("subsample", subsample), ("filter_dilation", filter_dilation)):
        if len(tuple(value)) != convdim or not all(isinstance(v, int) and v >= 1 for v in value):
            raise ValueError(f"{name} must be a tuple of {convdim} positive ints; got {value!r}")
    if not isinstance(num_groups, int) or num_groups < 1:
        raise ValueError(f"num_groups must be a positive int; got {num_groups!r}")
    border_mode = _border_mode(border_mode, convdim)
    for name, given in (("input_shape", input_shape), ("filter_shape", filter_shape)):
        wanted = rank if name == "input_shape" else kernel_rank
        if given is not None and len(tuple(given)) != wanted:
            raise ValueError(f"{name} must have {wanted} entries; got {given!r}")
    image, kernel = _known(input, input_shape), _known(filters, filter_shape)
    channels, per_group = image[1], kernel[-convdim - 1]
    for name, count in (("input channels", channels), ("filters", kernel[0])):
        if count is not None and count % num_groups:
            raise ValueError(f"num_groups={num_groups} must divide the {name}; got {count}")
    if channels is not None and per_group is not None and channels != per_group * num_groups:
        raise ValueError(
            f"the input has {channels} channels, but the filters expect "
            f"{per_group} x num_groups={num_groups}"
        )
    taps = kernel[-convdim:]
    padding = _conv_built.pads(border_mode, [k or 1 for k in taps], filter_dilation)
    for axis, (size, k, pad) in enumerate(zip(image[2:], taps, padding)):
        if size is None or k is None:
            continue
        span = (k - 1) * filter_dilation[axis] + 1
        if size + sum(pad) < span:
            raise ValueError(
                f"the filters span {span} along spatial axis {axis} (dilation included), "
                f"more than the input's {size} plus padding {pad}"
            )
    return border_mode


def _border_mode(mode: Any, convdim: int) -> Any:
    allowed = BORDER_MODES.format(dims=convdim)
    if isinstance(mode, str):
        if mode not in ("valid", "full", "half"):
            raise ValueError(f"border_mode must be {allowed}; got {mode!r}")
        return mode
    if isinstance(mode, int) and not isinstance(mode, bool):
        if mode < 0:
            raise ValueError(f"border_mode must be {allowed}; got the negative {mode}")
        return mode

    def pad(m: Any) -> bool:
        return isinstance(m, int) and not isinstance(m, bool) and m >= 0

    if isinstance(mode, (tuple, list)) and len(mode) == convdim:
        mode = tuple(tuple(m) if isinstance(m, list) else m for m in mode)
        if all(pad(m) or (isinstance(m, tuple) and len(m) == 2 and all(map(pad, m))) for m in mode):
            return mode
    raise ValueError(f"border_mode must be {allowed}; got {mode!r}")


def _axes(convdim: int) -> str:
    return "rows, columns" if convdim == 2 else "depth, rows, columns"
