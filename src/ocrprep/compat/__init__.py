"""Aspose.OCR for Python via .NET's API over ocrprep: change the import, keep the program.

``import aspose.ocr as ocr`` -> ``import ocrprep.compat as ocr``, or
``from aspose.ocr import *`` -> ``from ocrprep.compat import *``.  The module
tree mirrors Aspose's (``ocr.models.preprocessingfilters.PreprocessingFilter``,
``ocr.spellchecker``, ``ocr.filters``, ``ocr.license.License``,
``ocr.recognitionsettings``, ``ocr.ai``) and each Aspose name is the ocrprep
object that does the work, or a thin adapter over it (Aspose's
constructor overloads, return types, Windows paths).  No algorithm lives
here.  ``docs/aspose_status.md`` lists every Aspose name with what it does
in ocrprep.
"""
from __future__ import annotations

from ..errors import NotSupportedError  # noqa: F401  (re-exported for programs that catch it)
from ..analysis import (
    AreasType,
    Character,
    CharacterRecognitionResult,
    DefectAreas,
    DefectOutput,
    LanguageDetectionOutput,
    LayoutOutput,
    RectangleOutput,
    SkewOutput,
)
from ..filters import Filter, Rectangle
from ..defects import DefectType
from ..inputs import InputType
from ..ocr import (
    CharactersAllowedType,
    DetectAreasMode,
    Language,
    LinesResult,
    RecognitionResult,
    ResultType,
)
from ..ocr import OcrEngine  # noqa: F401
from . import _pending, ai, filters, license, models, recognitionsettings, spellchecker  # noqa: F401
from ._engine import AsposeOcr, AsposeOcrPresets, OcrOutput
from ._extra import (
    ContentArea,
    DocType,
    DocTypeOutput,
    ExecutionModeOnnx,
    FontLineResult,
    GraphOptimizationLevelOnnx,
    ImageData,
    LanguageDetectionLevel,
    Logging,
    LoggingLevel,
    OCRTable,
    OCRTableCell,
    OCRTablePage,
    OCRTableRow,
    OcrPreset,
    OnnxRuntimeSessionOptions,
    RegionResult,
    RegionTypes,
    Resources,
    tables_of,
)
from ._inputs import ImageProcessing, OcrInput, PixelType
from .filters import InterpolationFilterType
from .license import License, Metered
from .models.preprocessingfilters import PreprocessingFilter
from .recognitionsettings import BaseRecognitionSettings, DocumentRecognitionSettings, RecognitionSettings

__all__ = [
    "AsposeOcr", "AsposeOcrPresets", "OcrOutput", "OcrEngine", "OcrInput", "InputType", "ImageProcessing",
    "PreprocessingFilter", "Filter", "Rectangle", "RecognitionSettings", "BaseRecognitionSettings",
    "DocumentRecognitionSettings", "RecognitionResult", "LinesResult", "ResultType", "Language",
    "DetectAreasMode", "CharactersAllowedType", "AreasType", "SkewOutput", "RectangleOutput", "Character",
    "CharacterRecognitionResult", "LanguageDetectionOutput", "LayoutOutput", "PixelType", "License",
    "Metered", "Logging", "LoggingLevel", "Resources", "DefectType", "DefectAreas", "DefectOutput",
    "OCRTable", "OCRTableRow", "OCRTableCell", "OCRTablePage", "RegionTypes", "RegionResult", "ContentArea",
    "FontLineResult", "DocType", "DocTypeOutput", "LanguageDetectionLevel", "ExecutionModeOnnx",
    "GraphOptimizationLevelOnnx", "OnnxRuntimeSessionOptions", "OcrPreset", "ImageData",
    "InterpolationFilterType", "NotSupportedError", "tables_of",
    "models", "spellchecker", "filters", "license", "recognitionsettings", "ai",
] + _pending.available(sorted(_pending.PENDING))


def __getattr__(name):
    if name in _pending.PENDING:
        return _pending.lookup(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
