"""Theano's random streams in the legacy namespace: ``theano.sandbox.rng_mrg.MRG_RandomStreams``
and ``theano.tensor.shared_randomstreams.RandomStreams``.

Their numbers differ from Theano's by design (other generators), so the tests check what a
script relies on: each distribution's mean and variance within 4 standard errors of a
fixed sample, exact draws at p = 0 and p = 1, dtypes and shapes (a symbolic size
included), reseeding, and the state advancing on every call. One compiled function per
linker draws every case at once.
"""

from __future__ import annotations

import functools
import importlib
import warnings

import numpy as np
import pytest
from harness import draws_random

import relucompat

ALL_LINKERS = True
N = 4000  # draws per moment check
ROWS = 800  # rows of the row-wise cases (multinomial, choice, permutation)


def streams():
    from relucompat.legacy.sandbox.rng_mrg import MRG_RandomStreams
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    return MRG_RandomStreams(1234), RandomStreams(42)


def cases(m, r, x, floatx):
    """{name: (variable, check)}: every draw the module checks, on both streams."""
    return {
        "mrg uniform": (m.uniform((N,), low=-1.0, high=3.0), moments(1.0, 16 / 12, floatx)),
        "mrg binomial x.shape": (
            m.binomial(x.shape, p=0.3, dtype=floatx),
            moments(0.3, 0.21, floatx, shape=(50, 80)),
        ),
        "mrg binomial p=0": (m.binomial((N,), p=0.0), exactly(0, "int64")),
        "mrg binomial p=1": (m.binomial((N,), p=1.0, dtype="int8"), exactly(1, "int8")),
        "mrg normal": (m.normal((N,), avg=2.0, std=3.0), moments(2.0, 9.0, floatx)),
        "mrg normal odd": (m.normal((3, 5)), shaped((3, 5), floatx)),
        "mrg uniform float32": (m.uniform((N,), dtype="float32"), moments(0.5, 1 / 12, "float32")),
        "mrg multinomial": (
            m.multinomial(pvals=np.tile([0.2, 0.3, 0.5], (ROWS, 1)), n=3),
            counts(3, [0.2, 0.3, 0.5]),
        ),
        "mrg choice": (
            m.choice(size=2, replace=False, p=np.tile([0.1, 0.2, 0.7], (ROWS, 1))),
            without_replacement([0.1, 0.2, 0.7], 2),
        ),
        "uniform": (r.uniform((N,), 1.0, 3.0), moments(2.0, 4 / 12, floatx)),
        "normal": (r.normal((N,), -1.0, 0.5), moments(-1.0, 0.25, floatx)),
        "normal x.shape": (r.normal(x.shape, dtype="float32"), shaped((50, 80), "float32")),
        "binomial": (r.binomial((N,), 1, 0.3), moments(0.3, 0.21, "int64")),
        "binomial n=5": (r.binomial((N,), 5, 0.4, dtype="int32"), moments(2.0, 1.2, "int32")),
        "binomial p=0": (r.binomial((N,), 1, 0.0), exactly(0, "int64")),
        "binomial p=1": (r.binomial((N,), 3, 1.0), exactly(3, "int64")),
        "random_integers": (r.random_integers((N,), 2, 4), moments(3.0, 2 / 3, "int64")),
        "choice": (r.choice((N,), 5), moments(2.0, 2.0, "int64")),
        "choice p": (r.choice((N,), 3, True, [0.2, 0.3, 0.5]), moments(1.3, 0.61, "int64")),
        "choice no replace": (r.choice((4,), 4, False), permutation_of(4)),
        "permutation": (r.permutation((ROWS,), 5), permutation_of(5)),
        "multinomial": (r.multinomial((ROWS,), 4, [0.2, 0.8]), counts(4, [0.2, 0.8])),
        "shuffle_row_elements": (r.shuffle_row_elements(x), shuffled_rows),
    }


def moments(mean, var, dtype, shape=(N,)):
    def check(sample):
        assert sample.dtype == dtype and sample.shape == shape, (sample.dtype, sample.shape)
        within_4_sigma(sample.ravel().astype("float64"), mean, var)

    return check


def within_4_sigma(sample, mean, var):
    n = sample.size
    centered = sample - sample.mean()
    m4 = np.mean(centered**4)
    assert abs(sample.mean() - mean) < 4 * np.sqrt(var / n), (sample.mean(), mean)
    assert abs(sample.var() - var) < 4 * np.sqrt(max(m4 - var**2, 1e-12) / n), (sample.var(), var)


def exactly(value, dtype):
    def check(sample):
        assert sample.dtype == dtype and sample.shape == (N,)
        assert np.all(sample == value)

    return check


def shaped(shape, dtype):
    def check(sample):
        assert sample.dtype == dtype and sample.shape == shape

    return check


def counts(n, p):
    def check(sample):
        assert sample.dtype == "int64" and sample.shape == (ROWS, len(p))
        assert np.all(sample.sum(axis=1) == n)
        for k, pk in enumerate(p):
            within_4_sigma(sample[:, k].astype("float64"), n * pk, n * pk * (1 - pk))

    return check


def without_replacement(p, size):
    def check(sample):
        assert sample.dtype == "int64" and sample.shape == (ROWS, size)
        assert np.all(sample[:, 0] != sample[:, 1])
        for k, pk in enumerate(p):  # the first pick follows p
            within_4_sigma((sample[:, 0] == k).astype("float64"), pk, pk * (1 - pk))

    return check


def permutation_of(n):
    def check(sample):
        assert sample.dtype == "int64" and sample.shape[-1] == n
        assert np.all(np.sort(sample, axis=-1) == np.arange(n))

    return check


X = np.arange(4000.0).reshape(50, 80)


def shuffled_rows(sample):
    assert sample.shape == X.shape
    assert np.array_equal(np.sort(sample, axis=1), X)
    assert not np.array_equal(sample, X)


@functools.lru_cache(maxsize=None)
def compiled(h):
    draws_random(h)
    relucompat.use(h.loaded.distribution.name)
    from relucompat.legacy import tensor as T

    floatx = h.B.config.floatX
    m, r = streams()
    x = T.matrix("x", dtype=floatx)
    named = cases(m, r, x, floatx)
    if h.linker == "c":
        # Only the backend's own MRG op has C code (see the pure C linker test below), and
        # its normal() aborts the process under it (an assert in Theano's generated C).
        native = m.__class__.__module__.startswith(h.name)
        named = {
            name: case
            for name, case in named.items()
            if native and name.startswith("mrg") and "normal" not in name
        }
        if not named:
            pytest.skip("no draw of this backend compiles under the pure C linker")
    with warnings.catch_warnings():
        # PyTensor's JAX linker copies shared RNGs into the compiled function, and says so.
        warnings.filterwarnings("ignore", "The RandomType SharedVariables", UserWarning)
        f = h.function([x], [variable for variable, _ in named.values()])
    return f, named, (m, r), X.astype(floatx)


def test_every_distribution_under_every_linker(h):
    f, named, _, x = compiled(h)
    for (name, (_, check)), sample in zip(named.items(), f(x)):
        try:
            check(np.asarray(sample))
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None


def test_the_state_advances_on_every_call_and_seed_restarts_it(h):
    f, named, (m, r), x = compiled(h)
    first, second = f(x), f(x)
    for name, a, b in zip(named, first, second):
        if "p=" not in name and "odd" not in name and "no replace" not in name:
            assert not np.array_equal(a, b), f"{name} did not advance"
    if h.linker == "jax":
        return  # PyTensor's JAX linker draws from its own copy of each RNG: seed() cannot reach it
    replays = []
    for _ in range(2):
        m.seed()
        r.seed()
        replays.append(f(x))
    for name, a, b in zip(named, *replays):
        assert np.array_equal(a, b), f"{name} is not reproduced by seed()"


def test_the_classes_are_the_backends_own_where_it_has_them(h):
    relucompat.use(h.loaded.distribution.name)
    from relucompat.legacy.sandbox.rng_mrg import MRG_RandomStreams
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    try:
        with warnings.catch_warnings():  # deprecated where it is still there
            warnings.simplefilter("ignore")
            native = importlib.import_module(f"{h.name}.sandbox.rng_mrg")
    except ImportError:
        native = None
    own = getattr(native, "MRG_RandomStreams", None) or getattr(native, "MRG_RandomStream", None)
    assert MRG_RandomStreams is (own or MRG_RandomStreams)
    assert MRG_RandomStreams.__module__.startswith(h.name if own else "relucompat.legacy")
    real = h.loaded.distribution.name == "theano"  # Theano 1.0.5, not Theano-PyMC
    assert RandomStreams.__module__.startswith("theano" if real else "relucompat.legacy")


def test_the_pure_c_linker_cannot_run_random_streams_as_in_theano(h):
    """Theano's ``RandomStreams`` draws with a Python-only op, as every backend's
    ``tensor.random`` does: ``Mode(linker="c")`` refuses them (the default linker runs them
    next to C code)."""
    if h.linker != "c":
        pytest.skip("other linkers run Python-only ops")
    relucompat.use(h.loaded.distribution.name)
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    with pytest.raises(Exception) as caught:
        h.function([], [RandomStreams(1).uniform((3,))])
    assert type(caught.value).__name__ in ("NotImplementedError", "MethodNotDefined")


BAD = [
    ("binomial", {"size": (3,), "p": 1.5}, ValueError, r"p=1\.5 is not a probability"),
    ("binomial", {"size": (3,), "p": -0.1}, ValueError, r"p=-0\.1 is not a probability"),
    ("binomial", {"size": "abc"}, TypeError, r"size='abc' is not a shape: it must be None, an int"),
    ("uniform", {"size": 2.5}, TypeError, r"size=2\.5 is not a shape"),
    ("normal", {"size": (2, -1)}, ValueError, r"size=\(2, -1\) has a negative dimension"),
    ("binomial", {"size": (3,), "dtype": "int65"}, TypeError, r"dtype='int65' is not one of bool"),
    ("uniform", {"size": (3,), "dtype": "int32"}, TypeError, r"is not one of float16, float32"),
]


@pytest.mark.parametrize("method, kwargs, error, message", BAD)
def test_bad_input_is_a_clear_error(h, method, kwargs, error, message):
    """The built streams check their input before any backend does (Theano's own classes,
    on Theano, keep Theano's checks)."""
    relucompat.use(h.loaded.distribution.name)
    from relucompat.legacy.sandbox import rng_mrg
    from relucompat.legacy.tensor import shared_randomstreams

    for built in (rng_mrg._MRG_RandomStreams(), shared_randomstreams._RandomStreams()):
        with pytest.raises(error, match=message):
            getattr(built, method)(**kwargs)


def test_mrg_seeds_are_checked_as_in_theano(h):
    from relucompat.legacy.sandbox import rng_mrg

    for seed, error in ((0, ValueError), ((1, 2, 3), TypeError), ((0, 0, 0, 1, 1, 1), ValueError)):
        with pytest.raises(error, match="MRG_RandomStreams: seed="):
            rng_mrg._MRG_RandomStreams(seed)
