"""The distributions: sdist and wheel build, pass ``twine check --strict``, and the wheel
holds the package (with ``py.typed``) and nothing of the repository's tooling or tests.

Runs in the lint env, which installs build, hatchling and twine; elsewhere it skips.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    pytest.importorskip("build", reason="the lint env installs build and twine")
    pytest.importorskip("twine", reason="the lint env installs build and twine")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), ROOT],
        check=True,
        capture_output=True,
    )
    return out


def test_twine_check_strict(dist):
    files = sorted(glob.glob(str(dist / "*")))
    assert sorted(os.path.splitext(f)[1] for f in files) == [".gz", ".whl"]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_ships_the_package_only(dist):
    (wheel,) = glob.glob(str(dist / "*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "relucompat/py.typed" in names
    assert "relucompat/legacy/tensor/nnet/__init__.py" in names
    assert "relucompat/legacy/configdefaults.json" in names  # read by configdefaults.py
    assert "relucompat/_port/rules.json" in names  # read by _port/table.py
    top = {name.split("/")[0] for name in names}
    assert top == {"relucompat", next(n for n in top if n.endswith(".dist-info"))}
    assert not [n for n in names if "/tests/" in n or "fixtures" in n or n.startswith("tools/")]
    assert not [n for n in names if n.endswith("report.py")]  # matrix tooling stays in tools/
