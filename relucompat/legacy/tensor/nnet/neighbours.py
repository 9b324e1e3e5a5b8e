"""``theano.tensor.nnet.neighbours``: ``images2neibs``, ``neibs2images`` and ``Images2Neibs``.

The backend's own where it still has Theano's nnet (Theano, Theano-PyMC, Aesara, PyTensor
2.8). Elsewhere ``images2neibs`` is one gather through the windows of ``_windows`` (the
built pooling's), so its gradient is the scatter that sums each patch back into place, in
every mode, and every linker runs it; ``neibs2images`` (non-overlapping patches, as in
Theano) is a reshape. Sizes known when the graph is built are checked there, with Theano's
messages; symbolic ones are not checked.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from relucompat.legacy import _namespace, _windows

__all__ = ["MODES", "Images2Neibs", "images2neibs", "neibs2images"]

MODES = ("valid", "ignore_borders", "wrap_centered", "half", "full")

Images2Neibs: Any  # the backend's own op class, else _BuiltImages2Neibs (__getattr__)


def images2neibs(
    ten4: Any,
    neib_shape: Sequence[Any],
    neib_step: Optional[Sequence[Any]] = None,
    mode: str = "valid",
) -> Any:
    """Every ``neib_shape`` patch of each image of ``ten4`` (batch, stack, rows, cols), one
    flattened patch per row, stepping ``neib_step`` (default: ``neib_shape``)."""
    native = _native()
    if native is not None:
        return native.images2neibs(ten4, neib_shape, neib_step, mode)
    return _BuiltImages2Neibs(mode)(ten4, neib_shape, neib_step)


def neibs2images(
    neibs: Any, neib_shape: Sequence[Any], original_shape: Sequence[Any], mode: str = "valid"
) -> Any:
    """The images of ``original_shape`` whose non-overlapping ``neib_shape`` patches are
    the rows of ``neibs`` (the inverse of :func:`images2neibs` without ``neib_step``);
    with ``mode="ignore_borders"`` the border the patches left out is zero."""
    native = _native()
    if native is not None:
        return native.neibs2images(neibs, neib_shape, original_shape, mode)
    if mode not in ("valid", "ignore_borders"):
        raise NotImplementedError(
            f"neibs2images takes mode 'valid' or 'ignore_borders' (as Theano); got {mode!r}"
        )
    T = _namespace.backend().tensor
    neibs = T.as_tensor_variable(neibs)
    c, d = _pair("neib_shape", neib_shape)
    shape = list(original_shape)
    rows, cols = shape[2] // c, shape[3] // d
    images = neibs.reshape((shape[0], shape[1], rows, cols, c, d)).dimshuffle(0, 1, 2, 4, 3, 5)
    images = images.reshape((shape[0], shape[1], rows * c, cols * d))
    if mode == "valid":
        return images
    for axis, kept in ((2, rows * c), (3, cols * d)):  # zeros where the patches left out
        padding = [images.shape[i] for i in range(4)]
        padding[axis] = shape[axis] - kept
        # floatX zeros, as Theano's: float32 patches come back float64 under floatX=float64
        images = T.concatenate([images, T.zeros(padding)], axis=axis)
    return images


class _BuiltImages2Neibs:
    """Theano's ``Images2Neibs(mode)``, called as ``(ten4, neib_shape, neib_step)``."""

    __props__ = ("mode",)

    def __init__(self, mode: str = "valid") -> None:
        if mode not in MODES:
            allowed = ", ".join(repr(m) for m in MODES)
            raise NotImplementedError(f"Images2Neibs's mode must be one of {allowed}; got {mode!r}")
        self.mode = mode

    def __call__(self, ten4: Any, neib_shape: Any, neib_step: Any = None) -> Any:
        T = _namespace.backend().tensor
        x = T.as_tensor_variable(ten4)
        if x.ndim != 4:
            raise TypeError(
                f"images2neibs needs a 4-d input (batch, stack, rows, cols); got {x.ndim}-d"
            )
        shape = _pair("neib_shape", neib_shape)
        step = shape if neib_step is None else _pair("neib_step", neib_step)
        sizes = _windows.static_shape(x)[2:]
        shifts = [_shift(self.mode, k) for k in shape]
        counts = [self._count(*args) for args in zip(sizes, shape, step, ("[0]", "[1]"))]
        rows = _windows.index(
            T, sizes, shape, counts, step, [1, 1], shifts, wrap=self.mode == "wrap_centered"
        )
        taps = _windows.gather(T, x, 2, rows, 0)  # (taps * positions, images)
        k, n = shape[0] * shape[1], counts[0] * counts[1]
        patches = taps.reshape((k, n, taps.shape[1])).dimshuffle(2, 1, 0)
        return patches.reshape((taps.shape[1] * n, k))

    def _count(self, size: Any, k: Any, step: Any, axis: str) -> Any:
        """Patches along one axis (Theano's ``grid_c``), checked where all are ints."""
        mode = self.mode
        known = all(isinstance(v, int) for v in (size, k, step))
        if known and (k <= 0 or step <= 0):
            raise ValueError(f"neib_shape and neib_step must be positive; got {k} and {step}")
        if mode == "wrap_centered":
            if known and (k % 2 != 1 or size < k):
                raise TypeError(
                    "Images2Neibs: in wrap_centered mode the patch needs odd sides no larger "
                    f"than the image; got neib_shape{axis}={k} for {size}"
                )
            return -(-size // step)
        span = {"valid": size - k, "ignore_borders": size - k, "half": size - k % 2}
        extent = span.get(mode, size + k - 2)  # full
        if known and mode != "ignore_borders" and (size < k or extent % step):
            raise TypeError(
                f"neib_shape{axis}={k}, neib_step{axis}={step} and ten4.shape"
                f"[{2 + int(axis[1])}]={size} not consistent (mode {mode!r})"
            )
        return 1 + extent // step


def _shift(mode: str, k: Any) -> Any:
    """How far before the window's step position its first tap is."""
    if mode in ("half", "wrap_centered"):
        return k // 2
    if mode == "full":
        return k - 1
    return 0


def _pair(name: str, value: Any) -> List[Any]:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if hasattr(value, "owner"):  # a symbolic vector of two
        return [value[0], value[1]]
    values = list(value)
    if len(values) != 2:
        raise ValueError(f"{name} must hold 2 values (rows, cols); got {value!r}")
    return [int(v) if isinstance(v, np.integer) else v for v in values]


def _native() -> Any:
    if _namespace.native_nnet() is None:
        return None
    return _namespace.backend_module("tensor.nnet.neighbours")


def __getattr__(name: str) -> Any:
    if name == "Images2Neibs":
        native = _native()
        return native.Images2Neibs if native is not None else _BuiltImages2Neibs
    return _forward(name)


def _sources() -> list:
    native = _native()
    return [native] if native is not None else []


_forward, __dir__ = _namespace.forward(__name__, "tensor.nnet.neighbours", _sources)
