"""Theano's flags (THEANO_FLAGS, THEANORC) reach the backend under the legacy namespace.

Every run is a fresh interpreter: flags are read once, when a backend is first loaded. Each
keeps the env's compile caches: THEANO_FLAGS keeps tox's base_compiledir, and the backend's
own flags variable (which wins) is kept unless a test is about the mapping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from harness import expected

pytestmark = pytest.mark.installation

# What a Theano-era script checks about the flags it was started with.
DTYPES = """
import json, numpy, theano
import theano.tensor as T
x = T.matrix()
w = theano.shared(numpy.ones((2, 2), dtype=theano.config.floatX))
f = theano.function([x], T.dot(x, w) * 2)
out = f(numpy.ones((2, 2), dtype=theano.config.floatX))
print(json.dumps([x.dtype, theano.config.floatX, str(w.dtype), str(out.dtype)]))
"""
# What the flags set, without compiling anything; Theano's nested names and the backends'.
CONFIG = """
import json, sys, theano
def flag(name):
    if hasattr(theano.config, name.replace(".", "__")):  # Aesara, PyTensor, Theano-PyMC
        return str(getattr(theano.config, name.replace(".", "__")))
    value = theano.config
    for part in name.split("."):  # Theano 1.0.5: nested
        value = getattr(value, part)
    return str(value)
print(json.dumps({name: flag(name) for name in sys.argv[1:]}))
"""


@pytest.fixture(autouse=True)
def _needs_a_backend():
    if expected() == {}:
        pytest.skip("this env promises no backend")


def theano_base() -> str:
    """tox's base_compiledir for Theano, so that Theano's cache stays the env's own."""
    for item in os.environ.get("THEANO_FLAGS", "").split(","):
        if item.startswith("base_compiledir="):
            return item.partition("=")[2]
    return os.path.join(os.path.expanduser("~"), ".theano")


def run(h, tmp_path, script, flags, *args, env=None, explain=False):
    """``relucompat run`` of ``script`` under THEANO_FLAGS=``flags``, on ``h``'s backend,
    with HOME in ``tmp_path`` (no ~/.theanorc but the test's)."""
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(script))
    environ = dict(os.environ, HOME=str(tmp_path), **(env or {}))
    environ["THEANO_FLAGS"] = ",".join(filter(None, [f"base_compiledir={theano_base()}", flags]))
    environ = {k: v for k, v in environ.items() if v is not None}
    command = ["run", "--backend", h.name, *(["--explain"] if explain else []), str(path), *args]
    return subprocess.run(
        [sys.executable, "-m", "relucompat", *command],
        capture_output=True,
        text=True,
        env=environ,
    )


def last_json(done):
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def real_theano(h):
    return h.name == "theano"


def test_floatx_float32_reaches_what_the_script_builds(h, tmp_path):
    done = run(h, tmp_path, DTYPES, "floatX=float32,device=cpu", explain=True)
    assert last_json(done) == ["float32"] * 4
    assert "TheanoFlagsWarning" not in done.stderr  # device=cpu is accepted silently
    if real_theano(h):
        assert "the real Theano reads them itself; relucompat sets nothing" in done.stderr
        return
    assert f"applied floatX=float32 (THEANO_FLAGS) as {h.name}.config.floatX = 'float32'" in (
        done.stderr
    )
    own = f"{h.name.upper()}_FLAGS"
    if "base_compiledir" in os.environ.get(own, ""):  # tox's, which wins over THEANO_FLAGS
        assert f"ignored base_compiledir={theano_base()} (THEANO_FLAGS): {own} sets" in done.stderr


def test_gpu_and_unknown_flags_warn_once_each_and_the_run_goes_on(h, tmp_path):
    if real_theano(h):
        pytest.skip("the real Theano handles device=cuda itself")
    flags = "device=cuda0,lib.cnmem=0.8,floatX=float32,no_such_flag=1"
    done = run(h, tmp_path, DTYPES, flags, explain=True)
    assert last_json(done) == ["float32"] * 4
    warned = [line for line in done.stderr.splitlines() if "TheanoFlagsWarning" in line]
    assert len(warned) == 2, done.stderr
    gpu, unknown = warned
    assert "script.py:4: TheanoFlagsWarning: device=cuda0" in gpu  # the script's line
    assert "GPU backends (cuda, gpuarray) are gone" in gpu and "on the CPU" in gpu
    assert f"this runs on {h.loaded.label} with its" in gpu
    assert unknown.endswith("Theano does not recognise this flag: no_such_flag")
    assert "ignored device=cuda0 (THEANO_FLAGS): Theano's GPU backends are gone" in done.stderr
    assert "ignored no_such_flag=1 (THEANO_FLAGS): Theano 1.0.5 has no such flag" in done.stderr


def test_theanorc_files_and_sections_with_theano_flags_over_them(h, tmp_path):
    left, right = tmp_path / "left.rc", tmp_path / "right.rc"
    left.write_text("[global]\nfloatX = float16\nwarn_float64 = warn\n\n[scan]\nallow_gc = True\n")
    right.write_text("[global]\nfloatX = float32\n")  # THEANORC: files on the right win
    env = {"THEANORC": f"{left}{os.pathsep}{right}"}
    names = ("floatX", "warn_float64", "scan.allow_gc")
    done = run(h, tmp_path, CONFIG, "warn_float64=raise", *names, env=env)
    assert last_json(done) == {
        "floatX": "float32",
        "warn_float64": "raise",
        "scan.allow_gc": "True",
    }


def test_a_value_theano_refused_is_a_clear_error(h, tmp_path):
    if real_theano(h):
        pytest.skip("the real Theano raises its own error")
    done = run(h, tmp_path, DTYPES, "floatX=float17")
    assert done.returncode == 2, done.stderr
    assert (
        'relucompat run: invalid value "float17" for the Theano flag floatX (from THEANO_FLAGS); '
        "Theano 1.0.5 accepted float64, float32, float16"
    ) in done.stderr
    assert "Traceback" not in done.stderr


def test_base_compiledir_maps_to_a_directory_of_the_backends_own(h, tmp_path):
    if real_theano(h):
        pytest.skip("the real Theano uses its own base_compiledir")
    base = theano_base()  # inside the tox env, so that the cache stays the env's
    own = {"PYTENSOR_FLAGS": None, "AESARA_FLAGS": None}  # let THEANO_FLAGS decide
    done = run(h, tmp_path, CONFIG, "", "base_compiledir", "compiledir", env=own)
    found = last_json(done)
    assert found["base_compiledir"] == os.path.join(base, h.name)
    assert found["compiledir"].startswith(os.path.join(base, h.name) + os.sep)


def test_flags_apply_on_first_use_of_the_legacy_namespace(h, tmp_path):
    if real_theano(h):
        pytest.skip("the real Theano reads its flags itself")
    # The backend is imported first: floatX still applies; the compiledir applies only if
    # the backend has not used it yet, else one warning says so, at the user's line.
    script = tmp_path / "direct.py"
    script.write_text(
        f"import {h.name}\nimport relucompat.legacy as theano\n"
        "print(theano.tensor.matrix().dtype, theano.config.compiledir)\n"
    )
    cache = tmp_path / "cache"
    env = dict(os.environ, HOME=str(tmp_path), THEANO_FLAGS=f"floatX=float32,compiledir={cache}")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    dtype, compiledir = done.stdout.split()
    assert dtype == "float32"
    warned = [line for line in done.stderr.splitlines() if "TheanoFlagsWarning" in line]
    if compiledir == str(cache / h.name):
        assert warned == []
    else:
        assert len(warned) == 1, done.stderr
        assert "direct.py:3: TheanoFlagsWarning: Theano flags compiledir are ignored:" in warned[0]
        assert f"{h.name} reads them when it is imported" in warned[0]


def test_relucompat_alone_changes_no_flag(h, tmp_path):
    script = f"""
        import json, {h.name}, {h.name}.tensor
        before = str({h.name}.config.floatX)
        import relucompat, relucompat.legacy
        relucompat.relu({h.name}.tensor.vector())
        relucompat.explain()
        print(json.dumps([before, str({h.name}.config.floatX)]))
        """
    env = dict(os.environ, HOME=str(tmp_path), THEANO_FLAGS="floatX=float32")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env
    )
    before, after = last_json(done)
    assert after == before == ("float32" if real_theano(h) else "float64")
