"""Measure LeNet's step with the built convolution run image by image through ``scan``,
against the built convolution on the whole batch (what ``relucompat.legacy`` does today).

Not the bench: a measurement for issue 9's memory target (docs/performance.md, "A training
step"). Per batch size, it prints each variant's median step time over 10 rounds in turns,
its compile time (the first variant's includes the cold compile), its peak memory measured
as the bench does (a fresh interpreter, a fixed mmap threshold, three warm steps), and the
loss of its first three steps. Run it in an env, on an otherwise idle machine:

    python3 -m tox exec -e py313-pytensor3 -qq --skip-pkg-install -- \
        python tools/measure_conv_per_image.py [LINKER]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

from relucompat import bench_model, discovery
from relucompat.bench import CANDIDATES
from relucompat.legacy.tensor.nnet import _conv_built, _nnet_conv2d

VARIANTS = ("whole batch", "per image")
WHOLE_BATCH = _nnet_conv2d.conv2d


def per_image_conv2d(backend: Any) -> Callable[..., Any]:
    """LeNet's ``conv2d`` (valid, unit strides, flipped filters), one image per scan step."""
    T, scan = backend.tensor, backend.module.scan

    def conv2d(
        input: Any, filters: Any, input_shape: Tuple[int, ...], filter_shape: Any, **_: Any
    ) -> Any:
        _, channels, rows, columns = input_shape

        def one(image: Any) -> Any:
            image = T.specify_shape(
                image.reshape((1, channels, rows, columns)), (1, channels, rows, columns)
            )
            kernel = T.specify_shape(filters, filter_shape)
            return _conv_built.conv(T, image, kernel, [(0, 0), (0, 0)], (1, 1), True, (1, 1), 1)[0]

        outputs, _ = scan(one, sequences=[input])
        return outputs

    return conv2d


def compiled(variant: str, batch: int, linker: str) -> Tuple[Any, list, float]:
    import relucompat.legacy.tensor.nnet as nnet

    backend = discovery.default()
    # bench_model._lenet imports nnet.conv2d when it builds the model
    nnet.conv2d = per_image_conv2d(backend) if variant == "per image" else WHOLE_BATCH
    route = next(c for c in CANDIDATES if c.name == "relucompat theano")
    started = time.perf_counter()
    function, data = bench_model._step(
        backend,
        bench_model.MODELS["lenet"],
        bench_model._activation(backend, route),
        batch,
        "float32",
        bench_model.compile_mode(backend, linker or None),
    )
    bench_model.finished(function(*data))
    return function, data, time.perf_counter() - started


def peak_mib(variant: str, batch: int, linker: str) -> float:
    function, data, _ = compiled(variant, batch, linker)
    bench_model.finished(function(*data))
    with open("/proc/self/clear_refs", "w") as stream:
        stream.write("5")
    before = bench_model._status_kib("VmRSS")
    for _ in range(3):
        bench_model.finished(function(*data))
    return (bench_model._status_kib("VmHWM") - before) / 1024


def main(linker: str) -> None:
    for batch in (20, 500):
        losses: Dict[str, List[float]] = {}
        steps = {}
        for variant in VARIANTS:
            # the losses from a build of its own, so that both start from the same weights
            function, data, _ = compiled(variant, batch, linker)
            losses[variant] = [float(function(*data)) for _ in range(3)]
            steps[variant] = compiled(variant, batch, linker)
        times: Dict[str, List[float]] = {variant: [] for variant in VARIANTS}
        for _ in range(10):
            for variant, (function, data, _) in steps.items():
                started = time.perf_counter()
                bench_model.finished(function(*data))
                times[variant].append(time.perf_counter() - started)
        for variant in VARIANTS:
            child = subprocess.run(
                [sys.executable, __file__, "--peak", variant, str(batch), linker],
                env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"},
                capture_output=True,
                text=True,
            )
            peak = child.stdout.split()[-1] if child.returncode == 0 else child.stderr[-300:]
            step_ms = 1e3 * statistics.median(times[variant])
            print(
                f"batch {batch:3} {variant:11} step {step_ms:8.1f} ms"
                f"  compile {steps[variant][2]:5.1f} s  peak {peak} MiB"
                f"  losses {losses[variant]}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak"]:
        print(peak_mib(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "")
