"""Regression tests of the service's hardening (issue 10: findings 2, 3, 4, 6, 8, 9, 13, 19).

Each test drives the real app (Starlette's TestClient: lifespan and worker threads included) or a
real ``ocrprep serve`` process, with small configured limits where a resource is bounded.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
import warnings

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from ocrprep.service import ServiceConfig  # noqa: E402
from servicehelp import b64, page, png_bytes  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

CLIENTS = {"alice": "alice-secret-1", "bob": "bob-secret-22"}


def make_client(tmp_path, **kw):
    cfg = dict(db=str(tmp_path / "svc.sqlite3"), clients=CLIENTS, workers=2, ocr_workers=1, log_level="warning")
    cfg.update(kw)
    if not cfg.get("auth", True):
        cfg.pop("clients")
    from ocrprep.service import create_app

    return TestClient(create_app(ServiceConfig(**cfg)), raise_server_exceptions=False)


def token(c, who="alice"):
    r = c.post("/connect/token", data={"grant_type": "client_credentials", "client_id": who,
                                      "client_secret": CLIENTS[who]})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def wait(c, path, tid, headers, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        env = c.get(path, params={"id": tid}, headers=headers).json()
        if env["taskStatus"] not in ("Pending", "Processing"):
            return env
        assert time.monotonic() < deadline, env
        time.sleep(0.02)


# --------------------------------------------------------------------------- #
# 8. the token endpoint answers 400, never 500, for bodies the task endpoints refuse with 400
# --------------------------------------------------------------------------- #
def test_token_endpoint_refuses_lone_surrogates_and_deep_json_with_400(tmp_path):
    deep = b'{"grant_type": "client_credentials", "x": ' + b"[" * 30000 + b"]" * 30000 + b"}"
    lone = b'{"grant_type": "client_credentials", "client_id": "alice", "client_secret": "\\ud800"}'
    lone_id = b'{"grant_type": "client_credentials", "client_id": "\\udfff", "client_secret": "x"}'
    with make_client(tmp_path) as c:
        for body in (deep, lone, lone_id):
            r = c.post("/connect/token", content=body, headers={"Content-Type": "application/json"})
            assert r.status_code == 400, (body[:60], r.status_code, r.text[:200])
            assert r.json()["error"] == "invalid_request" and r.json()["error_description"]
        # HTTP Basic with a secret that is not UTF-8 text, and a form body with a lone surrogate escape
        r = c.post("/connect/token", data={"grant_type": "client_credentials"},
                   headers={"Authorization": "Basic " + b64(b"alice:%ED%A0%80")})
        assert r.status_code in (400, 401) and r.json()["error"] in ("invalid_request", "invalid_client")
        # the task endpoints answer the same bodies with 400 too, and the server keeps serving
        h = token(c)
        r = c.post("/v5.0/ocr/BinarizeImage", content=deep, headers={**h, "Content-Type": "application/json"})
        assert r.status_code == 400
        assert c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(page()))}, headers=h).status_code == 200


# --------------------------------------------------------------------------- #
# 19. a port in use: one line, exit status 3, before anything starts
# --------------------------------------------------------------------------- #
def test_port_in_use_fails_before_start_up_with_one_line_and_exit_3(tmp_path):
    import os
    import socket
    import subprocess
    import sys

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OCRPREP_SERVICE_")}
        p = subprocess.run([sys.executable, "-m", "ocrprep.cli", "serve", "--no-auth", "--port", str(port),
                            "--db", str(tmp_path / "t.db")], capture_output=True, text=True, env=env, timeout=120)
    finally:
        busy.close()
    assert p.returncode == 3, (p.returncode, p.stderr)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert lines == [f"ocrprep serve: error: cannot listen on 127.0.0.1:{port}: the address is already in use "
                     "(another server on this port? choose another with --port)"], p.stderr
    assert not (tmp_path / "t.db").exists()  # nothing was started, not even the task database
    # the exit status is documented in --help (and the README)
    p = subprocess.run([sys.executable, "-m", "ocrprep.cli", "serve", "--help"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert "3 cannot listen on --host/--port (address already in use" in " ".join(p.stdout.split())
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if readme.exists():
        assert "exit status 3" in " ".join(readme.read_text().split())


# --------------------------------------------------------------------------- #
# 13. cross-origin browser requests are refused; /health tells a caller without a token nothing more
# --------------------------------------------------------------------------- #
def test_no_auth_refuses_cross_origin_browser_posts(tmp_path):
    body = json.dumps({"image": b64(png_bytes(page()))})
    with make_client(tmp_path, auth=False) as c:
        # what a page on another site can make a browser send without a CORS preflight
        for headers in ({"Origin": "http://evil.example", "Content-Type": "text/plain"},
                        {"Origin": "null", "Content-Type": "text/plain"},
                        {"Origin": "http://testserver:8081", "Content-Type": "text/plain"},
                        {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}):
            for path in ("/v5.0/ocr/BinarizeImage", "/v5.0/ocr/Preprocess", "/connect/token"):
                r = c.post(path, content=body, headers=headers)
                assert r.status_code == 403, (headers, path, r.status_code, r.text[:200])
                j = r.json()
                assert j["code"] == "CrossOriginRefused" and j["detail"] == j["error"]["messages"][0]
        assert c.app.state.service.store.counts()["Pending"] == 0
        # DNS rebinding: evil.example re-pointed at 127.0.0.1 is same-origin to the browser, not to the service
        r = c.post("/v5.0/ocr/BinarizeImage", content=body,
                   headers={"Host": "evil.example:8080", "Origin": "http://evil.example:8080"})
        assert r.status_code == 403 and "loopback" in r.json()["detail"]
        # the service's own page (same origin), a link from another site (a navigation: no Origin) and
        # non-browser clients (no Origin at all) work
        base = {"Host": "127.0.0.1:8080"}
        assert c.get("/", headers={**base, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}).status_code == 200
        r = c.post("/v5.0/ocr/BinarizeImage", content=body,
                   headers={**base, "Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin",
                            "Content-Type": "application/json"})
        assert r.status_code == 200, r.text
        tid = c.post("/v5.0/ocr/BinarizeImage", content=body).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, {})["taskStatus"] == "Completed"


def test_health_without_a_token_shows_status_only_when_auth_is_on(tmp_path):
    with make_client(tmp_path) as c:
        assert c.get("/health").json() == {"status": "ok", "auth": True}
        assert c.get("/health", headers={"Authorization": "Bearer forged.token.here"}).json() == {"status": "ok",
                                                                                               "auth": True}
        full = c.get("/health", headers=token(c)).json()
        assert full["auth"] is True and "queue" in full and "tesseract" in full
    with make_client(tmp_path, auth=False) as c:
        assert "queue" in c.get("/health").json()


def test_hardening_module_doctests():
    import doctest
    import importlib

    for name in ("security", "server"):
        mod = importlib.import_module(f"ocrprep.service.{name}")
        result = doctest.testmod(mod)
        assert result.failed == 0 and result.attempted > 0, name
