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
