"""``theano.tensor``: the backend's ``tensor``, with Theano's ``nnet`` and ``signal``."""

from relucompat.legacy import _namespace

__getattr__, __dir__ = _namespace.forward(__name__, "tensor", _namespace.at("tensor"))
