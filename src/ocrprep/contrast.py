"""Contrast stretching: map a percentile range of grey levels onto 0..255."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from . import _checks
from ._contrast import lut_band
from ._parallel import run_bands
from .errors import InvalidParameterError
from .histogram import histogram

__all__ = ["contrast_stretch", "percentile_level", "stretch_table"]


def percentile_level(hist, pct) -> int:
    """The ``pct``-th percentile grey level of a 256-bin histogram.

    With ``N = hist.sum()`` pixels and ``C(v)`` the number of pixels ``<= v``,
    it is the smallest ``v`` with ``C(v) >= r``, where the rank
    ``r = max(1, ceil(pct * N / 100))`` is computed exactly (``pct`` taken
    as the exact binary value of the float).  In other words: the ``r``-th
    smallest pixel value.  ``pct = 0`` gives the darkest pixel, ``pct = 100``
    the lightest.  This is numpy's ``method="inverted_cdf"`` percentile,
    without its floating-point rounding of ``pct * N / 100``.
    """
    hist = np.asarray(hist)
    n = int(hist.sum())
    rank = max(1, math.ceil(Fraction(pct) * n / 100))
    return int(np.searchsorted(np.cumsum(hist), rank))


def stretch_table(lo: int, hi: int) -> np.ndarray:
    """Look-up table mapping ``lo -> 0`` and ``hi -> 255`` linearly, clipped.

    ``table[v] = round(255 * (v - lo) / (hi - lo))`` rounded half up, ``0``
    below ``lo`` and ``255`` above ``hi``; requires ``0 <= lo < hi <= 255``.
    """
    if not 0 <= lo < hi <= 255:
        raise InvalidParameterError(f"need 0 <= lo < hi <= 255, got lo={lo}, hi={hi}")
    v = np.clip(np.arange(256, dtype=np.int64), lo, hi) - lo
    span = hi - lo
    return ((v * 510 + span) // (2 * span)).astype(np.uint8)


def contrast_stretch(img, low_pct=1, high_pct=99, *, out=None, threads=None):
    """Stretch the grey levels between two percentiles over the full 0..255 range.

    The ``low_pct``-th and ``high_pct``-th percentile grey levels ``lo`` and
    ``hi`` are read from the histogram (:func:`ocrprep.histogram`).  Pixel
    ``v`` becomes ``round(255 * (v - lo) / (hi - lo))`` (rounded half up),
    clipped to 0..255: ``lo`` and the levels below it (at most
    ``low_pct`` % of the pixels lie strictly below ``lo``) become 0, ``hi``
    and the levels above it become 255.

    Percentile definition: with ``N`` pixels sorted by value, the ``p``-th
    percentile is the ``r``-th smallest value, ``r = max(1, ceil(p N / 100))``
    (exact arithmetic); equivalently the smallest grey level ``v`` such that
    at least ``p`` % of the pixels are ``<= v``.  ``p = 0`` is the minimum,
    ``p = 100`` the maximum.  This is numpy's
    ``np.percentile(img, p, method="inverted_cdf")``.

    If ``lo == hi`` (a flat image, or one where the percentile range holds
    a single grey level) there is nothing to stretch and a copy of ``img`` is
    returned.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides.
    low_pct, high_pct : float, optional
        Percentiles, ``0 <= low_pct < high_pct <= 100``.  Defaults 1 and 99.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself (in-place).
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (H, W) uint8 ndarray

    Raises
    ------
    InvalidParameterError
        If the percentiles are outside 0..100, not finite or not increasing.
    ParameterTypeError
        If a percentile is not a real number.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[100, 110, 120, 130, 140]], np.uint8)
    >>> ocrprep.contrast_stretch(img, 0, 100)
    array([[  0,  64, 128, 191, 255]], dtype=uint8)
    >>> ocrprep.contrast_stretch(np.full((2, 2), 7, np.uint8))
    array([[7, 7],
           [7, 7]], dtype=uint8)
    """
    img = _checks.image2d(img, contiguous=False)
    low = _checks.real(low_pct, "low_pct", 0, 100)
    high = _checks.real(high_pct, "high_pct", 0, 100)
    if not low < high:
        raise InvalidParameterError(f"low_pct must be < high_pct, got {low_pct} and {high_pct}")
    nthreads = _checks.threads(threads, img.size)
    hist = histogram(img, threads=nthreads)
    lo, hi = percentile_level(hist, low), percentile_level(hist, high)
    work, out = _checks.output(out, img.shape, img)
    if lo == hi:
        work[...] = img
        return _checks.finish(work, out)
    table = stretch_table(lo, hi)
    run_bands(lambda y0, y1: lut_band(img, work, table, y0, y1), img.shape[0], nthreads, min_rows=32)
    return _checks.finish(work, out)
