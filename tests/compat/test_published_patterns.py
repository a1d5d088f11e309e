"""The calling patterns of Aspose.OCR for Python via .NET's *published* programs and README, in
programs of our own (tests/compat/programs), run as separate processes with only the import changed.

Aspose's example programs often build settings and never pass them (``settings.detect_areas_mode =
TABLE`` then ``api.recognize(input)``), hand a path straight to ``recognize``, give filters an area
as their last positional argument, and save with the PDF-optimisation overloads.  These tests
hold ocrprep to those patterns on rendered pages of known text:

* a ruled table read by the *default* recognition (no settings): word recall >= 0.95, straight, at
  large type, turned 2 degrees, photographed on a table, and with a white-on-dark header row and
  shaded rows (issue 13 item 6);
* ``result.lines`` / ``line.text`` / ``line.rect``, ``recognition_regions_result``,
  ``Language.NONE`` (the README's snippets);
* ``PreprocessingFilter.invert(Rectangle)``, ``threshold(value, Rectangle)`` ... and
  ``ImageProcessing.render`` returning an input that ``recognize`` takes;
* ``save(path, format, PdfOptimizationMode)``, ``save(path, format, font, mode)``,
  ``OcrOutput.save_pdf(stream)``, ``OcrOutput.get_table_data()``.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

import docgen
import imagegen
from frontdoor import word_recovery
from ocrprep.ocr import tesseract_available

pytestmark = pytest.mark.tesseract

SEP = "------------------"


def _sections(stdout: str) -> list[str]:
    return [part.split("\n", 1)[1] if "\n" in part else "" for part in stdout.split(SEP)[1:]]


def _cells_text(cells) -> str:
    return "\n".join(" ".join(row) for row in cells)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A scratch folder with Data/OCR/... pages of known text; returns (root, truth)."""
    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    if not docgen.compat_ready():
        pytest.skip("ocrprep.compat lacks Aspose's module tree in this build")
    root = tmp_path_factory.mktemp("published")
    data = docgen.data_dir(root)
    truth = {}
    rng = np.random.default_rng(21)
    table, cells = imagegen.ruled_table(rng, rows=5, cols=4, kind="serif", size=26)
    Image.fromarray(table).save(data / "prices.png")
    truth["prices"] = cells
    large, cells = imagegen.ruled_table(np.random.default_rng(22), rows=4, cols=3, size=34)
    Image.fromarray(large).save(data / "prices_large.png")
    truth["prices_large"] = cells
    turned, cells = imagegen.ruled_table(np.random.default_rng(23), rows=5, cols=4)
    Image.fromarray(imagegen.rotated(turned, 2.0)).save(data / "prices_turned.png")
    truth["prices_turned"] = cells
    photo, cells = imagegen.ruled_table(np.random.default_rng(24), rows=5, cols=4)
    shot = docgen.photograph(np.stack([photo] * 3, axis=-1), np.random.default_rng(25), angle=1.0)
    Image.fromarray(shot).save(data / "prices_photo.jpg", quality=90)
    truth["prices_photo"] = cells
    header, cells = imagegen.ruled_table_with_header(np.random.default_rng(26), zebra=True)
    Image.fromarray(header).save(data / "prices_header.png")
    truth["prices_header"] = cells
    letter, truth["letter"] = imagegen.document_page(imagegen.PARAGRAPHS[:2], kind="sans", size=28)
    Image.fromarray(letter).save(data / "letter.png")
    line = "Seven swans swim across the quiet lake"
    Image.fromarray(imagegen.text_line(line)).save(data / "line.png")
    truth["line"] = line
    # a banner: white words on a black band above dark words on white paper
    banner = Image.new("L", (1500, 460), 245)
    draw = ImageDraw.Draw(banner)
    draw.rectangle((0, 0, 1499, 159), fill=15)
    top, bottom = "Winter sale starts on Monday", "Every coat and every scarf at half price"
    draw.text((60, 50), top, fill=240, font=imagegen.font("sans", 48))
    draw.text((60, 260), bottom, fill=20, font=imagegen.font("serif", 40))
    banner.save(data / "banner.png")
    truth["banner"] = f"{top}\n{bottom}"
    return root, truth


def test_a_ruled_table_is_read_by_default_when_the_settings_are_not_passed(work):
    root, truth = work
    parts = _sections(docgen.run_program("table_without_settings", root))
    assert len(parts) == 12, parts
    names = ["prices", "prices_large", "prices_turned", "prices_photo", "prices_header"]
    for run in (parts[:6], parts[6:]):           # no settings, then DetectAreasMode.DOCUMENT
        for name, text in zip(names, run):
            assert word_recovery(_cells_text(truth[name]), text) >= 0.95, (name, text)
        assert word_recovery(truth["letter"], run[5]) >= 0.95, run[5]
    # straight tables come out row by row, their cells separated by tabs
    rows = [r.split("\t") for r in parts[0].strip().split("\n")]
    assert rows == truth["prices"], parts[0]


def test_readme_result_lines_regions_and_languages(work):
    root, truth = work
    out = docgen.run_program("readme_patterns", root).split("\n")
    texts = [ln[len("Line: "):] for ln in out if ln.startswith("Line: ")]
    assert word_recovery(truth["letter"], "\n".join(texts)) >= 0.95, out
    confidences = [float(ln.split(": ")[1]) for ln in out if ln.startswith("Confidence: ")]
    assert len(confidences) == len(texts) and all(50 <= c <= 100 for c in confidences), out
    boxes = [ln for ln in out if ln.startswith("Bounding box: Rectangle(x=")]
    assert len(boxes) == len(texts), out
    regions = [ln[len("Region: "):] for ln in out if ln.startswith("Region: ")]
    assert regions and word_recovery(truth["letter"], "\n".join(regions)) >= 0.95, out
    line_texts = [ln[len("Text: "):] for ln in out if ln.startswith("Text: ")]
    assert len(line_texts) == 2 and all(word_recovery(truth["line"], t) == 1.0 for t in line_texts), out
    assert [ln for ln in out if ln.startswith("Language: ")] == ["Language: eng"] * 2, out


def test_filters_take_an_area_as_their_last_argument(work):
    root, truth = work
    out = docgen.run_program("filter_overloads", root).split("\n")
    assert out[0] == "['banner.png']", out
    saved_text = "\n".join(out[1:out.index("OcrInput 1")])
    rendered_text = "\n".join(out[out.index("OcrInput 1") + 1:])
    for text in (saved_text, rendered_text):
        assert word_recovery(truth["banner"], text) >= 0.95, text
    # only the band was inverted: the saved page has dark words on light paper everywhere
    saved = np.asarray(Image.open(root / "preview" / "banner.png").convert("L"))
    assert np.median(saved[:160]) > 128 and np.median(saved[160:]) > 128


def test_save_overloads_and_table_data(work):
    pypdf = pytest.importorskip("pypdf")
    root, truth = work
    out = docgen.run_program("save_overloads", root).split("\n")
    assert out[0] == "b'PK'" and out[1] == "b'%PDF-'", out
    for name in ("page_aggressive.pdf", "page_font.pdf", "all.pdf", "all_mode.pdf", "searchable.pdf", "multi.pdf"):
        reader = pypdf.PdfReader(io.BytesIO((root / name).read_bytes()))
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert word_recovery(truth["letter"], text) >= 0.9, (name, text[:200])
    assert word_recovery(truth["letter"], (root / "all.txt").read_text()) >= 0.95
    # get_table_data: the letter has no table; the ruled table page (read by default) has one
    assert out[2] == "1 0" and out[3] == "1 1", out
    assert [row.split("|") for row in out[4:4 + len(truth["prices"])]] == truth["prices"], out
