"""Sauvola's local threshold: the workhorse of document binarization."""
from __future__ import annotations

from . import _checks
from .errors import InvalidParameterError
from .local import MAX_K, _mean_std_threshold, _prepare

__all__ = ["sauvola"]


def sauvola(img, window=25, k=0.2, r=128, *, border="reflect", out=None, threads=None):
    """Binarize with Sauvola's local threshold.

    Each pixel is compared with a threshold computed from the mean ``m`` and
    the (population) standard deviation ``s`` of the ``window`` x ``window``
    neighbourhood centred on it::

        T = m * (1 + k * (s / r - 1))

    A pixel ``> T`` becomes paper (255), the others ink (0).  Pixels beyond
    the image edges mirror those inside (see ``border``).  The window sums are exact
    integers, and the comparison is done on squares in double precision, so
    no square root rounds the decision.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides, read-only arrays accepted.
    window : odd int, optional
        Side of the square neighbourhood, 1 to 2047, and not larger than the
        image in both directions (``window <= max(H, W)``).  About twice the
        height of a text line's letters works well.
    k : float, optional
        Sensitivity to contrast, -1000 to 1000 (usually 0.2 to 0.5): larger
        ``k`` lowers the threshold where the neighbourhood has little
        contrast, suppressing background noise.
    r : float, optional
        Dynamic range of the standard deviation (128 for 8-bit images),
        1e-6 to 1e9.
    border : {"reflect", "replicate"}, optional
        Values beyond the image edges: ``"reflect"`` (default) mirrors about
        the edge pixel without repeating it (numpy's ``reflect``, OpenCV's
        ``BORDER_REFLECT_101``), scikit-image's convention; ``"replicate"``
        repeats the edge pixel (OpenCV's ``BORDER_REPLICATE``).  Either way
        the kernel needs O(width) scratch, no padded copy.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Raises
    ------
    InvalidParameterError
        Even or out-of-range ``window``, a window larger than the image,
        or ``k``, ``r`` out of range.

    Notes
    -----
    With the default border the definition is scikit-image's: the result
    equals ``img > threshold_sauvola(img, window, k, r)`` on every pixel up
    to exact ties between a pixel and its threshold (ocrprep decides those
    exactly, scikit-image in floating point).  With ``border="replicate"``
    only pixels within ``window // 2`` of an edge can differ.

    References
    ----------
    J. Sauvola and M. Pietikäinen, "Adaptive document image binarization",
    Pattern Recognition 33(2), pp. 225-236, 2000.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((30, 30), 200, np.uint8)
    >>> img[:, 15:] = 120               # darker paper on the right half
    >>> img[10:20, 5:8] = 60            # a stroke on the light side
    >>> img[10:20, 22:25] = 20          # a stroke on the dark side
    >>> bw = ocrprep.sauvola(img, window=9)
    >>> int((bw[10:20, 5:8] == 0).sum()), int((bw[10:20, 22:25] == 0).sum())
    (30, 30)
    >>> bool((bw[:5, :10] == 255).all() and (bw[:5, 20:] == 255).all())  # plain paper
    True
    """
    img, window = _prepare(img, window)
    k = _checks.real(k, "k", -MAX_K, MAX_K)
    r = _checks.real(r, "r")
    if not 1e-6 <= r <= 1e9:
        raise InvalidParameterError(f"r must be between 1e-06 and 1e+09, got {r}")
    n = float(window) * window
    # n*T = (1-k)*S1 + (k*S1 / (r*n)) * sqrt(n*S2 - S1^2)
    return _mean_std_threshold(
        img, window, a1=1.0 - k, a0=0.0, b1=k / (r * n), b0=0.0, rms=False,
        negative=k < 0, out=out, threads=threads, border=border,
    )
