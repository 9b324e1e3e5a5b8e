"""The synthetic dataset of the legacy end-to-end test: three Gaussian blobs, float64."""

from __future__ import annotations

import numpy as np

SEED = 0


def write(path: str) -> str:
    rng = np.random.RandomState(SEED)
    centers = np.array([[2.0, 0.0, 0.0, 1.0], [-2.0, 1.0, 0.0, 0.0], [0.0, -2.0, 1.5, -1.0]])
    y = rng.randint(0, len(centers), 400)
    x = centers[y] + rng.standard_normal((400, centers.shape[1]))
    np.savez(path, x=x, y=y.astype("float64"))
    return path
