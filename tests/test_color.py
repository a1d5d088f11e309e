import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import ocrprep
from ocrprep.color import invert, to_grayscale
from imagegen import SHAPES, random_image


def pillow_l(rgb):
    return np.asarray(Image.fromarray(np.ascontiguousarray(rgb)).convert("L"))


def random_color(rng, shape, channels):
    return rng.integers(0, 256, shape + (channels,), dtype=np.uint8)


# --- to_grayscale --------------------------------------------------------------

def test_every_rgb_triple_matches_pillow():
    """All 2**24 colours: the fixed-point rounding is exactly Pillow's."""
    v = np.arange(1 << 24, dtype=np.uint32)
    rgb = np.stack([v >> 16, (v >> 8) & 255, v & 255], axis=-1).astype(np.uint8).reshape(4096, 4096, 3)
    np.testing.assert_array_equal(to_grayscale(rgb), pillow_l(rgb))


@pytest.mark.parametrize("channels", [3, 4])
def test_both_code_paths_on_every_colour(channels):
    """The C rows (16-bit lanes) and the plain Cython loops (32-bit) agree everywhere."""
    from ocrprep._color import gray_band

    v = np.arange(1 << 24, dtype=np.uint32)
    img = np.zeros((4096, 4096, channels), np.uint8)
    img[..., 0], img[..., 1], img[..., 2] = [(v >> s & 255).reshape(4096, 4096) for s in (16, 8, 0)]
    if channels == 4:
        img[..., 3] = (v * 7 & 255).reshape(4096, 4096)
    fast = np.empty((4096, 4096), np.uint8)
    plain = np.empty_like(fast)
    gray_band(img, fast, 0, 4096, use_c=True)
    gray_band(img, plain, 0, 4096, use_c=False)
    np.testing.assert_array_equal(fast, plain)
    np.testing.assert_array_equal(plain, pillow_l(img[..., :3]))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("channels", [3, 4])
def test_matches_pillow(rng, shape, channels):
    img = random_color(rng, shape, channels)
    np.testing.assert_array_equal(to_grayscale(img, threads=1), pillow_l(img))


def test_rgba_ignores_alpha(rng):
    rgba = random_color(rng, (40, 50), 4)
    opaque = rgba.copy()
    opaque[..., 3] = 255
    transparent = rgba.copy()
    transparent[..., 3] = 0
    expected = to_grayscale(np.ascontiguousarray(rgba[..., :3]))
    np.testing.assert_array_equal(to_grayscale(rgba), expected)
    np.testing.assert_array_equal(to_grayscale(opaque), expected)
    np.testing.assert_array_equal(to_grayscale(transparent), expected)
    np.testing.assert_array_equal(to_grayscale(rgba), pillow_l(rgba))


def test_known_values():
    px = np.array([[[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255], [1, 1, 1], [128, 64, 32]]],
                  np.uint8)
    # (19595 r + 38470 g + 7471 b + 32768) >> 16
    expected = [((19595 * int(r) + 38470 * int(g) + 7471 * int(b) + 32768) >> 16) for r, g, b in px[0]]
    assert expected[:5] == [0, 255, 76, 150, 29]
    assert to_grayscale(px)[0].tolist() == expected


def test_grey_input_is_copied(rng):
    img = random_image(rng, (20, 30))
    out = to_grayscale(img)
    np.testing.assert_array_equal(out, img)
    assert out is not img and not np.shares_memory(out, img)
    one = img[:, :, None]
    squeezed = to_grayscale(one)
    assert squeezed.shape == (20, 30)
    np.testing.assert_array_equal(squeezed, img)
    assert not np.shares_memory(squeezed, img)
    # a grey RGB image stays the same grey
    np.testing.assert_array_equal(to_grayscale(np.repeat(one, 3, axis=2)), img)


def test_strided_inputs(rng):
    big = random_color(rng, (90, 120), 4)
    views = {
        "rgb of rgba": big[..., :3],
        "bgr flipped": big[..., 2::-1],
        "step": big[::2, ::3, :3],
        "transpose": big.transpose(1, 0, 2),
        "planar": np.moveaxis(np.ascontiguousarray(np.moveaxis(big, 2, 0)), 0, 2),
        "fortran": np.asfortranarray(big),
        "flipped rows": big[::-1],
    }
    for name, view in views.items():
        np.testing.assert_array_equal(to_grayscale(view), pillow_l(view), err_msg=name)
    ro = big.copy()
    ro.setflags(write=False)
    np.testing.assert_array_equal(to_grayscale(ro), pillow_l(ro))


def test_out_and_threads(rng):
    img = random_color(rng, (1200, 333), 3)
    expected = pillow_l(img)
    out = np.empty(img.shape[:2], np.uint8)
    assert to_grayscale(img, out=out) is out
    np.testing.assert_array_equal(out, expected)
    strided = np.zeros((1200, 666), np.uint8)[:, ::2]
    assert to_grayscale(img, out=strided) is strided
    np.testing.assert_array_equal(strided, expected)
    for threads in (1, 2, 3, 7):
        np.testing.assert_array_equal(to_grayscale(img, threads=threads), expected)


def test_out_aliasing_the_input(rng):
    img = random_color(rng, (30, 40), 3)
    expected = pillow_l(img)
    # out is the red channel of the input itself
    res = to_grayscale(img, out=img[..., 0])
    np.testing.assert_array_equal(res, expected)
    np.testing.assert_array_equal(img[..., 0], expected)


@settings(max_examples=80, deadline=None)
@given(hnp.arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30), st.sampled_from([3, 4]))))
def test_property_vs_pillow(img):
    np.testing.assert_array_equal(to_grayscale(img), pillow_l(img))


def test_to_grayscale_bad_input():
    with pytest.raises(ocrprep.ImageTypeError):
        to_grayscale("image.png")
    with pytest.raises(ocrprep.ImageTypeError, match="uint8"):
        to_grayscale(np.zeros((4, 4, 3), np.float64))
    with pytest.raises(ocrprep.InvalidImageError, match="channels"):
        to_grayscale(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match="channels"):
        to_grayscale(np.zeros((4, 4, 5), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        to_grayscale(np.zeros((4,), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        to_grayscale(np.zeros((2, 2, 3, 1), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match="empty"):
        to_grayscale(np.zeros((0, 4, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        to_grayscale(np.zeros((4, 4, 3), np.uint8), out=np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidParameterError):
        to_grayscale(np.zeros((4, 4, 3), np.uint8), threads=-1)


# --- invert ----------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
def test_invert_matches_numpy(rng, shape):
    img = random_image(rng, shape)
    np.testing.assert_array_equal(invert(img, threads=1), 255 - img)


def test_invert_every_level_and_involution():
    levels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert invert(levels).ravel().tolist() == list(range(255, -1, -1))
    np.testing.assert_array_equal(invert(invert(levels)), levels)


def test_invert_strided_readonly_out_inplace(rng, cv2):
    big = random_image(rng, (100, 130))
    for view in (big[::3, ::2], big.T, big[::-1, ::-1], np.broadcast_to(big[0], (5, 130))):
        np.testing.assert_array_equal(invert(view), cv2.bitwise_not(np.ascontiguousarray(view)))
    same = big.copy()
    assert invert(same, out=same) is same
    np.testing.assert_array_equal(same, 255 - big)
    strided = np.zeros((100, 260), np.uint8)[:, ::2]
    invert(big, out=strided)
    np.testing.assert_array_equal(strided, 255 - big)
    for threads in (2, 5):
        img = random_image(rng, (900, 77))
        np.testing.assert_array_equal(invert(img, threads=threads), 255 - img)


def test_invert_bad_input(rng):
    with pytest.raises(ocrprep.ImageTypeError):
        invert(np.zeros((3, 3), np.int32))
    with pytest.raises(ocrprep.InvalidImageError, match="to_grayscale"):
        invert(np.zeros((3, 3, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match="empty"):
        invert(np.zeros((3, 0), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        invert(random_image(rng, (3, 3)), out=np.zeros((3, 4), np.uint8))


def test_public_names():
    assert ocrprep.to_grayscale is to_grayscale and ocrprep.invert is invert


def test_concurrent_calls(rng):
    import threading

    rgb = random_color(rng, (700, 300), 3)
    expected_gray, expected_inv = pillow_l(rgb), 255 - rgb[..., 1]
    results = [None] * 8

    def work(i):
        results[i] = (to_grayscale(rgb, threads=2), invert(rgb[..., 1], threads=2))

    workers = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    for gray, inv in results:
        np.testing.assert_array_equal(gray, expected_gray)
        np.testing.assert_array_equal(inv, expected_inv)


def _ink_reference(rgb, ka, kc, kw):
    """The ink channel of csrc/color.c, written out in numpy (int64)."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    lum = (77 * r + 150 * g + 29 * b + 128) >> 8
    l7 = (lum << 7).astype(np.int16).astype(np.int64)
    da = np.abs((r - g) - ((ka * l7) >> 16))
    dc = np.abs(((r + g - 2 * b) - ((kc * l7) >> 16)) >> 1)
    hi, lo = np.maximum(da, dc), np.minimum(da, dc)
    dist = hi + ((3 * lo) >> 3)
    dist = np.minimum(dist, 65280 // kw if kw else 16383)
    return np.maximum(lum - ((dist * kw + 128) >> 8), 0).astype(np.uint8)


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("ka, kc, kw", [(0, 0, 256), (8, 96, 256), (-300, 1500, 200), (4000, -16000, 256),
                                        (20, 40, 0), (-32767, 32767, 256)])
def test_ink_channel_kernel_matches_its_formula(rng, channels, ka, kc, kw):
    """The 16-bit vectorised ink channel equals its formula on random
    colours (every lane position: odd widths, a row longer than a chunk)."""
    from ocrprep._color import ink_band

    img = rng.integers(0, 256, (5, 601, channels), dtype=np.uint8)
    out = np.empty(img.shape[:2], np.uint8)
    ink_band(img, out, 0, img.shape[0], ka, kc, kw)
    assert np.array_equal(out, _ink_reference(img, ka, kc, kw))


def test_ink_channel_is_the_luma_on_grey_pixels(rng):
    from ocrprep._color import ink_band

    grey = rng.integers(0, 256, (7, 333), dtype=np.uint8)
    img = np.repeat(grey[..., None], 3, axis=2)
    out = np.empty(grey.shape, np.uint8)
    ink_band(img, out, 0, 7, 0, 0, 256)
    assert np.array_equal(out, grey)
    with pytest.raises(ValueError):
        ink_band(img, out, 0, 7, 40000, 0, 256)
    with pytest.raises(ValueError):
        ink_band(img, out, 0, 7, 0, 0, 300)


def test_paper_sample_matches_numpy(rng):
    from ocrprep._color import paper_sample

    img = rng.integers(0, 256, (41, 57, 3), dtype=np.uint8)
    skip = (rng.random((6, 8)) < 0.3).astype(np.uint8)
    for step, mask in ((1, None), (3, None), (2, skip)):
        hist, sums, coloured = paper_sample(img, step, mask, 8)
        sub = img[::step, ::step]
        keep = np.ones(sub.shape[:2], bool)
        if mask is not None:
            ys = np.minimum(np.arange(0, 41, step) // 8, 5)
            xs = np.minimum(np.arange(0, 57, step) // 8, 7)
            keep = ~mask[ys[:, None], xs[None, :]].astype(bool)
        lum = np.asarray(Image.fromarray(np.ascontiguousarray(sub)).convert("L"))[keep]
        px = sub[keep].astype(np.int64)
        assert np.array_equal(hist, np.bincount(lum, minlength=256))
        for c in range(3):
            assert np.array_equal(sums[:, c], np.bincount(lum, weights=px[:, c], minlength=256).astype(np.int64))
        assert coloured
    hist, sums, coloured = paper_sample(np.repeat(img[..., :1], 3, axis=2), 2)
    assert not coloured and hist.sum() == 21 * 29
