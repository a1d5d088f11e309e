"""Aspose.OCR programs that save their results (the calls of Aspose's example
recognize_and_save_result_as_file.py: ``api.save_multipage_document(path, ocr.SaveFormat.X, result)``
and ``result[0].save(path, ocr.SaveFormat.X)``), written as Aspose's documentation writes them
with only the import changed, on rendered pages of known text.  Every document is read back by
a reader that did not write it: poppler's pdftotext and pdftoppm, pypdf, python-docx, openpyxl,
striprtf, an XML parser, the standard library's HTML parser, zip + the EPUB container rules.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

import ocrprep.compat as ocr
from docreaders import (
    XHTML,
    docx_paragraphs,
    epub_chapters,
    html_text,
    missing_words,
    need_pdftotext,
    pdftotext,
    pdftotext_boxes,
    pypdf_pages,
    rtf_text,
    xlsx_sheets,
)
from frontdoor import text_page, word_recovery

PAGES = [
    ["Invoice seven covers the garden work", "of March, paid in full on Friday."],
    ["The second page lists twelve apples,", "four pears and a basket of plums."],
]
TRUTH = [" ".join(lines) for lines in PAGES]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """What Aspose's program gets from ``api.recognize``: two binarized pages."""
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    folder = tmp_path_factory.mktemp("pages")
    paths = []
    for k, lines in enumerate(PAGES, 1):
        paths.append(folder / f"page{k}.png")
        Image.fromarray(text_page(lines, size=(1000, 260))).save(paths[-1])

    api = ocr.AsposeOcr()
    filters = ocr.PreprocessingFilter()
    filters.add(ocr.PreprocessingFilter.binarize())
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
    input.add(str(paths[0]))
    input.add(str(paths[1]))
    settings = ocr.RecognitionSettings()
    settings.language = ocr.Language.ENG
    result = api.recognize(input, settings)

    assert len(result) == 2
    for res, truth in zip(result, TRUTH):
        assert word_recovery(truth, res.recognition_text) >= 0.95, res.recognition_text
    return result


def recognised_words(res) -> list[str]:
    return [w.text for line in res.recognition_lines_result for w in line.words]


def test_searchable_pdf_has_every_word_over_its_box(result, tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    api = ocr.AsposeOcr()
    api.save_multipage_document(str(tmp_path / "test.pdf"), ocr.SaveFormat.PDF, result)

    pages = pdftotext(tmp_path / "test.pdf")
    assert len(pages) == 2
    for res, text, truth in zip(result, pages, TRUTH):
        assert missing_words(recognised_words(res), text) == []
        assert word_recovery(truth, text) >= 0.95
    for res, text in zip(result, pypdf_pages(tmp_path / "test.pdf")):
        assert missing_words(recognised_words(res), text) == []

    # each word pdftotext finds lies inside the box where it was recognised (pixels at 300 dpi -> points)
    scale = 72.0 / 300
    for res, boxes in zip(result, pdftotext_boxes(tmp_path / "test.pdf")):
        (_, _, _, width, height), found = boxes[0], boxes[1:]
        assert width == pytest.approx(res.image_size[0] * scale, abs=0.01)
        assert height == pytest.approx(res.image_size[1] * scale, abs=0.01)
        words = [w for line in res.recognition_lines_result for w in line.words]
        assert [f[0] for f in found] == [w.text for w in words]
        for (text, x0, y0, x1, y1), word in zip(found, words):
            bx, by, bw, bh = (v * scale for v in word.box)
            tol = 0.05  # points: rounding of the numbers in the content stream
            assert bx - tol <= x0 < x1 <= bx + bw + tol, (text, (x0, x1), (bx, bx + bw))
            assert by - tol <= y0 < y1 <= by + bh + tol, (text, (y0, y1), (by, by + bh))


def test_searchable_pdf_keeps_the_binarized_page_as_a_1_bit_image(result, tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    import pypdf

    path = tmp_path / "test.pdf"
    ocr.AsposeOcr.save_multipage_document(str(path), ocr.SaveFormat.PDF, result)
    for k, page in enumerate(pypdf.PdfReader(str(path)).pages):
        (image,) = page["/Resources"]["/XObject"].values()
        image = image.get_object()
        assert image["/BitsPerComponent"] == 1 and image["/Filter"] == "/CCITTFaxDecode"
        # rendered back by poppler at the page's resolution, it is the page that was recognised
        need_pdftotext()
        out = subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(k + 1), "-l", str(k + 1), str(path)],
                             capture_output=True, check=True)
        rendered = np.asarray(Image.open(io.BytesIO(out.stdout))) > 127
        original = result[k].page_image.array() > 127
        assert rendered.shape == original.shape
        assert np.mean(rendered == original) > 0.99
        # renderers resample at the page's (inexact) size in points: a pixel may move by one, no more
        padded = np.pad(original, 1, mode="edge")
        h, w = original.shape
        near = [padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        assert np.all(np.any([n == rendered for n in near], axis=0))


def test_text_only_pdf(result, tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    import pypdf

    api = ocr.AsposeOcr()
    api.save_multipage_document(str(tmp_path / "text.pdf"), ocr.SaveFormat.PDF_NO_IMG, result)
    pages = pdftotext(tmp_path / "text.pdf")
    assert len(pages) == 2
    for res, text in zip(result, pages):
        assert missing_words(recognised_words(res), text) == []
    reader = pypdf.PdfReader(str(tmp_path / "text.pdf"))
    assert all(not page.images for page in reader.pages)
    # each word is drawn within its line: its centre inside the line's box
    scale = 72.0 / 300
    for res, boxes in zip(result, pdftotext_boxes(tmp_path / "text.pdf")):
        found = boxes[1:]
        lines = [(line.line, w) for line in res.recognition_lines_result for w in line.words]
        assert [f[0] for f in found] == [w.text for _, w in lines]
        for (text, x0, y0, x1, y1), ((lx, ly, lw, lh), _) in zip(found, lines):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            assert lx * scale <= cx <= (lx + lw) * scale and ly * scale <= cy <= (ly + lh) * scale, text


def test_a4_binarized_page_makes_a_small_searchable_pdf(tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    from ocrprep._testimages import a4_page
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    Image.fromarray(a4_page()).save(tmp_path / "a4.png")

    api = ocr.AsposeOcr()
    filters = ocr.PreprocessingFilter()
    filters.add(ocr.PreprocessingFilter.binarize())
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
    input.add(str(tmp_path / "a4.png"))
    settings = ocr.RecognitionSettings()
    settings.dpi = 300
    result = api.recognize(input, settings)
    result[0].save(str(tmp_path / "a4.pdf"), ocr.SaveFormat.PDF)

    size = (tmp_path / "a4.pdf").stat().st_size
    assert size < 150_000, size
    # (pdftotext's running text joins a line ending in "machine-" to the next line's first word: its
    # word list, as the reader's search sees the page, is the check)
    (boxes,) = pdftotext_boxes(tmp_path / "a4.pdf")
    assert len(result[0].words) > 300
    assert [b[0] for b in boxes[1:]] == recognised_words(result[0])


def test_text_json_xml(result, tmp_path):
    api = ocr.AsposeOcr()
    result[0].save(str(tmp_path / "page.txt"), ocr.SaveFormat.TEXT)
    api.save_multipage_document(str(tmp_path / "all.txt"), ocr.SaveFormat.TEXT, result)
    api.save_multipage_document(str(tmp_path / "test.json"), ocr.SaveFormat.JSON, result)
    api.save_multipage_document(str(tmp_path / "test.xml"), ocr.SaveFormat.XML, result)

    assert (tmp_path / "page.txt").read_text(encoding="utf-8") == result[0].recognition_text
    assert (tmp_path / "all.txt").read_text(encoding="utf-8").split("\f") == [r.recognition_text for r in result]

    data = json.loads((tmp_path / "test.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in data["pages"]] == [r.recognition_text for r in result]
    assert [w["box"] for line in data["pages"][1]["lines"] for w in line["words"]] == \
        [list(w.box) for w in result[1].words]

    root = ET.parse(tmp_path / "test.xml").getroot()
    pages = root.findall("page")
    assert len(pages) == 2
    for page, res in zip(pages, result):
        assert page.find("text").text == res.recognition_text
        words = page.findall("area/line/word")
        assert [w.text for w in words] == recognised_words(res)
        assert [tuple(int(w.get(k)) for k in ("x", "y", "width", "height")) for w in words] == \
            [tuple(w.box) for w in res.words]
    assert ET.fromstring(result[0].get_xml()).find("text").text == result[0].recognition_text


def test_html_and_hocr(result, tmp_path):
    api = ocr.AsposeOcr()
    api.save_multipage_document(str(tmp_path / "test.html"), ocr.SaveFormat.HTML, result)
    api.save_multipage_document(str(tmp_path / "test.hocr"), ocr.SaveFormat.HOCR, result)

    text = html_text((tmp_path / "test.html").read_text(encoding="utf-8"))
    for res in result:
        assert missing_words(recognised_words(res), text) == []

    # hOCR: well-formed XHTML; every element's title holds a bbox; words carry x_wconf and their boxes
    root = ET.parse(tmp_path / "test.hocr").getroot()
    caps = {m.get("name"): m.get("content") for m in root.iter(XHTML + "meta")}
    assert {"ocr_page", "ocr_line", "ocrx_word"} <= set(caps["ocr-capabilities"].split())
    bbox = re.compile(r"(?:^|; )bbox (\d+) (\d+) (\d+) (\d+)(?:;|$)")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    pages = [el for el in root.iter() if el.get("class") == "ocr_page"]
    assert len(pages) == 2
    for page, res in zip(pages, result):
        assert tuple(map(int, bbox.search(page.get("title")).groups())) == (0, 0, *res.image_size)
        for el in page.iter():
            if el.get("class") in ("ocr_carea", "ocr_par", "ocr_line", "ocrx_word"):
                x0, y0, x1, y1 = map(int, bbox.search(el.get("title")).groups())
                assert 0 <= x0 <= x1 <= res.image_size[0] and 0 <= y0 <= y1 <= res.image_size[1]
        words = [el for el in page.iter() if el.get("class") == "ocrx_word"]
        assert [w.text for w in words] == recognised_words(res)
        for el, word in zip(words, res.words):
            x, y, w, h = word.box
            assert tuple(map(int, bbox.search(el.get("title")).groups())) == (x, y, x + w, y + h)
            assert int(re.search(r"x_wconf (\d+)", el.get("title")).group(1)) == round(word.confidence)
        for line in (el for el in page.iter() if el.get("class") == "ocr_line"):
            lx0, ly0, lx1, ly1 = map(int, bbox.search(line.get("title")).groups())
            for w in line.iter():
                if w.get("class") == "ocrx_word":
                    x0, y0, x1, y1 = map(int, bbox.search(w.get("title")).groups())
                    assert lx0 <= x0 and x1 <= lx1 and ly0 <= y0 and y1 <= ly1


def test_docx_rtf_epub(result, tmp_path):
    pytest.importorskip("docx")  # the export extra (or a test reader of it)
    pytest.importorskip("striprtf")  # the export extra (or a test reader of it)
    pytest.importorskip("ebooklib")  # the export extra (or a test reader of it)
    api = ocr.AsposeOcr()
    api.save_multipage_document(str(tmp_path / "test.docx"), ocr.SaveFormat.DOCX, result)
    api.save_multipage_document(str(tmp_path / "test.rtf"), ocr.SaveFormat.RTF, result)
    api.save_multipage_document(str(tmp_path / "test.epub"), ocr.SaveFormat.EPUB, result)

    docx_text = "\n".join(docx_paragraphs(tmp_path / "test.docx"))
    rtf = rtf_text(tmp_path / "test.rtf")
    for res in result:
        assert missing_words(recognised_words(res), docx_text) == []
        assert missing_words(recognised_words(res), rtf) == []
    # the second page comes after the first in both
    assert docx_text.index(result[0].words[0].text) < docx_text.index(result[1].words[-1].text)

    chapters = epub_chapters(tmp_path / "test.epub")
    assert len(chapters) == 2
    for res, chapter in zip(result, chapters):
        assert missing_words(recognised_words(res), chapter) == []


def test_xlsx_md_csv(result, tmp_path):
    pytest.importorskip("openpyxl")  # the export extra (or a test reader of it)
    api = ocr.AsposeOcr()
    api.save_multipage_document(str(tmp_path / "test.xlsx"), ocr.SaveFormat.XLSX, result)
    api.save_multipage_document(str(tmp_path / "test.md"), ocr.SaveFormat.MD, result)
    api.save_multipage_document(str(tmp_path / "test.csv"), ocr.SaveFormat.CSV, result)

    sheets = xlsx_sheets(tmp_path / "test.xlsx")
    assert list(sheets) == ["Page 1", "Page 2"]
    for rows, res in zip(sheets.values(), result):
        assert [row[0] for row in rows] == [line.text_in_line for line in res.recognition_lines_result]

    md = (tmp_path / "test.md").read_text(encoding="utf-8")
    assert missing_words(recognised_words(result[0]) + recognised_words(result[1]), md) == []
    rows = list(csv.reader(io.StringIO((tmp_path / "test.csv").read_text(encoding="utf-8-sig"))))
    lines = [line.text_in_line for res in result for line in res.recognition_lines_result]
    assert [r[0] for r in rows if r] == lines


def test_ruled_table_to_xlsx_cells(tmp_path):
    """A ruled table recognised in TABLE mode: one spreadsheet row per table row, a cell per cell."""
    pytest.importorskip("openpyxl")  # the export extra (or a test reader of it)
    from ocrprep.ocr import tesseract_available

    if not hasattr(ocr, "DetectAreasMode") or not hasattr(ocr.DetectAreasMode, "TABLE"):
        pytest.skip("table recognition (DetectAreasMode.TABLE) is not in this build")
    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    from PIL import ImageDraw

    from frontdoor import font

    cells = [["Fruit", "Colour", "Price"], ["apple", "green", "seven"], ["banana", "yellow", "three"]]
    im = Image.new("L", (900, 300), 255)
    d = ImageDraw.Draw(im)
    for r in range(4):
        d.line([(20, 20 + 80 * r), (860, 20 + 80 * r)], fill=0, width=3)
    for c in range(4):
        d.line([(20 + 280 * c, 20), (20 + 280 * c, 260)], fill=0, width=3)
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            d.text((45 + 280 * c, 40 + 80 * r), text, fill=0, font=font(30))
    im.save(tmp_path / "table.png")

    api = ocr.AsposeOcr()
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    input.add(str(tmp_path / "table.png"))
    settings = ocr.RecognitionSettings()
    settings.detect_areas_mode = ocr.DetectAreasMode.TABLE
    result = api.recognize(input, settings)
    api.save_multipage_document(str(tmp_path / "table.xlsx"), ocr.SaveFormat.XLSX, result)

    (rows,) = xlsx_sheets(tmp_path / "table.xlsx").values()
    got = [[c.strip().lower() for c in row] for row in rows if any(c.strip() for c in row)]
    assert got == [[c.lower() for c in row] for row in cells]
