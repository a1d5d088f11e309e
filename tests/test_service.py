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
    assert store.counts() == {"Pending": 1, "Processing": 1, "Completed": 1, "Error": 1}
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
        ({"image": b64(png_header(100_000, 100_000))}, "ImageTooLarge", "decompression bomb"),
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
    settings, warn = stasks.recognition_settings({**sub.params, "spellCheck": True, "binarize": True})
    assert settings.make_binarization and not settings.auto_skew and settings.result_type == "hocr"
    assert [f.name for f in settings.preprocessing_filters] == ["contrast_correction", "rotate"]
    assert "makeSpellCheck" in warn[0]
    bad = [
        ({"settings": []}, "InvalidSettings", "JSON object"),
        ({"settings": {"langauge": "English"}}, "InvalidSettings", "unknown field 'langauge'"),
        ({"settings": {"language": "Klingon!"}}, "InvalidSettings", "language"),
        ({"settings": {"language": "French"}}, "InvalidSettings", "not installed"),
        ({"settings": {"makeBinarization": "yes"}}, "InvalidSettings", "true or false"),
        ({"settings": {"resultType": "Pdf"}}, "InvalidSettings", "not supported"),
        ({"settings": {"resultType": "Docx"}}, "InvalidSettings", "Text, JSON, Hocr"),
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
    with make_client(tmp_path, max_body=200_000) as c:
        h = token(c)
        post = lambda body, **kw: c.post("/v5.0/ocr/BinarizeImage", headers={**h, **kw.pop("headers", {})}, **body, **kw)  # noqa: E731
        cases = [
            ({"content": b""}, 400, "InvalidJson"),
            ({"content": b"{not json"}, 400, "InvalidJson"),
            ({"json": {"image": "%%%"}}, 400, "InvalidBase64"),
            ({"json": {"image": b64(img[:300])}}, 400, "CorruptImage"),
            ({"json": {"image": b64(b"")}}, 400, "EmptyImage"),
            ({"json": {"image": b64(png_header(100_000, 100_000))}}, 400, "ImageTooLarge"),
            ({"content": b"{" + b" " * 300_000 + b"}"}, 413, "BodyTooLarge"),
        ]
        for body, status, code in cases:
            r = post(body)
            assert r.status_code == status and r.headers["content-type"] == "application/json", (code, r.text[:200])
            j = r.json()
            assert j["code"] == code and j["status"] == status and j["detail"] == j["error"]["messages"][0]
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
        assert c.get("/health").json()["queue"]["rejected"] == 1
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
        while c.get("/health").json()["queue"]["completed"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.get("/health").json()["queue"]["completed"] == 0  # the janitor deleted the row
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
            "makeContrastCorrection": False, "makeSpellCheck": True, "resultType": "TextAndHocr",
            "dsrMode": "NoDsrNoFilter", "dsrConfidence": "Default"}, "filters": "median(3)"}
        tid = c.post("/v5.0/ocr/RecognizeImage", json=body, headers=h).text
        env = wait(c, "/v5.0/ocr/RecognizeImage", tid, h)
        assert [r["type"] for r in env["results"]] == ["Text", "Hocr"]
        assert result_text(env) == "héllo wörld" and result_text(env, 1) == "<html>h</html>"
        assert env["error"]["messages"] == [] and "a warning" in env["error"]["warnings"]
        assert any("makeSpellCheck" in w for w in env["error"]["warnings"])
        shape, s = engine.calls[0]
        assert shape == (300, 400)
        assert (s.language, s.make_binarization, s.auto_skew, s.threads_count) == ("deu", True, False, 1)
        assert [f.name for f in s.preprocessing_filters] == ["median", "scale"]
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
            assert r.status_code == 404 and r.headers["content-type"] == "application/json", path


def test_module_doctests():
    import doctest

    from ocrprep.service import auth, config, tasks

    for mod in (auth, config, tasks):
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
