import sys
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from ocrprep.morphology import dilate, erode
from imagegen import SHAPES, random_image

OPS = {"dilate": (dilate, "dilate"), "erode": (erode, "erode")}
WINDOWS = [1, 3, 5, 7, 9, 15, 17, 25, 31, 65, (1, 3), (3, 1), (1, 15), (15, 1), (3, 7), (7, 3),
           (5, 21), (21, 5), (9, 1), (1, 9), (33, 3), (3, 33), (129, 7), (7, 129)]


def reference(cv2, opname, img, size):
    """OpenCV's result: a rectangle of ones as the structuring element."""
    h, w = (size, size) if isinstance(size, int) else size
    return getattr(cv2, opname)(img, np.ones((h, w), np.uint8))


def numpy_reference(img, size, fn):
    """Slow but obvious oracle: max/min over the edge-padded window."""
    h, w = (size, size) if isinstance(size, int) else size
    pad = np.pad(img, ((h // 2, h // 2), (w // 2, w // 2)), mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(pad, (h, w))
    return fn(win, axis=(2, 3)).astype(np.uint8)


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", WINDOWS)
def test_matches_cv2(rng, cv2, op, shape, size):
    fn, cvname = OPS[op]
    img = random_image(rng, shape)
    np.testing.assert_array_equal(fn(img, size, threads=1), reference(cv2, cvname, img, size))


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("kind", ["smooth", "doc"])
@pytest.mark.parametrize("size", [3, 15, (5, 41), 101])
def test_page_like_images_match_cv2(rng, cv2, op, kind, size):
    fn, cvname = OPS[op]
    img = random_image(rng, (300, 411), kind)
    np.testing.assert_array_equal(fn(img, size), reference(cv2, cvname, img, size))


@pytest.mark.parametrize("size", [3, (5, 9), 15, 99])
def test_matches_numpy_oracle(rng, size):
    img = random_image(rng, (61, 83))
    np.testing.assert_array_equal(dilate(img, size), numpy_reference(img, size, np.max))
    np.testing.assert_array_equal(erode(img, size), numpy_reference(img, size, np.min))


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (6, 1), (4, 5)])
@pytest.mark.parametrize("size", [3, 9, (11, 3), (3, 11), 4095])
def test_window_larger_than_image(rng, cv2, shape, size):
    img = random_image(rng, shape)
    h, w = (size, size) if isinstance(size, int) else size
    if h >= 2 * shape[0] - 1 and w >= 2 * shape[1] - 1:
        # every window covers the whole image
        assert (dilate(img, size) == img.max()).all()
        assert (erode(img, size) == img.min()).all()
    if max(h, w) < 200:  # cv2 allocates the kernel; keep it small
        np.testing.assert_array_equal(dilate(img, size), reference(cv2, "dilate", img, size))
        np.testing.assert_array_equal(erode(img, size), reference(cv2, "erode", img, size))


def test_size_one_is_identity(rng):
    img = random_image(rng, (13, 17))
    out = dilate(img, 1)
    np.testing.assert_array_equal(out, img)
    assert out is not img and not np.shares_memory(out, img)
    np.testing.assert_array_equal(erode(img, (1, 1)), img)


def test_duality_and_ordering(rng):
    img = random_image(rng, (90, 70), "doc")
    for size in (3, (5, 11), 15):
        # erode(x) == 255 - dilate(255 - x)
        np.testing.assert_array_equal(erode(img, size), 255 - dilate(255 - img, size))
        assert (erode(img, size) <= img).all() and (img <= dilate(img, size)).all()
    # separability: a rectangle is a row window followed by a column window
    np.testing.assert_array_equal(dilate(img, (7, 9)), dilate(dilate(img, (1, 9)), (7, 1)))


def test_dilate_grows_a_bright_dot():
    img = np.zeros((21, 21), np.uint8)
    img[10, 10] = 200
    out = dilate(img, (5, 7))
    ys, xs = np.nonzero(out)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (8, 12, 7, 13)
    assert (out[out > 0] == 200).all()


@pytest.mark.parametrize("op", sorted(OPS))
def test_strided_and_readonly_inputs(rng, cv2, op):
    fn, cvname = OPS[op]
    big = random_image(rng, (120, 150))
    views = {
        "step": big[::2, ::3],
        "transpose": big.T,
        "flipped": big[::-1, ::-1],
        "window": big[10:90, 7:140],
        "fortran": np.asfortranarray(big),
        "broadcast": np.broadcast_to(big[5], (40, 150)),
    }
    ro = big.copy()
    ro.setflags(write=False)
    views["readonly"] = ro
    for name, view in views.items():
        for size in (3, (9, 5), 15):
            expected = reference(cv2, cvname, np.ascontiguousarray(view), size)
            np.testing.assert_array_equal(fn(view, size), expected, err_msg=name)


@pytest.mark.parametrize("op", sorted(OPS))
def test_out_and_inplace(rng, cv2, op):
    fn, cvname = OPS[op]
    img = random_image(rng, (70, 90))
    expected = reference(cv2, cvname, img, 5)
    out = np.empty_like(img)
    assert fn(img, 5, out=out) is out
    np.testing.assert_array_equal(out, expected)
    same = img.copy()
    assert fn(same, 5, out=same) is same
    np.testing.assert_array_equal(same, expected)
    strided = np.zeros((70, 180), np.uint8)[:, ::2]
    assert fn(img, 5, out=strided) is strided
    np.testing.assert_array_equal(strided, expected)
    # out overlapping the input only partly (a shifted view of one buffer)
    buf = np.zeros((71, 90), np.uint8)
    buf[:70] = img
    fn(buf[:70], 5, out=buf[1:])
    np.testing.assert_array_equal(buf[1:], expected)


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
@pytest.mark.parametrize("size", [3, (9, 3), 15, 41])
def test_threads_give_identical_results(rng, cv2, threads, size):
    img = random_image(rng, (1001, 203), "doc")
    np.testing.assert_array_equal(dilate(img, size, threads=threads), reference(cv2, "dilate", img, size))
    np.testing.assert_array_equal(erode(img, size, threads=threads), reference(cv2, "erode", img, size))


@pytest.mark.parametrize("op", sorted(OPS))
def test_concurrent_calls(rng, op):
    """8 threads calling the same kernel at once (each also splitting into bands)."""
    fn = OPS[op][0]
    img = random_image(rng, (600, 500), "doc")
    expected = fn(img, 7, threads=1)
    results = [None] * 8

    def work(i):
        results[i] = fn(img, 7, threads=2)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_releases_the_gil(rng):
    """Another Python thread runs while the kernel does: the loops drop the GIL.

    With a 10 s switch interval the calling thread would keep the GIL for the
    whole call if the kernel held it, so the ticker could not count at all.
    """
    img = random_image(rng, (3000, 3000))
    ticks = [0]
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.0002)  # releases the GIL between ticks

    old = sys.getswitchinterval()
    t = threading.Thread(target=ticker)
    t.start()
    try:
        sys.setswitchinterval(10.0)
        before = ticks[0]
        for _ in range(10):
            erode(img, 61, threads=1)
        during = ticks[0] - before
    finally:
        sys.setswitchinterval(old)
        done.set()
        t.join()
    assert during > 0


@settings(max_examples=150, deadline=None)
@given(
    img=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)),
    kh=st.integers(0, 20).map(lambda i: 2 * i + 1),
    kw=st.integers(0, 20).map(lambda i: 2 * i + 1),
    threads=st.integers(1, 4),
)
def test_property_vs_cv2(img, kh, kw, threads):
    cv2 = pytest.importorskip("cv2")
    kernel = np.ones((kh, kw), np.uint8)
    np.testing.assert_array_equal(dilate(img, (kh, kw), threads=threads), cv2.dilate(img, kernel))
    np.testing.assert_array_equal(erode(img, (kh, kw), threads=threads), cv2.erode(img, kernel))


@settings(max_examples=60, deadline=None)
@given(
    img=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30)),
    size=st.integers(0, 6).map(lambda i: 2 * i + 1),
)
def test_property_opening_closing(img, size):
    # opening <= img <= closing, and both are idempotent
    opening = dilate(erode(img, size), size)
    closing = erode(dilate(img, size), size)
    assert (opening <= img).all() and (img <= closing).all()
    np.testing.assert_array_equal(dilate(erode(opening, size), size), opening)
    np.testing.assert_array_equal(erode(dilate(closing, size), size), closing)


# --- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("fn", [dilate, erode])
@pytest.mark.parametrize("size", [0, 2, -3, 4096, (3, 4), (2, 3), (3,), (3, 3, 3), (0, 1)])
def test_bad_sizes(rng, fn, size):
    with pytest.raises(ocrprep.InvalidParameterError):
        fn(random_image(rng, (8, 8)), size)


@pytest.mark.parametrize("fn", [dilate, erode])
@pytest.mark.parametrize("size", [3.0, "3", None, True, (3, 2.5)])
def test_bad_size_types(rng, fn, size):
    with pytest.raises(ocrprep.ParameterTypeError):
        fn(random_image(rng, (8, 8)), size)


@pytest.mark.parametrize("fn", [dilate, erode])
def test_bad_images(fn):
    with pytest.raises(ocrprep.ImageTypeError):
        fn([[1, 2], [3, 4]])
    with pytest.raises(ocrprep.ImageTypeError, match="uint8"):
        fn(np.zeros((4, 4), np.float32))
    with pytest.raises(ocrprep.ImageTypeError):
        fn(np.zeros((4, 4), bool))
    with pytest.raises(ocrprep.InvalidImageError, match="2-D"):
        fn(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match="2-D"):
        fn(np.zeros(16, np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match="empty"):
        fn(np.zeros((0, 5), np.uint8))
    # the error family doubles as the built-in exceptions
    with pytest.raises(ValueError):
        fn(np.zeros((0, 5), np.uint8))
    with pytest.raises(TypeError):
        fn(np.zeros((4, 4), np.int16))


@pytest.mark.parametrize("fn", [dilate, erode])
def test_bad_out_and_threads(rng, fn):
    img = random_image(rng, (6, 6))
    with pytest.raises(ocrprep.InvalidImageError):
        fn(img, 3, out=np.empty((6, 7), np.uint8))
    with pytest.raises(ocrprep.ImageTypeError):
        fn(img, 3, out=np.empty((6, 6), np.int32))
    with pytest.raises(ocrprep.ImageTypeError):
        fn(img, 3, out=[[0] * 6] * 6)
    ro = np.empty((6, 6), np.uint8)
    ro.setflags(write=False)
    with pytest.raises(ocrprep.InvalidImageError, match="read-only"):
        fn(img, 3, out=ro)
    with pytest.raises(ocrprep.InvalidParameterError):
        fn(img, 3, threads=0)
    with pytest.raises(ocrprep.ParameterTypeError):
        fn(img, 3, threads=1.5)


def test_public_names():
    assert ocrprep.dilate is dilate and ocrprep.erode is erode
