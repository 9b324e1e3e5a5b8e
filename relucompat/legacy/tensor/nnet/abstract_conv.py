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
import inspect
from types import ModuleType
from typing import Any, Optional, Sequence, Tuple

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.nnet import _conv_built

__all__ = [
    "BORDER_MODES",
    "AbstractConv2d",
    "AbstractConv2d_gradInputs",
    "AbstractConv2d_gradWeights",
    "AbstractConv3d",
    "AbstractConv3d_gradInputs",
    "AbstractConv3d_gradWeights",
    "conv2d",
    "conv2d_grad_wrt_inputs",
    "conv2d_grad_wrt_weights",
    "conv2d_transpose",
    "conv3d",
    "conv3d_grad_wrt_inputs",
    "conv3d_grad_wrt_weights",
    "get_conv_output_shape",
    "native",
    "transpose",
]

# The backend's own where its conv compiles, else _conv_ops' (__getattr__).
AbstractConv2d: Any
AbstractConv2d_gradInputs: Any
AbstractConv2d_gradWeights: Any
AbstractConv3d: Any
AbstractConv3d_gradInputs: Any
AbstractConv3d_gradWeights: Any


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
    return transpose(
        "conv2d_grad_wrt_inputs's shape",  # Theano's conv2d_transpose calls that function
        input,
        filters,
        output_shape,
        filter_shape,
        border_mode,
        input_dilation,
        filter_flip,
        filter_dilation,
        num_groups,
        unshared,
    )


def transpose(
    said: str,
    input: Any,
    filters: Any,
    output_shape: Any,
    filter_shape: Any,
    border_mode: Any,
    input_dilation: Sequence[int],
    filter_flip: bool,
    filter_dilation: Sequence[int],
    num_groups: int,
    unshared: bool = False,
) -> Any:
    """:func:`conv2d_transpose`, as :func:`conv2d_grad_wrt_inputs`, with a message about
    ``output_shape`` that names it ``said`` (``relucompat.nn`` names its own argument)."""
    arguments = {
        "output_grad": input,
        "filters": filters,
        "input_shape": output_shape,
        "filter_shape": filter_shape,
        "border_mode": border_mode,
        "subsample": input_dilation,
        "filter_flip": filter_flip,
        "filter_dilation": filter_dilation,
        "num_groups": num_groups,
        "unshared": unshared,
    }
    names = ("input", "filters", said)
    return _grad("conv2d_grad_wrt_inputs", 2, arguments, input, filters, output_shape, names)


def conv2d_grad_wrt_inputs(
    output_grad: Any,
    filters: Any,
    input_shape: Any,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
    unshared: bool = False,
) -> Any:
    """The gradient of ``conv2d`` with respect to its input, whose shape is ``input_shape``
    (the last two entries may be symbolic), for ``output_grad``: a transposed convolution."""
    arguments = dict(locals())
    return _grad("conv2d_grad_wrt_inputs", 2, arguments, output_grad, filters, input_shape)


def conv2d_grad_wrt_weights(
    input: Any,
    output_grad: Any,
    filter_shape: Any,
    input_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
    unshared: bool = False,
) -> Any:
    """The gradient of ``conv2d`` with respect to its filters, whose shape is
    ``filter_shape`` (the last two entries may be symbolic), for ``output_grad``."""
    arguments = dict(locals())
    return _grad("conv2d_grad_wrt_weights", 2, arguments, input, output_grad, filter_shape)


def conv3d_grad_wrt_inputs(
    output_grad: Any,
    filters: Any,
    input_shape: Any,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1, 1),
    num_groups: int = 1,
) -> Any:
    """:func:`conv2d_grad_wrt_inputs` for ``conv3d``."""
    arguments = dict(locals())
    return _grad("conv3d_grad_wrt_inputs", 3, arguments, output_grad, filters, input_shape)


def conv3d_grad_wrt_weights(
    input: Any,
    output_grad: Any,
    filter_shape: Any,
    input_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1, 1),
    filter_flip: bool = True,
    filter_dilation: Sequence[int] = (1, 1, 1),
    num_groups: int = 1,
) -> Any:
    """:func:`conv2d_grad_wrt_weights` for ``conv3d``."""
    arguments = dict(locals())
    return _grad("conv3d_grad_wrt_weights", 3, arguments, input, output_grad, filter_shape)


def _grad(
    name: str,
    convdim: int,
    arguments: dict,
    first: Any,
    second: Any,
    shape: Any,
    said: Optional[Tuple[str, str, str]] = None,
) -> Any:
    """A gradient of the conv: the backend's own function ``name`` where its conv compiles,
    else built (``_conv_built``). ``arguments`` are the function's, by name; ``said`` names
    ``first``, ``second`` and ``shape`` in messages (by default the function's names for
    the first two, and ``name``'s shape)."""
    T = _namespace.backend().tensor
    first, second = T.as_tensor_variable(first), T.as_tensor_variable(second)
    names = said or (*list(arguments)[:2], f"{name}'s shape")
    wrt_inputs = name.endswith("inputs")
    # The filters of an unshared conv have a window per output position: 2 + 2 * convdim.
    ranks = (convdim + 2, convdim * (2 if wrt_inputs and arguments.get("unshared") else 1) + 2)
    for tensor, called, rank in zip((first, second), names, ranks):
        if tensor.ndim != rank:
            raise TypeError(f"{called} must be a {rank}D tensor; got a {tensor.ndim}D one")
    if len(tuple(shape)) not in (convdim, convdim + 2):
        raise ValueError(
            f"{names[2]} must have {convdim + 2} entries (or the {convdim} spatial ones); "
            f"got {shape!r}"
        )
    _border_mode(arguments["border_mode"], convdim)  # worded here, before the backend's
    module = native()
    if module is not None:
        own = getattr(module, name)
        rest = {k: v for k, v in arguments.items() if k in inspect.signature(own).parameters}
        return own(**{**rest, **_named(own, first, second)})
    spec = Conv(
        convdim,
        None if wrt_inputs else arguments.get("input_shape"),
        arguments.get("filter_shape") if wrt_inputs else None,
        arguments["border_mode"],
        arguments["subsample"],
        arguments["filter_flip"],
        arguments["filter_dilation"],
        arguments["num_groups"],
        arguments.get("unshared", False),
    )
    if wrt_inputs:
        return _conv_built.grad_wrt_inputs(first, second, shape, spec)
    return _conv_built.grad_wrt_weights(first, second, shape, spec)


def _named(own: Any, first: Any, second: Any) -> dict:
    """The two tensors, by the backend function's own names for its first two parameters."""
    names = list(inspect.signature(own).parameters)[:2]
    return {names[0]: first, names[1]: second}


def get_conv_output_shape(
    image_shape: Sequence[Any],
    kernel_shape: Sequence[Any],
    border_mode: Any,
    subsample: Sequence[int],
    filter_dilation: Optional[Sequence[int]] = None,
) -> tuple:
    """The shape of a conv's output: (batch, output channels, *spatial), None where a size
    it depends on is None (Theano's)."""
    convdim = len(image_shape) - 2
    dilation = tuple(filter_dilation) if filter_dilation else (1,) * convdim
    mode = _border_mode(border_mode, convdim)
    taps = [k if k is not None else 1 for k in kernel_shape[-convdim:]]
    padding = _conv_built.pads(mode, taps, dilation)
    spatial: list = []
    for size, k, (before, after), d, s in zip(
        image_shape[2:], kernel_shape[-convdim:], padding, dilation, subsample
    ):
        if size is None or k is None:
            spatial.append(None)
        else:
            spatial += _conv_built.output_sizes([size], [k], [(before, after)], [d], [s])
    return (image_shape[0], kernel_shape[0], *spatial)


def _after_filters(arguments: dict) -> list:
    """A conv function's arguments after ``input`` and ``filters``, in order."""
    return [value for name, value in arguments.items() if name not in ("input", "filters")]


def _conv(input: Any, filters: Any, conv: Conv) -> Any:
    T = _namespace.backend().tensor
    input, filters = T.as_tensor_variable(input), T.as_tensor_variable(filters)
    conv = conv.checked(input, filters)
    module = native()
    if module is None:
        return _conv_built.built(input, filters, conv)
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
    image, kernel = _conv_built.known(input, input_shape), _conv_built.known(filters, filter_shape)
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


def __getattr__(name: str) -> Any:
    if name.startswith("AbstractConv") and native() is None:
        from relucompat.legacy.tensor.nnet import _conv_ops

        return getattr(_conv_ops, name)
    return _forward(name)


def _sources() -> list:
    module = native()
    return [module] if module is not None else []


_forward, __dir__ = _namespace.forward(__name__, "tensor.nnet.abstract_conv", _sources)
