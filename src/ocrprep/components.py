"""Connected components of binary pages: speck removal and hole filling.

Ink (pixels < 128) is 8-connected and paper 4-connected, the usual dual
pair, so a ring of ink always encloses its hole.  Components are found on
horizontal runs with union-find (Rosenfeld & Pfaltz's two-pass labelling,
run-based as in Leptonica and OpenCV's run-length labelling): the work grows
with the number of runs, not of pixels, and rows of plain paper are skipped
eight pixels at a time.

References
----------
A. Rosenfeld, J. L. Pfaltz, "Sequential operations in digital picture
processing", J. ACM 13(4), 1966.
"""
from __future__ import annotations

import numpy as np

from . import _checks
from ._components import clean as _clean
from ._components import label as _label
from .errors import InvalidParameterError

__all__ = ["remove_specks", "fill_holes", "label_components"]


def _area(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    value = _checks.integer(value, name)
    if value < 0:
        raise InvalidParameterError(f"{name} must be >= 0, got {value}")
    return value


def remove_specks(bw, max_area: int = 4, *, out=None, threads=None) -> np.ndarray:
    """Turn ink components of at most ``max_area`` pixels into paper.

    Parameters
    ----------
    bw : (H, W) uint8 ndarray
        Binary page; pixels < 128 are ink (the result of
        :func:`ocrprep.binarize`).
    max_area : int, optional
        Largest speck removed, in pixels (8-connected components); 0 keeps
        everything.  Default 4.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``bw`` itself.
    threads : int or None, optional
        Accepted for uniformity; labelling runs on one thread.

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> bw = np.full((6, 8), 255, np.uint8)
    >>> bw[1, 1] = 0                  # a 1-pixel speck
    >>> bw[2:5, 4:7] = 0              # a 9-pixel blob
    >>> out = ocrprep.remove_specks(bw, max_area=4)
    >>> int(out[1, 1]), int((out == 0).sum())
    (255, 9)
    """
    bw = _checks.image2d(bw, "bw")
    max_area = _area(max_area, "max_area")
    _checks.threads(threads, bw.size)
    work, out = _checks.output(out, bw.shape, bw)
    if work is not bw:
        np.copyto(work, bw)
    _clean(work, max_area + 1, False, 0, 0.0)
    return _checks.finish(work, out)


def fill_holes(bw, max_area=None, *, out=None, threads=None) -> np.ndarray:
    """Turn enclosed paper components (holes in the ink) into ink.

    A hole is a 4-connected paper component that does not touch the image
    border.

    Parameters
    ----------
    bw : (H, W) uint8 ndarray
        Binary page; pixels < 128 are ink.
    max_area : int or None, optional
        Largest hole filled, in pixels; ``None`` (default) fills every hole.
        Use a small value to close pinholes in strokes without filling the
        counters of letters such as "o".
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``bw`` itself.
    threads : int or None, optional
        Accepted for uniformity; labelling runs on one thread.

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> bw = np.full((7, 7), 255, np.uint8)
    >>> bw[1:6, 1:6] = 0; bw[3, 3] = 255        # a ring with a 1-pixel hole
    >>> int(ocrprep.fill_holes(bw)[3, 3])
    0
    >>> int(ocrprep.fill_holes(bw, max_area=0)[3, 3])
    255
    """
    bw = _checks.image2d(bw, "bw")
    max_area = _area(max_area, "max_area", allow_none=True)
    _checks.threads(threads, bw.size)
    work, out = _checks.output(out, bw.shape, bw)
    if work is not bw:
        np.copyto(work, bw)
    _clean(work, 0, False, -1 if max_area is None else max_area, 0.0)
    return _checks.finish(work, out)


def label_components(bw):
    """Label the 8-connected ink components of a binary page.

    Parameters
    ----------
    bw : (H, W) uint8 ndarray
        Pixels < 128 are ink.

    Returns
    -------
    labels : (H, W) int32 ndarray
        0 on paper, 1..n on the ink components (numbered in order of their
        first pixel in row-major order).
    areas : (n + 1,) int64 ndarray
        Pixels of each label (``areas[0]``: paper).

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> bw = np.array([[0, 255, 0], [255, 0, 255], [255, 255, 255], [0, 0, 255]], np.uint8)
    >>> labels, areas = ocrprep.label_components(bw)
    >>> labels
    array([[1, 0, 1],
           [0, 1, 0],
           [0, 0, 0],
           [2, 2, 0]], dtype=int32)
    >>> areas.tolist()
    [7, 3, 2]
    """
    bw = _checks.image2d(bw, "bw")
    labels = np.empty(bw.shape, np.int32)
    _, areas = _label(bw, labels)
    return labels, areas
