"""``aspose.ocr.models.preprocessingfilters``: Aspose's names of ocrprep's filters.

:class:`PreprocessingFilter` *is* :class:`ocrprep.PreprocessingFilter` with
Aspose's extra spellings: ``contrast_correction_filter()``,
``auto_dewarping()``, and ``resize``/``scale`` taking an interpolation type.
"""
from __future__ import annotations

import logging

from ...filters import Filter
from ...filters import PreprocessingFilter as _Native

__all__ = ["PreprocessingFilter"]

_log = logging.getLogger("ocrprep.compat")


class PreprocessingFilter(_Native):
    """Aspose.OCR's ``PreprocessingFilter``: an ordered list of filters (see :class:`ocrprep.PreprocessingFilter`)."""

    __slots__ = ()

    @staticmethod
    def resize(width, height, type=None, *, area=None) -> Filter:
        """Resize to ``width`` x ``height``; the interpolation ``type`` is accepted (ocrprep resamples its own way)."""
        return _Native.resize(width, height)

    @staticmethod
    def scale(ratio, type=None) -> Filter:
        """Scale by ``ratio``; the interpolation ``type`` is accepted (ocrprep resamples its own way)."""
        return _Native.scale(ratio)

    @staticmethod
    def contrast_correction_filter(area=None) -> Filter:
        """Aspose's name of ``contrast_correction()`` (percentile contrast stretch)."""
        return _Native.contrast_correction(area=area)

    @staticmethod
    def auto_dewarping(area=None) -> Filter:
        """Approximated by ``auto_skew()``: straightens a page turned as a whole.

        Aspose straightens curved lines (book pages) with a neural model;
        ocrprep has none, so only the overall skew is corrected.
        """
        _log.info("auto_dewarping: ocrprep corrects the overall skew only (auto_skew); curved lines stay curved")
        return _Native.auto_skew(area=area)
