"""Grey-level histogram."""
from __future__ import annotations

import numpy as np

from . import _checks
from ._histogram import histogram_band
from ._parallel import run_bands

__all__ = ["histogram"]


def histogram(img, *, out=None, threads=None) -> np.ndarray:
    """Count the pixels of each grey level of a uint8 image.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides (views, transposes, read-only arrays).
    out : (256,) int64 ndarray, optional
        Destination of the counts (overwritten, not added to); any strides.
        It is returned.
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (256,) int64 ndarray
        ``hist[v]`` is the number of pixels equal to ``v``; sums to ``img.size``.
        ``out`` when given.

    Raises
    ------
    ImageTypeError
        If ``img`` is not a uint8 numpy array, or ``out`` is not an int64 array.
    InvalidImageError
        If ``img`` is not 2-D or is empty, or ``out`` does not have shape
        (256,) or is read-only.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[0, 0, 7], [255, 7, 7]], dtype=np.uint8)
    >>> h = ocrprep.histogram(img)
    >>> int(h[0]), int(h[7]), int(h[255]), int(h.sum())
    (2, 3, 1, 6)
    >>> counts = np.empty(256, np.int64)
    >>> ocrprep.histogram(img, out=counts) is counts, int(counts[7])
    (True, 3)
    """
    img = _checks.image2d(img, contiguous=False)
    out = _checks.array_output(out, (256,), np.int64)
    nthreads = _checks.threads(threads, img.size)

    def band(y0, y1):
        part = np.zeros(256, dtype=np.int64)
        histogram_band(img, part, y0, y1)
        return part

    parts = run_bands(band, img.shape[0], nthreads, min_rows=64)
    hist = parts[0] if len(parts) == 1 else np.sum(parts, axis=0, dtype=np.int64)
    if out is None:
        return hist
    out[...] = hist  # after every read of img: correct even if out shares its memory
    return out
