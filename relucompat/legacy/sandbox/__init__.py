"""``theano.sandbox``: ``rng_mrg`` (``MRG_RandomStreams``) on every backend."""

from typing import List

from relucompat.legacy import _namespace

__all__: List[str] = []  # relucompat defines nothing here; the rest is the backend's

__getattr__, __dir__ = _namespace.forward(__name__, "sandbox", _namespace.at("sandbox"))
