"""ocrprep.sauvola against scikit-image and an independent numpy reference."""
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
import localref
from localref import interior
from imagegen import SHAPES, random_image


def skimage_sauvola(img, window, k=0.2, r=128):
    filters = pytest.importorskip("skimage.filters")
    return localref.binary(img, filters.threshold_sauvola(img, window_size=window, k=k, r=r))


# -- exactness ---------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES + [(480, 640)])
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("window", [3, 15, 25])
def test_matches_reference_everywhere(rng, shape, kind, window):
    img = random_image(rng, shape, kind)
    window = min(window, max(shape) - (1 - max(shape) % 2))  # largest odd window allowed
    localref.assert_matches(ocrprep.sauvola(img, window), localref.sauvola(img, window), img)


@pytest.mark.parametrize("k, r", [(0.2, 128), (0.5, 128), (0.05, 64), (0.0, 128), (-0.1, 128), (0.34, 255.5),
                                  (1000.0, 128), (-1000.0, 1e-6), (1000.0, 1e-6), (0.2, 1e9)])
def test_parameters_match_reference(rng, k, r):
    img = random_image(rng, (150, 170), "doc")
    localref.assert_matches(ocrprep.sauvola(img, 21, k, r), localref.sauvola(img, 21, k, r), img)


@pytest.mark.parametrize("window", [259, 301])
def test_large_window_path(rng, window):
    # windows > 257 sum the squares in 64 bits: exercise that path too
    img = random_image(rng, (320, 420), "smooth")
    localref.assert_matches(ocrprep.sauvola(img, window), localref.sauvola(img, window), img)


@pytest.mark.parametrize("window", [1, 3, 25, 255, 257, 259])
def test_window_sums_are_exact(rng, window):
    from ocrprep._window_stats import sums_band

    img = random_image(rng, (260, 300))
    img[:130, :150] = 255  # saturated corner: largest possible sums
    s1 = np.empty(img.shape, np.int64)
    s2 = np.empty(img.shape, np.float64)
    sums_band(img, window, s1, s2, 0, img.shape[0])
    r1, r2 = localref.window_sums(img, window)
    np.testing.assert_array_equal(s1, r1)
    np.testing.assert_array_equal(s2, r2.astype(np.float64))


def test_flat_and_extreme_images():
    for value in (0, 1, 128, 254, 255):
        img = np.full((40, 50), value, np.uint8)
        expected = 0 if value == 0 else 255  # T = (1 - k) * v < v unless v == 0
        assert (ocrprep.sauvola(img, 15) == expected).all()
    checker = (np.indices((64, 64)).sum(0) % 2 * 255).astype(np.uint8)
    localref.assert_matches(ocrprep.sauvola(checker, 5), localref.sauvola(checker, 5), checker)


@settings(max_examples=80, deadline=None)
@given(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)),
    st.integers(0, 20),
    st.floats(-0.5, 1.0),
    st.floats(1.0, 300.0),
)
def test_property_vs_reference(img, half, k, r):
    window = min(2 * half + 1, max(img.shape) - (1 - max(img.shape) % 2))
    # Hypothesis seeks out degenerate cases (k ~ 0 on a window whose mean is one of its
    # pixels makes every such pixel an exact tie), so the rarity bound on ties does not
    # apply here; every differing pixel must still be a genuine tie.
    localref.assert_matches(ocrprep.sauvola(img, window, k, r), localref.sauvola(img, window, k, r), img,
                            max_ties=1.0)


# -- scikit-image -------------------------------------------------------------

@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("window, k, r", [(3, 0.2, 128), (15, 0.2, 128), (25, 0.2, 128), (31, 0.5, 100), (51, 0.1, 128)])
def test_matches_skimage_everywhere(rng, kind, window, k, r):
    """Default border = scikit-image's (mirror): every pixel agrees, edges included."""
    img = random_image(rng, (300, 401), kind)
    ours, ref = ocrprep.sauvola(img, window, k, r), skimage_sauvola(img, window, k, r)
    localref.assert_matches(ours, ref, img)


@pytest.mark.parametrize("kind", ["uniform", "doc"])
@pytest.mark.parametrize("window", [3, 25, 51])
def test_replicate_border_differs_from_skimage_only_near_the_edges(rng, kind, window):
    img = random_image(rng, (300, 401), kind)
    ours = ocrprep.sauvola(img, window, border="replicate")
    ref = skimage_sauvola(img, window)
    localref.assert_matches(interior(ours, window), interior(ref, window), interior(img, window))
    band = 2 * (window // 2) * (img.shape[0] + img.shape[1]) / img.size
    assert (ours != ref).mean() <= band
    localref.assert_matches(ours, localref.sauvola(img, window, border="replicate"), img)


def test_matches_skimage_on_a4_page(rng):
    from ocrprep._testimages import a4_page

    page = a4_page()[:1754]  # half a page keeps the scikit-image oracle quick
    ours, ref = ocrprep.sauvola(page, 25), skimage_sauvola(page, 25)
    assert (ours == ref).mean() >= 0.9999
    localref.assert_matches(ours, ref, page)


def test_matches_skimage_on_dibco(dibco_dir):
    """Whole real documents, border included, with the default arguments:
    >= 99.99 % of pixels (in fact every pixel but exact ties)."""
    PIL = pytest.importorskip("PIL.Image")
    total = agree = 0
    for path in sorted(Path(dibco_dir, "img").glob("*"))[::2]:
        img = np.asarray(PIL.open(path).convert("L"))
        for window in (15, 25, 51):
            ours, ref = ocrprep.sauvola(img, window), skimage_sauvola(img, window)
            localref.assert_matches(ours, ref, img, err_msg=path.name)
            total += ours.size
            agree += int((ours == ref).sum())
    assert total > 0
    assert agree / total >= 0.9999, agree / total


@pytest.mark.parametrize("shape", [(1, 1), (1, 40), (40, 1), (2, 61), (61, 2), (3, 50), (7, 9), (30, 31), (300, 401)])
@pytest.mark.parametrize("window", [3, 15, 25, 59])
def test_both_borders_match_numpy_padding(rng, shape, window):
    """Windows much wider than a side mirror repeatedly, as numpy's pad does."""
    if window > max(shape):
        pytest.skip("window larger than the image")
    img = random_image(rng, shape, "doc")
    for border in ("reflect", "replicate"):
        ours = ocrprep.sauvola(img, window, border=border)
        localref.assert_matches(ours, localref.sauvola(img, window, border=border), img, max_ties=1.0,
                                err_msg=border)
    localref.assert_matches(ocrprep.sauvola(img, window), skimage_sauvola(img, window), img, max_ties=1.0)


@pytest.mark.parametrize("window", [1, 3, 25, 257, 259])
@pytest.mark.parametrize("border", ["reflect", "replicate"])
def test_window_sums_are_exact_for_both_borders(rng, window, border):
    from ocrprep._window_stats import sums_band

    img = random_image(rng, (140, 300))
    s1 = np.empty(img.shape, np.int64)
    s2 = np.empty(img.shape, np.float64)
    sums_band(img, window, s1, s2, 0, img.shape[0], border == "reflect")
    r1, r2 = localref.window_sums(img, window, border)
    np.testing.assert_array_equal(s1, r1)
    np.testing.assert_array_equal(s2, r2.astype(np.float64))


def test_borders_out_threads_and_errors(rng):
    img = random_image(rng, (900, 700), "doc")
    for border in ("reflect", "replicate"):
        ref = ocrprep.sauvola(img, 25, border=border, threads=1)
        np.testing.assert_array_equal(ocrprep.sauvola(img, 25, border=border.upper(), threads=2), ref)
        out = img.copy()
        assert ocrprep.sauvola(out, 25, border=border, out=out) is out
        np.testing.assert_array_equal(out, ref)
        np.testing.assert_array_equal(ocrprep.binarize(img, method="sauvola", border=border), ref)
    noise = random_image(rng, (60, 60), "uniform")  # the modes really differ near the edges
    reflect, replicate = ocrprep.sauvola(noise, 25), ocrprep.sauvola(noise, 25, border="replicate")
    assert not np.array_equal(reflect, replicate)
    np.testing.assert_array_equal(interior(reflect, 25), interior(replicate, 25))
    with pytest.raises(ocrprep.InvalidParameterError, match="border"):
        ocrprep.sauvola(img, 25, border="wrap")


# -- API ----------------------------------------------------------------------

def test_binarize_dispatch(rng):
    img = random_image(rng, (90, 120), "doc")
    np.testing.assert_array_equal(ocrprep.binarize(img, method="sauvola", window=15, k=0.3),
                                  ocrprep.sauvola(img, 15, 0.3))
    np.testing.assert_array_equal(ocrprep.binarize(img, method="Sauvola"), ocrprep.sauvola(img))
    rgb = np.repeat(img[:, :, None], 3, axis=2)
    try:
        from ocrprep.color import to_grayscale  # noqa: F401
    except ImportError:
        return
    np.testing.assert_array_equal(ocrprep.binarize(rgb, method="sauvola"), ocrprep.sauvola(img))


def test_out_and_inplace(rng):
    img = random_image(rng, (70, 80), "doc")
    expected = localref.sauvola(img, 11)
    out = np.empty_like(img)
    assert ocrprep.sauvola(img, 11, out=out) is out
    localref.assert_matches(out, expected, img)
    same = img.copy()
    assert ocrprep.sauvola(same, 11, out=same) is same
    np.testing.assert_array_equal(same, out)
    strided = np.zeros((70, 160), np.uint8)[:, ::2]
    ocrprep.sauvola(img, 11, out=strided)
    np.testing.assert_array_equal(strided, out)


def test_strided_flipped_and_readonly_inputs(rng):
    big = random_image(rng, (200, 300), "smooth")
    for view in (big[::2, ::3], big.T, big[10:150, 20:90], big[::-1], big[:, ::-1]):
        c = np.ascontiguousarray(view)
        localref.assert_matches(ocrprep.sauvola(view, 9), localref.sauvola(c, 9), c)
        np.testing.assert_array_equal(ocrprep.sauvola(view, 9), ocrprep.sauvola(c, 9))
    ro = big.copy()
    ro.flags.writeable = False
    np.testing.assert_array_equal(ocrprep.sauvola(ro, 9), ocrprep.sauvola(big, 9))


@pytest.mark.parametrize("threads", [1, 2, 3, 7])
def test_threads_agree(rng, threads):
    img = random_image(rng, (1100, 600), "doc")
    np.testing.assert_array_equal(ocrprep.sauvola(img, 25, threads=threads), ocrprep.sauvola(img, 25, threads=1))
    localref.assert_matches(ocrprep.sauvola(img, 25, threads=threads), localref.sauvola(img, 25), img)


# -- errors -------------------------------------------------------------------

@pytest.mark.parametrize("window", [0, -3, 4, 26, 2049, 100001])
def test_bad_window(rng, window):
    with pytest.raises(ocrprep.InvalidParameterError, match="window"):
        ocrprep.sauvola(random_image(rng, (3000, 4)), window)


@pytest.mark.parametrize("window", [2.0, "25", None, True, 25.5])
def test_window_type(rng, window):
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.sauvola(random_image(rng, (30, 30)), window)


def test_window_larger_than_image(rng):
    """The rule: ``window <= max(H, W)``; one side may be shorter than the window."""
    assert ocrprep.sauvola(random_image(rng, (1, 37)), 25).shape == (1, 37)
    assert ocrprep.sauvola(random_image(rng, (37, 5)), 37).shape == (37, 5)
    with pytest.raises(ocrprep.InvalidParameterError, match=r"larger than the image \(16x16\)"):
        ocrprep.sauvola(random_image(rng, (16, 16)), 25)
    with pytest.raises(ocrprep.InvalidParameterError, match="larger than the image"):
        ocrprep.sauvola(random_image(rng, (1, 1)), 3)
    with pytest.raises(ValueError):  # also a ValueError for callers who catch that
        ocrprep.sauvola(random_image(rng, (10, 12)), 13)


@pytest.mark.parametrize("kw, exc", [
    ({"k": float("nan")}, ocrprep.InvalidParameterError),
    ({"k": float("inf")}, ocrprep.InvalidParameterError),
    ({"k": "0.2"}, ocrprep.ParameterTypeError),
    ({"k": 1000.5}, ocrprep.InvalidParameterError),
    ({"k": -2e3}, ocrprep.InvalidParameterError),
    ({"r": 0}, ocrprep.InvalidParameterError),
    ({"r": 1e-7}, ocrprep.InvalidParameterError),
    ({"r": 2e9}, ocrprep.InvalidParameterError),
    ({"r": -5.0}, ocrprep.InvalidParameterError),
    ({"r": None}, ocrprep.ParameterTypeError),
    ({"threads": 0}, ocrprep.InvalidParameterError),
])
def test_bad_parameters(rng, kw, exc):
    with pytest.raises(exc):
        ocrprep.sauvola(random_image(rng, (30, 30)), 5, **kw)


@pytest.mark.parametrize("bad, exc", [
    (None, ocrprep.ImageTypeError),
    ([[1, 2], [3, 4]], ocrprep.ImageTypeError),
    (np.zeros((5, 5), np.float32), ocrprep.ImageTypeError),
    (np.zeros((5, 5, 3), np.uint8), ocrprep.InvalidImageError),
    (np.zeros((0, 5), np.uint8), ocrprep.InvalidImageError),
    (np.zeros(5, np.uint8), ocrprep.InvalidImageError),
])
def test_bad_images(bad, exc):
    with pytest.raises(exc):
        ocrprep.sauvola(bad, 3)


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.sauvola"))
    assert result.attempted > 0 and result.failed == 0
