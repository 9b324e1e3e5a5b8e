"""``relucompat run -m MODULE``, ``relucompat.runner.activate()`` for a notebook or a REPL,
and the Theano modules Theano itself removed, provided over every backend, real Theano
included. Each runs in its own interpreter: what ``import theano`` is lasts a process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from harness import expected

pytestmark = pytest.mark.installation

# What a Theano 0.8-era module does (Lasagne 0.1's pool layers, the tutorials of 2015).
OLD_POOLING = """
import sys, warnings
import numpy
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    from theano.tensor.signal import downsample
import theano, theano.tensor as T
x = T.tensor4()
y = downsample.max_pool_2d(x, ds=(2, 2), ignore_border=True)
old = downsample.max_pool2D(x, (2, 2), ignore_border=True)  # Theano 0.7's name
f = theano.function([x], [y, old])
print([v.ravel().tolist() for v in f(numpy.arange(16.0).reshape(1, 1, 4, 4))], sys.argv[1:])
print([str(w.message) for w in caught])
"""


@pytest.fixture(autouse=True)
def _needs_a_backend():
    if expected() == {}:
        pytest.skip("this env promises no backend")


def relucompat_run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "relucompat", "run", *args], capture_output=True, text=True, cwd=cwd
    )


def test_run_dash_m_runs_a_module_as_python_dash_m(tmp_path):
    package = tmp_path / "oldmodel"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(OLD_POOLING)
    done = relucompat_run("-m", "oldmodel", "--epochs", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    values, messages = done.stdout.splitlines()[-2:]
    assert values == "[[5.0, 7.0, 13.0, 15.0], [5.0, 7.0, 13.0, 15.0]] ['--epochs', '2']"
    assert "downsample module has been moved to the theano.tensor.signal.pool module." in messages


def test_run_dash_m_pytest_runs_a_test_suite_that_imports_theano(tmp_path):
    test = "import theano.tensor as T\n\ndef test_theano():\n    assert T.matrix().ndim == 2\n"
    (tmp_path / "test_old.py").write_text(test)
    done = relucompat_run(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_old.py", cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m"], "-m needs a module name"),
        (["-m", "no_such_module_here"], "no module named 'no_such_module_here'"),
        ([], "give the script to run, or -m MODULE"),
        (["script.py", "-m", "x"], None),  # -m after the script is the script's argument
    ],
)
def test_run_dash_m_user_errors_exit_2(tmp_path, args, message):
    done = relucompat_run(*args, cwd=tmp_path)
    if message is None:
        assert done.returncode == 2 and "no such script: script.py" in done.stderr
        return
    assert done.returncode == 2
    assert done.stderr == f"relucompat run: {message}\n" or message in done.stderr


def test_activate_switches_a_running_interpreter(tmp_path):
    script = textwrap.dedent(
        """
        import relucompat.runner
        line = relucompat.runner.activate()
        import theano
        from theano.tensor.signal import downsample
        said = line.startswith("relucompat run: `import theano` is ")
        print(said, callable(downsample.max_pool_2d))
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["True", "True"]


def test_activate_after_another_theano_was_imported_says_so(tmp_path):
    fake = tmp_path / "theano"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    script = "import theano, relucompat.runner\nrelucompat.runner.activate()\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    if "theano" in (expected() or {}):
        return  # a real Theano is installed: the local package shadows nothing decided
    assert done.returncode == 1
    assert "was imported before relucompat.runner.activate()" in done.stderr
