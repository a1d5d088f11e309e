"""Geometric transforms: rotation about the centre, scaling and resizing.

All three work on grayscale ``(H, W)`` and colour ``(H, W, C)`` uint8 images
(C = 1, 3 or 4); their loops live in ``_geometry.pyx`` and run without the
GIL, split into row bands over ``threads`` workers.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import _checks
from ._geometry import box_band, is_binary, resample_band, warp_affine_band
from ._parallel import run_bands
from .errors import InvalidParameterError, ParameterTypeError

__all__ = ["rotate", "scale", "resize", "page_background"]


def _as_hwc(img, name: str = "img"):
    """Validate ``img``; return it as a C-contiguous (H, W, C) array and whether it was 2-D."""
    img = _checks.image_gray_or_color(img, name)
    flat = img.ndim == 2
    img = np.ascontiguousarray(img)
    return (img[:, :, None] if flat else img), flat


def _out_shape(h: int, w: int, channels: int, flat: bool):
    return (h, w) if flat else (h, w, channels)


def page_background(img) -> np.ndarray:
    """Estimate the paper colour of a page from its outer ring of pixels.

    The 75th percentile of the two outermost rows and columns, per channel:
    it is the paper even when text, a scanner shadow or a dark edge covers
    up to three quarters of the border, and it stays dark for a negative
    (light-on-dark) page.  A binary page gives 0 or 255.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray

    Returns
    -------
    (C,) uint8 ndarray
        One value per channel (C = 1 for a grayscale image).

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> page = np.full((50, 40), 230, np.uint8); page[20:30, 5:35] = 0
    >>> ocrprep.page_background(page)
    array([230], dtype=uint8)
    """
    img3, _ = _as_hwc(img)
    h, w, c = img3.shape
    t = min(2, h, w)
    ring = np.concatenate(
        [img3[:t].reshape(-1, c), img3[h - t:].reshape(-1, c),
         img3[:, :t].reshape(-1, c), img3[:, w - t:].reshape(-1, c)]
    )
    return np.quantile(ring, 0.75, axis=0, method="nearest").astype(np.uint8)


def _fill_values(fill, img3: np.ndarray) -> np.ndarray:
    """Resolve the ``fill`` argument of :func:`rotate` to one uint8 per channel."""
    c = img3.shape[2]
    if fill is None:
        return page_background(img3)
    if isinstance(fill, (numbers.Integral, np.integer)) and not isinstance(fill, bool):
        v = _checks.integer(fill, "fill")
        if not 0 <= v <= 255:
            raise InvalidParameterError(f"fill must be a grey level between 0 and 255, got {v}")
        vals = [v] * c
        if c == 4:
            vals[3] = 255  # a grey fill of an RGBA page is opaque
        return np.array(vals, dtype=np.uint8)
    if isinstance(fill, (tuple, list, np.ndarray)):
        vals = [_checks.integer(v, "fill[i]") for v in fill]
        if len(vals) != c:
            raise InvalidParameterError(
                f"fill must have one value per channel ({c}), got {len(vals)} values"
            )
        if not all(0 <= v <= 255 for v in vals):
            raise InvalidParameterError(f"fill values must be between 0 and 255, got {tuple(vals)}")
        return np.array(vals, dtype=np.uint8)
    raise ParameterTypeError(
        f"fill must be None (page background), an int 0..255 or one int per channel, "
        f"got {type(fill).__name__} {fill!r}"
    )


def _is_binary(img2d: np.ndarray) -> bool:
    return bool(is_binary(np.ascontiguousarray(img2d)))


def _cos_sin(angle: float) -> tuple[float, float]:
    """cos and sin of ``angle`` degrees, exact for multiples of 90."""
    a = math.remainder(angle, 360.0)
    quarter = a / 90.0
    if quarter == int(quarter):
        return {0: (1.0, 0.0), 1: (0.0, 1.0), 2: (-1.0, 0.0), -2: (-1.0, 0.0), -1: (0.0, -1.0)}[int(quarter)]
    r = math.radians(a)
    return math.cos(r), math.sin(r)


def rotate(img, angle, *, fill=None, expand=False, out=None, threads=None):
    """Rotate an image counter-clockwise by ``angle`` degrees about its centre.

    Bilinear interpolation; the centre is ``((W - 1) / 2, (H - 1) / 2)`` in
    pixel coordinates (the convention of ``cv2.getRotationMatrix2D`` used
    with that centre, and of :func:`numpy.rot90` for quarter turns).
    Output pixels that fall outside the source take the ``fill`` value, and
    the pixels along the source's edge blend into it.

    A binary page (one channel, every pixel 0 or 255) stays binary: the interpolated
    value is re-thresholded at 128, which keeps edges smoother than
    nearest-neighbour sampling.  This applies when the fill is also 0 or 255
    (always the case with ``fill=None``).

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grayscale, or colour with C = 1, 3 or 4 channels; any strides.
    angle : float
        Degrees, counter-clockwise as seen on screen (rows going down).
    fill : None, int or sequence of int, optional
        Value of the uncovered corners.  ``None`` (default) uses the page's
        background, :func:`page_background` (the paper colour).  An int is a
        grey level for every colour channel (alpha stays 255); a sequence
        gives one value per channel.
    expand : bool, optional
        ``False`` (default) keeps the input's size, cropping the corners;
        ``True`` grows the canvas to hold the whole rotated page (a quarter
        turn of an H x W image is W x H, exactly :func:`numpy.rot90`).
    out : ndarray, optional
        Destination of the output's shape; may be ``img`` itself when the
        shape does not change.
    threads : int or None, optional
        Worker threads; ``None`` = automatic.

    Returns
    -------
    ndarray, uint8
        Same number of dimensions and channels as ``img``.

    Raises
    ------
    InvalidParameterError
        NaN or infinite ``angle``, a ``fill`` out of range, or an expanded
        canvas beyond the output pixel cap.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.arange(6, dtype=np.uint8).reshape(2, 3)
    >>> ocrprep.rotate(img, 90, expand=True)
    array([[2, 5],
           [1, 4],
           [0, 3]], dtype=uint8)
    >>> page = np.full((100, 100), 255, np.uint8); page[48:52, 10:90] = 0
    >>> turned = ocrprep.rotate(page, 30)
    >>> sorted(np.unique(turned).tolist())  # binary in, binary out
    [0, 255]
    """
    angle = _checks.real(angle, "angle")
    if not isinstance(expand, (bool, np.bool_)):
        raise ParameterTypeError(f"expand must be a bool, got {type(expand).__name__}")
    src, flat = _as_hwc(img)
    h, w, nc = src.shape
    c, s = _cos_sin(angle)
    if expand:
        nw = max(1, math.ceil(w * abs(c) + h * abs(s) - 1e-6))
        nh = max(1, math.ceil(w * abs(s) + h * abs(c) - 1e-6))
    else:
        nh, nw = h, w
    nh, nw = _checks.output_size(nh, nw, "rotated image")
    fillv = _fill_values(fill, src)
    nthreads = _checks.threads(threads, nh * nw)
    work, out = _checks.output(out, _out_shape(nh, nw, nc, flat), img)
    if (c, s) == (1.0, 0.0) and (nh, nw) == (h, w):
        work[...] = src.reshape(work.shape)
        return _checks.finish(work, out)
    binary = nc == 1 and int(fillv[0]) in (0, 255) and _is_binary(src[:, :, 0])
    # Inverse map: destination (x, y) -> source coordinates.
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    ox, oy = (nw - 1) / 2.0, (nh - 1) / 2.0
    m = np.array([c, -s, cx - c * ox + s * oy, s, c, cy - s * ox - c * oy], dtype=np.float64)
    cols = np.arange(nw, dtype=np.float32)
    xm0 = np.float32(m[0]) * cols
    xm3 = np.float32(m[3]) * cols
    dst = work.reshape(nh, nw, nc)
    run_bands(
        lambda y0, y1: warp_affine_band(src, dst, m, fillv, binary, xm0, xm3, y0, y1),
        nh, nthreads, min_rows=16,
    )
    return _checks.finish(work, out)


def _taps(n_src: int, n_dst: int):
    """Source taps of one axis: ``start`` (n_dst,) and ``weights`` (n_dst, T).

    Output index ``i`` is ``sum_k weights[i, k] * source[start[i] + k]``,
    with every ``start[i] + k`` inside the source (short entries are padded
    with zero weights).

    Shrinking averages the source pixels each output pixel covers, weighted
    by the covered length (exact integer arithmetic, so integer ratios give
    plain box averages).  Enlarging (or equal size) interpolates linearly
    between the two nearest pixel centres, with half-pixel-centred
    coordinates and the edge pixels replicated.
    """
    d = np.arange(n_dst, dtype=np.int64)
    if n_dst < n_src:
        lo = d * n_src                      # covered interval [lo, hi) / n_dst
        hi = lo + n_src
        start = lo // n_dst
        end = -((-hi) // n_dst)
        ntaps = int((end - start).max())
        start = np.minimum(start, n_src - ntaps)   # keep start + k in range
        j = start[:, None] + np.arange(ntaps)
        cover = np.minimum((j + 1) * n_dst, hi[:, None]) - np.maximum(j * n_dst, lo[:, None])
        weights = np.clip(cover, 0, None) / float(n_src)
    elif n_src == 1:
        start = np.zeros(n_dst, np.int64)
        weights = np.ones((n_dst, 1))
    else:
        pos = (d + 0.5) * (n_src / n_dst) - 0.5
        left = np.floor(pos).astype(np.int64)
        frac = pos - left
        frac[left < 0] = 0.0                  # replicate the first pixel
        left = np.maximum(left, 0)
        frac[left >= n_src - 1] = 1.0         # replicate the last pixel
        start = np.minimum(left, n_src - 2)
        weights = np.stack([1.0 - frac, frac], axis=1)
    return np.ascontiguousarray(start, dtype=np.int32), np.ascontiguousarray(weights, dtype=np.float32)


def _box_shrink(src, dst, ky, kx, nthreads):
    """dst (h, w, C) = means of the ky x kx blocks of the top-left h*ky x w*kx of src (ky*kx <= 256).

    Exact: a lookup table maps each block sum to its rounded mean.
    """
    d = ky * kx
    lut = ((np.arange(255 * d + 1) + d // 2) // d).astype(np.uint8)
    run_bands(lambda y0, y1: box_band(src, dst, ky, kx, lut, y0, y1), dst.shape[0], nthreads, min_rows=16)
    return dst


def reduce_blocks(img, factor, *, threads=None):
    """Shrink by an integer ``factor`` (1..16): means of ``factor`` x ``factor`` blocks.

    The last ``H % factor`` rows and ``W % factor`` columns (an incomplete
    block) are dropped rather than copied out first.  Internal helper of
    :func:`ocrprep.detect_skew`.
    """
    src, flat = _as_hwc(img)
    h, w, nc = src.shape
    factor = _checks.integer(factor, "factor")
    if not 1 <= factor <= 16:
        raise InvalidParameterError(f"factor must be between 1 and 16, got {factor}")
    nh, nw = max(1, h // factor), max(1, w // factor)
    if h < factor or w < factor:
        return resize(img, nw, nh, threads=threads)
    dst = np.empty((nh, nw, nc), np.uint8)
    _box_shrink(src, dst, factor, factor, _checks.threads(threads, h * w))
    return dst[:, :, 0] if flat else dst


def resize(img, width, height, *, out=None, threads=None):
    """Resize an image to ``width`` x ``height`` pixels.

    Each axis is resampled on its own: where it shrinks, an output pixel is
    the average of the source pixels it covers, weighted by the covered area
    (like ``cv2.INTER_AREA``; no aliasing, thin strokes fade instead of
    vanishing); where it grows, values are interpolated linearly between
    pixel centres (like ``cv2.INTER_LINEAR``).  Results are rounded to the
    nearest grey level.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grayscale or colour (C = 1, 3 or 4); any strides.
    width, height : int
        Output size in pixels, each >= 1; ``width * height`` may not exceed
        the output pixel cap (``OCRPREP_MAX_OUTPUT_PIXELS``, 2**29 by default).
    out : ndarray, optional
        Destination of shape ``(height, width[, C])``.
    threads : int or None, optional

    Returns
    -------
    ndarray, uint8, shape ``(height, width)`` or ``(height, width, C)``

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.array([[0, 100, 200, 250]], dtype=np.uint8)
    >>> ocrprep.resize(img, 2, 1)           # shrink: box average
    array([[ 50, 225]], dtype=uint8)
    >>> ocrprep.resize(np.array([[0, 200]], np.uint8), 4, 1)   # enlarge: linear
    array([[  0,  50, 150, 200]], dtype=uint8)
    """
    width = _checks.integer(width, "width")
    height = _checks.integer(height, "height")
    height, width = _checks.output_size(height, width, "resized image")
    src, flat = _as_hwc(img)
    h, w, nc = src.shape
    nthreads = _checks.threads(threads, max(h * w, height * width))
    work, out = _checks.output(out, _out_shape(height, width, nc, flat), img)
    if (height, width) == (h, w):
        work[...] = src.reshape(work.shape)
        return _checks.finish(work, out)
    ky, kx = h // height, w // width
    if h == ky * height and w == kx * width and ky * kx <= 256:
        _box_shrink(src, work.reshape(height, width, nc), ky, kx, nthreads)
        return _checks.finish(work, out)
    ys, yw = _taps(h, height)
    xs, xw = _taps(w, width)
    ty, tx = yw.shape[1], xw.shape[1]
    # Vertical taps stream (vectorised); horizontal ones gather, which costs
    # about 4x more, except for 2-tap gray rows (C shuffle loop).  Resample
    # source rows first when that is cheaper (mostly when the image grows).
    g = 1 if (nc == 1 and tx == 2) else 4
    hfirst = h * width * tx * g + height * width * ty < height * width * tx * 4 + height * w * ty
    dst = work.reshape(height, width, nc)
    run_bands(
        lambda y0, y1: resample_band(src, dst, ys, yw, xs, xw, hfirst, y0, y1),
        height, nthreads, min_rows=16,
    )
    return _checks.finish(work, out)


def scale(img, ratio, *, out=None, threads=None):
    """Scale an image by ``ratio`` (both axes): :func:`resize` to ``round(W * ratio) x round(H * ratio)``.

    Area averaging when shrinking (``ratio < 1``), bilinear when enlarging.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
    ratio : float > 0
        Each side becomes ``round(side * ratio)``, at least 1 pixel.
    out : ndarray, optional
    threads : int or None, optional

    Returns
    -------
    ndarray, uint8

    Raises
    ------
    InvalidParameterError
        ``ratio <= 0``, NaN or infinite, or an output beyond the pixel cap.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.zeros((300, 200), np.uint8)
    >>> ocrprep.scale(img, 0.5).shape, ocrprep.scale(img, 1.5).shape
    ((150, 100), (450, 300))
    """
    ratio = _checks.real(ratio, "ratio")
    if ratio <= 0:
        raise InvalidParameterError(f"ratio must be > 0, got {ratio}")
    src = _checks.image_gray_or_color(img)
    h, w = src.shape[:2]
    # min() keeps a huge ratio finite; the pixel cap in resize() rejects it.
    nh = max(1, math.floor(min(h * ratio, 2.0**62) + 0.5))
    nw = max(1, math.floor(min(w * ratio, 2.0**62) + 0.5))
    return resize(src, nw, nh, out=out, threads=threads)
