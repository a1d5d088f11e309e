"""The resource limits of ``ocrprep serve`` under hostile load (issue 10), measured on a real server.

    .venv/bin/python benchmarks/service_limits.py memory        # 32 concurrent ~59 MB POSTs: server RSS
    .venv/bin/python benchmarks/service_limits.py memory --retry   # ... clients retrying after Retry-After
    .venv/bin/python benchmarks/service_limits.py connections   # 300 idle sockets + a slowloris, 40 s
    .venv/bin/python benchmarks/service_limits.py connections --idle 1100 --nofile 1024
    .venv/bin/python benchmarks/service_limits.py fairness      # a 20x20 BinarizeImage behind 2 long jobs
    .venv/bin/python benchmarks/service_limits.py filters       # 3 000 000 filters; a job past --task-timeout
    .venv/bin/python benchmarks/service_limits.py diskfull --db-dir /mnt/3mb-tmpfs   # 150 POSTs, full disk

Each scenario starts its own server (``python -m ocrprep.cli serve --no-auth`` on a free
127.0.0.1 port, a fresh database; ``--nofile`` runs it under ``prlimit``) and prints what it
measured.  Extra server flags go after ``--``:
``benchmarks/service_limits.py memory -- --upload-budget 512MB``.
"""
from __future__ import annotations

import argparse
import base64
import collections
import http.client
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image


def png_b64(arr: np.ndarray) -> str:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


class Server:
    def __init__(self, workdir: Path, args: list[str], nofile: int | None = None, db: Path | None = None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "server.log"
        cmd = [sys.executable, "-m", "ocrprep.cli", "serve", "--no-auth", "--port", str(self.port),
               "--db", str(db or workdir / "tasks.sqlite3"), *args]
        if nofile:
            cmd = ["prlimit", f"--nofile={nofile}:{nofile}", "--", *cmd]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited:\n{self.log.read_text()}")
            try:
                if self.request("GET", "/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def request(self, method, path, body=None, timeout=600):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            return r.status, r.getheader("Retry-After"), r.read()
        finally:
            c.close()

    def json(self, path):
        return json.loads(self.request("GET", path)[2])

    def wait(self, path, tid):
        while True:
            env = self.json(f"{path}?id={tid}")
            if env["taskStatus"] not in ("Pending", "Processing"):
                return env
            time.sleep(0.05)

    def rss(self) -> tuple[int, int]:
        pid = self.proc.pid
        with open(f"/proc/{pid}/status") as f:
            d = dict(line.split(":", 1) for line in f)
        return int(d["VmRSS"].split()[0]) // 1024, int(d["VmHWM"].split()[0]) // 1024

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def memory(args, work):
    rng = np.random.default_rng(0)
    body = json.dumps({"image": png_b64(rng.integers(0, 256, (6600, 6700), dtype=np.uint8))}).encode()
    srv = Server(work, ["--workers", "2", "--max-body", "80MB", *args.server])
    print(f"{args.clients} concurrent POSTs of {len(body) / 1e6:.1f} MB; idle RSS {srv.rss()[0]} MB", flush=True)
    seen, results, peak, stop = collections.Counter(), [], [0], threading.Event()

    def post():
        while True:
            status, retry, data = srv.request("POST", "/v5.0/ocr/BinarizeImage", body)
            seen[status] += 1
            if args.retry and status in (429, 503):
                time.sleep(float(retry or 1))
                continue
            results.append(status)
            return

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], srv.rss()[0])
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=post) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"burst {time.perf_counter() - t0:.1f} s; responses {dict(seen)}; final {dict(collections.Counter(results))}")
    print(f"peak RSS {peak[0]} MB; 3 s after the burst {(time.sleep(3), srv.rss()[0])[1]} MB", flush=True)
    while True:
        q = srv.json("/health")["queue"]
        if q["pending"] == 0 and q["processing"] == 0:
            break
        time.sleep(1)
    time.sleep(5)
    stop.set()
    sampler.join()
    print(f"queue drained after {time.perf_counter() - t0:.0f} s: RSS {srv.rss()[0]} MB (peak {peak[0]} MB)")
    srv.stop()


def connections(args, work):
    srv = Server(work, args.server, nofile=args.nofile)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=10) for _ in range(args.idle)]
    loris = socket.create_connection(("127.0.0.1", srv.port))
    loris.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")

    def health():
        t = time.perf_counter()
        try:
            return f"{srv.request('GET', '/health', timeout=10)[0]} in {time.perf_counter() - t:.2f} s"
        except OSError as exc:
            return f"{type(exc).__name__} after {time.perf_counter() - t:.1f} s"

    print(f"{args.idle} idle connections and a slowloris (server open-files limit {args.nofile or 'default'})")
    print("  /health right away:", health(), flush=True)
    for _ in range(20):
        time.sleep(2)
        try:
            loris.sendall(b"X")
        except OSError:
            pass
    told = collections.Counter()

    def is_open(sk):
        sk.setblocking(False)
        while True:
            try:
                d = sk.recv(65536)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not d:
                return False
            told[d[:12].decode("latin-1")] += 1

    still = sum(is_open(s) for s in socks)
    print(f"  after 40 s: {still} of {args.idle} idle connections open, slowloris open: {is_open(loris)}; "
          f"what the closed ones were told: {dict(told)}")
    print("  /health after 40 s:", health())
    print(f"  server file descriptors: {len(os.listdir(f'/proc/{srv.proc.pid}/fd'))}")
    for s in socks:
        s.close()
    srv.stop()
    log = srv.log.read_text(errors="replace")
    print(f"  server log: {len(log.splitlines())} lines, {len(log)} bytes, "
          f"{log.count('Too many open files')} 'Too many open files'")


def fairness(args, work):
    rng = np.random.default_rng(0)
    big = png_b64(rng.integers(0, 256, (4000, 4000), dtype=np.uint8))
    tiny = png_b64(rng.integers(0, 256, (20, 20), dtype=np.uint8))
    srv = Server(work, ["--workers", "2", *args.server])
    heavy = json.dumps({"image": big, "filters": ",".join(["median(255)"] * 64)}).encode()
    t0 = time.perf_counter()
    ids = [srv.request("POST", "/v5.0/ocr/Preprocess", heavy)[2].decode() for _ in range(2)]
    time.sleep(2)
    t = time.perf_counter()
    tid = srv.request("POST", "/v5.0/ocr/BinarizeImage", json.dumps({"image": tiny}).encode())[2].decode()
    env = srv.wait("/v5.0/ocr/BinarizeImage", tid)
    states = [srv.json(f"/v5.0/ocr/Utilities/GetTaskStatus?id={i}")["taskStatus"] for i in ids]
    print(f"20x20 BinarizeImage behind 2 x 64 median(255) on 4000x4000 (2 workers): {env['taskStatus']} "
          f"after {time.perf_counter() - t:.2f} s; the long ones then: {states}")
    for i in ids:
        srv.wait("/v5.0/ocr/Preprocess", i)
    print(f"the long ones done after {time.perf_counter() - t0:.1f} s")
    srv.stop()


def filters(args, work):
    rng = np.random.default_rng(0)
    tiny = png_b64(rng.integers(0, 256, (20, 20), dtype=np.uint8))
    srv = Server(work, ["--workers", "2", "--task-timeout", "5s", *args.server])
    body = json.dumps({"image": tiny, "filters": [{"name": "invert"}] * 3_000_000}).encode()
    t = time.perf_counter()
    status, _, data = srv.request("POST", "/v5.0/ocr/Preprocess", body)
    print(f"3 000 000 invert filters ({len(body) / 1e6:.0f} MB body): HTTP {status} "
          f"{json.loads(data).get('code')} in {time.perf_counter() - t:.2f} s; server peak RSS {srv.rss()[1]} MB")
    big = png_b64(rng.integers(0, 256, (4000, 4000), dtype=np.uint8))
    heavy = json.dumps({"image": big, "filters": ",".join(["median(255)"] * 64)}).encode()
    t = time.perf_counter()
    tid = srv.request("POST", "/v5.0/ocr/Preprocess", heavy)[2].decode()
    env = srv.wait("/v5.0/ocr/Preprocess", tid)
    print(f"--task-timeout 5s, 64 median(255) on 4000x4000: {env['taskStatus']} after "
          f"{time.perf_counter() - t:.1f} s: {(env['error'] or {}).get('messages')}")
    srv.stop()


def diskfull(args, work):
    if not args.db_dir:
        raise SystemExit("diskfull needs --db-dir: a small file system, e.g. mount -t tmpfs -o size=3m tmpfs DIR")
    db_dir = Path(args.db_dir)
    filler = db_dir / "filler"
    free = shutil.disk_usage(db_dir).free
    filler.write_bytes(b"\0" * min(1 << 20, free // 3))  # freed after the burst: space comes back
    rng = np.random.default_rng(0)
    bodies = [json.dumps({"image": png_b64(rng.integers(0, 256, (150, 200), dtype=np.uint8))}).encode()
              for _ in range(150)]
    srv = Server(work, ["--workers", "2", "--queue-size", "1000", *args.server], db=db_dir / "tasks.sqlite3")
    out = []

    def post(b):
        try:
            status, retry, data = srv.request("POST", "/v5.0/ocr/BinarizeImage", b)
            code = None if status == 200 else json.loads(data).get("code")
            out.append((status, code, retry is not None, data.decode() if status == 200 else None))
        except (OSError, ValueError) as exc:
            out.append(("error", type(exc).__name__, False, None))

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as ex:
        list(ex.map(post, bodies))
    print("150 POSTs, database on a full file system:",
          dict(collections.Counter((s, c, "Retry-After" if r else "") for s, c, r, _ in out)))
    ids = [tid for *_, tid in out if tid]
    filler.unlink()
    time.sleep(15)
    states = collections.Counter(srv.json(f"/v5.0/ocr/Utilities/GetTaskStatus?id={i}")["taskStatus"] for i in ids)
    print(f"15 s after space came back, the {len(ids)} accepted tasks: {dict(states)}")
    srv.stop()
    for f in db_dir.glob("tasks.sqlite3*"):
        f.unlink()


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    server_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", choices=["memory", "connections", "fairness", "filters", "diskfull"])
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--retry", action="store_true", help="memory: clients post again after Retry-After")
    p.add_argument("--idle", type=int, default=300)
    p.add_argument("--nofile", type=int, help="connections: the server's open-files limit (prlimit)")
    p.add_argument("--db-dir", help="diskfull: a folder on a small file system")
    args = p.parse_args(argv)
    args.server = server_args
    work = Path(tempfile.mkdtemp(prefix="ocrprep-limits-"))
    try:
        globals()[args.scenario](args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
