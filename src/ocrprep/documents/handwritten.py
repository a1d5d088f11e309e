"""Handwriting: the best Tesseract's print-trained model can do, upper-cased like Aspose's output."""
from __future__ import annotations

from ..denoise import _stroke_width
from ..morphology import erode
from .pagetext import prepare, read_text
from .result import DocumentResult

__all__ = ["read_handwritten_page"]


def read_handwritten_page(engine, img, settings) -> DocumentResult:
    """One handwritten page.

    The page is straightened, its background normalised (pencil, uneven
    light), binarized, and thin or broken pen strokes (under 2.5 pixels) are
    joined by a one-pixel thickening (:func:`ocrprep.erode` on dark-on-light).  It is
    read as one uniform block (``--psm 6``): handwriting's irregular line
    spacing confuses the automatic layout analysis.  The text is returned
    in upper case, as Aspose's handwriting model returns it.

    What to expect: neat block capitals with clear gaps read fairly well;
    joined-up cursive mostly does not -- Tesseract's English model has
    seen print, not handwriting.
    """
    page, skew = prepare(img, settings, normalize=True, min_char=30)
    if _stroke_width(page) < 2.5:
        page = erode(page, 3)
    result = DocumentResult.from_result(read_text(engine, page, settings, 6))
    result.skew = skew
    result.recognition_text = result.recognition_text.upper()
    for line in result.recognition_lines_result:
        line.text_in_line = line.text_in_line.upper()
        for w in line.words:
            w.text = w.text.upper()
    result.recognition_areas_text = [t.upper() for t in result.recognition_areas_text]
    return result
