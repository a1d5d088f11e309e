"""Plain-numpy references of the local thresholds, for the tests only.

Border rules as in ocrprep: ``"reflect"`` (numpy's mirror without repeating
the edge; the default of Sauvola and Niblack) or ``"replicate"`` (numpy's
``edge``; Wolf, NICK, Bernsen).  Window sums come from int64 summed-area
tables of the padded image, so
they are exact; the thresholds are then evaluated in float64 the textbook
way (with the square root), i.e. independently of ocrprep's squared
comparison.
"""
from __future__ import annotations

import numpy as np


def interior(a, window):
    """The pixels whose whole window lies inside the image (no edge handling involved)."""
    r = window // 2
    return a[r:a.shape[0] - r, r:a.shape[1] - r]


PAD_MODES = {"reflect": "reflect", "replicate": "edge"}


def window_sums(img, window, border="replicate"):
    """Exact sums of v and v**2 over each window x window neighbourhood."""
    r = window // 2
    p = np.pad(img.astype(np.int64), r, mode=PAD_MODES[border])
    out = []
    for a in (p, p * p):
        c = np.zeros((a.shape[0] + 1, a.shape[1] + 1), np.int64)
        c[1:, 1:] = a.cumsum(0).cumsum(1)
        out.append(c[window:, window:] - c[:-window, window:] - c[window:, :-window] + c[:-window, :-window])
    return out[0], out[1]


def mean_std(img, window, border="replicate"):
    s1, s2 = window_sums(img, window, border)
    n = float(window) ** 2
    m = s1 / n
    return m, np.sqrt(np.clip(s2 / n - m * m, 0, None))


class Thresholded(np.ndarray):
    """A {0, 255} reference image that remembers its float threshold ``T``."""


def binary(img, t):
    out = np.where(img > t, 255, 0).astype(np.uint8).view(Thresholded)
    out.T_ = np.broadcast_to(t, img.shape)
    return out


def assert_matches(ours, ref, img, max_ties=1e-4, err_msg=""):
    """``ours == ref`` except where the pixel equals the threshold to within
    float rounding (``|v - T| <= 1e-9 * (1 + |T|)``): there the decision
    depends on the order of the floating-point operations (for integer data
    exact ties do occur, e.g. when the window's variance is a perfect
    square), so either answer is right.  Such pixels must stay rare."""
    ours = np.asarray(ours)
    expected = np.asarray(ref)
    bad = ours != expected
    if not bad.any():
        return
    T = getattr(ref, "T_", None)
    assert T is not None, f"{err_msg}: {int(bad.sum())} pixels differ from an exact reference"
    tie = np.abs(img.astype(np.float64) - T) <= 1e-9 * (1 + np.abs(T))
    real = bad & ~tie
    assert not real.any(), (
        f"{err_msg}: {int(real.sum())} pixels differ, first at {tuple(np.argwhere(real)[0])}"
    )
    assert bad.sum() <= max(2, max_ties * bad.size), f"{err_msg}: {int(bad.sum())} tie pixels is too many"


def sauvola(img, window=25, k=0.2, r=128, border="reflect"):
    m, s = mean_std(img, window, border)
    return binary(img, m * (1 + k * (s / r - 1)))


def niblack(img, window=25, k=-0.2, border="reflect"):
    m, s = mean_std(img, window, border)
    return binary(img, m + k * s)


def nick(img, window=25, k=-0.1):
    m, s = mean_std(img, window)
    return binary(img, m + k * np.sqrt(s * s + m * m))


def wolf(img, window=25, k=0.5, R=None, M=None):
    m, s = mean_std(img, window)
    M = float(img.min()) if M is None else M
    R = float(s.max()) if R is None else R
    term = k * (s / R) * (m - M) if R > 0 else 0.0
    return binary(img, (1 - k) * m + k * M + term)


def window_min_max(img, window):
    """Minimum and maximum over each window (edges replicated), separably:
    the extreme of a square is the extreme over rows of the row extremes."""
    r = window // 2
    p = np.pad(img, r, mode="edge")
    swv = np.lib.stride_tricks.sliding_window_view
    rows_min = swv(p, window, axis=1).min(axis=-1)
    rows_max = swv(p, window, axis=1).max(axis=-1)
    return swv(rows_min, window, axis=0).min(axis=-1), swv(rows_max, window, axis=0).max(axis=-1)


def bernsen(img, window=31, contrast_limit=15, threshold=128):
    lo, hi = window_min_max(img, window)
    lo = lo.astype(np.int64)
    hi = hi.astype(np.int64)
    v = img.astype(np.int64)
    white = np.where(hi - lo >= contrast_limit, 2 * v > lo + hi, v > threshold)
    return np.where(white, 255, 0).astype(np.uint8)
