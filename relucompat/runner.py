"""``relucompat run``: run an unmodified Theano-era script or module.

With a working Theano (or Theano-PyMC) the program gets it, and the modules Theano itself
removed (``theano.tensor.signal.downsample``) from the legacy namespace over it. Otherwise
``import theano.X`` resolves to :mod:`relucompat.legacy` over the backend relucompat
chooses, for this run only: the legacy module at that path, else the backend's own module
there. The program sees ``__name__ == "__main__"``, its own ``sys.argv`` and its own exit
status, as under ``python SCRIPT`` or ``python -m MODULE``. :func:`activate` does the same
for the running interpreter (a notebook, a REPL).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import runpy
import sys
from typing import Any, Optional, Sequence

from relucompat.legacy import _namespace

__all__ = ["activate", "prepare", "run", "run_module"]


def __dir__() -> list[str]:
    return __all__


def decide(backend_name: Optional[str]) -> Any:
    """The backend ``import theano`` means in this run, and a line saying why."""
    from relucompat import discovery
    from relucompat.legacy import _flags
    from relucompat.lineage import registry

    def load(how: Any) -> Any:  # with Theano's flags; their warnings at the script's line
        return _flags.load(how, warn=False)

    theano = next(b for b in registry() if b.import_name == "theano")
    if backend_name:
        discovery.use(backend_name)
        chosen = load(discovery.default)
        real = chosen.backend.import_name == "theano"
        return chosen, _line(chosen, real, f"--backend {backend_name}")
    if theano.present():
        try:
            chosen = load(lambda: discovery.load(theano))
        except ImportError as exc:
            chosen = load(discovery.default)
            return chosen, _line(chosen, False, f"Theano does not import ({exc})")
        return chosen, _line(chosen, True, "a working Theano is installed")
    chosen = load(discovery.default)
    return chosen, _line(chosen, False, "no Theano is installed")


def _line(chosen: Any, real: bool, why: str) -> str:
    if real:
        return f"relucompat run: `import theano` is the real {chosen.label} ({why})"
    return f"relucompat run: `import theano` is relucompat.legacy over {chosen.label} ({why})"


# What Theano itself removed and code still imports: provided over the real Theano too.
REMOVED_FROM_THEANO = ("theano.tensor.signal.downsample",)


class _TheanoAliases(importlib.abc.MetaPathFinder, _namespace.AliasLoader):
    """Resolves ``theano.X`` (or only the names ``only``) to ``relucompat.legacy.X``, else to
    the backend's own module at that path; a Theano module neither has is an ImportError
    that names it and the backend."""

    def __init__(self, only: Optional[Sequence[str]] = None) -> None:
        super().__init__()
        self.only = only

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if self.only is not None and name not in self.only:
            return None
        if name == "theano" or name.startswith("theano."):
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def existing(self, name: str) -> Any:
        where = name.partition(".")[2]
        legacy = "relucompat.legacy" + name[len("theano") :]
        try:
            found = importlib.util.find_spec(legacy)
        except ImportError:  # a parent that is not a package
            found = None
        if found is not None:
            return importlib.import_module(legacy)
        own = _namespace.backend_module(where) if self.only is None else None
        if own is not None:
            return own
        raise ModuleNotFoundError(_namespace.missing(where), name=name)


def alias_theano(only: Optional[Sequence[str]] = None) -> None:
    if not any(isinstance(f, _TheanoAliases) for f in sys.meta_path):
        sys.meta_path.insert(0, _TheanoAliases(only))


def activate(backend: Optional[str] = None) -> str:
    """Make ``import theano`` in this interpreter what it is under ``relucompat run``, and
    say what it is. For a notebook or a REPL: call it before the first ``import theano``.
    ``backend`` forces one, as ``--backend``."""
    from relucompat import discovery

    imported = sys.modules.get("theano")
    if imported is not None and not hasattr(imported, "__path__"):
        raise RuntimeError("theano is already imported and is not a package")
    chosen, line = decide(backend)
    if chosen.backend.import_name == "theano":
        discovery.use("theano")  # the legacy namespace stands over the same Theano
        alias_theano(REMOVED_FROM_THEANO)
    elif imported is not None and not imported.__name__.startswith("relucompat"):
        raise RuntimeError(
            f"theano ({imported.__file__}) was imported before relucompat.runner.activate(); "
            "call it first, in a fresh interpreter"
        )
    else:
        alias_theano()
    return line


def prepare(target: str, backend: Optional[str], explain: bool, module: bool = False) -> None:
    """Everything before the program runs; errors here are the user's, not the program's.
    ``target`` is a script, or with ``module`` a module's name."""
    if module:
        if importlib.util.find_spec(target.partition(".")[0]) is None:
            raise ModuleNotFoundError(f"no module named {target.partition('.')[0]!r}")
    elif not os.path.isfile(target):
        raise FileNotFoundError(f"no such script: {target}")
    line = activate(backend)
    if explain:
        from relucompat.legacy import _flags

        print(line, file=sys.stderr)
        for flag in _flags.explain():
            print(f"relucompat run: {flag}", file=sys.stderr)


def run(script: str, args: Sequence[str]) -> None:
    """Run ``script`` as ``__main__``; its exceptions and exit status are its own."""
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


def run_module(name: str, args: Sequence[str]) -> None:
    """Run module ``name`` as ``__main__``, as ``python -m``: the current directory first on
    ``sys.path``, ``sys.argv[0]`` the module's file."""
    sys.argv = [name, *args]
    sys.path.insert(0, os.getcwd())
    runpy.run_module(name, run_name="__main__", alter_sys=True)
