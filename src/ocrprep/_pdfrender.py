"""PDF pages rendered in a child process under time and memory limits (the parent's side).

:mod:`ocrprep.io` hands each page of an untrusted PDF to a worker process
running :mod:`ocrprep._pdfworker`: a page that would take the renderer's
memory or time without bound (a form bomb) ends that worker, never the
caller, and becomes a :class:`~ocrprep.DecompressionBombError` for that page
while the next page goes on in a new worker.

Workers are reused: a document keeps its worker for all its pages (PDFium
opens the file once), and a worker whose document is done waits, idle, for
the next document (up to :data:`MAX_IDLE` of them), so a folder of PDFs
starts few interpreters.  A worker ends when its parent does (its stdin
closes).
"""
from __future__ import annotations

import atexit
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from .errors import DecompressionBombError, ImageDecodeError

#: Idle workers kept for later documents (the others end).
MAX_IDLE = 4

_WORKER_FILE = Path(__file__).with_name("_pdfworker.py")
# load _pdfworker.py by path: importing the ocrprep package would load every kernel in the child
_BOOT = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('ocrprep_pdfworker', sys.argv[1])\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "module.main()\n"
)


def available() -> bool:
    """Whether pages can be rendered in a limited child process here (POSIX with setrlimit)."""
    if os.name != "posix":
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


class WorkerGone(Exception):
    """The worker process ended or stopped answering (``reason`` says how)."""

    def __init__(self, reason: str, signum: int | None = None, timed_out: bool = False):
        super().__init__(reason)
        self.signum = signum
        self.timed_out = timed_out


class _Worker:
    """One child process speaking :mod:`ocrprep._pdfworker`'s protocol."""

    def __init__(self):
        env = dict(os.environ)
        # the child finds pypdfium2 / Pillow / pypdf where this process found them
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(_WORKER_FILE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            bufsize=0, close_fds=True, env=env,
        )
        self.owner = os.getpid()

    def alive(self) -> bool:
        # a forked copy of the parent shares the pipes: only the process that started a worker uses it
        return self.owner == os.getpid() and self.proc.poll() is None

    def kill(self) -> None:
        if self.owner != os.getpid():
            return  # the parent's worker (this is a forked copy): the parent ends it
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that survives SIGKILL
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    def _gone(self, timed_out: bool = False) -> WorkerGone:
        if timed_out:
            self.kill()
            return WorkerGone("no answer in time", signal.SIGKILL, timed_out=True)
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        self.kill()
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return WorkerGone(f"the renderer process was ended by {name}", -code)
        return WorkerGone(f"the renderer process exited (status {code})")

    def request(self, msg: dict, data: bytes = b"", *, timeout: float) -> tuple[dict, bytearray]:
        if data:
            msg = dict(msg, nbytes=len(data))
        head = json.dumps(msg).encode()
        try:
            self.proc.stdin.write(struct.pack(">I", len(head)) + head)
            if data:
                self.proc.stdin.write(data)
        except (BrokenPipeError, OSError, ValueError):
            raise self._gone() from None
        deadline = time.monotonic() + timeout
        (length,) = struct.unpack(">I", self._read(4, deadline))
        reply = json.loads(bytes(self._read(length, deadline)))
        payload = self._read(reply["nbytes"], deadline) if reply.get("nbytes") else bytearray()
        return reply, payload

    def _read(self, n: int, deadline: float) -> bytearray:
        buf = bytearray(n)
        view = memoryview(buf)
        pos = 0
        fd = self.proc.stdout.fileno()
        while pos < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._gone(timed_out=True)
            try:
                ready, _, _ = select.select([fd], [], [], remaining)
            except InterruptedError:  # pragma: no cover - retried by Python since 3.5
                continue
            if not ready:
                continue
            got = self.proc.stdout.readinto(view[pos:])
            if not got:
                raise self._gone()
            pos += got
        return buf


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _checkout() -> _Worker:
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker
            worker.kill()
    return _Worker()


def _checkin(worker: _Worker) -> None:
    if worker.alive():
        try:
            reply, _ = worker.request({"op": "close"}, timeout=30)
        except WorkerGone:
            return
        if reply.get("ok"):
            with _idle_lock:
                if len(_idle) < MAX_IDLE:
                    _idle.append(worker)
                    return
    worker.kill()


def _forget_after_fork() -> None:
    """In a forked child: the idle workers belong to the parent (their pipes too); start afresh."""
    global _idle_lock
    _idle_lock = threading.Lock()
    _idle.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


@atexit.register
def shutdown() -> None:
    """End the idle workers (they would end by themselves when this process exits)."""
    with _idle_lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


class Session:
    """The pages of one document, rendered by one worker (replaced if a page ends it)."""

    def __init__(self, source, label: str):
        self.source = source  # a path (str) or the PDF's bytes
        self.label = label
        self.worker: _Worker | None = None

    def _open(self, timeout: float) -> _Worker:
        worker = _checkout()
        if isinstance(self.source, str):
            msg, data = {"op": "open", "path": self.source}, b""
        else:
            msg, data = {"op": "open"}, bytes(self.source)
        try:
            reply, _ = worker.request(msg, data, timeout=timeout)
        except WorkerGone as exc:
            raise ImageDecodeError(f"{self.label}: the PDF renderer could not open the document ({exc})") from None
        if not reply.get("ok"):
            _checkin(worker)
            raise ImageDecodeError(f"{self.label}: corrupt or unreadable PDF ({reply.get('error')})")
        return worker

    def render(self, index: int, page_label: str, *, scale: float, gray: bool, pixels: int, limits: dict):
        """``(mode, (width, height), pixel bytes)`` of page ``index``; an ocrprep error otherwise."""
        cpu = float(limits["seconds"])
        memory = int(limits["memory"]) + 8 * pixels  # the bitmap, its conversion and the copy sent back
        # the CPU limit decides; the clock only catches a stalled child (generous: a busy machine
        # gives the child a fraction of a core)
        wall = 10 * cpu + 30
        if self.worker is None or not self.worker.alive():
            if self.worker is not None:
                self.worker.kill()
            self.worker = self._open(wall)
        msg = {
            "op": "render", "index": index, "scale": scale, "gray": gray,
            "cpu_seconds": cpu, "memory_bytes": memory, "check": bool(limits["check"]),
            "max_draws": int(limits["draws"]), "max_depth": int(limits["depth"]),
            "max_content": int(limits["content"]),
        }
        try:
            reply, payload = self.worker.request(msg, timeout=wall)
        except WorkerGone as exc:
            self.worker = None
            if exc.signum == getattr(signal, "SIGXCPU", None) or exc.timed_out:
                what = f"took more than {cpu:g} s of CPU time" if not exc.timed_out else \
                    f"gave no answer within {wall:g} s"
                limit = "ocrprep.io.PDF_RENDER_SECONDS / OCRPREP_PDF_RENDER_SECONDS"
            else:
                what = (f"needed more than {memory / 2**20:,.0f} MB of memory, or crashed PDFium "
                        f"({exc})")
                limit = "ocrprep.io.PDF_RENDER_MEMORY / OCRPREP_PDF_RENDER_MEMORY"
            raise DecompressionBombError(
                f"{page_label}: rendering stopped: the page {what} (possible PDF bomb; the limit is "
                f"{limit})"
            ) from None
        if reply.get("ok"):
            return reply["mode"], tuple(reply["size"]), payload
        kind, error = reply.get("kind"), reply.get("error")
        if kind == "complex":
            raise DecompressionBombError(f"{page_label}: {error}")
        if kind == "memory":
            raise DecompressionBombError(
                f"{page_label}: rendering needs more than {memory / 2**20:,.0f} MB of memory (possible PDF bomb; "
                "the limit is ocrprep.io.PDF_RENDER_MEMORY / OCRPREP_PDF_RENDER_MEMORY)"
            )
        if kind == "load":
            raise ImageDecodeError(f"{page_label}: cannot load the page ({error})")
        raise ImageDecodeError(f"{page_label}: cannot render ({error})")

    def close(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            _checkin(worker)
