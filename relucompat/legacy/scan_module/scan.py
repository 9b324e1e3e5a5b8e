"""``theano.scan_module.scan``: ``scan`` returning ``(outputs, updates)`` as in Theano 1.0.5.

The backend's own ``scan``. PyTensor >= 2.36 asks for ``return_updates=`` and deprecates
``mode=`` and default updates (which Theano's random streams rely on); relucompat asks for
Theano's ``(outputs, updates)`` and keeps those warnings, which are not the script's doing,
from reaching it.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

from relucompat.legacy import _namespace

__all__ = ["scan"]


def __dir__() -> list[str]:
    return __all__


# The backend's warnings about Theano's own scan API, by the start of their message.
_THEANO_API = (
    "Scan return signature will change",
    "The `mode` argument of `scan` is deprecated",
    "Setting default_update is deprecated",
)


def scan(
    fn: Any,
    sequences: Any = None,
    outputs_info: Any = None,
    non_sequences: Any = None,
    n_steps: Any = None,
    truncate_gradient: int = -1,
    go_backwards: bool = False,
    mode: Any = None,
    name: Any = None,
    profile: bool = False,
    allow_gc: Any = None,
    strict: bool = False,
    return_list: bool = False,
) -> Any:
    """Theano's ``scan``: ``(outputs, updates)``; pass ``updates`` to ``theano.function``."""
    arguments = dict(locals())  # Theano's arguments, passed on by name
    native = _namespace.backend().module.scan
    if "return_updates" in inspect.signature(native).parameters:
        arguments["return_updates"] = True
    with warnings.catch_warnings():
        for message in _THEANO_API:
            warnings.filterwarnings("ignore", message=message)
        return native(**arguments)
