"""tools/ci_gxx/g++, CI's g++ for the backends' C modules: the same shared object as the
real g++ gives, byte for byte once both are stripped of debug information, with the leading
#includes read from its precompiled header and no debug information of its own.

Runs in the lint env with the other checks of the repo's tooling; elsewhere it skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tox", reason="the lint env checks the repo's tooling")

WRAPPER = Path(__file__).resolve().parents[1] / "tools" / "ci_gxx" / "g++"

# Shaped like a backend's mod.cpp: its #include lines first, then code gcc optimizes.
MODULE = """\
#include <Python.h>
#include <iostream>
#include <math.h>
#include <numpy/arrayobject.h>
#include <vector>
//////////////////////
static double total(const std::vector<double>& values) {
    double sum = 0;
    for (size_t i = 0; i < values.size(); ++i) sum += values[i] * exp(values[i]);
    return sum;
}
extern "C" double run(npy_intp n) { return total(std::vector<double>(n, 1.5)); }
"""


def compile_with(gxx, source, output, *extra, env=None):
    numpy_include = np.get_include()
    python_include = sysconfig.get_paths()["include"]
    flags = ["-shared", "-g", "-O3", "-march=native", "-fPIC", "-fvisibility=hidden"]
    flags.append("-Wl,--build-id=none")  # the build ID hashes the debug information too
    command = [gxx, *flags, f"-I{numpy_include}", f"-I{python_include}", *extra]
    return subprocess.run(
        [*command, "-o", str(output), str(source)], capture_output=True, text=True, env=env
    )


@pytest.fixture
def real_gxx():
    found = shutil.which("g++")
    if found is None:
        pytest.fail("no g++ on PATH: the backends' C linkers need one")
    return found


def without_debug_information(path):
    stripped = path.with_suffix(".stripped")
    done = subprocess.run(["strip", "--strip-debug", "-o", str(stripped), str(path)])
    assert done.returncode == 0
    return stripped.read_bytes()


def test_same_code_with_the_includes_precompiled_and_no_debug_information(tmp_path, real_gxx):
    source = tmp_path / "mod.cpp"
    source.write_text(MODULE)
    env = dict(os.environ, RELUCOMPAT_PCH_DIR=str(tmp_path / "pch"))
    # -H lists the headers read, "! " marking a precompiled one.
    plain = compile_with(real_gxx, source, tmp_path / "plain.so", "-H")
    assert plain.returncode == 0, plain.stderr
    assert b".debug_info" in (tmp_path / "plain.so").read_bytes()  # the section's name
    code = without_debug_information(tmp_path / "plain.so")
    for name in ("builds.so", "reuses.so"):  # the first call precompiles, the next reuses
        wrapped = compile_with(str(WRAPPER), source, tmp_path / name, "-H", env=env)
        assert wrapped.returncode == 0, wrapped.stderr
        (header,) = (tmp_path / "pch").glob("*/leading.h.gch")
        assert f"! {header}" in wrapped.stderr.splitlines()
        assert b".debug_info" not in (tmp_path / name).read_bytes()
        assert without_debug_information(tmp_path / name) == code


def test_any_other_call_is_the_real_gxx(real_gxx):
    for args in (["--version"], ["-dumpversion"]):
        real = subprocess.run([real_gxx, *args], capture_output=True, text=True)
        wrapped = subprocess.run([str(WRAPPER), *args], capture_output=True, text=True)
        assert (wrapped.returncode, wrapped.stdout) == (real.returncode, real.stdout)
