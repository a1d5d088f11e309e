"""``OcrInput``: a batch of documents plus the filters to run on every page.

Shaped like Aspose.OCR's ``OcrInput``: create it with an :class:`InputType`
and optional :class:`~ocrprep.PreprocessingFilter`, ``add`` sources, then
iterate it, save it (:class:`~ocrprep.ImageProcessing`) or recognise it
(:class:`~ocrprep.OcrEngine`).  Nothing is decoded when sources are added;
iteration decodes and filters one page at a time (:func:`ocrprep.io.iter_pages`).
"""
from __future__ import annotations

import collections
import os
import warnings as _warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from . import _checks
from .errors import (
    ImageDecodeError,
    InputNotFoundError,
    InvalidParameterError,
    OcrprepError,
    OcrprepWarning,
    ParameterTypeError,
    UnsupportedFormatError,
)
from .filters import PreprocessingFilter
from .io import (
    Page,
    PageError,
    _array_page,
    _is_base64_file,
    _is_data_uri,
    _is_url,
    _missing_path_hint,
    _page_selection,
    _stream_end_hint,
    _sync_stream,
    _upload_name,
    iter_pages,
    _read_stream,
)

__all__ = ["InputType", "OcrInput", "Page", "PageError", "warn_page_error"]


class InputType(IntEnum):
    """What an :class:`OcrInput` holds (values as in Aspose.OCR for .NET/Python)."""

    #: One or more images (PNG, JPEG, BMP, GIF, PNM, WebP, single-page TIFF) as
    #: paths, bytes, file objects, numpy arrays or PIL images; first page of each.
    SINGLE_IMAGE = 0
    #: PDF documents (paths or bytes); every page rasterised (extra ``pdf``).
    PDF = 1
    #: Multi-page TIFF files (paths or bytes); every page.
    TIFF = 2
    #: DjVu: not supported (refused when the input is created).
    DJVU = 3
    #: http(s) links to images (fetched with a timeout and a size cap).
    URL = 4
    #: Folders: their image/PDF files in name order (not recursive).
    DIRECTORY = 5
    #: Zip archives: their image/PDF members in archive order (no nested archives).
    ZIP = 6
    #: Base64 text (plain or ``data:`` URI), or the path of a ``.txt`` file holding it.
    BASE64 = 7


_KIND = {
    InputType.SINGLE_IMAGE: None,
    InputType.PDF: "pdf",
    InputType.TIFF: None,
    InputType.URL: "url",
    InputType.DIRECTORY: "directory",
    InputType.ZIP: "zip",
    InputType.BASE64: "base64",
}


@dataclass(frozen=True)
class _Entry:
    source: object
    start_page: int
    pages_count: int | None
    name: str | None


def _resolve_type(t) -> InputType:
    if isinstance(t, InputType):
        return t
    if isinstance(t, str):
        key = t.strip().upper().replace("-", "_").replace(" ", "_")
        key = {"IMAGE": "SINGLE_IMAGE", "SINGLEIMAGE": "SINGLE_IMAGE", "FOLDER": "DIRECTORY", "DIR": "DIRECTORY", "TIF": "TIFF"}.get(key, key)
        if key in InputType.__members__:
            return InputType[key]
    elif isinstance(t, int) and not isinstance(t, bool):
        try:
            return InputType(t)
        except ValueError:
            pass
    raise InvalidParameterError(
        f"unknown input type {t!r}; use one of {', '.join('InputType.' + m for m in InputType.__members__)}"
    )


class OcrInput:
    """A collection of documents to preprocess and/or recognise.

    Parameters
    ----------
    type : InputType
        What :meth:`add` accepts (see :class:`InputType`).
    filters : PreprocessingFilter, optional
        Applied to every page, in order, when the input is iterated, saved or
        recognised.  Anything :meth:`PreprocessingFilter.from_spec` accepts.
    max_pixels : int, optional
        Decompression-bomb cap per page (default :data:`ocrprep.io.MAX_PIXELS`).
    dpi : int, optional
        PDF rasterisation resolution (default 300).
    threads : int, optional
        Threads given to each filter kernel (default: automatic).

    Iterating yields :class:`~ocrprep.io.Page` objects, which unpack as
    ``(source, page, image)`` with 1-based page numbers and the filters
    applied.  A source that cannot be read (missing, corrupt, too large...)
    does not stop the others: it is skipped and recorded in :attr:`errors`
    (use :meth:`pages` with ``on_error="yield"`` or ``"raise"`` to choose).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep import OcrInput, InputType, PreprocessingFilter
    >>> filters = PreprocessingFilter([PreprocessingFilter.threshold(100)])
    >>> doc = OcrInput(InputType.SINGLE_IMAGE, filters)
    >>> doc.add(np.array([[30, 180], [90, 250]], np.uint8))
    >>> doc.add(b"not an image")
    >>> for source, page, image in doc:
    ...     print(source, page, image.tolist())
    array1 1 [[0, 255], [0, 255]]
    >>> [str(e.error) for e in doc.errors]
    ['image2: not an image format ocrprep can read (supported: PNG, JPEG, TIFF, BMP, GIF, PNM, WebP, PDF, ZIP)']
    """

    def __init__(self, type=InputType.SINGLE_IMAGE, filters=None, *, max_pixels=None, dpi=None, threads=None):
        self._type = _resolve_type(type)
        if self._type is InputType.DJVU:
            raise UnsupportedFormatError("DjVu input is not supported by ocrprep; convert it to PDF or TIFF")
        self._filters = PreprocessingFilter.from_spec(filters)
        self._entries: list[_Entry] = []
        self.max_pixels = max_pixels
        self.dpi = dpi
        self.threads = threads
        self._any = False
        #: :class:`~ocrprep.io.PageError` records of the last iteration.
        self.errors: list[PageError] = []

    @classmethod
    def any(cls, filters=None, **options) -> "OcrInput":
        """An input taking every kind of source at once (an ocrprep extension).

        Each source's kind is detected from its content: images (all TIFF
        pages), PDFs, zip archives, folders, URLs, ``data:`` URIs, bytes,
        arrays.  This is what the CLI and :meth:`OcrEngine.recognize` use for
        bare sources.
        """
        doc = cls(InputType.TIFF, filters, **options)
        doc._any = True
        return doc

    # ---- Aspose-style accessors ------------------------------------------------
    @property
    def type(self) -> InputType:
        return self._type

    def get_input_type(self) -> InputType:
        return self._type

    @property
    def filters(self) -> PreprocessingFilter:
        return self._filters

    @filters.setter
    def filters(self, value):
        self._filters = PreprocessingFilter.from_spec(value)

    def replace_filters(self, filters) -> None:
        """Remove the current filters and use ``filters`` instead."""
        self.filters = filters

    def clear_filters(self) -> None:
        self._filters = PreprocessingFilter()

    def clear(self) -> None:
        """Remove every source."""
        self._entries.clear()
        self.errors = []

    def count(self) -> int:
        """Number of sources added (not pages: a PDF counts once)."""
        return len(self._entries)

    size = count

    def __len__(self):
        return len(self._entries)

    def __getitem__(self, index):
        """The source added at ``index`` (path, bytes, array, ...)."""
        return self._entries[index].source

    def __repr__(self):
        return f"OcrInput({self._type.name}, sources={len(self._entries)}, filters={str(self._filters)!r})"

    # ---- adding sources --------------------------------------------------------
    def add(self, source, start_page: int = 0, pages_count: int | None = None, *, name: str | None = None) -> None:
        """Add a document.

        Parameters
        ----------
        source : path, bytes, file object, numpy array, PIL image, URL or base64 text
            As the input's type allows.  Local paths must exist (checked now);
            file objects are read now; everything else is decoded lazily.
        start_page : int
            0-based first page (or archive member / directory file) to take.
        pages_count : int, optional
            How many pages to take (default: all; one for ``SINGLE_IMAGE``).
        name : str, optional
            The source name reported in pages, errors and results (and the
            stem of saved files); defaults to the path/URL, else to the
            source's position: ``image<N>``, ``array<N>``, ``base64_<N>``
            (a ``.txt`` file of base64 text is named by its path).
        """
        start, count = _page_selection(start_page, pages_count)
        if name is not None and not isinstance(name, str):
            raise ParameterTypeError(f"name must be a string, got {type(name).__name__}")
        if name is None and hasattr(source, "read"):
            name = _upload_name(source) or (source.name if isinstance(getattr(source, "name", None), str) else None)
        source = self._check_source(source)
        n = len(self._entries) + 1
        if name is None and (self._type is InputType.BASE64 or (self._any and _is_data_uri(source))):
            # base64 text is named by its position (base64_1, base64_2, ...) so errors and results
            # tell the sources apart; a .txt file holding base64 is named after the file
            name = os.fspath(source) if _is_base64_file(source) else f"base64_{n}"
        elif name is None and not isinstance(source, (str, os.PathLike)):
            prefix = {np.ndarray: "array"}.get(type(source), "image")
            name = getattr(source, "filename", None) or f"{prefix}{n}"
        if self._type is InputType.SINGLE_IMAGE and count is None:
            count = 1
        self._entries.append(_Entry(source, start, count, name))

    def add_base64(self, text, *, name: str | None = None) -> None:
        """Add an image given as base64 text (works for any input type)."""
        if not isinstance(text, (str, bytes, bytearray)):
            raise ParameterTypeError(f"base64 data must be str or bytes, got {type(text).__name__}")
        n = len(self._entries) + 1
        self._entries.append(_Entry(("base64", text), 0, 1 if self._type is InputType.SINGLE_IMAGE else None, name or f"base64_{n}"))

    def _check_source(self, source):
        t = self._type
        if hasattr(source, "read") and not isinstance(source, (str, bytes, os.PathLike)):
            source = _sync_stream(source)  # FastAPI's UploadFile: its .file
            try:
                position = source.tell()
            except (OSError, AttributeError, ValueError):
                position = None
            label = getattr(source, "name", None)
            data = _read_stream(source, label if isinstance(label, str) else "file object")
            if not data and position:
                label = getattr(source, "name", None)
                raise ImageDecodeError(f"{label if isinstance(label, str) else 'file object'}: empty data"
                                       f"{_stream_end_hint(position)}")
            source = data
        if isinstance(source, (bytearray, memoryview)):
            source = bytes(source)
        if t is InputType.URL:
            if not _is_url(source):
                raise InvalidParameterError(f"InputType.URL takes http(s) links, got {source!r:.80}")
            return source
        if t is InputType.BASE64:
            if not isinstance(source, (str, bytes, os.PathLike)):
                raise ParameterTypeError(f"InputType.BASE64 takes base64 text, got {type(source).__name__}")
            return source
        if isinstance(source, np.ndarray):
            if t is not InputType.SINGLE_IMAGE and not self._any:
                raise ParameterTypeError(f"numpy arrays can only be added to InputType.SINGLE_IMAGE, not {t.name}")
            page = _array_page(source, "image")  # 16-bit, float, bool and RGBA pixels read as in a file
            return page.copy() if np.may_share_memory(page, source) else page
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover
            Image = None
        if Image is not None and isinstance(source, Image.Image):
            if t not in (InputType.SINGLE_IMAGE, InputType.TIFF) and not self._any:
                raise ParameterTypeError(f"PIL images can only be added to SINGLE_IMAGE or TIFF inputs, not {t.name}")
            return source
        if isinstance(source, bytes):
            if t is InputType.DIRECTORY:
                raise ParameterTypeError("InputType.DIRECTORY takes a folder path, not bytes")
            return source
        if isinstance(source, (str, os.PathLike)):
            if isinstance(source, str) and (_is_url(source) or (self._any and source[:5].lower() == "data:")):
                return source
            text = os.fspath(source)
            if not text:  # Path("") is the current folder: never read it by accident
                raise InvalidParameterError("the path is empty (give the path of a file or folder; '.' for the current folder)")
            if isinstance(text, str) and (len(text) > 4096 or "\0" in text):
                raise InvalidParameterError(
                    f"{text[:40]}...: not a usable path (too long); add base64 text with add_base64() "
                    "or to an InputType.BASE64 input"
                )
            path = Path(source)
            if not path.exists():
                text = os.fspath(source)
                hint = _missing_path_hint(text, "add base64 text with add_base64() or to an InputType.BASE64 input") \
                    if isinstance(text, str) else ""
                shown = f"{text[:40]}..." if "base64 text of" in hint and len(text) > 40 else text
                raise InputNotFoundError(f"{shown}: no such file or directory{hint}")
            if self._any:
                return os.fspath(source)
            if t is InputType.DIRECTORY and not path.is_dir():
                raise InvalidParameterError(f"InputType.DIRECTORY takes a folder, {os.fspath(source)} is a file")
            if t is not InputType.DIRECTORY and path.is_dir():
                raise InvalidParameterError(
                    f"{os.fspath(source)} is a folder: use OcrInput(InputType.DIRECTORY) for folders"
                )
            return os.fspath(source)
        raise ParameterTypeError(
            f"cannot add a {type(source).__name__} to an OcrInput; give a path, bytes, a binary "
            "file object, a numpy array, a PIL image, a URL or base64 text"
        )

    # ---- iterating -------------------------------------------------------------
    def raw_pages(self, on_error: str = "yield") -> Iterator[Page | PageError]:
        """Decoded pages *before* the filters (plus :class:`PageError` records with ``on_error="yield"``)."""
        for entry in list(self._entries):
            source, kind = entry.source, None if self._any else _KIND.get(self._type)
            if isinstance(source, tuple) and len(source) == 2 and source[0] == "base64":
                source, kind = source[1], "base64"
            yield from iter_pages(
                source,
                kind=kind,
                start_page=entry.start_page,
                pages_count=entry.pages_count,
                max_pixels=self.max_pixels,
                dpi=self.dpi,
                name=entry.name,
                on_error=on_error,
            )

    def process(self, page: Page) -> Page:
        """Apply this input's filters to one decoded page."""
        if not len(self._filters):
            return page
        return page.replace(image=self._filters.apply(page.image, threads=self.threads))

    def safe_process(self, item: Page | PageError) -> Page | PageError:
        """:meth:`process`, turning a filter failure into a :class:`PageError`."""
        if isinstance(item, PageError):
            return item
        try:
            return self.process(item)
        except Exception as exc:  # one page's failure (even an unexpected one) never stops the others
            return PageError(item.source, item.page, exc, item.stem)

    def pages(self, on_error: str = "skip", *, workers: int = 1) -> Iterator[Page | PageError]:
        """Processed pages, in order.

        Parameters
        ----------
        on_error : {'skip', 'yield', 'raise'}
            ``skip`` (what plain iteration does): bad sources are left out and
            recorded in :attr:`errors`; ``yield``: they come out as
            :class:`PageError` items; ``raise``: the first error is raised.
        workers : int
            Pages filtered concurrently in threads (the kernels release the
            GIL).  At most ``2 * workers`` pages are in memory at once.
        """
        if on_error not in ("skip", "yield", "raise"):
            raise InvalidParameterError(f"on_error must be 'skip', 'yield' or 'raise', got {on_error!r}")
        self.errors = []
        for item in bounded_map(self.safe_process, self.raw_pages("yield"), workers):
            if isinstance(item, PageError):
                self.errors.append(item)
                if on_error == "raise":
                    raise item.error
                if on_error == "skip":
                    continue
            yield item

    def __iter__(self) -> Iterator[Page]:
        return self.pages("skip")


def bounded_map(fn: Callable, items: Iterable, workers: int = 1) -> Iterator:
    """``map(fn, items)`` on ``workers`` threads, in order, with at most ``2 * workers`` items in flight.

    The input iterator is consumed lazily on the calling thread, so a huge
    document is never decoded ahead of what the workers can absorb.
    """
    workers = _checks.integer(workers, "workers")
    if workers < 1:
        raise InvalidParameterError(f"workers must be >= 1, got {workers}")
    if workers == 1:
        for item in items:
            yield fn(item)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocrprep-page") as pool:
        pending = collections.deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                while len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()


def warn_page_error(source: str, page: int | None, error: BaseException, what: str, stacklevel: int = 2) -> None:
    """Emit the :class:`~ocrprep.OcrprepWarning` of one page an Aspose-style call skipped.

    The message names the source (and the page, when known) and the reason:
    ``"page not recognised: scan.pdf page 2: cannot render (...)"``.
    """
    message = str(error) or type(error).__name__
    source = str(source)
    if not message.startswith(source):  # most ocrprep messages already start with the source
        message = f"{source}{f' page {page}' if page else ''}: {message}"
    _warnings.warn(f"{what}: {message}", OcrprepWarning, stacklevel=stacklevel + 1)
