"""Write tests/golden/pool-theano-1.0.5.npz from the real ``theano.tensor.signal.pool``.

Run it in the Theano 1.0.5 env (it refuses any other):

    tox exec -e py38-theano -- python tools/golden_pool.py

Each array is stored under ``"<case id>|<output>"`` with its exact bytes; the cases are
defined in tests/pool_cases.py, which the tests share.
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import _theano_golden  # noqa: E402
import numpy as np  # noqa: E402
import pool_cases  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "golden", pool_cases.GOLDEN)


def main() -> int:
    _theano_golden.require_theano_1_0_5("golden_pool.py")
    import theano
    from theano.tensor.signal import pool

    arrays = {}
    for group in pool_cases.by_dtype().values():
        skip = pool_cases.Case.theano_grad_fails.fget
        inputs, outputs, feed = pool_cases.build(pool, theano, group, skip)
        values = list(theano.function(inputs, outputs, on_unused_input="ignore")(*feed))
        for case in group:
            for name in pool_cases.output_names(case, skip):
                arrays[f"{case.id}|{name}"] = values.pop(0)
    produced_by = _theano_golden.produced_by("golden_pool.py")
    arrays["produced_by"] = np.array(json.dumps(produced_by, sort_keys=True))
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {len(arrays) - 1} arrays to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
