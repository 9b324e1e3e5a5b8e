"""The pooling cases: inputs, graphs with any ``signal.pool`` module, and a NumPy reference.

tools/golden_pool.py builds them with Theano 1.0.5's own ``theano.tensor.signal.pool``;
test_legacy_pool.py builds them with ``relucompat.legacy.tensor.signal.pool`` everywhere.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import case_groups
import numpy as np

MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")
DTYPES = ("float32", "float64", "int32")
GOLDEN = "pool-theano-1.0.5.npz"


@dataclass(frozen=True)
class Case:
    id: str
    dtype: str
    function: str  # "pool_2d", "pool_3d" or "max_pool_2d_same_size"
    x: np.ndarray
    ws: Tuple[int, ...]
    ignore_border: bool = True
    stride: Optional[Tuple[int, ...]] = None
    pad: Tuple[int, ...] = (0, 0)
    mode: str = "max"
    rop: bool = False  # also the R-operator, at a tie-free x

    @property
    def nd(self) -> int:
        return len(self.ws)

    @property
    def outputs(self) -> List[str]:
        if self.dtype.startswith("int") or self.function == "max_pool_2d_same_size":
            return ["fwd"]  # (Theano's same-size gradient at ties is its own invention)
        return ["fwd", "grad", "rop"] if self.rop else ["fwd", "grad"]

    @property
    def every_linker(self) -> bool:
        """In the subset that the backend's own pooling and the static-shape linkers run
        (the built pooling runs the grid, and the cases off it under ``py``): each mode,
        partial windows, padding, pool_3d, a 2-d input, the same-size max, R_op, and the
        max over windows that tile the image (a reshape where the pooling is built)."""
        if self.function == "pool_2d" and self.x.ndim == 4 and not self.rop:
            padded = any(self.pad)  # ignore_border=False without padding, True with
            if self.ws == (2, 2) and self.stride is None and not padded:
                return self.tiles
            return self.ws == (3, 2) and self.stride == (2, 1) and self.ignore_border == padded
        if self.function == "pool_3d":
            return self.mode in ("max", "average_exc_pad") and self.ignore_border
        return self.function != "max_pool_2d_same_size" or self.ws == (3, 2)

    @property
    def tiles(self) -> bool:
        """A max whose windows tile the image: the built pooling reshapes, not gathers."""
        sizes = self.x.shape[-2:]
        no_partial = self.ignore_border or all(n % w == 0 for n, w in zip(sizes, self.ws))
        return (
            self.function == "pool_2d"
            and self.mode == "max"
            and self.stride in (None, self.ws)
            and not any(self.pad)
            and no_partial
        )

    @property
    def theano_grad_fails(self) -> bool:
        """Theano has no gradient of average_exc_pad with padding: it raises when run."""
        return self.mode == "average_exc_pad" and any(self.pad)


def _ints(shape: Tuple[int, ...], seed: int, dtype: str) -> np.ndarray:
    """Small integers as floats: exact sums, and ties for max in most windows."""
    return np.random.RandomState(seed).randint(-3, 4, size=shape).astype(dtype)


def _tie_free(shape: Tuple[int, ...], seed: int, dtype: str) -> np.ndarray:
    values = np.random.RandomState(seed).permutation(int(np.prod(shape))) - 30
    return (values.reshape(shape) / 4).astype(dtype)


def cases() -> List[Case]:
    found = []
    for dtype in DTYPES:
        x4 = _ints((2, 1, 5, 7), 0, dtype)
        if dtype.startswith("int"):
            for mode in MODES:
                found.append(
                    Case(f"{dtype}/{mode}", dtype, "pool_2d", x4, (3, 2), False, None, (0, 0), mode)
                )
            continue
        grid = itertools.product(
            ((2, 2), (3, 2)),
            (True, False),
            (None, (1, 1), (2, 1), (3, 3)),
            ((0, 0), (1, 1), (1, 0)),
        )
        for ws, ignore_border, stride, pad in grid:
            if any(pad) and not ignore_border:
                continue  # Theano pads only with ignore_border=True
            for mode in MODES:
                name = f"{dtype}/ws={ws},ib={ignore_border},stride={stride},pad={pad},{mode}"
                found.append(Case(name, dtype, "pool_2d", x4, ws, ignore_border, stride, pad, mode))
        for ws in ((2, 2), (3, 2)):
            found.append(Case(f"{dtype}/same_size,ws={ws}", dtype, "max_pool_2d_same_size", x4, ws))
        found.append(Case(f"{dtype}/3-d input", dtype, "pool_2d", x4[0], (2, 2), False))
        found.append(Case(f"{dtype}/2-d input", dtype, "pool_2d", x4[1, 0], (2, 3), False, (1, 2)))
        x5 = _ints((2, 3, 4, 5), 1, dtype)
        for mode in MODES:
            found.append(
                Case(
                    f"{dtype}/3d,ib=False,{mode}",
                    dtype,
                    "pool_3d",
                    x5,
                    (2, 2, 2),
                    False,
                    (1, 2, 1),
                    (0, 0, 0),
                    mode,
                )
            )
            found.append(
                Case(
                    f"{dtype}/3d,pad,{mode}",
                    dtype,
                    "pool_3d",
                    x5,
                    (2, 3, 2),
                    True,
                    None,
                    (1, 1, 0),
                    mode,
                )
            )
        x_distinct = _tie_free((2, 1, 5, 7), 2, dtype)
        for mode in MODES:
            name = f"{dtype}/rop,{mode}"
            found.append(
                Case(
                    name, dtype, "pool_2d", x_distinct, (3, 2), True, (1, 2), (1, 1), mode, rop=True
                )
            )
    return found


def by_dtype() -> Dict[str, List[Case]]:
    return case_groups.by_dtype(cases())


def out_shape(case: Case) -> Tuple[int, ...]:
    """Theano's ``Pool.out_shape`` (for max_pool_2d_same_size: the input's shape)."""
    if case.function == "max_pool_2d_same_size":
        return case.x.shape
    nd = case.nd
    shape = list(case.x.shape[:-nd])
    stride = case.stride or case.ws
    for v, w, s, p in zip(case.x.shape[-nd:], case.ws, stride, case.pad):
        v += 2 * p
        if case.ignore_border:
            shape.append(max((v - w) // s + 1, 0))
        elif s >= w:
            shape.append((v - 1) // s + 1)
        else:
            shape.append(max(0, (v - 1 - w + s) // s) + 1)
    return tuple(shape)


def weights(case: Case) -> np.ndarray:
    """The fixed weights w of the cost ``sum(out * w)`` whose gradient is checked."""
    return _ints(out_shape(case), 3, case.dtype)


def eval_point(case: Case) -> np.ndarray:
    return np.random.RandomState(4).uniform(-2, 2, case.x.shape).astype(case.dtype)


def build(
    pool: Any, B: Any, group: List[Case], skip_grad: Any = None, static: bool = False
) -> Tuple[list, list, list]:
    """Graphs for ``group`` (one dtype) with ``pool`` (a ``signal.pool`` module) in backend
    ``B``: one function's worth. ``skip_grad(case)`` leaves out a case's gradient;
    ``static`` gives the inputs static shapes (JAX needs them: its slices and allocs are
    shaped at trace time)."""
    inputs: list = []
    outputs: list = []
    feed: list = []

    def variable(value: np.ndarray) -> Any:
        if static:
            var = B.tensor.tensor(dtype=str(value.dtype), shape=value.shape)
        else:
            make = {2: "matrix", 3: "tensor3", 4: "tensor4", 5: "tensor5"}[value.ndim]
            var = getattr(B.tensor, make)(dtype=str(value.dtype))
        inputs.append(var)
        feed.append(value)
        return var

    for case in group:
        x = variable(case.x)
        y = apply(pool, case, x)
        outputs.append(y)
        if "grad" in case.outputs:
            w = variable(weights(case))
            if skip_grad is None or not skip_grad(case):
                outputs.append(B.grad((y * w).sum(), x))
        if "rop" in case.outputs:
            v = variable(eval_point(case))
            outputs.append(rop(B, y, x, v))
    return inputs, outputs, feed


def apply(pool: Any, case: Case, x: Any) -> Any:
    if case.function == "max_pool_2d_same_size":
        return pool.max_pool_2d_same_size(x, case.ws)
    function = getattr(pool, case.function)
    return function(
        x,
        ws=case.ws,
        ignore_border=case.ignore_border,
        stride=case.stride,
        pad=case.pad,
        mode=case.mode,
    )


def rop(B: Any, y: Any, x: Any, v: Any) -> Any:
    gradient = B.gradient
    if hasattr(gradient, "pushforward"):  # PyTensor >= 3.3 renamed Rop
        return gradient.pushforward(y, x, v)
    return gradient.Rop(y, x, v)


def output_names(case: Case, skip_grad: Any = None) -> List[str]:
    if skip_grad is not None and skip_grad(case):
        return [name for name in case.outputs if name != "grad"]
    return case.outputs


# A NumPy reference, in float64, of Theano's forward and of the true gradient and R_op.


def _regions(case: Case) -> List[Tuple[Tuple[int, ...], Tuple[slice, ...], float]]:
    """Each output position, the image region its window covers, and Theano's divisor."""
    nd = case.nd
    stride = case.stride or case.ws
    image = case.x.shape[-nd:]
    found = []
    for r in np.ndindex(*out_shape(case)[-nd:]):
        region, full = [], []
        for i in range(nd):
            start = r[i] * stride[i]
            end = min(start + case.ws[i], image[i] + 2 * case.pad[i])
            full.append(end - start)
            lo, hi = max(start, case.pad[i]), min(end, image[i] + case.pad[i])
            region.append(slice(lo - case.pad[i], hi - case.pad[i]))
        inside = float(np.prod([s.stop - s.start for s in region]))
        divisor = float(np.prod(full)) if case.mode == "average_inc_pad" else inside
        found.append((r, tuple(region), divisor))
    return found


def reference(case: Case) -> Dict[str, np.ndarray]:
    x = case.x.astype("float64")
    lead = x.shape[: x.ndim - case.nd]
    if case.function == "max_pool_2d_same_size":
        pooled = Case(case.id, case.dtype, "pool_2d", case.x, case.ws)
        out = np.zeros_like(x)
        for k in np.ndindex(*lead):
            for _, region, _ in _regions(pooled):
                window = x[k][region]
                out[k][region] = np.where(window == window.max(), window, 0)
        return {"fwd": out}
    out = np.zeros(out_shape(case))
    grad = np.zeros_like(x)
    rop_ = np.zeros(out.shape)
    w = weights(case).astype("float64")
    v = eval_point(case).astype("float64")
    for k in np.ndindex(*lead):
        for r, region, divisor in _regions(case):
            window = x[k][region]
            if case.mode == "max":
                out[k][r] = window.max()
                ties = window == window.max()
                grad[k][region] += np.where(ties, w[k][r], 0)
                rop_[k][r] = v[k][region][ties].sum()
            else:
                scale = 1.0 if case.mode == "sum" else 1.0 / divisor
                out[k][r] = window.sum() * scale
                grad[k][region] += w[k][r] * scale
                rop_[k][r] = v[k][region].sum() * scale
    return {"fwd": out, "grad": grad, "rop": rop_}
