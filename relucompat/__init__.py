"""One ``relu`` for the whole Theano lineage: Theano, Theano-PyMC, Aesara and PyTensor.

``import relucompat`` imports no backend, and nothing else either: the names below load
their module on first use, so that importing relucompat stays cheap.
"""

__version__ = "0.1.0"

# Where each public name lives. ``relucompat.relu`` imports relucompat.route on first use.
_EXPORTS = {
    "SEMANTICS": "relucompat.semantics",
    "BackendInfo": "relucompat.discovery",
    "BackendSkippedWarning": "relucompat.discovery",
    "backends": "relucompat.discovery",
    "use": "relucompat.discovery",
    "Route": "relucompat.route",
    "explain": "relucompat.route",
    "relu": "relucompat.route",
}
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

TYPE_CHECKING = False  # mypy treats it as True (pyproject.toml, always_true)
if TYPE_CHECKING:
    from relucompat.discovery import BackendInfo, BackendSkippedWarning, backends, use
    from relucompat.route import Route, explain, relu
    from relucompat.semantics import SEMANTICS


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'relucompat' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list:
    return sorted([*__all__, "__version__"])  # the documented surface, nothing internal
