"""``aspose.ocr.models.preprocessingfilters``: Aspose's names of ocrprep's filters.

:class:`PreprocessingFilter` *is* :class:`ocrprep.PreprocessingFilter` with
Aspose's extra spellings: ``contrast_correction_filter()``,
``auto_dewarping()``, and ``resize``/``scale`` taking an interpolation type.
"""
from __future__ import annotations

from ...filters import Filter
from ...filters import PreprocessingFilter as _Native

__all__ = ["PreprocessingFilter"]

class PreprocessingFilter(_Native):
    """Aspose.OCR's ``PreprocessingFilter``: an ordered list of filters (see :class:`ocrprep.PreprocessingFilter`)."""

    __slots__ = ()

    @staticmethod
    def resize(width, height, type=None, *, area=None) -> Filter:
        """Resize to ``width`` x ``height``; the interpolation ``type`` is accepted (ocrprep resamples its own way)."""
        return _Native.resize(width, height, area=area)

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
        """Aspose's name of ``dewarp()``: curled text lines straightened (:func:`ocrprep.dewarp`).

        An approximation of Aspose's neural dewarping: lines are straightened
        by vertical displacements fitted to their curvature; the horizontal
        compression near a book's spine and perspective are not corrected.
        """
        return _Native.dewarp()
