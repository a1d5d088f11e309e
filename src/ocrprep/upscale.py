"""Enlarge small text 2x: bicubic interpolation, then a sharpening that cannot overshoot.

Small print (x-height under ~10 px) is where Tesseract loses most words, and
the usual cure is to enlarge the page.  Bilinear enlargement (:func:`ocrprep.scale`)
blurs the stroke edges; plain bicubic keeps them steeper but rings (a light
halo beside every dark stroke).  :func:`upscale` does both steps of a classic
contrast-preserving enlarger:

1. **Bicubic 2x** with Keys' kernel (``a = -0.75``, the one OpenCV's
   ``INTER_CUBIC`` uses) on pixel centres, separable: each output pixel is a
   fixed 4-tap mix of its source row and column neighbours (the taps for the
   two output phases, a quarter pixel either side of a source centre, are
   constants).
2. **Unsharp masking clamped to the local range**: the enlarged page plus
   ``sharpen`` times its difference from a 3x3 binomial blur, then clipped,
   pixel by pixel, to the darkest and lightest source value of the 2x2 source
   neighbourhood the output pixel lies in.  The clamp is what makes it
   edge-preserving: the sharpening steepens edges up to the real ink and paper
   levels but never paints a halo or a darker-than-ink seam, and it removes
   the bicubic ringing too.

It is not a learned (neural) super-resolution: it cannot invent detail, it
makes existing edges crisper.  The page is processed in row bands, so the
memory used beyond the output stays bounded whatever the page size.
"""
from __future__ import annotations

import numpy as np

from . import _checks
from .errors import InvalidParameterError

__all__ = ["upscale"]

#: Keys' cubic convolution parameter (OpenCV's INTER_CUBIC uses -0.75)
_A = -0.75
#: source rows per band (plus a 2-row margin either side)
_BAND = 256


def _keys(d: float) -> float:
    d = abs(d)
    if d <= 1:
        return (_A + 2) * d ** 3 - (_A + 3) * d ** 2 + 1
    if d < 2:
        return _A * d ** 3 - 5 * _A * d ** 2 + 8 * _A * d - 4 * _A
    return 0.0


# Output pixel 2i lies at source position i - 1/4, pixel 2i + 1 at i + 1/4 (pixel centres).
# Taps of the neighbours i-2..i+1 (even phase) and i-1..i+2 (odd phase).
_EVEN = np.array([_keys(d) for d in (1.75, 0.75, 0.25, 1.25)], np.float32)
_ODD = _EVEN[::-1].copy()


def _cubic2x(a: np.ndarray, axis: int) -> np.ndarray:
    """Double ``a`` (float32, already padded by 2 on ``axis``) along ``axis``; the padding is consumed."""
    n = a.shape[axis] - 4

    def tap(k):
        return np.take(a, np.arange(k, k + n), axis=axis)

    taps = [tap(k) for k in range(5)]  # source i-2 .. i+2 for i in 0..n-1
    even = _EVEN[0] * taps[0] + _EVEN[1] * taps[1] + _EVEN[2] * taps[2] + _EVEN[3] * taps[3]
    odd = _ODD[0] * taps[1] + _ODD[1] * taps[2] + _ODD[2] * taps[3] + _ODD[3] * taps[4]
    shape = list(even.shape)
    shape[axis] *= 2
    out = np.empty(shape, np.float32)
    sl_even = [slice(None)] * a.ndim
    sl_odd = [slice(None)] * a.ndim
    sl_even[axis] = slice(0, None, 2)
    sl_odd[axis] = slice(1, None, 2)
    out[tuple(sl_even)] = even
    out[tuple(sl_odd)] = odd
    return out


def _range2x(a: np.ndarray, reduce) -> np.ndarray:
    """Per output pixel, ``reduce`` (min or max) of the 2x2 source pixels around it.

    ``a`` is padded by 1 on both spatial axes.  Output pixel (2i + p, 2j + q)
    lies between source rows i - 1 + p .. i + p and columns j - 1 + q .. j + q.
    """
    h, w = a.shape[0] - 2, a.shape[1] - 2
    rows = reduce(a[:-1], a[1:])  # source rows (r, r + 1), r = -1 .. h - 1
    pair = reduce(rows[:, :-1], rows[:, 1:])  # 2x2 blocks whose top-left is (r, c), r = -1 .. h - 1, c = -1 .. w - 1
    out = np.empty((2 * h, 2 * w) + a.shape[2:], a.dtype)
    out[0::2, 0::2] = pair[0:h, 0:w]
    out[0::2, 1::2] = pair[0:h, 1:w + 1]
    out[1::2, 0::2] = pair[1:h + 1, 0:w]
    out[1::2, 1::2] = pair[1:h + 1, 1:w + 1]
    return out


def _blur3(a: np.ndarray) -> np.ndarray:
    """3x3 binomial blur (1 2 1 / 4 on each axis), edges replicated."""
    p = np.pad(a, [(1, 1), (1, 1)] + [(0, 0)] * (a.ndim - 2), mode="edge")
    v = 0.25 * p[:-2] + 0.5 * p[1:-1] + 0.25 * p[2:]
    return 0.25 * v[:, :-2] + 0.5 * v[:, 1:-1] + 0.25 * v[:, 2:]


def _band(src: np.ndarray, y0: int, y1: int, sharpen: float) -> np.ndarray:
    """Output rows 2*y0 .. 2*y1 of the upscaled image, from source rows y0..y1 plus margins."""
    h = src.shape[0]
    m = 3  # rows of context either side: 2 for the cubic taps, 1 more for the blur
    lo, hi = max(0, y0 - m), min(h, y1 + m)
    block = src[lo:hi]
    pad_top, pad_bottom = m - (y0 - lo), m - (hi - y1)
    pad = [(pad_top, pad_bottom), (2, 2)] + [(0, 0)] * (src.ndim - 2)
    block = np.pad(block, pad, mode="edge").astype(np.float32)  # rows y0-3 .. y1+3, cols -2 .. w+1
    up = _cubic2x(_cubic2x(block, 0), 1)  # rows 2(y0-1) .. 2(y1+1), every column
    if sharpen:
        up = up + sharpen * (up - _blur3(up))
        ctx = block[m - 1:m + (y1 - y0) + 1, 1:-1]  # source rows y0-1 .. y1, cols -1 .. w
        lo_v = _range2x(ctx, np.minimum)
        hi_v = _range2x(ctx, np.maximum)
        up = up[2:-2]
        np.clip(up, lo_v, hi_v, out=up)
    else:
        up = up[2:-2]
    return np.clip(np.rint(up), 0, 255).astype(np.uint8)


def upscale(img, *, sharpen: float = 1.0, out=None) -> np.ndarray:
    """Enlarge a page 2x for the recognition of small text (bicubic + clamped unsharp mask).

    See the module docstring for the method.  Each side doubles: an ``(H, W)``
    page becomes ``(2H, 2W)``.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grayscale or colour (C = 1, 3 or 4); any strides.
    sharpen : float, optional
        Strength of the unsharp mask, 0..4 (default 1); 0 gives plain bicubic
        (equal to OpenCV's ``INTER_CUBIC`` away from the borders, up to rounding).
    out : ndarray, optional
        Destination of shape ``(2H, 2W[, C])``, uint8.

    Returns
    -------
    ndarray, uint8, shape ``(2H, 2W)`` or ``(2H, 2W, C)``
        With ``sharpen > 0`` every output value lies between the darkest and the
        lightest of the four source pixels around it (no halo, no ringing).

    Raises
    ------
    InvalidParameterError
        ``sharpen`` outside 0..4, or an output beyond the pixel cap.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((4, 6), 200, np.uint8); img[:, 3:] = 20
    >>> big = ocrprep.upscale(img)
    >>> big.shape, int(big.min()), int(big.max())          # never outside the source's range
    ((8, 12), 20, 200)
    >>> big[0].tolist()
    [200, 200, 200, 200, 200, 169, 51, 20, 20, 20, 20, 20]
    """
    src = _checks.image_gray_or_color(img)
    sharpen = _checks.real(sharpen, "sharpen")
    if not 0 <= sharpen <= 4:
        raise InvalidParameterError(f"sharpen must be between 0 and 4, got {sharpen}")
    h, w = src.shape[:2]
    _checks.output_size(2 * h, 2 * w, "upscaled image")
    work, out = _checks.output(out, (2 * h, 2 * w) + src.shape[2:], src)
    for y0 in range(0, h, _BAND):
        y1 = min(h, y0 + _BAND)
        work[2 * y0:2 * y1] = _band(src, y0, y1, sharpen)
    return _checks.finish(work, out)
