"""``theano.scan`` in the legacy namespace: Theano 1.0.5's keywords and ``(outputs, updates)``
on every backend, without the backend's warnings about that API, and random streams drawn
inside the loop advancing per step and per call.

On py38-theano and py39-theanopymc, Theano's scan imports ``pkg_resources``: these tests need
setuptools in those envs.
"""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np
import pytest
from harness import draws_random

import relucompat

ALL_LINKERS = True
THEANO_KEYWORDS = [
    "fn",
    "sequences",
    "outputs_info",
    "non_sequences",
    "n_steps",
    "truncate_gradient",
    "go_backwards",
    "mode",
    "name",
    "profile",
    "allow_gc",
    "strict",
    "return_list",
]
STEPS, WIDTH = 6, 200


def build(h):
    """Three scans: a running sum, the same with return_list, and dropout masks per step."""
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T
    from relucompat.legacy.sandbox.rng_mrg import MRG_RandomStreams
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    floatx = theano.config.floatX
    xs, scale = T.matrix("xs", dtype=floatx), T.scalar("scale", dtype=floatx)
    sums, sum_updates = theano.scan(
        fn=lambda x, total, s: total + s * x,
        sequences=[xs],
        outputs_info=[T.zeros_like(xs[0])],
        non_sequences=[scale],
        name="running_sum",
    )
    backwards, _ = theano.scan(
        lambda x: 2 * x, sequences=xs, go_backwards=True, return_list=True, strict=False
    )
    mrg, streams = MRG_RandomStreams(7), RandomStreams(7)

    def step(mask_prev, noise_prev):
        mask = mrg.binomial(size=mask_prev.shape, p=0.5, dtype=floatx)
        noise = streams.binomial(size=noise_prev.shape, n=1, p=0.5, dtype=floatx)
        return [mask_prev * 0 + mask, noise_prev * 0 + noise]

    start = T.zeros((WIDTH,), dtype=floatx)
    (masks, noises), updates = theano.scan(step, outputs_info=[start, start], n_steps=STEPS)
    return (xs, scale), [sums, backwards[0], masks, noises], sum_updates, updates


@functools.lru_cache(maxsize=None)
def compiled(h):
    if h.linker == "c":
        pytest.skip("Scan has no C code: the pure C linker compiles no scan (see below)")
    draws_random(h)  # the scan draws masks from both streams
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs, outputs, sum_updates, updates = build(h)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The RandomType SharedVariables", UserWarning)
        f = h.B.function(inputs, outputs, updates=updates, mode=h.mode(), on_unused_input="ignore")
    # The backend's warnings about the API a Theano script uses (other deprecations, such
    # as those of modules its compile cache imports, are not the script's concern).
    api = ("return_updates", "`mode` argument", "default_update", "RandomStream is deprecated")
    return f, sum_updates, [w for w in caught if any(a in str(w.message) for a in api)]


def test_scan_has_theanos_signature():
    import relucompat.legacy as theano
    from relucompat.legacy.scan_module import scan

    assert theano.scan is scan
    assert list(inspect.signature(scan).parameters) == THEANO_KEYWORDS


def test_scan_returns_outputs_and_updates_without_warnings(h):
    f, sum_updates, deprecations = compiled(h)
    assert not deprecations, [str(w.message) for w in deprecations]
    assert len(sum_updates) == 0 and hasattr(sum_updates, "items")  # Theano's OrderedUpdates
    xs = np.arange(12.0).reshape(4, 3).astype(h.B.config.floatX)
    sums, backwards, _, _ = f(xs, 0.5)
    np.testing.assert_allclose(sums, 0.5 * np.cumsum(xs, axis=0), rtol=1e-6)
    np.testing.assert_allclose(backwards, 2 * xs[::-1], rtol=1e-6)


def test_streams_inside_scan_draw_new_masks_per_step_and_per_call(h):
    f, _, _ = compiled(h)
    xs = np.ones((2, 3), dtype=h.B.config.floatX)
    first, second = f(xs, 1.0)[2:], f(xs, 1.0)[2:]
    for a, b in zip(first, second):
        assert a.shape == (STEPS, WIDTH)
        assert set(np.unique(a)) <= {0.0, 1.0}
        assert 0.3 < a.mean() < 0.7  # p = 0.5, over 1200 draws
        assert all(not np.array_equal(a[i], a[i + 1]) for i in range(STEPS - 1)), "per step"
        assert not np.array_equal(a, b), "per call"


def test_the_pure_c_linker_refuses_scan_as_in_theano(h):
    """Theano's Scan op, and its successors', has no C code (the default linker runs it
    through its own compiled loop): ``Mode(linker="c")`` refuses any scan."""
    if h.linker != "c":
        pytest.skip("other linkers run Scan")
    relucompat.use(h.loaded.distribution.name)
    import relucompat.legacy as theano
    from relucompat.legacy import tensor as T

    xs = T.matrix("xs")
    sums, _ = theano.scan(lambda x, t: t + x, sequences=[xs], outputs_info=[T.zeros_like(xs[0])])
    with pytest.raises(Exception) as caught:
        h.function([xs], [sums])
    # Theano 1.0.5's CLinker asks Scan for C parameters it does not have: AttributeError.
    assert type(caught.value).__name__ in ("NotImplementedError", "AttributeError")
