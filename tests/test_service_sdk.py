"""The official Aspose OCR Cloud SDK itself (``aspose-ocr-cloud`` on PyPI, 24.x) pointed at a real
``ocrprep serve`` through ``Configuration(host=...)``: every image-processing and recognition
operation it has, called the way its example programs call them (POST, then GET at once and
assert ``Ok`` / ``Completed``), plus cancellation and the operations ocrprep answers with 501.

Skipped when the SDK is not installed (it is in the ``test`` extra).
"""
from __future__ import annotations

import base64
import io
import json
import warnings

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")
sdk = pytest.importorskip("aspose_ocr_cloud")

import ocrprep  # noqa: E402
from aspose_ocr_cloud import ApiClient, Configuration  # noqa: E402
from aspose_ocr_cloud import api as sdk_api  # noqa: E402
from aspose_ocr_cloud import models as m  # noqa: E402
from aspose_ocr_cloud.exceptions import ApiException  # noqa: E402
from frontdoor import text_page, word_recovery  # noqa: E402
from servicehelp import CLIENT_ID, CLIENT_SECRET, ServerProcess, b64, page, png_bytes  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("sdk")) as server:
        token = httpx.post(server.url + "/connect/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
        with ApiClient(Configuration(host=server.url, access_token=token["access_token"])) as api_client:
            yield api_client


def done(response):
    """What the SDK's example programs assert."""
    assert response.response_status_code == "Ok", response
    assert response.task_status == "Completed", response
    return response


def png_of(response, index=0) -> np.ndarray:
    assert response.results[index].type == "ImagePNG"
    return ocrprep.imread(base64.b64decode(response.results[index].data))


def text_of(response, kind="Text") -> str:
    return next(base64.b64decode(r.data).decode("utf-8") for r in response.results if r.type == kind)


def tilted():
    return ocrprep.rotate(text_page(["The quick brown fox jumps over", "the lazy dog near the river"],
                                    size=(800, 300)), 4.0)


def test_image_operations(client):
    img = page(21)
    api = sdk_api.BinarizeImageApi(client)
    tid = api.post_binarize_image(m.OCRBinarizeImageBody(image=b64(png_bytes(img))))
    assert np.array_equal(png_of(done(api.get_binarize_image(tid))), ocrprep.binarize(img))

    skewed = tilted()
    api = sdk_api.DeskewImageApi(client)
    tid = api.post_deskew_image(m.OCRDeskewImageBody(image=b64(png_bytes(skewed))))
    assert np.array_equal(png_of(done(api.get_deskew_image(tid))), ocrprep.deskew(skewed))

    api = sdk_api.UpscaleImageApi(client)
    tid = api.post_upscale_image(m.OCRUpscaleImageBody(image=b64(png_bytes(img))))
    assert np.array_equal(png_of(done(api.get_upscale_image(tid))), ocrprep.upscale(img))

    api = sdk_api.DewarpImageApi(client)
    tid = api.post_dewarp_image(m.OCRDewarpImageBody(image=b64(png_bytes(skewed))))
    response = done(api.get_dewarp_image(tid))
    assert np.array_equal(png_of(response), ocrprep.dewarp(skewed))
    assert "approximation" in response.error.warnings[0]

    status = sdk_api.UtilitiesApi(client).get_task_status(tid)
    assert status.task_status == "Completed" and status.results is None


def test_image_processing_uploads(client):
    img = page(22)
    skewed = tilted()
    api = sdk_api.ImageProcessingApi(client)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks these operations deprecated
        for post, src, expected in [(api.post_binarization_file, img, ocrprep.binarize(img)),
                                    (api.post_skew_correction_file, skewed, ocrprep.deskew(skewed)),
                                    (api.post_upsampling_file, img, ocrprep.upscale(img)),
                                    (api.post_dewarping_file, skewed, ocrprep.dewarp(skewed))]:
            tid = post(file=png_bytes(src))
            assert np.array_equal(png_of(done(api.get_result_task(tid))), expected), post.__name__
            # the PNG download (image/png, as the SDK's Accept asks): the SDK's get_result_file and
            # _with_http_info decode every body as text, so a PNG is read from the raw response
            raw = api.get_result_file_without_preload_content(tid)
            assert raw.status == 200 and raw.headers["content-type"] == "image/png"
            assert np.array_equal(ocrprep.imread(raw.data), expected), post.__name__


def test_recognitions(client, tesseract):
    pytest.importorskip("pypdfium2")
    lines = ["Recognised through the SDK", "with every result type"]
    img = text_page(lines, size=(760, 200))
    api = sdk_api.RecognizeImageApi(client)
    for rtype, kinds in [("Text", ["Text"]), ("TextAndPdf", ["Text", "Pdf"]), ("TextAndHocr", ["Text", "Hocr"]),
                         ("PdfAndHocr", ["Pdf", "Hocr"]), ("TextAndPdfAndHocr", ["Text", "Pdf", "Hocr"]),
                         ("Pdf", ["Pdf"]), ("Hocr", ["Hocr"]), ("ImagePNG", ["ImagePNG"]), ("JSON", ["JSON"])]:
        body = m.OCRRecognizeImageBody(image=b64(png_bytes(img)), settings=m.OCRSettingsRecognizeImage(
            language=m.Language("English"), makeSkewCorrect=False, makeBinarization=False, makeSpellCheck=False,
            makeContrastCorrection=False, makeUpsampling=False, dsrMode=m.DsrMode("NoDsrNoFilter"),
            dsrConfidence=m.DsrConfidence("Default"), resultType=m.ResultType(rtype)))
        response = done(api.get_recognize_image(api.post_recognize_image(body)))
        assert [r.type for r in response.results] == kinds, rtype
        if "Text" in kinds:
            assert word_recovery(" ".join(lines), text_of(response)) >= 0.8
        if "Pdf" in kinds:
            assert base64.b64decode(next(r.data for r in response.results if r.type == "Pdf"))[:5] == b"%PDF-"

    from PIL import Image

    pages = [["Page one alpha"], ["Page two bravo"], ["Page three charlie"]]
    ims = [Image.fromarray(text_page(p, size=(700, 200), font_size=40)) for p in pages]
    buf = io.BytesIO()
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=150)
    api = sdk_api.RecognizePdfApi(client)
    tid = api.post_recognize_pdf(m.OCRRecognizePdfBody(image=b64(buf.getvalue()), settings=m.OCRSettingsRecognizePdf(
        language=m.Language("English"), resultType=m.ResultType("Text"))))
    texts = text_of(done(api.get_recognize_pdf(tid))).split("\f")
    assert len(texts) == 3
    assert all(word_recovery(" ".join(p), t) >= 0.66 for p, t in zip(pages, texts)), texts

    three = text_page(["Alpha bravo charlie delta", "Echo foxtrot golf hotel", "India juliet kilo lima"],
                      size=(800, 220))
    api = sdk_api.RecognizeRegionsApi(client)
    region = m.OCRRegion(rect=m.OCRRect(topLeftX=10, topLeftY=118, bottomRightX=790, bottomRightY=170), order=0)
    tid = api.post_recognize_regions(m.OCRRecognizeRegionsBody(image=b64(png_bytes(three)),
                                                               settings=m.OCRSettingsRecognizeRegions(
        language=m.Language("English"), regions=[region], resultType=m.ResultType("Text"))))
    text = text_of(done(api.get_recognize_regions(tid)))
    assert word_recovery("India juliet kilo lima", text) >= 0.75 and "Alpha" not in text, text

    api = sdk_api.DetectRegionsApi(client)
    tid = api.post_detect_regions(m.OCRDetectRegionsBody(image=b64(png_bytes(three)),
                                                         settings=m.OCRSettingsDetectRegions()))
    regions = json.loads(text_of(done(api.get_detect_regions(tid)), "JSON"))["regions"]
    assert regions and all(m.OCRRegion.from_dict({"rect": r["rect"], "order": r["order"]}) for r in regions)

    api = sdk_api.RecognizeTableApi(client)
    tid = api.post_recognize_table(m.OCRRecognizeTableBody(image=b64(png_bytes(three)),
                                                           settings=m.OCRSettingsRecognizeTable(
        language=m.Language("English"), resultTypeTable=m.ResultTypeTable("Csv"))))
    csv_text = text_of(done(api.get_recognize_table(tid)), "Csv")
    assert word_recovery("Alpha bravo charlie delta Echo foxtrot golf hotel", csv_text) >= 0.75, csv_text


def test_cancel_and_not_provided(client):
    api = sdk_api.BinarizeImageApi(client)
    tid = api.post_binarize_image(m.OCRBinarizeImageBody(image=b64(png_bytes(page(23)))))
    api.get_binarize_image(tid)
    assert api.cancel_binarize_image(tid) is None  # 200, no body the SDK reads; a finished task stays
    assert done(api.get_binarize_image(tid))
    for call in (lambda: sdk_api.RecognizeReceiptApi(client).get_recognize_receipt("00000000-0000-0000-0000-0000000"
                                                                                     "00000"),
                 lambda: sdk_api.IdentifyFontApi(client).cancel_identify_font("00000000-0000-0000-0000-000000000000"),
                 lambda: sdk_api.RecognizeLabelApi(client).get_recognize_label("00000000-0000-0000-0000-000000000000")):
        with pytest.raises(ApiException) as e:
            call()
        assert e.value.status == 501
        assert json.loads(e.value.body)["code"] == "NotImplemented"
