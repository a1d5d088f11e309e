"""ocrprep.auto_denoise: flatten + median + speck removal on grey pages."""
import numpy as np
import pytest

import ocrprep
from imagegen import SHAPES, random_image
from test_auto import degrade, text_page


def test_shading_and_noise_go_text_stays(rng):
    img, gt = degrade(text_page(size=28), rng, shade=80, noise=8)
    info = {}
    clean = ocrprep.auto_denoise(img, info=info)
    paper = ~np.pad(gt, 3, mode="edge")[3:-3, 3:-3]
    # paper: white and much quieter than before
    far = paper & ~(np.pad(gt, 6)[6:-6, 6:-6])
    assert np.median(clean[far]) >= 250
    assert clean[far].std() < 0.5 * img[far].std()
    # ink (faint on the right of this page): still well below the paper
    assert np.median(clean[gt]) < np.median(clean[far]) - 50
    # text survives a binarization of the cleaned page at least as well as of the input
    from test_auto import fmeasure

    f_clean = fmeasure(ocrprep.binarize(clean, method="otsu") == 0, gt)
    f_raw = fmeasure(ocrprep.binarize(img, method="otsu") == 0, gt)
    assert f_clean > 85 and f_clean > f_raw
    assert info["stroke_width"] > 1 and info["speck_area"] >= 1


def test_specks_are_painted_white(rng):
    page = np.full((300, 400), 215.0)
    page[100:104, 50:350] = 40                                     # a stroke 4 px thick
    page += rng.normal(0, 3, page.shape)
    blobs = [(200, 60), (220, 150), (250, 300), (40, 200)]
    for y, x in blobs:
        page[y : y + 3, x : x + 3] = 50                            # 3x3 specks survive a 3x3 median
    img = np.clip(page, 0, 255).astype(np.uint8)
    assert all(ocrprep.median(img, 3)[y + 1, x + 1] < 128 for y, x in blobs)
    info = {}
    clean = ocrprep.auto_denoise(img, info=info)
    for y, x in blobs:
        assert clean[y : y + 3, x : x + 3].min() > 200
    assert info["specks_removed"] >= 4 * 5
    assert (clean[100:104, 52:348] < 100).all()
    # speck_area=0 keeps them
    kept = ocrprep.auto_denoise(img, speck_area=0)
    assert all(kept[y + 1, x + 1] < 128 for y, x in blobs)


def test_negative_page_becomes_positive(rng):
    img, gt = degrade(text_page(size=24), rng)
    clean = ocrprep.auto_denoise(255 - img)
    np.testing.assert_array_equal(clean, ocrprep.auto_denoise(img))


def test_blank_page_becomes_white(rng):
    page = np.clip(rng.normal(190, 6, (400, 500)), 0, 255).astype(np.uint8)
    clean = ocrprep.auto_denoise(page)
    assert clean.min() >= 200


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_out_inplace(rng, shape):
    img = random_image(rng, shape, "doc")
    ref = ocrprep.auto_denoise(img)
    assert ref.shape == shape and ref.dtype == np.uint8
    same = img.copy()
    assert ocrprep.auto_denoise(same, out=same) is same
    np.testing.assert_array_equal(same, ref)


def test_filter_uses_it_when_present(rng):
    filters = pytest.importorskip("ocrprep.filters")
    pf = getattr(filters, "PreprocessingFilter", None)
    if pf is None or not hasattr(pf, "auto_denoising"):
        pytest.skip("PreprocessingFilter.auto_denoising not available")
    img, _ = degrade(text_page(size=24), rng)
    f = pf()
    f.add(pf.auto_denoising())
    np.testing.assert_array_equal(f.apply(img), ocrprep.auto_denoise(img))


def test_bad_parameters(rng):
    img = random_image(rng, (20, 20), "doc")
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.auto_denoise(img, median_size=4)
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.auto_denoise(img, speck_area=-1)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.auto_denoise(img, speck_area=2.5)
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.auto_denoise(img.astype(float))


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.denoise"))
    assert result.attempted > 0 and result.failed == 0
