"""The test matrix as tox.ini defines it, and what its envs left in reports/.

tox.ini is the single definition of the matrix. This module is the one reader of it and of
the envs' JUnit files: noxfile.py translates its pairings into nox sessions, report.py
builds the compatibility table from them, and .ci/run checks that every env ran and passed.
Standard library only: it runs under any Python, outside the package.
"""

from __future__ import annotations

import configparser
import os
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Dict, List

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOX_INI = os.path.join(ROOT, "tox.ini")


@dataclass
class Pairing:
    """One env of tox.ini's env_list, as another runner (nox) needs it."""

    name: str
    python: str
    extras: List[str]
    deps: List[str]
    set_env: Dict[str, str]
    commands: List[List[str]]
    commands_post: List[List[str]] = field(default_factory=list)
    skip_install: bool = False
    # Installed by pip, which reads the machine's pip configuration (uv does not): tox's
    # `runner = virtualenv`.
    pip_installs: bool = False


def _lines(value: str) -> List[str]:
    lines = (line.split("#", 1)[0].strip() for line in value.splitlines())
    return [line for line in lines if line]


def _commands(value: str) -> List[List[str]]:
    return [line.split() for line in _lines(value)]


def _set_env(value: str, base: Dict[str, str], config: configparser.ConfigParser) -> Dict[str, str]:
    found = {}
    for line in _lines(value):
        if line == "{[testenv]set_env}":
            found.update(base)
        else:
            key, _, val = line.partition("=")
            found[key.strip()] = _substitute(val.strip(), config)
    return found


def _substitute(value: str, config: configparser.ConfigParser) -> str:
    """tox's ``{[section]key}``, from another section of tox.ini (itself substituted)."""
    return re.sub(
        r"\{\[([\w:.-]+)\](\w+)\}",
        lambda m: _substitute(config[m[1]][m[2]].strip(), config),
        value,
    )


def _config(path: str) -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    if not config.read(path):
        raise FileNotFoundError(f"no tox.ini at {path}")
    return config


def env_list(path: str = TOX_INI) -> List[str]:
    """tox.ini's env_list, in its order (``lint`` included)."""
    return _lines(_config(path)["tox"]["env_list"])


def pairings(path: str = TOX_INI) -> List[Pairing]:
    """Every env of tox.ini's env_list, with what it installs, sets and runs."""
    config = _config(path)
    base = config["testenv"]
    base_env = _set_env(base.get("set_env", ""), {}, config)
    found = []
    for name in env_list(path):
        section = config[f"testenv:{name}"] if config.has_section(f"testenv:{name}") else base
        python_factor = section.get("base_python", name.split("-")[0])
        major_minor = re.fullmatch(r"py(\d)(\d+)", python_factor)
        assert major_minor, f"{name}: no pyXY factor or base_python"
        found.append(
            Pairing(
                name=name,
                python=f"{major_minor[1]}.{major_minor[2]}",
                extras=[
                    e.strip() for e in section.get("extras", base["extras"]).split(",") if e.strip()
                ],
                deps=_lines(section.get("deps", "")),
                set_env=_set_env(section.get("set_env", base.get("set_env", "")), base_env, config),
                commands=_commands(section.get("commands", base["commands"])),
                commands_post=_commands(
                    section.get("commands_post", base.get("commands_post", ""))
                ),
                skip_install=section.getboolean("skip_install", False),
                pip_installs=section.get("runner", "") == "virtualenv",
            )
        )
    return found


def junit_paths(reports: str, env: str) -> List[str]:
    """The JUnit file an env wrote, ``<env>.xml``, if it did (tox.ini's commands name it so).

    Only that name: a pattern such as ``<env>-*.xml`` also took ``py311-pytensor30-torch``'s
    file for ``py311-pytensor30``'s, which then counted as run when it had not."""
    path = os.path.join(reports, f"{env}.xml")
    return [path] if os.path.exists(path) else []


def junit_counts(path: str) -> Dict[str, int]:
    """``ran``, ``passed``, ``skipped`` and ``failed`` (failures and errors) of one file."""
    counts = {"ran": 0, "passed": 0, "skipped": 0, "failed": 0}
    root = ElementTree.parse(path).getroot()
    for suite in [root] if root.tag == "testsuite" else root.findall("testsuite"):
        tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        counts["ran"] += tests
        counts["skipped"] += skipped
        counts["failed"] += failed
        counts["passed"] += tests - skipped - failed
    return counts
