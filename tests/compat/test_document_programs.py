"""Aspose.OCR programs for the special recognizers (passport, car plate, street photo, handwriting,
ID card, receipt, invoice) written as Aspose's examples write them, only the import changed, on
pages rendered by ``tests/docgen.py`` (the document recognizers' generators)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from frontdoor import word_recovery
from ocrprep.ocr import tesseract_available

pytestmark = pytest.mark.tesseract
docgen = pytest.importorskip("docgen", reason="the document recognizers' page generators are not in this checkout")

PROGRAMS = Path(__file__).parent / "programs"
SEP = "------------------"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    import ocrprep.compat as ocr

    try:
        ocr.AsposeOcr().recognize_passport
    except ocr.NotSupportedError:
        pytest.skip("this build has no document recognizers")
    root = tmp_path_factory.mktemp("aspose_docs")
    data = root / "Data" / "OCR"
    data.mkdir(parents=True)
    truth = {}
    rng = np.random.default_rng(11)
    ident = docgen.random_identity(rng)
    truth["passport"] = ident
    Image.fromarray(docgen.photograph(docgen.passport_page(ident, rng), rng, angle=3.0)).save(data / "passport.jpg", quality=92)
    rng = np.random.default_rng(200)
    plate = docgen.random_plate(rng)
    truth["plate"] = plate
    Image.fromarray(docgen.car_scene(plate, rng)).save(data / "car.jfif", "JPEG", quality=92)
    street, truth["street"] = docgen.street_scene(np.random.default_rng(3))
    Image.fromarray(street).save(data / "sign_text.png")
    lines = ["MEET ME AT THE OLD MILL", "BRING TWO BLUE BASKETS"]
    truth["handwritten"] = " ".join(lines)
    Image.fromarray(docgen.block_capitals(lines, np.random.default_rng(4))).save(data / "handwritten.png")
    rng = np.random.default_rng(5)
    card_ident = docgen.random_identity(rng, "I")
    truth["id_card"] = card_ident
    Image.fromarray(docgen.id_card(card_ident, rng)).save(data / "id_card.png")
    rec, truth["receipt"] = docgen.receipt(np.random.default_rng(5))
    Image.fromarray(rec).save(data / "receipt.png")
    inv, truth["invoice"] = docgen.invoice(np.random.default_rng(6))
    Image.fromarray(inv).save(data / "invoice.png")
    for name in PROGRAMS.glob("*.py"):
        shutil.copy(name, root / name.name)
    return root, truth


def run(work, program):
    proc = subprocess.run([sys.executable, program], cwd=work[0], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_recognize_passport(work):
    out = run(work, "recognize_passport_checked.py")
    ident = work[1]["passport"]
    fields = dict(line.split("=", 1) for line in out.split(f"{SEP} fields\n", 1)[1].splitlines() if "=" in line)
    assert fields["document_number"] == ident.number
    assert fields["surname"].replace(" ", "") == ident.surname.replace(" ", "").replace("-", "")
    assert fields["date_of_birth"].replace("-", "")[-6:] == ident.birth       # YYYY-MM-DD from YYMMDD
    assert ident.number in out.split(SEP)[0]                 # the MRZ is part of the recognised text


def test_recognize_car_plate(work):
    out = run(work, "recognize_car_plate_checked.py")
    assert re.sub(r"[^A-Z0-9]", "", work[1]["plate"]) in re.sub(r"[^A-Z0-9]", "", out), out


def test_recognize_street_photo(work):
    out = run(work, "recognize_street_photo_checked.py")
    assert word_recovery(" ".join(work[1]["street"]), out) >= 0.6, out


def test_recognize_handwritten(work):
    out = run(work, "recognize_handwritten_checked.py")
    assert word_recovery(work[1]["handwritten"], out) >= 0.8, out


def test_recognize_id_card_receipt_invoice(work):
    out = run(work, "recognize_documents.py")
    blocks = re.split(rf"^{SEP} (\w+)\n", out, flags=re.M)
    got = dict(zip(blocks[1::2], blocks[2::2]))
    assert work[1]["id_card"].number in re.sub(r"\s", "", got["id_card"]), got["id_card"]
    assert word_recovery(" ".join(work[1]["receipt"]), got["receipt"]) >= 0.8, got["receipt"]
    assert word_recovery(" ".join(work[1]["invoice"]), got["invoice"]) >= 0.8, got["invoice"]
