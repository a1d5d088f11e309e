"""Automatic denoising of grey pages, for OCR: ``ocrprep.auto_denoise``."""
from __future__ import annotations

import math

import numpy as np

from . import _checks
from .errors import InvalidParameterError

__all__ = ["auto_denoise"]


def _stroke_width(bw) -> float:
    """Area over half-perimeter of the ink (a stroke of width w gives w)."""
    ink = bw < 128
    area = int(np.count_nonzero(ink))
    if area == 0:
        return 1.0
    pad = np.pad(ink, 1, mode="edge")
    inner = ink.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            inner &= pad[1 + dy : 1 + dy + ink.shape[0], 1 + dx : 1 + dx + ink.shape[1]]
    boundary = area - int(np.count_nonzero(inner))
    return max(1.0, 2.0 * area / max(boundary, 1))


def auto_denoise(img, *, speck_area=None, median_size: int = 3, out=None, threads=None, info=None):
    """Clean a grey page: flatten the paper, median-filter, remove small specks.

    A stronger classical clean-up than a plain median filter, for scanned or
    photographed pages that still go to OCR as grey images:

    1. **background normalisation** (:func:`ocrprep.normalize_background`):
       shading, yellowed paper and large stains are divided out, the paper
       becomes white and the ink keeps its contrast;
    2. **median filter** (``median_size`` x ``median_size``, 3 by default):
       salt-and-pepper noise and paper grain go, edges stay sharp;
    3. **speck removal**: the page is binarized with
       :func:`ocrprep.auto_binarize` (without its own component pass) and
       dark components smaller than ``speck_area`` pixels - by default the
       square of the page's stroke width, the size of a dot - are painted
       white in the grey result.

    Light-on-dark pages are handled like :func:`ocrprep.auto_binarize` does:
    they are inverted first, so the result is dark text on white paper.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    speck_area : int or None, optional
        Largest speck removed, in pixels; ``None`` (default) picks it from
        the stroke width; 0 removes none.
    median_size : int, optional
        Odd median window, 1 (none) to 15; default 3.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional
    info : dict, optional
        If given, receives ``speck_area``, ``specks_removed``, ``inverted``
        and ``stroke_width``.

    Returns
    -------
    (H, W) uint8 ndarray
        The cleaned grey page (paper near 255).

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> rng = np.random.default_rng(0)
    >>> page = np.tile(np.linspace(150, 220, 200), (120, 1))     # shaded paper
    >>> page[40:80, 60:64] = 40                                  # a stroke
    >>> page[rng.integers(0, 120, 30), rng.integers(0, 200, 30)] = 60   # specks
    >>> clean = ocrprep.auto_denoise(page.astype(np.uint8))
    >>> int(clean[60, 61]) < 80, int(np.count_nonzero(clean < 128))   # the stroke, corners rounded
    (True, 156)
    """
    from .auto import auto_binarize, is_inverted
    from .background import normalize_background
    from .components import remove_specks
    from .median import median

    img = _checks.image2d(img)
    nthreads = _checks.threads(threads, img.size)
    median_size = _checks.integer(median_size, "median_size")
    if median_size < 1 or median_size > 15 or median_size % 2 == 0:
        raise InvalidParameterError(f"median_size must be odd, between 1 and 15, got {median_size}")
    if speck_area is not None:
        speck_area = _checks.integer(speck_area, "speck_area")
        if speck_area < 0:
            raise InvalidParameterError(f"speck_area must be >= 0, got {speck_area}")
    if info is not None and not isinstance(info, dict):
        from .errors import ParameterTypeError

        raise ParameterTypeError(f"info must be a dict or None, got {type(info).__name__}")

    work, out = _checks.output(out, img.shape, img)
    inverted = is_inverted(img, threads=nthreads)
    src = np.subtract(255, img, dtype=np.uint8) if inverted else img
    normalize_background(src, out=work, threads=nthreads)
    if median_size > 1:
        median(work, median_size, out=work, threads=nthreads)
    details = {}
    bw = auto_binarize(work, invert=False, postprocess=False, info=details, threads=nthreads)
    sw = details.get("stroke_width") or _stroke_width(bw)
    if speck_area is None:
        speck_area = int(math.ceil(sw * sw))  # a dot is about sw x sw
    removed = 0
    if speck_area > 0:
        kept = remove_specks(bw, speck_area, threads=nthreads)
        specks = (bw < 128) & (kept >= 128)
        removed = int(np.count_nonzero(specks))
        work[specks] = 255
    if info is not None:
        info.update(inverted=bool(inverted), stroke_width=sw, speck_area=int(speck_area),
                    specks_removed=removed)
    return _checks.finish(work, out)
