"""tools/matrix.py reads tox.ini as tox itself does, and noxfile.py offers exactly its pairings.

Runs in the lint env, which installs tox and nox; elsewhere it skips.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytest.importorskip("tox", reason="the lint env installs tox and nox for this check")
pytest.importorskip("nox", reason="the lint env installs tox and nox for this check")
sys.path.insert(0, os.path.join(ROOT, "tools"))

import matrix  # noqa: E402


def tox_config(keys):
    found = subprocess.run(
        [sys.executable, "-m", "tox", "config", "-e", "ALL", "-k", *keys],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    envs, current, key = {}, None, None
    for line in found.stdout.splitlines():
        if line.startswith("[testenv:"):
            current = envs.setdefault(line[len("[testenv:") : -1], {})
        elif " = " in line or line.endswith(" ="):
            key, _, value = line.partition(" =")
            current[key] = [value.strip()] if value.strip() else []
        elif line.startswith("  ") and current is not None:
            current[key].append(line.strip())
    return envs


def nox_sessions():
    # The `nox` script as the README runs it: unlike `python -m nox`, it does not put the
    # project root on sys.path, which noxfile.py must do itself.
    script = os.path.join(os.path.dirname(sys.executable), "nox")
    found = subprocess.run(
        [script, "--list", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return {s["session"]: s for s in json.loads(found.stdout)}


def test_same_env_names_and_pythons():
    tox = {name: env for name, env in tox_config(["base_python"]).items() if name[0] != "."}
    nox = nox_sessions()
    assert sorted(nox) == sorted(tox)
    for name, session in nox.items():
        assert session["python"] == next(p.python for p in matrix.pairings() if p.name == name)
        assert (
            tox[name]["base_python"][0]
            .replace(".", "")
            .startswith(f"py{session['python'].replace('.', '')}")
        )


def test_same_commands():
    tox = tox_config(["commands", "commands_post"])
    for pairing in matrix.pairings():
        values = {
            "{env_name}": pairing.name,
            "{tox_root}": ROOT,
            "{env_dir}": os.path.join(ROOT, ".tox", pairing.name),
        }

        def expand(commands, values=values):
            lines = []
            for command in commands:
                words = [w for w in command if w != "{posargs}"]
                line = " ".join(words)
                for placeholder, value in values.items():
                    line = line.replace(placeholder, value)
                lines.append(line)
            return lines

        assert expand(pairing.commands) == tox[pairing.name]["commands"], pairing.name
        assert expand(pairing.commands_post) == tox[pairing.name]["commands_post"], pairing.name


def test_same_installs_and_environment():
    tox = tox_config(["extras", "deps", "set_env", "skip_install", "runner"])
    for pairing in matrix.pairings():
        env = tox[pairing.name]
        assert pairing.pip_installs == (env["runner"][0] == "virtualenv"), pairing.name
        assert sorted(pairing.extras) == sorted(env["extras"]), pairing.name
        assert pairing.deps == env["deps"], pairing.name
        assert str(pairing.skip_install) == env["skip_install"][0], pairing.name
        tox_env = dict(line.split("=", 1) for line in env["set_env"])
        for key, value in pairing.set_env.items():
            expanded = value.replace("{env_dir}", os.path.join(ROOT, ".tox", pairing.name))
            expanded = expanded.replace("{tox_root}", ROOT).replace("{:}", os.pathsep)
            head, inherits, _ = expanded.partition("{env:PATH}")
            if inherits:  # tox's own PATH, which its provisioning env prepends to ours
                assert tox_env[key].startswith(head), (pairing.name, key)
                assert tox_env[key].endswith(os.environ["PATH"]), (pairing.name, key)
            else:
                assert tox_env[key] == expanded, (pairing.name, key)


def test_the_hosted_workflow_runs_every_env_with_its_python():
    yaml = pytest.importorskip("yaml")
    with open(os.path.join(ROOT, ".github", "workflows", "tests.yml")) as stream:
        workflow = yaml.safe_load(stream)
    jobs = workflow["jobs"]["env"]["strategy"]["matrix"]["include"]
    assert [(job["env"], job["python"]) for job in jobs] == [
        (pairing.name, pairing.python) for pairing in matrix.pairings()
    ]
