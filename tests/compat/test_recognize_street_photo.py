"""Aspose's recognize_street_photo example, only the import changed, on a street with shop signs."""
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


def test_recognize_street_photo(tmp_path):
    img, words = docgen.street_scene(np.random.default_rng(5))
    Image.fromarray(img).save(docgen.data_dir(tmp_path) / "sign_text.png")
    out = docgen.run_program("recognize_street_photo", tmp_path)
    assert sum(w in out.split() for w in words) >= 0.8 * len(words)
