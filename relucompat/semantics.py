"""The two named semantics, and how a call picks one.

``"theano"`` is Theano 1.0.5's ``nnet.relu``, bit for bit, warts included.
``"strict"`` is the contract written down in docs/semantics.md.
"""

from __future__ import annotations

import os
from typing import Optional

__all__ = ["SEMANTICS", "resolve"]


def __dir__() -> list[str]:
    return __all__


SEMANTICS = ("theano", "strict")
DEFAULT = "theano"
ENV_VAR = "RELUCOMPAT_SEMANTICS"


def resolve(name: Optional[str]) -> str:
    """The semantics a call uses: ``name``, else ``$RELUCOMPAT_SEMANTICS``, else "theano"."""
    source = "semantics="
    if name is None:
        name = os.environ.get(ENV_VAR) or DEFAULT
        source = ENV_VAR + "="
    if name not in SEMANTICS:
        allowed = ", ".join(repr(s) for s in SEMANTICS)
        raise ValueError(f"unknown relu semantics {source}{name!r}; allowed: {allowed}")
    return name
