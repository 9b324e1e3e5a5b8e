"""``theano.sandbox.softsign``: where ``softsign`` was before Theano moved it to
``theano.tensor.nnet.nnet`` (Theano 1.0.5 kept this module, with a deprecation notice)."""

import warnings

from relucompat.legacy.tensor.nnet.nnet import softsign

__all__ = ["softsign"]

warnings.warn(
    "softsign was moved from theano.sandbox.softsign to theano.tensor.nnet.nnet",
    DeprecationWarning,
    stacklevel=2,
)


def __dir__() -> list:
    return __all__
