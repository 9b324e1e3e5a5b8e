"""nox sessions for exactly the pairings of tox.ini, read from it.

tox.ini is the single definition of the matrix (tools/matrix.py reads it); this file only
translates it, so that ``nox -s py313-pytensor3`` and ``tox -e py313-pytensor3`` install and
run the same thing.
tests/test_matrix.py checks the translation against tox's own reading of tox.ini.
"""

from __future__ import annotations

import os
import sys
from typing import List

ROOT = os.path.dirname(os.path.abspath(__file__))
# The `nox` script, unlike `python -m nox`, does not put this directory on sys.path.
sys.path[:0] = [ROOT, os.path.join(ROOT, "tools")]
from matrix import Pairing, pairings  # noqa: E402

import toxfile  # noqa: E402, F401  (puts pyenv's interpreters on PATH, as for tox)

try:
    import nox
except ImportError:  # imported by the tests without nox installed
    nox = None

if nox is not None:
    nox.options.default_venv_backend = "uv"
    nox.options.sessions = [pairing.name for pairing in pairings()]

    def _session(pairing: Pairing):  # type: ignore[no-untyped-def]
        def run(session: nox.Session) -> None:
            if not pairing.skip_install:
                extras = ",".join(pairing.extras)
                session.install(f".[{extras}]" if extras else ".")
            if pairing.deps:
                session.install(*pairing.deps)
            values = {
                "{env_dir}": session.virtualenv.location,
                "{tox_root}": ROOT,
                "{env_name}": pairing.name,
                "{:}": os.pathsep,
                "{env:PATH}": os.pathsep.join([session.bin, os.environ.get("PATH", "")]),
            }
            env = {}
            for key, value in pairing.set_env.items():
                for placeholder, replacement in values.items():
                    value = value.replace(placeholder, replacement)
                env[key] = value

            def argv(command: List[str]) -> List[str]:
                found = []
                for arg in command:
                    if arg == "{posargs}":
                        found.extend(session.posargs)
                        continue
                    for placeholder, replacement in values.items():
                        arg = arg.replace(placeholder, replacement)
                    found.append(arg)
                return found

            try:
                for command in pairing.commands:
                    session.run(*argv(command), env=env)
            finally:  # as tox's commands_post: also after a failure
                for command in pairing.commands_post:
                    session.run(*argv(command), env=env)

        return run

    for _pairing in pairings():
        backend = "virtualenv" if _pairing.pip_installs else "uv"
        nox.session(name=_pairing.name, python=_pairing.python, venv_backend=backend)(
            _session(_pairing)
        )
