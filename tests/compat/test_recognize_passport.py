"""Aspose's recognize_passport example, only the import changed: the MRZ of the Doc 9303 specimen page,
photographed at 3 degrees with noise (JPEG) and turned upside down, printed with every field right."""
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

SPECIMEN = docgen.Identity("P", "UTO", "ERIKSSON", ["ANNA", "MARIA"], "L898902C3", "UTO", "740812", "F", "120415",
                           "ZE184226B")
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_recognize_passport(tmp_path):
    rng = np.random.default_rng(11)
    page = docgen.passport_page(SPECIMEN, rng)
    data = docgen.data_dir(tmp_path)
    Image.fromarray(docgen.photograph(page, rng, angle=3.0, noise=12.0)).save(data / "passport.jpg", quality=90)
    Image.fromarray(np.ascontiguousarray(np.rot90(page, 2))).save(data / "passport_upside_down.png")
    out = docgen.run_program("recognize_passport", tmp_path)
    pages = [p.strip() for p in out.split("------------------") if p.strip()]
    assert len(pages) == 2
    for text in pages:
        assert text.endswith(MRZ)  # the repaired zone, every check digit valid (it is ICAO's specimen)
        assert "ERIKSSON" in text.split("\n\n")[0]
