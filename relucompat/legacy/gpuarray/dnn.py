"""``theano.gpuarray.dnn``: cuDNN, reported absent as Theano 1.0.5 reported it without a
GPU (``dnn_present()`` and ``dnn_available()`` are False, and their ``msg`` says why)."""

from typing import Any, List

from relucompat.legacy import _gpu, _namespace

__all__ = ["dnn_available", "dnn_present"]


def dnn_present() -> bool:
    """False: no cuDNN without a GPU backend; ``dnn_present.msg`` says why."""
    dnn_present.msg = f"PyGPU not available: {_gpu.why()}"  # type: ignore[attr-defined]
    return False


def dnn_available(context_name: Any = None) -> bool:
    """False, as :func:`dnn_present`; ``dnn_available.msg`` says why."""
    dnn_present()
    dnn_available.msg = dnn_present.msg  # type: ignore[attr-defined]
    return False


dnn_present.msg = None  # type: ignore[attr-defined]
dnn_available.msg = None  # type: ignore[attr-defined]


def __getattr__(name: str) -> object:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(_namespace.missing(f"gpuarray.dnn.{name}"))


def __dir__() -> List[str]:
    return __all__
