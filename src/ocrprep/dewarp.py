"""Flatten curled pages: straighten the text lines by moving pixels vertically.

A page photographed or scanned open in a book curls near the spine: its text
lines bend.  :func:`dewarp` measures the bend from the text lines themselves
and undoes it:

1. The page is binarized (:func:`ocrprep.binarize`, on a copy reduced to about
   1600 pixels on its long side) and cut into vertical strips; each strip's
   ink profile (ink pixels per row) has a peak per text line.
2. The lines are found in the middle strip and followed strip by strip to
   both sides (each line's position in the next strip is the ink centroid
   within half a line height of its position in the last one).
3. Each line's track is fitted with a polynomial ``y = f(x)`` (degree 2, or 3
   for lines tracked over most of the width); lines that cross or were
   tracked over less than half the page are dropped.
4. Every column is then resampled vertically: a point on line ``i`` moves to
   the line's mean height, points between two lines move by the linear blend
   of the two lines' displacements, points above the first or below the last
   line move like that line.

**It is an approximation**: only vertical displacements are corrected.  The
horizontal compression of a page bending away from the camera near the spine,
perspective, and the bend of pages without text lines (pictures, tables
without text) are not: there is no 3-D model of the page.  The function says
so in its warnings (``return_warnings=True``), and the service passes them on.
"""
from __future__ import annotations

import math

import numpy as np

from . import _checks

__all__ = ["dewarp", "APPROXIMATION_NOTE"]

#: the warning every result carries
APPROXIMATION_NOTE = (
    "dewarping is an approximation: text lines are straightened by vertical displacements fitted to their "
    "curvature; the horizontal compression near a book's spine and perspective are not corrected"
)

_ANALYSIS_SIDE = 1600  # long side of the page the lines are measured on


def _smooth(a: np.ndarray, width: int, axis: int = -1) -> np.ndarray:
    """Moving average of ``width`` samples along ``axis`` (same length, edges replicated)."""
    if width <= 1:
        return a.astype(np.float64)
    k = np.ones(width) / width
    pad = [(0, 0)] * a.ndim
    pad[axis] = (width // 2, width - 1 - width // 2)
    p = np.pad(a.astype(np.float64), pad, mode="edge")
    return np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), axis, p)


def _line_height(profile: np.ndarray) -> int:
    """Typical height (rows) of the ink bands of a row profile: the median run above 20% of its peak."""
    on = profile > 0.2 * profile.max()
    runs, n = [], 0
    for v in on:
        if v:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    if n:
        runs.append(n)
    runs = [r for r in runs if r >= 2]
    return int(np.median(runs)) if runs else 0


def _peaks(profile: np.ndarray, min_distance: int) -> list[int]:
    """Rows of the local maxima of ``profile`` over 25% of its peak, at least ``min_distance`` apart
    (the highest wins)."""
    top = profile.max()
    if top <= 0:
        return []
    candidates = [y for y in range(1, len(profile) - 1)
                  if profile[y] >= profile[y - 1] and profile[y] > profile[y + 1] and profile[y] > 0.25 * top]
    chosen: list[int] = []
    for y in sorted(candidates, key=lambda y: -profile[y]):
        if all(abs(y - c) >= min_distance for c in chosen):
            chosen.append(y)
    return sorted(chosen)


def _track(profiles: np.ndarray, seeds: list[int], k0: int, radius: int, min_ink: float):
    """Follow each seed row from strip ``k0`` to both sides; returns (positions, valid), (lines, strips)."""
    n_strips, rows = profiles.shape
    pos = np.zeros((len(seeds), n_strips))
    valid = np.zeros((len(seeds), n_strips), bool)
    offsets = np.arange(-radius, radius + 1)
    for i, seed in enumerate(seeds):
        pos[i, k0], valid[i, k0] = seed, True
        for direction in (1, -1):
            y, slope = float(seed), 0.0
            k = k0 + direction
            while 0 <= k < n_strips:
                guess = y + slope  # lines bend smoothly: look where the last step was heading
                idx = np.clip(int(round(guess)) + offsets, 0, rows - 1)
                p = profiles[k, idx]
                mass = p.sum()
                if mass >= min_ink:
                    found = float((idx * p).sum() / mass)
                    slope, y = 0.5 * slope + 0.5 * (found - y), found
                    valid[i, k] = True
                pos[i, k] = y
                k += direction
    return pos, valid


def _fit_lines(pos, valid, xs, n_strips):
    """Polynomial fits of the tracked lines: list of (coefficients, x range), in page order."""
    fits = []
    for i in range(pos.shape[0]):
        ok = valid[i]
        if ok.sum() < max(4, n_strips // 2):
            continue
        x, y = xs[ok], pos[i, ok]
        deg = 3 if ok.sum() >= 0.8 * n_strips else 2
        coef = np.polyfit(x, y, deg)
        resid = y - np.polyval(coef, x)
        keep = np.abs(resid) <= max(1.0, 3 * resid.std())  # drop stray strips (a descender, a figure) once
        if keep.sum() >= deg + 2 and not keep.all():
            coef = np.polyfit(x[keep], y[keep], deg)
        fits.append((coef, (float(x.min()), float(x.max())), int(ok.sum())))
    return fits


def dewarp(img, *, return_warnings: bool = False, threads=None):
    """Straighten the curled text lines of a page (an approximation; see the module docstring).

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grayscale or colour page (C = 1, 3 or 4).
    return_warnings : bool, optional
        Also return the list of warnings (the approximation note, and whether
        text lines were found).
    threads : int or None, optional
        Threads for the binarization of the analysis copy.

    Returns
    -------
    ndarray, uint8, same shape as ``img``
        The flattened page (a copy of ``img`` when no text lines are found).
        Binary pages stay binary (nearest-row sampling).
    warnings : list of str
        Only with ``return_warnings=True``.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> page = np.full((300, 400), 255, np.uint8)
    >>> xx = np.arange(400)
    >>> for y0 in range(40, 280, 30):                     # 8 lines bent into arcs
    ...     for x in range(20, 380):
    ...         y = int(y0 + 12 * ((x - 200) / 180) ** 2)
    ...         page[y:y + 6, x] = 0
    >>> flat, notes = ocrprep.dewarp(page, return_warnings=True)
    >>> rows = np.flatnonzero((flat[:, 30:370] == 0).mean(axis=1) > 0.9)   # rows that are ink across the width
    >>> len(rows) > 20, notes[0].startswith("dewarping is an approximation")
    (True, True)
    """
    from .binarize import binarize
    from .color import to_grayscale
    from .geometry import is_binary, reduce_blocks

    src = _checks.image_gray_or_color(img)
    h, w = src.shape[:2]
    _checks.threads(threads, h * w)  # refused at once, whatever the page turns out to need
    warnings = [APPROXIMATION_NOTE]

    def done(out):
        return (out, warnings) if return_warnings else out

    gray = src if src.ndim == 2 else to_grayscale(src[:, :, :3] if src.shape[2] >= 3 else src[:, :, 0])
    f = max(1, math.ceil(max(h, w) / _ANALYSIS_SIDE))
    small = reduce_blocks(gray, f, threads=threads) if f > 1 else gray
    if small.shape[0] < 16 or small.shape[1] < 16:
        warnings.append("the page is too small to find text lines: returned unchanged")
        return done(np.array(src, copy=True))
    ink = binarize(small, threads=threads) == 0
    hs, ws = ink.shape
    n_strips = int(np.clip(ws // 40, 8, 48))
    edges = np.linspace(0, ws, n_strips + 1).round().astype(int)
    xs = (edges[:-1] + edges[1:] - 1) / 2.0
    profiles = np.stack([ink[:, a:b].sum(axis=1) for a, b in zip(edges[:-1], edges[1:])]).astype(np.float64)
    k0 = n_strips // 2
    centre = profiles[max(0, k0 - 1):k0 + 2].sum(axis=0)
    line_h = _line_height(_smooth(centre, 3))
    fits = []
    if line_h >= 2:
        smooth = _smooth(profiles, max(3, line_h // 2) | 1, axis=1)
        seeds = _peaks(smooth[k0], max(3, int(line_h * 1.2)))
        strip_w = ws / n_strips
        pos, valid = _track(smooth, seeds, k0, max(2, line_h // 2), min_ink=0.15 * line_h * strip_w * 0.3)
        fits = _fit_lines(pos, valid, xs, n_strips)
    if len(fits) < 2:
        warnings.append("fewer than two text lines were found: the page is returned unchanged")
        return done(np.array(src, copy=True))

    # line curves on the full page: Y[i, x] (rows), targets T[i] (their mean heights)
    cols = np.arange(w, dtype=np.float64)
    xsmall = (cols + 0.5) / f - 0.5
    curves, targets, weights, spans = [], [], [], []
    half_strip = ws / n_strips / 2  # a track's first and last strips cover half a strip beyond their centres
    for coef, (lo, hi), n_valid in fits:
        lo, hi = lo - half_strip, hi + half_strip
        y = (np.polyval(coef, np.clip(xsmall, lo, hi)) + 0.5) * f - 0.5
        inside = (xsmall >= lo) & (xsmall <= hi)
        curves.append(y)
        targets.append(float(np.mean(y[inside])))
        weights.append(n_valid)
        spans.append(inside)
    order = np.argsort(targets)
    targets = [targets[i] for i in order]
    weights = [weights[i] for i in order]
    spans = [spans[i] for i in order]
    # beyond the ends of a line (a short line, a line ending early), its displacement is the blend of
    # the displacements of the lines above and below that do reach the column
    disp = np.stack([curves[i] - np.mean(curves[i][spans[k]]) for k, i in enumerate(order)])
    reach = np.stack(spans)
    tt = np.array(targets)
    for x in np.flatnonzero(~reach.all(axis=0)):
        have = reach[:, x]
        if have.any():
            disp[~have, x] = np.interp(tt[~have], tt[have], disp[have, x])
    for x in np.flatnonzero(~reach.any(axis=0)):  # no line reaches the column: the nearest column that one does
        cover = np.flatnonzero(reach.any(axis=0))
        disp[:, x] = disp[:, cover[np.argmin(np.abs(cover - x))]]
    curves = [tt[k] + disp[k] for k in range(len(targets))]
    # drop lines that cross a neighbour anywhere (the weaker track goes)
    changed = True
    while changed and len(curves) >= 2:
        changed = False
        for i in range(len(curves) - 1):
            if np.any(curves[i + 1] - curves[i] <= 1.0) or targets[i + 1] - targets[i] <= 1.0:
                j = i if weights[i] < weights[i + 1] else i + 1
                del curves[j], targets[j], weights[j]
                changed = True
                break
    if len(curves) < 2:
        warnings.append("the text lines found cross each other: the page is returned unchanged")
        return done(np.array(src, copy=True))
    warnings.append(f"{len(curves)} text lines straightened")

    Y = np.stack(curves)  # (lines, w)
    T = np.array(targets)
    rows = np.arange(h, dtype=np.float64)
    out = np.empty_like(src)
    binary = is_binary(gray)
    big = float(h + w)
    for x0 in range(0, w, 256):
        x1 = min(w, x0 + 256)
        src_rows = np.empty((h, x1 - x0))
        for j, x in enumerate(range(x0, x1)):
            yx = Y[:, x]
            tt = np.concatenate(([T[0] - big], T, [T[-1] + big]))
            yy = np.concatenate(([yx[0] - big], yx, [yx[-1] + big]))
            src_rows[:, j] = np.interp(rows, tt, yy)
        np.clip(src_rows, 0, h - 1, out=src_rows)
        block = src[:, x0:x1]
        colidx = np.arange(x1 - x0)[None, :]
        if binary:
            out[:, x0:x1] = block[np.rint(src_rows).astype(np.intp), colidx]
        else:
            r0 = np.floor(src_rows).astype(np.intp)
            r1 = np.minimum(r0 + 1, h - 1)
            frac = src_rows - r0
            if src.ndim == 3:
                frac = frac[:, :, None]
            val = block[r0, colidx] * (1 - frac) + block[r1, colidx] * frac
            out[:, x0:x1] = np.clip(np.rint(val), 0, 255).astype(np.uint8)
    return done(out)
