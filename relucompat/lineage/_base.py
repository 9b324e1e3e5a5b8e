"""What a backend module declares, and the logic all backends share.

A backend module (``theano.py``, ``aesara.py``, ``pytensor.py``) holds one
:class:`Backend`: the import name, the pip distributions that provide it, and its
place in the preference order. Nothing here imports a backend until :meth:`Backend.load`.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, List, NamedTuple, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec


class Provider(NamedTuple):
    """A pip distribution that provides a backend's import name."""

    distribution: str  # as on PyPI, e.g. "Theano-PyMC"
    extra: str  # the relucompat extra that installs it


class Installed(NamedTuple):
    """A provider found in the environment's distribution metadata."""

    name: str  # normalised: "theano-pymc"
    version: str
    extra: str


class Backend(NamedTuple):
    """One import name of the Theano lineage, as declared by its backend module."""

    import_name: str
    providers: Tuple[Provider, ...]
    priority: int  # lower is preferred when the input does not decide
    # Where the native relu lives when it exists. Imported explicitly: newer
    # releases stopped importing it from ``<pkg>.tensor`` and warn when it is.
    native_module: str
    # Which of several installed providers owns the import (only Theano has two).
    pick: Optional[Callable[[Sequence[Installed], str], Installed]] = None
    # History: the release that removed ``nnet.relu``, where one did.
    relu_removed_in: Optional[str] = None
    # Its modules that import the C extensions it compiles into its own compiledir under
    # names the whole lineage uses (SHARED_C_MODULES), for each layout its releases had.
    c_importers: Tuple[str, ...] = ()

    def clashes_with(self, other: Backend) -> bool:
        """Whether this backend and ``other`` import C extensions under the same names, so
        that the second to import finds the first's (see ``_shared_c.load_apart``)."""
        return other != self and bool(self.c_importers) and bool(other.c_importers)

    def no_native_relu(self) -> str:
        """Why this backend has no ``nnet.relu``, as a clause."""
        if self.relu_removed_in:
            return f"{self.import_name} removed nnet.relu in {self.relu_removed_in}"
        return f"this {self.import_name} has no nnet.relu"

    def installed(self) -> List[Installed]:
        """The providers present in the distribution metadata; imports nothing."""
        from importlib import metadata  # slow to import; keep `import relucompat` cheap

        found = []
        for provider in self.providers:
            dists = metadata.distributions(name=provider.distribution, path=_sys_path())
            version = next((dist.version for dist in dists), None)
            if version is not None:
                found.append(Installed(provider.distribution.lower(), version, provider.extra))
        return found

    def present(self) -> bool:
        """Whether ``import <import_name>`` finds a package; runs none of its code."""
        spec = _find_spec(self.import_name)
        return spec is not None and spec.loader is not None  # not a bare namespace dir

    def provider(self) -> Optional[Installed]:
        """The provider that ``import <import_name>`` would load, or ``None``."""
        found = self.installed()
        if len(found) > 1 and self.pick is not None:
            spec = _find_spec(self.import_name)  # locates, runs nothing
            origin = spec.origin if spec is not None and spec.origin else ""
            return self.pick(found, origin)
        return found[0] if found else None

    def owns(self, obj: object) -> bool:
        """Whether ``obj`` is an object of this backend, judged by its class alone."""
        if self.import_name not in sys.modules:
            return False
        prefix = self.import_name + "."
        return any(
            cls.__module__ == self.import_name or cls.__module__.startswith(prefix)
            for cls in type(obj).__mro__
        )

    def load(self) -> Loaded:
        """Import the backend and probe it. Raises whatever the import raises."""
        provider = self.provider()
        # What the backend's own import code warns about (its deprecated calls, a BLAS
        # probe) is not the user's to act on: keep it for the report instead of showing it.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = importlib.import_module(self.import_name)
            tensor = importlib.import_module(self.import_name + ".tensor")
            builders = importlib.import_module(self.import_name + ".compile.builders")
        native, native_warnings = self._native()
        if provider is None:  # importable, but not installed as a distribution (a source tree)
            version = str(getattr(module, "__version__", "unknown"))
            provider = Installed(self.import_name, version, self.providers[0].extra)
        return Loaded(
            backend=self,
            distribution=provider,
            module=module,
            tensor=tensor,
            OpFromGraph=builders.OpFromGraph,
            native=native,
            native_path=self.native_module + ".relu" if native is not None else None,
            linker=default_linker(module),
            import_warnings=tuple(_lines(caught) + native_warnings),
        )

    def _native(self) -> Tuple[Optional[Callable[..., Any]], List[str]]:
        # Aesara >= 2.8.8 and PyTensor 2.8 warn that nnet is deprecated; some also probe
        # BLAS on this import. Kept for the report, not shown: nothing the user can act on.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                nnet = importlib.import_module(self.native_module)
            except ImportError:  # removed (PyTensor >= 2.9)
                return None, []
        relu = getattr(nnet, "relu", None)
        return (relu if callable(relu) else None), _lines(caught)


class Loaded:
    """An imported backend and what relucompat needs from it: a live handle, equal only
    to itself."""

    def __init__(
        self,
        backend: Backend,
        distribution: Installed,
        module: ModuleType,
        tensor: ModuleType,
        OpFromGraph: Any,
        native: Optional[Callable[..., Any]],
        native_path: Optional[str],
        linker: str,
        import_warnings: Tuple[str, ...] = (),
    ) -> None:
        self.backend = backend
        self.distribution = distribution
        self.module = module
        self.tensor = tensor
        self.OpFromGraph = OpFromGraph
        self.native = native
        self.native_path = native_path
        self.linker = linker
        self.import_warnings = import_warnings

    def __repr__(self) -> str:
        return f"<Loaded {self.label}, {self.linker} linker>"

    @property
    def label(self) -> str:
        return f"{self.distribution.name} {self.distribution.version}"


def _lines(caught: List[warnings.WarningMessage]) -> List[str]:
    return [f"{w.category.__name__}: {w.message}" for w in caught]


_LINKER_NAMES = {
    "PerformLinker": "py",
    "CLinker": "c",
    "OpWiseCLinker": "c",
    "NumbaLinker": "numba",
    "JAXLinker": "jax",
    "PytorchLinker": "pytorch",
    "MLXLinker": "mlx",
}


def default_linker(module: ModuleType) -> str:
    """The linker of the backend's default mode, named as in its ``linker=`` flag."""
    mode_module = importlib.import_module(module.__name__ + ".compile.mode")
    linker = mode_module.get_default_mode().linker
    name = type(linker).__name__
    if name in _LINKER_NAMES:
        return _LINKER_NAMES[name]
    if name in ("VM_Linker", "VMLinker"):  # the C loop is "cvm"; the Python loop is "vm"
        return "cvm" if getattr(linker, "use_cloop", False) else "vm"
    return name


def _sys_path() -> List[str]:
    """A copy of ``sys.path`` to search: the lineage's backends import what they compile
    with ``sys.path[0:0] = [workdir]``, the import, then ``del sys.path[0]``, in place, and
    a search of the live list in another thread meanwhile skips an entry."""
    return list(sys.path)


def _find_spec(import_name: str) -> Optional[ModuleSpec]:
    """Where ``import <import_name>`` would load from (see :func:`_sys_path`); runs nothing."""
    import importlib.util
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(import_name, _sys_path())
    if spec is None:  # a finder on sys.meta_path may know it (an editable install's)
        spec = importlib.util.find_spec(import_name)
    return spec
