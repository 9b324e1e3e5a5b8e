"""Which backend and formulation a call takes, and what explain() and backends() report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from harness import expected

import relucompat
from relucompat.lineage import registry

pytestmark = pytest.mark.installation


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
    with pytest.raises(AttributeError):
        route.formulation = "other"  # type: ignore[misc]
    assert route._asdict()["import_name"] == h.name
    assert route == relucompat.explain(h.var("float64"))  # compared by value


def test_the_input_decides_the_backend(h):
    y = relucompat.relu(h.var("float64"))
    assert h.loaded.backend.owns(y)
    assert relucompat.explain(h.var("float64")).import_name == h.name


def run(script: str) -> dict:
    """Run ``script`` in a fresh interpreter; its last line of output is JSON."""
    found = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout.splitlines()[-1])


def several_promised():
    promised = expected() or {}
    if len(promised) < 2:
        pytest.skip("needs two backends promised in one env (py38-multi)")
    return [b.import_name for b in registry() if b.import_name in promised]


def test_each_variable_routes_to_its_own_backend_in_one_process():
    # A fresh process: building graphs of both side by side is the point.
    names = several_promised()
    seen = run(
        f"""
        import json, importlib, relucompat
        found = {{}}
        for name in {names!r}:
            tensor = importlib.import_module(name + ".tensor")
            x = tensor.vector()
            found[name] = [type(relucompat.relu(x, semantics=s)).__module__.split(".")[0]
                           for s in ("theano", "strict")]
            found[name].append(relucompat.explain(x).import_name)
        print(json.dumps(found))
        """
    )
    assert seen == {name: [name, name, name] for name in names}


@pytest.mark.parametrize("reverse", [False, True], ids=["preferred-first", "preferred-last"])
def test_two_backends_compile_with_their_c_vms_in_one_process(reverse):
    # Theano, Aesara and PyTensor import their compiled C VM by one name, lazylinker_ext:
    # relucompat loads the second with its own. Compile relu and its gradient with each in
    # turn, twice (the second round compiles anew), and check that the C VM ran them.
    names = several_promised()[::-1] if reverse else several_promised()
    seen = run(
        f"""
        import json
        import numpy as np
        from relucompat import discovery, relu
        from relucompat.lineage import registry

        loaded = {{b.import_name: discovery.load(b) for n in {names!r}
                  for b in registry() if b.import_name == n}}
        found = []
        for round in range(2):
            for name, backend in loaded.items():
                T = backend.tensor
                x, alpha = T.dvector("x"), T.dscalar("alpha")
                y = relu(x, alpha)
                g = T.grad(T.sum(y * np.arange(1.0, 5.0)), x)
                mode = backend.module.compile.mode.Mode(linker="cvm")
                f = backend.module.function([x, alpha], [y, g], mode=mode)
                vm = getattr(f, "vm", None) or f.fn
                c_vm = any(c.__module__ == "lazylinker_ext" for c in type(vm).__mro__)
                outs = f([-2.0, -0.5, 1.5, 3.0], 0.25 * (round + 1))
                found.append([name, c_vm] + [o.tolist() for o in outs])
        print(json.dumps(found))
        """
    )
    want = []
    for alpha in (0.25, 0.5):
        slope = np.array([alpha, alpha, 1.0, 1.0])
        x = np.array([-2.0, -0.5, 1.5, 3.0])
        want += [
            [name, True, (slope * x).tolist(), (slope * np.arange(1, 5)).tolist()] for name in names
        ]
    assert seen == want


def test_two_backends_in_one_call_is_a_type_error():
    first, second = several_promised()[:2]
    seen = run(
        f"""
        import json, {first}.tensor, {second}.tensor, relucompat
        try:
            relucompat.relu({first}.tensor.vector(), {second}.tensor.scalar())
        except TypeError as exc:
            print(json.dumps(str(exc)))
        """
    )
    assert "two backends" in seen
    assert first in seen and second in seen


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
    # In a fresh process: backends() imports every installed backend.
    report = run(
        """
        import json, relucompat
        print(json.dumps([info._asdict() for info in relucompat.backends()]))
        """
    )
    promised = expected()
    broken = os.environ.get("RELUCOMPAT_TEST_BROKEN", "")
    if promised is not None:
        assert sorted({i["import_name"] for i in report if i["usable"]}) == sorted(promised)
        assert sorted(i["import_name"] for i in report if not i["usable"]) == sorted(
            filter(None, [broken])
        )
    for info in report:
        if info["import_name"] == broken:
            continue
        assert info["usable"], info["reason"]
        assert info["reason"] is None
        native = info["native"]
        assert native is None or native == info["import_name"] + ".tensor.nnet.relu"
        if promised is not None:
            promise = promised[info["import_name"]]
            assert info["linker"] == promise.linker
            assert (native is not None) == (promise.formulation == "native")


def test_an_already_imported_backend_wins_over_the_preference_order():
    least_preferred = several_promised()[-1]
    seen = run(
        f"""
        import json, {least_preferred}, relucompat
        print(json.dumps(relucompat.explain().import_name))
        """
    )
    assert seen == least_preferred


def test_without_an_import_the_preference_order_decides():
    promised = expected()
    if not promised:
        pytest.skip("this env promises no backend")
    first = next(b.import_name for b in registry() if b.import_name in promised)
    seen = run("import json, relucompat; print(json.dumps(relucompat.explain().import_name))")
    assert seen == first
