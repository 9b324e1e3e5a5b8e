"""``relucompat run SCRIPT [ARGS...]``: run an unmodified Theano-era script.

With a working Theano (or Theano-PyMC) the script gets it. Otherwise ``import theano``
and the submodules a tutorial uses resolve to :mod:`relucompat.legacy` over the backend
relucompat chooses, for this run only. The script sees ``__name__ == "__main__"``, its own
``sys.argv`` and its own exit status, as under ``python SCRIPT``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import runpy
import sys
from typing import Any, Optional, Sequence

__all__ = ["prepare", "run"]


def __dir__() -> list[str]:
    return __all__


def decide(backend_name: Optional[str]) -> Any:
    """The backend ``import theano`` means in this run, and a line saying why."""
    from relucompat import discovery
    from relucompat.legacy import configparser
    from relucompat.lineage import registry

    def load(how: Any) -> Any:  # with Theano's flags; their warnings at the script's line
        return configparser.load(how, warn=False)

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


class _TheanoAliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``theano.X`` to ``relucompat.legacy.X``; a Theano module the legacy
    namespace does not have is an ImportError that names it and the backend."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name == "theano" or name.startswith("theano."):
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec: Any) -> Any:
        legacy = "relucompat.legacy" + spec.name[len("theano") :]
        try:
            found = importlib.util.find_spec(legacy)
        except ImportError:  # a parent that is not a package
            found = None
        if found is None:
            from relucompat.legacy._namespace import missing

            raise ModuleNotFoundError(missing(spec.name.partition(".")[2]), name=spec.name)
        return importlib.import_module(legacy)

    def exec_module(self, module: Any) -> None:
        pass


def alias_theano() -> None:
    sys.meta_path.insert(0, _TheanoAliases())


def prepare(script: str, backend: Optional[str], explain: bool) -> None:
    """Everything before the script runs; errors here are the user's, not the script's."""
    if not os.path.isfile(script):
        raise FileNotFoundError(f"no such script: {script}")
    chosen, line = decide(backend)
    if explain:
        from relucompat.legacy import configparser

        print(line, file=sys.stderr)
        for flag in configparser.explain():
            print(f"relucompat run: {flag}", file=sys.stderr)
    if chosen.backend.import_name != "theano":
        alias_theano()


def run(script: str, args: Sequence[str]) -> None:
    """Run ``script`` as ``__main__``; its exceptions and exit status are its own."""
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
