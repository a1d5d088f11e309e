"""The automatic binarizer on layouts users bring that DIBCO has none of: a
table with a dark header band and shaded rows, an ID card whose text lies
on a pastel guilloche.  Each page is generated with its truth; each test
fails on the code before the rule it checks (shown by switching it off)."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import ocrprep
import ocrprep.auto as auto
from frontdoor import font, word_recovery
from ocrprep.metrics import fmeasure

WORDS = "merchant harbour ledger payment receipt vessel captain council parish village station journey".split()


def _finish(img, truth, words, seed):
    rng = np.random.default_rng(seed)
    a = np.asarray(img).astype(float)
    h, w = a.shape[:2]
    a = a * (1 - 0.15 * (np.arange(w) / w))[None, :, None]
    a = np.clip(a + rng.normal(0, 3, (h, w, 1)), 0, 255).astype(np.uint8)
    return a, np.asarray(truth) >= 128, " ".join(words)


def table_page(seed=0):
    """A table: white words on a dark blue header band, black words in rows
    shaded light blue every other row."""
    rng = np.random.default_rng(seed)
    w, h = 1100, 700
    img, tr = Image.new("RGB", (w, h), (250, 250, 248)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    f = font(26)
    words = []
    d.rectangle((40, 40, w - 40, 100), fill=(40, 70, 140))
    for c in range(4):
        s = str(rng.choice(WORDS))
        d.text((60 + c * 250, 55), s, font=f, fill=(255, 255, 255))
        words.append(s)
    for r in range(9):
        y = 100 + r * 60
        if r % 2:
            d.rectangle((40, y, w - 40, y + 60), fill=(222, 235, 250))
        for c in range(4):
            s = str(rng.choice(WORDS))
            words.append(s)
            d.text((60 + c * 250, y + 15), s, font=f, fill=(30, 30, 30))
            t.text((60 + c * 250, y + 15), s, font=f, fill=255)
    return _finish(img, tr, words, seed)


def id_card_page(seed=0):
    """Black text on a pastel guilloche (interlaced sine lines in three
    light colours) on a light blue-grey card."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 620
    img, tr = Image.new("RGB", (w, h), (236, 240, 246)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    for k in range(40):
        colour = [(190, 205, 235), (235, 200, 210), (200, 230, 205)][k % 3]
        d.line([(x, 310 + 250 * np.sin(x / 90 + k * 0.35) * np.cos(k * 0.2)) for x in range(0, w, 4)],
               fill=colour, width=2)
    f = font(30)
    words = []
    for i in range(7):
        s = " ".join(rng.choice(WORDS, 3))
        words += s.split()
        d.text((60, 60 + i * 75), s, font=f, fill=(25, 25, 35))
        t.text((60, 60 + i * 75), s, font=f, fill=255)
    return _finish(img, tr, words, seed)


def _f(bw, truth):
    return fmeasure(bw, np.where(truth, 0, 255).astype(np.uint8))


def _stems_kept(bw, truth):
    """Share of the rendered letter components (stems of i, dots, letters)
    the result touches."""
    labels, areas = ocrprep.label_components(np.where(truth, 0, 255).astype(np.uint8))
    hit = np.zeros(areas.size, bool)
    hit[labels[bw == 0]] = True
    return hit[1:].mean()


@pytest.mark.parametrize("colour", [True, False])
def test_a_dark_header_band_does_not_widen_the_strokes(colour, monkeypatch):
    """The inside of the header band is no stroke: counted, it made the
    page's strokes look three times as wide and the speck area removed the
    stems of every i."""
    rgb, truth, _ = table_page()
    page = rgb if colour else np.asarray(Image.fromarray(rgb).convert("L"))
    info = {}
    bw = ocrprep.binarize(page, info=info)
    assert info["stroke_width"] < 4.0
    assert _stems_kept(bw, truth) > 0.97
    monkeypatch.setattr(auto, "SOLID_BLOCKS", False)
    info = {}
    old = ocrprep.binarize(page, info=info)
    assert info["stroke_width"] > 6.0 and _stems_kept(old, truth) < 0.95


@pytest.mark.tesseract
def test_table_with_a_dark_header_is_read(tesseract):
    import pytesseract

    rgb, _, text = table_page(1)
    got = word_recovery(text, pytesseract.image_to_string(Image.fromarray(ocrprep.binarize(rgb))))
    assert got >= 0.95


def test_text_on_a_pastel_guilloche_is_kept_the_pattern_dropped(monkeypatch):
    """Measured by its colour the guilloche is ink, the letters touch it and
    the whole net was one component (then removed with the letters as a
    band on the border, or read as one mess).  Its shallow pixels are
    peeled off; the letters stay."""
    rgb, truth, _ = id_card_page()
    info = {}
    bw = ocrprep.binarize(rgb, info=info)
    assert info["nets_peeled"] >= 1
    assert _f(bw, truth) > 90
    grey = ocrprep.binarize(np.asarray(Image.fromarray(rgb).convert("L")))
    assert _f(bw, truth) >= _f(grey, truth) - 2
    monkeypatch.setattr(auto, "NET_SPAN", 0.0)
    assert _f(ocrprep.binarize(rgb), truth) < 50


@pytest.mark.tesseract
def test_id_card_text_is_read(tesseract):
    import pytesseract

    rgb, _, text = id_card_page(2)
    got = word_recovery(text, pytesseract.image_to_string(Image.fromarray(ocrprep.binarize(rgb))))
    assert got >= 0.95


def test_a_table_grid_in_dark_ink_is_no_net():
    """A ruled table in the ink of its words spans the page and is sparse,
    but it is as deep as the writing: it stays whole."""
    w, h = 900, 600
    img = Image.new("L", (w, h), 235)
    d = ImageDraw.Draw(img)
    for y in range(40, 561, 65):
        d.line([(40, y), (860, y)], fill=40, width=2)
    for x in range(40, 861, 205):
        d.line([(x, 40), (x, 560)], fill=40, width=2)
    f = font(24)
    rng = np.random.default_rng(5)
    for r in range(8):
        for c in range(4):
            d.text((55 + c * 205, 58 + r * 65), str(rng.choice(WORDS)), font=f, fill=40)
    shade = 1.0 - 0.25 * np.linspace(0, 1, w)[None, :]            # not a clean page
    page = np.clip(np.asarray(img, float) * shade + rng.normal(0, 4, (h, w)), 0, 255).astype(np.uint8)
    rgb = np.dstack([page, page, np.clip(page.astype(int) - 10, 0, 255).astype(np.uint8)])   # a warm cast
    info = {}
    bw = ocrprep.binarize(rgb, info=info)
    assert not info["clean"] and info["nets_peeled"] == 0
    grid = np.asarray(img) < 100
    assert np.count_nonzero((bw == 0) & grid) / np.count_nonzero(grid) > 0.9


def photo_page(seed=0):
    """A printed page with a colour photograph inset beside its text."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 800
    img, tr = Image.new("RGB", (w, h), (246, 244, 238)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    f = font(26)
    words = []
    for i in range(11):
        s = " ".join(rng.choice(WORDS, 3))
        words += s.split()
        d.text((40, 40 + i * 65), s, font=f, fill=(25, 25, 30))
        t.text((40, 40 + i * 65), s, font=f, fill=255)
    a = np.asarray(img).astype(float)
    photo = Image.fromarray((rng.random((8, 8, 3)) * 255).astype(np.uint8)).resize((380, 300), Image.BICUBIC)
    a[80:380, 560:940] = np.asarray(photo)
    return _finish(Image.fromarray(a.astype(np.uint8)), tr, words, seed)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_colour_photo_on_a_printed_page_is_no_document_on_a_table(seed, monkeypatch):
    """The photo looked like a document (flat, apart from the page's level,
    one solid piece) and the printed page around it like the table: the
    text was painted white with the "table".  A table holds no writing."""
    import ocrprep.surface as surface

    rgb, truth, _ = photo_page(seed)
    info = {}
    bw = ocrprep.binarize(rgb, info=info)
    assert info.get("backdrop", 0.0) == 0.0
    text = np.zeros_like(truth)
    text[:, :540] = truth[:, :540]
    assert np.count_nonzero((bw == 0) & text) / np.count_nonzero(text) > 0.9
    monkeypatch.setattr(surface, "WRITTEN_MAX", 1.0)
    old = ocrprep.binarize(rgb)
    assert np.count_nonzero((old == 0) & text) / np.count_nonzero(text) < 0.5
