"""The two seed programs of issue 3 run unchanged (except the import line) on the shipped sample."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from PIL import Image

import ocrprep.ocr as ocr
from frontdoor import word_recovery
from ocrprep.data import sample_path, sample_text

SEED = '''\
from ocrprep.compat import *          # the only changed line
api = AsposeOcr()
filters = PreprocessingFilter()
filters.add(PreprocessingFilter.{filter})
input = OcrInput(InputType.SINGLE_IMAGE, filters)
input.add("source.png")
ImageProcessing.save(input, "result")             # writes the processed image(s) into ./result
result = api.recognize(input)
print(result[0].recognition_text)
'''


@pytest.mark.tesseract
@pytest.mark.parametrize("filter", ["binarize()", "threshold(150)"])
def test_seed_program(filter, tmp_path):
    if not ocr.tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    if filter == "binarize()":
        pytest.importorskip("ocrprep.auto", reason="the automatic binarizer is not in this build yet")
    shutil.copyfile(sample_path(), tmp_path / "source.png")
    (tmp_path / "seed.py").write_text(SEED.format(filter=filter))
    proc = subprocess.run([sys.executable, "seed.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # the sample shows what binarization is for (issue 13): a fixed threshold
    # of 150 loses its lightest inks and the words in its shadow on purpose
    want = 0.95 if filter == "binarize()" else 0.6
    assert word_recovery(sample_text(), proc.stdout) >= want, proc.stdout
    saved = tmp_path / "result" / "source.png"
    with Image.open(saved) as im:
        assert im.mode == "1" and im.size == Image.open(sample_path()).size


@pytest.mark.tesseract
def test_seed_program_with_a_corrupt_source_is_not_silent(tmp_path):
    """The seed still runs to the end (exit 0, empty text, as Aspose does), but says on stderr
    which source failed and why, once for the save and once for the recognition."""
    if not ocr.tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    (tmp_path / "source.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not really a PNG")
    (tmp_path / "seed.py").write_text(SEED.format(filter="threshold(150)"))
    proc = subprocess.run([sys.executable, "seed.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    warned = [line for line in proc.stderr.splitlines() if "OcrprepWarning" in line]
    assert len(warned) == 2, proc.stderr
    assert "page not saved: source.png: corrupt PNG data" in warned[0]
    assert "page not recognised: source.png: corrupt PNG data" in warned[1]
    assert not (tmp_path / "result" / "source.png").exists()
