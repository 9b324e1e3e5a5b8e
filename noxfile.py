"""nox sessions for exactly the pairings of tox.ini, read from it.

tox.ini is the single definition of the matrix; this file only translates it, so that
``nox -s py313-pytensor3`` and ``tox -e py313-pytensor3`` install and run the same thing.
tests/test_matrix.py checks the translation against tox's own reading of tox.ini.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List

ROOT = os.path.dirname(os.path.abspath(__file__))
# The `nox` script, unlike `python -m nox`, does not put this directory on sys.path.
sys.path.insert(0, ROOT)
import toxfile  # noqa: E402, F401  (puts pyenv's interpreters on PATH, as for tox)


@dataclass
class Pairing:
    name: str
    python: str
    extras: List[str]
    deps: List[str]
    set_env: Dict[str, str]
    commands: List[List[str]]
    commands_post: List[List[str]] = field(default_factory=list)
    skip_install: bool = False


def _lines(value: str) -> List[str]:
    lines = (line.split("#", 1)[0].strip() for line in value.splitlines())
    return [line for line in lines if line]


def _commands(value: str) -> List[List[str]]:
    return [line.split() for line in _lines(value)]


def _set_env(value: str, base: Dict[str, str]) -> Dict[str, str]:
    found = {}
    for line in _lines(value):
        if line == "{[testenv]set_env}":
            found.update(base)
        else:
            key, _, val = line.partition("=")
            found[key.strip()] = val.strip()
    return found


def matrix(path: str = os.path.join(ROOT, "tox.ini")) -> List[Pairing]:
    """Every env of tox.ini's env_list, as nox needs it."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(path)
    base = config["testenv"]
    base_env = _set_env(base.get("set_env", ""), {})
    pairings = []
    for name in _lines(config["tox"]["env_list"]):
        section = config[f"testenv:{name}"] if config.has_section(f"testenv:{name}") else base
        python_factor = section.get("base_python", name.split("-")[0])
        major_minor = re.fullmatch(r"py(\d)(\d+)", python_factor)
        assert major_minor, f"{name}: no pyXY factor or base_python"
        pairings.append(
            Pairing(
                name=name,
                python=f"{major_minor[1]}.{major_minor[2]}",
                extras=[
                    e.strip() for e in section.get("extras", base["extras"]).split(",") if e.strip()
                ],
                deps=_lines(section.get("deps", "")),
                set_env=_set_env(section.get("set_env", base.get("set_env", "")), base_env),
                commands=_commands(section.get("commands", base["commands"])),
                commands_post=_commands(
                    section.get("commands_post", base.get("commands_post", ""))
                ),
                skip_install=section.getboolean("skip_install", False),
            )
        )
    return pairings


try:
    import nox
except ImportError:  # imported by the tests without nox installed
    nox = None

if nox is not None:
    nox.options.default_venv_backend = "uv"
    nox.options.sessions = [pairing.name for pairing in matrix()]

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

    for _pairing in matrix():
        nox.session(name=_pairing.name, python=_pairing.python)(_session(_pairing))
