"""Pickle a graph and its compiled function, load both in a fresh process, and run them there.

The child compiles the loaded graph with the same linker and calls the loaded function;
it sends back both results (or the error that loading the function raised).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from typing import Any, List

import pytest
from harness import Harness

TESTS = os.path.dirname(os.path.abspath(__file__))

CHILD = textwrap.dedent(
    """
    import pickle, sys
    sys.path.insert(0, sys.argv[4])
    import numpy as np
    from harness import Harness
    from relucompat import discovery
    from relucompat.lineage import registry

    path, name, linker = sys.argv[1:4]
    with open(path + ".graph", "rb") as f:
        inputs, outputs, args = pickle.load(f)
    backend = next(b for b in registry() if b.import_name == name)
    h = Harness(discovery.load(backend), linker)
    results = {"graph": [np.asarray(v) for v in h.function(inputs, outputs)(*args)]}
    try:
        with open(path + ".function", "rb") as f:
            function = pickle.load(f)
    except (NotImplementedError, FileNotFoundError) as exc:
        results["function"] = str(exc)
    else:
        results["function"] = [np.asarray(v) for v in function(*args)]
    with open(path + ".out", "wb") as f:
        pickle.dump(results, f)
    """
)


def loaded_elsewhere(
    h: Harness, path: str, inputs: List[Any], outputs: List[Any], args: Any, function: Any
) -> dict:
    """``{"graph": values, "function": values or the loading error}`` from a fresh process
    that loaded what this one pickled to ``path``.*."""
    with open(f"{path}.graph", "wb") as f:
        pickle.dump((inputs, outputs, args), f)
    if h.linker == "pytorch":
        # PyTensor's PyTorch linker keeps the functions it generates in closures, which
        # pickle cannot name: its compiled functions do not pickle (PyTensor 3.0 and 3.3).
        with pytest.raises(AttributeError, match="Can't pickle local object"):
            pickle.dumps(function)
    else:
        with open(f"{path}.function", "wb") as f:
            pickle.dump(function, f)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, path, h.name, h.linker, TESTS],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with open(f"{path}.out", "rb") as f:
        got: dict = pickle.load(f)
    if h.linker == "c":
        # No backend loads a function compiled by its CLinker, whatever the graph: its
        # ParamsType values are dicts that refuse the items pickle restores (README).
        assert got["function"] == "Params is immutable"
        del got["function"]
    elif h.linker == "pytorch":
        del got["function"]
    return got
