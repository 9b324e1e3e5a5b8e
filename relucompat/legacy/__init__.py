"""Theano's namespace over the backend relucompat chooses: ``theano``.

A Theano-era script runs after changing only its imports::

    import relucompat.legacy as theano              # was: import theano
    from relucompat.legacy import tensor as T       # was: import theano.tensor as T

or unchanged, under ``relucompat run``. Each module of this package stands at a Theano path
(``relucompat.legacy.tensor.nnet`` is ``theano.tensor.nnet``) and provides what Theano 1.0.5
had there, from the backend's own module at that path where it still has it, else built from
the backend's standard ops; a Theano module it does not define is the backend's module at
the same path (``relucompat.legacy.ifelse`` is ``pytensor.ifelse``, through a finder this
package adds to ``sys.meta_path``, after every other). The backend is chosen, and imported,
on first use.
"""

from typing import Any, List

from relucompat.legacy import _namespace
from relucompat.legacy.compile.function import function
from relucompat.legacy.scan_module import foldl, foldr, map, reduce, scan
from relucompat.legacy.scan_module.scan_utils import clone

__all__ = [
    "In",
    "Param",
    "Variable",
    "clone",
    "config",
    "foldl",
    "foldr",
    "function",
    "map",
    "reduce",
    "scan",
]

# Made for the backend on first use (__getattr__).
config: Any
In: Any
Param: Any
Variable: Any


def __getattr__(name: str) -> Any:
    if name in ("In", "Param"):
        from relucompat.legacy import compile

        return getattr(compile, name)
    if name == "Variable":
        from relucompat.legacy.gof import graph

        return graph.Variable
    if name == "config":
        from relucompat.legacy import _config

        return _config.current()
    return _forward(name)


def _sources() -> List[Any]:
    from relucompat.legacy import gof

    return [*_namespace.at("")(), gof]


_forward, __dir__ = _namespace.forward(__name__, "", _sources)

_namespace.resolve_backend_modules()  # import relucompat.legacy.ifelse: the backend's
