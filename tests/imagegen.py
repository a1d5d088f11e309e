"""Reproducible test images shared by the test modules (import: ``from imagegen import ...``)."""
from __future__ import annotations

import numpy as np

#: Shapes every kernel is checked on: degenerate, thin, odd, and page-like.
SHAPES = [(1, 1), (1, 2), (2, 1), (1, 37), (37, 1), (3, 3), (5, 7), (16, 16), (31, 64), (127, 93), (240, 321)]

def random_image(rng, shape, kind="uniform"):
    """Random uint8 image: ``uniform`` noise, ``smooth`` gradients + noise, or ``doc`` (dark strokes on light)."""
    h, w = shape
    if kind == "uniform":
        return rng.integers(0, 256, shape, dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    base = 128 + 60 * np.sin(xx / 7.0) * np.cos(yy / 11.0)
    if kind == "smooth":
        return np.clip(base + rng.normal(0, 12, shape), 0, 255).astype(np.uint8)
    if kind == "doc":
        page = np.clip(200 + 20 * np.sin(xx / 50.0) + rng.normal(0, 6, shape), 0, 255)
        strokes = rng.random(shape) < 0.02
        page[strokes] = rng.integers(10, 80, strokes.sum())
        return page.astype(np.uint8)
    raise ValueError(kind)
