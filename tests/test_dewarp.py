"""ocrprep.dewarp: curled text lines straightened by vertical displacements (an approximation)."""
from __future__ import annotations

import numpy as np
import pytest

import ocrprep
from ocrprep.dewarp import APPROXIMATION_NOTE, dewarp
from ocrprep.errors import ImageTypeError

WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split()


def text_page(h=900, w=1100, seed=1):
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 24)
    except OSError:
        font = ImageFont.load_default(size=24)
    im = Image.new("L", (w, h), 240)
    d = ImageDraw.Draw(im)
    rng = np.random.default_rng(seed)
    for y in range(60, h - 80, 40):
        d.text((50, y), " ".join(rng.choice(WORDS, 12)), fill=20, font=font)
    return np.asarray(im).copy()


def curl(img, amp=25.0):
    """Bend the lines downwards into parabolas (deeper lower on the page), like a page curling at the right."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    d = amp * (0.5 + yy / h) * 4 * ((xx - 0.3 * w) / w) ** 2
    sy = np.clip(yy - d, 0, h - 1)
    r0 = np.floor(sy).astype(int)
    r1 = np.minimum(r0 + 1, h - 1)
    fr = sy - r0
    cols = xx.astype(int)
    return np.clip(np.rint(img[r0, cols] * (1 - fr) + img[r1, cols] * fr), 0, 255).astype(np.uint8)


def straightness(img):
    """How much the ink concentrates in few rows (high when text lines are horizontal)."""
    ink = (ocrprep.binarize(img) == 0).sum(axis=1).astype(float)
    return (ink ** 2).sum() / ink.sum() ** 2 * len(ink)


def line_rows(img, x0, x1):
    """Centre rows of the text lines within columns x0..x1."""
    ink = (ocrprep.binarize(img)[:, x0:x1] == 0).sum(axis=1) > 0
    starts = np.flatnonzero(ink[1:] & ~ink[:-1]) + 1
    ends = np.flatnonzero(~ink[1:] & ink[:-1]) + 1
    return [(a + b) / 2 for a, b in zip(starts, ends) if b - a >= 8]


def test_curled_lines_come_out_straight():
    page = text_page()
    bent = curl(page)
    flat, notes = dewarp(bent, return_warnings=True)
    assert flat.shape == bent.shape and flat.dtype == np.uint8
    assert notes[0] == APPROXIMATION_NOTE and any("text lines straightened" in n for n in notes)
    # most of the straightness lost to the curl is recovered
    s_page, s_bent, s_flat = straightness(page), straightness(bent), straightness(flat)
    assert s_bent < 0.6 * s_page
    assert s_flat > s_bent + 0.8 * (s_page - s_bent)
    # the lines are at the same height at the left and at the right of the page again (the curl moved
    # their right ends down by 12..37 px)

    def level(img):
        left, right = line_rows(img, 60, 200), line_rows(img, 800, 950)
        assert len(right) >= 12
        return np.mean([min(abs(r - l) for l in left) <= 3 for r in right])

    assert level(bent) < 0.3
    assert level(flat) >= 0.9


@pytest.mark.tesseract
def test_dewarping_gives_tesseract_its_words_back():
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("tesseract not installed")
    import pytesseract
    from PIL import Image

    page = text_page()
    bent = curl(page, amp=35)

    def found(img):
        return sum(w in WORDS for w in pytesseract.image_to_string(Image.fromarray(img)).split())

    assert found(dewarp(bent)) > found(bent) + 20


def test_straight_and_empty_pages_are_left_alone():
    page = text_page(seed=4)
    assert np.abs(dewarp(page).astype(int) - page).mean() < 3
    blank = np.full((200, 300), 250, np.uint8)
    out, notes = dewarp(blank, return_warnings=True)
    assert np.array_equal(out, blank) and out is not blank
    assert any("fewer than two text lines" in n for n in notes)
    tiny, notes = dewarp(np.zeros((5, 5), np.uint8), return_warnings=True)
    assert tiny.shape == (5, 5) and "too small" in notes[-1]


def test_binary_and_colour_pages():
    bent = curl(text_page())
    bw = ocrprep.binarize(bent)
    out = dewarp(bw)
    assert set(np.unique(out).tolist()) <= {0, 255}
    assert straightness(out) > straightness(bw) * 1.3
    rgb = np.dstack([bent, bent, bent])
    out_rgb = dewarp(rgb)
    assert out_rgb.shape == rgb.shape
    assert np.abs(out_rgb[:, :, 0].astype(int) - dewarp(bent)).max() <= 1


def test_errors_and_doctests():
    import doctest
    import importlib

    with pytest.raises(ImageTypeError):
        dewarp(np.zeros((50, 50), np.float32))
    result = doctest.testmod(importlib.import_module("ocrprep.dewarp"))
    assert result.failed == 0 and result.attempted > 0
