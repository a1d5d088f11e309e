"""ocrprep.auto_binarize: behaviour on clean, blank, negative, degraded and real pages."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import ocrprep
from ocrprep.auto import is_inverted
from imagegen import SHAPES, random_image

_WORDS = ("the quick brown fox jumps over a lazy dog while optical character "
          "recognition reads scanned pages of old letters and printed books").split()


def text_page(h=600, w=800, size=28, seed=0, antialias=True, pitch=None):
    """Black text on white, rendered with Pillow's bundled font; lines ``pitch``
    pixels apart (default: size + 10)."""
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    if not antialias:
        draw.fontmode = "1"
    font = ImageFont.load_default(size=size)
    rng = np.random.default_rng(seed)
    y = 15
    while y < h - size - 10:
        words = 7 if pitch is None else max(7, w // (3 * size))  # dense pages fill the line
        draw.text((15, y), " ".join(rng.choice(_WORDS, words)), fill=0, font=font)
        y += size + 10 if pitch is None else pitch
    return np.asarray(img).copy()


def degrade(page, rng, shade=70, ink_level=(90, 170), noise=6):
    """Uneven lighting, faint ink of varying strength and sensor noise; returns (img, gt)."""
    h, w = page.shape
    gt = page < 128
    yy, xx = np.mgrid[0:h, 0:w]
    paper = 225 - shade * (xx / w) * (0.6 + 0.4 * yy / h)           # shading to the right
    ink = np.interp(xx, [0, w], ink_level)                           # ink fades to the right
    alpha = (255 - page.astype(float)) / 255                         # anti-aliasing as coverage
    img = paper * (1 - alpha) + np.minimum(ink, paper - 25) * alpha
    img += rng.normal(0, noise, page.shape)
    return np.clip(img, 0, 255).astype(np.uint8), gt


def fmeasure(ink, gt):
    tp = np.count_nonzero(ink & gt)
    p = tp / max(np.count_nonzero(ink), 1)
    r = tp / max(np.count_nonzero(gt), 1)
    return 200 * p * r / max(p + r, 1e-9)


# ---------------------------------------------------------------------------
# output contract
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", ["uniform", "smooth", "doc"])
def test_any_shape_gives_binary(rng, shape, kind):
    img = random_image(rng, shape, kind)
    out = ocrprep.auto_binarize(img)
    assert out.shape == shape and out.dtype == np.uint8
    assert set(np.unique(out).tolist()) <= {0, 255}


def test_binarize_default_and_threshold_zero_are_auto(rng):
    img, _ = degrade(text_page(300, 400, 20), rng)
    ref = ocrprep.auto_binarize(img)
    np.testing.assert_array_equal(ocrprep.binarize(img), ref)
    np.testing.assert_array_equal(ocrprep.binarize(img, method="auto"), ref)
    np.testing.assert_array_equal(ocrprep.threshold(img, 0), ref)


def test_colour_input_through_binarize(rng):
    img, _ = degrade(text_page(200, 300, 20), rng)
    rgb = np.stack([img, img, img], axis=-1)
    np.testing.assert_array_equal(ocrprep.binarize(rgb), ocrprep.auto_binarize(img))


def test_out_inplace_and_strides(rng):
    img, _ = degrade(text_page(300, 400, 20), rng)
    ref = ocrprep.auto_binarize(img)
    out = np.empty_like(img)
    assert ocrprep.auto_binarize(img, out=out) is out
    np.testing.assert_array_equal(out, ref)
    same = img.copy()
    assert ocrprep.auto_binarize(same, out=same) is same
    np.testing.assert_array_equal(same, ref)
    strided_out = np.zeros((300, 800), np.uint8)[:, ::2]
    ocrprep.auto_binarize(img, out=strided_out)
    np.testing.assert_array_equal(strided_out, ref)
    # a transposed (non-contiguous) view binarizes like its copy
    np.testing.assert_array_equal(ocrprep.auto_binarize(img.T), ocrprep.auto_binarize(img.T.copy()))
    ro = img.copy()
    ro.setflags(write=False)
    np.testing.assert_array_equal(ocrprep.auto_binarize(ro), ref)


@pytest.mark.parametrize("threads", [2, 3, 5])
def test_threads_give_identical_results(rng, threads):
    img, _ = degrade(text_page(1400, 700, 24), rng)
    np.testing.assert_array_equal(
        ocrprep.auto_binarize(img, threads=threads), ocrprep.auto_binarize(img, threads=1)
    )


def test_results_own_their_memory_across_calls(rng):
    """The normalised page lives in a scratch buffer reused between calls:
    no result may be that buffer, so a later call (of any page, any path)
    never changes an earlier result."""
    shaded, _ = degrade(text_page(300, 400, 20), rng)
    clean = text_page(250, 300, 20)                     # the Otsu path
    colour = np.stack([shaded, shaded // 2 + 100, shaded], axis=-1)
    big, _ = degrade(text_page(500, 600, 24), rng)
    pages = [shaded, clean, colour, big, shaded]
    refs = [ocrprep.auto_binarize(p).copy() for p in pages]
    results = [ocrprep.auto_binarize(p) for p in pages]
    for a in range(len(results)):
        for b in range(a + 1, len(results)):
            assert not np.shares_memory(results[a], results[b])
    for p in pages:   # churn the scratch buffer
        ocrprep.auto_binarize(255 - p)
    for got, ref in zip(results, refs):
        np.testing.assert_array_equal(got, ref)


def test_concurrent_calls_match_serial(rng):
    from concurrent.futures import ThreadPoolExecutor

    pages = [degrade(text_page(300 + 40 * i, 400, 20), rng)[0] for i in range(6)]
    serial = [ocrprep.auto_binarize(p, threads=1) for p in pages]
    with ThreadPoolExecutor(3) as pool:
        for _ in range(3):
            got = list(pool.map(lambda p: ocrprep.auto_binarize(p, threads=1), pages))
            for g, s in zip(got, serial):
                np.testing.assert_array_equal(g, s)


def test_info_reports_the_chosen_parameters(rng):
    img, _ = degrade(text_page(400, 600, 28), rng)
    info = {}
    ocrprep.auto_binarize(img, info=info)
    assert info["clean"] is False and info["inverted"] is False
    assert 1.0 <= info["stroke_width"] <= 10.0
    assert info["window"] >= 6 and info["window"] % 2 == 0
    assert info["edge_threshold"] > 0
    assert info["noise"] > 1.0                      # the sensor noise added by degrade()


# ---------------------------------------------------------------------------
# graceful degradation
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", [12, 16, 24, 36])
@pytest.mark.parametrize("antialias", [True, False])
def test_clean_page_is_otsu(size, antialias):
    page = text_page(size=size, antialias=antialias)
    otsu = ocrprep.binarize(page, method="otsu")
    auto = ocrprep.auto_binarize(page)
    assert np.count_nonzero(auto != otsu) <= 0.001 * page.size


@pytest.mark.parametrize("size", [9, 11, 13, 16])
@pytest.mark.parametrize("leading", [1.0, 1.2])
def test_dense_small_type_is_otsu(size, leading):
    """Small type set solid: every 8 x 8 block holds ink, which must not pull
    the paper estimate, the noise floor or the edge threshold (it once erased
    such pages entirely)."""
    page = text_page(size=size, pitch=int(round(size * leading)))
    otsu = ocrprep.binarize(page, method="otsu")
    assert np.count_nonzero(page < 128) > 0.1 * page.size          # really dense
    assert np.count_nonzero(ocrprep.auto_binarize(page) != otsu) <= 0.001 * page.size


@pytest.mark.parametrize("size", [9, 13, 20])
def test_dense_small_type_on_shaded_noisy_paper(rng, size):
    page = text_page(size=size, pitch=size + 2)
    img, gt = degrade(page, rng, shade=60, ink_level=(40, 60), noise=4)
    auto = ocrprep.auto_binarize(img) == 0
    assert fmeasure(auto, gt) >= 75, fmeasure(auto, gt)


def test_ruled_lines_are_kept():
    page = np.full((200, 200), 230, np.uint8)
    for y in range(50, 150, 10):
        page[y:y + 3, 20:180] = 30
    np.testing.assert_array_equal(ocrprep.auto_binarize(page) == 0, page == 30)


@pytest.mark.parametrize("noise", [1.0, 2.0, 4.0])
def test_clean_scan_with_mild_noise_is_otsu(rng, noise):
    page = text_page(size=24).astype(float) * 0.75 + 35 + rng.normal(0, noise, (600, 800))
    page = np.clip(page, 0, 255).astype(np.uint8)
    otsu = ocrprep.binarize(page, method="otsu")
    assert np.count_nonzero(ocrprep.auto_binarize(page) != otsu) <= 0.001 * page.size


def _blank_pages(rng):
    h, w = 500, 700
    yy, xx = np.mgrid[0:h, 0:w]
    vignette = 235 - 60 * ((yy - h / 2) ** 2 + (xx - w / 2) ** 2) / (w / 2) ** 2
    return {
        "white": np.full((h, w), 255, np.uint8),
        "grey": np.full((h, w), 190, np.uint8),
        "black": np.zeros((h, w), np.uint8),
        "noise": np.clip(rng.normal(200, 6, (h, w)), 0, 255).astype(np.uint8),
        "strong noise": np.clip(rng.normal(180, 20, (h, w)), 0, 255).astype(np.uint8),
        "gradient": (170 + 60 * xx / w).astype(np.uint8),
        "gradient + noise": np.clip(150 + 80 * yy / h + rng.normal(0, 4, (h, w)), 0, 255).astype(np.uint8),
        "vignette + noise": np.clip(vignette + rng.normal(0, 3, (h, w)), 0, 255).astype(np.uint8),
        # a soft fold / gutter shadow, 30 levels deep and ~50 px wide
        "fold shadow": np.clip(225 - 30 * np.exp(-((xx - w / 2) / 25.0) ** 2), 0, 255).astype(np.uint8),
    }


@pytest.mark.parametrize("name", ["white", "grey", "black", "noise", "strong noise", "gradient",
                                  "gradient + noise", "vignette + noise", "fold shadow"])
def test_blank_page_is_white(rng, name):
    page = _blank_pages(rng)[name]
    out = ocrprep.auto_binarize(page)
    assert np.count_nonzero(out == 0) == 0


def test_blank_a4_noise_is_white(rng):
    page = np.clip(rng.normal(205, 7, (3508, 2480)), 0, 255).astype(np.uint8)
    assert np.count_nonzero(ocrprep.auto_binarize(page) == 0) == 0


def test_negative_page_is_detected_and_inverted(rng):
    page = text_page(size=24)
    neg = 255 - page
    assert is_inverted(neg) and not is_inverted(page)
    info = {}
    out = ocrprep.auto_binarize(neg, info=info)
    assert info["inverted"] is True
    # dark text on white, as for the positive page
    np.testing.assert_array_equal(out, ocrprep.auto_binarize(page))
    # forcing: invert=False keeps the polarity; the light text is not ink
    kept = ocrprep.auto_binarize(neg, invert=False)
    assert np.count_nonzero(kept == 0) < 0.01 * page.size
    np.testing.assert_array_equal(ocrprep.auto_binarize(page, invert=True), kept)


def test_degraded_negative_page(rng):
    img, gt = degrade(text_page(size=28), rng)
    out = ocrprep.auto_binarize(255 - img)
    assert fmeasure(out == 0, gt) > 85


def test_is_inverted_on_blank_and_shaded_pages(rng):
    for page in _blank_pages(rng).values():
        assert not is_inverted(page)
    img, _ = degrade(text_page(size=28), rng, shade=120)     # heavy shading, dark right side
    assert not is_inverted(img) and is_inverted(255 - img)


def test_is_inverted_on_dibco(dibco_dir):
    for path in sorted((dibco_dir / "img").glob("*.png")):
        img = np.asarray(Image.open(path).convert("L"))
        assert not is_inverted(img), path.name
        assert is_inverted(255 - img), path.name


# ---------------------------------------------------------------------------
# quality
# ---------------------------------------------------------------------------
def test_degraded_page_beats_otsu_and_sauvola_shape(rng):
    img, gt = degrade(text_page(size=28), rng)
    auto = ocrprep.auto_binarize(img) == 0
    otsu = ocrprep.binarize(img, method="otsu") == 0
    f_auto, f_otsu = fmeasure(auto, gt), fmeasure(otsu, gt)
    assert f_auto > 90
    assert f_auto > f_otsu + 10


@pytest.mark.parametrize("thickness", [30, 60, 120])
def test_thick_strokes_are_filled(rng, thickness):
    """Strokes much thicker than the page's typical stroke keep their inside
    (a bar ~60 % darker than the paper; the paper-level window is ~40 px)."""
    page = text_page(size=20)
    page[200 : 200 + thickness, 100:400] = 0
    img, gt = degrade(page, rng, shade=40, ink_level=(60, 90))
    out = ocrprep.auto_binarize(img)
    inside = out[205 : 195 + thickness, 105:395]
    assert np.count_nonzero(inside == 0) > 0.99 * inside.size


def test_large_stain_is_not_ink(rng):
    """A stain 35 % darker than the paper, much larger than the paper-level
    window, is followed by the background estimate: the text on and around
    it is found, the stain itself is not ink."""
    page = text_page(size=24)
    img, gt = degrade(page, rng, shade=20, ink_level=(40, 60))
    yy, xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]]
    stain = np.exp(-(((yy - 300) / 150.0) ** 2 + ((xx - 400) / 220.0) ** 2) ** 3)
    img = np.clip(img * (1 - 0.35 * stain), 0, 255).astype(np.uint8)
    out = ocrprep.auto_binarize(img)
    pad = np.pad(gt, 2)
    near_text = np.zeros_like(gt)
    for dy in range(5):
        for dx in range(5):
            near_text |= pad[dy : dy + gt.shape[0], dx : dx + gt.shape[1]]
    assert np.count_nonzero((out == 0) & ~near_text) < 50               # no stain
    assert fmeasure(out == 0, gt) > 90


def test_noise_specks_are_removed(rng):
    yy, xx = np.mgrid[0:400, 0:600]
    page = 180 + 40 * xx / 600 + rng.normal(0, 3, (400, 600))   # shaded, noisy: not "clean"
    page[100:110, 50:550] = 60                          # a line of "ink"
    ys, xs = rng.integers(150, 390, 300), rng.integers(0, 600, 300)
    page[ys, xs] = 110                                  # isolated dark pixels
    info = {}
    out = ocrprep.auto_binarize(np.clip(page, 0, 255).astype(np.uint8), info=info)
    assert info["clean"] is False and info["specks_removed"] > 0
    assert np.count_nonzero(out[150:] == 0) == 0
    assert np.count_nonzero(out[100:110, 50:550] == 0) == 10 * 500


def test_clean_page_keeps_its_specks():
    """The clean-page rule gives Otsu's result, specks included."""
    page = np.full((400, 600), 230, np.uint8)
    page[100:110, 50:550] = 20
    page[300, 300] = 20
    info = {}
    out = ocrprep.auto_binarize(page, info=info)
    assert info["clean"] is True
    np.testing.assert_array_equal(out, ocrprep.binarize(page, method="otsu"))


def test_dibco_beats_otsu(dibco_dir):
    from ocrprep.metrics import fmeasure as fm

    f_auto, f_otsu = [], []
    for path in sorted((dibco_dir / "img").glob("*.png")):
        gt_path = dibco_dir / "gt" / path.name
        if not gt_path.exists():
            continue
        img = np.asarray(Image.open(path).convert("L"))
        gt = np.asarray(Image.open(gt_path).convert("L"))
        f_auto.append(fm(ocrprep.binarize(img), gt))
        f_otsu.append(fm(ocrprep.binarize(img, method="otsu"), gt))
    assert len(f_auto) >= 10
    assert np.mean(f_auto) > np.mean(f_otsu) + 5
    # no image is much worse than Otsu's
    assert min(a - o for a, o in zip(f_auto, f_otsu)) > -3


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
def test_bad_inputs(rng):
    img = random_image(rng, (20, 20), "doc")
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.auto_binarize(img.astype(np.float32))
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.auto_binarize([[1, 2], [3, 4]])
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.auto_binarize(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.auto_binarize(np.zeros((0, 5), np.uint8))
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.auto_binarize(img, invert="yes")
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.auto_binarize(img, background_window=2)
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.auto_binarize(img, k=-1)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.auto_binarize(img, info=[])
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.auto_binarize(img, threads=0)
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.auto_binarize(img, out=np.empty((20, 21), np.uint8))


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.auto"))
    assert result.attempted > 0 and result.failed == 0


def _marks_page(rng, with_dark_ink, diffused=True):
    """Shaded noisy paper with 6-px marks 80 levels below the paper (almost
    half as dark as the ink), between bands of 4-px strokes 190 below.
    ``diffused``: the marks are blurred as by the paper (Gaussian, sigma 2.5
    px), like writing seen through the sheet; otherwise they are as sharp as
    the strokes."""
    h, w = 400, 600
    yy, xx = np.mgrid[0:h, 0:w]
    page = 200 + 20 * xx / w + rng.normal(0, 3, (h, w))
    if with_dark_ink:
        for y in (50, 170, 290):
            for x in range(40, 560, 16):
                page[y : y + 40, x : x + 4] = 10
    marks = np.zeros((h, w))
    for y in list(range(100, 160, 12)) + list(range(220, 280, 12)):
        marks[y : y + 6, 46:554] = 80
    if diffused:
        r = np.arange(-8, 9)
        kern = np.exp(-0.5 * (r / 2.5) ** 2)
        kern /= kern.sum()
        marks = np.apply_along_axis(lambda c: np.convolve(c, kern, "same"), 0, marks)
        marks *= 80 / marks.max()
    return np.clip(page - marks, 0, 255).astype(np.uint8)


def test_marks_much_lighter_than_the_ink_around_are_not_ink(rng):
    """Bleed-through / stain rule: a component must reach half the darkness
    of the ink nearby unless it is as sharp and as large as writing (faint
    writing beside dark writing); diffused marks alone on a page are ink."""
    marks = (slice(100, 160), slice(60, 540))
    alone = ocrprep.auto_binarize(_marks_page(rng, False))
    assert np.count_nonzero(alone[marks] == 0) > 0.6 * 5 * 6 * 480    # kept
    page = _marks_page(rng, True)
    mixed = ocrprep.auto_binarize(page)
    assert np.count_nonzero(mixed[marks] == 0) == 0                    # dropped
    assert np.count_nonzero(mixed[52:88, 40:560:16] == 0) == 36 * 33     # strokes kept


def _second_hand_page(rng, diffused):
    """Shaded noisy paper, three lines of 4-px strokes 190 levels below it;
    every other stroke of a line is 80 levels below the paper instead (a
    fainter hand in the same line), sharp or diffused as by the paper."""
    h, w = 300, 600
    yy, xx = np.mgrid[0:h, 0:w]
    dark = np.zeros((h, w))
    faint = np.zeros((h, w))
    for y in (50, 130, 210):
        for i, x in enumerate(range(40, 560, 16)):
            (faint if i % 2 else dark)[y : y + 40, x : x + 4] = 1
    if diffused:
        r = np.arange(-8, 9)
        kern = np.exp(-0.5 * (r / 2.5) ** 2)
        kern /= kern.sum()
        faint = np.apply_along_axis(lambda c: np.convolve(c, kern, "same"), 1, faint)
        faint *= 1 / faint.max()
    page = 200 + 20 * xx / w + rng.normal(0, 3, (h, w)) - 190 * dark - 80 * faint
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_fainter_hand_in_the_line_is_kept_a_diffused_one_is_not(rng):
    """Faint strokes half as dark as the strokes beside them in the same
    line: kept when as sharp as the writing (the faint-writing pass), removed
    when diffused like writing seen through the sheet."""
    faint_cols = [x for i, x in enumerate(range(40, 560, 16)) if i % 2]
    dark_cols = [x for i, x in enumerate(range(40, 560, 16)) if not i % 2]
    info = {}
    sharp = ocrprep.auto_binarize(_second_hand_page(rng, False), info=info)
    for y in (50, 130, 210):
        assert all(np.count_nonzero(sharp[y + 4 : y + 36, x + 1 : x + 3] == 0) == 64 for x in faint_cols)
        assert all(np.count_nonzero(sharp[y + 4 : y + 36, x + 1 : x + 3] == 0) == 64 for x in dark_cols)
    assert info["faint_components"] >= 10
    diffused = ocrprep.auto_binarize(_second_hand_page(rng, True))
    for y in (50, 130, 210):
        assert np.count_nonzero(diffused[y : y + 40, [x + 2 for x in faint_cols]] == 0) < 0.05 * 40 * len(faint_cols)
        assert all(np.count_nonzero(diffused[y + 4 : y + 36, x + 1 : x + 3] == 0) == 64 for x in dark_cols)


def faint_page(rng, depth, noise):
    """Text ``depth`` levels below a slightly shaded paper (200-210) under noise; (img, gt)."""
    page = text_page(size=28)
    xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]][1]
    img = 200 + 10 * xx / page.shape[1] - depth * (255 - page.astype(float)) / 255
    return np.clip(img + rng.normal(0, noise, page.shape), 0, 255).astype(np.uint8), page < 128


def test_faint_ink_is_found(rng):
    """Ink only 7 % darker than the paper (4-5 noise deviations) is text."""
    img, gt = faint_page(rng, depth=14, noise=3)
    info = {}
    out = ocrprep.auto_binarize(img, info=info)
    assert info["clean"] is False
    assert fmeasure(out == 0, gt) > 75


def test_faded_ink_on_grainy_paper_is_smoothed_first(rng, monkeypatch):
    """Ink 12 levels below the paper under noise of 5 (about one noise
    deviation on average): the page is median-filtered before the pixel
    tests, and the text is found; without that it is lost in the grain."""
    import ocrprep.auto as auto

    img, gt = faint_page(rng, depth=12, noise=5)
    info = {}
    out = ocrprep.auto_binarize(img, info=info)
    assert info["smoothed"] is True and info["contrast_to_noise"] < 2
    assert fmeasure(out == 0, gt) > 60
    monkeypatch.setattr(auto, "LOW_SNR", 0.0)
    assert fmeasure(ocrprep.auto_binarize(img) == 0, gt) < 10
