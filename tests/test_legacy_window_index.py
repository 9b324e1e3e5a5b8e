"""The window index for symbolic sizes as one op (``_window_index``): its NumPy code, its
numba kernel and its own graph give the constant's index for the same sizes, under every
linker; graphs with symbolic sizes hold the one node; it pickles. test_legacy_pool.py,
test_legacy_conv.py and test_legacy_neighbours.py run it against Theano 1.0.5's values."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from fresh_process import loaded_elsewhere
from harness import Harness, one_linker, static_shapes

import relucompat
from relucompat.legacy import _numba, _window_index, _windows

ALL_LINKERS = True

# (nd, wrap, by_channel): specs (sizes, taps, counts, strides, dilations, pads, flip,
# channels), counts as pooling, the conv and images2neibs compute them, and past them.
CASES = {
    (1, False, False): [
        (7, 3, 5, 1, 1, 0, 0, 1),
        (7, 3, 4, 2, 1, 1, 1, 1),  # a stride, the padding, flipped, past the border
        (5, 2, 6, 1, 1, 3, 0, 1),  # windows past both borders
    ],
    (2, False, True): [
        (6, 5, 3, 2, 2, 4, 2, 1, 2, 1, 1, 0, 0, 3),  # a dilation, a stride, one axis padded
        (4, 4, 3, 3, 6, 6, 1, 1, 1, 1, 2, 2, 1, 2),  # "full", flipped
        (3, 3, 1, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 4),
    ],
    (2, True, False): [  # images2neibs' wrap_centered
        (5, 4, 3, 3, 5, 4, 1, 1, 1, 1, 1, 1, 0, 1),
        (3, 5, 3, 1, 3, 5, 1, 1, 1, 1, 4, 0, 0, 1),  # wrapped more than once
    ],
    (3, False, False): [(3, 4, 2, 2, 2, 2, 2, 3, 2, 1, 1, 2, 1, 1, 1, 0, 0, 1, 1, 1)],
}


def want(flags: tuple, spec: tuple) -> np.ndarray:
    """The index as the constant: each axis's (taps, positions) grid with NumPy."""
    return _windows.static_index(*flags, spec)


def test_numpys_index_is_the_grid_of_taps_and_positions():
    # Two taps of a 4-pixel row, three positions at stride 1, one pixel of padding: the
    # padding and the border read the fill row (4); flipped, the taps swap.
    assert want((1, False, False), (4, 2, 3, 1, 1, 1, 0, 1)).tolist() == [4, 0, 1, 0, 1, 2]
    assert want((1, False, False), (4, 2, 3, 1, 1, 1, 1, 1)).tolist() == [0, 1, 2, 4, 0, 1]
    # By channel: two channels of the same row, the fill row after both.
    got = want((1, False, True), (4, 2, 3, 1, 1, 1, 0, 2)).tolist()
    assert got == [8, 0, 1, 0, 1, 2, 8, 4, 5, 4, 5, 6]
    # Wrapped: the padding reads the opposite border.
    assert want((1, True, False), (4, 2, 3, 1, 1, 1, 0, 1)).tolist() == [3, 0, 1, 0, 1, 2]


def symbolic_sizes(h: Harness) -> None:
    """Skip the linkers that take the legacy windows with constant sizes only: there the
    index is a constant, and the op never in a graph."""
    if static_shapes(h):
        pytest.skip(f"the {h.linker} linker takes the legacy windows with constant sizes only")
    relucompat.use(h.loaded.distribution.name)


def specs(h: Harness, flags: tuple) -> tuple:
    """An int64 vector, and its entries as the op takes them (flip a bool)."""
    spec = h.T.lvector("spec")
    values = [spec[i] for i in range(6 * flags[0] + 2)]
    values[6 * flags[0]] = h.T.neq(values[6 * flags[0]], 0)
    return spec, values


FLAG_IDS = {"ids": lambda f: f"{f[0]}d" + "-wrap" * f[1] + "-by-channel" * f[2]}


@pytest.mark.parametrize("flags", list(CASES), **FLAG_IDS)
def test_the_op_gives_the_constants_index(h: Harness, flags: tuple) -> None:
    symbolic_sizes(h)
    spec, values = specs(h, flags)
    rows = _window_index.index(h.T, *flags, values)
    function = h.function([spec], [rows])
    for case in CASES[flags]:
        got = function(np.array(case, dtype="int64"))[0]
        np.testing.assert_array_equal(got, want(flags, case), err_msg=str(case))
    if type(function.maker.linker).__name__ == "NumbaLinker" and h.loaded.linker == "numba":
        assert type(rows.owner.op) in _numba._registered  # the kernel, not the graph


@pytest.mark.parametrize("flags", list(CASES), **FLAG_IDS)
def test_the_ops_own_graph_gives_the_same_index(h: Harness, flags: tuple) -> None:
    # What a linker without the op's code compiles: standard ops, whose arithmetic is the
    # backend's under each linker.
    symbolic_sizes(h)
    one_linker(h, "the graph of standard ops the op derives from")
    spec, values = specs(h, flags)
    function = h.function([spec], [_windows.symbolic_index(h.T, *flags, values)])
    for case in CASES[flags]:
        got = function(np.array(case, dtype="int64"))[0]
        np.testing.assert_array_equal(got, want(flags, case), err_msg=str(case))


def test_symbolic_sizes_give_one_node_and_known_ones_a_constant(h: Harness) -> None:
    symbolic_sizes(h)
    one_linker(h, "the graph's nodes, not their arithmetic")
    from relucompat.legacy.tensor.signal import _pool_built

    T = h.T
    unknown = T.tensor4("x")
    rows = _pool_built.window_taps(unknown, (3, 3), True, (2, 2), (1, 1), "max")[2]
    assert type(rows.owner.op).__name__ == "WindowIndex"
    function = h.function([unknown], [rows])
    names = [type(node.op).__name__ for node in function.maker.fgraph.toposort()]
    assert names.count("WindowIndex") == 1 and "ARange" not in names, names
    np.testing.assert_array_equal(
        function(np.zeros((1, 1, 7, 6), dtype=unknown.dtype))[0],
        want((2, False, False), (7, 6, 3, 3, 4, 3, 2, 2, 1, 1, 1, 1, 0, 1)),
    )
    try:
        known = T.tensor4("x", shape=(1, 1, 7, 6))
    except TypeError:  # Theano 1.0.5's and Aesara's types have no static sizes
        return
    rows = _pool_built.window_taps(known, (3, 3), True, (2, 2), (1, 1), "max")[2]
    assert rows.owner is None  # a constant


def test_the_op_is_one_per_backend_and_flags_and_survives_pickling(h: Harness, tmp_path) -> None:
    symbolic_sizes(h)
    one_linker(h, "pickling")
    spec = h.T.lvector("spec")
    rows = _window_index.index(h.T, 1, False, False, [spec[i] for i in range(8)])
    op = rows.owner.op
    assert _window_index.index(h.T, 1, False, False, [spec[i] for i in range(8)]).owner.op is op
    assert pickle.loads(pickle.dumps(op)) is op and copy.deepcopy(op) is op
    function = h.function([spec], [rows])
    case = np.array(CASES[(1, False, False)][1], dtype="int64")
    got = loaded_elsewhere(h, str(tmp_path / "index"), [spec], [rows], [case], function)
    for values in got.values():
        np.testing.assert_array_equal(values[0], want((1, False, False), tuple(case)))
