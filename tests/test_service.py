"""Unit tests of the HTTP service: config, tokens, the SQLite store, request parsing, and the
routes in-process (Starlette's TestClient drives the real app, lifespan and worker threads
included).  The real-uvicorn tests (restart, kill -9, load) are in test_service_integration.py.
"""
from __future__ import annotations

import base64
import json
import sqlite3
import threading
import time
import warnings

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import ocrprep  # noqa: E402
import ocrprep.data  # noqa: E402,F401
from ocrprep.filters import PreprocessingFilter  # noqa: E402
from ocrprep.service import ConfigError, ServiceConfig  # noqa: E402
from ocrprep.service import auth as sauth  # noqa: E402
from ocrprep.service import tasks as stasks  # noqa: E402
from ocrprep.service.config import parse_clients, parse_duration, parse_size  # noqa: E402
from ocrprep.service.store import MAX_ATTEMPTS, TaskStore  # noqa: E402
from servicehelp import b64, page, png_bytes, png_header, result_image, result_text  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

CLIENTS = {"alice": "alice-secret-1", "bob": "bob-secret-22"}


def tesseract_ok() -> bool:
    from ocrprep.ocr import tesseract_available

    return tesseract_available()


# --------------------------------------------------------------------------- #
# config
# --------------------------------------------------------------------------- #
def test_parse_duration_size_clients():
    assert parse_duration("24h") == 86400 and parse_duration("90") == 90 and parse_duration("1.5m") == 90
    assert parse_duration("250ms") == 0.25 and parse_duration("7d") == 7 * 86400
    assert parse_size("64MB") == 64 << 20 and parse_size("512kb") == 512 << 10 and parse_size("1g") == 1 << 30
    assert parse_clients("a:12345678, b:abcdefgh") == {"a": "12345678", "b": "abcdefgh"}
    for bad in ("", "0", "-3s", "ten minutes", "5 parsecs"):
        with pytest.raises(ConfigError):
            parse_duration(bad)
    for bad in ("0", "lots", "12 TB"):
        with pytest.raises(ConfigError):
            parse_size(bad)
    for bad, msg in (("nosecret", "ID:SECRET"), ("a:short", "too short"), ("a b:12345678", "letters"),
                     ("a:12345678,a:87654321", "twice")):
        with pytest.raises(ConfigError, match=msg):
            parse_clients(bad)


def test_config_env_then_overrides(tmp_path):
    env = {
        "OCRPREP_SERVICE_PORT": "9001",
        "OCRPREP_SERVICE_DB": str(tmp_path / "x.db"),
        "OCRPREP_SERVICE_CLIENTS": "app:secret-123",
        "OCRPREP_SERVICE_RETENTION": "2h",
        "OCRPREP_SERVICE_MAX_BODY": "1MB",
        "OCRPREP_SERVICE_QUEUE_SIZE": "7",
        "OCRPREP_SERVICE_WORKERS": "3",
    }
    cfg = ServiceConfig.from_env(env)
    assert (cfg.port, cfg.retention, cfg.max_body, cfg.queue_size, cfg.workers) == (9001, 7200.0, 1 << 20, 7, 3)
    assert cfg.auth and dict(cfg.clients) == {"app": "secret-123"}
    cfg = ServiceConfig.from_env(env, port=9002, queue_size=None)  # None: keep the env value
    assert cfg.port == 9002 and cfg.queue_size == 7
    assert "secret-123" not in json.dumps(cfg.public())
    assert not ServiceConfig.from_env({**env, "OCRPREP_SERVICE_NO_AUTH": "1", "OCRPREP_SERVICE_CLIENTS": ""}).auth
    with pytest.raises(ConfigError, match="OCRPREP_SERVICE_PORT"):
        ServiceConfig.from_env({**env, "OCRPREP_SERVICE_PORT": "http"})
    with pytest.raises(ConfigError, match="no API client"):
        ServiceConfig.from_env({"OCRPREP_SERVICE_DB": str(tmp_path / "y.db")})
    with pytest.raises(ConfigError, match="queue_size"):
        ServiceConfig(db=":memory:", auth=False, queue_size=0)


def test_cli_serve_refuses_bad_config(monkeypatch, capsys, tmp_path):
    from ocrprep import cli

    for k in list(__import__("os").environ):
        if k.startswith("OCRPREP_SERVICE_"):
            monkeypatch.delenv(k)
    assert cli.main(["serve", "--db", str(tmp_path / "t.db")]) == 2
    assert "no API client" in capsys.readouterr().err
    assert cli.main(["serve", "--no-auth", "--retention", "soon"]) == 2
    assert "not a duration" in capsys.readouterr().err
    assert cli.main(["serve", "--client", "x:short"]) == 2
    assert "too short" in capsys.readouterr().err


# --------------------------------------------------------------------------- #
# tokens
# --------------------------------------------------------------------------- #
class Clock:
    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


def test_tokens_issue_verify_expire_and_tamper():
    clock = Clock()
    issuer = sauth.TokenIssuer(CLIENTS, key=b"k" * 32, ttl=60, clock=clock)
    tok = issuer.issue("alice", "alice-secret-1")
    assert tok["token_type"] == "Bearer" and tok["expires_in"] == 60
    claims = issuer.verify(tok["access_token"])
    assert claims.client_id == "alice" and claims.expires_at == clock.t + 60
    header, body, sig = tok["access_token"].split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256", "typ": "JWT"}
    with pytest.raises(sauth.AuthError) as e:
        issuer.issue("alice", "wrong-secret")
    assert e.value.code == "invalid_client" and e.value.status == 401
    with pytest.raises(sauth.AuthError):
        issuer.issue("mallory", "alice-secret-1")
    # a forged body with the old signature, a foreign key, a garbage token, "alg": "none"
    forged = base64.urlsafe_b64encode(json.dumps({"sub": "bob", "exp": 1e12}).encode()).rstrip(b"=").decode()
    other = sauth.TokenIssuer(CLIENTS, key=b"x" * 32, ttl=60, clock=clock).issue("bob", "bob-secret-22")["access_token"]
    none = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode() + "." + forged + "."
    for bad in (f"{header}.{forged}.{sig}", other, "abc", "a.b.c", none, ""):
        with pytest.raises(sauth.AuthError):
            issuer.verify(bad)
    clock.t += 61
    with pytest.raises(sauth.AuthError, match="expired"):
        issuer.verify(tok["access_token"])
    # a client removed from the configuration loses its tokens
    fresh = sauth.TokenIssuer(CLIENTS, key=b"k" * 32, ttl=60, clock=clock).issue("bob", "bob-secret-22")["access_token"]
    with pytest.raises(sauth.AuthError, match="no longer configured"):
        sauth.TokenIssuer({"alice": "alice-secret-1"}, key=b"k" * 32, ttl=60, clock=clock).verify(fresh)


def test_basic_and_bearer_header_parsing():
    assert sauth.parse_basic("Basic " + base64.b64encode(b"id:se:cret").decode()) == ("id", "se:cret")
    assert sauth.parse_basic("Basic !!!") is None and sauth.parse_basic("Bearer x") is None
    assert sauth.parse_bearer("Bearer abc.def.ghi") == "abc.def.ghi" and sauth.parse_bearer("bearer  t ") == "t"
    assert sauth.parse_bearer("Basic abc") is None and sauth.parse_bearer("Bearer ") is None


# --------------------------------------------------------------------------- #
# store
# --------------------------------------------------------------------------- #
def test_store_queue_order_recovery_and_retention(tmp_path):
    db = tmp_path / "s.sqlite3"
    store = TaskStore(db)
    ids = [store.add("binarize", "kernel", {"n": i}, b"img%d" % i) for i in range(3)]
    ocr = store.add("recognize", "ocr", {}, b"page")
    t = store.claim("kernel")
    assert t.id == ids[0] and t.status == "Processing" and t.attempts == 1
    assert t.image is None and store.image(t.id) == b"img0"  # claim does not read the upload
    assert store.claim("ocr").id == ocr and store.claim("ocr") is None
    store.complete(ids[0], [{"type": "ImagePNG", "data": "AA=="}])
    assert store.get(ids[0]).status == "Completed" and store.image(ids[0]) is None  # the upload is dropped
    assert store.claim("kernel").id == ids[1]
    key = store.secret()
    store.close()  # the process "dies" with ids[1] and ocr Processing, ids[2] Pending

    store = TaskStore(db)
    assert store.secret() == key  # tokens stay valid across restarts
    assert store.recover() == (2, 0)
    assert store.get(ids[1]).status == "Pending" and store.get(ocr).status == "Pending"
    assert [store.claim("kernel").id, store.claim("kernel").id] == [ids[1], ids[2]]
    assert json.loads(store.get(ids[0]).results) == [{"type": "ImagePNG", "data": "AA=="}]
    store.fail(ids[1], ["boom"])
    assert json.loads(store.get(ids[1]).error) == {"messages": ["boom"]}
    assert store.counts() == {"Pending": 1, "Processing": 1, "Completed": 1, "Error": 1, "Cancelled": 0}
    assert store.purge(time.time() + 1) == 2 and store.get(ids[0]) is None
    # a task that was running at MAX_ATTEMPTS crashes is given up, not retried forever
    for _ in range(MAX_ATTEMPTS - 1):
        store.recover()
        assert store.claim("ocr").id == ocr
    assert store.recover() == (0, 1)  # ocr given up (ids[2] was already back in the queue)
    assert store.get(ids[2]).status == "Pending"
    assert store.get(ocr).status == "Error" and "giving up" in store.get(ocr).error
    store.close()


def test_store_memory_is_a_throwaway_file():
    store = TaskStore(":memory:")
    path = store.path
    store.add("binarize", "kernel", {}, b"x")
    assert store.active() == 1
    store.close()
    assert not __import__("os").path.exists(path)


# --------------------------------------------------------------------------- #
# request parsing and execution
# --------------------------------------------------------------------------- #
LIMITS = {"max_bytes": 1 << 20, "max_pixels": 4_000_000}


def _err(fn, body, **kw):
    with pytest.raises(stasks.RequestError) as e:
        fn(body, **{**LIMITS, **kw})
    return e.value


def test_parse_rejects_bad_bodies_with_clear_codes():
    img = png_bytes(page())
    cases = [
        ([1, 2], "InvalidJson", "JSON object"),
        ({}, "InvalidJson", '"image" field'),
        ({"image": 5}, "InvalidJson", "base64 string"),
        ({"image": "", }, "EmptyImage", "empty"),
        ({"image": "***not base64***"}, "InvalidBase64", "invalid base64"),
        ({"image": b64(img[: len(img) // 2])}, "CorruptImage", "truncated"),
        ({"image": b64(b"hello, world")}, "UnsupportedFormat", "not an image format"),
        ({"image": b64(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")}, "UnsupportedFormat", "PDF"),
        ({"image": b64(png_header(100_000, 100_000))}, "ImageTooLarge", "exceeds the limit of 4,000,000"),
        ({"image": b64(png_header(2001, 2000))}, "ImageTooLarge", "exceeds the limit of 4,000,000"),
        ({"image": b64(img), "extra": 1}, "InvalidJson", "unknown field 'extra'"),
        ({"image": b64(img), "Image": b64(img)}, "InvalidJson", "twice"),
    ]
    for body, code, text in cases:
        e = _err(stasks.parse_binarize, body)
        assert (e.code, e.status) == (code, 400), (body if len(str(body)) < 80 else code, e)
        assert text in str(e), str(e)
    e = _err(stasks.parse_binarize, {"image": b64(img)}, max_bytes=100)
    assert (e.status, e.code) == (413, "BodyTooLarge")
    # keys are case-insensitive, data: URIs and line-wrapped base64 are accepted
    sub = stasks.parse_binarize({"IMAGE": "data:image/png;base64," + b64(img)}, **LIMITS)
    assert np.array_equal(sub.image, page())
    wrapped = "\n".join(b64(img)[i:i + 76] for i in range(0, len(b64(img)), 76))
    assert np.array_equal(stasks.parse_binarize({"image": wrapped}, **LIMITS).image, page())


def test_parse_recognize_settings():
    img = b64(png_bytes(page()))
    sub = stasks.parse_recognize({"image": img, "settings": {"Language": "German", "MAKESKEWCORRECT": False,
                                                             "resultType": "textandhocr", "Rotate": 90.0}},
                                 **LIMITS, languages=["eng", "deu"])
    assert sub.kind == "recognize" and sub.lane == "ocr"
    assert sub.params["language"] == "deu" and sub.params["skew"] is False and sub.params["contrast"] is True
    assert sub.params["resultType"] == "textandhocr" and sub.params["rotate"] == 90
    settings, warn = stasks.recognition_settings({**sub.params, "binarize": True})
    assert settings.make_binarization and not settings.auto_skew and settings.result_type == "hocr"
    assert [f.name for f in settings.preprocessing_filters] == ["contrast_correction", "rotate"]
    assert warn == []
    bad = [
        ({"settings": []}, "InvalidSettings", "JSON object"),
        ({"settings": {"langauge": "English"}}, "InvalidSettings", "unknown field 'langauge'"),
        ({"settings": {"language": "Klingon!"}}, "InvalidSettings", "language"),
        ({"settings": {"language": "French"}}, "InvalidSettings", "not installed"),
        ({"settings": {"makeBinarization": "yes"}}, "InvalidSettings", "true or false"),
        ({"settings": {"resultType": "Docx"}}, "InvalidSettings", "Text, Pdf, TextAndPdf, Hocr"),
        ({"settings": {"rotate": 12.5}}, "InvalidSettings", "integer"),
        ({"settings": {"regions": [{"rect": {}}]}}, "InvalidSettings", "regions"),
        ({"filters": "median(4)"}, "InvalidFilters", "odd"),
        ({"filters": 42}, "InvalidFilters", "filter list"),
    ]
    for extra, code, text in bad:
        e = _err(stasks.parse_recognize, {"image": img, **extra}, languages=["eng"])
        assert e.code == code and text in str(e), (extra, e)


def test_parse_preprocess_checks_filters_and_output_size():
    img = b64(png_bytes(page()))
    sub = stasks.parse_preprocess({"image": img, "filters": "median(3), threshold(120)"}, **LIMITS)
    assert sub.params["filters"] == PreprocessingFilter.from_spec("median(3),threshold(120)").to_list()
    assert _err(stasks.parse_preprocess, {"image": img}).code == "InvalidFilters"
    assert "unknown filter" in str(_err(stasks.parse_preprocess, {"image": img, "filters": [{"name": "sharpen"}]}))
    e = _err(stasks.parse_preprocess, {"image": img, "filters": "scale(10)"})
    assert e.code == "ImageTooLarge" and "4000x3000" in str(e)  # width x height
    e = _err(stasks.parse_preprocess, {"image": img, "filters": "resize(width=5000, height=5000)"})
    assert e.code == "ImageTooLarge"


def test_execute_uses_the_pipeline_and_png_is_lossless():
    img = page(3)
    results, warn = stasks.execute("binarize", {}, img)
    assert warn == [] and results[0]["type"] == "ImagePNG"
    png = base64.b64decode(results[0]["data"])
    from PIL import Image
    import io

    assert Image.open(io.BytesIO(png)).mode == "1"  # binary pages travel as 1-bit PNG
    assert np.array_equal(ocrprep.imread(png), ocrprep.binarize(img))
    spec = PreprocessingFilter.from_spec("median(3)").to_list()
    results, _ = stasks.execute("preprocess", {"filters": spec}, img)
    assert np.array_equal(ocrprep.imread(base64.b64decode(results[0]["data"])), ocrprep.median(img, 3))
    rgb = np.dstack([img, 255 - img, img // 2])
    assert np.array_equal(ocrprep.imread(stasks.encode_png(rgb)), rgb)


# --------------------------------------------------------------------------- #
# the app, in process
# --------------------------------------------------------------------------- #
def make_client(tmp_path, **kw):
    cfg = dict(db=str(tmp_path / "svc.sqlite3"), clients=CLIENTS, workers=2, ocr_workers=1, log_level="warning")
    cfg.update(kw)
    if not cfg.get("auth", True):
        cfg.pop("clients")
    from ocrprep.service import create_app

    engine = cfg.pop("engine", None)
    return TestClient(create_app(ServiceConfig(**cfg), engine=engine))


def token(c, who="alice"):
    r = c.post("/connect/token", data={"grant_type": "client_credentials", "client_id": who,
                                      "client_secret": CLIENTS[who]})
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def wait(c, path, tid, headers, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        env = c.get(path, params={"id": tid}, headers=headers).json()
        if env["taskStatus"] not in ("Pending", "Processing"):
            return env
        assert time.monotonic() < deadline, env
        time.sleep(0.02)


def test_binarize_workflow_in_process(tmp_path):
    img = page(7)
    with make_client(tmp_path) as c:
        h = token(c)
        r = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(img))}, headers=h)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        tid = r.text
        assert str(__import__("uuid").UUID(tid)) == tid
        env = wait(c, "/v5.0/ocr/BinarizeImage", tid, h)
        assert set(env) == {"id", "taskStatus", "responseStatusCode", "results", "error"}
        assert (env["id"], env["taskStatus"], env["responseStatusCode"], env["error"]) == (tid, "Completed", "Ok", None)
        out = result_image(env)
        assert np.array_equal(out, ocrprep.binarize(img)) and set(np.unique(out)) <= {0, 255}
        # paths are case-insensitive, ids too (upper case, braces)
        env2 = c.get("/V5.0/OCR/binarizeimage", params={"ID": "{" + tid.upper() + "}"}, headers=h).json()
        assert env2 == env
        st = c.get("/v5.0/ocr/utilities/gettaskstatus", params={"id": tid}, headers=h).json()
        assert st["taskStatus"] == "Completed" and st["results"] is None
        # the same id under another endpoint, an unknown id, another client's task: NotExist
        for path, hh in (("/v5.0/ocr/RecognizeImage", h), ("/v5.0/ocr/BinarizeImage", token(c, "bob"))):
            env3 = c.get(path, params={"id": tid}, headers=hh).json()
            assert env3["taskStatus"] == "NotExist" and env3["responseStatusCode"] == "TaskNotFound"
            assert env3["error"]["messages"]
        unknown = "c4b60313-4f78-45f8-b708-069eb98dc22e"
        env4 = c.get("/v5.0/ocr/BinarizeImage", params={"id": unknown}, headers=h).json()
        assert env4["taskStatus"] == "NotExist" and env4["results"] is None and "no task" in env4["error"]["messages"][0]


def test_auth_errors_are_401_json(tmp_path):
    with make_client(tmp_path, token_ttl=1.0) as c:
        body = {"image": b64(png_bytes(page()))}
        for headers, code in (({}, "Unauthorized"), ({"Authorization": "Bearer nonsense"}, "InvalidToken"),
                              ({"Authorization": "Basic YTpi"}, "Unauthorized")):
            r = c.post("/v5.0/ocr/BinarizeImage", json=body, headers=headers)
            assert r.status_code == 401 and r.json()["code"] == code and r.json()["error"]["messages"]
            assert r.headers["www-authenticate"].startswith("Bearer")
        h = token(c)
        assert c.post("/v5.0/ocr/BinarizeImage", json=body, headers=h).status_code == 200
        time.sleep(1.1)
        r = c.post("/v5.0/ocr/BinarizeImage", json=body, headers=h)
        assert r.status_code == 401 and r.json()["code"] == "TokenExpired"
        assert 'error="invalid_token"' in r.headers["www-authenticate"]
        assert c.get("/v5.0/ocr/BinarizeImage", params={"id": "c4b60313-4f78-45f8-b708-069eb98dc22e"}).status_code == 401
        # the token endpoint: form, JSON and HTTP Basic; OAuth error names
        ok = {"grant_type": "client_credentials", "client_id": "bob", "client_secret": "bob-secret-22"}
        assert c.post("/connect/token", json=ok).status_code == 200
        basic = base64.b64encode(b"bob:bob-secret-22").decode()
        r = c.post("/connect/token", data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic " + basic})
        assert r.status_code == 200 and r.json()["expires_in"] == 1
        for data, status, err in (({**ok, "client_secret": "nope-nope"}, 401, "invalid_client"),
                                  ({**ok, "grant_type": "password"}, 400, "unsupported_grant_type"),
                                  ({"client_id": "bob"}, 400, "invalid_request"),
                                  ({"grant_type": "client_credentials"}, 400, "invalid_request")):
            r = c.post("/connect/token", data=data)
            assert (r.status_code, r.json()["error"]) == (status, err)
        # /health, the demo page and the docs need no token
        assert c.get("/health").json()["auth"] is True
        assert c.get("/").status_code == 200 and c.get("/docs").status_code == 200


def test_no_auth_mode_and_cloud_token_calls_still_work(tmp_path):
    with make_client(tmp_path, auth=False) as c:
        r = c.post("/connect/token", data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
        assert r.status_code == 200 and r.json()["token_type"] == "Bearer"
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(page()))}).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, {})["taskStatus"] == "Completed"
        assert c.get("/health").json()["auth"] is False


def test_bad_requests_get_json_errors_and_the_server_keeps_serving(tmp_path):
    img = png_bytes(page())
    with make_client(tmp_path, max_body=200_000, max_pixels=1_000_000) as c:
        h = token(c)
        post = lambda body, **kw: c.post("/v5.0/ocr/BinarizeImage", headers={**h, **kw.pop("headers", {})}, **body, **kw)  # noqa: E731
        cases = [
            ({"content": b""}, 400, "InvalidJson"),
            ({"content": b"{not json"}, 400, "InvalidJson"),
            ({"json": {"image": "%%%"}}, 400, "InvalidBase64"),
            ({"json": {"image": b64(img[:300])}}, 400, "CorruptImage"),
            ({"json": {"image": b64(b"")}}, 400, "EmptyImage"),
            ({"json": {"image": b64(png_header(100_000, 100_000))}}, 400, "ImageTooLarge"),
            ({"json": {"image": b64(png_header(1001, 1000))}}, 400, "ImageTooLarge"),
            ({"content": b"{" + b" " * 300_000 + b"}"}, 413, "BodyTooLarge"),
        ]
        for body, status, code in cases:
            r = post(body)
            assert r.status_code == status and r.headers["content-type"] == "application/json; charset=utf-8", (code, r.text[:200])
            j = r.json()
            assert j["code"] == code and j["status"] == status and j["detail"] == j["error"]["messages"][0]
            if code == "ImageTooLarge":  # the configured cap, not Pillow's
                assert "exceeds the limit of 1,000,000 " in j["detail"], j["detail"]
        for params, code in (({}, "MissingId"), ({"id": "../../etc/passwd"}, "InvalidId")):
            r = c.get("/v5.0/ocr/BinarizeImage", params=params, headers=h)
            assert r.status_code == 400 and r.json()["code"] == code
        assert c.get("/no/such/route").json()["code"] == "NotFound"
        assert c.put("/v5.0/ocr/BinarizeImage", headers=h).status_code == 405
        # and a good request still works afterwards
        tid = post({"json": {"image": b64(img)}}).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, h)["taskStatus"] == "Completed"


def test_queue_full_gives_429_with_retry_after(tmp_path, monkeypatch):
    from ocrprep.service import worker

    gate = threading.Event()
    real = worker.execute

    def slow(*a, **kw):
        gate.wait(30)
        return real(*a, **kw)

    monkeypatch.setattr(worker, "execute", slow)
    with make_client(tmp_path, queue_size=2, workers=1) as c:
        h = token(c)
        body = {"image": b64(png_bytes(page()))}
        ids = [c.post("/v5.0/ocr/BinarizeImage", json=body, headers=h) for _ in range(2)]
        assert [r.status_code for r in ids] == [200, 200]
        r = c.post("/v5.0/ocr/BinarizeImage", json=body, headers=h)
        assert r.status_code == 429 and r.json()["code"] == "QueueFull"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert c.get("/health", headers=h).json()["queue"]["rejected"] == 1
        gate.set()
        for r in ids:
            assert wait(c, "/v5.0/ocr/BinarizeImage", r.text, h)["taskStatus"] == "Completed"
        assert c.post("/v5.0/ocr/BinarizeImage", json=body, headers=h).status_code == 200


def test_retention_turns_results_into_not_exist(tmp_path):
    with make_client(tmp_path, retention=1.0) as c:
        h = token(c)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(page()))}, headers=h).text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid, h)["taskStatus"] == "Completed"
        time.sleep(1.6)
        env = c.get("/v5.0/ocr/BinarizeImage", params={"id": tid}, headers=h).json()
        assert env["taskStatus"] == "NotExist"
        deadline = time.monotonic() + 5
        while c.get("/health", headers=h).json()["queue"]["completed"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.get("/health", headers=h).json()["queue"]["completed"] == 0  # the janitor deleted the row
    con = sqlite3.connect(tmp_path / "svc.sqlite3")
    assert con.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
    con.close()


def test_preprocess_route_runs_the_filter_list(tmp_path):
    img = page(11)
    with make_client(tmp_path) as c:
        h = token(c)
        specs = ["median(3),threshold(130)", [{"name": "median", "params": {"size": 3}}, "invert(force=true)"], []]
        for spec in specs:
            tid = c.post("/v5.0/ocr/Preprocess", json={"image": b64(png_bytes(img)), "filters": spec}, headers=h).text
            out = result_image(wait(c, "/v5.0/ocr/Preprocess", tid, h))
            assert np.array_equal(out, PreprocessingFilter.from_spec(spec).apply(img)), spec
        # a filter that fails at run time ends as an Error task with its message
        tid = c.post("/v5.0/ocr/Preprocess", headers=h, json={
            "image": b64(png_bytes(img)), "filters": "threshold(100, area=(5000, 5000, 10, 10))"}).text
        env = wait(c, "/v5.0/ocr/Preprocess", tid, h)
        assert env["taskStatus"] == "Error" and env["responseStatusCode"] == "Error"
        assert "outside" in env["error"]["messages"][0] and env["results"] is None


class FakeEngine:
    """Stands in for OcrEngine: records the settings it was given."""

    def __init__(self):
        self.calls = []

    def recognize_image(self, img, settings):
        from ocrprep.ocr import RecognitionResult

        self.calls.append((img.shape, settings))
        r = RecognitionResult(recognition_text="héllo wörld", hocr="<html>h</html>", warnings=["a warning"])
        return r


def test_recognize_maps_the_cloud_settings(tmp_path, monkeypatch):
    from ocrprep.service import app as sapp

    engine = FakeEngine()
    with make_client(tmp_path, engine=engine) as c:
        c.app.state.service._tesseract = {"available": True, "version": "fake", "languages": ["eng", "deu"]}
        h = token(c)
        body = {"image": b64(png_bytes(page())), "settings": {
            "language": "German", "makeSkewCorrect": False, "makeBinarization": True, "makeUpsampling": True,
            "makeContrastCorrection": False, "makeSpellCheck": False, "resultType": "TextAndHocr",
            "dsrMode": "NoDsrNoFilter", "dsrConfidence": "Default"}, "filters": "median(3)"}
        tid = c.post("/v5.0/ocr/RecognizeImage", json=body, headers=h).text
        env = wait(c, "/v5.0/ocr/RecognizeImage", tid, h)
        assert [r["type"] for r in env["results"]] == ["Text", "Hocr"]
        assert result_text(env) == "héllo wörld" and result_text(env, 1) == "<html>h</html>"
        assert env["error"]["messages"] == [] and "a warning" in env["error"]["warnings"]
        shape, s = engine.calls[0]
        assert shape == (300, 400)
        assert (s.language, s.make_binarization, s.auto_skew, s.threads_count) == ("deu", True, False, 1)
        assert [f.name for f in s.preprocessing_filters] == ["median", "upscale"]
        r = c.post("/v5.0/ocr/RecognizeImage", json={**body, "settings": {"language": "French"}}, headers=h)
        assert r.status_code == 400 and "not installed" in r.json()["detail"]
        c.app.state.service._tesseract = {"available": False, "version": None, "languages": [], "reason": "no tesseract"}
        r = c.post("/v5.0/ocr/RecognizeImage", json=body, headers=h)
        assert r.status_code == 503 and r.json()["code"] == "TesseractUnavailable"
    assert sapp  # the module is importable on its own


@pytest.mark.tesseract
def test_recognize_with_tesseract(tmp_path):
    if not tesseract_ok():
        pytest.skip("tesseract not installed")
    from frontdoor import text_page, word_recovery

    lines = ["The quick brown fox jumps", "over the lazy dog."]
    img = text_page(lines)
    with make_client(tmp_path) as c:
        h = token(c)
        ids = {}
        for rtype in ("Text", "JSON", "Hocr"):
            body = {"image": b64(png_bytes(img)), "settings": {"language": "English", "resultType": rtype}}
            ids[rtype] = c.post("/v5.0/ocr/RecognizeImage", json=body, headers=h).text
        text = result_text(wait(c, "/v5.0/ocr/RecognizeImage", ids["Text"], h))
        assert word_recovery(" ".join(lines), text) >= 0.9, text
        data = json.loads(result_text(wait(c, "/v5.0/ocr/RecognizeImage", ids["JSON"], h)))
        assert word_recovery(" ".join(lines), data["text"]) >= 0.9 and data["lines"][0]["words"]
        hocr = result_text(wait(c, "/v5.0/ocr/RecognizeImage", ids["Hocr"], h))
        assert "ocrx_word" in hocr and "quick" in hocr


def test_openapi_docs_and_static_assets(tmp_path):
    with make_client(tmp_path) as c:
        api = c.get("/openapi.json").json()
        paths = api["paths"]
        for p in ("/v5.0/ocr/BinarizeImage", "/v5.0/ocr/RecognizeImage", "/v5.0/ocr/Preprocess",
                  "/v5.0/ocr/Utilities/GetTaskStatus", "/connect/token", "/health"):
            assert p in paths
        post = paths["/v5.0/ocr/BinarizeImage"]["post"]
        assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/BinarizeImageBody")
        assert post["security"] == [{"JWT": []}] and "429" in post["responses"] and "422" not in post["responses"]
        assert list(post["responses"]["200"]["content"]) == ["text/plain"]  # the task id, as text
        schemas = api["components"]["schemas"]
        assert set(schemas["OCRResponse"]["properties"]) == {"id", "taskStatus", "responseStatusCode", "results", "error"}
        assert "makeBinarization" in schemas["OCRSettingsRecognizeImage"]["properties"]
        assert api["components"]["securitySchemes"]["JWT"]["scheme"] == "bearer"
        page_ = c.get("/")
        assert page_.headers["content-type"].startswith("text/html") and "script-src 'self'" in page_.headers["content-security-policy"]
        for name in ("btn-source", "btn-auto", "btn-50", "btn-100", "btn-150", "btn-200", "use-sample", "snippet"):
            assert f'id="{name}"' in page_.text
        assert c.get("/static/app.js").headers["content-type"].startswith("text/javascript")
        assert c.get("/demo/sample.png").content == ocrprep.data.sample_path().read_bytes()
        # nothing from a request reaches the file system
        for path in ("/static/../app.py", "/static/%2e%2e%2fapp.py", "/static/..%2Fstore.py", "/static/__init__.py",
                     "/static/%2Fetc%2Fpasswd"):
            r = c.get(path)
            assert r.status_code == 404 and r.headers["content-type"] == "application/json; charset=utf-8", path


def test_module_doctests():
    import doctest

    from ocrprep.service import auth, config, imagesize, tasks

    for mod in (auth, config, imagesize, tasks):
        result = doctest.testmod(mod)
        assert result.failed == 0 and result.attempted > 0, mod.__name__


def test_cloud_language_names():
    assert stasks.cloud_language("Netherlands") == "nld" and stasks.cloud_language("Ukrainan") == "ukr"
    assert stasks.cloud_language("Serbo_Croatian") == "srp_latn" and stasks.cloud_language("eng+deu") == "eng+deu"
    img = b64(png_bytes(page()))
    sub = stasks.parse_recognize({"image": img, "settings": {"language": "Netherlands"}}, **LIMITS, languages=["nld"])
    assert sub.params["language"] == "nld"
    e = _err(stasks.parse_recognize, {"image": img, "settings": {"language": "Netherlands"}}, languages=["eng"])
    assert "nld" in str(e) and "not installed" in str(e)


def test_ocr_timeout_reaches_the_settings(tmp_path):
    cfg = ServiceConfig.from_env({"OCRPREP_SERVICE_OCR_TIMEOUT": "2m", "OCRPREP_SERVICE_NO_AUTH": "1"},
                                 db=str(tmp_path / "t.db"))
    assert cfg.ocr_timeout == 120.0
    settings, _ = stasks.recognition_settings({"language": "eng"}, timeout=cfg.ocr_timeout)
    assert settings.timeout == 120.0


def test_cli_serve_reports_an_unusable_database(tmp_path, capsys):
    from ocrprep import cli

    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    assert cli.main(["serve", "--no-auth", "--db", str(bad), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "not-a-db.sqlite3" in err and "error" in err


def test_a_file_path_in_the_image_field_is_never_opened(tmp_path):
    """The image field is base64 data, never a path: a path to a readable file (even a .txt of
    valid base64, which io.iter_pages would accept as a base64 source) is refused as base64."""
    target = tmp_path / "page.txt"
    target.write_text(b64(png_bytes(page())))
    png_path = tmp_path / "page.png"
    png_path.write_bytes(png_bytes(page()))
    for value in (str(target), str(png_path), "/etc/passwd", "file://" + str(png_path), "http://127.0.0.1:9/x.png"):
        e = _err(stasks.parse_binarize, {"image": value})
        assert e.code in ("InvalidBase64", "UnsupportedFormat", "CorruptImage"), (value, e)


# --------------------------------------------------------------------------- #
# the auditor's findings (issue 5): pixel caps, lanes, cache, paths, messages
# --------------------------------------------------------------------------- #
def encode(arr, fmt, **kw) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt, **kw)
    return buf.getvalue()


def test_pixel_cap_just_over_the_configured_limit():
    """Sizes just over the configured cap and far below Pillow's own guard (~179 M): only the
    service's cap can refuse them, and its message quotes the configured number."""
    for w, h in ((2001, 2000), (4_000_001, 1), (1, 4_000_001)):
        e = _err(stasks.parse_binarize, {"image": b64(png_header(w, h))})
        assert (e.code, e.status) == ("ImageTooLarge", 400), (w, h, e)
        assert "4,000,000" in str(e) and f"{w}x{h}" in str(e), str(e)
    # exactly at the cap the size is allowed (the header-only file then fails as truncated data)
    assert _err(stasks.parse_binarize, {"image": b64(png_header(2000, 2000))}).code == "CorruptImage"
    # every accepted format: one pixel over the cap is refused, at the cap it decodes
    img = page(4, (200, 300))
    for fmt, kw in (("PNG", {}), ("JPEG", {"quality": 95}), ("TIFF", {}), ("BMP", {}), ("GIF", {}),
                    ("WEBP", {"lossless": True}), ("PPM", {})):
        raw = encode(img, fmt, **kw)
        e = _err(stasks.parse_binarize, {"image": b64(raw)}, max_pixels=59_999)
        assert e.code == "ImageTooLarge" and "59,999" in str(e) and "300x200" in str(e), (fmt, e)
        sub = stasks.parse_binarize({"image": b64(raw)}, max_bytes=1 << 20, max_pixels=60_000)
        assert np.array_equal(sub.image, ocrprep.imread(raw)), fmt


def test_header_size_matches_pillow_for_every_accepted_format():
    import io

    from PIL import Image

    from ocrprep.service.imagesize import header_size

    rng = np.random.default_rng(5)
    for w, h in ((1, 1), (3, 7), (641, 479), (17, 1030)):
        rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        for mode in ("L", "RGB", "1", "P", "RGBA"):
            im = Image.fromarray(rgb).convert(mode)
            for fmt, kw in (("PNG", {}), ("JPEG", {}), ("JPEG", {"progressive": True}), ("TIFF", {}),
                            ("TIFF", {"compression": "tiff_lzw"}), ("TIFF", {"big_tiff": True}), ("BMP", {}),
                            ("GIF", {}), ("WEBP", {}), ("WEBP", {"lossless": True}), ("PPM", {})):
                if fmt in ("JPEG", "PPM") and mode in ("P", "RGBA"):
                    continue
                buf = io.BytesIO()
                im.save(buf, fmt, **kw)
                data = buf.getvalue()
                found = header_size(data)
                assert found is not None and found[1:] == Image.open(io.BytesIO(data)).size, (fmt, kw, mode, w, h)
    assert header_size(b"P7\nWIDTH 12\nHEIGHT 34\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n") == ("PNM", 12, 34)
    assert header_size(b"P5\n# a comment\n 12 # another\n 34\n255\n") == ("PNM", 12, 34)
    # truncated or garbage headers: None (the decoder then reports them), never an exception
    good = encode(page(), "JPEG")
    for bad in (b"", b"\x89PNG\r\n\x1a\n", b"GIF89a\x01", b"BM", b"\xff\xd8\xff\xe0\x00\x02", good[:20],
                b"II*\x00\xff\xff\xff\xff", b"MM\x00+\x00\x08\x00\x00" + b"\xff" * 8, b"RIFF\0\0\0\0WEBPVP8 ",
                b"P5 12", b"hello", png_header(0, 5)):
        assert header_size(bad) is None, bad


def test_configured_cap_beats_pillows_own_limit(monkeypatch):
    """--max-pixels above Pillow's guard: the service's own message and number, and images the
    configured cap allows are decoded (Pillow refuses above 2 x MAX_IMAGE_PIXELS, warns above it)."""
    import warnings as _w

    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # restored after the test
    big = png_header(15000, 14000)  # 210 M pixels: over Pillow's 178,956,970
    e = _err(stasks.parse_binarize, {"image": b64(big)}, max_pixels=200_000_000)
    assert e.code == "ImageTooLarge" and "200,000,000" in str(e), str(e)
    assert "178956970" not in str(e) and "178,956,970" not in str(e)
    e = _err(stasks.parse_binarize, {"image": b64(png_header(100_000, 100_000))}, max_pixels=4_000_000_000)
    assert e.code == "ImageTooLarge" and "4,000,000,000" in str(e), str(e)
    # Pillow's guard lowered so that a small page stands for a 180-megapixel one
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 250_000)  # Pillow: error over 500,000, warning over 250,000
    img = page(2, (1000, 800))  # 800,000 pixels
    sub = stasks.parse_binarize({"image": b64(png_bytes(img))}, max_bytes=4 << 20, max_pixels=1_000_000)
    assert np.array_equal(sub.image, img)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 250_000)
    e = _err(stasks.parse_binarize, {"image": b64(png_header(1001, 1000))}, max_pixels=1_000_000)
    assert e.code == "ImageTooLarge" and "1,000,000" in str(e) and "500000" not in str(e), str(e)
    # between Pillow's warning and error limits: no DecompressionBombWarning for an allowed image
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 250_000)
    mid = page(3, (600, 600))  # 360,000 pixels
    with _w.catch_warnings():
        _w.simplefilter("error")
        sub = stasks.parse_binarize({"image": b64(png_bytes(mid))}, max_bytes=4 << 20, max_pixels=1_000_000)
    assert np.array_equal(sub.image, mid)


def test_pixel_cap_covers_rotate_upsampling_and_deskew():
    """Every geometry step RecognizeImage's settings imply is checked against the cap, with the
    size the kernel really makes (ocrprep.rotate with expand, 2x upsampling)."""
    raw = ocrprep.data.sample_path().read_bytes()
    sample = ocrprep.imread(raw)
    h, w = sample.shape[:2]
    n = h * w  # (the shipped sample's size: the caps below are set from it)
    kw = {"max_bytes": 8 << 20, "languages": ["eng"]}

    def body(**settings):
        return {"image": b64(raw), "settings": {"resultType": "Json", **settings}}

    def size(img):
        return f"{img.shape[1]}x{img.shape[0]}"

    # the auditor's case: rotate 45 turns the sample into a square page far over a cap just above the sample
    rotated = ocrprep.rotate(sample, 45, expand=True)
    cap = n + n // 20
    e = _err(stasks.parse_recognize, body(rotate=45, makeSkewCorrect=False), max_pixels=cap, **kw)
    assert e.code == "ImageTooLarge" and "settings.rotate 45" in str(e), str(e)
    assert size(rotated) in str(e) and f"{cap:,}" in str(e), str(e)
    assert stasks.parse_recognize(body(rotate=45, makeSkewCorrect=False), max_pixels=rotated.shape[0] * rotated.shape[1],
                                  **kw).params["rotate"] == 45
    # a quarter turn keeps the pixel count
    assert stasks.parse_recognize(body(rotate=90, makeSkewCorrect=False), max_pixels=n, **kw)
    # upsampling doubles both sides
    e = _err(stasks.parse_recognize, body(makeUpsampling=True, makeSkewCorrect=False), max_pixels=4 * n - 1, **kw)
    assert e.code == "ImageTooLarge" and "makeUpsampling" in str(e) and f"{2 * w}x{2 * h}" in str(e), str(e)
    # deskew: the angle is found at run time, so the worst case (the largest angle searched) counts
    worst = ocrprep.rotate(sample, stasks.DESKEW_MAX_ANGLE, expand=True)
    cap = worst.shape[0] * worst.shape[1]
    e = _err(stasks.parse_recognize, body(), max_pixels=cap - 1, **kw)  # makeSkewCorrect is on by default
    assert e.code == "ImageTooLarge" and "makeSkewCorrect" in str(e) and size(worst) in str(e), str(e)
    assert "set makeSkewCorrect to false" in str(e)
    assert stasks.parse_recognize(body(), max_pixels=cap, **kw).params["skew"] is True
    assert stasks.parse_recognize(body(makeSkewCorrect=False), max_pixels=n, **kw)
    # the steps compose in the order they run: filters, rotate, upsampling, deskew
    up = ocrprep.rotate(ocrprep.scale(ocrprep.rotate(sample, 30, expand=True), 2.0), stasks.DESKEW_MAX_ANGLE, expand=True)
    full = body(rotate=30, makeUpsampling=True)
    e = _err(stasks.parse_recognize, full, max_pixels=up.shape[0] * up.shape[1] - 1, **kw)
    assert "makeSkewCorrect" in str(e) and size(up) in str(e), str(e)
    assert stasks.parse_recognize(full, max_pixels=up.shape[0] * up.shape[1], **kw)
    e = _err(stasks.parse_recognize, {**body(makeSkewCorrect=False), "filters": "scale(2)"}, max_pixels=4 * n - 1, **kw)
    assert "filters: scale" in str(e) and f"{2 * w}x{2 * h}" in str(e), str(e)


def test_recognize_route_refuses_a_rotation_over_the_cap(tmp_path):
    """The auditor's repro, through the route: 400 at POST time instead of a page rotated past the cap."""
    engine = FakeEngine()
    raw = ocrprep.data.sample_path().read_bytes()
    shape = ocrprep.imread(raw).shape[:2]
    cap = shape[0] * shape[1] * 21 // 20  # just over the sample: a 45-degree turn is far over it
    with make_client(tmp_path, auth=False, max_pixels=cap, max_body=8 << 20, engine=engine) as c:
        c.app.state.service._tesseract = {"available": True, "version": "fake", "languages": ["eng"]}
        r = c.post("/v5.0/ocr/RecognizeImage", json={"image": b64(raw), "settings": {"rotate": 45, "resultType": "Json"}})
        assert r.status_code == 400 and r.json()["code"] == "ImageTooLarge", r.text
        assert f"{cap:,}" in r.json()["detail"]
        tid = c.post("/v5.0/ocr/RecognizeImage", json={"image": b64(raw), "settings": {
            "rotate": 90, "makeSkewCorrect": False, "resultType": "Json"}}).text
        assert wait(c, "/v5.0/ocr/RecognizeImage", tid, {})["taskStatus"] == "Completed"
        assert engine.calls[0][0][:2] == shape


def test_worker_checks_the_cap_again_before_running(tmp_path):
    """Tasks queued before a restart with a lower --max-pixels fail with the size message
    instead of running."""
    raw = png_bytes(page())  # 400x300 = 120,000 pixels
    store = TaskStore(tmp_path / "svc.sqlite3")
    params = {"language": "eng", "resultType": "text", "skew": False, "binarize": False, "contrast": False,
              "upsample": False, "spellCheck": False, "rotate": 45, "filters": []}
    rec = store.add("recognize", "ocr", params, raw)
    pre = store.add("preprocess", "kernel", {"filters": PreprocessingFilter.from_spec("scale(3)").to_list()}, raw)
    fine = store.add("preprocess", "kernel", {"filters": PreprocessingFilter.from_spec("median(3)").to_list()}, raw)
    store.close()
    engine = FakeEngine()
    with make_client(tmp_path, auth=False, max_pixels=150_000, engine=engine) as c:
        for path, tid, what in (("/v5.0/ocr/RecognizeImage", rec, "settings.rotate 45"),
                                ("/v5.0/ocr/Preprocess", pre, "filters: scale")):
            env = wait(c, path, tid, {})
            assert env["taskStatus"] == "Error", env
            msg = env["error"]["messages"][0]
            assert what in msg and "over the limit of 150,000" in msg, msg
        assert np.array_equal(result_image(wait(c, "/v5.0/ocr/Preprocess", fine, {})), ocrprep.median(page(), 3))
        assert engine.calls == []  # the oversized recognition never reached the engine


def test_each_lane_has_its_own_queue_bound_and_retry_after(tmp_path, monkeypatch):
    """A full recognition lane does not refuse image jobs while the kernel worker is idle, and
    Retry-After comes from the refused lane's own workers and task times."""
    from ocrprep.service import worker

    gates = {"kernel": threading.Event(), "ocr": threading.Event()}
    real = worker.execute

    def gated(kind, *a, **kw):
        gates[stasks.KINDS[kind]].wait(30)
        return real(kind, *a, **kw)

    monkeypatch.setattr(worker, "execute", gated)
    body = {"image": b64(png_bytes(page()))}
    with make_client(tmp_path, auth=False, queue_size=2, ocr_queue_size=3, workers=1, ocr_workers=1,
                     engine=FakeEngine()) as c:
        svc = c.app.state.service
        svc._tesseract = {"available": True, "version": "fake", "languages": ["eng"]}
        svc.pool._mean.update(kernel=3.0, ocr=10.0)  # seconds per task, as measured by each lane
        rec = [c.post("/v5.0/ocr/RecognizeImage", json=body) for _ in range(3)]
        assert [r.status_code for r in rec] == [200] * 3
        r = c.post("/v5.0/ocr/RecognizeImage", json=body)
        assert r.status_code == 429 and r.json()["code"] == "QueueFull" and "recognition" in r.json()["detail"]
        assert r.headers["retry-after"] == "10"  # one OCR worker, 10 s a task
        # the kernel lane is idle: image jobs are accepted up to their own bound...
        gates["kernel"].set()
        tid = c.post("/v5.0/ocr/BinarizeImage", json=body)
        assert tid.status_code == 200, tid.text
        assert wait(c, "/v5.0/ocr/BinarizeImage", tid.text, {})["taskStatus"] == "Completed"
        gates["kernel"].clear()
        svc.pool._mean["kernel"] = 3.0
        kern = [c.post("/v5.0/ocr/BinarizeImage", json=body) for _ in range(2)]
        assert [r.status_code for r in kern] == [200, 200]
        r = c.post("/v5.0/ocr/Preprocess", json={**body, "filters": "median(3)"})
        assert r.status_code == 429 and "image processing" in r.json()["detail"]
        assert r.headers["retry-after"] == "3"  # one kernel worker, 3 s a task
        q = c.get("/health").json()["queue"]
        assert q["lanes"] == {"kernel": {"active": 2, "capacity": 2}, "ocr": {"active": 3, "capacity": 3}}
        assert (q["active"], q["capacity"], q["rejected"]) == (5, 5, 2)
        gates["kernel"].set()
        gates["ocr"].set()
        for r in rec:
            assert wait(c, "/v5.0/ocr/RecognizeImage", r.text, {})["taskStatus"] == "Completed"
        for r in kern:
            assert wait(c, "/v5.0/ocr/BinarizeImage", r.text, {})["taskStatus"] == "Completed"


def test_queue_flags_and_variables(tmp_path):
    from ocrprep.cli import build_parser
    from ocrprep.service.cli import config_from_args

    db = str(tmp_path / "q.db")
    cfg = ServiceConfig(db=db, auth=False, queue_size=5)
    assert cfg.queue_sizes == {"kernel": 5, "ocr": 5}
    assert ServiceConfig(db=db, auth=False, queue_size=5, ocr_queue_size=2).queue_sizes == {"kernel": 5, "ocr": 2}
    env = {"OCRPREP_SERVICE_QUEUE_SIZE": "9", "OCRPREP_SERVICE_OCR_QUEUE_SIZE": "4", "OCRPREP_SERVICE_NO_AUTH": "1"}
    assert ServiceConfig.from_env(env, db=db).queue_sizes == {"kernel": 9, "ocr": 4}
    args = build_parser().parse_args(["serve", "--db", db, "--ocr-queue-size", "7"])
    assert config_from_args(args, env).queue_sizes == {"kernel": 9, "ocr": 7}
    with pytest.raises(ConfigError, match="ocr_queue_size"):
        ServiceConfig(db=db, auth=False, ocr_queue_size=0)


def test_auth_flag_beats_the_no_auth_variable(tmp_path, capsys):
    """The config docstring promises that flags beat variables: --auth overrides
    OCRPREP_SERVICE_NO_AUTH=1 (and --auth with --no-auth is a usage error)."""
    from ocrprep.cli import build_parser
    from ocrprep.service.cli import config_from_args

    db = str(tmp_path / "a.db")
    env = {"OCRPREP_SERVICE_NO_AUTH": "1", "OCRPREP_SERVICE_CLIENTS": "app:secret-123"}
    parse = build_parser().parse_args
    assert config_from_args(parse(["serve", "--db", db]), env).auth is False
    cfg = config_from_args(parse(["serve", "--db", db, "--auth"]), env)
    assert cfg.auth is True and dict(cfg.clients) == {"app": "secret-123"}
    assert config_from_args(parse(["serve", "--db", db, "--no-auth"]), {}).auth is False
    with pytest.raises(ConfigError, match="no API client"):  # --auth still needs a client
        config_from_args(parse(["serve", "--db", db, "--auth"]), {"OCRPREP_SERVICE_NO_AUTH": "1"})
    with pytest.raises(SystemExit):
        parse(["serve", "--auth", "--no-auth"])
    assert "not allowed with" in capsys.readouterr().err


def test_no_page_stays_cached_when_a_worker_claims_before_submit_returns(tmp_path, monkeypatch):
    """The race: the row is committed, a worker claims it at once (before Service.submit has
    cached the decoded page) -- no page of the task may stay in the cache afterwards."""
    img = page(9)
    with make_client(tmp_path, auth=False, workers=1) as c:
        svc = c.app.state.service
        real_add = svc.store.add
        ran = []

        def add_then_let_a_worker_run_it(*a, **kw):
            tid = real_add(*a, **kw)
            svc.pool.notify("kernel")
            deadline = time.monotonic() + 20
            while svc.store.get(tid).status not in ("Completed", "Error"):
                assert time.monotonic() < deadline
                time.sleep(0.01)
            ran.append(tid)
            return tid

        monkeypatch.setattr(svc.store, "add", add_then_let_a_worker_run_it)
        tid = c.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(img))}).text
        assert ran == [tid]
        assert np.array_equal(result_image(wait(c, "/v5.0/ocr/BinarizeImage", tid, {})), ocrprep.binarize(img))
        assert svc.cache.nbytes == 0 and svc.cache.pop(tid) is None

        # a store that fails: the page is taken back out of the cache, the slot freed
        def broken(*a, **kw):
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(svc.store, "add", broken)
        quiet = TestClient(c.app, raise_server_exceptions=False)  # (no second lifespan: not entered)
        r = quiet.post("/v5.0/ocr/BinarizeImage", json={"image": b64(png_bytes(img))})
        assert r.status_code == 503 and r.json()["code"] == "StorageUnavailable"
        assert svc.cache.nbytes == 0 and c.get("/health").json()["queue"]["lanes"]["kernel"]["active"] == 0


def test_finished_tasks_leave_nothing_in_the_cache(tmp_path):
    """Whatever path a task takes (cached page, decoded again, failed), _finish drops its page."""
    from ocrprep.service.store import Task
    from ocrprep.service.worker import PageCache, WorkerPool

    store = TaskStore(tmp_path / "w.sqlite3")
    cache = PageCache(1 << 20)
    pool = WorkerPool(store, {"kernel": 0, "ocr": 0}, max_pixels=10**6, cache=cache)
    tid = store.add("binarize", "kernel", {}, png_bytes(page()))
    cache.put(tid, page())
    pool._finish(Task(id=tid, kind="binarize", lane="kernel", status="Processing", params={}), fail=["x"])
    assert cache.nbytes == 0 and store.get(tid).status == "Error"
    store.close()


def test_trailing_slash_routes_like_the_path_in_any_case(tmp_path):
    img = page(12)
    with make_client(tmp_path, auth=False) as c:
        for path in ("/v5.0/ocr/BinarizeImage/", "/V5.0/OCR/BINARIZEIMAGE/", "/v5.0/ocr/binarizeimage//"):
            r = c.post(path, json={"image": b64(png_bytes(img))}, follow_redirects=False)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain"), (path, r.status_code, r.text)
            env = wait(c, path, r.text, {})
            assert np.array_equal(result_image(env), ocrprep.binarize(img)), path
            st = c.get("/v5.0/ocr/utilities/GETTASKSTATUS/", params={"id": r.text}, follow_redirects=False)
            assert st.status_code == 200 and st.json()["taskStatus"] == "Completed"
        assert c.get("/HEALTH/", follow_redirects=False).json()["status"] == "ok"
        assert c.get("/static/app.js/", follow_redirects=False).status_code == 200
        r = c.get("/no/such/route/", follow_redirects=False)
        assert r.status_code == 404 and r.json()["code"] == "NotFound"


def test_messages_are_grammatical_short_and_free_of_reprs():
    import io
    import zipfile

    img = png_bytes(page())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.png", img)
    e = _err(stasks.parse_binarize, {"image": b64(b"%PDF-1.4\n1 0 obj<<>>endobj\n")})
    assert e.code == "UnsupportedFormat" and "a PDF document, not an image" in str(e) and "not image" not in str(e)
    e = _err(stasks.parse_binarize, {"image": b64(buf.getvalue())})
    assert e.code == "UnsupportedFormat" and "a zip archive, not an image" in str(e), str(e)
    for head in (b"GIF89a", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00"):
        e = _err(stasks.parse_binarize, {"image": b64(head + b"\0" * 20)})
        assert e.code == "CorruptImage" and "object at 0x" not in str(e) and "<" not in str(e), str(e)
    e = _err(stasks.parse_preprocess, {"image": b64(img), "filters": "median(1e308)"})
    assert e.code == "InvalidFilters" and len(str(e)) < 200 and "(309 digits)" in str(e), str(e)
    e = _err(stasks.parse_preprocess, {"image": b64(img), "filters": "x" * 5000})
    assert e.code == "InvalidFilters" and len(str(e)) <= stasks.MAX_MESSAGE and "available" in str(e), str(e)
    e = _err(stasks.parse_recognize, {"image": b64(img), "settings": {"rotate": 10**300}}, languages=["eng"])
    assert len(str(e)) < 200, str(e)
    e = _err(stasks.parse_recognize, {"image": b64(img), "settings": {"resultType": "x" * 3000}}, languages=["eng"])
    assert len(str(e)) < 200, str(e)
    e = _err(stasks.parse_recognize, {"image": b64(img), "settings": {"language": "Klingon"}}, languages=["eng", "deu"])
    assert "'Klingon' is neither a language name" in str(e) and "data Klingon" not in str(e), str(e)
    assert "installed on this server (installed: eng, deu)" in str(e)
    e = _err(stasks.parse_recognize, {"image": b64(img), "settings": {"language": "German+Klingon"}}, languages=["eng"])
    assert str(e).startswith("settings.language: German needs the Tesseract language data deu, which is not installed")
    e = _err(stasks.parse_recognize, {"image": b64(img), "settings": {"language": "eng+fra"}}, languages=["eng"])
    assert "'fra' is neither" in str(e), str(e)
