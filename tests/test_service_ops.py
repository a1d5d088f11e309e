"""The cloud operations' building blocks, in process: waiting, cancelling in the store, the
parsers of the SDK's bodies, multipart bodies, result rendering (the HTTP side is in
test_service_cloud.py and test_service_sdk.py)."""
from __future__ import annotations

import asyncio
import base64
import io
import json
import threading

import numpy as np
import pytest

pytest.importorskip("fastapi")

import ocrprep  # noqa: E402
from ocrprep.service import operations as ops  # noqa: E402
from ocrprep.service import tasks as stasks  # noqa: E402
from ocrprep.service.multipart import boundary_of, parse_multipart  # noqa: E402
from ocrprep.service.store import CANCELLED, COMPLETED, PENDING, TaskStore  # noqa: E402
from ocrprep.service.waiting import Waiters  # noqa: E402
from servicehelp import b64, page, png_bytes  # noqa: E402

LIMITS = {"max_bytes": 1 << 20, "max_pixels": 4_000_000}


def _err(fn, body, **kw):
    with pytest.raises(stasks.RequestError) as e:
        fn(body, **{**LIMITS, **kw})
    return e.value


# --------------------------------------------------------------------------- #
# waiting
# --------------------------------------------------------------------------- #
def test_waiters_wake_on_done_from_another_thread():
    async def main():
        w = Waiters()
        w.bind(asyncio.get_running_loop())
        running = {"v": True}

        async def still():
            return running["v"]

        task = asyncio.create_task(w.wait("t1", 60, still))
        await asyncio.sleep(0)
        assert w.waiting == 1

        def finish():
            running["v"] = False
            w.done("t1")  # from a worker thread

        threading.Thread(target=finish).start()
        await asyncio.wait_for(task, 30)  # returned long before its 60 s bound
        assert w.waiting == 0

    asyncio.run(main())


def test_waiters_return_at_once_when_done_already_or_stopping():
    async def main():
        w = Waiters()
        w.bind(asyncio.get_running_loop())
        await asyncio.wait_for(w.wait("t", 60, lambda: False), 30)  # ended between the two looks
        await asyncio.wait_for(w.wait("t", 0, lambda: True), 30)  # --result-wait 0
        stop = asyncio.create_task(w.wait("t", 60, lambda: True))
        other = asyncio.create_task(w.wait("u", 60, lambda: True, stopping=lambda: False))
        await asyncio.sleep(0)
        w.wake_all()  # the server stops: every wait ends
        await asyncio.wait_for(asyncio.gather(stop, other), 30)
        assert w.waiting == 0
        await asyncio.wait_for(w.wait("t", 60, lambda: True), 30)  # stopping: no new waits

    asyncio.run(main())


def test_waiters_bound_passes():
    async def main():
        w = Waiters()
        w.bind(asyncio.get_running_loop())
        await asyncio.wait_for(w.wait("t", 0.05, lambda: True), 30)  # nobody calls done: the bound ends it
        assert w.waiting == 0
        w.done("unknown")  # nobody waits: harmless
        await asyncio.sleep(0)

    asyncio.run(main())
    Waiters().done("t")  # not bound to a loop yet: harmless


# --------------------------------------------------------------------------- #
# cancelling in the store
# --------------------------------------------------------------------------- #
def test_store_cancel_only_pending_and_never_claimed(tmp_path):
    store = TaskStore(tmp_path / "t.sqlite3")
    a = store.add("binarize", "kernel", {}, b"a")
    b = store.add("binarize", "kernel", {}, b"b")
    c = store.add("binarize", "kernel", {}, b"c")
    assert store.cancel(b, "cancelled by the client")
    assert not store.cancel(b, "again")  # already cancelled
    assert store.status(b) == CANCELLED and store.image(b) is None  # the upload is dropped at once
    claimed = store.claim("kernel")
    assert claimed.id == a
    assert not store.cancel(a, "too late")  # running: it finishes
    assert store.claim("kernel").id == c  # b is skipped
    assert store.claim("kernel") is None
    store.complete(a, [])
    assert not store.cancel(a, "finished")
    assert store.recover() == (1, 0)  # c (Processing) goes back to the queue, b stays cancelled
    assert store.status(b) == CANCELLED and store.status(c) == PENDING and store.status(a) == COMPLETED
    assert json.loads(store.get(b).error) == {"messages": ["cancelled by the client"]}
    assert store.counts()[CANCELLED] == 1
    assert store.purge(float("inf")) == 2  # cancelled tasks expire like finished ones
    assert store.status(b) is None and store.status("nope") is None
    store.close()


# --------------------------------------------------------------------------- #
# parsers of the SDK's bodies
# --------------------------------------------------------------------------- #
def test_image_operation_parsers():
    img = page(1, (100, 120))
    sub = ops.parse_image_op("deskew")({"image": b64(png_bytes(img))}, **LIMITS)
    assert sub.kind == "deskew" and sub.lane == "kernel" and np.array_equal(sub.image, img)
    e = _err(ops.parse_image_op("upscale"), {"image": b64(png_bytes(img))}, max_pixels=40_000)
    assert e.code == "ImageTooLarge" and "UpscaleImage" in str(e) and "240x200" in str(e)
    e = _err(ops.parse_image_op("dewarp"), {"image": b64(png_bytes(img)), "settings": {}})
    assert e.code == "InvalidJson" and "unknown field 'settings'" in str(e)
    sub = ops.parse_file("upscale")(png_bytes(img), **LIMITS)
    assert sub.kind == "upscale" and sub.raw == png_bytes(img)
    e = _err(ops.parse_file("binarize"), b"\x89PNG\r\n\x1a\nbroken")
    assert e.code == "CorruptImage"


def test_recognition_parsers_follow_the_sdk_models():
    img = b64(png_bytes(page(2, (200, 300))))
    rect = {"topLeftX": 10, "topLeftY": 20, "bottomRightX": 110, "bottomRightY": 60}
    sub = ops.parse_recognize_regions({"image": img, "settings": {
        "Rotate": 0, "resultType": "TextAndPdf", "regions": [{"rect": rect, "order": 2},
                                                             {"rect": dict(rect, topLeftY=0, bottomRightY=15), "order": 1}]}},
        **LIMITS, languages=["eng"])
    assert sub.lane == "ocr" and sub.params["resultType"] == "textandpdf"
    assert sub.params["regions"] == [[10, 0, 110, 15, 1], [10, 20, 110, 60, 2]]  # in their order
    assert sub.params["binarize"] is True and sub.params["contrast"] is False  # the Regions model's defaults
    bad = [
        ({}, "non-empty list"),
        ({"regions": []}, "non-empty list"),
        ({"regions": [{"rect": dict(rect, bottomRightX=5)}]}, "empty"),
        ({"regions": [{"rect": dict(rect, topLeftX="10")}]}, "integer"),
        ({"regions": [{"rect": {"topLeftX": 400, "topLeftY": 0, "bottomRightX": 500, "bottomRightY": 10}}]}, "outside"),
        ({"regions": [{"rect": rect, "order": "first"}]}, "order must be an integer"),
        ({"regions": ["x"]}, "must be an object"),
        ({"regions": [{"rect": rect}], "resultType": "Docx"}, "TextAndPdfAndHocr"),
    ]
    for settings, text in bad:
        e = _err(ops.parse_recognize_regions, {"image": img, "settings": settings}, languages=["eng"])
        assert e.code == "InvalidSettings" and text in str(e), (settings, str(e))
    # RecognizeImage's settings have regions too (the SDK's OCRSettingsRecognizeImage): read as RecognizeRegions
    sub = stasks.parse_recognize({"image": img, "settings": {"regions": [{"rect": rect}]}}, **LIMITS)
    assert sub.kind == "recognize" and sub.params["regions"] == [[10, 20, 110, 60, 0]]
    e = _err(ops.parse_recognize_table, {"image": img, "settings": {"resultTypeTable": "Word"}})
    assert "Text, Excel, Csv, CsvAndExcel" in str(e)
    sub = ops.parse_recognize_table({"image": img, "settings": {"resultTypeTable": "CsvAndExcel"}}, **LIMITS)
    assert sub.params["resultTypeTable"] == "csvandexcel"
    sub = ops.parse_detect_regions({"image": img, "settings": {"makeSkewCorrect": True, "Rotate": 90,
                                                               "makeUpsampling": True}}, **LIMITS)
    assert (sub.params["skew"], sub.params["rotate"], sub.params["upsample"]) == (False, 0, False)  # pixel coords


def test_recognize_pdf_parser(tmp_path):
    pytest.importorskip("pypdfium2")
    from PIL import Image

    buf = io.BytesIO()
    ims = [Image.fromarray(page(i, (100, 120))) for i in range(3)]
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:])
    sub = ops.parse_recognize_pdf({"image": b64(buf.getvalue()), "settings": {"resultType": "Pdf"}}, **LIMITS)
    assert sub.kind == "recognize_pdf" and sub.params["pages"] == 3 and sub.image.tobytes() == buf.getvalue()
    assert stasks.decode_stored("recognize_pdf", buf.getvalue(), 1000).tobytes() == buf.getvalue()
    e = _err(ops.parse_recognize_pdf, {"image": b64(png_bytes(page(1)))})
    assert e.code == "UnsupportedFormat"
    e = _err(ops.parse_recognize_pdf, {"image": b64(b"%PDF-1.4\n garbage")})
    assert e.code == "CorruptPdf"


# --------------------------------------------------------------------------- #
# multipart bodies
# --------------------------------------------------------------------------- #
def test_multipart_parts_and_errors():
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n"
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
            b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\xff\r\n--XyZ--\r\n")
    parts = parse_multipart(body, "multipart/form-data; boundary=XyZ")
    assert parts["grant_type"].data == b"client_credentials" and parts["grant_type"].filename is None
    assert parts["file"].data == b"\x89PNG\r\n\x00\xff" and parts["file"].filename == "a.png"
    assert parts["file"].content_type == "image/png"
    assert boundary_of('multipart/form-data; boundary="q q"') == b"q q" and boundary_of("multipart/form-data") is None
    with pytest.raises(stasks.RequestError, match="boundary"):
        parse_multipart(body, "multipart/form-data")
    many = b"".join(b"--b\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nx\r\n" % i for i in range(40)) + b"--b--"
    with pytest.raises(stasks.RequestError, match="more than 32 parts"):
        parse_multipart(many, "multipart/form-data; boundary=b")


# --------------------------------------------------------------------------- #
# results
# --------------------------------------------------------------------------- #
def test_render_joins_pages_and_merges_hocr():
    from ocrprep.ocr import RecognitionResult, RecognitionSettings
    from ocrprep.service.results import RecognizedPage, render

    hocr = ('<html><head></head><body><div class="ocr_page" id="page_{n}">{n}</div></body></html>')
    pages = [RecognizedPage(RecognitionResult(recognition_text=f"page {n}", page=n, hocr=hocr.format(n=n)),
                            np.full((4, 5), 255, np.uint8)) for n in (1, 2)]
    results, _ = render("textandhocr", pages, RecognitionSettings(), separator="\f")
    assert base64.b64decode(results[0]["data"]) == b"page 1\fpage 2"
    merged = base64.b64decode(results[1]["data"]).decode()
    assert merged.count('class="ocr_page"') == 2 and merged.count("<body>") == 1
    results, _ = render("json", pages, RecognitionSettings())
    assert [p["page"] for p in json.loads(base64.b64decode(results[0]["data"]))["pages"]] == [1, 2]
    results, _ = render("imagepng", pages, RecognitionSettings())
    assert [r["type"] for r in results] == ["ImagePNG", "ImagePNG"]
    assert ocrprep.imread(base64.b64decode(results[0]["data"])).shape == (4, 5)
