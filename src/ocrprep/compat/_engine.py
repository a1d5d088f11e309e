"""Aspose.OCR's ``AsposeOcr`` over :class:`ocrprep.OcrEngine`."""
from __future__ import annotations

import copy
import logging

from ..errors import NotSupportedError
from ..inputs import OcrInput as _NativeInput
from ..ocr import OcrEngine
from ._inputs import OcrInput, native_path

__all__ = ["AsposeOcr", "AsposeOcrPresets", "OcrOutput"]

_log = logging.getLogger("ocrprep.compat")

#: Aspose methods implemented by parts of ocrprep that may be missing from a build.
_PENDING_METHODS = {
    "save_multipage_document": "result export (ocrprep.export)",
    "correct_spelling": "spell checking (ocrprep.spellcheck)",
    "recognize_passport": "document recognizers (ocrprep.documents)",
    "recognize_car_plate": "document recognizers (ocrprep.documents)",
    "recognize_id_card": "document recognizers (ocrprep.documents)",
    "recognize_receipt": "document recognizers (ocrprep.documents)",
    "recognize_invoice": "document recognizers (ocrprep.documents)",
    "recognize_handwritten_text": "document recognizers (ocrprep.documents)",
    "recognize_street_photo": "document recognizers (ocrprep.documents)",
}


class OcrOutput(list):
    """What ``AsposeOcr.recognize`` returns: the list of page results, with Aspose's saving methods.

    ``save(path, save_format)`` / ``save_pdf(path)`` write every page into one
    document through :mod:`ocrprep.export`; ``add_range(results)`` appends.
    """

    def add_range(self, collection) -> None:
        self.extend(collection)

    def get_table_data(self) -> list:
        """The tables read on every page (``OCRTablePage`` objects, one per page, see
        :func:`~ocrprep.compat.tables_of`): a page read as a table - with
        ``DetectAreasMode.TABLE``, or a ruled table found by default - has its rows and cells."""
        from ._extra import tables_of

        return [tables_of(result) for result in self]

    def save(self, full_file_name, save_format=None, embedded_font_path=None, optimize_pdf=None):
        try:
            from .. import export
            from ..export import PdfOptimizationMode
        except ImportError:
            raise NotSupportedError("OcrOutput.save is not available in this build of ocrprep: it belongs to "
                                    "result export (ocrprep.export), which is not installed") from None
        # save(path, format, optimize_pdf) as well as save(path, format, embedded_font_path, optimize_pdf);
        # embedded_font_path is accepted: ocrprep's PDFs carry their own glyphless text-layer font
        if isinstance(embedded_font_path, PdfOptimizationMode):
            embedded_font_path, optimize_pdf = None, embedded_font_path
        return export.save(list(self), full_file_name, save_format, optimize_pdf=optimize_pdf)

    def save_pdf(self, full_file_name, embedded_font_path=None, optimize_pdf=None):
        return self.save(full_file_name, "pdf", embedded_font_path, optimize_pdf)


class AsposeOcrPresets:
    """A named preset: its ``settings`` are used by ``AsposeOcr.recognize(images, preset)``."""

    def __init__(self, preset=None, settings=None):
        self.preset = preset
        self.settings = settings


class AsposeOcr(OcrEngine):
    """Aspose.OCR's main class: :class:`ocrprep.OcrEngine` with Aspose's calling conventions.

    * ``recognize(images, settings)`` also takes an :class:`AsposeOcrPresets`
      and honours ``DocumentRecognitionSettings.start_page / pages_number``;
    * ``AsposeOcr(alphabet)`` (older releases) restricts every recognition
      to the characters of ``alphabet`` unless the settings say otherwise;
    * paths written for Windows (``"Data\\\\OCR\\\\a.png"``) are found;
    * ``set_debug_mode`` / ``set_debug_mode_save_directory`` are accepted
      (logged; ocrprep writes no debug images).
    """

    def __init__(self, alphabet: str | None = None, *, tesseract_cmd: str | None = None):
        super().__init__(tesseract_cmd)
        self._alphabet = alphabet
        self._debug = False
        self._debug_dir = None

    @property
    def set_debug_mode(self) -> bool:
        return self._debug

    @set_debug_mode.setter
    def set_debug_mode(self, value) -> None:
        self._debug = bool(value)
        if self._debug:
            _log.info("set_debug_mode: accepted; ocrprep saves no intermediate images "
                      "(use ImageProcessing.save to look at the preprocessed pages)")

    @property
    def set_debug_mode_save_directory(self):
        return self._debug_dir

    @set_debug_mode_save_directory.setter
    def set_debug_mode_save_directory(self, value) -> None:
        self._debug_dir = value

    def _as_input(self, source):
        if isinstance(source, _NativeInput):
            return source
        return super()._as_input(native_path(source))

    def _source_of(self, item):
        return native_path(item)

    def check_settings(self, settings=None):
        if isinstance(settings, AsposeOcrPresets):
            settings = settings.settings
        if self._alphabet:
            from ..ocr import RecognitionSettings

            settings = copy.copy(settings) if settings is not None else RecognitionSettings()
            if not settings.allowed_symbols:
                settings.allowed_symbols = self._alphabet
        return super().check_settings(settings)

    def recognize(self, images, settings=None) -> OcrOutput:
        """Recognise every page (see :meth:`ocrprep.OcrEngine.recognize`); an :class:`OcrOutput` list."""
        return OcrOutput(super().recognize(images, settings))

    def iter_recognize(self, input, settings=None):
        start = getattr(settings, "start_page", None)
        count = getattr(settings, "pages_number", None)
        if start is not None and (start or count is not None):
            input = _select_pages(self._as_input(input), start, count)
        return super().iter_recognize(input, settings)

    def __getattr__(self, name):
        if name in _PENDING_METHODS:
            raise NotSupportedError(
                f"AsposeOcr.{name} is not available in this build of ocrprep: it belongs to "
                f"{_PENDING_METHODS[name]}, which is not installed"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _select_pages(doc, start: int, count):
    """A copy of an input reading pages ``start .. start + count - 1`` of every document."""
    out = OcrInput(doc.type, doc.filters, max_pixels=doc.max_pixels, dpi=doc.dpi, threads=doc.threads)
    out._any = getattr(doc, "_any", False)
    for entry in doc._entries:
        out.add(entry.source, start, count, name=entry.name)
    return out
