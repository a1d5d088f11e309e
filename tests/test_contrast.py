import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from ocrprep.contrast import contrast_stretch, percentile_level, stretch_table
from imagegen import SHAPES, random_image


def oracle_level(img, pct):
    """The definition in the docstring, straight from a sorted copy of the pixels."""
    values = np.sort(img, axis=None)
    rank = max(1, math.ceil(Fraction(pct) * values.size / 100))
    return int(values[rank - 1])


def oracle_stretch(img, low, high):
    lo, hi = oracle_level(img, low), oracle_level(img, high)
    if lo == hi:
        return img.copy()
    v = img.astype(np.float64)
    scaled = np.floor(255.0 * (v - lo) / (hi - lo) + 0.5)  # round half up
    return np.clip(scaled, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("shape", SHAPES + [(480, 640)])
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("pcts", [(1, 99), (0, 100), (5, 95), (0.5, 99.5), (10, 11), (49.9, 50.1)])
def test_matches_numpy_oracle(rng, shape, kind, pcts):
    img = random_image(rng, shape, kind)
    np.testing.assert_array_equal(contrast_stretch(img, *pcts, threads=1), oracle_stretch(img, *pcts))


@pytest.mark.parametrize("pct", [0, 0.1, 1, 2.5, 25, 50, 75, 99, 99.9, 100])
def test_percentile_level_is_numpy_inverted_cdf(rng, pct):
    img = random_image(rng, (97, 103), "smooth")  # 9991 pixels: p*N/100 is not an integer
    hist = ocrprep.histogram(img)
    level = percentile_level(hist, pct)
    assert level == oracle_level(img, pct)
    assert level == int(np.percentile(img, pct, method="inverted_cdf"))
    rank = max(1, math.ceil(Fraction(pct) * img.size / 100))
    assert (img <= level).sum() >= rank > (img < level).sum()


def test_percentile_extremes_and_exact_ranks():
    img = np.array([[10, 20, 30, 40]], np.uint8)
    hist = ocrprep.histogram(img)
    assert [percentile_level(hist, p) for p in (0, 25, 25.0001, 50, 75, 100)] == [10, 10, 20, 20, 30, 40]


def test_full_range_example():
    img = np.array([[100, 110, 120, 130, 140]], np.uint8)
    assert contrast_stretch(img, 0, 100).tolist() == [[0, 64, 128, 191, 255]]
    # the stretched image spans 0..255 and keeps the order of grey levels
    levels = np.arange(60, 200, dtype=np.uint8).reshape(10, 14)
    out = contrast_stretch(levels, 0, 100)
    assert out.min() == 0 and out.max() == 255
    assert (np.diff(out.ravel().astype(int)) >= 0).all()


def test_clipping_fractions(rng):
    img = random_image(rng, (200, 300), "smooth")
    out = contrast_stretch(img, 2, 97)
    lo, hi = oracle_level(img, 2), oracle_level(img, 97)
    assert ((out == 0) == (img <= lo)).all()
    assert ((out == 255) == (img >= hi)).all()
    assert (img < lo).mean() < 0.02 and (img > hi).mean() < 0.03


def test_stretch_table():
    t = stretch_table(10, 20)
    assert t[:11].tolist() == [0] * 11 and t[20:].tolist() == [255] * 236
    assert t[15] == 128  # 127.5 rounds half up
    assert stretch_table(0, 255).tolist() == list(range(256))
    with pytest.raises(ocrprep.InvalidParameterError):
        stretch_table(5, 5)


@pytest.mark.parametrize("value", [0, 7, 255])
def test_flat_image_is_copied(value):
    img = np.full((30, 40), value, np.uint8)
    out = contrast_stretch(img)
    np.testing.assert_array_equal(out, img)
    assert out is not img and not np.shares_memory(out, img)


def test_single_level_range_is_copied(rng):
    # over 98 % of the pixels are 200: the 1st and 99th percentiles are both 200
    img = np.full((100, 100), 200, np.uint8)
    img.ravel()[:99] = 3
    img.ravel()[-99:] = 250
    np.testing.assert_array_equal(contrast_stretch(img), img)


def test_strided_readonly_out_inplace_threads(rng):
    big = random_image(rng, (300, 260), "doc")
    for view in (big[::2, ::3], big.T, big[::-1], np.broadcast_to(big[7], (50, 260))):
        np.testing.assert_array_equal(contrast_stretch(view), oracle_stretch(np.ascontiguousarray(view), 1, 99))
    ro = big.copy()
    ro.setflags(write=False)
    np.testing.assert_array_equal(contrast_stretch(ro), oracle_stretch(big, 1, 99))
    same = big.copy()
    assert contrast_stretch(same, out=same) is same
    np.testing.assert_array_equal(same, oracle_stretch(big, 1, 99))
    strided = np.zeros((300, 520), np.uint8)[:, ::2]
    assert contrast_stretch(big, out=strided) is strided
    np.testing.assert_array_equal(strided, oracle_stretch(big, 1, 99))
    img = random_image(rng, (1500, 400), "smooth")
    for threads in (1, 2, 3, 8):
        np.testing.assert_array_equal(contrast_stretch(img, 3, 96, threads=threads), oracle_stretch(img, 3, 96))


@settings(max_examples=100, deadline=None)
@given(
    img=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)),
    low=st.floats(0, 100, allow_nan=False),
    width=st.floats(0.001, 100, allow_nan=False),
)
def test_property_vs_oracle(img, low, width):
    high = min(100.0, low + width)
    if not low < high:
        return
    np.testing.assert_array_equal(contrast_stretch(img, low, high), oracle_stretch(img, low, high))


@pytest.mark.parametrize("low,high", [(-1, 99), (1, 101), (50, 50), (60, 40), (0, 0), (100, 100),
                                      (float("nan"), 99), (1, float("inf"))])
def test_bad_percentiles(rng, low, high):
    with pytest.raises(ocrprep.InvalidParameterError):
        contrast_stretch(random_image(rng, (8, 8)), low, high)


@pytest.mark.parametrize("low,high", [("1", 99), (1, None), (True, 99), (1, [99])])
def test_bad_percentile_types(rng, low, high):
    with pytest.raises(ocrprep.ParameterTypeError):
        contrast_stretch(random_image(rng, (8, 8)), low, high)


def test_bad_images():
    with pytest.raises(ocrprep.ImageTypeError):
        contrast_stretch(np.zeros((4, 4), np.uint16))
    with pytest.raises(ocrprep.InvalidImageError):
        contrast_stretch(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        contrast_stretch(np.zeros((0, 0), np.uint8))
    with pytest.raises(ocrprep.ImageTypeError):
        contrast_stretch(None)


def test_public_name():
    assert ocrprep.contrast_stretch is contrast_stretch
