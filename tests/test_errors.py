"""Bad input gets a clear error, raised before anything reaches a backend: it names the
problem and the fix, and it is never a traceback from deep inside a backend."""

from __future__ import annotations

import re

import numpy as np
import pytest
from harness import expected

import relucompat
from relucompat.lineage import registry


@pytest.mark.parametrize(
    "x, message",
    [
        (None, "got NoneType"),
        ("1.5", "got str"),
        (b"\x00", "got bytes"),
        (["a", "b"], "dtype <U1"),
        (np.array([object(), 1], dtype=object), "dtype object"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "dtype datetime64"),
        ({"x": 1}, "dtype object"),
        # numpy < 1.24 reads a ragged list as an object array; later ones refuse it
        ([[1.0], [2.0, 3.0]], "could not read a list|dtype object"),
    ],
)
def test_x_that_is_not_a_real_tensor_is_a_type_error(x, message):
    with pytest.raises(TypeError, match="relu needs a") as caught:
        relucompat.relu(x)
    assert re.search(message, str(caught.value))


@pytest.mark.parametrize("semantics", ["theano", "strict"])
@pytest.mark.parametrize("value, why", [(True, "bool"), (np.array([1 + 2j]), "complex")])
def test_bool_and_complex_numbers_say_why(value, why, semantics):
    with pytest.raises(TypeError, match=f"undefined for a {why}"):
        relucompat.relu(value, semantics=semantics)


@pytest.mark.parametrize(
    "alpha, error, message",
    [
        ("0.1", TypeError, "alpha must be a real number or a real tensor; got str"),
        (1 + 1j, TypeError, "got complex"),
        (np.complex64(1), TypeError, "complex alpha"),
        (True, TypeError, "not a bool; use 0 or 1"),
        (None, TypeError, "got NoneType"),
        ([0.1], TypeError, "got list"),
        (10**400, ValueError, "too large"),
        (2**64, ValueError, r"too large for an int64 constant; pass float\(alpha\)"),
        (
            np.zeros(3),
            ValueError,
            r"alpha of shape \(3,\) does not broadcast against x of shape \(4,\)",
        ),
    ],
)
def test_bad_alpha(alpha, error, message):
    with pytest.raises(error, match=message):
        relucompat.relu(np.ones(4), alpha)


def test_a_symbolic_alpha_that_cannot_broadcast_names_both_shapes(h):
    x, alpha = h.T.constant(np.ones((4, 5))), h.T.constant(np.ones((2, 3)))
    if None in getattr(x.type, "shape", (None,)):  # Theano's types carry no lengths
        pytest.skip(f"{h.name} {h.loaded.distribution.version} types have no static lengths")
    message = r"alpha of shape \(2, 3\) does not broadcast against x of shape \(4, 5\)"
    with pytest.raises(ValueError, match=message):
        relucompat.relu(x, alpha)


def test_shapes_that_do_broadcast_are_fine(h):
    x = h.B.shared(np.ones((4, 5)))
    for alpha in (np.ones(5), np.ones((4, 1)), np.ones((1, 5)), np.float32(0.1), 0.2):
        relucompat.relu(x, alpha)


@pytest.mark.parametrize("name", ["", "Strict", "theano ", "fast"])
def test_unknown_semantics_lists_the_names(name, monkeypatch):
    with pytest.raises(ValueError, match="allowed: 'theano', 'strict'"):
        relucompat.relu(1.0, semantics=name)
    monkeypatch.setenv("RELUCOMPAT_SEMANTICS", name or "nothing")
    with pytest.raises(ValueError, match="RELUCOMPAT_SEMANTICS="):
        relucompat.relu(1.0)


def test_unknown_backend_in_the_environment_lists_the_names(monkeypatch):
    monkeypatch.setenv("RELUCOMPAT_BACKEND", "tensorflow")
    with pytest.raises(ValueError, match="RELUCOMPAT_BACKEND='tensorflow'; allowed: 'aesara'"):
        relucompat.relu(1.0)


def test_a_backend_named_in_the_environment_but_not_installed_names_the_extra(monkeypatch):
    missing = [b for b in registry() if b.provider() is None and not b.present()]
    if not missing:
        pytest.skip("every backend is installed here")
    monkeypatch.setenv("RELUCOMPAT_BACKEND", missing[0].import_name)
    with pytest.raises(ImportError, match=r'pip install "relucompat\['):
        relucompat.relu(1.0)


def test_no_backend_at_all_lists_every_extra():
    if expected() != {}:
        pytest.skip("py311-nobackend runs this")
    with pytest.raises(ImportError) as caught:
        relucompat.relu(np.ones(2))
    for extra in ("pytensor", "aesara", "theano-pymc", "theano"):
        assert f'"relucompat[{extra}]"' in str(caught.value)


def test_errors_come_before_any_backend_is_imported():
    import subprocess
    import sys

    script = (
        "import sys, relucompat\n"
        "try: relucompat.relu('x')\n"
        "except TypeError: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('theano','aesara','pytensor')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
