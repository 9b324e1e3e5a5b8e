"""The windows' gather (``_windows.gather``) and its gradient, the scatter, as ops.

From standard ops the gather is ``AdvancedSubtensor1`` of a ``(pixels + 1, images)`` matrix
(its last row the fill), and its gradient ``AdvancedIncSubtensor1``, which adds each gathered
row back to the pixel it came from. A pixel sits under several taps, so the adds must
accumulate repeats; on a matrix, the C linkers of PyTensor 2.38 and 3 have no C code for that
and call NumPy's ``np.add.at``: half of LeNet's step under PyTensor 3.3.8's cvm at batch 500
(cProfile). Here:

- the gather is an inline ``OpFromGraph`` of those standard ops, so that every linker
  compiles what it did before, but whose pullback is the scatter;
- the scatter, ``WindowScatter``, adds the gathered rows back in one pass: in C on the C
  linkers (cvm and the whole-graph ``c``), in a numba kernel that numba's cache keeps
  (PyTensor 2.38 and 3), with ``np.add.at`` under the py linker, and elsewhere (JAX,
  PyTorch) as the ``OpFromGraph`` of ``AdvancedIncSubtensor1`` it derives from. Its
  pullback is the gather.

Integer images have no gradient: their gather stays the standard ops. Ops are cached by
backend, dtype and fill: every graph shares one.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any, List

import numpy as np

from relucompat import _derivative_ops
from relucompat.discovery import backend_of, load
from relucompat.legacy import _numba
from relucompat.lineage import named

__all__ = ["gather"]

_KERNEL_VERSION = 1  # in numba's cache key and the C code's version: change it with them


def gather(T: Any, source: Any, rows: Any, fill: Any) -> Any:
    """``source`` (pixels, images) with a row of ``fill`` after its last, at ``rows``."""
    if not source.dtype.startswith("float"):
        return _standard_gather(T, source, rows, fill)
    backend = backend_of(source)
    assert backend is not None, f"not a variable of a known backend: {source!r}"
    return _gather_op(backend, source.dtype, float(fill))(source, rows)


def _standard_gather(T: Any, source: Any, rows: Any, fill: Any) -> Any:
    # Shaped from the pixels, not alloc'ed: Aesara's R_op requires the fill row's type to
    # match that of its eval point.
    padding = T.zeros_like(source[:1]) + T.cast(fill, source.dtype)
    return T.concatenate([source, padding], axis=0)[rows]


def _gather_op(backend: Any, dtype: str, fill: float) -> Any:
    def make() -> Any:
        T = load(backend).tensor
        source, rows = T.matrix("source", dtype=dtype), T.lvector("rows")
        out = _standard_gather(T, source, rows, fill)
        op_class = _gather_class(load(backend).OpFromGraph)
        op = op_class([source, rows], [out], inline=True, name="window_gather")
        op.fill = fill
        return op

    return _derivative_ops.cached((backend.import_name, "window gather", dtype, fill), make)


def _scatter_op(backend: Any, dtype: str) -> Any:
    def make() -> Any:
        loaded = load(backend)
        T = loaded.tensor
        source, grads, rows = T.matrix("source", dtype=dtype), T.matrix(dtype=dtype), T.lvector()
        # What JAX and PyTorch run, unrewritten: no alloc of a computed shape (JAX needs
        # concrete ones) nor of a constant (JAX makes a 0-d one a Python float, and the
        # alloc float64), no arithmetic on the index (PyTorch's compiler then cannot find it
        # where it is a constant of an inner graph). The zeros are a switch on the source
        # (x < x is false, NaN included), and their first row the fill's.
        zeros = T.switch(T.lt(source, source), source, T.constant(np.asarray(0.0, dtype)))
        padded = T.concatenate([zeros, zeros[:1]], axis=0)
        out = T.inc_subtensor(padded[rows], grads)[:-1]
        op = _scatter_class(_derivative_ops.own_code_base(loaded))(
            [source, grads, rows], [out], inline=False
        )
        op.name = "window_scatter"
        _numba.register_kernel(backend.import_name, type(op), _kernel, _kernel_key)
        return op

    return _derivative_ops.cached((backend.import_name, "window scatter", dtype), make)


def _disconnected(import_name: str) -> Any:
    """The gradient of an input that none flows to (an index, a shape's donor)."""
    return importlib.import_module(import_name + ".gradient").disconnected_type()


@functools.lru_cache(maxsize=None)
def _gather_class(base: Any) -> Any:
    """``base`` (the backend's OpFromGraph) with the scatter as its pullback, picklable."""

    class WindowGather(_derivative_ops.with_derivatives(base)):  # type: ignore[misc]
        def connection_pattern(self, node: Any) -> List[List[bool]]:
            return [[True], [False]]

        def infer_shape(self, *arguments: Any) -> Any:
            source, rows = arguments[-1]  # (fgraph, node, shapes); Theano passes no fgraph
            return [(rows[0], source[1])]

        def _pullback(self, inputs: Any, output_grads: Any) -> Any:
            source, rows = inputs
            scatter = _scatter_op(named(self.import_name), source.dtype)
            return [scatter(source, output_grads[0], rows), _disconnected(self.import_name)]

        def _pushforward(self, inputs: Any, points: Any) -> Any:
            if points[0] is None:
                return None  # the fill is a constant: only the source's tangent moves it
            return _gather_op(named(self.import_name), self.source_dtype, 0.0)(points[0], inputs[1])

        @property
        def source_dtype(self) -> str:
            return str(self.input_types[0].dtype)

        def __reduce__(self) -> Any:
            return _rebuild_gather, (self.import_name, self.source_dtype, self.fill)

    return WindowGather


@functools.lru_cache(maxsize=None)
def _scatter_class(base: Any) -> Any:
    """``base`` (``_derivative_ops.own_code_base``) adding rows itself, picklable."""

    class WindowScatter(base):
        def perform(self, node: Any, inputs: Any, outputs: Any) -> None:
            source, grads, rows = inputs
            out = np.zeros((source.shape[0] + 1, source.shape[1]), source.dtype)
            np.add.at(out, rows, grads)
            outputs[0][0] = out[:-1]

        def c_code(self, node: Any, name: str, inputs: Any, outputs: Any, sub: Any) -> str:
            source, grads, rows = inputs
            names = {"source": source, "grads": grads, "rows": rows}
            return _C_CODE % {**names, "out": outputs[0], "fail": sub["fail"]}

        def c_code_cache_version(self) -> tuple:
            return (_KERNEL_VERSION,)

        def connection_pattern(self, node: Any) -> List[List[bool]]:
            return [[False], [True], [False]]  # the source gives only its shape

        def infer_shape(self, *arguments: Any) -> Any:
            return [arguments[-1][0]]

        def _pullback(self, inputs: Any, output_grads: Any) -> Any:
            source, _, rows = inputs
            gathered = _gather_op(named(self.import_name), source.dtype, 0.0)(output_grads[0], rows)
            return [_disconnected(self.import_name), gathered, _disconnected(self.import_name)]

        def _pushforward(self, inputs: Any, points: Any) -> Any:
            source, _, rows = inputs
            return None if points[1] is None else self(source, points[1], rows)

        def __reduce__(self) -> Any:
            return _rebuild_scatter, (self.import_name, str(self.input_types[0].dtype))

    return WindowScatter


# Named in the pickles of models that hold these ops: keep their names and arguments.
def _rebuild_gather(import_name: str, dtype: str, fill: float) -> Any:
    return _gather_op(named(import_name), dtype, fill)


def _rebuild_scatter(import_name: str, dtype: str) -> Any:
    return _scatter_op(named(import_name), dtype)


def _kernel_key(op: Any) -> tuple:
    return ("relucompat window scatter", _KERNEL_VERSION)


def _kernel(njit: Any, op: Any) -> Any:
    """The scatter compiled by numba: each gathered row added to its pixel's."""

    @njit
    def window_scatter(source: Any, grads: Any, rows: Any) -> Any:
        pixels, images = source.shape
        out = np.zeros((pixels, images), source.dtype)
        for i in range(rows.shape[0]):
            row = rows[i]
            if row == pixels:
                continue  # the fill
            if row < 0 or row > pixels:
                raise IndexError("window_scatter: a row is out of range")
            for image in range(images):
                out[row, image] += grads[i, image]
        return out

    return window_scatter


# The scatter in C, for the C linkers: rows of the contiguous gradient added in order, as
# np.add.at adds them.
_C_CODE = """
{
    const npy_intp pixels = PyArray_DIMS(%(source)s)[0], images = PyArray_DIMS(%(source)s)[1];
    const npy_intp n = PyArray_DIMS(%(rows)s)[0];
    if (PyArray_NDIM(%(grads)s) != 2 || PyArray_DIMS(%(grads)s)[0] != n
            || PyArray_DIMS(%(grads)s)[1] != images) {
        PyErr_SetString(PyExc_ValueError,
                        "window_scatter: the gradient's shape is not (rows, images)");
        %(fail)s
    }
    npy_intp dims[2] = {pixels, images};
    Py_XDECREF(%(out)s);
    %(out)s = (PyArrayObject*)PyArray_ZEROS(2, dims, PyArray_TYPE(%(source)s), 0);
    PyArrayObject* grads = PyArray_GETCONTIGUOUS(%(grads)s);
    PyArrayObject* rows = PyArray_GETCONTIGUOUS(%(rows)s);
    if (!%(out)s || !grads || !rows) {
        Py_XDECREF(grads);
        Py_XDECREF(rows);
        %(fail)s
    }
    dtype_%(out)s* out = (dtype_%(out)s*)PyArray_DATA(%(out)s);
    const dtype_%(grads)s* g = (const dtype_%(grads)s*)PyArray_DATA(grads);
    const npy_int64* r = (const npy_int64*)PyArray_DATA(rows);
    int bad = 0;
    for (npy_intp i = 0; i < n && !bad; ++i) {
        const npy_int64 row = r[i];
        if (row == pixels)
            continue;  /* the fill */
        if (row < 0 || row > pixels) {
            bad = 1;
            break;
        }
        dtype_%(out)s* to = out + row * images;
        const dtype_%(grads)s* from = g + i * images;
        for (npy_intp k = 0; k < images; ++k)
            to[k] += from[k];
    }
    Py_DECREF(grads);
    Py_DECREF(rows);
    if (bad) {
        PyErr_SetString(PyExc_IndexError, "window_scatter: a row is out of range");
        %(fail)s
    }
}
"""
