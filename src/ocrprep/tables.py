"""Table structure: ruling lines, the cell grid, and the cells' boxes.

A ruled table is found with ocrprep's own morphology: the ink of the page
(Otsu's threshold) is *opened* with long, one-pixel-thin structuring
elements — a horizontal ``1 x L`` line and a vertical ``L x 1`` one.  An
opening keeps only the ink that contains the whole element, so letters
(whose straight runs are much shorter than ``L``) vanish and the table's
rules remain.  Rows of pixels that hold long horizontal rule runs become
the row boundaries, columns that hold long vertical runs the column
boundaries, and every pair of neighbouring boundaries bounds a cell.

Where a rule is missing between two neighbouring cells (a merged cell) the
two are joined, so a cell's text is never cut in two.  A table with rules
in one direction only (the common "booktabs" style: rules under the header
and at the bottom) or none at all gets the missing boundaries from the
whitespace: a run of empty pixel rows splits rows, a vertical band of
paper at least one text-line tall splits columns.  A page with no table
structure at all gives one row per text line and one column: nothing is
lost, it is simply read line by line.

This module only measures the page; :class:`ocrprep.OcrEngine` with
``RecognitionSettings(detect_areas_mode="table")`` cuts the cells out and
recognises them one by one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .errors import InvalidParameterError
from .filters import Rectangle, _gray
from .morphology import dilate, erode
from .threshold import threshold

__all__ = ["TableCell", "TableGrid", "find_table", "find_tables", "has_ruled_table", "ruling_lines", "erase_rules",
           "invert_filled_boxes", "table_skew", "text_line_height"]

#: Shortest ruling line found, in pixels (also at least 1/25 of the page side).
MIN_RULE_LENGTH = 41
#: A ruling line is at most this thick (pixels; or 1/150 of the page's shorter side when larger):
#: thicker "lines" are dark areas - a photograph, a backdrop, a shaded band - not rules.
MAX_RULE_THICKNESS = 6
#: has_ruled_table: at most this share of the rule masks may be thicker than a rule.  The
#: generated tables of the tests have none; stained or heavily printed pages 0.5 to 0.99.
MAX_THICK_SHARE = 0.25
#: has_ruled_table counts the rules in strips this wide (pixels), across which a skew of a few
#: degrees moves a rule by a few pixels only.
RULE_STRIP = 64
#: invert_filled_boxes: share of its bounding rectangle a dark area must fill to be a filled box.
FILLED_BOX_SHARE = 0.6
#: Largest skew of a table that is measured and corrected (degrees; see table_skew).
MAX_TABLE_SKEW = 10.0
#: has_ruled_table: share of a table's width its outer horizontal rules must cover on average
#: (each at least half), and of its height at least one vertical rule.
FRAME_COVERAGE = 0.85


@dataclass(frozen=True)
class TableCell:
    """One cell: its first ``row`` and ``column`` (0-based), spans, and ``box`` inside the rules."""

    row: int
    column: int
    box: Rectangle
    row_span: int = 1
    column_span: int = 1


@dataclass
class TableGrid:
    """The structure of a table on a page.

    Attributes
    ----------
    box : Rectangle
        The table's extent on the page.
    rows, columns : list of (start, end)
        Pixel intervals of the rows (y) and columns (x), inside the rules.
    cells : list of TableCell
        In reading order (row, then column); merged cells appear once.
    ruled_rows, ruled_columns : bool
        Whether the row / column boundaries come from ruling lines (else
        from whitespace).
    """

    box: Rectangle
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    cells: list = field(default_factory=list)
    ruled_rows: bool = False
    ruled_columns: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.rows), len(self.columns)


def has_ruled_table(img, *, threads=None) -> bool:
    """Whether a page holds a ruled table: a grid of at least 2 x 2 cells with text,
    drawn with thin horizontal *and* vertical rules.

    Used by :class:`ocrprep.OcrEngine` to read such a page cell by cell when
    no area detection mode was chosen (Tesseract's page layout analysis takes
    a ruled grid for pictures and separators, and loses whole rows and
    columns of it).  A quick test comes first, so that pages without a table
    cost only Otsu's threshold and two line openings: the page must have at
    least three thin horizontal and three thin vertical rule bands (a 2 x 2
    grid has three of each).  Only then are the tables measured with
    :func:`find_tables`, and one of them must be a full grid - rows and
    columns both from rules - of at least 2 x 2 cells, four of them with
    text.  A frame around a paragraph, a photograph on a form, a dark
    backdrop or underlined words are no table.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grey or colour page.
    threads : int, optional

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import has_ruled_table
    >>> page = np.full((200, 300), 255, np.uint8)
    >>> for y in (20, 100, 180): page[y:y + 2, 20:280] = 0
    >>> for x in (20, 150, 278): page[20:182, x:x + 2] = 0
    >>> for y, x in ((50, 60), (50, 200), (130, 60), (130, 200)): page[y:y + 12, x:x + 30] = 0
    >>> has_ruled_table(page)
    True
    >>> page[:, 140:160] = 255                  # no middle column rule: one column, no grid
    >>> has_ruled_table(page)
    False
    """
    from .auto import is_inverted
    from .threshold import apply_threshold, otsu_threshold

    img = _checks.image_gray_or_color(img)
    gray = _gray(img, threads)
    if is_inverted(gray):
        gray = 255 - gray
    gray = invert_filled_boxes(gray, threads=threads)
    h, w = gray.shape
    thick = max(MAX_RULE_THICKNESS, min(h, w) // 150)
    k = _odd(thick + 1)
    # Otsu's threshold first (cheap); when it leaves thick dark masses - a backdrop around a
    # photographed sheet, stains, shading - the automatic binarization, which whitens them.
    for binarized in (lambda: apply_threshold(gray, otsu_threshold(gray, threads=threads), threads=threads),
                      lambda: threshold(gray, 0, threads=threads)):
        hmask, vmask = _rules(binarized(), None, threads)
        # the rules of a table are thin almost everywhere
        thin = _thick_share(hmask, (k, 1)) <= MAX_THICK_SHARE and _thick_share(vmask, (1, k)) <= MAX_THICK_SHARE
        if thin and _thin_rules(hmask, thick) >= 3 and _thin_rules(vmask.T, thick) >= 3:
            break
        if thin:    # nothing thick for the automatic binarization to whiten: no table
            return False
    else:
        return False
    # A grid turned by a degree is no grid to find_tables (its rules are measured row by row):
    # the page is straightened first, as the table reading does.
    angle = table_skew(gray, threads=threads)
    if abs(angle) >= 0.2:
        from .geometry import rotate

        gray = rotate(gray, -angle, fill=255, expand=True, threads=threads)
    hmask = vmask = None
    for grid in find_tables(gray, threads=threads):
        nr, nc = grid.shape
        if grid.ruled_rows and grid.ruled_columns and nr >= 2 and nc >= 2 and len(grid.cells) >= 4:
            if hmask is None:
                hmask, vmask = ruling_lines(gray, threads=threads)
            if _drawn_frame(grid.box, hmask, vmask, thick):
                return True
    return False


def table_skew(img, *, threads=None) -> float:
    """The skew of a page holding a table, in degrees (0.0 when it cannot be measured).

    :func:`ocrprep.detect_skew` measured on the automatic binarization of
    the page (the Otsu threshold it uses by itself turns the lighting
    gradient of a photographed or shaded table into ink), within
    +-MAX_TABLE_SKEW degrees; an angle at the edge of that range is the
    sweep running out, not a measurement, and gives 0.0.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import table_skew
    >>> table_skew(np.full((80, 120), 255, np.uint8))
    0.0
    """
    from .skew import detect_skew

    img = _checks.image_gray_or_color(img)
    angle = float(detect_skew(threshold(_gray(img, threads), 0, threads=threads), max_angle=MAX_TABLE_SKEW,
                              threads=threads))
    return 0.0 if abs(angle) >= MAX_TABLE_SKEW - 0.05 else angle


def _drawn_frame(box: Rectangle, hmask: np.ndarray, vmask: np.ndarray, thick: int) -> bool:
    """Whether a grid's top and bottom rules, and at least one vertical rule, run across (most of)
    it - as in a drawn table, and not in a cluster of long pen strokes."""
    x0, y0, x1, y1 = box.x, box.y, box.x + box.width, box.y + box.height
    top = hmask[y0:y0 + thick + 1, x0:x1].any(axis=0).mean()
    bottom = hmask[max(y0, y1 - thick - 1):y1, x0:x1].any(axis=0).mean()
    across = vmask[y0:y1, x0:x1].mean(axis=0).max() if x1 > x0 and y1 > y0 else 0.0
    # a shaded corner or a worn rule may lose a piece of one of the two
    return (top + bottom) / 2 >= FRAME_COVERAGE and min(top, bottom) >= 0.5 and across >= FRAME_COVERAGE


def invert_filled_boxes(img, *, threads=None) -> np.ndarray:
    """A grey copy of ``img`` in which dark filled boxes - a table's header row printed white on
    dark, a shaded cell with light text - are inverted, so that every cell holds dark text on light
    paper, and the box's edges are drawn as ordinary rules.

    A filled box is a dark area thicker than any ruling line (an opening of the ink with a square
    of side MAX_RULE_THICKNESS + 1 keeps it, and removes rules and ordinary strokes), at least
    ``3 * MIN_RULE_LENGTH`` wide, that covers FILLED_BOX_SHARE of its bounding rectangle (a stain,
    a photograph's outline or the backdrop around a photographed sheet does not) and less than
    half of the page (a light-on-dark page is inverted as a whole elsewhere).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import invert_filled_boxes
    >>> page = np.full((100, 300), 250, np.uint8)
    >>> page[20:60, 20:280] = 30; page[35:45, 50:60] = 240       # a dark band with a light mark
    >>> out = invert_filled_boxes(page)
    >>> int(out[25, 100]), int(out[40, 55]), int(out[80, 100]), int(out[20, 100])
    (225, 15, 250, 0)
    """
    from .components import label_components
    from .threshold import apply_threshold, otsu_threshold

    img = _checks.image_gray_or_color(img)
    gray = _gray(img, threads)
    ink = apply_threshold(gray, otsu_threshold(gray, threads=threads), threads=threads)
    k = _odd(max(MAX_RULE_THICKNESS, min(gray.shape) // 150) + 1)
    if min(gray.shape) < k:
        return gray
    solid = erode(dilate(ink, k, threads=threads), k, threads=threads) < 128
    if not solid.any():
        return gray
    labels, areas = label_components(np.where(solid, 0, 255).astype(np.uint8))
    n = areas.size - 1
    ys, xs = np.nonzero(labels)
    lab = labels[ys, xs]
    y0 = np.full(n + 1, gray.shape[0]); x0 = np.full(n + 1, gray.shape[1])
    y1 = np.full(n + 1, -1); x1 = np.full(n + 1, -1)
    np.minimum.at(y0, lab, ys); np.minimum.at(x0, lab, xs)
    np.maximum.at(y1, lab, ys); np.maximum.at(x1, lab, xs)
    out = gray
    page = gray.shape[0] * gray.shape[1]
    for i in range(1, n + 1):
        h, w = int(y1[i] - y0[i] + 1), int(x1[i] - x0[i] + 1)
        if w < 3 * MIN_RULE_LENGTH or h < 2 * k or h * w > page // 2 or areas[i] < FILLED_BOX_SHARE * h * w:
            continue
        if out is gray:
            out = gray.copy()
        box = out[y0[i]:y1[i] + 1, x0[i]:x1[i] + 1]
        box[...] = 255 - box
        # its edges were the table's rules (drawn or not, dark on dark): drawn now
        box[:2], box[-2:], box[:, :2], box[:, -2:] = 0, 0, 0, 0
    return out


def _thin_rules(mask: np.ndarray, thick: int) -> int:
    """How many thin horizontal rules ``mask`` holds across the strip where it holds most.

    The page is cut into vertical strips of RULE_STRIP pixels; in each, the
    runs of pixel rows that are mostly rule are the rules, and those at most
    ``thick`` (plus what a skew of a few degrees adds across a strip) rows
    thick are counted.  Strips keep a slightly turned rule thin."""
    h, w = mask.shape
    n = w // RULE_STRIP
    if n == 0 or h == 0:
        return 0
    counts = mask[:, :n * RULE_STRIP].reshape(h, n, RULE_STRIP).sum(axis=2, dtype=np.int32)
    limit = thick + RULE_STRIP // 12     # ~5 degrees of skew across the strip
    best = 0
    for s in range(n):
        bands = _bands(counts[:, s], RULE_STRIP // 2)
        best = max(best, sum(b - a <= limit for a, b in bands))
    return best


def _thick_share(mask: np.ndarray, across) -> float:
    """Share of ``mask`` in runs at least ``across`` (a structuring element's shape) thick."""
    if not mask.any():
        return 0.0
    img = np.where(mask, 0, 255).astype(np.uint8)
    thick = erode(dilate(img, across), across) < 128
    return float(np.count_nonzero(thick)) / float(np.count_nonzero(mask))


def _odd(n: int) -> int:
    n = int(n)
    return n if n % 2 else n + 1


def _ink(img, threads) -> np.ndarray:
    """Binary page, ink = 0 (Otsu's threshold; light-on-dark pages are inverted first)."""
    from .auto import is_inverted

    gray = _gray(img, threads)
    if is_inverted(gray):
        gray = 255 - gray
    return threshold(gray, 0, threads=threads)


def ruling_lines(img, min_length: int | None = None, *, threads=None) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the horizontal and vertical ruling lines of a page.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grey or colour page (dark ink on light paper, or the reverse).
    min_length : int, optional
        Shortest line kept, in pixels (default: the larger of
        :data:`MIN_RULE_LENGTH` and 1/25 of the page side, so letters and
        underlined words are not taken for rules).
    threads : int, optional

    Returns
    -------
    horizontal, vertical : (H, W) bool ndarray
        True on the pixels of the horizontal / vertical rules.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import ruling_lines
    >>> page = np.full((120, 200), 255, np.uint8)
    >>> page[20:22, 10:190] = 0; page[10:110, 100:102] = 0     # a cross
    >>> page[60:70, 20:30] = 0                                 # a blob: neither
    >>> h, v = ruling_lines(page)
    >>> int(h.sum()), int(v.sum())
    (360, 200)
    """
    bw = _ink(_checks.image_gray_or_color(img), threads)
    return _rules(bw, min_length, threads)


def _rules(bw: np.ndarray, min_length, threads):
    h, w = bw.shape
    if min_length is None:
        lh, lv = max(MIN_RULE_LENGTH, w // 25), max(MIN_RULE_LENGTH, h // 25)
    else:
        lh = lv = _checks.integer(min_length, "min_length")
        if lh < 3:
            raise InvalidParameterError(f"min_length must be >= 3 pixels, got {lh}")
    lh, lv = _odd(min(lh, 4095)), _odd(min(lv, 4095))
    # Ink is dark: opening the ink = grey dilation (drops runs shorter than L), then grey erosion.
    horizontal = erode(dilate(bw, (1, lh), threads=threads), (1, lh), threads=threads) < 128 if w >= lh else np.zeros(bw.shape, bool)
    vertical = erode(dilate(bw, (lv, 1), threads=threads), (lv, 1), threads=threads) < 128 if h >= lv else np.zeros(bw.shape, bool)
    return horizontal, vertical


def erase_rules(img, *, threads=None) -> np.ndarray:
    """A copy of ``img`` with its ruling lines painted over in the paper colour.

    Used by ``RecognitionSettings(lines_filtration=True)``: Tesseract reads
    the text of ruled forms and tables much better without the lines.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import erase_rules
    >>> page = np.full((60, 200), 250, np.uint8); page[30:33, 5:195] = 10
    >>> int(erase_rules(page).min())
    250
    """
    img = _checks.image_gray_or_color(img)
    bw = _ink(img, threads)
    hmask, vmask = _rules(bw, None, threads)
    mask = _grow(hmask | vmask, 1)
    out = img.copy()
    if mask.any():
        paper = np.median(img[~mask & (bw >= 128)], axis=0) if (~mask & (bw >= 128)).any() else 255
        out[mask] = np.asarray(paper, dtype=np.float64).round().astype(np.uint8)
    return out


def _grow(mask: np.ndarray, r: int) -> np.ndarray:
    """Mask dilated by ``r`` pixels (covers the anti-aliased edge of the rules)."""
    if r <= 0 or not mask.any():
        return mask
    img = np.where(mask, 0, 255).astype(np.uint8)
    return erode(img, 2 * r + 1) < 128


def _bands(counts: np.ndarray, min_count: int) -> list[tuple[int, int]]:
    """Runs of consecutive indices where ``counts >= min_count``: [(start, end_exclusive), ...]."""
    on = np.concatenate(([False], counts >= min_count, [False]))
    edges = np.flatnonzero(on[1:] != on[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _gaps(profile: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """Inner runs of zeros at least ``min_gap`` long (not touching either end)."""
    runs = _bands((profile == 0).astype(np.int64), 1)
    return [(a, b) for a, b in runs if a > 0 and b < profile.size and b - a >= min_gap]


def _line_height(ink: np.ndarray) -> float:
    """Typical height of a text line: median height of the ink runs of the row profile."""
    runs = _bands(ink.sum(axis=1), 1)
    heights = [b - a for a, b in runs if b - a >= 3]
    return float(np.median(heights)) if heights else 0.0


def text_line_height(img, *, threads=None) -> float:
    """Typical height of the text lines of a page, in pixels (0.0 without text).

    The median height of the runs of inked pixel rows (ruling lines
    excluded): for horizontal text, about 1.2 times the font size.  Used by
    ``RecognitionSettings(upscale_small_font=True)`` and to tell column gaps
    from word spaces.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import text_line_height
    >>> page = np.full((100, 200), 255, np.uint8)
    >>> for y in (10, 40, 70): page[y:y + 14, 20:180:3] = 0
    >>> text_line_height(page)
    14.0
    """
    img = _checks.image_gray_or_color(img)
    bw = _ink(img, threads)
    hmask, vmask = _rules(bw, None, threads)
    return _line_height((bw < 128) & ~_grow(hmask | vmask, 1))


def _intervals(cuts: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The intervals between separator bands ``cuts`` (sorted) within [start, end)."""
    out, pos = [], start
    for a, b in cuts:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if end > pos:
        out.append((pos, end))
    return out


def find_table(img, *, min_rule_length: int | None = None, threads=None) -> TableGrid | None:
    """Find the (largest) table on a page: its rows, columns and cells.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        Grey or colour page.
    min_rule_length : int, optional
        Shortest ruling line, in pixels (see :func:`ruling_lines`).
    threads : int, optional

    Returns
    -------
    TableGrid or None
        None for a page without ink.  The largest table of
        :func:`find_tables`; a page without rules gives one grid over its
        whole inked area.

    Notes
    -----
    Columns come from the vertical rules when there are at least two, else
    from whitespace; rows come from the horizontal rules when both kinds of
    rules make a full grid (a cell may then hold several lines), else from
    the horizontal rules and the whitespace between text lines (a table with
    only a top and a bottom rule still gets one row per line).  Cells
    whose separating rule is missing (less than half of it is present) are
    merged with their neighbour, so each merged cell is one
    :class:`TableCell` with its spans.  Cells without ink are left out.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import find_table
    >>> page = np.full((200, 300), 255, np.uint8)
    >>> for y in (20, 100, 180): page[y:y + 2, 20:280] = 0
    >>> for x in (20, 150, 278): page[20:182, x:x + 2] = 0
    >>> for y, x in ((50, 60), (50, 200), (130, 60), (130, 200)): page[y:y + 12, x:x + 30] = 0
    >>> grid = find_table(page)
    >>> grid.shape, len(grid.cells), grid.ruled_rows and grid.ruled_columns
    ((2, 2), 4, True)
    >>> grid.cells[1].row, grid.cells[1].column
    (0, 1)
    """
    tables = find_tables(img, min_rule_length=min_rule_length, threads=threads)
    if not tables:
        return None
    return max(tables, key=lambda t: t.box.width * t.box.height)


def find_tables(img, *, min_rule_length: int | None = None, threads=None) -> list[TableGrid]:
    """Every ruled table of a page, top to bottom (see :func:`find_table` for one grid).

    The rules are grouped by connectivity: rules that touch form one table,
    so two tables one above the other (or side by side) get their own rows
    and columns.  A group of rules that makes neither two rows nor two
    columns (an underline, a frame around a paragraph's single line) is no
    table.  A page without any table gives one grid over its inked area
    (rows and columns from the whitespace, and from rules that are not
    joined, such as a table's top and bottom rules); a page without ink
    gives [].

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.tables import find_tables
    >>> page = np.full((400, 300), 255, np.uint8)
    >>> for top in (20, 220):                          # two 2x2 tables, one above the other
    ...     for y in (top, top + 80, top + 160): page[y:y + 2, 20:280] = 0
    ...     for x in (20, 150, 278): page[top:top + 162, x:x + 2] = 0
    ...     for y in (top + 30, top + 110):
    ...         for x in (60, 190): page[y:y + 12, x:x + 30] = 0
    >>> [(t.box.y, t.shape, len(t.cells)) for t in find_tables(page)]
    [(20, (2, 2), 4), (220, (2, 2), 4)]
    """
    from .components import label_components

    img = _checks.image_gray_or_color(img)
    bw = _ink(img, threads)
    hmask, vmask = _rules(bw, min_rule_length, threads)
    rules = _grow(hmask | vmask, 1)
    text = (bw < 128) & ~rules
    rule_ink = hmask | vmask
    if not rule_ink.any() and not text.any():
        return []
    tables = []
    if rule_ink.any():
        labels, _ = label_components(np.where(_grow(rule_ink, 2), 0, 255).astype(np.uint8))
        for region in _group_boxes(labels, rule_ink):
            grid = _grid(region, text, hmask, vmask, min_rule_length, need_rules=True)
            if grid is not None:
                tables.append(grid)
    if not tables:  # no ruled table: one grid over all the ink, rows and columns from the whitespace
        ink = text | rule_ink
        ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        region = (int(ys[0]), int(ys[-1]) + 1, int(xs[0]), int(xs[-1]) + 1)
        tables.append(_grid(region, text, hmask, vmask, min_rule_length, need_rules=False))
    return sorted(tables, key=lambda t: (t.box.y, t.box.x))


def _group_boxes(labels: np.ndarray, pixels: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Per label, the box (y0, y1, x0, x1) of its pixels where ``pixels`` is set, in label order.

    One pass over the page, whatever the number of labels (a page of many separate rule pieces,
    such as a dashed form, has thousands: a mask per label would cost labels x pixels).
    """
    ys, xs = np.nonzero(pixels & (labels > 0))
    if ys.size == 0:
        return []
    lab = labels[ys, xs]
    order = np.argsort(lab, kind="stable")
    lab, ys, xs = lab[order], ys[order], xs[order]
    starts = np.flatnonzero(np.concatenate(([True], lab[1:] != lab[:-1])))
    y0, y1 = np.minimum.reduceat(ys, starts), np.maximum.reduceat(ys, starts) + 1
    x0, x1 = np.minimum.reduceat(xs, starts), np.maximum.reduceat(xs, starts) + 1
    return [(int(a), int(b), int(c), int(d)) for a, b, c, d in zip(y0, y1, x0, x1)]


def _grid(region, text, hmask, vmask, min_rule_length, need_rules: bool) -> TableGrid | None:
    """The grid of one table occupying ``region`` (y0, y1, x0, x1); None when ``need_rules`` and
    the rules there make neither two rows nor two columns."""
    y0, y1, x0, x1 = region
    hcount = hmask[y0:y1, x0:x1].sum(axis=1)
    vcount = vmask[y0:y1, x0:x1].sum(axis=0)
    min_h = max(MIN_RULE_LENGTH, (x1 - x0) // 25) if min_rule_length is None else int(min_rule_length)
    min_v = max(MIN_RULE_LENGTH, (y1 - y0) // 25) if min_rule_length is None else int(min_rule_length)
    hbands = [(a + y0, b + y0) for a, b in _bands(hcount, min_h)]
    vbands = [(a + x0, b + x0) for a, b in _bands(vcount, min_v)]
    ruled_rows, ruled_cols = len(hbands) >= 2, len(vbands) >= 2
    if need_rules and not (ruled_rows or ruled_cols):
        return None
    region_text = text[y0:y1, x0:x1]
    lh = _line_height(region_text) or 12.0

    if ruled_rows and ruled_cols:
        row_cuts = [(a - 1, b + 1) for a, b in hbands]  # a full grid: a cell may hold several lines
    else:
        row_cuts = [(a + y0, b + y0) for a, b in _gaps(region_text.sum(axis=1), max(2, int(lh * 0.15)))]
        row_cuts += [(a - 1, b + 1) for a, b in hbands]
        row_cuts.sort()
    if ruled_cols:
        col_cuts = [(a - 1, b + 1) for a, b in vbands]
    else:
        col_cuts = [(a + x0, b + x0) for a, b in _gaps(region_text.sum(axis=0), max(4, int(round(lh))))]
        col_cuts += [(a - 1, b + 1) for a, b in vbands]
        col_cuts.sort()
    rows = [(a, b) for a, b in _intervals(row_cuts, y0, y1) if b - a >= 2]
    cols = [(a, b) for a, b in _intervals(col_cuts, x0, x1) if b - a >= 2]
    if not rows or not cols:
        return TableGrid(Rectangle(x0, y0, x1 - x0, y1 - y0), rows, cols, [], ruled_rows, ruled_cols)

    nr, nc = len(rows), len(cols)
    parent = list(range(nr * nc))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    # Merged cells: a separator counts when at least half of it is drawn (with rules on that axis).
    if ruled_cols:
        for r, (ra, rb) in enumerate(rows):
            for c in range(nc - 1):
                sa, sb = cols[c][1], cols[c + 1][0]
                present = vmask[ra:rb, max(sa, 0):sb].any(axis=1).mean() if sb > sa else 0.0
                if present < 0.5:
                    union(r * nc + c, r * nc + c + 1)
    if ruled_rows and ruled_cols:
        for c, (ca, cb) in enumerate(cols):
            for r in range(nr - 1):
                sa, sb = rows[r][1], rows[r + 1][0]
                present = hmask[max(sa, 0):sb, ca:cb].any(axis=0).mean() if sb > sa else 0.0
                if present < 0.5:
                    union(r * nc + c, (r + 1) * nc + c)

    groups: dict[int, list[int]] = {}
    for i in range(nr * nc):
        groups.setdefault(find(i), []).append(i)
    cells = []
    for members in groups.values():
        rs = [i // nc for i in members]
        cs = [i % nc for i in members]
        r0, r1, c0, c1 = min(rs), max(rs), min(cs), max(cs)
        top, bottom = rows[r0][0], rows[r1][1]
        left, right = cols[c0][0], cols[c1][1]
        if not text[top:bottom, left:right].any():
            continue
        cells.append(TableCell(r0, c0, Rectangle(left, top, right - left, bottom - top), r1 - r0 + 1, c1 - c0 + 1))
    cells.sort(key=lambda c: (c.row, c.column))
    return TableGrid(Rectangle(x0, y0, x1 - x0, y1 - y0), rows, cols, cells, ruled_rows, ruled_cols)
