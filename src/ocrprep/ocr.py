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

import contextlib
import html
import json
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Iterator

import numpy as np

from . import _checks
from ._parallel import cpu_count
from .analysis import PageAnalysis
from .auto import is_inverted
from .binarize import binarize
from .documents.mixin import DocumentRecognitionMixin
from .export._methods import EngineExportMixin, ResultExportMixin
from .export._pageimage import PageImage
from .spellcheck import EngineSpellCheckMixin, ResultSpellCheckMixin
from .errors import (
    InvalidImageError,
    InvalidParameterError,
    OcrprepError,
    ParameterTypeError,
    TesseractNotFoundError,
)
from .filters import PreprocessingFilter, Rectangle, _gray, _per_channel
from .geometry import rotate
from .inputs import InputType, OcrInput, bounded_map, warn_page_error
from .io import Page, PageError, _array_page, _to_pil, is_binary
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
    "DetectAreasMode",
    "CharactersAllowedType",
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
    """Recognition languages, valued by their Tesseract codes.

    The member names are Aspose.OCR's (``Language.ENG``, ``Language.CHI``,
    ``Language.EXT_LATIN``...); each is valued by the Tesseract model that
    reads it: a language model (``deu``), or a *script* model
    (``script/Latin``, ``script/Cyrillic``, ``script/Devanagari``) for the
    alphabets and for languages Tesseract has no model of.
    ``AUTO``/``UNIVERSAL``/``MULTILANGUAGE`` recognise with the installed
    languages (up to four, English first).  Several names may share a value
    (``CHI``, ``CMN`` and ``CHINESE`` are all ``chi_sim``): they are aliases.

    Any installed Tesseract code (``"eng"``, ``"deu+eng"``) or an English
    language name (``"English"``, ``"German"``) is accepted wherever a
    language is expected.  A language whose Tesseract data is not installed
    is refused before any page is read, naming the package to install.
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
    # Aspose.OCR's names (ISO 639-3 codes) that Tesseract has a language model for
    EST = "est"
    LAV = "lav"
    LIT = "lit"
    RON = "ron"
    HBS = "hrv"
    SLK = "slk"
    SLV = "slv"
    BUL = "bul"
    KAZ = "kaz"
    SRP = "srp"
    CHI = "chi_sim"
    CHINESE = "chi_sim"
    CMN = "chi_sim"
    IND = "ind"
    VIE = "vie"
    MAR = "mar"
    MLY = "msa"
    SUN = "sun"
    SWH = "swa"
    TGL = "tgl"
    YOR = "yor"
    CEB = "ceb"
    AZB = "aze"
    KMR = "kmr"
    BOS = "bos"
    HRV = "hrv"
    NEP = "nep"
    UIG = "uig"
    HUN = "hun"
    QXA = "que"
    ALN = "sqi"
    CAT = "cat"
    AFR = "afr"
    GLG = "glg"
    LNC = "oci"
    PES = "fas"
    GLK = "fas"
    URD = "urd"
    TAM = "tam"
    TEL = "tel"
    KAN = "kan"
    MON = "mon"
    NDS = "deu"
    # Chinese varieties: the Chinese models
    YUE = "chi_tra"
    WUU = "chi_sim"
    NAN = "chi_sim"
    HSN = "chi_sim"
    HAK = "chi_sim"
    GAN = "chi_sim"
    CDO = "chi_sim"
    MNP = "chi_sim"
    CPX = "chi_sim"
    # alphabets, and languages without a Tesseract model: the script model of their alphabet
    LATIN = "script/Latin"
    EXT_LATIN = "script/Latin"
    EUROPEAN = "script/Latin"
    CYRILLIC = "script/Cyrillic"
    CHE = "script/Cyrillic"
    KBD = "script/Cyrillic"
    INDIC = "script/Devanagari"
    DEVANAGARI = "script/Devanagari"
    PERSO_ARABIC = "script/Arabic"
    PERSOARABIC = "script/Arabic"
    ISLAMIC = "script/Arabic"
    BHO = "script/Devanagari"
    MAI = "script/Devanagari"
    AWA = "script/Devanagari"
    RWR = "script/Devanagari"
    MAG = "script/Devanagari"
    BGC = "script/Devanagari"
    HNE = "script/Devanagari"
    DHD = "script/Devanagari"
    KNN = "script/Devanagari"
    BJJ = "script/Devanagari"
    WTM = "script/Devanagari"
    RJB = "script/Devanagari"
    GBM = "script/Devanagari"
    LMN = "script/Devanagari"
    KFY = "script/Devanagari"
    WBR = "script/Devanagari"
    MUP = "script/Devanagari"
    MTR = "script/Devanagari"
    HAU = "script/Latin"
    GAX = "script/Latin"
    BHR = "script/Latin"
    CCX = "script/Latin"
    TUK = "script/Latin"
    SOM = "script/Latin"
    NYA = "script/Latin"
    KIN = "script/Latin"
    ZUL = "script/Latin"
    ILO = "script/Latin"
    HIL = "script/Latin"
    HMN = "script/Latin"
    SNA = "script/Latin"
    XHO = "script/Latin"
    BEW = "script/Latin"
    MIN = "script/Latin"
    SOT = "script/Latin"
    BCL = "script/Latin"
    VMW = "script/Latin"
    KNC = "script/Latin"
    TSN = "script/Latin"
    KON = "script/Latin"
    LUO = "script/Latin"
    SUK = "script/Latin"
    TSO = "script/Latin"
    BEM = "script/Latin"
    KLN = "script/Latin"
    PLM = "script/Latin"
    UMB = "script/Latin"
    NSO = "script/Latin"
    WAR = "script/Latin"
    MUI = "script/Latin"
    PAM = "script/Latin"
    PCC = "script/Latin"
    NBL = "script/Latin"
    YAO = "script/Latin"
    SAS = "script/Latin"
    SSW = "script/Latin"
    GUZ = "script/Latin"
    MER = "script/Latin"
    WAL = "script/Latin"
    DOC = "script/Latin"
    PAG = "script/Latin"
    DIQ = "script/Latin"
    MAK = "script/Latin"
    TUM = "script/Latin"
    SRR = "script/Latin"
    TOI = "script/Latin"
    MTQ = "script/Latin"
    QUC = "script/Latin"
    RUF = "script/Latin"
    # every installed language (NONE: Aspose's default of the document settings, no language chosen)
    AUTO = "auto"
    UNIVERSAL = "auto"
    MULTILANGUAGE = "auto"
    NONE = "auto"


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
_LANG_CODE = re.compile(r"^(?:script/[A-Za-z_]{2,20}|[A-Za-z_]{2,20})$")
#: Debian package suffixes of Tesseract's script models.
_SCRIPT_PACKAGES = {
    "latin": "latn", "cyrillic": "cyrl", "devanagari": "deva", "arabic": "arab", "hans": "hans",
    "hant": "hant", "japanese": "jpan", "hangul": "hang", "greek": "grek", "hebrew": "hebr",
}
#: Languages used for Language.AUTO: the installed ones, at most this many, English first.
AUTO_LANGUAGES = 4


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
        elif key.startswith("script/") and _LANG_CODE.match(p):
            parts.append("script/" + p[7:8].upper() + p[8:])
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


class DetectAreasMode(str, Enum):
    """How a page is divided into text areas before recognition (Aspose.OCR's names).

    =============================  ================================================================
    member                         what ocrprep does
    =============================  ================================================================
    NONE, LEAN                     one uniform block of text (Tesseract ``--psm 6``): simple
                                   one-column pages, fastest
    DOCUMENT, MULTICOLUMN,         Tesseract's full page layout analysis (``--psm 3``): columns,
    COMBINE                        paragraphs, pictures
    CURVED_TEXT                    curled lines straightened first (:func:`ocrprep.dewarp`), then
                                   the page layout analysis (``--psm 3``)
    PHOTO, UNIVERSAL               sparse text (``--psm 11``): every piece of text, in any place,
                                   on photos, screenshots, forms
    TEXT_IN_WILD                   sparse text (``--psm 11``) after a contrast stretch: signs and
                                   scene text
    TABLE                          the table's cells are found (:func:`ocrprep.tables.find_table`),
                                   cut out and recognised one by one; the text comes row by row,
                                   the cells of a row separated by a tab
    FORMULA                        one block (``--psm 6``); ocrprep has no formula model
    =============================  ================================================================

    ``None`` (the default of :class:`RecognitionSettings`) is Tesseract's own
    default, the same as DOCUMENT.  Strings (``"table"``) are accepted too.
    """

    NONE = "none"
    LEAN = "lean"
    DOCUMENT = "document"
    MULTICOLUMN = "multicolumn"
    COMBINE = "combine"
    CURVED_TEXT = "curved_text"
    PHOTO = "photo"
    UNIVERSAL = "universal"
    TEXT_IN_WILD = "text_in_wild"
    TABLE = "table"
    FORMULA = "formula"


_AREA_PSM = {
    DetectAreasMode.NONE: 6, DetectAreasMode.LEAN: 6, DetectAreasMode.FORMULA: 6,
    DetectAreasMode.DOCUMENT: 3, DetectAreasMode.MULTICOLUMN: 3, DetectAreasMode.COMBINE: 3,
    DetectAreasMode.CURVED_TEXT: 3, DetectAreasMode.PHOTO: 11, DetectAreasMode.UNIVERSAL: 11,
    DetectAreasMode.TEXT_IN_WILD: 11,
}


class CharactersAllowedType(str, Enum):
    """Which characters may be recognised (Tesseract's character whitelist)."""

    ALL = "all"
    LATIN_ALPHABET = "latin_alphabet"
    DIGITS = "digits"


_ALLOWED = {
    CharactersAllowedType.LATIN_ALPHABET: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    CharactersAllowedType.DIGITS: "0123456789",
}


def _enum(enum_cls, value, name: str):
    if value is None or isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        for member in enum_cls:
            if member.value == key or member.name.lower() == key:
                return member
    raise InvalidParameterError(
        f"{name} must be one of {', '.join(enum_cls.__name__ + '.' + m for m in enum_cls.__members__)}, got {value!r}"
    )


def _areas(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ParameterTypeError("recognition_areas must be a list of rectangles (x, y, width, height)")
    out = []
    for item in value:
        if hasattr(item, "x") and hasattr(item, "width"):
            item = (item.x, item.y, item.width, item.height)
        try:
            x, y, w, h = (_checks.integer(v, "recognition_areas") for v in item)
        except (TypeError, ValueError):
            raise ParameterTypeError(f"recognition_areas: each area is (x, y, width, height), got {item!r}") from None
        if w <= 0 or h <= 0 or x < 0 or y < 0:
            raise InvalidParameterError(f"recognition_areas: {item!r} must have x, y >= 0 and a positive size")
        out.append(Rectangle(x, y, w, h))
    return tuple(out)


def _unknown_attribute(cls, name: str) -> AttributeError:
    import difflib

    names = sorted(cls._attribute_names())
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; the attributes are: {', '.join(names)}"
    return AttributeError(f"{cls.__name__} has no attribute {name!r}{hint}")


@dataclass
class RecognitionSettings:
    """How pages are recognised (attributes may be set after construction).

    Assigning a name that is not an attribute raises :class:`AttributeError`
    naming the closest valid one (``settings.detect_area_mode = ...`` ->
    "did you mean 'detect_areas_mode'?"), so a typo never passes silently.

    Attributes
    ----------
    language : str or Language
        Tesseract code(s) (``"eng"``, ``"eng+deu"``) or English names (``"English"``).
    result_type : ResultType or str
        ``text``, ``json`` (lines, words, boxes, confidences) or ``hocr``;
        selects what :meth:`RecognitionResult.output` returns.  hOCR needs
        Tesseract's hOCR renderer, which is run only when asked for.
    detect_areas_mode : DetectAreasMode or str, optional
        How the page is divided into areas (see :class:`DetectAreasMode`):
        ``"document"``, ``"photo"``, ``"table"``...  Default: Tesseract's
        own layout analysis.
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
    auto_contrast : bool
        Stretch the contrast (:func:`ocrprep.contrast_stretch`) first.
    auto_denoising : bool
        Clean the page (:func:`ocrprep.auto_denoise`) first.
    lines_filtration : bool
        Paint over ruling lines (:func:`ocrprep.tables.erase_rules`) before
        recognition: text in ruled forms and tables is read much better.
    upscale_small_font : bool
        Enlarge pages whose text is small (lines under 32 pixels tall) 2x,
        or 4x for tiny print, with :func:`ocrprep.upscale` before
        recognition (never beyond 60 megapixels); boxes are reported in the
        original page's pixels.
    recognize_single_line : bool
        The image is one line of text (Tesseract page segmentation mode 7);
        overrides ``detect_areas_mode`` and ``recognition_areas``.
    recognition_areas : list of Rectangle or (x, y, width, height), optional
        Recognise only these areas, each as one block of text, in the given
        order (their text joined by blank lines).
    page_segmentation_mode : int, optional
        Tesseract ``--psm`` (0..13); overrides ``recognize_single_line`` and
        ``detect_areas_mode``.
    allowed_symbols, ignored_symbols : str, optional
        Character white / black lists (``ignored_characters`` is another
        name of ``ignored_symbols``).
    allowed_characters : CharactersAllowedType or str
        ``ALL`` (default), ``LATIN_ALPHABET`` (a-z, A-Z) or ``DIGITS``
        (0-9); ``allowed_symbols`` wins when both are set.
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
    recognize_vertical_lines, language_detection_level
        Accepted for Aspose.OCR programs; no effect (Tesseract reads
        vertical text only with its ``*_vert`` language models, and ocrprep
        does not detect languages while recognising).
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
    detect_areas_mode: DetectAreasMode | str | None = None
    allowed_characters: CharactersAllowedType | str = CharactersAllowedType.ALL
    lines_filtration: bool = False
    upscale_small_font: bool = False
    auto_contrast: bool = False
    auto_denoising: bool = False
    recognition_areas: list | None = None
    recognize_vertical_lines: bool = False
    language_detection_level: object = None

    @property
    def ignored_characters(self) -> str | None:
        """Another name of ``ignored_symbols`` (Aspose.OCR has both)."""
        return self.ignored_symbols

    @ignored_characters.setter
    def ignored_characters(self, value):
        self.ignored_symbols = value

    @classmethod
    def _attribute_names(cls) -> set:
        names = {f.name for f in fields(cls)}
        for klass in cls.__mro__:
            names.update(k for k, v in vars(klass).items() if isinstance(v, property) and v.fset is not None)
        return names

    def __setattr__(self, name, value):
        if name not in type(self)._attribute_names():
            raise _unknown_attribute(type(self), name)
        object.__setattr__(self, name, value)

    def __getattr__(self, name):  # only called for names that do not exist
        if name.startswith("__"):
            raise AttributeError(name)
        raise _unknown_attribute(type(self), name)

    def resolved(self) -> "_Resolved":
        """Validate every attribute (they may have been assigned freely) and normalise them."""
        lang = resolve_language(self.language)
        rtype = _resolve_result_type(self.result_type)
        thr = _checks.integer(self.threshold_value, "threshold_value")
        if not 0 <= thr <= 255:
            raise InvalidParameterError(f"threshold_value must be between 0 and 255 (0 = none), got {thr}")
        mode = _enum(DetectAreasMode, self.detect_areas_mode, "detect_areas_mode")
        allowed_type = _enum(CharactersAllowedType, self.allowed_characters, "allowed_characters") or CharactersAllowedType.ALL
        areas = _areas(self.recognition_areas)
        psm = self.page_segmentation_mode
        if psm is not None:
            psm = _checks.integer(psm, "page_segmentation_mode")
            if not 0 <= psm <= 13:
                raise InvalidParameterError(f"page_segmentation_mode must be between 0 and 13, got {psm}")
        elif self.recognize_single_line:
            psm = 7
        if psm is not None or self.recognize_single_line:
            mode, areas = None, ()  # a fixed segmentation: no table, no areas
        if mode is not None and mode in _AREA_PSM:
            psm = _AREA_PSM[mode]
        elif areas and psm is None:
            psm = 6  # each area is one block
        config = []
        dpi = None
        if psm is not None:
            config.append(f"--psm {psm}")
        if self.dpi is not None:
            dpi = _checks.integer(self.dpi, "dpi")
            if not 1 <= dpi <= 4800:
                raise InvalidParameterError(f"dpi must be between 1 and 4800, got {dpi}")
            config.append(f"--dpi {dpi}")
        allowed = self.allowed_symbols or _ALLOWED.get(allowed_type)
        for attr, var, chars in (("allowed_symbols", "tessedit_char_whitelist", allowed),
                                 ("ignored_symbols", "tessedit_char_blacklist", self.ignored_symbols)):
            if chars:
                if not isinstance(chars, str):
                    raise ParameterTypeError(f"{attr} must be a string, got {type(chars).__name__}")
                if any(c.isspace() or c in "\"'\\" for c in chars):
                    raise InvalidParameterError(f"{attr} cannot hold spaces, quotes or backslashes")
                if var == "tessedit_char_whitelist":
                    # the space must be allowed too, or Tesseract runs the words together
                    config.append(f'-c "{var}={chars} "')
                else:
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
            areas_mode=mode,
            areas=areas,
            lines_filtration=bool(self.lines_filtration),
            upscale=bool(self.upscale_small_font),
            contrast=bool(self.auto_contrast) or mode is DetectAreasMode.TEXT_IN_WILD,
            denoise=bool(self.auto_denoising),
            dpi=dpi,
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
    areas_mode: DetectAreasMode | None = None
    areas: tuple = ()
    lines_filtration: bool = False
    upscale: bool = False
    contrast: bool = False
    denoise: bool = False
    dpi: int | None = None


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

    @property
    def text(self) -> str:
        """The line's text (another name of :attr:`text_in_line`, as in Aspose's README)."""
        return self.text_in_line

    @property
    def rect(self) -> Rectangle:
        """The line's box (another name of :attr:`line`, as in Aspose's README)."""
        return self.line

    def to_dict(self):
        return {
            "text": self.text_in_line,
            "box": list(self.line),
            "confidence": round(self.confidence, 2),
            "words": [w.to_dict() for w in self.words],
        }


@dataclass
class RecognitionResult(ResultExportMixin, ResultSpellCheckMixin):
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
    tables : list
        With ``detect_areas_mode="table"``: each table found, as a list of
        rows, each a list of cell texts (one per column; ``""`` for an empty
        or merged-over cell).
    page_image : PageImage or None
        The page as recognised (after the filters, deskew, binarization),
        which the word boxes refer to; the searchable PDF embeds it.  A
        binary page is kept at 1 bit per pixel (1.1 MB for A4 at 300 dpi),
        a grey or colour one as its array (8.7 / 26 MB): set it to ``None``
        to free the memory of results kept for long.
    dpi : int or None
        The resolution given in the settings (``None``: unknown; documents
        then assume 300 dpi).

    Methods ``save``, ``get_xml`` (:mod:`ocrprep.export`) and
    ``get_spell_check_corrected_text``, ``get_spell_check_error_list``
    (:mod:`ocrprep.spellcheck`) come from small mixins.
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
    tables: list = field(default_factory=list)
    page_image: PageImage | None = field(default=None, repr=False, compare=False)
    dpi: int | None = None

    @property
    def text(self) -> str:
        return self.recognition_text

    @property
    def words(self) -> list[Word]:
        return [w for line in self.recognition_lines_result for w in line.words]

    @property
    def file_name(self) -> str:
        """Aspose.OCR's name of :attr:`source`."""
        return self.source

    @property
    def lines(self) -> list[LinesResult]:
        """The recognised lines (:attr:`recognition_lines_result`; each with ``text``, ``rect``
        and ``confidence``, the names the README of Aspose's examples uses)."""
        return self.recognition_lines_result

    @property
    def recognition_regions_result(self) -> list[LinesResult]:
        """Aspose.OCR's regions: each text area (:attr:`recognition_areas_rectangles`) with its
        text (:attr:`recognition_areas_text`), as a :class:`LinesResult` (confidence 0: a
        region's words keep theirs in :attr:`recognition_lines_result`)."""
        return [LinesResult(text, box, 0.0)
                for box, text in zip(self.recognition_areas_rectangles, self.recognition_areas_text)]

    def get_keywords(self):
        """Aspose.OCR's key fields of a passport (a test feature there).

        The named fields a document reader parsed (its result's ``fields``,
        e.g. a passport's ``surname``, ``document_number``... from the MRZ);
        any other result raises :class:`~ocrprep.NotSupportedError`.
        """
        keywords = self.__dict__.get("keywords") or self.__dict__.get("fields")
        if not keywords:
            from .errors import NotSupportedError

            raise NotSupportedError("get_keywords: this result has no key fields (only a passport read by "
                                    "recognize_passport has them)")
        return keywords

    @property
    def recognition_characters_list(self) -> list[list[str]]:
        """The recognised characters (spaces and line breaks excluded), each as a one-item list of candidates.

        Aspose.OCR lists alternative candidates per character; Tesseract's
        text gives only the best one.
        """
        return [[ch] for ch in self.recognition_text if not ch.isspace()]

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
            "tables": [[list(row) for row in table] for table in self.tables],
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


def _package(code: str) -> str:
    """The Debian/Ubuntu package holding Tesseract's model ``code``."""
    if code.startswith("script/"):
        name = code[7:].lower()
        return f"tesseract-ocr-script-{_SCRIPT_PACKAGES.get(name, name)}"
    return f"tesseract-ocr-{code.replace('_', '-').lower()}"


def _auto_languages(installed: list[str]) -> str:
    """Language.AUTO: the installed languages (English first, at most AUTO_LANGUAGES)."""
    usable = [c for c in installed if c not in ("osd", "equ")]
    usable.sort(key=lambda c: (c != "eng", c))
    if not usable:
        raise InvalidParameterError("Language.AUTO: no Tesseract language is installed; on Debian/Ubuntu: "
                                    "sudo apt-get install tesseract-ocr-eng")
    return "+".join(usable[:AUTO_LANGUAGES])


def _check_languages(lang: str, installed: list[str]) -> None:
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        pkgs = " ".join(_package(m) for m in missing)
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


@contextlib.contextmanager
def _tesseract_errors(timeout: float):
    """Turn pytesseract's exceptions into ocrprep's."""
    import pytesseract

    try:
        yield
    except pytesseract.TesseractNotFoundError:
        raise TesseractNotFoundError(INSTALL_HINT) from None
    except pytesseract.TesseractError as exc:
        raise OcrprepError(f"Tesseract failed (status {exc.status}): {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise OcrprepError(f"Tesseract took longer than {timeout} s") from None
        raise


def _use_cmd(cmd: str) -> None:
    import pytesseract

    if pytesseract.pytesseract.tesseract_cmd != cmd:
        pytesseract.pytesseract.tesseract_cmd = cmd


#: Tesseract refuses images with a side over this many pixels ("Image too large").
TESSERACT_MAX_SIDE = 32767

#: Rows of one band when a page taller than TESSERACT_MAX_SIDE is read in bands.
_BAND_ROWS = 30000


def _check_tesseract_size(img: np.ndarray, what: str) -> None:
    h, w = img.shape[:2]
    if w > TESSERACT_MAX_SIDE or (h > TESSERACT_MAX_SIDE and what):
        side, n = ("wide", w) if w > TESSERACT_MAX_SIDE else ("tall", h)
        raise InvalidImageError(
            f"the page is {n:,} pixels {side} and Tesseract reads at most {TESSERACT_MAX_SIDE:,} a side"
            f"{what}: scale it down (ocrprep.scale) or cut it into parts first"
        )


def _band_cuts(img: np.ndarray) -> list[int]:
    """Row cuts of a page taller than Tesseract takes: each band at most _BAND_ROWS rows,
    cut at the most blank row of its last 2 000 so that no text line is split."""
    h = img.shape[0]
    cuts, y0 = [0], 0
    while h - y0 > _BAND_ROWS:
        lo, hi = y0 + _BAND_ROWS - 2000, y0 + _BAND_ROWS
        window = img[lo:hi].astype(np.float32)
        ink = (255.0 - window).reshape(hi - lo, -1).sum(axis=1)
        y0 = lo + int(np.argmin(ink))
        cuts.append(y0)
    cuts.append(h)
    return cuts


def _run_tesseract(img: np.ndarray, opts: _Resolved, cmd: str):
    """One Tesseract run: returns (TSV data dict, hOCR text or None).

    A page taller than Tesseract takes (a long receipt, a full-page
    screenshot) is read in bands cut between text lines, its words placed
    back on the page; hOCR of such a page is refused with a clear error.
    """
    if img.shape[0] > TESSERACT_MAX_SIDE:
        _check_tesseract_size(img, " for hOCR" if opts.result_type is ResultType.HOCR else "")
        cuts = _band_cuts(img)
        merged: dict = {}
        blocks = 0
        for y0, y1 in zip(cuts[:-1], cuts[1:]):
            data, _ = _run_tesseract(np.ascontiguousarray(img[y0:y1]), opts, cmd)
            top_block = 0
            for i in range(len(data.get("level", []))):
                for key, values in data.items():
                    value = values[i]
                    if key == "top":
                        value = int(value) + y0
                    elif key == "block_num":
                        top_block = max(top_block, int(value))
                        value = int(value) + blocks
                    merged.setdefault(key, []).append(value)
            blocks += top_block
        return merged, None
    _check_tesseract_size(img, "")
    import pytesseract

    _use_cmd(cmd)
    pil = _to_pil(img)
    with _tesseract_errors(opts.timeout):
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


def _run_boxes(img: np.ndarray, opts: _Resolved, cmd: str) -> list[tuple[str, Rectangle]]:
    """Tesseract's character boxes: [(character, box with a top-left origin), ...]."""
    _check_tesseract_size(img, " for character boxes")
    import pytesseract

    _use_cmd(cmd)
    with _tesseract_errors(opts.timeout):
        data = pytesseract.image_to_boxes(
            _to_pil(img), lang=opts.language, config=opts.config, output_type=pytesseract.Output.DICT, timeout=opts.timeout
        )
    h = img.shape[0]
    out = []
    for ch, x0, y0, x1, y1 in zip(data.get("char", []), data.get("left", []), data.get("bottom", []),
                                  data.get("right", []), data.get("top", [])):
        x0, y0, x1, y1 = int(x0), int(y0), int(x1), int(y1)
        out.append((str(ch), Rectangle(x0, h - y1, x1 - x0, y1 - y0)))
    return out


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
        _set_page(result, page)
    result.dpi = opts.dpi
    return result


def _set_page(result: RecognitionResult, page: Page) -> None:
    result.source, result.page, result.page_count = page.source, page.page, page.pages
    result.image_size = (page.image.shape[1], page.image.shape[0])
    result.page_image = PageImage(page.image)


def _prepare(img: np.ndarray, opts: _Resolved, warnings: list) -> tuple[np.ndarray, float]:
    """The settings' own preprocessing: extra filters, inversion, clean-up, deskew, binarization."""
    skew = 0.0
    if len(opts.filters):
        img = opts.filters.apply(img)
    already_binary = is_binary(img)
    if opts.invert and not already_binary and is_inverted(_gray(img, None)):
        img = 255 - img
        warnings.append("light-on-dark page: inverted before recognition")
    if opts.denoise and not already_binary:
        from .denoise import auto_denoise

        img = auto_denoise(_gray(img, None))
    if opts.contrast and not already_binary:
        from .contrast import contrast_stretch

        img = _per_channel(contrast_stretch, img)  # a colour page channel by channel, as the filter does
    if opts.lines_filtration:
        from .tables import erase_rules

        img = erase_rules(img)
    if opts.areas_mode is DetectAreasMode.CURVED_TEXT:
        from .dewarp import dewarp

        img = dewarp(img)
    if opts.auto_skew:
        skew = float(detect_skew(_gray(img, None)))
        if skew:
            img = rotate(img, -skew, expand=True)
    if opts.threshold:
        img = threshold(_gray(img, None), opts.threshold)
    elif opts.binarize and not already_binary:
        img = binarize(img)
    return img, skew


#: The area modes (None: not chosen) under which a page that is a ruled table is read cell by cell.
TABLE_BY_DEFAULT = (None, DetectAreasMode.DOCUMENT, DetectAreasMode.MULTICOLUMN, DetectAreasMode.COMBINE)


def _ruled_table_page(img: np.ndarray, opts: _Resolved, warnings: list) -> "_Resolved | None":
    """The settings for reading ``img`` as a table (DetectAreasMode.TABLE) when it is a ruled
    table (:func:`ocrprep.tables.has_ruled_table`) and the settings leave the layout to the page
    analysis; else None.  Tesseract's layout analysis takes the rules of a grid for separators and
    pictures and loses whole rows and columns of it, even when it reads each cell well on its own."""
    if opts.areas or opts.areas_mode not in TABLE_BY_DEFAULT or opts.result_type is ResultType.HOCR:
        return None
    if opts.areas_mode is None and "--psm" in opts.config:  # a fixed segmentation (single line...)
        return None
    from .tables import has_ruled_table

    if not has_ruled_table(img):
        return None
    warnings.append("the page is a ruled table: its cells were read one by one (DetectAreasMode.TABLE)")
    return replace(opts, areas_mode=DetectAreasMode.TABLE)


#: Text lines shorter than this (pixels, ascender to descender) are enlarged by upscale_small_font.
UPSCALE_LINE_HEIGHT = 32
#: upscale_small_font never makes a page larger than this (pixels).
UPSCALE_MAX_PIXELS = 60_000_000


def _upscale(img: np.ndarray, opts: _Resolved) -> tuple[np.ndarray, float]:
    """upscale_small_font: enlarge a page of small text 2x or 4x (:func:`ocrprep.upscale`)
    so its lines are at least UPSCALE_LINE_HEIGHT pixels tall."""
    if not opts.upscale:
        return img, 1.0
    from .tables import text_line_height
    from .upscale import upscale

    height = text_line_height(img)
    factor = 1
    while (height and height * factor < UPSCALE_LINE_HEIGHT and factor < 4
           and img.shape[0] * img.shape[1] * 4 <= UPSCALE_MAX_PIXELS):
        img = upscale(img)
        factor *= 2
    return img, float(factor)


def _unscale(result: RecognitionResult, factor: float) -> None:
    """Report boxes found on an enlarged page in the original page's pixels."""
    if factor == 1.0:
        return

    def box(b):
        x0, y0 = int(b.x / factor), int(b.y / factor)
        return Rectangle(x0, y0, max(int(np.ceil((b.x + b.width) / factor)) - x0, 0),
                         max(int(np.ceil((b.y + b.height) / factor)) - y0, 0))

    for line in result.recognition_lines_result:
        line.line = box(line.line)
        for word in line.words:
            word.box = box(word.box)
    result.recognition_areas_rectangles = [box(b) for b in result.recognition_areas_rectangles]


# --------------------------------------------------------------------------- #
# the engine
# --------------------------------------------------------------------------- #
class OcrEngine(PageAnalysis, EngineExportMixin, EngineSpellCheckMixin, DocumentRecognitionMixin):
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
        if isinstance(source, (list, tuple)):  # several documents: one result per page, in order
            if not source:
                raise InvalidParameterError("no document to recognise: the list is empty")
            doc = OcrInput.any()
            for item in source:
                doc.add(self._source_of(item))
            return doc
        if isinstance(source, np.ndarray) or type(source).__module__.startswith("PIL."):
            doc = OcrInput(InputType.SINGLE_IMAGE)
        else:
            doc = OcrInput.any()  # kind detected from the content: image, TIFF, PDF, zip, folder, URL
        doc.add(source)
        return doc

    def _source_of(self, item):
        """One document of a list (the compat engine reads Windows-style paths here)."""
        return item

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
        if "auto" in opts.language.split("+"):
            opts = replace(opts, language=_auto_languages(installed))
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
                big, factor = _upscale(img, opts)
                table = _ruled_table_page(big, opts, warnings)
                if opts.areas_mode is DetectAreasMode.TABLE or opts.areas or table:
                    from .regions import recognize_regions

                    result, hocr = recognize_regions(big, table or opts, self.tesseract_cmd, factor), None
                else:
                    from .binarize_choice import recognize_default  # the default: binarize when it reads better

                    img, data, hocr = recognize_default(img, big, factor, opts, doc.filters,
                                                        lambda im: _run_tesseract(im, opts, self.tesseract_cmd),
                                                        warnings)
                    result = _build_result(data, None, opts)
                _unscale(result, factor)
            except TesseractNotFoundError:
                raise
            except Exception as exc:  # reported in this page's result; the other pages go on
                failed = _failed(PageError(item.source, item.page, exc, item.stem), opts)
                failed.page_count = item.pages
                return failed
            _set_page(result, page.replace(image=img))
            result.skew, result.hocr, result.dpi = skew, hocr, opts.dpi
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
        img = _array_page(img, "img")
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
    numpy array, PIL image, URL), or a list of those (one result per page,
    in order).  Keyword options are
    :class:`RecognitionSettings` attributes, e.g. ``language="eng"``,
    ``make_binarization=True``, ``result_type="json"``.
    """
    if settings is None:
        settings = RecognitionSettings(**options)
    elif options:
        raise InvalidParameterError("give either settings or keyword options, not both")
    return OcrEngine().recognize(source, settings)
