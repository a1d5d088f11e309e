"""Classic local (adaptive) thresholds: Niblack, Wolf-Jolion, NICK, Bernsen.

Each method compares every pixel with a threshold computed from its
``window`` x ``window`` neighbourhood.  Niblack, Wolf and
NICK use the window's mean ``m`` and population standard deviation ``s``;
they share the exact running-sum kernel of :func:`ocrprep.sauvola`.  Bernsen
uses the window's minimum and maximum.

Window rule (all methods, Sauvola included): an odd int from 1 to 2047 that
is not larger than the image in both directions, ``window <= max(H, W)``.
A window taller than a one-line crop is fine (the border rule supplies the
missing rows);
a window covering more than the whole image is almost certainly a mistake
(wrong units, wrong image) and raises :class:`~ocrprep.InvalidParameterError`.
"""
from __future__ import annotations

import math

import numpy as np

from . import _checks
from ._parallel import run_bands
from ._window_stats import MAX_WINDOW, max_variance_band, threshold_band
from .errors import InvalidParameterError

__all__ = ["niblack", "wolf", "nick", "bernsen"]


#: Bound on ``|k|``: far beyond any useful value, and small enough that the
#: squared comparison cannot overflow a double.
MAX_K = 1000.0


def _prepare(img, window):
    """Validate the image and the window of a local method."""
    # the window sums index rows and columns padded by the window with int: checked before any copy
    img = _checks.unit_column_stride(_checks.image2d(img, contiguous=False, max_side=2**31 - 1 - 2 * MAX_WINDOW))
    window = _checks.odd_size(window, "window", 1, MAX_WINDOW)
    _checks.window_in_image(window, img.shape)
    return img, window


def _min_rows(window):
    # each band first sums `window` rows: keep bands much taller than that
    return max(64, 4 * window)


#: Border modes of the mean/std methods: ``replicate`` repeats the edge pixel
#: (OpenCV's BORDER_REPLICATE); ``reflect`` mirrors about the edge pixel
#: without repeating it (numpy's ``reflect``, OpenCV's BORDER_REFLECT_101),
#: which is what scikit-image's thresholds use and so the default of
#: :func:`ocrprep.sauvola` and :func:`niblack`.  Both are computed in the
#: kernel with O(width) scratch; neither copies the image.
BORDERS = ("replicate", "reflect")


def _border(border):
    if not isinstance(border, str) or border.lower() not in BORDERS:
        raise InvalidParameterError(f"border must be one of {', '.join(BORDERS)}, got {border!r}")
    return border.lower()


def _mean_std_threshold(img, window, *, a1, a0, b1, b0, rms, negative, out, threads, border="replicate"):
    """Run the shared rule ``n*v - a1*S1 - a0 > (b1*S1 + b0) * sqrt(D)`` (see
    ``csrc/window_stats.h``) over row bands of a validated image."""
    reflect = _border(border) == "reflect"
    nthreads = _checks.threads(threads, img.size)
    work, out = _checks.output(out, img.shape, img)
    run_bands(
        lambda y0, y1: threshold_band(img, work, window, a1, a0, b1, b0, rms, negative, y0, y1, reflect),
        img.shape[0], nthreads, min_rows=_min_rows(window),
    )
    return _checks.finish(work, out)


def niblack(img, window=25, k=-0.2, *, border="reflect", out=None, threads=None):
    """Binarize with Niblack's local threshold ``T = m + k * s``.

    ``m`` and ``s`` are the mean and population standard deviation of the
    ``window`` x ``window`` neighbourhood; pixels ``> T`` become paper (255),
    the others ink (0).  Niblack's threshold follows every bit of background
    texture, so it is noisy on plain paper; Sauvola, Wolf and NICK refine it.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    window : odd int, optional
        1 to 2047 and ``<= max(H, W)`` (see the module notes).
    k : float, optional
        Weight of the standard deviation, -1000 to 1000; negative values
        (the usual -0.2) put the threshold below the mean, i.e. favour paper.
    border : {"reflect", "replicate"}, optional
        Values beyond the image edges: mirror about the edge pixel (default,
        scikit-image's convention) or repeat it.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Notes
    -----
    scikit-image writes the same rule as ``m - k * s``:
    ``niblack(img, w, k)`` equals ``img > threshold_niblack(img, w, -k)``
    (both mirror the border by default).

    References
    ----------
    W. Niblack, *An Introduction to Digital Image Processing*, Prentice-Hall,
    1986, pp. 115-116.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((20, 20), 180, np.uint8); img[5:15, 9:11] = 40
    >>> bw = ocrprep.niblack(img, window=7)
    >>> int((bw[5:15, 9:11] == 0).sum())
    20
    """
    img, window = _prepare(img, window)
    k = _checks.real(k, "k", -MAX_K, MAX_K)
    # n*T = S1 + k * sqrt(n*S2 - S1^2)
    return _mean_std_threshold(img, window, a1=1.0, a0=0.0, b1=0.0, b0=k, rms=False,
                               negative=k < 0, out=out, threads=threads, border=border)


def nick(img, window=25, k=-0.1, *, out=None, threads=None):
    """Binarize with the NICK threshold ``T = m + k * sqrt(s**2 + m**2)``.

    NICK shifts Niblack's threshold down by taking the root mean square of
    the window (``sqrt(s**2 + m**2) = sqrt(sum(v**2) / NP)``) instead of its
    standard deviation, which cleans light, textured backgrounds of old
    documents.  Pixels ``> T`` become paper (255).

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    window : odd int, optional
        1 to 2047 and ``<= max(H, W)`` (see the module notes).
    k : float, optional
        Usually between -0.2 and -0.1 (accepted: -1000 to 1000).
    out : (H, W) uint8 ndarray, optional
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Notes
    -----
    The paper prints the term as ``sqrt((sum(p**2) - m**2) / NP)``; ocrprep,
    like Doxa, reads it as ``sqrt(sum(p**2) / NP)`` (the two differ by
    ``m**2 / NP`` under the root, 0.2 % of the term for a 25x25 window).

    References
    ----------
    K. Khurshid, I. Siddiqi, C. Faure and N. Vincent, "Comparison of Niblack
    inspired binarization methods for ancient documents", Document Recognition
    and Retrieval XVI, Proc. SPIE 7247, 2009.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((20, 20), 180, np.uint8); img[5:15, 9:11] = 40
    >>> bw = ocrprep.nick(img, window=7)
    >>> int((bw[5:15, 9:11] == 0).sum()), int((bw == 0).sum())
    (20, 20)
    """
    img, window = _prepare(img, window)
    k = _checks.real(k, "k", -MAX_K, MAX_K)
    # n*T = S1 + k * sqrt(n*S2)
    return _mean_std_threshold(img, window, a1=1.0, a0=0.0, b1=0.0, b0=k, rms=True,
                               negative=k < 0, out=out, threads=threads)


def wolf(img, window=25, k=0.5, *, out=None, threads=None):
    """Binarize with the Wolf-Jolion threshold.

    ``T = (1 - k) * m + k * M + k * (s / R) * (m - M)`` where ``m``, ``s``
    are the window's mean and standard deviation, ``M`` the darkest grey
    level of the image and ``R`` the largest ``s`` over all windows of the
    image.  Normalising by the image's own contrast makes it robust on
    low-contrast pages where Sauvola's fixed ``r = 128`` loses faint ink.
    Pixels ``> T`` become paper (255).

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    window : odd int, optional
        1 to 2047 and ``<= max(H, W)`` (see the module notes).
    k : float, optional
        0.5 in the paper (accepted: -1000 to 1000).
    out : (H, W) uint8 ndarray, optional
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Notes
    -----
    Two passes over the image: the first finds ``R`` (band-parallel), the
    second thresholds.  On a flat image (``R = 0``) the contrast term is 0.

    References
    ----------
    C. Wolf and J.-M. Jolion, "Extraction and recognition of artificial text
    in multimedia documents", Pattern Analysis and Applications 6(4),
    pp. 309-326, 2003.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((20, 20), 180, np.uint8); img[5:15, 9:11] = 40
    >>> bw = ocrprep.wolf(img, window=7)
    >>> int((bw[5:15, 9:11] == 0).sum()), int((bw == 0).sum())
    (20, 20)
    """
    img, window = _prepare(img, window)
    k = _checks.real(k, "k", -MAX_K, MAX_K)
    nthreads = _checks.threads(threads, img.size)
    from .histogram import histogram

    hist = histogram(img, threads=nthreads)
    darkest = float(np.flatnonzero(hist)[0])
    max_d = max(run_bands(lambda y0, y1: max_variance_band(img, window, y0, y1),
                          img.shape[0], nthreads, min_rows=_min_rows(window)))
    n = float(window) * window
    if max_d > 0:
        root = math.sqrt(max_d)  # n * R
        b1, b0 = k / root, -k * n * darkest / root
    else:
        b1 = b0 = 0.0
    # n*T = (1-k)*S1 + k*n*M + (k / (n*R)) * (S1 - n*M) * sqrt(n*S2 - S1^2)
    return _mean_std_threshold(img, window, a1=1.0 - k, a0=k * n * darkest, b1=b1, b0=b0,
                               rms=False, negative=k < 0, out=out, threads=nthreads)


def bernsen(img, window=31, contrast_limit=15, threshold=128, *, out=None, threads=None):
    """Binarize with Bernsen's local mid-range threshold.

    With ``lo``, ``hi`` the darkest and lightest pixel of the ``window`` x
    ``window`` neighbourhood: where the local contrast ``hi - lo`` is at
    least ``contrast_limit``, a pixel ``> (lo + hi) / 2`` becomes paper
    (255); in low-contrast neighbourhoods (plain paper, the inside of thick
    strokes) the mid-range means nothing and the pixel is compared with the
    global ``threshold`` instead.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    window : odd int, optional
        1 to 2047 and ``<= max(H, W)`` (see the module notes).
    contrast_limit : int, optional
        0 to 256; 0 always uses the mid-range, 256 never does.
    threshold : int, optional
        0 to 255: the global threshold of low-contrast neighbourhoods.
    out : (H, W) uint8 ndarray, optional
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Notes
    -----
    For a minimum or maximum, repeating the edge pixels is the same as
    clipping the window to the image, so the result equals Doxa's Bernsen
    (``contrast-limit = contrast_limit - 1``, Doxa tests ``hi - lo >
    limit``) everywhere.

    References
    ----------
    J. Bernsen, "Dynamic thresholding of grey-level images", Proc. 8th
    International Conference on Pattern Recognition, pp. 1251-1255, 1986.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((20, 20), 180, np.uint8); img[5:15, 9:11] = 40
    >>> bw = ocrprep.bernsen(img, window=7)
    >>> int((bw[5:15, 9:11] == 0).sum()), int((bw == 0).sum())
    (20, 20)
    """
    from ._local import bernsen_band

    img, window = _prepare(img, window)
    contrast_limit = _checks.integer(contrast_limit, "contrast_limit")
    if not 0 <= contrast_limit <= 256:
        raise InvalidParameterError(f"contrast_limit must be between 0 and 256, got {contrast_limit}")
    threshold = _checks.integer(threshold, "threshold")
    if not 0 <= threshold <= 255:
        raise InvalidParameterError(f"threshold must be between 0 and 255, got {threshold}")
    nthreads = _checks.threads(threads, img.size)
    work, out = _checks.output(out, img.shape, img)
    run_bands(
        lambda y0, y1: bernsen_band(img, work, window, contrast_limit, threshold, y0, y1),
        img.shape[0], nthreads, min_rows=64,
    )
    return _checks.finish(work, out)
