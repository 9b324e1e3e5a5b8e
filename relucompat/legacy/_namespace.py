"""What every module of the legacy namespace shares.

Each module of ``relucompat.legacy`` stands at a Theano path (``tensor/nnet/__init__.py`` is
``theano.tensor.nnet``). It defines what relucompat provides there, and forwards every other
name to the backend's module at the same path through :func:`forward`. A name found in
neither is an ``AttributeError`` that :func:`missing` words.

Every module finds its backend through :func:`backend` (or the functions built on it). For a
legacy program that is relucompat's default backend, with Theano's flags and truth; inside
:func:`standing_over` it is a given backend as it is, which is how ``relucompat.nn`` builds
the legacy namespace's graphs for programs that are not legacy ones.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import pkgutil
import sys
import warnings
from types import ModuleType
from typing import Any, Callable, Iterator, List, Optional, Tuple

# Theano paths that moved, and where a modern backend may have them (below its package),
# in order of preference. Each is probed in the running backend before a message names it.
MODERN = {
    "gof": ("graph",),
    "sandbox.linalg": ("tensor.nlinalg",),
    "tensor.nnet.logsoftmax": ("tensor.special.log_softmax",),
    "tensor.nnet.h_softmax": (),
    "tensor.nnet.conv3d": (),
    "sandbox.cuda": (),
    "sandbox.gpuarray": (),
    "gpuarray": (),
}


# The backend that backend() returns as it is, while a standing_over() block runs.
_standing: contextvars.ContextVar[Optional[Any]] = contextvars.ContextVar(
    "relucompat.legacy._namespace.standing", default=None
)


def backend() -> Any:
    """The loaded backend the legacy namespace stands over (relucompat's default), with
    Theano's flags applied to it on first use (``_flags.py``) and its variables given
    Theano's truth (``tensor/var.py``). Inside :func:`standing_over`, that block's backend,
    untouched."""
    standing = _standing.get()
    if standing is not None:
        return standing
    from relucompat import discovery
    from relucompat.legacy import _flags

    loaded = _flags.load(discovery.default)
    if loaded.tensor not in _theano_behaviours:
        from relucompat.legacy.tensor import var

        var.theano_truth(loaded)
        _theano_behaviours.add(loaded.tensor)
    return loaded


_theano_behaviours: set = set()  # the backends' tensor modules given Theano's behaviours


@contextlib.contextmanager
def standing_over(loaded: Any) -> Iterator[Any]:
    """While the block runs (in this thread, or this task), the legacy namespace stands over
    ``loaded`` (a ``relucompat.lineage.Loaded``) as it is: :func:`backend` and everything
    built on it (:func:`floatx`, :func:`package`, :func:`native_nnet`, :func:`backend_module`)
    answer for it, and neither Theano's flags nor Theano's truth are applied to any
    backend. What a graph built inside calls later (an ``OpFromGraph``'s gradient, built
    when it is taken) stands over the graph's own backend itself, as
    ``sigmoid_binary_crossentropy``'s does: the block is long over then."""
    token = _standing.set(loaded)
    try:
        yield loaded
    finally:
        _standing.reset(token)


def owner(what: str, *values: Any) -> Any:
    """The loaded backend that the variables among ``values`` (or in the tuples and lists
    among them) belong to, judged from their classes; relucompat's default backend
    (``discovery.default``: ``use()``, ``$RELUCOMPAT_BACKEND``, an imported backend...)
    where none is a variable: ``discovery.backend_for``, as for relu. Neither applies
    Theano's flags. ``what`` names the caller in the ``TypeError`` for variables of two
    backends."""
    from relucompat import discovery

    flat: list = []
    pending = list(values)
    while pending:
        value = pending.pop(0)
        if isinstance(value, (tuple, list)):
            pending.extend(value)
        else:
            flat.append(discovery.backend_of(value))
    return discovery.backend_for(*flat, caller=what, arguments="every argument")


def floatx() -> str:
    """The backend's floatX, with Theano's flags applied (see :func:`backend`)."""
    return str(backend().module.config.floatX)


def package() -> str:
    """The backend's import name: ``"pytensor"``, ``"aesara"`` or ``"theano"``."""
    return str(backend().backend.import_name)


def backend_module(path: str) -> Optional[ModuleType]:
    """The backend's module at ``path`` (below its package), or None where it has none."""
    return _module(f"{package()}.{path}" if path else package())


@functools.lru_cache(maxsize=None)
def _module(name: str) -> Optional[ModuleType]:
    with warnings.catch_warnings():  # deprecated modules warn on import; not the user's doing
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(name)
        except ImportError:
            return None


def native_nnet() -> Optional[ModuleType]:
    """The backend's own ``tensor.nnet``, where it still has Theano's (relu included)."""
    loaded = backend()
    if loaded.native is None:
        return None
    return importlib.import_module(loaded.backend.native_module)


def probe(dotted: str) -> Optional[str]:
    """``dotted`` if it names a module or an attribute that exists now, else None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                value: Any = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
        for attr in parts[cut:]:
            if not hasattr(value, attr):
                return None
            value = getattr(value, attr)
        return dotted
    return None


def missing(path: str) -> str:
    """Why ``theano.<path>`` is not here, in one sentence, with a probed modern equivalent."""
    loaded = backend()
    pkg = loaded.backend.import_name
    message = f"theano.{path} is not in relucompat's legacy namespace over {loaded.label}"
    if probe(f"{pkg}.{path}") is None:
        message += f", which has no {pkg}.{path}"
    for name, candidates in MODERN.items():
        if path == name or path.startswith(name + "."):
            rest = path[len(name) :]
            found = [p for p in (f"{pkg}.{c}{rest}" for c in candidates) if probe(p)]
            if found:
                return f"{message}; its modern equivalent is {found[0]}"
            return f"{message}, and {pkg} has no equivalent"
    return message


def forward(
    module_name: str, where: str, sources: Callable[[], List[ModuleType]]
) -> Tuple[Callable[[str], Any], Callable[[], List[str]]]:
    """``__getattr__`` and ``__dir__`` for the legacy module ``module_name`` (Theano path
    ``where``): a legacy submodule first, then the first of ``sources()`` that has the name.
    ``dir()`` lists the module's ``__all__``, its submodules and the names of ``sources()``."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        here = sys.modules[module_name]
        # A module of the legacy package's own (a file), not one the finder below lends.
        own_module = hasattr(here, "__path__") and importlib.machinery.PathFinder.find_spec(
            f"{module_name}.{name}", here.__path__
        )
        if own_module:
            try:
                return importlib.import_module(f"{module_name}.{name}")  # sets the attribute
            except ImportError as exc:  # theano.sandbox.cuda: Theano never imported it here
                raise AttributeError(str(exc)) from None
        for module in sources():
            if hasattr(module, name):
                return getattr(module, name)
        path = f"{where}.{name}".lstrip(".")
        submodule = backend_module(path)  # a submodule of the backend's not imported yet
        if submodule is not None:
            return submodule
        raise AttributeError(missing(path))

    def __dir__() -> List[str]:
        here = sys.modules[module_name]
        # What relucompat defines here (its __all__, not its helpers), and the submodules.
        names = set(here.__all__ if hasattr(here, "__all__") else vars(here))
        if hasattr(here, "__path__"):
            names.update(info.name for info in pkgutil.iter_modules(here.__path__))
        for module in sources():
            names.update(dir(module))
        return sorted(name for name in names if not name.startswith("_"))

    return __getattr__, __dir__


def at(*paths: str) -> Callable[[], List[ModuleType]]:
    """``sources`` for :func:`forward`: the backend's modules at ``paths`` that it has."""

    def sources() -> List[ModuleType]:
        found = (backend_module(path) for path in paths)
        return [module for module in found if module is not None]

    return sources


def native_or(name: str, *paths: str) -> Any:
    """The backend's own ``nnet.<name>`` where it has Theano's nnet, else the first of
    ``paths`` (below the backend package) that exists."""
    nnet = native_nnet()
    if nnet is not None and hasattr(nnet, name):
        return getattr(nnet, name)
    pkg = package()
    for path in paths:
        if probe(f"{pkg}.{path}"):
            module, _, attr = f"{pkg}.{path}".rpartition(".")
            return getattr(importlib.import_module(module), attr)
    raise AttributeError(missing(f"tensor.nnet.{name}"))


@functools.lru_cache(maxsize=None)
def theano_class(
    base: type,
    name: str,
    module: str,
    init: Optional[Callable[..., None]] = None,
    excluding: Tuple[type, ...] = (),
) -> type:
    """The backend's ``base`` as Theano's class ``name`` of ``module``: a subclass (with
    Theano's ``__init__`` where given) whose ``isinstance`` and ``issubclass`` answer for
    every class of the backend that has ``base`` and none of ``excluding`` in its MRO, as
    Theano's hierarchy answered (in Theano a shared variable was no TensorVariable)."""

    def theirs(cls: Any) -> bool:
        mro = getattr(cls, "__mro__", ())
        return base in mro and not any(e in mro for e in excluding)

    # By the MRO: base's ABC machinery would ask this class again about its subclasses.
    class TheanoClass(type(base)):  # type: ignore[misc]
        def __instancecheck__(cls, instance: Any) -> bool:
            return theirs(type(instance))

        def __subclasscheck__(cls, subclass: type) -> bool:
            return theirs(subclass)

    namespace: dict = {"__module__": module, "__doc__": base.__doc__, "__qualname__": name}
    if init is not None:
        namespace["__init__"] = init
    return TheanoClass(name, (base,), namespace)


class AliasLoader(importlib.abc.Loader):
    """Loads a module that already exists under another name (:meth:`existing`), leaving
    it as it was: the import system stamps the alias's spec on the module it gets, and
    this puts the module's own back (``pytensor.ifelse`` stays ``pytensor.ifelse``)."""

    def __init__(self) -> None:
        self._own_specs: dict = {}

    def existing(self, name: str) -> Any:
        raise NotImplementedError

    def create_module(self, spec: Any) -> Any:
        module = self.existing(spec.name)
        self._own_specs[spec.name] = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module: Any) -> None:
        alias = module.__spec__.name
        if alias in self._own_specs:
            module.__spec__ = self._own_specs.pop(alias)


class _BackendModules(importlib.abc.MetaPathFinder, AliasLoader):
    """``relucompat.legacy.X`` where the legacy namespace has no module X: the backend's
    module at Theano's path X (``relucompat.legacy.ifelse`` is ``pytensor.ifelse``), as
    ``relucompat run`` resolves ``theano.X``. Consulted after every other finder."""

    PREFIX = "relucompat.legacy."

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if not name.startswith(self.PREFIX) or backend_module(name[len(self.PREFIX) :]) is None:
            return None
        return importlib.machinery.ModuleSpec(name, self)

    def existing(self, name: str) -> Any:
        return backend_module(name[len(self.PREFIX) :])


def resolve_backend_modules() -> None:
    """Let ``import relucompat.legacy.X`` find the backend's module at X (once)."""
    if not any(isinstance(finder, _BackendModules) for finder in sys.meta_path):
        sys.meta_path.append(_BackendModules())
