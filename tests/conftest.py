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


def _missing_extra(exc) -> str | None:
    """Why a test that raised ``exc`` needs something this installation lacks (``None``: a real failure).

    * ``ocrprep.MissingDependencyError``: ocrprep itself says an optional extra
      is not installed (``pip install 'ocrprep[export]'``...);
    * ``ModuleNotFoundError`` raised by a test's own import (a frame in
      tests/, never in ocrprep) of a module that is not installed: an oracle
      or reader the ``test`` extra brings (pypdf, cv2...).
    Either is what ``pytest.importorskip`` expresses; a test that forgot it
    skips with the reason instead of failing an install without the extra
    (.ci/run tests the wheel without extras).  A module missing inside
    ocrprep is still a failure: ocrprep must raise MissingDependencyError.
    """
    import importlib.util

    from ocrprep.errors import MissingDependencyError

    if isinstance(exc, MissingDependencyError):
        return f"needs an optional extra: {exc}"
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        if top != "ocrprep" and importlib.util.find_spec(top) is None:
            return f"needs {exc.name}, which is not installed (the test extra)"
    return None


#: set by .ci/run for its base-install run only: with every extra installed, a test failing for a
#: missing package is a packaging bug (an extra that forgot it), not something to skip
ALLOW_MISSING_EXTRAS = os.environ.get("OCRPREP_TESTS_ALLOW_MISSING_EXTRAS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not ALLOW_MISSING_EXTRAS:
        return
    if call.when not in ("setup", "call") or call.excinfo is None or not report.failed:
        return
    exc = call.excinfo.value
    if isinstance(exc, ModuleNotFoundError):
        tests = Path(__file__).resolve().parent
        last = Path(str(call.excinfo.traceback[-1].path)).resolve()
        if tests not in last.parents:
            return  # raised inside ocrprep (or a library): a real failure
    reason = _missing_extra(exc)
    if reason is not None:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")


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
