"""Routes of the cloud's other operations (see :mod:`ocrprep.service.operations` for what each does).

===========================================================  ==============================================
route                                                        what it does
===========================================================  ==============================================
POST/GET/DELETE /v5.0/ocr/DeskewImage, UpscaleImage,         queue / fetch (waits) / cancel an image
DewarpImage                                                  operation; result ``ImagePNG``
POST/GET/DELETE /v5.0/ocr/RecognizePdf, RecognizeRegions,    the same for recognitions (every resultType;
DetectRegions, RecognizeTable, RecognizeImageTrial           DetectRegions: one JSON result)
DELETE /v5.0/ocr/BinarizeImage, RecognizeImage, Preprocess   cancel a pending task
POST /v5.0/ocr/ImageProcessing/PostBinarizationFile,         multipart upload (field ``file``) -> task id
PostSkewCorrectionFile, PostUpsamplingImageFile
(alias PostUpsamplingFile), PostDewarpingFile
GET /v5.0/ocr/ImageProcessing/GetResultTask?id=              the envelope of any image-processing task
GET /v5.0/ocr/ImageProcessing/GetResultFile?id=              its image as a PNG download (204 while the
                                                             task is still pending or running)
any method on the text-to-speech, invoice, font, DjVu,       501 with the JSON error body
label and receipt operations
===========================================================  ==============================================

A DELETE cancels a task still pending: it is never run (the cancellation is
on disk before the answer, so it survives ``kill -9``), its result reads as
``taskStatus: Error`` with the reason in ``error.messages`` (the cloud's enums
have no cancelled state).  A task already running is left to finish.  The
answer is the task's envelope without results (HTTP 200 in every case, as the
SDK expects).
"""
from __future__ import annotations

import base64
import json

from fastapi import Query, Request
from fastapi.responses import Response

from .multipart import parse_multipart
from .operations import NOT_IMPLEMENTED, PARSERS, parse_file, parse_image_op
from .tasks import RequestError

__all__ = ["add_routes"]

_IMAGE_OPS = {
    "DeskewImage": ("deskew", "Straighten a skewed page (ocrprep.deskew)"),
    "UpscaleImage": ("upscale", "Enlarge 2x for small text (ocrprep.upscale: bicubic + clamped unsharp mask)"),
    "DewarpImage": ("dewarp", "Flatten curled text lines (ocrprep.dewarp; an approximation, see the warnings)"),
}
_RECOGNITIONS = {
    "RecognizePdf": ("recognize_pdf", "OCRRecognizePdfBody", "Recognise every page of a PDF"),
    "RecognizeRegions": ("recognize_regions", "OCRRecognizeRegionsBody", "Recognise only the given rectangles"),
    "DetectRegions": ("detect_regions", "OCRRecognizeRegionsBody", "Find the text areas (rectangles)"),
    "RecognizeTable": ("recognize_table", "OCRRecognizeRegionsBody", "Recognise a table, cell by cell"),
}
_FILE_OPS = {
    "PostBinarizationFile": "binarize",
    "PostSkewCorrectionFile": "deskew",
    "PostUpsamplingImageFile": "upscale",
    "PostUpsamplingFile": "upscale",  # the SDK's method name, accepted as a path too
    "PostDewarpingFile": "dewarp",
}
_ID = Query(None, description="the task id returned by the POST")
_CANCEL = {"BinarizeImage": "binarize", "RecognizeImage": "recognize", "Preprocess": "preprocess"}


def add_routes(app, h) -> None:
    """Register the routes on ``app``; ``h`` holds the app's helpers (see :func:`ocrprep.service.app.create_app`)."""
    multipart_doc = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}}, **h.secured}

    # ---- image operations: POST / GET / DELETE ----------------------------------------
    for name, (kind, summary) in _IMAGE_OPS.items():
        path = f"/v5.0/ocr/{name}"
        post = _poster(h, parse_image_op(kind), "kernel")
        get, delete = _getter(h, kind), _canceller(h, kind)

        app.add_api_route(path, post, methods=["POST"], tags=["image processing"], summary=summary,
                          description="Body: {\"image\": \"<base64>\"}. Returns the task id as text.",
                          responses=h.post_responses, openapi_extra=h.body_doc("BinarizeImageBody"),
                          name=f"post_{kind}")
        app.add_api_route(path, get, methods=["GET"], tags=["image processing"], summary=f"Fetch: {summary}",
                          description="Waits up to --result-wait for an unfinished task; result ImagePNG.",
                          responses=h.get_responses, openapi_extra=h.secured, name=f"get_{kind}")
        app.add_api_route(path, delete, methods=["DELETE"], tags=["image processing"],
                          summary="Cancel a pending task", responses=h.get_responses, openapi_extra=h.secured,
                          name=f"cancel_{kind}")

    # ---- recognitions ---------------------------------------------------------------------
    for name, (kind, model, summary) in _RECOGNITIONS.items():
        path = f"/v5.0/ocr/{name}"
        post = _poster(h, PARSERS[kind], "ocr")
        get, delete = _getter(h, kind), _canceller(h, kind)

        app.add_api_route(path, post, methods=["POST"], tags=["recognition"], summary=summary,
                          description=f"Body: the SDK's {model} ({{\"image\": \"<base64>\", \"settings\": {{...}}}}). "
                                      "Returns the task id as text.",
                          responses=h.post_responses, openapi_extra=h.body_doc(model), name=f"post_{kind}")
        app.add_api_route(path, get, methods=["GET"], tags=["recognition"], summary=f"Fetch: {summary}",
                          description="Waits up to --result-wait for an unfinished task.",
                          responses=h.get_responses, openapi_extra=h.secured, name=f"get_{kind}")
        app.add_api_route(path, delete, methods=["DELETE"], tags=["recognition"], summary="Cancel a pending task",
                          responses=h.get_responses, openapi_extra=h.secured, name=f"cancel_{kind}")

    # ---- RecognizeImageTrial: RecognizeImage under the trial path ----------------------------------
    from .tasks import parse_recognize

    post_trial = _poster(h, parse_recognize, "ocr")
    get_trial, cancel_trial = _getter(h, "recognize"), _canceller(h, "recognize")

    app.add_api_route("/v5.0/ocr/RecognizeImageTrial", post_trial, methods=["POST"], tags=["recognition"],
                      summary="RecognizeImage under the trial path", responses=h.post_responses,
                      openapi_extra=h.body_doc("RecognizeImageBody"))
    app.add_api_route("/v5.0/ocr/RecognizeImageTrial", get_trial, methods=["GET"], tags=["recognition"],
                      summary="Fetch a RecognizeImageTrial task", responses=h.get_responses, openapi_extra=h.secured)
    app.add_api_route("/v5.0/ocr/RecognizeImageTrial", cancel_trial, methods=["DELETE"], tags=["recognition"],
                      summary="Cancel a pending task", responses=h.get_responses, openapi_extra=h.secured)

    # ---- DELETE on the original operations ---------------------------------------------------
    for name, kind in _CANCEL.items():
        app.add_api_route(f"/v5.0/ocr/{name}", _canceller(h, kind), methods=["DELETE"],
                          tags=["recognition" if kind == "recognize" else "image processing"],
                          summary="Cancel a pending task", responses=h.get_responses, openapi_extra=h.secured,
                          name=f"cancel_{kind}")

    # ---- ImageProcessing: multipart uploads and the shared result routes -------------------------
    for name, kind in _FILE_OPS.items():
        app.add_api_route(f"/v5.0/ocr/ImageProcessing/{name}", _file_poster(h, parse_file(kind)), methods=["POST"],
                          tags=["image processing"], summary=f"{name}: upload an image (multipart field 'file')",
                          description="Returns the task id as text; fetch the result from "
                                      "ImageProcessing/GetResultTask or GetResultFile.",
                          responses=h.post_responses, openapi_extra=multipart_doc,
                          include_in_schema=name != "PostUpsamplingFile")

    async def get_result_task(request: Request, id: str | None = _ID):
        return await h.fetch(request, "image")

    async def get_result_file(request: Request, id: str | None = _ID):
        client = h.client_of(request)
        task_id = h.task_id(request)
        await h.wait_for(task_id, "image", client)
        from starlette.concurrency import run_in_threadpool

        env = json.loads(await run_in_threadpool(h.service.envelope, task_id, "image", client, True))
        status = env["taskStatus"]
        if status in ("Pending", "Processing"):
            return Response(status_code=204, headers={"Cache-Control": "no-store"})
        if status == "NotExist":
            raise RequestError(" ".join((env.get("error") or {}).get("messages") or [f"no task {task_id}"]),
                               status=404, code="TaskNotFound")
        if status != "Completed":
            raise RequestError("the task failed: " + " ".join((env.get("error") or {}).get("messages") or []),
                               status=409, code="TaskFailed")
        png = base64.b64decode(env["results"][0]["data"])
        return Response(png, media_type="image/png", headers={
            "Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{task_id}.png"'})

    app.add_api_route("/v5.0/ocr/ImageProcessing/GetResultTask", get_result_task, methods=["GET"],
                      tags=["image processing"], summary="The envelope of any image-processing task",
                      responses=h.get_responses, openapi_extra=h.secured)
    app.add_api_route("/v5.0/ocr/ImageProcessing/GetResultFile", get_result_file, methods=["GET"],
                      tags=["image processing"], summary="The processed image as a PNG download",
                      description="204 while the task is still pending or running (after waiting up to "
                                  "--result-wait), 404 for an unknown id, 409 when the task failed.",
                      responses={200: {"content": {"image/png": {}}, "description": "the PNG"},
                                 204: {"description": "not ready yet"}},
                      openapi_extra=h.secured)

    # ---- operations outside image preparation and recognition: 501 ----------------------------
    for path, what in NOT_IMPLEMENTED.items():
        for method in ("POST", "GET", "DELETE"):
            app.add_api_route(path, _not_implemented(path, what), methods=[method], tags=["not provided"],
                              summary=f"{what}: not provided by ocrprep (501)",
                              name=f"not_implemented_{path.rsplit('/', 1)[-1]}_{method.lower()}",
                              include_in_schema=method == "POST",
                              responses={501: {"description": "not provided", "model": None}})


# Route handlers are made by factories (a default argument would become a query parameter).
def _poster(h, parse, lane: str):
    async def post(request: Request):
        if lane == "ocr":
            h.client_of(request)
            languages = await h.require_tesseract()
            return await h.submit(request, parse, lane, languages=languages)
        return await h.submit(request, parse, lane)

    return post


def _getter(h, kind: str):
    async def get(request: Request, id: str | None = _ID):
        return await h.fetch(request, kind)

    return get


def _canceller(h, kind: str):
    async def delete(request: Request, id: str | None = _ID):
        return await h.cancel(request, kind)

    return delete


def _file_poster(h, parse):
    async def post_file(request: Request):
        client = h.client_of(request)
        h.service.check_capacity("kernel")
        raw = await _read_file(request, h)
        return await h.submit_with(client, lambda: parse(raw, **h.limits))

    return post_file


def _not_implemented(path: str, what: str):
    async def not_implemented(request: Request):
        raise RequestError(f"{path.rsplit('/', 1)[-1]} ({what}) is an Aspose OCR Cloud operation that ocrprep "
                           "does not provide: it prepares and recognises document images only",
                           status=501, code="NotImplemented")

    return not_implemented


async def _read_file(request: Request, h) -> bytes:
    """The bytes of the upload: the ``file`` part of a multipart body (the SDK's form; the name is
    matched without regard to case), or, for convenience, a raw image body."""
    ctype = request.headers.get("content-type", "")
    raw = await h.read_body(request, h.config.max_body)
    if ctype.split(";")[0].strip().lower() != "multipart/form-data":
        if not raw:
            raise RequestError("send the image as a multipart/form-data body with a 'file' part", code="MissingFile")
        return raw
    parts = parse_multipart(raw, ctype)
    del raw
    part = next((p for name, p in parts.items() if name.lower() == "file"), None)
    if part is None:
        raise RequestError(f"the multipart body has no 'file' part (parts: {', '.join(sorted(parts)) or 'none'})",
                           code="MissingFile")
    if not part.data:
        raise RequestError("file: the uploaded file is empty (0 bytes)", code="EmptyImage")
    return part.data
