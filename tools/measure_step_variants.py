"""One model step's warm time under a variant of how it is built or compiled, for A/B runs
in fresh processes (the bench compares candidates for relu, not these).

Not the bench: a measurement for issue 27 (docs/performance.md, "Legacy programs against
Theano 1.0.5"). The step is ``relucompat bench --model MODEL``'s, the ``"theano"`` route,
compiled with LINKER (the backend's default if not given); the median of 30 warm calls
(8 at batch 500 and over), as ``bench.medians_in_turns`` takes it, is printed. Variants:

- ``--window-bytes N``: the built conv's chunk budget (``_conv_chunks.WINDOW_BYTES``);
- ``--excluding TAG`` (repeatable): the mode without those rewrites, as
  ``mode.excluding(TAG)``.

Run each variant in its own process, in turns with the others, e.g.:

    python3 -m tox exec -e py311-pytensor2 -qq --skip-pkg-install -- \\
        python tools/measure_step_variants.py dae 20 --excluding gemm_optimizer
"""

from __future__ import annotations

import argparse
import functools
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("batch", type=int)
    parser.add_argument("--linker")
    parser.add_argument("--window-bytes", type=int)
    parser.add_argument("--excluding", action="append", default=[])
    parser.add_argument("--dtype", default="float32")
    args = parser.parse_args(argv)

    from relucompat.legacy.tensor.nnet import _conv_chunks

    if args.window_bytes is not None:  # before any graph is built: ops keep their budget
        _conv_chunks.WINDOW_BYTES = args.window_bytes

    from relucompat import bench_model
    from relucompat._model_graphs import MODELS
    from relucompat.bench import compile_mode, medians_in_turns
    from relucompat.discovery import default

    backend = default()
    mode = compile_mode(backend, args.linker) or backend.module.compile.mode.get_default_mode()
    if args.excluding:
        mode = mode.excluding(*args.excluding)
    relu = bench_model._activation(backend, bench_model._theano_route())
    step, data = bench_model._step(backend, MODELS[args.model], relu, args.batch, args.dtype, mode)
    (median,) = medians_in_turns([functools.partial(step, *data)], 30 if args.batch < 500 else 8)
    name = f"{backend.distribution.name} {backend.module.__version__}"
    variant = f"window_bytes={_conv_chunks.WINDOW_BYTES} excluding={','.join(args.excluding)}"
    print(f"{name} {args.model} batch {args.batch} {variant}: median {median * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
