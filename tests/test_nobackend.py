"""With no backend installed: importing works, and relu says which extra to install."""

from __future__ import annotations

import pytest
from harness import expected

import relucompat
from relucompat.lineage import registry

pytestmark = pytest.mark.installation


@pytest.fixture
def no_backend():
    promised = expected()
    if promised is None and any(b.present() for b in registry()):
        pytest.skip("a backend is installed here; py311-nobackend runs this")
    if promised:
        pytest.skip("this env promises a backend; py311-nobackend runs this")


def test_relu_names_the_extras_to_install(no_backend):
    with pytest.raises(ImportError) as caught:
        relucompat.relu(1.0)
    message = str(caught.value)
    for extra in ("pytensor", "aesara", "theano-pymc", "theano"):
        assert f'"relucompat[{extra}]"' in message
    assert "none is usable" in message


def test_explain_says_the_same(no_backend):
    with pytest.raises(ImportError, match=r"relucompat\[pytensor\]"):
        relucompat.explain()


def test_backends_is_empty(no_backend):
    assert relucompat.backends() == []


def test_bad_arguments_are_reported_before_the_missing_backend(no_backend):
    with pytest.raises(TypeError, match="bool"):
        relucompat.relu(True)
    with pytest.raises(ValueError, match="allowed"):
        relucompat.relu(1.0, semantics="fast")
