"""Recognition results as documents: text, JSON, XML, HTML, hOCR, Markdown, CSV,
DOCX, XLSX, RTF, EPUB and PDF (searchable, or text only).

One writer per format (``ocrprep.export.pdf``, ``ocrprep.export.docx``, ...),
each ``write(results) -> bytes`` over a list of
:class:`~ocrprep.RecognitionResult` (one page each, in order).  The formats
that need a library take it from an optional extra and say which one is
missing: ``pip install 'ocrprep[export]'`` installs them all.

:func:`to_bytes` and :func:`save` are the entry points;
:meth:`RecognitionResult.save` and
:meth:`OcrEngine.save_multipage_document` (Aspose.OCR's names) call them.

=============  ================================================  ==============
format         what is written                                   needs
=============  ================================================  ==============
TEXT           the text; pages separated by a form feed          -
JSON           ``result.to_dict()`` (``{"pages": [...]}`` for     -
               several pages)
XML            pages, areas, lines, words with boxes              -
HTML           one ``<section>`` per page, a ``<p>`` per area     -
HOCR           hOCR 1.2 (boxes and confidences in ``title``)      -
MD, CSV        Markdown paragraphs; CSV rows (lines or cells)     -
DOCX           a paragraph per area, a page break per page       python-docx
XLSX           a sheet per page, a row per line or table row     openpyxl
RTF            paragraphs and page breaks (written by hand)      -
EPUB           an EPUB 3 book, a chapter per page                 EbookLib
PDF            the page image + invisible text at the word       pikepdf
               boxes (binary pages as 1-bit CCITT G4)
PDF_NO_IMG     the text drawn at the word boxes, no image        pikepdf
=============  ================================================  ==============
"""
from __future__ import annotations

import importlib
import os
from enum import IntEnum
from pathlib import Path

from ..errors import InvalidParameterError, MissingDependencyError, ParameterTypeError
from .pdf import PdfOptimizationMode

__all__ = ["SaveFormat", "PdfOptimizationMode", "to_bytes", "save", "format_for_path"]


class SaveFormat(IntEnum):
    """Document formats for saving recognition results (Aspose.OCR's ``SaveFormat``; same values).

    Wherever a format is expected, its lower-case name (``"pdf"``,
    ``"pdf_no_img"``, ``"text"``/``"txt"``, ``"docx"``...) is accepted too.
    """

    TEXT = 0
    DOCX = 1
    PDF = 2
    XLSX = 3
    XML = 4
    JSON = 5
    HTML = 6
    EPUB = 7
    RTF = 8
    PDF_NO_IMG = 9
    HOCR = 10
    MD = 11
    CSV = 12

    @classmethod
    def parse(cls, value) -> "SaveFormat":
        """The member for a :class:`SaveFormat`, its name (any case), a file extension or its value.

        >>> SaveFormat.parse("pdf"), SaveFormat.parse("txt"), SaveFormat.parse(SaveFormat.RTF)
        (<SaveFormat.PDF: 2>, <SaveFormat.TEXT: 0>, <SaveFormat.RTF: 8>)
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, bool):
            raise ParameterTypeError(f"save format must be a SaveFormat or a name such as 'pdf', got {value!r}")
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                raise InvalidParameterError(f"no SaveFormat has the value {value}") from None
        name = getattr(value, "value", value)  # ResultType members are str enums ("text", "json", "hocr")
        if not isinstance(name, str):
            raise ParameterTypeError(
                f"save format must be a SaveFormat or a name such as 'pdf', got {type(value).__name__}"
            )
        key = name.strip().lower().lstrip(".").replace("-", "_")
        key = _ALIASES.get(key, key)
        if key.upper() in cls.__members__:
            return cls[key.upper()]
        names = ", ".join(m.name.lower() for m in cls)
        raise InvalidParameterError(f"unknown save format {name!r}; use one of {names}")

    @property
    def extension(self) -> str:
        """The usual file extension, with its dot."""
        return _EXTENSIONS[self]


_ALIASES = {
    "txt": "text", "plain": "text", "htm": "html", "xhtml": "html", "markdown": "md",
    "pdfnoimg": "pdf_no_img", "pdf_noimg": "pdf_no_img", "pdf_text": "pdf_no_img",
}
_EXTENSIONS = {
    SaveFormat.TEXT: ".txt", SaveFormat.DOCX: ".docx", SaveFormat.PDF: ".pdf", SaveFormat.XLSX: ".xlsx",
    SaveFormat.XML: ".xml", SaveFormat.JSON: ".json", SaveFormat.HTML: ".html", SaveFormat.EPUB: ".epub",
    SaveFormat.RTF: ".rtf", SaveFormat.PDF_NO_IMG: ".pdf", SaveFormat.HOCR: ".hocr", SaveFormat.MD: ".md",
    SaveFormat.CSV: ".csv",
}
_BY_EXTENSION = {
    ".txt": SaveFormat.TEXT, ".text": SaveFormat.TEXT, ".docx": SaveFormat.DOCX, ".pdf": SaveFormat.PDF,
    ".xlsx": SaveFormat.XLSX, ".xml": SaveFormat.XML, ".json": SaveFormat.JSON, ".html": SaveFormat.HTML,
    ".htm": SaveFormat.HTML, ".epub": SaveFormat.EPUB, ".rtf": SaveFormat.RTF, ".hocr": SaveFormat.HOCR,
    ".md": SaveFormat.MD, ".csv": SaveFormat.CSV,
}
# format -> (writer module, the extra and the packages it needs)
_WRITERS = {
    SaveFormat.TEXT: ("text", None),
    SaveFormat.JSON: ("json", None),
    SaveFormat.XML: ("xml", None),
    SaveFormat.HTML: ("html", None),
    SaveFormat.HOCR: ("hocr", None),
    SaveFormat.MD: ("markdown", None),
    SaveFormat.CSV: ("csv", None),
    SaveFormat.RTF: ("rtf", None),
    SaveFormat.DOCX: ("docx", ("docx", "python-docx")),
    SaveFormat.XLSX: ("xlsx", ("openpyxl", "openpyxl")),
    SaveFormat.EPUB: ("epub", ("ebooklib", "EbookLib")),
    SaveFormat.PDF: ("pdf", ("pikepdf", "pikepdf")),
    SaveFormat.PDF_NO_IMG: ("pdf", ("pikepdf", "pikepdf")),
}


def format_for_path(path) -> SaveFormat:
    """The :class:`SaveFormat` a file name's extension stands for (``.pdf`` is the searchable PDF)."""
    suffix = Path(os.fspath(path)).suffix.lower()
    try:
        return _BY_EXTENSION[suffix]
    except KeyError:
        raise InvalidParameterError(
            f"cannot tell the save format from the extension {suffix or '(none)'!r} of {os.fspath(path)!r}; "
            "give the format (e.g. SaveFormat.PDF)"
        ) from None


def _windows_output_path(path):
    r"""A file name written on Windows (``"Data\\OCR\\result.pdf"``, as Aspose.OCR's examples do)
    goes into the folder it names when that folder exists (on POSIX), not into one odd file name."""
    text = os.fspath(path)
    if isinstance(text, str) and "\\" in text and os.sep == "/":
        alt = Path(text.replace("\\", "/"))
        if str(alt.parent) not in ("", ".") and alt.parent.is_dir():
            return alt
    return path


def require(module: str, package: str, what: str):
    """Import an optional library, or a :class:`MissingDependencyError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{what} needs {package}: pip install 'ocrprep[export]' (or pip install {package})"
        ) from None


def _as_results(results) -> list:
    from ..ocr import RecognitionResult

    if isinstance(results, RecognitionResult):
        return [results]
    if isinstance(results, (str, bytes)) or not hasattr(results, "__iter__"):
        raise ParameterTypeError(
            f"results must be a list of RecognitionResult, got {type(results).__name__}"
        )
    out = list(results)
    for i, r in enumerate(out):
        if not isinstance(r, RecognitionResult):
            raise ParameterTypeError(
                f"results[{i}] is a {type(r).__name__}, not a RecognitionResult (what OcrEngine.recognize returns)"
            )
    if not out:
        raise InvalidParameterError("no results to save: the list is empty")
    return out


def to_bytes(
    results,
    fmt,
    *,
    apply_spelling_correction: bool = False,
    language=None,
    dictionary_path=None,
    optimize_pdf=None,
) -> bytes:
    """The document of ``results`` (one page each) in format ``fmt``.

    Parameters
    ----------
    results : list of RecognitionResult, or one RecognitionResult
        What :meth:`OcrEngine.recognize` returned; failed pages are written
        as empty pages so page numbers stay right.
    fmt : SaveFormat or str
        A :class:`SaveFormat` or its lower-case name (``"pdf"``, ``"text"``,
        ``"json"``, ``"xml"``, ``"html"``, ``"hocr"``, ``"docx"``, ``"rtf"``,
        ``"epub"``, ``"xlsx"``, ``"pdf_no_img"``, ``"md"``, ``"csv"``).
    apply_spelling_correction : bool
        Correct misspelled words first (:mod:`ocrprep.spellcheck`; the word
        boxes stay, so a corrected searchable PDF still lines up).
    language : SpellCheckLanguage or str, optional
        Dictionary for the correction (default English).
    dictionary_path : str or Path, optional
        A user dictionary (``word frequency`` per line) added to it.
    optimize_pdf : PdfOptimizationMode, optional
        How the PDF stores grey and colour page images (default
        ``MAXIMUM_QUALITY``: JPEG 90 at full resolution; ``NONE`` is
        lossless); binary pages are always 1-bit CCITT G4.

    Returns
    -------
    bytes

    Raises
    ------
    MissingDependencyError
        The format needs a library that is not installed (the message names
        the extra).
    InvalidParameterError, ParameterTypeError
        Unknown format, empty or wrong ``results``.

    Examples
    --------
    >>> from ocrprep import RecognitionResult
    >>> to_bytes([RecognitionResult(recognition_text="Hello")], "text")
    b'Hello'
    """
    fmt = SaveFormat.parse(fmt)
    pages = _as_results(results)
    if optimize_pdf is not None:
        PdfOptimizationMode.parse(optimize_pdf)  # a bad value fails whatever the format
    if apply_spelling_correction:
        from ..spellcheck import corrected_result

        pages = [corrected_result(r, language, dictionary_path) for r in pages]
    from ._layout import writable

    pages = [writable(r) for r in pages]
    module_name, needs = _WRITERS[fmt]
    if needs is not None:
        require(needs[0], needs[1], f"saving as {fmt.name}")
    writer = importlib.import_module(f".{module_name}", __name__)
    if module_name == "pdf":
        return writer.write(pages, with_image=fmt is SaveFormat.PDF, optimize=optimize_pdf)
    return writer.write(pages)


def save(results, path, fmt=None, **options) -> Path | None:
    """Write :func:`to_bytes` ``(results, fmt, **options)`` to ``path`` atomically.

    ``path`` is a file name (its folder is created; without ``fmt`` its
    extension chooses the format) or a writable binary file object (then
    ``fmt`` is required).  The document is built completely before the file
    is touched, and written through a temporary file renamed over ``path``,
    so a failure never leaves a partial file.  A file that cannot be written
    is an :class:`~ocrprep.OutputError` naming ``path``.  Returns the path
    (``None`` for a file object).

    Examples
    --------
    >>> import io
    >>> from ocrprep import RecognitionResult
    >>> buf = io.BytesIO()
    >>> save([RecognitionResult(recognition_text="Hello")], buf, "rtf")
    >>> buf.getvalue()[:5]
    b'{\\\\rtf'
    """
    if hasattr(path, "write") and not isinstance(path, (str, os.PathLike)):
        if fmt is None:
            raise InvalidParameterError("give the save format when writing to a file object")
        path.write(to_bytes(results, fmt, **options))
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterTypeError(f"path must be a file name or a binary file object, got {type(path).__name__}")
    path = Path(_windows_output_path(path))
    if not path.name:
        raise InvalidParameterError(f"not a file name: {os.fspath(path)!r}")
    data = to_bytes(results, format_for_path(path) if fmt is None else fmt, **options)
    from ..io import _atomic_file, _make_parent

    _make_parent(path)
    with _atomic_file(path, "wb") as f:
        f.write(data)
    return path

