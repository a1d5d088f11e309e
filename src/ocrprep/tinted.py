"""Tinted grounds on a colour page: highlighter, coloured cells and bands.

The automatic binarizer (:mod:`ocrprep.auto`) measures ink on a colour page
as what differs from the *paper's* colour.  Marker over printed words,
a table's light-blue header cells or a pink form field are areas of a
different colour *under* the writing: measured against the page's paper
they are all "ink", and the words on them come out inside solid black bars
(a highlighted line: 0 of its words read).  A grey copy of the same page
binarizes well, because the paper-level estimate takes the lighter tint as
paper of another shade, like a stain.

This module finds such areas and lets the ink channel measure their pixels
against the area's own colour too: a pixel's chroma distance is its
distance from the nearest mix of the page's paper and the tints around it,
so the tint (matching itself) keeps only its luma - exactly as on the grey
copy - while ink of any colour on it differs from all of them, and the
paper next to it still matches the page's paper.

Tinted areas are told from coloured writing by their extent and by what
lies on them: the tint is the *brighter half* of each 8 x 8 block (ink only
darkens, so the brighter half of a block is what the writing lies on);
only tinted blocks in a 2 x 2 square of them (an area at least 23 px both
ways, wider than the strokes of body type) count, and only areas holding
ink (a block with a pixel much darker than its brighter half: the thick
strokes of a yellow heading are as wide as a marker stroke but hold
nothing).  The area is then grown by TINT_GROW blocks so its edges are
covered.  Each block takes the tints of the area's blocks near it (up to
four, one per distinct colour), and a pixel is measured against the
nearest *mix* of the paper and those tints, two at a time: the soft edge
of a marker (paper and tint mixed), two markers side by side, a marker
over a tinted box.

Only colour pages with such areas pay for it: a sparse sample of the page
(about 2 ** 15 pixels) is looked at first, and the block analysis runs only
near samples tinted in full (beyond (1 + TINT_RAMP) TINT_DISTANCE) that lie
next to each other both ways: a shade that merely lost some of the
paper's hue (a shadow, a grey cast) costs nothing.

Measured (``benchmarks/realworld.py``, class ``highlight``; BENCHMARKS.md):
the generated highlighted pages went from F 43 / 8 % of the words read to
F 85 / 99.5 %, above their grey copies; DIBCO fed as RGB 90.05 -> 90.19
(2011-HW4, a brown water stain, 79.8 -> 84.9).
"""
from __future__ import annotations

import math

import numpy as np

from .background import _grid_dilate, _grid_open2

__all__ = ["tint_grid"]

#: A block's brighter half is tinted when its chroma lies this many levels
#: (the ink channel's distance, about the opponent colour difference) from
#: the paper's chroma at its brightness: well above the chroma noise of a
#: photographed page (2-5 levels) and below the palest marker (about 40).
TINT_DISTANCE = 25
#: A tinted area is grown by this many blocks (its edges, where a block's
#: brighter half is the paper's).
TINT_GROW = 2
#: A block of a tinted area holds ink when its darkest pixel is darker than
#: this share of its brighter half's luma.
TINT_INK = 0.6
#: Core blocks whose tints differ by less than this (chroma constants,
#: about 12 levels at a luma of 200) are one tint.
TINT_MERGE = 30.0
#: A pixel of a tinted area is measured against the tint in full from
#: (1 + TINT_RAMP) TINT_DISTANCE from the paper's chroma on, not at all
#: within TINT_DISTANCE, partly in between (where a shade fades out).
TINT_RAMP = 0.5
#: ... and at least this bright against the paper: a dark area is ink by
#: its luma alone, whatever its colour (as on a grey copy of the page).
TINT_MIN_LUMA = 0.5
#: A tint is looked for when this share of the sparse sample (and at least
#: TINT_MIN_SAMPLES samples) is tinted with tinted neighbours right and below.
TINT_SAMPLE_SHARE = 0.002
TINT_MIN_SAMPLES = 8
BLOCK = 8
#: The brighter half of a block is measured on every second pixel of
#: every second row (16 pixels).
STATS_STEP = 2
SAMPLE = 1 << 15


def _chroma(rgb):
    """(luma, a, c) as int32 arrays: the ink kernel's 8-bit luma and the
    opponent differences a = R - G, c = R + G - 2B (csrc/color.c)."""
    r = rgb[..., 0].astype(np.int32)
    g = rgb[..., 1].astype(np.int32)
    b = rgb[..., 2].astype(np.int32)
    return (77 * r + 150 * g + 29 * b + 128) >> 8, r - g, r + g - 2 * b


def _distance(lu, a, c, ka, kc):
    """csrc/color.c's chroma distance of pixels (lu, a, c) from the paper
    chroma (ka, kc) (``ka = round(512 a0 / L0)``) scaled to their luma."""
    l7 = lu << 7
    da = np.abs(a - ((l7 * ka) >> 16))
    dc = np.abs((c - ((l7 * kc) >> 16)) >> 1)
    return np.maximum(da, dc) + ((3 * np.minimum(da, dc)) >> 3)


def _candidates(rgb, ka, kc, l0, gh, gw):
    """The blocks worth a look: a sparse sample of the page (about SAMPLE
    pixels) has tinted pixels in clusters (tinted with a tinted sample right
    of and below them) there or nearby; None when it has too few."""
    h, w = rgb.shape[:2]
    step = max(1, int(math.sqrt((h * w) / SAMPLE)))
    lu, a, c = _chroma(rgb[::step, ::step])
    tinted = (_distance(lu, a, c, ka, kc) > (1.0 + TINT_RAMP) * TINT_DISTANCE) & (lu >= TINT_MIN_LUMA * l0)
    both = tinted[:-1, :-1] & tinted[1:, :-1] & tinted[:-1, 1:]
    if int(np.count_nonzero(both)) < max(TINT_MIN_SAMPLES, TINT_SAMPLE_SHARE * tinted.size):
        return None
    cand = np.zeros((gh, gw), bool)
    iy, ix = np.nonzero(both)
    cand[(iy * step) // BLOCK, (ix * step) // BLOCK] = True
    # the blocks between the samples, and one more for the area's edge
    return _grid_dilate(cand.astype(np.float32), -(-step // BLOCK) + 1) > 0


def _shifts(reach):
    return [(dy, dx) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)]


def tint_grid(rgb, ka, kc, l0):
    """The tinted areas of a colour page on its 8 x 8 block grid.

    Returns ``(tints, count)`` - the tints near each block (the page's
    last partial blocks included) as the ink kernel's chroma constants,
    (H, W, 4, 2), and how many of them (0: no tinted area there) - or None
    when the page has no tinted area.  ``ka``, ``kc``: the page paper's
    constants (``round(512 a0 / L0)``); ``l0``: its luma.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tinted import tint_grid
    >>> page = np.full((120, 200, 3), (245, 240, 225), np.uint8)   # cream paper
    >>> page[40:80, 20:180] = (255, 240, 60)                       # a yellow marker stroke
    >>> page[55:65, 30:170:6] = 20                                 # the print under it
    >>> tints, count = tint_grid(page, 11, 75, 240.0)       # the paper's constants
    >>> bool(count[7, 10] > 0), bool(count[0, 0] > 0)              # on the stroke, on the paper
    (True, False)
    >>> tint_grid(np.full((120, 200, 3), (245, 240, 225), np.uint8), 11, 75, 240.0) is None
    True
    """
    from ._tinted import tint_candidates, tint_stats

    h, w = rgb.shape[:2]
    gh, gw = -(-h // BLOCK), -(-w // BLOCK)
    cand = _candidates(rgb, ka, kc, l0, gh, gw)
    if cand is None:
        return None
    bl, ba, bc, dark = tint_stats(rgb, np.ascontiguousarray(cand, dtype=np.uint8), BLOCK, STATS_STEP)
    # the grid work on the candidates' bounding box (and the growth) only
    rows, cols = np.flatnonzero(cand.any(axis=1)), np.flatnonzero(cand.any(axis=0))
    box = (slice(max(0, rows[0] - TINT_GROW), rows[-1] + 1 + TINT_GROW),
           slice(max(0, cols[0] - TINT_GROW), cols[-1] + 1 + TINT_GROW))
    bl, ba, bc, dark, cand = bl[box], ba[box], bc[box], dark[box], cand[box]
    dist = _distance(np.rint(bl).astype(np.int32), np.rint(ba).astype(np.int32),
                     np.rint(bc).astype(np.int32), ka, kc)
    # light tints only: a dark area is ink by its luma alone (as on a grey
    # copy), whatever its colour
    tinted = cand & (dist > TINT_DISTANCE) & (bl >= TINT_MIN_LUMA * l0)
    # the blocks in a 2 x 2 square of tinted blocks (an area at least
    # 23 px both ways; no stroke of body or heading type holds two whole
    # blocks across)
    core = _grid_open2(tinted)
    # ... in areas holding a block tinted in full (a shade barely off the
    # paper's hue would change next to nothing, see TINT_RAMP)
    full = dist > (1.0 + TINT_RAMP) * TINT_DISTANCE
    # a ground has something on it: an area (connected core blocks) is a
    # tint only when some of its blocks hold ink - a pixel TINT_INK darker
    # than the block's brighter half.  The thick strokes of a yellow or
    # orange heading are as wide as a marker stroke but hold nothing.
    from .components import label_components

    if not core.any():
        return None
    labels, _ = label_components(np.where(core, 0, 255).astype(np.uint8))
    written = np.zeros(int(labels.max()) + 1, bool)
    written[labels[core & (dark < TINT_INK * bl)]] = True
    strong = np.zeros_like(written)
    strong[labels[core & full]] = True
    keep = written & strong
    keep[0] = False
    core = keep[labels]
    if not core.any():
        return None
    # each block of the area (the core grown by TINT_GROW) takes the tints
    # of the core blocks near it: the blocks on an area's edge (half tint,
    # half paper) are no core block, so their mixed colour does not count;
    # two markers side by side, or a marker over a tinted box, give a
    # block more than one
    lum = np.maximum(bl, 16.0)
    sub_tints, sub_count = tint_candidates(np.ascontiguousarray(core, dtype=np.uint8),
                                           np.ascontiguousarray(512.0 * ba / lum, dtype=np.float32),
                                           np.ascontiguousarray(512.0 * bc / lum, dtype=np.float32),
                                           TINT_GROW, TINT_MERGE)
    tints = np.zeros((gh, gw) + sub_tints.shape[2:], np.int32)
    count = np.zeros((gh, gw), np.uint8)
    tints[box] = np.clip(sub_tints, -(1 << 15) + 1, (1 << 15) - 1)
    count[box] = sub_count
    return tints, count
