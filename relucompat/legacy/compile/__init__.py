"""``theano.compile``: the backend's, with Theano's ``In`` (plain defaults) and ``Param``."""

from typing import Any

from relucompat.legacy import _namespace
from relucompat.legacy.compile import io
from relucompat.legacy.compile.function import function
from relucompat.legacy.compile.pfunc import Param

__all__ = ["In", "Param", "function"]

In: Any  # made for the backend on first use (__getattr__)


def __getattr__(name: str) -> Any:
    if name == "In":
        return io.In
    return _forward(name)


_forward, __dir__ = _namespace.forward(__name__, "compile", _namespace.at("compile"))
