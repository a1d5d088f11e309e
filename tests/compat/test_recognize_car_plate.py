"""Aspose's recognize_car_plate example, only the import changed (a JPEG named .jfif added to a TIFF
input, with auto_skew), on a car in a street scene."""
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


def test_recognize_car_plate(tmp_path):
    rng = np.random.default_rng(203)
    plate = docgen.random_plate(rng)
    Image.fromarray(docgen.car_scene(plate, rng)).save(docgen.data_dir(tmp_path) / "car.jfif", format="JPEG", quality=92)
    out = docgen.run_program("recognize_car_plate", tmp_path)
    assert out.strip() == plate
