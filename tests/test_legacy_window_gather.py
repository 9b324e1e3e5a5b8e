"""The windows' gather with the scatter as its gradient (``_window_gather``): the gather, its
gradient, its R-op and the scatter's own gradient against NumPy under every linker, the
scatter's code where the linker has one, integer images, and pickling.
test_legacy_pool.py, test_legacy_conv.py and test_legacy_neighbours.py run it against
Theano 1.0.5's values."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
from fresh_process import loaded_elsewhere
from harness import Harness, one_linker

import relucompat
from relucompat.legacy import _numba, _window_gather

ALL_LINKERS = True

# Three pixels and the fill (3): repeats, and the fill three times, as overlapping windows
# and padding give them.
ROWS = np.array([3, 0, 1, 3, 2, 0, 0, 3], dtype="int64")
SOURCE = np.array([[1, -2], [3, 4], [-5, 6]], dtype="float32")  # (pixels, images)
WEIGHTS = np.arange(16, dtype="float32").reshape(8, 2) - 5  # one per gathered value
TANGENT = np.array([[2, 1], [0, -1], [7, 3]], dtype="float32")


SHAPES = [("source", SOURCE.shape), ("w", WEIGHTS.shape), ("v", TANGENT.shape)]


def matrix(h: Harness, name: str, dtype: str, shape: tuple) -> Any:
    """A matrix with its static shape where the backend's types have one: JAX compiles the
    legacy windows with known sizes only (the old Theano types and Aesara's have none)."""
    try:
        return h.T.matrix(name, dtype=dtype, shape=shape)
    except TypeError:
        return h.T.matrix(name, dtype=dtype)


def padded(source: np.ndarray, fill: float) -> np.ndarray:
    return np.concatenate([source, np.full((1, source.shape[1]), fill, source.dtype)])


def scattered(grads: np.ndarray) -> np.ndarray:
    out = np.zeros((len(SOURCE) + 1, SOURCE.shape[1]), "float32")
    np.add.at(out, ROWS, grads)
    return out[:-1]


def graph(h: Harness) -> tuple:
    """The gather with Theano's max-pooling fill, its gradient (the scatter), its R-op, and
    the scatter's gradient, from small integers: every sum is exact."""
    relucompat.use(h.loaded.distribution.name)
    T = h.T
    source, weights, tangent = (matrix(h, name, "float32", shape) for name, shape in SHAPES)
    rows = T.constant(ROWS)
    gathered = _window_gather.gather(T, source, rows, -np.inf)
    grad = h.grad((_window_gather.gather(T, source, rows, 0) * weights).sum(), source)
    rop = h.rop(_window_gather.gather(T, source, rows, 0), source, tangent)
    second = h.grad((grad * tangent).sum(), weights)
    return [source, weights, tangent], [gathered, grad, rop, second]


def test_the_gather_its_gradient_r_op_and_second_gradient_equal_numpys(h: Harness) -> None:
    inputs, outputs = graph(h)
    function = h.function(inputs, outputs)
    got = function(SOURCE, WEIGHTS, TANGENT)
    np.testing.assert_array_equal(got[0], padded(SOURCE, -np.inf)[ROWS])
    np.testing.assert_array_equal(got[1], scattered(WEIGHTS))
    np.testing.assert_array_equal(got[2], padded(TANGENT, 0)[ROWS])
    np.testing.assert_array_equal(got[3], padded(TANGENT, 0)[ROWS])
    nodes = function.maker.fgraph.toposort()
    scatters = [node for node in nodes if type(node.op).__name__ == "WindowScatter"]
    assert len(scatters) == 1, [type(node.op).__name__ for node in nodes]
    linker = type(function.maker.linker).__name__
    if linker == "NumbaLinker" and _numba.dispatch(h.name) is not None:
        assert type(scatters[0].op) in _numba._registered  # the kernel, not the graph
    vm = getattr(function, "vm", None)  # PyTensor's and Aesara's
    if linker == "VMLinker" and type(vm).__name__ == "CVM":
        thunk = vm.thunks[vm.nodes.index(scatters[0])]
        assert hasattr(thunk, "cthunk"), "the scatter ran its Python code, not its C"


def test_integer_images_keep_the_standard_gather(h: Harness) -> None:
    one_linker(h, "the graph's nodes, not their arithmetic")
    source = matrix(h, "source", "int32", SOURCE.shape)
    gathered = _window_gather.gather(h.T, source, h.T.constant(ROWS), -(2**31))
    assert type(gathered.owner.op).__name__.startswith("AdvancedSubtensor")  # 1 before 3.3
    got = h.function([source], [gathered])(SOURCE.astype("int32"))[0]
    np.testing.assert_array_equal(got, padded(SOURCE.astype("int32"), -(2**31))[ROWS])


def test_the_ops_are_one_per_backend_and_survive_pickling(h: Harness, tmp_path) -> None:
    one_linker(h, "pickling")
    inputs, outputs = graph(h)
    gather_op = outputs[0].owner.op
    scatter_op = outputs[1].owner.op
    assert type(scatter_op).__name__ == "WindowScatter"
    again = _window_gather.gather(h.T, inputs[0], h.T.constant(ROWS), -np.inf).owner.op
    assert again is gather_op
    for op in (gather_op, scatter_op):
        assert pickle.loads(pickle.dumps(op)) is op and copy.deepcopy(op) is op
    function = h.function(inputs, outputs)
    values = [SOURCE, WEIGHTS, TANGENT]
    got = loaded_elsewhere(h, str(tmp_path / "gather"), inputs, outputs, values, function)
    want = function(*values)
    for elsewhere in got.values():
        for a, b in zip(elsewhere, want):
            np.testing.assert_array_equal(a, b)
