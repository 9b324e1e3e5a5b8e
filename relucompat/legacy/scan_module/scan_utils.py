"""``theano.scan_module.scan_utils``: the backend's scan utilities, with Theano's ``clone``
(also ``theano.clone``) and ``equal_computations``, which moved to the backend's graph
modules."""

from __future__ import annotations

import warnings
from typing import Any, List, Optional

from relucompat.legacy import _namespace

__all__ = ["clone", "equal_computations"]

_UNSET = object()


def clone(
    output: Any,
    replace: Any = None,
    strict: bool = True,
    share_inputs: bool = True,
    copy_inputs: Any = _UNSET,
) -> Any:
    """A copy of the graph of ``output`` (a variable or a list) with the ``replace`` pairs
    substituted. With ``share_inputs=False`` its inputs are copies too; copied shared
    variables keep the originals' storage (Theano's)."""
    if copy_inputs is not _UNSET:
        warnings.warn(
            "In `clone()` function, the argument `copy_inputs` has been deprecated and "
            "renamed into `share_inputs`",
            stacklevel=2,
        )
        share_inputs = copy_inputs
    if isinstance(replace, dict):
        items = list(replace.items())
    elif isinstance(replace, (list, tuple)) or replace is None:
        items = list(replace or [])
    else:
        raise ValueError(
            f"clone's replace must be a dict, a list of pairs, or None; got a {type(replace)}"
        )
    own = getattr(_namespace.backend().module, "clone", None)
    if own is not None and _namespace.package() == "theano":
        return own(output, replace=items, strict=strict, share_inputs=share_inputs)
    return _clone_replace()(output, items, rebuild_strict=strict, copy_inputs_over=share_inputs)


def equal_computations(
    xs: List[Any],
    ys: List[Any],
    in_xs: Optional[List[Any]] = None,
    in_ys: Optional[List[Any]] = None,
) -> bool:
    """Whether the graphs of ``xs`` and ``ys`` compute the same, each of ``in_xs`` standing
    for its counterpart in ``in_ys``."""
    for module in _sources():
        if hasattr(module, "equal_computations"):
            return bool(module.equal_computations(xs, ys, in_xs, in_ys))
    raise AttributeError(_namespace.missing("scan_module.scan_utils.equal_computations"))


def _clone_replace() -> Any:
    for path in ("graph.replace", "graph.basic", "scan.utils", "scan_module.scan_utils"):
        module = _namespace.backend_module(path)
        if module is not None and hasattr(module, "clone_replace"):
            return module.clone_replace
    raise AttributeError(_namespace.missing("clone"))


def _sources() -> List[Any]:
    paths = ("scan_module.scan_utils", "scan.utils", "graph.basic")
    return [m for m in map(_namespace.backend_module, paths) if m is not None]


__getattr__, __dir__ = _namespace.forward(__name__, "scan_module.scan_utils", _sources)
