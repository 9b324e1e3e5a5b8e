"""Measure LeNet's step with the built convolution run image by image through ``scan``,
against the built convolution on the whole batch (what ``relucompat.legacy`` does today).

Not the bench: a measurement for issue 9's memory target (docs/performance.md, "A training
step"). Per batch size, it prints each variant's median step time over 10 rounds in turns,
its compile time (the best of the bench's rebuilds in turns), its peak memory measured by
the bench's own code (a fresh interpreter, a fixed mmap threshold, three warm steps), and
the loss of its first three steps. Run it in an env, on an otherwise idle machine:

    python3 -m tox exec -e py313-pytensor3 -qq --skip-pkg-install -- \
        python tools/measure_conv_per_image.py [LINKER]
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from typing import Any, Callable, Dict, List, Tuple

from relucompat import bench_model, discovery
from relucompat.bench import medians_in_turns
from relucompat.legacy.tensor.nnet import _conv_built, _nnet_conv2d

VARIANTS = ("whole batch", "per image")
WHOLE_BATCH = _nnet_conv2d.conv2d


def per_image_conv2d(backend: Any) -> Callable[..., Any]:
    """LeNet's ``conv2d`` (valid, unit strides, flipped filters), one image per scan step."""
    T, scan = backend.tensor, backend.module.scan

    def conv2d(
        input: Any, filters: Any, input_shape: Tuple[int, ...], filter_shape: Any, **unused: Any
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


def use(variant: str) -> None:
    """Make ``variant`` the conv that ``bench_model._lenet`` imports when it builds."""
    import relucompat.legacy.tensor.nnet as nnet

    nnet.conv2d = per_image_conv2d(discovery.default()) if variant == "per image" else WHOLE_BATCH


def built_as(variant: str, build: Callable[[], Any]) -> Callable[[], Any]:
    """``build`` with ``variant``'s conv, which each rebuild in turns must set again."""

    def rebuild() -> Any:
        use(variant)
        return build()

    return rebuild


def main(linker: str) -> None:
    backend = discovery.default()
    route = bench_model._theano_route()
    mode = bench_model.compile_mode(backend, linker or None)
    lenet = bench_model.MODELS["lenet"]
    for batch in (20, 500):
        losses: Dict[str, List[float]] = {}
        steps, builds = {}, {}
        for variant in VARIANTS:
            use(variant)
            # the losses from a build of its own, so that both start from the same weights
            relu = bench_model._activation(backend, route)
            function, data = bench_model._step(backend, lenet, relu, batch, "float32", mode)
            losses[variant] = [float(function(*data)) for _ in range(3)]
            builds[variant] = built_as(
                variant, bench_model._builder(backend, lenet, route, batch, "float32", mode)
            )
            function, data = builds[variant]()  # fills the caches, as in the bench
            steps[variant] = functools.partial(function, *data)
        rounds = bench_model.COMPILE_ROUNDS
        compiled = bench_model._best_builds_in_turns(list(builds.values()), rounds)
        medians = medians_in_turns(list(steps.values()), 10)
        for variant, median, compile_seconds in zip(VARIANTS, medians, compiled):
            child = subprocess.run(
                [sys.executable, __file__, "--peak", variant, str(batch), linker],
                env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"},  # as the bench's
                capture_output=True,
                text=True,
            )
            figure = child.stdout.split()[-1] if child.returncode == 0 else child.stderr[-300:]
            peak = f"{int(figure) / 2**20:.1f}" if figure.isdigit() else figure
            print(
                f"batch {batch:3} {variant:11} step {1e3 * median:8.1f} ms"
                f"  compile {compile_seconds:5.1f} s  peak {peak} MiB"
                f"  losses {losses[variant]}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak"]:  # in a fresh interpreter, as the bench measures
        variant, batch, linker = sys.argv[2:5]
        use(variant)
        name = discovery.default().distribution.name
        bench_model._measure_peak_here(name, "lenet", batch, "float32", linker)
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "")
