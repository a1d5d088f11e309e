"""Recognising a page region by region: table cells, or chosen areas.

``RecognitionSettings(detect_areas_mode="table")`` and
``RecognitionSettings(recognition_areas=[...])`` come here from
:class:`ocrprep.OcrEngine`.  Each region is cut out of the page, given a
white margin, and recognised as one block of text (Tesseract ``--psm 6``)
on its own, so the text of one cell never runs into its neighbour's and the
rules of the table never reach Tesseract.  All the regions of a page go to
*one* Tesseract process (a list file of images, one page each), which costs
about as much as recognising the page once.
"""
from __future__ import annotations

import os
import re
import tempfile

import numpy as np

from .filters import Rectangle, _gray
from .io import _to_pil

__all__ = ["recognize_regions"]

#: Paper added around each cut-out region (pixels): Tesseract needs a margin.
MARGIN = 12
#: Skew (degrees) from which a table is straightened before its rules are looked for.
MIN_TABLE_SKEW = 0.2


def _run_many(images: list, opts, cmd: str, config: str) -> list[dict]:
    """Tesseract's TSV columns for each image, from one process."""
    import pytesseract

    from .ocr import _tesseract_errors, _use_cmd

    if not images:
        return []
    _use_cmd(cmd)
    with tempfile.TemporaryDirectory(prefix="ocrprep-regions-") as tmp:
        paths = []
        for i, im in enumerate(images):
            path = os.path.join(tmp, f"{i:05d}.png")
            _to_pil(im).save(path)
            paths.append(path)
        listing = os.path.join(tmp, "regions.txt")
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(paths) + "\n")
        with _tesseract_errors(opts.timeout):
            data = pytesseract.image_to_data(
                listing, lang=opts.language, config=config, output_type=pytesseract.Output.DICT, timeout=opts.timeout
            )
    per_image = [{k: [] for k in data} for _ in images]
    for i in range(len(data.get("level", []))):
        n = int(data["page_num"][i]) - 1
        if 0 <= n < len(images):
            for k in data:
                per_image[n][k].append(data[k][i])
    return per_image


def _region_config(opts) -> str:
    """The settings' Tesseract options with one-block segmentation."""
    config = re.sub(r"--psm\s+\d+", "", opts.config).strip()
    return f"--psm 6 {config}".strip()


def _cut(img: np.ndarray, box: Rectangle, paper: int) -> np.ndarray:
    crop = img[box.y:box.y + box.height, box.x:box.x + box.width]
    pad = ((MARGIN, MARGIN), (MARGIN, MARGIN)) + (((0, 0),) if crop.ndim == 3 else ())
    return np.pad(crop, pad, constant_values=paper)


def _shift(result, dx: int, dy: int) -> None:
    """Move a region's boxes from its cut-out to the page."""
    def move(b):
        return Rectangle(b.x + dx, b.y + dy, b.width, b.height)

    for line in result.recognition_lines_result:
        line.line = move(line.line)
        for word in line.words:
            word.box = move(word.box)
    result.recognition_areas_rectangles = [move(b) for b in result.recognition_areas_rectangles]


def _clip(box: Rectangle, shape) -> Rectangle | None:
    h, w = shape[:2]
    x0, y0 = max(0, box.x), max(0, box.y)
    x1, y1 = min(w, box.x + box.width), min(h, box.y + box.height)
    if x1 <= x0 or y1 <= y0:
        return None
    return Rectangle(x0, y0, x1 - x0, y1 - y0)


def recognize_regions(img: np.ndarray, opts, cmd: str, factor: float = 1.0):
    """The :class:`~ocrprep.RecognitionResult` of a page read region by region.

    ``opts`` are resolved settings: a table (``areas_mode`` TABLE) or the
    ``areas`` to read.  ``factor`` is how much the page was enlarged
    (``upscale_small_font``), to scale the chosen areas accordingly.
    """
    from .ocr import DetectAreasMode, RecognitionResult, _build_result

    if opts.areas_mode is DetectAreasMode.TABLE and not opts.areas:
        return _recognize_table(img, opts, cmd)
    boxes = []
    for area in opts.areas:
        scaled = Rectangle(*(int(round(v * factor)) for v in area)) if factor != 1.0 else area
        boxes.append(_clip(scaled, img.shape))
    paper = 255
    crops = [_cut(img, b, paper) for b in boxes if b is not None]
    datas = iter(_run_many(crops, opts, cmd, _region_config(opts)))
    out = RecognitionResult(language=opts.language, result_type=opts.result_type)
    texts = []
    for area, box in zip(opts.areas, boxes):
        text = ""
        if box is not None:
            part = _build_result(next(datas), None, opts)
            _shift(part, box.x - MARGIN, box.y - MARGIN)
            out.recognition_lines_result.extend(part.recognition_lines_result)
            text = "\n".join(line.text_in_line for line in part.recognition_lines_result)
        else:
            out.warnings.append(f"recognition area {tuple(area)} lies outside the page")
        out.recognition_areas_rectangles.append(box if box is not None else Rectangle(*area))
        out.recognition_areas_text.append(text)
        texts.append(text)
    out.recognition_text = "\n\n".join(t for t in texts if t)
    words = out.words
    out.confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return out


def _recognize_table(img: np.ndarray, opts, cmd: str):
    from .geometry import rotate
    from .ocr import LinesResult, RecognitionResult, _build_result, _run_tesseract
    from .tables import erase_rules, find_tables, invert_filled_boxes, table_skew

    out = RecognitionResult(language=opts.language, result_type=opts.result_type)
    if opts.result_type.value == "hocr":
        out.warnings.append("table mode gives no hOCR: use the text or JSON result")
    # Rules are found with perfectly horizontal and vertical lines: a table turned by even
    # 2 degrees breaks them into short pieces, so the page is straightened first.
    angle = table_skew(img) if not opts.auto_skew else 0.0
    if abs(angle) >= MIN_TABLE_SKEW:
        img = rotate(img, -angle, expand=True)
        out.warnings.append(f"table straightened by {-angle:.2f} degrees; boxes refer to the straightened page")
    # a header row or a cell printed light on dark becomes dark on light, its edges rules
    img = invert_filled_boxes(img)
    grids = find_tables(img)
    if not grids:
        return out
    clean = _gray(erase_rules(img), None)
    paper = int(np.median(clean)) if clean.size else 255
    cells = [(t, cell) for t, grid in enumerate(grids) for cell in grid.cells]
    datas = _run_many([_cut(clean, cell.box, paper) for _, cell in cells], opts, cmd, _region_config(opts))
    # On a noisy or faint table a cut-out cell is mostly paper and Otsu's threshold (Tesseract's)
    # can fall into the paper's noise: the cells are then read on the automatic binarization too
    # (binarized first, then the rules painted over - painting them on a shaded grey page leaves
    # stripes of the wrong grey), and each keeps the reading with the higher mean word confidence.
    bw = _binarized_when_otsu_fails(_gray(img, None))
    if bw is not None:
        from .binarize_choice import reading_score

        clean_bw = erase_rules(bw)
        others = _run_many([_cut(clean_bw, cell.box, 255) for _, cell in cells], opts, cmd, _region_config(opts))
        kept = 0
        for i, other in enumerate(others):
            # the mean confidence, not the sum: a cell read in the paper's noise gives many
            # junk "words" of middling confidence, a broken word two good pieces
            if reading_score(other)[2] > reading_score(datas[i])[2]:
                datas[i] = other
                kept += 1
        if kept:
            out.warnings.append(f"{kept} of {len(cells)} table cells read on the automatic binarization (Otsu's "
                                "threshold, which Tesseract applies, falls into the noise of this page's paper)")

    # Text outside the tables (a title, notes, paragraphs between tables) is read as a page.
    rest = clean.copy()
    for grid in grids:
        b = grid.box
        rest[b.y:b.y + b.height, b.x:b.x + b.width] = paper
    outside = []
    if (rest < paper - 64).any():
        data, _ = _run_tesseract(rest, _without_hocr(opts), cmd)
        outside = _build_result(data, None, opts).recognition_lines_result

    tables = [[["" for _ in range(g.shape[1])] for _ in range(g.shape[0])] for g in grids]
    row_words: dict[tuple, list] = {}
    row_boxes: dict[tuple, list] = {}
    for (t, cell), data in zip(cells, datas):
        part = _build_result(data, None, opts)
        _shift(part, cell.box.x - MARGIN, cell.box.y - MARGIN)
        text = " ".join(line.text_in_line for line in part.recognition_lines_result)
        tables[t][cell.row][cell.column] = text
        out.recognition_areas_rectangles.append(cell.box)
        out.recognition_areas_text.append(text)
        if text:
            row_words.setdefault((t, cell.row), []).extend(part.words)
            row_boxes.setdefault((t, cell.row), []).append(cell.box)

    # Every line of the page - outside lines and table rows - in order from the top; consecutive
    # lines of the same block (the outside text, or one table) are joined by line breaks, blocks
    # by a blank line.
    lines = [(line.line.y + line.line.height / 2, -1, line) for line in outside]
    for t, table in enumerate(tables):
        for r, row in enumerate(table):
            text = "\t".join(row).rstrip("\t")
            if not text.strip():
                continue
            boxes = row_boxes[(t, r)]
            x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
            x1, y1 = max(b.x + b.width for b in boxes), max(b.y + b.height for b in boxes)
            words = row_words[(t, r)]
            conf = sum(w.confidence for w in words) / len(words) if words else 0.0
            lines.append(((y0 + y1) / 2, t, LinesResult(text, Rectangle(x0, y0, x1 - x0, y1 - y0), conf, words)))
    lines.sort(key=lambda item: item[0])
    out.recognition_lines_result = [line for _, _, line in lines]
    blocks, last = [], None
    for _, block, line in lines:
        if block != last or block == -1 and blocks and _gap_before(line, blocks[-1][-1]):
            blocks.append([])
            last = block
        blocks[-1].append(line)
    out.recognition_text = "\n\n".join("\n".join(line.text_in_line for line in b) for b in blocks)
    out.tables = [[row for row in table if any(row)] for table in tables if any(any(row) for row in table)]
    words = out.words
    out.confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return out


def _binarized_when_otsu_fails(gray: np.ndarray):
    """The automatic binarization of ``gray`` when it and Otsu's threshold - what Tesseract
    applies to each cut-out cell - disagree on much of the ink (the test
    :func:`ocrprep.binarize_choice.recognize_best` makes for whole pages); else None."""
    from .binarize import binarize
    from .binarize_choice import _disagrees_with_otsu
    from .io import is_binary

    if gray.size == 0 or is_binary(gray):
        return None
    bw = binarize(gray)
    return bw if _disagrees_with_otsu(gray, bw, binarize) else None


def _gap_before(line, previous) -> bool:
    """A new paragraph of outside text: the line starts more than a line height below the last."""
    return line.line.y - (previous.line.y + previous.line.height) > previous.line.height


def _without_hocr(opts):
    from dataclasses import replace

    from .ocr import ResultType

    return replace(opts, result_type=ResultType.TEXT) if opts.result_type is not ResultType.TEXT else opts
