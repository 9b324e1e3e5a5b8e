"""``theano.compile.io``: the backend's, with Theano's ``In``, whose ``value`` may be a plain
default (``In(x, value=0.2)``).

Theano put such a default back before each call that did not pass the input ("refeed"),
and kept the last value across calls where the input has an ``update``. PyTensor 3 refuses
plain defaults (PyTensor 2 warns). There the default is held in a container, as PyTensor
holds a shared default, and a function given such an input (``compile/function.py``) puts
the default back into it before each call (:func:`refeed`).
"""

from __future__ import annotations

import copyreg
import functools
import warnings
from typing import Any

from relucompat.legacy import _namespace

__all__ = ["In", "refeed"]

In: Any  # made for the backend on first use (__getattr__)


def __getattr__(name: str) -> Any:
    if name == "In":
        return _theano_in(_namespace.package())
    if name == "RefeedFunction":  # for unpickling the functions that are one
        return _refeed_class(_function_class())
    return _forward(name)


@functools.lru_cache(maxsize=None)
def _theano_in(package: str) -> type:
    base: Any = _namespace.backend_module("compile").In  # type: ignore[union-attr]
    if _takes_plain_defaults(base):
        return base

    class In(base):
        __doc__ = base.__doc__
        theano_default: Any = None  # put back before each call; None: nothing to put back

        def __init__(self, variable: Any, name: Any = None, value: Any = None, **kwargs: Any):
            if value is not None and not _held(value):
                value = variable.type.filter(value, strict=False, allow_downcast=True)
                if kwargs.get("update") is None:
                    self.theano_default = value
                kwargs.setdefault("implicit", False)  # the caller may pass it
                value = _container_class()(variable, [value])
            super().__init__(variable, name=name, value=value, **kwargs)

    In.__module__, In.__qualname__ = __name__, "In"
    return In


def refeed(function: Any) -> Any:
    """``function`` (just compiled), made to put back the plain defaults of its inputs
    before each call, if any of its inputs has one."""
    if any(getattr(i, "theano_default", None) is not None for i in function.maker.inputs):
        cls = _refeed_class(type(function))
        function.__class__ = cls
        function.maker.function_class = cls  # its copies and unpicklings are one too
    return function


def _refeed_class(base: Any) -> Any:
    if base in _refeed_classes:
        return _refeed_classes[base]

    class RefeedFunction(base):
        """A compiled function whose inputs' plain defaults are put back before each call
        (Theano's refeed): a call that does not pass such an input sees its default."""

        __slots__ = ()  # the backend's layout, so that a compiled function can become one

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            for given, container in zip(self.maker.inputs, self.input_storage):
                default = getattr(given, "theano_default", None)
                if default is not None:
                    container.storage[0] = default
            return super().__call__(*args, **kwargs)

    RefeedFunction.__module__, RefeedFunction.__qualname__ = __name__, "RefeedFunction"
    reduce = copyreg.dispatch_table.get(base)  # the backend pickles functions its own way
    if reduce is not None:
        copyreg.pickle(RefeedFunction, reduce)
    _refeed_classes[base] = RefeedFunction
    return RefeedFunction


_refeed_classes: dict = {}  # the backend's Function class: its refeeding subclass


def _takes_plain_defaults(base: type) -> bool:
    """Whether the backend's ``In`` takes a plain default, silently."""
    T = _namespace.backend().tensor
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            base(T.scalar(), value=0.0)
        except (ValueError, Warning):
            return False
    return True


def _held(value: Any) -> bool:
    """Whether ``value`` is a shared variable or a container: a default the backend takes."""
    shared = _namespace.backend_module("compile").SharedVariable  # type: ignore[union-attr]
    return isinstance(value, (shared, _container_class()))


def _container_class() -> type:
    for path in ("link.basic", "gof.link", "link"):
        module = _namespace.backend_module(path)
        if module is not None and hasattr(module, "Container"):
            return module.Container
    raise ImportError(_namespace.missing("gof.Container"))


def _function_class() -> type:
    for path in ("compile.executor", "compile.function.types", "compile.function_module"):
        module = _namespace.backend_module(path)
        if module is not None and hasattr(module, "Function"):
            return module.Function
    raise ImportError(_namespace.missing("compile.Function"))


_forward, __dir__ = _namespace.forward(__name__, "compile.io", _namespace.at("compile.io"))
