"""ocrprep.filters: every filter's real effect, areas, and the JSON / short-form round trip."""
from __future__ import annotations

import doctest
import importlib
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

import ocrprep
import ocrprep.filters as fmod
from frontdoor import text_page
from imagegen import random_image
from ocrprep import Filter, PreprocessingFilter
from ocrprep.errors import InvalidParameterError, OcrprepError, ParameterTypeError


def need(*names):
    """Skip until the kernels a filter calls have landed in this build."""
    for name in names:
        if "." in name:
            mod, attr = name.rsplit(".", 1)
            try:
                ok = hasattr(importlib.import_module(mod), attr)
            except ImportError:
                ok = False
        else:
            ok = hasattr(ocrprep, name)
        if not ok:
            pytest.skip(f"{name} is not in this build yet")


NEEDS = {
    "binarize": ["sauvola"],
    "binarize_and_dilate": ["erode"],
    "dilate": ["erode"],
    "erode": ["dilate"],
    "median": ["median"],
    "auto_denoising": ["auto_denoise"],
    "contrast_correction": ["contrast_stretch"],
    "invert": ["invert", "ocrprep.auto.is_inverted"],
    "to_grayscale": ["to_grayscale"],
    "rotate": ["rotate"],
    "scale": ["scale"],
    "upscale": ["upscale"],
    "resize": ["resize"],
    "auto_skew": ["deskew"],
    "dewarp": ["dewarp"],
    "threshold": [],
}

#: One parameter set per filter (no user-chosen method needs the automatic binarizer).
CASES = {
    "binarize": {"method": "sauvola"},
    "threshold": {"value": 128},
    "binarize_and_dilate": {"method": "otsu"},
    "dilate": {"size": 3},
    "erode": {"size": 5},
    "median": {"size": 5},
    "auto_denoising": {},
    "contrast_correction": {"low_pct": 2, "high_pct": 98},
    "invert": {"force": True},
    "to_grayscale": {},
    "rotate": {"angle": 7.5, "expand": False},
    "scale": {"ratio": 0.5},
    "upscale": {"sharpen": 0.5},
    "resize": {"width": 33, "height": 21},
    "auto_skew": {},
    "dewarp": {},
}
AREA_FILTERS = [n for n in CASES if fmod.FILTERS[n].area]


def test_every_filter_has_a_case():
    assert set(CASES) == set(fmod.FILTERS) == set(NEEDS)


@pytest.fixture
def page(rng):
    return random_image(rng, (90, 120), "doc")


@pytest.fixture
def color_page(rng):
    g = random_image(rng, (60, 80), "doc")
    return np.dstack([g, np.roll(g, 3, axis=1), 255 - g // 2]).astype(np.uint8)


# --------------------------------------------------------------------------- #
# areas: the filter acts inside the rectangle, pixels outside are unchanged
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("name", AREA_FILTERS)
def test_area_leaves_outside_unchanged(name, page):
    need(*NEEDS[name])
    area = (17, 11, 47, 38)
    original = page.copy()
    out = Filter(name, CASES[name], area=area).apply(page)
    np.testing.assert_array_equal(page, original)  # input untouched
    x, y, w, h = area
    outside = np.ones(page.shape, bool)
    outside[y:y + h, x:x + w] = False
    np.testing.assert_array_equal(out[outside], page[outside])
    inside = Filter(name, CASES[name]).apply(np.ascontiguousarray(page[y:y + h, x:x + w]))
    np.testing.assert_array_equal(out[y:y + h, x:x + w], inside)
    if name not in ("to_grayscale", "auto_skew"):  # a grey page / a page of noise has no skew
        assert not np.array_equal(out[y:y + h, x:x + w], page[y:y + h, x:x + w]), "the filter had no effect"


@pytest.mark.parametrize("name", AREA_FILTERS)
def test_area_on_colour_page(name, color_page):
    need(*NEEDS[name])
    area = (5, 7, 30, 20)
    out = Filter(name, CASES[name], area=area).apply(color_page)
    assert out.shape == color_page.shape  # grey results are pasted into all three channels
    x, y, w, h = area
    mask = np.ones(color_page.shape[:2], bool)
    mask[y:y + h, x:x + w] = False
    np.testing.assert_array_equal(out[mask], color_page[mask])


def test_area_clipped_outside_and_sizes(page):
    f = Filter("threshold", {"value": 100}, area=(100, 80, 500, 500))  # runs past the page: clipped
    out = f.apply(page)
    np.testing.assert_array_equal(out[80:, 100:], np.where(page[80:, 100:] > 100, 255, 0))
    np.testing.assert_array_equal(out[:80], page[:80])
    with pytest.raises(InvalidParameterError, match="outside"):
        Filter("threshold", {"value": 100}, area=(500, 0, 10, 10)).apply(page)
    for bad in [(0, 0, 0, 5), (-1, 0, 5, 5), (0, 0, 5)]:
        with pytest.raises(OcrprepError):
            Filter("threshold", {"value": 100}, area=bad)
    with pytest.raises(InvalidParameterError, match="cannot take an area"):
        PreprocessingFilter.scale(0.5, area=(0, 0, 5, 5))
    assert Filter("median", area={"x": 1, "y": 2, "width": 3, "height": 4}).area == (1, 2, 3, 4)
    assert Filter("median", area=fmod.Rectangle(1, 2, 3, 4)).area.width == 3


# --------------------------------------------------------------------------- #
# real effects, filter by filter
# --------------------------------------------------------------------------- #
def test_threshold_semantics_and_range(page, color_page):
    np.testing.assert_array_equal(PreprocessingFilter.threshold(90).apply(page), np.where(page > 90, 255, 0))
    luma = np.asarray(Image.fromarray(color_page).convert("L"))
    np.testing.assert_array_equal(PreprocessingFilter.threshold(90).apply(color_page), np.where(luma > 90, 255, 0))
    ink = [int((PreprocessingFilter.threshold(v).apply(page) == 0).sum()) for v in (50, 100, 150, 200)]
    assert ink == sorted(ink) and ink[0] < ink[-1]  # higher value keeps more content
    for bad in (-1, 256):
        with pytest.raises(InvalidParameterError, match="between 0 and 255"):
            PreprocessingFilter.threshold(bad)
    with pytest.raises(ParameterTypeError):
        PreprocessingFilter.threshold("150")
    with pytest.raises(InvalidParameterError, match="missing"):
        Filter("threshold")


def test_threshold_zero_and_binarize_are_automatic(page):
    need("ocrprep.auto.auto_binarize")
    auto = ocrprep.binarize(page)
    np.testing.assert_array_equal(PreprocessingFilter.threshold(0).apply(page), auto)
    np.testing.assert_array_equal(PreprocessingFilter.binarize().apply(page), auto)


def test_binarize_methods(page, color_page):
    for method in ("otsu", "sauvola"):
        out = PreprocessingFilter.binarize(method).apply(page)
        np.testing.assert_array_equal(out, ocrprep.binarize(page, method=method))
    assert set(np.unique(PreprocessingFilter.binarize("otsu").apply(color_page))) <= {0, 255}
    with pytest.raises(InvalidParameterError, match="method"):
        PreprocessingFilter.binarize("magic")


def test_dilate_thickens_ink_and_erode_thins_it():
    need("erode", "dilate")
    img = np.full((21, 21), 255, np.uint8)
    img[10, 3:18] = 0  # a 1-pixel dark stroke
    thick = PreprocessingFilter.dilate().apply(img)
    assert int((thick == 0).sum()) == 3 * 17  # 3 rows, 2 more columns
    np.testing.assert_array_equal(thick, ocrprep.erode(img, 3))
    thin = PreprocessingFilter.erode().apply(thick)
    np.testing.assert_array_equal(thin, img)
    np.testing.assert_array_equal(thin, ocrprep.dilate(thick, 3))
    assert int((PreprocessingFilter.dilate(5).apply(img) == 0).sum()) == 5 * 19


def test_binarize_and_dilate(page):
    need("erode")
    bw = ocrprep.binarize(page, method="otsu")
    out = PreprocessingFilter.binarize_and_dilate(method="otsu").apply(page)
    np.testing.assert_array_equal(out, ocrprep.erode(bw, 3))
    assert (out == 0).sum() > (bw == 0).sum()


def test_median_removes_salt_and_pepper(rng):
    need("median")
    img = np.full((40, 50), 200, np.uint8)
    specks = rng.random(img.shape) < 0.05
    noisy = img.copy()
    noisy[specks] = rng.choice([0, 255], specks.sum())
    out = PreprocessingFilter.median().apply(noisy)
    assert (out != 200).sum() < specks.sum() // 10
    np.testing.assert_array_equal(out, ocrprep.median(noisy, 3))
    with pytest.raises(InvalidParameterError, match="odd"):
        PreprocessingFilter.median(4)


def test_median_colour_is_per_channel(color_page):
    need("median")
    out = PreprocessingFilter.median(3).apply(color_page)
    for c in range(3):
        np.testing.assert_array_equal(out[..., c], ocrprep.median(np.ascontiguousarray(color_page[..., c]), 3))


def _isolated_dark_pixels(img) -> int:
    """Dark pixels (< 128) none of whose 8 neighbours is dark."""
    dark = np.pad(img < 128, 1).astype(np.int32)
    neighbours = sum(np.roll(np.roll(dark, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - dark
    return int((dark.astype(bool) & (neighbours == 0))[1:-1, 1:-1].sum())


def test_auto_denoising_removes_specks_keeps_text(rng):
    need("auto_denoise")
    page = text_page(["Denoising keeps the text", "and removes the specks."])
    noisy = page.copy()
    specks = rng.random(page.shape) < 0.01
    noisy[specks] = 0
    out = PreprocessingFilter.auto_denoising().apply(noisy)
    assert _isolated_dark_pixels(noisy) > 1000
    assert _isolated_dark_pixels(out) < _isolated_dark_pixels(noisy) // 20
    text_ink = int((page < 128).sum())
    assert abs(int((out < 128).sum()) - text_ink) < 0.3 * text_ink  # the strokes survive


def test_contrast_correction_stretches(rng):
    img = rng.integers(100, 151, (50, 60), dtype=np.uint8)
    out = PreprocessingFilter.contrast_correction().apply(img)
    assert out.min() <= 5 and out.max() >= 250
    np.testing.assert_array_equal(out, ocrprep.contrast_stretch(img, 1, 99))
    with pytest.raises(InvalidParameterError, match="below"):
        PreprocessingFilter.contrast_correction(60, 40).apply(img)


def test_invert_is_automatic_unless_forced():
    need("invert", "ocrprep.auto.is_inverted")
    positive = text_page(["Dark ink on light paper"])
    negative = 255 - positive
    np.testing.assert_array_equal(PreprocessingFilter.invert().apply(negative), positive)  # detected
    np.testing.assert_array_equal(PreprocessingFilter.invert().apply(positive), positive)  # left alone
    np.testing.assert_array_equal(PreprocessingFilter.invert(force=True).apply(positive), negative)


def test_invert_forced_colour(color_page):
    np.testing.assert_array_equal(PreprocessingFilter.invert(force=True).apply(color_page), 255 - color_page)


def test_to_grayscale(color_page, page):
    out = PreprocessingFilter.to_grayscale().apply(color_page)
    np.testing.assert_array_equal(out, np.asarray(Image.fromarray(color_page).convert("L")))
    same = PreprocessingFilter.to_grayscale().apply(page)
    np.testing.assert_array_equal(same, page)
    assert same is not page


def test_rotate_scale_resize_shapes():
    need("rotate", "scale", "resize")
    img = np.arange(20 * 30, dtype=np.uint32).reshape(20, 30).astype(np.uint8)
    np.testing.assert_array_equal(PreprocessingFilter.rotate(90).apply(img), np.rot90(img))
    assert PreprocessingFilter.rotate(5, expand=False).apply(img).shape == img.shape
    assert PreprocessingFilter.scale(0.5).apply(np.zeros((40, 60), np.uint8)).shape == (20, 30)
    assert PreprocessingFilter.scale(2).apply(np.zeros((40, 60, 3), np.uint8)).shape == (80, 120, 3)
    assert PreprocessingFilter.resize(33, 17).apply(np.zeros((40, 60), np.uint8)).shape == (17, 33)
    with pytest.raises(InvalidParameterError):
        PreprocessingFilter.scale(0)
    with pytest.raises(OcrprepError):
        PreprocessingFilter.rotate(float("nan"))


@pytest.mark.parametrize("angle", [-8.0, 3.7, 12.5])
def test_auto_skew_straightens_a_rotated_page(angle):
    need("deskew", "detect_skew")
    lines = ["Skew correction finds the angle of the text", "lines and rotates the page back so that",
             "they run level again before recognition.", "Every line of this page helps the estimate."]
    page = text_page(lines, size=(1100, 420), font_size=30)
    tilted = np.asarray(Image.fromarray(page).rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=235))
    assert abs(ocrprep.detect_skew(tilted) - angle) < 0.1
    straight = PreprocessingFilter.auto_skew().apply(tilted)
    assert abs(ocrprep.detect_skew(straight)) < 0.1


def test_pipeline_order_matters(rng):
    page = random_image(rng, (40, 50))
    a = PreprocessingFilter.from_spec("threshold(100),invert(force=true)")
    b = PreprocessingFilter.from_spec("invert(force=true),threshold(100)")
    np.testing.assert_array_equal(a.apply(page), 255 - np.where(page > 100, 255, 0))
    np.testing.assert_array_equal(b.apply(page), np.where(255 - page > 100, 255, 0))
    assert not np.array_equal(a.apply(page), b.apply(page))


def test_empty_pipeline_returns_a_copy(page):
    out = PreprocessingFilter().apply(page)
    np.testing.assert_array_equal(out, page)
    assert out is not page


# --------------------------------------------------------------------------- #
# the collection, printing and serialisation
# --------------------------------------------------------------------------- #
def test_default_and_empty_are_fresh_collections():
    d = PreprocessingFilter.default
    assert [f.name for f in d] == ["auto_skew"]
    d.add(PreprocessingFilter.median())
    assert len(PreprocessingFilter.default) == 1
    e = PreprocessingFilter.empty
    assert len(e) == 0 and e is not PreprocessingFilter.empty


def test_printing_and_short_form_round_trip():
    pf = PreprocessingFilter()
    pf.add(PreprocessingFilter.median(5))
    pf.add(PreprocessingFilter.threshold(150, area=(0, 0, 40, 20)))
    pf.add(PreprocessingFilter.binarize())
    pf.add(PreprocessingFilter.rotate(-2.5))
    text = str(pf)
    assert text == "median(size=5),threshold(value=150, area=(0, 0, 40, 20)),binarize(),rotate(angle=-2.5)"
    assert PreprocessingFilter.from_spec(text) == pf
    assert "Filter('median', {'size': 5})" in repr(pf)
    assert PreprocessingFilter.from_spec("median, binarize, dilate") == PreprocessingFilter(
        [PreprocessingFilter.median(), PreprocessingFilter.binarize(), PreprocessingFilter.dilate()]
    )
    assert PreprocessingFilter.from_spec("Deskew; grayscale; binarize(method=otsu)")[2].params == {"method": "otsu"}


def test_json_round_trip_and_forms():
    pf = PreprocessingFilter.from_spec("median(5), threshold(value=150, area=(1, 2, 3, 4)), invert(force=True)")
    data = json.loads(pf.to_json())
    assert data[1] == {"name": "threshold", "params": {"value": 150}, "area": [1, 2, 3, 4]}
    assert PreprocessingFilter.from_json(pf.to_json()) == pf
    assert PreprocessingFilter.from_json(data) == pf
    assert PreprocessingFilter.from_spec({"filters": data}) == pf
    flat = [{"name": "median", "size": 5}, "threshold(value=150, area=(1, 2, 3, 4))", {"name": "invert", "force": True}]
    assert PreprocessingFilter.from_json(json.dumps(flat)) == pf
    assert PreprocessingFilter.from_spec(None) == PreprocessingFilter.from_spec("") == PreprocessingFilter()


@pytest.mark.parametrize(
    "spec, match",
    [
        ("sharpen", "unknown filter"),
        ("median(size=5, radius=2)", "unknown parameter"),
        ("median(4)", "odd"),
        ("median(5, 7)", "positional"),
        ("threshold(300)", "between 0 and 255"),
        ("median(__import__('os'))", "literals"),
        ("median(5", "unbalanced"),
        ("[{\"name\": \"median\"", "invalid filter JSON"),
        ('[{"size": 3}]', "needs a 'name'"),
        ("rotate(angle='x')", "real number"),
        ("invert(force=1)", "true or false"),
    ],
)
def test_bad_specs_are_clear_errors(spec, match):
    with pytest.raises(OcrprepError, match=match):
        PreprocessingFilter.from_spec(spec)


def test_filters_are_immutable_values():
    f = Filter("median", {"size": 5})
    assert f == Filter("median", {"size": 5}) and hash(f) == hash(Filter("median", {"size": 5}))
    assert f != Filter("median", {"size": 3})
    with pytest.raises(AttributeError):
        f.name = "x"
    p = f.params
    p["size"] = 9
    assert f.params["size"] == 5
    with pytest.raises(ParameterTypeError):
        PreprocessingFilter().add(42)


_filter_strategy = st.one_of(
    st.builds(lambda s: Filter("median", {"size": s}), st.sampled_from([1, 3, 5, 7, 255])),
    st.builds(lambda v: Filter("threshold", {"value": v}), st.integers(0, 255)),
    st.builds(lambda a, e: Filter("rotate", {"angle": a, "expand": e}),
              st.floats(-360, 360, allow_nan=False).map(lambda a: round(a, 3)), st.booleans()),
    st.builds(lambda lo, hi: Filter("contrast_correction", {"low_pct": lo, "high_pct": hi}),
              st.floats(0, 49, allow_nan=False), st.floats(51, 100, allow_nan=False)),
    st.builds(lambda w, h: Filter("resize", {"width": w, "height": h}), st.integers(1, 5000), st.integers(1, 5000)),
    st.just(Filter("binarize", {"method": "otsu"})),
    st.just(Filter("invert", {"force": True})),
)
_area_strategy = st.one_of(st.none(), st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(1, 99), st.integers(1, 99)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_filter_strategy, _area_strategy), max_size=6))
def test_round_trip_property(items):
    pf = PreprocessingFilter()
    for f, area in items:
        pf.add(Filter(f.name, f.params, area if fmod.FILTERS[f.name].area else None))
    assert PreprocessingFilter.from_json(pf.to_json()) == pf
    assert PreprocessingFilter.from_spec(str(pf)) == pf


def test_module_doctests():
    result = doctest.testmod(fmod)
    assert result.failed == 0 and result.attempted > 0
