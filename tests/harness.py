"""The backends under test, and the few graph helpers tests need on each of them.

``$RELUCOMPAT_TEST_BACKENDS`` (set by every tox env) lists what the env must have, as
``name=formulation@linker``: the backend, the formulation its ``"theano"`` route must use,
and its default linker.
A listed backend that does not load fails the run; it never skips. Without the variable,
every installed backend that loads is tested.
"""

from __future__ import annotations

import functools
import importlib
import os
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pytest

from relucompat import discovery
from relucompat.lineage import Loaded, registry

FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")

ENV_VAR = "RELUCOMPAT_TEST_BACKENDS"
LINKERS_VAR = "RELUCOMPAT_TEST_LINKERS"


@dataclass(frozen=True)
class Promise:
    formulation: str
    linker: str


def expected() -> Optional[Dict[str, Promise]]:
    """``{import name: Promise}`` that this env makes, or ``None`` outside tox."""
    if ENV_VAR not in os.environ:
        return None
    promised = {}
    for item in filter(None, (part.strip() for part in os.environ[ENV_VAR].split(","))):
        name, _, rest = item.partition("=")
        formulation, _, linker = rest.partition("@")
        promised[name] = Promise(formulation, linker)
    return promised


@functools.lru_cache(maxsize=None)
def loaded_backends() -> Tuple[Loaded, ...]:
    """The backends this process tests: the promised ones, or every one that loads."""
    promised = expected()
    found = []
    for backend in registry():
        if promised is not None and backend.import_name not in promised:
            continue
        if promised is None and not backend.present():
            continue
        try:
            found.append(discovery.load(backend))
        except ImportError:
            if promised is not None:
                raise
    return tuple(found)


def linkers() -> List[str]:
    return [name.strip() for name in os.environ.get(LINKERS_VAR, "default").split(",")]


@dataclass(frozen=True)
class Harness:
    """One loaded backend compiled with one linker."""

    loaded: Loaded
    linker: str

    @property
    def name(self) -> str:
        return self.loaded.backend.import_name

    @property
    def B(self) -> Any:
        return self.loaded.module

    @property
    def T(self) -> Any:
        return self.loaded.tensor

    def __str__(self) -> str:
        return f"{self.name}-{self.linker}"

    def mode(self) -> Any:
        if self.linker == "default":
            return None
        mode = importlib.import_module(self.name + ".compile.mode")
        if self.linker in ("numba", "jax", "pytorch"):  # their modes add the rewrites they need
            return mode.get_mode(self.linker.upper())
        return mode.Mode(linker=self.linker, optimizer="fast_run")

    def function(self, inputs: list, outputs: list) -> Any:
        return self.B.function(inputs, outputs, mode=self.mode(), on_unused_input="ignore")

    def var(self, dtype: str, ndim: int = 1) -> Any:
        make = {0: self.T.scalar, 1: self.T.vector, 2: self.T.matrix}[ndim]
        return make(dtype=dtype)

    def grad(self, cost: Any, wrt: Any, **options: Any) -> Any:
        return self.B.grad(cost, wrt, **options)

    def rop(self, y: Any, wrt: Any, eval_point: Any) -> Any:
        gradient = self.B.gradient
        if hasattr(gradient, "pushforward"):  # PyTensor >= 3.3 renamed Rop
            return gradient.pushforward(y, wrt, eval_point)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return gradient.Rop(y, wrt, eval_point)

    def verify_grad(self, fun: Any, points: list) -> None:
        self.B.gradient.verify_grad(fun, points, rng=np.random.RandomState(42), mode=self.mode())


def harnesses(all_linkers: bool = False) -> List[Harness]:
    """Each backend under its default linker, or under every linker the env lists."""
    chosen = linkers() if all_linkers else ["default"]
    return [Harness(loaded, linker) for loaded in loaded_backends() for linker in chosen]


def same_bits(
    actual: Any, expected: Any, signed_zeros: bool = True, nan_payloads: bool = True
) -> bool:
    """Equal dtype, shape and bytes.

    ``signed_zeros=False`` lets -0.0 match +0.0 (the contract leaves the sign of a zero
    gradient open). ``nan_payloads=False`` compares a NaN made by arithmetic only as NaN:
    IEEE 754 leaves its sign and payload to the hardware and the library.
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.dtype != expected.dtype or actual.shape != expected.shape:
        return False
    if not signed_zeros and actual.dtype.kind == "f":
        zero = actual.dtype.type(0)
        actual, expected = actual + zero, expected + zero  # -0.0 + 0.0 is +0.0
    if not nan_payloads and actual.dtype.kind == "f":
        if not np.array_equal(np.isnan(actual), np.isnan(expected)):
            return False
        zero = actual.dtype.type(0)
        actual = np.where(np.isnan(actual), zero, actual)
        expected = np.where(np.isnan(expected), zero, expected)
    return actual.tobytes() == expected.tobytes()


def describe(actual: Any, expected: Any) -> str:
    actual, expected = np.asarray(actual), np.asarray(expected)
    return f"\n  got      {actual.dtype} {actual!r}\n  expected {expected.dtype} {expected!r}"


@functools.lru_cache(maxsize=None)
def backends_own(h: Harness, native: bool, what: str) -> None:
    """Skip a linker other than the default where the backend runs its own ``what``:
    relucompat builds no graph there, and how the backend's op fares under its other
    linkers is the backend's (Theano's CorrMM, for one, has no Python implementation)."""
    if native and h.linker != "default":
        pytest.skip(f"{h.name} runs its own {what}: checked under its default linker only")


def c_linker_limit(h: Harness, build: Any) -> Any:
    """``build()``, or a skip where the whole-graph C linker meets an op it has no C code
    for on this install (PyTensor's and Aesara's Dot without BLAS, PyTensor 2.38's
    AdvancedIncSubtensor1): a limit of that linker, docs/legacy.md."""
    try:
        return build()
    except Exception as error:
        # PyTensor 2.38's whole-graph C for pooling int32 also fails to compile
        # ("int init(PyObject* __ERROR, )"): its CompileError, not ours.
        known = isinstance(error, NotImplementedError) or type(error).__name__ == "CompileError"
        if h.linker != "c" or not known:
            raise
        reason = str(error).splitlines()[0] if str(error) else "an op has no C code"
        pytest.skip(f"{h.name}'s pure C linker cannot compile this graph here: {reason}")


# XLA, under the JAX linker, flushes float32 and float64 denormals to zero, inputs and
# results (FTZ and DAZ on the CPU; float16 goes through float32 and keeps them): no
# formulation can pass a denormal through there, so on such linkers the expected values
# are what the backend computes with (docs/backends.md, "Linkers").
FLUSHES_DENORMALS = {"jax"}


def flushed(h: Harness, a: Any) -> np.ndarray:
    """``a`` with its denormals flushed to zero (sign kept) where ``h``'s linker does that."""
    a = np.asarray(a)
    if h.linker not in FLUSHES_DENORMALS or a.dtype not in (np.float32, np.float64):
        return a
    with np.errstate(invalid="ignore"):
        tiny = np.abs(a) < np.finfo(a.dtype).tiny
    return np.where(tiny, np.copysign(np.zeros_like(a), a), a).astype(a.dtype)


def static_shapes(h: Harness) -> bool:
    """Whether this linker takes the legacy conv and pooling only with constant shapes: JAX
    compiles only static sizes, and PyTensor's PyTorch linker runs ``eq`` as torch.equal,
    one bool for the whole tensor (PyTensor 3.0 and 3.3), which breaks the
    ``switch(eq(size, -1), ...)`` that a reshape to a computed shape infers its shape with."""
    return h.linker in ("jax", "pytorch")


def one_linker(h: Harness, why: str, python_code: bool = True) -> None:
    """Skip all but one of the env's linkers, for a check of the graph rather than of its
    arithmetic: the py linker where the env lists it, since it compiles nothing, unless the
    graph's ops lack ``python_code``; else the env's first."""
    listed = linkers()
    if h.linker != ("py" if python_code and "py" in listed else listed[0]):
        pytest.skip(f"one linker is enough: {why}")


def draws_random(h: Harness) -> None:
    """Skip where the linker cannot draw random numbers: PyTensor's PyTorch linker (3.0 and
    3.3) has no code for random variables, nor for the numpy Generator a shared RNG holds
    ("pytorch_typify is not implemented for <class 'numpy.random._generator.Generator'>")."""
    if h.linker == "pytorch":
        pytest.skip("PyTensor's PyTorch linker has no random variables")


def undo_float64_leak(h: Harness, value: Any, dtype: str) -> Any:
    """``value`` as ``dtype`` where PyTensor's JAX or PyTorch linker returned a float32
    graph's result as float64; anything else unchanged, for the caller's dtype check to
    catch. JAX: its ``CAReduce`` casts a sum to the accumulator's dtype, float64 for float32
    as in Theano, not to the output's (pytensor/link/jax/dispatch/elemwise.py,
    ``.astype(acc_dtype)``, PyTensor 3.3.8), and JAX carries the float64 on: the values are
    the float32 sum's. PyTorch: measured on selu's gradient, not traced."""
    if h.linker in ("jax", "pytorch") and dtype == "float32" and value.dtype == "float64":
        return value.astype(dtype)
    return value


def made_the_golden_data(h: Harness) -> bool:
    """Whether ``h`` is what made the golden data: Theano 1.0.5's own ops under its default
    linker (tools/make_golden.py, tools/golden_*.py). There a graph equal to the script's
    gives the golden values by construction, so the tests compare graphs (see
    :func:`assert_same_graph`) instead of compiling them, which on a cold cache cost CI
    minutes per grid for bits that are the golden file's own."""
    return h.loaded.distribution.name == "theano" and h.linker == "default"


def assert_same_graph(ours: Tuple[list, list, list], theirs: Tuple[list, list, list]) -> None:
    """``ours`` and ``theirs``, each ``(inputs, outputs, feed)`` of a case builder, compute
    the same graph on the same data: equal ops, equal constants, the same wiring from
    corresponding inputs."""
    (ins_a, outs_a, feed_a), (ins_b, outs_b, feed_b) = ours, theirs
    assert len(outs_a) == len(outs_b) and len(ins_a) == len(ins_b)
    assert all(same_bits(a, b) for a, b in zip(feed_a, feed_b))
    pairs = dict(zip(ins_a, ins_b))
    for i, (a, b) in enumerate(zip(outs_a, outs_b)):
        assert _same_variable(a, b, pairs), f"output {i} is not Theano's graph: {a} vs {b}"


def _same_variable(a: Any, b: Any, pairs: dict) -> bool:
    """Whether ``a`` computes what ``b`` does, given the ``pairs`` already matched."""
    if a in pairs:
        return pairs[a] is b
    if a.type != b.type or (a.owner is None) != (b.owner is None):
        return False
    if a.owner is None:  # a constant: inputs are all in pairs
        same = hasattr(a, "data") and hasattr(b, "data") and a.equals(b)
    else:
        x, y = a.owner, b.owner
        same = (
            x.outputs.index(a) == y.outputs.index(b)
            and len(x.inputs) == len(y.inputs)
            and _same_op(x.op, y.op, pairs)
            and all(_same_variable(u, v, pairs) for u, v in zip(x.inputs, y.inputs))
        )
    if same:
        pairs[a] = b
    return same


def _same_op(a: Any, b: Any, pairs: dict) -> bool:
    """Equal ops; an ``OpFromGraph`` (equal only to itself) by its inner graph (Theano's
    ``local_`` inputs and outputs, PyTensor's and Aesara's ``inner_`` ones)."""
    if a == b:
        return True
    prefix = "local" if hasattr(a, "local_outputs") else "inner"
    if type(a) is not type(b) or not hasattr(a, f"{prefix}_outputs"):
        return False
    inputs_a, inputs_b = getattr(a, f"{prefix}_inputs"), getattr(b, f"{prefix}_inputs")
    inner = {**pairs, **dict(zip(inputs_a, inputs_b))}
    same_outputs = zip(getattr(a, f"{prefix}_outputs"), getattr(b, f"{prefix}_outputs"))
    return a.is_inline == b.is_inline and all(_same_variable(u, v, inner) for u, v in same_outputs)


def one_float_dtype(h: Harness, native: bool, dtype: str, what: str) -> None:
    """Skip the float dtype that a legacy golden grid leaves to another check; each grid is
    minutes of cold compilation per dtype and linker in CI.

    - Where the backend runs its own ``what``: float64 only. One dtype shows that the legacy
      namespace hands out the backend's op; its arithmetic in the others is the backend's.
      Where Theano made the golden data every dtype runs, as a graph compared, not compiled.
    - Where relucompat builds ``what``: float32 under the linkers that compile (C, numba,
      JAX, PyTorch), the dtype models run in; float64 under the py linker, and end to end
      by the legacy examples, which run in float64 under every default linker. The graph
      is the same in both but for its type.
    """
    if made_the_golden_data(h):
        return
    if native and dtype != "float64":
        pytest.skip(f"{h.name} runs its own {what}: checked in float64 only")
    if not native and dtype == "float64" and h.linker != "py":
        pytest.skip(f"relucompat builds {what}: float64 is checked under the py linker")


@functools.lru_cache(maxsize=None)  # tests call it per Hypothesis example
def supports(h: Harness, dtype: str) -> bool:
    """Whether this backend and linker compile ``dtype`` at all (numba has no float16)."""
    x = h.var(dtype)
    try:
        h.function([x], [x * 2])(np.ones(2, dtype=dtype))
    except NotImplementedError:
        return False
    return True


def need(h: Harness, dtype: str) -> None:
    """Skip, saying why, where this backend and linker cannot compile ``dtype``."""
    if not supports(h, dtype):
        pytest.skip(f"{h.name} with linker {h.linker} cannot compile {dtype} at all")
