"""What a request asks for, checked up front, and how a worker carries it out.

``parse_*`` turn a decoded JSON body into a :class:`Submission` (or raise
:class:`RequestError`, which the app answers with a 4xx JSON error); they
decode the image completely, so corrupt, truncated, oversized or
unsupported files are refused at once rather than failing later.
:func:`execute` runs a task on a worker: every step goes through the
project's own pipeline (:class:`ocrprep.PreprocessingFilter`,
:func:`ocrprep.binarize` via the ``binarize`` filter,
:class:`ocrprep.OcrEngine`), never a copy of it.

Request bodies follow Aspose OCR Cloud v5 (keys are matched without regard
to case, as ASP.NET does):

* BinarizeImage: ``{"image": "<base64>"}``
* RecognizeImage: ``{"image": "<base64>", "settings": {"language": "English",
  "makeSkewCorrect": true, "makeBinarization": false, "makeContrastCorrection": true,
  "makeUpsampling": false, "makeSpellCheck": false, "rotate": 0, "dsrMode": ...,
  "dsrConfidence": ..., "resultType": "Text"}}`` plus the ocrprep extension
  ``"filters"`` (a filter list run before recognition);
* Preprocess (ocrprep's own): ``{"image": "<base64>", "filters": <filter spec>}``,
  where the spec is what :meth:`ocrprep.PreprocessingFilter.from_spec` reads
  (the JSON list of ``to_json()``, or the short form ``"median(3),binarize"``).

The cloud's other operations (DeskewImage, RecognizePdf, RecognizeRegions, ...) are
parsed and run by :mod:`ocrprep.service.operations`, with :func:`recognition_params`
for their settings; :func:`execute` hands their kinds over to it.
"""
from __future__ import annotations

import base64
import binascii
import inspect
import io as _stdio
import math
import re
import threading
from dataclasses import dataclass, field

import numpy as np

from .. import io as oio
from ..errors import (
    DecompressionBombError,
    ImageDecodeError,
    InputTooLargeError,
    OcrprepError,
    UnsupportedFormatError,
)
from ..filters import Filter, PreprocessingFilter
from ..skew import detect_skew
from .budget import Deadline, check_filter_count, run_filters
from .imagesize import container_kind, header_size

__all__ = [
    "RequestError",
    "Submission",
    "parse_binarize",
    "parse_recognize",
    "parse_preprocess",
    "recognition_params",
    "decode_image",
    "decode_stored",
    "execute",
    "encode_png",
    "KINDS",
    "RESULT_TYPES",
]

#: task kind -> lane (which worker pool runs it)
KINDS = {"binarize": "kernel", "preprocess": "kernel", "recognize": "ocr"}

#: every value of the cloud's ``ResultType`` enum (lower-case) -> result entries produced, in order;
#: ``ImagePNG`` is the page as Tesseract saw it (after the settings' preprocessing)
RESULT_TYPES = {
    "text": ("Text",),
    "pdf": ("Pdf",),
    "textandpdf": ("Text", "Pdf"),
    "hocr": ("Hocr",),
    "textandhocr": ("Text", "Hocr"),
    "pdfandhocr": ("Pdf", "Hocr"),
    "textandpdfandhocr": ("Text", "Pdf", "Hocr"),
    "imagepng": ("ImagePNG",),
    "json": ("JSON",),
}
#: the enum's spelling, for messages
RESULT_TYPE_NAMES = ("Text", "Pdf", "TextAndPdf", "Hocr", "TextAndHocr", "PdfAndHocr", "TextAndPdfAndHocr",
                     "ImagePNG", "JSON")


class RequestError(Exception):
    """A request the service refuses: HTTP ``status``, a short machine-readable ``code``, the message.

    The message is clipped (:func:`clip_message`): a value the client sent is
    never echoed back at full length.
    """

    def __init__(self, message: str, *, status: int = 400, code: str = "BadRequest", headers: dict | None = None):
        super().__init__(clip_message(str(message)))
        self.status = status
        self.code = code
        self.headers = headers or {}


_LONG_NUMBER = re.compile(r"\d{16,}")
_LONG_TOKEN = re.compile(r"\S{81,}")
_OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-fA-F]+>")
#: longest message sent back to a client
MAX_MESSAGE = 1000


def clip_message(msg: str) -> str:
    """A message fit to send to a client: long numbers and long words a client sent are
    shortened, Python object reprs removed, the whole at most :data:`MAX_MESSAGE` characters.

    >>> clip_message("size must be odd, got " + "1" + "0" * 308)
    'size must be odd, got 1000000000...(309 digits)'
    >>> clip_message("unknown filter '" + "x" * 500 + "'")
    "unknown filter 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...(502 characters)"
    >>> clip_message("cannot identify image file <_io.BytesIO object at 0x7f2e432bffb0>")
    'cannot identify image file'
    """
    msg = _OBJECT_REPR.sub("", msg)
    msg = _LONG_NUMBER.sub(lambda m: f"{m.group()[:10]}...({len(m.group())} digits)", msg)
    msg = _LONG_TOKEN.sub(lambda m: f"{m.group()[:40]}...({len(m.group())} characters)", msg)
    if len(msg) > MAX_MESSAGE:
        msg = msg[:MAX_MESSAGE - 3] + "..."
    return msg


@dataclass
class Submission:
    """A validated request: what to store (``params``, ``raw``) and the decoded page for the worker."""

    kind: str
    params: dict
    raw: bytes
    image: np.ndarray = field(repr=False)

    @property
    def lane(self) -> str:
        return KINDS[self.kind]


# --------------------------------------------------------------------------- #
# request parsing
# --------------------------------------------------------------------------- #
def _lower_keys(obj: dict, where: str, allowed: set[str]) -> dict:
    out = {}
    for k, v in obj.items():
        if not isinstance(k, str):  # pragma: no cover - JSON keys are strings
            raise RequestError(f"{where}: keys must be strings", code="InvalidJson")
        key = k.lower()
        if key in out:
            raise RequestError(f"{where}: {k!r} is given twice (keys are case-insensitive)", code="InvalidJson")
        if key not in allowed:
            raise RequestError(
                f"{where}: unknown field {k!r} (accepted: {', '.join(sorted(allowed))})", code="InvalidJson"
            )
        out[key] = v
    return out


def _body(body, allowed: set[str]) -> dict:
    if not isinstance(body, dict):
        raise RequestError(
            f"the request body must be a JSON object such as {{\"image\": \"<base64>\"}}, got {_json_type(body)}",
            code="InvalidJson",
        )
    return _lower_keys(body, "body", allowed)


def _json_type(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object"


#: the formats the service reads, for messages
FORMATS = "PNG, JPEG, TIFF, BMP, GIF, WebP or PNM/PAM"

_PILLOW_LIMIT = re.compile(r"Image size \((\d+) pixels\) exceeds limit of (\d+) pixels")
_pillow_lock = threading.Lock()


def too_large(width: int, height: int, max_pixels: int) -> RequestError:
    """The 400 for an upload over the service's pixel cap (quoting the configured cap)."""
    return RequestError(
        f"image: {width}x{height} = {width * height:,} pixels exceeds the limit of {max_pixels:,} "
        f"(--max-pixels; a possible decompression bomb)",
        code="ImageTooLarge",
    )


def allow_pillow(max_pixels: int) -> None:
    """Let Pillow open every image the service's own cap allows.

    Pillow refuses images over ``2 * PIL.Image.MAX_IMAGE_PIXELS`` (about 179
    megapixels) and warns above ``MAX_IMAGE_PIXELS``, whatever the caller
    allows.  The service checks ``--max-pixels`` on the header first (see
    :func:`decode_image`), so when an allowed image is beyond Pillow's guard,
    that process-wide guard is raised to ``--max-pixels`` (never lowered).
    """
    from PIL import Image

    with _pillow_lock:
        limit = Image.MAX_IMAGE_PIXELS
        if limit is not None and limit < max_pixels:
            Image.MAX_IMAGE_PIXELS = int(max_pixels)


def decode_image(raw: bytes, max_pixels: int) -> np.ndarray:
    """Decode an uploaded image (first page of a TIFF) with the project's guarded reader.

    Only image formats are accepted here: PDF and zip containers are refused
    (one request is one page).  The size announced by the header is checked
    against ``max_pixels`` before anything is decoded, with the service's
    message whatever Pillow's own guard is (:func:`allow_pillow`).  Raises
    :class:`RequestError` with a clear message.
    """
    if not raw:
        raise RequestError("image: the decoded image is empty (0 bytes)", code="EmptyImage")
    container = container_kind(raw)
    if container is not None:
        what = "a PDF document" if container == "PDF" else "a zip archive"
        raise RequestError(
            f"image: the data is {what}, not an image; send one image per request ({FORMATS})",
            code="UnsupportedFormat",
        )
    size = header_size(raw)
    if size is not None:
        _, w, h = size
        if w * h > max_pixels:
            raise too_large(w, h, max_pixels)
        from PIL import Image

        if Image.MAX_IMAGE_PIXELS is not None and w * h > Image.MAX_IMAGE_PIXELS:
            allow_pillow(max_pixels)
    for attempt in (1, 2):
        try:
            for page in oio.iter_pages(raw, kind="image", pages_count=1, max_pixels=max_pixels, name="image"):
                return page.image
        except DecompressionBombError as exc:
            m = _PILLOW_LIMIT.search(str(exc))
            if m is None:  # ocrprep's own check (a format whose header is not read above)
                raise RequestError(str(exc).replace("OCRPREP_MAX_PIXELS", "--max-pixels"), code="ImageTooLarge") from None
            pixels = int(m.group(1))
            if pixels <= max_pixels and attempt == 1:  # Pillow's guard, below ours: raise it, try again
                allow_pillow(max_pixels)
                continue
            raise RequestError(f"image: {pixels:,} pixels exceeds the limit of {max_pixels:,} "
                               f"(--max-pixels; a possible decompression bomb)", code="ImageTooLarge") from None
        except UnsupportedFormatError as exc:
            msg = str(exc)
            if "not an image format" in msg:
                msg = f"image: not an image format this service reads (send {FORMATS})"
            raise RequestError(msg, code="UnsupportedFormat") from None
        except ImageDecodeError as exc:
            raise RequestError(str(exc), code="CorruptImage") from None
        except OcrprepError as exc:
            raise RequestError(f"image: {exc}", code="InvalidImage") from None
        break
    raise RequestError("image: no page could be read", code="CorruptImage")  # pragma: no cover


_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def is_tiff(raw: bytes) -> bool:
    return bytes(raw[:4]) in _TIFF_MAGIC


def tiff_pages(raw: bytes) -> int:
    """The number of pages of a TIFF upload (1 for any other format, or when it cannot be counted)."""
    if not is_tiff(raw):
        return 1
    try:
        return oio.count_pages(raw, kind="tiff")
    except OcrprepError:
        return 1


def _image(fields: dict, max_bytes: int, max_pixels: int) -> tuple[bytes, np.ndarray]:
    raw = upload_bytes(fields, max_bytes)
    return raw, decode_image(raw, max_pixels)


def upload_bytes(fields: dict, max_bytes: int) -> bytes:
    """The file sent as base64 in the body's ``image`` field (refused with a clear message when
    missing, not a string, empty, not base64 or over ``max_bytes``)."""
    if "image" not in fields or fields["image"] is None:
        raise RequestError('body: the "image" field (a base64 string) is required', code="InvalidJson")
    text = fields["image"]
    if not isinstance(text, str):
        raise RequestError(f'image must be a base64 string, got {_json_type(text)}', code="InvalidJson")
    if not text.strip():
        raise RequestError("image: the base64 string is empty", code="EmptyImage")
    raw = None
    if len(text) * 3 // 4 <= max_bytes:
        try:  # the common case, at C speed: plain base64 without line breaks
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    try:
        if not raw:  # data: URIs, line-wrapped text, errors: the project's decoder and its messages
            raw = oio.decode_base64(text, max_bytes=max_bytes, name="image")
    except InputTooLargeError as exc:
        raise RequestError(str(exc).replace(" (OCRPREP_MAX_BYTES)", ""), status=413, code="BodyTooLarge") from None
    except ImageDecodeError as exc:
        code = "EmptyImage" if "empty" in str(exc) else "InvalidBase64"
        raise RequestError(str(exc), code=code) from None
    return raw


def _filters(spec, where: str) -> PreprocessingFilter:
    if spec is None:
        return PreprocessingFilter()
    if not isinstance(spec, (list, dict, str)):
        raise RequestError(f"{where} must be a filter list (JSON array or short-form string), got {_json_type(spec)}",
                           code="InvalidFilters")
    try:
        check_filter_count(spec, where)  # before parsing: millions of filters are refused at once
        pipeline = PreprocessingFilter.from_spec(spec)
        check_filter_count([None] * len(pipeline), where)  # (a list item may hold several filters)
        return pipeline
    except (OcrprepError, RecursionError) as exc:
        raise RequestError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}", code="InvalidFilters") from None


#: the largest skew ocrprep's recognition straightens (``makeSkewCorrect``): the default of
#: :func:`ocrprep.skew.detect_skew`, which :class:`ocrprep.OcrEngine` calls with its defaults
DESKEW_MAX_ANGLE = float(inspect.signature(detect_skew).parameters["max_angle"].default)


def _rotated(h: int, w: int, angle: float) -> tuple[int, int]:
    """The canvas of :func:`ocrprep.rotate` with ``expand=True`` (height, width)."""
    a = math.radians(angle)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    return max(1, math.ceil(w * s + h * c - 1e-6)), max(1, math.ceil(w * c + h * s - 1e-6))


def _filter_steps(pipeline: PreprocessingFilter, where: str):
    for f in pipeline:
        p = f.params
        if f.area is not None:
            continue  # a filter inside an area keeps the page's size
        if f.name == "scale":
            r = p["ratio"]
            yield f"{where}: {f} would make the page", lambda h, w, r=r: (max(1, round(h * r)), max(1, round(w * r)))
        elif f.name == "resize":
            yield f"{where}: {f} would make the page", lambda h, w, p=p: (p["height"], p["width"])
        elif f.name == "rotate" and p.get("expand", True):
            yield f"{where}: {f} would make the page", lambda h, w, a=p["angle"]: _rotated(h, w, a)


def geometry_steps(kind: str, params: dict):
    """``(what, (h, w) -> (h, w))`` for every step of a task that changes the page's size, in the
    order the task runs them (see :func:`recognition_settings` and :func:`ocrprep.ocr`'s preparation:
    filters, contrast, rotate, upsampling, inversion, deskew, binarization)."""
    if kind == "preprocess":
        yield from _filter_steps(PreprocessingFilter.from_spec(params.get("filters")), "filters")
    elif kind == "upscale":
        yield "UpscaleImage would make the page", lambda h, w: (2 * h, 2 * w)
    elif kind == "recognize":
        yield from _filter_steps(PreprocessingFilter.from_spec(params.get("filters")), "filters")
        if params.get("rotate"):
            angle = params["rotate"]
            yield f"settings.rotate {angle} would make the page", lambda h, w: _rotated(h, w, angle)
        if params.get("upsample"):
            yield "settings.makeUpsampling would make the page", lambda h, w: (h * 2, w * 2)
        if params.get("skew"):
            # the angle is found only when the task runs: the page may grow as much as a
            # rotation by the largest angle searched (the area grows with the angle up to 45)
            yield (f"settings.makeSkewCorrect: straightening the page (up to {DESKEW_MAX_ANGLE:g} degrees) "
                   f"may make it"), lambda h, w: _rotated(h, w, DESKEW_MAX_ANGLE)


def check_sizes(kind: str, params: dict, shape, max_pixels: int) -> None:
    """Refuse a task when any geometry step it implies would make the page larger than the pixel
    cap (checked after every step, at submission and again before the task runs)."""
    h, w = shape[:2]
    for what, step in geometry_steps(kind, params):
        h, w = step(h, w)
        if h * w > max_pixels:
            hint = "; set makeSkewCorrect to false or send a smaller image" if "makeSkewCorrect" in what else ""
            raise RequestError(
                f"{what} {w}x{h} ({w * h:,} pixels), over the limit of {max_pixels:,} (--max-pixels){hint}",
                code="ImageTooLarge",
            )


def parse_binarize(body, *, max_bytes: int, max_pixels: int) -> Submission:
    """``{"image": base64}`` -> a binarize task (automatic method, as ``PreprocessingFilter.binarize()``)."""
    fields = _body(body, {"image"})
    raw, img = _image(fields, max_bytes, max_pixels)
    return Submission("binarize", {}, raw, img)


def parse_preprocess(body, *, max_bytes: int, max_pixels: int) -> Submission:
    """``{"image": base64, "filters": spec}`` -> a preprocess task."""
    fields = _body(body, {"image", "filters"})
    if "filters" not in fields:
        raise RequestError('body: the "filters" field is required (e.g. "median(3),binarize" or a JSON list)',
                           code="InvalidFilters")
    pipeline = _filters(fields["filters"], "filters")
    raw, img = _image(fields, max_bytes, max_pixels)
    params = {"filters": pipeline.to_list()}
    check_sizes("preprocess", params, img.shape, max_pixels)
    return Submission("preprocess", params, raw, img)


#: Aspose OCR Cloud's ``Language`` names (lower-case) -> Tesseract codes, for the languages
#: Tesseract has data for (the rest are refused with a clear message).
CLOUD_LANGUAGES = {
    "english": "eng", "german": "deu", "french": "fra", "italian": "ita", "spanish": "spa",
    "portuguese": "por", "polish": "pol", "slovene": "slv", "slovak": "slk", "netherlands": "nld",
    "dutch": "nld", "lithuanian": "lit", "latvian": "lav", "danish": "dan", "norwegian": "nor",
    "finnish": "fin", "serbian": "srp", "croatian": "hrv", "czech": "ces", "swedish": "swe",
    "estonian": "est", "romanian": "ron", "chinese": "chi_sim", "russian": "rus", "arabic": "ara",
    "hindi": "hin", "ukrainan": "ukr", "ukrainian": "ukr", "bengali": "ben", "tibetan": "bod",
    "thai": "tha", "urdu": "urd", "turkish": "tur", "korean": "kor", "indonesian": "ind",
    "hebrew": "heb", "javanese": "jav", "greek": "ell", "japanese": "jpn", "persian": "fas",
    "albanian": "sqi", "latin": "lat", "vietnamese": "vie", "uzbek": "uzb", "georgian": "kat",
    "bulgarian": "bul", "azerbaijani": "aze", "kazah": "kaz", "macedonian": "mkd",
    "belorussian": "bel", "malay": "msa", "sundanese": "sun", "swahili": "swa", "tagalog": "tgl",
    "yoruba": "yor", "cebuano": "ceb", "kurdish": "kmr", "serbo_croatian": "srp_latn",
    "hungarian": "hun", "quechua": "que", "catalan": "cat", "afrikaans": "afr", "bosnian": "bos",
    "galician": "glg", "occitan": "oci", "tonga": "ton", "marathi": "mar", "nepali": "nep",
    "hwt_eng": "eng",
}


#: the cloud's other language names -> the :class:`ocrprep.Language` member (Aspose.OCR's code) whose
#: value is the Tesseract model reading them: a Chinese model for the Chinese varieties, the script
#: model of their alphabet (script/Latin, script/Cyrillic, script/Devanagari) for the languages
#: Tesseract has no model of
CLOUD_CODES = {
    "uyghur": "UIG", "telugu": "TEL", "kannada": "KAN", "tamil": "TAM", "low_german": "NDS", "gilaki": "GLK",
    "cantonese": "YUE", "wu": "WUU", "min_nan": "NAN", "xiang": "HSN", "hakka": "HAK", "gan": "GAN",
    "min_dong": "CDO", "min_bei": "MNP", "pu_xian": "CPX",
    "chechen": "CHE", "kabardian": "KBD",
    "bhojpuri": "BHO", "maithili": "MAI", "awadhi": "AWA", "marwari": "RWR", "magahi": "MAG",
    "haryanvi": "BGC", "chattisgarhi": "HNE", "dhundari": "DHD", "konkani": "KNN", "kanauji": "BJJ",
    "mewati": "WTM", "rajbanshi": "RJB", "garhwali": "GBM", "lamani": "LMN", "kumauni": "KFY",
    "wagdi": "WBR", "malvi": "MUP", "mewari": "MTR", "devanagari": "DEVANAGARI",
    "hausa": "HAU", "oromo": "GAX", "malagasy": "BHR", "zhuang": "CCX", "turkmen": "TUK", "somali": "SOM",
    "chichewa": "NYA", "rwanda": "KIN", "zulu": "ZUL", "ilocano": "ILO", "hiligaynon": "HIL", "hmong": "HMN",
    "shona": "SNA", "xhosa": "XHO", "betawi": "BEW", "minangkabau": "MIN", "sotho_southern": "SOT",
    "bikol": "BCL", "makua": "VMW", "kanuri": "KNC", "tswana": "TSN", "kikongo": "KON", "luo": "LUO",
    "sukuma": "SUK", "tsonga": "TSO", "bemba": "BEM", "nandi": "KLN", "palembang": "PLM", "umbundu": "UMB",
    "sotho_northern": "NSO", "waray_waray": "WAR", "musi": "MUI", "kapampangan": "PAM", "bouyei": "PCC",
    "ndebele": "NBL", "yao": "YAO", "sasak": "SAS", "swati": "SSW", "gusii": "GUZ", "meru": "MER",
    "wolaytta": "WAL", "dong": "DOC", "pangasinan": "PAG", "dimli": "DIQ", "makassar": "MAK",
    "tumbuka": "TUM", "serer_sine": "SRR", "muong": "MTQ", "kiche": "QUC", "luguru": "RUF",
}


def cloud_language(value: str) -> str:
    """Tesseract code(s) for a cloud ``language`` value: a cloud name (``"Netherlands"``), an
    English name or Tesseract code(s) as :func:`ocrprep.ocr.resolve_language` reads them.

    >>> cloud_language("Netherlands"), cloud_language("English"), cloud_language("deu+eng")
    ('nld', 'eng', 'deu+eng')
    """
    from ..ocr import Language, resolve_language

    key = value.strip().lower()
    if key in CLOUD_CODES:
        return Language[CLOUD_CODES[key]].value
    return resolve_language(CLOUD_LANGUAGES.get(key, value))


def _check_installed(value: str, languages: list[str]) -> None:
    """Refuse a ``language`` whose Tesseract data is not installed, saying which part is wrong."""
    installed = ", ".join(languages) or "none"
    for part in value.replace(",", "+").split("+"):
        part = part.strip()
        if not part:
            continue
        codes = cloud_language(part).split("+")
        missing = [code for code in codes if code not in languages]
        if not missing:
            continue
        if codes == [part]:  # not a name: taken as a Tesseract code, and there is no such data here
            raise RequestError(
                f"settings.language: {part!r} is neither a language name (English, German, Netherlands, ...) "
                f"nor a Tesseract language installed on this server (installed: {installed})",
                code="InvalidSettings",
            )
        raise RequestError(
            f"settings.language: {part} needs the Tesseract language data {', '.join(missing)}, "
            f"which is not installed on this server (installed: {installed})",
            code="InvalidSettings",
        )


#: the settings taking a value of one of the SDK's enums (DsrMode, DsrConfidence, ResultTypeTable);
#: accepted without regard to case and, but for resultTypeTable, without effect (Tesseract lays out itself)
ENUMS = {
    "dsrMode": ("Regions", "DsrNoFilter", "DsrAndFilter", "NoDsrNoFilter", "TextDetector", "DsrPlusDetector",
                "PolygonalTextDetector", "LineDetector"),
    "dsrConfidence": ("Default", "Low", "LowMid", "Mid", "MidHigh", "High", "Ultra", "All"),
    "resultTypeTable": ("Text", "Excel", "Csv", "CsvAndExcel"),
}

#: settings of RecognizeImage: lower-case key -> (canonical name, default)
_SETTINGS = {
    "language": ("language", "English"),
    "makeskewcorrect": ("makeSkewCorrect", True),
    "makebinarization": ("makeBinarization", False),
    "makecontrastcorrection": ("makeContrastCorrection", True),
    "makeupsampling": ("makeUpsampling", False),
    "makespellcheck": ("makeSpellCheck", False),
    "rotate": ("rotate", 0),
    "dsrmode": ("dsrMode", None),
    "dsrconfidence": ("dsrConfidence", None),
    "resulttype": ("resultType", "Text"),
    "resulttypetable": ("resultTypeTable", None),
    "regions": ("regions", None),
}


def recognition_params(settings, *, languages: list[str] | None = None,
                       defaults: dict | None = None) -> tuple[dict, dict]:
    """Check a cloud ``settings`` object (``OCRSettingsRecognizeImage``, ``...Pdf``, ``...Regions``,
    ``...Table``, ``...DetectRegions``: the same fields, with different defaults).

    Returns ``(params, values)``: the stored task parameters (without ``filters``) and every
    setting by its cloud name (for the operation's own fields, e.g. ``regions``).
    ``defaults`` overrides defaults by cloud name.
    """
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise RequestError(f"settings must be a JSON object, got {_json_type(settings)}", code="InvalidSettings")
    try:
        s = _lower_keys(settings, "settings", set(_SETTINGS))
    except RequestError as exc:
        raise RequestError(str(exc), code="InvalidSettings") from None
    values = {}
    for key, (name, default) in _SETTINGS.items():
        if defaults and name in defaults:
            default = defaults[name]
        v = s.get(key)
        values[name] = default if v is None else v
    for name in ("makeSkewCorrect", "makeBinarization", "makeContrastCorrection", "makeUpsampling", "makeSpellCheck"):
        if not isinstance(values[name], bool):
            raise RequestError(f"settings.{name} must be true or false, got {values[name]!r}", code="InvalidSettings")
    if not isinstance(values["language"], str):
        raise RequestError(f"settings.language must be a string such as \"English\", got {values['language']!r}",
                           code="InvalidSettings")
    try:
        lang = cloud_language(values["language"])
    except OcrprepError as exc:
        raise RequestError(f"settings.language: {exc}", code="InvalidSettings") from None
    if languages is not None:
        _check_installed(values["language"], languages)
    rtype = values["resultType"]
    if not isinstance(rtype, str):
        raise RequestError(f"settings.resultType must be a string, got {rtype!r}", code="InvalidSettings")
    if rtype.lower() not in RESULT_TYPES:
        raise RequestError(f"settings.resultType must be one of {', '.join(RESULT_TYPE_NAMES)}, got {rtype!r}",
                           code="InvalidSettings")
    rotate = values["rotate"]
    if isinstance(rotate, float) and rotate.is_integer():
        rotate = int(rotate)
    if isinstance(rotate, bool) or not isinstance(rotate, int) or not -360 <= rotate <= 360:
        raise RequestError(f"settings.rotate must be an integer number of degrees in -360..360, got {rotate!r}",
                           code="InvalidSettings")
    for name, allowed in ENUMS.items():
        value = values[name]
        if value is None:
            continue
        if not isinstance(value, str) or value.strip().lower() not in {a.lower() for a in allowed}:
            raise RequestError(f"settings.{name} must be one of {', '.join(allowed)}, got {value!r}",
                               code="InvalidSettings")
    if values["makeSpellCheck"]:
        spell = spell_language(lang)
    params = {
        "language": lang,
        "resultType": rtype.lower(),
        "skew": values["makeSkewCorrect"],
        "binarize": values["makeBinarization"],
        "contrast": values["makeContrastCorrection"],
        "upsample": values["makeUpsampling"],
        "spellCheck": values["makeSpellCheck"],
        "rotate": rotate,
    }
    if values["makeSpellCheck"]:
        params["spellLanguage"] = spell
    return params, values


def spell_language(language: str) -> str:
    """The spell-check dictionary (a :class:`ocrprep.spellcheck.SpellCheckLanguage` name) for a
    recognition in ``language`` (Tesseract code(s): the first one's dictionary), checked up front:
    a language without a dictionary is a 400, a server without the ``spell`` extra a 503."""
    import importlib.util

    from ..spellcheck import SpellCheckLanguage, available_languages

    first = language.split("+")[0]
    usable = available_languages()
    try:
        member = SpellCheckLanguage.parse(first)
    except OcrprepError:
        member = None
    if member not in usable:
        raise RequestError(
            f"settings.makeSpellCheck: there is no spell-check dictionary for the language {first!r}; "
            f"the dictionaries are {', '.join(m.name for m in usable)} (or set makeSpellCheck to false)",
            code="InvalidSettings")
    needed = ["symspellpy"] + (["spellchecker"] if member.name != "ENG" else [])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        names = ", ".join("pyspellchecker" if n == "spellchecker" else n for n in missing)
        raise RequestError(f"settings.makeSpellCheck needs the spell-check extra on the server ({names} is not "
                           "installed): pip install 'ocrprep[spell]'", status=503, code="SpellCheckUnavailable")
    return member.name


def parse_recognize(body, *, max_bytes: int, max_pixels: int, languages: list[str] | None = None) -> Submission:
    """``{"image": base64, "settings": {...}, "filters": spec}`` -> a recognize task.

    ``languages`` are the installed Tesseract languages (checked when given).
    """
    fields = _body(body, {"image", "settings", "filters"})
    params, values = recognition_params(fields.get("settings"), languages=languages)
    pipeline = _filters(fields.get("filters"), "filters")
    raw, img = _image(fields, max_bytes, max_pixels)
    params["filters"] = pipeline.to_list()
    pages = tiff_pages(raw)
    if pages > 1:  # one image per request: the first page is read, and the result says so
        params["pageCount"] = pages
    if values["regions"]:  # the SDK's OCRSettingsRecognizeImage has them: read only those, as RecognizeRegions
        from .operations import _regions

        params["regions"] = _regions(values["regions"], img.shape)
    check_sizes("recognize", params, img.shape, max_pixels)
    return Submission("recognize", params, raw, img)


# --------------------------------------------------------------------------- #
# execution (on a worker thread)
# --------------------------------------------------------------------------- #
def encode_png(img: np.ndarray) -> bytes:
    """PNG bytes of a page: 1 bit per pixel when it holds only 0 and 255, else 8-bit grey or RGB."""
    pil = oio._to_pil(img)
    buf = _stdio.BytesIO()
    pil.save(buf, "PNG", compress_level=3)
    return buf.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_stored(kind: str, raw: bytes, max_pixels: int) -> np.ndarray:
    """What a worker hands to :func:`execute` for a stored upload: the decoded page, or, for the
    kinds that read a whole document (RecognizePdf), the file's bytes as a ``(1, n)`` uint8 array."""
    from .operations import RAW_KINDS

    if kind in RAW_KINDS:
        return np.frombuffer(raw, np.uint8).reshape(1, -1)
    return decode_image(raw, max_pixels)


def execute(kind: str, params: dict, img: np.ndarray, *, threads: int = 1, engine=None,
            ocr_timeout: float | None = None, deadline: Deadline | None = None) -> tuple[list[dict], list[str]]:
    """Run one task; returns ``(results, warnings)`` where results are ``[{"type", "data"}]`` (base64 data).

    ``deadline`` (:class:`~ocrprep.service.budget.Deadline`) is checked between the task's steps.
    Raises :class:`ocrprep.OcrprepError` when the task fails (the message goes to the client).
    """
    if kind in ("binarize", "preprocess"):
        pipeline = (PreprocessingFilter([PreprocessingFilter.binarize()]) if kind == "binarize"
                    else PreprocessingFilter.from_spec(params["filters"]))
        out = run_filters(pipeline, img, threads=threads, deadline=deadline)
        if deadline is not None:
            deadline.check("encoding the result")
        return [{"type": "ImagePNG", "data": _b64(encode_png(out))}], []
    if kind == "recognize":
        return _recognize(params, img, threads=threads, engine=engine, timeout=ocr_timeout, deadline=deadline)
    from . import operations

    if kind in operations.EXECUTORS:
        return operations.EXECUTORS[kind](params, img, threads=threads, engine=engine, timeout=ocr_timeout)
    raise OcrprepError(f"unknown task kind {kind!r}")


def recognition_settings(params: dict, timeout: float | None = None):
    """The :class:`ocrprep.RecognitionSettings` (and extra warnings) a stored recognize task asks for."""
    from ..ocr import RecognitionSettings

    pre = PreprocessingFilter.from_spec(params.get("filters"))
    if params.get("contrast"):
        pre.add(PreprocessingFilter.contrast_correction())
    if params.get("rotate"):
        pre.add(Filter("rotate", {"angle": float(params["rotate"])}))
    if params.get("upsample"):
        pre.add(PreprocessingFilter.upscale())  # ocrprep.upscale: bicubic 2x, sharpened without halos
    rtype = params.get("resultType", "text")
    settings = RecognitionSettings(
        language=params.get("language", "eng"),
        result_type="hocr" if "hocr" in rtype else ("json" if rtype == "json" else "text"),
        make_binarization=bool(params.get("binarize")),
        auto_skew=bool(params.get("skew")),
        threads_count=1,
        timeout=timeout,
        preprocessing_filters=pre,
    )
    return settings, []


def spell_of(params: dict) -> str | None:
    """The spell-check dictionary a stored recognition asks for (``None``: no correction)."""
    if not params.get("spellCheck"):
        return None
    if params.get("spellLanguage"):
        return params["spellLanguage"]
    try:  # a task stored by an older version: checked now
        return spell_language(params.get("language", "eng"))
    except RequestError as exc:
        raise OcrprepError(str(exc)) from None


def _recognize(params, img, *, threads, engine, timeout=None, deadline=None):
    from .results import recognize_page, render

    first = []
    if params.get("pageCount", 1) > 1:
        first.append(f"the image is a TIFF of {params['pageCount']} pages: RecognizeImage read the first page "
                     "only (RecognizePdf reads every page of a TIFF)")
    # the engine runs the settings' filters (at most MAX_FILTERS bounded steps) and Tesseract
    # (killed after ocr_timeout); the recognition lane is apart from the image lane
    if deadline is not None:
        deadline.check("the recognition")
    if params.get("regions"):
        from .operations import _run_regions

        results, warnings = _run_regions(params, img, engine=engine, timeout=timeout)
        return results, first + warnings
    settings, warnings = recognition_settings(params, timeout)
    page = recognize_page(img, settings, params.get("resultType", "text"), engine, spell=spell_of(params))
    results, more = render(params.get("resultType", "text"), [page], settings)
    return results, first + warnings + list(page.result.warnings) + more


from . import operations as _operations  # noqa: E402,F401  (registers the other cloud operations' kinds)
