"""ocrprep.upscale: 2x bicubic (checked against OpenCV's INTER_CUBIC) + clamped unsharp mask."""
from __future__ import annotations

import numpy as np
import pytest

import ocrprep
from ocrprep.errors import ImageTypeError, InvalidParameterError

cv2 = pytest.importorskip("cv2")


def text_page(size=22):
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size)
    except OSError:
        font = ImageFont.load_default(size=size)
    im = Image.new("L", (900, 200), 235)
    d = ImageDraw.Draw(im)
    d.text((10, 10), "The quick brown fox jumps over the lazy dog 0123", fill=20, font=font)
    d.text((10, 60), "Pack my box with five dozen liquor jugs, said Ann.", fill=30, font=font)
    d.text((10, 110), "Sphinx of black quartz, judge my vow! 456789", fill=25, font=font)
    return np.asarray(im).copy()


def psnr(a, b):
    return 10 * np.log10(255 ** 2 / np.mean((a.astype(float) - b.astype(float)) ** 2))


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (5, 7), (300, 257), (600, 41), (100, 90, 3), (17, 33, 4)])
def test_without_sharpening_it_is_opencv_bicubic(shape):
    rng = np.random.default_rng(sum(shape))
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    out = ocrprep.upscale(img, sharpen=0)
    ref = cv2.resize(img, (2 * shape[1], 2 * shape[0]), interpolation=cv2.INTER_CUBIC)
    assert out.shape == ref.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - ref.astype(int)).max() <= 1


def test_never_leaves_the_range_of_the_source_neighbourhood():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (64, 80), dtype=np.uint8)
    out = ocrprep.upscale(img, sharpen=3.0).astype(int)
    p = np.pad(img, 1, mode="edge").astype(int)
    # output pixel (2i + a, 2j + b) lies within source rows i-1+a..i+a, columns j-1+b..j+b
    for a in (0, 1):
        for b in (0, 1):
            quad = np.stack([p[a + dy:a + dy + 64, b + dx:b + dx + 80] for dy in (0, 1) for dx in (0, 1)])
            sub = out[a::2, b::2]
            assert (sub >= quad.min(0)).all() and (sub <= quad.max(0)).all()


def test_crisper_than_bilinear_and_plain_bicubic_on_small_text():
    ref = text_page()
    small = ocrprep.resize(ref, ref.shape[1] // 2, ref.shape[0] // 2)
    up = ocrprep.upscale(small)
    assert up.shape == ref.shape
    bilinear = ocrprep.scale(small, 2.0)
    bicubic = cv2.resize(small, (ref.shape[1], ref.shape[0]), interpolation=cv2.INTER_CUBIC)
    assert psnr(up, ref) > psnr(bilinear, ref) + 1.0
    assert psnr(up, ref) > psnr(bicubic, ref) + 0.3


def test_flat_image_and_steps_stay_exact():
    flat = np.full((9, 11, 3), 77, np.uint8)
    assert (ocrprep.upscale(flat) == 77).all()
    step = np.full((6, 8), 210, np.uint8)
    step[:, 4:] = 15
    out = ocrprep.upscale(step)
    assert out.min() == 15 and out.max() == 210
    assert (out[:, :6] == 210).all() and (out[:, 10:] == 15).all()
    assert (np.diff(out.astype(int), axis=1) <= 0).all()  # monotone edge: no ringing


def test_bands_join_seamlessly():
    rng = np.random.default_rng(9)
    img = rng.integers(0, 256, (700, 33), dtype=np.uint8)  # more rows than one band
    whole = ocrprep.upscale(img)
    top = ocrprep.upscale(img[:300])
    assert np.array_equal(whole[:500], top[:500])  # rows far from the cut agree


def test_out_and_errors():
    img = np.zeros((3, 4), np.uint8)
    out = np.empty((6, 8), np.uint8)
    assert ocrprep.upscale(img, out=out) is out
    with pytest.raises(InvalidParameterError, match="sharpen"):
        ocrprep.upscale(img, sharpen=5)
    with pytest.raises(InvalidParameterError):
        ocrprep.upscale(img, sharpen=float("nan"))
    with pytest.raises(ImageTypeError):
        ocrprep.upscale(img.astype(np.float32))


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.upscale"))
    assert result.failed == 0 and result.attempted > 0
