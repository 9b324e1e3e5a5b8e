"""``theano.gof.graph``: graph classes and traversals, from the backend's ``gof.graph`` or,
where ``gof`` became ``graph``, its ``graph.basic`` and ``graph.traversal``.

Theano's ``Variable`` took ``owner=None``; its descendants require ``owner``, so
:data:`Variable` here is the backend's class with Theano's signature (and every variable
of the backend is an instance of it). ``inputs`` and ``ancestors`` are Theano's left-to-right
depth-first walks, whose order libraries rely on; ``is_same_graph`` is Theano's test.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from relucompat.legacy import _namespace

__all__ = ["Variable", "ancestors", "inputs", "is_same_graph", "stack_search"]

Variable: Any  # made for the backend on first use (__getattr__)


def _variable_class() -> Any:
    """The backend's ``Variable``: in ``gof.graph`` (Theano), else ``graph.basic``."""
    for path in ("gof.graph", "graph.basic"):
        module = _namespace.backend_module(path)
        if module is not None and hasattr(module, "Variable"):
            return module.Variable
    raise ImportError(_namespace.missing("gof.graph.Variable"))


def __getattr__(name: str) -> Any:
    if name == "Variable":
        return _theano_variable(_variable_class())
    return _forward(name)


class _AnyValue:
    """A test-value check that accepts anything: Theano's Variable took any object as its
    type; Aesara's checks test values with ``type.filter``."""

    @staticmethod
    def filter(value: Any, *args: Any, **kwargs: Any) -> Any:
        return value


def _theano_variable(base: Any) -> type:
    """``base`` (the backend's Variable) with Theano's ``(type, owner=None, index=None,
    name=None)``; every variable of the backend is an instance, as every Theano variable
    was."""

    def __init__(
        self: Any, type: Any, owner: Any = None, index: Optional[int] = None, name: Any = None
    ) -> None:
        base.__init__(self, type if hasattr(type, "filter") else _AnyValue(), owner, index, name)
        self.type = type

    return _namespace.theano_class(base, "Variable", __name__, _init_of(base, __init__))


_inits: Dict[Any, Callable[..., None]] = {}


def _init_of(base: Any, init: Callable[..., None]) -> Callable[..., None]:
    """One ``__init__`` per backend class, so that :func:`_namespace.theano_class` (cached
    by its arguments) makes the class once."""
    return _inits.setdefault(base, init)


def stack_search(
    start: deque, expand: Callable[[Any], Optional[Iterable[Any]]], mode: str = "bfs"
) -> List[Any]:
    """Theano's: every node reachable from ``start`` through ``expand``, once each, in
    breadth-first (``"bfs"``) or depth-first (``"dfs"``) order."""
    if mode not in ("bfs", "dfs"):
        raise ValueError(f"mode must be 'bfs' or 'dfs'; got {mode!r}")
    pop = start.popleft if mode == "bfs" else start.pop
    seen: set = set()
    found = []
    while start:
        node = pop()
        if id(node) not in seen:
            found.append(node)
            seen.add(id(node))
            expanded = expand(node)
            if expanded:
                start.extend(expanded)
    return found


def ancestors(variable_list: Sequence[Any], blockers: Optional[Iterable[Any]] = None) -> List[Any]:
    """The variables ``variable_list`` depends on, themselves included, in the order of a
    left-recursive depth-first search (Theano's)."""
    blocked = list(blockers) if blockers else []

    def expand(variable: Any) -> Optional[Iterable[Any]]:
        if variable.owner is not None and not any(variable is b for b in blocked):
            return reversed(variable.owner.inputs)
        return None

    return stack_search(deque(variable_list), expand, "dfs")


def inputs(variable_list: Sequence[Any], blockers: Optional[Iterable[Any]] = None) -> List[Any]:
    """The ownerless variables (inputs, shared variables, constants) ``variable_list``
    depends on, in :func:`ancestors`' order."""
    return [v for v in ancestors(variable_list, blockers) if v.owner is None]


def is_same_graph(var1: Any, var2: Any, givens: Optional[Dict[Any, Any]] = None) -> bool:
    """Whether ``var1`` and ``var2`` compute the same thing from the same inputs, the
    variables of each pair of ``givens`` standing for one another (Theano's)."""
    from relucompat.legacy.scan_module.scan_utils import clone, equal_computations

    if not givens:
        return equal_computations([var1], [var2])
    in_1, in_2 = set(ancestors([var1])), set(ancestors([var2]))
    xs, ys = [], []
    for a, b in givens.items():
        if a in in_1 and a not in in_2 and b in in_2 and b not in in_1:
            xs.append(a)
            ys.append(b)
        elif a in in_2 and a not in in_1 and b in in_1 and b not in in_2:
            xs.append(b)
            ys.append(a)
        else:  # a pair within one graph: substitute, then compare
            replaced = clone([var1, var2], replace=list(givens.items()))
            return equal_computations([replaced[0]], [replaced[1]])
    return equal_computations([var1], [var2], xs, ys)


def _sources() -> List[Any]:
    paths = ("gof.graph", "graph.basic", "graph.traversal")
    return [m for m in map(_namespace.backend_module, paths) if m is not None]


_forward, __dir__ = _namespace.forward(__name__, "gof.graph", _sources)
