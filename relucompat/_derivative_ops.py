"""What relucompat's ``OpFromGraph`` subclasses share: their derivatives under the
backend's own method names, and pickling.

An op class defines ``_pullback(inputs, output_grads)`` (a gradient per input) and
``_pushforward(inputs, points)`` (the output's tangent, or None where no input has one;
``points`` holds None for an input without one); the class it derives from,
:func:`with_derivatives`, calls them from ``L_op``/``R_op``, or PyTensor 3's
``pullback``/``pushforward``. The classes are made at run
time, one per backend, so they have no importable name: each pickles through a rebuilder at
module level that makes its class again from the backend's import name.
"""

from __future__ import annotations

import functools
import importlib
import threading
from typing import Any, Callable, Dict, Tuple

from relucompat.discovery import load
from relucompat.lineage import named

# Built once per key (backend, kind, input types, ...), shared by every graph that uses them.
_ops: Dict[Tuple[Any, ...], Any] = {}
_ops_lock = threading.RLock()  # an op may make another while it is made


def cached(key: Tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """The op for ``key``, made by ``make()`` the first time (once across threads)."""
    op = _ops.get(key)
    if op is None:
        with _ops_lock:
            op = _ops.get(key)
            if op is None:
                op = _ops[key] = make()
    return op


@functools.lru_cache(maxsize=None)
def with_derivatives(base: Any) -> Any:
    """``base`` (the backend's OpFromGraph) with derivative methods that call the
    subclass's ``_pullback`` and ``_pushforward``, and the backend's ``import_name``."""
    names = {**_derivative_methods(base), "import_name": base.__module__.split(".")[0]}
    return type(base.__name__, (base,), names)


def _derivative_methods(base: Any) -> Dict[str, Callable[..., Any]]:
    # PyTensor 3 renamed the derivative methods (L_op, R_op) and warns on the old names.
    if hasattr(base, "pullback"):

        def pullback(self: Any, inputs: Any, outputs: Any, output_grads: Any) -> Any:
            return self._pullback(inputs, output_grads)

        def pushforward(self: Any, inputs: Any, outputs: Any, tangents: Any) -> Any:
            # PyTensor 3 marks an input without a tangent with a DisconnectedType variable,
            # where _pushforward takes None; one marks the output so.
            absent = [t for t in tangents if _disconnected(t)]
            points = [None if _disconnected(t) else t for t in tangents]
            out = self._pushforward(inputs, points)
            return [absent[0] if out is None else out]

        return {"pullback": pullback, "pushforward": pushforward}

    def L_op(self: Any, inputs: Any, outputs: Any, output_grads: Any) -> Any:
        return self._pullback(inputs, output_grads)

    def R_op(self: Any, inputs: Any, eval_points: Any) -> Any:
        return [self._pushforward(inputs, eval_points)]

    return {"L_op": L_op, "R_op": R_op}


def own_code_base(loaded: Any) -> Any:
    """What an op with its own code (C, numba) derives from: :func:`with_derivatives` of
    the backend's OpFromGraph (PyTensor 3.3's ``FinalizedOpFromGraph``, whose inner graph
    the rewrite that prepares inner graphs for the linker skips: a linker with the op's
    code never runs it) and the backend's ``COp``, so that its ``c_code`` makes a C thunk
    on every C linker, cvm included."""
    builders = importlib.import_module(loaded.backend.import_name + ".compile.builders")
    return _with_c_op(getattr(builders, "FinalizedOpFromGraph", loaded.OpFromGraph))


@functools.lru_cache(maxsize=None)
def _with_c_op(base: Any) -> Any:
    derived = with_derivatives(base)
    return type(base.__name__, (derived, _c_op(derived.import_name)), {})


def _c_op(import_name: str) -> Any:
    """PyTensor's and Aesara's ``COp``, Theano-PyMC's in ``graph.op``; ``object`` for
    Theano 1.0.5, whose every ``Op`` makes C thunks."""
    for module in (".link.c.op", ".graph.op"):
        try:
            return importlib.import_module(import_name + module).COp
        except (ImportError, AttributeError):
            pass
    return object


def state(op: Any) -> Dict[str, Any]:
    """What of ``op`` pickles: all but the inner function it compiled (made again on use)."""
    return {k: v for k, v in op.__dict__.items() if k not in ("_fn", "fn")}


def rebuilt(op_class_of: Callable[[Any], Any], import_name: str, state: Dict[str, Any]) -> Any:
    """The op of class ``op_class_of(OpFromGraph)`` for the backend ``import_name``, with
    ``state``."""
    op_class = op_class_of(load(named(import_name)).OpFromGraph)
    op = op_class.__new__(op_class)
    op.__dict__.update(state)
    return op


def _disconnected(var: Any) -> bool:
    return type(var.type).__name__ == "DisconnectedType"
