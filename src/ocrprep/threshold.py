"""Global thresholding: a fixed value, or Otsu's automatic one."""
from __future__ import annotations

from . import _checks
from ._parallel import run_bands
from ._threshold import otsu_from_histogram, threshold_band
from .errors import InvalidParameterError
from .histogram import histogram

__all__ = ["otsu_threshold", "threshold", "apply_threshold"]


def otsu_threshold(img, *, threads=None) -> int:
    """Otsu's threshold: the grey level that best separates ink from paper.

    Maximises the between-class variance of the histogram (Otsu 1979). The
    value is identical to OpenCV's ``cv2.threshold(img, 0, 255,
    cv2.THRESH_BINARY | cv2.THRESH_OTSU)``.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    threads : int or None, optional
        Worker threads for the histogram; ``None`` = automatic.

    Returns
    -------
    int
        Pixels ``> t`` are paper (white), the others ink (black).

    References
    ----------
    N. Otsu, "A threshold selection method from gray-level histograms",
    IEEE Trans. SMC 9(1), 1979.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[10, 12, 200], [11, 198, 201]], dtype=np.uint8)
    >>> t = ocrprep.otsu_threshold(img)
    >>> 12 <= t < 198
    True
    """
    return int(otsu_from_histogram(histogram(img, threads=threads)))


def apply_threshold(img, t: int, *, out=None, threads=None):
    """``255`` where ``img > t`` else ``0``; ``t`` an int in [0, 255]."""
    img = _checks.image2d(img)
    t = _checks.integer(t, "t")
    if not 0 <= t <= 255:
        raise InvalidParameterError(f"t must be between 0 and 255, got {t}")
    nthreads = _checks.threads(threads, img.size)
    work, out = _checks.output(out, img.shape, img)
    run_bands(lambda y0, y1: threshold_band(img, work, t, y0, y1), img.shape[0], nthreads, min_rows=64)
    return _checks.finish(work, out)


def threshold(img, value: int = 0, *, out=None, threads=None):
    """Binarize with a global threshold: pixels lighter than ``value`` become white.

    Higher values keep more content (more pixels count as ink), matching
    Aspose.OCR's ``PreprocessingFilter.threshold``.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    value : int, 0..255
        A pixel ``> value`` becomes 255 (paper), the others 0 (ink).
        ``0`` means automatic: the result of :func:`ocrprep.binarize`.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Raises
    ------
    InvalidParameterError
        If ``value`` is outside 0..255.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[40, 120, 220]], dtype=np.uint8)
    >>> ocrprep.threshold(img, 100)
    array([[  0, 255, 255]], dtype=uint8)
    >>> ocrprep.threshold(img, 150)
    array([[  0,   0, 255]], dtype=uint8)
    """
    value = _checks.integer(value, "value")
    if not 0 <= value <= 255:
        raise InvalidParameterError(f"threshold value must be between 0 and 255 (0 = automatic), got {value}")
    if value == 0:
        from .binarize import binarize

        return binarize(img, out=out, threads=threads)
    return apply_threshold(img, value, out=out, threads=threads)


def _otsu_binarize(img, *, out=None, threads=None):
    """``binarize(method="otsu")``: :func:`otsu_threshold` then :func:`apply_threshold`."""
    img = _checks.image2d(img)
    return apply_threshold(img, otsu_threshold(img, threads=threads), out=out, threads=threads)
