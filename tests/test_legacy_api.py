"""The Theano 1.0.5 API that libraries use, called as Lasagne (its repository's version) and
Keras 2's theano backend call it, on every backend.

Each test is one library idiom: the call and the check the library makes. What these
graphs compute is the golden suites' (conv, pooling, nnet, neighbours); here the graphs
compile under the py linker, which compiles nothing (the wiring is what is checked).
"""

from __future__ import annotations

import importlib
import inspect
import pickle

import numpy as np
import pytest
from harness import Harness, expected

import relucompat
from relucompat.legacy import _namespace


@pytest.fixture(autouse=True)
def _needs_a_backend():
    if expected() == {}:
        pytest.skip("this env promises no backend")


def legacy(h: Harness):
    """``theano`` and ``theano.tensor`` over ``h``'s backend."""
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T

    return theano, T


def run(h: Harness, inputs, outputs, *values):
    """``outputs`` of ``inputs``, for ``values``: under the py linker where relucompat builds
    the graphs, else under the backend's default linker, where its own conv and pooling
    run their C (their Python code indexes NumPy with lists, which NumPy >= 1.23 refuses).
    Without fusion: a fused scalar graph of symbolic sizes can fail under py (PyTensor 3.0's
    py linker loses the ufunc of a fused node; docs/legacy.md, "Limits")."""
    theano, _ = legacy(h)
    linker = "default" if _namespace.native_nnet() is not None else "py"
    mode = Harness(h.loaded, linker).mode()
    mode = mode.excluding("fusion") if mode is not None else None
    return theano.function(inputs, outputs, mode=mode, on_unused_input="ignore")(*values)


def test_gof_variable_takes_theanos_signature_and_every_variable_is_one(h):
    theano, T = legacy(h)
    # Lasagne's test_helper: theano.Variable("myvariable") as an input to a network.
    variable = theano.Variable("myvariable")
    assert variable.owner is None and variable.type == "myvariable"
    assert isinstance(variable, theano.gof.Variable) and isinstance(variable, theano.Variable)
    # Lasagne's utils.as_theano_expression and collect_shared_vars: isinstance checks.
    for made in (T.matrix(), theano.shared(np.zeros(2)), T.constant(1.0), T.matrix() + 1):
        assert isinstance(made, theano.gof.Variable)
    assert not isinstance(np.zeros(2), theano.Variable)
    assert issubclass(type(T.matrix()), theano.gof.graph.Variable)


def test_a_tensor_variable_is_neither_shared_nor_constant_as_in_theano(h):
    theano, T = legacy(h)
    # Lasagne's recurrent layers: a TensorVariable hid_init is the initial state itself, a
    # shared one is a parameter repeated over the batch.
    assert isinstance(T.matrix(), T.TensorVariable)
    assert isinstance(T.matrix() * 2, T.TensorVariable)
    assert not isinstance(theano.shared(np.zeros((1, 3))), T.TensorVariable)
    assert not isinstance(T.constant(np.zeros(3)), T.TensorVariable)
    assert T.TensorVariable is theano.tensor.var.TensorVariable


def test_graph_inputs_come_in_theanos_order(h):
    theano, T = legacy(h)
    # Lasagne's collect_shared_vars: theano.gof.graph.inputs(reversed(expressions)),
    # Theano's left-recursive depth-first order, which its test_utils checks.
    a, b, c = (theano.shared(np.zeros(2), name=n) for n in "abc")
    x = T.vector("x")
    found = theano.gof.graph.inputs([(a * x + b) * c])
    assert [v.name for v in found if v.name] == ["a", "x", "b", "c"]
    assert theano.gof.graph.is_same_graph(a + x, a + x)
    assert not theano.gof.graph.is_same_graph(a + x, x + a)
    y = T.vector("y")
    assert theano.gof.graph.is_same_graph(a + x, a + y, givens={x: y})
    assert theano.scan_module.scan_utils.equal_computations([a + x], [a + x])


def test_clone_without_sharing_inputs_keeps_the_shared_storage(h):
    theano, T = legacy(h)
    # Lasagne's BatchNormLayer: the running mean is a clone of layer.mean whose
    # default_update must update layer.mean when the output is evaluated.
    mean = theano.shared(np.zeros(3), name="mean")
    x = T.vector("x")
    running = theano.clone(mean, share_inputs=False)
    assert running is not mean
    running.default_update = 0.5 * running + 0.5 * x
    out = run(h, [x], x + 0 * running, np.ones(3))
    assert np.array_equal(out, np.ones(3))
    assert np.array_equal(mean.get_value(), np.full(3, 0.5))
    doubled = theano.clone(x * 2, replace={x: x + 1})
    assert np.array_equal(run(h, [x], doubled, np.ones(3)), np.full(3, 4.0))


def test_broadcast_patterns_as_dropout_and_recurrent_layers_set_them(h):
    _, T = legacy(h)
    # Lasagne's DropoutLayer(shared_axes): patternbroadcast of the mask; its LSTM:
    # addbroadcast(s, 1) with one unit; Keras' rnn: unbroadcast(initial_output, 0, 1).
    row = T.matrix()
    assert T.patternbroadcast(row, (True, False)).broadcastable == (True, False)
    assert T.addbroadcast(row, 1).broadcastable == (False, True)
    ones = T.row()
    assert T.unbroadcast(ones, 0, 1).broadcastable == (False, False)
    assert T.patternbroadcast(ones, (False, True)).broadcastable == (False, True)
    kept = T.unbroadcast(ones, 0)
    assert np.array_equal(run(h, [ones], kept, np.full((1, 2), 3.0)), np.full((1, 2), 3.0))
    if not hasattr(h.T, "patternbroadcast"):  # Theano's own took a shorter pattern silently
        with pytest.raises(ValueError, match="one flag per axis"):
            T.patternbroadcast(row, (True,))


def test_tensor_names_the_descendants_renamed(h):
    _, T = legacy(h)
    a, b, c = T.scalars("abc")
    with pytest.warns(DeprecationWarning, match=r"stack\(\*tensors\)"):
        stacked = T.stack(a, b, c)  # Lasagne's unroll_scan, Keras' reshape
    x = T.vector()
    got = run(
        h, [a, b, c, x], [stacked, T.stack([a, b], axis=0), T.inv(x), T.abs_(x)], 1, 2, 3, [-4.0]
    )
    assert [list(v) for v in got] == [[1, 2, 3], [1, 2], [-0.25], [4.0]]
    with pytest.raises(TypeError, match="at least one parameter"):
        T.stack()
    # Keras' to_one_hot(target, nb_class=...), Lasagne's Upscale2DLayer repeat
    labels = T.ivector()
    hot = T.extra_ops.to_one_hot(labels, nb_class=3)
    assert run(h, [labels], hot, np.array([2, 0], dtype="int32")).tolist() == [[0, 0, 1], [1, 0, 0]]


def test_gradient_helpers_libraries_call(h):
    theano, T = legacy(h)
    x = T.scalar()
    # Lasagne's recurrent grad_clipping, Keras' stop_gradient, the tutorials' constants.
    clipped = theano.gradient.grad_clip(x * 3, -1, 1)
    with pytest.warns(UserWarning, match="consider_constant"):
        const = theano.gradient.consider_constant(x * 3)
    grads = [
        theano.grad(clipped, x),
        theano.grad(x * theano.gradient.zero_grad(x), x),
        theano.grad(x * theano.gradient.disconnected_grad(x), x),
        theano.grad(x * const, x),
    ]
    assert [float(g) for g in run(h, [x], grads, 2.0)] == [3.0, 2.0, 2.0, 6.0]
    assert T.consider_constant is theano.gradient.consider_constant


def test_ifelse_compat_and_module_paths_libraries_import(h):
    theano, T = legacy(h)
    from relucompat.legacy.ifelse import ifelse  # Keras' in_train_phase

    from relucompat.legacy import compat

    flag = T.scalar(dtype="uint8")
    out = ifelse(flag, T.constant(1.0), T.constant(2.0))
    assert [float(run(h, [flag], out, v)) for v in (1, 0)] == [1.0, 2.0]
    assert compat.PY3 and list(compat.izip("ab", "cd")) == [("a", "c"), ("b", "d")]
    assert compat.OrderedDict is __import__("collections").OrderedDict
    ordered = compat.DefaultOrderedDict(list)
    ordered["a"].append(1)
    assert pickle.loads(pickle.dumps(ordered)) == {"a": [1]}
    # Keras: theano.tensor.nnet.nnet.softsign, else theano.sandbox.softsign.
    assert callable(theano.tensor.nnet.nnet.softsign)
    assert callable(theano.tensor.nnet.neighbours.images2neibs)


def test_capabilities_lasagne_probes_are_present(h):
    _, T = legacy(h)
    importlib.import_module("relucompat.legacy.tensor.signal.pool")  # Lasagne's version check
    # Lasagne's conv, pool and BaseConvLayer feature tests
    assert hasattr(T.nnet, "conv3d")
    assert hasattr(T.nnet.abstract_conv, "AbstractConv3d_gradInputs")
    assert hasattr(T.signal.pool, "pool_3d")
    assert "num_groups" in inspect.signature(T.nnet.conv2d).parameters
    # Keras' batch normalization feature test
    assert hasattr(T.nnet.bn, "batch_normalization_train")
    # the spatial pyramid pooling probe: symbolic ws and stride, pad=None
    probe = T.signal.pool.pool_2d(
        T.tensor4(), ws=T.ivector(), stride=T.ivector(), ignore_border=True, pad=None
    )
    assert probe.ndim == 4


def test_spatial_pyramid_pooling_with_symbolic_windows(h):
    _, T = legacy(h)
    x, ws = T.tensor4(), T.ivector()
    pooled = T.signal.pool.pool_2d(x, ws=ws, stride=ws, ignore_border=True, pad=None)
    data = np.arange(32.0).reshape(1, 2, 4, 4)
    got = run(h, [x, ws], pooled, data, np.array([2, 2], dtype="int32"))
    want = data.reshape(1, 2, 2, 2, 2, 2).max(axis=(3, 5))
    assert np.array_equal(got, want)


def test_pool_op_classes_build_the_pooling(h):
    _, T = legacy(h)
    pool = T.signal.pool
    x = T.tensor4()
    data = np.arange(16.0).reshape(1, 1, 4, 4)
    pooled = pool.Pool(ignore_border=True)(x, (2, 2))
    up = T.ones_like(pooled)
    grad = pool.MaxPoolGrad(ignore_border=True)(x, pooled, up, (2, 2))
    got, g = run(h, [x], [pooled, grad], data)
    assert got.tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]
    assert g.sum() == 4 and g[0, 0, 1, 1] == 1
    assert list(pool.Pool.out_shape((2, 3, 5, 5), (2, 2), ignore_border=False)) == [2, 3, 3, 3]


def test_transposed_and_dilated_conv_layers_ops(h):
    theano, T = legacy(h)
    ac = T.nnet.abstract_conv
    x, W = T.tensor4(), T.tensor4()
    rng = np.random.RandomState(0)
    xv, Wv = rng.rand(2, 3, 5, 5), rng.rand(4, 3, 3, 3)
    out = T.nnet.conv2d(x, W, border_mode="half", subsample=(2, 2))
    top = T.tensor4()
    topv = np.ones((2, 4, 3, 3))
    # Lasagne's TransposedConv2DLayer: the op applied to (W, input, output_size)
    op = ac.AbstractConv2d_gradInputs(
        imshp=(None, 3, 5, 5), kshp=(4, 3, 3, 3), subsample=(2, 2), border_mode="half"
    )
    transposed = op(W, top, (5, 5))
    # its DilatedConv2DLayer: gradWeights applied to the input and the filters
    weights = ac.AbstractConv2d_gradWeights(subsample=(2, 2), border_mode="half")(x, top, (3, 3))
    by_grad = theano.grad(None, wrt=[x, W], known_grads={out: top})
    got = run(h, [x, W, top], [transposed, weights, *by_grad], xv, Wv, topv)
    assert np.allclose(got[0], got[2], rtol=1e-12) and np.allclose(got[1], got[3], rtol=1e-12)
    shape = ac.get_conv_output_shape((2, 3, 5, 5), (4, 3, 3, 3), "half", (2, 2))
    assert shape == (2, 4, 3, 3)


def test_relu_of_arrays_is_numpys_as_in_theano(h):
    _, T = legacy(h)
    # Lasagne's test_nonlinearities calls rectify (nnet.relu) on NumPy arrays.
    data = np.array([-2.0, -0.0, 0.5], dtype="float32")
    got = T.nnet.relu(data)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    assert got.tolist() == [0.0, 0.0, 0.5]
    assert float(T.nnet.relu(-3)) == 0.0
    assert not isinstance(T.nnet.relu(data, 0.1), np.ndarray)  # Theano: alpha made it symbolic


def test_scan_views_return_theanos_pair(h):
    theano, T = legacy(h)
    x = T.vector(dtype="float64")
    zero = T.constant(np.float64(0))
    mapped = theano.map(lambda v: v * 2, x, name="double")[0]  # Keras' map_fn
    summed = theano.foldl(lambda v, acc: acc + v, x, zero)[0]  # Keras' foldl
    digits = theano.foldr(lambda v, acc: acc * 10 + v, x, zero)[0]  # from the last
    got = run(h, [x], [mapped, summed, digits], np.array([1.0, 2.0, 3.0]))
    assert got[0].tolist() == [2.0, 4.0, 6.0]
    assert float(got[1]) == 6.0 and float(got[2]) == 321.0
