"""Page analysis around recognition: skew, text areas, characters, text search and comparison.

:class:`PageAnalysis` is a mixin of :class:`ocrprep.OcrEngine`; its methods
take what :meth:`OcrEngine.recognize` takes (an :class:`~ocrprep.OcrInput`
with its filters, or a bare path / bytes / array / URL) and return one
output object per page, in page order, with the page's ``source`` and
``page`` number.  They carry Aspose.OCR's names and arguments, so programs
written for Aspose.OCR run on them unchanged (see ``ocrprep.compat``).

A page that cannot be read is not silently dropped: its output carries the
``error`` (angle 0, no rectangles...) and an :class:`~ocrprep.OcrprepWarning`
names it, as :meth:`OcrEngine.recognize` does.
"""
from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from enum import Enum


from .errors import InvalidParameterError, NotSupportedError, ParameterTypeError
from .filters import Rectangle, _gray
from .inputs import warn_page_error
from .io import PageError

__all__ = [
    "PageAnalysis",
    "AreasType",
    "SkewOutput",
    "RectangleOutput",
    "Character",
    "CharacterRecognitionResult",
    "LanguageDetectionOutput",
    "LayoutOutput",
    "DefectAreas",
    "DefectOutput",
    "text_similarity",
]


class AreasType(str, Enum):
    """Which boxes :meth:`PageAnalysis.detect_rectangles` returns."""

    PARAGRAPHS = "paragraphs"
    LINES = "lines"
    WORDS = "words"


@dataclass
class SkewOutput:
    """The skew ``angle`` (degrees, positive = text rising to the right) of one page."""

    source: str = ""
    page: int = 1
    angle: float = 0.0
    image_index: int = 0
    error: BaseException | None = None


@dataclass
class RectangleOutput:
    """The text areas (``rectangles``) found on one page."""

    source: str = ""
    page: int = 1
    rectangles: list = field(default_factory=list)
    image_index: int = 0
    error: BaseException | None = None


@dataclass
class Character:
    """One recognised character: its ``value`` and ``coordinates`` on the page."""

    value: str
    coordinates: Rectangle


@dataclass
class CharacterRecognitionResult:
    """The characters recognised on one page."""

    source: str = ""
    page: int = 1
    characters: list = field(default_factory=list)
    image_index: int = 0
    error: BaseException | None = None


@dataclass
class LanguageDetectionOutput:
    """The installed languages that read one page best, most likely first."""

    source: str = ""
    page: int = 1
    languages: list = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class DefectAreas:
    """The areas (``rectangles``) of a page showing one kind of defect (``defect_type``)."""

    defect_type: object = None
    rectangles: list = field(default_factory=list)


@dataclass
class DefectOutput:
    """The defects found on one page: a :class:`DefectAreas` per kind found."""

    source: str = ""
    page: int = 1
    defect_areas: list = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class LayoutOutput:
    """The content areas of one page: ``paragraphs`` (Tesseract's layout) and ruled ``tables``.

    ``images``, ``headers``, ``lists``, ``captions`` and ``equations`` stay
    empty: ocrprep has no model telling those apart from paragraphs.
    """

    source: str = ""
    page: int = 1
    paragraphs: list = field(default_factory=list)
    images: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    lists: list = field(default_factory=list)
    captions: list = field(default_factory=list)
    equations: list = field(default_factory=list)
    error: BaseException | None = None


_WORD = re.compile(r"\w+", re.UNICODE)


def _normalise(text: str, ignore_case: bool) -> str:
    text = " ".join(text.split())
    return text.casefold() if ignore_case else text


def text_similarity(a: str, b: str, ignore_case: bool = True) -> float:
    """How similar two texts are, from 0 (nothing in common) to 1 (the same words in the same order).

    The ratio of :class:`difflib.SequenceMatcher` over the two texts' words
    (punctuation and spacing ignored): ``2 * matching words / total words``.

    Examples
    --------
    >>> from ocrprep.analysis import text_similarity
    >>> text_similarity("The quick brown fox", "the quick, brown fox!")
    1.0
    >>> text_similarity("The quick brown fox", "the quick brown fox", ignore_case=False)
    0.75
    >>> text_similarity("alpha beta", "gamma delta")
    0.0
    """
    if not isinstance(a, str) or not isinstance(b, str):
        raise ParameterTypeError("text_similarity compares two strings")
    wa = _WORD.findall(a.casefold() if ignore_case else a)
    wb = _WORD.findall(b.casefold() if ignore_case else b)
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _settings_with(settings, **changes):
    """A copy of ``settings`` (or of the defaults) with some attributes changed."""
    from .ocr import RecognitionSettings

    if settings is None:
        settings = RecognitionSettings()
    elif not isinstance(settings, RecognitionSettings):
        raise ParameterTypeError(f"settings must be a RecognitionSettings, got {type(settings).__name__}")
    out = copy.copy(settings)
    for k, v in changes.items():
        setattr(out, k, v)
    return out


class PageAnalysis:
    """Aspose.OCR's analysis methods of :class:`ocrprep.OcrEngine` (a mixin)."""

    # ---- pages -------------------------------------------------------------
    def _pages(self, images, what: str):
        """(page or PageError) of an input, filters applied, failures warned about."""
        doc = self._as_input(images)
        for item in doc.pages("yield"):
            if isinstance(item, PageError):
                warn_page_error(item.source, item.page, item.error, what, stacklevel=4)
            yield item

    # ---- skew --------------------------------------------------------------
    def calculate_skew(self, images) -> list[SkewOutput]:
        """The skew angle of every page, after the input's filters.

        Measured by :func:`ocrprep.detect_skew` (projection profiles of the
        text baselines, within +-15 degrees; typically within 0.05 degree).
        The angle is positive when the text lines rise to the right
        (counter-clockwise); ``PreprocessingFilter.rotate(-angle)``
        straightens the page.

        Parameters
        ----------
        images : OcrInput, or a path / bytes / ndarray / PIL image / URL

        Returns
        -------
        list of SkewOutput
            One per page (``angle``, ``source``, ``page``).

        Examples
        --------
        >>> import numpy as np, ocrprep
        >>> page = np.full((300, 400), 255, np.uint8)
        >>> for y in range(40, 260, 20):
        ...     page[y - 6:y, 30:370:9] = 0
        >>> out = ocrprep.OcrEngine().calculate_skew(ocrprep.rotate(page, 3.0))
        >>> round(out[0].angle, 1), out[0].page
        (3.0, 1)
        """
        from .skew import detect_skew

        out = []
        for item in self._pages(images, "skew not measured"):
            if isinstance(item, PageError):
                out.append(SkewOutput(item.source, item.page or 1, 0.0, error=item.error))
                continue
            out.append(SkewOutput(item.source, item.page, float(detect_skew(_gray(item.image, None)))))
        return out

    # ---- recognition variants ----------------------------------------------
    def recognize_lines(self, images, settings=None) -> list:
        """Recognise images that each hold one line of text (Tesseract ``--psm 7``).

        Faster and more accurate than page recognition for cut-out lines
        (labels, fields, captions).  ``settings`` may set the language,
        character lists...; their ``recognize_single_line`` is forced on.
        """
        return self.recognize(images, _settings_with(settings, recognize_single_line=True))

    def recognize_fast(self, images) -> list[str]:
        """The text of every page, read as one block (no layout analysis, no preprocessing).

        Returns a list of strings, one per page (``""`` for a page that
        could not be read, with a warning).
        """
        from .ocr import DetectAreasMode

        return [r.recognition_text for r in self.recognize(images, _settings_with(None, detect_areas_mode=DetectAreasMode.LEAN))]

    def recognize_characters(self, images, detect_areas_mode=None, language=None) -> list[CharacterRecognitionResult]:
        """Every recognised character with its box, page by page.

        Parameters
        ----------
        images : OcrInput, or a bare source
        detect_areas_mode : DetectAreasMode or str, optional
        language : Language or str, optional (default English)
        """
        from .ocr import _run_boxes

        changes = {"result_type": "text"}
        if detect_areas_mode is not None:
            changes["detect_areas_mode"] = detect_areas_mode
        if language is not None:
            changes["language"] = language
        opts = self.check_settings(_settings_with(None, **changes))
        out = []
        for item in self._pages(images, "characters not recognised"):
            if isinstance(item, PageError):
                out.append(CharacterRecognitionResult(item.source, item.page or 1, error=item.error))
                continue
            boxes = _run_boxes(item.image, opts, self.tesseract_cmd)
            out.append(CharacterRecognitionResult(item.source, item.page, [Character(c, b) for c, b in boxes]))
        return out

    # ---- text search and comparison ----------------------------------------
    def _text_of(self, full_path, settings, auto_skew: bool) -> str:
        if auto_skew:
            settings = _settings_with(settings, auto_skew=True)
        results = self.recognize(full_path, settings)
        for r in results:
            if r.error is not None:
                raise r.error
        return "\n".join(r.recognition_text for r in results)

    def image_has_text(self, full_path, text, settings=None, ignore_case: bool = True, auto_skew: bool = False) -> bool:
        """True when the text recognised on ``full_path`` contains ``text``.

        Spacing and line breaks are ignored (the fragment may span lines);
        ``text`` may also be a compiled regular expression, searched in the
        recognised text as is.

        Parameters
        ----------
        full_path : path, URL, bytes, ndarray or OcrInput
        text : str or re.Pattern
        settings : RecognitionSettings, optional
        ignore_case : bool
            Compare case-insensitively (default True).
        auto_skew : bool
            Straighten the page first.

        Raises
        ------
        OcrprepError
            The image cannot be read or recognised.
        """
        if isinstance(text, re.Pattern):
            return text.search(self._text_of(full_path, settings, auto_skew)) is not None
        if not isinstance(text, str):
            raise ParameterTypeError(f"text must be a string or a compiled regular expression, got {type(text).__name__}")
        needle = _normalise(text, ignore_case)
        if not needle:
            raise InvalidParameterError("image_has_text needs a non-empty text to look for")
        return needle in _normalise(self._text_of(full_path, settings, auto_skew), ignore_case)

    def image_text_diff(self, full_path1, full_path2, settings=None, ignore_case: bool = True, auto_skew: bool = False) -> float:
        """How similar the texts of two images are: 0 (different) to 1 (identical), by :func:`text_similarity`."""
        a = self._text_of(full_path1, settings, auto_skew)
        b = self._text_of(full_path2, settings, auto_skew)
        return text_similarity(a, b, bool(ignore_case))

    #: compare_image_texts says "same text" from this similarity up.
    SAME_TEXT_SIMILARITY = 0.9

    def compare_image_texts(self, full_path1, full_path2, settings=None, ignore_case: bool = True) -> bool:
        """True when two images hold the same text (:meth:`image_text_diff` >= 0.9)."""
        return self.image_text_diff(full_path1, full_path2, settings, ignore_case) >= self.SAME_TEXT_SIMILARITY

    # ---- areas ---------------------------------------------------------------
    def detect_rectangles(self, images, areas_type=AreasType.PARAGRAPHS, detect_areas: bool = True) -> list[RectangleOutput]:
        """The boxes of the text areas of every page: paragraphs, lines or words.

        From Tesseract's layout analysis (``--psm 3``; with
        ``detect_areas=False`` the page is taken as one block, ``--psm 6``).
        """
        from .ocr import DetectAreasMode

        kind = _area_kind(areas_type)
        mode = DetectAreasMode.DOCUMENT if detect_areas else DetectAreasMode.NONE
        out = []
        for r in self.iter_recognize(images, _settings_with(None, detect_areas_mode=mode)):
            if r.error is not None:
                warn_page_error(r.source, r.page, r.error, "text areas not detected", stacklevel=2)
                out.append(RectangleOutput(r.source, r.page, error=r.error))
                continue
            if kind is AreasType.PARAGRAPHS:
                boxes = list(r.recognition_areas_rectangles)
            elif kind is AreasType.LINES:
                boxes = [line.line for line in r.recognition_lines_result]
            else:
                boxes = [w.box for w in r.words]
            out.append(RectangleOutput(r.source, r.page, boxes))
        return out

    def detect_document_layout(self, images) -> list[LayoutOutput]:
        """Paragraph boxes (Tesseract's layout) and ruled table boxes (:func:`ocrprep.tables.find_tables`) per page."""
        from .tables import find_tables

        out = []
        for item in self._pages(images, "layout not detected"):
            if isinstance(item, PageError):
                out.append(LayoutOutput(item.source, item.page or 1, error=item.error))
                continue
            result = self.recognize_image(item.image)
            tables = [g.box for g in find_tables(item.image) if g.ruled_rows and g.ruled_columns]
            paragraphs = [b for b in result.recognition_areas_rectangles if not any(_inside(b, t) for t in tables)]
            out.append(LayoutOutput(item.source, item.page, paragraphs=paragraphs, tables=tables))
        return out

    def detect_languages(self, images) -> list[LanguageDetectionOutput]:
        """Rank the installed Tesseract languages by how well they read each page.

        Each page is recognised once per installed language (``osd`` and
        ``equ`` excepted); the languages are ordered by mean word confidence,
        best first.  A language not installed is never found: install the
        candidates first (``apt-get install tesseract-ocr-deu`` ...).
        """
        from .ocr import Language, _run_tesseract

        codes = [c for c in self.languages if c not in ("osd", "equ")]
        out = []
        for item in self._pages(images, "languages not detected"):
            if isinstance(item, PageError):
                out.append(LanguageDetectionOutput(item.source, item.page or 1, error=item.error))
                continue
            scores = []
            for code in codes:
                opts = self.check_settings(_settings_with(None, language=code))
                data, _ = _run_tesseract(item.image, opts, self.tesseract_cmd)
                conf = [float(c) for c, t in zip(data["conf"], data["text"]) if str(t).strip() and float(c) >= 0]
                scores.append((sum(conf) / len(conf) if conf else 0.0, code))
            scores.sort(key=lambda s: -s[0])
            ranked = []
            for _score, code in scores:
                try:
                    ranked.append(Language(code))
                except ValueError:
                    ranked.append(code)
            out.append(LanguageDetectionOutput(item.source, item.page, ranked))
        return out

    # ---- what ocrprep cannot do -----------------------------------------------
    def detect_defects(self, images, defect_type=None) -> list[DefectOutput]:
        """Areas of every page with noise, low contrast, glare, or a blurred page (:func:`ocrprep.defects.find_defects`).

        Classical measures, not Aspose's neural model: they point at the
        areas to clean (``auto_denoising()``, ``contrast_correction()``),
        see :mod:`ocrprep.defects` for what each one measures.

        Parameters
        ----------
        images : OcrInput, or a bare source
        defect_type : DefectType or str, optional
            One kind, or all of them (default).

        Returns
        -------
        list of DefectOutput
            One per page; ``defect_areas`` lists each kind found with its
            rectangles (kinds not found are left out).
        """
        from .defects import DefectType, _defect_type, find_defects

        kind = DefectType.ALL if defect_type is None else _defect_type(defect_type)
        out = []
        for item in self._pages(images, "defects not detected"):
            if isinstance(item, PageError):
                out.append(DefectOutput(item.source, item.page or 1, error=item.error))
                continue
            found = find_defects(item.image, kind)
            areas = [DefectAreas(t, rects) for t, rects in sorted(found.items()) if rects]
            out.append(DefectOutput(item.source, item.page, areas))
        return out

    def recognize_formula(self, images, detect_areas: bool = True):
        """Not available: Tesseract has no model for mathematical formulas.

        Raises
        ------
        NotSupportedError
            Always.
        """
        raise NotSupportedError(
            "recognize_formula is not available in ocrprep: Tesseract has no model for mathematical "
            "formulas (LaTeX output); use a formula OCR tool such as pix2tex for those areas"
        )


def _area_kind(value) -> AreasType:
    if isinstance(value, AreasType):
        return value
    key = getattr(value, "name", value)
    if isinstance(key, str):
        key = key.strip().upper()
        if key in AreasType.__members__:
            return AreasType[key]
    raise InvalidParameterError(f"areas_type must be AreasType.PARAGRAPHS, LINES or WORDS, got {value!r}")


def _inside(box: Rectangle, outer: Rectangle) -> bool:
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    return outer.x <= cx < outer.x + outer.width and outer.y <= cy < outer.y + outer.height
