"""``theano.compile.pfunc``: the backend's, with ``Param``, Theano's deprecated ``In``
whose default is named ``default``."""

from __future__ import annotations

import warnings
from typing import Any

from relucompat.legacy import _namespace
from relucompat.legacy.compile import io

__all__ = ["Param"]


def Param(
    variable: Any,
    default: Any = None,
    name: Any = None,
    mutable: bool = False,
    strict: bool = False,
    allow_downcast: Any = None,
    implicit: Any = None,
    borrow: Any = None,
) -> Any:
    """Deprecated. Use In instead: ``In(variable, value=default, ...)``."""
    warnings.warn(
        "The Param class is deprecated. Replace Param(default=N) by theano.In(value=N)",
        stacklevel=2,
    )
    return io.In(
        variable,
        name=name,
        value=default,
        mutable=mutable,
        strict=strict,
        allow_downcast=allow_downcast,
        implicit=implicit,
        borrow=borrow,
    )


__getattr__, __dir__ = _namespace.forward(__name__, "compile.pfunc", _namespace.at("compile.pfunc"))
