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

    for name in ("security", "server", "files", "config", "budget", "storage", "limits", "logs"):
        mod = importlib.import_module(f"ocrprep.service.{name}")
        result = doctest.testmod(mod)
        assert result.failed == 0 and result.attempted > 0, name


# --------------------------------------------------------------------------- #
# 2. the database, its key and the tokens
# --------------------------------------------------------------------------- #
def _mode(path) -> int:
    import os

    return os.stat(path).st_mode & 0o777


def _forge(key: bytes, claims: dict) -> str:
    import base64
    import hashlib
    import hmac

    enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    signing = enc(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + enc(json.dumps(claims).encode())
    return signing + "." + enc(hmac.new(key, signing.encode(), hashlib.sha256).digest())


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX permissions")
def test_database_folder_and_files_are_private_and_an_exposed_key_is_replaced(tmp_path):
    folder = tmp_path / "state" / "ocrprep"
    db = folder / "svc.sqlite3"
    with make_client(tmp_path, db=str(db)) as c:
        h = token(c)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(page()))}, headers=h).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, h)["taskStatus"] == "Completed"
        assert _mode(folder) == 0o700 and _mode(folder.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            assert _mode(str(db) + suffix) == 0o600, suffix
    # a database others could read (an older version made it 0644): private again, and its key replaced
    db.chmod(0o644)
    with make_client(tmp_path, db=str(db)) as c:
        assert _mode(db) == 0o600
        r = c.get("/v5.0/ocr/BinarizeImage", params={"id": tid}, headers=h)
        assert r.status_code == 401 and r.json()["code"] == "InvalidToken"  # signed with the old key
        assert c.get("/v5.0/ocr/BinarizeImage", params={"id": tid}, headers=token(c)).json()["taskStatus"] == "Completed"


def test_tokens_are_held_to_the_server_lifetime_whatever_they_claim(tmp_path):
    import sqlite3

    with make_client(tmp_path, token_ttl=600) as c:
        key = bytes(sqlite3.connect(tmp_path / "svc.sqlite3").execute(
            "SELECT value FROM meta WHERE key = 'token_key'").fetchone()[0])
        now = int(time.time())
        ten_years = {"iss": "ocrprep", "sub": "bob", "iat": now, "nbf": now, "exp": now + 10 * 365 * 86400}
        ok = dict(ten_years, exp=now + 600)
        old = dict(ten_years, iat=now - 700, exp=now + 10 * 365 * 86400)
        future = dict(ten_years, iat=now + 3600, exp=now + 3900)
        no_iat = {k: v for k, v in ok.items() if k != "iat"}
        probe = {"id": "c4b60313-4f78-45f8-b708-069eb98dc22e"}
        for claims, status in ((ok, 200), (ten_years, 401), (old, 401), (future, 401), (no_iat, 401)):
            r = c.get("/v5.0/ocr/Utilities/GetTaskStatus", params=probe,
                      headers={"Authorization": "Bearer " + _forge(key, claims)})
            assert r.status_code == status, (claims, r.text)
    from ocrprep.service import ConfigError

    with pytest.raises(ConfigError, match="at most"):
        ServiceConfig(db=":memory:", auth=False, token_ttl=10 * 86400)


def test_retention_leaves_no_upload_or_result_in_the_files(tmp_path):
    import base64

    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, (120, 160), dtype=np.uint8)  # noise: its PNG bytes are unique
    raw = png_bytes(img)
    with make_client(tmp_path, retention=1.0) as c:
        h = token(c)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(raw)}, headers=h).text
        env = wait(c, "/v5.0/ocr/BinarizeImage", tid, h)
        result = base64.b64decode(env["results"][0]["data"])
        marks = [raw[200:264], raw[-300:-236], env["results"][0]["data"][100:164].encode(), result[100:164]]
        store = c.app.state.service.store
        deadline = time.monotonic() + 30
        while True:  # the janitor deletes the row, then scrubs the files
            time.sleep(0.3)
            blob = b"".join((tmp_path / f"svc.sqlite3{s}").read_bytes()
                            for s in ("", "-wal") if (tmp_path / f"svc.sqlite3{s}").exists())
            if store.get(tid) is None and not any(m in blob for m in marks):
                break
            assert time.monotonic() < deadline, [m in blob for m in marks]
        wal = tmp_path / "svc.sqlite3-wal"
        assert not wal.exists() or wal.stat().st_size < 1 << 20


def test_clients_from_a_file_and_a_warning_for_secrets_on_the_command_line(tmp_path):
    import os
    import socket
    import subprocess
    import sys

    from ocrprep.service import ConfigError
    from ocrprep.service.config import parse_client_file

    f = tmp_path / "clients"
    f.write_text("# the API clients\nalice:alice-secret-1\n\n  bob:bob-secret-22  \n")
    f.chmod(0o600)
    assert parse_client_file(f) == CLIENTS
    cfg = ServiceConfig.from_env({"OCRPREP_SERVICE_CLIENT_FILE": str(f)}, db=":memory:")
    assert dict(cfg.clients) == CLIENTS
    cfg = ServiceConfig.from_env({}, db=":memory:", client_file=str(f), clients={"carol": "carol-secret"})
    assert set(cfg.clients) == {"alice", "bob", "carol"}
    for text, msg in (("alice\n", "ID:SECRET"), ("# nothing\n", "no ID:SECRET"), ("a:1234\n", "too short")):
        f.write_text(text)
        with pytest.raises(ConfigError, match=msg):
            parse_client_file(f)
    with pytest.raises(ConfigError, match="client file"):
        parse_client_file(tmp_path / "missing")
    # the command line: --client-file works; --client warns that ps shows the secret
    f.write_text("alice:alice-secret-1\n")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCRPREP_SERVICE_")}
    base = [sys.executable, "-m", "ocrprep.cli", "serve", "--port", str(busy.getsockname()[1]),
            "--db", str(tmp_path / "t.db")]
    try:  # (the port is taken: serve ends right after reading its settings)
        p1 = subprocess.run(base + ["--client-file", str(f)], capture_output=True, text=True, env=env, timeout=120)
        p2 = subprocess.run(base + ["--client", "alice:alice-secret-1"], capture_output=True, text=True, env=env,
                            timeout=120)
    finally:
        busy.close()
    assert p1.returncode == 3 and "warning" not in p1.stderr, p1.stderr
    assert p2.returncode == 3 and "--client puts the secret on the command line" in p2.stderr


# --------------------------------------------------------------------------- #
# 4. filter lists are bounded, tasks have a time budget, long tasks do not hold up short ones
# --------------------------------------------------------------------------- #
def test_filter_lists_are_bounded_before_parsing(tmp_path):
    from ocrprep.service.budget import MAX_FILTERS

    small = b64(png_bytes(page()[:20, :20]))
    with make_client(tmp_path) as c:
        h = token(c)
        svc = c.app.state.service
        ok = {"image": small, "filters": [{"name": "invert"}] * MAX_FILTERS}
        assert c.post("/v5.0/ocr/Preprocess", json=ok, headers=h).status_code == 200
        for filters in ([{"name": "invert"}] * (MAX_FILTERS + 1),
                        {"filters": ["invert"] * (MAX_FILTERS + 1)},
                        ",".join(["invert"] * (MAX_FILTERS + 1)),
                        "invert" + " " * 10_000):
            r = c.post("/v5.0/ocr/Preprocess", json={"image": small, "filters": filters}, headers=h)
            assert r.status_code == 400 and r.json()["code"] == "InvalidFilters", r.text[:300]
            assert "64" in r.json()["detail"] or "8,192" in r.json()["detail"], r.json()["detail"]
            assert len(r.json()["detail"]) < 300
        # millions of values are refused before the JSON is even parsed
        for filters in ([{"name": "invert"}] * 1_000_000, "invert," * 1_000_000, [{}] * 20_000):
            r = c.post("/v5.0/ocr/Preprocess", json={"image": small, "filters": filters}, headers=h)
            assert r.status_code == 400 and r.json()["code"] == "InvalidJson", r.text[:300]
            assert "10,000 JSON values" in r.json()["detail"]
        svc._tesseract = {"available": True, "version": "fake", "languages": ["eng"]}
        r = c.post("/v5.0/ocr/RecognizeImage", json={"image": small, "filters": ["invert"] * 65}, headers=h)
        assert r.status_code == 400 and r.json()["code"] == "InvalidFilters"
        assert svc.store.counts()["Pending"] + svc.store.counts()["Completed"] + svc.store.counts()["Processing"] == 1


def test_a_task_past_its_time_budget_ends_with_an_error(tmp_path, monkeypatch):
    from ocrprep.service import budget

    ticks = iter(range(0, 10**9, 100))  # every reading of the clock: 100 s later
    monkeypatch.setattr(budget, "_clock", lambda: next(ticks))
    with make_client(tmp_path, task_timeout=150) as c:
        h = token(c)
        body = {"image": b64(png_bytes(page())), "filters": "median(3),invert,median(5),invert,binarize"}
        tid = c.post("/v5.0/ocr/Preprocess", json=body, headers=h).text
        env = wait(c, "/v5.0/ocr/Preprocess", tid, h)
        assert env["taskStatus"] == "Error" and env["responseStatusCode"] == "Error" and env["results"] is None
        msg = env["error"]["messages"][0]
        assert "time budget of 150 s (--task-timeout)" in msg and "filter 2 of 5 (invert" in msg, msg
        # the worker goes on: the next task runs (and the budget holds for it as well)
        monkeypatch.setattr(budget, "_clock", lambda: 0)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": body["image"]}, headers=h).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, h)["taskStatus"] == "Completed"


def test_long_tasks_on_every_worker_do_not_hold_up_a_small_one(tmp_path, monkeypatch):
    import threading

    from ocrprep.service import worker

    gate = threading.Event()
    real = worker.execute

    def long_preprocess(kind, *a, **kw):
        if kind == "preprocess":
            gate.wait(120)  # stands for 400 x median(255) on a 4000x4000 page
        return real(kind, *a, **kw)

    monkeypatch.setattr(worker, "execute", long_preprocess)
    with make_client(tmp_path, workers=2) as c:
        h = token(c)
        try:
            big = {"image": b64(png_bytes(page(1))), "filters": "median(5)"}
            long_ids = [c.post("/v5.0/ocr/Preprocess", json=big, headers=h).text for _ in range(3)]
            deadline = time.monotonic() + 60
            while [c.get("/v5.0/ocr/Utilities/GetTaskStatus", params={"id": t}, headers=h).json()["taskStatus"]
                   for t in long_ids[:2]] != ["Processing"] * 2:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            small = png_bytes(page(2)[:20, :20])
            tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(small)}, headers=h).text
            env = wait(c, "/v5.0/ocr/BinarizeImage", tid, h, timeout=60)  # not behind the long ones
            assert env["taskStatus"] == "Completed"
            states = [c.get("/v5.0/ocr/Utilities/GetTaskStatus", params={"id": t}, headers=h).json()["taskStatus"]
                      for t in long_ids]
            assert states[:2] == ["Processing", "Processing"], states
        finally:
            gate.set()
        for t in long_ids:
            assert wait(c, "/v5.0/ocr/Preprocess", t, h)["taskStatus"] == "Completed"


# --------------------------------------------------------------------------- #
# 9. a full disk: 507 with the JSON body; a result that could not be stored runs again
# --------------------------------------------------------------------------- #
def test_a_full_database_answers_507_and_keeps_the_connection(tmp_path):
    rng = np.random.default_rng(9)
    with make_client(tmp_path, max_db_size=256 << 10, queue_size=1000) as c:
        h = token(c)
        statuses = []
        for i in range(40):  # ~20 KB of noise each: the 256 KB database fills up
            img = rng.integers(0, 256, (100, 200), dtype=np.uint8)
            r = c.post("/v5.0/ocr/Preprocess", json={"image": b64(png_bytes(img)), "filters": "invert"}, headers=h)
            statuses.append(r.status_code)
            assert r.status_code in (200, 507), (r.status_code, r.text[:300])
            if r.status_code == 507:
                j = r.json()
                assert j["code"] == "InsufficientStorage" and j["detail"] == j["error"]["messages"][0]
                assert "full" in j["detail"] and int(r.headers["retry-after"]) > 0
        assert 200 in statuses and 507 in statuses, statuses
        svc = c.app.state.service
        assert svc._active["kernel"] == svc.store.active("kernel")  # refused tasks hold no queue slot


def test_a_result_that_could_not_be_stored_runs_again(tmp_path, monkeypatch):
    import sqlite3

    with make_client(tmp_path, workers=1) as c:
        h = token(c)
        store = c.app.state.service.store
        real = store.complete
        failures = []

        def full_once(task_id, *a, **kw):  # the disk is full when the first result is stored
            if not failures:
                failures.append(task_id)
                raise sqlite3.OperationalError("database or disk is full")
            return real(task_id, *a, **kw)

        monkeypatch.setattr(store, "complete", full_once)
        img = page(3)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(img))}, headers=h).text
        env = wait(c, "/v5.0/ocr/BinarizeImage", tid, h)
        assert failures == [tid] and env["taskStatus"] == "Completed", env
        assert store.get(tid).attempts == 2
        import ocrprep
        from servicehelp import result_image

        assert np.array_equal(result_image(env), ocrprep.binarize(img))
        deadline = time.monotonic() + 30  # (the slot is freed just after the result is stored)
        while c.app.state.service._active["kernel"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)


# --------------------------------------------------------------------------- #
# 3. the bodies read and decoded at once are bounded (a small configured budget)
# --------------------------------------------------------------------------- #
def test_uploads_beyond_the_budget_get_503_with_retry_after_before_their_body_is_read(tmp_path, monkeypatch):
    import threading

    from ocrprep.service import app as sapp
    from ocrprep.service import tasks as stasks

    gate, inside = threading.Event(), threading.Event()
    real = stasks.parse_binarize

    def held(body, **kw):  # the first upload stays "being decoded" until the gate opens
        if not inside.is_set():
            inside.set()
            gate.wait(60)
        return real(body, **kw)

    monkeypatch.setattr(sapp, "parse_binarize", held)
    rng = np.random.default_rng(3)
    big = json.dumps({"image": b64(png_bytes(rng.integers(0, 256, (300, 400), dtype=np.uint8)))}).encode()
    assert 150_000 < len(big) < 200_000
    with make_client(tmp_path, max_body=200_000, upload_budget=300_000) as c:
        h = {**token(c), "Content-Type": "application/json"}
        first = {}
        t = threading.Thread(target=lambda: first.update(r=c.post("/v5.0/ocr/BinarizeImage", content=big, headers=h)))
        t.start()
        try:
            assert inside.wait(60)
            for body in (big, (big[i:i + 8192] for i in range(0, len(big), 8192))):  # announced, then chunked
                r = c.post("/v5.0/ocr/BinarizeImage", content=body, headers=h)
                assert r.status_code == 503, r.text[:300]
                j = r.json()
                assert j["code"] == "ServerBusy" and "--upload-budget" in j["detail"] and j["error"]["messages"]
                assert int(r.headers["retry-after"]) >= 1
            small = json.dumps({"image": b64(png_bytes(page()[:50, :50]))}).encode()
            assert c.post("/v5.0/ocr/BinarizeImage", content=small, headers=h).status_code == 200  # fits beside it
        finally:
            gate.set()
            t.join(60)
        assert first["r"].status_code == 200
        r = c.post("/v5.0/ocr/BinarizeImage", content=big, headers=h)  # the budget is free again
        assert r.status_code == 200, r.text[:200]
    from ocrprep.service import ConfigError

    with pytest.raises(ConfigError, match="at least max_body"):
        ServiceConfig(db=":memory:", auth=False, max_body=1 << 20, upload_budget=1 << 19)


def test_memory_is_given_back_on_glibc():
    import platform

    from ocrprep.service.limits import trim_memory, tune_malloc

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("glibc only")
    assert trim_memory() is True and tune_malloc() is True


# --------------------------------------------------------------------------- #
# 6. idle, slow and surplus connections are closed (small configured limits)
# --------------------------------------------------------------------------- #
def _closed_within(sock, seconds: float) -> bytes | None:
    """What the server sent before closing ``sock`` (None when still open after ``seconds``)."""
    import socket

    sock.settimeout(0.2)
    got, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            d = sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return got
        if not d:
            return got
        got += d
    return None


def test_idle_slow_and_surplus_connections_are_closed(tmp_path):
    import socket

    import httpx
    from servicehelp import ServerProcess

    with ServerProcess(tmp_path, "--max-connections", "6", "--header-timeout", "1s", "--keep-alive", "1s",
                       auth=False) as server:
        def connect():
            return socket.create_connection(("127.0.0.1", server.port), timeout=10)

        idle = [connect() for _ in range(6)]
        time.sleep(0.5)
        surplus = connect()  # one more than allowed: 503 at once, with the JSON body, and closed
        told = _closed_within(surplus, 30)
        assert told is not None and told.startswith(b"HTTP/1.1 503"), told
        assert json.loads(told.split(b"\r\n\r\n", 1)[1])["code"] == "TooManyConnections"
        for s in idle:  # connections that never send a request: 408 and closed
            told = _closed_within(s, 30)
            assert told is not None and told.startswith(b"HTTP/1.1 408"), told
        # a slowloris (header bytes keep coming, slowly) and a trickling body are cut off too
        loris = connect()
        trickle = connect()
        trickle.sendall(b"POST /v5.0/ocr/BinarizeImage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 1000000\r\n\r\n{")
        cut = {}
        deadline = time.monotonic() + 60
        request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
        i = 0
        while len(cut) < 2 and time.monotonic() < deadline:
            for name, s, data in (("loris", loris, request[i:i + 1]), ("trickle", trickle, b" ")):
                if name in cut:
                    continue
                try:
                    s.sendall(data)
                except OSError:
                    cut[name] = True
                    continue
                if _closed_within(s, 0.1) is not None:
                    cut[name] = True
            i += 1
            time.sleep(0.2)
        assert cut == {"loris": True, "trickle": True}, cut
        # a kept-alive connection that goes quiet is closed after --keep-alive
        ka = connect()
        ka.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        told = _closed_within(ka, 30)
        assert told is not None and told.startswith(b"HTTP/1.1 200"), told
        # and the server answers as before
        assert httpx.get(server.url + "/health", timeout=10).status_code == 200
        listening = [r for r in server.log_records() if r.get("event") == "listening"]
        assert listening and listening[0]["max_connections"] == 6


def test_repeated_errors_are_logged_at_a_bounded_rate():
    import io
    import logging

    from ocrprep.service.logs import setup_logging

    names = ("ocrprep.service", "uvicorn", "uvicorn.error", "uvicorn.access", "asyncio")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level, logging.getLogger(n).propagate,
                 logging.getLogger(n).disabled) for n in names}
    stream = io.StringIO()
    try:
        setup_logging("info", "json", stream=stream)
        log = logging.getLogger("asyncio")  # where a failing accept() is reported
        for _ in range(10_000):
            try:
                raise OSError(24, "Too many open files")
            except OSError:
                log.error("socket.accept() out of system resource", exc_info=True)
        logging.getLogger("ocrprep.service").info("request")
    finally:
        for n, (handlers, level, propagate, disabled) in saved.items():
            lg = logging.getLogger(n)
            lg.handlers[:], lg.level, lg.propagate, lg.disabled = handlers, level, propagate, disabled
    lines = stream.getvalue().splitlines()
    # the service's own log (not Python's bare stderr fallback), a handful of times, not 10 000
    assert 1 <= len([ln for ln in lines if "Too many open files" in ln]) <= 10
    assert any('"event": "request"' in ln for ln in lines)
