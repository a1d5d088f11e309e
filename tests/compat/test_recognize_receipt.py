"""Aspose's receipt example (docs), only the import changed: each item on its line with its price."""
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


def test_recognize_receipt(tmp_path):
    img, lines = docgen.receipt(np.random.default_rng(6))
    Image.fromarray(img).save(tmp_path / "receipt1.png")
    out = docgen.run_program("recognize_receipt", tmp_path).splitlines()
    assert sum(" ".join(line.split()) in out for line in lines) >= 0.9 * len(lines)
