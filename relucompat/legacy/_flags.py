"""Theano's flags, carried over to the backend (``configparser.py`` reads them).

The first time the legacy namespace (or ``relucompat run``) loads a backend, :func:`load`
checks each flag as Theano did and sets the backend's counterpart for this process:

- what the backend reads only while it is imported (its compiledir, ``optimizer*``, ``cxx``,
  ``gcc.cxxflags``, ``blas.ldflags``) goes into its own flags variable (``PYTENSOR_FLAGS``,
  ``AESARA_FLAGS``) just around that import; ``os.environ`` is restored after it;
- the rest is set through its ``config`` right after the import.

The backend's own configuration (its flags variable or its rc file) wins over Theano's. The
real Theano (or Theano-PyMC) reads its flags itself: then nothing here touches anything.
A flag set later through ``theano.config`` goes the same way (:func:`set_at_run_time`).
"""

from __future__ import annotations

import configparser as _stdlib_configparser
import contextlib
import os
import sys
import threading
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional

from relucompat import _warnings
from relucompat.legacy.configdefaults import FLAGS
from relucompat.legacy.configparser import (
    Flag,
    TheanoFlagsWarning,
    _pending,
    is_gpu,
    parse_config_string,
    problem,
    read,
    read_rc,
)

__all__ = ["explain", "load", "set_at_run_time"]


def __dir__() -> List[str]:
    return __all__


class Outcome(NamedTuple):
    flag: Flag
    setting: Optional[str]  # what was set, e.g. "pytensor.config.floatX = 'float32'"
    why: Optional[str]  # else why not, as a clause
    warn: str = ""  # which warning it gets: "gpu", "late", "flag", "unknown", or none


# Read by the backend while it is imported (immutable after it, or used at import).
AT_IMPORT = (
    "base_compiledir",
    "compiledir",
    "cxx",
    "gcc.cxxflags",
    "blas.ldflags",
    "optimizer",
    "optimizer_including",
    "optimizer_excluding",
)
GPU_DEFAULTS = ("", "cpu")
THEANO_READS = "the real Theano reads them itself; relucompat sets nothing"

_lock = threading.RLock()
_outcomes: Optional[List[Outcome]] = None  # set once the flags are applied


def _asks_for_gpu(flag: Flag) -> bool:
    return flag.name in ("device", "init_gpu_device", "contexts") and flag.value not in GPU_DEFAULTS


def _flags_var(import_name: str) -> str:
    return f"{import_name.upper()}_FLAGS"


def users_own(import_name: str) -> Dict[str, str]:
    """The backend's flags its own configuration sets (lowercased name: where), to leave be."""
    rc_var = f"{import_name.upper()}RC"
    files = [
        os.path.expanduser(s) for s in os.getenv(rc_var, f"~/.{import_name}rc").split(os.pathsep)
    ]
    own = {key.lower(): rc_var for key in read_rc(files, "__")}
    for key in parse_config_string(os.getenv(_flags_var(import_name), "")):
        own[key.replace(".", "__").lower()] = _flags_var(import_name)
    return own


def translate(flag: Flag, import_name: str) -> str:
    """The value for the backend: compiledirs get a directory of the backend's own, so that
    Theano's and the backend's compiled modules never mix."""
    if flag.name in ("base_compiledir", "compiledir"):
        return os.path.join(os.path.expanduser(flag.value), import_name)
    return flag.value


@contextlib.contextmanager
def _import_time_flags(flags: List[Flag]) -> Iterator[None]:
    """Put the import-time flags into each non-Theano backend's flags variable (after the
    user's own entries, so that those still win), for the import only."""
    import shlex

    from relucompat.lineage import registry

    saved: Dict[str, Optional[str]] = {}
    try:
        for backend in registry():
            name = backend.import_name
            if name == "theano" or name in sys.modules:
                continue
            own = users_own(name)
            entries = [
                f"{f.name.replace('.', '__')}={shlex.quote(translate(f, name))}"
                for f in flags
                if f.name in AT_IMPORT and f.name.replace(".", "__").lower() not in own
            ]
            var = _flags_var(name)
            if entries:
                saved[var] = os.environ.get(var)
                os.environ[var] = ",".join([*entries, os.environ.get(var, "")]).rstrip(",")
        yield
    finally:
        for var, value in saved.items():
            if value is None:
                del os.environ[var]
            else:
                os.environ[var] = value


def _apply(flags: List[Flag], loaded: Any, imported_before: bool) -> List[Outcome]:
    """Set each flag's counterpart in the loaded backend's config; say what became of it."""
    own = users_own(loaded.backend.import_name)
    # The linker first: whether FAST_RUN takes it depends on it (see _mode).
    ordered = sorted(flags, key=lambda f: f.name != "linker")
    return [_apply_one(flag, loaded, imported_before, own) for flag in ordered]


def _apply_one(
    flag: Flag, loaded: Any, imported_before: bool, own: Dict[str, str], value: Any = None
) -> Outcome:
    """Set ``flag``'s counterpart (to ``value`` if given, else the flag's string) and say
    what became of it."""
    name = loaded.backend.import_name
    config = loaded.module.config
    known = {key.lower(): key for key in getattr(config, "_config_var_dict", {})}
    target = flag.name.replace(".", "__")
    setting = f"{name}.config.{target}"
    if is_gpu(flag.name):
        why = "Theano's GPU backends are gone; this runs on the CPU"
        return Outcome(flag, None, why, "gpu" if _asks_for_gpu(flag) else "")
    if flag.name == "compiledir_format":
        return Outcome(flag, None, f"{name} names its own compiledir", "flag")
    if target.lower() in own:
        return Outcome(flag, None, f"{own[target.lower()]} sets {setting}")
    if target.lower() not in known:
        default = FLAGS.get(flag.name, (None,))[0]
        why = f"{loaded.label} has no {target}"
        return Outcome(flag, None, why, "flag" if flag.value != default else "")
    if flag.name in AT_IMPORT and not imported_before:
        return Outcome(flag, f"{setting} = {translate(flag, name)!r}", None)
    if value is None:
        value = _mode(flag, loaded) if flag.name == "mode" else translate(flag, name)
    try:
        setattr(config, known[target.lower()], value)
    except Exception as exc:  # the backend's own refusal, reworded
        if imported_before and flag.name in AT_IMPORT:
            why = f"{name} was imported before relucompat.legacy was first used"
            return Outcome(flag, None, why, "late")
        return Outcome(flag, None, f"{loaded.label} refused it ({exc})", "flag")
    note = (
        f" (its FAST_RUN takes no {config.linker} linker)"
        if flag.name == "mode" and value != flag.value
        else ""
    )
    return Outcome(flag, f"{setting} = {value!r}{note}", None)


def set_at_run_time(name: str, value: Any) -> bool:
    """Set Theano flag ``name`` (Theano's spelling) to ``value`` in the legacy namespace's
    backend, as a THEANO_FLAGS entry is set, warning as there where it has no counterpart.
    Raises ValueError where Theano refused the value. Whether the backend took it."""
    from relucompat.legacy import _namespace

    loaded = _namespace.backend()
    flag = Flag(name, str(value), "theano.config")
    refused = problem(flag)
    if refused:
        raise ValueError(refused)
    if flag.name == "mode" and isinstance(value, str):
        value = _mode(flag, loaded)
    elif isinstance(value, str):
        value = translate(flag, loaded.backend.import_name)
    outcome = _apply_one(flag, loaded, True, {}, value)
    if outcome.warn == "late":  # worded for THEANO_FLAGS; here the program is running
        why = f"{loaded.label} reads it only when it is imported; set it in THEANO_FLAGS"
        outcome = Outcome(flag, None, why, "flag")
    _queue([outcome], loaded)
    _flush()
    return outcome.setting is not None


def _mode(flag: Flag, loaded: Any) -> str:
    """Theano's FAST_RUN fixed its linker (cvm); PyTensor's FAST_RUN takes the linker flag
    and knows only some (a KeyError on the others): with those, its "Mode" is Theano's."""
    import importlib

    mode_module = importlib.import_module(loaded.backend.import_name + ".compile.mode")
    takes = getattr(mode_module, "fast_run_linkers_to_mode", None)
    linker = loaded.module.config.linker
    if flag.value == "FAST_RUN" and takes is not None and linker not in (*takes, "auto"):
        return "Mode"
    return flag.value


def load(load_backend: Callable[[], Any], warn: bool = True) -> Any:
    """``load_backend()`` with Theano's flags applied to the backend it loads, the first
    time. Raises ValueError for a value Theano would have refused (unless the backend is
    the real Theano, which reads them). Warnings are shown at the user's line; with
    ``warn=False`` (``relucompat run``, before the script) at the next call's."""
    global _outcomes
    if _outcomes is None:
        with _lock:
            if _outcomes is None:
                _outcomes = _first_load(load_backend)
    loaded = load_backend()
    if _pending and warn:
        _flush()
    return loaded


def _first_load(load_backend: Callable[[], Any]) -> List[Outcome]:
    from relucompat.lineage import registry
    from relucompat.lineage._base import default_linker

    del _pending[:]  # from an attempt whose import failed
    try:
        flags, unknown = read()
    except (ValueError, _stdlib_configparser.Error) as exc:  # unbalanced quotes, a malformed file
        flags, unknown, problems = [], [], [f"Theano's flags cannot be read: {exc}"]
    else:
        problems = [p for p in map(problem, flags) if p]
    before = {b.import_name for b in registry() if b.import_name in sys.modules}
    with _import_time_flags([f for f in flags if not problem(f)]):
        loaded = load_backend()
    name = loaded.backend.import_name
    if name == "theano":  # the real one: it reads THEANO_FLAGS and THEANORC itself
        del _pending[:]
        return [Outcome(Flag("THEANO_FLAGS", "", "THEANORC"), None, THEANO_READS)]
    if problems:
        raise ValueError(problems[0])
    outcomes = _apply(flags, loaded, name in before)
    no_such = "Theano 1.0.5 has no such flag"
    outcomes += [Outcome(flag, None, no_such, "unknown") for flag in unknown]
    loaded.linker = default_linker(loaded.module)  # the flags may have changed it
    _queue(outcomes, loaded)
    return outcomes


def _queue(outcomes: List[Outcome], loaded: Any) -> None:
    """The warnings to show: one for the GPU, one for the flags applied too late, one per
    other flag not carried over."""
    gpu = [o.flag for o in outcomes if o.warn == "gpu"]
    if gpu:
        asked = ", ".join(f"{f.name}={f.value}" for f in gpu)
        _pending.append(
            f"{asked}: Theano's GPU backends (cuda, gpuarray) are gone; this runs on "
            f"{loaded.label} with its {loaded.linker} linker, on the CPU"
        )
    late = [o.flag.name for o in outcomes if o.warn == "late"]
    if late:
        name = loaded.backend.import_name
        _pending.append(
            f"Theano flags {', '.join(late)} are ignored: {name} reads them when it is "
            f"imported, and it was imported before relucompat.legacy was first used; "
            f"set them in {_flags_var(name)}"
        )
    for o in outcomes:
        if o.warn == "flag":
            _pending.append(f"Theano flag {o.flag.name} is ignored: {o.why}")
        elif o.warn == "unknown":  # Theano's own words
            _pending.append(f"Theano does not recognise this flag: {o.flag.name}")


def _flush() -> None:
    with _lock:
        shown, _pending[:] = list(_pending), []
    for message in shown:
        _warnings.warn(message, TheanoFlagsWarning)


def explain() -> List[str]:
    """What became of each Theano flag, one line each (``relucompat run --explain``)."""
    lines = []
    for o in _outcomes or []:
        if o.why == THEANO_READS:
            return [f"THEANO_FLAGS and THEANORC: {THEANO_READS}"]
        shown = f"{o.flag.name}={o.flag.value}"
        if o.setting:
            lines.append(f"applied {shown} ({o.flag.source}) as {o.setting}")
        else:
            lines.append(f"ignored {shown} ({o.flag.source}): {o.why}")
    return lines
