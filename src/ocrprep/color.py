"""Colour to grey (ITU-R 601 luma, as Pillow computes it), grey-level inversion, and
transparency laid on white paper."""
from __future__ import annotations

import numpy as np

from . import _checks
from .errors import ImageTypeError, InvalidImageError
from ._color import gray_band, invert_band
from ._parallel import run_bands

__all__ = ["to_grayscale", "invert", "flatten_alpha"]


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


def flatten_alpha(img):
    """Lay a grey+alpha or RGBA page on white paper; other images come back as they are.

    Transparent pixels of a document are blank paper: a PNG of black text on
    a transparent background (RGB black everywhere, the text in the alpha
    channel) must read as black text on white, not as an all-black page (the
    alpha dropped) nor an all-white one.  Each channel becomes
    ``(c * a + 255 * (255 - a)) / 255``, rounded: the same bytes as Pillow's
    ``alpha_composite`` over white.  A page whose alpha is 255 everywhere just loses its alpha.

    Parameters
    ----------
    img : (H, W), (H, W, 1|2|3|4) uint8 ndarray
        2-channel images are grey + alpha, 4-channel ones RGBA.

    Returns
    -------
    (H, W) or (H, W, 3) uint8 ndarray
        ``img`` itself when it has no alpha channel (a single channel is
        returned as a 2-D view); else a new C-contiguous array.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> rgba = np.zeros((1, 3, 4), np.uint8)            # black everywhere...
    >>> rgba[0, :, 3] = [255, 0, 128]                   # ...opaque, transparent, half
    >>> ocrprep.flatten_alpha(rgba)[..., 0]
    array([[  0, 255, 127]], dtype=uint8)
    """
    _checks._not_masked(img, "img")
    if isinstance(img, np.ndarray) and img.ndim == 3 and img.shape[2] == 2:
        if img.dtype != np.uint8:
            raise ImageTypeError(f"img must have dtype uint8, got {img.dtype}")
        if img.size == 0:
            raise InvalidImageError(f"img is empty (shape {img.shape})")
        _checks._sides(img, "img", _checks.MAX_SIDE)
    else:
        img = _checks.image_gray_or_color(img)
    if img.ndim == 2 or img.shape[2] in (1, 3):
        return img[:, :, 0] if img.ndim == 3 and img.shape[2] == 1 else img
    colour, alpha = img[:, :, :-1], img[:, :, -1:]
    if colour.shape[2] == 1:
        colour = colour[:, :, 0]
        alpha = alpha[:, :, 0]
    if int(alpha.min()) == 255:
        return np.ascontiguousarray(colour)
    # c * a + 255 * (255 - a) + 127 = 65152 - a * (255 - c) at most: uint16 holds it.  One band
    # of rows at a time keeps the temporaries small on a big page.
    out = np.empty(colour.shape, np.uint8)
    step = max(1, (1 << 22) // max(1, colour[0].size))
    for y0 in range(0, colour.shape[0], step):
        c = colour[y0:y0 + step].astype(np.uint16)
        a = alpha[y0:y0 + step].astype(np.uint16)
        out[y0:y0 + step] = (c * a + 255 * (255 - a) + 127) // 255
    return out
