"""Street photos: sparse text on signs, shop fronts and price tags."""
from __future__ import annotations

import numpy as np

from ..binarize import binarize
from ..filters import Rectangle
from ..ocr import LinesResult, RecognitionResult, Word
from .regions import gray_of, reduce_to
from .result import DocumentResult

__all__ = ["read_street_photo_page"]

#: Words kept from a pass below this Tesseract confidence are dropped (scene clutter reads as junk).
MIN_WORD_CONFIDENCE = 55.0
#: Words of one or two characters need more (clutter is full of them).
SHORT_WORD_CONFIDENCE = 85.0
#: Text rows read one by one, longest first.
MAX_ROWS = 24


def _passes(gray: np.ndarray):
    """Binary versions of the photo worth reading: dark-on-light and light-on-dark text, each with
    a local (Sauvola) threshold -- a photo has no single paper level."""
    window = max(15, (min(gray.shape) // 10) | 1)
    for inverted in (False, True):
        img = 255 - gray if inverted else gray
        yield binarize(img, "sauvola", window=window, k=0.25)
    yield gray  # and Tesseract's own global threshold, which keeps letters at a sign's edge


def _overlap(a: Rectangle, b: Rectangle) -> float:
    ix = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
    iy = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
    return ix * iy / max(1, min(a.width * a.height, b.width * b.height))


def _lines(words: list[Word]) -> list[LinesResult]:
    """Words grouped into lines (vertical overlap), each read left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.box.y + w.box.height / 2, w.box.x)):
        cy = w.box.y + w.box.height / 2
        for line in lines:
            ref = line[-1].box
            if abs(cy - (ref.y + ref.height / 2)) < 0.5 * max(ref.height, w.box.height):
                line.append(w)
                break
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w.box.x)
        x0 = min(w.box.x for w in line)
        y0 = min(w.box.y for w in line)
        x1 = max(w.box.x + w.box.width for w in line)
        y1 = max(w.box.y + w.box.height for w in line)
        out.append(LinesResult(" ".join(w.text for w in line), Rectangle(x0, y0, x1 - x0, y1 - y0),
                               float(np.mean([w.confidence for w in line])), line))
    return out


def _row_words(engine, bw: np.ndarray, settings) -> list[Word]:
    """Words of the text rows found by their components, each row read on its own as one line
    (whole-photo layout analysis tends to swallow a sign into the dark area around it)."""
    from .car_plate import _char_blobs, _rows

    words: list[Word] = []
    rows = sorted(_rows(_char_blobs(bw), min_len=2, max_len=60), key=len, reverse=True)[:MAX_ROWS]
    H, W = bw.shape
    for row in rows:
        h = float(np.median([b.height for b in row]))
        m = int(0.4 * h) + 2
        x0, y0 = max(0, min(b.x0 for b in row) - m), max(0, min(b.y0 for b in row) - m)
        x1, y1 = min(W, max(b.x1 for b in row) + m), min(H, max(b.y1 for b in row) + m)
        crop = np.ascontiguousarray(bw[y0:y1, x0:x1])
        res = engine.recognize_image(crop, settings.text_settings(7, automatic_color_inversion=False))
        for w in res.words:
            words.append(Word(w.text, Rectangle(w.box.x + x0, w.box.y + y0, w.box.width, w.box.height), w.confidence))
    return words


def read_street_photo_page(engine, img, settings) -> DocumentResult:
    """One photo: text rows found by their components in both polarities, each read as one line;
    plus Tesseract's sparse-text mode (``--psm 11``) on each pass.  The confident words are
    merged (a word found twice keeps its best reading) and grouped into lines."""
    gray = gray_of(img)
    work, f = reduce_to(gray, 2000)
    found: list[Word] = []
    for k, bw in enumerate(_passes(work)):
        found.extend(engine.recognize_image(bw, settings.text_settings(11, automatic_color_inversion=False)).words)
        if k < 2:  # the two binary passes
            found.extend(_row_words(engine, bw, settings))
    words: list[Word] = []
    for w in found:
        alnum = sum(c.isalnum() for c in w.text)
        if w.confidence < MIN_WORD_CONFIDENCE or alnum == 0 or (alnum < 3 and w.confidence < SHORT_WORD_CONFIDENCE):
            continue  # scene clutter reads as short junk words
        box = Rectangle(int(w.box.x / f), int(w.box.y / f), int(round(w.box.width / f)), int(round(w.box.height / f)))
        w = Word(w.text, box, w.confidence)
        clash = [k for k, o in enumerate(words) if _overlap(o.box, box) > 0.5]
        if clash:
            # the longer reading of the same place wins, then the more confident one
            if all((len(words[k].text), words[k].confidence) < (len(w.text), w.confidence) for k in clash):
                for k in reversed(clash):
                    words.pop(k)
                words.append(w)
        else:
            words.append(w)
    lines = _lines(words)
    text = "\n".join(ln.text_in_line for ln in lines)
    result = DocumentResult.from_result(RecognitionResult(
        recognition_text=text,
        recognition_lines_result=lines,
        recognition_areas_rectangles=[ln.line for ln in lines],
        recognition_areas_text=[ln.text_in_line for ln in lines],
        confidence=float(np.mean([w.confidence for w in words])) if words else 0.0,
        language=settings.resolved_language(),
    ))
    return result
