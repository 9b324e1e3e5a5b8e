"""Which backend and formulation a call takes, and what explain() and backends() report."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from harness import expected, loaded_backends

import relucompat
from relucompat.backends import registry


def promise(h):
    promised = expected()
    if promised is None:
        pytest.skip("outside tox: this env makes no promise about routes")
    return promised[h.name]


def test_theano_route_is_the_promised_formulation(h):
    route = relucompat.explain(h.var("float32"))
    want = promise(h)
    assert route.formulation == want.formulation
    assert route.semantics == "theano"
    assert (route.native is not None) == (want.formulation == "native")
    if route.native:
        assert route.native == f"{h.name}.tensor.nnet.relu"
        assert "nnet.relu" in route.reason


def test_strict_route(h):
    route = relucompat.explain(h.var("float32"), semantics="strict")
    assert route.formulation == "masked-switch"
    assert route.semantics == "strict"
    assert "0 at 0 and at NaN" in route.reason


def test_route_names_the_backend_and_its_default_linker(h):
    route = relucompat.explain(h.var("float64"))
    assert (route.backend, route.version) == (
        h.loaded.distribution.name,
        h.loaded.distribution.version,
    )
    assert route.import_name == h.name
    assert route.linker == promise(h).linker


def test_route_is_an_immutable_record(h):
    route = relucompat.explain(h.var("float64"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        route.formulation = "other"  # type: ignore[misc]
    assert dataclasses.asdict(route)["import_name"] == h.name


def test_the_input_decides_the_backend(h):
    y = relucompat.relu(h.var("float64"))
    assert h.loaded.backend.owns(y)
    assert relucompat.explain(h.var("float64")).import_name == h.name


def test_each_variable_routes_to_its_own_backend_in_one_process():
    loaded = loaded_backends()
    if len(loaded) < 2:
        pytest.skip("needs two backends in one process (the py38-multi env)")
    for backend in loaded:
        x = backend.tensor.vector()
        for semantics in ("theano", "strict"):
            y = relucompat.relu(x, semantics=semantics)
            assert backend.backend.owns(y)
            assert not any(other.backend.owns(y) for other in loaded if other is not backend)
        assert relucompat.explain(x).import_name == backend.backend.import_name


def test_two_backends_in_one_call_is_a_type_error():
    loaded = loaded_backends()
    if len(loaded) < 2:
        pytest.skip("needs two backends in one process (the py38-multi env)")
    first, second = loaded[:2]
    with pytest.raises(TypeError, match="two backends") as caught:
        relucompat.relu(first.tensor.vector(), second.tensor.scalar())
    for backend in (first, second):
        assert backend.distribution.name in str(caught.value)


def test_use_and_the_environment_variable_choose_for_plain_numbers(h, monkeypatch):
    relucompat.use(h.loaded.distribution.name)
    assert h.loaded.backend.owns(relucompat.relu(1.5))
    relucompat.use(None)
    monkeypatch.setenv("RELUCOMPAT_BACKEND", h.name)
    assert h.loaded.backend.owns(relucompat.relu(np.float64(-1.5)))
    assert relucompat.explain().import_name == h.name


@pytest.mark.parametrize("bad", ["tensorflow", "", "PyTorch", "theano_pymc"])
def test_unknown_backend_names_are_value_errors_listing_the_names(bad, monkeypatch):
    with pytest.raises(ValueError, match="allowed: 'aesara', 'pytensor', 'theano', 'theano-pymc'"):
        relucompat.use(bad)
    if bad:
        monkeypatch.setenv("RELUCOMPAT_BACKEND", bad)
        with pytest.raises(ValueError, match="RELUCOMPAT_BACKEND"):
            relucompat.relu(1.0)


def test_a_backend_that_is_not_installed_names_its_extra():
    missing = [b for b in registry() if b.provider() is None]
    if not missing:
        pytest.skip("every backend is installed here")
    extra = missing[0].providers[0].extra
    with pytest.raises(ImportError, match=rf'pip install "relucompat\[{extra}\]"'):
        relucompat.use(missing[0].providers[0].distribution)


@pytest.mark.parametrize("bad", ["Theano", "numpy", "", 5])
def test_unknown_semantics_are_value_errors_listing_the_names(bad, monkeypatch):
    with pytest.raises(ValueError, match="allowed: 'theano', 'strict'"):
        relucompat.relu(1.0, semantics=bad)
    with pytest.raises(ValueError, match="allowed"):
        relucompat.explain(semantics=bad)


def test_semantics_default_comes_from_the_environment(h, monkeypatch):
    monkeypatch.setenv("RELUCOMPAT_SEMANTICS", "strict")
    assert relucompat.explain(h.var("float32")).semantics == "strict"
    monkeypatch.setenv("RELUCOMPAT_SEMANTICS", "fast")
    with pytest.raises(ValueError, match="RELUCOMPAT_SEMANTICS='fast'"):
        relucompat.relu(h.var("float32"))


def test_backends_reports_every_installed_distribution():
    report = relucompat.backends()
    promised = expected()
    if promised is not None:
        assert sorted({info.import_name for info in report}) == sorted(promised)
    for info in report:
        assert info.usable, info.reason
        assert info.reason is None
        assert info.native is None or info.native.endswith(".tensor.nnet.relu")
        if promised is not None:
            assert info.linker == promised[info.import_name].linker
            assert (info.native is not None) == (promised[info.import_name].formulation == "native")


def test_an_already_imported_backend_wins_over_the_preference_order():
    loaded = loaded_backends()
    if len(loaded) < 2:
        pytest.skip("needs two backends in one process (the py38-multi env)")
    least_preferred = loaded[-1].backend.import_name
    script = textwrap.dedent(
        f"""
        import {least_preferred}, relucompat
        print(relucompat.explain().import_name)
        """
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert found.stdout.split()[-1] == least_preferred


def test_without_an_import_the_preference_order_decides():
    loaded = loaded_backends()
    if not loaded:
        pytest.skip("no backend installed")
    script = "import relucompat; print(relucompat.explain().import_name)"
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert found.stdout.split()[-1] == loaded[0].backend.import_name
