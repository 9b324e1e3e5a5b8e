"""``theano.tensor.signal.pool``: ``pool_2d``, ``pool_3d`` and ``max_pool_2d_same_size``.

Theano 1.0.5's arguments, warnings, shapes and values. Where the backend still has Theano's
``Pool`` op (Theano, Theano-PyMC, Aesara, PyTensor 2.8) and it compiles, that op does the
work. Elsewhere the pooling is built from standard ops (``_pool_built``), so gradients,
R_op, every linker and pickling work as for any graph.

One difference: Theano has no gradient of ``average_exc_pad`` with nonzero ``pad`` (it raises
when run); the built pooling has it.
"""

from __future__ import annotations

import functools
import warnings
from types import ModuleType
from typing import Any, Optional, Tuple

import numpy as np

from relucompat.legacy import _namespace
from relucompat.legacy.tensor.signal import _pool_built

__all__ = [
    "MODES",
    "AveragePoolGrad",
    "MaxPoolGrad",
    "Pool",
    "max_pool_2d_same_size",
    "pool_2d",
    "pool_3d",
]

# The backend's own where it has Theano's Pool, else the classes at the end (__getattr__).
AveragePoolGrad: Any
MaxPoolGrad: Any
Pool: Any


MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")

_IGNORE_BORDER = (
    "{name}() will have the parameter ignore_border default value changed to True"
    " (currently False). To have consistent behavior with all Theano version, explicitly"
    " add the parameter ignore_border=True. On the GPU, using ignore_border=True is needed"
    " to use cuDNN. When using ignore_border=False and not using cuDNN, the only GPU"
    " combination supported is when `ws == stride and pad == {zeros} and mode == 'max'`."
    " Otherwise, the convolution will be executed on CPU."
)


def pool_2d(
    input: Any,
    ws: Any = None,
    ignore_border: Optional[bool] = None,
    stride: Any = None,
    pad: Any = (0, 0),
    mode: str = "max",
    ds: Any = None,
    st: Any = None,
    padding: Any = None,
) -> Any:
    """Pool the last two dimensions of ``input`` over ``ws`` windows, as Theano 1.0.5."""
    ws, stride, pad = _renamed(ws, ds, stride, st, pad, padding, 2)
    return _pool("pool_2d", input, 2, ws, ignore_border, stride, pad, mode)


def pool_3d(
    input: Any,
    ws: Any = None,
    ignore_border: Optional[bool] = None,
    stride: Any = None,
    pad: Any = (0, 0, 0),
    mode: str = "max",
    ds: Any = None,
    st: Any = None,
    padding: Any = None,
) -> Any:
    """Pool the last three dimensions of ``input`` over ``ws`` windows, as Theano 1.0.5."""
    ws, stride, pad = _renamed(ws, ds, stride, st, pad, padding, 3)
    return _pool("pool_3d", input, 3, ws, ignore_border, stride, pad, mode)


def max_pool_2d_same_size(input: Any, patch_size: Any) -> Any:
    """``input`` with every element that is not the max of its ``patch_size`` patch (the
    patches tile the last two dimensions; a partial patch at the edge counts as none) set
    to zero."""
    x = _tensor(input, "max_pool_2d_same_size", 2)
    size = _ints("patch_size", patch_size, 2, 1, "max_pool_2d_same_size")
    native = _native_pool(_namespace.package())
    if native is not None:
        return native.max_pool_2d_same_size(x, size)
    T = _namespace.backend().tensor
    taps, maxes, rows = _pool_built.window_taps(x, size, True, size, (0, 0), "max")
    kept = T.switch(T.eq(taps, maxes), maxes, 0).reshape((rows.shape[0], -1))
    image = x.shape[x.ndim - 2 :]
    pixels = T.zeros((image[0] * image[1] + 1, kept.shape[1]), dtype=x.dtype)
    pixels = T.inc_subtensor(pixels[rows], kept)[:-1]  # the windows do not overlap
    return pixels.T.reshape(x.shape)


def _renamed(
    ws: Any, ds: Any, stride: Any, st: Any, pad: Any, padding: Any, nd: int
) -> Tuple[Any, Any, Any]:
    """Theano 1.0.5's handling of the deprecated ``ds``, ``st`` and ``padding``."""
    if ds is not None:
        if ws is not None:
            raise ValueError(
                "You can't provide a tuple value to both 'ws' and 'ds'."
                " Please provide a value only to 'ws'."
            )
        _deprecated("ds", "ws")
        ws = ds
    elif ws is None:
        raise ValueError("You must provide a tuple value for the window size.")
    if st is not None:
        if stride is not None:
            raise ValueError(
                "You can't provide a tuple value to both 'st and 'stride'."
                " Please provide a value only to 'stride'."
            )
        _deprecated("st", "stride")
        stride = st
    if padding is not None:
        if pad is not None and not (_is_sequence(pad) and tuple(pad) == (0,) * nd):
            raise ValueError(
                "You can't provide a tuple value to both 'padding' and pad."
                "  Please provide a value only to pad."
            )
        _deprecated("padding", "pad")
        pad = padding
    return ws, stride, pad


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"DEPRECATION: the '{old}' parameter is not going to exist anymore as it is going"
        f" to be replaced by the parameter '{new}'.",
        stacklevel=4,  # the caller of pool_2d
    )


def _pool(
    name: str,
    input: Any,
    nd: int,
    ws: Any,
    ignore_border: Optional[bool],
    stride: Any,
    pad: Any,
    mode: str,
) -> Any:
    x = _tensor(input, name, nd)
    if ignore_border is None:
        zeros = str((0,) * nd)
        warnings.warn(_IGNORE_BORDER.format(name=name, zeros=zeros), stacklevel=3)
        ignore_border = False
    if mode == "max_deterministic":  # Theano's alias: its CPU max is deterministic
        mode = "max"
    if mode not in MODES:
        allowed = ", ".join(repr(m) for m in MODES)
        raise ValueError(f"{name}'s mode must be one of {allowed}; got {mode!r}.")
    ws = _ints("ws", ws, nd, 1, name)
    stride = ws if stride is None else _ints("stride", stride, nd, 1, name)
    pad = (0,) * nd if pad is None else _ints("pad", pad, nd, 0, name)
    if _is_sequence(pad) and any(pad):
        if not ignore_border:
            raise NotImplementedError(
                f"{name} pads only with ignore_border=True (as Theano); got pad={pad}."
            )
        if _is_sequence(ws) and any(p >= w for p, w in zip(pad, ws)):
            raise NotImplementedError(
                f"{name}'s pad must be smaller than ws in every dimension (as Theano);"
                f" got pad={pad} and ws={ws}."
            )
    native = _native_pool(_namespace.package())
    if native is not None:
        return native.Pool(ignore_border, ndim=nd, mode=mode)(x, ws, stride, pad)
    ws, stride, pad = (_entries(v, nd) for v in (ws, stride, pad))
    return _pool_built.pool(x, ws, ignore_border, stride, pad, mode)


def _entries(value: Any, nd: int) -> Tuple[Any, ...]:
    """``value``'s ``nd`` entries: ints, or the scalars of a symbolic vector (the built
    pooling takes either; Lasagne's spatial pyramid pooling gives vectors)."""
    if _is_sequence(value):
        return tuple(value)
    return tuple(value[i] for i in range(nd))


def _tensor(input: Any, name: str, nd: int) -> Any:
    x = _namespace.backend().tensor.as_tensor_variable(input)
    if x.ndim < nd:
        raise NotImplementedError(
            f"{name} needs an input of {nd} or more dimensions (it pools the last {nd});"
            f" got {x.ndim}."
        )
    return x


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (tuple, list))


def _ints(arg: str, value: Any, nd: int, least: int, name: str) -> Any:
    """``value`` as a tuple of ``nd`` ints >= ``least``; a symbolic vector passes as is."""
    if hasattr(value, "owner") and hasattr(value, "type"):
        return value  # Theano takes symbolic ws, stride and pad; the native op checks them
    if isinstance(value, np.ndarray):
        value = value.tolist()
    allowed = "positive" if least == 1 else "non-negative"
    if (
        not _is_sequence(value)
        or len(value) != nd
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
    ):
        raise TypeError(f"{name}'s {arg} must be {nd} {allowed} ints; got {value!r}.")
    if any(v < least for v in value):
        raise ValueError(f"{name}'s {arg} must be {nd} {allowed} ints; got {tuple(value)}.")
    return tuple(int(v) for v in value)


@functools.lru_cache(maxsize=None)
def _native_pool(package: str) -> Optional[ModuleType]:
    """The backend's ``tensor.signal.pool`` if it has Theano's ``Pool`` and it compiles."""
    module = _namespace.backend_module("tensor.signal.pool")
    if module is None or not hasattr(module, "Pool"):
        return None
    loaded = _namespace.backend()
    try:
        x = loaded.tensor.matrix(dtype="float64")
        probe = loaded.module.function([x], module.Pool(True, ndim=2)(x, (2, 2), (2, 2), (0, 0)))
        works = probe(np.arange(4.0).reshape(2, 2)).tolist() == [[3.0]]
    except Exception:  # no compiler, a broken one, or an op that lost its C code
        return None
    return module if works else None


# --- Theano's op classes ------------------------------------------------------------------
# Where the backend has Theano's Pool, they are its own; elsewhere these build the same
# pooling (and its gradients) from standard ops when called, with the op's arguments.


class _BuiltPool:
    """Theano's ``Pool(ignore_border=False, mode='max', ndim=2)``, called as
    ``Pool(...)(x, ws, stride=None, pad=None)``."""

    __props__ = ("ignore_border", "mode", "ndim")

    def __init__(
        self, ignore_border: bool = False, mode: str = "max", ndim: int = 2, openmp: Any = None
    ) -> None:
        self.ignore_border, self.mode, self.ndim = ignore_border, mode, ndim

    def __call__(self, x: Any, ws: Any, stride: Any = None, pad: Any = None) -> Any:
        return _pool("Pool", x, self.ndim, ws, self.ignore_border, stride, pad, self.mode)

    @staticmethod
    def out_shape(
        imgshape: Any,
        ws: Any = None,
        ignore_border: bool = False,
        stride: Any = None,
        pad: Any = None,
        ndim: int = 2,
        ds: Any = None,
        st: Any = None,
        padding: Any = None,
    ) -> list:
        """The shape of the pooled output for an input of shape ``imgshape`` (ints or
        symbolic scalars), as Theano's ``Pool.out_shape``."""
        ws, stride, pad = _renamed(ws, ds, stride, st, pad, padding, ndim)
        stride = ws if stride is None else stride
        pad = (0,) * ndim if pad is None else pad
        T = _namespace.backend().tensor
        spatial = [int(v) if isinstance(v, np.integer) else v for v in imgshape[-ndim:]]
        return list(imgshape[:-ndim]) + [
            _pool_built.out_len(T, *dims, ignore_border) for dims in zip(spatial, ws, stride, pad)
        ]


class _BuiltMaxPoolGrad:
    """Theano's ``MaxPoolGrad(ignore_border, ndim=2)(x, maxout, gz, ws, stride, pad)``:
    the gradient of max pooling for the output gradient ``gz``."""

    def __init__(self, ignore_border: bool, ndim: int = 2, openmp: Any = None) -> None:
        self.ignore_border, self.ndim = ignore_border, ndim

    def __call__(
        self, x: Any, maxout: Any, gz: Any, ws: Any, stride: Any = None, pad: Any = None
    ) -> Any:
        pooled = _BuiltPool(self.ignore_border, "max", self.ndim)(x, ws, stride, pad)
        return _namespace.backend().module.grad(None, wrt=x, known_grads={pooled: gz})


class _BuiltAveragePoolGrad:
    """Theano's ``AveragePoolGrad(ignore_border, mode='average_inc_pad', ndim=2)(x, gz, ws,
    stride, pad)``: the gradient of sum or average pooling for the output gradient ``gz``."""

    def __init__(self, ignore_border: bool, mode: str = "average_inc_pad", ndim: int = 2) -> None:
        self.ignore_border, self.mode, self.ndim = ignore_border, mode, ndim

    def __call__(self, x: Any, gz: Any, ws: Any, stride: Any = None, pad: Any = None) -> Any:
        pooled = _BuiltPool(self.ignore_border, self.mode, self.ndim)(x, ws, stride, pad)
        return _namespace.backend().module.grad(None, wrt=x, known_grads={pooled: gz})


_BUILT = {
    "Pool": _BuiltPool,
    "MaxPoolGrad": _BuiltMaxPoolGrad,
    "AveragePoolGrad": _BuiltAveragePoolGrad,
}


def _sources() -> list:
    native = _native_pool(_namespace.package())
    return [native] if native is not None else []


def __getattr__(name: str) -> Any:
    if name in _BUILT and _native_pool(_namespace.package()) is None:
        return _BUILT[name]
    return _forward(name)


_forward, __dir__ = _namespace.forward(__name__, "tensor.signal.pool", _sources)
