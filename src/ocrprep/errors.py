"""The one exception family of ocrprep.

Every error ocrprep raises on purpose derives from :class:`OcrprepError`, and
also from the built-in class a Python user would expect (``ValueError`` for a
bad value, ``TypeError`` for a wrong type), so both ``except OcrprepError`` and
``except ValueError`` work.
"""

__all__ = [
    "OcrprepError",
    "InvalidImageError",
    "ImageTypeError",
    "InvalidParameterError",
    "ParameterTypeError",
    "ImageDecodeError",
    "UnsupportedFormatError",
    "DecompressionBombError",
    "TesseractNotFoundError",
    "InputNotFoundError",
    "InputTooLargeError",
    "DownloadError",
    "OutputError",
    "MissingDependencyError",
    "OcrprepWarning",
]


class OcrprepError(Exception):
    """Base class of every error raised by ocrprep."""


class InvalidImageError(OcrprepError, ValueError):
    """The image has the right type but an unusable value (shape, size, emptiness)."""


class ImageTypeError(OcrprepError, TypeError):
    """The image is not a numpy array, or has the wrong dtype."""


class InvalidParameterError(OcrprepError, ValueError):
    """A parameter has an out-of-range or inconsistent value."""


class ParameterTypeError(OcrprepError, TypeError):
    """A parameter has the wrong type."""


class ImageDecodeError(InvalidImageError):
    """A file or byte string could not be decoded as an image (corrupt or truncated)."""


class UnsupportedFormatError(ImageDecodeError):
    """The data is in a format ocrprep cannot read."""


class DecompressionBombError(ImageDecodeError):
    """The input asks for more than the configured limits: a header announcing more pixels,
    or decoding work beyond its bounds (a PDF page whose nested forms expand past
    ``ocrprep.io.PDF_MAX_DRAWS`` or whose rendering passes its time or memory limit)."""


class TesseractNotFoundError(OcrprepError, RuntimeError):
    """The Tesseract OCR binary is not installed or not on PATH."""


class InputNotFoundError(OcrprepError, FileNotFoundError):
    """A path given as input (file or directory) does not exist."""


class InputTooLargeError(InvalidImageError):
    """An input (download, base64 string, archive member) exceeds the configured byte cap."""


class DownloadError(OcrprepError, OSError):
    """An http(s) input could not be fetched (network error, HTTP status, timeout)."""


class OutputError(OcrprepError, OSError):
    """A result could not be written (no permission, a directory in the way, disk full...).

    The message names the file ocrprep was asked to write (never a temporary
    file) and the reason; ``errno`` is that of the operating-system error.
    """


class NotSupportedError(OcrprepError, NotImplementedError):
    """A feature of Aspose.OCR that ocrprep cannot provide; the message says why and what to use instead."""


class MissingDependencyError(OcrprepError, ImportError):
    """An optional feature needs a package that is not installed.

    The message names the ``ocrprep`` extra to install (``pip install
    'ocrprep[export]'``, ``'ocrprep[spell]'``...) and the missing package.
    """


class OcrprepWarning(UserWarning):
    """A page that could not be read, filtered, written or recognised, in a call that goes on.

    :meth:`ocrprep.ImageProcessing.save` and :meth:`ocrprep.OcrEngine.recognize`
    skip such pages (they are recorded in ``input.errors`` / the result's
    ``error``) and warn once per page, naming the source and the reason, so a
    failure is never silent.  Silence them with
    ``warnings.simplefilter("ignore", ocrprep.OcrprepWarning)`` or turn them
    into exceptions with ``"error"``.
    """
