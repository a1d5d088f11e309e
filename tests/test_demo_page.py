"""The live demo page in headless Chromium (Debian's ``chromium``, driven by Playwright's Python package).

The page runs against a real ``ocrprep serve``: pick the shipped sample, wait for the six
versions, click every button and check that the image and the recognised text change to
that version's, that each image is exactly what ocrprep computes for that setting, that each
text is what the API recognises for it, and that the Python snippet shown really runs.
"""
from __future__ import annotations

import base64
import shutil
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("httpx")
playwright_api = pytest.importorskip("playwright.sync_api")

import ocrprep  # noqa: E402
import ocrprep.data  # noqa: E402,F401
from ocrprep.ocr import tesseract_available  # noqa: E402
from servicehelp import CLIENT_ID, CLIENT_SECRET, Client, ServerProcess, b64, result_text  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.tesseract, pytest.mark.slow]

SETTINGS = ["source", "auto", "50", "100", "150", "200"]


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("Debian's chromium is not installed")
    if not tesseract_available():
        pytest.skip("tesseract not installed")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def data_url_image(src: str) -> np.ndarray:
    assert src.startswith("data:image/png;base64,"), src[:40]
    return ocrprep.imread(base64.b64decode(src.split(",", 1)[1]))


def expected_image(setting: str, sample: np.ndarray) -> np.ndarray:
    if setting == "source":
        return sample
    if setting == "auto":
        return ocrprep.binarize(sample)
    return ocrprep.threshold(ocrprep.to_grayscale(sample), int(setting))


def test_buttons_switch_image_text_and_snippet(chromium, tmp_path):
    sample_bytes = ocrprep.data.sample_path().read_bytes()
    sample = ocrprep.imread(sample_bytes)
    with ServerProcess(tmp_path, "--queue-size", "40") as server:
        page = chromium.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/")
        # auth is on: the page asks for a client, gets a token from /connect/token
        page.wait_for_selector("#auth:not([hidden])")
        page.fill("#client-id", CLIENT_ID)
        page.fill("#client-secret", "wrong-secret-!")
        page.click("#sign-in")
        page.wait_for_selector("#auth-error:not(:empty)")
        page.fill("#client-secret", CLIENT_SECRET)
        page.click("#sign-in")
        page.wait_for_selector("#auth", state="hidden")

        page.click("#use-sample")
        page.wait_for_selector('body[data-done="1"]', state="attached", timeout=300_000)
        assert page.inner_text("#status").startswith("Done:"), page.inner_text("#status")
        for s in SETTINGS:
            assert page.get_attribute(f"#btn-{s}", "data-state") == "ready", s

        # the text of every version, asked of the API directly (same filters, same settings)
        api = Client(server.url)
        api.login()
        expected_text = {}
        for s in SETTINGS:
            filters = [] if s == "source" else ("binarize" if s == "auto" else f"threshold({s})")
            tid = api.submit("/v5.0/ocr/RecognizeImage", {"image": b64(sample_bytes), "filters": filters, "settings": {
                "language": "English", "makeSkewCorrect": False, "makeContrastCorrection": False,
                "makeBinarization": False, "resultType": "Text"}})
            expected_text[s] = result_text(api.wait("/v5.0/ocr/RecognizeImage", tid))
        api.close()

        shown_src, shown_text = {}, {}
        previous = None
        for s in SETTINGS:
            page.click(f"#btn-{s}")
            assert page.get_attribute(f"#btn-{s}", "aria-pressed") == "true"
            assert page.get_attribute("#view", "data-setting") == s
            src = page.get_attribute("#view", "src")
            text = page.inner_text("#text")
            shown_src[s], shown_text[s] = src, text
            if previous is not None:
                assert src != shown_src[previous], f"the image did not change from {previous} to {s}"
                if expected_text[s].strip() != expected_text[previous].strip():
                    assert text.strip() != shown_text[previous].strip(), f"the text did not change from {previous} to {s}"
            img = data_url_image(src)
            assert np.array_equal(img, expected_image(s, sample)), s
            if s != "source":
                assert set(np.unique(img).tolist()) <= {0, 255}
            assert text.strip() == (expected_text[s].strip() or "(no text found)"), s
            snippet = page.inner_text("#snippet")
            if s == "auto":
                assert "PreprocessingFilter.binarize()" in snippet
            elif s != "source":
                assert f"PreprocessingFilter.threshold({s})" in snippet
            else:
                assert "PreprocessingFilter" not in snippet  # the page as it is
            previous = s
        # the versions really differ: six distinct images, and several distinct texts
        assert len(set(shown_src.values())) == 6
        assert len({t.strip() for t in shown_text.values()}) >= 3, shown_text
        from frontdoor import word_recovery

        truth = ocrprep.data.sample_text()
        assert word_recovery(truth, shown_text["auto"]) >= 0.95
        assert word_recovery(truth, shown_text["50"]) < word_recovery(truth, shown_text["auto"])

        # the snippet for 150 runs as shown and reads the page like the demo did
        page.click("#btn-150")
        code = page.inner_text("#snippet")
        shutil.copyfile(ocrprep.data.sample_path(), tmp_path / "sample.png")
        run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == shown_text["150"].strip()
        saved = sorted((tmp_path / "result").glob("*.png"))
        assert len(saved) == 1 and np.array_equal(ocrprep.imread(saved[0]), expected_image("150", sample))
        assert errors == [], errors
        page.close()


def test_upload_a_generated_page_shows_all_six_versions(chromium, tmp_path):
    """The upload path: a page made here, given to the file input; all six versions appear, each
    the exact image ocrprep computes for it, with the recognised text and the file's name in the snippet."""
    import io

    from PIL import Image

    from frontdoor import text_page, word_recovery

    lines = ["Uploaded pages work too", "seven quiet foxes jump"]
    grey = text_page(lines, size=(760, 200), ink=60, paper=200)
    rgb = np.dstack([grey, grey, np.clip(grey.astype(int) + 25, 0, 255).astype(np.uint8)])  # a bluish page
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG")
    with ServerProcess(tmp_path, "--queue-size", "20", auth=False) as server:
        page = chromium.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/")
        page.wait_for_selector('body[data-auth="false"]', state="attached")
        page.set_input_files("#file", files=[{"name": "upload.png", "mimeType": "image/png", "buffer": buf.getvalue()}])
        page.wait_for_selector('body[data-done="1"]', state="attached", timeout=300_000)
        assert page.inner_text("#status").startswith("Done:"), page.inner_text("#status")
        shown = set()
        for s in SETTINGS:
            assert page.get_attribute(f"#btn-{s}", "data-state") == "ready", s
            page.click(f"#btn-{s}")
            assert page.get_attribute("#view", "data-setting") == s
            src = page.get_attribute("#view", "src")
            shown.add(src)
            assert np.array_equal(data_url_image(src), expected_image(s, rgb)), s
            assert page.get_attribute("#text", "data-setting") == s
            assert '"upload.png"' in page.inner_text("#snippet")
        assert len(shown) == 6
        page.click("#btn-auto")
        assert word_recovery(" ".join(lines), page.inner_text("#text")) >= 0.9, page.inner_text("#text")
        assert errors == [], errors
        page.close()


def test_more_operations_deskew_upscale_and_pdf_download(chromium, tmp_path):
    """Deskew, Upscale 2x and Searchable PDF under "More operations": the images are exactly
    ocrprep.deskew / ocrprep.upscale of the page, and the PDF downloads with the page's text in it."""
    pdfium = pytest.importorskip("pypdfium2")
    import io

    from PIL import Image

    from frontdoor import text_page, word_recovery

    lines = ["Straighten this tilted page", "then read it into a PDF"]
    tilted = ocrprep.rotate(text_page(lines, size=(760, 220)), 3.0)
    buf = io.BytesIO()
    Image.fromarray(tilted).save(buf, "PNG")
    with ServerProcess(tmp_path, auth=False) as server:
        page = chromium.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/")
        page.wait_for_selector('body[data-auth="false"]', state="attached")
        assert page.get_attribute("#tool-deskew", "disabled") is not None  # nothing to work on yet
        page.set_input_files("#file", files=[{"name": "tilted.png", "mimeType": "image/png", "buffer": buf.getvalue()}])
        page.wait_for_selector("#tool-deskew:not([disabled])")

        page.click("#tool-deskew")
        page.wait_for_selector('#tool-view[data-op="deskew"]', state="attached", timeout=120_000)
        assert np.array_equal(data_url_image(page.get_attribute("#tool-view", "src")), ocrprep.deskew(tilted))
        assert page.get_attribute("#tool-download", "download") == "tilted-deskew.png"

        page.click("#tool-upscale")
        page.wait_for_selector('#tool-view[data-op="upscale"]', state="attached", timeout=120_000)
        up = data_url_image(page.get_attribute("#tool-view", "src"))
        assert up.shape == (440, 1520) and np.array_equal(up, ocrprep.upscale(tilted))

        page.click("#tool-pdf")
        page.wait_for_selector("#pdf-download:not([hidden])", timeout=300_000)
        with page.expect_download() as info:
            page.click("#pdf-download")
        download = info.value
        assert download.suggested_filename == "tilted.pdf"
        data = open(download.path(), "rb").read()
        assert data[:5] == b"%PDF-" and len(data) == int(page.get_attribute("#pdf-download", "data-bytes"))
        doc = pdfium.PdfDocument(data)
        assert len(doc) == 1
        assert word_recovery(" ".join(lines), doc[0].get_textpage().get_text_range()) >= 0.8
        assert errors == [], errors
        page.close()
