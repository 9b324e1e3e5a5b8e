"""``theano.compile.function``: Theano's ``function``, the backend's with Theano's
signature, which puts back its inputs' plain defaults before each call (``compile/io.py``)."""

from __future__ import annotations

from typing import Any

from relucompat.legacy import _namespace
from relucompat.legacy.compile import io

__all__ = ["function"]


def function(
    inputs: Any,
    outputs: Any = None,
    mode: Any = None,
    updates: Any = None,
    givens: Any = None,
    no_default_updates: bool = False,
    accept_inplace: bool = False,
    name: Any = None,
    rebuild_strict: bool = True,
    allow_input_downcast: Any = None,
    profile: Any = None,
    on_unused_input: Any = None,
) -> Any:
    """A callable that computes ``outputs`` from ``inputs`` (Theano's ``function``)."""
    # PyTensor 3 deprecates no_default_updates, passed at all: only Theano's non-default.
    extra = {"no_default_updates": no_default_updates} if no_default_updates else {}
    compiled = _namespace.backend().module.function(
        inputs,
        outputs,
        mode=mode,
        updates=updates,
        givens=givens,
        accept_inplace=accept_inplace,
        name=name,
        rebuild_strict=rebuild_strict,
        allow_input_downcast=allow_input_downcast,
        profile=profile,
        on_unused_input=on_unused_input,
        **extra,
    )
    return io.refeed(compiled)


__getattr__, __dir__ = _namespace.forward(
    __name__, "compile.function", _namespace.at("compile.function")
)
