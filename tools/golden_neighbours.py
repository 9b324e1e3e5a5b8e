"""Write tests/golden/neighbours-theano-1.0.5.npz from the real
``theano.tensor.nnet.neighbours``.

Run it in the Theano 1.0.5 env (it refuses any other):

    tox exec -e py38-theano -- python tools/golden_neighbours.py

Each array is stored under ``"<case id>|<dtype>|<output>"`` with its exact bytes, outputs
``fwd``, ``inverse`` (neibs2images) and ``grad`` (of ``sum(patches * w)``, where Theano
has it); the cases are defined in tests/neighbours_cases.py, which the tests share.
"""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import _theano_golden  # noqa: E402
import neighbours_cases  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "golden", neighbours_cases.GOLDEN)


def main() -> int:
    _theano_golden.require_theano_1_0_5("golden_neighbours.py")
    import theano
    import theano.tensor as T
    from theano.tensor.nnet import neighbours

    arrays = {}
    for dtype in neighbours_cases.DTYPES:
        for case in neighbours_cases.CASES:
            (x, w), outputs = neighbours_cases.build(neighbours, T, case, dtype)
            names = ["fwd", "inverse"][: len(outputs)]
            try:  # Theano has no gradient in some modes; then none is recorded
                outputs.append(theano.grad((outputs[0] * w).sum(), x))
                names.append("grad")
            except Exception as exc:
                print(f"{case.id}: no gradient on Theano ({type(exc).__name__})")
            patches = theano.function([x], outputs[0])(case.x(dtype))
            feed = [case.x(dtype), neighbours_cases.upstream(case, len(patches), dtype)]
            try:
                values = theano.function([x, w], outputs, on_unused_input="ignore")(*feed)
            except Exception as exc:  # a gradient Theano builds but cannot run
                print(f"{case.id}: gradient fails when run on Theano ({type(exc).__name__})")
                names.pop()
                values = theano.function([x, w], outputs[:-1], on_unused_input="ignore")(*feed)
            for name, value in zip(names, values):
                arrays[f"{case.id}|{dtype}|{name}"] = value
    produced_by = _theano_golden.produced_by("golden_neighbours.py")
    arrays["produced_by"] = np.array(json.dumps(produced_by, sort_keys=True))
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {len(arrays) - 1} arrays to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
