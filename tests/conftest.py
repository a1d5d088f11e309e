"""Shared fixtures: reproducible random images and the optional oracles."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

#: the DIBCO images (img/NAME.png) and ground truth (gt/NAME.png) some tests measure on; never in the repository
DIBCO = Path(os.environ.get("OCRPREP_DIBCO", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dibco"))


def _dibco_missing() -> str | None:
    """Why the DIBCO tests cannot run (``None`` when they can): where we looked and how to point elsewhere."""
    if (DIBCO / "img").is_dir() and (DIBCO / "gt").is_dir():
        return None
    how = ("OCRPREP_DIBCO=" + os.environ["OCRPREP_DIBCO"]) if "OCRPREP_DIBCO" in os.environ else "the default place"
    return f"no img/ and gt/ folders in {DIBCO} ({how}); set OCRPREP_DIBCO to the folder holding them"


def pytest_report_header(config):
    missing = _dibco_missing()
    return [f"DIBCO data: {DIBCO}" if missing is None else f"DIBCO data: not found, the tests on it skip: {missing}"]


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def cv2():
    cv2 = pytest.importorskip("cv2")
    cv2.setNumThreads(1)
    return cv2


@pytest.fixture
def dibco_dir():
    missing = _dibco_missing()
    if missing is not None:
        pytest.skip(f"DIBCO data not found: {missing}")
    return DIBCO


@pytest.fixture
def tesseract():
    """Skip the test when the tesseract program is not installed."""
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
