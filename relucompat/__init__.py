"""One ``relu`` for the whole Theano lineage: Theano, Theano-PyMC, Aesara and PyTensor.

Importing relucompat imports no backend; a backend is imported when a call needs it.
"""

from relucompat.discovery import BackendInfo, BackendSkippedWarning, backends, use
from relucompat.route import Route, explain, relu
from relucompat.semantics import SEMANTICS

__version__ = "0.1.0"

__all__ = [
    "SEMANTICS",
    "BackendInfo",
    "BackendSkippedWarning",
    "Route",
    "backends",
    "explain",
    "relu",
    "use",
]
