"""``theano.gpuarray``: Theano's GPU backend, as it imported without a GPU.

Theano 1.0.5 imported this package without pygpu and reported the GPU absent; libraries
read ``pygpu_activated`` and ``dnn.dnn_present()`` to choose their CPU code. Nothing else
of it exists here: every other name is an ``AttributeError`` that says why.
"""

from typing import List

from relucompat.legacy import _namespace
from relucompat.legacy.gpuarray import dnn

__all__ = ["dnn", "pygpu", "pygpu_activated"]

pygpu = None
pygpu_activated = False


def __getattr__(name: str) -> object:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(_namespace.missing(f"gpuarray.{name}"))


def __dir__() -> List[str]:
    return __all__
