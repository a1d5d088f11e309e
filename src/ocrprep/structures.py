"""Structures on a binarized page that are no writing, and the writing
they hold on to (step 8 of :mod:`ocrprep.auto`).

* :func:`peel_nets` - a pale pattern under the writing (an ID card's
  guilloche, measured by its colour) that the letters touch forms one
  component with them; its shallow pixels go, the letters and the
  pattern's straight runs (a pale table's rules) stay.
* :func:`rescue_from_rules` - a structure removed from the border (a
  notebook's rules joined by the margin line, a frame) took the letters
  touching it; what an opening with straight lines does not keep of it is
  put back, its strokes bridged across the rule.

The thresholds are :mod:`ocrprep.auto`'s (NET_* and RULE_LENGTH), read at
call time so that they can be switched off there.
"""
from __future__ import annotations

import numpy as np

from . import auto


def _straight_runs(img, across, down, nthreads=1):
    """The ink (0) of ``img`` in straight runs of at least ``across`` pixels
    along a row or ``down`` pixels along a column (odd lengths): a
    morphological opening with each line, as a bool mask."""
    from .morphology import dilate, erode

    runs = np.zeros(img.shape, bool)
    # ink is 0: an opening of the ink is a max filter, then a min filter
    for size in ((1, across), (down, 1)):
        runs |= erode(dilate(img, size, threads=nthreads), size, threads=nthreads) == 0
    return runs


def rescue_from_rules(removed_runs, work, sw, min_area, nthreads=1):
    """Give back the letters a removed border structure took with it.

    The border structures removed (``removed_runs``: rows of (row, first
    column, end column), from
    :func:`ocrprep._components.clear_border_structures`) are whole
    components: ruled lines of a notebook page joined by its margin line,
    a table's frame, the edge of a book - and every letter touching them
    (the descenders crossing a rule).  The structure itself is what long
    straight runs make of it - a morphological opening with lines of
    RULE_LENGTH stroke widths across and down, grown by one pixel - and
    what is left of the removed ink outside it, its strokes bridged across
    the rule (a closing within the removed ink), is put back in pieces of
    at least a speck's area.  A solid band (a gutter shadow, a book's
    edge) opens into itself, and nothing is put back.  Returns the number
    of pieces put back."""
    from .components import label_components
    from .morphology import dilate, erode

    h, w = work.shape
    edges = np.zeros((h, w + 1), np.int32)
    np.add.at(edges, (removed_runs[:, 0], removed_runs[:, 1]), 1)
    np.add.at(edges, (removed_runs[:, 0], removed_runs[:, 2]), -1)
    removed = np.where(np.cumsum(edges, axis=1)[:, :w] > 0, 0, 255).astype(np.uint8)
    n = max(15, int(round(auto.RULE_LENGTH * sw))) | 1
    rules = erode(np.where(_straight_runs(removed, n, n, nthreads), 0, 255).astype(np.uint8), 3,
                  threads=nthreads)
    left = np.where((removed == 0) & (rules != 0), 0, 255).astype(np.uint8)
    # the strokes bridged across the rule they crossed (a closing of what
    # is left, within the removed ink) before the pieces are judged: the
    # tail of a y below a rule is a speck on its own
    k = 2 * max(2, int(round(sw))) + 3
    for size in ((k, 1), (1, k)):
        closed = dilate(erode(left, size, threads=nthreads), size, threads=nthreads)
        np.minimum(left, np.where((closed == 0) & (removed == 0), 0, 255).astype(np.uint8), out=left)
    labels, areas = label_components(left)
    keep = areas >= max(min_area, 1)
    keep[0] = False
    np.minimum(work, np.where(keep[labels], 0, 255).astype(np.uint8), out=work)
    return int(np.count_nonzero(keep))


def peel_nets(work, norm, nets, level, nthreads=1):
    """Peel the faint part off the nets: in each box of ``nets`` (y0, y1,
    x0, x1), the ink components spanning NET_SPAN of the page both ways and
    sparse (NET_FILL) whose pixels are mostly shallower than ``level`` (on
    the normalised page ``norm``) lose those pixels - a pale pattern under
    the writing (an ID card's guilloche, measured by its colour) that the
    letters touch was kept whole with them, and read as one mess; the
    letters, deeper, stay, and so do straight runs a quarter of the net's
    span long (a pale table's rules: table detection needs them).  Returns
    the number of nets peeled."""
    from .components import label_components

    h, w = work.shape
    peeled = 0
    for y0, y1, x0, x1 in nets:
        sub, nsub = work[y0:y1 + 1, x0:x1 + 1], norm[y0:y1 + 1, x0:x1 + 1]
        labels, areas = label_components(sub)
        for lab in np.flatnonzero(areas[1:] >= auto.NET_FILL_MIN * sub.size) + 1:
            mask = labels == lab
            ys, xs = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
            if ys[-1] - ys[0] + 1 < auto.NET_SPAN * h or xs[-1] - xs[0] + 1 < auto.NET_SPAN * w:
                continue
            shallow = mask & (nsub > level)
            if np.count_nonzero(shallow) >= auto.NET_SHALLOW * areas[lab]:
                # (a rule runs straight for a good part of the net's span;
                # a guilloche's flattest crests for a few dozen pixels)
                straight = _straight_runs(np.where(mask, 0, 255).astype(np.uint8),
                                          max(15, (xs[-1] - xs[0]) // 4) | 1,
                                          max(15, (ys[-1] - ys[0]) // 4) | 1, nthreads)
                sub[shallow & ~straight] = 255
                peeled += 1
    return peeled
