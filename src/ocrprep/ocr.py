"""Text recognition with Tesseract (through pytesseract), Aspose.OCR-shaped.

:class:`OcrEngine` (alias ``AsposeOcr`` in :mod:`ocrprep.compat`) takes an
:class:`~ocrprep.OcrInput` (or a single path / array) and returns one
:class:`RecognitionResult` per page, in order.  Pages are decoded and
filtered lazily on the calling thread's iterator and recognised in parallel
worker threads (each runs one single-threaded ``tesseract`` process; our
filters release the GIL), with at most ``2 x threads`` pages in memory.

Tesseract itself is a system program: ``./scripts/setup.sh`` installs it on
Debian/Ubuntu; elsewhere see :data:`INSTALL_HINT`.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator

import numpy as np

from . import _checks
from ._parallel import cpu_count
from .auto import is_inverted
from .binarize import binarize
from .documents.mixin import DocumentRecognitionMixin
from .errors import (
    InvalidParameterError,
    OcrprepError,
    ParameterTypeError,
    TesseractNotFoundError,
)
from .filters import PreprocessingFilter, Rectangle, _gray
from .geometry import rotate
from .inputs import InputType, OcrInput, bounded_map, warn_page_error
from .io import Page, PageError, _to_pil, is_binary
from .skew import detect_skew
from .threshold import threshold

__all__ = [
    "OcrEngine",
    "RecognitionSettings",
    "RecognitionResult",
    "LinesResult",
    "Word",
    "ResultType",
    "Language",
    "recognize",
    "tesseract_available",
    "INSTALL_HINT",
]

INSTALL_HINT = (
    "Tesseract OCR is not installed or not on PATH. Install it with "
    "`sudo apt-get install tesseract-ocr tesseract-ocr-eng` (Debian/Ubuntu; "
    "or run ./scripts/setup.sh from the ocrprep source tree), "
    "`brew install tesseract` (macOS), `choco install tesseract` (Windows), "
    "or point OCRPREP_TESSERACT_CMD at the tesseract executable."
)


class ResultType(str, Enum):
    """What :meth:`RecognitionResult.output` returns (and ``ocrprep recognize --format`` prints)."""

    TEXT = "text"
    JSON = "json"
    HOCR = "hocr"


class Language(str, Enum):
    """Common recognition languages, valued by their Tesseract codes.

    Any installed Tesseract code (``"eng"``, ``"deu+eng"``) or an English
    language name (``"English"``, ``"German"``) is accepted wherever a
    language is expected.
    """

    ENG = "eng"
    DEU = "deu"
    FRA = "fra"
    SPA = "spa"
    ITA = "ita"
    POR = "por"
    NLD = "nld"
    POL = "pol"
    CES = "ces"
    DAN = "dan"
    SWE = "swe"
    NOR = "nor"
    FIN = "fin"
    RUS = "rus"
    UKR = "ukr"
    BEL = "bel"
    TUR = "tur"
    ELL = "ell"
    ARA = "ara"
    HIN = "hin"
    CHI_SIM = "chi_sim"
    CHI_TRA = "chi_tra"
    JPN = "jpn"
    KOR = "kor"
    LAT = "lat"


_LANGUAGE_NAMES = {
    "english": "eng", "german": "deu", "deutsch": "deu", "french": "fra", "spanish": "spa",
    "italian": "ita", "portuguese": "por", "dutch": "nld", "polish": "pol", "czech": "ces",
    "danish": "dan", "swedish": "swe", "norwegian": "nor", "finnish": "fin", "russian": "rus",
    "ukrainian": "ukr", "belarusian": "bel", "turkish": "tur", "greek": "ell", "arabic": "ara",
    "hindi": "hin", "chinese": "chi_sim", "japanese": "jpn", "korean": "kor", "latin": "lat",
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "pl": "pol", "cs": "ces", "ru": "rus", "uk": "ukr", "tr": "tur", "el": "ell", "ar": "ara",
    "zh": "chi_sim", "ja": "jpn", "ko": "kor",
}
_LANG_CODE = re.compile(r"^[A-Za-z_]{2,20}$")


def resolve_language(language) -> str:
    """Tesseract language code(s) for a :class:`Language`, a code or an English name.

    >>> resolve_language("English"), resolve_language(Language.DEU), resolve_language("eng+fra")
    ('eng', 'deu', 'eng+fra')
    """
    if isinstance(language, Language):
        return language.value
    if isinstance(language, (list, tuple)):
        return "+".join(resolve_language(x) for x in language)
    if not isinstance(language, str):
        raise ParameterTypeError(f"language must be a string such as 'eng' or 'English', got {type(language).__name__}")
    parts = []
    for part in language.replace(",", "+").split("+"):
        p = part.strip()
        if not p:
            continue
        key = p.lower()
        if key in _LANGUAGE_NAMES:
            parts.append(_LANGUAGE_NAMES[key])
        elif key.upper() in Language.__members__:
            parts.append(Language[key.upper()].value)
        elif _LANG_CODE.match(p):
            parts.append(p)
        else:
            raise InvalidParameterError(f"not a language name or Tesseract code: {part!r}")
    if not parts:
        raise InvalidParameterError(f"empty language {language!r}")
    return "+".join(parts)


def _resolve_result_type(value) -> ResultType:
    if isinstance(value, ResultType):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        key = {"txt": "text", "plain": "text", "html": "hocr"}.get(key, key)
        for member in ResultType:
            if member.value == key:
                return member
    raise InvalidParameterError(f"result_type must be text, json or hocr, got {value!r}")


@dataclass
class RecognitionSettings:
    """How pages are recognised (attributes may be set after construction).

    Attributes
    ----------
    language : str or Language
        Tesseract code(s) (``"eng"``, ``"eng+deu"``) or English names (``"English"``).
    result_type : ResultType or str
        ``text``, ``json`` (lines, words, boxes, confidences) or ``hocr``;
        selects what :meth:`RecognitionResult.output` returns.  hOCR needs
        Tesseract's hOCR renderer, which is run only when asked for.
    threshold_value : int
        1..255: binarize with :func:`ocrprep.threshold` before recognition;
        0 (default): no fixed threshold.
    make_binarization : bool
        Binarize automatically (:func:`ocrprep.binarize`) before recognition.
    auto_skew : bool
        Detect and correct the page skew first; the angle lands in
        :attr:`RecognitionResult.skew`.
    automatic_color_inversion : bool
        Invert light-on-dark pages before recognition (default True).
    recognize_single_line : bool
        The image is one line of text (Tesseract page segmentation mode 7).
    page_segmentation_mode : int, optional
        Tesseract ``--psm`` (0..13); overrides ``recognize_single_line``.
    allowed_symbols, ignored_symbols : str, optional
        Character white / black lists.
    dpi : int, optional
        Resolution passed to Tesseract (default: Tesseract estimates it).
    threads_count : int, optional
        Pages recognised in parallel (default: the number of cores).
    timeout : float, optional
        Seconds allowed per page (default: no limit).
    preprocessing_filters : PreprocessingFilter, optional
        Extra filters run after the input's own filters.
    tesseract_config : str
        Extra command-line options for Tesseract, for experts.
    """

    language: str | Language = "eng"
    result_type: ResultType | str = ResultType.TEXT
    threshold_value: int = 0
    make_binarization: bool = False
    auto_skew: bool = False
    automatic_color_inversion: bool = True
    recognize_single_line: bool = False
    page_segmentation_mode: int | None = None
    allowed_symbols: str | None = None
    ignored_symbols: str | None = None
    dpi: int | None = None
    threads_count: int | None = None
    timeout: float | None = None
    preprocessing_filters: PreprocessingFilter | None = None
    tesseract_config: str = ""

    def resolved(self) -> "_Resolved":
        """Validate every attribute (they may have been assigned freely) and normalise them."""
        lang = resolve_language(self.language)
        rtype = _resolve_result_type(self.result_type)
        thr = _checks.integer(self.threshold_value, "threshold_value")
        if not 0 <= thr <= 255:
            raise InvalidParameterError(f"threshold_value must be between 0 and 255 (0 = none), got {thr}")
        psm = self.page_segmentation_mode
        if psm is not None:
            psm = _checks.integer(psm, "page_segmentation_mode")
            if not 0 <= psm <= 13:
                raise InvalidParameterError(f"page_segmentation_mode must be between 0 and 13, got {psm}")
        elif self.recognize_single_line:
            psm = 7
        config = []
        if psm is not None:
            config.append(f"--psm {psm}")
        if self.dpi is not None:
            dpi = _checks.integer(self.dpi, "dpi")
            if not 1 <= dpi <= 4800:
                raise InvalidParameterError(f"dpi must be between 1 and 4800, got {dpi}")
            config.append(f"--dpi {dpi}")
        for attr, var in (("allowed_symbols", "tessedit_char_whitelist"), ("ignored_symbols", "tessedit_char_blacklist")):
            chars = getattr(self, attr)
            if chars:
                if not isinstance(chars, str):
                    raise ParameterTypeError(f"{attr} must be a string, got {type(chars).__name__}")
                if any(c.isspace() or c in "\"'\\" for c in chars):
                    raise InvalidParameterError(f"{attr} cannot hold spaces, quotes or backslashes")
                config.append(f"-c {var}={chars}")
        if self.tesseract_config:
            if not isinstance(self.tesseract_config, str):
                raise ParameterTypeError("tesseract_config must be a string")
            config.append(self.tesseract_config)
        threads = self.threads_count
        if threads is not None:
            threads = _checks.integer(threads, "threads_count")
            if threads < 1:
                raise InvalidParameterError(f"threads_count must be >= 1, got {threads}")
        timeout = 0 if self.timeout is None else _checks.real(self.timeout, "timeout", low=0.0)
        return _Resolved(
            language=lang,
            result_type=rtype,
            threshold=thr,
            binarize=bool(self.make_binarization),
            auto_skew=bool(self.auto_skew),
            invert=bool(self.automatic_color_inversion),
            config=" ".join(config),
            threads=threads or cpu_count(),
            timeout=timeout,
            filters=PreprocessingFilter.from_spec(self.preprocessing_filters),
        )


@dataclass(frozen=True)
class _Resolved:
    language: str
    result_type: ResultType
    threshold: int
    binarize: bool
    auto_skew: bool
    invert: bool
    config: str
    threads: int
    timeout: float
    filters: PreprocessingFilter


@dataclass
class Word:
    """A recognised word: ``text``, its ``box`` (x, y, width, height) and ``confidence`` (0..100)."""

    text: str
    box: Rectangle
    confidence: float

    def to_dict(self):
        return {"text": self.text, "box": list(self.box), "confidence": round(self.confidence, 2)}


@dataclass
class LinesResult:
    """A recognised line (Aspose's ``LinesResult``): ``text_in_line`` and its ``line`` rectangle."""

    text_in_line: str
    line: Rectangle
    confidence: float
    words: list[Word] = field(default_factory=list)

    def to_dict(self):
        return {
            "text": self.text_in_line,
            "box": list(self.line),
            "confidence": round(self.confidence, 2),
            "words": [w.to_dict() for w in self.words],
        }


@dataclass
class RecognitionResult:
    """What was read on one page.

    Attributes
    ----------
    recognition_text : str
        The page's text: lines separated by ``\\n``, paragraphs by a blank line.
    recognition_lines_result : list of LinesResult
        Every line with its box, confidence and words.
    recognition_areas_rectangles, recognition_areas_text : list
        Paragraph boxes and their text.
    confidence : float
        Mean word confidence, 0..100 (0 when nothing was read).
    source : str
        Where the page came from; ``page`` is its 1-based number.
    skew : float
        Skew angle corrected before recognition (degrees; 0 without auto_skew).
    warnings : list of str
        Non-fatal problems.  A page that failed has ``error`` set, an empty
        text and the reason in ``warnings``; the other pages are unaffected.
    hocr : str or None
        The hOCR document when ``result_type`` was ``hocr``.
    """

    recognition_text: str = ""
    recognition_lines_result: list[LinesResult] = field(default_factory=list)
    recognition_areas_rectangles: list[Rectangle] = field(default_factory=list)
    recognition_areas_text: list[str] = field(default_factory=list)
    confidence: float = 0.0
    source: str = ""
    page: int = 1
    page_count: int | None = None
    skew: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: BaseException | None = None
    hocr: str | None = None
    language: str = "eng"
    result_type: ResultType = ResultType.TEXT
    image_size: tuple[int, int] = (0, 0)

    @property
    def text(self) -> str:
        return self.recognition_text

    @property
    def words(self) -> list[Word]:
        return [w for line in self.recognition_lines_result for w in line.words]

    @property
    def ok(self) -> bool:
        return self.error is None

    def __str__(self):
        return self.recognition_text

    def to_dict(self) -> dict:
        """Everything as JSON-ready Python objects."""
        return {
            "source": self.source,
            "page": self.page,
            "page_count": self.page_count,
            "text": self.recognition_text,
            "confidence": round(self.confidence, 2),
            "language": self.language,
            "skew": round(self.skew, 3),
            "width": self.image_size[0],
            "height": self.image_size[1],
            "lines": [line.to_dict() for line in self.recognition_lines_result],
            "areas": [
                {"box": list(box), "text": text}
                for box, text in zip(self.recognition_areas_rectangles, self.recognition_areas_text)
            ],
            "warnings": list(self.warnings),
            "error": None if self.error is None else str(self.error),
        }

    def get_json(self, is_readable: bool = False) -> str:
        """The result as JSON (indented when ``is_readable``), like Aspose's ``get_json``."""
        return json.dumps(self.to_dict(), indent=2 if is_readable else None, ensure_ascii=False)

    def output(self, result_type=None) -> str:
        """The result in the settings' (or the given) result type: text, JSON or hOCR."""
        rtype = self.result_type if result_type is None else _resolve_result_type(result_type)
        if rtype is ResultType.JSON:
            return self.get_json(True)
        if rtype is ResultType.HOCR:
            if self.hocr is None:
                raise InvalidParameterError("no hOCR was produced: recognise with result_type='hocr'")
            return self.hocr
        return self.recognition_text

    def save(self, path, result_type=None) -> Path:
        """Write :meth:`output` to ``path`` atomically (UTF-8).

        Without ``result_type`` the extension chooses (``.txt``, ``.json``,
        ``.hocr``/``.html``), else the settings' result type.  A file that
        cannot be written (its folder cannot be created, no permission, a
        full disk...) is an :class:`~ocrprep.OutputError` naming ``path``.
        """
        from .io import _atomic_file, _make_parent

        path = Path(path)
        if result_type is None:
            result_type = {".txt": "text", ".json": "json", ".hocr": "hocr", ".html": "hocr"}.get(path.suffix.lower())
        _make_parent(path)
        with _atomic_file(path, "w", encoding="utf-8") as f:
            f.write(self.output(result_type))
        return path


# --------------------------------------------------------------------------- #
# Tesseract
# --------------------------------------------------------------------------- #
_tess_lock = threading.Lock()
_tess_checked: dict[str, tuple] = {}


def _tesseract_cmd(cmd=None) -> str:
    return cmd or os.environ.get("OCRPREP_TESSERACT_CMD") or "tesseract"


def tesseract_available(cmd=None) -> bool:
    """True when the Tesseract program can be run."""
    try:
        _check_tesseract(_tesseract_cmd(cmd))
        return True
    except OcrprepError:
        return False


def _check_tesseract(cmd: str) -> tuple:
    """(version, installed languages) for ``cmd``, or :class:`TesseractNotFoundError`."""
    with _tess_lock:
        if cmd in _tess_checked:
            return _tess_checked[cmd]
        import subprocess

        exe = shutil.which(cmd)
        if exe is None:
            raise TesseractNotFoundError(f"{cmd!r} not found. {INSTALL_HINT}")
        try:
            out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30)
            ver = subprocess.run([exe, "--version"], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise TesseractNotFoundError(f"cannot run {exe!r} ({exc}). {INSTALL_HINT}") from None
        text = (out.stdout or b"").decode("utf-8", "replace")
        langs = sorted(
            line.strip() for line in text.splitlines()[1:] if line.strip() and _LANG_CODE.match(line.strip())
        )
        version = (ver.stdout or ver.stderr or b"").decode("utf-8", "replace").split("\n", 1)[0].strip()
        _tess_checked[cmd] = (version, langs)
        return _tess_checked[cmd]


def _check_languages(lang: str, installed: list[str]) -> None:
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m.replace('_', '-').lower()}" for m in missing)
        raise InvalidParameterError(
            f"Tesseract language(s) {', '.join(missing)} not installed (installed: "
            f"{', '.join(installed) or 'none'}); on Debian/Ubuntu: sudo apt-get install {pkgs}"
        )


def _limit_tesseract_threads() -> None:
    """Run each Tesseract process single-threaded (``OMP_THREAD_LIMIT=1``).

    Tesseract's OpenMP threads fight over the cores the parallel pages
    already use (measured: 6 pages took 3.6 s single-threaded vs 10.2 s with
    OpenMP on 2 cores).  Only the environment of the ``tesseract``
    subprocesses that pytesseract starts is changed, never this process's.
    An ``OMP_THREAD_LIMIT`` set by the user wins; ``OCRPREP_TESSERACT_THREADS``
    chooses another value.
    """
    import pytesseract.pytesseract as pt

    if getattr(pt.subprocess_args, "_ocrprep", False):
        return
    original = pt.subprocess_args

    def subprocess_args(include_stdout=True):
        kwargs = original(include_stdout)
        env = dict(kwargs.get("env") or os.environ)
        if not env.get("OMP_THREAD_LIMIT"):
            env["OMP_THREAD_LIMIT"] = env.get("OCRPREP_TESSERACT_THREADS") or "1"
        kwargs["env"] = env
        return kwargs

    subprocess_args._ocrprep = True
    pt.subprocess_args = subprocess_args


def _run_tesseract(img: np.ndarray, opts: _Resolved, cmd: str):
    """One Tesseract run: returns (TSV data dict, hOCR text or None)."""
    import pytesseract

    if pytesseract.pytesseract.tesseract_cmd != cmd:
        pytesseract.pytesseract.tesseract_cmd = cmd
    pil = _to_pil(img)
    try:
        if opts.result_type is ResultType.HOCR:
            raw = pytesseract.image_to_pdf_or_hocr(
                pil, lang=opts.language, config=opts.config, extension="hocr", timeout=opts.timeout
            )
            hocr = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            return _hocr_to_data(hocr), hocr
        data = pytesseract.image_to_data(
            pil, lang=opts.language, config=opts.config, output_type=pytesseract.Output.DICT, timeout=opts.timeout
        )
        return data, None
    except pytesseract.TesseractNotFoundError:
        raise TesseractNotFoundError(INSTALL_HINT) from None
    except pytesseract.TesseractError as exc:
        raise OcrprepError(f"Tesseract failed (status {exc.status}): {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise OcrprepError(f"Tesseract took longer than {opts.timeout} s") from None
        raise


_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_WCONF = re.compile(r"x_wconf (\d+(?:\.\d+)?)")


def _hocr_to_data(hocr: str) -> dict:
    """Tesseract's hOCR into the same columns as its TSV (levels 3 paragraph, 4 line, 5 word)."""
    cols = {k: [] for k in ("level", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height", "conf", "text")}
    try:
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", hocr, count=1).encode("utf-8"))
    except ET.ParseError as exc:
        raise OcrprepError(f"cannot parse Tesseract's hOCR output ({exc})") from None

    def classes(el):
        return (el.get("class") or "").split()

    def add(level, b, p, l, w, el, text="", conf=-1.0):
        m = _BBOX.search(el.get("title") or "")
        x0, y0, x1, y1 = map(int, m.groups()) if m else (0, 0, 0, 0)
        for k, v in zip(cols, (level, b, p, l, w, x0, y0, x1 - x0, y1 - y0, conf, text)):
            cols[k].append(v)

    b = 0
    for block in root.iter():
        if "ocr_carea" not in classes(block):
            continue
        b += 1
        p = 0
        for par in block.iter():
            if "ocr_par" not in classes(par):
                continue
            p += 1
            add(3, b, p, 0, 0, par)
            ln = 0
            for line in par.iter():
                if not {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"} & set(classes(line)):
                    continue
                ln += 1
                add(4, b, p, ln, 0, line)
                wn = 0
                for word in line.iter():
                    if "ocrx_word" not in classes(word):
                        continue
                    wn += 1
                    m = _WCONF.search(word.get("title") or "")
                    add(5, b, p, ln, wn, word, html.unescape("".join(word.itertext())), float(m.group(1)) if m else -1.0)
    return cols


def _build_result(data: dict, page: Page | None, opts: _Resolved) -> RecognitionResult:
    n = len(data.get("level", []))
    lines: dict[tuple, dict] = {}
    pars: dict[tuple, dict] = {}
    order: list[tuple] = []
    for i in range(n):
        level = int(data["level"][i])
        key_par = (int(data["block_num"][i]), int(data["par_num"][i]))
        box = Rectangle(int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]))
        if level == 3:
            pars.setdefault(key_par, {"box": box, "lines": []})
        elif level == 4:
            key = key_par + (int(data["line_num"][i]),)
            lines.setdefault(key, {"box": box, "words": []})
            order.append(key)
        elif level == 5:
            text = str(data["text"][i]).strip()
            conf = float(data["conf"][i])
            if not text:
                continue
            key = key_par + (int(data["line_num"][i]),)
            if key not in lines:
                lines[key] = {"box": box, "words": []}
                order.append(key)
            lines[key]["words"].append(Word(text, box, max(conf, 0.0)))
    line_results, par_texts = [], {}
    for key in order:
        words = lines[key]["words"]
        if not words:
            continue
        text = " ".join(w.text for w in words)
        conf = sum(w.confidence for w in words) / len(words)
        line_results.append(LinesResult(text, lines[key]["box"], conf, words))
        par_texts.setdefault(key[:2], []).append(text)
    paragraphs = [(k, "\n".join(v)) for k, v in par_texts.items()]
    all_words = [w for line in line_results for w in line.words]
    result = RecognitionResult(
        recognition_text="\n\n".join(t for _, t in paragraphs),
        recognition_lines_result=line_results,
        recognition_areas_rectangles=[pars[k]["box"] if k in pars else Rectangle(0, 0, 0, 0) for k, _ in paragraphs],
        recognition_areas_text=[t for _, t in paragraphs],
        confidence=(sum(w.confidence for w in all_words) / len(all_words)) if all_words else 0.0,
        language=opts.language,
        result_type=opts.result_type,
    )
    if page is not None:
        result.source, result.page, result.page_count = page.source, page.page, page.pages
        result.image_size = (page.image.shape[1], page.image.shape[0])
    return result


def _prepare(img: np.ndarray, opts: _Resolved, warnings: list) -> tuple[np.ndarray, float]:
    """The settings' own preprocessing: extra filters, inversion, deskew, binarization."""
    skew = 0.0
    if len(opts.filters):
        img = opts.filters.apply(img)
    already_binary = is_binary(img)
    if opts.invert and not already_binary and is_inverted(_gray(img, None)):
        img = 255 - img
        warnings.append("light-on-dark page: inverted before recognition")
    if opts.auto_skew:
        skew = float(detect_skew(_gray(img, None)))
        if skew:
            img = rotate(img, -skew, expand=True)
    if opts.threshold:
        img = threshold(_gray(img, None), opts.threshold)
    elif opts.binarize and not already_binary:
        img = binarize(img)
    return img, skew


# --------------------------------------------------------------------------- #
# the engine
# --------------------------------------------------------------------------- #
class OcrEngine(DocumentRecognitionMixin):
    """Recognise text on preprocessed pages (Aspose.OCR's ``AsposeOcr``).

    Parameters
    ----------
    tesseract_cmd : str, optional
        The Tesseract executable (default: ``$OCRPREP_TESSERACT_CMD`` or
        ``tesseract`` on PATH).

    Examples
    --------
    >>> from ocrprep import OcrEngine, OcrInput, InputType, RecognitionSettings
    >>> api = OcrEngine()
    >>> doc = OcrInput(InputType.SINGLE_IMAGE)
    >>> doc.add(ocrprep.data.sample_path())                       # doctest: +SKIP
    >>> result = api.recognize(doc, RecognitionSettings(language="English"))  # doctest: +SKIP
    >>> print(result[0].recognition_text)                         # doctest: +SKIP
    """

    def __init__(self, tesseract_cmd: str | None = None):
        self.tesseract_cmd = _tesseract_cmd(tesseract_cmd)

    def __repr__(self):
        return f"OcrEngine(tesseract_cmd={self.tesseract_cmd!r})"

    @property
    def version(self) -> str:
        """Tesseract's version line."""
        return _check_tesseract(self.tesseract_cmd)[0]

    @property
    def languages(self) -> list[str]:
        """Installed Tesseract language codes."""
        return list(_check_tesseract(self.tesseract_cmd)[1])

    def _as_input(self, source) -> OcrInput:
        if isinstance(source, OcrInput):
            return source
        if isinstance(source, np.ndarray) or type(source).__module__.startswith("PIL."):
            doc = OcrInput(InputType.SINGLE_IMAGE)
        else:
            doc = OcrInput.any()  # kind detected from the content: image, TIFF, PDF, zip, folder, URL
        doc.add(source)
        return doc

    def check_settings(self, settings: RecognitionSettings | None = None) -> "_Resolved":
        """Validate ``settings`` against this engine before any page is read.

        Raises
        ------
        ParameterTypeError
            ``settings`` is not a :class:`RecognitionSettings`.
        InvalidParameterError
            A bad attribute, or a language whose Tesseract data is not
            installed (the message lists the installed ones).
        TesseractNotFoundError
            Tesseract is not installed.
        """
        if settings is None:
            settings = RecognitionSettings()
        elif not isinstance(settings, RecognitionSettings):
            raise ParameterTypeError(
                f"settings must be a RecognitionSettings, got {type(settings).__name__} {settings!r:.60}; "
                "e.g. RecognitionSettings(language='eng')"
            )
        opts = settings.resolved()
        _version, installed = _check_tesseract(self.tesseract_cmd)
        _check_languages(opts.language, installed)
        return opts

    def iter_recognize(self, input, settings: RecognitionSettings | None = None) -> Iterator[RecognitionResult]:
        """Like :meth:`recognize` but yields results in page order as they complete (lazy).

        Failed pages come out as results with ``error`` set, without a
        warning (callers of this lower-level form report them themselves).
        The settings are checked when the first result is asked for; call
        :meth:`check_settings` first to check them before iterating.
        """
        opts = self.check_settings(settings)
        doc = self._as_input(input)
        _limit_tesseract_threads()

        def job(item):
            if isinstance(item, PageError):
                return _failed(item, opts)
            warnings: list[str] = []
            try:
                page = doc.process(item)
                img, skew = _prepare(page.image, opts, warnings)
                data, hocr = _run_tesseract(img, opts, self.tesseract_cmd)
            except TesseractNotFoundError:
                raise
            except Exception as exc:  # reported in this page's result; the other pages go on
                failed = _failed(PageError(item.source, item.page, exc, item.stem), opts)
                failed.page_count = item.pages
                return failed
            result = _build_result(data, page.replace(image=img), opts)
            result.skew, result.hocr = skew, hocr
            result.warnings.extend(warnings)
            return result

        yield from bounded_map(job, doc.raw_pages("yield"), opts.threads)

    def recognize(self, input, settings: RecognitionSettings | None = None) -> list[RecognitionResult]:
        """Recognise every page of ``input``; one :class:`RecognitionResult` per page, in order.

        Parameters
        ----------
        input : OcrInput, or a path / bytes / ndarray / PIL image / URL
            A bare source is wrapped in an :class:`OcrInput` (all its pages).
        settings : RecognitionSettings, optional

        Raises
        ------
        TesseractNotFoundError
            Tesseract is not installed (the message says how to install it).
        InvalidParameterError
            Bad settings, or a language whose data is not installed.

        A page that cannot be read or recognised does not raise: its result
        has ``error`` set (and an empty text) and the reason in ``warnings``,
        and an :class:`~ocrprep.OcrprepWarning` naming the source and the
        reason is emitted, so the failure is never silent.
        """
        results = list(self.iter_recognize(input, settings))
        for result in results:
            if result.error is not None:
                page = result.page if (result.page_count or 1) > 1 or result.page > 1 else None
                warn_page_error(result.source, page, result.error, "page not recognised", stacklevel=2)
        return results

    def recognize_image(self, img, settings: RecognitionSettings | None = None) -> RecognitionResult:
        """Recognise one numpy page (2-D grey or RGB) and return its result (errors raise)."""
        img = _checks.image_gray_or_color(img)
        doc = OcrInput(InputType.SINGLE_IMAGE)
        doc.add(img, name="image")
        result = list(self.iter_recognize(doc, settings))[0]
        if result.error is not None:
            raise result.error
        return result


def _failed(item: PageError, opts: _Resolved) -> RecognitionResult:
    return RecognitionResult(
        source=item.source,
        page=item.page or 1,
        warnings=[str(item.error)],
        error=item.error,
        language=opts.language,
        result_type=opts.result_type,
    )


def recognize(source, settings: RecognitionSettings | None = None, **options) -> list[RecognitionResult]:
    """Shortcut: ``OcrEngine().recognize(source, RecognitionSettings(**options))``.

    ``source`` is an :class:`OcrInput` or anything it accepts (path, bytes,
    numpy array, PIL image, URL).  Keyword options are
    :class:`RecognitionSettings` attributes, e.g. ``language="eng"``,
    ``make_binarization=True``, ``result_type="json"``.
    """
    if settings is None:
        settings = RecognitionSettings(**options)
    elif options:
        raise InvalidParameterError("give either settings or keyword options, not both")
    return OcrEngine().recognize(source, settings)
