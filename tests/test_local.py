"""Niblack, Wolf, NICK, Bernsen against numpy references, scikit-image and doxapy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
import localref
from localref import interior
from imagegen import SHAPES, random_image

METHODS = {
    "niblack": (ocrprep.niblack, localref.niblack, {"k": -0.2}),
    "wolf": (ocrprep.wolf, localref.wolf, {"k": 0.5}),
    "nick": (ocrprep.nick, localref.nick, {"k": -0.1}),
    "bernsen": (ocrprep.bernsen, localref.bernsen, {"contrast_limit": 15}),
}


def largest_window(shape, window):
    m = max(shape)
    return min(window, m if m % 2 else m - 1)


def doxa(name, img, **params):
    doxapy = pytest.importorskip("doxapy")
    out = np.empty_like(img)
    algo = doxapy.Binarization(getattr(doxapy.Binarization.Algorithms, name))
    algo.initialize(np.ascontiguousarray(img))
    algo.to_binary(out, params)
    return out


# -- numpy references (whole image, edges replicated) --------------------------

@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("shape", SHAPES + [(480, 640)])
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
def test_matches_reference(rng, method, shape, kind):
    ours, ref, params = METHODS[method]
    img = random_image(rng, shape, kind)
    for window in (3, 25):
        window = largest_window(shape, window)
        # Hypothesis seeks out exact ties (see test_sauvola.test_property_vs_reference):
    # every differing pixel must be a genuine tie, however many there are.
    localref.assert_matches(ours(img, window, **params), ref(img, window, **params), img, max_ties=1.0)


@pytest.mark.parametrize("method, params", [
    ("niblack", {"k": 0.0}), ("niblack", {"k": 0.3}), ("niblack", {"k": -0.5}),
    ("wolf", {"k": 0.2}), ("wolf", {"k": 1.0}), ("wolf", {"k": -0.2}),
    ("nick", {"k": -0.2}), ("nick", {"k": 0.1}), ("nick", {"k": 0.0}),
    ("bernsen", {"contrast_limit": 0}), ("bernsen", {"contrast_limit": 60, "threshold": 90}),
    ("bernsen", {"contrast_limit": 256}), ("bernsen", {"contrast_limit": 1, "threshold": 0}),
])
def test_parameters_match_reference(rng, method, params):
    ours, ref, _ = METHODS[method]
    img = random_image(rng, (130, 170), "doc")
    localref.assert_matches(ours(img, 15, **params), ref(img, 15, **params), img)


@pytest.mark.parametrize("method", ["niblack", "wolf", "nick"])
def test_large_window_path(rng, method):
    ours, ref, params = METHODS[method]
    img = random_image(rng, (300, 330), "smooth")
    localref.assert_matches(ours(img, 301, **params), ref(img, 301, **params), img)


def test_bernsen_large_window(rng):
    img = random_image(rng, (90, 310), "doc")
    np.testing.assert_array_equal(ocrprep.bernsen(img, 301), localref.bernsen(img, 301))


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(list(METHODS)),
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30)),
    st.integers(0, 12),
)
def test_property_vs_reference(method, img, half):
    ours, ref, params = METHODS[method]
    window = largest_window(img.shape, 2 * half + 1)
    # Hypothesis seeks out exact ties (see test_sauvola.test_property_vs_reference):
    # every differing pixel must be a genuine tie, however many there are.
    localref.assert_matches(ours(img, window, **params), ref(img, window, **params), img, max_ties=1.0)


def test_flat_images():
    for value in (0, 90, 255):
        img = np.full((30, 40), value, np.uint8)
        white = value > 0
        # flat: s = 0, so Niblack's T = m = v (not above it: ink), NICK's T = (1 + k) v
        assert (ocrprep.niblack(img, 9) == 0).all()
        assert (ocrprep.nick(img, 9) == (255 if white else 0)).all()
        # Wolf on a flat image: R = 0, T = (1 - k) m + k M = v
        assert (ocrprep.wolf(img, 9) == 0).all()
        # Bernsen: no contrast anywhere, the global threshold decides
        assert (ocrprep.bernsen(img, 9, threshold=128) == (255 if value > 128 else 0)).all()


def test_wolf_uses_image_min_and_max_std(rng):
    img = random_image(rng, (120, 150), "doc")
    m, s = localref.mean_std(img, 15)
    localref.assert_matches(
        ocrprep.wolf(img, 15, 0.4), localref.wolf(img, 15, 0.4, R=float(s.max()), M=float(img.min())), img
    )
    # R and M are global: changing a far-away corner changes the decision elsewhere
    smooth = random_image(rng, (120, 150), "smooth")
    speck = smooth.copy()
    speck[:15, :15] = np.where(np.indices((15, 15)).sum(0) % 2, 255, 0)  # a high-contrast corner
    far = (slice(60, None), slice(60, None))
    assert (ocrprep.wolf(speck, 15)[far] != ocrprep.wolf(smooth, 15)[far]).any()


# -- scikit-image and doxapy ----------------------------------------------------

@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("window, k", [(3, -0.2), (5, -0.2), (15, 0.3), (25, -0.2), (31, 0.1)])
def test_niblack_matches_skimage_everywhere(rng, kind, window, k):
    """Default border = scikit-image's mirror: every pixel agrees, edges included."""
    filters = pytest.importorskip("skimage.filters")
    img = random_image(rng, (240, 321), kind)
    # scikit-image writes T = m - k * s
    ref = localref.binary(img, filters.threshold_niblack(img, window_size=window, k=-k))
    localref.assert_matches(ocrprep.niblack(img, window, k), ref, img)
    replicate = ocrprep.niblack(img, window, k, border="replicate")
    localref.assert_matches(replicate, localref.niblack(img, window, k, border="replicate"), img)


@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("window", [5, 25])
def test_nick_and_niblack_match_doxapy_inside(rng, kind, window):
    # Doxa shrinks the window at the edges; inside, the windows are the same
    img = random_image(rng, (240, 321), kind)
    for ours, name, k in ((ocrprep.nick, "NICK", -0.1), (ocrprep.niblack, "NIBLACK", -0.2),
                          (ocrprep.sauvola, "SAUVOLA", 0.2)):
        np.testing.assert_array_equal(interior(ours(img, window, k), window),
                                      interior(doxa(name, img, window=window, k=k), window), err_msg=name)


@pytest.mark.parametrize("window", [5, 25])
def test_wolf_matches_doxapy_inside(rng, window):
    # Doxa's R is the largest std over its edge-shrunk windows: put a flat
    # frame around the page so that the largest std is inside, where the
    # windows of both libraries are the same.
    img = np.full((260, 340), 200, np.uint8)
    img[40:-40, 40:-40] = random_image(rng, (180, 260), "doc")
    np.testing.assert_array_equal(interior(ocrprep.wolf(img, window, 0.5), window),
                                  interior(doxa("WOLF", img, window=window, k=0.5), window))


@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
@pytest.mark.parametrize("window, limit, threshold", [(3, 15, 100), (31, 15, 128), (75, 25, 100), (31, 0, 50)])
def test_bernsen_matches_doxapy_everywhere(rng, kind, window, limit, threshold):
    # min/max with replicated edges == min/max over the clipped window, so
    # Doxa's result is the oracle on the whole image (Doxa: hi - lo > limit)
    img = random_image(rng, (240, 321), kind)
    ref = doxa("BERNSEN", img, window=window, threshold=threshold, **{"contrast-limit": limit - 1})
    np.testing.assert_array_equal(ocrprep.bernsen(img, window, limit, threshold), ref)


def test_on_dibco(dibco_dir):
    """Real documents: every method equals its numpy reference on whole images."""
    PIL = pytest.importorskip("PIL.Image")
    paths = sorted((dibco_dir / "img").glob("*"))[::6]
    for path in paths:
        img = np.asarray(PIL.open(path).convert("L"))
        for method, (ours, ref, params) in METHODS.items():
            window = 25 if method != "bernsen" else 31
            localref.assert_matches(ours(img, window, **params), ref(img, window, **params), img,
                                    err_msg=f"{method} {path.name}")


# -- API --------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_binarize_dispatch(rng, method):
    ours, _, params = METHODS[method]
    img = random_image(rng, (80, 90), "doc")
    np.testing.assert_array_equal(ocrprep.binarize(img, method=method, window=11, **params),
                                  ours(img, 11, **params))
    np.testing.assert_array_equal(ocrprep.binarize(img, method=method), ours(img))


@pytest.mark.parametrize("method", METHODS)
def test_out_inplace_strided_readonly(rng, method):
    ours, ref, params = METHODS[method]
    big = random_image(rng, (160, 200), "doc")
    img = big[::2, 1::2]
    c = np.ascontiguousarray(img)
    localref.assert_matches(ours(img, 9, **params), ref(c, 9, **params), c)
    expected = ours(c, 9, **params)
    np.testing.assert_array_equal(ours(img, 9, **params), expected)
    out = np.empty(img.shape, np.uint8)
    assert ours(img, 9, out=out, **params) is out
    np.testing.assert_array_equal(out, expected)
    same = np.ascontiguousarray(img)
    ours(same, 9, out=same, **params)
    np.testing.assert_array_equal(same, expected)
    strided = np.zeros((img.shape[0], 2 * img.shape[1]), np.uint8)[:, ::2]
    ours(img, 9, out=strided, **params)
    np.testing.assert_array_equal(strided, expected)
    ro = np.ascontiguousarray(img)
    ro.flags.writeable = False
    np.testing.assert_array_equal(ours(ro, 9, **params), expected)
    np.testing.assert_array_equal(ours(img[::-1], 9, **params), ours(np.ascontiguousarray(img[::-1]), 9, **params))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("threads", [2, 3, 8])
def test_threads_agree(rng, method, threads):
    ours, ref, params = METHODS[method]
    img = random_image(rng, (900, 300), "doc")
    np.testing.assert_array_equal(ours(img, 25, threads=threads, **params), ours(img, 25, threads=1, **params))
    localref.assert_matches(ours(img, 25, threads=threads, **params), ref(img, 25, **params), img)


# -- errors -------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_window_rules(rng, method):
    fn = METHODS[method][0]
    assert fn(random_image(rng, (1, 37)), 25).shape == (1, 37)
    with pytest.raises(ocrprep.InvalidParameterError, match="larger than the image"):
        fn(random_image(rng, (20, 24)), 25)
    for bad in (0, -1, 4, 2049):
        with pytest.raises(ocrprep.InvalidParameterError, match="window"):
            fn(random_image(rng, (3000, 3)), bad)
    for bad in (3.0, "3", None):
        with pytest.raises(ocrprep.ParameterTypeError):
            fn(random_image(rng, (30, 30)), bad)


@pytest.mark.parametrize("method", ["niblack", "wolf", "nick"])
def test_bad_k(rng, method):
    fn = METHODS[method][0]
    with pytest.raises(ocrprep.InvalidParameterError):
        fn(random_image(rng, (30, 30)), 5, k=float("nan"))
    with pytest.raises(ocrprep.ParameterTypeError):
        fn(random_image(rng, (30, 30)), 5, k="high")
    with pytest.raises(ocrprep.InvalidParameterError, match="k must be"):
        fn(random_image(rng, (30, 30)), 5, k=1e4)


@pytest.mark.parametrize("method", ["niblack", "wolf", "nick"])
@pytest.mark.parametrize("k", [-1000.0, 1000.0])
def test_extreme_k_still_exact(rng, method, k):
    ours, ref, _ = METHODS[method]
    img = random_image(rng, (80, 90), "doc")
    localref.assert_matches(ours(img, 15, k=k), ref(img, 15, k=k), img)


@pytest.mark.parametrize("kw, exc", [
    ({"contrast_limit": -1}, ocrprep.InvalidParameterError),
    ({"contrast_limit": 257}, ocrprep.InvalidParameterError),
    ({"contrast_limit": 1.5}, ocrprep.ParameterTypeError),
    ({"threshold": 256}, ocrprep.InvalidParameterError),
    ({"threshold": -1}, ocrprep.InvalidParameterError),
    ({"threshold": "128"}, ocrprep.ParameterTypeError),
])
def test_bernsen_bad_parameters(rng, kw, exc):
    with pytest.raises(exc):
        ocrprep.bernsen(random_image(rng, (30, 30)), 5, **kw)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bad, exc", [
    (None, ocrprep.ImageTypeError),
    (np.zeros((5, 5), np.int16), ocrprep.ImageTypeError),
    (np.zeros((5, 5, 2), np.uint8), ocrprep.InvalidImageError),
    (np.zeros((5, 0), np.uint8), ocrprep.InvalidImageError),
])
def test_bad_images(method, bad, exc):
    with pytest.raises(exc):
        METHODS[method][0](bad, 3)


def test_unknown_parameter_through_binarize(rng):
    with pytest.raises(TypeError):
        ocrprep.binarize(random_image(rng, (30, 30)), method="niblack", r=128)


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.local"))
    assert result.attempted > 0 and result.failed == 0
