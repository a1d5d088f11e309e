"""Paper background estimation and flat-field normalisation.

Uneven lighting, yellowed paper and large stains change the paper's grey
level across a page; dividing the page by an estimate of that level (a
"flat field") leaves ink at a uniform contrast on uniform paper, which is
what global thresholds, the automatic binarizer and OCR want.

The estimate works on a grid of 8 x 8 block means (the background is smooth,
so nothing is lost and the page is touched only twice):

1. blocks markedly darker (15 %) than the brightest block nearby hold ink;
2. the paper level of every block is the mean of the other blocks in a
   ``window`` x ``window`` neighbourhood (normalised convolution; windows
   with too few paper blocks grow until they have some) — the background
   surface of Gatos, Pratikakis & Perantonis (2006), interpolated from
   non-text pixels;
3. step 2 is repeated with ink blocks redefined robustly: blocks more than
   3 standard deviations darker than the paper level they were given, the
   deviation measured on the ink-free side (ratios above their mode);
4. one step of Tukey's twicing (the residual of the paper blocks, smoothed
   the same way, is added back) reduces the lag of a windowed mean on a
   slope.

The grid is then interpolated bilinearly to every pixel (linearly
extrapolated in the outer half block).  Limitation: within about one
``window`` of the image border, where the window is clipped, a steep
shading is followed less closely (a few percent, more in the corners).
"""
from __future__ import annotations

import numpy as np

from . import _checks
from ._background import block_sums_band, block_upper_band, normalize_band, paper_surface
from ._parallel import run_bands

__all__ = ["estimate_background", "normalize_background"]

#: Side of the blocks whose means the surface is estimated on.
BLOCK = 8


def _block(shape) -> int:
    # Small images get smaller blocks so the grid keeps a few cells a side.
    return max(1, min(BLOCK, min(shape) // 8))


def _radius(window: int, b: int) -> int:
    return max(1, int(round(window / b)) | 1) // 2


def _block_means(img, nthreads, mins=None, upper=None, produce=None):
    """(means, b): the b x b block means of ``img`` (float32 grid).

    With ``mins=[]``, the block minima of ``img`` (uint8, same grid) are
    appended to that list; with ``upper=[]``, the ink-robust paper
    statistics of every block: the mean of its pixels at or above its mean
    (float32) and its maximum (uint8), in that order (see
    ``csrc/background.h``).  ``produce(y0, y1)``, when given, writes rows
    [y0, y1) of ``img`` first, a few block rows at a time, so they are
    measured while still in the cache (the colour page's ink channel)."""
    h, w = img.shape
    b = _block(img.shape)
    ch, cw = (h + b - 1) // b, (w + b - 1) // b
    acc = np.zeros((ch, cw), np.uint32)
    mn = None
    if mins is not None:
        mn = np.full((ch, cw), 255, np.uint8)
        mins.append(mn)
    if upper is not None:
        up = np.zeros((ch, cw), np.float32)
        mx = np.zeros((ch, cw), np.uint8)
        upper.extend((up, mx))

    def band(c0, c1):
        # bands of whole block rows so no two threads share an accumulator
        # row, taken a few block rows at a time: the sums, minima and upper
        # means then read the rows from the cache, not three times from memory
        step = max(1, (64 if produce is not None else 128) // b)
        for s0 in range(c0, c1, step):
            y0, y1 = s0 * b, min(h, min(c1, s0 + step) * b)
            if produce is not None:
                produce(y0, y1)
            block_sums_band(img, acc, b, y0, y1, mn)
            if upper is not None:
                block_upper_band(img, acc, b, y0, y1, up, mx)

    run_bands(band, ch, nthreads, min_rows=max(1, 64 // b))
    counts = np.full((ch, cw), float(b * b), np.float32)
    if h % b:
        counts[-1, :] = (h % b) * b
    if w % b:
        counts[:, -1] = counts[:, -1] / b * (w % b)
    return np.ascontiguousarray(acc / counts, dtype=np.float32), b


def _surface(img, window, nthreads, mins=None):
    """(grid, b): the paper level on the b x b block grid (float32); ``mins``
    as for :func:`_block_means`."""
    means, b = _block_means(img, nthreads, mins)
    return paper_surface(means, _radius(window, b)), b


def _window_max(a, r, axis):
    """Maximum over [i - r, i + r] along ``axis``, the window clipped to the
    array: the two power-of-two windows covering it, each built by doubling
    (log2(2r + 1) vectorised passes, whatever r)."""
    if r <= 0:
        return a

    def cut(arr, start, length):
        sl = [slice(None)] * arr.ndim
        sl[axis] = slice(start, start + length)
        return arr[tuple(sl)]

    k = 2 * r + 1
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r, r)
    m = np.pad(a, pad, constant_values=-np.inf)
    width = 1
    while 2 * width <= k:
        n = m.shape[axis] - width
        m = np.maximum(cut(m, 0, n), cut(m, width, n))
        width *= 2
    n = a.shape[axis]
    return np.maximum(cut(m, 0, n), cut(m, k - width, n))


def _grid_open2(mask):
    """The cells of ``mask`` (bool grid) that lie in a 2 x 2 square of set
    cells: a binary opening by a 2 x 2 square (areas at least two cells
    both ways)."""
    square = mask[:-1, :-1] & mask[1:, :-1] & mask[:-1, 1:] & mask[1:, 1:]
    out = np.zeros_like(mask)
    for dy in (0, 1):
        for dx in (0, 1):
            out[dy: dy + square.shape[0], dx: dx + square.shape[1]] |= square
    return out


def _grid_dilate(a, r):
    """Maximum over the (2r+1) x (2r+1) window of every cell (clipped)."""
    return _window_max(_window_max(a, r, 1), r, 0)


def _apply_gain(img, gain, b, work, nthreads, hist_step=0):
    """work = round(img * bilinear(gain)); returns the histogram of the output
    on rows ``y % hist_step == 0`` (or None when ``hist_step`` is 0)."""
    h = img.shape[0]

    def band(y0, y1):
        if not hist_step:
            normalize_band(img, work, gain, b, y0, y1)
            return None
        hist = np.zeros(256, np.int64)
        normalize_band(img, work, gain, b, y0, y1, hist, hist_step)
        return hist

    parts = run_bands(band, h, nthreads, min_rows=64)
    if not hist_step:
        return None
    return np.sum(parts, axis=0, dtype=np.int64)


def estimate_background(img, window: int = 61, *, out=None, threads=None) -> np.ndarray:
    """Estimate the grey level of the paper under every pixel.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Dark ink on lighter paper (invert light-on-dark pages first).
    window : int, optional
        Side in pixels of the neighbourhood the paper level is averaged
        over; larger than the strokes and small characters (the default,
        61, is about 5 mm at 300 dpi).  Between 3 and 4095.
    out : (H, W) uint8 ndarray, optional
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray
        A smooth image: the estimated paper level.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> page = np.tile(np.linspace(120, 240, 200).astype(np.uint8), (100, 1))
    >>> page[40:60, 50:150] = 30                      # a dark bar of "ink"
    >>> bg = ocrprep.estimate_background(page)
    >>> abs(int(bg[50, 100]) - int(page[10, 100])) <= 4    # the ink is gone
    True
    """
    img = _checks.image2d(img)
    window = _checks.integer(window, "window")
    if not 3 <= window <= 4095:
        from .errors import InvalidParameterError

        raise InvalidParameterError(f"window must be between 3 and 4095, got {window}")
    nthreads = _checks.threads(threads, img.size)
    grid, b = _surface(img, window, nthreads)
    work, out = _checks.output(out, img.shape, img)
    ones = np.ones(img.shape, np.uint8)
    _apply_gain(ones, np.ascontiguousarray(grid, np.float32), b, work, nthreads)
    return _checks.finish(work, out)


def normalize_background(img, window: int = 61, *, out=None, threads=None) -> np.ndarray:
    """Flat-field a page: divide by its paper level so the paper becomes white.

    ``out = min(255, round(255 * img / background))`` with the background of
    :func:`estimate_background`.  Shading, yellowing and stains larger than
    ``window`` disappear; ink keeps its contrast relative to the paper.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    window : int, optional
        See :func:`estimate_background`.
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional

    Returns
    -------
    (H, W) uint8 ndarray

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> page = np.tile(np.linspace(170, 240, 200).astype(np.uint8), (100, 1))
    >>> page[40:60, 50:150] = 30
    >>> flat = ocrprep.normalize_background(page)
    >>> int(flat[10, 40]) >= 245 and int(flat[10, 180]) >= 245    # paper is white
    True
    >>> int(flat[50, 100]) < 80                                     # ink stays dark
    True
    """
    img = _checks.image2d(img)
    window = _checks.integer(window, "window")
    if not 3 <= window <= 4095:
        from .errors import InvalidParameterError

        raise InvalidParameterError(f"window must be between 3 and 4095, got {window}")
    nthreads = _checks.threads(threads, img.size)
    grid, b = _surface(img, window, nthreads)
    gain = np.ascontiguousarray(255.0 / np.maximum(grid, 1.0), np.float32)
    work, out = _checks.output(out, img.shape, img)
    _apply_gain(img, gain, b, work, nthreads)
    return _checks.finish(work, out)
