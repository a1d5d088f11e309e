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


def test_histogram_out_is_written_and_returned(rng):
    img = random_image(rng, (301, 257), "doc")
    expected = np.bincount(img.ravel(), minlength=256)
    for threads in (1, 2):
        out = np.full(256, -7, np.int64)  # overwritten, not added to
        got = ocrprep.histogram(img, out=out, threads=threads)
        assert got is out
        np.testing.assert_array_equal(out, expected)
    backing = np.full(512, -1, np.int64)
    strided = backing[::2]  # any strides
    assert ocrprep.histogram(img, out=strided) is strided
    np.testing.assert_array_equal(strided, expected)
    assert (backing[1::2] == -1).all()


def test_histogram_out_sharing_the_image_memory():
    # the counts land in the memory being counted: every pixel is read first
    buf = np.zeros(256, np.int64)
    img = buf.view(np.uint8).reshape(64, 32)
    img[:] = 3
    img[0, :5] = 250
    expected = np.bincount(img.ravel(), minlength=256)
    assert ocrprep.histogram(img, out=buf) is buf
    np.testing.assert_array_equal(buf, expected)


@pytest.mark.parametrize(
    "out, exc, match",
    [
        (np.zeros(255, np.int64), ocrprep.InvalidImageError, r"shape \(255,\), expected \(256,\)"),
        (np.zeros((1, 256), np.int64), ocrprep.InvalidImageError, "shape"),
        (np.zeros(256, np.int32), ocrprep.ImageTypeError, "dtype int64, got int32"),
        (np.zeros(256, np.uint64), ocrprep.ImageTypeError, "dtype int64"),
        (np.zeros(256, np.float64), ocrprep.ImageTypeError, "dtype int64"),
        ([0] * 256, ocrprep.ImageTypeError, "numpy.ndarray"),
    ],
)
def test_histogram_bad_out(out, exc, match):
    img = np.zeros((3, 3), np.uint8)
    with pytest.raises(exc, match=match) as info:
        ocrprep.histogram(img, out=out)
    assert isinstance(info.value, ocrprep.OcrprepError)


def test_histogram_read_only_out_is_refused_untouched():
    out = np.full(256, 5, np.int64)
    out.flags.writeable = False
    with pytest.raises(ocrprep.InvalidImageError, match="read-only"):
        ocrprep.histogram(np.zeros((3, 3), np.uint8), out=out)
    assert (out == 5).all()
