import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from imagegen import SHAPES, random_image


@pytest.mark.parametrize("shape", SHAPES + [(480, 640)])
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
def test_otsu_matches_cv2(rng, cv2, shape, kind):
    img = random_image(rng, shape, kind)
    t, ref = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert ocrprep.otsu_threshold(img) == int(t)
    np.testing.assert_array_equal(ocrprep.binarize(img, method="otsu"), ref)


@settings(max_examples=80, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=50)))
def test_otsu_property_vs_cv2(img):
    cv2 = pytest.importorskip("cv2")
    t, ref = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ours = ocrprep.otsu_threshold(img)
    if ours != int(t):
        # an exact tie of the between-class variance (e.g. [[6, 3, 0]]: {0} | {3, 6} and {0, 3} | {6}),
        # which OpenCV's floating-point sums break by rounding: both must be maximal, computed exactly
        assert _between_class(img, ours) == _between_class(img, int(t)) == max(
            _between_class(img, v) for v in range(256)), (ours, t)


def _between_class(img, t):
    """Otsu's between-class variance of threshold ``t`` (class 0: levels <= t), exactly, times N**4."""
    from fractions import Fraction

    v = img.astype(np.int64).ravel()
    low, high = v[v <= t], v[v > t]
    if not len(low) or not len(high):
        return Fraction(0)
    n0, n1, s0, s1 = len(low), len(high), int(low.sum()), int(high.sum())
    return Fraction((n1 * s0 - n0 * s1) ** 2, n0 * n1)


@pytest.mark.parametrize("value", [1, 50, 127, 128, 200, 254, 255])
def test_threshold_matches_numpy(rng, value):
    img = random_image(rng, (123, 77))
    expected = np.where(img > value, 255, 0).astype(np.uint8)
    np.testing.assert_array_equal(ocrprep.threshold(img, value), expected)


def test_threshold_is_monotonic_in_value(rng):
    img = random_image(rng, (64, 64), "smooth")
    ink = [int((ocrprep.threshold(img, v) == 0).sum()) for v in (50, 100, 150, 200)]
    assert ink == sorted(ink) and ink[0] < ink[-1]


def test_threshold_out_and_inplace(rng):
    img = random_image(rng, (50, 60))
    expected = np.where(img > 100, 255, 0).astype(np.uint8)
    out = np.empty_like(img)
    assert ocrprep.threshold(img, 100, out=out) is out
    np.testing.assert_array_equal(out, expected)
    same = img.copy()
    ocrprep.threshold(same, 100, out=same)
    np.testing.assert_array_equal(same, expected)
    strided = np.zeros((50, 120), np.uint8)[:, ::2]
    ocrprep.threshold(img, 100, out=strided)
    np.testing.assert_array_equal(strided, expected)


def test_threshold_strided_input(rng):
    big = random_image(rng, (100, 90))
    view = big[::2, ::3]
    np.testing.assert_array_equal(ocrprep.threshold(view, 128), np.where(view > 128, 255, 0))


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_threshold_threads(rng, threads):
    img = random_image(rng, (1500, 700), "smooth")
    np.testing.assert_array_equal(ocrprep.threshold(img, 140, threads=threads), np.where(img > 140, 255, 0))


@pytest.mark.parametrize("bad", [-1, 256, 1000])
def test_threshold_value_range(rng, bad):
    with pytest.raises(ocrprep.InvalidParameterError, match="between 0 and 255"):
        ocrprep.threshold(random_image(rng, (4, 4)), bad)


@pytest.mark.parametrize("bad", [1.5, "100", None, True])
def test_threshold_value_type(rng, bad):
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.threshold(random_image(rng, (4, 4)), bad)


def test_bad_out(rng):
    img = random_image(rng, (4, 4))
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.threshold(img, 10, out=np.empty((4, 5), np.uint8))
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.threshold(img, 10, out=np.empty((4, 4), np.float32))


def test_unknown_method(rng):
    with pytest.raises(ocrprep.InvalidParameterError, match="unknown binarization method"):
        ocrprep.binarize(random_image(rng, (4, 4)), method="magic")


@pytest.mark.parametrize("method, good", [("auto", "k"), ("otsu", None), ("sauvola", "window"),
                                          ("niblack", "k"), ("wolf", "k"), ("nick", "k"),
                                          ("bernsen", "contrast_limit")])
def test_unknown_method_parameter_names_the_valid_ones(rng, method, good):
    img = random_image(rng, (40, 40), "doc")
    with pytest.raises(ocrprep.ParameterTypeError, match="unexpected parameter.*windw") as err:
        ocrprep.binarize(img, method=method, windw=15)
    assert isinstance(err.value, TypeError)
    if good:
        assert good in str(err.value)
    else:
        assert "no parameters" in str(err.value)
