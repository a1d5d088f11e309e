"""rotate / scale / resize: OpenCV oracles, exact identities, binary pages, bad input."""
import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from ocrprep import _checks, geometry
from imagegen import SHAPES, random_image

ANGLES = [0.3, -1.7, 3.7, 12.5, -15.0, 30.0, 45.0, -60.0, 89.9, 135.0, 200.0, -300.5]


def _cv2_rotate(cv2, img, angle, fill, expand=False):
    """cv2.warpAffine rotation about ((W-1)/2, (H-1)/2), bilinear, constant border."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle, 1.0)
    nw, nh = w, h
    if expand:
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        nw, nh = math.ceil(w * c + h * s - 1e-6), math.ceil(w * s + h * c - 1e-6)
        m[0, 2] += (nw - 1) / 2.0 - (w - 1) / 2.0
        m[1, 2] += (nh - 1) / 2.0 - (h - 1) / 2.0
    border = tuple(int(v) for v in np.broadcast_to(fill, (4,)))
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _numpy_rotate(img, angle, fill, expand=False):
    """Exact (float64) bilinear rotation, the definition: an oracle independent of OpenCV."""
    h, w = img.shape[:2]
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    nh, nw = h, w
    if expand:
        nw = math.ceil(w * abs(c) + h * abs(s) - 1e-6)
        nh = math.ceil(w * abs(s) + h * abs(c) - 1e-6)
    yy, xx = np.mgrid[0:nh, 0:nw].astype(np.float64)
    dx, dy = xx - (nw - 1) / 2, yy - (nh - 1) / 2
    sx = (w - 1) / 2 + c * dx - s * dy          # inverse of a counter-clockwise turn
    sy = (h - 1) / 2 + s * dx + c * dy
    x0, y0 = np.floor(sx).astype(np.int64), np.floor(sy).astype(np.int64)
    fx, fy = sx - x0, sy - y0
    img3 = img.reshape(h, w, -1).astype(np.float64)
    pad = np.empty((h + 4, w + 4, img3.shape[2]))
    pad[...] = np.asarray(fill, np.float64).reshape(-1)[: img3.shape[2]]
    pad[2:-2, 2:-2] = img3

    def tap(yi, xi):
        return pad[np.clip(yi + 2, 0, h + 3), np.clip(xi + 2, 0, w + 3)]

    fx, fy = fx[..., None], fy[..., None]
    v = (tap(y0, x0) * (1 - fx) * (1 - fy) + tap(y0, x0 + 1) * fx * (1 - fy)
         + tap(y0 + 1, x0) * (1 - fx) * fy + tap(y0 + 1, x0 + 1) * fx * fy)
    return np.floor(v + 0.5).astype(np.uint8).reshape((nh, nw) + img.shape[2:])


def _cv2_is_float_warp(cv2):
    """OpenCV >= 5 computes warp coordinates in float32 (as ocrprep does); 4.x rounds
    them to 1/32 pixel, which moves sharp edges by up to a few grey levels."""
    return int(cv2.__version__.split(".")[0]) >= 5


def _check_cv2_rotate(cv2, got, ref):
    if _cv2_is_float_warp(cv2):
        d = _close(got, ref)
        assert (d == 0).mean() > 0.99  # same float32 arithmetic: nearly all identical
    else:
        # Emulating 4.x's fixed-point warp on uniform noise gives a mean
        # difference of 0.85; a wrong turn or centre gives tens of levels.
        d = np.abs(got.astype(np.int16) - ref)
        assert d.mean() < 1.5


def _close(a, b, tol=1):
    assert a.shape == b.shape, (a.shape, b.shape)
    d = np.abs(a.astype(np.int16) - b.astype(np.int16))
    assert d.max() <= tol, f"max diff {d.max()} at {np.unravel_index(d.argmax(), d.shape)}"
    return d


# ------------------------------------------------------------------ rotate


@pytest.mark.parametrize("shape", SHAPES + [(480, 640)])
@pytest.mark.parametrize("angle", ANGLES)
def test_rotate_matches_cv2(rng, cv2, shape, angle):
    img = random_image(rng, shape, "smooth")
    got = ocrprep.rotate(img, angle, fill=37)
    _close(got, _numpy_rotate(img, angle, 37))
    _check_cv2_rotate(cv2, got, _cv2_rotate(cv2, img, angle, 37))


@pytest.mark.parametrize("angle", [7.3, -33.0, 123.4])
def test_rotate_noise_interior_within_one(rng, cv2, angle):
    # Uniform noise is the hardest case for interpolation differences.
    img = random_image(rng, (201, 157), "uniform")
    got = ocrprep.rotate(img, angle, fill=0)
    _close(got, _numpy_rotate(img, angle, 0))
    ref = _cv2_rotate(cv2, img, angle, 0)
    _check_cv2_rotate(cv2, got[3:-3, 3:-3], ref[3:-3, 3:-3])


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("angle", [5.5, -71.0])
def test_rotate_color_matches_cv2(rng, cv2, channels, angle):
    img = rng.integers(0, 256, (123, 97, channels), dtype=np.uint8)
    fill = tuple(range(10, 10 + 60 * channels, 60))
    got = ocrprep.rotate(img, angle, fill=fill)
    assert got.shape == img.shape
    _close(got, _numpy_rotate(img, angle, fill))
    ref = _cv2_rotate(cv2, img, angle, fill + (0,) * (4 - channels)).reshape(got.shape)
    _check_cv2_rotate(cv2, got, ref)


@pytest.mark.parametrize("angle", [10.0, 45.0, -135.0, 33.3])
def test_rotate_expand_matches_cv2(rng, cv2, angle):
    img = random_image(rng, (120, 200), "smooth")
    got = ocrprep.rotate(img, angle, fill=255, expand=True)
    _close(got, _numpy_rotate(img, angle, 255, expand=True))
    _check_cv2_rotate(cv2, got, _cv2_rotate(cv2, img, angle, 255, expand=True))


def test_rotate_expand_keeps_whole_page(rng):
    img = np.full((150, 260), 255, np.uint8)
    img[10:-10, 10:-10] = 0  # a black card with a white rim
    for angle in (20.0, 45.0, 77.0):
        big = ocrprep.rotate(img, angle, expand=True)
        assert big.shape[0] > img.shape[0] and big.shape[1] > img.shape[0]
        # All the dark area survives (nothing cropped): rotation preserves area.
        assert abs(int((big < 128).sum()) - int((img < 128).sum())) < 0.02 * (img < 128).sum()
        small = ocrprep.rotate(img, angle)
        assert (small < 128).sum() < (big < 128).sum()


@pytest.mark.parametrize("shape", SHAPES)
def test_rotate_zero_is_identity(rng, shape):
    img = random_image(rng, shape)
    for angle in (0, 0.0, 360, -720.0):
        for expand in (False, True):
            np.testing.assert_array_equal(ocrprep.rotate(img, angle, expand=expand), img)


@pytest.mark.parametrize("shape", SHAPES + [(64, 48, 3), (5, 9, 4)])
@pytest.mark.parametrize("k", [1, 2, 3, -1, -2, 5])
def test_rotate_quarter_turns_are_rot90(rng, shape, k):
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    got = ocrprep.rotate(img, 90 * k, expand=True)
    np.testing.assert_array_equal(got, np.rot90(img, k))


def test_rotate_180_without_expand_is_flip(rng):
    img = random_image(rng, (31, 64))
    np.testing.assert_array_equal(ocrprep.rotate(img, 180), img[::-1, ::-1])


def test_rotate_direction_is_counter_clockwise():
    img = np.full((101, 101), 255, np.uint8)
    img[50, 60:100] = 0  # a spoke pointing right (east) from the centre
    turned = ocrprep.rotate(img, 90, fill=255)
    # Counter-clockwise on screen: east goes north (smaller row index).
    assert turned[1:40, 50].max() == 0 and turned[60:100, 50].min() == 255


def test_rotate_fill_default_is_page_background():
    page = np.full((120, 160), 200, np.uint8)
    page[30:90:6, 20:140] = 15  # text-ish lines
    page[:, :3] = 40  # a thin dark scanner edge on one side
    out = ocrprep.rotate(page, 30)
    assert ocrprep.page_background(page).tolist() == [200]
    assert out[0, -1] == 200 and out[-1, 0] == 200  # uncovered corners are paper
    negative = 255 - page
    assert ocrprep.rotate(negative, 30)[0, -1] == 55  # a dark page gets dark corners
    rgb = np.dstack([page, page // 2, np.full_like(page, 90)])
    np.testing.assert_array_equal(ocrprep.rotate(rgb, 30)[0, -1], [200, 100, 90])


def test_rotate_fill_int_on_rgba_keeps_alpha_opaque():
    img = np.zeros((40, 40, 4), np.uint8)
    out = ocrprep.rotate(img, 45, fill=128)
    np.testing.assert_array_equal(out[0, 0], [128, 128, 128, 255])


def test_rotate_binary_stays_binary(rng):
    page = np.full((200, 300), 255, np.uint8)
    page[20:180:9, 15:285] = 0
    page[rng.random(page.shape) < 0.01] = 0
    for angle in (3.7, -0.3, 14.0, 45.0):
        out = ocrprep.rotate(page, angle)
        assert set(np.unique(out).tolist()) <= {0, 255}
        # The re-threshold is the bilinear result cut at 128.
        grey = ocrprep.rotate(page, angle, fill=254)  # non-binary fill: plain bilinear
        inner = (slice(20, -20), slice(20, -20))
        np.testing.assert_array_equal(out[inner], np.where(grey[inner] > 127, 255, 0))
    single = ocrprep.rotate(page[:, :, None], 3.7)
    assert single.shape == page.shape + (1,) and set(np.unique(single).tolist()) == {0, 255}
    # A grey fill on a binary page is honoured (the result is then grey).
    assert 128 in ocrprep.rotate(page, 30, fill=128)


def test_rotate_one_grey_pixel_makes_a_page_grey():
    # The binary check must look at every pixel, up to the very last one.
    page = np.full((60, 80), 255, np.uint8)
    page[20:40:3, 10:70] = 0
    page[-1, -1] = 254
    assert len(np.unique(ocrprep.rotate(page, 10.0))) > 3
    page[-1, -1] = 255
    assert set(np.unique(ocrprep.rotate(page, 10.0)).tolist()) == {0, 255}


def test_rotate_out_inplace_strided_readonly(rng):
    img = random_image(rng, (90, 70), "smooth")
    ref = ocrprep.rotate(img, 17.0)
    out = np.empty_like(img)
    assert ocrprep.rotate(img, 17.0, out=out) is out
    np.testing.assert_array_equal(out, ref)
    same = img.copy()
    assert ocrprep.rotate(same, 17.0, out=same) is same
    np.testing.assert_array_equal(same, ref)
    strided = np.zeros((90, 140), np.uint8)[:, ::2]
    ocrprep.rotate(img, 17.0, out=strided)
    np.testing.assert_array_equal(strided, ref)
    big = np.zeros((180, 210), np.uint8)
    big[::2, ::3] = img
    np.testing.assert_array_equal(ocrprep.rotate(big[::2, ::3], 17.0), ref)
    ro = img.copy()
    ro.flags.writeable = False
    np.testing.assert_array_equal(ocrprep.rotate(ro, 17.0), ref)
    np.testing.assert_array_equal(ocrprep.rotate(np.asfortranarray(img), 17.0), ref)


@pytest.mark.parametrize("threads", [1, 2, 3, 7])
def test_rotate_threads_agree(rng, threads):
    img = random_image(rng, (1100, 700), "doc")
    ref = ocrprep.rotate(img, 4.2, threads=1)
    np.testing.assert_array_equal(ocrprep.rotate(img, 4.2, threads=threads), ref)
    rgb = np.dstack([img, img[::-1], img[:, ::-1]])
    np.testing.assert_array_equal(
        ocrprep.rotate(rgb, -8.0, expand=True, threads=threads), ocrprep.rotate(rgb, -8.0, expand=True, threads=1)
    )


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30)),
    st.floats(-720, 720, allow_nan=False),
    st.integers(0, 255),
)
def test_rotate_property_vs_reference(img, angle, fill):
    got = ocrprep.rotate(img, angle, fill=fill)
    assert got.shape == img.shape
    if not np.isin(img, (0, 255)).all() or fill not in (0, 255):  # non-binary: plain bilinear
        _close(got, _numpy_rotate(img, angle, fill))


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(angle=float("nan")), ocrprep.InvalidParameterError, "finite"),
        (dict(angle=float("inf")), ocrprep.InvalidParameterError, "finite"),
        (dict(angle="10"), ocrprep.ParameterTypeError, "angle"),
        (dict(angle=None), ocrprep.ParameterTypeError, "angle"),
        (dict(angle=10, fill=256), ocrprep.InvalidParameterError, "fill"),
        (dict(angle=10, fill=-1), ocrprep.InvalidParameterError, "fill"),
        (dict(angle=10, fill=(1, 2)), ocrprep.InvalidParameterError, "one value per channel"),
        (dict(angle=10, fill="white"), ocrprep.ParameterTypeError, "fill"),
        (dict(angle=10, fill=1.5), ocrprep.ParameterTypeError, "fill"),
        (dict(angle=10, expand="yes"), ocrprep.ParameterTypeError, "expand"),
        (dict(angle=10, threads=0), ocrprep.InvalidParameterError, "threads"),
        (dict(angle=10, out=np.empty((3, 3), np.uint8)), ocrprep.InvalidImageError, "shape"),
    ],
)
def test_rotate_bad_parameters(rng, kwargs, exc, match):
    img = random_image(rng, (20, 30))
    angle = kwargs.pop("angle")
    with pytest.raises(exc, match=match):
        ocrprep.rotate(img, angle, **kwargs)


@pytest.mark.parametrize("fn", ["rotate", "scale", "resize"])
@pytest.mark.parametrize(
    "img, exc",
    [
        ([[1, 2], [3, 4]], ocrprep.ImageTypeError),
        (np.zeros((4, 4), np.float32), ocrprep.ImageTypeError),
        (np.zeros((4, 4), bool), ocrprep.ImageTypeError),
        (np.zeros((4,), np.uint8), ocrprep.InvalidImageError),
        (np.zeros((4, 4, 2), np.uint8), ocrprep.InvalidImageError),
        (np.zeros((2, 4, 4, 3), np.uint8), ocrprep.InvalidImageError),
        (np.zeros((0, 4), np.uint8), ocrprep.InvalidImageError),
    ],
)
def test_bad_images(fn, img, exc):
    args = {"rotate": (10.0,), "scale": (0.5,), "resize": (3, 3)}[fn]
    with pytest.raises(exc):
        getattr(ocrprep, fn)(img, *args)


def test_output_pixel_cap(monkeypatch, rng):
    img = random_image(rng, (100, 100))
    with pytest.raises(ocrprep.InvalidParameterError, match="exceeds the limit"):
        ocrprep.scale(img, 1e6)
    with pytest.raises(ocrprep.InvalidParameterError, match="exceeds the limit"):
        ocrprep.scale(img, 1e300)
    with pytest.raises(ocrprep.InvalidParameterError, match="exceeds the limit"):
        ocrprep.resize(img, 10**6, 10**6)
    monkeypatch.setattr(_checks, "MAX_OUTPUT_PIXELS", 12_000)
    ocrprep.rotate(img, 30)  # same size: fine
    with pytest.raises(ocrprep.InvalidParameterError, match="exceeds the limit"):
        ocrprep.rotate(img, 30, expand=True)  # 137 x 137 > 12 000 pixels


# ------------------------------------------------------------------ resize / scale

SIZES = [
    ((97, 131), (48, 65)), ((97, 131), (40, 50)), ((240, 321), (120, 160)), ((240, 321), (80, 107)),
    ((240, 321), (1, 1)), ((31, 64), (30, 63)), ((37, 1), (12, 1)), ((1, 37), (1, 5)),
    ((127, 93), (17, 89)), ((3508 // 4, 2480 // 4), (3508 // 12, 2480 // 12)),
]
GROW = [
    ((48, 65), (97, 131)), ((40, 50), (120, 160)), ((16, 16), (64, 48)), ((1, 1), (7, 5)),
    ((2, 1), (9, 4)), ((1, 37), (3, 80)), ((5, 7), (5, 70)), ((31, 64), (32, 65)),
]


@pytest.mark.parametrize("src, dst", SIZES)
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
def test_shrink_matches_cv2_area(rng, cv2, src, dst, kind):
    img = random_image(rng, src, kind)
    got = ocrprep.resize(img, dst[1], dst[0])
    d = _close(got, cv2.resize(img, (dst[1], dst[0]), interpolation=cv2.INTER_AREA))
    assert (d == 0).mean() > 0.98


@pytest.mark.parametrize("src, dst", GROW)
@pytest.mark.parametrize("kind", ["uniform", "smooth"])
def test_enlarge_matches_cv2_linear(rng, cv2, src, dst, kind):
    img = random_image(rng, src, kind)
    got = ocrprep.resize(img, dst[1], dst[0])
    _close(got, cv2.resize(img, (dst[1], dst[0]), interpolation=cv2.INTER_LINEAR))


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_resize_color_matches_cv2(rng, cv2, channels):
    img = rng.integers(0, 256, (90, 120, channels), dtype=np.uint8)
    got = ocrprep.resize(img, 50, 33)
    assert got.shape == (33, 50, channels)
    _close(got, cv2.resize(img, (50, 33), interpolation=cv2.INTER_AREA).reshape(got.shape))
    got = ocrprep.resize(img, 250, 133)
    _close(got, cv2.resize(img, (250, 133), interpolation=cv2.INTER_LINEAR).reshape(got.shape))


def _axis_matrix(n_src, n_dst):
    """Dense resampling matrix from the definitions (area overlap, or tent around centres)."""
    m = np.zeros((n_dst, n_src))
    if n_dst < n_src:
        s = n_src / n_dst
        for i in range(n_dst):
            for j in range(n_src):
                m[i, j] = max(0.0, min(j + 1, (i + 1) * s) - max(j, i * s)) / s
    else:
        for i in range(n_dst):
            x = min(max((i + 0.5) * n_src / n_dst - 0.5, 0), n_src - 1)
            for j in range(n_src):
                m[i, j] = max(0.0, 1 - abs(x - j))
    return m


@pytest.mark.parametrize("src, dst", [((40, 90), (70, 30)), ((60, 20), (15, 45)), ((33, 33), (11, 99))])
def test_mixed_axes_match_dense_reference(rng, src, dst):
    # One axis shrinks (area), the other grows (linear): neither cv2 mode applies.
    img = random_image(rng, src, "uniform")
    ref = _axis_matrix(src[0], dst[0]) @ img.astype(np.float64) @ _axis_matrix(src[1], dst[1]).T
    got = ocrprep.resize(img, dst[1], dst[0])
    _close(got, np.floor(ref + 0.5).astype(np.uint8))


@settings(max_examples=80, deadline=None)
@given(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=24)),
    st.integers(1, 40), st.integers(1, 40),
)
def test_resize_property_dense_reference(img, w, h):
    ref = _axis_matrix(img.shape[0], h) @ img.astype(np.float64) @ _axis_matrix(img.shape[1], w).T
    _close(ocrprep.resize(img, w, h), np.floor(ref + 0.5).astype(np.uint8))


def test_resize_constant_stays_constant(rng):
    for value in (0, 1, 127, 254, 255):
        img = np.full((77, 53, 3), value, np.uint8)
        for w, h in ((10, 10), (53, 200), (300, 7), (1, 1)):
            assert (ocrprep.resize(img, w, h) == value).all()


def test_resize_same_size_is_copy(rng):
    img = random_image(rng, (40, 30))
    out = ocrprep.resize(img, 30, 40)
    np.testing.assert_array_equal(out, img)
    assert not np.shares_memory(out, img)


def test_resize_integer_factor_is_box_average(rng):
    img = random_image(rng, (60, 90))
    ref = img.reshape(20, 3, 30, 3).astype(np.float64).mean(axis=(1, 3))
    np.testing.assert_array_equal(ocrprep.resize(img, 30, 20), np.floor(ref + 0.5))


@pytest.mark.parametrize("factor", [1, 2, 3, 5, 16])
@pytest.mark.parametrize("shape", [(61, 47), (64, 48, 3), (33, 100, 4)])
def test_reduce_blocks_is_exact_block_mean_of_the_crop(rng, factor, shape):
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    h, w = shape[0] // factor, shape[1] // factor
    crop = img[: h * factor, : w * factor].astype(np.float64)
    ref = crop.reshape(h, factor, w, factor, *shape[2:]).mean(axis=(1, 3))
    np.testing.assert_array_equal(geometry.reduce_blocks(img, factor), np.floor(ref + 0.5))
    np.testing.assert_array_equal(
        geometry.reduce_blocks(img, factor, threads=3), geometry.reduce_blocks(img, factor, threads=1)
    )


def test_reduce_blocks_bad_factor(rng):
    with pytest.raises(ocrprep.InvalidParameterError):
        geometry.reduce_blocks(random_image(rng, (40, 40)), 17)
    with pytest.raises(ocrprep.ParameterTypeError):
        geometry.reduce_blocks(random_image(rng, (40, 40)), 2.0)


@pytest.mark.parametrize("ratio", [0.25, 0.5, 0.77, 1.0, 1.5, 2.0, 3.3])
def test_scale_matches_cv2(rng, cv2, ratio):
    img = random_image(rng, (123, 77), "smooth")
    got = ocrprep.scale(img, ratio)
    size = (max(1, math.floor(77 * ratio + 0.5)), max(1, math.floor(123 * ratio + 0.5)))
    assert got.shape == (size[1], size[0])
    interp = cv2.INTER_AREA if ratio < 1 else cv2.INTER_LINEAR
    _close(got, cv2.resize(img, size, interpolation=interp))


def test_scale_tiny_ratio_gives_one_pixel(rng):
    img = random_image(rng, (50, 40))
    out = ocrprep.scale(img, 1e-6)
    assert out.shape == (1, 1) and abs(int(out[0, 0]) - img.mean()) <= 1


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_resize_threads_agree(rng, threads):
    img = random_image(rng, (900, 600), "doc")
    for w, h in ((300, 450), (1500, 1700), (610, 333)):
        np.testing.assert_array_equal(
            ocrprep.resize(img, w, h, threads=threads), ocrprep.resize(img, w, h, threads=1)
        )


def test_resize_out_and_strided_input(rng):
    img = random_image(rng, (80, 60), "smooth")
    ref = ocrprep.resize(img, 45, 20)
    out = np.empty((20, 45), np.uint8)
    assert ocrprep.resize(img, 45, 20, out=out) is out
    np.testing.assert_array_equal(out, ref)
    big = np.zeros((160, 180), np.uint8)
    big[::2, ::3] = img
    np.testing.assert_array_equal(ocrprep.resize(big[::2, ::3], 45, 20), ref)
    with pytest.raises(ocrprep.InvalidImageError, match="shape"):
        ocrprep.resize(img, 45, 20, out=np.empty((45, 20), np.uint8))


@pytest.mark.parametrize(
    "ratio, exc",
    [(0, ocrprep.InvalidParameterError), (-0.5, ocrprep.InvalidParameterError),
     (float("nan"), ocrprep.InvalidParameterError), (float("inf"), ocrprep.InvalidParameterError),
     ("2", ocrprep.ParameterTypeError), (None, ocrprep.ParameterTypeError), (True, ocrprep.ParameterTypeError)],
)
def test_scale_bad_ratio(rng, ratio, exc):
    with pytest.raises(exc, match="ratio"):
        ocrprep.scale(random_image(rng, (10, 10)), ratio)


@pytest.mark.parametrize(
    "w, h, exc",
    [(0, 5, ocrprep.InvalidParameterError), (5, -1, ocrprep.InvalidParameterError),
     (5.0, 5, ocrprep.ParameterTypeError), (5, "5", ocrprep.ParameterTypeError),
     (None, 5, ocrprep.ParameterTypeError)],
)
def test_resize_bad_size(rng, w, h, exc):
    with pytest.raises(exc):
        ocrprep.resize(random_image(rng, (10, 10)), w, h)


def test_doctests():
    result = doctest.testmod(geometry, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
