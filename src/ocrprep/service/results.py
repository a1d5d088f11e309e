"""Recognition results in the cloud's ``resultType`` formats: Text, JSON, Hocr, Pdf, ImagePNG.

One recognised page is a :class:`RecognizedPage`: ocrprep's
:class:`~ocrprep.RecognitionResult` and, when a ``Pdf`` or ``ImagePNG`` result
is asked for, the page as Tesseract saw it (after the settings' preprocessing:
the result's ``page_image``, or the same :func:`ocrprep.ocr._prepare` step the
engine runs for an engine that keeps none).  :func:`render`
turns a list of pages (one for RecognizeImage, every page for RecognizePdf, one
per rectangle for RecognizeRegions) into the ``results`` list of the cloud's
envelope, in the enum's order (``TextAndPdfAndHocr`` -> Text, Pdf, Hocr):

* ``Text`` -- the pages' texts, separated by ``separator`` (a form feed between
  PDF pages, as Tesseract writes them; a newline between regions);
* ``JSON`` -- :meth:`RecognitionResult.to_dict` of a single page, or
  ``{"pages": [...]}`` for several;
* ``Hocr`` -- one hOCR document (several pages: one ``ocr_page`` each);
* ``Pdf`` -- a searchable PDF: the page images with the recognised text as an
  invisible layer, one PDF page per page.  Written by
  ``ocrprep.export.to_bytes(results, "pdf")`` (the ``export`` extra's pikepdf);
  without pikepdf, by Tesseract's own PDF renderer (pages joined with
  pypdfium2);
* ``ImagePNG`` -- the prepared page(s) as PNG, one result per page.
"""
from __future__ import annotations

import base64
import io as _stdio
import json
import re
from dataclasses import dataclass

import numpy as np

from ..errors import OcrprepError

__all__ = ["RecognizedPage", "recognize_page", "render", "pdf_bytes", "needs_image"]


@dataclass
class RecognizedPage:
    result: object  # ocrprep.RecognitionResult
    image: np.ndarray | None = None  # the page as Tesseract saw it, when a Pdf or ImagePNG is asked for


def needs_image(result_type: str) -> bool:
    """Whether ``result_type`` (lower-case) needs the prepared page image."""
    return "pdf" in result_type or result_type == "imagepng"


def recognize_page(img: np.ndarray, settings, result_type: str, engine=None, *,
                   spell: str | None = None) -> RecognizedPage:
    """Recognise one page with ``settings``; keep the prepared image when ``result_type`` needs it.

    ``spell`` (a :class:`ocrprep.spellcheck.SpellCheckLanguage` name, the cloud's
    ``makeSpellCheck``) corrects the page's text, lines and words with that
    dictionary (:func:`ocrprep.spellcheck.corrected_result`; the word boxes stay).
    """
    from ..ocr import OcrEngine, _prepare

    engine = engine or OcrEngine()
    result = engine.recognize_image(img, settings)
    if spell:
        from ..spellcheck import corrected_result

        result = corrected_result(result, spell)
    prepared = None
    if needs_image(result_type):
        kept = getattr(result, "page_image", None)  # the engine keeps the page it recognised
        if kept is not None and (getattr(kept, "binary", True) or result_type != "imagepng"):
            prepared = kept.array()
        else:  # a grey or colour page is kept as a JPEG: ImagePNG gives the exact pixels, made again
            prepared = _prepare(img, settings.resolved(), [])[0]
    return RecognizedPage(result, prepared)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


def _merge_hocr(docs: list[str]) -> str:
    """One hOCR document holding the ``ocr_page`` elements of every page, in order."""
    docs = [d for d in docs if d]
    if not docs:
        return ""
    if len(docs) == 1:
        return docs[0]
    bodies = []
    for d in docs:
        m = _BODY.search(d)
        bodies.append(m.group(1) if m else d)
    first = docs[0]
    m = _BODY.search(first)
    if m is None:
        return "\n".join(bodies)
    return first[:m.start(1)] + "\n".join(bodies) + first[m.end(1):]


def _tesseract_pdf(page: RecognizedPage, settings) -> bytes:
    """A one-page searchable PDF of ``page`` by Tesseract's PDF renderer."""
    import pytesseract

    from ..io import _to_pil
    from ..ocr import _limit_tesseract_threads

    opts = settings.resolved()
    _limit_tesseract_threads()
    try:
        return pytesseract.image_to_pdf_or_hocr(_to_pil(page.image), lang=opts.language, config=opts.config,
                                                extension="pdf", timeout=opts.timeout)
    except pytesseract.TesseractError as exc:
        raise OcrprepError(f"Tesseract could not write the PDF (status {exc.status}): {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrprepError(f"writing the PDF took longer than {opts.timeout} s ({exc})") from None


def _join_pdfs(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise OcrprepError("a PDF of several pages needs pypdfium2: pip install 'ocrprep[pdf]'") from None
    out = pdfium.PdfDocument.new()
    for part in parts:
        src = pdfium.PdfDocument(part)
        out.import_pages(src)
    buf = _stdio.BytesIO()
    out.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: list[RecognizedPage], settings) -> bytes:
    """A searchable PDF of ``pages`` (see the module docstring for the writer)."""
    try:
        from ..export import to_bytes
    except ImportError:
        to_bytes = None
    if to_bytes is not None:
        try:
            return to_bytes([p.result for p in pages], "pdf")
        except Exception as exc:  # its library is missing, or it needs what these results do not carry
            if not isinstance(exc, (ImportError, TypeError, NotImplementedError)) \
                    and type(exc).__name__ != "MissingDependencyError":
                raise
    return _join_pdfs([_tesseract_pdf(p, settings) for p in pages])


def _hocr_of(result) -> str:
    """Tesseract's hOCR of a page, or, for a page that has none (a spell-corrected page: its words
    changed), the hOCR ocrprep's export writes from the result's words and boxes."""
    if result.hocr is not None:
        return result.hocr
    from ..export import to_bytes

    return to_bytes([result], "hocr").decode("utf-8")


def render(result_type: str, pages: list[RecognizedPage], settings, *, separator: str = "\f") -> tuple[list[dict], list[str]]:
    """The envelope's ``results`` for ``result_type`` (a lower-case key of
    :data:`ocrprep.service.tasks.RESULT_TYPES`), and any warnings."""
    from .tasks import RESULT_TYPES, encode_png

    results, warnings = [], []
    for kind in RESULT_TYPES[result_type]:
        if kind == "Text":
            data = separator.join(p.result.recognition_text for p in pages).encode("utf-8")
            results.append({"type": "Text", "data": _b64(data)})
        elif kind == "JSON":
            if len(pages) == 1:
                text = pages[0].result.get_json()
            else:
                text = json.dumps({"pages": [p.result.to_dict() for p in pages]}, ensure_ascii=False)
            results.append({"type": "JSON", "data": _b64(text.encode("utf-8"))})
        elif kind == "Hocr":
            hocr = _merge_hocr([_hocr_of(p.result) for p in pages])
            results.append({"type": "Hocr", "data": _b64(hocr.encode("utf-8"))})
        elif kind == "Pdf":
            results.append({"type": "Pdf", "data": _b64(pdf_bytes(pages, settings))})
        elif kind == "ImagePNG":
            for p in pages:
                results.append({"type": "ImagePNG", "data": _b64(encode_png(p.image))})
    return results, warnings
