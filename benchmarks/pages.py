"""A synthetic A4 300-dpi page for speed measurements (no data files needed).

The generator lives in the package (:mod:`ocrprep._testimages`) so that
``python -m ocrprep.bench`` measures the same page as these suites.
"""
from __future__ import annotations

from ocrprep._testimages import A4_300DPI, a4_page  # noqa: F401

if __name__ == "__main__":
    from PIL import Image

    out = "a4_page.png"
    Image.fromarray(a4_page()).save(out)
    print("wrote", out)
