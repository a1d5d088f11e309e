"""Integration tests: a real ``ocrprep serve`` (uvicorn) on 127.0.0.1, driven over HTTP.

* the seed workflow: POST BinarizeImage -> poll -> decode the PNG -> binary and equal, bit for
  bit, to ocrprep.binarize of the same image;
* ``kill -9`` while tasks are queued (and while a client is still submitting), restart on the
  same SQLite file: every task whose id was handed out completes, with correct results;
* bad inputs of every kind get the right status and a JSON error, and the server keeps serving;
* a full queue answers 429 with Retry-After; structured logs; configuration from the environment.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import sys
import threading
import time

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import ocrprep  # noqa: E402
import ocrprep.data  # noqa: E402,F401
from ocrprep.filters import PreprocessingFilter  # noqa: E402
from servicehelp import (  # noqa: E402
    Client,
    ServerProcess,
    b64,
    page,
    png_bytes,
    png_header,
    result_image,
    result_text,
)

pytestmark = pytest.mark.slow

#: a Preprocess pipeline slow enough (~0.3 s on 600x800) to keep a one-worker queue busy
SLOW = ",".join(["median(15)"] * 30)


def test_seed_workflow_bit_for_bit(tmp_path):
    sample = ocrprep.data.sample_path().read_bytes()
    with ServerProcess(tmp_path) as server:
        c = Client(server.url)
        c.login()
        tid = c.submit("/v5.0/ocr/BinarizeImage", {"image": b64(sample)})
        env = c.wait("/v5.0/ocr/BinarizeImage", tid)
        assert env["id"] == tid and env["responseStatusCode"] == "Ok" and env["error"] is None
        out = result_image(env)
        expected = ocrprep.binarize(ocrprep.imread(sample))
        assert out.dtype == np.uint8 and out.shape == expected.shape == ocrprep.imread(sample).shape[:2]
        assert set(np.unique(out).tolist()) == {0, 255}
        assert np.array_equal(out, expected)
        status = c.get("/v5.0/ocr/Utilities/GetTaskStatus", id=tid).json()
        assert status["taskStatus"] == "Completed" and status["results"] is None
        health = c.get("/health").json()
        assert health["queue"]["completed"] == 1 and health["auth"] is True
        c.close()
        # SIGTERM: a clean shutdown (uvicorn re-raises the signal once it has shut down)
        assert server.stop() in (0, -signal.SIGTERM)
        assert any(r["event"] == "service stopped" and r["clean"] for r in server.log_records())


@pytest.mark.tesseract
def test_recognize_workflow(tmp_path):
    from ocrprep.ocr import tesseract_available
    from frontdoor import word_recovery

    if not tesseract_available():
        pytest.skip("tesseract not installed")
    sample = ocrprep.data.sample_path().read_bytes()
    with ServerProcess(tmp_path) as server:
        c = Client(server.url)
        c.login()
        tid = c.submit("/v5.0/ocr/RecognizeImage", {"image": b64(sample), "settings": {
            "language": "English", "makeBinarization": True, "makeSkewCorrect": True, "resultType": "Text"}})
        text = result_text(c.wait("/v5.0/ocr/RecognizeImage", tid))
        assert word_recovery(ocrprep.data.sample_text(), text) >= 0.9, text
        c.close()


def _statuses(db) -> dict:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status").fetchall())
    finally:
        con.close()


def test_kill_9_mid_queue_loses_no_task(tmp_path):
    images = [page(seed, (600, 800)) for seed in range(8)]
    server = ServerProcess(tmp_path, "--workers", "1", "--threads", "1", "--ocr-workers", "1").start()
    c = Client(server.url)
    c.login()
    accepted = {}  # task id -> (path, image index, spec)
    for i in range(24):
        if i % 2:
            tid = c.submit("/v5.0/ocr/BinarizeImage", {"image": b64(png_bytes(images[i % 8]))})
            accepted[tid] = ("/v5.0/ocr/BinarizeImage", i % 8, None)
        else:
            tid = c.submit("/v5.0/ocr/Preprocess", {"image": b64(png_bytes(images[i % 8])), "filters": SLOW})
            accepted[tid] = ("/v5.0/ocr/Preprocess", i % 8, SLOW)
    first = next(iter(accepted))
    c.wait("/v5.0/ocr/Preprocess", first)

    # a second client keeps submitting while the server is killed: whatever got an id must survive
    late, stop, got_one = {}, threading.Event(), threading.Event()

    encoded = [b64(png_bytes(im)) for im in images]  # posting must outpace the worker
    slower = ",".join(["scale(2)"] + ["median(15)"] * 31 + ["scale(0.5)"])  # (a request holds 64 filters at most)

    def submitter():
        lc = Client(server.url, token=c.token, timeout=10)
        k = 0
        while not stop.is_set() and k < 60:
            k += 1
            # slow tasks among the late ones keep the queue from draining before the kill
            path, spec = ("/v5.0/ocr/Preprocess", slower) if k % 2 else ("/v5.0/ocr/BinarizeImage", None)
            body = {"image": encoded[k % 8]}
            if spec:
                body["filters"] = spec
            try:
                r = lc.post(path, body)
            except httpx.HTTPError:
                break  # the server is gone
            if r.status_code == 200:
                late[r.text] = (path, k % 8, spec)
                got_one.set()
        lc.close()

    t = threading.Thread(target=submitter)
    t.start()
    assert got_one.wait(30)
    deadline = time.monotonic() + 30
    while True:  # kill only once the server is really mid-queue, however fast this machine is
        queued = _statuses(server.db)
        if queued.get("Pending", 0) + queued.get("Processing", 0) >= 8 or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    time.sleep(0.05)  # the submitter is sending its next request
    server.kill()  # kill -9
    stop.set()
    t.join(30)
    c.close()
    before = _statuses(server.db)
    assert before.get("Completed", 0) >= 1, before
    assert before.get("Pending", 0) + before.get("Processing", 0) >= 5, before  # it really died mid-queue
    accepted.update(late)
    assert len(late) >= 1

    server.start()  # same database
    c = Client(server.url)
    c.login()  # (the old token would also still work: the signing key is in the database)
    for tid, (path, idx, spec) in accepted.items():
        env = c.wait(path, tid, timeout=180)
        assert env["taskStatus"] == "Completed", env
        out = result_image(env)
        if spec is None:
            assert np.array_equal(out, ocrprep.binarize(images[idx])), tid
        else:
            assert np.array_equal(out, PreprocessingFilter.from_spec(spec).apply(images[idx])), tid
    start = [r for r in server.log_records() if r.get("event") == "service started"][-1]
    assert start["pending"] + start["requeued"] >= 5
    # Every task ran.  The submitter's last request may have been stored just before
    # the kill without its id reaching the client: at most one task nobody heard of, which
    # may still be running when the known ones are done (a slow one takes seconds under load).
    deadline = time.monotonic() + 180
    while True:
        after = _statuses(server.db)
        if not (after.get("Pending", 0) + after.get("Processing", 0)) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert set(after) == {"Completed"}, after
    assert len(accepted) <= after["Completed"] <= len(accepted) + 1, (after, len(accepted))
    c.close()
    server.stop()


def test_bad_inputs_json_errors_and_server_keeps_serving(tmp_path):
    good = png_bytes(page(2))
    with ServerProcess(tmp_path, "--token-ttl", "2s", "--max-body", "4MB") as server:
        c = Client(server.url)
        c.login()
        h = c.headers()
        post = lambda **kw: c.http.post("/v5.0/ocr/BinarizeImage", **kw)  # noqa: E731
        cases = [
            ("non-base64", post(json={"image": "this is not base64!"}, headers=h), 400, "InvalidBase64"),
            ("truncated PNG", post(json={"image": b64(good[: len(good) // 3])}, headers=h), 400, "CorruptImage"),
            ("bomb header", post(json={"image": b64(png_header(100_000, 100_000))}, headers=h), 400, "ImageTooLarge"),
            ("0-byte image", post(json={"image": ""}, headers=h), 400, "EmptyImage"),
            ("0-byte body", post(content=b"", headers=h), 400, "InvalidJson"),
            ("wrong JSON", post(content=b'{"image": ', headers=h), 400, "InvalidJson"),
            ("wrong shape", post(json={"picture": b64(good)}, headers=h), 400, "InvalidJson"),
            ("huge body", post(content=b'{"image": "' + b"A" * (5 << 20) + b'"}', headers=h), 413, "BodyTooLarge"),
            ("bad id", c.http.get("/v5.0/ocr/BinarizeImage", params={"id": "12"}, headers=h), 400, "InvalidId"),
            ("no token", post(json={"image": b64(good)}), 401, "Unauthorized"),
            ("bad token", post(json={"image": b64(good)}, headers={"Authorization": "Bearer a.b.c"}), 401, "InvalidToken"),
        ]
        for what, r, status, code in cases:
            assert r.status_code == status, (what, r.status_code, r.text[:300])
            assert r.headers["content-type"] == "application/json; charset=utf-8", what
            body = r.json()
            assert body["code"] == code and body["detail"] and body["error"]["messages"], (what, body)
        # unknown id: the cloud's envelope, taskStatus NotExist, with an error message
        r = c.get("/v5.0/ocr/BinarizeImage", id="c4b60313-4f78-45f8-b708-069eb98dc22e")
        assert r.status_code == 200 and r.json()["taskStatus"] == "NotExist" and r.json()["error"]["messages"]
        # expired token
        time.sleep(2.2)
        r = post(json={"image": b64(good)}, headers=h)
        assert r.status_code == 401 and r.json()["code"] == "TokenExpired"
        # the same server still does real work
        c.login()
        tid = c.submit("/v5.0/ocr/BinarizeImage", {"image": b64(good)})
        assert np.array_equal(result_image(c.wait("/v5.0/ocr/BinarizeImage", tid)), ocrprep.binarize(page(2)))
        assert server.proc.poll() is None
        c.close()


def test_queue_full_429_then_all_accepted_complete(tmp_path):
    img = page(5, (600, 800))
    with ServerProcess(tmp_path, "--workers", "1", "--threads", "1", "--queue-size", "2") as server:
        c = Client(server.url)
        c.login()
        codes, ids = [], []
        for _ in range(6):
            r = c.post("/v5.0/ocr/Preprocess", {"image": b64(png_bytes(img)), "filters": SLOW})
            codes.append(r.status_code)
            if r.status_code == 200:
                ids.append(r.text)
            else:
                assert r.status_code == 429 and r.json()["code"] == "QueueFull"
                assert 1 <= int(r.headers["retry-after"]) <= 60
        assert codes[:2] == [200, 200] and 429 in codes, codes
        expected = PreprocessingFilter.from_spec(SLOW).apply(img)
        for tid in ids:
            assert np.array_equal(result_image(c.wait("/v5.0/ocr/Preprocess", tid)), expected)
        assert c.post("/v5.0/ocr/Preprocess", {"image": b64(png_bytes(img)), "filters": "median(3)"}).status_code == 200
        assert c.get("/health").json()["queue"]["rejected"] == codes.count(429)
        c.close()


def test_structured_logs_env_config_and_no_auth_warning(tmp_path):
    env = {"OCRPREP_SERVICE_QUEUE_SIZE": "7", "OCRPREP_SERVICE_RETENTION": "1s", "OCRPREP_SERVICE_WORKERS": "1"}
    with ServerProcess(tmp_path, auth=False, env=env) as server:
        c = Client(server.url)
        health = c.http.get("/health").json()
        assert health["queue"]["lanes"] == {"kernel": {"active": 0, "capacity": 7}, "ocr": {"active": 0, "capacity": 7}}
        assert health["workers"]["kernel"] == 1 and health["auth"] is False
        tid = c.submit("/V5.0/OCR/BINARIZEIMAGE", {"image": b64(png_bytes(page()))})
        assert c.wait("/v5.0/ocr/binarizeimage", tid)["taskStatus"] == "Completed"
        time.sleep(1.5)  # retention 1 s (from the environment)
        assert c.get("/v5.0/ocr/BinarizeImage", id=tid).json()["taskStatus"] == "NotExist"
        c.close()
    text = server.log_text()
    assert "WARNING: authentication is disabled (--no-auth)" in text
    records = server.log_records()
    non_json = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("{") and not ln.startswith("WARNING")]
    assert non_json == [], non_json
    for r in records:
        assert {"ts", "level", "logger", "event"} <= set(r)
    reqs = [r for r in records if r["event"] == "request"]
    assert any(r["path"] == "/V5.0/OCR/BINARIZEIMAGE" and r["method"] == "POST" and r["status"] == 200 for r in reqs)
    assert all(isinstance(r["ms"], (int, float)) and r["rid"] for r in reqs)
    assert any(r["event"] == "task finished" and r["task"] == tid and r["outcome"] == "completed" for r in records)
    assert any(r["event"] == "authentication disabled" and r["level"] == "warning" for r in records)
    assert any(r["event"] == "service stopped" for r in records)


def test_pixel_cap_from_the_command_line(tmp_path):
    """--max-pixels 1000000: a 1001x1000 header (far below Pillow's own limit) is refused with the
    configured number; an image at the cap and a rotation within it are served."""
    img = page(6, (1000, 1000))
    with ServerProcess(tmp_path, "--max-pixels", "1000000") as server:
        c = Client(server.url)
        c.login()
        for w, h in ((1001, 1000), (100_000, 100_000)):
            r = c.post("/v5.0/ocr/BinarizeImage", {"image": b64(png_header(w, h))})
            assert r.status_code == 400 and r.json()["code"] == "ImageTooLarge", r.text
            assert "exceeds the limit of 1,000,000 " in r.json()["detail"] and f"{w}x{h}" in r.json()["detail"]
        # Preprocess: the pipeline's pages are capped too
        r = c.post("/v5.0/ocr/Preprocess", {"image": b64(png_bytes(img)), "filters": "rotate(45)"})
        assert r.status_code == 400 and r.json()["code"] == "ImageTooLarge" and "1,000,000" in r.json()["detail"]
        tid = c.submit("/v5.0/ocr/BinarizeImage", {"image": b64(png_bytes(img))})
        assert np.array_equal(result_image(c.wait("/v5.0/ocr/BinarizeImage", tid)), ocrprep.binarize(img))
        c.close()


def _readme_http_block() -> tuple[str, str]:
    from pathlib import Path

    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.exists():
        pytest.skip("README.md not next to the tests")
    text = readme.read_text(encoding="utf-8")
    section = re.search(r"^## HTTP service\n(.*?)(?=^## |\Z)", text, re.S | re.M).group(1)
    return section, re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_readme_curl_flow_as_written(tmp_path):
    """The README's HTTP example, run line for line with bash and curl against a real server:
    token, POST, poll, GET, decode -- and the documented outputs."""
    import shlex
    import shutil
    import subprocess

    for tool in ("bash", "curl", "base64"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    section, block = _readme_http_block()
    lines = block.replace("\\\n", " ").splitlines()
    serve = [ln for ln in lines if ln.startswith("ocrprep serve")]
    assert len(serve) == 1, lines
    argv = shlex.split(serve[0], comments=True)[2:]
    port = argv[argv.index("--port") + 1]
    del argv[argv.index("--port"):argv.index("--port") + 2]
    script = "\n".join(ln for ln in lines if not ln.startswith("ocrprep serve"))
    work = tmp_path / "client"
    work.mkdir()
    shutil.copyfile(ocrprep.data.sample_path(), work / "page.png")
    with ServerProcess(tmp_path / "server", *argv) as server:  # the README's --client, and the tests' own
        script = script.replace(f"127.0.0.1:{port}", f"127.0.0.1:{server.port}")
        env = {**os.environ, "PATH": os.path.dirname(os.path.abspath(sys.executable)) + os.pathsep + os.environ["PATH"]}
        run = subprocess.run(["bash", "-eu", "-c", script], cwd=work, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        result = json.loads((work / "result.json").read_text())
    # the envelope the README documents
    documented = json.loads(re.search(r"`(\{\"id\".*?\})`", section, re.S).group(1)
                            .replace("<the task id>", result["id"]).replace("<base64 PNG>", result["results"][0]["data"]))
    assert result == documented
    assert str(__import__("uuid").UUID(result["id"])) == result["id"]
    out = ocrprep.imread(work / "page_bw.png")
    assert np.array_equal(out, ocrprep.binarize(ocrprep.imread(work / "page.png")))
