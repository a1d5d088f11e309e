"""Programs written as Aspose.OCR for Python via .NET's documentation writes them, with only the
import changed (``import aspose.ocr as ocr`` -> ``import ocrprep.compat as ocr``), run as separate
processes on rendered pages of known text (``Data/OCR/...`` in a scratch folder, their paths written
the Windows way as in Aspose's examples).  Each test checks what the program prints.

Word recall (``frontdoor.word_recovery``: the share of the true words found) must be >= 0.95 on every
clean page and on the ruled table; measured skew within 0.1 degree of the true angle.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import imagegen
from frontdoor import serve, word_recovery
from ocrprep.ocr import tesseract_available

pytestmark = pytest.mark.tesseract

PROGRAMS = Path(__file__).parent / "programs"
SEP = "------------------"
LINE = "Every morning the baker opens the shop at seven"
DIGITS = "4096 1234 7781 3350"
SKEW = 5.0


def _save(img, path, **kw):
    Image.fromarray(img).save(path, **kw)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """The scratch folder the programs run in, and the true texts of its pages."""
    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    root = tmp_path_factory.mktemp("aspose")
    data = root / "Data" / "OCR"
    (data / "OCR").mkdir(parents=True)
    truth = {}
    page, truth["sample"] = imagegen.document_page()
    _save(page, data / "sample.png")
    _save(imagegen.rotated(page, SKEW), data / "skew_image.png")
    _save(imagegen.text_line(LINE), data / "sample_line.png")
    _save(imagegen.text_line(DIGITS, kind="mono"), data / "digits.png")
    table, cells = imagegen.ruled_table(np.random.default_rng(3), rows=7, cols=4, title="Monthly report")
    _save(table, data / "table.png")
    truth["cells"] = cells
    negative, truth["negative"] = imagegen.document_page(imagegen.PARAGRAPHS[1:2], kind="sans")
    _save(255 - negative, data / "negative.png")
    small, truth["small"] = imagegen.document_page(imagegen.PARAGRAPHS[2:], kind="sans", size=11, width=560, margin=30)
    _save(small, data / "small.png")
    noisy, truth["noisy"] = imagegen.document_page(imagegen.PARAGRAPHS[:1], kind="serif", size=28)
    rng = np.random.default_rng(5)
    noisy = imagegen.rotated(noisy, 2.0)  # a dim, grainy scan, 2 degrees off
    dim = 90 + noisy.astype(np.float64) * 0.45 + rng.normal(0, 12, noisy.shape)
    _save(np.clip(dim, 0, 255).astype(np.uint8), data / "noisy.png")

    misspelt, truth["misspelt"] = imagegen.document_page(
        ["The smal garden behind the old hous was full of flowrs every summer near the Zorbly bridge."],
        kind="sans", size=30)
    _save(misspelt, data / "misspelt.png")
    specks = page.copy()
    specks[np.random.default_rng(9).random(page.shape) < 0.02] = 0
    _save(specks, data / "specks.png")
    (data / "userdict.txt").write_text("Zorbly 1000\n")

    pages, kinds = [], ("sans", "serif", "mono")
    for i, kind in enumerate(kinds):
        img, text = imagegen.document_page(imagegen.PARAGRAPHS[i:i + 1], kind=kind, size=28)
        pages.append(img)
        truth[f"page{i}"] = text
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, img in enumerate(pages):
            b = io.BytesIO()
            Image.fromarray(img).save(b, "PNG")
            z.writestr(f"page{i}.png", b.getvalue())
    (data / "OCR.zip").write_bytes(buf.getvalue())
    for i, img in enumerate(pages):
        _save(img, data / "OCR" / f"page{i}.png")
    frames = [Image.fromarray(img) for img in pages]
    frames[0].save(data / "multipage.tif", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    frames[0].save(data / "scan.pdf", save_all=True, append_images=frames[1:], resolution=150.0)
    for name in PROGRAMS.glob("*.py"):
        shutil.copy(name, root / name.name)
    return root, truth


def run(work, program, *args, url=None, ok=True):
    root, _ = work
    path = root / program
    if url is not None:
        path.write_text((PROGRAMS / program).read_text().replace("http://127.0.0.1:PORT", url))
    proc = subprocess.run([sys.executable, program, *args], cwd=root, capture_output=True, text=True, timeout=600)
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def sections(stdout: str) -> list[str]:
    """The printed blocks after each separator line."""
    return [part.split("\n", 1)[1] if "\n" in part else "" for part in stdout.split(SEP)[1:]]


def test_recognize(work):
    out = run(work, "recognize.py").stdout
    assert word_recovery(work[1]["sample"], out) >= 0.95, out


def test_calculate_skew(work):
    lines = run(work, "calculate_skew.py").stdout.split("\n")
    assert abs(float(lines[0]) - SKEW) <= 0.1, lines
    assert abs(float(lines[1]) - 3.0) <= 0.1, lines     # a 3-degree rotate filter, saved, measured again
    assert lines[2].endswith("sample.png") and lines[3] == "1"
    assert lines[4] == "0"                              # output.clear() emptied the returned input
    assert (work[0] / "sample.png").is_file()           # ImageProcessing.save wrote into "./"


def test_image_text_finder(work):
    lines = run(work, "image_text_finder.py").stdout.split("\n")
    assert lines[:5] == ["True", "False", "False", "True", "False"], lines
    same, different = float(lines[5]), float(lines[6])
    assert 0.9 <= same <= 1.0 and 0.0 <= different < 0.3, lines


def test_recognize_archive(work):
    parts = sections(run(work, "recognize_archive.py").stdout)
    assert len(parts) == 3
    for i, text in enumerate(parts):
        assert word_recovery(work[1][f"page{i}"], text) >= 0.95, text


def test_recognize_folder(work):
    parts = sections(run(work, "recognize_folder.py").stdout)
    assert len(parts) == 3
    for i, text in enumerate(parts):
        assert word_recovery(work[1][f"page{i}"], text) >= 0.95, text


def test_recognize_images_batch(work):
    out = run(work, "recognize_images_batch.py").stdout
    assert out.split("\n")[0] == "3"
    parts = sections(out)
    assert word_recovery(work[1]["sample"], parts[0]) >= 0.95, parts[0]
    assert word_recovery(work[1]["sample"], parts[1]) >= 0.95, parts[1]     # the 5-degree page, auto_skew filter
    assert word_recovery(LINE, parts[2]) >= 0.95, parts[2]


def test_recognize_line(work):
    lines = run(work, "recognize_line.py").stdout.split("\n")
    assert word_recovery(LINE, lines[0]) == 1.0, lines
    assert word_recovery(LINE, lines[1]) == 1.0 and lines[2] == "1", lines


def test_recognize_table(work):
    out = run(work, "recognize_table.py").stdout
    cells = work[1]["cells"]
    truth = "\n".join("\t".join(row) for row in cells)
    assert word_recovery(truth, out) >= 0.95, out
    rows = [r for r in out.split("\n") if r.strip()]
    assert rows[0].strip() == "Monthly report"                  # the text above the table comes first
    assert [r.split("\t") for r in rows[1:]] == cells, out       # then the table, row by row, tab-separated


def test_recognize_url(work):
    page, text = imagegen.document_page(imagegen.PARAGRAPHS[1:], kind="sans", size=26)
    buf = io.BytesIO()
    Image.fromarray(page).save(buf, "PNG")
    with serve({"/uploads/justified-text.png": buf.getvalue()}) as url:
        out = run(work, "recognize_url.py", url=url).stdout
    assert word_recovery(text, out) >= 0.95, out


def test_recognize_with_language(work):
    out = run(work, "recognize_with_language.py", "ENG").stdout
    assert word_recovery(work[1]["sample"], out) >= 0.95


@pytest.mark.parametrize("name, package", [("CHI", "tesseract-ocr-chi-sim"), ("SPA", "tesseract-ocr-spa"),
                                           ("EXT_LATIN", "tesseract-ocr-script-latn")])
def test_recognize_with_a_language_that_is_not_installed(work, name, package):
    from ocrprep.ocr import Language, OcrEngine

    if Language[name].value in OcrEngine().languages:
        pytest.skip(f"{name} is installed here")
    proc = run(work, "recognize_with_language.py", name, ok=False)
    assert proc.returncode != 0
    assert f"apt-get install {package}" in proc.stderr and "not installed" in proc.stderr, proc.stderr


def test_recognize_with_detect_areas_mode(work):
    out = run(work, "recognize_with_detect_areas_mode.py").stdout
    blocks = re.split(rf"^{SEP} (\w+)\n", out, flags=re.M)[1:]
    texts = dict(zip(blocks[::2], blocks[1::2]))
    assert len(texts) == 10
    for mode, text in texts.items():
        assert word_recovery(work[1]["sample"], text) >= 0.95, (mode, text)
    # NONE reads one block line by line; TABLE (no rules here) one cell per line: the same lines
    lines = {mode: [ln for ln in texts[mode].split("\n") if ln.strip()] for mode in ("NONE", "TABLE")}
    assert lines["NONE"] == lines["TABLE"]


def test_recognize_tiff(work):
    out = run(work, "recognize_tiff.py").stdout
    assert out.split("\n")[0] == "3"
    heads = re.findall(rf"^{SEP} page (\d+)$", out, flags=re.M)
    assert heads == ["2", "3"]
    parts = sections(out)
    for i, text in zip((1, 2), parts):
        assert word_recovery(work[1][f"page{i}"], text) >= 0.95, text


def test_detect_rectangles(work):
    lines = run(work, "detect_rectangles.py").stdout.split("\n")
    counts = {ln.split()[0]: int(ln.split()[1]) for ln in lines if ln[:1].isalpha()}
    truth = work[1]["sample"]
    assert counts["WORDS"] == len(truth.split())
    page_lines = 0
    for p in imagegen.PARAGRAPHS:
        page_lines += len(imagegen._wrap(p, imagegen.font("serif", 30), 1500 - 180))
    assert counts["LINES"] == page_lines
    assert 3 <= counts["PARAGRAPHS"] <= page_lines
    x, y, w, h = map(int, lines[lines.index(next(ln for ln in lines if ln.startswith("LINES"))) + 1].split())
    assert 80 <= x <= 100 and 80 <= y <= 110 and h < 60       # the first line, at the page margin


def test_recognition_settings(work):
    out = run(work, "recognition_settings.py").stdout
    blocks = re.split(rf"^{SEP} (\w+)\n", out, flags=re.M)[1:]
    got = dict(zip(blocks[::2], blocks[1::2]))
    assert got["digits"].split() == DIGITS.split()
    assert not re.search(r"\d", got["ignored"])
    assert word_recovery(work[1]["negative"], got["inverted"]) >= 0.95
    assert word_recovery(work[1]["small"], got["small"]) >= 0.95, got["small"]
    cells = " ".join(" ".join(row) for row in work[1]["cells"])
    assert word_recovery(cells, got["form"]) >= 0.95, got["form"]
    first = imagegen._wrap(imagegen.PARAGRAPHS[0], imagegen.font("serif", 30), 1500 - 180)[0]
    assert word_recovery(first, got["area"]) == 1.0 and len(got["area"].split()) <= len(first.split()) + 1
    assert "did you mean 'detect_areas_mode'" in got["typo"]


def test_preprocessing(work):
    lines = run(work, "preprocessing.py").stdout.rstrip("\n").split("\n")
    assert lines[0] == "1"
    assert word_recovery(work[1]["noisy"], "\n".join(lines[1:-2])) >= 0.95, lines
    assert lines[-2:] == ["1", "0"]
    with Image.open(work[0] / "processed" / "noisy.png") as im:
        assert im.mode == "1"                                   # binarized, saved 1-bit


def test_star_import(work):
    lines = run(work, "star_import.py").stdout.rstrip("\n").split("\n")
    assert word_recovery(work[1]["sample"], "\n".join(lines[:-1])) >= 0.95
    left, top, right, bottom = map(int, lines[-1].split())
    assert 80 <= left < right and 80 <= top < bottom < 150


def test_page_analysis(work):
    lines = run(work, "page_analysis.py").stdout.rstrip("\n").split("\n")
    assert lines[0] == LINE.replace(" ", "") and int(lines[1]) == len(LINE.replace(" ", ""))
    assert word_recovery(LINE, lines[2]) == 1.0
    assert lines[3] == "ENG"
    assert lines[4].split()[0] == "1"                          # one ruled table found
    assert lines[5] == "not supported: recognize_formula"
    assert lines[6:] == ["SALT_PEPPER_NOISE 1"]


def test_raw_input(work):
    parts = sections(run(work, "raw_input.py").stdout)
    assert len(parts) == 3
    for text in parts:
        assert word_recovery(LINE, text) == 1.0, text


def test_recognize_and_save_result_as_file(work):
    pytest.importorskip("ocrprep.export")
    pytest.importorskip("openpyxl")
    import xml.etree.ElementTree as ET

    import openpyxl

    out = run(work, "recognize_and_save_result_as_file.py").stdout
    root, truth = work
    assert word_recovery(truth["sample"], out) >= 0.95
    xml_text = " ".join(ET.parse(root / "test.xml").getroot().itertext())
    assert word_recovery(truth["sample"], xml_text) >= 0.95
    cells = [[c.value or "" for c in row] for row in openpyxl.load_workbook(root / "table.xlsx").active.iter_rows()]
    found = [row[:4] for row in cells if len(row) >= 4 and any(row)]
    assert sum(row in found for row in truth["cells"]) >= len(truth["cells"]) - 1, found   # a cell per table cell
    text = (root / "all.txt").read_text()
    assert word_recovery(truth["sample"], text) >= 0.95 and "Monthly report" in text
    assert (root / "test.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(root / "test.pdf"), "-"], capture_output=True, text=True).stdout
        assert word_recovery(truth["sample"], pdf) >= 0.95


def test_recognize_with_spell_check(work):
    pytest.importorskip("ocrprep.spellcheck")
    pytest.importorskip("symspellpy")
    out = run(work, "recognize_with_spell_check.py").stdout
    blocks = re.split(rf"^{SEP} (\w+)\n", out, flags=re.M)
    got = dict(zip(blocks[1::2], blocks[2::2]))
    assert "smal" in blocks[0] and "flowrs" in blocks[0]                 # recognised as printed
    corrected = got["corrected"]
    for word in ("small", "house", "flowers", "Zorbly"):                # the user's word is kept
        assert word in corrected, corrected
    errors = {line.split(":")[0]: line.split(": ", 1)[1] for line in got["errors"].splitlines() if ": " in line}
    assert {"smal", "hous", "flowrs"} <= set(errors) and "Zorbly" not in errors
    assert "small/1" in errors["smal"]
    assert got["fixed"].strip() == "the small house"
    assert "flowers" in (work[0] / "result1.txt").read_text()


def test_recognize_pdf(work):
    pytest.importorskip("pypdfium2", reason="PDF input needs the pdf extra")
    out = run(work, "recognize_pdf.py").stdout
    heads = re.findall(rf"^{SEP} (page \d+|last \d+ of \d+)$", out, flags=re.M)
    assert heads == ["page 1", "page 2", "page 3", "last 3 of 1"]
    for i, text in enumerate(sections(out)):
        assert word_recovery(work[1][f"page{min(i, 2)}"], text) >= 0.95, text


def test_license_and_logging(work):
    lines = run(work, "license_and_logging.py").stdout.split("\n")
    assert lines[:2] == ["True", "True"] and word_recovery(LINE, lines[2]) == 1.0
    log = (work[0] / "ocr.log").read_text()
    assert "licence" in log                                  # the licence note, logged once, at INFO
