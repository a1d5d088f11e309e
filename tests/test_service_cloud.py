"""The Aspose OCR Cloud v5 SDK's operations against a real ``ocrprep serve`` (uvicorn on 127.0.0.1).

Requests are shaped exactly as the official Python SDK (aspose-ocr-cloud-python, 24.x) serialises
them: its models' ``to_dict()`` (aliases such as ``makeSkewCorrect`` and ``Rotate``, ``None``
fields left out, the models' own defaults sent), ``Content-Type: application/json`` and
``Accept: text/plain`` for the POSTs, ``Accept: application/json`` for the GETs, a multipart
``file`` part for the ImageProcessing uploads and a multipart token request (SDK 24.8).

* the GET that waits: POST then GET at once -> Ok/Completed, as the SDK's example programs assert;
* DeskewImage == ocrprep.deskew, UpscaleImage == ocrprep.upscale, PostBinarizationFile ==
  ocrprep.binarize, GetResultTask / GetResultFile, DewarpImage's warnings;
* RecognizePdf (3 pages -> 3 pages of text; a searchable 3-page PDF), RecognizeRegions,
  DetectRegions, every ResultType value, RecognizeTable;
* cancel (DELETE): a pending task never runs, and stays cancelled after kill -9 and a restart;
* the operations ocrprep does not provide: 501 with the JSON error body.
"""
from __future__ import annotations

import base64
import io
import json
import threading

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import ocrprep  # noqa: E402
from frontdoor import text_page, word_recovery  # noqa: E402
from servicehelp import CLIENT_ID, CLIENT_SECRET, Client, ServerProcess, b64, page, png_bytes  # noqa: E402

pytestmark = pytest.mark.slow

SDK_UA = "OpenAPI-Generator/24.8.0/python"
POST_HEADERS = {"Content-Type": "application/json", "Accept": "text/plain", "User-Agent": SDK_UA}
GET_HEADERS = {"Accept": "application/json", "User-Agent": SDK_UA}
#: what the SDK's OCRSettingsRecognizePdf / Regions / Table / DetectRegions send when only the
#: given fields are set (their non-None defaults; None fields are left out)
SETTINGS_DEFAULTS = {"makeSkewCorrect": True, "makeSpellCheck": False, "makeContrastCorrection": False,
                     "makeBinarization": True, "makeUpsampling": False}
# a Preprocess that keeps a one-worker server busy (~1.5 s; a request holds 64 filters at most, so the
# medians run on the page enlarged 2x)
SLOW = ",".join(["scale(2)"] + ["median(15)"] * 31 + ["scale(0.5)"])


class Sdk(Client):
    """The SDK's requests, over httpx."""

    def login_multipart(self):
        r = self.http.post("/connect/token", files={"grant_type": (None, "client_credentials"),
                                                     "client_id": (None, CLIENT_ID),
                                                     "client_secret": (None, CLIENT_SECRET)})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        return self.token

    def post_op(self, op: str, body: dict) -> str:
        r = self.http.post(f"/v5.0/ocr/{op}", content=json.dumps(body), headers={**POST_HEADERS, **self.headers()})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/plain")
        return r.text

    def get_op(self, op: str, task_id: str) -> dict:
        r = self.http.get(f"/v5.0/ocr/{op}", params={"id": task_id}, headers={**GET_HEADERS, **self.headers()})
        assert r.status_code == 200, r.text
        return r.json()

    def delete_op(self, op: str, task_id: str) -> httpx.Response:
        return self.http.delete(f"/v5.0/ocr/{op}", params={"id": task_id}, headers={"User-Agent": SDK_UA,
                                                                                     **self.headers()})

    def post_file(self, op: str, data: bytes, name="page.png") -> str:
        r = self.http.post(f"/v5.0/ocr/ImageProcessing/{op}", files={"file": (name, data, "image/png")},
                           headers={"Accept": "text/plain", "User-Agent": SDK_UA, **self.headers()})
        assert r.status_code == 200, r.text
        return r.text


def ok(env: dict) -> dict:
    assert env["taskStatus"] == "Completed" and env["responseStatusCode"] == "Ok", env
    return env


def image_of(env: dict, index: int = 0) -> np.ndarray:
    assert env["results"][index]["type"] == "ImagePNG"
    return ocrprep.imread(base64.b64decode(env["results"][index]["data"]))


def text_of(env: dict, kind: str = "Text") -> str:
    entry = next(r for r in env["results"] if r["type"] == kind)
    return base64.b64decode(entry["data"]).decode("utf-8")


def skewed_page():
    img = text_page(["The quick brown fox jumps over", "the lazy dog near the river bank", "while five boxing",
                     "wizards jump quickly"], size=(800, 400))
    return ocrprep.rotate(img, 4.0)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("cloud")) as s:
        yield s


@pytest.fixture()
def sdk(server):
    c = Sdk(server.url)
    c.login_multipart()
    yield c
    c.close()


# --------------------------------------------------------------------------- #
# token forms, the GET that waits
# --------------------------------------------------------------------------- #
def test_token_accepts_form_multipart_and_json(server):
    c = Sdk(server.url)
    form = c.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                "client_secret": CLIENT_SECRET})
    multi = c.http.post("/connect/token", files={"grant_type": (None, "client_credentials"),
                                                  "client_id": (None, CLIENT_ID), "client_secret": (None, CLIENT_SECRET)})
    as_json = c.http.post("/connect/token", json={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                   "client_secret": CLIENT_SECRET})
    for r in (form, multi, as_json):
        assert r.status_code == 200 and r.json()["token_type"] == "Bearer", r.text
        assert c.http.get("/v5.0/ocr/BinarizeImage", params={"id": "00000000-0000-0000-0000-000000000000"},
                          headers={"Authorization": "Bearer " + r.json()["access_token"]}).status_code == 200
    bad = c.http.post("/connect/token", files={"grant_type": (None, "client_credentials"),
                                                "client_id": (None, CLIENT_ID), "client_secret": (None, "wrong-secret")})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    garbled = c.http.post("/connect/token", content=b"--x\r\nnot multipart",
                          headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    assert garbled.status_code == 400 and garbled.json()["error"] == "invalid_request"
    c.close()


def test_get_right_after_post_is_completed(sdk):
    """The SDK's example programs: POST, GET at once, assert Ok / Completed."""
    img = page(3)
    tid = sdk.post_op("BinarizeImage", {"image": b64(png_bytes(img))})
    env = ok(sdk.get_op("BinarizeImage", tid))
    assert np.array_equal(image_of(env), ocrprep.binarize(img))
    # GetTaskStatus answers at once (that is how pollers look): it never waits
    assert sdk.get_op("Utilities/GetTaskStatus", tid)["taskStatus"] == "Completed"


# --------------------------------------------------------------------------- #
# image operations
# --------------------------------------------------------------------------- #
def test_deskew_upscale_dewarp_images(sdk):
    skewed = skewed_page()
    tid = sdk.post_op("DeskewImage", {"image": b64(png_bytes(skewed))})
    assert np.array_equal(image_of(ok(sdk.get_op("DeskewImage", tid))), ocrprep.deskew(skewed))

    small = page(5, (120, 160))
    tid = sdk.post_op("UpscaleImage", {"image": b64(png_bytes(small))})
    up = image_of(ok(sdk.get_op("UpscaleImage", tid)))
    assert up.shape == (240, 320) and np.array_equal(up, ocrprep.upscale(small))

    tid = sdk.post_op("DewarpImage", {"image": b64(png_bytes(skewed))})
    env = ok(sdk.get_op("DewarpImage", tid))
    flat, notes = ocrprep.dewarp(skewed, return_warnings=True)
    assert np.array_equal(image_of(env), flat)
    assert env["error"]["warnings"] == notes and "approximation" in env["error"]["warnings"][0]
    # a task is fetched from its own operation (or GetResultTask), not another one
    other = sdk.get_op("UpscaleImage", tid)
    assert other["taskStatus"] == "NotExist" and "DewarpImage" in other["error"]["messages"][0]


def test_image_processing_file_uploads_and_results(sdk):
    img = page(7)
    skewed = skewed_page()
    cases = [("PostBinarizationFile", img, ocrprep.binarize(img)),
             ("PostSkewCorrectionFile", skewed, ocrprep.deskew(skewed)),
             ("PostUpsamplingImageFile", img, ocrprep.upscale(img)),
             ("PostUpsamplingFile", img, ocrprep.upscale(img)),
             ("PostDewarpingFile", skewed, ocrprep.dewarp(skewed))]
    for op, src, expected in cases:
        tid = sdk.post_file(op, png_bytes(src))
        env = ok(sdk.get_op("ImageProcessing/GetResultTask", tid))
        assert np.array_equal(image_of(env), expected), op
        r = sdk.http.get("/v5.0/ocr/ImageProcessing/GetResultFile", params={"id": tid},
                         headers={"Accept": "image/png", **sdk.headers()})
        assert r.status_code == 200 and r.headers["content-type"] == "image/png", op
        assert "attachment" in r.headers["content-disposition"]
        assert np.array_equal(ocrprep.imread(r.content), expected), op
    # the binarization upload is also fetched from BinarizeImage, like a JSON one
    tid = sdk.post_file("PostBinarizationFile", png_bytes(img))
    assert np.array_equal(image_of(ok(sdk.get_op("BinarizeImage", tid))), ocrprep.binarize(img))
    # bad uploads: JSON errors
    h = sdk.headers()
    no_file = sdk.http.post("/v5.0/ocr/ImageProcessing/PostBinarizationFile", files={"other": ("x.png", b"abc")},
                            headers=h)
    assert no_file.status_code == 400 and no_file.json()["code"] == "MissingFile"
    corrupt = sdk.http.post("/v5.0/ocr/ImageProcessing/PostSkewCorrectionFile",
                            files={"file": ("x.png", png_bytes(img)[:200])}, headers=h)
    assert corrupt.status_code == 400 and corrupt.json()["code"] == "CorruptImage"
    missing = sdk.http.get("/v5.0/ocr/ImageProcessing/GetResultFile",
                           params={"id": "00000000-0000-0000-0000-000000000001"}, headers=h)
    assert missing.status_code == 404 and missing.json()["code"] == "TaskNotFound"


# --------------------------------------------------------------------------- #
# recognitions
# --------------------------------------------------------------------------- #
PAGES = [["Page one alpha", "first sheet of paper"], ["Page two bravo", "second sheet of paper"],
         ["Page three charlie", "third sheet of paper"]]


def three_page_pdf() -> bytes:
    from PIL import Image

    ims = [Image.fromarray(text_page(lines, size=(850, 400), font_size=40)) for lines in PAGES]
    buf = io.BytesIO()
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=150)
    return buf.getvalue()


def test_recognize_pdf_every_page_and_searchable_pdf(sdk, tesseract):
    pytest.importorskip("pypdfium2")
    import pypdfium2 as pdfium

    body = {"image": b64(three_page_pdf()),
            "settings": {"language": "English", "resultType": "TextAndPdf", **SETTINGS_DEFAULTS}}
    tid = sdk.post_op("RecognizePdf", body)
    env = ok(sdk.get_op("RecognizePdf", tid))
    assert [r["type"] for r in env["results"]] == ["Text", "Pdf"]
    pages = text_of(env).split("\f")
    assert len(pages) == 3
    for text, lines in zip(pages, PAGES):
        assert word_recovery(" ".join(lines), text) >= 0.8, (text, lines)
    pdf = pdfium.PdfDocument(base64.b64decode(text_of_bytes(env, "Pdf")))
    assert len(pdf) == 3
    for i, lines in enumerate(PAGES):
        found = pdf[i].get_textpage().get_text_range()
        assert word_recovery(" ".join(lines), found) >= 0.8, found  # searchable: the text layer is there
    # JSON of several pages: {"pages": [...]}
    tid = sdk.post_op("RecognizePdf", {"image": body["image"], "settings": {"resultType": "JSON",
                                                                            **SETTINGS_DEFAULTS}})
    data = json.loads(text_of(ok(sdk.get_op("RecognizePdf", tid)), "JSON"))
    assert [p["page"] for p in data["pages"]] == [1, 2, 3]
    # an image is not a PDF
    r = sdk.http.post("/v5.0/ocr/RecognizePdf", json={"image": b64(png_bytes(page(1))), "settings": SETTINGS_DEFAULTS},
                      headers=sdk.headers())
    assert r.status_code == 400 and r.json()["code"] == "UnsupportedFormat"


def text_of_bytes(env, kind):
    return next(r for r in env["results"] if r["type"] == kind)["data"]


def test_every_result_type_of_the_sdk_enum(sdk, tesseract):
    pytest.importorskip("pypdfium2")
    lines = ["Every result type works", "for the same small page"]
    img = text_page(lines, size=(700, 200))
    expected = {"Text": ["Text"], "Pdf": ["Pdf"], "TextAndPdf": ["Text", "Pdf"], "Hocr": ["Hocr"],
                "TextAndHocr": ["Text", "Hocr"], "PdfAndHocr": ["Pdf", "Hocr"],
                "TextAndPdfAndHocr": ["Text", "Pdf", "Hocr"], "ImagePNG": ["ImagePNG"], "JSON": ["JSON"]}
    ids = {}
    for rtype in expected:  # the OCRSettingsRecognizeImage of the SDK's example program
        ids[rtype] = sdk.post_op("RecognizeImage", {"image": b64(png_bytes(img)), "settings": {
            "language": "English", "makeSkewCorrect": False, "makeBinarization": False, "makeSpellCheck": False,
            "makeContrastCorrection": False, "makeUpsampling": False, "dsrMode": "NoDsrNoFilter",
            "dsrConfidence": "Default", "resultType": rtype}})
    for rtype, kinds in expected.items():
        env = ok(sdk.get_op("RecognizeImage", ids[rtype]))
        assert [r["type"] for r in env["results"]] == kinds, rtype
        for r in env["results"]:
            data = base64.b64decode(r["data"])
            if r["type"] == "Text":
                assert word_recovery(" ".join(lines), data.decode()) >= 0.8
            elif r["type"] == "Pdf":
                assert data[:5] == b"%PDF-"
            elif r["type"] == "Hocr":
                assert b"ocr_page" in data and b"ocrx_word" in data
            elif r["type"] == "ImagePNG":
                assert ocrprep.imread(data).shape == img.shape
            else:
                assert word_recovery(" ".join(lines), json.loads(data)["text"]) >= 0.8


def test_recognize_regions_reads_only_the_rectangles(sdk, tesseract):
    img = text_page(["Alpha bravo charlie delta", "Echo foxtrot golf hotel", "India juliet kilo lima"],
                    size=(800, 220), font_size=30)
    # rows: 30.., 78.., 126.. (font 30, 1.6 spacing); regions in reverse order by their "order"
    regions = [{"rect": {"topLeftX": 10, "topLeftY": 118, "bottomRightX": 790, "bottomRightY": 170}, "order": 2},
               {"rect": {"topLeftX": 10, "topLeftY": 22, "bottomRightX": 790, "bottomRightY": 74}, "order": 1}]
    tid = sdk.post_op("RecognizeRegions", {"image": b64(png_bytes(img)), "settings": {
        "language": "English", "resultType": "Text", "regions": regions, **SETTINGS_DEFAULTS}})
    text = text_of(ok(sdk.get_op("RecognizeRegions", tid)))
    got = text.split("\n")
    assert word_recovery("Alpha bravo charlie delta", got[0]) >= 0.75, text
    assert word_recovery("India juliet kilo lima", got[1]) >= 0.75, text
    assert word_recovery("Echo foxtrot golf hotel", text) == 0, text  # the middle line was not asked for
    bad = sdk.http.post("/v5.0/ocr/RecognizeRegions", json={"image": b64(png_bytes(img)), "settings": {
        "regions": [{"rect": {"topLeftX": 900, "topLeftY": 0, "bottomRightX": 950, "bottomRightY": 10}}]}},
        headers=sdk.headers())
    assert bad.status_code == 400 and "outside" in bad.json()["detail"]


def test_detect_regions_finds_the_text_areas(sdk, tesseract):
    img = np.full((500, 900), 235, np.uint8)
    img[20:150] = text_page(["Top block of text here", "with a second line"], size=(900, 130), font_size=30)
    img[330:460] = text_page(["Bottom block far below", "closing the page"], size=(900, 130), font_size=30)
    tid = sdk.post_op("DetectRegions", {"image": b64(png_bytes(img)), "settings": {"language": "English",
                                                                                   **SETTINGS_DEFAULTS}})
    env = ok(sdk.get_op("DetectRegions", tid))
    regions = json.loads(text_of(env, "JSON"))["regions"]
    assert len(regions) >= 2
    rects = [r["rect"] for r in regions]
    # every rectangle holds ink, and between them they cover both blocks and nothing of the gap
    for r in rects:
        assert r["topLeftX"] < r["bottomRightX"] and r["topLeftY"] < r["bottomRightY"]
        assert (img[r["topLeftY"]:r["bottomRightY"], r["topLeftX"]:r["bottomRightX"]] < 128).any()
    assert any(r["topLeftY"] < 100 for r in rects) and any(r["topLeftY"] > 300 for r in rects)
    assert not any(160 < r["topLeftY"] < 320 for r in rects)
    # the rectangles feed RecognizeRegions as they are
    tid = sdk.post_op("RecognizeRegions", {"image": b64(png_bytes(img)), "settings": {
        "resultType": "Text", "regions": [{"rect": r["rect"], "order": r["order"]} for r in regions],
        **SETTINGS_DEFAULTS}})
    text = text_of(ok(sdk.get_op("RecognizeRegions", tid)))
    assert word_recovery("Top block of text here with a second line Bottom block far below closing the page",
                         text) >= 0.75, text


def test_recognize_table(sdk, tesseract):
    from ocrprep.ocr import RecognitionSettings

    if "detect_areas_mode" not in RecognitionSettings.__dataclass_fields__:
        pytest.skip("this build of ocrprep has no table mode (RecognitionSettings.detect_areas_mode)")
    from PIL import Image, ImageDraw

    from frontdoor import font

    cells = [["Name", "Qty"], ["apple", "12"], ["pear", "7"]]
    im = Image.new("L", (700, 320), 255)
    d = ImageDraw.Draw(im)
    for i in range(4):  # a ruled 3 x 2 table
        d.rectangle([20, 20 + 90 * i, 680, 22 + 90 * i], fill=0)
    for x in (20, 350, 678):
        d.rectangle([x, 20, x + 2, 292], fill=0)
    for r, row in enumerate(cells):
        for c, word in enumerate(row):
            d.text((50 + 330 * c, 45 + 90 * r), word, fill=0, font=font(32))
    img = np.asarray(im).copy()
    tid = sdk.post_op("RecognizeTable", {"image": b64(png_bytes(img)), "settings": {
        "language": "English", "resultTypeTable": "Csv", **SETTINGS_DEFAULTS}})
    csv_text = text_of(ok(sdk.get_op("RecognizeTable", tid)), "Csv")
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    assert len(rows) == 3 and word_recovery("Name Qty apple 12 pear 7", csv_text) >= 0.8, csv_text
    assert all(len(row) == 2 for row in rows)
    # Text: tab-separated rows; CsvAndExcel: both, the workbook holding the same cells
    tid = sdk.post_op("RecognizeTable", {"image": b64(png_bytes(img)), "settings": {
        "language": "English", "resultTypeTable": "Text", **SETTINGS_DEFAULTS}})
    assert [line.split("\t") for line in text_of(ok(sdk.get_op("RecognizeTable", tid))).splitlines()] == rows
    pytest.importorskip("openpyxl")
    import openpyxl

    tid = sdk.post_op("RecognizeTable", {"image": b64(png_bytes(img)), "settings": {
        "language": "English", "resultTypeTable": "CsvAndExcel", **SETTINGS_DEFAULTS}})
    env = ok(sdk.get_op("RecognizeTable", tid))
    assert [r["type"] for r in env["results"]] == ["Csv", "Excel"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(text_of_bytes(env, "Excel"))))
    cells_read = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert word_recovery("Name Qty apple 12 pear 7", " ".join(cells_read)) >= 0.8, cells_read


# --------------------------------------------------------------------------- #
# 501, cancel
# --------------------------------------------------------------------------- #
NOT_PROVIDED = ["ConvertTextToSpeech", "ConvertTextToSpeechTrial", "TextToSpeech/PostTextToSpeech",
                "TextToSpeech/GetTextToSpeechResult", "TextToSpeech/GetTextToSpeechResultFile",
                "RecognizeAndParseInvoice", "IdentifyFont", "DjVu2PDF", "RecognizeLabel", "RecognizeReceipt"]


def test_operations_outside_scope_answer_501_with_the_error_body(sdk):
    for op in NOT_PROVIDED:
        for method in ("POST", "GET", "DELETE"):
            r = sdk.http.request(method, f"/v5.0/ocr/{op}", params={"id": "00000000-0000-0000-0000-000000000000"},
                                 json={"image": "AAAA"} if method == "POST" else None, headers=sdk.headers())
            assert r.status_code == 501, (op, method, r.status_code)
            body = r.json()
            assert body["status"] == 501 and body["code"] == "NotImplemented", body
            assert body["error"]["messages"] == [body["detail"]] and "ocrprep" in body["detail"]
    r = sdk.http.get("/v5.0/ocr/NoSuchOperation", headers=sdk.headers())
    assert r.status_code == 404 and r.json()["code"] == "NotFound"  # unknown paths stay 404


def _log_tasks(server, event):
    return {r.get("task") for r in server.log_records() if r.get("event") == event}


def test_cancelled_pending_task_never_runs_even_after_kill_9(tmp_path):
    server = ServerProcess(tmp_path, "--workers", "1", "--spare-after", "0").start()  # (no spare: victims wait)
    c = Sdk(server.url)
    c.login_multipart()
    img = page(11, (600, 800))
    busy = c.post_op("Preprocess", {"image": b64(png_bytes(img)), "filters": SLOW})
    victims = [c.post_op(op, {"image": b64(png_bytes(img))}) for op in ("BinarizeImage", "DeskewImage", "UpscaleImage")]
    kept = c.post_op("BinarizeImage", {"image": b64(png_bytes(img))})
    envs = {}
    for tid, op in zip(victims, ("BinarizeImage", "DeskewImage", "UpscaleImage")):
        r = c.delete_op(op, tid)
        assert r.status_code == 200, r.text
        envs[tid] = r.json()
    for tid, env in envs.items():
        assert env["taskStatus"] == "Error" and env["responseStatusCode"] == "Error", env
        assert "cancelled" in env["error"]["messages"][0]
    assert c.get_op("BinarizeImage", victims[0])["taskStatus"] == "Error"  # no wait: it is over
    server.kill()  # kill -9 while the slow task may still run
    server.start()
    c = Sdk(server.url)
    c.login_multipart()
    assert ok(c.get_op("Preprocess", busy)) and ok(c.get_op("BinarizeImage", kept))
    for tid, op in zip(victims, ("BinarizeImage", "DeskewImage", "UpscaleImage")):
        env = c.get_op(op, tid)
        assert env["taskStatus"] == "Error" and "cancelled" in env["error"]["messages"][0], env
        assert env["results"] is None
    finished = _log_tasks(server, "task finished")
    assert busy in finished and kept in finished
    assert not finished & set(victims)  # no worker ever started them, before or after the restart
    assert _log_tasks(server, "task cancelled") == set(victims)
    health = c.http.get("/health", headers=c.headers()).json()
    assert health["queue"]["cancelled"] == 3 and health["queue"]["active"] == 0
    # cancelling a finished task changes nothing; an unknown id reads as NotExist
    assert c.delete_op("BinarizeImage", kept).json()["taskStatus"] == "Completed"
    assert c.delete_op("BinarizeImage", "00000000-0000-0000-0000-000000000002").json()["taskStatus"] == "NotExist"
    c.close()
    server.stop()


def test_running_task_finishes_when_cancelled_and_health_answers_while_gets_wait(tmp_path):
    with ServerProcess(tmp_path, "--workers", "1", "--result-wait", "60s") as server:
        c = Sdk(server.url)
        c.login_multipart()
        img = page(12, (600, 800))
        slow = [c.post_op("Preprocess", {"image": b64(png_bytes(img)), "filters": SLOW}) for _ in range(3)]
        results, threads = {}, []
        for tid in slow:  # three clients waiting on GETs: no thread of the server is held by them
            def wait(tid=tid):
                wc = Sdk(server.url, token=c.token, timeout=120)
                results[tid] = wc.get_op("Preprocess", tid)
                wc.close()
            threads.append(threading.Thread(target=wait))
            threads[-1].start()
        seen_waiting = 0
        for _ in range(200):  # /health answers while they wait
            h = c.http.get("/health", headers=c.headers(), timeout=10)
            assert h.status_code == 200
            seen_waiting = max(seen_waiting, h.json()["queue"]["waiting_requests"])
            if seen_waiting >= 2:
                break
        assert seen_waiting >= 2
        status = c.get_op("Utilities/GetTaskStatus", slow[0])["taskStatus"]
        r = c.delete_op("Preprocess", slow[0])  # running (or already done): it finishes
        assert r.status_code == 200 and r.json()["taskStatus"] in ("Processing", "Completed"), (status, r.text)
        for t in threads:
            t.join(120)
        for tid in slow:
            assert results[tid]["taskStatus"] == "Completed", results[tid]
        c.close()


def test_result_wait_zero_keeps_answering_at_once(tmp_path):
    # (--spare-after 0: no spare worker, the BinarizeImage waits behind the slow task)
    with ServerProcess(tmp_path, "--workers", "1", "--result-wait", "0", "--spare-after", "0") as server:
        c = Sdk(server.url)
        c.login_multipart()
        img = page(13, (600, 800))
        first = c.post_op("Preprocess", {"image": b64(png_bytes(img)), "filters": SLOW})
        second = c.post_op("BinarizeImage", {"image": b64(png_bytes(img))})
        env = c.get_op("BinarizeImage", second)  # queued behind the slow task: not ready, answered at once
        assert env["taskStatus"] in ("Pending", "Processing") and env["responseStatusCode"] == "NotReady"
        assert env["results"] is None
        c.wait("/v5.0/ocr/Preprocess", first, timeout=120)
        ok(c.wait("/v5.0/ocr/BinarizeImage", second, timeout=120))
        c.close()
