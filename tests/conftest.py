"""Shared fixtures: reproducible random images and the optional oracles."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

DIBCO = Path(os.environ.get("OCRPREP_DIBCO", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dibco"))


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
    if not (DIBCO / "img").is_dir():
        pytest.skip(f"DIBCO data not found at {DIBCO} (set OCRPREP_DIBCO)")
    return DIBCO


@pytest.fixture
def tesseract():
    """Skip the test when the tesseract program is not installed."""
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
