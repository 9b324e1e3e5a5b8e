"""The window index (``_windows.index``) for sizes that are not known when the graph is
built, as one op.

From standard ops, that index is an integer graph of some forty nodes (per axis, aranges of
the taps and of the positions, the stride, dilation and padding, the borders' tests), which
every function that holds it rewrites again and numba compiles node by node: a library's
test suite, whose small graphs give the input a symbolic shape, spent most of its compile
time there. Here it is one node, of one int64 vector (``_windows.spec_fields`` reads it):

- on the C linkers (cvm and the whole-graph ``c``), loops in C (``_C_CODE``); under the py
  linker, ``perform`` computes the index with NumPy (``_windows.static_index``, the
  constant's code);
- under numba, one compiled kernel (``_kernel``), with a cache key where the backend takes
  one (PyTensor 2.38 and 3), so that numba's cache keeps it between runs;
- anywhere else (a numba without cache keys, JAX, PyTorch) the op is what it derives from,
  an ``OpFromGraph`` of the integer graph (``_windows.symbolic_index``), which that linker
  compiles as it did before. On PyTensor 3.3 it derives from ``FinalizedOpFromGraph``, so
  that the rewrite that prepares each inner graph for the linker skips a graph that a
  linker with the op's own code never runs.

Ops are cached by backend, axes and flags: every graph shares one.
"""

from __future__ import annotations

import functools
from typing import Any, List, Sequence

import numpy as np

from relucompat import _derivative_ops
from relucompat.discovery import backend_of, load
from relucompat.legacy import _numba, _windows
from relucompat.lineage import named

__all__ = ["index"]

_KERNEL_VERSION = 1  # in numba's cache key: change it with the kernel


def index(T: Any, nd: int, wrap: bool, by_channel: bool, spec: Sequence[Any]) -> Any:
    """The index of ``spec`` (ints and symbolic scalars, flip a bool or a symbolic one),
    computed by the op when the function runs."""
    vector = T.stack([T.cast(int(v) if isinstance(v, bool) else v, "int64") for v in spec])
    backend = backend_of(vector)
    assert backend is not None, f"not a variable of a known backend: {vector!r}"
    return _op(backend, nd, wrap, by_channel)(vector)


def _op(backend: Any, nd: int, wrap: bool, by_channel: bool) -> Any:
    key = (backend.import_name, "window index", nd, wrap, by_channel)
    return _derivative_ops.cached(key, lambda: _make(load(backend), nd, wrap, by_channel))


def _make(loaded: Any, nd: int, wrap: bool, by_channel: bool) -> Any:
    T = loaded.tensor
    spec = T.lvector("spec")
    values: List[Any] = [spec[i] for i in range(6 * nd + 2)]
    values[6 * nd] = T.neq(values[6 * nd], 0)  # flip
    rows = _windows.symbolic_index(T, nd, wrap, by_channel, values)
    base = _derivative_ops.own_code_base(loaded)
    op = _op_class(base)([spec], [rows], inline=False, name="window_index")
    op.nd, op.wrap, op.by_channel = nd, wrap, by_channel
    _numba.register_kernel(loaded.backend.import_name, type(op), _kernel, _kernel_key)
    return op


@functools.lru_cache(maxsize=None)
def _op_class(base: Any) -> Any:
    """``base`` (``_derivative_ops.own_code_base``) computing the index itself, picklable."""

    class WindowIndex(base):
        def perform(self, node: Any, inputs: Any, outputs: Any) -> None:
            outputs[0][0] = _windows.static_index(self.nd, self.wrap, self.by_channel, inputs[0])

        def c_code(self, node: Any, name: str, inputs: Any, outputs: Any, sub: Any) -> str:
            flags = {"nd": self.nd, "wrap": int(self.wrap), "by_channel": int(self.by_channel)}
            names = {"spec": inputs[0], "rows": outputs[0], "fail": sub["fail"]}
            return _C_CODE % {**flags, **names}

        def c_code_cache_version(self) -> tuple:
            return (_KERNEL_VERSION,)

        def connection_pattern(self, node: Any) -> List[List[bool]]:
            return [[False]]  # an integer index: no gradient flows through it

        def infer_shape(self, *arguments: Any) -> Any:
            node, nd = arguments[-2], self.nd  # node after fgraph; Theano 1.0.5 passes none
            spec = [node.inputs[0][i] for i in range(6 * nd + 2)]
            _, taps, counts, _, _, _, _, channels = _windows.spec_fields(nd, spec)
            length = _windows.product([*taps, *counts])
            return [(length * channels if self.by_channel else length,)]

        def _pullback(self, inputs: Any, output_grads: Any) -> Any:
            loaded = load(named(self.import_name))  # an integer input's gradient: zeros
            return [loaded.tensor.zeros_like(inputs[0], dtype=loaded.module.config.floatX)]

        def _pushforward(self, inputs: Any, points: Any) -> Any:
            return None

        def __reduce__(self) -> Any:
            return _rebuild_op, (self.import_name, self.nd, self.wrap, self.by_channel)

    return WindowIndex


def _rebuild_op(import_name: str, nd: int, wrap: bool, by_channel: bool) -> Any:
    return _op(named(import_name), nd, wrap, by_channel)


def _kernel_key(op: Any) -> tuple:
    return ("relucompat window index", _KERNEL_VERSION, op.nd, op.wrap, op.by_channel)


def _kernel(njit: Any, op: Any) -> Any:
    """``_windows.static_index`` compiled by numba: one pass over (channel, tap, position)."""
    nd, wrap, by_channel = op.nd, op.wrap, op.by_channel

    @njit
    def window_index(spec: Any) -> Any:
        sizes, taps, counts = spec[:nd], spec[nd : 2 * nd], spec[2 * nd : 3 * nd]
        stride, dilation, pad = spec[3 * nd : 4 * nd], spec[4 * nd : 5 * nd], spec[5 * nd : 6 * nd]
        flip = spec[6 * nd] != 0
        channels = spec[6 * nd + 1] if by_channel else 1
        n_taps, n_positions, pixels = 1, 1, 1
        for axis in range(nd):
            n_taps *= taps[axis]
            n_positions *= counts[axis]
            pixels *= sizes[axis]
        rows: Any = np.empty(channels * n_taps * n_positions, np.int64)
        for t in range(n_taps):
            for p in range(n_positions):
                flat, scale, inside, tap_rest, position_rest = 0, 1, True, t, p
                for axis in range(nd - 1, -1, -1):  # row-major: the last axis varies fastest
                    tap = tap_rest % taps[axis]
                    tap_rest //= taps[axis]
                    position = position_rest % counts[axis]
                    position_rest //= counts[axis]
                    if flip:
                        tap = taps[axis] - 1 - tap
                    where = tap * dilation[axis] - pad[axis] + position * stride[axis]
                    if wrap and sizes[axis] > 0:
                        where %= sizes[axis]  # Python's modulo, as np.mod
                    inside = inside and 0 <= where < sizes[axis]
                    flat += where * scale
                    scale *= sizes[axis]
                for channel in range(channels):
                    at = (channel * n_taps + t) * n_positions + p
                    if not inside:
                        rows[at] = channels * pixels if by_channel else pixels
                    else:
                        rows[at] = channel * pixels + flat
        return rows

    return window_index


# The kernel in C, for the C linkers (the whole-graph one needs every op's C code); C's %
# truncates, so the wrap adds the size back to a negative remainder, as Python's modulo.
_C_CODE = """
{
    const int nd = %(nd)s, wrap = %(wrap)s, by_channel = %(by_channel)s;
    npy_int64 v[6 * %(nd)s + 2];
    if (PyArray_NDIM(%(spec)s) != 1 || PyArray_DIMS(%(spec)s)[0] != 6 * nd + 2) {
        PyErr_SetString(PyExc_ValueError, "window_index: the spec has the wrong length");
        %(fail)s
    }
    for (int i = 0; i < 6 * nd + 2; ++i)
        v[i] = *(npy_int64*)PyArray_GETPTR1(%(spec)s, i);
    const npy_int64 *sizes = v, *taps = v + nd, *counts = v + 2 * nd, *stride = v + 3 * nd;
    const npy_int64 *dilation = v + 4 * nd, *pad = v + 5 * nd;
    const int flip = v[6 * nd] != 0;
    const npy_int64 channels = by_channel ? v[6 * nd + 1] : 1;
    npy_int64 n_taps = 1, n_positions = 1, pixels = 1;
    for (int axis = 0; axis < nd; ++axis) {
        n_taps *= taps[axis];
        n_positions *= counts[axis];
        pixels *= sizes[axis];
    }
    npy_intp length = channels * n_taps * n_positions;
    Py_XDECREF(%(rows)s);
    %(rows)s = (PyArrayObject*)PyArray_EMPTY(1, &length, NPY_INT64, 0);
    if (!%(rows)s) {
        %(fail)s
    }
    npy_int64* rows = (npy_int64*)PyArray_DATA(%(rows)s);
    for (npy_int64 t = 0; t < n_taps; ++t) {
        for (npy_int64 p = 0; p < n_positions; ++p) {
            npy_int64 flat = 0, scale = 1, tap_rest = t, position_rest = p;
            int inside = 1;
            for (int axis = nd - 1; axis >= 0; --axis) {
                npy_int64 tap = tap_rest %% taps[axis];
                tap_rest /= taps[axis];
                npy_int64 position = position_rest %% counts[axis];
                position_rest /= counts[axis];
                if (flip)
                    tap = taps[axis] - 1 - tap;
                npy_int64 where = tap * dilation[axis] - pad[axis] + position * stride[axis];
                if (wrap && sizes[axis] > 0) {
                    where %%= sizes[axis];
                    if (where < 0)
                        where += sizes[axis];
                }
                inside = inside && where >= 0 && where < sizes[axis];
                flat += where * scale;
                scale *= sizes[axis];
            }
            for (npy_int64 c = 0; c < channels; ++c) {
                npy_int64 at = (c * n_taps + t) * n_positions + p;
                rows[at] = !inside ? (by_channel ? channels * pixels : pixels) : c * pixels + flat;
            }
        }
    }
}
"""
