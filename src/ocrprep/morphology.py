"""Grey-level morphology: dilation (local maximum) and erosion (local minimum).

These are the plain grey-level operators over a rectangle.  On a document
with dark ink on light paper, :func:`dilate` *thins* the ink (it spreads the
light paper) and :func:`erode` *thickens* it; the document-sense filters are
built on top of these in :mod:`ocrprep.filters`.
"""
from __future__ import annotations

from . import _checks
from ._morphology import morph_band
from ._parallel import run_bands

__all__ = ["dilate", "erode"]

#: Largest window side accepted (a window wider than the image is fine: it
#: sees the whole row / column).
MAX_SIZE = 4095


def _morph(img, size, out, threads, is_max: bool):
    img = _checks.unit_column_stride(_checks.image2d(img, contiguous=False))
    kh, kw = _checks.window_shape(size, "size", 1, MAX_SIZE)
    nthreads = _checks.threads(threads, img.size)
    work, out = _checks.output(out, img.shape, img)
    if kh == 1 and kw == 1:
        work[...] = img
    else:
        run_bands(
            lambda y0, y1: morph_band(img, work, kh, kw, is_max, y0, y1),
            img.shape[0],
            nthreads,
            min_rows=max(16, kh),
        )
    return _checks.finish(work, out)


def dilate(img, size=3, *, out=None, threads=None):
    """Grey-level dilation: the maximum over a rectangle around each pixel.

    ``out[y, x] = max(img[y + i, x + j])`` for ``|i| <= h // 2`` and
    ``|j| <= w // 2``, pixels outside the image being replaced by the nearest
    edge pixel (so a window larger than the image simply sees all of it).
    The result is identical to ``cv2.dilate(img, np.ones((h, w), np.uint8))``.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides (views, transposes, read-only arrays).
    size : int or (int, int), optional
        Side of the square window, or its ``(height, width)``; odd, 1..4095.
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
        If a window side is even or outside 1..4095.
    ImageTypeError, InvalidImageError
        If ``img`` is not a non-empty 2-D uint8 array.

    Notes
    -----
    The rectangle is separable (rows, then columns).  The column pass uses
    the van Herk / Gil-Werman scheme for tall windows (three max operations
    a pixel whatever the height); the row pass combines up to eight shifted
    rows per sweep, recursively for wide windows.  Work per pixel is about
    ``O(log size)``; scratch memory is a few rows.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 9
    >>> ocrprep.dilate(img, 3)
    array([[0, 0, 0, 0, 0],
           [0, 9, 9, 9, 0],
           [0, 9, 9, 9, 0],
           [0, 9, 9, 9, 0],
           [0, 0, 0, 0, 0]], dtype=uint8)
    >>> ocrprep.dilate(img, (1, 5))[2]
    array([9, 9, 9, 9, 9], dtype=uint8)
    """
    return _morph(img, size, out, threads, True)


def erode(img, size=3, *, out=None, threads=None):
    """Grey-level erosion: the minimum over a rectangle around each pixel.

    ``out[y, x] = min(img[y + i, x + j])`` for ``|i| <= h // 2`` and
    ``|j| <= w // 2``, edges replicated.  The result is identical to
    ``cv2.erode(img, np.ones((h, w), np.uint8))``.  On dark ink over light
    paper, erosion thickens the strokes.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides.
    size : int or (int, int), optional
        Side of the square window, or its ``(height, width)``; odd, 1..4095.
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
        If a window side is even or outside 1..4095.
    ImageTypeError, InvalidImageError
        If ``img`` is not a non-empty 2-D uint8 array.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((3, 6), 200, np.uint8); img[1, 2] = 10
    >>> ocrprep.erode(img, 3)
    array([[200,  10,  10,  10, 200, 200],
           [200,  10,  10,  10, 200, 200],
           [200,  10,  10,  10, 200, 200]], dtype=uint8)
    """
    return _morph(img, size, out, threads, False)
