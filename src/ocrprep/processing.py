"""``ImageProcessing``: run an input's filters and keep the processed pages."""
from __future__ import annotations

import os
from pathlib import Path

from . import _checks
from ._parallel import cpu_count
from .errors import InvalidParameterError, ParameterTypeError, UnsupportedFormatError
from .inputs import InputType, OcrInput, warn_page_error
from .io import _SAVE_FORMATS, Page, PageError, _output_error, imwrite

__all__ = ["ImageProcessing", "OutputNamer"]


class OutputNamer:
    """Output paths for pages, derived from their sources and never reused.

    ``scan.jpg`` -> ``folder/scan.png``; page 2 of ``report.pdf`` ->
    ``folder/report_page2.png``; a second ``scan.png`` (from another folder
    or archive) -> ``folder/scan_2.png``.  Shared by
    :meth:`ImageProcessing.save`, the CLI and the batch runner.
    """

    def __init__(self, folder, suffix: str = ".png"):
        self.folder = Path(folder)
        self.suffix = suffix if suffix.startswith(".") else "." + suffix
        self._used: set[str] = set()

    def __call__(self, page, multipage: bool | None = None, suffix: str | None = None) -> Path:
        suffix = self.suffix if suffix is None else suffix
        name = page.output_name(suffix, multipage=multipage)
        stem = name[: -len(suffix)]
        candidate, k = name, 2
        while candidate.lower() in self._used:
            candidate = f"{stem}_{k}{suffix}"
            k += 1
        self._used.add(candidate.lower())
        return self.folder / candidate


def _as_input(images) -> OcrInput:
    if isinstance(images, OcrInput):
        return images
    raise ParameterTypeError(f"expected an OcrInput, got {type(images).__name__}")


class ImageProcessing:
    """Aspose.OCR's ``ImageProcessing`` helper: preprocess an input and save or return its pages."""

    @staticmethod
    def save(images: OcrInput, folder, *, format: str = "png", workers: int | None = None) -> list[Path]:
        """Write every processed page of ``images`` into ``folder`` (created if needed).

        Names derive from the sources: ``scan.jpg`` -> ``folder/scan.png``;
        pages of multi-page documents -> ``folder/report_page2.png``.  Two
        sources with the same name get ``_2``, ``_3``... suffixes instead of
        overwriting each other.  Binary pages are written as 1-bit files.
        Writes are atomic (temporary file + rename).

        Pages that cannot be read, filtered or written are skipped (the
        others are written), recorded in ``images.errors`` and reported by an
        :class:`~ocrprep.OcrprepWarning` each, naming the source and the reason.

        Parameters
        ----------
        images : OcrInput
        folder : str or path-like
        format : str
            File extension of the written pages: ``png`` (default), ``tif``, ``bmp``, ...
        workers : int, optional
            Pages processed concurrently (default: the number of cores).

        Returns
        -------
        list of pathlib.Path
            The files written, in page order.

        Raises
        ------
        UnsupportedFormatError
            ``format`` is not one ocrprep writes (checked before any page is read).
        OutputError
            ``folder`` cannot be created (a file is in the way, no permission...);
            also an ``OSError``, as for :func:`ocrprep.imwrite`.

        Examples
        --------
        >>> import numpy as np, tempfile, os
        >>> from ocrprep import OcrInput, InputType, PreprocessingFilter, ImageProcessing
        >>> doc = OcrInput(InputType.SINGLE_IMAGE, PreprocessingFilter.from_spec("threshold(128)"))
        >>> doc.add(np.full((4, 4), 200, np.uint8), name="scan.jpg")
        >>> [p.name for p in ImageProcessing.save(doc, tempfile.mkdtemp())]
        ['scan.png']
        """
        doc = _as_input(images)
        if not isinstance(folder, (str, os.PathLike)):
            raise ParameterTypeError(f"folder must be a path, got {type(folder).__name__}")
        if not isinstance(format, str) or not format.strip("."):
            raise ParameterTypeError(f"format must be an extension such as 'png', got {format!r}")
        suffix = "." + format.lower().lstrip(".")
        if suffix not in _SAVE_FORMATS:
            raise UnsupportedFormatError(
                f"cannot write {format!r} files; use one of {', '.join(s[1:] for s in sorted(_SAVE_FORMATS))}"
            )
        nworkers = cpu_count() if workers is None else _checks.integer(workers, "workers")
        if nworkers < 1:
            raise InvalidParameterError(f"workers must be >= 1, got {nworkers}")
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, no permission, read-only file system...
            blocked = isinstance(exc, (FileExistsError, NotADirectoryError))
            raise _output_error(folder, exc, "cannot create the output folder",
                                "a file is in the way" if blocked else None) from None
        multipage = False if doc.type is InputType.SINGLE_IMAGE else None
        namer = OutputNamer(folder, suffix)
        written: list[Path] = []
        for page in doc.pages("yield", workers=nworkers):  # failures are also recorded in doc.errors
            if isinstance(page, PageError):
                warn_page_error(page.source, page.page, page.error, "page not saved", stacklevel=2)
                continue
            path = namer(page, multipage=multipage)
            try:
                imwrite(path, page.image)
            except Exception as exc:  # a full disk must not hide which page failed
                doc.errors.append(PageError(page.source, page.page, exc, page.stem))
                warn_page_error(page.source, page.page if page.multipage else None, exc,
                                f"page not saved as {path}", stacklevel=2)
                continue
            written.append(path)
        return written

    @staticmethod
    def render(images: OcrInput) -> list[Page]:
        """All processed pages in memory (use iteration over the input for big documents)."""
        return list(_as_input(images))
