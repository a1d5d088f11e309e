"""Table structure (ocrprep.tables) and the table recognition mode."""
from __future__ import annotations

import numpy as np
import pytest

import imagegen
from frontdoor import word_recovery
from ocrprep.errors import InvalidParameterError
from ocrprep.tables import erase_rules, find_table, ruling_lines, text_line_height


def grid_page(rows=3, cols=3, cell=(60, 120), border=2, skip_v=(), skip_h=(), text=True):
    """A ruled grid with a dark block in every cell; ``skip_v``/``skip_h`` leave out rule pieces
    ((row, between col c and c+1) / (col, between row r and r+1)) to merge cells."""
    ch, cw = cell
    h, w = rows * ch + 40, cols * cw + 40
    page = np.full((h, w), 250, np.uint8)
    y0, x0 = 20, 20
    for r in range(rows + 1):
        y = y0 + r * ch
        page[y:y + border, x0:x0 + cols * cw + border] = 10
    for c in range(cols + 1):
        x = x0 + c * cw
        page[y0:y0 + rows * ch + border, x:x + border] = 10
    for r, c in skip_v:  # erase the vertical rule right of (r, c)
        x = x0 + (c + 1) * cw
        page[y0 + r * ch + border:y0 + (r + 1) * ch, x:x + border] = 250
    for c, r in skip_h:  # erase the horizontal rule under (r, c)
        y = y0 + (r + 1) * ch
        page[y:y + border, x0 + c * cw + border:x0 + (c + 1) * cw] = 250
    if text:
        for r in range(rows):
            for c in range(cols):
                y, x = y0 + r * ch + ch // 3, x0 + c * cw + 20
                page[y:y + ch // 3, x:x + cw // 3] = 30
    return page


def test_ruled_grid():
    grid = find_table(grid_page())
    assert grid.shape == (3, 3) and grid.ruled_rows and grid.ruled_columns
    assert [(c.row, c.column) for c in grid.cells] == [(r, c) for r in range(3) for c in range(3)]
    first = grid.cells[0].box
    assert 20 < first.x < 30 and 20 < first.y < 30 and 100 < first.width < 120 and 50 < first.height < 60


def test_merged_cells_are_one_cell():
    grid = find_table(grid_page(skip_v=[(0, 0)], skip_h=[(2, 1)]))
    spans = {(c.row, c.column): (c.row_span, c.column_span) for c in grid.cells}
    assert spans[(0, 0)] == (1, 2) and (0, 1) not in spans      # row 0: columns 0-1 merged
    assert spans[(1, 2)] == (2, 1) and (2, 2) not in spans      # column 2: rows 1-2 merged
    assert len(grid.cells) == 7


def test_rules_only_across_columns_from_whitespace():
    page = grid_page(rows=3, cols=3)
    page[:, :] = np.where(page == 10, 250, page)                # drop every rule ...
    for y in (20, 200):                                          # ... keep a top and a bottom rule
        page[y:y + 2, 20:400] = 10
    grid = find_table(page)
    assert grid.ruled_rows and not grid.ruled_columns
    assert grid.shape[1] == 3 and len(grid.cells) == 9


def test_borderless_and_plain_pages():
    page = grid_page(text=True)
    page[page == 10] = 250
    grid = find_table(page)
    assert not grid.ruled_rows and not grid.ruled_columns and grid.shape == (3, 3)
    assert find_table(np.full((50, 80), 255, np.uint8)) is None
    lines, _ = imagegen.document_page(imagegen.PARAGRAPHS[:1], size=24, width=900)
    plain = find_table(lines)
    assert plain.shape[1] == 1 and len(plain.cells) == plain.shape[0] >= 3   # one cell per text line


def test_ruling_lines_and_erase_rules():
    page = grid_page(border=3)
    h, v = ruling_lines(page)
    rules = page == 10
    assert (h | v)[rules].mean() > 0.98 and not (h | v)[page == 30].any()
    clean = erase_rules(page)
    assert (clean == 10).sum() == 0 and (clean == 30).sum() == (page == 30).sum()
    with pytest.raises(InvalidParameterError):
        ruling_lines(page, min_length=1)


def test_colour_and_inverted_pages():
    page = grid_page()
    rgb = np.stack([page] * 3, axis=-1)
    assert find_table(rgb).shape == (3, 3)
    assert find_table(255 - page).shape == (3, 3)


def test_text_line_height():
    page, _ = imagegen.document_page(imagegen.PARAGRAPHS[:1], size=30, width=1200)
    assert 28 <= text_line_height(page) <= 42
    assert text_line_height(np.full((40, 40), 255, np.uint8)) == 0.0


@pytest.mark.tesseract
@pytest.mark.parametrize("kind, size, border", [
    ("sans", 16, 1), ("sans", 24, 3), ("sans", 34, 5),
    ("serif", 16, 5), ("serif", 24, 1), ("serif", 34, 3),
    ("mono", 16, 3), ("mono", 24, 5), ("condensed", 20, 4), ("condensed", 30, 2),
])
def test_table_mode_reads_every_cell(tesseract, kind, size, border):
    from ocrprep import OcrEngine, RecognitionSettings

    rng = np.random.default_rng(size * 10 + border)
    img, cells = imagegen.ruled_table(rng, rows=6, cols=4, kind=kind, size=size, border=border)
    result = OcrEngine().recognize_image(img, RecognitionSettings(detect_areas_mode="table"))
    truth = "\n".join("\t".join(row) for row in cells)
    assert word_recovery(truth, result.recognition_text) >= 0.95, result.recognition_text
    assert result.tables and len(result.tables[0]) == 6
    good_rows = sum(got == want for got, want in zip(result.tables[0], cells))
    assert good_rows >= 5, result.tables[0]
    assert len(result.recognition_lines_result) == 6
    assert all(line.line.width > 0 for line in result.recognition_lines_result)


@pytest.mark.tesseract
def test_table_mode_json_and_hocr(tesseract):
    from ocrprep import OcrEngine, RecognitionSettings

    img, cells = imagegen.ruled_table(np.random.default_rng(1), rows=3, cols=3)
    r = OcrEngine().recognize_image(img, RecognitionSettings(detect_areas_mode="table", result_type="json"))
    assert r.to_dict()["tables"] == [cells]
    r = OcrEngine().recognize_image(img, RecognitionSettings(detect_areas_mode="table", result_type="hocr"))
    assert r.hocr is None and any("hOCR" in w for w in r.warnings)


@pytest.mark.tesseract
@pytest.mark.parametrize("style", ["across", "borderless"])
def test_table_mode_on_partly_ruled_and_borderless_tables(tesseract, style):
    from ocrprep import OcrEngine, RecognitionSettings

    img, cells = imagegen.ruled_table(np.random.default_rng(7), rows=5, cols=4, size=24, border=3)
    h, v = ruling_lines(img)
    img = img.copy()
    img[v if style == "across" else (h | v)] = 255
    result = OcrEngine().recognize_image(img, RecognitionSettings(detect_areas_mode="table"))
    assert result.tables[0] == cells, result.tables


@pytest.mark.tesseract
@pytest.mark.parametrize("angle", [-2.0, 4.0])
def test_table_mode_straightens_a_turned_table(tesseract, angle):
    from ocrprep import OcrEngine, RecognitionSettings

    img, cells = imagegen.ruled_table(np.random.default_rng(4), rows=6, cols=4, size=24, border=2)
    result = OcrEngine().recognize_image(imagegen.rotated(img, angle), RecognitionSettings(detect_areas_mode="table"))
    assert result.tables[0] == cells
    assert any("straightened" in w for w in result.warnings)


def test_a_lone_rule_is_no_table():
    page, _ = imagegen.document_page(imagegen.PARAGRAPHS[:2], size=26, width=1300)
    page[-60:-57, 100:1200] = 0                                 # a signature line under the text
    grid = find_table(page)
    assert not grid.ruled_rows and not grid.ruled_columns
    assert grid.box.height > 150 and len(grid.cells) == grid.shape[0] >= 3     # the text, line by line


@pytest.mark.tesseract
def test_table_mode_keeps_text_outside_the_table_and_pages_without_one(tesseract):
    from ocrprep import OcrEngine, RecognitionSettings

    page, text = imagegen.document_page(imagegen.PARAGRAPHS[:2], size=26, width=1300)
    page[-60:-57, 100:1200] = 0
    got = OcrEngine().recognize_image(page, RecognitionSettings(detect_areas_mode="table")).recognition_text
    assert word_recovery(text, got) >= 0.95, got


def _two_tables_page():
    t1, c1 = imagegen.ruled_table(np.random.default_rng(1), rows=4, cols=4, size=22, border=2)
    t2, c2 = imagegen.ruled_table(np.random.default_rng(2), rows=3, cols=2, size=22, border=2)
    para, text = imagegen.document_page(imagegen.PARAGRAPHS[:1], size=22, width=t1.shape[1])
    width = max(t1.shape[1], t2.shape[1], para.shape[1])

    def pad(a, fill):
        return np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=fill)

    page = np.vstack([pad(para, 250), pad(t1, 255), pad(para, 250), pad(t2, 255)])
    return page, text, c1, c2


def test_two_tables_are_two_grids():
    from ocrprep.tables import find_tables

    page, _, c1, c2 = _two_tables_page()
    grids = find_tables(page)
    assert [g.shape for g in grids] == [(4, 4), (3, 2)]
    assert grids[0].box.y < grids[1].box.y and find_table(page).shape == (4, 4)


@pytest.mark.tesseract
def test_table_mode_with_two_tables_and_paragraphs(tesseract):
    from ocrprep import OcrEngine, RecognitionSettings

    page, text, c1, c2 = _two_tables_page()
    result = OcrEngine().recognize_image(page, RecognitionSettings(detect_areas_mode="table"))
    assert result.tables == [c1, c2]
    blocks = result.recognition_text.split("\n\n")
    assert len(blocks) == 4                                    # paragraph, table, paragraph, table
    assert word_recovery(text, blocks[0]) == 1.0 and word_recovery(text, blocks[2]) == 1.0
    assert [r.split("\t") for r in blocks[1].split("\n")] == c1 and [r.split("\t") for r in blocks[3].split("\n")] == c2


# --------------------------------------------------------------------------- #
# has_ruled_table: when the default recognition reads a page as a table
# --------------------------------------------------------------------------- #
def _stained_handwriting(rng):
    """Pen strokes over large soft stains and a dark blot: thick dark masses with thin fringes,
    and long strokes that cross, as on a stained manuscript (no table)."""
    from PIL import Image, ImageDraw, ImageFilter

    h, w = 600, 1100
    img = Image.new("L", (w, h), 215)
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(60, 200))
        d.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=int(rng.integers(90, 150)))
    img = img.filter(ImageFilter.GaussianBlur(12))
    d = ImageDraw.Draw(img)
    for row in range(5):
        y = 90 + row * 100
        x = 40
        while x < w - 120:
            seg = int(rng.integers(40, 160))
            d.line([(x, y + int(rng.integers(-8, 8))), (x + seg, y + int(rng.integers(-8, 8)))], fill=30, width=4)
            d.line([(x + seg // 2, y - 40), (x + seg // 2 + 10, y + 10)], fill=30, width=4)
            x += seg + 25
    d.line([(30, 420), (1050, 430)], fill=30, width=4)     # underlines
    d.line([(500, 230), (1000, 236)], fill=30, width=4)
    return np.asarray(img)


@pytest.mark.parametrize("variant", ["plain", "thin", "grey", "shaded_header", "turned", "photographed"])
def test_has_ruled_table_finds_tables(variant):
    from PIL import Image, ImageDraw

    import docgen
    from ocrprep.tables import has_ruled_table

    rng = np.random.default_rng(31)
    border = {"thin": 1}.get(variant, 3)
    img, _cells = imagegen.ruled_table(rng, rows=5, cols=4, border=border)
    if variant == "grey":                       # light grey rules
        img = np.where((img < 60) & (erase_rules(img) > 128), 150, img).astype(np.uint8)
    if variant == "shaded_header":
        pil = Image.fromarray(img)
        ImageDraw.Draw(pil).rectangle((52, 62, img.shape[1] - 52, 62 + 50), fill=205)
        img = np.minimum(np.asarray(pil), img)
    if variant == "turned":
        img = imagegen.rotated(img, 3.0)
    if variant == "photographed":
        img = docgen.photograph(np.stack([img] * 3, axis=-1), rng, angle=1.5)
    assert has_ruled_table(img)


def test_has_ruled_table_rejects_pages_without_a_grid():
    from PIL import Image, ImageDraw

    import docgen
    from ocrprep.tables import has_ruled_table

    rng = np.random.default_rng(32)
    page, _ = imagegen.document_page()
    assert not has_ruled_table(page)
    # a framed paragraph with an underlined title: rules, but no 2 x 2 grid
    framed = Image.fromarray(page)
    d = ImageDraw.Draw(framed)
    d.rectangle((60, 60, page.shape[1] - 60, page.shape[0] - 60), outline=0, width=3)
    d.line([(90, 128), (900, 128)], fill=0, width=3)
    assert not has_ruled_table(np.asarray(framed))
    # rules in one direction only (booktabs): read by the page analysis, not cell by cell
    booktabs, _ = imagegen.ruled_table(rng, rows=5, cols=4)
    booktabs = booktabs.copy()
    booktabs[:, :][erase_rules(booktabs) > booktabs] = 255
    for y in (60, 60 + 52 * 5):
        booktabs[y:y + 3, 50:-50] = 0
    assert not has_ruled_table(booktabs)
    ident = docgen.random_identity(rng)
    assert not has_ruled_table(docgen.photograph(docgen.passport_page(ident, rng), rng, angle=2.0))
    assert not has_ruled_table(docgen.street_scene(rng)[0])
    assert not has_ruled_table(docgen.car_scene(docgen.random_plate(rng), rng))
    for seed in range(3):
        assert not has_ruled_table(_stained_handwriting(np.random.default_rng(40 + seed)))
    assert not has_ruled_table(np.full((50, 60), 255, np.uint8))


def test_default_recognition_reads_a_ruled_table_cell_by_cell(tesseract):
    from ocrprep import OcrEngine, RecognitionSettings

    img, cells = imagegen.ruled_table(np.random.default_rng(33), rows=6, cols=5, size=30)
    truth = "\n".join(" ".join(r) for r in cells)
    result = OcrEngine().recognize_image(img)
    assert word_recovery(truth, result.recognition_text) >= 0.95, result.recognition_text
    assert any("ruled table" in w for w in result.warnings), result.warnings
    assert result.tables == [cells]
    # a fixed segmentation (single line, a chosen psm) or sparse text keeps its own reading
    for settings in (RecognitionSettings(page_segmentation_mode=6), RecognitionSettings(detect_areas_mode="photo")):
        other = OcrEngine().recognize_image(img, settings)
        assert not any("ruled table" in w for w in other.warnings) and other.tables == []


def test_invert_filled_boxes_turns_a_dark_header_into_a_ruled_row():
    from ocrprep.tables import has_ruled_table, invert_filled_boxes

    img, _ = imagegen.ruled_table_with_header(np.random.default_rng(34))
    out = invert_filled_boxes(img)
    band = out[45:80, 45:-45]                      # inside the header row
    assert out.ndim == 2 and np.median(band) > 128  # light paper now, with dark words
    assert np.count_nonzero(band < 100) > 50
    assert has_ruled_table(img)
    page, _ = imagegen.document_page()             # nothing filled: unchanged
    assert np.array_equal(invert_filled_boxes(page), page)


@pytest.mark.parametrize("zebra", [False, True])
def test_tables_with_a_dark_header_row_are_read_whole(tesseract, zebra):
    from ocrprep import OcrEngine, RecognitionSettings

    img, cells = imagegen.ruled_table_with_header(np.random.default_rng(35 + zebra), zebra=zebra)
    truth = "\n".join(" ".join(r) for r in cells)
    for settings in (None, RecognitionSettings(detect_areas_mode="table")):
        result = OcrEngine().recognize_image(img, settings)
        assert word_recovery(truth, result.recognition_text) >= 0.95, result.recognition_text


def test_rule_piece_boxes_match_one_mask_per_label():
    # the per-label boxes come from one sorted pass over the page (a dashed form has thousands of
    # rule pieces: a mask per label cost labels x pixels, 39 s on an A4 form); the slow way is the oracle
    from ocrprep.tables import _group_boxes

    rng = np.random.default_rng(7)
    labels = rng.integers(0, 40, size=(60, 90)).astype(np.int32)
    labels[:, :5] = 0
    pixels = rng.random(labels.shape) < 0.3
    expected = []
    for lab in range(1, int(labels.max()) + 1):
        ys, xs = np.nonzero((labels == lab) & pixels)
        if ys.size:
            expected.append((int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1))
    assert _group_boxes(labels, pixels) == expected
    assert _group_boxes(labels, np.zeros_like(pixels)) == []

