"""Importing relucompat imports no backend; using one backend imports no other and
changes none of its config flags."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.installation

LINEAGE = ("theano", "aesara", "pytensor")


def run(script: str) -> dict:
    found = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout.splitlines()[-1])


def test_import_relucompat_loads_nothing_until_a_name_is_used():
    seen = run(
        """
        import json, sys
        before = set(sys.modules)
        import relucompat
        loaded = sorted(m for m in set(sys.modules) - before if m.startswith("relucompat."))
        relucompat.relu
        print(json.dumps([loaded, "relucompat.route" in sys.modules, "numpy" in sys.modules]))
        """
    )
    assert seen == [[], True, False]


def test_import_relucompat_imports_no_backend():
    seen = run(
        f"""
        import json, sys, warnings
        warnings.simplefilter("error")
        import relucompat
        from relucompat import relu, explain, backends, use
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {LINEAGE!r})))
        """
    )
    assert seen == []


def test_import_relucompat_nn_imports_no_backend_nor_the_legacy_namespace():
    seen = run(
        f"""
        import json, sys, warnings
        warnings.simplefilter("error")
        import relucompat.nn
        from relucompat.nn import conv2d, pool_2d, batch_normalization
        backends = sorted(m for m in sys.modules if m.split(".")[0] in {LINEAGE!r})
        print(json.dumps([backends, "relucompat.legacy" in sys.modules]))
        """
    )
    assert seen == [[], False]


@pytest.mark.parametrize("semantics", ["theano", "strict"])
def test_relu_on_one_backend_imports_no_other_and_changes_no_flag(h, semantics):
    name = h.name
    seen = run(
        f"""
        import json, sys, warnings
        import {name}, {name}.tensor
        warnings.simplefilter("error")  # from here on, any warning is relucompat's
        FLAGS = ("mode", "linker", "floatX", "cast_policy", "optimizer", "compute_test_value",
                 "on_opt_error", "warn_float64")
        def flags():
            return {{k: str(getattr({name}.config, k, None)) for k in FLAGS}}
        before = flags()
        import relucompat
        x = {name}.tensor.vector()
        y = relucompat.relu(x, semantics={semantics!r})
        relucompat.relu(x, 0.3, semantics={semantics!r})
        relucompat.explain(x)
        roots = {{m.split(".")[0] for m in sys.modules}}
        others = sorted(roots & set({LINEAGE!r}) - {{{name!r}}})
        relucompat.backends()  # imports every installed backend, by design
        print(json.dumps({{"others": others, "before": before, "after": flags()}}))
        """
    )
    assert seen["others"] == []
    assert seen["before"] == seen["after"]


def test_the_public_surface_is_the_documented_names():
    import relucompat

    documented = {"SEMANTICS", "BackendInfo", "BackendSkippedWarning", "Route", "backends"}
    documented |= {"explain", "relu", "use"}
    assert set(relucompat.__all__) == documented
    assert dir(relucompat) == sorted([*documented, "__version__"])
    for name in documented:
        assert getattr(relucompat, name) is not None


def test_every_module_declares_its_names():
    """Private by default: a module whose name has no leading underscore lists in
    ``__all__`` what the rest of the package uses from it, and ``dir()`` shows only that.
    The legacy modules' ``dir()`` adds their submodules and the backend's names."""
    import importlib
    import pkgutil

    from harness import loaded_backends

    import relucompat
    from relucompat.legacy._gpu import GpuBackendGone

    names = [
        info.name
        for info in pkgutil.walk_packages(relucompat.__path__, "relucompat.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    assert "relucompat.route" in names and "relucompat.legacy.sandbox.rng_mrg" in names
    problems = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except GpuBackendGone:  # theano.sandbox.cuda raises on import, as Theano's did
            assert name == "relucompat.legacy.sandbox.cuda"
            continue
        public = vars(module).get("__all__")
        if public is None:
            problems.append(f"{name} has no __all__")
            continue
        forwards = module.__dir__.__qualname__.startswith("forward.")  # _namespace.forward
        if not forwards and dir(module) != sorted(public):
            problems.append(f"{name}: dir() is {dir(module)}, not its __all__")
        for attr in public:
            if attr in vars(module):
                continue
            lazy = "__getattr__" in vars(module)  # resolved on first use, through the backend
            if not lazy or (loaded_backends() and not hasattr(module, attr)):
                problems.append(f"{name}.__all__ names {attr!r}, which it does not define")
        if forwards and loaded_backends() and not set(public) <= set(dir(module)):
            problems.append(f"{name}: dir() leaves out some of {public}")
    assert problems == []
