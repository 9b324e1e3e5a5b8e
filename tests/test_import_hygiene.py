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
