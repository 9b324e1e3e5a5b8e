"""``theano.scan_module.scan_views``: ``map``, ``reduce``, ``foldl`` and ``foldr``, Theano's
views of ``scan``, each returning Theano's ``(outputs, updates)`` (Keras' backend indexes
``theano.map(...)[0]``), built on the legacy ``scan``."""

from __future__ import annotations

from typing import Any, List

from relucompat.legacy import _namespace
from relucompat.legacy.scan_module.scan import scan

__all__ = ["foldl", "foldr", "map", "reduce"]


def map(
    fn: Any,
    sequences: Any,
    non_sequences: Any = None,
    truncate_gradient: int = -1,
    go_backwards: bool = False,
    mode: Any = None,
    name: Any = None,
) -> Any:
    """``fn`` applied to each step of ``sequences``: ``(outputs, updates)``."""
    return scan(
        fn,
        sequences=sequences,
        non_sequences=non_sequences,
        truncate_gradient=truncate_gradient,
        go_backwards=go_backwards,
        mode=mode,
        name=name,
    )


def reduce(
    fn: Any,
    sequences: Any,
    outputs_info: Any,
    non_sequences: Any = None,
    go_backwards: bool = False,
    mode: Any = None,
    name: Any = None,
) -> Any:
    """``fn`` folded over ``sequences`` from ``outputs_info``: the last state of each output,
    and the updates."""
    outputs, updates = scan(
        fn,
        sequences=sequences,
        outputs_info=outputs_info,
        non_sequences=non_sequences,
        go_backwards=go_backwards,
        mode=mode,
        name=name,
    )
    if isinstance(outputs, (list, tuple)):
        return [output[-1] for output in outputs], updates
    return outputs[-1], updates


def foldl(
    fn: Any,
    sequences: Any,
    outputs_info: Any,
    non_sequences: Any = None,
    mode: Any = None,
    name: Any = None,
) -> Any:
    """:func:`reduce` from the first step to the last."""
    return reduce(fn, sequences, outputs_info, non_sequences, False, mode, name)


def foldr(
    fn: Any,
    sequences: Any,
    outputs_info: Any,
    non_sequences: Any = None,
    mode: Any = None,
    name: Any = None,
) -> Any:
    """:func:`reduce` from the last step to the first."""
    return reduce(fn, sequences, outputs_info, non_sequences, True, mode, name)


def _sources() -> List[Any]:
    found = (_namespace.backend_module(p) for p in ("scan_module.scan_views", "scan.views"))
    return [module for module in found if module is not None]


__getattr__, __dir__ = _namespace.forward(__name__, "scan_module.scan_views", _sources)
