"""Colour to grey (ITU-R 601 luma, as Pillow computes it) and grey-level inversion."""
from __future__ import annotations

from . import _checks
from ._color import gray_band, invert_band
from ._parallel import run_bands

__all__ = ["to_grayscale", "invert"]


def to_grayscale(img, *, out=None, threads=None):
    """Convert an RGB or RGBA image to 8-bit grey (luma), exactly as Pillow does.

    ``L = (19595 R + 38470 G + 7471 B + 32768) >> 16``: the ITU-R 601-2
    weights 0.299, 0.587, 0.114 in 16-bit fixed point, rounded half up.  The
    result is identical to ``np.asarray(Image.fromarray(img).convert("L"))``.
    For RGBA the alpha channel is ignored (not composited over any
    background), as in Pillow's RGBA to L conversion.

    Parameters
    ----------
    img : (H, W) or (H, W, 1|3|4) uint8 ndarray
        Channels in RGB(A) order (reverse a BGR array with ``img[..., ::-1]``);
        any strides.  A 2-D image or one with a single channel is returned
        as a 2-D copy.
    out : (H, W) uint8 ndarray, optional
        Destination.
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (H, W) uint8 ndarray

    Raises
    ------
    InvalidImageError
        If ``img`` is not 2-D or 3-D with 1, 3 or 4 channels, or is empty.
    ImageTypeError
        If ``img`` is not a uint8 numpy array.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 200, 200]]], np.uint8)
    >>> ocrprep.to_grayscale(rgb)
    array([[ 76, 150,  29, 200]], dtype=uint8)
    """
    img = _checks.image_gray_or_color(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = _checks.image2d(img[:, :, 0], contiguous=False)
    shape = img.shape[:2]
    nthreads = _checks.threads(threads, shape[0] * shape[1])  # validated for grey input too
    work, out = _checks.output(out, shape, img)
    if img.ndim == 2:
        work[...] = img
        return _checks.finish(work, out)
    run_bands(lambda y0, y1: gray_band(img, work, y0, y1), shape[0], nthreads, min_rows=32)
    return _checks.finish(work, out)


def invert(img, *, out=None, threads=None):
    """Photographic negative: ``255 - img``.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grayscale image; any strides.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself (in-place).
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (H, W) uint8 ndarray

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> ocrprep.invert(np.array([[0, 1, 128, 255]], np.uint8))
    array([[255, 254, 127,   0]], dtype=uint8)
    """
    img = _checks.image2d(img, contiguous=False)
    nthreads = _checks.threads(threads, img.size)
    work, out = _checks.output(out, img.shape, img)
    run_bands(lambda y0, y1: invert_band(img, work, y0, y1), img.shape[0], nthreads, min_rows=32)
    return _checks.finish(work, out)
