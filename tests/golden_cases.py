"""The golden cases: inputs, and how to build their graphs with any relu of any backend.

tools/make_golden.py builds them with Theano 1.0.5's own ``nnet.relu``; test_golden.py
builds them with ``relucompat.relu(..., semantics="theano")`` on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import case_groups
import numpy as np
from harness import FLOATS, INTS

PYTHON_ALPHAS = (0, 0.0, 0.3, 1, 1.0, 2, -0.3)


@dataclass(frozen=True)
class Case:
    id: str
    dtype: str
    x: np.ndarray
    alpha_kind: str  # "python", "numpy", "scalar" (symbolic) or "tensor" (symbolic)
    alpha: Any
    g: Optional[np.ndarray]  # upstream gradient; None for integer input


def float_edges(dtype: str) -> np.ndarray:
    info = np.finfo(dtype)
    tiny_subnormal = np.nextafter(np.zeros((), dtype), np.ones((), dtype))
    edges = [
        -np.inf,
        -float(info.max),
        -1.5,
        -1.0,
        -float(tiny_subnormal),
        -0.0,
        0.0,
        float(tiny_subnormal),
    ]
    # Python floats, cast once: numpy 1 and numpy 2 round mixed-dtype scalars differently.
    edges += [
        float(info.tiny),
        0.3,
        1.0,
        1.5,
        float(info.max) * 0.9,
        float(info.max),
        np.inf,
        np.nan,
    ]
    normal = np.random.RandomState(0).standard_normal(8)
    return np.concatenate([np.array(edges, dtype=dtype), normal.astype(dtype)])


def int_edges(dtype: str) -> np.ndarray:
    info = np.iinfo(dtype)
    values = {info.min, info.min + 1, -1, 0, 1, 2, 100, info.max - 1, info.max}
    return np.array(sorted(v for v in values if info.min <= v <= info.max), dtype=dtype)


def cases() -> List[Case]:
    found = []
    for dtype in FLOATS:
        x = float_edges(dtype)
        g = np.random.RandomState(1).uniform(-3, 3, x.size).astype(dtype)
        slopes = np.resize(np.array([0.3, -0.3, 0.0, 1.0, 2.0], dtype=dtype), x.size)
        for alpha in PYTHON_ALPHAS:
            found.append(Case(f"{dtype}/alpha={alpha!r}", dtype, x, "python", alpha, g))
        for alpha in (np.float32(0.3), np.float64(0.3)):
            name = f"{dtype}/alpha=np.{type(alpha).__name__}(0.3)"
            found.append(Case(name, dtype, x, "numpy", alpha, g))
        found.append(Case(f"{dtype}/alpha=scalar", dtype, x, "scalar", np.asarray(0.3, dtype), g))
        found.append(Case(f"{dtype}/alpha=vector", dtype, x, "tensor", slopes, g))
        matrix = np.stack([x, -x])
        found.append(
            Case(f"{dtype}/matrix,alpha=vector", dtype, matrix, "tensor", slopes, np.stack([g, g]))
        )
    for dtype in INTS:
        for alpha in (0, 0.3):
            found.append(
                Case(f"{dtype}/alpha={alpha!r}", dtype, int_edges(dtype), "python", alpha, None)
            )
    return found


def by_dtype() -> Dict[str, List[Case]]:
    return case_groups.by_dtype(cases())


def output_names(case: Case) -> List[str]:
    if case.g is None:
        return ["fwd"]
    names = ["fwd", "grad", "grad_g"]
    return [*names, "grad_alpha"] if case.alpha_kind in ("scalar", "tensor") else names


def build(
    B: Any, relu: Callable[..., Any], dtype: str, group: List[Case]
) -> Tuple[list, list, list]:
    """Graphs for ``group`` (all of one dtype) in backend module ``B``: one function's worth."""
    T = B.tensor
    inputs: list = []
    outputs: list = []
    feed: list = []

    def variable(value: np.ndarray) -> Any:
        make = {0: T.scalar, 1: T.vector, 2: T.matrix}[value.ndim]
        var = make(dtype=str(value.dtype))
        inputs.append(var)
        feed.append(value)
        return var

    for case in group:
        x = variable(case.x)
        alpha = case.alpha
        if case.alpha_kind in ("scalar", "tensor"):
            alpha = variable(case.alpha)
        y = relu(x, alpha)
        outputs.append(y)
        if case.g is None:
            continue
        g = variable(case.g)
        outputs.append(B.grad(y.sum(), x))
        outputs.append(B.grad((y * g).sum(), x))
        if case.alpha_kind in ("scalar", "tensor"):
            outputs.append(B.grad((y * g).sum(), alpha))
    return inputs, outputs, feed


def record(group: List[Case], values: List[np.ndarray]) -> List[dict]:
    values = list(values)
    found = []
    for case in group:
        outputs = {name: encode(values.pop(0)) for name in output_names(case)}
        entry = {"id": case.id, "x": encode(case.x), "outputs": outputs}
        if case.g is not None:
            entry["g"] = encode(case.g)
        found.append(entry)
    return found


def encode(value: Any) -> dict:
    array = np.asarray(value)
    return {
        "dtype": str(array.dtype),
        "shape": list(array.shape),
        "hex": array.tobytes().hex(),
        "text": np.array2string(array.ravel(), precision=9, max_line_width=10**6),
    }


def decode(entry: dict) -> np.ndarray:
    raw = bytes.fromhex(entry["hex"])
    return np.frombuffer(raw, dtype=entry["dtype"]).reshape(entry["shape"])
