"""ocrprep: prepare scanned and photographed documents for OCR.

Two front doors over one filter pipeline:

* numpy-first functions: ``ocrprep.binarize(img)``, ``ocrprep.median(img, 5)``, ...
* Aspose.OCR-shaped objects: ``PreprocessingFilter``, ``OcrInput``,
  ``ImageProcessing``, ``OcrEngine`` (aliases in :mod:`ocrprep.compat`).

Names are loaded lazily so ``import ocrprep`` stays fast and a command-line
call pays only for what it uses.
"""
from __future__ import annotations

import importlib

from .errors import (  # noqa: F401  (errors are always loaded: they are tiny)
    DecompressionBombError,
    ImageDecodeError,
    ImageTypeError,
    InvalidImageError,
    InvalidParameterError,
    OcrprepError,
    ParameterTypeError,
    TesseractNotFoundError,
    UnsupportedFormatError,
    InputNotFoundError,
    InputTooLargeError,
    DownloadError,
    OutputError,
    NotSupportedError,
    MissingDependencyError,
    OcrprepWarning,
)

__version__ = "0.1.0"

# Kernels are imported eagerly: several modules share their function's name
# (``ocrprep.histogram`` the module vs the function), and importing a
# submodule rebinds that package attribute, so the functions must be bound
# here, after their modules have loaded.  The imports are cheap (.so files).
from .histogram import histogram  # noqa: E402
from .threshold import otsu_threshold, threshold  # noqa: E402
from .binarize import binarize  # noqa: E402
from .morphology import dilate, erode  # noqa: E402
from .color import flatten_alpha, invert, to_grayscale  # noqa: E402
from .contrast import contrast_stretch  # noqa: E402
from .median import median  # noqa: E402
from .sauvola import sauvola  # noqa: E402
from .local import bernsen, niblack, nick, wolf  # noqa: E402
from .geometry import page_background, resize, rotate, scale  # noqa: E402
from .skew import deskew, detect_skew  # noqa: E402
from .upscale import upscale  # noqa: E402
from .dewarp import dewarp  # noqa: E402
from .background import estimate_background, normalize_background  # noqa: E402
from .components import fill_holes, label_components, remove_specks  # noqa: E402
from .auto import auto_binarize  # noqa: E402
from .denoise import auto_denoise  # noqa: E402

# The heavier front-door objects load on first use (PEP 562).
# public name -> module that defines it
_LAZY = {
    "imread": "io",
    "imwrite": "io",
    "PreprocessingFilter": "filters",
    "Filter": "filters",
    "OcrInput": "inputs",
    "InputType": "inputs",
    "ImageProcessing": "processing",
    "OcrEngine": "ocr",
    "RecognitionSettings": "ocr",
    "RecognitionResult": "ocr",
    "ResultType": "ocr",
    "Language": "ocr",
    "recognize": "ocr",
    "SaveFormat": "export",
    "SpellCheckLanguage": "spellcheck",
}

__all__ = sorted(
    [
        "histogram",
        "otsu_threshold",
        "threshold",
        "binarize",
        "auto_binarize",
        "auto_denoise",
        "estimate_background",
        "normalize_background",
        "remove_specks",
        "fill_holes",
        "label_components",
        "dilate",
        "erode",
        "invert",
        "to_grayscale",
        "flatten_alpha",
        "contrast_stretch",
        "median",
        "sauvola",
        "niblack",
        "wolf",
        "nick",
        "bernsen",
        "rotate",
        "scale",
        "resize",
        "page_background",
        "detect_skew",
        "deskew",
        "upscale",
        "dewarp",
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
        "NotSupportedError",
        "MissingDependencyError",
        "OcrprepWarning",
    ]
    + list(_LAZY)
)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ocrprep' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
