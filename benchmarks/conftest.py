"""Shared fixtures for the speed suites.

Every speed test is one ``group`` (a kernel and its parameters) holding an
``ocrprep`` run and an anchor run (OpenCV, doxapy, ...) measured in the same
process, so the figure that matters is the *ratio* ocrprep/anchor, not
seconds.  ``python benchmarks/ratios.py RESULTS.json`` turns the JSON that
``--benchmark-json`` writes into the table in BENCHMARKS.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pages import a4_page  # noqa: E402


@pytest.fixture(scope="session")
def page():
    """A4 at 300 dpi (2480x3508), grey text on an uneven, noisy background."""
    return a4_page()


@pytest.fixture(scope="session")
def page_rgb(page):
    """The A4 page as a colour photograph: dark blue ink on cream paper."""
    import numpy as np

    t = page.astype(np.float32)[..., None] / 255.0
    paper = np.array([250.0, 240.0, 215.0], np.float32)
    ink = np.array([30.0, 40.0, 110.0], np.float32)
    return np.ascontiguousarray(np.clip(t * paper + (1.0 - t) * ink, 0, 255).astype(np.uint8))


@pytest.fixture(scope="session")
def cv2():
    cv2 = pytest.importorskip("cv2")
    cv2.setNumThreads(1)
    return cv2
