"""Synthetic document pages for speed measurements (``python -m ocrprep.bench``
and ``benchmarks/``): no data files needed, identical on every machine."""
from __future__ import annotations

import functools

import numpy as np

__all__ = ["A4_300DPI", "a4_page"]

A4_300DPI = (3508, 2480)  # rows, columns

_TEXT = (
    "Optical character recognition converts images of typed, handwritten or printed "
    "text into machine-encoded text, from a scanned document or a photo of a document."
)


@functools.lru_cache(maxsize=None)
def a4_page(seed: int = 7) -> np.ndarray:
    """A4 at 300 dpi (2480x3508): grey text lines on an unevenly lit, noisy page.

    The result is cached (one array shared by every caller): copy it before
    writing into it.
    """
    from PIL import Image, ImageDraw, ImageFont

    h, w = A4_300DPI
    rng = np.random.default_rng(seed)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.load_default(size=42)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    y = 180
    while y < h - 200:
        draw.text((160, y), _TEXT[: 60 + (y // 70) % 40], fill=int(rng.integers(0, 90)), font=font)
        y += 70
    page = np.asarray(img, dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    shading = 40 * np.sin(xx / 900.0) * np.cos(yy / 1300.0) - 25 * (yy / h)
    page = page * (0.85 + 0.15 * (xx / w)) + shading + rng.normal(0, 8, (h, w))
    return np.ascontiguousarray(np.clip(page, 0, 255).astype(np.uint8))
