"""Time a LeNet-like training step with the legacy conv2d, native and built.

    /work/bin/tenv ENV python tools/bench_conv.py [default|NUMBA|JAX]

Two strided 5x5 conv layers (20 and 50 filters) with relu and a softmax layer, batch 64 of
1x28x28 images; prints the median of 20 steps for the backend's own conv (where it has one)
and for the conv built from standard ops.
"""

from __future__ import annotations

import sys
import time
import warnings
from typing import Any

import numpy as np

warnings.simplefilter("ignore")

from relucompat.legacy import _namespace  # noqa: E402
from relucompat.legacy.tensor import nnet  # noqa: E402
from relucompat.legacy.tensor.nnet import abstract_conv  # noqa: E402


def step(B: Any, built: bool, mode: Any) -> Any:
    T, fx = B.tensor, B.config.floatX
    rng = np.random.RandomState(0)
    saved = abstract_conv.native
    if built:
        abstract_conv.native = lambda: None  # type: ignore[assignment]
    try:
        x, y = T.tensor4(dtype=fx), T.ivector()
        w1 = B.shared((rng.randn(20, 1, 5, 5) * 0.1).astype(fx))
        w2 = B.shared((rng.randn(50, 20, 5, 5) * 0.1).astype(fx))
        w3 = B.shared((rng.randn(50 * 4 * 4, 10) * 0.01).astype(fx))
        shape1, shape2 = (64, 1, 28, 28), (64, 20, 12, 12)
        h1 = nnet.relu(nnet.conv2d(x, w1, shape1, (20, 1, 5, 5), subsample=(2, 2)))
        h2 = nnet.relu(nnet.conv2d(h1, w2, shape2, (50, 20, 5, 5), subsample=(2, 2)))
        p = nnet.softmax(T.dot(h2.flatten(2), w3))
        cost = -T.mean(T.log(p[T.arange(y.shape[0]), y]))
        params = [w1, w2, w3]
        updates = [(q, q - 0.01 * g) for q, g in zip(params, B.grad(cost, params))]
        return B.function([x, y], cost, updates=updates, mode=mode)
    finally:
        abstract_conv.native = saved  # type: ignore[assignment]


def main() -> int:
    B = _namespace.backend().module
    name = sys.argv[1] if len(sys.argv) > 1 else "default"
    mode = None if name == "default" else B.compile.mode.get_mode(name)
    rng = np.random.RandomState(1)
    xv = rng.rand(64, 1, 28, 28).astype(B.config.floatX)
    yv = rng.randint(0, 10, 64).astype("int32")
    for built in [False, True] if abstract_conv.native() is not None else [True]:
        f = step(B, built, mode)
        f(xv, yv)
        times = []
        for _ in range(20):
            start = time.perf_counter()
            f(xv, yv)
            times.append(time.perf_counter() - start)
        label = "built" if built else "native"
        print(f"{B.__name__} {B.__version__} {name} {label}: {np.median(times) * 1e3:.1f} ms/step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
