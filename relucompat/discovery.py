"""Which backend a call uses, and what is installed.

A backend is imported only when a call needs it. The choice for one call, in order:

1. the backend that ``x`` or ``alpha`` belongs to, judged from their classes;
2. :func:`use` or ``$RELUCOMPAT_BACKEND``;
3. a backend the process has already imported;
4. the first that imports, in the registry's order (PyTensor, Aesara, Theano).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Dict, List, NamedTuple, Optional, Tuple

from relucompat._warnings import warn
from relucompat.lineage import Backend, Installed, Loaded, load_apart, registry

__all__ = [
    "BackendInfo",
    "BackendSkippedWarning",
    "backend_for",
    "backend_of",
    "backends",
    "default",
    "load",
    "one_line",
    "use",
]


def __dir__() -> list[str]:
    return __all__


ENV_VAR = "RELUCOMPAT_BACKEND"


class BackendSkippedWarning(UserWarning):
    """A backend is installed but does not import, so relucompat used another."""


class Failure(NamedTuple):
    reason: str  # one line
    details: str  # the whole traceback


class BackendInfo(NamedTuple):
    """One installed distribution of the Theano lineage, as :func:`backends` reports it."""

    name: str
    version: str
    import_name: str
    extra: str
    usable: bool
    reason: Optional[str]  # why it is not usable, in one line
    native: Optional[str]  # dotted path of its nnet.relu
    linker: Optional[str]  # its default linker
    details: Optional[str] = None  # the whole error, left out of repr()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(self._fields[:-1], self[:-1]))
        return f"BackendInfo({shown})"


_lock = threading.RLock()
_loaded: Dict[str, Loaded] = {}  # by import name
_failed: Dict[str, Failure] = {}
_owner_by_type: Dict[type, Optional[Backend]] = {}
_chosen: Optional[str] = None
_warned: set = set()


def backend_of(obj: object) -> Optional[Backend]:
    """The backend whose class ``obj`` is an instance of, without importing anything."""
    cls = type(obj)
    try:
        return _owner_by_type[cls]
    except KeyError:
        pass
    owner = next((b for b in registry() if b.owns(obj)), None)
    if owner is not None or cls.__module__ in ("builtins", "numpy"):
        _owner_by_type[cls] = owner  # an unowned class may be a backend's before import
    return owner


def load(backend: Backend) -> Loaded:
    """Import ``backend`` once. A failure is recorded and raised as ``ImportError``."""
    loaded = _loaded.get(backend.import_name)
    if loaded is not None:
        return loaded
    with _lock:
        if backend.import_name in _loaded:
            return _loaded[backend.import_name]
        if backend.import_name not in _failed:
            before = set(sys.modules)
            with _OutputCapture() as output:
                try:
                    imported = [b for b in registry() if b.import_name in sys.modules]
                    loaded = load_apart(backend, imported)
                except Exception as exc:  # a broken install must not break discovery
                    import traceback

                    for name in set(sys.modules) - before:  # no half-imported backend stays
                        if name.split(".")[0] == backend.import_name:
                            del sys.modules[name]
                    details = traceback.format_exc() + output.text()
                    _failed[backend.import_name] = Failure(one_line(exc), details)
                else:
                    _loaded[backend.import_name] = loaded
            if backend.import_name in _loaded:
                output.replay()
                return _loaded[backend.import_name]
        failure = _failed[backend.import_name]
        raise ImportError(
            f"{_label(backend)} is installed but does not import: {failure.reason}. "
            f"The full error is in relucompat.backends()."
        )


class _OutputCapture:
    """Hold what is written to file descriptors 1 and 2, C compilers' output included.

    A broken Theano prints pages of g++ errors while it fails to import; they belong in
    ``backends()`` details, not on the user's terminal.
    """

    def __enter__(self) -> _OutputCapture:
        import tempfile

        self._sink = tempfile.TemporaryFile()
        self._saved = []
        self._text: Optional[str] = None
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            stream.flush()
            self._saved.append(os.dup(fd))
            os.dup2(self._sink.fileno(), fd)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            stream.flush()
            os.dup2(self._saved[fd - 1], fd)
            os.close(self._saved[fd - 1])
        self._sink.seek(0)
        self._text = self._sink.read().decode("utf-8", "replace")
        self._sink.close()

    def text(self) -> str:
        """What was written so far (inside the block) or in all (after it)."""
        if self._text is not None:
            return self._text
        self._sink.seek(0)
        return self._sink.read().decode("utf-8", "replace")

    def replay(self) -> None:
        """Show what a working import printed, as a plain import would have."""
        sys.stderr.write(self.text())
        sys.stderr.flush()


def backend_for(
    *owners_of_arguments: Optional[Backend], caller: str = "relu", arguments: str = "x and alpha"
) -> Loaded:
    """The loaded backend that a call uses, given the backends its arguments belong to
    (``None`` for a number or an array); ``caller`` and ``arguments`` word the error for
    variables of two backends."""
    owners: List[Backend] = []
    for owner in owners_of_arguments:
        if owner is not None and owner not in owners:
            owners.append(owner)
    if len(owners) > 1:
        names = " and ".join(_label(b) for b in owners)
        raise TypeError(
            f"{caller} got variables of two backends, {names}; a graph lives in one "
            f"backend, so build {arguments} with the same one"
        )
    if owners:
        return load(owners[0])
    return default()


def default() -> Loaded:
    """The backend for inputs that do not belong to one (steps 2 to 4)."""
    if _chosen is not None:
        return _load_named(_chosen, "relucompat.use")
    named = os.environ.get(ENV_VAR)
    if named:
        return _load_named(named, ENV_VAR)
    for backend in registry():
        if backend.import_name in sys.modules and backend.import_name not in _failed:
            return load(backend)
    skipped = []
    for backend in registry():
        if not backend.present():
            continue
        try:
            loaded = load(backend)
        except ImportError:
            skipped.append(backend)
            continue
        _warn_skipped(skipped, loaded)
        return loaded
    raise ImportError(_nothing_usable(skipped))


def use(name: Optional[str]) -> None:
    """Use backend ``name`` for inputs that do not belong to a backend; ``None`` undoes it.

    ``name`` is a distribution name: ``"pytensor"``, ``"aesara"``, ``"theano-pymc"`` or
    ``"theano"`` (which accepts either distribution that provides ``import theano``).
    """
    global _chosen
    if name is not None:
        _resolve_name(name, "relucompat.use")
    _chosen = name


def backends() -> List[BackendInfo]:
    """Every installed distribution of the lineage. Imports each one to check it."""
    report = []
    for backend in registry():
        owner = backend.provider()
        for installed in backend.installed():
            if installed != owner:
                reason = f"shadowed: `import {backend.import_name}` loads {owner.name}"  # type: ignore[union-attr]
                report.append(_info(installed, backend, None, reason, None))
                continue
            try:
                loaded = load(backend)
            except ImportError:
                failure = _failed[backend.import_name]
                report.append(_info(installed, backend, None, failure.reason, failure.details))
                continue
            report.append(_info(installed, backend, loaded, None, None))
    return report


def names() -> Tuple[str, ...]:
    """The backend names that :func:`use` and ``$RELUCOMPAT_BACKEND`` accept."""
    return tuple(sorted(_name_table()))


def _info(
    installed: Installed,
    backend: Backend,
    loaded: Optional[Loaded],
    reason: Optional[str],
    details: Optional[str],
) -> BackendInfo:
    return BackendInfo(
        name=installed.name,
        version=installed.version,
        import_name=backend.import_name,
        extra=installed.extra,
        usable=loaded is not None,
        reason=reason,
        native=loaded.native_path if loaded else None,
        linker=loaded.linker if loaded else None,
        details=details,
    )


def _name_table() -> Dict[str, Tuple[Backend, Optional[str]]]:
    table: Dict[str, Tuple[Backend, Optional[str]]] = {}
    for backend in registry():
        for provider in backend.providers:
            table[provider.distribution.lower()] = (backend, provider.distribution.lower())
        table[backend.import_name] = (backend, None)  # "theano": whichever provides it
    return table


def _resolve_name(name: str, source: str) -> Tuple[Backend, Optional[str]]:
    table = _name_table()
    key = name.lower() if isinstance(name, str) else name
    if key not in table:
        allowed = ", ".join(repr(n) for n in sorted(table))
        raise ValueError(f"unknown backend {source}={name!r}; allowed: {allowed}")
    backend, distribution = table[key]
    installed = backend.provider()
    if installed is None or (distribution is not None and installed.name != distribution):
        extra = next(
            p.extra for p in backend.providers if distribution in (None, p.distribution.lower())
        )
        found = f"; `import {backend.import_name}` is {installed.name}" if installed else ""
        raise ImportError(
            f"{source}={name!r}, but {distribution or backend.import_name} is not "
            f'installed{found}. Install it with: pip install "relucompat[{extra}]"'
        )
    return backend, distribution


def _load_named(name: str, source: str) -> Loaded:
    backend, _ = _resolve_name(name, source)
    return load(backend)


def _warn_skipped(skipped: List[Backend], used: Loaded) -> None:
    for backend in skipped:
        if backend.import_name in _warned:
            continue
        _warned.add(backend.import_name)
        warn(
            f"relucompat skipped {_label(backend)}, which does not import "
            f"({_failed[backend.import_name].reason}); using {used.label}. "
            f"The whole error: relucompat doctor --details",
            BackendSkippedWarning,
        )


def _nothing_usable(skipped: List[Backend]) -> str:
    extras = ", ".join(
        f'"relucompat[{p.extra}]"' for backend in registry() for p in backend.providers
    )
    broken = "".join(
        f" {_label(b)} is installed but does not import: {_failed[b.import_name].reason}."
        for b in skipped
    )
    return (
        f"relu needs a backend of the Theano lineage and none is usable.{broken} "
        f"Install one with pip: {extras} (pytensor is the maintained one)."
    )


def _label(backend: Backend) -> str:
    installed = backend.provider()
    return f"{installed.name} {installed.version}" if installed else backend.import_name


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message, with
    directories dropped from paths (the whole text stays in the details)."""
    import re

    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    text = re.sub(r"(?:/[^/\s:]+)+/([^/\s:]+)", r"\1", text)
    return text if len(text) <= 160 else text[:157] + "..."
