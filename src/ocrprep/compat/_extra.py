"""The rest of Aspose.OCR's names: logging, resources, tables, ONNX options.

Each either drives the ocrprep equivalent (``Logging`` configures the
``ocrprep`` logger, ``Resources`` points Tesseract at its language data) or
exists so programs load, with the reason it has no effect in its docstring
(see ``docs/aspose_status.md``).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from enum import IntEnum

from ..errors import NotSupportedError

__all__ = [
    "LoggingLevel", "Logging", "Resources",
    "OCRTable", "OCRTableRow", "OCRTableCell", "OCRTablePage", "RegionTypes", "RegionResult",
    "ContentArea", "FontLineResult", "DocType", "DocTypeOutput", "LanguageDetectionLevel",
    "ExecutionModeOnnx", "GraphOptimizationLevelOnnx", "OnnxRuntimeSessionOptions", "OcrPreset", "ImageData",
]


class LoggingLevel(IntEnum):
    DEBUG = 0
    WARNING = 1
    ERROR = 2
    NONE = 3


_LEVELS = {LoggingLevel.DEBUG: logging.DEBUG, LoggingLevel.WARNING: logging.WARNING,
           LoggingLevel.ERROR: logging.ERROR, LoggingLevel.NONE: logging.CRITICAL + 10}


class Logging:
    """Aspose's log configuration, applied to Python's ``ocrprep`` logger.

    Set ``logging_level`` (a :class:`LoggingLevel`), ``console`` (log to
    stderr), ``file_system`` (log to ``log_file_path``, default
    ``Aspose.OCR.log.txt``).  Class-level attributes, as in Aspose.
    """

    _level = LoggingLevel.NONE
    _console = False
    _file = False
    _path = "Aspose.OCR.log.txt"
    _handlers: list = []

    @classmethod
    def _apply(cls) -> None:
        logger = logging.getLogger("ocrprep")
        for h in cls._handlers:
            logger.removeHandler(h)
            h.close()
        cls._handlers = []
        logger.setLevel(_LEVELS[cls._level])
        if cls._level is LoggingLevel.NONE:
            return
        if cls._console:
            cls._handlers.append(logging.StreamHandler())
        if cls._file:
            cls._handlers.append(logging.FileHandler(cls._path, encoding="utf-8"))
        for h in cls._handlers:
            h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            logger.addHandler(h)


def _class_property(attr, convert):
    def getter(cls):
        return getattr(cls, attr)

    def setter(cls, value):
        setattr(cls, attr, convert(value))
        cls._apply()

    return getter, setter


class _LoggingMeta(type):
    logging_level = property(*_class_property("_level", lambda v: LoggingLevel(int(v))))
    console = property(*_class_property("_console", bool))
    file_system = property(*_class_property("_file", bool))
    log_file_path = property(*_class_property("_path", os.fspath))


Logging = _LoggingMeta("Logging", (Logging,), {"__doc__": Logging.__doc__})


class Resources:
    """Aspose's downloadable models; in ocrprep, Tesseract's language data.

    ``set_local_path(path)`` makes Tesseract read its ``*.traineddata`` from
    ``path`` (``TESSDATA_PREFIX``); ``list_local()`` lists the installed
    languages.  Nothing is downloaded: install languages with the system's
    packages (``apt-get install tesseract-ocr-deu``), so the fetching
    methods raise :class:`~ocrprep.NotSupportedError`.
    """

    _repository = "https://github.com/tesseract-ocr/tessdata_fast"

    @staticmethod
    def set_local_path(path, create: bool = True) -> None:
        path = os.fspath(path)
        if create:
            os.makedirs(path, exist_ok=True)
        if os.path.isdir(path):
            os.environ["TESSDATA_PREFIX"] = os.path.abspath(path)
            from .. import ocr

            ocr._tess_checked.clear()  # the installed languages are those of the new folder

    @staticmethod
    def get_local_path() -> str:
        return os.environ.get("TESSDATA_PREFIX", "")

    @classmethod
    def set_repository(cls, url) -> None:
        cls._repository = str(url)

    @classmethod
    def get_repository(cls) -> str:
        return cls._repository

    @staticmethod
    def list_local() -> list[str]:
        from ..ocr import OcrEngine

        return OcrEngine().languages

    @staticmethod
    def allow_automatic_downloads(allow: bool) -> None:
        """Accepted: ocrprep never downloads models."""

    @staticmethod
    def release_memory() -> None:
        """Accepted: Tesseract runs in its own processes, which free their memory when done."""

    @staticmethod
    def _no_download(*args, **kwargs):
        raise NotSupportedError("ocrprep downloads no models: install Tesseract languages with the system's "
                                "packages (e.g. apt-get install tesseract-ocr-deu)")

    list_remote = fetch_resources = fetch_resource = fetch_all = remove_local = _no_download


@dataclass
class OCRTableCell:
    """A cell of a table read with ``detect_areas_mode=TABLE`` (see :func:`tables_of`)."""

    column_index: int = 0
    text: str = ""


@dataclass
class OCRTableRow:
    row_index: int = 0
    cells: list = field(default_factory=list)


@dataclass
class OCRTable:
    table_index: int = 0
    rows: list = field(default_factory=list)


@dataclass
class OCRTablePage:
    source: str = ""
    page: int = 1
    tables: list = field(default_factory=list)


def tables_of(result) -> OCRTablePage:
    """The tables of a :class:`~ocrprep.RecognitionResult` (``result.tables``) as Aspose's table objects."""
    tables = []
    for t, rows in enumerate(result.tables):
        tables.append(OCRTable(t, [OCRTableRow(r, [OCRTableCell(c, text) for c, text in enumerate(row)])
                                   for r, row in enumerate(rows)]))
    return OCRTablePage(result.source, result.page, tables)


class RegionTypes(IntEnum):
    PARAGRAPH = 0
    IMAGE = 1
    HEADER = 2
    TABLE = 3
    LIST = 4
    CAPTION = 5
    EQUATION = 6
    LINE = 7


@dataclass
class RegionResult:
    text_in_region: str = ""
    region: object = None
    region_type: RegionTypes = RegionTypes.PARAGRAPH


@dataclass
class ContentArea:
    area: object = None
    type: RegionTypes = RegionTypes.PARAGRAPH


@dataclass
class FontLineResult:
    """Font information per line: ocrprep does not measure fonts (Tesseract's LSTM reports none)."""

    text_in_line: str = ""
    line: object = None
    font_name: str = ""
    font_size: float = 0.0


class DocType(IntEnum):
    """Aspose's document classes; ocrprep has no document classifier."""

    UNKNOWN = 0


@dataclass
class DocTypeOutput:
    source: str = ""
    page: int = 1
    doc_type: DocType = DocType.UNKNOWN


class LanguageDetectionLevel(IntEnum):
    """Accepted by ``RecognitionSettings.language_detection_level``; no effect."""

    NONE = 0
    BY_PAGE = 1
    BY_LINE = 2


class ExecutionModeOnnx(IntEnum):
    """ONNX runtime options: not applicable (ocrprep runs Tesseract, not ONNX models)."""

    SEQUENTIAL = 0
    PARALLEL = 1


class GraphOptimizationLevelOnnx(IntEnum):
    """ONNX runtime options: not applicable (ocrprep runs Tesseract, not ONNX models)."""

    ORT_DISABLE_ALL = 0
    ORT_ENABLE_BASIC = 1
    ORT_ENABLE_EXTENDED = 2
    ORT_ENABLE_ALL = 99


class OnnxRuntimeSessionOptions:
    """ONNX runtime options: every attribute is accepted and has no effect."""

    def __init__(self, **options):
        self.__dict__.update(options)


class OcrPreset(IntEnum):
    """Preset names for ``AsposeOcrPresets``; the preset's ``settings`` are what ocrprep uses."""

    DEFAULT = 0


@dataclass
class ImageData:
    """Information about an input image (what ``OcrInput.add`` was given)."""

    source: str = ""
    type: int = 0
    width: int = 0
    height: int = 0
    filters: object = None
    stream: object = None
