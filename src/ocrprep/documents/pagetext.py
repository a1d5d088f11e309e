"""Page preparation and text passes shared by the document recognisers."""
from __future__ import annotations

import numpy as np

from ..background import normalize_background
from ..binarize import binarize
from ..geometry import rotate, scale
from ..skew import detect_skew
from .regions import char_height, gray_of

__all__ = ["straighten", "prepare", "read_text"]

#: Character height (pixels) small print is scaled up to when ``upscale_small_font`` is set.
SMALL_FONT_TARGET = 28


def straighten(gray: np.ndarray, enabled: bool = True) -> tuple[np.ndarray, float]:
    """The page deskewed with :func:`ocrprep.detect_skew` (when ``enabled``) and the angle found."""
    if not enabled:
        return gray, 0.0
    angle = float(detect_skew(gray))
    if abs(angle) < 0.05:
        return gray, 0.0
    return rotate(gray, -angle, expand=True), angle


def prepare(img, settings, *, normalize: bool = False, bw: bool = True, min_char: int = 0,
            deskew: bool | None = None) -> tuple[np.ndarray, float]:
    """Grey page -> (straightened, optionally background-normalised and binarized page, skew).

    ``min_char``: scale the page up when its typical character is shorter
    than this many pixels (``upscale_small_font`` forces
    :data:`SMALL_FONT_TARGET`).  ``deskew`` overrides the settings' ``auto_skew``.
    """
    gray = gray_of(img)
    gray, skew = straighten(gray, bool(settings.auto_skew if deskew is None else deskew))
    if normalize:
        gray = normalize_background(gray)
    target = SMALL_FONT_TARGET if settings.upscale_small_font else min_char
    if target:
        h = char_height(binarize(gray))
        if 0 < h < target:
            gray = scale(gray, min(4.0, target / h))
    if bw:
        gray = binarize(gray)
    return gray, skew


def read_text(engine, img: np.ndarray, settings, psm: int):
    """One Tesseract pass in page segmentation mode ``psm`` with the settings' language and lists."""
    return engine.recognize_image(img, settings.text_settings(psm))
