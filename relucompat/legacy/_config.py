"""``theano.config``: every Theano 1.0.5 flag by Theano's name, over the backend's config.

Scripts read and set flags at run time (``theano.config.floatX``,
``theano.config.warn.subtensor_merge_bug = False``, ``theano.config.gcc.cxxflags``). Here a
flag the backend has (Theano's ``a.b`` is its ``a__b``) is the backend's, read and set
there; setting one is checked and carried over as a THEANO_FLAGS entry is
(``_flags.set_at_run_time``), with the same warning where there is no counterpart. A
Theano flag the backend lacks reads as THEANO_FLAGS (or THEANORC) gave it, else as
Theano's default, until it is set. The backend's own flags are reachable too.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from relucompat.legacy import _namespace
from relucompat.legacy.configdefaults import FLAGS

__all__ = ["TheanoConfigParser", "current"]


def __dir__() -> List[str]:
    return __all__


class TheanoConfigParser:
    """Theano's ``config`` (or one of its sections, ``config.warn``), over the backend's."""

    def __init__(self, prefix: str = "", values: Optional[Dict[str, Any]] = None) -> None:
        # Set through object's: this class's __setattr__ sets flags.
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_values", {} if values is None else values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        full = self._prefix + name
        if any(flag.startswith(full + ".") for flag in FLAGS):
            return TheanoConfigParser(full + ".", self._values)  # a section
        if full in self._values:  # set here, and not taken by the backend (a GPU flag)
            return self._values[full]
        backend = _backend_config()
        target = _backend_name(backend, full)
        if target is not None:
            return getattr(backend, target)
        if full in FLAGS:
            return _typed(full, _given(full))
        raise AttributeError(
            f"theano.config has no flag {full}: neither Theano 1.0.5 nor "
            f"{_namespace.backend().label} has one of that name"
        )

    def __setattr__(self, name: str, value: Any) -> None:
        full = self._prefix + name
        backend = _backend_config()
        if full not in FLAGS:
            target = _backend_name(backend, full)
            if target is None:  # Theano's config took any new attribute
                self._values[full] = value
            else:  # one of the backend's own flags
                setattr(backend, target, value)
            return
        from relucompat.legacy import _flags

        if _flags.set_at_run_time(full, value):
            self._values.pop(full, None)
        else:
            self._values[full] = value

    def __dir__(self) -> List[str]:
        depth = self._prefix.count(".")
        names = {f.split(".")[depth] for f in FLAGS if f.startswith(self._prefix)}
        if not self._prefix:
            names.update(name.split("__")[0] for name in _backend_names(_backend_config()))
        return sorted(names)

    def __repr__(self) -> str:
        where = f" section {self._prefix[:-1]}" if self._prefix else ""
        return f"<theano.config{where} over {_namespace.backend().label}>"


def _backend_config() -> Any:
    return _namespace.backend().module.config


def _backend_names(backend: Any) -> List[str]:
    return list(getattr(backend, "_config_var_dict", {}))


def _backend_name(backend: Any, full: str) -> Optional[str]:
    """The backend's name for Theano's ``full`` (``a.b`` is ``a__b``), if it has the flag."""
    wanted = full.replace(".", "__").lower()
    return next((n for n in _backend_names(backend) if n.lower() == wanted), None)


def _given(name: str) -> Any:
    """The flag's value from THEANO_FLAGS or THEANORC, else Theano's default."""
    from relucompat.legacy import configparser

    given = {flag.name: flag.value for flag in configparser.read()[0]}
    return given.get(name, FLAGS[name][0])


def _typed(name: str, value: Any) -> Any:
    """``value`` as Theano's config gave it: a bool, an int, a float or a string."""
    accepted = FLAGS[name][1]
    if value is None or not isinstance(value, str):
        return value
    if accepted is bool:
        return value in ("True", "true", "1")
    if accepted in (int, float):
        return accepted(value)
    return value


def current() -> Any:
    """``theano.config`` over the legacy namespace's backend: the backend's own config
    where it still has Theano's sections (Theano, Theano-PyMC 1.0), else :data:`config`."""
    own = _backend_config()
    section = getattr(own, "warn", None)
    return own if hasattr(section, "subtensor_merge_bug") else config


config = TheanoConfigParser()
