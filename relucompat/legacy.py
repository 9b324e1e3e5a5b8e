"""A Theano-shaped namespace over the backend relucompat would choose.

A Theano-era script runs after changing only its imports::

    import relucompat.legacy as theano              # was: import theano
    from relucompat.legacy import tensor as T       # was: import theano.tensor as T

``theano.function``, ``shared``, ``grad``, ``config``, ``scan``, ``printing`` and the whole
of ``theano.tensor`` come from the backend. ``T.nnet.relu`` is relucompat's relu with
``"theano"`` semantics, so results equal Theano's; ``sigmoid``, ``softplus``, ``softmax``,
``binary_crossentropy`` and ``categorical_crossentropy`` come from the backend's ``nnet``
where it has one, else from their modern homes. A name the namespace does not provide
raises ``AttributeError`` naming it, the backend, and the modern equivalent if one exists.
The backend is chosen, and imported, on first use.
"""

from __future__ import annotations

import importlib
import inspect
import types
from typing import Any, Callable, Dict, List, Optional

# Theano names that moved, by the name a script uses: where to look in a modern backend.
MODERN = {
    "tensor.nnet.conv2d": "{pkg}.tensor.conv.conv2d",
    "tensor.nnet.conv3d": "{pkg}.tensor.conv.conv3d",
    "tensor.nnet.logsoftmax": "{pkg}.tensor.special.log_softmax",
    "tensor.nnet.ultra_fast_sigmoid": "{pkg}.tensor.sigmoid (exact, not the approximation)",
    "tensor.nnet.hard_sigmoid": "{pkg}.tensor.sigmoid (exact, not the approximation)",
    "tensor.nnet.crossentropy_softmax_1hot": (
        "relucompat.legacy.tensor.nnet.categorical_crossentropy(softmax(x), y)"
    ),
    "tensor.shared_randomstreams": "{pkg}.tensor.random.utils.RandomStream",
    "tensor.signal": "no modern equivalent in {pkg}: pooling was removed with nnet",
    "sandbox": "{pkg}.tensor.random.utils.RandomStream, for sandbox.rng_mrg.MRG_RandomStreams",
    "gof": "{pkg}.graph",
}


class Namespace(types.ModuleType):
    """A module whose names come from backend modules, in order, or from ``provided``."""

    def __init__(
        self,
        name: str,
        where: str,
        sources: Callable[[], List[Any]],
        provided: Optional[Dict[str, Callable[[], Any]]] = None,
    ) -> None:
        super().__init__(name)
        self.__where = where  # "tensor.nnet": the Theano path below the top-level package
        self.__sources = sources
        self.__provided = provided or {}
        # A package to the import system, so that `import theano.x` asks relucompat run's
        # finder (which names what is missing) instead of failing with "not a package".
        self.__path__: List[str] = []

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if attr in self.__provided:
            value = self.__provided[attr]()
        else:
            for module in self.__sources():
                if hasattr(module, attr):
                    value = getattr(module, attr)
                    break
            else:
                raise AttributeError(_missing(f"{self.__where}.{attr}".lstrip(".")))
        setattr(self, attr, value)  # later lookups are plain attribute reads
        return value

    def __dir__(self) -> List[str]:
        names = set(self.__provided)
        for module in self.__sources():
            names.update(dir(module))
        return sorted(names)


def _backend() -> Any:
    from relucompat import discovery

    return discovery.default()


def _missing(path: str) -> str:
    backend = _backend()
    package = backend.backend.import_name
    message = (
        f"theano.{path} is not in relucompat's legacy namespace over {backend.label}, "
        f"which has no {package}.{path}"
    )
    for name, modern in MODERN.items():
        if path == name or path.startswith(name + "."):
            return f"{message}; the modern equivalent is {modern.format(pkg=package)}"
    return message


def _native_nnet() -> List[Any]:
    backend = _backend()
    if backend.native is None:
        return []
    return [importlib.import_module(backend.backend.native_module)]


def _modern(*paths: str) -> Callable[[], Any]:
    """The first of ``paths`` (below the backend package) that exists, on first use."""

    def find() -> Any:
        package = _backend().backend.import_name
        for path in paths:
            module_name, _, attr = f"{package}.{path}".rpartition(".")
            try:
                return getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError):
                continue
        raise AttributeError(_missing("tensor.nnet." + paths[0].rpartition(".")[2]))

    return find


def _native(name: str) -> Any:
    """The backend's own ``nnet.<name>``, or None where it has no nnet."""
    return next((getattr(m, name) for m in _native_nnet() if hasattr(m, name)), None)


def _nnet_or(name: str, *paths: str) -> Callable[[], Any]:
    return lambda: _native(name) or _modern(*paths)()


def _relu() -> Any:
    from relucompat.route import relu

    def relu_theano(x: Any, alpha: Any = 0) -> Any:
        """Theano's ``nnet.relu``, through relucompat (``"theano"`` semantics)."""
        return relu(x, alpha, semantics="theano")

    return relu_theano


def _softmax() -> Any:
    native = _native("softmax")
    if native is not None and "axis" not in inspect.signature(native).parameters:
        return native  # Theano's own: over the last axis
    # Aesara and PyTensor 2.8 warn when axis is not given; Theano's meaning is the last one.
    modern = native or _modern("tensor.special.softmax")()

    def softmax(c: Any) -> Any:
        """Theano's ``nnet.softmax``: over the last axis."""
        return modern(c, axis=-1)

    return softmax


def binary_crossentropy(output: Any, target: Any) -> Any:
    """Theano's formula, for backends without nnet:
    ``-(target * log(output) + (1 - target) * log(1 - output))``."""
    T = _backend().tensor
    return -(target * T.log(output) + (1.0 - target) * T.log(1.0 - output))


def categorical_crossentropy(coding_dist: Any, true_dist: Any) -> Any:
    """Theano's, for backends without nnet: ``-log`` of the true class's probability for
    integer labels, else ``-sum(true_dist * log(coding_dist))`` over the last axis."""
    T = _backend().tensor
    if true_dist.ndim == coding_dist.ndim:
        return -(true_dist * T.log(coding_dist)).sum(axis=coding_dist.ndim - 1)
    rows = T.arange(true_dist.shape[0])
    return -T.log(coding_dist[rows, true_dist])


nnet = Namespace(
    "theano.tensor.nnet",
    "tensor.nnet",
    _native_nnet,
    {
        "relu": _relu,
        "sigmoid": _nnet_or("sigmoid", "tensor.sigmoid"),
        "softplus": _nnet_or("softplus", "tensor.softplus"),
        "softmax": _softmax,
        "binary_crossentropy": lambda: _native("binary_crossentropy") or binary_crossentropy,
        "categorical_crossentropy": (
            lambda: _native("categorical_crossentropy") or categorical_crossentropy
        ),
    },
)
tensor = Namespace("theano.tensor", "tensor", lambda: [_backend().tensor], {"nnet": lambda: nnet})
printing = Namespace(
    "theano.printing", "printing", lambda: [importlib.import_module(_package() + ".printing")]
)


theano = Namespace(
    "theano",
    "",
    lambda: [_backend().module],
    {"tensor": lambda: tensor, "printing": lambda: printing},
)


def _package() -> str:
    return str(_backend().backend.import_name)


def __getattr__(name: str) -> Any:
    """``function``, ``shared``, ``grad``, ``config``, ``scan``... from the backend."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(theano, name)
