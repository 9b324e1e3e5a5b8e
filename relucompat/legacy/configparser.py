"""``theano.configparser``: Theano 1.0.5's flags, carried over to the backend.

Theano read ``$THEANO_FLAGS`` and the files of ``$THEANORC`` (default ``~/.theanorc``) when
it was imported, so Theano-era scripts are started as ``THEANO_FLAGS=floatX=float32 python
train.py``. The first time the legacy namespace (or ``relucompat run``) loads a backend,
this module reads both as Theano did (``parse_config_string``, ``config_files_from_theanorc``
and the file lookup below are Theano's), checks each value as Theano did, and sets the
backend's counterpart for this process:

- what the backend reads only while it is imported (its compiledir, ``optimizer*``, ``cxx``,
  ``gcc.cxxflags``, ``blas.ldflags``) goes into its own flags variable (``PYTENSOR_FLAGS``,
  ``AESARA_FLAGS``) just around that import; ``os.environ`` is restored after it;
- the rest is set through its ``config`` right after the import.

The backend's own configuration (its flags variable or its rc file) wins over Theano's. The
real Theano (or Theano-PyMC) reads its flags itself: then nothing here touches anything.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import sys
import threading
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from relucompat import _warnings
from relucompat.legacy.configdefaults import FLAGS

__all__ = [
    "TheanoFlagsWarning",
    "config_files_from_theanorc",
    "explain",
    "load",
    "parse_config_string",
]


class TheanoFlagsWarning(UserWarning):
    """A Theano flag that relucompat could not carry over to the backend."""


class Flag(NamedTuple):
    name: str  # Theano's spelling: "floatX", "gcc.cxxflags"
    value: str
    source: str  # "THEANO_FLAGS", or the THEANORC files


class Outcome(NamedTuple):
    flag: Flag
    setting: Optional[str]  # what was set, e.g. "pytensor.config.floatX = 'float32'"
    why: Optional[str]  # else why not, as a clause
    warn: str = ""  # which warning it gets: "gpu", "late", "flag", "unknown", or none


BOOLS = ("True", "true", "1", "False", "false", "0")  # Theano's BoolParam
MODES = ("Mode", "DebugMode", "FAST_RUN", "NanGuardMode", "FAST_COMPILE", "DEBUG_MODE")
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
# Theano's GPU backends, the old ``cuda`` one (0.x flags included) and ``gpuarray``.
GPU_NAMES = ("device", "init_gpu_device", "contexts", "force_device", "print_active_device")
GPU_SECTIONS = ("gpuarray", "cuda", "dnn", "magma", "gpu", "gpuelemwise", "nvcc", "pycuda", "ctc")
GPU_DEFAULTS = ("", "cpu")
THEANO_READS = "the real Theano reads them itself; relucompat sets nothing"

_lock = threading.RLock()
_outcomes: Optional[List[Outcome]] = None  # set once the flags are applied
_pending: List[str] = []  # warnings not yet shown


# --- Reading, as Theano 1.0.5's configparser.py did -------------------------------------


def parse_config_string(config_string: str) -> Dict[str, str]:
    """Theano's: comma-separated ``key=value`` entries, shell quoting allowed; a later value
    of a key wins."""
    import shlex

    config_dict = {}
    splitter = shlex.shlex(config_string, posix=True)
    splitter.whitespace = ","
    splitter.whitespace_split = True
    for kv_pair in splitter:
        kv_pair = kv_pair.strip()
        if not kv_pair:
            continue
        k, eq, v = kv_pair.partition("=")
        if not eq:
            _pending.append(f"Config key '{k}' has no value, ignoring it")
            continue
        config_dict[k] = v
    return config_dict


def config_files_from_theanorc() -> List[str]:
    """Theano's: ``$THEANORC`` (files on the right win), default ``~/.theanorc``, and
    ``~/.theanorc.txt`` on Windows."""
    files = [os.path.expanduser(s) for s in os.getenv("THEANORC", "~/.theanorc").split(os.pathsep)]
    if os.getenv("THEANORC") is None and sys.platform == "win32":
        files.append(os.path.expanduser("~/.theanorc.txt"))
    return files


def read_rc(files: List[str], join: str) -> Dict[str, str]:
    """Every entry of the files: ``[global] name`` is ``name``, ``[sec] name`` is
    ``sec<join>name``; ``%(USER)s`` and the like interpolated as Theano did."""
    defaults = {
        "USER": os.getenv("USER", os.path.split(os.path.expanduser("~"))[-1]),
        "LSCRATCH": os.getenv("LSCRATCH", ""),
        "TMPDIR": os.getenv("TMPDIR", ""),
        "TEMP": os.getenv("TEMP", ""),
        "TMP": os.getenv("TMP", ""),
        "PID": str(os.getpid()),
    }
    cooked = configparser.ConfigParser(defaults)
    raw = configparser.RawConfigParser()  # its options() leave the defaults out
    cooked.read(files)
    raw.read(files)
    found = {}
    for section in raw.sections():
        for option in raw.options(section):
            try:
                value = cooked.get(section, option)
            except configparser.InterpolationError:
                value = raw.get(section, option)
            found[option if section == "global" else f"{section}{join}{option}"] = value
    return found


def read() -> Tuple[List[Flag], List[Flag]]:
    """Theano's flags (THEANO_FLAGS over THEANORC), and the THEANO_FLAGS keys Theano 1.0.5
    did not have. File entries match names case-insensitively (ConfigParser lowercases)."""
    by_lower = {name.lower(): name for name in FLAGS}
    flags: Dict[str, Flag] = {}
    source = os.getenv("THEANORC", "~/.theanorc")
    for key, value in read_rc(config_files_from_theanorc(), ".").items():
        name = by_lower.get(key.lower())
        if name is not None:  # Theano looked up only its own names in the files
            flags[name] = Flag(name, value, source)
    unknown = []
    for key, value in parse_config_string(os.getenv("THEANO_FLAGS", "")).items():
        name = key.replace("__", ".")  # the spelling of Theano-PyMC 1.1, Aesara, PyTensor
        if name in FLAGS or _is_gpu(name):
            flags[name] = Flag(name, value, "THEANO_FLAGS")
        else:
            unknown.append(Flag(key, value, "THEANO_FLAGS"))
    return list(flags.values()), unknown


def problem(flag: Flag) -> Optional[str]:
    """Why Theano 1.0.5 would have refused the value, as Theano's filters checked it."""
    default, accepted = FLAGS.get(flag.name, (None, None))
    value = flag.value
    if isinstance(accepted, tuple):
        ok, allowed = value in accepted, ", ".join(accepted)
    elif accepted is bool:
        ok, allowed = value in BOOLS, ", ".join(BOOLS)
    elif accepted in (int, float):
        allowed = "an integer" if accepted is int else "a number"
        try:
            ok = accepted(value) is not None
        except ValueError:
            ok = False
    elif flag.name == "mode":
        ok, allowed = value in MODES, ", ".join(MODES)
    elif flag.name in ("device", "init_gpu_device"):  # gpu*: Theano 0.x's, accepted here
        ok = value == default or value.startswith(("cpu", "cuda", "opencl", "gpu"))
        allowed = '"cpu", or a name that starts with "cuda", "opencl" or "gpu"'
    else:
        return None
    if ok:
        return None
    return (
        f'invalid value "{value}" for the Theano flag {flag.name} (from {flag.source}); '
        f"Theano 1.0.5 accepted {allowed}"
    )


def _is_gpu(name: str) -> bool:
    return name in GPU_NAMES or name.split(".")[0] in GPU_SECTIONS or name == "lib.cnmem"


def _asks_for_gpu(flag: Flag) -> bool:
    return flag.name in ("device", "init_gpu_device", "contexts") and flag.value not in GPU_DEFAULTS


# --- The backend's side -----------------------------------------------------------------


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
    name = loaded.backend.import_name
    config = loaded.module.config
    known = {key.lower(): key for key in getattr(config, "_config_var_dict", {})}
    own = users_own(name)
    done = []
    # The linker first: whether FAST_RUN takes it depends on it (see _mode).
    for flag in sorted(flags, key=lambda f: f.name != "linker"):
        target = flag.name.replace(".", "__")
        setting = f"{name}.config.{target}"
        if _is_gpu(flag.name):
            why = "Theano's GPU backends are gone; this runs on the CPU"
            done.append(Outcome(flag, None, why, "gpu" if _asks_for_gpu(flag) else ""))
        elif flag.name == "compiledir_format":
            done.append(Outcome(flag, None, f"{name} names its own compiledir", "flag"))
        elif target.lower() in own:
            done.append(Outcome(flag, None, f"{own[target.lower()]} sets {setting}"))
        elif target.lower() not in known:
            default = FLAGS.get(flag.name, (None,))[0]
            why = f"{loaded.label} has no {target}"
            done.append(Outcome(flag, None, why, "flag" if flag.value != default else ""))
        elif flag.name in AT_IMPORT and not imported_before:
            done.append(Outcome(flag, f"{setting} = {translate(flag, name)!r}", None))
        else:
            value = _mode(flag, loaded) if flag.name == "mode" else translate(flag, name)
            try:
                setattr(config, known[target.lower()], value)
            except Exception as exc:  # the backend's own refusal, reworded
                if imported_before and flag.name in AT_IMPORT:
                    why = f"{name} was imported before relucompat.legacy was first used"
                    done.append(Outcome(flag, None, why, "late"))
                else:
                    done.append(Outcome(flag, None, f"{loaded.label} refused it ({exc})", "flag"))
            else:
                note = (
                    f" (its FAST_RUN takes no {config.linker} linker)"
                    if flag.name == "mode" and value != flag.value
                    else ""
                )
                done.append(Outcome(flag, f"{setting} = {value!r}{note}", None))
    return done


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
    except (ValueError, configparser.Error) as exc:  # unbalanced quotes, a malformed file
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


# The rest of ``theano.configparser`` (``change_flags``...) is the backend's.
from relucompat.legacy import _namespace  # noqa: E402

__getattr__, __dir__ = _namespace.forward(__name__, "configparser", _namespace.at("configparser"))
