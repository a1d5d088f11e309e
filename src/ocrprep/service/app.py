"""The HTTP routes: Aspose OCR Cloud v5's shapes over ocrprep's pipeline.

=========================================  ==================================================
route                                       what it does
=========================================  ==================================================
POST /connect/token                         client credentials -> bearer token
POST /v5.0/ocr/BinarizeImage                queue a binarization -> task id (text)
GET  /v5.0/ocr/BinarizeImage?id=           the task envelope, result ``ImagePNG``
POST /v5.0/ocr/RecognizeImage               queue a recognition -> task id
GET  /v5.0/ocr/RecognizeImage?id=           the envelope, results ``Text``/``JSON``/``Hocr``
POST /v5.0/ocr/Preprocess                   queue a filter pipeline -> task id
GET  /v5.0/ocr/Preprocess?id=               the envelope, result ``ImagePNG``
GET  /v5.0/ocr/Utilities/GetTaskStatus?id=  the envelope without results (never waits)
...                                         the other cloud operations: :mod:`.routes_cloud`
GET  /health                                liveness, queue and worker figures
GET  /openapi.json, /docs                   the OpenAPI schema and a page rendering it
GET  /                                      the live demo page
=========================================  ==================================================

A GET of a task still pending or running waits for it to end (up to ``--result-wait``,
:mod:`.waiting`).  Paths are matched without regard to case or a trailing slash.  Every error is a JSON body
(:class:`~ocrprep.service.models.ErrorBody`).  Nothing in a request is
ever used as a file path: images arrive as base64 and stay in memory and
in the SQLite store; the page's assets are read from the package once, at
start-up.
"""
from __future__ import annotations

import asyncio
import contextlib
import http
import importlib.resources
import inspect
import json
import logging
import math
import re
import sqlite3
import threading
import time
import uuid
from types import SimpleNamespace
from urllib.parse import parse_qs, quote

import anyio
import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from . import models
from .auth import AuthError, TokenIssuer, parse_basic, parse_bearer
from .config import ServiceConfig, default_db_path
from .limits import MAX_JSON_VALUES, UploadBudget
from .logs import LOGGER, fields
from .security import SameOriginGuard, is_loopback_host
from .storage import RETRY_AFTER as STORAGE_RETRY_AFTER, storage_problem
from .store import CANCELLED, COMPLETED, ERROR, NOT_EXIST, PENDING, PROCESSING, TaskStore, new_id
from .operations import kind_group, kind_path
from .tasks import RequestError, Submission, parse_binarize, parse_preprocess, parse_recognize
from .waiting import Waiters
from .worker import PageCache, WorkerPool

__all__ = ["create_app", "Service"]

log = logging.getLogger(LOGGER)

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})\}?$")
_RESPONSE_STATUS = {PENDING: "NotReady", PROCESSING: "NotReady", COMPLETED: "Ok", ERROR: "Error", NOT_EXIST: "TaskNotFound",
                    CANCELLED: "Error"}
#: the status a client sees (the cloud's enum has no cancelled state: a cancelled task reads as Error)
_TASK_STATUS = {CANCELLED: ERROR}


# --------------------------------------------------------------------------- #
# the service: store + workers + queue bound + retention
# --------------------------------------------------------------------------- #
class Service:
    """Everything behind the routes; :func:`create_app` owns one.

    ``start()`` recovers interrupted tasks, starts the workers and the
    retention janitor; ``stop()`` lets running tasks finish (up to a timeout).
    """

    def __init__(self, config: ServiceConfig, *, engine=None):
        self.config = config
        self.store = TaskStore(config.db, default_folder=config.db == default_db_path(), max_bytes=config.max_db_size)
        if self.store.exposed:
            log.warning("the task database was readable by other users: made private (0600), token key replaced",
                        **fields(db=config.db))
        self.issuer = None
        if config.auth:
            key = config.token_secret or self.store.secret("token_key", renew=self.store.exposed)
            self.issuer = TokenIssuer(config.clients, key=key, ttl=config.token_ttl)
        self.cache = PageCache(config.cache_bytes)
        self.pool = WorkerPool(
            self.store,
            {"kernel": config.workers, "ocr": config.ocr_workers},
            max_pixels=config.max_pixels,
            threads=config.threads,
            cache=self.cache,
            on_finished=self._finished,
            engine=engine,
            ocr_timeout=config.ocr_timeout,
            task_timeout=config.task_timeout,
            spare_after=config.spare_after,
        )
        self.waiters = Waiters()
        self.pool.on_task_done = self.waiters.done
        self._lock = threading.Lock()
        self._capacity = config.queue_sizes  # lane -> bound
        self._active = {lane: 0 for lane in self._capacity}  # lane -> tasks pending or running
        self._stop = threading.Event()
        self._janitor: threading.Thread | None = None
        self._tesseract: dict | None = None
        self.started = time.time()
        self.rejected = 0

    # ---- life cycle ------------------------------------------------------------
    def start(self) -> None:
        requeued, given_up = self.store.recover()
        purged = self.purge()
        with self._lock:
            for lane in self._active:
                self._active[lane] = self.store.active(lane)
        self.pool.start()
        self._janitor = threading.Thread(target=self._janitor_loop, name="ocrprep-janitor", daemon=True)
        self._janitor.start()
        counts = self.store.counts()
        log.info("service started", **fields(
            version=__version__, requeued=requeued, given_up=given_up, purged=purged,
            pending=counts[PENDING], completed=counts[COMPLETED], **self.config.public()))

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        clean = self.pool.stop(timeout)
        if self._janitor is not None:
            self._janitor.join(5)
        self.store.close()
        log.info("service stopped", **fields(clean=clean))

    # ---- queue bound (one per lane) ------------------------------------------------
    def retry_after(self, lane: str) -> int:
        """Seconds a client refused on ``lane`` should wait: the time for that lane's workers to
        free a slot (its running mean task time, over its number of workers)."""
        per_task = self.pool.mean_seconds(lane) or 1.0
        workers = max(1, self.pool.workers[lane])
        backlog = max(1, self._active[lane] - self._capacity[lane] + 1)
        return int(min(60, max(1, math.ceil(per_task * backlog / workers))))

    def _queue_full(self, lane: str) -> RequestError:
        """The 429 to raise (called with ``self._lock`` held)."""
        self.rejected += 1
        seconds = self.retry_after(lane)
        what = "recognition" if lane == "ocr" else "image processing"
        return RequestError(
            f"the {what} queue is full ({self._capacity[lane]} tasks pending or running); retry in {seconds} s",
            status=429, code="QueueFull", headers={"Retry-After": str(seconds)},
        )

    def check_capacity(self, lane: str) -> None:
        """Refuse early (before reading the body) when ``lane``'s queue is full."""
        if self._active[lane] >= self._capacity[lane]:
            with self._lock:
                if self._active[lane] >= self._capacity[lane]:
                    raise self._queue_full(lane)

    def submit(self, sub: Submission, client: str | None) -> str:
        """Store a validated task durably, then hand it to a worker; returns its id.

        The decoded page goes into the cache *before* the row is committed: a
        worker may claim the task the moment it is in the store, and must find
        the page there (or, when the cache is full, decode the stored bytes).
        """
        lane = sub.lane
        with self._lock:
            if self._active[lane] >= self._capacity[lane]:
                raise self._queue_full(lane)
            self._active[lane] += 1
        task_id = new_id()
        cached = self.cache.put(task_id, sub.image)
        try:
            self.store.add(sub.kind, lane, sub.params, sub.raw, client, task_id=task_id)
        except BaseException:
            if cached:
                self.cache.pop(task_id)
            with self._lock:
                self._active[lane] -= 1
            raise
        self.pool.notify(lane)
        log.info("task queued", **fields(task=task_id, kind=sub.kind, client=client,
                                          width=int(sub.image.shape[1]), height=int(sub.image.shape[0])))
        return task_id

    def _finished(self, lane, seconds) -> None:
        with self._lock:
            self._active[lane] = max(0, self._active[lane] - 1)

    def cancel(self, task_id: str, kind: str | None, client: str | None) -> dict | str:
        """DELETE: cancel a pending task (it never runs); a running or finished one is left as it is.

        Returns the task's envelope afterwards (without results).
        """
        task = self.store.get(task_id, with_results=False)
        if task is not None and (task.client == client or not self.config.auth) and task.status == PENDING \
                and (kind is None or task.kind in kind_group(kind)):
            if self.store.cancel(task_id, "the task was cancelled by the client before it started"):
                self.cache.pop(task_id)
                self._finished(task.lane, 0.0)
                self.waiters.done(task_id)
                log.info("task cancelled", **fields(task=task_id, kind=task.kind, client=client))
        return self.envelope(task_id, kind, client, with_results=False)

    # ---- retention -------------------------------------------------------------------
    def purge(self) -> int:
        return self.store.purge(time.time() - self.config.retention)

    def _janitor_loop(self) -> None:
        period = max(0.5, min(60.0, self.config.retention / 4))
        while not self._stop.wait(period):
            try:
                n = self.purge()
                if n:
                    log.info("expired results removed", **fields(count=n))
            except Exception:
                log.exception("retention purge failed")

    # ---- reading -------------------------------------------------------------------
    def envelope(self, task_id: str, kind: str | None, client: str | None, with_results: bool) -> dict | str:
        """The response of a GET: JSON text (results are stored as JSON text and spliced in)."""
        task = self.store.get(task_id, with_results=with_results)
        note = None
        if task is not None and task.client != client and self.config.auth:
            task = None  # another client's task does not exist for this one
        if task is not None and task.finished is not None and task.finished + self.config.retention < time.time():
            task = None
        if task is not None and kind is not None and task.kind not in kind_group(kind):
            note = f"task {task_id} is a {task.kind} task: fetch it from {kind_path(task.kind)}"
            task = None
        if task is None:
            msg = note or f"no task with id {task_id}: it never existed, or its results expired after the retention time"
            return json.dumps({
                "id": task_id, "taskStatus": NOT_EXIST, "responseStatusCode": _RESPONSE_STATUS[NOT_EXIST],
                "results": None, "error": {"messages": [msg]},
            })
        head = json.dumps({"id": task.id, "taskStatus": _TASK_STATUS.get(task.status, task.status),
                           "responseStatusCode": _RESPONSE_STATUS[task.status]})
        results = task.results if (with_results and task.status == COMPLETED and task.results) else "null"
        return f'{head[:-1]},"results":{results},"error":{task.error or "null"}}}'

    # ---- tesseract -------------------------------------------------------------------
    def tesseract(self) -> dict:
        """``{"available", "version", "languages"}`` (checked once)."""
        if self._tesseract is None:
            from ..errors import OcrprepError
            from ..ocr import OcrEngine

            try:
                engine = OcrEngine()
                self._tesseract = {"available": True, "version": engine.version, "languages": engine.languages}
            except OcrprepError as exc:
                self._tesseract = {"available": False, "version": None, "languages": [], "reason": str(exc)}
        return self._tesseract

    def health(self) -> dict:
        counts = self.store.counts()
        t = self.tesseract()
        return {
            "status": "ok",
            "version": __version__,
            "uptime": round(time.time() - self.started, 3),
            "auth": self.config.auth,
            "queue": {
                "active": sum(self._active.values()),
                "capacity": sum(self._capacity.values()),
                "lanes": {lane: {"active": self._active[lane], "capacity": self._capacity[lane]}
                          for lane in self._capacity},
                "pending": counts[PENDING],
                "processing": counts[PROCESSING],
                "completed": counts[COMPLETED],
                "error": counts[ERROR],
                "rejected": self.rejected,
                "cancelled": counts[CANCELLED],
                "waiting_requests": self.waiters.waiting,
            },
            "workers": {
                "kernel": self.config.workers,
                "ocr": self.config.ocr_workers,
                "busy": self.pool.busy(),
                "done": dict(self.pool.done),
            },
            "tesseract": {"available": t["available"], "version": t["version"], "languages": t["languages"]},
        }


# --------------------------------------------------------------------------- #
# middleware
# --------------------------------------------------------------------------- #
_SLASHES = re.compile(r"//+")


class _CaseInsensitivePaths:
    """Route ``/V5.0/OCR/binarizeimage``, ``/v5.0/ocr/BinarizeImage/`` and ``//v5.0/ocr/BinarizeImage``
    like ``/v5.0/ocr/BinarizeImage`` (ASP.NET matches paths without regard to case or a trailing
    slash; the doubled slash is what an SDK configured with ``host="http://server:8080/"`` sends).

    The path is rewritten in place, so a POST with a trailing slash is served
    like any other rather than redirected (a 307 the client may not follow with its body).
    """

    def __init__(self, app, canonical: dict[str, str]):
        self.app = app
        self.canonical = canonical

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            stripped = _SLASHES.sub("/", path).rstrip("/") or "/"
            canon = self.canonical.get(stripped.lower(), stripped)
            if canon != path:
                scope = dict(scope, path=canon, raw_path=quote(canon).encode("ascii"))
        await self.app(scope, receive, send)


class _JsonCharset:
    """Label JSON answers ``application/json; charset=utf-8``, as ASP.NET (the cloud) does.

    Clients generated from the cloud's OpenAPI document match the media type
    exactly: SDK 23.x refuses ``application/json`` alone ("Invalid
    content_type returned") on every GET.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if any(k.lower() == b"content-type" and v.strip().lower() == b"application/json" for k, v in headers):
                    headers = [(k, b"application/json; charset=utf-8" if k.lower() == b"content-type" else v)
                               for k, v in headers]
                    message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_wrapper)


class _AccessLog:
    """One structured log record per request; adds ``X-Request-Id`` and safety headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:16]
        t0 = time.perf_counter()
        state = {"status": 500, "bytes": 0}

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            client = scope.get("client")
            log.info("request", **fields(
                rid=rid, method=scope["method"], path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1")[:200],
                status=state["status"], bytes=state["bytes"],
                ms=round((time.perf_counter() - t0) * 1000, 2),
                client=client[0] if client else None))


# --------------------------------------------------------------------------- #
# helpers for the routes
# --------------------------------------------------------------------------- #
def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    # RFC 7807's members (status, title, detail: the SDK reads them as its ProblemDetails) and the cloud's
    # error.messages
    title = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else "Error"
    return JSONResponse(
        {"status": status, "title": title, "code": code, "detail": message, "error": {"messages": [message]}},
        status_code=status, headers=headers,
    )


def _task_id(request: Request) -> str:
    value = None
    for k, v in request.query_params.multi_items():
        if k.lower() == "id":
            value = v
            break
    if value is None or not value.strip():
        raise RequestError("the query parameter 'id' (the task id returned by the POST) is required", code="MissingId")
    m = _GUID.match(value.strip())
    if not m:
        raise RequestError(f"'id' must be a task id (a GUID such as c4b60313-4f78-45f8-b708-069eb98dc22e), got {value[:80]!r}",
                           code="InvalidId")
    return str(uuid.UUID(m.group(1)))


async def _read_body(request: Request, cap: int) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.strip().isdigit() and int(length) > cap:
        raise RequestError(f"the request body of {int(length):,} bytes exceeds the limit of {cap:,} bytes (--max-body)",
                           status=413, code="BodyTooLarge")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > cap:
            raise RequestError(f"the request body exceeds the limit of {cap:,} bytes (--max-body)",
                               status=413, code="BodyTooLarge")
        chunks.append(chunk)
    return b"".join(chunks)


def _loads(raw: bytes):
    if raw.count(b",") >= MAX_JSON_VALUES:  # millions of tiny values would cost ~30x the body in memory
        raise RequestError(f"the request body holds more than {MAX_JSON_VALUES:,} JSON values; an upload is an "
                           f"image and a few settings", code="InvalidJson")
    try:
        return json.loads(raw)
    except RecursionError:
        raise RequestError("the request body is nested too deeply", code="InvalidJson") from None
    except (ValueError, UnicodeDecodeError) as exc:
        if _FORM_BODY.match(raw):  # curl -d image=..., an HTML form: '+' in the base64 arrives as blanks
            raise RequestError('the request body is form-encoded (image=...), not JSON: send {"image": "<base64>"} '
                               "with Content-Type: application/json (curl --data-binary @body.json)",
                               code="InvalidJson") from None
        raise RequestError(f"the request body is not valid JSON ({exc})", code="InvalidJson") from None


_FORM_BODY = re.compile(rb"\s*[A-Za-z][A-Za-z0-9_]*=")


async def _read_into(request: Request, cap: int) -> bytearray:
    """The body in one buffer sized from Content-Length (no list of chunks joined in a second copy)."""
    length = request.headers.get("content-length")
    announced = int(length) if length is not None and length.strip().isdigit() else None
    if announced is not None and announced > cap:
        raise RequestError(f"the request body of {announced:,} bytes exceeds the limit of {cap:,} bytes (--max-body)",
                           status=413, code="BodyTooLarge")
    buf = bytearray(announced or 0)
    total = 0
    async for chunk in request.stream():
        end = total + len(chunk)
        if end > cap:
            raise RequestError(f"the request body exceeds the limit of {cap:,} bytes (--max-body)",
                               status=413, code="BodyTooLarge")
        if end <= len(buf):
            buf[total:end] = chunk
        else:
            buf[total:] = chunk
        total = end
    del buf[total:]
    return buf


async def _read_json(request: Request, cap: int):
    raw = await _read_into(request, cap)
    if not raw or raw.isspace():  # (isspace: no copy of a large body)
        raise RequestError('the request body is empty: send JSON such as {"image": "<base64>"}', code="InvalidJson")
    if len(raw) > 1 << 20:
        return await run_in_threadpool(_loads, raw)
    return _loads(raw)


_STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def _load_static() -> dict[str, tuple[bytes, str]]:
    """The page's assets, read once from the package: ``{name: (bytes, content type)}``."""
    out = {}
    root = importlib.resources.files("ocrprep.service") / "static"
    for entry in root.iterdir():
        name = entry.name
        suffix = name[name.rfind("."):].lower() if "." in name else ""
        if entry.is_file() and suffix in _STATIC_TYPES and not name.startswith("."):
            out[name] = (entry.read_bytes(), _STATIC_TYPES[suffix])
    return out


_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

_SECURED = {"security": [{"JWT": []}]}


def _body_doc(model: str, extra: dict | None = None) -> dict:
    doc = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}}}
    doc.update(_SECURED)
    if extra:
        doc.update(extra)
    return doc


_POST_RESPONSES = {
    200: {"description": "the task id (a GUID), as text", "content": {"text/plain": {"schema": {"type": "string", "format": "uuid"}}}},
    400: {"model": models.ErrorBody, "description": "invalid JSON, base64, image or settings"},
    401: {"model": models.ErrorBody, "description": "missing, invalid or expired bearer token"},
    413: {"model": models.ErrorBody, "description": "request body over --max-body"},
    429: {"model": models.ErrorBody, "description": "this endpoint's queue (image jobs or recognitions) is full: "
                                                    "retry after the Retry-After header's seconds"},
}
_GET_RESPONSES = {
    200: {"model": models.OCRResponse, "description": "the task envelope (taskStatus NotExist for unknown or expired ids)"},
    400: {"model": models.ErrorBody, "description": "missing or malformed id"},
    401: {"model": models.ErrorBody, "description": "missing, invalid or expired bearer token"},
}
_ID = Query(None, description="the task id returned by the POST")


# --------------------------------------------------------------------------- #
# the app
# --------------------------------------------------------------------------- #
def create_app(config: ServiceConfig | None = None, *, engine=None) -> FastAPI:
    """The ASGI app (FastAPI); the service starts with the app's lifespan.

    ``engine`` replaces the :class:`ocrprep.OcrEngine` used for recognition (tests).
    """
    config = config or ServiceConfig.from_env()
    service = Service(config, engine=engine)
    static = _load_static()
    from ..data import sample_path

    sample = sample_path().read_bytes()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        service.waiters.bind(asyncio.get_running_loop())
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            service.waiters.wake_all()
            await run_in_threadpool(service.stop)

    kwargs = {}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        kwargs["telemetry"] = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(
        title="ocrprep OCR service",
        version=__version__,
        description=(
            "Self-hosted document preprocessing and recognition shaped like Aspose OCR Cloud v5: "
            "POST a base64 image, receive a task id, GET the result. Authenticate with "
            "POST /connect/token (client credentials) and send `Authorization: Bearer <token>`. "
            "A GET of a task still pending or running waits for it to end (up to --result-wait, 30 s); "
            "DELETE with ?id= cancels a pending task. "
            "Differences from the cloud: see `help(ocrprep.service)` -- in short: one image per "
            "request (RecognizePdf: one PDF); every resultType, Pdf being a searchable PDF; makeSpellCheck "
            "corrects the text with ocrprep.spellcheck; dsrMode and dsrConfidence are accepted but have no effect; RecognizeImage also takes "
            "ocrprep's `filters`; unknown or expired ids read as taskStatus NotExist (HTTP 200); "
            "text to speech, invoices, fonts, DjVu, labels and receipts answer 501; "
            "errors are {status, title, code, detail, error.messages}; 413 over the body cap, 400 ImageTooLarge "
            "over the pixel cap, 429 with Retry-After when the queue of image jobs or of recognitions is full."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        **kwargs,
    )
    app.state.service = service
    max_body = config.max_body
    limits = {"max_bytes": config.max_body, "max_pixels": config.max_pixels}

    # ---- errors --------------------------------------------------------------
    @app.exception_handler(RequestError)
    async def _request_error(request, exc: RequestError):
        return _error(exc.status, exc.code, str(exc), exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request, exc: StarletteHTTPException):
        code = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HttpError")
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404:
            detail = f"no route {request.method} {request.url.path} (see /docs)"
        return _error(exc.status_code, code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request, exc: RequestValidationError):
        msgs = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return _error(400, "BadRequest", msgs or "invalid request")

    @app.exception_handler(sqlite3.Error)
    async def _storage_error(request, exc: sqlite3.Error):  # a full disk is 507, not a 500 and a closed connection
        problem = storage_problem(exc)
        if problem is None:
            return await _internal_error(request, exc)
        log.error("task database error", **fields(path=request.url.path, error=str(exc), status=problem[0]))
        return _error(*problem, headers={"Retry-After": str(STORAGE_RETRY_AFTER)})

    @app.exception_handler(Exception)
    async def _internal_error(request, exc: Exception):
        log.error("unhandled error", exc_info=exc, **fields(path=request.url.path))
        return _error(500, "InternalError", "internal server error (logged on the server)")

    # ---- auth ------------------------------------------------------------------
    def client_of(request: Request) -> str | None:
        if service.issuer is None:
            return None
        header = request.headers.get("authorization")
        token = parse_bearer(header) if header else None
        if token is None:
            raise RequestError(
                "authentication required: get a token from POST /connect/token and send 'Authorization: Bearer <token>'",
                status=401, code="Unauthorized", headers={"WWW-Authenticate": 'Bearer realm="ocrprep"'},
            )
        try:
            return service.issuer.verify(token).client_id
        except AuthError as exc:
            code = "TokenExpired" if "expired" in str(exc) else "InvalidToken"
            desc = str(exc).replace('"', "'")
            raise RequestError(str(exc), status=401, code=code, headers={
                "WWW-Authenticate": f'Bearer realm="ocrprep", error="invalid_token", error_description="{desc}"'}) from None

    # ---- token -------------------------------------------------------------------
    @app.post(
        "/connect/token",
        tags=["auth"],
        summary="Get an access token (OAuth 2 client credentials)",
        responses={200: {"model": models.TokenResponse}, 400: {"model": models.OAuthError}, 401: {"model": models.OAuthError}},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/TokenRequest"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/TokenRequest"}},
            "application/json": {"schema": {"$ref": "#/components/schemas/TokenRequest"}},
        }}},
    )
    async def token(request: Request):
        def oauth_error(status, error, description, headers=None):
            return JSONResponse({"error": error, "error_description": description, "status": status},
                                status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})

        try:
            raw = await _read_body(request, 64 << 10)
        except RequestError as exc:
            return oauth_error(exc.status, "invalid_request", str(exc))
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        form: dict = {}
        try:
            if ctype == "application/json" or raw.lstrip()[:1] == b"{":
                data = json.loads(raw or b"{}")
                if not isinstance(data, dict):
                    raise ValueError("not an object")
                form = {k: v for k, v in data.items() if isinstance(v, str)}
            elif ctype == "multipart/form-data":  # what SDK 24.8 sends
                from .multipart import parse_multipart

                parts = parse_multipart(raw, request.headers.get("content-type", ""))
                form = {k: p.data.decode("utf-8") for k, p in parts.items()}
            else:
                parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
                form = {k: v[0] for k, v in parsed.items()}
            for v in form.values():
                v.encode("utf-8")  # a lone surrogate ("\ud800") is not text a client id or secret can hold
        except (ValueError, UnicodeError, RecursionError, RequestError):
            return oauth_error(400, "invalid_request", "the body must be form-encoded (grant_type=client_credentials&"
                                                      "client_id=...&client_secret=...), multipart/form-data "
                                                      "with those fields, or a JSON object")
        grant = form.get("grant_type")
        if grant is None:
            return oauth_error(400, "invalid_request", "grant_type is required (client_credentials)")
        if grant != "client_credentials":
            return oauth_error(400, "unsupported_grant_type", f"only grant_type=client_credentials is supported, got {grant!r}")
        basic = parse_basic(request.headers.get("authorization", ""))
        cid, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if not cid or secret is None:
            return oauth_error(400, "invalid_request", "client_id and client_secret are required")
        if service.issuer is None:  # --no-auth: any client gets a (never checked) token
            return JSONResponse({"access_token": "no-auth." + uuid.uuid4().hex, "token_type": "Bearer",
                                 "expires_in": int(config.token_ttl)}, headers={"Cache-Control": "no-store"})
        try:
            body = service.issuer.issue(cid, secret)
        except AuthError as exc:
            log.warning("token refused", **fields(client_id=cid[:64], client=request.client.host if request.client else None))
            await asyncio.sleep(0.25)  # slows down guessing
            # RFC 6749 5.2: a challenge only for clients that tried HTTP Basic (a browser's
            # fetch() would otherwise open a login dialog)
            challenge = {"WWW-Authenticate": 'Basic realm="ocrprep"'} if basic else None
            return oauth_error(401, exc.code, str(exc), challenge)
        log.info("token issued", **fields(client_id=cid))
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    # ---- tasks -------------------------------------------------------------------
    # decoding uploads is the memory-hungry step: a few at a time, whatever the number of requests
    decode_slots = anyio.CapacityLimiter(max(2, min(8, config.workers + config.ocr_workers)))

    async def submit(request: Request, parse, lane: str, **extra) -> Response:
        client = client_of(request)
        service.check_capacity(lane)
        body = await _read_json(request, max_body)
        return await submit_with(client, lambda: parse(body, **limits, **extra))

    async def submit_with(client: str | None, make) -> Response:
        """Queue the :class:`Submission` ``make()`` builds (decoding on a thread, a few at a time)."""
        sub = await anyio.to_thread.run_sync(make, limiter=decode_slots)
        task_id = await run_in_threadpool(service.submit, sub, client)
        return PlainTextResponse(task_id)

    async def require_tesseract() -> list[str]:
        """The installed Tesseract languages, or a 503 when Tesseract is missing."""
        t = await run_in_threadpool(service.tesseract)
        if not t["available"]:
            raise RequestError(f"recognition is unavailable on this server: {t.get('reason', 'Tesseract not found')}",
                               status=503, code="TesseractUnavailable")
        return t["languages"]

    def server_stopping() -> bool:
        server = getattr(app.state, "server", None)
        return bool(server is not None and getattr(server, "should_exit", False))

    async def wait_for(task_id: str, kind: str | None = None, client: str | None = None) -> None:
        """The GET that waits: hold the request while the task is pending or running (no thread held).

        Only for a task the GET would show: another client's task, or one of another operation,
        answers at once (as NotExist), so waiting reveals nothing about it.
        """
        if config.result_wait <= 0:
            return
        task = await run_in_threadpool(service.store.get, task_id, with_results=False)
        if task is None or task.status not in (PENDING, PROCESSING):
            return
        if (config.auth and task.client != client) or (kind is not None and task.kind not in kind_group(kind)):
            return

        async def still_running():
            return await run_in_threadpool(service.store.status, task_id) in (PENDING, PROCESSING)

        await service.waiters.wait(task_id, config.result_wait, still_running, server_stopping)

    async def fetch(request: Request, kind: str | None, with_results: bool = True) -> Response:
        client = client_of(request)
        task_id = _task_id(request)
        if with_results:  # GetTaskStatus answers at once: it is how pollers look
            await wait_for(task_id, kind, client)
        text = await run_in_threadpool(service.envelope, task_id, kind, client, with_results)
        return Response(text, media_type="application/json", headers={"Cache-Control": "no-store"})

    async def cancel(request: Request, kind: str | None) -> Response:
        client = client_of(request)
        task_id = _task_id(request)
        text = await run_in_threadpool(service.cancel, task_id, kind, client)
        return Response(text, media_type="application/json", headers={"Cache-Control": "no-store"})


    @app.post("/v5.0/ocr/BinarizeImage", tags=["image processing"], summary="Queue a binarization",
              description="Automatic binarization (ocrprep.binarize, method auto). Returns the task id as text.",
              responses=_POST_RESPONSES, openapi_extra=_body_doc("BinarizeImageBody"))
    async def post_binarize(request: Request):
        return await submit(request, parse_binarize, "kernel")

    @app.get("/v5.0/ocr/BinarizeImage", tags=["image processing"], summary="Fetch a binarization",
             description="The result is a 1-bit PNG (results[0].type ImagePNG), base64-encoded.",
             responses=_GET_RESPONSES, openapi_extra=_SECURED)
    async def get_binarize(request: Request, id: str | None = _ID):
        return await fetch(request, "binarize")

    @app.post("/v5.0/ocr/RecognizeImage", tags=["recognition"], summary="Queue a recognition",
              description="Tesseract recognition after the settings' preprocessing. Returns the task id as text.",
              responses={**_POST_RESPONSES, 503: {"model": models.ErrorBody, "description": "Tesseract is not installed"}},
              openapi_extra=_body_doc("RecognizeImageBody"))
    async def post_recognize(request: Request):
        client_of(request)
        languages = await require_tesseract()
        return await submit(request, parse_recognize, "ocr", languages=languages)

    @app.get("/v5.0/ocr/RecognizeImage", tags=["recognition"], summary="Fetch a recognition",
             description="Results are base64-encoded UTF-8: Text, JSON (lines, words, boxes, confidences) and/or Hocr.",
             responses=_GET_RESPONSES, openapi_extra=_SECURED)
    async def get_recognize(request: Request, id: str | None = _ID):
        return await fetch(request, "recognize")

    @app.post("/v5.0/ocr/Preprocess", tags=["image processing"], summary="Queue a filter pipeline",
              description="Runs an ocrprep.PreprocessingFilter list (its JSON or short form). Returns the task id.",
              responses=_POST_RESPONSES, openapi_extra=_body_doc("PreprocessBody"))
    async def post_preprocess(request: Request):
        return await submit(request, parse_preprocess, "kernel")

    @app.get("/v5.0/ocr/Preprocess", tags=["image processing"], summary="Fetch a filter pipeline's result",
             description="The result is a PNG (1-bit when the page is black and white).",
             responses=_GET_RESPONSES, openapi_extra=_SECURED)
    async def get_preprocess(request: Request, id: str | None = _ID):
        return await fetch(request, "preprocess")

    @app.get("/v5.0/ocr/Utilities/GetTaskStatus", tags=["utilities"], summary="Task status without results",
             responses=_GET_RESPONSES, openapi_extra=_SECURED)
    async def get_task_status(request: Request, id: str | None = _ID):
        return await fetch(request, None, with_results=False)

    # the other cloud operations (deskew, upscale, dewarp, PDFs, regions, tables, file uploads,
    # cancellation, 501 for what ocrprep does not do): ocrprep.service.routes_cloud
    from . import routes_cloud

    routes_cloud.add_routes(app, SimpleNamespace(
        service=service, config=config, limits=limits, fetch=fetch, cancel=cancel, submit=submit,
        submit_with=submit_with, client_of=client_of, require_tesseract=require_tesseract, wait_for=wait_for,
        task_id=_task_id, read_body=_read_body, post_responses=_POST_RESPONSES, get_responses=_GET_RESPONSES,
        body_doc=_body_doc, secured=_SECURED))

    # ---- health, docs, demo ----------------------------------------------------------
    @app.get("/health", tags=["service"], summary="Liveness and queue figures", response_model=models.Health,
             description="With authentication on, a caller without a valid token gets only "
                         '{"status": "ok", "auth": true}; the figures need a token.')
    async def health(request: Request):
        if service.issuer is not None:
            try:
                client_of(request)
            except RequestError:  # queue figures and installed languages are for clients only
                return JSONResponse({"status": "ok", "auth": True}, headers={"Cache-Control": "no-store"})
        return JSONResponse(await run_in_threadpool(service.health), headers={"Cache-Control": "no-store"})

    def asset(name: str, csp: bool = False) -> Response:
        if name not in static:
            raise StarletteHTTPException(404)
        body, ctype = static[name]
        headers = {"Cache-Control": "no-cache"}
        if csp:
            headers["Content-Security-Policy"] = _CSP
        return Response(body, media_type=ctype, headers=headers)

    @app.get("/", include_in_schema=False)
    async def index():
        return asset("index.html", csp=True)

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return asset("docs.html", csp=True)

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str):
        return asset(name)  # a dictionary lookup: never a file path

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    @app.get("/demo/sample.png", include_in_schema=False)
    async def demo_sample():
        return Response(sample, media_type="image/png", headers={"Cache-Control": "max-age=3600"})

    # ---- OpenAPI: add the body schemas and the bearer scheme ----------------------------
    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        comps = schema.setdefault("components", {})
        schemas = comps.setdefault("schemas", {})
        for model in models.SCHEMAS:
            s = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in s.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas[model.__name__] = s
        for item in schema.get("paths", {}).values():
            for op in item.values():
                op.get("responses", {}).pop("422", None)  # the service answers 400, never FastAPI's 422
                for resp in op.get("responses", {}).values():  # POSTs answer text/plain only
                    content = resp.get("content", {})
                    if "text/plain" in content and not content.get("application/json", {}).get("schema"):
                        content.pop("application/json", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        comps["securitySchemes"] = {"JWT": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                            "description": "a token from POST /connect/token"}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi

    canonical = {}
    for route in app.routes:
        path = getattr(route, "path", None)
        if path and "{" not in path:
            canonical[path.lower()] = path
    app.add_middleware(_CaseInsensitivePaths, canonical=canonical)
    app.add_middleware(UploadBudget, limit=config.upload_budget_bytes, max_body=config.max_body)
    app.add_middleware(SameOriginGuard, loopback_only=not config.auth and is_loopback_host(config.host))
    app.add_middleware(_AccessLog)
    app.add_middleware(_JsonCharset)  # outermost: every JSON answer, the middlewares' own included
    return app
