"""Client *programs* of the official Aspose OCR Cloud SDK run against a real ``ocrprep serve``.

The programs in ``tests/sdk_programs/`` are written the way the SDK's own
``example/*.py`` are: build a request model, POST it, GET the result at once,
``assert response_status_code == 'Ok'`` and ``task_status == 'Completed'``,
decode ``results[0].data``, save it under ``results/``, wait for Enter.  Each
runs in its own Python process, unchanged but for the host and credentials
(environment variables read by ``helpers.configuration``), and must end with
exit status 0 and no ``ApiException``; what it saved is then checked against
ocrprep's own functions.

Also run when present (never needed):

* ``OCRPREP_SDK_EXAMPLES=/path/to/aspose-ocr-cloud-python/example``: the SDK's
  own example programs, copied to a scratch folder next to generated samples
  and run by a driver that only substitutes the configuration;
* ``OCRPREP_SDK_PATHS=dir[:dir...]``: other SDK versions (e.g. a
  ``pip install --target DIR aspose-ocr-cloud==24.8.0``, whose Configuration
  fetches its own token with a multipart POST); every program runs under each
  24.x one, ``sdk_programs/legacy_23.py`` under each 23.x one (``apis.tags``;
  it needs ``frozendict`` in the same folder).

Skipped when the SDK (``aspose-ocr-cloud``, in the ``test`` extra) is not installed.
"""
from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")
pytest.importorskip("aspose_ocr_cloud")

import ocrprep  # noqa: E402
from frontdoor import text_page, word_recovery  # noqa: E402
from servicehelp import CLIENT_ID, CLIENT_SECRET, ServerProcess  # noqa: E402

pytestmark = pytest.mark.slow

PROGRAMS = Path(__file__).resolve().parent / "sdk_programs"
SRC = Path(ocrprep.__file__).resolve().parents[1]
LATIN = ["The quick brown fox jumps over", "the lazy dog near the river"]
MISSPELLED = ["Recogniton of scaned dokuments", "is the frist step"]
SMALL = ["Small print is hard to read", "for the recognition engine"]


def _save(arr, path: Path) -> np.ndarray:
    from PIL import Image

    Image.fromarray(arr).save(path)
    return arr


def make_samples(folder: Path) -> dict:
    """The images the programs read (what the SDK's samples/ folder holds, generated)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    latin = text_page(LATIN, size=(760, 200))
    yy, xx = np.mgrid[0:200, 0:760]
    shaded = np.clip(latin * 0.6 + 80 * xx / 760, 0, 255)
    colour = np.dstack([shaded, shaded * 0.95, shaded * 0.85]).astype(np.uint8)
    samples = {
        "latin": _save(latin, folder / "latin.png"),
        "binarization_latin": _save(colour, folder / "binarization_latin.png"),
        "skew_latin": _save(ocrprep.rotate(text_page(LATIN + ["while five boxing wizards jump"], size=(800, 300)),
                                           4.0), folder / "skew_latin.png"),
        "small_latin": _save(text_page(SMALL, size=(330, 70), font_size=13), folder / "small_latin.png"),
        "misspelled_latin": _save(text_page(MISSPELLED, size=(760, 200)), folder / "misspelled_latin.png"),
    }
    # a page whose lines bend (a book page near the spine), for DewarpImage
    flat = text_page(LATIN + ["while five boxing wizards jump", "quickly over the fence"], size=(800, 400))
    bent = np.full_like(flat, 235)
    for x in range(flat.shape[1]):
        shift = int(round(12 * np.sin(np.pi * x / flat.shape[1])))
        bent[max(0, shift):, x] = flat[:flat.shape[0] - max(0, shift), x]
    samples["curved_latin"] = _save(bent, folder / "curved_latin.png")
    pages = [Image.fromarray(text_page([f"Page {n} of the report"], size=(700, 200), font_size=40))
             for n in ("one", "two", "three")]
    pages[0].save(folder / "three_pages.pdf", "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return samples


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("sdk-programs")) as s:
        yield s


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    return folder, make_samples(folder)


def run_program(script: Path, args, *, server, cwd: Path, samples: Path, sdk_path: str | None = None,
                credentials: bool = True) -> str:
    """Run ``script`` in a new Python process (Enter pressed for every ``input()``); its output."""
    env = {**os.environ, "OCR_HOST": server.url, "OCR_SAMPLES": str(samples), "PYTHONUNBUFFERED": "1"}
    if credentials:
        env.update(OCR_CLIENT_ID=CLIENT_ID, OCR_CLIENT_SECRET=CLIENT_SECRET)
    paths = [p for p in (sdk_path, str(script.parent), str(SRC), env.get("PYTHONPATH")) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    cwd.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, str(script), *args], input="\n" * 40, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Exception when calling" not in out, out
    return out


def saved_png(cwd: Path, prefix: str) -> np.ndarray:
    files = sorted((cwd / "results").glob(f"{prefix}-*.png"))
    assert len(files) == 1, files
    return ocrprep.imread(files[0])


def _legacy(path: str) -> bool:
    """Whether the SDK in ``path`` is of the 23.x generation (``aspose_ocr_cloud.apis.tags``)."""
    return (Path(path) / "aspose_ocr_cloud" / "apis" / "tags").is_dir()


def sdk_paths(legacy: bool = False):
    extra = [p for p in os.environ.get("OCRPREP_SDK_PATHS", "").split(os.pathsep) if p]
    if legacy:
        return [p for p in extra if _legacy(p)] or [pytest.param(None, marks=pytest.mark.skip(
            reason="list a 23.x SDK (pip install --target DIR aspose-ocr-cloud==23.12.0) in OCRPREP_SDK_PATHS"))]
    return [None] + [p for p in extra if not _legacy(p)]


@pytest.fixture(params=sdk_paths(), ids=lambda p: "installed-sdk" if p is None else f"sdk:{Path(p).name}")
def sdk_path(request):
    return request.param


# --------------------------------------------------------------------------- #
# the programs, as a user runs them
# --------------------------------------------------------------------------- #
def test_image_programs(server, samples, sdk_path, tmp_path):
    folder, s = samples
    out = run_program(PROGRAMS / "run.py", ["binarize", "deskew", "upscale", "dewarp"], server=server, cwd=tmp_path,
                      samples=folder, sdk_path=sdk_path)
    assert out.count("Task completed") == 4, out
    # the PNG saved is exactly what ocrprep's function makes of the same file
    assert np.array_equal(saved_png(tmp_path, "binarize"), ocrprep.binarize(ocrprep.imread(
        folder / "binarization_latin.png")))
    assert np.array_equal(saved_png(tmp_path, "deskew"), ocrprep.deskew(s["skew_latin"]))
    assert np.array_equal(saved_png(tmp_path, "upscale"), ocrprep.upscale(s["small_latin"]))
    assert np.array_equal(saved_png(tmp_path, "dewarp"), ocrprep.dewarp(s["curved_latin"]))


def test_recognition_programs(server, samples, sdk_path, tmp_path, tesseract):
    pytest.importorskip("pypdfium2")
    folder, _ = samples
    names = ["recognize", "recognize_pdf_result", "recognize_pdf", "recognize_regions", "detect_regions",
             "recognize_table", "recognize_spellcheck"]
    out = run_program(PROGRAMS / "run.py", names, server=server, cwd=tmp_path, samples=folder, sdk_path=sdk_path)
    assert out.count("Task completed") == len(names), out
    part = dict(zip(names, out.split("== ")[1:]))
    assert word_recovery(" ".join(LATIN), part["recognize"]) >= 0.8, part["recognize"]
    pdfs = list((tmp_path / "results").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes()[:5] == b"%PDF-"
    assert word_recovery(" ".join(LATIN), part["recognize_pdf_result"]) >= 0.8
    for n in ("one", "two", "three"):
        assert f"Page {n}" in part["recognize_pdf"], part["recognize_pdf"]
    assert word_recovery(LATIN[1], part["recognize_regions"]) >= 0.8 and "quick" not in part["recognize_regions"]
    assert '"topLeftX"' in part["detect_regions"]
    assert word_recovery(" ".join(LATIN), part["recognize_table"]) >= 0.6, part["recognize_table"]
    # makeSpellCheck=True: the misspelt page comes back corrected, with no warning
    assert word_recovery("Recognition of scanned documents is the first step", part["recognize_spellcheck"]) >= 0.85
    assert "Warnings" not in part["recognize_spellcheck"], part["recognize_spellcheck"]


def test_image_processing_upload_programs(server, samples, sdk_path, tmp_path):
    folder, _ = samples
    names = ["binarization_file", "skew_correction_file", "upsampling_file", "dewarping_file"]
    out = run_program(PROGRAMS / "run.py", names, server=server, cwd=tmp_path, samples=folder, sdk_path=sdk_path)
    assert out.count("Task completed") == 4, out
    page = ocrprep.imread(folder / "binarization_latin.png")
    assert np.array_equal(saved_png(tmp_path, "binarization_file"), ocrprep.binarize(page))
    assert np.array_equal(saved_png(tmp_path, "upsampling_file"), ocrprep.upscale(page))


def test_trial_program_with_credentials(server, samples, tmp_path, tesseract):
    folder, _ = samples
    out = run_program(PROGRAMS / "run.py", ["recognize_trial"], server=server, cwd=tmp_path, samples=folder)
    assert word_recovery(" ".join(LATIN), out) >= 0.8, out


@pytest.mark.parametrize("legacy_path", sdk_paths(legacy=True), ids=lambda p: f"sdk:{Path(p).name}" if p else "none")
def test_sdk_23_program(legacy_path, server, samples, tmp_path, tesseract):
    """SDK 23.x matches the answers' media types exactly (``application/json; charset=utf-8``)."""
    folder, _ = samples
    out = run_program(PROGRAMS / "legacy_23.py", [], server=server, cwd=tmp_path, samples=folder,
                      sdk_path=legacy_path)
    assert word_recovery(" ".join(LATIN), out) >= 0.8 and "Task completed" in out, out
    assert np.array_equal(saved_png(tmp_path, "binarize"), ocrprep.binarize(ocrprep.imread(
        folder / "binarization_latin.png")))


def test_json_answers_say_their_charset(server):
    """The cloud (ASP.NET) labels JSON ``application/json; charset=utf-8``; clients generated from its
    OpenAPI document (SDK 23.x) compare the whole media type."""
    unknown = {"id": "00000000-0000-0000-0000-000000000000"}
    token = httpx.post(server.url + "/connect/token", data={"grant_type": "client_credentials",
                                                            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    auth = {"Authorization": "Bearer " + token.json()["access_token"]}
    answers = [token, httpx.get(server.url + "/v5.0/ocr/RecognizeImage", params=unknown, headers=auth),
               httpx.get(server.url + "/v5.0/ocr/Utilities/GetTaskStatus", params=unknown, headers=auth),
               httpx.get(server.url + "/v5.0/ocr/RecognizeImage", params={"id": "nope"}, headers=auth),
               httpx.post(server.url + "/v5.0/ocr/BinarizeImage", json={"image": "AAAA"}),  # 401
               httpx.get(server.url + "/health")]
    for r in answers:
        assert r.headers["content-type"] == "application/json; charset=utf-8", (r.request.url, r.headers)
    r = httpx.post(server.url + "/v5.0/ocr/BinarizeImage", headers=auth, json={"image": base64.b64encode(
        (Path(__file__).parent / "sdk_programs" / "README.md").read_bytes()).decode()})
    assert r.status_code == 400 and r.headers["content-type"] == "application/json; charset=utf-8"


# --------------------------------------------------------------------------- #
# the SDK's own example folder, when a checkout of it is given
# --------------------------------------------------------------------------- #
_DRIVER = '''
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # ocrprep's configuration helper (host and credentials only)
import importlib
helpers.make_results_folder()
config = helpers.configuration()
module = importlib.import_module(sys.argv[1])
demo = next(getattr(module, n) for n in dir(module) if n.startswith("run_") and n.endswith("_demo"))
demo(config)
'''


def official_examples():
    folder = os.environ.get("OCRPREP_SDK_EXAMPLES")
    if not folder or not Path(folder).is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="set OCRPREP_SDK_EXAMPLES to the SDK's example/ folder to run its programs"))]
    return sorted(p.stem for p in Path(folder).glob("*_examples.py"))


@pytest.mark.parametrize("example", official_examples())
def test_official_sdk_example_programs(example, server, tmp_path, tesseract):
    """Each of the SDK's example programs, unchanged, with only the configuration substituted.
    Text-to-speech is not an OCR operation: ocrprep answers 501, which those programs print."""
    src = Path(os.environ["OCRPREP_SDK_EXAMPLES"])
    work = tmp_path / "example"
    shutil.copytree(src, work)
    shutil.copy(PROGRAMS / "helpers.py", work / "helpers_ocrprep.py")
    (work / "drive_ocrprep.py").write_text(_DRIVER.replace("import helpers ", "import helpers_ocrprep as helpers "))
    make_samples(tmp_path / "samples")  # the programs read ../samples/ next to their folder
    env = {**os.environ, "OCR_HOST": server.url, "OCR_CLIENT_ID": CLIENT_ID, "OCR_CLIENT_SECRET": CLIENT_SECRET,
           "PYTHONPATH": os.pathsep.join([str(work), str(SRC)])}
    proc = subprocess.run([sys.executable, str(work / "drive_ocrprep.py"), example], input="\n" * 10,
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    if "speech" in example:
        assert "(501)" in out and "NotImplemented" in out, out
    else:
        assert "Exception when calling" not in out and "Task completed" in out, out


# --------------------------------------------------------------------------- #
# the token request of SDK 24.8 (its Configuration posts it itself)
# --------------------------------------------------------------------------- #
def test_sdk_24_8_token_request(server):
    """SDK 24.8's ``Configuration.get_token``: urllib3 ``request(..., fields=...)`` (a multipart body)
    with a misspelt ``ContentType`` header; the reply must carry ``access_token``."""
    import json

    import urllib3

    http = urllib3.PoolManager()
    headers = {"ContentType": "application/x-www-form-urlencoded", "Accept": "application/json;charset=UTF-8"}
    fields = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "client_credentials"}
    r = http.request("POST", server.url + "/connect/token", headers=headers, fields=fields)
    assert r.status == 200, r.data
    token = json.loads(r.data)["access_token"]
    check = httpx.get(server.url + "/v5.0/ocr/BinarizeImage", params={"id": "00000000-0000-0000-0000-000000000000"},
                      headers={"Authorization": f"Bearer {token}"})
    assert check.status_code == 200 and check.json()["taskStatus"] == "NotExist"
