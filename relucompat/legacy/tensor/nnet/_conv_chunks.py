"""The built conv's ops (``_conv_op``) run a batch a chunk of images at a time, so that a
layer's window matrix is at most ``WINDOW_BYTES``, as Theano's ``CorrMM`` lowers one image
at a time.

A chunk is a slice of the batch (of the image and of the output gradient; the filters
whole), run by the op of the same kind for any batch size (``_conv_op._chunk_op``: a
layer's own op may know its batch and fold it into its graph). The conv and the input's
gradient are stacked; the filters' gradient is the sum of the chunks', in order, as
``CorrMM_gradWeights`` adds one image's at a time. Two paths run the loop: the op's
``perform`` (py, C and cvm linkers, which call the inner function), and under PyTensor's
numba a compiled loop around numba's function of the inner graph. JAX and PyTorch compile
the inner graph into their own function, on the whole batch.
"""

from __future__ import annotations

import functools
import importlib
from hashlib import sha256
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

import numpy as np

from relucompat.legacy import _numba

# A chunk's window matrix at most (one image's where that is more): at batch 500, LeNet's
# second layer gathers 61 MiB; the chunks' GEMMs are still hundreds of columns wide.
WINDOW_BYTES = 4 << 20

__all__ = ["WINDOW_BYTES", "images_per_chunk", "in_chunks", "register_numba"]


def images_per_chunk(
    window_bytes: int, channels: int, taps: Sequence[int], positions: Sequence[int], itemsize: int
) -> int:
    """How many images' windows fit in ``window_bytes`` (at least one): ``channels`` of the
    image times the filters' ``taps`` rows, by the output's ``positions`` columns."""
    per_image = channels * int(np.prod(taps)) * int(np.prod(positions)) * itemsize
    return max(1, window_bytes // max(1, per_image))


def in_chunks(
    summed: bool, step: int, function: Callable[..., Any], inputs: Sequence[np.ndarray]
) -> np.ndarray:
    """``function``'s output on ``inputs`` with the batch (all inputs but the filters, the
    second) in slices of ``step`` images: stacked, or ``summed``."""
    batch = inputs[0].shape[0]
    out: Optional[np.ndarray] = None
    for start in range(0, batch, step):
        chunk = [x if i == 1 else x[start : start + step] for i, x in enumerate(inputs)]
        part = function(*chunk)[0]  # may be the function's own storage: used before the next
        if summed and out is None:
            out = part.copy()
        elif summed:
            out += part
        else:
            if out is None:
                out = np.empty((batch, *part.shape[1:]), part.dtype)
            out[start : start + len(part)] = part
    assert out is not None
    return out


_registered: set = set()
_rewritten_ops: Dict[Any, Any] = {}
_linked: Dict[Any, Any] = {}


def register_numba(
    import_name: str, op_class: Any, plan: Callable[[Any], Optional[Tuple[int, bool, Any]]]
) -> None:
    """Run ``op_class``'s ops in chunks under the backend's numba linker too, where the
    backend funcifies ops with cache keys (PyTensor 2.38 and 3) and its numba dispatch is
    loaded (imported here where numba is the default linker). ``plan(op)`` gives the images
    per chunk, whether the chunks are summed and the op that runs one, from the op's static
    sizes, or None to run ``op`` on the whole batch."""
    if op_class in _registered:
        return
    basic = _numba.dispatch(import_name)
    if basic is None:
        return
    register = basic.register_funcify_and_cache_key
    base = basic.numba_funcify_and_cache_key.dispatch(op_class.__mro__[1])
    _registered.add(op_class)

    @register(op_class)
    def funcify(op: Any, node: Any = None, **kwargs: Any) -> Any:
        chunks = plan(op)
        if chunks is None:
            return base(op, node=node, **kwargs)
        step, summed, chunk_op = chunks
        # A clone where the numba function rewrites the inner graph: it does so in place.
        ready = _rewritten(import_name, chunk_op, "numba") or chunk_op.clone()
        inner, key = base(ready, **kwargs)
        loop = _numba_loop(basic.numba_njit, inner, step, summed, len(op.inner_inputs))
        if key is not None:
            key = sha256(str(("relucompat chunks", 1, step, summed, key)).encode()).hexdigest()
        return loop, key


def chunk_function(import_name: str, op: Any) -> Any:
    """The inner function that ``perform`` runs a chunk with: ``op``'s own, its graph
    rewritten for the C linkers where the backend leaves that to a graph rewrite."""
    rewritten = _rewritten(import_name, op, "cvm")
    if rewritten is None:
        return op.fn
    if rewritten not in _linked:  # linked as the C linkers link an op's: with cvm
        _linked[rewritten] = rewritten.compile_fn(rewritten.link_mode("c"))
    return _linked[rewritten]


def _rewritten(import_name: str, op: Any, linker: str) -> Any:
    """``op`` with its inner graph rewritten for ``linker`` (numba or cvm) where the
    backend does that in a graph rewrite, which reaches the ops in a graph but not the
    chunks' op, and links the inner graph as it is (PyTensor 3.3); else None: the backend
    rewrites the inner graph when it compiles it."""
    rewrite = _inner_graph_rewrite(import_name)
    if rewrite is None:
        return None
    key = (op, linker)
    if key not in _rewritten_ops:
        modes = importlib.import_module(import_name + ".compile.mode")
        mode = modes.get_mode("NUMBA") if linker == "numba" else modes.Mode(linker, "fast_run")
        inner = op.fgraph.unfreeze()
        inner._compile_mode = mode  # as the graph rewrite gives it, for nested inner graphs
        rewrite(mode.linker, op, None, inner, mode=mode)
        _rewritten_ops[key] = op.clone_with_inner_graph(inner)
    return _rewritten_ops[key]


@functools.lru_cache(maxsize=None)
def _inner_graph_rewrite(import_name: str) -> Any:
    """The backend's graph rewrite of an ``OpFromGraph``'s inner graph, or None. Looked up
    once: a failed import is not cached by Python, and ``perform`` asks at every call."""
    try:
        rewriting = importlib.import_module(import_name + ".compile.rewriting")
    except ImportError:
        return None
    return getattr(rewriting, "rewrite_ofg_inner_graph", None)


def _numba_loop(njit: Any, inner: Any, step: int, summed: bool, arity: int) -> Any:
    """``in_chunks`` compiled by numba around its function ``inner`` of the inner graph (the
    shapes are concatenated: numba does not build tuples by star-unpacking)."""
    if summed:  # the filters' gradient: (image, filters, output gradient)

        @njit
        def summed_loop(img: Any, kern: Any, out_grad: Any) -> Any:
            total = inner(img[:step], kern, out_grad[:step])
            for start in range(step, img.shape[0], step):
                total += inner(img[start : start + step], kern, out_grad[start : start + step])
            return total

        return summed_loop

    if arity == 2:  # the conv: (image, filters)

        @njit
        def stacked_loop(img: Any, kern: Any) -> Any:
            first = inner(img[:step], kern)
            if img.shape[0] <= step:
                return first
            out = np.empty((img.shape[0],) + first.shape[1:], first.dtype)  # noqa: RUF005
            out[:step] = first
            for start in range(step, img.shape[0], step):
                out[start : start + step] = inner(img[start : start + step], kern)
            return out

        return stacked_loop

    @njit
    def stacked_loop3(img: Any, kern: Any, out_grad: Any) -> Any:  # the input's gradient
        first = inner(img[:step], kern, out_grad[:step])
        if img.shape[0] <= step:
            return first
        out = np.empty((img.shape[0],) + first.shape[1:], first.dtype)  # noqa: RUF005
        out[:step] = first
        for start in range(step, img.shape[0], step):
            out[start : start + step] = inner(
                img[start : start + step], kern, out_grad[start : start + step]
            )
        return out

    return stacked_loop3
