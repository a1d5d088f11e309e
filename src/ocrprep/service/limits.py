"""Memory: a budget on the request bodies read and decoded at once, and memory given back after bursts.

Each upload costs a few times its size while it is read, parsed and decoded
(the body, the JSON text, the image file, the decoded page).  32 clients
posting 60 MB at once took the server to 4.9 GB.  :class:`UploadBudget`
admits a request body only while the bodies being handled add up to at
most ``--upload-budget`` bytes (default 256 MB, at least ``--max-body``);
beyond it the request is answered at once with **503** ``ServerBusy``,
``Retry-After`` and the JSON error body, before its body is read.  Bodies
sent without a ``Content-Length`` (chunked) are counted as they arrive.

A JSON body may hold at most :data:`MAX_JSON_VALUES` values (checked on the
raw bytes before parsing): 60 MB of ``[{"name": "invert"}, ...]`` would
take about a gigabyte once parsed.

After a burst, the memory the uploads used is given back to the system:
when the last admitted body is done and at least :data:`TRIM_AFTER` bytes
went through since the last time, ``malloc_trim(0)`` runs (glibc; a no-op
elsewhere), and ``ocrprep serve`` makes glibc serve every allocation of
:data:`MMAP_THRESHOLD` bytes or more from its own mapping (``mallopt``), so
freeing a page's buffers returns them at once instead of leaving holes in
the heap (see :func:`tune_malloc`).
"""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import json
import threading

__all__ = ["ByteBudget", "UploadBudget", "trim_memory", "tune_malloc", "DEFAULT_UPLOAD_BUDGET",
           "TRIM_AFTER", "MMAP_THRESHOLD", "MAX_JSON_VALUES"]

#: default of ``--upload-budget`` (raised to ``--max-body`` when that is larger)
DEFAULT_UPLOAD_BUDGET = 256 << 20
#: bytes of bodies after which an idle moment gives memory back (malloc_trim)
TRIM_AFTER = 64 << 20
#: allocations this large get their own mapping (returned to the system when freed)
MMAP_THRESHOLD = 4 << 20
#: seconds a client refused for lack of budget is asked to wait
RETRY_AFTER = 2
#: the most values (counted by their separating commas) a JSON request body may hold: parsed,
#: millions of tiny values (``[{}, {}, ...]``) take some 30 times the body's size in memory
MAX_JSON_VALUES = 10_000

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "DELETE"}
_libc = None


def _glibc():
    global _libc
    if _libc is None:
        _libc = False
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            if hasattr(lib, "malloc_trim") and hasattr(lib, "mallopt"):
                _libc = lib
        except OSError:
            pass
    return _libc or None


def trim_memory() -> bool:
    """Give the C heap's free memory back to the system (glibc ``malloc_trim(0)``); False elsewhere."""
    lib = _glibc()
    if lib is None:
        return False
    lib.malloc_trim(0)
    return True


def tune_malloc(threshold: int = MMAP_THRESHOLD) -> bool:
    """Make glibc map every allocation of ``threshold`` bytes or more on its own (``M_MMAP_THRESHOLD``),
    so large buffers go back to the system when freed; process-wide, used by ``ocrprep serve``.
    False when the C library is not glibc."""
    lib = _glibc()
    if lib is None:
        return False
    M_MMAP_THRESHOLD = -3
    return bool(lib.mallopt(M_MMAP_THRESHOLD, int(threshold)))


class ByteBudget:
    """A count of bytes in use, never above ``limit`` (thread-safe).

    Examples
    --------
    >>> b = ByteBudget(100)
    >>> b.try_acquire(60), b.try_acquire(60), b.used
    (True, False, 60)
    >>> b.release(60); b.used
    0
    """

    def __init__(self, limit: int):
        self.limit = int(limit)
        self.used = 0
        self.peak = 0
        self.refused = 0
        self._lock = threading.Lock()

    def try_acquire(self, n: int) -> bool:
        with self._lock:
            if self.used + n > self.limit and n > 0:
                self.refused += 1
                return False
            self.used += n
            self.peak = max(self.peak, self.used)
            return True

    def release(self, n: int) -> None:
        with self._lock:
            self.used -= n


def _busy_body(limit: int) -> bytes:
    msg = (f"the server is handling as many uploads as its memory budget allows ({limit:,} bytes, "
           f"--upload-budget); retry in {RETRY_AFTER} s")
    return json.dumps({"status": 503, "code": "ServerBusy", "detail": msg, "error": {"messages": [msg]}}).encode()


class UploadBudget:
    """ASGI middleware admitting request bodies within a :class:`ByteBudget` (see the module docstring).

    Parameters
    ----------
    app : ASGI application
    limit : int
        Bytes of request bodies handled at once.
    max_body : int
        The largest body the app accepts: a longer announced body is not counted (the app
        refuses it with 413 without reading it).
    """

    def __init__(self, app, *, limit: int, max_body: int):
        self.app = app
        self.budget = ByteBudget(limit)
        self.max_body = max_body
        self._since_trim = 0
        self._trimming = False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method", "GET") in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        length = None
        for k, v in scope.get("headers", ()):
            if k.lower() == b"content-length":
                try:
                    length = int(v)
                except ValueError:
                    length = None
                break
        held = 0
        if length is not None and 0 < length <= self.max_body:
            if not self.budget.try_acquire(length):
                await self._refuse(send)
                return
            held = length
            inner = receive
        else:
            counted = [0]

            async def inner():  # chunked (or over max_body): count the bytes as they come
                nonlocal held
                message = await receive()
                n = len(message.get("body", b"")) if message["type"] == "http.request" else 0
                if n and counted[0] + n <= self.max_body:
                    if not self.budget.try_acquire(n):
                        from .tasks import RequestError

                        raise RequestError(json.loads(_busy_body(self.budget.limit))["detail"], status=503,
                                           code="ServerBusy", headers={"Retry-After": str(RETRY_AFTER)})
                    held += n
                counted[0] += n
                return message

        try:
            await self.app(scope, inner, send)
        finally:
            if held:
                self.budget.release(held)
                self._since_trim += held
                if self.budget.used == 0 and self._since_trim >= TRIM_AFTER and not self._trimming:
                    self._since_trim = 0
                    self._trimming = True
                    asyncio.get_running_loop().run_in_executor(None, self._trim)

    def _trim(self) -> None:
        try:
            trim_memory()
        finally:
            self._trimming = False

    async def _refuse(self, send) -> None:
        body = _busy_body(self.budget.limit)
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(RETRY_AFTER).encode()), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
