"""The writing surface of a photographed document: the sheet, leaf or
fragment, as opposed to the table it lies on.

A page photographed on a table shows a *backdrop* around the document: a
region that touches the image border, is flat (no strokes) and lies at a
level clearly apart from the document's paper (a white table around dark
papyrus, a black one around a pale leaf).  A binarizer that takes the
backdrop for paper sees the whole document as one dark mass (or the page as
inverted); one that takes it for ink draws a black frame.  The backdrop is
found on the grid of 8 x 8 blocks the paper estimate uses (their mean,
minimum and maximum, which the automatic binarizer computes anyway):

1. the border blocks give the backdrop's level (their median); the
   backdrop must cover most of the border (BORDER_SHARE), else there is
   none;
2. the table's lighting is a plane fitted to the border blocks near that
   level; blocks connected to the border, flat (range within FLAT_RANGE of
   the border's typical range) and within LEVEL_TOLERANCE (or 4 deviations)
   of the plane are the backdrop (the region growing of Adams & Bischof,
   seeded on the border), grown into the document's edge and shadow (blocks
   nearer the table's level than the paper's);
3. the rest is the writing surface when it is one solid piece (SOLIDITY)
   inside the backdrop (at most MAX_INSIDE of its bounding box is
   backdrop), large (MIN_SURFACE of the page), has paper of its own
   (SURFACE_FLAT of its blocks flat) and that paper lies at least
   MIN_CONTRAST levels from the backdrop - a page with plain margins has
   the margins' level between its lines too, and keeps no backdrop - and
   the backdrop holds no writing (at most WRITTEN_MAX of its blocks away
   from the document have strokes: a printed page around a colour photo
   is no table around a document).

:func:`fill_backdrop` then paints each backdrop pixel with the paper level
of the nearest surface block, so the document lies on "more of its own
paper": the paper estimate, the polarity test and the stroke edges see no
border between the two, and the binarizer's result is white there.

References
----------
R. Adams, L. Bischof, "Seeded region growing", IEEE Trans. PAMI 16(6), 1994.
"""
from __future__ import annotations

import numpy as np

from . import _checks

__all__ = ["block_stats", "find_backdrop", "fill_backdrop"]

#: The backdrop covers at least this share of the border blocks ...
BORDER_SHARE = 0.6
#: ... its blocks lie within this many levels of its median level (or 4
#: deviations of the border blocks' levels, whichever is larger) ...
LEVEL_TOLERANCE = 14.0
#: ... and are flat: their range (max - min) at most this many levels more
#: than the border blocks' typical range.
FLAT_RANGE = 18.0
#: The writing surface covers at least this share of the page, its paper
#: lies at least MIN_CONTRAST levels from the backdrop, and the backdrop
#: covers at least MIN_BACKDROP of the page.
MIN_SURFACE = 0.12
MIN_CONTRAST = 30.0
MIN_BACKDROP = 0.04
#: The surface's largest piece holds at least this share of its blocks.
SOLIDITY = 0.9
#: At least this share of the surface's blocks is flat paper.
SURFACE_FLAT = 0.25
#: At most this share of the surface's bounding box is backdrop.
MAX_INSIDE = 0.25
#: At most this share of the backdrop's blocks, farther than WRITING_EDGE
#: blocks from the document, has strokes (a table holds no writing; the
#: generated tables and DIBCO's pages: 0; a printed page around a colour
#: photo: 0.11).
WRITTEN_MAX = 0.02
WRITING_EDGE = 3


def block_stats(img, nthreads=1):
    """(mean, min, max, b): statistics of the b x b blocks of the page (the
    block grid of :mod:`ocrprep.background`, one pass)."""
    from .background import _block_means

    mins, upper = [], []
    mean, b = _block_means(img, nthreads, mins, upper)
    return mean, mins[0], upper[1], b


def _largest_share(mask):
    """Share of ``mask``'s cells in its largest 4-connected piece."""
    from ._components import label

    labels = np.zeros(mask.shape, np.int32)
    n, areas = label(np.where(mask, 0, 255).astype(np.uint8), labels)
    if n == 0:
        return 0.0
    return float(areas[1:].max()) / float(areas[1:].sum())




def _dilate4(mask):
    """``mask`` grown by its 4-neighbours (one step of a diamond)."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def _flood(candidate, seeds):
    """Blocks of ``candidate`` connected (8-connected) to ``seeds``."""
    from ._components import label

    labels = np.zeros(candidate.shape, np.int32)
    n, _ = label(np.where(candidate, 0, 255).astype(np.uint8), labels)
    keep = np.bincount(labels[seeds & candidate], minlength=n + 1) > 0
    keep[0] = False
    return keep[labels]


def _plane(mean, where):
    """Least-squares plane a + b y + c x through ``mean`` at ``where``,
    evaluated everywhere (the table's lighting)."""
    gh, gw = mean.shape
    # (coordinates of the chosen cells only, and a broadcast evaluation: two
    # full float64 coordinate grids cost more than the fit)
    ys, xs = np.nonzero(where)
    A = np.stack([np.ones(ys.size), ys.astype(np.float64), xs.astype(np.float64)], axis=1)
    coef, *_ = np.linalg.lstsq(A, mean[ys, xs].astype(np.float64), rcond=None)
    yy = np.arange(gh, dtype=np.float64)[:, None]
    xx = np.arange(gw, dtype=np.float64)[None, :]
    return coef[0] + coef[1] * yy + coef[2] * xx


def find_backdrop(img, *, info=None, stats=None):
    """Block mask of the backdrop around a photographed document, or None.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
        Grey page.
    info : dict, optional
        Filled with ``backdrop`` (share of the page), ``backdrop_level`` and
        ``surface_level`` when a backdrop is found.
    stats : tuple, optional
        :func:`block_stats` of ``img`` when the caller has them already.

    Returns
    -------
    (mask, cell) or None
        ``mask`` is a boolean grid, True on backdrop; each cell covers
        ``cell`` x ``cell`` pixels of ``img`` (the last row / column of
        cells also covers the remainder).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.surface import find_backdrop
    >>> page = np.full((200, 200), 240, np.uint8)          # a white table
    >>> page[40:170, 30:160] = 120                         # dark papyrus
    >>> page[60:150:12, 50:140] = 30                       # its writing
    >>> mask, cell = find_backdrop(page)
    >>> bool(mask[0, 0]), bool(mask[100 // cell, 100 // cell])
    (True, False)
    >>> find_backdrop(np.full((200, 200), 240, np.uint8)) is None   # a plain page
    True
    """
    img = _checks.image2d(img)
    if stats is None:
        stats = block_stats(img)
    mean, mn, mx, b = stats
    gh, gw = mean.shape
    if gh < 8 or gw < 8:
        return None
    rng = mx.astype(np.float32) - mn.astype(np.float32)
    border = np.zeros((gh, gw), bool)
    border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
    level = float(np.median(mean[border]))
    flat_limit = float(np.median(rng[border])) + FLAT_RANGE
    # the table is lit unevenly: its level is a plane fitted to the border
    # blocks near the median level (robust to the document touching it)
    near = border & (np.abs(mean - level) <= 2 * LEVEL_TOLERANCE) & (rng <= flat_limit)
    if near.sum() < 3:
        return None
    plane = _plane(mean, near)
    resid = mean - plane
    spread = float(np.median(np.abs(resid[near])))
    tol = max(LEVEL_TOLERANCE, 4.0 * 1.4826 * spread)
    flat_blocks = rng <= flat_limit
    off = np.abs(resid)
    candidate = (off <= tol) & flat_blocks
    if candidate[border].mean() < BORDER_SHARE:
        return None
    # a document of its own paper shows flat blocks far from the table's
    # level (on a plain page, the paper between the lines is the margins')
    if np.count_nonzero(flat_blocks & (off >= MIN_CONTRAST)) < SURFACE_FLAT * MIN_SURFACE * resid.size:
        return None
    backdrop = _flood(candidate, border)
    share = float(backdrop.mean())
    if share < MIN_BACKDROP or 1.0 - share < MIN_SURFACE:
        return None
    surface = ~backdrop
    # the surface's own paper: its flat blocks (a block of dense type on a
    # page with plain margins has hardly any)
    flat = surface & (rng <= flat_limit)
    if flat.sum() < SURFACE_FLAT * surface.sum():
        return None
    paper = float(np.median(mean[flat]))
    if abs(paper - level) < MIN_CONTRAST:
        return None
    # the document's edge, its shadow on the table, the table's own shading:
    # blocks next to the backdrop and nearer to its level than to the paper
    backdrop = _flood(backdrop | (np.abs(mean - plane) < np.abs(mean - paper)), backdrop)
    surface = ~backdrop
    # one document: its blocks form one solid piece (text on a plain page
    # with large margins leaves scattered text blocks instead)
    if _largest_share(surface) < SOLIDITY:
        return None
    share = float(backdrop.mean())
    if share < MIN_BACKDROP or 1.0 - share < MIN_SURFACE:
        return None
    # a table holds no writing: blocks with strokes on it, away from the
    # document's edge, mean the "backdrop" is a page's paper around a
    # picture (a colour photo on a printed page)
    edge = surface.copy()
    for _ in range(WRITING_EDGE):
        edge = _dilate4(edge)
    written = backdrop & ~edge & ~flat_blocks
    if info is not None:
        info["backdrop_written"] = float(written.sum()) / max(float(backdrop.sum()), 1.0)
    if written.sum() > WRITTEN_MAX * backdrop.sum():
        return None
    # ... lying inside the backdrop: little backdrop within its bounding box
    rows, cols = np.nonzero(surface)
    inside = backdrop[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1].mean()
    if info is not None:
        info["backdrop_inside"] = float(inside)
    if inside > MAX_INSIDE:
        return None
    if info is not None:
        info.update(backdrop=share, backdrop_level=level, surface_level=paper)
    return backdrop, b


def _grow_fill(values, known):
    """``values`` with every unknown cell set, ring by ring from the known
    ones, to the mean of its known 4-neighbours (on the coarse grid)."""
    out = np.where(known, values, 0.0).astype(np.float64)
    have = known.copy()
    if not have.any():
        return out
    while not have.all():
        acc = np.zeros_like(out)
        cnt = np.zeros_like(out)
        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            sv = np.roll(np.where(have, out, 0.0), (dy, dx), (0, 1))
            sc = np.roll(have.astype(np.float64), (dy, dx), (0, 1))
            if dy == 1:
                sv[0], sc[0] = 0, 0
            elif dy == -1:
                sv[-1], sc[-1] = 0, 0
            elif dx == 1:
                sv[:, 0], sc[:, 0] = 0, 0
            else:
                sv[:, -1], sc[:, -1] = 0, 0
            acc += sv
            cnt += sc
        new = ~have & (cnt > 0)
        out[new] = acc[new] / cnt[new]
        have |= new
    return out


def fill_backdrop(img, mask, cell, stats=None):
    """(filled page, pixel mask of the backdrop): every backdrop pixel of
    ``img`` set to the paper level of the nearest surface block.

    Pixels of the surface's boundary cells that are closer to the backdrop's
    level than to the surface's paper are backdrop too (the document's edge
    is ragged), when the backdrop is the lighter of the two (on a dark
    backdrop the dark writing near the edge would go with it)."""
    h, w = img.shape
    gh, gw = mask.shape
    if stats is None:
        stats = block_stats(img)
    mean, _, mx, _ = stats
    # a surface block's paper: halfway between its mean and its maximum
    paper = 0.5 * (mean.astype(np.float64) + mx)
    # known: surface blocks away from the backdrop (the boundary ones hold
    # some of it)
    inner = ~_dilate4(mask)
    if not inner.any():
        inner = ~mask
    level = float(np.median(mean[mask]))
    typical = float(np.median(paper[inner]))
    inner &= np.abs(paper - typical) < np.abs(paper - level)
    if not inner.any():
        inner = ~mask
    fill = _grow_fill(paper, inner)
    ys = np.minimum(np.arange(h) // cell, gh - 1)
    xs = np.minimum(np.arange(w) // cell, gw - 1)
    pix = mask[ys[:, None], xs[None, :]]
    surface_paper = float(np.median(paper[inner]))
    if level > surface_paper:
        # boundary cells of the surface: 4-neighbours of the backdrop
        edge = _dilate4(mask) & ~mask
        near = edge[ys[:, None], xs[None, :]]
        pix |= near & (img > 0.5 * (level + surface_paper))
    fill_pix = fill[ys[:, None], xs[None, :]]
    out = np.where(pix, np.clip(np.round(fill_pix), 0, 255).astype(np.uint8), img)
    return np.ascontiguousarray(out), pix
