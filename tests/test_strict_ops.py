"""The strict route's ops (``relucompat/strict_ops.py``) as the backend compiles them.

Their arithmetic is the contract suite's, and their pickling test_pickle.py's; here, what
the rewriters make of a model that uses them.
"""

from __future__ import annotations

import inspect
from collections import Counter

import numpy as np
from harness import Harness

import relucompat


def compiled_step(h: Harness, semantics: str) -> Counter:
    """The op classes of a compiled softmax-regression step on a relu layer, by count."""
    T, B = h.T, h.B
    x, y = T.matrix("x"), T.ivector("y")
    W, b = B.shared(np.ones((4, 3)), name="W"), B.shared(np.zeros(3), name="b")
    V, c = B.shared(np.ones((3, 2)), name="V"), B.shared(np.zeros(2), name="c")
    hidden = relucompat.relu(T.dot(x, W) + b, semantics=semantics)
    logits = T.dot(hidden, V) + c
    p = T.exp(logits) / T.exp(logits).sum(axis=1, keepdims=True)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    grads = h.grad(cost, [W, b, V, c])
    # The py linker: the rewriters are the same under every linker, and it compiles nothing.
    function = Harness(h.loaded, "py").function([x, y], [cost, *grads])
    return Counter(type(node.op).__name__ for node in function.maker.fgraph.apply_nodes)


def test_the_gradient_reuses_the_forward(h):
    # A derivative OpFromGraph, once inlined, cloned the graphs of all its inputs, and the
    # Aesara lineage's merge left copies: this step held 6 products where the theano route
    # has 5, and a LeNet step six copies of its forward. The two routes' steps now have as
    # many nodes on every backend (one 2 * dot folds into a Dot22Scalar in one of them).
    theano, strict = compiled_step(h, "theano"), compiled_step(h, "strict")

    def products(ops: Counter) -> int:
        return sum(n for name, n in ops.items() if "Dot" in name or "Gemm" in name)

    assert not [name for name in strict if "OpFromGraph" in name], strict
    assert products(strict) == products(theano), (strict, theano)
    assert sum(strict.values()) == sum(theano.values()), (strict, theano)


def test_the_shape_is_the_inputs_own(h):
    # The base class's shape is its inner graph's, cloned onto the outer input, and a
    # rewrite that folds a shape then walked x's whole upstream graph: 1.0 s of a LeNet
    # step's compile on Aesara 2.9.4, one of the strict route's misses of issue 12.
    x = h.T.matrix()
    for alpha in (0, 0.1):  # the relu op, and the leaky one with a scalar alpha
        node = relucompat.relu(x, alpha, semantics="strict").owner
        assert "Strict" in type(node.op).__name__, node.op
        base = type(node.op).__mro__[1]
        shapes = [(object(), object())] + [() for _ in node.inputs[1:]]
        fgraph = (None,) if "fgraph" in inspect.signature(base.infer_shape).parameters else ()
        assert node.op.infer_shape(*fgraph, node, shapes) == [shapes[0]]
