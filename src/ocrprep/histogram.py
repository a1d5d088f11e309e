"""Grey-level histogram."""
from __future__ import annotations

import numpy as np

from . import _checks
from ._histogram import histogram_band
from ._parallel import run_bands

__all__ = ["histogram"]


def histogram(img, *, threads=None) -> np.ndarray:
    """Count the pixels of each grey level of a uint8 image.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides (views, transposes, read-only arrays).
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (256,) int64 ndarray
        ``hist[v]`` is the number of pixels equal to ``v``; sums to ``img.size``.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[0, 0, 7], [255, 7, 7]], dtype=np.uint8)
    >>> h = ocrprep.histogram(img)
    >>> int(h[0]), int(h[7]), int(h[255]), int(h.sum())
    (2, 3, 1, 6)
    """
    img = _checks.image2d(img, contiguous=False)
    nthreads = _checks.threads(threads, img.size)

    def band(y0, y1):
        part = np.zeros(256, dtype=np.int64)
        histogram_band(img, part, y0, y1)
        return part

    parts = run_bands(band, img.shape[0], nthreads, min_rows=64)
    if len(parts) == 1:
        return parts[0]
    return np.sum(parts, axis=0, dtype=np.int64)
