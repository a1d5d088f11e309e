"""ocrprep.median: bit-identity with cv2.medianBlur and a numpy oracle, views, out=, threads, errors."""
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib.stride_tricks import sliding_window_view

import ocrprep
from imagegen import SHAPES, random_image
from ocrprep import _median

ODD_SIZES = list(range(1, 256, 2))
MANY_SHAPES_SIZES = [1, 3, 5, 7, 9, 11, 15, 21, 31, 63]


def numpy_median(img, size):
    """Independent oracle: edge-replicated padding, then the middle of each sorted window."""
    r = size // 2
    padded = np.pad(img, r, mode="edge")
    win = sliding_window_view(padded, (size, size)).reshape(img.shape + (size * size,))
    mid = size * size // 2
    return np.partition(win, mid, axis=-1)[..., mid]


def band(img, size, method):
    out = np.empty_like(img)
    _median.median_band(img, out, size, 0, img.shape[0], method)
    return out


# --- against OpenCV -----------------------------------------------------------------------

@pytest.mark.parametrize("size", MANY_SHAPES_SIZES)
@pytest.mark.parametrize("shape", SHAPES + [(300, 2), (2, 300), (480, 640)])
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
def test_matches_cv2_many_shapes(rng, cv2, size, shape, kind):
    img = random_image(rng, shape, kind)
    np.testing.assert_array_equal(ocrprep.median(img, size), cv2.medianBlur(img, size))


@pytest.mark.parametrize("size", ODD_SIZES)
def test_matches_cv2_every_size(rng, cv2, size):
    # a window far larger than the image, about as large, and smaller
    for shape in [(1, 1), (3, 200), (200, 3), (47, 61), (260, 270)]:
        img = random_image(rng, shape, "smooth" if shape[0] > 100 else "uniform")
        np.testing.assert_array_equal(ocrprep.median(img, size), cv2.medianBlur(img, size),
                                      err_msg=f"size {size} shape {shape}")


@pytest.mark.parametrize("size", [3, 5])
def test_matches_cv2_binary_and_extremes(rng, cv2, size):
    # only 0 and 255, runs of equal values: where min/max networks meet ties
    img = np.where(rng.random((97, 131)) < 0.5, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(ocrprep.median(img, size), cv2.medianBlur(img, size))
    for value in (0, 1, 254, 255):
        flat = np.full((9, 13), value, np.uint8)
        np.testing.assert_array_equal(ocrprep.median(flat, size), flat)


# --- against numpy (no OpenCV needed) ------------------------------------------------------

@pytest.mark.parametrize("size", [1, 3, 5, 7, 9, 13, 25, 41])
@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (9, 1), (4, 4), (17, 23), (40, 33)])
def test_matches_numpy_oracle(rng, size, shape):
    img = random_image(rng, shape)
    np.testing.assert_array_equal(ocrprep.median(img, size), numpy_median(img, size))


# --- every algorithm and instruction set of the C loops ------------------------------------

@pytest.mark.parametrize("size", [3, 5, 7, 9, 15, 17, 31, 33, 101, 255])
@pytest.mark.parametrize("method", ["HISTOGRAM", "HISTOGRAM_SSE2", "HISTOGRAM_PLAIN", "NETWORK"])
def test_each_algorithm(rng, cv2, size, method):
    if method == "NETWORK" and size not in (3, 5):
        pytest.skip("sorting networks exist for sizes 3 and 5 only")
    for shape in [(1, 1), (1, 40), (40, 1), (2, 2), (33, 47), (211, 300), (5, 2200)]:
        img = random_image(rng, shape, "doc" if shape[0] > 100 else "uniform")
        np.testing.assert_array_equal(band(img, size, getattr(_median, method)), cv2.medianBlur(img, size),
                                      err_msg=f"{method} size {size} shape {shape}")


@pytest.mark.parametrize("size", [3, 5, 7, 15, 63, 255])
def test_wide_images_cross_column_strips(rng, cv2, size):
    # the loops walk the image in strips of columns (1024 for the histograms,
    # 4096 for the 5x5 ring); outputs next to a strip's edge must not notice
    for shape in [(9, 2300), (3, 4500), (40, 1024 + 127), (2, 8200)]:
        img = random_image(rng, shape, "smooth")
        np.testing.assert_array_equal(ocrprep.median(img, size), cv2.medianBlur(img, size),
                                      err_msg=f"size {size} shape {shape}")


def test_network_rejects_other_sizes(rng):
    with pytest.raises(ValueError, match="no sorting network"):
        band(random_image(rng, (8, 8)), 7, _median.NETWORK)


def test_bands_are_independent(rng, cv2):
    # every band starts from its own first row: any split gives the same image
    img = random_image(rng, (157, 203), "doc")
    for size in (3, 5, 9, 31):
        ref = cv2.medianBlur(img, size)
        for y0, y1 in [(0, 1), (0, 50), (50, 51), (50, 157), (156, 157), (3, 3)]:
            out = np.zeros_like(img)
            _median.median_band(img, out, size, y0, y1)
            np.testing.assert_array_equal(out[y0:y1], ref[y0:y1])
            assert not out[:y0].any() and not out[y1:].any()


# --- views, read-only input, out= ----------------------------------------------------------

@pytest.mark.parametrize("size", [3, 5, 11])
def test_strided_and_readonly_inputs(rng, cv2, size):
    big = random_image(rng, (160, 190), "doc")
    views = [big[::2, ::3], big[10:90, 20:150], big[::-1], big[:, ::-1], big.T, big[5:6], big[:, 7:8]]
    ro = big.copy()
    ro.flags.writeable = False
    views.append(ro)
    for view in views:
        expected = cv2.medianBlur(np.ascontiguousarray(view), size)
        np.testing.assert_array_equal(ocrprep.median(view, size), expected)
    assert not ro.flags.writeable


@pytest.mark.parametrize("size", [3, 5, 9])
def test_out_and_inplace(rng, cv2, size):
    img = random_image(rng, (120, 77), "doc")
    expected = cv2.medianBlur(img, size)
    out = np.empty_like(img)
    assert ocrprep.median(img, size, out=out) is out
    np.testing.assert_array_equal(out, expected)
    same = img.copy()
    assert ocrprep.median(same, size, out=same) is same
    np.testing.assert_array_equal(same, expected)
    strided = np.zeros((120, 154), np.uint8)[:, ::2]
    assert ocrprep.median(img, size, out=strided) is strided
    np.testing.assert_array_equal(strided, expected)
    # out overlapping a view of the input
    base = np.zeros((120, 154), np.uint8)
    base[:, :77] = img
    ocrprep.median(base[:, :77], size, out=base[:, 1:78])
    np.testing.assert_array_equal(base[:, 1:78], expected)


def test_size_one_is_a_copy(rng):
    img = random_image(rng, (31, 17))
    res = ocrprep.median(img, 1)
    np.testing.assert_array_equal(res, img)
    assert res is not img and not np.shares_memory(res, img)


def test_numpy_integer_size(rng, cv2):
    img = random_image(rng, (20, 20))
    np.testing.assert_array_equal(ocrprep.median(img, np.int64(5)), cv2.medianBlur(img, 5))


# --- threads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [3, 5, 15, 45])
@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_threads_same_result(rng, cv2, size, threads):
    img = random_image(rng, (701, 389), "doc")
    np.testing.assert_array_equal(ocrprep.median(img, size, threads=threads), cv2.medianBlur(img, size))


def test_more_threads_than_rows(rng, cv2):
    img = random_image(rng, (3, 500))
    np.testing.assert_array_equal(ocrprep.median(img, 5, threads=16), cv2.medianBlur(img, 5))


def test_called_from_many_threads_at_once(rng):
    imgs = [random_image(rng, (300, 257), kind) for kind in ("uniform", "smooth", "doc", "doc")]
    expected = [ocrprep.median(im, s, threads=1) for im, s in zip(imgs, (3, 5, 15, 31))]
    results = [[None] * 4 for _ in range(8)]
    barrier = threading.Barrier(8)

    def work(i):
        barrier.wait()
        for j, (im, s) in enumerate(zip(imgs, (3, 5, 15, 31))):
            results[i][j] = ocrprep.median(im, s, threads=2)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    for row in results:
        for got, exp in zip(row, expected):
            np.testing.assert_array_equal(got, exp)


# --- properties --------------------------------------------------------------------------------

sizes = st.sampled_from([1, 3, 5, 7, 9, 11, 15, 21, 33, 51, 99, 255])


@settings(max_examples=150, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)), sizes)
def test_property_vs_cv2(img, size):
    cv2 = pytest.importorskip("cv2")
    np.testing.assert_array_equal(ocrprep.median(img, size), cv2.medianBlur(img, size))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30)),
       st.sampled_from([3, 5, 7, 9, 15]))
def test_property_vs_numpy(img, size):
    np.testing.assert_array_equal(ocrprep.median(img, size), numpy_median(img, size))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)), sizes)
def test_property_symmetries(img, size):
    med = ocrprep.median(img, size)
    # self-dual (inverting commutes), transposing and flipping commute (square window)
    np.testing.assert_array_equal(ocrprep.median(255 - img, size), 255 - med)
    np.testing.assert_array_equal(ocrprep.median(img.T, size), med.T)
    np.testing.assert_array_equal(ocrprep.median(img[::-1, ::-1], size), med[::-1, ::-1])
    # bounded by the image's extremes; monotone in the input
    assert med.min() >= img.min() and med.max() <= img.max()
    brighter = np.maximum(img, np.roll(img, 1, axis=1))
    assert (ocrprep.median(brighter, size) >= med).all()


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 2, 4, 256, -1, -3, 257, 1001])
def test_bad_size_value(rng, size):
    with pytest.raises(ocrprep.InvalidParameterError, match="size"):
        ocrprep.median(random_image(rng, (8, 8)), size)


@pytest.mark.parametrize("size", [3.0, 2.5, "3", None, True, [3]])
def test_bad_size_type(rng, size):
    with pytest.raises(ocrprep.ParameterTypeError, match="size"):
        ocrprep.median(random_image(rng, (8, 8)), size)


def test_bad_images():
    with pytest.raises(ocrprep.ImageTypeError, match="dtype uint8"):
        ocrprep.median(np.zeros((8, 8), np.float32), 3)
    with pytest.raises(ocrprep.ImageTypeError, match="dtype uint8"):
        ocrprep.median(np.zeros((8, 8), np.uint16), 3)
    with pytest.raises(ocrprep.ImageTypeError, match="boolean"):
        ocrprep.median(np.zeros((8, 8), bool), 3)
    with pytest.raises(ocrprep.ImageTypeError, match="numpy.ndarray"):
        ocrprep.median([[1, 2], [3, 4]], 3)
    with pytest.raises(ocrprep.InvalidImageError, match="2-D"):
        ocrprep.median(np.zeros((8, 8, 3), np.uint8), 3)
    with pytest.raises(ocrprep.InvalidImageError, match="2-D"):
        ocrprep.median(np.zeros(8, np.uint8), 3)
    for shape in [(0, 5), (5, 0), (0, 0)]:
        with pytest.raises(ocrprep.InvalidImageError, match="empty"):
            ocrprep.median(np.zeros(shape, np.uint8), 3)
    # the errors are also the built-in types a caller expects
    with pytest.raises(ValueError):
        ocrprep.median(np.zeros((0, 5), np.uint8), 3)
    with pytest.raises(TypeError):
        ocrprep.median(np.zeros((8, 8), np.float64), 3)


def test_bad_out_and_threads(rng):
    img = random_image(rng, (8, 8))
    with pytest.raises(ocrprep.InvalidImageError, match="shape"):
        ocrprep.median(img, 3, out=np.empty((8, 9), np.uint8))
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.median(img, 3, out=np.empty((8, 8), np.int16))
    ro = np.empty((8, 8), np.uint8)
    ro.flags.writeable = False
    with pytest.raises(ocrprep.InvalidImageError, match="read-only"):
        ocrprep.median(img, 3, out=ro)
    with pytest.raises(ocrprep.InvalidParameterError, match="threads"):
        ocrprep.median(img, 3, threads=0)
    with pytest.raises(ocrprep.ParameterTypeError, match="threads"):
        ocrprep.median(img, 3, threads=1.5)


def test_docstring_examples():
    import doctest
    import importlib

    module = importlib.import_module("ocrprep.median")
    result = doctest.testmod(module)
    assert result.attempted >= 4 and result.failed == 0
