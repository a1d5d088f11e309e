"""The cloud's other image-processing and recognition operations: what they take and what they do.

Shapes are those of the Aspose OCR Cloud v5 SDK (``OCRDeskewImageBody``,
``OCRUpscaleImageBody``, ``OCRDewarpImageBody``: ``{"image": base64}``;
``OCRRecognizePdfBody``, ``OCRRecognizeRegionsBody``, ``OCRDetectRegionsBody``,
``OCRRecognizeTableBody``: ``{"image": base64, "settings": {...}}``, with the
settings of each ``OCRSettings*`` model and its defaults), and each operation's
work is done by an ocrprep function:

=======================  =====================  =================================================
task kind                cloud operation        done by
=======================  =====================  =================================================
``deskew``               DeskewImage,           :func:`ocrprep.deskew` (default parameters)
                         PostSkewCorrectionFile
``upscale``              UpscaleImage,          :func:`ocrprep.upscale` (2x bicubic + clamped
                         PostUpsamplingImageFile  unsharp mask)
``dewarp``               DewarpImage,           :func:`ocrprep.dewarp` (an approximation, said in
                         PostDewarpingFile      the task's warnings)
``binarize``             PostBinarizationFile   :func:`ocrprep.binarize` (as BinarizeImage)
``recognize_pdf``        RecognizePdf           every page of the PDF (or multi-page TIFF), in order
``recognize_regions``    RecognizeRegions       each ``settings.regions`` rectangle, in ``order``
``detect_regions``       DetectRegions          Tesseract's text blocks (paragraphs): rectangles
``recognize_table``      RecognizeTable         the table mode of :class:`ocrprep.RecognitionSettings`
=======================  =====================  =================================================

Results: image operations give one ``ImagePNG``; recognitions honour every
``resultType`` (:mod:`ocrprep.service.results`); DetectRegions gives one ``JSON``
result, ``{"regions": [{"rect": {"topLeftX", "topLeftY", "bottomRightX",
"bottomRightY"}, "order", "text"}]}`` (the ``OCRRegion`` shape RecognizeRegions
takes, in the uploaded image's pixel coordinates, plus the text read there).
"""
from __future__ import annotations

import json

import numpy as np

from ..errors import OcrprepError
from .imagesize import container_kind
from .tasks import (
    KINDS,
    RequestError,
    Submission,
    _b64,
    _body,
    _json_type,
    check_sizes,
    decode_image,
    encode_png,
    is_tiff,
    recognition_params,
    recognition_settings,
    spell_of,
    upload_bytes,
)

__all__ = ["KIND_PATHS", "IMAGE_KINDS", "RAW_KINDS", "EXECUTORS", "PARSERS", "kind_group", "kind_path",
           "parse_image_op", "parse_file", "NOT_IMPLEMENTED"]

#: task kind -> the path its results are fetched from
KIND_PATHS = {
    "binarize": "/v5.0/ocr/BinarizeImage",
    "recognize": "/v5.0/ocr/RecognizeImage",
    "preprocess": "/v5.0/ocr/Preprocess",
    "deskew": "/v5.0/ocr/DeskewImage",
    "upscale": "/v5.0/ocr/UpscaleImage",
    "dewarp": "/v5.0/ocr/DewarpImage",
    "recognize_pdf": "/v5.0/ocr/RecognizePdf",
    "recognize_regions": "/v5.0/ocr/RecognizeRegions",
    "detect_regions": "/v5.0/ocr/DetectRegions",
    "recognize_table": "/v5.0/ocr/RecognizeTable",
}
#: the kinds ImageProcessing/GetResultTask and GetResultFile answer for
IMAGE_KINDS = frozenset({"binarize", "preprocess", "deskew", "upscale", "dewarp"})
#: kinds whose worker gets the uploaded file's bytes rather than a decoded page
RAW_KINDS = frozenset({"recognize_pdf"})

KINDS.update({
    "deskew": "kernel", "upscale": "kernel", "dewarp": "kernel",
    "recognize_pdf": "ocr", "recognize_regions": "ocr", "detect_regions": "ocr", "recognize_table": "ocr",
})

#: the most pages RecognizePdf takes in one task
MAX_PDF_PAGES = 500

#: operations of the cloud outside image preparation and recognition: path -> what it is
NOT_IMPLEMENTED = {
    "/v5.0/ocr/ConvertTextToSpeech": "text to speech",
    "/v5.0/ocr/ConvertTextToSpeechTrial": "text to speech",
    "/v5.0/ocr/TextToSpeech/PostTextToSpeech": "text to speech",
    "/v5.0/ocr/TextToSpeech/GetTextToSpeechResult": "text to speech",
    "/v5.0/ocr/TextToSpeech/GetTextToSpeechResultFile": "text to speech",
    "/v5.0/ocr/RecognizeAndParseInvoice": "invoice parsing",
    "/v5.0/ocr/IdentifyFont": "font identification",
    "/v5.0/ocr/DjVu2PDF": "DjVu to PDF conversion",
    "/v5.0/ocr/RecognizeLabel": "label recognition",
    "/v5.0/ocr/RecognizeReceipt": "receipt recognition",
}


def kind_group(kind: str) -> frozenset:
    """The task kinds a route answers for: ``"image"`` (ImageProcessing/GetResult*) or one kind."""
    return IMAGE_KINDS if kind == "image" else frozenset({kind})


def kind_path(kind: str) -> str:
    return KIND_PATHS.get(kind, "/v5.0/ocr/Utilities/GetTaskStatus")


# --------------------------------------------------------------------------- #
# image operations
# --------------------------------------------------------------------------- #
def check_image_op(kind: str, shape, max_pixels: int) -> None:
    """Refuse an UpscaleImage whose result would exceed ``max_pixels`` (the other image
    operations keep the page's size; see :func:`ocrprep.service.tasks.geometry_steps`)."""
    check_sizes(kind, {}, shape, max_pixels)


def parse_image_op(kind: str):
    """The parser of DeskewImage / UpscaleImage / DewarpImage: ``{"image": base64}``."""

    def parse(body, *, max_bytes: int, max_pixels: int) -> Submission:
        fields = _body(body, {"image"})
        raw = upload_bytes(fields, max_bytes)
        img = decode_image(raw, max_pixels)
        check_image_op(kind, img.shape, max_pixels)
        return Submission(kind, {}, raw, img)

    return parse


def parse_file(kind: str):
    """The parser of the ImageProcessing/Post*File operations: the multipart ``file`` part's bytes."""

    def parse(raw: bytes, *, max_bytes: int, max_pixels: int) -> Submission:
        if len(raw) > max_bytes:
            raise RequestError(f"file: {len(raw):,} bytes exceeds the limit of {max_bytes:,} bytes", status=413,
                               code="BodyTooLarge")
        img = decode_image(raw, max_pixels)
        check_image_op(kind, img.shape, max_pixels)
        return Submission(kind, {}, raw, img)

    return parse


def _png(img) -> list[dict]:
    return [{"type": "ImagePNG", "data": _b64(encode_png(img))}]


def _run_deskew(params, img, *, threads, **_):
    from ..skew import deskew

    return _png(deskew(img, threads=threads)), []


def _run_upscale(params, img, **_):
    from ..upscale import upscale

    return _png(upscale(img)), []


def _run_dewarp(params, img, *, threads, **_):
    from ..dewarp import dewarp

    out, warnings = dewarp(img, return_warnings=True)
    return _png(out), warnings


# --------------------------------------------------------------------------- #
# recognitions
# --------------------------------------------------------------------------- #
#: the defaults of the SDK's settings models, where they differ from OCRSettingsRecognizeImage's
PDF_DEFAULTS = {"makeBinarization": True, "makeContrastCorrection": False}
REGIONS_DEFAULTS = PDF_DEFAULTS
TABLE_DEFAULTS = PDF_DEFAULTS
DETECT_DEFAULTS = PDF_DEFAULTS
TABLE_RESULT_TYPES = {"text": ("Text",), "csv": ("Csv",), "excel": ("Excel",), "csvandexcel": ("Csv", "Excel")}


def _rect(obj, where: str) -> tuple[int, int, int, int]:
    if not isinstance(obj, dict):
        raise RequestError(f"{where}.rect must be an object {{topLeftX, topLeftY, bottomRightX, bottomRightY}}, "
                           f"got {_json_type(obj)}", code="InvalidSettings")
    keys = {k.lower(): v for k, v in obj.items()}
    out = []
    for name in ("topLeftX", "topLeftY", "bottomRightX", "bottomRightY"):
        v = keys.get(name.lower())
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise RequestError(f"{where}.rect.{name} must be an integer number of pixels, got {v!r}",
                               code="InvalidSettings")
        out.append(v)
    x0, y0, x1, y1 = out
    if x1 <= x0 or y1 <= y0:
        raise RequestError(f"{where}.rect is empty: bottomRight ({x1}, {y1}) must lie right of and below "
                           f"topLeft ({x0}, {y0})", code="InvalidSettings")
    return x0, y0, x1, y1


def _regions(value, shape) -> list[list[int]]:
    """``settings.regions`` -> ``[[x0, y0, x1, y1, order], ...]`` sorted by order, clipped to the image."""
    if not isinstance(value, list) or not value:
        raise RequestError("settings.regions: RecognizeRegions needs a non-empty list of regions "
                           '{"rect": {"topLeftX", "topLeftY", "bottomRightX", "bottomRightY"}, "order": n}',
                           code="InvalidSettings")
    if len(value) > 1000:
        raise RequestError(f"settings.regions: at most 1000 regions, got {len(value)}", code="InvalidSettings")
    h, w = shape[:2]
    out = []
    for i, region in enumerate(value):
        where = f"settings.regions[{i}]"
        if not isinstance(region, dict):
            raise RequestError(f"{where} must be an object {{rect, order}}, got {_json_type(region)}",
                               code="InvalidSettings")
        keys = {k.lower(): v for k, v in region.items()}
        x0, y0, x1, y1 = _rect(keys.get("rect"), where)
        order = keys.get("order", i)
        if order is None:
            order = i
        if isinstance(order, bool) or not isinstance(order, int):
            raise RequestError(f"{where}.order must be an integer, got {order!r}", code="InvalidSettings")
        cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
        if cx1 <= cx0 or cy1 <= cy0:
            raise RequestError(f"{where}.rect ({x0}, {y0})-({x1}, {y1}) lies outside the {w}x{h} image",
                               code="InvalidSettings")
        out.append([cx0, cy0, cx1, cy1, order, i])
    out.sort(key=lambda r: (r[4], r[5]))
    return [r[:5] for r in out]


def parse_recognize_pdf(body, *, max_bytes: int, max_pixels: int, languages=None) -> Submission:
    """``{"image": base64 PDF, "settings": OCRSettingsRecognizePdf}`` -> every page recognised."""
    from .. import io as oio

    fields = _body(body, {"image", "settings"})
    params, values = recognition_params(fields.get("settings"), languages=languages, defaults=PDF_DEFAULTS)
    if values["regions"]:
        raise RequestError("settings.regions: RecognizePdf reads whole pages; use RecognizeRegions on a page image",
                           code="InvalidSettings")
    raw = upload_bytes(fields, max_bytes)
    source = "pdf" if container_kind(raw) == "PDF" else ("tiff" if is_tiff(raw) else None)
    if source is None:
        raise RequestError("image: RecognizePdf takes a PDF document or a (multi-page) TIFF, base64; send "
                           "other images to RecognizeImage", code="UnsupportedFormat")
    try:
        pages = oio.count_pages(raw, kind=source)
    except ImportError:
        raise RequestError("RecognizePdf needs pypdfium2 on the server: pip install 'ocrprep[pdf]'", status=503,
                           code="PdfUnavailable") from None
    except OcrprepError as exc:
        if "pypdfium2" in str(exc):
            raise RequestError(str(exc), status=503, code="PdfUnavailable") from None
        raise RequestError(f"image: {exc}", code="CorruptPdf" if source == "pdf" else "CorruptImage") from None
    what = "PDF" if source == "pdf" else "TIFF"
    if not pages:
        raise RequestError(f"image: the {what} has no pages", code="CorruptPdf")
    if pages > MAX_PDF_PAGES:
        raise RequestError(f"image: the {what} has {pages} pages; RecognizePdf takes at most {MAX_PDF_PAGES} "
                           "per task (split it)", code="TooManyPages")
    params.update(filters=[], pages=pages, maxPixels=max_pixels, source=source)
    return Submission("recognize_pdf", params, raw, np.frombuffer(raw, np.uint8).reshape(1, -1))


def parse_recognize_regions(body, *, max_bytes: int, max_pixels: int, languages=None) -> Submission:
    """``{"image": base64, "settings": OCRSettingsRecognizeRegions}`` -> only the given rectangles."""
    fields = _body(body, {"image", "settings"})
    params, values = recognition_params(fields.get("settings"), languages=languages, defaults=REGIONS_DEFAULTS)
    if values["regions"] is None:
        _regions(None, (1, 1))  # the message saying regions are required
    raw = upload_bytes(fields, max_bytes)
    img = decode_image(raw, max_pixels)
    params.update(filters=[], regions=_regions(values["regions"], img.shape))
    check_sizes("recognize", params, img.shape, max_pixels)
    return Submission("recognize_regions", params, raw, img)


def parse_detect_regions(body, *, max_bytes: int, max_pixels: int, languages=None) -> Submission:
    """``{"image": base64, "settings": OCRSettingsDetectRegions}`` -> text-area rectangles."""
    fields = _body(body, {"image", "settings"})
    params, _values = recognition_params(fields.get("settings"), languages=languages, defaults=DETECT_DEFAULTS)
    raw = upload_bytes(fields, max_bytes)
    img = decode_image(raw, max_pixels)
    # the rectangles are in the uploaded image's coordinates: no step that moves pixels
    params.update(filters=[], skew=False, rotate=0, upsample=False)
    return Submission("detect_regions", params, raw, img)


def parse_recognize_table(body, *, max_bytes: int, max_pixels: int, languages=None) -> Submission:
    """``{"image": base64, "settings": OCRSettingsRecognizeTable}`` -> the table's cells."""
    fields = _body(body, {"image", "settings"})
    params, values = recognition_params(fields.get("settings"), languages=languages, defaults=TABLE_DEFAULTS)
    table_type = values["resultTypeTable"] or "Text"
    if table_type.lower() not in TABLE_RESULT_TYPES:
        raise RequestError(f"settings.resultTypeTable must be Text, Excel, Csv or CsvAndExcel, got {table_type!r}",
                           code="InvalidSettings")
    if values["regions"]:
        raise RequestError("settings.regions: RecognizeTable reads the whole image; crop it to the table instead",
                           code="InvalidSettings")
    raw = upload_bytes(fields, max_bytes)
    img = decode_image(raw, max_pixels)
    params.update(filters=[], resultTypeTable=table_type.lower())
    check_sizes("recognize", params, img.shape, max_pixels)
    return Submission("recognize_table", params, raw, img)


def _run_pdf(params, img, *, engine=None, timeout=None, **_):
    from .. import io as oio
    from .results import RecognizedPage, recognize_page, render

    raw = img.tobytes()
    settings, warnings = recognition_settings(params, timeout)
    rtype = params.get("resultType", "text")
    pages = []
    for item in oio.iter_pages(raw, kind=params.get("source", "pdf"), max_pixels=params.get("maxPixels"),
                               name="image", on_error="yield"):
        if isinstance(item, oio.PageError):
            from ..ocr import RecognitionResult

            warnings.append(f"page {item.page}: not read ({item.error}); its text is empty")
            pages.append(RecognizedPage(RecognitionResult(page=item.page or len(pages) + 1),
                                        np.full((8, 8), 255, np.uint8)))
            continue
        page = recognize_page(item.image, settings, rtype, engine, spell=spell_of(params))
        page.result.page, page.result.page_count = item.page, params.get("pages")
        warnings.extend(f"page {item.page}: {w}" for w in page.result.warnings)
        pages.append(page)
    results, more = render(rtype, pages, settings, separator="\f")
    return results, warnings + more


def _run_regions(params, img, *, engine=None, timeout=None, **_):
    from .results import recognize_page, render

    settings, warnings = recognition_settings(params, timeout)
    rtype = params.get("resultType", "text")
    pages = []
    for x0, y0, x1, y1, order in params["regions"]:
        page = recognize_page(np.ascontiguousarray(img[y0:y1, x0:x1]), settings, rtype, engine,
                              spell=spell_of(params))
        page.result.source = f"region {order}"
        warnings.extend(f"region {order}: {w}" for w in page.result.warnings)
        pages.append(page)
    results, more = render(rtype, pages, settings, separator="\n")
    return results, warnings + more


def _run_detect(params, img, *, engine=None, timeout=None, **_):
    from ..ocr import OcrEngine

    settings, warnings = recognition_settings(dict(params, resultType="text"), timeout)
    result = (engine or OcrEngine()).recognize_image(img, settings)
    regions = []
    for i, (box, text) in enumerate(zip(result.recognition_areas_rectangles, result.recognition_areas_text)):
        x, y, w, h = (int(v) for v in box)
        regions.append({"rect": {"topLeftX": x, "topLeftY": y, "bottomRightX": x + w, "bottomRightY": y + h},
                        "order": i, "text": text})
    data = json.dumps({"regions": regions}, ensure_ascii=False).encode("utf-8")
    return [{"type": "JSON", "data": _b64(data)}], warnings + list(result.warnings)


def _run_table(params, img, *, engine=None, timeout=None, **_):
    from ..ocr import OcrEngine, RecognitionSettings

    if "detect_areas_mode" not in getattr(RecognitionSettings, "__dataclass_fields__", {}):
        raise OcrprepError("RecognizeTable needs the table mode of ocrprep's recognition "
                           "(RecognitionSettings.detect_areas_mode), which this build of ocrprep does not have")
    settings, warnings = recognition_settings(params, timeout)
    settings.detect_areas_mode = "table"
    result = (engine or OcrEngine()).recognize_image(img, settings)
    spell = spell_of(params)
    if spell:
        from ..spellcheck import corrected_result

        result = corrected_result(result, spell)
    return (_table_results(result, params.get("resultTypeTable", "text"), spell),
            warnings + list(result.warnings))


def _table_rows(result) -> list[list[str]]:
    """The table's rows of cell texts, from the result of a table-mode recognition."""
    table = getattr(result, "table", None) or getattr(result, "tables", None)
    if table and isinstance(table, list) and table and isinstance(table[0], list) and table[0] \
            and isinstance(table[0][0], list):
        table = table[0]  # several tables: the first
    if table:
        return [[str(getattr(c, "text", c)) for c in row] for row in table]
    return [[line.text_in_line] for line in result.recognition_lines_result]


def _table_results(result, table_type: str, spell: str | None = None) -> list[dict]:
    import csv
    import io as _stdio

    rows = _table_rows(result)
    if spell:  # the cells' texts (the result's own text is corrected already)
        from ..spellcheck import SpellChecker

        checker = SpellChecker(spell)
        rows = [[checker.correct(cell) for cell in row] for row in rows]
    out = []
    for kind in TABLE_RESULT_TYPES[table_type]:
        if kind == "Text":
            data = "\n".join("\t".join(row) for row in rows).encode("utf-8")
        elif kind == "Csv":
            buf = _stdio.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            data = buf.getvalue().encode("utf-8")
        else:  # Excel
            try:
                from ..export import to_bytes
            except ImportError:
                raise OcrprepError("resultTypeTable Excel needs ocrprep's XLSX export, which this build does "
                                   "not have; ask for Csv") from None
            data = to_bytes([result], "xlsx")
        out.append({"type": kind, "data": _b64(data)})
    return out


#: task kind -> executor(params, img, *, threads, engine, timeout) -> (results, warnings)
EXECUTORS = {
    "deskew": _run_deskew,
    "upscale": _run_upscale,
    "dewarp": _run_dewarp,
    "recognize_pdf": _run_pdf,
    "recognize_regions": _run_regions,
    "detect_regions": _run_detect,
    "recognize_table": _run_table,
}

#: recognition kind -> body parser (they all take ``languages=``)
PARSERS = {
    "recognize_pdf": parse_recognize_pdf,
    "recognize_regions": parse_recognize_regions,
    "detect_regions": parse_detect_regions,
    "recognize_table": parse_recognize_table,
}
