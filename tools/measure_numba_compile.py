"""Where a model step's cold numba compile goes: each node of the compiled graph, compiled
alone with empty caches.

Not the bench: a measurement for issue 27's cold-start target (docs/performance.md, "Legacy
programs against Theano 1.0.5"). The step of ``relucompat bench --model MODEL`` is built and
rewritten as ``function()`` does under the numba linker; then every node of the rewritten
graph is compiled alone (its inputs fresh variables of the same types, the same rewrites
excluded from re-running) and called once on zeros, the seconds of both summed per op
class. The caches start empty (run it in a fresh compile directory). Run it in an env:

    PYTENSOR_FLAGS=base_compiledir=$(mktemp -d) NUMBA_CACHE_DIR=$(mktemp -d) \\
        python3 -m tox exec -e py311-pytensor30 -qq --skip-pkg-install -- \\
        python tools/measure_numba_compile.py lenet [BATCH]
"""

from __future__ import annotations

import collections
import sys
import time

import numpy as np

from relucompat import bench_model, discovery
from relucompat._model_graphs import MODELS


def main(model: str, batch: int) -> None:
    backend = discovery.default()
    pytensor = backend.module
    mode = pytensor.compile.mode.get_mode("NUMBA")
    relu = bench_model._activation(backend, bench_model._theano_route())
    (inputs, cost, updates), data = bench_model._training(
        backend, MODELS[model], relu, batch, "float32"
    )
    start = time.perf_counter()
    whole = pytensor.function(inputs, cost, updates=updates, mode=mode)
    rewritten = time.perf_counter() - start
    whole(*data)
    total = time.perf_counter() - start
    nodes = whole.maker.fgraph.toposort()
    seconds: dict = collections.defaultdict(float)
    counts: collections.Counter = collections.Counter()
    failed: dict = {}
    alone = mode.excluding("fusion", "inplace")  # the node as it is, not rewritten again
    for node in nodes:
        fresh = [i.type() for i in node.inputs]
        clone = node.op.make_node(*fresh)
        began = time.perf_counter()
        try:
            f = pytensor.function(fresh, clone.outputs, mode=alone, on_unused_input="ignore")
            f(*[_zeros(v.type) for v in fresh])
        except Exception as error:  # zeros may be out of an index's bounds, after compiling
            failed[_name(node.op)] = f"{type(error).__name__}: {str(error)[:80]}"
        seconds[_name(node.op)] += time.perf_counter() - began
        counts[_name(node.op)] += 1
    print(
        f"{model} batch {batch}: {len(nodes)} nodes; function() {rewritten:.1f} s, "
        f"first call {total - rewritten:.1f} s, cold total {total:.1f} s"
    )
    print(f"{'op':60} {'nodes':>5} {'alone s':>8}")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"{name[:60]:60} {counts[name]:5d} {value:8.2f}")
    print(f"{'sum':60} {len(nodes):5d} {sum(seconds.values()):8.2f}")
    for name, why in failed.items():
        print(f"called on zeros, {name} raised {why}")


def _name(op: object) -> str:
    scalar = getattr(op, "scalar_op", None)
    if scalar is not None:
        return f"{type(op).__name__}{{{type(scalar).__name__}}}"
    return type(op).__name__


def _zeros(type_: object) -> object:
    shape = [1 if s is None else s for s in getattr(type_, "shape", ())]
    dtype = getattr(type_, "dtype", "float64")
    return np.zeros(shape, dtype=dtype) if hasattr(type_, "ndim") else None


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
