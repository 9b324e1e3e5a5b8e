"""The built conv and its two gradients as ops: each one a non-inline ``OpFromGraph`` of
standard ops (``_conv_built``), so that the window matrix exists only while one runs.

As one graph of standard ops, the window matrix that a layer's forward gathers (the whole
batch's im2col) is also what its filters' gradient reads, so a training step held it from
the forward pass to the backward one: 61 + 27.5 MiB in LeNet at batch 500, twice Theano's
peak. Inside an op it is freed when the op returns, and the filters' gradient gathers it
again, as Theano's ``CorrMM_gradWeights`` computes its own im2col. The gradients are two
ops, so a step that needs one (the filters', for a first layer) runs only that one.

Each op is bilinear in two of its inputs, and the derivatives of each are the other two
(below), so gradients of any order and R_op stay ops. Ops are cached by their backend,
input types and parameters: equal layers share one, and the compiled inner function. An op
runs its batch a chunk of images at a time (``_conv_chunks``), so that the window matrix is
also at most a chunk's.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any, Dict, List, Sequence, Tuple

from relucompat import _derivative_ops
from relucompat.discovery import backend_of, load
from relucompat.legacy.tensor.nnet import _conv_built, _conv_chunks
from relucompat.lineage._base import default_linker

__all__ = ["conv"]

# border_mode (checked), subsample, filter_flip, filter_dilation, num_groups: all static.
Params = Tuple[Any, Tuple[int, ...], bool, Tuple[int, ...], int]

# Each kind's inputs are (image, filters, output gradient), the conv's the first two. An op
# reads two of them (LINEAR); the third gives only its shape (the gradient's).
CONV, GRAD_INPUTS, GRAD_WEIGHTS = "conv", "grad_inputs", "grad_weights"
LINEAR = {CONV: (0, 1), GRAD_INPUTS: (1, 2), GRAD_WEIGHTS: (0, 2)}


def conv(img: Any, kern: Any, params: Params) -> Any:
    """The built conv of ``img`` and ``kern`` with the static ``params``, as one op."""
    return _apply(CONV, [img, kern], params)


def params_of(spec: Any) -> Params:
    """The op's parameters from a checked ``abstract_conv.Conv``."""
    mode = spec.border_mode
    return (
        tuple(tuple(m) if isinstance(m, tuple) else m for m in mode)
        if isinstance(mode, tuple)
        else mode,
        tuple(int(s) for s in spec.subsample),
        bool(spec.filter_flip),
        tuple(int(d) for d in spec.filter_dilation),
        int(spec.num_groups),
    )


def _apply(kind: str, inputs: List[Any], params: Params) -> Any:
    backend = backend_of(inputs[0])
    assert backend is not None, f"not a variable of a known backend: {inputs[0]!r}"
    return _op(backend, kind, tuple(var.type for var in inputs), params)(*inputs)


def _op(backend: Any, kind: str, types: Tuple[Any, ...], params: Params) -> Any:
    window_bytes = _conv_chunks.WINDOW_BYTES
    key = (backend.import_name, "conv", kind, types, params, window_bytes)
    return _derivative_ops.cached(
        key, lambda: _make(load(backend), kind, types, params, window_bytes)
    )


@functools.lru_cache(maxsize=None)  # ops are cached (``_op``): so are theirs
def _chunk_op(op: Any) -> Any:
    """The op of ``op``'s kind and parameters for any batch size, which ``_conv_chunks`` runs
    on slices of the batch (``op``'s own may know its batch, and fold it into its graph)."""
    inner = getattr(op, "inner_inputs", None) or op.local_inputs  # Theano 1.0.5's name
    types = tuple(var.type for var in inner)
    any_batch = tuple(t if at == 1 else _any_batch(t) for at, t in enumerate(types))
    if any_batch == types:
        return op
    return _op(backend_of(inner[0]), op.conv_kind, any_batch, op.conv_params)


def _any_batch(type_: Any) -> Any:
    shape = getattr(type_, "shape", None)  # Theano 1.0.5's types have no static sizes
    return type_ if shape is None or shape[0] is None else type_.clone(shape=(None, *shape[1:]))


def _make(loaded: Any, kind: str, types: Tuple[Any, ...], params: Params, window_bytes: int) -> Any:
    T = loaded.tensor
    inputs = [t() for t in types]
    img, kern = inputs[:2]
    out = _forward(T, img, kern, params)
    if kind != CONV:
        wrt = img if kind == GRAD_INPUTS else kern
        out = loaded.module.grad(None, wrt=wrt, known_grads={out: inputs[2]})
    op_class = _op_class(loaded.OpFromGraph)
    op = op_class(
        inputs,
        [out],
        inline=False,
        name=f"conv_built_{kind}",
        on_unused_input="ignore",  # LINEAR's inputs are read; the third gives its shape
    )
    # Set after construction: PyTensor 3.3 warns on a mode given to OpFromGraph, whose
    # inner function it links itself.
    op.kwargs = {**op.kwargs, "mode": _inner_mode(loaded)}
    op.conv_kind, op.conv_params, op.window_bytes = kind, params, window_bytes
    _conv_chunks.register_numba(op.import_name, type(op), _static_plan)
    return op


def _images_per_chunk(op: Any, image: Sequence[Any], kernel: Sequence[Any], itemsize: int) -> int:
    positions = _output_shape(image, kernel, op.conv_params)[2:]
    return _conv_chunks.images_per_chunk(op.window_bytes, image[1], kernel[2:], positions, itemsize)


def _static_plan(op: Any) -> Any:
    """(images per chunk, summed, the op for them) for ``op`` from its static sizes, or
    None where one chunk is the whole batch or the sizes are not static (numba then runs
    ``op`` on the whole batch)."""
    image, kernel = (tuple(getattr(var.type, "shape", ())) for var in op.inner_inputs[:2])
    if None in image[1:] or None in kernel or not kernel:
        return None
    step = _images_per_chunk(op, image, kernel, op.inner_inputs[0].type.numpy_dtype.itemsize)
    if image[0] is not None and image[0] <= step:
        return None
    return step, op.conv_kind == GRAD_WEIGHTS, _chunk_op(op)


# The linkers that run an op's Python code, which calls its inner function.
_PERFORMING = {"py", "vm", "vm_nogc", "cvm", "cvm_nogc", "c", "c|py", "c|py_nogc"}


def _inner_mode(loaded: Any) -> Any:
    """The mode of the inner function that an op's Python code calls, under the linkers in
    _PERFORMING (numba, JAX and PyTorch compile the inner graph into their own): the
    default mode's linker where it is one of those (``config.linker`` is "auto" unless a
    flag names one), else cvm, or py without a C compiler: an op's Python code runs only
    under a performing linker, whatever the default (PyTensor 3.0's is numba). PyTensor 3.3
    ignores it and links the inner function itself (vm or cvm)."""
    linker = default_linker(loaded.module)
    if linker not in _PERFORMING:
        linker = "cvm" if loaded.module.config.cxx else "py"
    mode = importlib.import_module(loaded.backend.import_name + ".compile.mode")
    return mode.Mode(linker=linker)


def _forward(T: Any, img: Any, kern: Any, params: Params) -> Any:
    border_mode, subsample, flip, dilation, groups = params
    known = _conv_built.known(kern, None)[2:]
    taps = [k if k is not None else kern.shape[2 + i] for i, k in enumerate(known)]
    padding = _conv_built.pads(border_mode, taps, dilation)
    return _conv_built.conv(T, img, kern, padding, subsample, flip, dilation, groups)


def _replaced(inputs: Sequence[Any], at: int, value: Any) -> List[Any]:
    return [value if i == at else var for i, var in enumerate(inputs)]


def pullback(kind: str, params: Params, inputs: Sequence[Any], g: Any) -> List[Any]:
    """The gradients of ``kind`` at ``inputs`` for the output gradient ``g``: by bilinearity,
    each is one of the three ops (the shape-only input's is zero)."""
    img, kern, *rest = inputs
    if kind == CONV:
        return [
            _apply(GRAD_INPUTS, [img, kern, g], params),
            _apply(GRAD_WEIGHTS, [img, kern, g], params),
        ]
    (out_grad,) = rest
    if kind == GRAD_INPUTS:  # <g, J_kern' out_grad> = <conv(g, kern), out_grad>
        return [
            img.zeros_like(),
            _apply(GRAD_WEIGHTS, [g, kern, out_grad], params),
            _apply(CONV, [g, kern], params),
        ]
    # GRAD_WEIGHTS: <g, d<conv(img, k), out_grad>/dk> = <conv(img, g), out_grad>
    return [
        _apply(GRAD_INPUTS, [img, g, out_grad], params),
        kern.zeros_like(),
        _apply(CONV, [img, g], params),
    ]


def pushforward(kind: str, params: Params, inputs: Sequence[Any], tangents: Sequence[Any]) -> Any:
    """The R_op of ``kind``: the sum over its two read inputs of the op with that input's
    tangent in its place (None where neither has one)."""
    # Each tangent as its input's type, so that the op (and its output's type) is the same:
    # Aesara's R_op asserts that every node's tangents are of its inputs' types.
    terms = [
        _apply(kind, _replaced(inputs, at, inputs[at].type.filter_variable(tangents[at])), params)
        for at in LINEAR[kind]
        if tangents[at] is not None
    ]
    return functools.reduce(lambda a, b: a + b, terms) if terms else None


@functools.lru_cache(maxsize=None)
def _op_class(base: Any) -> Any:
    """``base`` (the backend's OpFromGraph) with the derivatives above, picklable."""

    class BuiltConvOp(_derivative_ops.with_derivatives(base)):  # type: ignore[misc]
        def perform(self, node: Any, inputs: Any, outputs: Any) -> None:
            image, kernel = inputs[:2]
            step = _images_per_chunk(self, image.shape, kernel.shape, image.itemsize)
            if len(image) <= step:
                super().perform(node, inputs, outputs)
                return
            summed = self.conv_kind == GRAD_WEIGHTS
            function = _conv_chunks.chunk_function(self.import_name, _chunk_op(self))
            outputs[0][0] = _conv_chunks.in_chunks(summed, step, function, inputs)

        def connection_pattern(self, node: Any) -> List[List[bool]]:
            return [[True] for _ in node.inputs]

        def infer_shape(self, *arguments: Any) -> Any:
            shapes = arguments[-1]  # after (fgraph, node); Theano 1.0.5 passes no fgraph
            if self.conv_kind == GRAD_INPUTS:
                return [shapes[0]]
            if self.conv_kind == GRAD_WEIGHTS:
                return [shapes[1]]
            return [_output_shape(shapes[0], shapes[1], self.conv_params)]

        def _pullback(self, inputs: Any, output_grads: Any) -> Any:
            return pullback(self.conv_kind, self.conv_params, inputs, output_grads[0])

        def _pushforward(self, inputs: Any, points: Any) -> Any:
            return pushforward(self.conv_kind, self.conv_params, inputs, points)

        def __reduce__(self) -> Any:
            return _rebuild_op, (self.import_name, _derivative_ops.state(self))

    return BuiltConvOp


def _output_shape(image: Sequence[Any], kernel: Sequence[Any], params: Params) -> list:
    border_mode, subsample, _, dilation, _ = params
    padding = _conv_built.pads(border_mode, list(kernel[2:]), dilation)
    spatial = _conv_built.output_sizes(image[2:], kernel[2:], padding, dilation, subsample)
    return [image[0], kernel[0], *spatial]


def _rebuild_op(import_name: str, state: Dict[str, Any]) -> Any:
    op = _derivative_ops.rebuilt(_op_class, import_name, state)
    _conv_chunks.register_numba(import_name, type(op), _static_plan)
    return op
