"""``theano.sandbox.neighbours``: where the neighbourhood functions were before Theano moved
them to ``theano.tensor.nnet.neighbours`` (Theano 1.0.5 kept this module)."""

from typing import Any

from relucompat.legacy.tensor.nnet import neighbours as _moved
from relucompat.legacy.tensor.nnet.neighbours import images2neibs, neibs2images

__all__ = ["Images2Neibs", "images2neibs", "neibs2images"]

Images2Neibs: Any  # the backend's op class or the built one, on first use (__getattr__)


def __getattr__(name: str) -> Any:
    if name == "Images2Neibs":
        return _moved.Images2Neibs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list:
    return __all__
