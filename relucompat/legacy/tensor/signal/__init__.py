"""``theano.tensor.signal``: ``pool``, which no PyTensor >= 2.9 has."""

from relucompat.legacy import _namespace

__getattr__, __dir__ = _namespace.forward(__name__, "tensor.signal", _namespace.at("tensor.signal"))
