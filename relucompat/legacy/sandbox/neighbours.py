"""``theano.sandbox.neighbours``: where the neighbourhood functions were before Theano moved
them to ``theano.tensor.nnet.neighbours`` (Theano 1.0.5 kept this module)."""

from relucompat.legacy.tensor.nnet.neighbours import Images2Neibs, images2neibs, neibs2images

__all__ = ["Images2Neibs", "images2neibs", "neibs2images"]


def __dir__() -> list:
    return __all__
