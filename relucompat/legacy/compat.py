"""``theano.compat``: Theano 1.0.5's Python 2/3 helpers, as they were on Python 3.

Theano-era libraries import their ``izip``, ``OrderedDict`` or ``PY3`` from here; no
descendant of Theano kept the module, and nothing in it depends on a backend.
"""

from __future__ import annotations

import configparser
import io
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, ValuesView
from collections.abc import MutableMapping as DictMixin
from importlib import reload
from operator import truediv as operator_div
from typing import Any, Iterator, List

__all__ = [
    "PY3",
    "BytesIO",
    "Callable",
    "DefaultOrderedDict",
    "DictMixin",
    "Iterable",
    "Mapping",
    "OrderedDict",
    "ValuesView",
    "b",
    "cmp",
    "configparser",
    "decode",
    "decode_iter",
    "decode_with",
    "exc_message",
    "get_unbound_function",
    "ifilter",
    "imap",
    "izip",
    "maybe_add_to_os_environ_pathlist",
    "next",
    "operator_div",
    "reload",
]


def __dir__() -> List[str]:
    return __all__


PY3 = True
BytesIO = io.BytesIO
next = next  # a name of the module, as six's was
izip = zip
imap = map
ifilter = filter


def b(s: str) -> bytes:
    """``s`` as bytes, each character one byte (six's ``b``)."""
    return s.encode("latin-1")


def cmp(x: Any, y: Any) -> int:
    """-1 if x < y, 0 if x == y, 1 if x > y."""
    return int(x > y) - int(x < y)


def exc_message(e: BaseException) -> Any:
    """The message of ``e``, unwrapped from exceptions nested as first arguments."""
    message = e.args[0]
    return exc_message(message) if isinstance(message, BaseException) else message


def get_unbound_function(unbound: Any) -> Any:
    """The function of a method, or ``unbound`` itself."""
    return getattr(unbound, "__func__", unbound)


def decode(x: bytes) -> str:
    return x.decode()


def decode_iter(itr: Iterable) -> Iterator[str]:
    for x in itr:
        yield x.decode()


def decode_with(x: bytes, encoding: str) -> str:
    return x.decode(encoding)


class DefaultOrderedDict(OrderedDict):
    """An ``OrderedDict`` that fills a missing key with ``default_factory()``."""

    def __init__(self, default_factory: Any = None, *args: Any, **kwargs: Any) -> None:
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable")
        super().__init__(*args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key: Any) -> Any:
        if self.default_factory is None:
            raise KeyError(key)
        self[key] = value = self.default_factory()
        return value

    def __reduce__(self) -> Any:
        args = (self.default_factory,) if self.default_factory is not None else ()
        return type(self), args, None, None, iter(self.items())

    def copy(self) -> DefaultOrderedDict:
        return type(self)(self.default_factory, self)

    __copy__ = copy


def maybe_add_to_os_environ_pathlist(var: str, newpath: str) -> None:
    """Put the absolute ``newpath`` first in the path list ``os.environ[var]``, unless it
    is there already."""
    if not os.path.isabs(newpath):
        return
    paths = os.environ.get(var, "").split(os.pathsep) if os.environ.get(var) else []
    if newpath not in paths:
        os.environ[var] = os.pathsep.join([newpath, *paths])
