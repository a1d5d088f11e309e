"""The saving methods of :class:`~ocrprep.RecognitionResult` and :class:`~ocrprep.OcrEngine`
(Aspose.OCR's ``RecognitionResult.save`` and ``AsposeOcr.save_multipage_document``)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path


class ResultExportMixin:
    """Adds ``save`` and ``get_xml`` to a recognition result."""

    def save(
        self,
        full_file_name,
        save_format=None,
        apply_spelling_correction: bool = False,
        language=None,
        dictionary_path=None,
        embedded_font_path=None,
        optimize_pdf=None,
    ) -> Path | None:
        """Save this page as a document (Aspose.OCR's ``RecognitionResult.save``, same argument order).

        Parameters
        ----------
        full_file_name : str, Path or binary file object
            Where to write (atomically; the folder is created).
        save_format : SaveFormat or str, optional
            :class:`~ocrprep.export.SaveFormat` or its lower-case name
            (``"pdf"``, ``"docx"``, ``"text"``, ...); ``ResultType`` values
            (``"text"``, ``"json"``, ``"hocr"``) work too.  Default: from the
            file extension (``.txt``, ``.json``, ``.hocr``, ``.pdf``, ...), or
            the settings' ``result_type`` for another extension.
        apply_spelling_correction : bool
            Correct misspelled words first (:mod:`ocrprep.spellcheck`).
        language : SpellCheckLanguage, optional
            Spell-check dictionary (default English).
        dictionary_path : str or Path, optional
            User dictionary: ``word frequency`` per line, added to it.
        embedded_font_path : str, optional
            Accepted for Aspose's signature and ignored (with an
            :class:`~ocrprep.OcrprepWarning`): the searchable PDF's text is
            invisible and needs no font; PDF_NO_IMG draws in Courier.
        optimize_pdf : PdfOptimizationMode, optional
            How a PDF stores grey/colour page images (default
            ``MAXIMUM_QUALITY``); binary pages are always 1-bit CCITT G4.

        Returns
        -------
        Path
            The file written (``None`` for a file object).

        Raises
        ------
        OutputError
            The file cannot be written (the message names it).
        MissingDependencyError
            The format needs an extra that is not installed.

        Examples
        --------
        >>> from ocrprep import RecognitionResult
        >>> RecognitionResult(recognition_text="Hello").save("/tmp/hello.txt")  # doctest: +SKIP
        PosixPath('/tmp/hello.txt')
        """
        import os

        from . import format_for_path, save
        from ..errors import InvalidParameterError

        apply_spelling_correction, language, embedded_font_path, optimize_pdf = pdf_overload(
            apply_spelling_correction, language, embedded_font_path, optimize_pdf)
        if save_format is None and isinstance(full_file_name, (str, os.PathLike)):
            try:
                save_format = format_for_path(full_file_name)
            except InvalidParameterError:  # an extension of no format: the result type recognition made
                save_format = getattr(self, "result_type", None) or "text"
        _no_fonts(embedded_font_path)
        return save(self, full_file_name, save_format, apply_spelling_correction=apply_spelling_correction,
                    language=language, dictionary_path=dictionary_path, optimize_pdf=optimize_pdf)

    def get_xml(self) -> str:
        """This page as the XML document :data:`SaveFormat.XML` writes (Aspose.OCR's ``get_xml``)."""
        from .xml import page_element

        page = page_element(self, 1)
        ET.indent(page)
        return ET.tostring(page, encoding="unicode")


class EngineExportMixin:
    """Adds ``save_multipage_document`` to the engine."""

    @staticmethod
    def save_multipage_document(
        full_file_name,
        save_format,
        results,
        apply_spelling_correction: bool = False,
        language=None,
        dictionary_path=None,
        embedded_font_path=None,
        optimize_pdf=None,
    ) -> Path | None:
        """Save several results as one document, a page each (Aspose.OCR's
        ``AsposeOcr.save_multipage_document``, same argument order).

        ``results`` is what :meth:`recognize` returned; the other arguments
        are those of :meth:`RecognitionResult.save`.  Works on the class
        and on an instance.

        Examples
        --------
        >>> from ocrprep import OcrEngine
        >>> api = OcrEngine()
        >>> results = api.recognize("scan.tif")                         # doctest: +SKIP
        >>> api.save_multipage_document("scan.pdf", "pdf", results)     # doctest: +SKIP
        """
        from . import save

        apply_spelling_correction, language, embedded_font_path, optimize_pdf = pdf_overload(
            apply_spelling_correction, language, embedded_font_path, optimize_pdf)
        _no_fonts(embedded_font_path)
        return save(results, full_file_name, save_format, apply_spelling_correction=apply_spelling_correction,
                    language=language, dictionary_path=dictionary_path, optimize_pdf=optimize_pdf)


def pdf_overload(third, fourth, embedded_font_path, optimize_pdf):
    """Aspose's other ``save`` overloads, told apart by the type of the third argument:
    ``save(path, format, optimize_pdf)`` and ``save(path, format, embedded_font_path,
    optimize_pdf)`` besides ``save(path, format, apply_spelling_correction, language, ...)``.
    Returns ``(apply_spelling_correction, language, embedded_font_path, optimize_pdf)``.

    >>> from ocrprep.export import PdfOptimizationMode
    >>> pdf_overload(PdfOptimizationMode.AGGRESSIVE, None, None, None)[3].name
    'AGGRESSIVE'
    >>> pdf_overload("", PdfOptimizationMode.AGGRESSIVE, None, None)[3].name
    'AGGRESSIVE'
    >>> pdf_overload(True, "eng", None, None)
    (True, 'eng', None, None)
    """
    import os

    from .pdf import PdfOptimizationMode

    if isinstance(third, PdfOptimizationMode):
        return False, None, embedded_font_path, third
    if isinstance(third, (str, os.PathLike)):
        return False, None, third, fourth if optimize_pdf is None else optimize_pdf
    return third, fourth, embedded_font_path, optimize_pdf


def _no_fonts(embedded_font_path) -> None:
    if embedded_font_path:
        import warnings

        from ..errors import OcrprepWarning

        warnings.warn(
            f"embedded_font_path={embedded_font_path!r} is ignored: ocrprep's searchable PDF text is invisible "
            "(a glyphless font) and PDF_NO_IMG draws in Courier",
            OcrprepWarning,
            stacklevel=3,
        )
