import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from imagegen import SHAPES, random_image


@pytest.mark.parametrize("shape", SHAPES)
def test_histogram_matches_bincount(rng, shape):
    img = random_image(rng, shape)
    h = ocrprep.histogram(img)
    assert h.dtype == np.int64 and h.shape == (256,)
    np.testing.assert_array_equal(h, np.bincount(img.ravel(), minlength=256))


def test_histogram_strided_and_readonly(rng):
    big = random_image(rng, (200, 300))
    for view in (big[::3, ::2], big.T, big[10:50, 7:8], big[:, ::-1]):
        view = view.copy() if False else view
        view.flags.writeable = False if view.base is None else view.flags.writeable
        np.testing.assert_array_equal(ocrprep.histogram(view), np.bincount(view.ravel(), minlength=256))
    ro = big.copy()
    ro.flags.writeable = False
    np.testing.assert_array_equal(ocrprep.histogram(ro), np.bincount(ro.ravel(), minlength=256))


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_histogram_threads_agree(rng, threads):
    img = random_image(rng, (1031, 517), "smooth")
    np.testing.assert_array_equal(ocrprep.histogram(img, threads=threads), np.bincount(img.ravel(), minlength=256))


def test_histogram_matches_cv2(rng, cv2):
    img = random_image(rng, (300, 401), "doc")
    ref = cv2.calcHist([img], [0], None, [256], [0, 256]).ravel().astype(np.int64)
    np.testing.assert_array_equal(ocrprep.histogram(img), ref)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)))
def test_histogram_property(img):
    h = ocrprep.histogram(img)
    assert h.sum() == img.size
    np.testing.assert_array_equal(h, np.bincount(img.ravel(), minlength=256))


@pytest.mark.parametrize(
    "bad, exc",
    [
        ([[1, 2], [3, 4]], TypeError),
        (np.zeros((3, 3), np.float32), TypeError),
        (np.zeros((3, 3, 3, 1), np.uint8), ValueError),
        (np.zeros((0, 5), np.uint8), ValueError),
        (np.zeros(5, np.uint8), ValueError),
        ("image.png", TypeError),
    ],
)
def test_histogram_bad_input(bad, exc):
    with pytest.raises(exc) as info:
        ocrprep.histogram(bad)
    assert isinstance(info.value, ocrprep.OcrprepError)


def test_threads_argument_validated(rng):
    img = random_image(rng, (4, 4))
    for bad in (0, -1):
        with pytest.raises(ocrprep.InvalidParameterError):
            ocrprep.histogram(img, threads=bad)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.histogram(img, threads=1.5)


@pytest.mark.parametrize("shape, value", [((1, 600_001), 0), ((2000, 1100), 255), ((1100, 2000), 7)])
def test_histogram_counts_past_the_16_bit_counters(shape, value):
    # the kernel counts in 16-bit tables flushed before they can overflow:
    # one grey level filling rows wider than 8 * 65535 pixels, and images
    # far beyond 65535 pixels per table, must still count exactly
    img = np.full(shape, value, np.uint8)
    img[0, :5] = 3
    h = ocrprep.histogram(img, threads=1)
    assert h[value] == img.size - 5 and h[3] == 5 and h.sum() == img.size
    np.testing.assert_array_equal(ocrprep.histogram(img.T, threads=1), h)  # strided path
