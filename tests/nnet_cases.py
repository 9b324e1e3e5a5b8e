"""Cases for Theano 1.0.5's nnet (and nnet.bn) beyond relu, shared by the golden script and
the tests.

tools/golden_nnet.py builds them with Theano 1.0.5's own ``theano.tensor.nnet``;
test_legacy_nnet.py builds them with ``relucompat.legacy.tensor.nnet`` on every backend.
Each case gives its inputs, what to call, and the shapes of its outputs; its gradient is
that of ``sum(out * w)`` (fixed random ``w`` per weighted output) with respect to ``wrt``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Sequence, Tuple

import case_groups
import numpy as np

FLOATS = ("float32", "float64")

# The sigmoids' interesting points: Theano's C clipping edges (-88/15 in float32,
# -709/19 in float64, -103/14 and -745/16 for softplus), ultra_fast_sigmoid's segments
# (0.5 * x at 1.7 and 3), zero of both signs, and far tails.
EDGES = [-800.0, -745.5, -709.5, -103.5, -88.5, -40.0, -30.0, -17.0, -6.0, -3.4, -1.0, -0.5]
EDGES += [-0.0, 0.0, 0.3, 1.0, 3.4, 3.5, 6.0, 10.0, 14.5, 15.5, 16.5, 19.5, 30.0, 40.0, 800.0]


# Where Theano's C sigmoid and softplus stop computing and return 0, 1 or x (the tighter of
# their bounds): sigmoid below -88 and above 15 in float32, -709 and 19 in float64; softplus
# below -103 and above 14, or -745 and 16. Backends without Theano's ops compute these points.
THEANO_CLIPS = {"float32": (-88.0, 14.0), "float64": (-709.0, 16.0)}
CLIPPING = ("sigmoid", "softplus", "sigmoid_binary_crossentropy")


def clipped(case_id: str, x: np.ndarray) -> np.ndarray:
    """Where Theano's C sigmoid or softplus clipped ``x`` in case ``case_id``, if either."""
    dtype, name = case_id.split("/", 1)
    low, high = THEANO_CLIPS[dtype]
    if name not in CLIPPING:
        return np.zeros(x.shape, bool)
    return (x < low) | (x > high)


def edges(dtype: str) -> np.ndarray:
    normal = np.random.RandomState(0).standard_normal(6) * 2
    return np.concatenate([np.array(EDGES, dtype=dtype), normal.astype(dtype)])


@dataclass(frozen=True)
class Case:
    id: str
    dtype: str
    kinds: Tuple[str, ...]  # constructor of each input: "vector", "matrix", "row", ...
    values: Tuple[np.ndarray, ...]
    call: Callable[[Any, Sequence[Any]], List[Any]]  # (api, inputs) -> outputs
    shapes: Tuple[Tuple[int, ...], ...]  # of each output
    wrt: Tuple[int, ...] = ()  # inputs to differentiate sum(out * w) against
    weighted: Tuple[int, ...] = field(default=(0,))  # outputs in that sum

    def weights(self) -> List[np.ndarray]:
        state = np.random.RandomState(7)
        return [state.uniform(-2, 2, self.shapes[i]).astype(self.dtype) for i in self.weighted]

    def names(self) -> List[str]:
        outs = [f"out{i}" for i in range(len(self.shapes))]
        return outs + [f"grad{i}" for i in self.wrt]


def _probabilities(state: np.random.RandomState, rows: int, cols: int) -> np.ndarray:
    p = state.uniform(0.05, 1, (rows, cols))
    return p / p.sum(axis=1, keepdims=True)


def cases() -> List[Case]:
    found: List[Case] = []
    for dtype in FLOATS:
        state = np.random.RandomState(3)

        def arr(value: Any, dt: str = dtype) -> np.ndarray:
            return np.asarray(value, dtype=dt)

        def add(
            name: str,
            kinds: Sequence[str],
            values: Sequence[Any],
            call: Any,
            shapes: Sequence[Tuple[int, ...]],
            wrt: Sequence[int] = (0,),
            weighted: Sequence[int] = (0,),
            dtype: str = dtype,
        ) -> None:
            found.append(
                Case(
                    f"{dtype}/{name}",
                    dtype,
                    tuple(kinds),
                    tuple(values),
                    call,
                    tuple(shapes),
                    tuple(wrt),
                    tuple(weighted),
                )
            )

        x = edges(dtype)
        n = (x.size,)
        for name in ("sigmoid", "softplus", "hard_sigmoid", "softsign", "selu"):
            add(
                name,
                ["vector"],
                [x],
                lambda api, v, name=name: [getattr(api.nnet, name)(v[0])],
                [n],
            )
        # Theano's ultra_fast_sigmoid has no gradient.
        add(
            "ultra_fast_sigmoid",
            ["vector"],
            [x],
            lambda api, v: [api.nnet.ultra_fast_sigmoid(v[0])],
            [n],
            wrt=(),
        )
        add("elu", ["vector"], [x], lambda api, v: [api.nnet.elu(v[0])], [n])
        add("elu/alpha=0.5", ["vector"], [x], lambda api, v: [api.nnet.elu(v[0], 0.5)], [n])

        m = arr([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [-60.0, 5.0, 30.0, -0.5]])
        for name in ("softmax", "logsoftmax"):
            add(
                f"{name}/matrix",
                ["matrix"],
                [m],
                lambda api, v, name=name: [getattr(api.nnet, name)(v[0])],
                [m.shape],
            )
            add(
                f"{name}/vector",
                ["vector"],
                [m[2]],
                lambda api, v, name=name: [getattr(api.nnet, name)(v[0])],
                [(1, 4)],
            )

        p = arr(state.uniform(0.01, 0.99, 8))
        t = arr(state.uniform(0, 1, 8).round(1))
        add(
            "binary_crossentropy",
            ["vector", "vector"],
            [p, t],
            lambda api, v: [api.nnet.binary_crossentropy(v[0], v[1])],
            [(8,)],
            wrt=(0, 1),
        )
        add(
            "sigmoid_binary_crossentropy",
            ["vector", "vector"],
            [x, arr(np.resize(t, x.size))],
            lambda api, v: [api.nnet.sigmoid_binary_crossentropy(v[0], v[1])],
            [n],
            wrt=(0, 1),
        )

        probs = arr(_probabilities(state, 3, 4))
        labels = np.array([2, 0, 3], dtype="int32")
        onehot = arr(np.eye(4)[labels])
        add(
            "categorical_crossentropy/labels",
            ["matrix", "ivector"],
            [probs, labels],
            lambda api, v: [api.nnet.categorical_crossentropy(v[0], v[1])],
            [(3,)],
        )
        add(
            "categorical_crossentropy/onehot",
            ["matrix", "matrix"],
            [probs, onehot],
            lambda api, v: [api.nnet.categorical_crossentropy(v[0], v[1])],
            [(3,)],
            wrt=(0, 1),
        )
        add(
            "crossentropy_categorical_1hot",
            ["matrix", "ivector"],
            [probs, labels],
            lambda api, v: [api.nnet.crossentropy_categorical_1hot(v[0], v[1])],
            [(3,)],
        )

        a = arr(state.standard_normal((4, 3)) * 3)
        rows = [arr(state.uniform(0.5, 2, (1, 3))), arr(state.standard_normal((1, 3)))]
        rows += [arr(a.mean(axis=0, keepdims=True)), arr(a.std(axis=0, keepdims=True) + 0.1)]
        for mode in ("low_mem", "high_mem"):
            add(
                f"batch_normalization/{mode}",
                ["matrix", "row", "row", "row", "row"],
                [a, *rows],
                lambda api, v, mode=mode: [api.bn.batch_normalization(*v, mode=mode)],
                [a.shape],
                wrt=(0, 1, 2, 3, 4),
            )

        b = arr(state.standard_normal((3, 2, 2, 2)) * 2 + 1)
        per_activation = [
            arr(state.uniform(0.5, 2, (2, 2, 2))),
            arr(state.standard_normal((2, 2, 2))),
        ]
        spatial = [arr(state.uniform(0.5, 2, 2)), arr(state.standard_normal(2))]
        full = [arr(g.reshape(1, 2, 1, 1)) for g in spatial]
        pair = [arr(state.uniform(0.5, 2, (2, 2))), arr(state.standard_normal((2, 2)))]
        train = [
            ("per-activation", "per-activation", "tensor3", per_activation, (2, 2, 2)),
            ("spatial", "spatial", "vector", spatial, (2,)),
            ("spatial,4d-params", "spatial", "tensor4", full, (1, 2, 1, 1)),
            ("(0,1)", (0, 1), "matrix", pair, (2, 2)),
        ]
        for label, axes, kind, params, shape in train:
            add(
                f"batch_normalization_train/{label}",
                ["tensor4", kind, kind],
                [b, *params],
                lambda api, v, axes=axes: list(api.bn.batch_normalization_train(*v, axes=axes)),
                [b.shape, shape, shape],
                wrt=(0, 1, 2),
            )
        for label, _, kind, params, shape in train[:2]:
            running = [arr(np.full(shape, 0.5)), arr(np.full(shape, 2.0))]
            add(
                f"batch_normalization_train/{label},running",
                ["tensor4"] + [kind] * 4,
                [b, *params, *running],
                lambda api, v, axes=label: list(
                    api.bn.batch_normalization_train(
                        v[0],
                        v[1],
                        v[2],
                        axes=axes,
                        epsilon=1e-3,
                        running_average_factor=0.3,
                        running_mean=v[3],
                        running_var=v[4],
                    )
                ),
                [b.shape] + [shape] * 4,
                wrt=(0, 1, 2),
            )
            mean, var = arr(b.mean(axis=(0, 2, 3) if label == "spatial" else 0)), None
            var = arr(b.var(axis=(0, 2, 3) if label == "spatial" else 0) + 0.2)
            add(
                f"batch_normalization_test/{label}",
                ["tensor4"] + [kind] * 4,
                [b, *params, mean.reshape(shape), var.reshape(shape)],
                lambda api, v, axes=label: [api.bn.batch_normalization_test(*v, axes=axes)],
                [b.shape],
                wrt=(0, 1, 2, 3, 4),
            )
    return found


def by_dtype() -> Dict[str, List[Case]]:
    return case_groups.by_dtype(cases())


def build(B: Any, api: Any, group: List[Case]) -> Tuple[list, list, list]:
    """Inputs, outputs and feed of one function computing every case of ``group``, in
    backend module ``B``, calling ``api.nnet`` and ``api.bn``."""
    T = B.tensor
    inputs: list = []
    outputs: list = []
    feed: list = []

    def variable(kind: str, value: np.ndarray) -> Any:
        var = T.ivector() if kind == "ivector" else getattr(T, kind)(dtype=str(value.dtype))
        inputs.append(var)
        feed.append(value)
        return var

    for case in group:
        symbols = [variable(kind, value) for kind, value in zip(case.kinds, case.values)]
        outs = case.call(api, symbols)
        outputs.extend(outs)
        if case.wrt:
            weights = [
                variable(
                    f"tensor{len(w.shape)}" if w.ndim > 2 else ("vector", "matrix")[w.ndim - 1], w
                )
                for w in case.weights()
            ]
            cost = sum((outs[i] * w).sum() for i, w in zip(case.weighted, weights))
            outputs.extend(B.grad(cost, [symbols[i] for i in case.wrt]))
    return inputs, outputs, feed


def split(group: List[Case], values: Sequence[np.ndarray]) -> Dict[str, Dict[str, np.ndarray]]:
    """``{case id: {output name: value}}`` from the values of :func:`build`'s function."""
    values = list(values)
    return {case.id: {name: np.asarray(values.pop(0)) for name in case.names()} for case in group}
