"""``aspose.ocr.filters``: interpolation types of ``PreprocessingFilter.resize`` / ``scale``.

ocrprep resizes with its own kernels (area averaging when shrinking,
bilinear when enlarging: :func:`ocrprep.resize`); the interpolation asked
for is accepted and does not change the result.
"""
from __future__ import annotations

from enum import IntEnum

__all__ = ["InterpolationFilterType"]


class InterpolationFilterType(IntEnum):
    """Aspose.OCR's interpolation names (accepted; ocrprep uses its own resampling)."""

    BOX = 0
    TRIANGLE = 1
    HERMITE = 2
    BELL = 3
    CUBIC_B_SPLINE = 4
    LANCZOS3 = 5
    MITCHELL = 6
    COSINE = 7
    CATMULL_ROM = 8
    QUADRATIC = 9
    QUADRATIC_B_SPLINE = 10
    CUBIC_CONVOLUTION = 11
    LANCZOS8 = 12
