"""Aspose's invoice example (docs), only the import changed."""
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


def test_recognize_invoice(tmp_path):
    img, words = docgen.invoice(np.random.default_rng(8))
    Image.fromarray(img).save(tmp_path / "invoice1.png")
    out = docgen.run_program("recognize_invoice", tmp_path).split()
    assert sum(w in out for w in words) >= 0.95 * len(words)
