"""ocrprep.estimate_background / normalize_background."""
import numpy as np
import pytest

import ocrprep
from imagegen import SHAPES, random_image


def shaded_page(rng, h=300, w=400, noise=2.0):
    yy, xx = np.mgrid[0:h, 0:w]
    paper = 200 + 30 * np.sin(xx / 150.0) * np.cos(yy / 170.0)          # smooth shading
    page = paper.copy()
    for y in range(30, h - 30, 40):                                      # "text lines"
        page[y : y + 12, 40 : w - 40][:, ::5] = paper[y : y + 12, 40 : w - 40][:, ::5] * 0.3
    page += rng.normal(0, noise, (h, w))
    return np.clip(page, 0, 255).astype(np.uint8), paper


def test_background_follows_the_paper_not_the_ink(rng):
    page, paper = shaded_page(rng)
    bg = ocrprep.estimate_background(page).astype(float)
    err = np.abs(bg - paper)
    # within one window (61 px) of the border the mean over a clipped window
    # lags a steep slope a little; inside, the surface follows the paper
    assert np.median(err) < 2.0 and err.max() < 25.0
    inner = err[60:-60, 60:-60]
    assert np.median(inner) < 1.5 and inner.max() < 6.0


def test_normalize_makes_paper_white_and_keeps_ink(rng):
    page, paper = shaded_page(rng)
    flat = ocrprep.normalize_background(page)
    ink = page < paper * 0.5
    assert np.median(flat[~ink]) >= 250
    assert np.median(flat[ink]) < 100
    # the shading is gone: the paper level no longer varies across the page
    rows = [np.median(flat[y, 60:-60][~ink[y, 60:-60]]) for y in range(60, 240, 10)]
    assert max(rows) - min(rows) <= 4


def test_flat_page_is_its_own_background():
    page = np.full((64, 96), 180, np.uint8)
    np.testing.assert_array_equal(ocrprep.estimate_background(page), page)
    np.testing.assert_array_equal(ocrprep.normalize_background(page), np.full_like(page, 255))


def test_linear_gradient_without_ink_is_flattened():
    page = np.tile(np.linspace(150, 230, 500), (300, 1)).astype(np.uint8)
    flat = ocrprep.normalize_background(page)
    assert flat[5:-5, 5:-5].min() >= 240


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_out_and_inplace(rng, shape):
    img = random_image(rng, shape, "doc")
    bg = ocrprep.estimate_background(img)
    flat = ocrprep.normalize_background(img)
    assert bg.shape == flat.shape == shape and bg.dtype == flat.dtype == np.uint8
    same = img.copy()
    ocrprep.normalize_background(same, out=same)
    np.testing.assert_array_equal(same, flat)
    np.testing.assert_array_equal(ocrprep.normalize_background(img.T), ocrprep.normalize_background(img.T.copy()))


@pytest.mark.parametrize("threads", [2, 3])
def test_threads(rng, threads):
    page, _ = shaded_page(rng, 1200, 700)
    np.testing.assert_array_equal(ocrprep.normalize_background(page, threads=threads),
                                  ocrprep.normalize_background(page, threads=1))
    np.testing.assert_array_equal(ocrprep.estimate_background(page, threads=threads),
                                  ocrprep.estimate_background(page, threads=1))


def test_bad_parameters(rng):
    img = random_image(rng, (20, 20), "doc")
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.estimate_background(img, window=2)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.normalize_background(img, window=10.5)
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.normalize_background(img.astype(np.int16))


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.background"))
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("shape", [(37, 29), (64, 64), (5, 130), (300, 7)])
def test_block_minima_and_sums(rng, shape):
    from ocrprep._background import block_sums_band

    img = rng.integers(0, 256, shape).astype(np.uint8)
    b = 8
    ch, cw = -(-shape[0] // b), -(-shape[1] // b)
    acc = np.zeros((ch, cw), np.uint32)
    mins = np.full((ch, cw), 255, np.uint8)
    # two bands split on a block row, as the threads do
    cut = min(shape[0], 2 * b)
    block_sums_band(img, acc, b, 0, cut, mins)
    block_sums_band(img, acc, b, cut, shape[0], mins)
    pad = np.pad(img.astype(np.int64), ((0, ch * b - shape[0]), (0, cw * b - shape[1])),
                 constant_values=-1).reshape(ch, b, cw, b)
    np.testing.assert_array_equal(acc, np.where(pad < 0, 0, pad).sum(axis=(1, 3)))
    np.testing.assert_array_equal(mins, np.where(pad < 0, 999, pad).min(axis=(1, 3)))


@pytest.mark.parametrize("shape,r", [((7, 9), 2), ((30, 41), 5), ((1, 10), 3), ((13, 1), 4),
                                     ((20, 20), 0), ((3, 3), 10), ((17, 40), 7), ((40, 17), 16)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grid_dilate_is_a_clipped_window_maximum(rng, shape, r, dtype):
    from ocrprep.background import _grid_dilate as grid_dilate

    a = (rng.random(shape) - 0.5).astype(dtype)
    ref = np.empty_like(a)
    for y in range(shape[0]):
        for x in range(shape[1]):
            ref[y, x] = a[max(0, y - r) : y + r + 1, max(0, x - r) : x + r + 1].max()
    np.testing.assert_array_equal(grid_dilate(a, r), ref)


@pytest.mark.parametrize("shape", [(1, 1), (7, 9), (9, 300), (64, 64), (101, 203), (300, 257)])
@pytest.mark.parametrize("kind", ["uniform", "doc"])
@pytest.mark.parametrize("threads", [1, 2])
def test_block_upper_means_and_maxima(rng, shape, kind, threads):
    """The ink-robust paper statistics against a plain numpy oracle: per block, the
    mean of the pixels at or above the block mean, and the block maximum."""
    from ocrprep.background import _block_means

    img = random_image(rng, shape, kind)
    upper = []
    means, b = _block_means(img, threads, None, upper)
    up, mx = upper
    assert up.shape == mx.shape == means.shape
    for i in range(means.shape[0]):
        for j in range(means.shape[1]):
            blk = img[i * b:(i + 1) * b, j * b:(j + 1) * b].astype(np.int64)
            above = blk[blk * blk.size >= blk.sum()]
            assert up[i, j] == pytest.approx(above.mean(), abs=1e-3)
            assert mx[i, j] == blk.max()


def test_upper_mean_ignores_dense_ink():
    """Text set solid: every block holds ink, the paper level does not move."""
    from ocrprep.background import _block_means

    img = np.full((64, 64), 220, np.uint8)
    img[::3, :] = 20                                  # a third of every block is ink
    upper = []
    means, _ = _block_means(img, 1, None, upper)
    assert np.allclose(upper[0], 220) and (upper[1] == 220).all()
    assert means.max() <= 170                         # the plain mean is dragged down
