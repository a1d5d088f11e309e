"""Helpers for the HTTP service tests: a real ``ocrprep serve`` on 127.0.0.1, and small clients.

``ServerProcess`` starts ``python -m ocrprep.cli serve`` as a child process on
a free local port with its own SQLite file, waits for ``/health``, and can
stop it gently, ``kill -9`` it, or start it again on the same database.
Nothing here touches the network beyond 127.0.0.1.
"""
from __future__ import annotations

import base64
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from frontdoor import png_header  # noqa: F401  (re-exported for the service tests)

CLIENT_ID, CLIENT_SECRET = "tester", "tester-secret-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class ServerProcess:
    """``ocrprep serve`` in a child process (see the module docstring)."""

    def __init__(self, workdir: Path, *args: str, auth: bool = True, env: dict | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db = self.workdir / "tasks.sqlite3"
        self.args = list(args)
        self.auth = auth
        self.env = dict(env or {})
        self.port = None
        self.proc: subprocess.Popen | None = None
        self.logs: list[Path] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> "ServerProcess":
        self.port = free_port()
        cmd = [sys.executable, "-m", "ocrprep.cli", "serve", "--port", str(self.port), "--db", str(self.db)]
        cmd += ["--client", f"{CLIENT_ID}:{CLIENT_SECRET}"] if self.auth else ["--no-auth"]
        cmd += self.args
        log = self.workdir / f"server-{len(self.logs)}.log"
        self.logs.append(log)
        env = {**os.environ, **self.env}
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=self.workdir)
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the server did not answer /health within {timeout} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def log_records(self) -> list[dict]:
        out = []
        for line in self.log_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def kill(self) -> None:
        """``kill -9``: no clean-up of any kind."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout``; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Client:
    """A minimal synchronous client of the service (httpx)."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 60.0):
        import httpx

        self.url = url
        self.http = httpx.Client(base_url=url, timeout=timeout)
        self.token = token

    def close(self):
        self.http.close()

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def login(self, client_id=CLIENT_ID, secret=CLIENT_SECRET) -> str:
        r = self.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                  "client_secret": secret})
        r.raise_for_status()
        self.token = r.json()["access_token"]
        return self.token

    def post(self, path: str, body) -> "httpx.Response":  # noqa: F821
        return self.http.post(path, json=body, headers=self.headers())

    def get(self, path: str, **params):
        return self.http.get(path, params=params, headers=self.headers())

    def submit(self, path: str, body) -> str:
        r = self.post(path, body)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/plain")
        return r.text

    def wait(self, path: str, task_id: str, timeout: float = 120.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(path, id=task_id)
            assert r.status_code == 200, r.text
            env = r.json()
            if env["taskStatus"] not in ("Pending", "Processing"):
                return env
            if time.monotonic() > deadline:
                raise TimeoutError(f"task {task_id} still {env['taskStatus']} after {timeout} s")
            time.sleep(0.05)


def result_image(env: dict) -> np.ndarray:
    import ocrprep

    assert env["taskStatus"] == "Completed", env
    assert env["results"][0]["type"] == "ImagePNG"
    png = base64.b64decode(env["results"][0]["data"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return ocrprep.imread(png)


def result_text(env: dict, index: int = 0) -> str:
    assert env["taskStatus"] == "Completed", env
    return base64.b64decode(env["results"][index]["data"]).decode("utf-8")


def page(seed: int = 0, shape=(300, 400)) -> np.ndarray:
    """A grey page with dark strokes on an uneven background (binarization has work to do)."""
    rng = np.random.default_rng(seed)
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w]
    bg = 170 + 60 * (xx / w) + rng.normal(0, 6, shape)
    img = bg.copy()
    for _ in range(25):
        y, x = rng.integers(0, h - 12), rng.integers(0, w - 60)
        img[y:y + 6, x:x + rng.integers(10, 60)] -= rng.integers(80, 140)
    return np.clip(img, 0, 255).astype(np.uint8)
