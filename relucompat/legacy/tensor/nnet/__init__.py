"""``theano.tensor.nnet``: relu through relucompat, and the rest of Theano 1.0.5's nnet.

Each function is the backend's own where it still has Theano's nnet, else built from the
backend's standard ops with Theano's shapes, dtypes and values.
"""

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.nnet._nnet_conv2d import conv2d
from relucompat.legacy.tensor.nnet.abstract_conv import conv2d_transpose, conv3d
from relucompat.legacy.tensor.nnet.bn import batch_normalization
from relucompat.legacy.tensor.nnet.nnet import (
    binary_crossentropy,
    categorical_crossentropy,
    crossentropy_categorical_1hot,
    elu,
    logsoftmax,
    relu,
    selu,
    sigmoid_binary_crossentropy,
    softmax,
    softsign,
)
from relucompat.legacy.tensor.nnet.sigm import (
    hard_sigmoid,
    sigmoid,
    softplus,
    ultra_fast_sigmoid,
)

__all__ = [
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "crossentropy_categorical_1hot",
    "elu",
    "hard_sigmoid",
    "logsoftmax",
    "relu",
    "selu",
    "sigmoid",
    "sigmoid_binary_crossentropy",
    "softmax",
    "softplus",
    "softsign",
    "ultra_fast_sigmoid",
]


def _native() -> list:
    nnet = _namespace.native_nnet()
    return [nnet] if nnet is not None else []


__getattr__, __dir__ = _namespace.forward(__name__, "tensor.nnet", _native)
