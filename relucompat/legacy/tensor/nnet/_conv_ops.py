"""Theano's ``AbstractConv`` op classes, for the backends where relucompat builds the conv.

Libraries build transposed and dilated convolutions from the ops themselves: Lasagne's
``TransposedConv2DLayer`` calls ``AbstractConv2d_gradInputs(imshp, kshp, ...)(W, input,
output_size)``, its ``DilatedConv2DLayer`` ``AbstractConv2d_gradWeights(...)(input, W,
output_size)``. Here each class holds the op's arguments and, called, builds what the op
computed through ``abstract_conv``'s functions: the same checks, the same built graph.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from relucompat.legacy.tensor.nnet import abstract_conv


class _AbstractConv:
    """Theano's ``BaseAbstractConv``: the arguments every conv op takes."""

    convdim = 2
    __props__ = (
        "convdim",
        "border_mode",
        "subsample",
        "filter_flip",
        "imshp",
        "kshp",
        "filter_dilation",
        "num_groups",
        "unshared",
    )

    def __init__(
        self,
        imshp: Optional[Sequence[Any]] = None,
        kshp: Optional[Sequence[Any]] = None,
        border_mode: Any = "valid",
        subsample: Optional[Sequence[int]] = None,
        filter_flip: bool = True,
        filter_dilation: Optional[Sequence[int]] = None,
        num_groups: int = 1,
        unshared: bool = False,
    ) -> None:
        ones = (1,) * self.convdim
        self.imshp = tuple(imshp) if imshp is not None else (None,) * (2 + self.convdim)
        self.kshp = tuple(kshp) if kshp is not None else (None,) * (2 + self.convdim)
        self.border_mode = border_mode
        self.subsample = tuple(subsample) if subsample is not None else ones
        self.filter_flip = filter_flip
        self.filter_dilation = tuple(filter_dilation) if filter_dilation is not None else ones
        self.num_groups = num_groups
        self.unshared = unshared

    def _shapes(self) -> dict:
        known = lambda shape: None if all(s is None for s in shape) else shape  # noqa: E731
        return {"input_shape": known(self.imshp), "filter_shape": known(self.kshp)}

    def _rest(self) -> dict:
        rest = {
            "border_mode": self.border_mode,
            "subsample": self.subsample,
            "filter_flip": self.filter_flip,
            "filter_dilation": self.filter_dilation,
            "num_groups": self.num_groups,
        }
        if self.convdim == 2:
            rest["unshared"] = self.unshared
        return rest


class AbstractConv2d(_AbstractConv):
    """Theano's conv op: ``AbstractConv2d(...)(img, kern)`` is ``conv2d``."""

    def __call__(self, img: Any, kern: Any) -> Any:
        function = abstract_conv.conv2d if self.convdim == 2 else abstract_conv.conv3d
        return function(img, kern, **self._shapes(), **self._rest())


class AbstractConv2d_gradInputs(_AbstractConv):
    """``AbstractConv2d_gradInputs(...)(kern, topgrad, shape)``: the gradient of the conv
    with respect to an input whose spatial shape is ``shape``."""

    def __call__(self, kern: Any, topgrad: Any, shape: Sequence[Any]) -> Any:
        function = (
            abstract_conv.conv2d_grad_wrt_inputs
            if self.convdim == 2
            else abstract_conv.conv3d_grad_wrt_inputs
        )
        filter_shape = self._shapes()["filter_shape"]
        return function(topgrad, kern, tuple(shape), filter_shape, **self._rest())


class AbstractConv2d_gradWeights(_AbstractConv):
    """``AbstractConv2d_gradWeights(...)(img, topgrad, shape)``: the gradient of the conv
    with respect to filters whose spatial shape is ``shape``."""

    def __call__(self, img: Any, topgrad: Any, shape: Sequence[Any]) -> Any:
        function = (
            abstract_conv.conv2d_grad_wrt_weights
            if self.convdim == 2
            else abstract_conv.conv3d_grad_wrt_weights
        )
        input_shape = self._shapes()["input_shape"]
        return function(img, topgrad, tuple(shape), input_shape, **self._rest())


class AbstractConv3d(AbstractConv2d):
    """``AbstractConv2d`` over (batch, channels, depth, rows, cols)."""

    convdim = 3


class AbstractConv3d_gradInputs(AbstractConv2d_gradInputs):
    """``AbstractConv2d_gradInputs`` for the 3D conv."""

    convdim = 3


class AbstractConv3d_gradWeights(AbstractConv2d_gradWeights):
    """``AbstractConv2d_gradWeights`` for the 3D conv."""

    convdim = 3
