"""Image defects that hurt recognition: salt-and-pepper noise, low contrast, blur, glare.

:func:`find_defects` measures a page with classical statistics — no trained
model — and returns, per defect type, the areas where it was found:

``SALT_PEPPER_NOISE``
    Blocks of the page where isolated specks (ink or paper components of at
    most 2 pixels after Otsu's threshold) cover more than 0.5 % of the
    pixels: real text has almost none, scanner dust and sensor noise many.
``LOW_CONTRAST``
    Blocks whose paper is much darker than the page's paper (shadows, a
    curved page near the spine), or whose darkest ink (after a 3x3 median,
    so noise does not count as ink) stands out from the paper by more than
    the noise could (6 robust standard deviations of the page around its
    median filter, plus 10 levels) but by less than 45 % of the page's
    contrast, over at least 2 % of the block (faint text).
``GLARE``
    Blocks brighter than the page's paper and nearly white (flash or lamp
    reflections wash out the text under them).
``BLUR``
    The whole page, when its sharpest edges are soft: after a 3x3 median
    (noise would pass for sharp edges), the 99.5th percentile of the
    gradient, relative to the page's contrast, is under 0.4 (a sharp scan
    steps from ink to paper within one or two pixels: about 1.0; a Gaussian
    blur of 1.5 pixels gives about 0.33).  Like Aspose's, this detector only
    judges the page as a whole.

The blocks are about 1/16 of the page's longer side; neighbouring flagged
blocks are merged into rectangles.  These are heuristics, tuned on rendered
pages: they say *where to look*, not a calibrated probability.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np

from . import _checks
from .errors import InvalidParameterError
from .filters import Rectangle

__all__ = ["DefectType", "find_defects"]


class DefectType(IntEnum):
    """The kinds of defect :func:`find_defects` looks for (Aspose.OCR's names)."""

    SALT_PEPPER_NOISE = 0
    LOW_CONTRAST = 1
    BLUR = 2
    GLARE = 3
    ALL = 4


#: share of a block's pixels in isolated specks above which the block is noisy
NOISE_DENSITY = 0.005
#: sharpness (p99.5 gradient / contrast) under which the page is blurred
BLUR_SHARPNESS = 0.4


def _defect_type(value) -> DefectType:
    if isinstance(value, DefectType):
        return value
    key = getattr(value, "name", value)
    if isinstance(key, str) and key.strip().upper() in DefectType.__members__:
        return DefectType[key.strip().upper()]
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        try:
            return DefectType(int(key))
        except ValueError:
            pass
    raise InvalidParameterError(f"defect_type must be one of {', '.join(DefectType.__members__)}, got {value!r}")


def _merge(mask: np.ndarray, step: int, h: int, w: int) -> list[Rectangle]:
    """Rectangles (page pixels) covering the flagged blocks of ``mask``, touching blocks merged."""
    from .components import label_components

    if not mask.any():
        return []
    labels, _ = label_components(np.where(mask, 0, 255).astype(np.uint8))
    rects = []
    for lab in range(1, int(labels.max()) + 1):
        ys, xs = np.nonzero(labels == lab)
        x0, y0 = int(xs.min()) * step, int(ys.min()) * step
        x1, y1 = min(w, (int(xs.max()) + 1) * step), min(h, (int(ys.max()) + 1) * step)
        rects.append(Rectangle(x0, y0, x1 - x0, y1 - y0))
    return rects


def _per_block(img: np.ndarray, step: int, fn) -> np.ndarray:
    h, w = img.shape
    nh, nw = -(-h // step), -(-w // step)
    stats = np.empty((nh, nw), np.float64)
    for i in range(nh):
        for j in range(nw):
            stats[i, j] = fn(img[i * step:(i + 1) * step, j * step:(j + 1) * step])
    return stats


def find_defects(img, defect_type=DefectType.ALL, *, threads=None) -> dict:
    """The areas of a page affected by each kind of defect.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grey or colour page.
    defect_type : DefectType or str
        One kind, or ``ALL`` (default).
    threads : int, optional

    Returns
    -------
    dict
        ``{DefectType: [Rectangle, ...]}`` for every kind looked for (an
        empty list when the page has none).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.defects import find_defects, DefectType
    >>> page = np.full((400, 400), 235, np.uint8)
    >>> page[100:110, 50:350] = 20                       # a line of "text"
    >>> rng = np.random.default_rng(0)
    >>> noisy = page.copy()
    >>> dots = rng.random((400, 400)) < 0.03
    >>> noisy[:200][dots[:200]] = 0                     # pepper in the top half
    >>> found = find_defects(noisy, "salt_pepper_noise")
    >>> [(r.y, r.y + r.height <= 225) for r in found[DefectType.SALT_PEPPER_NOISE]]
    [(0, True)]
    >>> find_defects(page)[DefectType.SALT_PEPPER_NOISE]
    []
    """
    from .color import to_grayscale
    from .components import remove_specks
    from .median import median
    from .threshold import threshold

    src = _checks.image_gray_or_color(img)
    kind = _defect_type(defect_type)
    gray = src if src.ndim == 2 else to_grayscale(src[:, :, :3] if src.shape[2] >= 3 else src[:, :, 0])
    h, w = gray.shape
    step = max(16, max(h, w) // 16)
    wanted = [t for t in DefectType if t is not DefectType.ALL] if kind is DefectType.ALL else [kind]
    out: dict = {}
    paper_blocks = _per_block(gray, step, lambda b: np.percentile(b, 90))
    paper = float(np.median(paper_blocks))
    lo, hi = np.percentile(gray, [2, 98])
    contrast = max(float(hi - lo), 1.0)
    smooth = median(gray, 3, threads=threads) if min(h, w) >= 3 else gray

    if DefectType.SALT_PEPPER_NOISE in wanted:
        bw = threshold(gray, 0, threads=threads)
        pepper = (bw < 128) & (remove_specks(bw, 2) >= 128)
        salt = (bw >= 128) & (remove_specks(255 - bw, 2) >= 128)
        density = _per_block((pepper | salt).astype(np.float64), step, np.mean)
        out[DefectType.SALT_PEPPER_NOISE] = _merge(density > NOISE_DENSITY, step, h, w)
    if DefectType.LOW_CONTRAST in wanted:
        local = paper_blocks - _per_block(smooth, step, np.min)
        # what noise alone makes of a block: the robust spread of the page around its median filter
        resid = gray.astype(np.int16) - smooth
        sigma = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))
        floor = 6 * sigma + 10
        # a block holds text when at least 2 % of it stands out from the noise (a lone full stop does not)
        inked = _per_block((smooth < paper - floor).astype(np.float64), step, np.mean) >= 0.02
        shadow = paper_blocks < paper - 50
        faint = (local > floor) & (local < 0.45 * contrast) & inked & ~shadow
        out[DefectType.LOW_CONTRAST] = _merge(shadow | faint, step, h, w)
    if DefectType.GLARE in wanted:
        bright = _per_block(gray, step, np.median)
        out[DefectType.GLARE] = _merge((bright > paper + 15) & (bright >= 240), step, h, w)
    if DefectType.BLUR in wanted:
        g = smooth.astype(np.float32)
        grad = np.maximum(np.abs(np.diff(g, axis=0))[:, :-1], np.abs(np.diff(g, axis=1))[:-1, :])
        sharp = float(np.percentile(grad, 99.5)) / contrast if grad.size else 1.0
        blurred = contrast > 40 and sharp < BLUR_SHARPNESS
        out[DefectType.BLUR] = [Rectangle(0, 0, w, h)] if blurred else []
    return out
