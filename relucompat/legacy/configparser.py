"""``theano.configparser``: Theano 1.0.5's flags, read as Theano read them, and
``theano.config``.

Theano read ``$THEANO_FLAGS`` and the files of ``$THEANORC`` (default ``~/.theanorc``) when
it was imported, so Theano-era scripts are started as ``THEANO_FLAGS=floatX=float32 python
train.py``. This module reads both as Theano did (``parse_config_string``,
``config_files_from_theanorc`` and the file lookup below are Theano's) and checks each value
as Theano did; ``_flags.py`` carries them over to the backend. :data:`config` is
``theano.config``: every Theano flag, by Theano's name and in Theano's sections, read and
set at run time over the backend's configuration (``_config.py``).
"""

from __future__ import annotations

import configparser
import os
import sys
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from relucompat.legacy._config import TheanoConfigParser
from relucompat.legacy.configdefaults import FLAGS

__all__ = [
    "TheanoConfigParser",
    "TheanoFlagsWarning",
    "config",
    "config_files_from_theanorc",
    "parse_config_string",
]


class TheanoFlagsWarning(UserWarning):
    """A Theano flag that relucompat could not carry over to the backend."""


class Flag(NamedTuple):
    name: str  # Theano's spelling: "floatX", "gcc.cxxflags"
    value: str
    source: str  # "THEANO_FLAGS", the THEANORC files, or "theano.config"


BOOLS = ("True", "true", "1", "False", "false", "0")  # Theano's BoolParam
MODES = ("Mode", "DebugMode", "FAST_RUN", "NanGuardMode", "FAST_COMPILE", "DEBUG_MODE")
# Theano's GPU backends, the old ``cuda`` one (0.x flags included) and ``gpuarray``.
GPU_NAMES = ("device", "init_gpu_device", "contexts", "force_device", "print_active_device")
GPU_SECTIONS = ("gpuarray", "cuda", "dnn", "magma", "gpu", "gpuelemwise", "nvcc", "pycuda", "ctc")

_pending: List[str] = []  # warnings not yet shown (``_flags.py`` shows them)


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
        if name in FLAGS or is_gpu(name):
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


def is_gpu(name: str) -> bool:
    return name in GPU_NAMES or name.split(".")[0] in GPU_SECTIONS or name == "lib.cnmem"


# The rest of ``theano.configparser`` (``change_flags``...) is the backend's.
from relucompat.legacy import _namespace  # noqa: E402

config: Any  # theano.config: _config.current(), on first use (__getattr__)


def __getattr__(name: str) -> Any:
    if name == "config":
        from relucompat.legacy import _config

        return _config.current()
    return _forward(name)


_forward, __dir__ = _namespace.forward(__name__, "configparser", _namespace.at("configparser"))
