"""Aspose.OCR's recognition settings classes over :class:`ocrprep.RecognitionSettings`.

Every attribute Aspose documents is a real attribute of the native
settings (see its docstring for what each does with Tesseract); the classes
here only add Aspose's constructor arguments.  Assigning a name that is not
an attribute raises ``AttributeError`` naming the closest valid one.
"""
from __future__ import annotations

from ..ocr import RecognitionSettings as _Native
from . import _pending

__all__ = ["BaseRecognitionSettings", "RecognitionSettings", "DocumentRecognitionSettings"] + _pending.available(
    ["PassportRecognitionSettings", "CarPlateRecognitionSettings", "IDCardRecognitionSettings",
     "ReceiptRecognitionSettings", "InvoiceRecognitionSettings"]
)

#: Aspose's base class of every settings class.
BaseRecognitionSettings = _Native


class RecognitionSettings(_Native):
    """Aspose.OCR's ``RecognitionSettings``.

    ``RecognitionSettings()``, ``RecognitionSettings(language, recognition_areas,
    recognize_single_line)`` or (older releases) ``RecognitionSettings(auto_skew)``;
    keyword arguments are any attribute of :class:`ocrprep.RecognitionSettings`.
    """

    def __init__(self, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], bool):
            kwargs.setdefault("auto_skew", args[0])
        else:
            if len(args) > 3:
                raise TypeError("RecognitionSettings(language, recognition_areas, recognize_single_line) takes at most 3 arguments")
            for name, value in zip(("language", "recognition_areas", "recognize_single_line"), args):
                if name in kwargs:
                    raise TypeError(f"RecognitionSettings() got {name} twice")
                kwargs[name] = value
        if kwargs.get("language", "eng") is None:
            kwargs["language"] = "eng"
        super().__init__(**kwargs)


class DocumentRecognitionSettings(RecognitionSettings):
    """Aspose.OCR's settings for PDF documents: ``start_page`` (0-based) and ``pages_number``.

    ``DocumentRecognitionSettings(start_page, pages_number[, language,
    detect_areas, auto_skew, threshold])``.  :class:`ocrprep.compat.AsposeOcr`
    reads only those pages of every document of the input.
    """

    def __init__(self, start_page: int = 0, pages_number: int | None = None, language=None,
                 detect_areas=None, auto_skew=None, threshold=None, **kwargs):
        if language is not None:
            kwargs["language"] = language
        if auto_skew is not None:
            kwargs["auto_skew"] = bool(auto_skew)
        if threshold is not None:
            kwargs["threshold_value"] = threshold
        if detect_areas is False:
            kwargs.setdefault("detect_areas_mode", "none")
        super().__init__(**kwargs)
        object.__setattr__(self, "start_page", start_page)
        object.__setattr__(self, "pages_number", pages_number)

    @classmethod
    def _attribute_names(cls) -> set:
        return super()._attribute_names() | {"start_page", "pages_number"}


def __getattr__(name):
    if name in _pending.PENDING:
        return _pending.lookup(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
