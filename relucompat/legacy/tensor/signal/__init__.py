"""``theano.tensor.signal``: ``pool``, which no PyTensor >= 2.9 has."""

from typing import List

from relucompat.legacy import _namespace

__all__: List[str] = []  # relucompat defines nothing here; the rest is the backend's

__getattr__, __dir__ = _namespace.forward(__name__, "tensor.signal", _namespace.at("tensor.signal"))
