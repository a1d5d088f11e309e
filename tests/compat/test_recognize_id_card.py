"""Aspose's ID card example (docs), only the import changed: two ID cards with TD1 zones."""
import numpy as np
import pytest
from PIL import Image

import docgen
from ocrprep.ocr import tesseract_available

pytestmark = [
    pytest.mark.tesseract,
    pytest.mark.skipif(not tesseract_available(), reason="the tesseract binary is not installed"),
    pytest.mark.skipif(not docgen.compat_ready(), reason="ocrprep.compat does not re-export the document settings yet"),
]


def test_recognize_id_card(tmp_path):
    rng = np.random.default_rng(21)
    truth = []
    for name in ("ID1.png", "ID2.png"):
        ident = docgen.random_identity(rng, "ID")
        Image.fromarray(docgen.id_card(ident, rng)).save(tmp_path / name)
        truth.append("\n".join(docgen.td1_lines(ident)))
    out = docgen.run_program("recognize_id_card", tmp_path)
    pages = [p.strip() for p in out.split("------------------") if p.strip()]
    assert len(pages) == 2
    for text, mrz in zip(pages, truth):
        assert text.endswith(mrz) and "IDENTITY CARD" in text
