"""Where a model step's cold numba compile goes: numba's own compile events during the
step's first call, each function's time net of the functions it compiled inside it.

Not the bench: a measurement for issue 27's cold-start target (docs/performance.md, "Legacy
programs against Theano 1.0.5"). The step of ``relucompat bench --model MODEL`` is compiled
under the numba linker and called once; numba reports every function it compiles (its
``numba:compile`` events), nested as they happen. A function's self time is its compile
less those nested in it; the self times are summed by what was compiled: the whole step
(PyTensor's function of the graph), a node's kernel (by the PyTensor module and function
that made it), or numba's own library code (sorting, string formatting for its error
messages, hashing: compiled once per process, the first time a kernel needs them). The
caches must start empty (a fresh compile directory). Run it in an env:

    PYTENSOR_FLAGS=base_compiledir=$(mktemp -d) NUMBA_CACHE_DIR=$(mktemp -d) \\
        python3 -m tox exec -e py313-pytensor3 -qq --skip-pkg-install -- \\
        python tools/measure_numba_compile.py lenet [BATCH]
"""

from __future__ import annotations

import collections
import sys
import time
from typing import Any, Dict, List, Tuple

from numba.core import event

from relucompat import bench_model, discovery
from relucompat._model_graphs import MODELS


class _Compiles(event.Listener):
    """Each compile's (self seconds, compiled Python function), nested compiles apart."""

    def __init__(self) -> None:
        self.open: List[List[Any]] = []  # [start, data, seconds of nested compiles]
        self.done: List[Tuple[float, Any]] = []

    def on_start(self, started: Any) -> None:
        self.open.append([time.perf_counter(), started.data, 0.0])

    def on_end(self, ended: Any) -> None:
        start, data, nested = self.open.pop()
        seconds = time.perf_counter() - start
        if self.open:
            self.open[-1][2] += seconds
        self.done.append((seconds - nested, getattr(data.get("dispatcher"), "py_func", None)))


def main(model: str, batch: int) -> None:
    backend = discovery.default()
    pytensor = backend.module
    relu = bench_model._activation(backend, bench_model._theano_route())
    (inputs, cost, updates), data = bench_model._training(
        backend, MODELS[model], relu, batch, "float32"
    )
    compiles = _Compiles()
    event.register("numba:compile", compiles)
    start = time.perf_counter()
    step = pytensor.function(inputs, cost, updates=updates, mode="NUMBA")
    rewritten = time.perf_counter()
    step(*data)
    called = time.perf_counter()
    print(
        f"{model} batch {batch}: {len(step.maker.fgraph.apply_nodes)} nodes; function() "
        f"{rewritten - start:.1f} s, first call {called - rewritten:.1f} s"
    )
    seconds: Dict[str, float] = collections.defaultdict(float)
    counts: collections.Counter = collections.Counter()
    for own, function in compiles.done:
        seconds[_what(function)] += own
        counts[_what(function)] += 1
    print(f"{'compiled':64} {'count':>5} {'self s':>7}")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"{name[:64]:64} {counts[name]:5d} {value:7.2f}")
    numba_own = sum(v for k, v in seconds.items() if k.startswith("numba's own"))
    print(f"{'all':64} {len(compiles.done):5d} {sum(seconds.values()):7.2f}")
    print(f"of which numba's own library code: {numba_own:.2f} s")


def _what(function: Any) -> str:
    module = getattr(function, "__module__", None) or ""
    name = getattr(function, "__qualname__", repr(function)).split(".<locals>")[0]
    if module.startswith("numba"):
        return f"numba's own: {module.split('.')[-1]}.{name}"
    if name == "numba_funcified_fgraph":
        return f"the whole function ({module.split('.')[-1]})"
    return f"kernel: {module.replace('pytensor.link.numba.dispatch.', '')}.{name}"


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
