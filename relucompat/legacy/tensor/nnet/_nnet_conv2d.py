"""``theano.tensor.nnet.conv2d``, which Theano 1.0.5 defines in ``nnet/__init__.py``: the
old keywords handled as Theano handles them, then ``abstract_conv.conv2d``."""

from __future__ import annotations

import warnings
from typing import Any, Sequence

from relucompat.legacy.tensor.nnet import abstract_conv


def conv2d(
    input: Any,
    filters: Any,
    input_shape: Any = None,
    filter_shape: Any = None,
    border_mode: Any = "valid",
    subsample: Sequence[int] = (1, 1),
    filter_flip: bool = True,
    image_shape: Any = None,
    filter_dilation: Sequence[int] = (1, 1),
    num_groups: int = 1,
    unshared: bool = False,
    **kwargs: Any,
) -> Any:
    """Convolve a batch of 2D feature-map stacks with a set of 2D filters (Theano 1.0.5).

    ``border_mode``: 'valid', 'full', 'half', a padding int, or a pair of ints or of
    (before, after) pairs. ``filter_flip=True`` is a true convolution (filters flipped),
    False a cross-correlation. ``image_shape`` is the deprecated name of ``input_shape``;
    other keywords are ignored with a warning, as in Theano.
    """
    if "imshp_logical" in kwargs or "kshp_logical" in kwargs:
        raise ValueError(
            "Keyword arguments 'imshp_logical' and 'kshp_logical' for conv2d are not "
            "supported anymore (and have not been a reliable way to perform upsampling). "
            "That feature is still available by calling theano.tensor.nnet.conv.conv2d() "
            "for the time being."
        )
    if kwargs:
        warnings.warn(
            f"{kwargs.keys()} are now deprecated in `tensor.nnet.abstract_conv.conv2d` "
            "interface and will be ignored.",
            stacklevel=2,
        )
    if image_shape is not None:
        warnings.warn(
            "The `image_shape` keyword argument to `tensor.nnet.conv2d` is deprecated, "
            "it has been renamed to `input_shape`.",
            stacklevel=2,
        )
        if input_shape is not None:
            raise ValueError("input_shape and image_shape should not be provided at the same time.")
        input_shape = image_shape
    return abstract_conv.conv2d(
        input,
        filters,
        input_shape,
        filter_shape,
        border_mode,
        subsample,
        filter_flip,
        filter_dilation,
        num_groups,
        unshared,
    )
