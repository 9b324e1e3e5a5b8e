"""``theano.gof``: Theano's graph machinery, which its descendants renamed ``graph``.

Every name is the backend's, from its ``gof`` where it still has one (Theano,
Theano-PyMC 1.0), else from the modules of its ``graph`` (and ``link`` for linkers and
containers) that hold what ``gof`` held; ``gof.Variable`` takes Theano's signature
(``gof/graph.py``).
"""

from typing import Any, List

from relucompat.legacy import _namespace
from relucompat.legacy.gof import graph

__all__ = ["Variable", "graph"]

Variable: Any  # made for the backend on first use (__getattr__)

_PATHS = (
    "gof",
    "graph",
    "graph.basic",
    "graph.op",
    "graph.type",
    "graph.fg",
    "graph.utils",
    "graph.features",
    "graph.rewriting.basic",
    "link.basic",
    "link.c.op",
)


def _sources() -> List[Any]:
    return [m for m in map(_namespace.backend_module, _PATHS) if m is not None]


def __getattr__(name: str) -> Any:
    if name == "Variable":
        return graph.Variable
    return _forward(name)


_forward, __dir__ = _namespace.forward(__name__, "gof", _sources)
