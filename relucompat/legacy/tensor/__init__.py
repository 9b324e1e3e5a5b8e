"""``theano.tensor``: the backend's ``tensor``, with Theano's ``nnet`` and ``signal``."""

from typing import List

from relucompat.legacy import _namespace

__all__: List[str] = []  # relucompat defines nothing here; the rest is the backend's

__getattr__, __dir__ = _namespace.forward(__name__, "tensor", _namespace.at("tensor"))
