"""Passports and ID cards: the machine-readable zone parsed and verified, plus the page's text."""
from __future__ import annotations

import numpy as np

from ..filters import Rectangle
from ..geometry import rotate
from ..ocr import LinesResult
from .mrz import MrzData, find_mrz_lines
from .mrz_zone import read_mrz
from .pagetext import prepare, read_text
from .regions import gray_of
from .result import DocumentResult

__all__ = ["read_passport_page", "read_id_card_page", "mrz_fields"]

_FIELD_NAMES = ("document_type", "issuing_country", "surname", "given_names", "document_number",
                "nationality", "birth_date", "sex", "expiry_date", "optional_data", "optional_data_2")


def mrz_fields(mrz: MrzData) -> dict:
    """The MRZ's fields as a flat dict (dates also in ISO form, plus ``valid``)."""
    out = {name: getattr(mrz, name) for name in _FIELD_NAMES}
    dob, exp = mrz.date_of_birth, mrz.date_of_expiry
    out["date_of_birth"] = dob.isoformat() if dob else None
    out["date_of_expiry"] = exp.isoformat() if exp else None
    out["mrz_format"] = mrz.format
    out["valid"] = mrz.valid
    return out


def _rotate_box(box: Rectangle, quarter: int, shape) -> Rectangle:
    """A box of the page in the coordinates of ``np.rot90(page, quarter)``."""
    x, y, w, h = box
    H, W = shape
    quarter %= 4
    if quarter == 0:
        return box
    if quarter == 1:  # counter-clockwise: (x, y) -> (y, W - 1 - x)
        return Rectangle(y, W - (x + w), h, w)
    if quarter == 2:
        return Rectangle(W - (x + w), H - (y + h), w, h)
    return Rectangle(H - (y + h), x, h, w)


def _read_document(engine, img, settings, psm: int) -> DocumentResult:
    gray = gray_of(img)
    reading = read_mrz(gray, engine=engine)
    quarter = reading.rotation // 90
    upright = np.ascontiguousarray(np.rot90(gray, quarter)) if quarter else gray
    skew = 0.0
    mrz_box = _rotate_box(reading.box, quarter, gray.shape) if reading.box is not None else None
    if reading.mrz is not None and abs(reading.skew) >= 0.05:
        # the zone's own angle is the most precise skew there is; no second estimate needed
        upright, skew = rotate(upright, -reading.skew), reading.skew
        page, _ = prepare(upright, settings, deskew=False)
    else:
        page, skew = prepare(upright, settings)
        if reading.mrz is not None:
            skew = reading.skew
    text = read_text(engine, page, settings, psm)
    result = DocumentResult.from_result(text)
    result.skew = skew
    if reading.mrz is not None:
        mrz = reading.mrz
        # the engine's garbled copy of the zone gives way to the repaired lines
        keep = [ln for ln in result.recognition_lines_result if not find_mrz_lines([ln.text_in_line] * 2)]
        if mrz_box is not None:
            step = mrz_box.height / len(mrz.lines)
            boxes = [Rectangle(mrz_box.x, int(round(mrz_box.y + i * step)), mrz_box.width, int(round(step)))
                     for i in range(len(mrz.lines))]
        else:
            boxes = [Rectangle(0, 0, 0, 0)] * len(mrz.lines)
        conf = 100.0 if mrz.valid else 50.0
        result.recognition_lines_result = keep + [LinesResult(line, box, conf) for line, box in zip(mrz.lines, boxes)]
        body = "\n".join(ln.text_in_line for ln in keep)
        result.recognition_text = (body + "\n\n" if body else "") + "\n".join(mrz.lines)
        result.recognition_areas_text = [t for t in (body, "\n".join(mrz.lines)) if t]
        result.recognition_areas_rectangles = ([Rectangle(0, 0, page.shape[1], page.shape[0])] if body else []) + (
            [mrz_box] if mrz_box is not None else [Rectangle(0, 0, 0, 0)])
        result.mrz = mrz
        result.fields = mrz_fields(mrz)
        if not mrz.valid:
            bad = [c.name for c in mrz.checks if not c.valid]
            result.warnings.append(f"machine-readable zone read, but check digit(s) {', '.join(bad)} do not verify")
    else:
        result.warnings.append("no machine-readable zone found")
    return result


def read_passport_page(engine, img, settings) -> DocumentResult:
    """One passport page: MRZ (TD3) and text (automatic page segmentation)."""
    return _read_document(engine, img, settings, psm=3)


def read_id_card_page(engine, img, settings) -> DocumentResult:
    """One ID card side: text (sparse segmentation: scattered labels and values) and MRZ when present."""
    return _read_document(engine, img, settings, psm=11)
