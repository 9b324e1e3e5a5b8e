"""Warnings reported at the user's line, not at a line inside relucompat or the import
machinery (under ``relucompat run``, ``import theano.X`` runs relucompat's code)."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Type

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str, category: Type[Warning]) -> None:
    """``warnings.warn`` with the stacklevel of the first frame outside relucompat and
    importlib."""
    frame = sys._getframe(1)
    level = 2  # 1 is this function, 2 its caller
    while frame.f_back is not None and _inside(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def _inside(filename: str) -> bool:
    if filename.startswith("<frozen") or "importlib" in filename:
        return True
    return os.path.abspath(filename).startswith(_PACKAGE)
