"""Finding and reading the machine-readable zone of a passport or ID card image.

The MRZ is found by its shape, not by OCR: the page is binarized
(:func:`ocrprep.binarize`), components too large to be characters (photos,
frames, a dark table around the document) are dropped, and the remaining
ink is smeared along rows (:func:`ocrprep.erode` with a wide, one-row
window) so that each text line becomes one bar.  An MRZ is two or three
long, thin, parallel bars of equal length, left-aligned and evenly spaced
-- the principal axes of the bars give the skew.  The zone is cut out,
straightened with :func:`ocrprep.rotate`, scaled to a character height
Tesseract reads well, and recognised with the MRZ alphabet as the
whitelist; :func:`~ocrprep.documents.parse_mrz` then repairs the usual OCR
confusions and verifies the check digits.  A page turned by a quarter turn
is tried turned back, and a zone that does not verify is read again turned
by 180 degrees and line by line.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..binarize import binarize
from ..errors import OcrprepError
from ..filters import Rectangle
from ..geometry import rotate, scale
from .mrz import MRZ_CHARS, MrzData, parse_mrz
from .regions import Blob, blobs, gray_of, reduce_to, row_bands, text_bars

__all__ = ["MrzZone", "find_mrz_zones", "read_mrz", "MrzReading"]

#: Working resolution of the zone search (longer side, pixels).
SEARCH_SIDE = 1600
#: Fewest glyphs a bar must hold to be an MRZ line (TD1 lines have 30, some merge or break).
MIN_LINE_GLYPHS = 24
#: Character height (pixels) the zone is scaled to before OCR.
OCR_CHAR_HEIGHT = 34


@dataclass
class MrzZone:
    """A candidate zone: its bars (in the searched image's coordinates), angle and score."""

    bars: list
    angle: float
    score: float
    factor: float  # searched image = original x factor

    @property
    def center(self):
        """Middle of the zone: halfway between the leftmost and rightmost ink, on the mean line."""
        x_left, x_right = min(b.x0 for b in self.bars), max(b.x1 for b in self.bars)
        xc = (x_left + x_right) / 2
        tan = math.tan(math.radians(self.angle))
        return xc, float(np.mean([b.cy + (xc - b.cx) * tan for b in self.bars]))

    @property
    def length(self) -> float:
        """Extent along the lines, from the bars' boxes (their moments under-rate sparse ends)."""
        a = math.radians(self.angle)
        x_left, x_right = min(b.x0 for b in self.bars), max(b.x1 for b in self.bars)
        return (x_right - x_left) / max(math.cos(a), 0.5) - self.thickness * abs(math.tan(a))

    @property
    def thickness(self) -> float:
        return float(np.median([b.thickness for b in self.bars]))

    @property
    def span(self) -> float:
        """Distance across the lines, first centre to last, plus one line."""
        a = math.radians(self.angle)
        nx, ny = -math.sin(a), math.cos(a)
        proj = [b.cx * nx + b.cy * ny for b in self.bars]
        return max(proj) - min(proj) + self.thickness


@dataclass
class MrzReading:
    """What :func:`read_mrz` found: the parsed ``mrz`` (or None), the OCR ``text``, the zone's
    ``box`` in the image (x, y, width, height), the page ``rotation`` applied (0/90/180/270,
    counter-clockwise) and the zone's ``skew`` in degrees."""

    mrz: MrzData | None = None
    text: str = ""
    box: Rectangle | None = None
    rotation: int = 0
    skew: float = 0.0
    attempts: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.mrz is not None and self.mrz.valid


def _char_ink(bw: np.ndarray) -> tuple[np.ndarray, float]:
    """The binary page keeping only character-sized components, and their median height."""
    from ..components import label_components

    labels, areas = label_components(bw)
    n = len(areas) - 1
    if n <= 0:
        return bw, 0.0
    from ._regions import component_stats

    boxes = np.empty((n + 1, 4), np.int64)
    mom = np.empty((n + 1, 6), np.float64)
    component_stats(labels, n, boxes, mom)
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    limit = max(8, min(bw.shape) // 8)
    keep = (h <= limit) & (w <= limit) & (areas >= 6)
    keep[0] = False
    sizable = keep & (h >= 5)
    if not sizable.any():
        return np.full_like(bw, 255), 0.0
    med = float(np.median(h[sizable]))
    out = np.where(keep[labels], 0, 255).astype(np.uint8)
    return out, med


def _zones_from_bars(bars: list[Blob], shape, factor: float) -> list[MrzZone]:
    lines = [b for b in bars if b.length >= 12 * b.thickness and b.thickness >= 4]
    lines.sort(key=lambda b: b.cy)
    zones = []
    for i, first in enumerate(lines):
        group = [first]
        for b in lines[i + 1:]:
            last = group[-1]
            if abs(b.angle - first.angle) > 2.0:
                continue
            if not 0.85 <= b.length / first.length <= 1.18:
                continue
            if not 0.5 <= b.thickness / first.thickness <= 2.0:
                continue
            a = math.radians(first.angle)
            ux, uy = math.cos(a), math.sin(a)
            dx, dy = b.cx - last.cx, b.cy - last.cy
            along, across = dx * ux + dy * uy, -dx * uy + dy * ux
            t = (b.thickness + last.thickness) / 2
            (lx, ly), _ = b.end_points()
            (fx, fy), _ = first.end_points()
            left_shift = abs((lx - fx) * ux + (ly - fy) * uy)
            if 1.1 * t <= across <= 3.5 * t and abs(along) <= 0.1 * first.length and left_shift <= 0.08 * first.length:
                group.append(b)
                if len(group) == 3:
                    break
        if len(group) < 2:
            continue
        aspect = float(np.median([b.length / b.thickness for b in group]))
        # TD3/TD2 lines are ~30-40 thicknesses long, TD1 ~20-28; more lines and a low position score higher
        bottom = float(np.mean([b.cy for b in group])) / shape[0]
        evenness = min(b.length for b in group) / max(b.length for b in group)
        score = len(group) + evenness + 0.5 * bottom + min(aspect, 40) / 40
        zones.append(MrzZone(group, float(np.mean([b.angle for b in group])), score, factor))
    # the same zone is found from each of its lines: keep the best-scoring per place
    zones.sort(key=lambda z: -z.score)
    kept: list[MrzZone] = []
    for z in zones:
        cx, cy = z.center
        if all(math.hypot(cx - k.center[0], cy - k.center[1]) > k.thickness * 2 for k in kept):
            kept.append(z)
    return kept


def find_mrz_zones(img, max_zones: int = 3) -> list[MrzZone]:
    """Candidate machine-readable zones of a page, best first (shape only, no OCR).

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
    max_zones : int

    Returns
    -------
    list of MrzZone
        In the coordinates of ``img`` scaled by each zone's ``factor``.
    """
    gray = gray_of(img)
    work, f = reduce_to(gray, SEARCH_SIDE)
    bw = binarize(work)
    chars, h = _char_ink(bw)
    if h <= 0:
        return []
    zones: list[MrzZone] = []
    for gap in (h, 2 * h):
        zones.extend(_zones_from_bars(text_bars(chars, int(round(gap))), work.shape, f))
    # every MRZ line holds 30 to 44 separate glyphs (each filler is one): prose lines of the
    # same length hold fewer, wider-spaced ones
    centres = np.array([((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2) for b in blobs(chars, 6)] or [(0.0, 0.0)])

    def glyphs_in(bar: Blob) -> int:
        x, y = centres[:, 0], centres[:, 1]
        return int(((x >= bar.x0) & (x < bar.x1) & (y >= bar.y0) & (y < bar.y1)).sum())

    zones = [z for z in zones if all(glyphs_in(b) >= MIN_LINE_GLYPHS for b in z.bars)]
    zones.sort(key=lambda z: -z.score)
    kept: list[MrzZone] = []
    for z in zones:
        cx, cy = z.center
        if all(math.hypot(cx - k.center[0], cy - k.center[1]) > k.thickness * 2 for k in kept):
            kept.append(z)
    return kept[:max_zones]


def _cut_zone(gray: np.ndarray, zone: MrzZone) -> tuple[np.ndarray, Rectangle]:
    """The zone cut out of the full-resolution page, straightened, scaled for OCR."""
    f = zone.factor
    cx, cy = (c / f for c in zone.center)
    length, span, t = zone.length / f, zone.span / f, zone.thickness / f
    half_w = length / 2 + 1.2 * t
    half_h = span / 2 + 0.7 * t
    a = math.radians(zone.angle)
    # an axis-aligned window holding the rotated zone, centred on it
    rw = abs(math.cos(a)) * half_w + abs(math.sin(a)) * half_h
    rh = abs(math.sin(a)) * half_w + abs(math.cos(a)) * half_h
    H, W = gray.shape
    x0, x1 = int(math.floor(cx - rw)), int(math.ceil(cx + rw))
    y0, y1 = int(math.floor(cy - rh)), int(math.ceil(cy + rh))
    # pad with paper so the zone stays centred when it touches the border
    pad = max(0, -x0, -y0, x1 - W, y1 - H)
    if pad:
        paper = int(np.percentile(gray, 90))
        gray = np.pad(gray, pad, constant_values=paper)
        x0, x1, y0, y1 = x0 + pad, x1 + pad, y0 + pad, y1 + pad
    window = np.ascontiguousarray(gray[y0:y1, x0:x1])
    box = Rectangle(max(0, x0 - pad), max(0, y0 - pad), min(W, x1 - pad) - max(0, x0 - pad),
                    min(H, y1 - pad) - max(0, y0 - pad))
    if abs(zone.angle) > 0.05:
        window = rotate(window, zone.angle)
    wh, ww = window.shape
    ccx, ccy = (ww - 1) / 2, (wh - 1) / 2
    band = window[max(0, int(ccy - half_h)):int(math.ceil(ccy + half_h)) + 1,
                  max(0, int(ccx - half_w)):int(math.ceil(ccx + half_w)) + 1]
    k = OCR_CHAR_HEIGHT / max(t, 1.0)
    if abs(k - 1) > 0.1:
        band = scale(np.ascontiguousarray(band), k)
    return np.ascontiguousarray(band), box


@dataclass
class _Glyph:
    char: str
    x0: int
    y0: int
    x1: int
    y1: int
    conf: float
    alts: dict


def _ocr(engine, img: np.ndarray, psm: int) -> list[list[_Glyph]]:
    """Tesseract on ``img`` with the MRZ alphabet: per line, the characters with their boxes
    and the LSTM's alternatives (``hocr_char_boxes``, ``lstm_choice_mode=2``)."""
    from ..ocr import RecognitionSettings

    settings = RecognitionSettings(
        page_segmentation_mode=psm, allowed_symbols=MRZ_CHARS, threads_count=1, automatic_color_inversion=False,
        result_type="hocr", tesseract_config="-c lstm_choice_mode=2 -c hocr_char_boxes=1",
    )
    return _hocr_glyphs(engine.recognize_image(img, settings).hocr or "")


_CONF = re.compile(r"x_confs?\s+([0-9.]+)")
_BOXES = re.compile(r"x_bboxes\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")


def _hocr_glyphs(hocr: str) -> list[list[_Glyph]]:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", hocr, count=1).encode("utf-8"))
    except ET.ParseError:
        return []
    cls = lambda el: (el.get("class") or "").split()  # noqa: E731
    lines = []
    for line in root.iter():
        if not {"ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"} & set(cls(line)):
            continue
        glyphs: list[_Glyph] = []
        for word in line.iter():
            if "ocrx_word" not in cls(word):
                continue
            for span in word:
                title = span.get("title") or ""
                box = _BOXES.search(title)
                if box and span.text and len(span.text) == 1:
                    m = _CONF.search(title)
                    x0, y0, x1, y1 = (int(v) for v in box.groups())
                    conf = float(m.group(1)) if m else 0.0
                    glyphs.append(_Glyph(span.text, x0, y0, x1, y1, conf, {span.text: conf}))
                elif (span.get("id") or "").startswith("lstm_choices") and glyphs:
                    for choice in span:
                        m = _CONF.search(choice.get("title") or "")
                        c = choice.text or ""
                        if len(c) == 1:
                            alts = glyphs[-1].alts
                            alts[c] = max(alts.get(c, 0.0), float(m.group(1)) if m else 0.0)
        if glyphs:
            lines.append(glyphs)
    return lines


def _snap(lines: list[list[_Glyph]], bw: np.ndarray, engine=None) -> tuple[str, list]:
    texts, choices, cells = _snap_cells(lines, bw)
    if texts and engine is not None:
        _read_empty_digits(engine, bw, texts, choices, cells)
    if texts:
        _glyph_votes(bw, texts, choices, cells)
    return "\n".join(texts), choices


def _read_empty_digits(engine, bw: np.ndarray, texts: list, choices: list, cells: list) -> None:
    """Read again, one by one, the digit-only cells the engine left empty (or filled with a filler
    it hardly believed in) but that hold ink: Tesseract tends to drop a lone narrow digit after a
    run of fillers, e.g. a final check digit."""
    from .mrz import _kinds

    fmt = {30: "TD1", 36: "TD2", 44: "TD3"}.get(len(texts[0]))
    if fmt is None or len(texts) != {"TD1": 3, "TD2": 2, "TD3": 2}[fmt]:
        return
    kinds = _kinds(fmt)
    from ..ocr import RecognitionSettings

    settings = RecognitionSettings(page_segmentation_mode=10, allowed_symbols="0123456789<", threads_count=1,
                                   automatic_color_inversion=False)
    H, W = bw.shape
    for li, (line_cells, pitch, y0, y1, left) in enumerate(cells):
        confs = [g.conf for g in line_cells if g is not None]
        if not confs or float(np.mean(confs)) < 60:
            continue  # a line read this badly (upside down, not an MRZ) is not worth it
        for pos, g in enumerate(line_cells):
            doubtful = g is None or (g.char == "<" and g.conf < 50)
            if not doubtful or li >= len(kinds) or kinds[li][pos] != "N":
                continue
            x0, x1 = int(left + pos * pitch), int(left + (pos + 1) * pitch)
            cell = bw[max(0, y0):min(H, y1), max(0, x0):min(W, x1)]
            if cell.size == 0 or (cell < 128).sum() < 0.05 * cell.size:
                continue
            cell = _drop_edge_slivers(np.ascontiguousarray(cell))
            if (cell < 128).sum() < 0.05 * cell.size:
                continue
            pad = int(pitch)
            crop = np.full((cell.shape[0] + 2 * pad, cell.shape[1] + 2 * pad), 255, np.uint8)
            crop[pad:pad + cell.shape[0], pad:pad + cell.shape[1]] = cell
            text = engine.recognize_image(crop, settings).recognition_text.strip()
            if len(text) == 1:
                texts[li] = texts[li][:pos] + text + texts[li][pos + 1:]
                choices[li][pos] = {text: 50.0}


def _drop_edge_slivers(cell: np.ndarray) -> np.ndarray:
    """Erase the bits of the neighbouring glyphs a cell cut catches at its left and right edges."""
    out = cell.copy()
    w = cell.shape[1]
    for b in blobs(cell):
        if (b.x0 == 0 or b.x1 == w) and b.width < w / 2:
            part = out[b.y0:b.y1, b.x0:b.x1]
            part[part < 128] = 255  # the sliver's box holds nothing else at this size
    return out


def _snap_cells(lines: list[list[_Glyph]], bw: np.ndarray) -> tuple[list, list, list]:
    """Put each recognised character into its cell of the MRZ's fixed-pitch grid.

    OCR-B is monospaced and every MRZ line has a fixed number of cells
    (30, 36 or 44), spanning the line's ink from its first glyph to its last.
    So a glyph read twice, a character the engine inserted between two
    glyphs, or a run of fillers it miscounted all fall back into place: a
    cell keeps its likeliest character (the other candidates become its
    alternatives) and an empty cell is a filler.
    """
    lines = [g for g in lines if len(g) >= 10]
    if not lines:
        return [], [], []
    n_lines = len(lines)
    texts, choices, all_cells = [], [], []
    for glyphs in lines:
        y0 = max(0, min(g.y0 for g in glyphs))
        y1 = min(bw.shape[0], max(g.y1 for g in glyphs))
        centres = sorted((g.x0 + g.x1) / 2 for g in glyphs)
        steps = np.diff(centres)
        typical = float(np.median(steps)) if steps.size else 0.0
        steps = steps[(steps > 0.6 * typical) & (steps < 1.4 * typical)] if typical > 0 else steps
        # the line's ink reaches past the glyphs the engine kept (a dropped first or last
        # character) but not by more than a cell: further out is a border or the table
        g_left, g_right = min(g.x0 for g in glyphs), max(g.x1 for g in glyphs)
        reach = int(1.3 * typical) if typical > 0 else 0
        lo, hi = max(0, g_left - reach), min(bw.shape[1], g_right + reach)
        counts = (bw[y0:y1, lo:hi] < 128).sum(axis=0)
        cols = np.nonzero((counts >= 2) & (counts < 0.95 * (y1 - y0)))[0] + lo
        max_gap = max(4, int(0.6 * typical))
        left = float(min(_edge_run(cols, g_left, -1, max_gap), g_left))
        right = float(max(_edge_run(cols, g_right - 1, 1, max_gap) + 1, g_right))
        if n_lines >= 3:
            n = 30
        elif steps.size:
            n = min((36, 44), key=lambda k: abs((right - left) / float(np.median(steps)) - k))
        else:
            n = 44
        pitch = (right - left) / n
        cells: list[_Glyph | None] = [None] * n
        extra: list[dict] = [{} for _ in range(n)]
        for g in glyphs:
            k = int(((g.x0 + g.x1) / 2 - left) // pitch)
            if not 0 <= k < n:
                continue
            if cells[k] is None or g.conf > cells[k].conf:
                if cells[k] is not None:
                    extra[k].update(cells[k].alts)
                cells[k] = g
            else:
                for c, v in g.alts.items():
                    extra[k][c] = max(extra[k].get(c, 0.0), v)
        text, alts = [], []
        for k, g in enumerate(cells):
            if g is None:
                text.append("<")
                alts.append({"<": 0.0})
            else:
                text.append(g.char)
                merged = dict(extra[k])
                for c, v in g.alts.items():
                    merged[c] = max(merged.get(c, 0.0), v)
                alts.append(merged)
        texts.append("".join(text))
        choices.append(alts)
        all_cells.append((cells, pitch, y0, y1, left))
    return texts, choices, all_cells


def _edge_run(cols: np.ndarray, start: int, step: int, max_gap: int) -> int:
    """The last ink column reached from ``start`` going ``step`` (+1 or -1) across gaps
    narrower than ``max_gap`` columns."""
    if cols.size == 0:
        return start
    have = set(cols.tolist())
    x, gap, last = start, 0, start
    while gap < max_gap and (cols[0] <= x <= cols[-1]):
        if x in have:
            last, gap = x, 0
        else:
            gap += 1
        x += step
    return last


def _glyph_votes(bw: np.ndarray, texts: list, choices: list, cells: list) -> None:
    """Let the zone's own glyphs settle letter/digit look-alikes in free alphanumeric fields.

    The MRZ font is the same everywhere in the zone, and many positions
    can only hold a digit (dates, check digits) or only a letter (names,
    country codes).  Their glyphs serve as templates: a glyph read ``O`` in
    the document number that looks like the zone's zeros more than like its
    Os gets ``0`` as its likelier alternative, and the check-digit repair of
    :func:`~ocrprep.documents.parse_mrz` uses that ranking.
    """
    from .mrz import _LOOKALIKE, _kinds

    fmt = {30: "TD1", 36: "TD2", 44: "TD3"}.get(len(texts[0]))
    if fmt is None or len(texts) != {"TD1": 3, "TD2": 2, "TD3": 2}[fmt] or any(len(t) != len(texts[0]) for t in texts):
        return
    kinds = _kinds(fmt)
    pitch = int(round(float(np.median([c[1] for c in cells]))))
    height = int(round(float(np.median([c[3] - c[2] for c in cells]))))
    if pitch < 4 or height < 4:
        return
    ink = (bw < 128).astype(np.float32)
    H, W = ink.shape

    def crop(g: _Glyph, y0: int):
        cx = (g.x0 + g.x1) // 2
        x0 = cx - pitch // 2
        out = np.zeros((height, pitch), np.float32)
        ys, xs = slice(max(0, y0), min(H, y0 + height)), slice(max(0, x0), min(W, x0 + pitch))
        part = ink[ys, xs]
        out[ys.start - y0:ys.start - y0 + part.shape[0], xs.start - x0:xs.start - x0 + part.shape[1]] = part
        return out

    sums: dict[str, list] = {}
    for li, (line_cells, _, y0, _, _) in enumerate(cells):
        for pos, g in enumerate(line_cells):
            if g is None:
                continue
            kind = kinds[li][pos]
            if (kind == "N" and g.char.isdigit()) or (kind == "A" and g.char.isalpha()):
                sums.setdefault(g.char, []).append(crop(g, y0))
    templates = {c: np.mean(v, axis=0) for c, v in sums.items()}
    # how far a glyph typically lies from its own template
    spread = {c: float(np.mean([np.abs(x - templates[c]).mean() for x in v])) for c, v in sums.items() if len(v) >= 2}
    for li, (line_cells, _, y0, _, _) in enumerate(cells):
        for pos, g in enumerate(line_cells):
            if g is None or kinds[li][pos] != "X" or g.char not in _LOOKALIKE:
                continue
            rivals = [c for c in _LOOKALIKE[g.char] if c in templates]
            if not rivals:
                continue
            img = crop(g, y0)
            dist = {c: float(np.abs(img - templates[c]).mean()) for c in rivals}
            best = min(dist, key=dist.get)
            if g.char in templates:
                d_own = float(np.abs(img - templates[g.char]).mean())
                for c, d in dist.items():
                    # confidences in the engine's 0..100 scale, from the relative distances;
                    # a rival no closer than what was read gets no support at all
                    total = d_own + d + 1e-6
                    choices[li][pos][c] = 100.0 * d_own / total if d < d_own else 0.0
                    choices[li][pos][g.char] = max(choices[li][pos].get(g.char, 0.0), 100.0 * d / total)
                strong = dist[best] < 0.6 * d_own
            else:
                # no template of what was read: a close match to a rival's template decides
                strong = best in spread and dist[best] <= 1.5 * spread[best]
                if strong:
                    choices[li][pos][best] = 90.0
                    choices[li][pos][g.char] = 10.0
            if strong:
                # letter/digit pairs whose values differ by 10 (1/L, 5/Z, 8/S, 0/U...) pass the check
                # digits either way, so a clear glyph match is acted on directly
                texts[li] = texts[li][:pos] + best + texts[li][pos + 1:]


def _try_parse(text: str, choices=None) -> MrzData | None:
    try:
        return parse_mrz(text, choices=choices)
    except OcrprepError:
        return None


def _better(a: MrzData | None, b: MrzData | None) -> bool:
    """``a`` is a better reading than ``b``."""
    if a is None:
        return False
    if b is None:
        return True
    return (a.valid_score, -len(a.corrections)) > (b.valid_score, -len(b.corrections))


def _read_band(engine, band: np.ndarray, reading: MrzReading) -> tuple[MrzData | None, str, bool]:
    """The best reading of a cut-out zone: (mrz, text, whether it was read turned by 180 degrees)."""
    best, best_text, best_flip = None, "", False
    bw = binarize(band)
    for flipped, img in ((False, bw), (True, bw[::-1, ::-1])):
        img = np.ascontiguousarray(img)
        text, choices = _snap(_ocr(engine, img, 6), img, engine)
        mrz = _try_parse(text, choices)
        reading.attempts.append(text)
        if _better(mrz, best):
            best, best_text, best_flip = mrz, text, flipped
        if best is not None and best.valid:
            return best, best_text, best_flip
        # line by line: Tesseract's single-line mode sometimes keeps what the block mode loses
        bands = [b for b in row_bands(img) if b[1] - b[0] >= OCR_CHAR_HEIGHT // 2]
        if 2 <= len(bands) <= 3:
            pad = OCR_CHAR_HEIGHT // 3
            per_line = []
            for y0, y1 in bands:
                strip = np.ascontiguousarray(img[max(0, y0 - pad):y1 + pad])
                glyphs = [g for line in _ocr(engine, strip, 7) for g in line]
                for g in glyphs:  # back to the band's rows
                    g.y0 += max(0, y0 - pad)
                    g.y1 += max(0, y0 - pad)
                per_line.append(glyphs)
            text, choices = _snap(per_line, img, engine)
            mrz = _try_parse(text, choices)
            reading.attempts.append(text)
            if _better(mrz, best):
                best, best_text, best_flip = mrz, text, flipped
            if best is not None and best.valid:
                return best, best_text, best_flip
    return best, best_text, best_flip


def read_mrz(img, engine=None) -> MrzReading:
    """Find, read and parse the machine-readable zone of a document image.

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
        A passport data page, an ID card, a visa -- scanned or photographed,
        in any of the four quarter-turn orientations, skewed up to about
        15 degrees.
    engine : OcrEngine, optional
        The Tesseract engine to use (default: a new :class:`~ocrprep.OcrEngine`).

    Returns
    -------
    MrzReading
        ``mrz`` is None when no zone could be read; otherwise check
        ``mrz.valid`` (every check digit verifies).

    Examples
    --------
    >>> from ocrprep.documents import read_mrz
    >>> reading = read_mrz(page)                      # doctest: +SKIP
    >>> reading.mrz.surname, reading.mrz.valid        # doctest: +SKIP
    ('ERIKSSON', True)
    """
    if engine is None:
        from ..ocr import OcrEngine

        engine = OcrEngine()
    gray = gray_of(img)
    reading = MrzReading()
    best = None
    for quarter in (0, 1, 3):
        page = gray if quarter == 0 else np.ascontiguousarray(np.rot90(gray, quarter))
        for zone in find_mrz_zones(page, max_zones=2):
            band, box = _cut_zone(page, zone)
            mrz, text, flipped = _read_band(engine, band, reading)
            if _better(mrz, best):
                best = mrz
                reading.mrz, reading.text = mrz, text
                reading.rotation = (90 * quarter + (180 if flipped else 0)) % 360
                reading.skew = -zone.angle
                reading.box = _unrotate_box(box, quarter, gray.shape)
            if best is not None and best.valid:
                return reading
    return reading


def _unrotate_box(box: Rectangle, quarter: int, shape) -> Rectangle:
    """A box found on ``np.rot90(page, quarter)`` in the page's own coordinates."""
    x, y, w, h = box
    H, W = shape
    if quarter == 0:
        return box
    if quarter == 1:   # rot90 CCW: (x', y') = (y, W - 1 - x)
        return Rectangle(W - (y + h), x, h, w)
    return Rectangle(y, H - (x + w), h, w)  # quarter == 3 (clockwise)
