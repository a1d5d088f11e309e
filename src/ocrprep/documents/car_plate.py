"""Vehicle licence plates in photos: plate-like regions found by shape, read in one line.

A plate is a row of 4 to 12 characters of one height, evenly spaced, on a
plain background that is itself a closed region of plate proportions (the
plate's paint, bounded by its frame or by the car around it).  Rows are
found among the ink components of the binarized photo -- dark on light and
light on dark -- and kept when the background region around them fits them
snugly: text on a wall or a shop sign sits on a region far larger than
itself.  Each kept plate is cut out, scaled to a character height
Tesseract reads well and recognised as a single line with a plate alphabet.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..binarize import binarize
from ..components import label_components
from ..filters import Rectangle
from ..geometry import scale
from ..ocr import LinesResult
from ._regions import component_stats
from .regions import Blob, blobs, gray_of, reduce_to
from .result import DocumentResult

__all__ = ["Plate", "find_plates", "read_car_plate_page", "PLATE_ALPHABET"]

#: Characters a plate is read with unless the settings give a whitelist.
PLATE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
SEARCH_SIDE = 1600
OCR_CHAR_HEIGHT = 40


@dataclass
class Plate:
    """A plate candidate: its ``box`` in the photo, whether its text is ``dark`` on light, and a ``score``."""

    box: Rectangle
    dark: bool
    score: float
    char_height: float


def _char_blobs(bw: np.ndarray) -> list[Blob]:
    H = bw.shape[0]
    out = []
    for b in blobs(bw, 12):
        h, w = b.height, b.width
        if not 10 <= h <= H // 4 or w < 2:
            continue
        if not 0.9 <= h / w <= 8.0:
            continue
        if b.area < 0.12 * h * w:
            continue
        out.append(b)
    return out


def _rows(chars: list[Blob], min_len: int = 4, max_len: int = 12) -> list[list[Blob]]:
    """Chains of ``min_len`` to ``max_len`` characters of one height, side by side."""
    chars = sorted(chars, key=lambda b: b.x0)
    used = set()
    rows = []
    for i, first in enumerate(chars):
        if i in used:
            continue
        row = [first]
        last = first
        for j in range(i + 1, len(chars)):
            b = chars[j]
            if j in used:
                continue
            if b.x0 - last.x1 > 1.6 * last.height:
                if b.x0 - last.x1 > 3 * first.height:
                    break
                continue
            if not 0.75 <= b.height / first.height <= 1.33:
                continue
            if abs((b.y0 + b.y1) / 2 - (last.y0 + last.y1) / 2) > 0.35 * first.height:
                continue
            if b.x0 < last.x1 - 0.3 * last.width:
                continue
            row.append(b)
            last = b
        if min_len <= len(row) <= max_len:
            rows.append(row)
            used.update(chars.index(b) for b in row)
    return rows


def _paper_boxes(bw: np.ndarray):
    """Labels of the background regions (pixels >= 128) and their boxes."""
    labels, areas = label_components(255 - bw)
    n = len(areas) - 1
    boxes = np.empty((n + 1, 4), np.int64)
    mom = np.empty((n + 1, 6), np.float64)
    component_stats(labels, n, boxes, mom)
    return labels, boxes


def find_plates(img, max_plates: int = 4) -> list[Plate]:
    """Plate-like regions of a photo, best first (shape only, no OCR).

    Parameters
    ----------
    img : (H, W) or (H, W, C) uint8 ndarray
    max_plates : int

    Returns
    -------
    list of Plate
        Boxes in ``img``'s coordinates.
    """
    gray = gray_of(img)
    work, f = reduce_to(gray, SEARCH_SIDE)
    found: list[Plate] = []
    # a photo has no single paper level: a global split (Otsu) and a local one (Sauvola, window
    # of a few character heights) each miss plates the other finds; both polarities of each
    window = max(15, (min(work.shape) // 12) | 1)
    variants = [(dark, method) for dark in (True, False) for method in ("otsu", "sauvola")]
    for dark, method in variants:
        page = work if dark else 255 - work
        bw = binarize(page, "otsu") if method == "otsu" else binarize(page, "sauvola", window=window, k=0.2)
        labels, pboxes = _paper_boxes(bw)
        for row in _rows(_char_blobs(bw)):
            x0, x1 = min(b.x0 for b in row), max(b.x1 for b in row)
            y0, y1 = min(b.y0 for b in row), max(b.y1 for b in row)
            h = float(np.median([b.height for b in row]))
            heights = np.array([b.height for b in row], float)
            # the background region touching the row just above its middle
            probe_y = max(0, int(y0 - 0.15 * h) - 1)
            probes = [labels[probe_y, int((b.x0 + b.x1) / 2)] for b in row]
            probes = [p for p in probes if p > 0]
            if not probes:
                continue
            lab = max(set(probes), key=probes.count)
            px0, py0, px1, py1 = (int(v) for v in pboxes[lab])
            row_area = (x1 - x0) * (y1 - y0)
            plate_area = (px1 - px0) * (py1 - py0)
            if not (px0 <= x0 and py0 <= y0 and px1 >= x1 and py1 >= y1):
                continue
            snug = plate_area / max(row_area, 1)
            aspect = (px1 - px0) / max(py1 - py0, 1)
            if snug > 6 or not 1.5 <= aspect <= 8:
                continue
            evenness = 1.0 - min(1.0, float(heights.std() / max(heights.mean(), 1)))
            score = evenness + 1.0 / snug + min(len(row), 8) / 8
            box = Rectangle(int(px0 / f), int(py0 / f), int(math.ceil((px1 - px0) / f)), int(math.ceil((py1 - py0) / f)))
            found.append(Plate(box, dark, score, h / f))
    found.sort(key=lambda p: -p.score)
    kept: list[Plate] = []
    for p in found:
        if all(_overlap(p.box, k.box) < 0.5 for k in kept):
            kept.append(p)
    return kept[:max_plates]


def _overlap(a: Rectangle, b: Rectangle) -> float:
    ix = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
    iy = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
    inter = ix * iy
    return inter / max(1, min(a.width * a.height, b.width * b.height))


def _plate_text(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\s*-\s*", "-", text).strip(" -")


def read_car_plate_page(engine, img, settings) -> DocumentResult:
    """Find and read the plates of one photo (see the module docstring)."""
    from ..ocr import RecognitionResult

    gray = gray_of(img)
    whitelist = settings.whitelist() or PLATE_ALPHABET
    plates, lines, boxes = [], [], []
    for plate in find_plates(gray):
        x, y, w, h = plate.box
        crop = np.ascontiguousarray(gray[y:y + h, x:x + w])
        if not plate.dark:
            crop = 255 - crop
        k = OCR_CHAR_HEIGHT / max(plate.char_height, 1.0)
        if abs(k - 1) > 0.1:
            crop = scale(crop, min(k, 6.0))
        pad = OCR_CHAR_HEIGHT // 2
        crop = np.pad(binarize(crop), pad, constant_values=255)
        ocr_settings = settings.text_settings(7, allowed_symbols=whitelist.replace(" ", "") or None,
                                              automatic_color_inversion=False)
        res = engine.recognize_image(crop, ocr_settings)
        text = _plate_text(res.recognition_text)
        if sum(c.isalnum() for c in text) < 4 or res.confidence < 40:
            continue
        plates.append(text)
        boxes.append(plate.box)
        lines.append(LinesResult(text, plate.box, res.confidence))
    result = DocumentResult.from_result(RecognitionResult(
        recognition_text="\n".join(plates),
        recognition_lines_result=lines,
        recognition_areas_rectangles=boxes,
        recognition_areas_text=list(plates),
        confidence=float(np.mean([ln.confidence for ln in lines])) if lines else 0.0,
        language=settings.resolved_language(),
    ))
    result.fields = {"plates": plates}
    if not plates:
        result.warnings.append("no licence plate found")
    return result
