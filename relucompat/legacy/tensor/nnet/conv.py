"""``theano.tensor.nnet.conv``: the old ``conv2d`` (Theano's ``ConvOp``), 'valid' or 'full'.

Native (the backend's own ``ConvOp``) exactly where ``abstract_conv.native()`` says the
backend's convolutions compile; else ``abstract_conv``'s built conv with the filters
flipped, which is what ``ConvOp`` computes. The built one also differentiates a strided
'valid' conv, whose gradient Theano's ``ConvOp`` refuses.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.nnet import _conv_built, abstract_conv

__all__ = ["conv2d"]


def __dir__() -> list[str]:
    return __all__


def conv2d(
    input: Any,
    filters: Any,
    image_shape: Any = None,
    filter_shape: Any = None,
    border_mode: str = "valid",
    subsample: Sequence[int] = (1, 1),
    **kargs: Any,
) -> Any:
    """Deprecated in Theano 1.0.5 for ``theano.tensor.nnet.conv2d``, which it warns about."""
    warnings.warn(
        "theano.tensor.nnet.conv.conv2d is deprecated. Use theano.tensor.nnet.conv2d instead.",
        stacklevel=2,
    )
    if border_mode not in ("valid", "full"):
        raise ValueError(f"border_mode must be 'valid' or 'full'; got {border_mode!r}")
    T = _namespace.backend().tensor
    input, filters = T.as_tensor_variable(input), T.as_tensor_variable(filters)
    if abstract_conv.native() is not None:
        conv = _namespace.backend_module("tensor.nnet.conv")
        with warnings.catch_warnings():  # the warning above is the one Theano gives
            warnings.simplefilter("ignore")
            return conv.conv2d(  # type: ignore[union-attr]
                input,
                filters,
                image_shape,
                filter_shape,
                border_mode,
                subsample,
                **kargs,
            )
    checked = abstract_conv.Conv(
        2, image_shape, filter_shape, border_mode, subsample, True, (1, 1), 1
    ).checked(input, filters)
    if input.dtype != filters.dtype:
        raise TypeError(
            f"input and filters must have one dtype; got {input.dtype} and {filters.dtype}"
        )
    return _conv_built.built(input, filters, checked)
