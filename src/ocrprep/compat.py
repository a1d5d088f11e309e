"""Aspose.OCR-style names for ocrprep's classes, so existing code runs unchanged.

Replace ``from aspose.ocr import *`` by ``from ocrprep.compat import *``;
everything here is an alias of a native ocrprep object, nothing more.
"""
from .filters import Filter, PreprocessingFilter, Rectangle
from .inputs import InputType, OcrInput
from .ocr import (
    Language,
    LinesResult,
    OcrEngine,
    RecognitionResult,
    RecognitionSettings,
    ResultType,
)
from .processing import ImageProcessing
from .export import SaveFormat
from .spellcheck import SpellCheckError, SpellCheckLanguage, SuggestedWord
from . import spellcheck as spellchecker  # Aspose's aspose.ocr.spellchecker module

#: Aspose.OCR's engine class.
AsposeOcr = OcrEngine

__all__ = [
    "AsposeOcr",
    "OcrEngine",
    "PreprocessingFilter",
    "Filter",
    "Rectangle",
    "OcrInput",
    "InputType",
    "ImageProcessing",
    "RecognitionSettings",
    "RecognitionResult",
    "LinesResult",
    "ResultType",
    "Language",
    "SaveFormat",
    "SpellCheckLanguage",
    "SpellCheckError",
    "SuggestedWord",
    "spellchecker",
]
