"""The built conv's ops a chunk of images at a time (``_conv_chunks``): the loops alone
here; test_legacy_conv.py runs the ops in chunks under every linker against Theano 1.0.5."""

from __future__ import annotations

import numpy as np
import pytest

from relucompat.legacy.tensor.nnet import _conv_chunks


def images_and_gradient(batch: int) -> tuple:
    rng = np.random.default_rng(batch)
    return (
        rng.uniform(-1, 1, (batch, 2, 3)),
        rng.uniform(-1, 1, (4,)),
        rng.uniform(-1, 1, (batch, 5)),
    )


def reusing(function):  # a compiled function may hand back its own storage, call after call
    storage = {}

    def call(*inputs):
        value = function(*inputs)
        out = storage.setdefault(value.shape, np.empty_like(value))
        out[...] = value
        return [out]

    return call


def test_images_per_chunk_is_the_window_budget_over_one_images_windows():
    # LeNet's second layer: 20 channels x 5 x 5 taps by 8 x 8 positions, float32.
    assert _conv_chunks.images_per_chunk(4 << 20, 20, (5, 5), (8, 8), 4) == 32
    assert _conv_chunks.images_per_chunk(1, 20, (5, 5), (8, 8), 4) == 1


@pytest.mark.parametrize("batch, step", [(7, 3), (6, 3), (7, 1), (3, 3), (2, 5)])
def test_chunks_are_stacked_or_summed_in_order(batch, step):
    img, kern, out_grad = images_and_gradient(batch)
    calls = []

    def per_image(img, kern, out_grad):
        calls.append(len(img))
        return img.sum(axis=2) * kern[0] + out_grad[:, :2]

    stacked = _conv_chunks.in_chunks(False, step, reusing(per_image), [img, kern, out_grad])
    np.testing.assert_array_equal(stacked, img.sum(axis=2) * kern[0] + out_grad[:, :2])
    assert calls == [min(step, batch - start) for start in range(0, batch, step)]

    def filters_part(img, kern, out_grad):
        return kern * (img.sum() + out_grad.sum())

    summed = _conv_chunks.in_chunks(True, step, reusing(filters_part), [img, kern, out_grad])
    parts = [
        filters_part(img[start : start + step], kern, out_grad[start : start + step])
        for start in range(0, batch, step)
    ]
    want = parts[0].copy()
    for part in parts[1:]:
        want += part
    np.testing.assert_array_equal(summed, want)


def test_numba_loops_call_the_inner_function_on_slices():
    numba = pytest.importorskip("numba", reason="the numba loop is for numba's linkers")
    img, kern, out_grad = images_and_gradient(7)

    @numba.njit
    def sizes(img, kern):  # each image of the output says its chunk's size
        return np.full((img.shape[0], 2), img.shape[0] * 1.0) + kern[0] * 0

    @numba.njit
    def sizes3(img, kern, out_grad):
        return np.full((img.shape[0], 2), img.shape[0] * 1.0) + out_grad[0, 0] * 0

    @numba.njit
    def squares(img, kern, out_grad):  # the sum of the chunks' squared sizes
        return kern * 0 + img.shape[0] ** 2

    loop = _conv_chunks._numba_loop(numba.njit, sizes, 3, False, 2)
    np.testing.assert_array_equal(loop(img, kern)[:, 0], [3, 3, 3, 3, 3, 3, 1])
    loop = _conv_chunks._numba_loop(numba.njit, sizes3, 3, False, 3)
    np.testing.assert_array_equal(loop(img, kern, out_grad)[:, 1], [3, 3, 3, 3, 3, 3, 1])
    np.testing.assert_array_equal(loop(img[:2], kern, out_grad[:2])[:, 1], [2, 2])
    loop = _conv_chunks._numba_loop(numba.njit, squares, 3, True, 3)
    np.testing.assert_array_equal(loop(img, kern, out_grad), np.full(4, 9 + 9 + 1.0))
