"""Aspose's recognize_handwritten example, only the import changed, on imitated hand-printed capitals
(Tesseract has no handwriting model: neat block capitals are what this can be expected to read)."""
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

LINES = ["WE START WITH GOOD", "BECAUSE ALL SHOPS", "SHOULD DO GOOD"]


def test_recognize_handwritten(tmp_path):
    img = docgen.block_capitals(LINES, np.random.default_rng(7))
    Image.fromarray(img).save(docgen.data_dir(tmp_path) / "handwritten.jpg", quality=90)
    out = docgen.run_program("recognize_handwritten", tmp_path)
    words = " ".join(LINES).split()
    assert out == out.upper()
    assert sum(w in out.split() for w in words) >= 0.9 * len(words)
