"""Settings of the document recognisers, with Aspose.OCR's class and attribute names.

``PassportRecognitionSettings``, ``IDCardRecognitionSettings``,
``CarPlateRecognitionSettings``, ``ReceiptRecognitionSettings`` and
``InvoiceRecognitionSettings`` take the attributes Aspose.OCR for Python
via .NET documents for them.  Assigning an attribute they do not have
raises :class:`AttributeError` naming the closest one, so a typo never
passes silently.
"""
from __future__ import annotations

import difflib
from enum import Enum

from .. import _checks
from ..errors import InvalidParameterError, ParameterTypeError

__all__ = [
    "Country",
    "DocumentRecognitionSettings",
    "PassportRecognitionSettings",
    "IDCardRecognitionSettings",
    "CarPlateRecognitionSettings",
    "ReceiptRecognitionSettings",
    "InvoiceRecognitionSettings",
]


class Country(Enum):
    """Aspose's ``Country``: whose passport layout to extract key details for.

    ocrprep reads the key details from the machine-readable zone, which
    ICAO 9303 makes the same for every country, so every value behaves
    alike; the values are accepted for compatibility.
    """

    NONE = 0
    USA = 1
    MADAGASCAR = 2


# Aspose language names that are scripts or "any", not one Tesseract language:
# Latin-script documents are read with English data (installed everywhere).
_SCRIPT_NAMES = {"NONE", "LATIN", "EXT_LATIN", "MULTILANGUAGE", "AUTO"}


def tesseract_language(value) -> str:
    """Tesseract code(s) for a settings ``language`` value (None and Latin-script names: ``eng``)."""
    from ..ocr import resolve_language

    if value is None:
        return "eng"
    name = getattr(value, "name", None)
    if isinstance(name, str) and name.upper() in _SCRIPT_NAMES:
        return "eng"
    if isinstance(value, str) and value.strip().upper() in _SCRIPT_NAMES:
        return "eng"
    return resolve_language(value)


def allowed_from(value) -> str | None:
    """The whitelist an ``allowed_characters`` value stands for (a string, or an enum member whose
    name says digits / Latin letters / all)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    name = str(getattr(value, "name", value)).upper()
    if "DIGIT" in name:
        return "0123456789"
    if "LATIN" in name or "LETTER" in name:
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    if name in ("ALL", "NONE", "DEFAULT"):
        return None
    raise InvalidParameterError(f"allowed_characters must be a string or a characters-type member, got {value!r}")


class DocumentRecognitionSettings:
    """What the document recognisers share (Aspose's base recognition settings).

    Attributes
    ----------
    language : Language or str
        Recognition language (default English); Aspose's script names
        (``LATIN``, ``NONE``) read Latin script with English data.
    threads_count : int
        Pages recognised in parallel; 0 (default) = one per core.
    allowed_symbols, ignored_symbols : str, optional
        Character white / black list for the recognised text (not for the
        MRZ, which has its own alphabet).
    allowed_characters : str or enum member, optional
        Aspose's other spelling of a whitelist (a string, or a member whose
        name says digits or Latin letters).
    automatic_color_inversion : bool
        Read light text on a dark background too (default True).
    upscale_small_font : bool
        Scale small text up before recognition (default False).
    auto_skew : bool
        Straighten skewed pages first (default True).
    recognize_vertical_lines : bool
        Accepted; Tesseract finds vertical lines on its own in its automatic
        page segmentation, so it changes nothing.
    retain_image_for_export : bool
        Accepted; results do not keep the page image.
    preprocessing_filters : PreprocessingFilter, optional
        Extra filters run on each page first.
    """

    _DEFAULTS = {
        "language": None,
        "threads_count": 0,
        "allowed_symbols": None,
        "ignored_symbols": None,
        "allowed_characters": None,
        "automatic_color_inversion": True,
        "upscale_small_font": False,
        "auto_skew": True,
        "recognize_vertical_lines": False,
        "retain_image_for_export": False,
        "preprocessing_filters": None,
    }

    def __init__(self, language=None, **attributes):
        for name, value in self._all_defaults().items():
            object.__setattr__(self, name, value)
        if language is not None:
            self.language = language
        for name, value in attributes.items():
            setattr(self, name, value)

    @classmethod
    def _all_defaults(cls) -> dict:
        out: dict = {}
        for klass in reversed(cls.__mro__):
            out.update(getattr(klass, "_DEFAULTS", {}) if "_DEFAULTS" in vars(klass) else {})
        return out

    def __setattr__(self, name, value):
        known = self._all_defaults()
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; it has {', '.join(sorted(known))}"
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}{hint}")
        object.__setattr__(self, name, value)

    def __repr__(self):
        changed = {k: getattr(self, k) for k, v in self._all_defaults().items() if getattr(self, k) != v}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    # --- what the recognisers use -------------------------------------------------
    def resolved_language(self) -> str:
        return tesseract_language(self.language)

    def whitelist(self) -> str | None:
        if self.allowed_symbols:
            if not isinstance(self.allowed_symbols, str):
                raise ParameterTypeError(f"allowed_symbols must be a string, got {type(self.allowed_symbols).__name__}")
            return self.allowed_symbols
        return allowed_from(self.allowed_characters)

    def threads(self) -> int:
        from .._parallel import cpu_count

        n = _checks.integer(self.threads_count or 0, "threads_count")
        if n < 0:
            raise InvalidParameterError(f"threads_count must be >= 0 (0 = one per core), got {n}")
        return n or cpu_count()

    def text_settings(self, psm: int, **extra):
        """A native :class:`~ocrprep.RecognitionSettings` for one Tesseract pass of a recogniser."""
        from ..ocr import RecognitionSettings

        whitelist = self.whitelist()
        if whitelist is not None:
            whitelist = "".join(c for c in whitelist if not c.isspace() and c not in "\"'\\")
        blacklist = self.ignored_symbols
        if blacklist is not None:
            if not isinstance(blacklist, str):
                raise ParameterTypeError(f"ignored_symbols must be a string, got {type(blacklist).__name__}")
            blacklist = "".join(c for c in blacklist if not c.isspace() and c not in "\"'\\") or None
        options = dict(
            language=self.resolved_language(),
            page_segmentation_mode=psm,
            allowed_symbols=whitelist or None,
            ignored_symbols=blacklist,
            automatic_color_inversion=bool(self.automatic_color_inversion),
            threads_count=1,
        )
        options.update(extra)
        return RecognitionSettings(**options)


class PassportRecognitionSettings(DocumentRecognitionSettings):
    """Settings of :meth:`~ocrprep.OcrEngine.recognize_passport` (Aspose's ``PassportRecognitionSettings``).

    ``country`` (:class:`Country`) is accepted; the key details always come
    from the machine-readable zone, whatever the country.

    Examples
    --------
    >>> from ocrprep.documents import PassportRecognitionSettings
    >>> s = PassportRecognitionSettings()
    >>> s.threads_count = 1
    >>> s.treads_count = 1
    Traceback (most recent call last):
    ...
    AttributeError: PassportRecognitionSettings has no attribute 'treads_count'; did you mean 'threads_count'?
    """

    _DEFAULTS = {"country": Country.NONE}


class IDCardRecognitionSettings(DocumentRecognitionSettings):
    """Settings of :meth:`~ocrprep.OcrEngine.recognize_id_card` (Aspose's ``IDCardRecognitionSettings``)."""

    _DEFAULTS: dict = {}


class CarPlateRecognitionSettings(DocumentRecognitionSettings):
    """Settings of :meth:`~ocrprep.OcrEngine.recognize_car_plate` (Aspose's ``CarPlateRecognitionSettings``).

    Plates are read with the whitelist ``A-Z``, ``0-9`` and ``-`` unless
    ``allowed_symbols`` says otherwise.
    """

    _DEFAULTS: dict = {}


class ReceiptRecognitionSettings(DocumentRecognitionSettings):
    """Settings of :meth:`~ocrprep.OcrEngine.recognize_receipt` (Aspose's ``ReceiptRecognitionSettings``)."""

    _DEFAULTS: dict = {}


class InvoiceRecognitionSettings(DocumentRecognitionSettings):
    """Settings of :meth:`~ocrprep.OcrEngine.recognize_invoice` (Aspose's ``InvoiceRecognitionSettings``)."""

    _DEFAULTS: dict = {}
