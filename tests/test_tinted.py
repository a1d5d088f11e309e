"""Tinted grounds on colour pages (``ocrprep.tinted``): highlighter over
printed words, tinted boxes and cells, coloured stains.

The kernels are checked against plain numpy references written from their
definitions; the binarizer against the rendered truth of generated pages
(``tests/realpages.highlight_page``) and against the grey copy of the same
page, which never had the problem."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import ocrprep
import ocrprep.auto as auto
from frontdoor import font, word_recovery
from ocrprep import tinted
from ocrprep._tinted import tint_band, tint_candidates, tint_stats
from ocrprep.metrics import fmeasure
from realpages import colour_page, highlight_page


def _luma(rgb):
    x = rgb.astype(np.int64)
    return (77 * x[..., 0] + 150 * x[..., 1] + 29 * x[..., 2] + 128) >> 8


def _f(bw, truth):
    return fmeasure(bw, np.where(truth, 0, 255).astype(np.uint8))


# --------------------------------------------------------------------------- #
# kernels against numpy references
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("shape, step", [((37, 53), 1), ((64, 40), 2), ((9, 8), 1), ((30, 31), 4)])
def test_tint_stats_is_the_brighter_half_of_each_block(rng, shape, step):
    rgb = rng.integers(0, 256, shape + (3,), dtype=np.uint8)
    gh, gw = -(-shape[0] // 8), -(-shape[1] // 8)
    cand = (rng.random((gh, gw)) < 0.7).astype(np.uint8)
    bl, ba, bc, dark = tint_stats(rgb, cand, 8, step)
    x = rgb.astype(np.int64)
    for by in range(gh):
        for bx in range(gw):
            if not cand[by, bx]:
                assert bl[by, bx] == ba[by, bx] == bc[by, bx] == dark[by, bx] == 0
                continue
            blk = x[by * 8:(by + 1) * 8:step, bx * 8:(bx + 1) * 8:step].reshape(-1, 3)
            lu = _luma(blk)
            up = lu >= lu.mean()
            assert bl[by, bx] == pytest.approx(lu[up].mean(), rel=1e-5)
            assert dark[by, bx] == lu.min()
            assert ba[by, bx] == pytest.approx((blk[up, 0] - blk[up, 1]).mean(), rel=1e-5, abs=1e-4)
            assert bc[by, bx] == pytest.approx((blk[up, 0] + blk[up, 1] - 2 * blk[up, 2]).mean(), rel=1e-5, abs=1e-4)


def test_tint_stats_of_a_rgba_page_and_a_strided_view_equal_the_packed_rgb(rng):
    rgb = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    cand = np.ones((5, 6), np.uint8)
    want = tint_stats(rgb, cand, 8, 1)
    for other in (rgba, np.asfortranarray(rgb), rgba[..., :3]):
        for a, b in zip(want, tint_stats(other, cand, 8, 1)):
            np.testing.assert_array_equal(a, b)


def _candidates_reference(core, ka, kc, reach, tol):
    gh, gw = core.shape
    out = {}
    for y in range(gh):
        for x in range(gw):
            slots = []
            for r in range(reach + 1):
                for dy in range(-r, r + 1):
                    for dx in range(-r, r + 1):
                        if abs(dy) != r and abs(dx) != r:
                            continue
                        yy, xx = y + dy, x + dx
                        if not (0 <= yy < gh and 0 <= xx < gw) or not core[yy, xx]:
                            continue
                        a, c = float(ka[yy, xx]), float(kc[yy, xx])
                        for s in slots:
                            if abs(a - s[0] / s[2]) + 0.5 * abs(c - s[1] / s[2]) <= tol:
                                s[0] += a
                                s[1] += c
                                s[2] += 1
                                break
                        else:
                            if len(slots) < 4:
                                slots.append([a, c, 1])
            out[y, x] = [(round(s[0] / s[2]), round(s[1] / s[2])) for s in slots]
    return out


def test_tint_candidates_match_the_reference(rng):
    core = (rng.random((12, 15)) < 0.35).astype(np.uint8)
    # four well separated tints and noise around them
    base = np.array([[0, 0], [200, 50], [-150, 300], [60, -400], [500, 500]], np.float32)
    pick = rng.integers(0, 5, core.shape)
    ka = (base[pick, 0] + rng.normal(0, 4, core.shape)).astype(np.float32)
    kc = (base[pick, 1] + rng.normal(0, 4, core.shape)).astype(np.float32)
    tints, count = tint_candidates(core, ka, kc, 2, 30.0)
    ref = _candidates_reference(core, ka, kc, 2, 30.0)
    for (y, x), want in ref.items():
        assert count[y, x] == len(want)
        got = [tuple(int(v) for v in tints[y, x, i]) for i in range(count[y, x])]
        for g, w in zip(got, want):
            assert abs(g[0] - w[0]) <= 1 and abs(g[1] - w[1]) <= 1


def _segment_reference(y, p, q):
    d = q - p
    dd = float(d @ d)
    t = 0.0 if dd == 0 else min(1.0, max(0.0, float((y - p) @ d) / dd))
    e = np.abs(y - p - t * d)
    return max(e) + 0.375 * min(e)


def _tint_band_reference(rgb, dst, tints, count, block, ka0, kc0, near, span):
    out = dst.astype(np.int64).copy()
    x = rgb.astype(np.int64)
    h, w = dst.shape
    for yy in range(h):
        for xx in range(w):
            n = count[yy // block, xx // block]
            if n == 0:
                continue
            r, g, b = x[yy, xx, :3]
            lu = (77 * r + 150 * g + 29 * b + 128) >> 8
            if lu == 0:
                continue
            l7 = lu << 7
            pa, pc = (l7 * ka0) >> 16, (l7 * kc0) >> 16
            qa, qc = abs((r - g) - pa), abs(((r + g - 2 * b) - pc) >> 1)
            wt = max(qa, qc) + ((3 * min(qa, qc)) >> 3) - near
            if wt <= 0:
                continue
            wt = 256 if wt >= span else (wt * 256) // span
            # the chroma constant k stands for k L / 512 at luma L
            pts = [lu * np.array([ka0, 0.5 * kc0], float) / 512.0]
            for k in range(n):
                ta, tc = tints[yy // block, xx // block, k]
                pts.append(lu * np.array([ta, 0.5 * tc], float) / 512.0)
            y = np.array([r - g, 0.5 * (r + g - 2 * b)], float)
            best = min(_segment_reference(y, pts[i], pts[j]) for i in range(len(pts)) for j in range(i + 1, len(pts)))
            v = lu - int(best + 0.5)
            d = out[yy, xx]
            if v > d:
                out[yy, xx] = d + (((v - d) * wt + 128) >> 8)
    return out.astype(np.uint8)


def test_tint_band_matches_the_reference(rng):
    h, w = 24, 40
    # paper, two marker colours, ink and their mixes
    colours = np.array([[245, 238, 222], [250, 236, 80], [150, 235, 120], [20, 20, 30], [200, 140, 190]])
    pick = rng.integers(0, len(colours), (h, w))
    mix = rng.random((h, w, 1))
    rgb = np.clip(colours[pick] * mix + colours[rng.integers(0, len(colours), (h, w))] * (1 - mix)
                  + rng.normal(0, 3, (h, w, 3)), 0, 255).astype(np.uint8)
    ka0, kc0 = 17, 150
    dst = rng.integers(0, 256, (h, w), dtype=np.uint8)
    gh, gw = h // 8, w // 8
    tints = np.zeros((gh, gw, 4, 2), np.int32)
    count = rng.integers(0, 5, (gh, gw)).astype(np.uint8)
    tints[..., 0] = rng.integers(-300, 300, (gh, gw, 4))
    tints[..., 1] = rng.integers(-300, 700, (gh, gw, 4))
    want = _tint_band_reference(rgb, dst, tints, count, 8, ka0, kc0, 25, 12)
    got = dst.copy()
    tint_band(rgb, got, 0, h, tints, count, 8, ka0, kc0, 25, 12)
    # (float rounding of a distance exactly at .5 may differ by one level)
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
    assert np.count_nonzero(got != want) <= 2
    # bands give the same result as the whole page
    split = dst.copy()
    for y0 in range(0, h, 5):
        tint_band(rgb, split, y0, min(h, y0 + 5), tints, count, 8, ka0, kc0, 25, 12)
    np.testing.assert_array_equal(split, got)


def test_tint_kernels_reject_bad_arguments(rng):
    rgb = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    dst = np.zeros((16, 16), np.uint8)
    tints = np.zeros((2, 2, 4, 2), np.int32)
    count = np.zeros((2, 2), np.uint8)
    with pytest.raises(ValueError, match="cover"):
        tint_stats(rgb, np.ones((1, 2), np.uint8), 8)
    with pytest.raises(ValueError, match="step"):
        tint_stats(rgb, np.ones((2, 2), np.uint8), 8, 9)
    with pytest.raises(ValueError, match="cover"):
        tint_band(rgb, dst, 0, 16, tints[:1], count[:1], 8, 0, 0, 25, 12)
    with pytest.raises(ValueError, match="row range"):
        tint_band(rgb, dst, 0, 17, tints, count, 8, 0, 0, 25, 12)
    with pytest.raises(ValueError, match="ramp"):
        tint_band(rgb, dst, 0, 16, tints, count, 8, 0, 0, 25, 0)
    with pytest.raises(ValueError, match="shapes"):
        tint_candidates(count, np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32), 2, 30.0)


# --------------------------------------------------------------------------- #
# the binarizer
# --------------------------------------------------------------------------- #
MARKED_LINES = ["the merchant paid the captain for cargo", "every evening the village council met",
                "history of the harbour station ledger", "payment receipt number for the vessel"]


def _marked_page(noise):
    """Four printed lines, each under a marker of another colour."""
    img = Image.new("RGB", (1200, 500), (245, 243, 236))
    truth = Image.new("L", img.size, 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(truth)
    f = font(34)
    bands = []
    for i, (line, marker) in enumerate(zip(MARKED_LINES, [(255, 240, 60), (120, 240, 120), (255, 150, 200),
                                                          (120, 200, 255)])):
        y = 40 + i * 110
        box = d.textbbox((60, y), line, font=f)
        d.rectangle((box[0] - 4, box[1] - 8, box[2] + 4, box[3] + 8), fill=marker)
        d.text((60, y), line, font=f, fill=(20, 20, 25))
        t.text((60, y), line, font=f, fill=255)
        bands.append((slice(box[1] - 8, box[3] + 9), slice(box[0] - 4, box[2] + 5)))
    rng = np.random.default_rng(1)
    a = np.clip(np.asarray(img).astype(float) + rng.normal(0, noise, (500, 1200, 1)), 0, 255).astype(np.uint8)
    return a, np.asarray(truth) >= 128, bands


@pytest.mark.parametrize("noise", [3, 8])   # a clean page (Otsu's path) and a noisy one
def test_highlighted_words_are_not_black_bars(noise, monkeypatch):
    """Black print under marker strokes of four colours: the markers are
    ground, the letters ink - as on the grey copy of the page.  Measured
    against the paper's colour alone each stroke came out a black bar."""
    rgb, truth, bands = _marked_page(noise)
    info = {}
    bw = ocrprep.binarize(rgb, info=info)
    assert info["tinted"] > 0
    for band in bands:
        assert np.mean(bw[band] == 0) < 0.4          # a black bar is all ink
    f = _f(bw, truth)
    assert f > 85
    grey = ocrprep.binarize(np.asarray(Image.fromarray(rgb).convert("L")))
    assert f >= _f(grey, truth) - 2
    monkeypatch.setattr(auto, "TINTS", False)
    old = ocrprep.binarize(rgb)
    assert all(np.mean(old[band] == 0) > 0.8 for band in bands)   # the old black bars


@pytest.mark.parametrize("seed, scale", [(0, 0.7), (1, 1.0)])
def test_highlight_page_matches_its_grey_copy(seed, scale, monkeypatch):
    """Runs of words in five marker colours (side by side, over a tinted
    box) on photographed paper: the colour page is binarized at least as
    well as its grey copy, and far better than without the tints."""
    page = highlight_page(seed, scale)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    grey = ocrprep.binarize(page.grey)
    f = _f(bw, page.truth)
    assert info["tinted"] > 0.1
    assert f >= _f(grey, page.truth) - 1.0
    marker = page.parts["marker"]
    letters = marker & page.truth
    assert np.count_nonzero((bw == 0) & letters) / np.count_nonzero(letters) > 0.9
    # no bars, no outlines: under the marker no more ink than on the grey copy
    assert np.count_nonzero((bw == 0) & marker) <= 1.05 * np.count_nonzero((grey == 0) & marker)
    monkeypatch.setattr(auto, "TINTS", False)
    assert f > _f(ocrprep.binarize(page.image), page.truth) + 20


@pytest.mark.tesseract
def test_highlighted_words_are_read(tesseract):
    import pytesseract

    page = highlight_page(3, 0.7)
    text = pytesseract.image_to_string(Image.fromarray(ocrprep.binarize(page.image)))
    assert word_recovery(page.text, text) >= 0.95


def test_pages_without_a_tint_are_unchanged(monkeypatch):
    """Coloured ink on plain paper (yellow and light green words too: strokes,
    not areas) and a page in one colour: the tint search finds nothing and
    the result is the one without it, byte for byte."""
    pages = [colour_page(0, 0.6).image, colour_page(1, 0.8).image]
    grey = np.asarray(Image.fromarray(pages[0]).convert("L"))
    pages.append(np.dstack([grey] * 3))
    results = []
    for img in pages:
        info = {}
        results.append(ocrprep.binarize(img, info=info))
        assert info.get("tinted", 0.0) == 0.0
    monkeypatch.setattr(auto, "TINTS", False)
    for img, got in zip(pages, results):
        np.testing.assert_array_equal(ocrprep.binarize(img), got)


def test_bold_yellow_heading_is_still_ink():
    """A yellow heading with strokes of 12 px on cream paper: strokes, not
    an area - no block square of it is tinted, so it stays ink."""
    img = Image.new("RGB", (700, 200), (245, 240, 225))
    d = ImageDraw.Draw(img)
    d.text((30, 40), "HARBOUR", font=font(110), fill=(235, 200, 20), stroke_width=3, stroke_fill=(235, 200, 20))
    truth = np.asarray(img.convert("L")) < 230
    info = {}
    bw = ocrprep.binarize(np.asarray(img), info=info)
    assert np.count_nonzero((bw == 0) & truth) / np.count_nonzero(truth) > 0.9


def test_tint_grid_of_a_plain_page_is_none(rng):
    page = np.full((120, 160, 3), (240, 232, 210), np.uint8)
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    assert tinted.tint_grid(page, 17, 150, 232.0) is None


def test_tinted_pages_binarize_alike_on_any_number_of_threads():
    page = highlight_page(2, 1.0)
    one = ocrprep.binarize(page.image, threads=1)
    np.testing.assert_array_equal(ocrprep.binarize(page.image, threads=2), one)
    np.testing.assert_array_equal(ocrprep.binarize(page.image, threads=3), one)
