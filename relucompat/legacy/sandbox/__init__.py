"""``theano.sandbox``: ``rng_mrg`` (``MRG_RandomStreams``) on every backend."""

from relucompat.legacy import _namespace

__getattr__, __dir__ = _namespace.forward(__name__, "sandbox", _namespace.at("sandbox"))
