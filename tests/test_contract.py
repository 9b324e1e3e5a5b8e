"""The ``"strict"`` contract (docs/semantics.md), edge value by edge value, on every backend.

Each dtype compiles one function that returns every quantity the contract speaks of, so a
C backend compiles a handful of graphs for this whole file.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from golden_cases import float_edges, int_edges
from harness import (
    FLOATS,
    FLUSHES_DENORMALS,
    INTS,
    Harness,
    describe,
    flushed,
    need,
    one_linker,
    same_bits,
)

import relucompat
from relucompat import oracle

ALL_LINKERS = True  # this suite runs under every linker in $RELUCOMPAT_TEST_LINKERS


def upstream(x: np.ndarray) -> np.ndarray:
    # Finite, non-zero and of both signs, so that 0 * g would show its sign.
    return np.resize(np.array([2.0, -3.0, 0.5, -1.25], dtype=x.dtype), x.shape)


def slopes(x: np.ndarray) -> np.ndarray:
    return np.resize(np.array([0.3, -0.3, 0.0, 1.0, 2.0], dtype=x.dtype), x.shape)


@functools.lru_cache(maxsize=None)
def strict(h: Harness, dtype: str) -> dict:
    """Every strict-contract quantity for the edge vector, from one compiled function."""
    x, g, a, av = h.var(dtype), h.var(dtype), h.var(dtype, 0), h.var(dtype)
    ev_a = h.var(dtype)
    plain = relucompat.relu(x, semantics="strict")
    leaky = relucompat.relu(x, 0.3, semantics="strict")
    prelu = relucompat.relu(x, a, semantics="strict")
    per_element = relucompat.relu(x, av, semantics="strict")
    first = h.grad((plain * g).sum(), x)
    grad_leaky = h.grad((leaky * g).sum(), x)
    grad_prelu_x, grad_prelu_a = h.grad((prelu * g).sum(), [x, a])
    grad_vec_x, grad_vec_a = h.grad((per_element * g).sum(), [x, av])

    def second(first: Any, wrt: Any) -> Any:  # d/dalpha does not depend on alpha: "ignore"
        return h.grad((first * g).sum(), wrt, disconnected_inputs="ignore")

    outputs = {
        "fwd": plain,
        "grad": h.grad(plain.sum(), x),
        "grad_g": first,
        "rop": h.rop(plain, x, g),
        "second": h.grad((first * g).sum(), x),
        "fwd_leaky": leaky,
        "grad_leaky_g": grad_leaky,
        "second_leaky": second(grad_leaky, x),
        "fwd_prelu": prelu,
        "grad_prelu_x": grad_prelu_x,
        "grad_prelu_a": grad_prelu_a,
        "second_prelu_x": second(grad_prelu_x, x),
        "second_prelu_a": second(grad_prelu_a, a),
        "fwd_vec": per_element,
        "grad_vec_x": grad_vec_x,
        "grad_vec_a": grad_vec_a,
        "second_vec_x": second(grad_vec_x, x),
        "second_vec_a": second(grad_vec_a, av),
        "rop_vec": h.rop(per_element, [x, av], [g, ev_a]),
        "rop_vec_a_only": h.rop(per_element, av, ev_a),
    }
    function = h.function([x, g, a, av, ev_a], list(outputs.values()))
    xv = float_edges(dtype)
    values = function(
        xv, upstream(xv), np.asarray(0.3, dtype), slopes(xv), upstream(xv)[::-1].copy()
    )
    return dict(zip(outputs, values))


# Inductor, under the PyTorch linker, computes float16 in float32 inside a fused kernel and
# rounds only what it stores: d/dalpha's products g * x do not overflow before its sum there
# (-65504 * -3 stays finite), so the sum is -inf where float16 products give NaN.
WIDENS_FLOAT16 = {"pytorch"}
# torch.sign(NaN) is 0, where NumPy's is NaN: PyTensor's PyTorch linker runs Sign as
# torch.sign, so the gradient of abs, and of Theano's 0.5 * (x + abs(x)), is finite at NaN.
SIGN_OF_NAN_IS_ZERO = {"pytorch"}


def as_computed(h: Harness, oracle: Any, *arrays: np.ndarray) -> np.ndarray:
    """``oracle(*arrays)``, in float32 rounded to float16 where the linker widens float16."""
    dtype = np.asarray(arrays[0]).dtype
    if h.linker not in WIDENS_FLOAT16 or dtype != np.float16:
        return oracle(*arrays)
    return oracle(*(np.asarray(a, "float32") for a in arrays)).astype(dtype)


def edges(h: Harness, dtype: str) -> np.ndarray:
    return flushed(h, float_edges(dtype))


class expect:
    """The strict oracles, on the values this linker computes with."""

    @staticmethod
    def forward(h: Harness, x: np.ndarray, alpha: Any = 0) -> np.ndarray:
        return flushed(h, oracle.strict_forward(x, alpha))

    @staticmethod
    def grad_x(h: Harness, x: np.ndarray, g: np.ndarray, alpha: Any = 0) -> np.ndarray:
        return flushed(h, oracle.strict_grad_x(x, g, alpha))

    @staticmethod
    def grad_alpha(h: Harness, x: np.ndarray, g: np.ndarray, alpha: np.ndarray) -> np.ndarray:
        return flushed(h, oracle.strict_grad_alpha(x, g, alpha))


def check(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    assert same_bits(actual, expected), f"{what}:{describe(actual, expected)}"


def check_gradient(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    # Rewriters (switch sinking) and numba's fastmath (nsz) choose the sign of a zero.
    assert same_bits(actual, expected, signed_zeros=False), f"{what}:{describe(actual, expected)}"


@pytest.mark.parametrize("dtype", FLOATS)
class TestStrictFloats:
    def test_forward(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        check(strict(h, dtype)["fwd"], expect.forward(h, x), "relu(x)")

    def test_edges_spelled_out(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        fwd = strict(h, dtype)["fwd"]
        assert fwd.dtype == dtype
        for value in (-np.inf, -1.0, -0.0, 0.0):
            hits = fwd[(x == value) & (np.signbit(x) == np.signbit(value))]
            assert hits.size and (hits == 0).all() and not np.signbit(hits).any(), value
        assert np.isnan(fwd[np.isnan(x)]).all()
        assert (fwd[x == np.inf] == np.inf).all()
        tiny = np.nextafter(np.zeros((), dtype), np.ones((), dtype))
        if h.linker not in FLUSHES_DENORMALS:
            assert same_bits(fwd[float_edges(dtype) == tiny], np.array([tiny], dtype))
        biggest = np.finfo(dtype).max
        assert same_bits(fwd[x == biggest], np.array([biggest], dtype))  # no overflow

    def test_gradient_of_sum_is_the_mask(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        grad = strict(h, dtype)["grad"]
        check(grad, expect.grad_x(h, x, np.ones_like(x)), "grad(sum(relu(x)))")
        assert (grad[x == 0] == 0).all() and (grad[np.isnan(x)] == 0).all()

    def test_gradient_with_upstream(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        check_gradient(
            strict(h, dtype)["grad_g"], expect.grad_x(h, x, upstream(x)), "grad(sum(relu(x)*g))"
        )

    def test_rop_matches_the_gradient(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        check_gradient(
            strict(h, dtype)["rop"], expect.grad_x(h, x, upstream(x)), "Rop(relu(x), x, g)"
        )

    def test_second_derivative_is_zero(self, h, dtype):
        need(h, dtype)
        second = strict(h, dtype)["second"]
        assert second.shape == float_edges(dtype).shape
        assert (second == 0).all()

    @pytest.mark.parametrize("which", ["leaky", "prelu_x", "prelu_a", "vec_x", "vec_a"])
    def test_second_derivative_with_alpha_is_zero(self, h, dtype, which):
        # Theano's OpFromGraph rejected the disconnected gradient of d/dalpha in d2/dx2.
        need(h, dtype)
        second = strict(h, dtype)["second_" + which]
        assert second.shape == (() if which == "prelu_a" else float_edges(dtype).shape)
        assert (second == 0).all(), second

    def test_python_alpha(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        check(strict(h, dtype)["fwd_leaky"], expect.forward(h, x, 0.3), "relu(x, 0.3)")
        check_gradient(
            strict(h, dtype)["grad_leaky_g"],
            expect.grad_x(h, x, upstream(x), 0.3),
            "its gradient",
        )

    def test_symbolic_scalar_alpha(self, h, dtype):
        need(h, dtype)
        x, alpha = edges(h, dtype), np.asarray(0.3, dtype)
        got = strict(h, dtype)
        check(got["fwd_prelu"], expect.forward(h, x, alpha), "relu(x, a)")
        check_gradient(got["grad_prelu_x"], expect.grad_x(h, x, upstream(x), alpha), "d/dx")
        # A sum over x: its rounding depends on the backend's summation order.
        want = as_computed(h, lambda *v: expect.grad_alpha(h, *v), x, upstream(x), alpha)
        if h.linker != "jax":  # PyTensor's JAX Sum returns its accumulator dtype (float32 ->
            assert got["grad_prelu_a"].dtype == want.dtype  # float64) for any sum: its bug
        np.testing.assert_allclose(
            got["grad_prelu_a"], want, rtol=1e-2 if dtype == "float16" else 1e-5
        )

    def test_tensor_alpha(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        alpha = slopes(x)
        got = strict(h, dtype)
        check(got["fwd_vec"], expect.forward(h, x, alpha), "relu(x, alpha_vector)")
        check_gradient(got["grad_vec_x"], expect.grad_x(h, x, upstream(x), alpha), "d/dx")
        check_gradient(got["grad_vec_a"], expect.grad_alpha(h, x, upstream(x), alpha), "d/dalpha")

    def test_rop_with_respect_to_x_and_alpha(self, h, dtype):
        need(h, dtype)
        x = edges(h, dtype)
        alpha, ev_x, ev_a = slopes(x), upstream(x), upstream(x)[::-1]
        along_alpha = expect.grad_alpha(h, x, ev_a, np.zeros_like(x))  # ev_a * (x if x <= 0 else 0)
        got = strict(h, dtype)
        check_gradient(got["rop_vec_a_only"], along_alpha, "Rop along alpha")

        def both_ways(x, ev_x, ev_a, alpha):  # one rounding where the linker widens float16
            along = expect.grad_alpha(h, x, ev_a, np.zeros_like(x))
            return expect.grad_x(h, x, ev_x, alpha) + along

        both = as_computed(h, both_ways, x, ev_x, ev_a, alpha)
        np.testing.assert_array_equal(got["rop_vec"], both)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_theano_semantics_keep_their_warts(h, dtype):
    # Under every linker: -inf gives NaN, 0 gives +0, the gradient is 0.5 at 0 and NaN at
    # NaN. The overflow near the max is the default linker's (the golden file checks its
    # bits): Theano's own py linker computes float32 Composites in double and does not
    # overflow, so other linkers are not held to it.
    x = h.var(dtype)
    y = relucompat.relu(x, semantics="theano")
    edges = float_edges(dtype)
    fwd, grad = h.function([x], [y, h.grad(y.sum(), x)])(edges)
    want = flushed(h, oracle.theano_forward(flushed(h, edges)))
    if h.linker != "default":
        keep = np.abs(edges.astype("float64")) <= np.finfo(dtype).max / 4
        fwd, want = fwd[keep], want[keep]
    assert same_bits(fwd, want, nan_payloads=False), describe(fwd, want)
    assert (grad[flushed(h, edges) == 0] == 0.5).all()
    if h.linker in SIGN_OF_NAN_IS_ZERO:
        assert (grad[np.isnan(edges)] == 0.5).all()
    else:
        assert np.isnan(grad[np.isnan(edges)]).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_theano_rop_and_second_derivative_work(h, dtype):
    # Values are the golden file's business; here: both derivatives build, compile and agree.
    x, g = h.var(dtype), h.var(dtype)
    y = relucompat.relu(x, semantics="theano")
    first = h.grad((y * g).sum(), x)
    rop, grad, second = h.function([x, g], [h.rop(y, x, g), first, h.grad(first.sum(), x)])(
        float_edges(dtype), upstream(float_edges(dtype))
    )
    np.testing.assert_allclose(rop, grad)
    assert second.shape == grad.shape and (second[~np.isnan(second)] == 0).all()


# torch has few operators for unsigned integers wider than 8 bits, and PyTensor's PyTorch
# linker meets their limits: torch's type promotion refuses bool with uint16, uint32 and
# uint64 (strict's switch), and Inductor's C++ for abs of uint32 and uint64 does not compile
# ("call of overloaded 'abs(unsigned int&)' is ambiguous"; theano's leaky relu).
TORCH_CANNOT = {"strict": ("uint16", "uint32", "uint64"), "theano": ("uint32", "uint64")}


def compiles_integers(h: Harness, semantics: str, dtype: str) -> bool:
    return h.linker != "pytorch" or dtype not in TORCH_CANNOT[semantics]


@functools.lru_cache(maxsize=None)
def integers(h: Harness, semantics: str) -> dict:
    xs = {dtype: h.var(dtype) for dtype in INTS if compiles_integers(h, semantics, dtype)}
    outputs = []
    for x in xs.values():
        outputs += [
            relucompat.relu(x, semantics=semantics),
            relucompat.relu(x, 0.3, semantics=semantics),
        ]
    values = h.function(list(xs.values()), outputs)(*(int_edges(d) for d in xs))
    return {dtype: (values[2 * i], values[2 * i + 1]) for i, dtype in enumerate(xs)}


def need_integers(h: Harness, semantics: str, dtype: str) -> None:
    if not compiles_integers(h, semantics, dtype):
        pytest.skip(f"torch cannot compute {semantics} relu of {dtype} (TORCH_CANNOT)")


@pytest.mark.parametrize("dtype", INTS)
def test_strict_integers_keep_their_dtype(h, dtype):
    need_integers(h, "strict", dtype)
    plain, leaky = integers(h, "strict")[dtype]
    x = int_edges(dtype)
    check(plain, oracle.strict_forward(x), f"relu({dtype})")
    check(leaky, oracle.strict_forward(x, 0.3), f"relu({dtype}, 0.3)")


@pytest.mark.parametrize("dtype", INTS)
def test_theano_integers_wrap_as_theano_did(h, dtype):
    # Theano's C summed x + abs(x) in x's dtype: int8 100 gives -28. Where relucompat builds
    # the graph, every linker must wrap so (test_golden.py runs only the default one): numba
    # in PyTensor 2.38 and 3.0 summed 8- to 32-bit integers in int64, and PyTensor 3.3's py
    # linker raised OverflowError on uint8.
    if h.linker == "default":
        pytest.skip("test_golden.py checks these against Theano 1.0.5's own outputs")
    route = relucompat.explain(h.var(dtype), semantics="theano")
    if route.formulation == "native" and h.linker == "py":
        pytest.skip("Theano's own relu, under the py linker, sums integers as Python ints: no wrap")
    need_integers(h, "theano", dtype)
    plain, _ = integers(h, "theano")[dtype]
    check(plain, oracle.theano_forward(int_edges(dtype)), f"relu({dtype})")


def test_strict_uint8_is_not_int16(h):
    # A naive switch(x <= 0, 0, x) promotes uint8 to int16 through the int8 constant.
    y = relucompat.relu(h.var("uint8"), semantics="strict")
    assert y.dtype == "uint8"


@pytest.mark.parametrize("semantics", ["theano", "strict"])
@pytest.mark.parametrize("dtype", ["bool", "complex64", "complex128"])
def test_bool_and_complex_are_rejected(h, semantics, dtype):
    why = "bool" if dtype == "bool" else "complex"
    with pytest.raises(TypeError, match=why):
        relucompat.relu(h.var(dtype), semantics=semantics)
    with pytest.raises(TypeError, match=why):
        relucompat.relu(np.zeros(3, dtype=dtype), semantics=semantics)


@pytest.mark.parametrize("semantics", ["theano", "strict"])
def test_verify_grad_away_from_the_kink(h, semantics):
    # CI time: each linker compiled about 17 graphs of its own for this; the gradients'
    # values are checked under every linker against the oracles and Theano's bits.
    one_linker(h, "finite differences check the symbolic gradient")
    rng = np.random.RandomState(0)
    x = rng.uniform(0.1, 2.0, (3, 4)) * rng.choice([-1.0, 1.0], (3, 4))
    alpha = rng.uniform(0.1, 0.5, (4,))
    h.verify_grad(lambda v: relucompat.relu(v, semantics=semantics), [x])
    h.verify_grad(lambda v, a: relucompat.relu(v, a, semantics=semantics), [x, alpha])


@pytest.mark.parametrize("semantics", ["theano", "strict"])
def test_numbers_and_arrays_become_constants_of_the_backend(h, semantics):
    relucompat.use(h.loaded.distribution.name)
    y = relucompat.relu(np.array([-1.0, 2.0]), semantics=semantics)
    assert h.loaded.backend.owns(y)
    assert h.function([], [y])()[0].tolist() == [0.0, 2.0]
    scalar = relucompat.relu(-3.5, semantics=semantics)
    assert h.function([], [scalar])()[0] == 0


def test_shared_variables_and_constants_are_inputs(h):
    shared = h.B.shared(np.array([-2.0, 3.0]))
    constant = h.T.constant(np.array([-2.0, 3.0]))
    for x in (shared, constant):
        for semantics in ("theano", "strict"):
            y = relucompat.relu(x, semantics=semantics)
            assert h.function([], [y])()[0].tolist() == [0.0, 3.0]
