"""What a cloud client hits beyond the happy path (the cloud-audit of issue 12), each found by
running real client requests against ``ocrprep serve``:

* ``makeSpellCheck`` corrects the recognised text (ocrprep.spellcheck), in every result type;
  a language without a dictionary is a 400, a server without the ``spell`` extra a 503;
* ``makeUpsampling`` enlarges with :func:`ocrprep.upscale` (not bilinear);
* enum strings (``dsrMode``, ``dsrConfidence``) outside the SDK's enums are a 400 naming the values;
* ``regions`` in RecognizeImage's settings (the SDK's model has them) reads only those rectangles;
* base64 without its ``=`` padding, or in the URL-safe alphabet, is read;
* error bodies carry RFC 7807's ``title`` (the SDK's ProblemDetails reads it);
* the SDK's language names with Tesseract data are mapped, the others refused by name;
* a multi-page TIFF sent to RecognizeImage says that only its first page was read.
"""
from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

import ocrprep  # noqa: E402
from frontdoor import text_page, word_recovery  # noqa: E402
from ocrprep.service import operations  # noqa: E402
from ocrprep.service import tasks as stasks  # noqa: E402
from servicehelp import CLIENT_ID, CLIENT_SECRET, ServerProcess, b64, png_bytes  # noqa: E402

LIMITS = {"max_bytes": 1 << 22, "max_pixels": 40_000_000}
MISSPELLED = ["Recogniton of scaned dokuments", "is the frist step"]
CORRECT = "Recognition of scanned documents is the first step"


def _err(fn, body, **kw):
    with pytest.raises(stasks.RequestError) as e:
        fn(body, **{**LIMITS, **kw})
    return e.value


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("audit")) as s:
        yield s


@pytest.fixture(scope="module")
def http(server):
    token = httpx.post(server.url + "/connect/token", data={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
    with httpx.Client(base_url=server.url, timeout=120,
                      headers={"Authorization": f"Bearer {token['access_token']}"}) as c:
        yield c


def run(http, op: str, body) -> dict:
    r = http.post(f"/v5.0/ocr/{op}", json=body)
    assert r.status_code == 200, r.text
    env = http.get(f"/v5.0/ocr/{op}", params={"id": r.text}).json()
    assert env["taskStatus"] == "Completed", env
    return env


def texts(env: dict) -> dict:
    return {r["type"]: base64.b64decode(r["data"]).decode("utf-8") for r in env["results"] if r["type"] != "Pdf"}


# --------------------------------------------------------------------------- #
# makeSpellCheck
# --------------------------------------------------------------------------- #
def test_spell_check_language_and_extra_are_checked_up_front(monkeypatch):
    pytest.importorskip("symspellpy")
    img = b64(png_bytes(text_page(MISSPELLED, size=(760, 200))))
    sub = stasks.parse_recognize({"image": img, "settings": {"makeSpellCheck": True}}, **LIMITS, languages=["eng"])
    assert sub.params["spellCheck"] is True and sub.params["spellLanguage"] == "ENG"
    sub = stasks.parse_recognize({"image": img, "settings": {"makeSpellCheck": True, "language": "German"}},
                                 **LIMITS, languages=["eng", "deu"])
    assert sub.params["spellLanguage"] == "DEU"
    e = _err(stasks.parse_recognize, {"image": img, "settings": {"makeSpellCheck": True, "language": "Russian"}},
             languages=["eng", "rus"])
    assert e.status == 400 and e.code == "InvalidSettings" and "no spell-check dictionary" in str(e)
    assert "ENG" in str(e) and "makeSpellCheck to false" in str(e)

    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "symspellpy" else real(name, *a))
    e = _err(stasks.parse_recognize, {"image": img, "settings": {"makeSpellCheck": True}}, languages=["eng"])
    assert e.status == 503 and e.code == "SpellCheckUnavailable" and "ocrprep[spell]" in str(e)
    # without makeSpellCheck nothing is asked of the extra
    assert stasks.parse_recognize({"image": img}, **LIMITS, languages=["eng"]).params["spellCheck"] is False


@pytest.mark.slow
def test_spell_check_corrects_every_result_type(http, tesseract):
    pytest.importorskip("symspellpy")
    img = b64(png_bytes(text_page(MISSPELLED, size=(760, 200))))
    settings = {"language": "English", "makeSkewCorrect": False, "makeSpellCheck": True,
                "resultType": "TextAndHocr"}
    env = run(http, "RecognizeImage", {"image": img, "settings": settings})
    got = texts(env)
    assert word_recovery(CORRECT, got["Text"]) >= 0.85, got["Text"]
    assert "Recognition" in got["Hocr"] and "Recogniton" not in got["Hocr"]
    assert not (env.get("error") or {}).get("warnings")
    plain = texts(run(http, "RecognizeImage", {"image": img, "settings": {**settings, "makeSpellCheck": False}}))
    assert word_recovery(CORRECT, plain["Text"]) < 0.7, plain  # the page really is misspelt
    got = json.loads(texts(run(http, "RecognizeImage", {"image": img, "settings": {
        **settings, "resultType": "JSON"}}))["JSON"])
    assert "Recognition" in json.dumps(got)
    env = run(http, "RecognizeRegions", {"image": img, "settings": {**settings, "resultType": "Text", "regions": [
        {"rect": {"topLeftX": 0, "topLeftY": 0, "bottomRightX": 760, "bottomRightY": 75}, "order": 0}]}})
    assert "Recognition" in texts(env)["Text"], env


# --------------------------------------------------------------------------- #
# makeUpsampling
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_upsampling_is_ocrprep_upscale(http, tesseract):
    img = text_page(["Small print is hard", "to read for OCR"], size=(300, 80), font_size=14)
    env = run(http, "RecognizeImage", {"image": b64(png_bytes(img)), "settings": {
        "makeSkewCorrect": False, "makeContrastCorrection": False, "makeUpsampling": True,
        "resultType": "ImagePNG"}})
    seen = ocrprep.imread(base64.b64decode(env["results"][0]["data"]))  # the page Tesseract read
    assert seen.shape == (160, 600)
    assert np.array_equal(seen, ocrprep.upscale(img))
    assert not np.array_equal(seen, ocrprep.scale(img, 2.0))  # the bilinear enlargement it was


def test_upscale_filter_matches_the_function():
    img = text_page(["Small print"], size=(120, 40), font_size=14)
    from ocrprep.filters import PreprocessingFilter

    assert np.array_equal(PreprocessingFilter([PreprocessingFilter.upscale()]).apply(img), ocrprep.upscale(img))
    assert np.array_equal(PreprocessingFilter.from_spec("upscale(sharpen=0)").apply(img),
                          ocrprep.upscale(img, sharpen=0))
    sub = stasks.parse_recognize({"image": b64(png_bytes(img)), "settings": {"makeUpsampling": True}}, **LIMITS)
    settings, _ = stasks.recognition_settings(sub.params)
    assert [f.name for f in settings.preprocessing_filters] == ["contrast_correction", "upscale"]


# --------------------------------------------------------------------------- #
# enum strings
# --------------------------------------------------------------------------- #
def test_enum_settings_outside_the_sdk_enums_are_refused_by_name():
    sdk = pytest.importorskip("aspose_ocr_cloud.models")
    img = b64(png_bytes(text_page(["enum"], size=(200, 60))))
    # every value of the SDK's enums is taken, in any case
    for setting, enum in (("dsrMode", sdk.DsrMode), ("dsrConfidence", sdk.DsrConfidence),
                          ("resultTypeTable", sdk.ResultTypeTable), ("resultType", sdk.ResultType)):
        for member in enum:
            for value in (member.value, member.value.upper()):
                stasks.parse_recognize({"image": img, "settings": {setting: value}}, **LIMITS, languages=["eng"])
    for setting, bad, listed in (("dsrMode", "Foo", "NoDsrNoFilter"), ("dsrConfidence", "Medium", "MidHigh"),
                                 ("resultTypeTable", "Xlsx", "CsvAndExcel"), ("dsrMode", 3, "LineDetector")):
        e = _err(stasks.parse_recognize, {"image": img, "settings": {setting: bad}}, languages=["eng"])
        assert e.status == 400 and e.code == "InvalidSettings", e
        assert f"settings.{setting} must be one of" in str(e) and listed in str(e) and repr(bad) in str(e)
    # the other operations read the same settings
    e = _err(operations.parse_recognize_pdf, {"image": img, "settings": {"dsrConfidence": "Bogus"}},
             languages=["eng"])
    assert "dsrConfidence must be one of" in str(e)


@pytest.mark.slow
def test_wrong_enum_string_is_a_json_400(http):
    r = http.post("/v5.0/ocr/RecognizeImage", json={"image": b64(png_bytes(text_page(["x"], size=(100, 50)))),
                                                    "settings": {"dsrMode": "Fast"}})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["code"] == "InvalidSettings" and "dsrMode must be one of" in body["detail"]
    assert body["error"]["messages"] == [body["detail"]]


# --------------------------------------------------------------------------- #
# regions in RecognizeImage
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_recognize_image_reads_only_its_settings_regions(http, tesseract):
    sdk = pytest.importorskip("aspose_ocr_cloud.models")
    lines = ["Alpha bravo charlie delta", "Echo foxtrot golf hotel", "India juliet kilo lima"]
    img = text_page(lines, size=(800, 220))  # lines at rows 30-60, 78-108, 126-156
    settings = sdk.OCRSettingsRecognizeImage(
        language=sdk.Language("English"), makeSkewCorrect=False, resultType=sdk.ResultType("Text"),
        regions=[sdk.OCRRegion(rect=sdk.OCRRect(topLeftX=0, topLeftY=120, bottomRightX=800, bottomRightY=170),
                               order=0),
                 sdk.OCRRegion(rect=sdk.OCRRect(topLeftX=0, topLeftY=20, bottomRightX=800, bottomRightY=68),
                               order=1)])
    body = sdk.OCRRecognizeImageBody(image=b64(png_bytes(img)), settings=settings).to_dict()
    text = texts(run(http, "RecognizeImage", body))["Text"]
    got = text.split("\n")
    assert len(got) == 2, text  # one text per region, in their order
    assert word_recovery(lines[2], got[0]) >= 0.75 and word_recovery(lines[0], got[1]) >= 0.75, text
    assert "foxtrot" not in text
    r = http.post("/v5.0/ocr/RecognizeImage", json={**body, "settings": {**body["settings"], "regions": [
        {"rect": {"topLeftX": 900, "topLeftY": 0, "bottomRightX": 950, "bottomRightY": 10}}]}})
    assert r.status_code == 400 and "outside" in r.json()["detail"]


# --------------------------------------------------------------------------- #
# base64 as encoders write it
# --------------------------------------------------------------------------- #
def test_base64_without_padding_or_url_safe_is_read():
    from ocrprep import io as oio
    from ocrprep.errors import ImageDecodeError

    for n in range(1, 40):  # every length modulo 3, bytes that give '+' and '/' in the standard alphabet
        raw = bytes((i * 37 + 251) % 256 for i in range(n)) + b"\xfb\xff\xfe"[: n % 3]
        std = base64.b64encode(raw).decode()
        url = base64.urlsafe_b64encode(raw).decode()
        for text in (std, std.rstrip("="), url, url.rstrip("="), "data:image/png;base64," + url.rstrip("=")):
            assert oio.decode_base64(text) == raw, (n, text)
    for bad in ("abcde", "ab-c+d", "a===", "!!!!"):
        with pytest.raises(ImageDecodeError, match="base64"):
            oio.decode_base64(bad)


@pytest.mark.slow
def test_service_reads_unpadded_url_safe_and_wrapped_base64(http):
    img = text_page(["padding"], size=(203, 61))
    raw = png_bytes(img)
    expected = ocrprep.binarize(img)
    std = base64.b64encode(raw).decode()
    variants = [std.rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("="),
                "data:image/png;base64," + std, "\r\n".join(std[i:i + 76] for i in range(0, len(std), 76)),
                "  " + std + "\n"]
    assert std.endswith("=") and any(c in std for c in "+/")  # the variants really differ
    for text in variants:
        env = run(http, "BinarizeImage", {"image": text})
        assert np.array_equal(ocrprep.imread(base64.b64decode(env["results"][0]["data"])), expected)


# --------------------------------------------------------------------------- #
# errors as the SDK reads them
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_sdk_problem_details_are_populated(server):
    sdk = pytest.importorskip("aspose_ocr_cloud")
    from aspose_ocr_cloud import api as sdk_api
    from aspose_ocr_cloud import models as m

    with sdk.ApiClient(sdk.Configuration(host=server.url)) as anonymous:  # no token: a 401 ProblemDetails
        with pytest.raises(sdk.ApiException) as e:
            sdk_api.BinarizeImageApi(anonymous).post_binarize_image(m.OCRBinarizeImageBody(image="AAAA"))
    problem = e.value.data
    assert isinstance(problem, m.ProblemDetails), problem
    assert (problem.status, problem.title) == (401, "Unauthorized") and "token" in problem.detail
    body = json.loads(e.value.body)
    assert body["error"]["messages"] == [body["detail"]] and body["code"] == "Unauthorized"


# --------------------------------------------------------------------------- #
# the SDK's language names
# --------------------------------------------------------------------------- #
def test_every_sdk_language_name_maps_to_a_tesseract_model():
    sdk = pytest.importorskip("aspose_ocr_cloud.models")
    import re

    tesseract_model = re.compile(r"^(script/[A-Z][a-z]+|[a-z]{3}(_[a-z]{3,4})?)$")
    for name in sdk.Language:
        code = stasks.cloud_language(name.value)
        assert tesseract_model.match(code), (name.value, code)  # a Tesseract model, never the name itself
    assert stasks.cloud_language("Hausa") == "script/Latin" and stasks.cloud_language("Tamil") == "tam"
    assert stasks.cloud_language("Cantonese") == "chi_tra" and stasks.cloud_language("Chechen") == "script/Cyrillic"
    img = b64(png_bytes(text_page(["x"], size=(60, 40))))
    e = _err(stasks.parse_recognize, {"image": img, "settings": {"language": "Hausa"}}, languages=["eng"])
    assert "Hausa needs the Tesseract language data script/Latin" in str(e), e


# --------------------------------------------------------------------------- #
# multi-page TIFF
# --------------------------------------------------------------------------- #
def _tiff(pages) -> bytes:
    from PIL import Image

    ims = [Image.fromarray(p) for p in pages]
    buf = io.BytesIO()
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:])
    return buf.getvalue()


@pytest.mark.slow
def test_multi_page_tiff_recognize_image_says_first_page_and_pdf_reads_all(http, tesseract):
    pages = [text_page([f"Page {n} of the fax"], size=(700, 160), font_size=40) for n in ("one", "two", "three")]
    tiff = b64(_tiff(pages))
    env = run(http, "RecognizeImage", {"image": tiff, "settings": {"makeSkewCorrect": False}})
    assert "Page one" in texts(env)["Text"] and "two" not in texts(env)["Text"]
    assert any("TIFF of 3 pages" in w and "first page" in w for w in env["error"]["warnings"]), env
    env = run(http, "RecognizePdf", {"image": tiff, "settings": {"makeSkewCorrect": False}})
    got = texts(env)["Text"].split("\f")
    assert len(got) == 3 and all(f"Page {n}" in t for n, t in zip(("one", "two", "three"), got)), got
    one = run(http, "RecognizeImage", {"image": b64(_tiff(pages[:1])), "settings": {"makeSkewCorrect": False}})
    assert not (one.get("error") or {}).get("warnings")  # a one-page TIFF is just an image
    r = http.post("/v5.0/ocr/RecognizePdf", json={"image": b64(png_bytes(pages[0]))})
    assert r.status_code == 400 and "PDF document or a (multi-page) TIFF" in r.json()["detail"]


# --------------------------------------------------------------------------- #
# phone photos: EXIF orientation
# --------------------------------------------------------------------------- #
def _jpeg_with_orientation(upright: np.ndarray, orientation: int) -> bytes:
    """A JPEG storing ``upright`` turned so that its EXIF orientation brings it back."""
    from PIL import Image

    stored = {6: np.rot90(upright, 1), 8: np.rot90(upright, -1), 3: np.rot90(upright, 2)}[orientation]
    im = Image.fromarray(np.ascontiguousarray(stored))
    exif = im.getexif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95, exif=exif)
    return buf.getvalue()


def test_exif_orientation_is_applied_on_reading():
    upright = text_page(["Photographed sideways"], size=(400, 120))
    for orientation in (3, 6, 8):
        got = ocrprep.imread(_jpeg_with_orientation(upright, orientation))
        assert got.shape == upright.shape, orientation
        assert np.abs(got.astype(int) - upright).mean() < 4, orientation  # JPEG noise only


@pytest.mark.slow
def test_phone_photo_taken_sideways_is_read_upright(http, tesseract):
    upright = text_page(["The quick brown fox jumps over", "the lazy dog near the river"], size=(760, 200))
    jpeg = b64(_jpeg_with_orientation(upright, 6))
    env = run(http, "BinarizeImage", {"image": jpeg})
    assert ocrprep.imread(base64.b64decode(env["results"][0]["data"])).shape == (200, 760)
    env = run(http, "RecognizeImage", {"image": jpeg, "settings": {"makeSkewCorrect": False}})
    assert word_recovery("The quick brown fox jumps over the lazy dog near the river", texts(env)["Text"]) >= 0.8


# --------------------------------------------------------------------------- #
# a GET waiting when the server is stopped (Ctrl-C)
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_ctrl_c_releases_waiting_gets_and_the_server_exits(tmp_path):
    import signal
    import subprocess
    import threading

    slow = ",".join(["scale(2)"] + ["median(15)"] * 40 + ["scale(0.5)"])  # keeps the one worker busy a while
    server = ServerProcess(tmp_path, "--workers", "1", "--result-wait", "10m").start()
    try:
        token = httpx.post(server.url + "/connect/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        body = {"image": b64(png_bytes(text_page(["busy"], size=(600, 400)))), "filters": slow}
        posts = [httpx.post(server.url + "/v5.0/ocr/Preprocess", json=body, headers=headers) for _ in range(3)]
        assert all(r.status_code == 200 for r in posts), posts[0].text
        ids = [r.text for r in posts]
        answers = []

        def get_last():  # waits: the task is queued behind two slow ones, and the bound is 10 minutes
            r = httpx.get(server.url + "/v5.0/ocr/Preprocess", params={"id": ids[-1]}, headers=headers, timeout=300)
            answers.append(r)

        waiter = threading.Thread(target=get_last)
        waiter.start()
        for _ in range(600):  # until the GET waits (the server answers /health meanwhile)
            queue = httpx.get(server.url + "/health", headers=headers, timeout=60).json()["queue"]
            if queue["waiting_requests"] or answers:
                break
            threading.Event().wait(0.05)
        assert queue["waiting_requests"] == 1, queue
        server.proc.send_signal(signal.SIGINT)
        try:
            server.proc.wait(120)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not exit on SIGINT while a GET was waiting")
        waiter.join(120)
        assert answers and answers[0].status_code == 200, answers
        assert answers[0].json()["taskStatus"] in ("Pending", "Processing", "Completed")
    finally:
        server.kill()


# --------------------------------------------------------------------------- #
# Configuration(host="http://server:port/"): the SDK then sends //v5.0/ocr/...
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_sdk_host_with_a_trailing_slash(server, http):
    sdk = pytest.importorskip("aspose_ocr_cloud")
    from aspose_ocr_cloud import api as sdk_api
    from aspose_ocr_cloud import models as m

    token = http.headers["Authorization"].split()[1]
    img = text_page(["slash"], size=(200, 60))
    with sdk.ApiClient(sdk.Configuration(host=server.url + "/", access_token=token)) as client:
        api = sdk_api.BinarizeImageApi(client)
        response = api.get_binarize_image(api.post_binarize_image(m.OCRBinarizeImageBody(image=b64(png_bytes(img)))))
    assert response.task_status == "Completed"
    assert np.array_equal(ocrprep.imread(base64.b64decode(response.results[0].data)), ocrprep.binarize(img))
    r = httpx.post(server.url + "//connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                         "client_secret": CLIENT_SECRET})
    assert r.status_code == 200 and r.json()["access_token"]


# --------------------------------------------------------------------------- #
# every field of every envelope is one the SDK reads, with its casing and type
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_envelopes_have_exactly_the_sdk_models_fields(http, tesseract):
    sdk = pytest.importorskip("aspose_ocr_cloud.models")

    def aliases(model):
        return {f.alias or name for name, f in model.model_fields.items()}

    img = b64(png_bytes(text_page(["Fields and casing"], size=(500, 100))))
    envelopes = []
    tid = http.post("/v5.0/ocr/RecognizeImage", json={"image": img, "settings": {
        "makeSkewCorrect": False, "resultType": "TextAndHocr"}}).text
    envelopes += [http.get("/v5.0/ocr/RecognizeImage", params={"id": tid}).json(),
                  http.get("/v5.0/ocr/Utilities/GetTaskStatus", params={"id": tid}).json()]
    tid = http.post("/v5.0/ocr/DewarpImage", json={"image": img}).text  # answers with warnings
    envelopes.append(http.get("/v5.0/ocr/DewarpImage", params={"id": tid}).json())
    envelopes.append(http.get("/v5.0/ocr/BinarizeImage", params={"id": "00000000-0000-0000-0000-000000000001"}).json())
    envelopes.append(http.delete("/v5.0/ocr/DewarpImage", params={"id": tid}).json())
    for env in envelopes:
        assert set(env) == aliases(sdk.OCRResponse), env.keys()
        parsed = sdk.OCRResponse.from_dict(env)  # pydantic: a wrong type or enum string raises here
        assert parsed.id == env["id"] and parsed.task_status is not None and parsed.response_status_code is not None
        for result in env["results"] or []:
            assert set(result) == aliases(sdk.OCRResult), result.keys()
        if env["error"] is not None:
            assert set(env["error"]) <= aliases(sdk.OCRError), env["error"].keys()
            assert parsed.error.messages is not None
    assert envelopes[2]["error"]["warnings"] and sdk.OCRResponse.from_dict(envelopes[2]).error.warnings
    assert sdk.OCRResponse.from_dict(envelopes[3]).task_status == "NotExist"
    problem = http.get("/v5.0/ocr/BinarizeImage", params={"id": "nope"}).json()
    assert aliases(sdk.ProblemDetails) - {"type", "instance", "additional_properties"} <= set(problem)
    sdk.ProblemDetails.from_dict(problem)


# --------------------------------------------------------------------------- #
# ids: malformed, unknown, deleted twice
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_ids_malformed_unknown_and_deleted_twice(http):
    unknown = "c4b60313-4f78-45f8-b708-069eb98dc22e"
    for method in ("GET", "DELETE"):
        for bad in ("nope", "'; DROP TABLE tasks; --", "x" * 5000):
            r = http.request(method, "/v5.0/ocr/RecognizeImage", params={"id": bad})
            assert r.status_code == 400 and r.json()["code"] == "InvalidId" and len(r.text) < 2000, r.text
        r = http.request(method, "/v5.0/ocr/RecognizeImage")
        assert r.status_code == 400 and r.json()["code"] == "MissingId"
        for spelling in (unknown, unknown.upper(), "{" + unknown + "}"):
            env = http.request(method, "/v5.0/ocr/RecognizeImage", params={"id": spelling}).json()
            assert (env["id"], env["taskStatus"], env["responseStatusCode"]) == (unknown, "NotExist", "TaskNotFound")
    tid = http.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(text_page(["x"], size=(80, 40))))}).text
    assert http.get("/v5.0/ocr/BinarizeImage", params={"id": tid}).json()["taskStatus"] == "Completed"
    first = http.delete("/v5.0/ocr/BinarizeImage", params={"id": tid})
    second = http.delete("/v5.0/ocr/BinarizeImage", params={"id": tid})
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert first.json()["taskStatus"] == "Completed"  # a finished task is not undone
    env = http.get("/v5.0/ocr/BinarizeImage", params={"id": tid}).json()
    assert env["taskStatus"] == "Completed" and env["results"]
