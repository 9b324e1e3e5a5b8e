"""Measure LeNet's step with max pooling built as a reshape (windows that tile the image,
what ``relucompat.legacy`` does since the tiling max) against the gather it used before.

Not the bench: the measurement behind docs/performance.md's "tiling max" figures. Both
steps are built in one process, the theano route in float32, and timed in turns, one step
each per round (``relucompat.bench.medians_in_turns``), 15 rounds per batch size. Run it in
an env whose pooling is built (PyTensor >= 2.9), on an otherwise idle machine:

    python3 -m tox exec -e py313-pytensor3 -qq --skip-pkg-install -- \
        python tools/measure_pool_tiling.py [LINKER]
"""

from __future__ import annotations

import functools
import sys

from relucompat import bench_model, discovery
from relucompat.bench import medians_in_turns
from relucompat.legacy.tensor.signal import _pool_built

VARIANTS = ("gather", "reshape")
RESHAPE = _pool_built.tiled_max


def main(linker: str) -> None:
    backend = discovery.default()
    route = bench_model._theano_route()
    mode = bench_model.compile_mode(backend, linker or None)
    lenet = bench_model.MODELS["lenet"]
    for batch in (20, 500):
        steps = []
        for variant in VARIANTS:
            # _pool_built.pool gathers when the tiling max declines
            _pool_built.tiled_max = RESHAPE if variant == "reshape" else lambda *_: None
            relu = bench_model._activation(backend, route)
            function, data = bench_model._step(backend, lenet, relu, batch, "float32", mode)
            function(*data)  # JIT linkers compile on the first call
            steps.append(functools.partial(function, *data))
        medians = medians_in_turns(steps, 15)
        print(
            f"batch {batch:3}  "
            + "  ".join(f"{v} {1e3 * m:7.1f} ms" for v, m in zip(VARIANTS, medians))
            + f"  reshape / gather {medians[1] / medians[0]:.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
