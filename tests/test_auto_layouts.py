"""The automatic binarizer on layouts users bring that DIBCO has none of: a
table with a dark header band and shaded rows, an ID card whose text lies
on a pastel guilloche, a printed page with a colour photo
(``tests/layoutpages.py``; the whole set with anchors is
``benchmarks/layouts.py``).  Each page is generated with its truth; each
test fails on the code before the rule it checks (shown by switching it
off)."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import ocrprep
import ocrprep.auto as auto
from frontdoor import font, word_recovery
from ocrprep.metrics import fmeasure

from layoutpages import WORDS, id_card_page, photo_page, table_page


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


def test_letters_crossing_the_rules_of_a_notebook_page_are_given_back(monkeypatch):
    """Blue ink on ruled paper, the rules blue, the margin red: measured by
    their colour the rules are ink, the margin line joins them into one
    structure on the border, and its removal took every letter whose
    descender crossed a rule (p, g, y, j whole).  The letters are put back,
    the rules stay out."""
    from layoutpages import notebook_page

    rgb, truth, _ = notebook_page()
    info = {}
    bw = ocrprep.binarize(rgb, info=info)
    assert info["border_removed"] >= 1 and info["rescued_from_rules"] > 20
    letters = np.count_nonzero((bw == 0) & truth) / np.count_nonzero(truth)
    assert letters > 0.95
    rules = np.zeros_like(truth)
    rules[58:63:1, :] = True                       # the first rule, away from its letters' bodies
    rules[:, 88:93] = True                         # the margin line
    assert np.count_nonzero((bw == 0) & rules & ~truth) < 0.05 * np.count_nonzero(rules & ~truth)
    monkeypatch.setattr(auto, "RULE_LENGTH", 0.0)
    old = ocrprep.binarize(rgb)
    assert np.count_nonzero((old == 0) & truth) / np.count_nonzero(truth) < letters - 0.1


@pytest.mark.parametrize("seed", [0, 3])
def test_a_book_edge_band_stays_removed(seed):
    """The rescue gives back letters, not the structure: a book's dark edge
    and gutter shadow open into themselves and stay out."""
    from realpages import book_page

    page = book_page(seed, 0.6)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    border = np.zeros(bw.shape, bool)
    border[:, :8] = border[:, -8:] = True
    assert np.count_nonzero((bw == 0) & border & ~page.truth) < 0.02 * np.count_nonzero(border)


@pytest.mark.parametrize("rule", [(110, 140, 190), (150, 150, 150)])
def test_a_pale_ruled_table_on_a_colour_page_keeps_its_rules(rule, monkeypatch):
    """Pale rules joined into one net with the text touching them are no
    guilloche: the net's straight runs stay (as many rule pixels as
    without the peel), so the table is still found."""
    import imagegen
    from ocrprep.tables import erase_rules, has_ruled_table

    img, _ = imagegen.ruled_table(np.random.default_rng(31), rows=5, cols=4, border=3)
    rules = (img < 60) & (erase_rules(img) > 128)
    rgb = np.stack([img] * 3, axis=-1).astype(np.uint8)
    rgb[rules] = rule
    rgb = np.clip(rgb * np.array([1.0, 0.98, 0.93]), 0, 255).astype(np.uint8)   # warm paper: a colour page
    bw = ocrprep.binarize(rgb)
    kept = np.count_nonzero((bw == 0) & rules) / np.count_nonzero(rules)
    assert kept > 0.9
    assert has_ruled_table(rgb)
    monkeypatch.setattr(auto, "NET_SPAN", 0.0)
    assert kept >= np.count_nonzero((ocrprep.binarize(rgb) == 0) & rules) / np.count_nonzero(rules) - 0.01
