"""Binarization quality measures of the DIBCO contests.

Every measure compares a binarized image ``pred`` with a ground truth ``gt``
of the same shape.  Ink is the *positive* class, as in the contests: a pixel
is ink when it is dark, i.e. ``value < 128`` for integer images and ``False``
for boolean ones (so ``img > t`` masks and DIBCO's black-ink PNGs both work).

=======================  ==================================================
:func:`precision`        TP / (TP + FP), in percent
:func:`recall`           TP / (TP + FN), in percent
:func:`fmeasure`         harmonic mean of the two (DIBCO's "FM"), percent
:func:`pseudo_fmeasure`  FM with pseudo-recall / pseudo-precision ("p-FM"):
                         the H-DIBCO 2010 skeleton definition, or the
                         DIBCO 2013+ weighted one (``weights="dibco2013"``)
:func:`dibco_weights`    the DIBCO 2013+ weight maps, from the ground truth
:func:`psnr`             10 log10(1 / MSE), in dB (``inf`` when identical)
:func:`drd`              distance-reciprocal distortion (lower is better)
:func:`mcc`              Matthews correlation coefficient in [-1, 1]
:func:`evaluate`         all of the above in one dict
=======================  ==================================================

``python -m ocrprep.metrics PRED_DIR GT_DIR`` prints a per-image and mean
table for two folders of images matched by file stem.

References
----------
* I. Pratikakis, B. Gatos, K. Ntirogiannis, "H-DIBCO 2010 - Handwritten
  Document Image Binarization Competition", ICFHR 2010 (F-measure, PSNR,
  pseudo-F-measure with skeleton-based pseudo-recall).
* K. Ntirogiannis, B. Gatos, I. Pratikakis, "Performance evaluation
  methodology for historical document image binarization", IEEE Trans. Image
  Processing 22(2), 2013 (weighted pseudo-recall / pseudo-precision, used
  from DIBCO 2013 on through the weight files of ``BinEvalWeights``;
  :func:`dibco_weights` computes them from the ground truth).
* H. Lu, A. C. Kot, Y. Q. Shi, "Distance-reciprocal distortion measure for
  binary document images", IEEE Signal Processing Letters 11(2), 2004.
* L. Lam, S.-W. Lee, C. Y. Suen, "Thinning methodologies - a comprehensive
  survey", IEEE PAMI 14(9), 1992 (the thinning used for the skeleton, the
  same as MATLAB's ``bwmorph(bw, 'thin', Inf)`` of the official scripts).
"""
from __future__ import annotations

import math

import numpy as np

from .errors import ImageTypeError, InvalidImageError, InvalidParameterError

__all__ = [
    "ink_mask",
    "confusion",
    "precision",
    "recall",
    "fmeasure",
    "pseudo_recall",
    "pseudo_precision",
    "pseudo_fmeasure",
    "psnr",
    "drd",
    "mcc",
    "skeleton",
    "evaluate",
    "dibco_weights",
    "load_dibco_weights",
]


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------
def ink_mask(img, name: str = "img") -> np.ndarray:
    """Return the boolean ink mask of a binary image (``True`` = ink).

    Integer images: ink where ``value < 128``; boolean images: ink where
    ``False`` (dark).  Any strides are accepted (transposed, Fortran-ordered
    or reversed views); the mask is C-contiguous.  Anything else raises an
    :class:`~ocrprep.OcrprepError`.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import ink_mask
    >>> ink_mask(np.array([[0, 255], [100, 200]], np.uint8))
    array([[ True, False],
           [ True, False]])
    >>> ink_mask(np.array([[False, True]]))
    array([[ True, False]])
    """
    if not isinstance(img, np.ndarray):
        raise ImageTypeError(f"{name} must be a numpy.ndarray, got {type(img).__name__}")
    if img.ndim != 2:
        raise InvalidImageError(f"{name} must be a 2-D binary image, got shape {img.shape}")
    if img.size == 0:
        raise InvalidImageError(f"{name} is empty (shape {img.shape})")
    # C order whatever the strides of img (transposed, Fortran-ordered, reversed views): the
    # loops of the weights take C-contiguous buffers
    if img.dtype == bool:
        return np.ascontiguousarray(~img)
    if img.dtype.kind in "ui":
        return np.ascontiguousarray(img < 128)
    raise ImageTypeError(f"{name} must be a bool or integer image, got dtype {img.dtype}")


def _pair(pred, gt):
    p = ink_mask(pred, "pred")
    g = ink_mask(gt, "gt")
    if p.shape != g.shape:
        raise InvalidImageError(
            f"pred and gt must have the same shape, got {p.shape} and {g.shape}"
        )
    return p, g


def confusion(pred, gt) -> dict:
    """Pixel counts with ink as the positive class.

    Returns
    -------
    dict
        ``tp`` (ink in both), ``fp`` (ink only in ``pred``), ``fn`` (ink only
        in ``gt``), ``tn`` (paper in both); Python ints.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import confusion
    >>> gt = np.array([[0, 0, 255, 255]], np.uint8)
    >>> pred = np.array([[0, 255, 0, 255]], np.uint8)
    >>> confusion(pred, gt)
    {'tp': 1, 'fp': 1, 'fn': 1, 'tn': 1}
    """
    p, g = _pair(pred, gt)
    return _counts(p, g)


def _counts(p, g) -> dict:
    tp = int(np.count_nonzero(p & g))
    np_ = int(np.count_nonzero(p))
    ng = int(np.count_nonzero(g))
    fp = np_ - tp
    fn = ng - tp
    tn = p.size - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _ratio(num, den) -> float:
    # Nothing to find (or nothing claimed) is a perfect score, not a 0/0.
    return 100.0 if den == 0 else 100.0 * num / den


def _f(p, r) -> float:
    return 0.0 if p + r == 0 else 2.0 * p * r / (p + r)


# --------------------------------------------------------------------------
# the classic measures
# --------------------------------------------------------------------------
def precision(pred, gt) -> float:
    """Percentage of the predicted ink that is ink in ``gt`` (100 if none predicted).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import precision
    >>> gt = np.array([[0, 0, 255, 255]], np.uint8)
    >>> precision(np.array([[0, 0, 0, 255]], np.uint8), gt)  # 2 of 3 right
    66.66666666666667
    """
    c = confusion(pred, gt)
    return _ratio(c["tp"], c["tp"] + c["fp"])


def recall(pred, gt) -> float:
    """Percentage of the ink of ``gt`` found in ``pred`` (100 if ``gt`` has none).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import recall
    >>> gt = np.array([[0, 0, 255, 255]], np.uint8)
    >>> recall(np.array([[0, 255, 255, 255]], np.uint8), gt)
    50.0
    """
    c = confusion(pred, gt)
    return _ratio(c["tp"], c["tp"] + c["fn"])


def fmeasure(pred, gt) -> float:
    """F-measure (DIBCO "FM"): ``2 P R / (P + R)`` in percent.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import fmeasure
    >>> gt = np.array([[0, 0, 255, 255]], np.uint8)
    >>> fmeasure(gt, gt)
    100.0
    >>> round(fmeasure(np.array([[0, 255, 0, 255]], np.uint8), gt), 6)  # P = R = 1/2
    50.0
    """
    c = confusion(pred, gt)
    return _f(_ratio(c["tp"], c["tp"] + c["fp"]), _ratio(c["tp"], c["tp"] + c["fn"]))


def psnr(pred, gt) -> float:
    """Peak signal-to-noise ratio in dB, ``10 log10(C**2 / MSE)`` with ``C = 1``.

    ``MSE`` is the fraction of pixels that differ; identical images give
    ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import psnr
    >>> gt = np.zeros((10, 10), np.uint8)
    >>> pred = gt.copy(); pred[0, 0] = 255        # 1 pixel in 100 wrong
    >>> psnr(pred, gt)
    20.0
    >>> psnr(gt, gt)
    inf
    """
    return _psnr(*_pair(pred, gt))


def _psnr(p, g) -> float:
    wrong = int(np.count_nonzero(p != g))
    if wrong == 0:
        return math.inf
    return 10.0 * math.log10(p.size / wrong)


def mcc(pred, gt) -> float:
    """Matthews correlation coefficient of the ink/paper classification.

    ``(TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``; when a factor of
    the denominator is zero the result is 1.0 for identical images and 0.0
    otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import mcc
    >>> gt = np.array([[0, 0, 255, 255]], np.uint8)
    >>> mcc(gt, gt), mcc(255 - gt, gt)
    (1.0, -1.0)
    """
    return _mcc(*_pair(pred, gt))


def _mcc(p, g) -> float:
    c = _counts(p, g)
    tp, fp, fn, tn = (float(c[k]) for k in ("tp", "fp", "fn", "tn"))
    den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    if den == 0:
        return 1.0 if fp == 0 and fn == 0 else 0.0
    return (tp * tn - fp * fn) / math.sqrt(den)


# --------------------------------------------------------------------------
# DRD
# --------------------------------------------------------------------------
def _drd_weights(n: int = 5) -> np.ndarray:
    r = n // 2
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    d = np.hypot(yy, xx)
    w = np.zeros((n, n))
    w[d > 0] = 1.0 / d[d > 0]
    return w / w.sum()


def drd(pred, gt, *, block: int = 8, window: int = 5) -> float:
    """Distance-reciprocal distortion (Lu, Kot & Shi 2004), as in DIBCO.

    For every pixel ``k`` that differs, ``DRD_k`` sums the normalised
    inverse-distance weights ``W(i, j) = 1 / sqrt(i**2 + j**2)`` (0 at the
    centre, ``W / W.sum()``) of the ``window x window`` ground-truth
    neighbours whose value differs from ``pred[k]``; neighbours outside the
    image count as agreeing.  ``DRD = sum(DRD_k) / NUBN`` where ``NUBN`` is the
    number of complete ``block x block`` tiles of ``gt`` that hold both ink
    and paper (at least 1, so a uniform ``gt`` does not divide by zero).
    Conventions differ between implementations at the edges: here pixels
    outside the image agree and partial edge tiles do not count towards
    ``NUBN`` (counting them lowers DRD by up to ~2 % on DIBCO pages; Doxa's
    ``drdm`` tests only 7 x 7 of each tile and finds fewer non-uniform tiles).

    Examples
    --------
    A single wrong pixel in the middle of a uniform 5x5 neighbourhood costs
    the whole weight (1.0); ``gt`` has one non-uniform 8x8 tile:

    >>> import numpy as np
    >>> from ocrprep.metrics import drd
    >>> gt = np.full((8, 8), 255, np.uint8); gt[0, 0] = 0
    >>> pred = gt.copy(); pred[4, 4] = 0
    >>> round(drd(pred, gt), 6)
    1.0
    >>> drd(gt, gt)
    0.0
    """
    return _drd(*_pair(pred, gt), block=block, window=window)


def _drd(p, g, *, block: int = 8, window: int = 5) -> float:
    if window < 3 or window % 2 == 0:
        raise InvalidParameterError(f"window must be an odd int >= 3, got {window}")
    if block < 1:
        raise InvalidParameterError(f"block must be >= 1, got {block}")
    w = _drd_weights(window)
    r = window // 2
    h, wd = g.shape
    wrong = p != g
    total = 0.0
    if wrong.any():
        ys, xs = np.nonzero(wrong)
        val = p[ys, xs]
        gpad = np.pad(g, r, mode="constant")
        inside = np.pad(np.ones_like(g), r, mode="constant")
        for dy in range(window):
            for dx in range(window):
                if w[dy, dx] == 0.0:
                    continue
                gn = gpad[ys + dy, xs + dx]
                ok = inside[ys + dy, xs + dx]
                total += float(w[dy, dx]) * int(np.count_nonzero(ok & (gn != val)))
    nb_y, nb_x = h // block, wd // block
    if nb_y and nb_x:
        tiles = g[: nb_y * block, : nb_x * block].reshape(nb_y, block, nb_x, block)
        n_ink = tiles.sum(axis=(1, 3))
        nubn = int(np.count_nonzero((n_ink > 0) & (n_ink < block * block)))
    else:
        nubn = 0
    return float(total / max(nubn, 1))


# --------------------------------------------------------------------------
# skeleton and pseudo measures
# --------------------------------------------------------------------------
def _thin_tables():
    # Neighbours x1..x8 counter-clockwise from east: bit i-1 of the code is x_i.
    t1 = np.zeros(256, bool)
    t2 = np.zeros(256, bool)
    for code in range(256):
        x = [(code >> i) & 1 for i in range(8)]
        x = x + x[:1]  # x[8] wraps to x1
        # G1: exactly one 8-connected run of ink around p (crossing number 1).
        xh = sum(1 for i in range(4) if not x[2 * i] and (x[2 * i + 1] or x[2 * i + 2]))
        n1 = sum(1 for k in range(4) if x[2 * k] or x[2 * k + 1])
        n2 = sum(1 for k in range(4) if x[2 * k + 1] or x[(2 * k + 2) % 8])
        g12 = xh == 1 and 2 <= min(n1, n2) <= 3
        x1, x2, x3, x4, x5, x6, x7, x8 = x[:8]
        t1[code] = g12 and ((x2 or x3 or not x8) and x1) == 0
        t2[code] = g12 and ((x6 or x7 or not x4) and x5) == 0
    return t1, t2


_THIN = None


def skeleton(mask) -> np.ndarray:
    """One-pixel-wide skeleton of a boolean mask (``True`` = ink).

    Two-subiteration parallel thinning of Guo & Hall / Lam, Lee & Suen (the
    algorithm of MATLAB's ``bwmorph(mask, 'thin', Inf)``), repeated until
    stable.  Pixels outside the image count as paper.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import skeleton
    >>> bar = np.zeros((5, 9), bool); bar[1:4, 1:8] = True   # 3 px thick
    >>> skeleton(bar).astype(int)
    array([[0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 1, 1, 1, 1, 1, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0]])
    """
    global _THIN
    if _THIN is None:
        _THIN = _thin_tables()
    m = np.asarray(mask, dtype=bool)
    if m.ndim != 2:
        raise InvalidImageError(f"mask must be 2-D, got shape {m.shape}")
    s = np.pad(m, 1).astype(np.uint8)
    # (dy, dx) of x1..x8: E, NE, N, NW, W, SW, S, SE
    offs = [(0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1)]
    h, w = m.shape
    while True:
        changed = False
        for table in _THIN:
            code = np.zeros((h, w), np.uint8)
            for bit, (dy, dx) in enumerate(offs):
                code |= s[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] << bit
            core = s[1:-1, 1:-1]
            delete = (core == 1) & table[code]
            if delete.any():
                core[delete] = 0
                changed = True
        if not changed:
            return s[1:-1, 1:-1].astype(bool)


def pseudo_recall(pred, gt, weights=None) -> float:
    """Pseudo-recall in percent.

    ``weights=None`` - the H-DIBCO 2010 / DIBCO 2011 definition: the
    percentage of the ground truth's :func:`skeleton` that ``pred`` marks as
    ink, so a stroke found a little thinner than drawn is not penalised.

    ``weights="dibco2013"`` or an array - the DIBCO 2013+ definition of
    Ntirogiannis et al.: ``sum(GW * pred_ink) / sum(GW)`` with ``GW`` the
    recall weights of the ground truth, computed by :func:`dibco_weights`
    or given (e.g. read from the official ``*_RWeights.dat`` file with
    :func:`load_dibco_weights`).

    Examples
    --------
    A 3-pixel-thick bar found only along its middle row: plain recall is
    1/3, pseudo-recall is full (both definitions: the cross-section's
    weight is all on its middle pixel).

    >>> import numpy as np
    >>> from ocrprep.metrics import pseudo_recall, recall
    >>> gt = np.full((5, 9), 255, np.uint8); gt[1:4, 1:8] = 0
    >>> pred = np.full((5, 9), 255, np.uint8); pred[2, 1:8] = 0
    >>> round(recall(pred, gt), 3), pseudo_recall(pred, gt), pseudo_recall(pred, gt, "dibco2013")
    (33.333, 100.0, 100.0)
    """
    p, g = _pair(pred, gt)
    if isinstance(weights, str):
        weights = _computed(weights, g)[0]
    return _pseudo_recall(p, g, weights)


def _pseudo_recall(p, g, weights) -> float:
    if weights is None:
        sk = skeleton(g)
        return _ratio(int(np.count_nonzero(sk & p)), int(np.count_nonzero(sk)))
    gw = _weights(weights, g.shape, "recall weights")
    return _ratio(float(gw[g & p].sum()), float(gw[g].sum()))


def pseudo_precision(pred, gt, weights=None) -> float:
    """Pseudo-precision in percent.

    ``weights=None`` (H-DIBCO 2010 / DIBCO 2011): the plain
    :func:`precision`.  ``weights="dibco2013"`` or an array (DIBCO 2013+,
    the official tool's formula): every predicted ink pixel counts
    ``1 + PW`` where ``PW`` is the precision weight of the ground truth
    (:func:`dibco_weights`, or the ``*_PWeights.dat`` file: false ink a
    little away from the text costs more than the plain count);
    ``TPw / (TPw + FPw)``.
    """
    p, g = _pair(pred, gt)
    if isinstance(weights, str):
        weights = _computed(weights, g)[1]
    return _pseudo_precision(p, g, weights)


def _pseudo_precision(p, g, weights) -> float:
    if weights is None:
        c = _counts(p, g)
        return _ratio(c["tp"], c["tp"] + c["fp"])
    pw = 1.0 + _weights(weights, g.shape, "precision weights")
    tpw = float(pw[p & g].sum())
    fpw = float(pw[p & ~g].sum())
    return _ratio(tpw, tpw + fpw)


def pseudo_fmeasure(pred, gt, weights=None) -> float:
    """Pseudo-F-measure (DIBCO "p-FM"): harmonic mean of :func:`pseudo_recall`
    and :func:`pseudo_precision`, in percent.

    Parameters
    ----------
    pred, gt : 2-D binary images (ink dark)
    weights : None, "dibco2013" or (recall_weights, precision_weights), optional
        ``None`` (default): the skeleton-based definition of H-DIBCO 2010 /
        DIBCO 2011.  ``"dibco2013"``: the weighted definition used from
        DIBCO 2013 on, with the weights computed from ``gt`` by
        :func:`dibco_weights`.  A pair of arrays: the same definition with
        given weights, e.g. the two maps the official ``BinEvalWeights``
        tool writes (``*_RWeights.dat``, ``*_PWeights.dat``; load them with
        :func:`load_dibco_weights`).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import pseudo_fmeasure
    >>> gt = np.full((5, 9), 255, np.uint8); gt[1:4, 1:8] = 0
    >>> pseudo_fmeasure(gt, gt), pseudo_fmeasure(gt, gt, "dibco2013")
    (100.0, 100.0)
    """
    if weights is None:
        rw = pw = None
    elif isinstance(weights, str):
        rw, pw = _computed(weights, ink_mask(gt, "gt"))
    else:
        if not isinstance(weights, (tuple, list)) or len(weights) != 2:
            raise InvalidParameterError(
                "weights must be None, 'dibco2013' or a (recall_weights, precision_weights) pair"
            )
        rw, pw = weights
    return _f(pseudo_recall(pred, gt, rw), pseudo_precision(pred, gt, pw))


def _computed(name, g):
    if name != "dibco2013":
        raise InvalidParameterError(f"unknown weights {name!r}; use 'dibco2013' or arrays")
    return _dibco_weights(g)


def _weights(w, shape, name):
    w = np.asarray(w, dtype=np.float64)
    if w.shape != tuple(shape):
        raise InvalidImageError(f"{name} have shape {w.shape}, expected {tuple(shape)}")
    return w


def _contour(g) -> np.ndarray:
    """Ink pixels with a 4-neighbour that is paper (outside the image is paper)."""
    pad = np.pad(g, 1)
    inner = pad[:-2, 1:-1] & pad[2:, 1:-1] & pad[1:-1, :-2] & pad[1:-1, 2:]
    return g & ~inner


def dibco_weights(gt):
    """Pseudo-recall and pseudo-precision weights of a ground truth (DIBCO 2013+).

    The weights of Ntirogiannis, Gatos & Pratikakis (IEEE TIP 22(2), 2013),
    computed from the ground truth itself (the contests ship them as the
    ``BinEvalWeights`` files; see :func:`load_dibco_weights`):

    **Recall weights** ``GW`` (on the ground-truth ink, 0 elsewhere).  ``D`` is
    the chessboard distance of an ink pixel to the contour of its component
    (contour pixels - ink with a 4-neighbour of paper - have ``D = 0``: the
    ground truth is least certain there; skeleton pixels have at least 1).
    Every ink pixel belongs to its nearest skeleton pixel (geodesic,
    8-connected, ties to the Euclidean-nearest), and ``GW = D / NR`` where
    ``NR`` sums ``D`` over that skeleton pixel's territory: each stroke
    cross-section weighs 1 whatever the stroke's width, so a broken thin
    stroke costs as much as a broken thick one, and a stroke found a little
    thinner than drawn costs little.  (A 5-pixel cross-section weighs
    0, 1/4, 1/2, 1/4, 0.)

    **Precision weights** ``PW - 1`` (on the paper, 0 on the ink), the
    convention of the ``*_PWeights.dat`` files: false ink costs ``PW``.
    ``Dp`` is the chessboard distance of a paper pixel to the nearest ink
    (1 next to it) and ``c`` that ink's component, of stroke width
    ``sw(c)`` = area / skeleton length.  Within ``2 sw(c)`` of ``c``,
    ``PW - 1 = min(Dp / NP, 2)`` with ``NP = min(sw(c), H)``: ``H`` is half
    the gap to the neighbouring component where another component is that
    close (the distance from ``c`` to the line of pixels equidistant from
    both, where a false bridge would merge two characters), so the weight
    grows from the contour and reaches 1 one stroke width out, or on the
    midline between close characters.  Farther away ``PW = 1``: isolated
    noise costs what it costs in the plain precision.

    The skeleton is :func:`skeleton` (the official tool thins with Lee &
    Chen's method), and ties, the region and the normalisations are
    re-derived here from the paper's definitions, not validated against the
    official ``BinEvalWeights`` files (none were available).  A public
    reconstruction of that tool (Doxa's ``PseudoWeights``) normalises a
    3-pixel cross-section by 2 instead of by its sum and bounds the
    precision region by the component's box plus 2 stroke widths; with such
    rules pseudo-recall moves by up to ~3.5 points on DIBCO pages.  To
    compare with published figures, pass the official weight files
    (:func:`load_dibco_weights`, ``python -m ocrprep.metrics --weights-dir``).

    Parameters
    ----------
    gt : 2-D binary image (ink dark, see :func:`ink_mask`)

    Returns
    -------
    (recall_weights, precision_weights) : pair of (H, W) float64 arrays
        For the ``weights`` argument of :func:`pseudo_fmeasure`.

    Examples
    --------
    A 5-pixel-thick bar: each interior cross-section weighs 1/4, 1/2, 1/4
    inside the contour; the paper right next to the bar costs ``1 + 1/sw``:

    >>> import numpy as np
    >>> from ocrprep.metrics import dibco_weights, skeleton
    >>> gt = np.full((9, 21), 255, np.uint8); gt[2:7, 2:19] = 0
    >>> rw, pw = dibco_weights(gt)
    >>> rw[2:7, 10].tolist()
    [0.0, 0.25, 0.5, 0.25, 0.0]
    >>> round(float(rw.sum()), 9), int(skeleton(gt < 128).sum())    # 1 per skeleton pixel
    (13.0, 13)
    >>> float(pw[1, 10]), float(pw[4, 10])                     # sw = 85 / 13
    (0.15294117647058825, 0.0)
    """
    return _dibco_weights(ink_mask(gt, "gt"))


def _dibco_weights(g):
    from ._components import label as _label
    from ._metrics import nearest_seed

    h, w = g.shape
    rw = np.zeros((h, w), np.float64)
    pw = np.zeros((h, w), np.float64)
    if not g.any():
        return rw, pw
    # recall: distance to the contour, skeleton territories
    contour = _contour(g)
    sk = skeleton(g)
    _, dc = nearest_seed(g, contour)
    d = np.maximum(dc, 0).astype(np.float64)
    d[sk & (d < 1)] = 1.0
    near, _ = nearest_seed(g, sk)
    flat_near = near.ravel()
    ink = g.ravel()
    sk_flat = np.flatnonzero(sk)
    sid = np.full(h * w, -1, np.int64)
    sid[sk_flat] = np.arange(sk_flat.size)
    owner = sid[flat_near[ink]]
    nr = np.bincount(owner, weights=d.ravel()[ink], minlength=sk_flat.size)
    rw.ravel()[ink] = d.ravel()[ink] / nr[owner]
    # components and their stroke widths (area / skeleton length)
    labels = np.empty((h, w), np.int32)
    _label(np.where(g, 0, 255).astype(np.uint8), labels)
    lab = labels.ravel()
    ncomp = int(lab.max()) + 1
    area = np.bincount(lab[ink], minlength=ncomp).astype(np.float64)
    skl = np.bincount(lab[sk_flat], minlength=ncomp).astype(np.float64)
    sw = area / np.maximum(skl, 1.0)
    # precision: nearest ink component of every paper pixel within reach
    reach = int(math.ceil(2.0 * sw[1:].max()))
    src, dp = nearest_seed(~g, g, max_dist=reach)
    src_f, dp_f = src.ravel(), dp.ravel()
    paper = (~ink) & (dp_f > 0)
    cell = np.zeros(h * w, np.int32)
    cell[paper] = lab[src_f[paper]]
    swp = sw[cell]
    region = paper & (dp_f <= 2.0 * swp)
    # the line between two components' cells: half the gap there
    cell2 = cell.reshape(h, w)
    pad = np.pad(cell2, 1)
    boundary = np.zeros((h, w), bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                nb = pad[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
                boundary |= (nb > 0) & (nb != cell2)
    boundary &= paper.reshape(h, w)
    half = np.full(h * w, np.inf)
    if boundary.any():
        bsrc, bdist = nearest_seed(paper.reshape(h, w), boundary, labels=cell2, max_dist=reach)
        bs = bsrc.ravel()
        ok = paper & (bs >= 0)
        half[ok] = dp_f[bs[ok]]
    np_ = np.minimum(swp, half)
    out = pw.ravel()
    out[region] = np.minimum(dp_f[region] / np_[region], 2.0)
    return rw, pw


def load_dibco_weights(path, shape) -> np.ndarray:
    """Read a ``*_RWeights.dat`` / ``*_PWeights.dat`` file of ``BinEvalWeights``.

    The files hold one decimal number per pixel, row by row from the top-left
    corner, separated by white space.  ``shape`` is the ground truth's
    ``(height, width)``.
    """
    with open(path, "r", encoding="ascii") as fh:
        values = np.array(fh.read().replace(",", ".").split(), dtype=np.float64)
    if values.size != shape[0] * shape[1]:
        raise InvalidImageError(
            f"{path}: {values.size} weights for an image of {shape[0]}x{shape[1]} pixels"
        )
    return values.reshape(shape)


# --------------------------------------------------------------------------
# everything at once
# --------------------------------------------------------------------------
def evaluate(pred, gt, weights=None) -> dict:
    """Every measure of this module for one image pair.

    Parameters
    ----------
    pred, gt : 2-D binary images (ink dark)
    weights : (recall_weights, precision_weights) pair, optional
        The official weight maps of ``gt`` (see :func:`load_dibco_weights`);
        by default they are computed by :func:`dibco_weights`.

    Returns
    -------
    dict
        ``fm``, ``pfm`` (DIBCO 2013+ weighted pseudo-F), ``pfm2010``
        (H-DIBCO 2010 skeleton pseudo-F), ``psnr``, ``drd``, ``precision``,
        ``recall``, ``pseudo_recall``, ``pseudo_precision`` (the weighted
        ones), ``mcc`` (floats; the percentages are in [0, 100]).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.metrics import evaluate
    >>> gt = np.full((16, 16), 255, np.uint8); gt[4:12, 6:9] = 0
    >>> r = evaluate(gt, gt)
    >>> r["fm"], r["pfm"], r["pfm2010"], r["psnr"], r["drd"], r["mcc"]
    (100.0, 100.0, 100.0, inf, 0.0, 1.0)
    """
    p, g = _pair(pred, gt)
    c = _counts(p, g)
    prec = _ratio(c["tp"], c["tp"] + c["fp"])
    rec = _ratio(c["tp"], c["tp"] + c["fn"])
    if weights is None:
        rw, pw = _dibco_weights(g)
    else:
        if not isinstance(weights, (tuple, list)) or len(weights) != 2:
            raise InvalidParameterError("weights must be a (recall_weights, precision_weights) pair")
        rw, pw = weights
    prec_ps = _pseudo_precision(p, g, pw)
    rec_ps = _pseudo_recall(p, g, rw)
    return {
        "fm": _f(prec, rec),
        "pfm": _f(prec_ps, rec_ps),
        "pfm2010": _f(prec, _pseudo_recall(p, g, None)),
        "psnr": _psnr(p, g),
        "drd": _drd(p, g),
        "precision": prec,
        "recall": rec,
        "pseudo_recall": rec_ps,
        "pseudo_precision": prec_ps,
        "mcc": _mcc(p, g),
    }


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------
_IMAGE_EXT = {".png", ".bmp", ".tif", ".tiff", ".pbm", ".pgm", ".ppm", ".jpg", ".jpeg", ".gif", ".webp"}


def _read_gray(path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("L"))


def _find(folder):
    from pathlib import Path

    out = {}
    for f in sorted(Path(folder).iterdir()):
        if f.suffix.lower() in _IMAGE_EXT and f.is_file():
            out.setdefault(f.stem, f)
    return out


COLUMNS = ("fm", "pfm", "pfm2010", "psnr", "drd", "precision", "recall", "mcc")


def format_table(rows: dict, columns=COLUMNS) -> str:
    """Format ``{name: evaluate(...) dict}`` as a text table with a mean row."""
    names = list(rows)
    width = max([len("image"), len("mean")] + [len(n) for n in names])
    head = f"{'image':<{width}}  " + "  ".join(f"{c:>9}" for c in columns)
    lines = [head, "-" * len(head)]
    for n in names:
        lines.append(f"{n:<{width}}  " + "  ".join(f"{rows[n][c]:9.3f}" for c in columns))
    if names:
        lines.append("-" * len(head))
        means = {c: float(np.mean([rows[n][c] for n in names])) for c in columns}
        lines.append(f"{'mean':<{width}}  " + "  ".join(f"{means[c]:9.3f}" for c in columns))
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m ocrprep.metrics PRED_DIR GT_DIR``: per-image and mean table."""
    import argparse
    import sys
    from pathlib import Path

    ap = argparse.ArgumentParser(
        prog="python -m ocrprep.metrics",
        description="Score binarized images against ground truth with the DIBCO measures "
        "(files matched by name without extension; ink is dark in both folders).",
    )
    ap.add_argument("pred_dir", help="folder of binarized images")
    ap.add_argument("gt_dir", help="folder of ground-truth images")
    ap.add_argument(
        "--weights-dir",
        help="folder with BinEvalWeights output (<stem>_RWeights.dat, <stem>_PWeights.dat) "
        "for the DIBCO 2013+ pseudo-F-measure (default: the weights are computed from "
        "the ground truth)",
    )
    args = ap.parse_args(argv)
    for d in (args.pred_dir, args.gt_dir):
        if not Path(d).is_dir():
            print(f"error: {d} is not a folder", file=sys.stderr)
            return 2
    preds, gts = _find(args.pred_dir), _find(args.gt_dir)
    common = [s for s in gts if s in preds]
    if not common:
        print("error: no image names in common between the two folders", file=sys.stderr)
        return 2
    rows, failed = {}, 0
    for stem in common:
        try:
            gt = _read_gray(gts[stem])
            pred = _read_gray(preds[stem])
            weights = None
            if args.weights_dir:
                base = Path(args.weights_dir)
                rw = next(iter(base.glob(f"{stem}*_RWeights.dat")), None)
                pw = next(iter(base.glob(f"{stem}*_PWeights.dat")), None)
                if rw is not None and pw is not None:
                    weights = (load_dibco_weights(rw, gt.shape), load_dibco_weights(pw, gt.shape))
            rows[stem] = evaluate(pred, gt, weights)
        except Exception as exc:  # report and go on with the other images
            print(f"{stem}: {exc}", file=sys.stderr)
            failed += 1
    missing = [s for s in gts if s not in preds]
    print(format_table(rows))
    if missing:
        print(f"\n{len(missing)} ground-truth image(s) without a prediction: {', '.join(missing)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
