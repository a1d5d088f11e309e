"""ocrprep.export on results built by hand (no Tesseract): formats, names, errors, scripts
beyond Latin-1 in the PDF text layer, tables, grey and colour pages, atomic saving.
The Aspose-style programs on recognised pages are in tests/compat/test_save_formats.py."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import ocrprep
from docreaders import (
    docx_tables,
    epub_chapters,
    need_pdftotext,
    pdftotext,
    pdftotext_boxes,
    pypdf_pages,
    rtf_text,
    xlsx_sheets,
)
from ocrprep.export import SaveFormat, format_for_path, save, to_bytes
from ocrprep.export._pageimage import PageImage
from ocrprep.filters import Rectangle
from ocrprep.ocr import LinesResult, RecognitionResult, Word

WORDS = [["Grüße", "aus", "Köln"], ["Ωμέγα", "и", "Привет"], ["𝔘nicode", "{brace}", "back\\slash"]]


def handmade(lines=WORDS, size=(1200, 400), image="binary", dpi=None) -> RecognitionResult:
    """A result whose words sit on a grid: line k at y = 40 + 120 k, words 300 px apart."""
    out, texts = [], []
    for k, words in enumerate(lines):
        ws = [Word(t, Rectangle(40 + 300 * i, 40 + 120 * k, 40 * len(t), 60), 90.0) for i, t in enumerate(words)]
        box = Rectangle(40, 40 + 120 * k, 300 * (len(words) - 1) + 40 * len(words[-1]), 60)
        out.append(LinesResult(" ".join(words), box, 90.0, ws))
        texts.append(" ".join(words))
    text = "\n".join(texts)
    r = RecognitionResult(recognition_text=text, recognition_lines_result=out,
                          recognition_areas_rectangles=[Rectangle(40, 40, 1000, 300)], recognition_areas_text=[text],
                          image_size=size, source="made.png", dpi=dpi, confidence=90.0)
    w, h = size
    if image == "binary":
        page = np.full((h, w), 255, np.uint8)
        page[50:90, 50:400] = 0
        r.page_image = PageImage(page)
    elif image == "flat grey":  # a clean page: smaller lossless than as JPEG
        r.page_image = PageImage(np.tile(np.linspace(30, 230, w).astype(np.uint8), (h, 1)))
    elif image in ("grey", "colour"):  # a photographed page: grain everywhere
        rng = np.random.default_rng(11)
        shape = (h, w) if image == "grey" else (h, w, 3)
        ramp = np.linspace(40, 220, w)[None, :] if image == "grey" else np.linspace(40, 220, w)[None, :, None]
        r.page_image = PageImage(np.clip(ramp + rng.normal(0, 8, shape), 0, 255).astype(np.uint8))
    return r


@pytest.mark.parametrize("value, member", [
    ("pdf", SaveFormat.PDF), ("PDF", SaveFormat.PDF), ("txt", SaveFormat.TEXT), (".docx", SaveFormat.DOCX),
    ("pdf_no_img", SaveFormat.PDF_NO_IMG), ("pdf-no-img", SaveFormat.PDF_NO_IMG), (10, SaveFormat.HOCR),
    (SaveFormat.EPUB, SaveFormat.EPUB), (ocrprep.ResultType.JSON, SaveFormat.JSON), ("htm", SaveFormat.HTML),
])
def test_save_format_names(value, member):
    assert SaveFormat.parse(value) is member


def test_save_format_has_asposes_members_and_values():
    # Aspose.OCR's SaveFormat: TEXT=0 DOCX=1 PDF=2 XLSX=3 XML=4 JSON=5 HTML=6 EPUB=7 RTF=8 PDF_NO_IMG=9 HOCR=10
    names = ["TEXT", "DOCX", "PDF", "XLSX", "XML", "JSON", "HTML", "EPUB", "RTF", "PDF_NO_IMG", "HOCR", "MD", "CSV"]
    assert [m.name for m in sorted(SaveFormat)] == names
    assert [int(m) for m in sorted(SaveFormat)] == list(range(13))


@pytest.mark.parametrize("value, error, match", [
    ("pdfx", ocrprep.InvalidParameterError, "unknown save format 'pdfx'"),
    (99, ocrprep.InvalidParameterError, "no SaveFormat has the value 99"),
    (True, ocrprep.ParameterTypeError, "SaveFormat"),
    (2.0, ocrprep.ParameterTypeError, "float"),
])
def test_bad_save_formats(value, error, match):
    with pytest.raises(error, match=match):
        to_bytes([RecognitionResult()], value)


def test_format_from_extension(tmp_path):
    assert format_for_path("a/b.PDF") is SaveFormat.PDF
    assert format_for_path("x.htm") is SaveFormat.HTML
    with pytest.raises(ocrprep.InvalidParameterError, match="give the format"):
        format_for_path("x.weird")
    with pytest.raises(ocrprep.InvalidParameterError, match="give the format"):
        save([RecognitionResult()], tmp_path / "noext")
    # RecognitionResult.save falls back on the settings' result type for an extension of no format
    r = RecognitionResult(recognition_text="plain", result_type=ocrprep.ResultType.JSON)
    assert json.loads(r.save(tmp_path / "r.out").read_text(encoding="utf-8"))["text"] == "plain"


def test_bad_results():
    with pytest.raises(ocrprep.InvalidParameterError, match="empty"):
        to_bytes([], "text")
    with pytest.raises(ocrprep.ParameterTypeError, match=r"results\[1\] is a str"):
        to_bytes([RecognitionResult(), "text"], "text")
    with pytest.raises(ocrprep.ParameterTypeError, match="list of RecognitionResult"):
        to_bytes("some text", "text")
    # one result alone is accepted as a one-page list
    assert to_bytes(RecognitionResult(recognition_text="x"), "text") == b"x"


def test_missing_library_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx -> ImportError
    with pytest.raises(ocrprep.MissingDependencyError, match=r"ocrprep\[export\].*python-docx"):
        to_bytes([handmade()], SaveFormat.DOCX)
    monkeypatch.setitem(sys.modules, "pikepdf", None)
    with pytest.raises(ImportError, match="pikepdf"):  # MissingDependencyError is an ImportError too
        to_bytes([handmade()], "pdf")


def test_pdf_text_layer_keeps_every_script(tmp_path):
    """Greek, Cyrillic, German, a character outside the BMP, braces and backslashes: the
    ToUnicode map gives them all back to pdftotext and pypdf, each at its box."""
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    r = handmade(dpi=200)
    path = save([r, handmade(WORDS[::-1])], tmp_path / "scripts.pdf")
    pages = pdftotext(path)
    assert len(pages) == 2
    for words in WORDS:
        for word in words:
            assert word in pages[0].split() and word in pages[1].split()
    for word in (w for line in WORDS for w in line):
        assert word in pypdf_pages(path)[0]
    boxes = pdftotext_boxes(path)[0]
    scale = 72.0 / 200
    assert boxes[0][3:] == pytest.approx((1200 * scale, 400 * scale), abs=0.01)
    for (text, x0, y0, x1, y1), word in zip(boxes[1:], r.words):
        bx, by, bw, bh = (v * scale for v in word.box)
        assert text == word.text
        assert bx - 0.05 <= x0 < x1 <= bx + bw + 0.05 and by - 0.05 <= y0 < y1 <= by + bh + 0.05


def test_pdf_renders_without_errors_and_embeds_its_font(tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    need_pdftotext()
    path = save([handmade()], tmp_path / "a.pdf", SaveFormat.PDF)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    row = [line for line in fonts.stdout.splitlines() if "Glyphless" in line][0].split()
    assert row[1:4] == ["CID", "TrueType", "Identity-H"] and row[4:7] == ["yes", "no", "yes"]  # emb sub uni
    out = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "r")], capture_output=True)
    assert out.returncode == 0 and not out.stderr, out.stderr
    import pypdfium2 as pdfium

    bitmap = pdfium.PdfDocument(str(path))[0].render(scale=1).to_numpy()
    assert bitmap.min() == 0 and bitmap.max() == 255  # the black bar of the page image and white paper


@pytest.mark.parametrize("kind, colour_space", [("grey", "/DeviceGray"), ("colour", "/DeviceRGB")])
def test_pdf_grey_and_colour_pages_are_jpeg(tmp_path, kind, colour_space):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    import pypdf

    path = save([handmade(image=kind)], tmp_path / "p.pdf")
    page = pypdf.PdfReader(str(path)).pages[0]
    (image,) = page["/Resources"]["/XObject"].values()
    image = image.get_object()
    assert image["/Filter"] == "/DCTDecode" and image["/ColorSpace"] == colour_space
    assert image["/Width"] == 1200 and image["/Height"] == 400
    decoded = np.asarray(page.images[0].image.convert("RGB" if kind == "colour" else "L")).astype(int)
    expected = handmade(image=kind).page_image.array().astype(int)
    # JPEG quality 90 of a page with grain (sigma 8, independent per channel): a few levels off on
    # average (a second JPEG generation: the result keeps the page as JPEG 95); a page drawn wrong
    # (inverted, shifted, channels swapped) would be off by tens
    assert np.abs(decoded - expected).mean() < (4 if kind == "grey" else 7)


def test_pdf_clean_grey_page_is_lossless_when_that_is_smaller(tmp_path):
    import pypdf

    r = handmade(image="flat grey")
    page = pypdf.PdfReader(str(save([r], tmp_path / "p.pdf"))).pages[0]
    (image,) = page["/Resources"]["/XObject"].values()
    assert image.get_object()["/Filter"] == "/FlateDecode"
    assert np.array_equal(np.asarray(page.images[0].image.convert("L")), r.page_image.array())


def test_pdf_of_a_failed_page_and_a_page_without_image(tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    failed = RecognitionResult(error=ocrprep.ImageDecodeError("broken"), warnings=["broken"])
    no_image = handmade(image=None)
    path = save([handmade(), failed, no_image], tmp_path / "three.pdf")
    pages = pdftotext(path)
    assert len(pages) == 3 and pages[1].strip() == "" and "Köln" in pages[2]
    import pypdf

    reader = pypdf.PdfReader(str(path))
    assert [len(p.images) for p in reader.pages] == [1, 0, 0]
    # the page without its image has its text drawn (Latin words in Courier), not an empty-looking page
    assert "0 Tr /F2" in reader.pages[2].get_contents().get_data().decode("latin-1")
    assert "0 Tr" not in reader.pages[0].get_contents().get_data().decode("latin-1")
    assert [round(float(v)) for v in reader.pages[1].mediabox[2:]] == [595, 842]  # A4 for a page of no size


def test_pdf_no_img_draws_latin_text_and_keeps_the_rest_searchable(tmp_path):
    pytest.importorskip("pikepdf")  # the export extra (or a test reader of it)
    path = save([handmade()], tmp_path / "t.pdf", "pdf_no_img")
    (text,) = pdftotext(path)
    for word in (w for line in WORDS for w in line):
        assert word in text.split()
    import pypdf

    page = pypdf.PdfReader(str(path)).pages[0]
    assert not page.images
    assert page["/Resources"]["/Font"]["/F2"]["/BaseFont"] == "/Courier"
    content = page.get_contents().get_data().decode("latin-1")
    assert "0 Tr /F2" in content and "3 Tr /F1" in content  # drawn Latin words, invisible Greek/Cyrillic


def test_tables_become_cells(tmp_path):
    pytest.importorskip("openpyxl")  # the export extra (or a test reader of it)
    pytest.importorskip("docx")  # the export extra (or a test reader of it)
    r = handmade()
    r.tables = [[["Fruit", "Price"], ["apple", "=3+4"], ["plum", ""]], [["second", "table", "here"]]]
    sheets = xlsx_sheets(save([r, handmade()], tmp_path / "t.xlsx"))
    assert list(sheets) == ["Page 1", "Page 2"]
    rows = sheets["Page 1"]
    assert rows[:3] == [["Fruit", "Price", ""], ["apple", "=3+4", ""], ["plum", "", ""]]  # a formula stays text
    assert rows[3] == ["", "", ""] and rows[4] == ["second", "table", "here"]
    assert [row[0] for row in sheets["Page 2"]] == [" ".join(words) for words in WORDS]
    csv_text = to_bytes([r], "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[:2] == ["Fruit,Price", "apple,=3+4"]
    assert docx_tables(save([r], tmp_path / "t.docx"))[0][1] == ["apple", "=3+4"]


def test_rtf_escapes_and_unicode(tmp_path):
    pytest.importorskip("striprtf")  # the export extra (or a test reader of it)
    text = rtf_text(save([handmade()], tmp_path / "t.rtf"))
    # RTF writes a character outside the BMP as its two UTF-16 units (\uN? each); striprtf gives
    # back the two surrogates, which make the character again
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    for word in (w for line in WORDS for w in line):
        assert word in text
    raw = (tmp_path / "t.rtf").read_bytes()
    assert raw.isascii() and b"\\{brace\\}" in raw and b"back\\\\slash" in raw


def test_epub_and_xml_and_hocr_of_unusual_text(tmp_path):
    pytest.importorskip("ebooklib")  # the export extra (or a test reader of it)
    chapters = epub_chapters(save([handmade(), handmade(WORDS[:1])], tmp_path / "t.epub"))
    assert len(chapters) == 2 and "Привет" in chapters[0] and "Привет" not in chapters[1]
    import xml.etree.ElementTree as ET

    root = ET.fromstring(to_bytes([handmade()], "xml"))
    assert [w.text for w in root.iter("word")] == [w for line in WORDS for w in line]
    hocr = ET.fromstring(to_bytes([handmade(), handmade()], "hocr"))
    assert sum(1 for el in hocr.iter() if el.get("class") == "ocrx_word") == 2 * 9


def test_single_page_hocr_is_tesseracts_own_when_there_is_one():
    r = handmade()
    r.hocr = "<html>tesseract's</html>"
    assert to_bytes([r], "hocr") == b"<html>tesseract's</html>"
    assert b"ocrx_word" in to_bytes([r, r], "hocr")


def test_markdown_escapes_markup():
    r = RecognitionResult(recognition_text="1. not a list *nor* _emphasis_\n# no heading")
    md = to_bytes([r], "md").decode()
    assert md == "1\\. not a list \\*nor\\* \\_emphasis\\_  \n\\# no heading\n"


def test_save_is_atomic_and_writes_file_objects(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    import ocrprep.export.text as text_writer

    def broken(results):
        raise RuntimeError("writer failed")

    monkeypatch.setattr(text_writer, "write", broken)
    with pytest.raises(RuntimeError, match="writer failed"):
        RecognitionResult(recognition_text="new").save(target)
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["out.txt"]
    monkeypatch.undo()

    buf = io.BytesIO()
    assert save([RecognitionResult(recognition_text="in memory")], buf, "text") is None
    assert buf.getvalue() == b"in memory"
    with pytest.raises(ocrprep.InvalidParameterError, match="give the save format"):
        save([RecognitionResult()], io.BytesIO())
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(ocrprep.OutputError, match="file"):
        RecognitionResult(recognition_text="x").save(blocked / "sub" / "r.txt")


def test_page_image_keeps_binary_pages_at_one_bit():
    rng = np.random.default_rng(3)
    for width in (1, 7, 8, 13, 64):
        page = np.where(rng.random((5, width)) < 0.5, 0, 255).astype(np.uint8)
        kept = PageImage(page)
        assert kept.binary and kept._data.nbytes == 5 * ((width + 7) // 8)
        assert np.array_equal(kept.array(), page)
        assert np.array_equal(np.asarray(kept.pil().convert("L")), page)
    grey = rng.integers(0, 256, (4, 6), dtype=np.uint8)
    assert not PageImage(grey).binary and PageImage(grey).array().shape == grey.shape


@pytest.mark.parametrize("channels", [None, 3])
def test_page_image_keeps_grey_and_colour_pages_small_and_close(channels):
    """A recognised colour A4 page must not hold 26 MB per result: a long document's results add up."""
    rng = np.random.default_rng(5)
    shape = (3508, 2480) if channels is None else (3508, 2480, 3)
    ramp = np.linspace(90, 240, shape[1])[None, :]
    if channels:
        ramp = ramp[..., None] * np.array([1.0, 0.9, 0.8])
    page = np.clip(ramp + rng.normal(0, 4, shape), 0, 255).astype(np.uint8)
    page[1000:1040, 300:2200] = 20  # a dark stroke keeps its edge
    kept = PageImage(page)
    assert not kept.binary and kept.nbytes < page.nbytes / 3  # grain of sigma 4 is the worst case: a real scan shrinks more
    back = kept.array()
    assert back.shape == page.shape and back.dtype == np.uint8
    assert np.abs(back.astype(int) - page).mean() < 3
    assert np.abs(back[1005:1035, 310:2190].astype(int) - 20).max() < 12


@pytest.mark.parametrize("fmt", list(SaveFormat))
def test_characters_no_format_can_hold_are_dropped(fmt):
    """NUL, form feed, a lone surrogate in a hand-made result: every format still writes, and reads back."""
    r = handmade([["bad\x00word", "form\x0cfeed", "lone\ud800surrogate"]])
    r.recognition_areas_text = ["x\x01"]
    r.tables = [[["cell\x02"]]]
    data = to_bytes([r, handmade()], fmt)
    assert data
    if fmt in (SaveFormat.XML, SaveFormat.HOCR):
        import xml.etree.ElementTree as ET

        texts = {el.text for el in ET.fromstring(data).iter()}
        assert {"badword", "formfeed", "lonesurrogate"} <= texts
    if fmt is SaveFormat.TEXT:
        assert data.decode("utf-8").startswith("badword formfeed lonesurrogate")


def test_pdf_page_of_a_tiny_dpi_stays_within_what_readers_take(tmp_path):
    import pypdf

    r = handmade(dpi=1)  # 1200 px at 1 dpi would be 86400 points wide
    box = pypdf.PdfReader(str(save([r], tmp_path / "big.pdf"))).pages[0].mediabox
    assert float(box.width) == pytest.approx(14400, abs=0.01) and float(box.height) == pytest.approx(4800, abs=0.01)


@pytest.mark.parametrize("mode, filt, max_side", [
    ("NONE", "/FlateDecode", 1200), (None, "/DCTDecode", 1200), ("MAXIMUM_QUALITY", "/DCTDecode", 1200),
    ("HIGH_QUALITY", "/DCTDecode", 800), ("BALANCED", "/DCTDecode", 600), ("AGGRESSIVE", "/DCTDecode", 400),
])
def test_pdf_optimization_modes_for_grey_pages(tmp_path, mode, filt, max_side):
    import pypdf

    from ocrprep.export import PdfOptimizationMode

    r = handmade(image="grey", dpi=300)
    option = None if mode is None else PdfOptimizationMode[mode]
    path = tmp_path / "p.pdf"
    r.save(str(path), SaveFormat.PDF, False, None, None, None, option)
    page = pypdf.PdfReader(str(path)).pages[0]
    (image,) = page["/Resources"]["/XObject"].values()
    image = image.get_object()
    assert image["/Filter"] == filt and image["/Width"] == max_side
    decoded = np.asarray(page.images[0].image.convert("L").resize((1200, 400))).astype(int)
    error = np.abs(decoded - r.page_image.array().astype(int)).mean()
    # lossless; JPEG 90 at full size; the others lose the grain (noise of sigma 8) to downsampling
    assert error == 0 if mode == "NONE" else error < (4 if max_side == 1200 else 10)
    # binary pages stay 1-bit G4 whatever the mode
    binary = pypdf.PdfReader(io.BytesIO(to_bytes([handmade()], "pdf", optimize_pdf=option))).pages[0]
    (image,) = binary["/Resources"]["/XObject"].values()
    assert image.get_object()["/Filter"] == "/CCITTFaxDecode"


def test_pdf_optimization_mode_names_and_errors():
    from ocrprep.export import PdfOptimizationMode

    assert [m.name for m in PdfOptimizationMode] == ["NONE", "MAXIMUM_QUALITY", "HIGH_QUALITY", "BALANCED",
                                                     "AGGRESSIVE"]
    assert PdfOptimizationMode.parse("balanced") is PdfOptimizationMode.BALANCED
    with pytest.raises(ocrprep.InvalidParameterError, match="optimize_pdf must be a PdfOptimizationMode"):
        to_bytes([handmade()], "text", optimize_pdf="smallest")


def test_embedded_font_path_is_accepted_with_a_warning(tmp_path):
    with pytest.warns(ocrprep.OcrprepWarning, match="embedded_font_path.*ignored"):
        handmade().save(str(tmp_path / "a.pdf"), SaveFormat.PDF_NO_IMG, False, None, None, "/fonts/Arial.ttf")
    assert (tmp_path / "a.pdf").exists()


def test_random_results_write_in_every_format(tmp_path):
    """Any text (right-to-left, combining marks, emoji, NUL, surrogates) and any boxes (empty,
    negative, outside the page): every writer finishes, the PDF reads back without errors."""
    rng = np.random.default_rng(2024)
    alphabet = list("abcXYZ019 .,;-'\"<>&{}\\\t") + ["\u05d0", "\u0627", "\u0301", "\U0001F600", "\x00", "\ud834",
                                                     "\u00e9", "\u4e2d", "\ufeff", "\u200b"]
    results = []
    for k in range(6):
        lines = []
        for _ in range(int(rng.integers(0, 4))):
            words = []
            for _ in range(int(rng.integers(0, 5))):
                text = "".join(rng.choice(alphabet, int(rng.integers(0, 8))))
                box = Rectangle(*(int(v) for v in rng.integers(-50, 900, 2)), *(int(v) for v in rng.integers(-5, 200, 2)))
                words.append(Word(text, box, float(rng.uniform(-1, 100))))
            lines.append(LinesResult(" ".join(w.text for w in words), Rectangle(0, 0, int(rng.integers(0, 900)), 30),
                                     50.0, words))
        text = "\n".join(line.text_in_line for line in lines)
        r = RecognitionResult(recognition_text=text, recognition_lines_result=lines, recognition_areas_text=[text],
                              image_size=(800, 600) if k % 2 else (0, 0), page=k + 1)
        if k % 3 == 0:
            r.page_image = PageImage(rng.integers(0, 256, (600, 800), dtype=np.uint8))
        results.append(r)
    for fmt in SaveFormat:
        assert to_bytes(results, fmt)
    pages = pdftotext(save(results, tmp_path / "random.pdf"))  # asserts poppler printed no error
    assert len(pages) == len(results)
    assert len(pdftotext(save(results, tmp_path / "random_text.pdf", "pdf_no_img"))) == len(results)


def test_windows_style_output_path_goes_into_its_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Data" / "OCR").mkdir(parents=True)
    r = RecognitionResult(recognition_text="saved")
    assert r.save("Data\\OCR\\result.txt") == tmp_path.joinpath("Data", "OCR", "result.txt").relative_to(tmp_path)
    assert (tmp_path / "Data" / "OCR" / "result.txt").read_text(encoding="utf-8") == "saved"
    # no such folder: the name is taken as it is written
    r.save("Other\\result.txt")
    assert (tmp_path / "Other\\result.txt").exists() if os.sep == "/" else True
