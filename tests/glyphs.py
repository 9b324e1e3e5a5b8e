"""The synthetic images of the legacy convnet test: three kinds of 16x16 glyphs
(horizontal bars, vertical bars, a diagonal), shifted and noisy, flattened, float64."""

from __future__ import annotations

import numpy as np

SEED = 0
SIDE = 16


def write(path: str, count: int = 200) -> str:
    rng = np.random.RandomState(SEED)
    y = rng.randint(0, 3, count)
    x = 0.3 * rng.standard_normal((count, SIDE, SIDE))
    for image, kind in zip(x, y):
        at = rng.randint(2, SIDE - 2)
        if kind == 0:
            image[at - 1 : at + 1, :] += 1.0
        elif kind == 1:
            image[:, at - 1 : at + 1] += 1.0
        else:
            image += np.eye(SIDE, k=at - SIDE // 2)
    np.savez(path, x=x.reshape(count, SIDE * SIDE), y=y.astype("float64"))
    return path
