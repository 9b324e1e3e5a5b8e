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

import dataclasses
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


@dataclasses.dataclass(frozen=True)
class Conv:
    """What a convolution computes, as Theano's ``AbstractConv`` op holds it."""

    convdim: int
    input_shape: Any
    filter_shape: Any
    border_mode: Any
    subsample: Sequence[int]
    filter_flip: bool
    filter_dilation: Sequence[int]
    num_groups: int
    unshared: bool = False

    def checked(self, input: Any, filters: Any) -> Conv:
        """Checked against ``input`` and ``filters`` as Theano checks, the border mode's
        lists made tuples."""
        return dataclasses.replace(self, border_mode=_check(self, input, filters))


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
    return _conv(input, filters, Conv(2, *_after_filters(locals())))


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
    return _conv(input, filters, Conv(3, *_after_filters(locals())))


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
    conv = Conv(
        2,
        None,
        filter_shape,
        border_mode,
        input_dilation,
        filter_flip,
        filter_dilation,
        num_groups,
        unshared,
    ).checked(input, filters)
    if native() is not None:
        nnet = _namespace.native_nnet()
        return nnet.conv2d_transpose(  # type: ignore[union-attr]
            input,
            filters,
            output_shape,
            filter_shape=filter_shape,
            border_mode=conv.border_mode,
            input_dilation=input_dilation,
            filter_flip=filter_flip,
            filter_dilation=filter_dilation,
            num_groups=num_groups,
            unshared=unshared,
        )
    shape = [input.shape[0], filters.shape[1] * num_groups, output_shape[-2], output_shape[-1]]
    image = T.zeros(shape, dtype=input.dtype)
    out = _built(image, filters, conv)
    return _namespace.backend().module.grad(None, wrt=image, known_grads={out: input})


def _after_filters(arguments: dict) -> list:
    """A conv function's arguments after ``input`` and ``filters``, in order."""
    return [value for name, value in arguments.items() if name not in ("input", "filters")]


def _conv(input: Any, filters: Any, conv: Conv) -> Any:
    T = _namespace.backend().tensor
    input, filters = T.as_tensor_variable(input), T.as_tensor_variable(filters)
    conv = conv.checked(input, filters)
    module = native()
    if module is None:
        return _built(input, filters, conv)
    function = module.conv2d if conv.convdim == 2 else module.conv3d
    extra = {"unshared": conv.unshared} if conv.convdim == 2 else {}
    return function(  # by keyword: Aesara's and PyTensor's conv2d took image_shape 8th
        input,
        filters,
        input_shape=conv.input_shape,
        filter_shape=conv.filter_shape,
        border_mode=conv.border_mode,
        subsample=tuple(conv.subsample),
        filter_flip=conv.filter_flip,
        filter_dilation=tuple(conv.filter_dilation),
        num_groups=conv.num_groups,
        **extra,
    )


def _built(input: Any, filters: Any, conv: Conv) -> Any:
    """The conv built from standard ops, for checked arguments (the tests call it on every
    backend, native ones included)."""
    T = _namespace.backend().tensor
    input_shape, filter_shape = conv.input_shape, conv.filter_shape
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
    padding = _conv_built.pads(conv.border_mode, taps, conv.filter_dilation)
    out = _conv_built.conv(
        T,
        input,
        filters,
        padding,
        conv.subsample,
        conv.filter_flip,
        conv.filter_dilation,
        conv.num_groups,
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


def _check(conv: Conv, input: Any, filters: Any) -> Any:
    """Theano's checks, worded as sentences; returns the border mode, lists made tuples."""
    convdim, input_shape, filter_shape = conv.convdim, conv.input_shape, conv.filter_shape
    subsample, filter_dilation = conv.subsample, conv.filter_dilation
    num_groups, unshared, border_mode = conv.num_groups, conv.unshared, conv.border_mode
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
