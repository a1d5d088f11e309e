"""Load test of ``ocrprep serve``: N tasks from C concurrent clients, every result checked.

    .venv/bin/python benchmarks/service_load.py                 # 500 tasks, 50 clients
    .venv/bin/python benchmarks/service_load.py --requests 2000 --clients 100 --json out.json

Starts its own server (``python -m ocrprep.cli serve`` on a free 127.0.0.1 port with a fresh
SQLite file, auth on) unless ``--url`` points at one.  Each client logs in
(``/connect/token``), then repeatedly takes the next task number and:

1. POSTs the page to ``/v5.0/ocr/BinarizeImage`` (or, for ``--recognize-share`` of the tasks,
   a one-line text image to ``/v5.0/ocr/RecognizeImage``); a 429 is the deliberate
   back-pressure of the bounded queue (``--queue-size`` below the number of clients; the
   image lane and the recognition lane are bounded separately, ``--ocr-queue-size`` for the
   latter): the client waits the Retry-After seconds and posts again;
2. polls ``/v5.0/ocr/Utilities/GetTaskStatus`` every ``--poll`` seconds;
3. GETs the result once Completed.

With ``--immediate-share F`` the first F of the clients instead GET the result right after the
POST, as the cloud SDK's example programs do: the server holds that GET until the task ends (up
to its ``--result-wait``; a GET answered NotReady is simply repeated).  Their latencies are also
reported apart (``immediate_*`` vs ``polling_*``).

Afterwards (outside the timed part, so the checks do not compete with the server for the CPU)
every binarized PNG is compared bit for bit with ``ocrprep.binarize`` of the same page, and
every recognised text with the words printed on its image.

Reported: throughput (tasks/s over the whole run), end-to-end task latency (first POST to
result in hand, 429 waits included) p50/p95/p99, latency of the accepted POSTs and of the
GETs, the number of 429s, and errors -- any other status, exception, failed task or wrong
result.  The exit status is 1 when there was any error.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CLIENT_ID, CLIENT_SECRET = "load", "load-test-secret"
LINE = "The quick brown fox jumps over the lazy dog"


def pages():
    """Distinct document pages: three A4 pages at 150 dpi (1240x1754, grey) and the shipped sample (RGB)."""
    import ocrprep
    import ocrprep.data
    from ocrprep._testimages import a4_page

    out = [ocrprep.scale(a4_page(seed), 0.5) for seed in (1, 2, 3)]
    out.append(ocrprep.imread(ocrprep.data.sample_path()))
    return out


def text_line():
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default(size=30)
    im = Image.new("L", (900, 80), 235)
    ImageDraw.Draw(im).text((20, 20), LINE, fill=25, font=font)
    return np.asarray(im).copy()


def png(arr) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def pct(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def cpu_seconds(pid: int, children: bool = False) -> float | None:
    """User + system CPU time of a process (Linux /proc), or of its finished children
    (the Tesseract processes it ran), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        i = 13 if children else 11
        return (int(fields[i]) + int(fields[i + 1])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, workdir: Path):
    import httpx

    port = free_port()
    cmd = [sys.executable, "-m", "ocrprep.cli", "serve", "--port", str(port), "--db", str(workdir / "load.sqlite3"),
           "--client", f"{CLIENT_ID}:{CLIENT_SECRET}", "--queue-size", str(args.queue_size), "--log-level", "warning"]
    if args.ocr_queue_size:
        cmd += ["--ocr-queue-size", str(args.ocr_queue_size)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if args.ocr_workers:
        cmd += ["--ocr-workers", str(args.ocr_workers)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.result_wait is not None:
        cmd += ["--result-wait", str(args.result_wait)]
    log = open(workdir / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {(workdir / 'server.log').read_text()}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


class Stats:
    def __init__(self):
        self.task_latency = []  # first POST -> result in hand (s)
        self.by_mode = {"immediate": [], "polling": []}  # the same, per client mode
        self.accepted_latency = []  # accepted POST -> result in hand (s)
        self.post_ms = []
        self.get_ms = []
        self.waiting_get_ms = []  # GETs the server held until the task ended (--immediate-share)
        self.requests = 0
        self.rejected = 0  # 429
        self.errors = []  # (task, what)
        self.results = []  # (task, kind, image index, data)


async def run_client(cid, args, url, work, stats, bodies, kinds):
    import httpx

    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        r = await http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                   "client_secret": CLIENT_SECRET})
        stats.requests += 1
        if r.status_code != 200:
            stats.errors.append((None, f"token: {r.status_code}"))
            return
        headers = {"Authorization": "Bearer " + r.json()["access_token"]}
        while True:
            try:
                n = next(work)
            except StopIteration:
                return
            kind, idx = kinds[n]
            path = "/v5.0/ocr/BinarizeImage" if kind == "binarize" else "/v5.0/ocr/RecognizeImage"
            t0 = time.perf_counter()
            try:
                while True:  # POST until accepted
                    t = time.perf_counter()
                    r = await http.post(path, content=bodies[(kind, idx)], headers={**headers, "Content-Type": "application/json"})
                    stats.requests += 1
                    if r.status_code == 429:
                        stats.rejected += 1
                        await asyncio.sleep(float(r.headers.get("retry-after", "1")) * random.uniform(0.5, 1.0))
                        continue
                    break
                if r.status_code != 200:
                    stats.errors.append((n, f"POST {r.status_code} {r.text[:200]}"))
                    continue
                stats.post_ms.append((time.perf_counter() - t) * 1000)
                accepted = time.perf_counter()
                tid = r.text
                immediate = cid < args.clients * args.immediate_share
                while immediate:  # the SDK's way: GET at once; the server answers when the task is done
                    t = time.perf_counter()
                    r = await http.get(path, params={"id": tid}, headers=headers)
                    stats.requests += 1
                    stats.waiting_get_ms.append((time.perf_counter() - t) * 1000)
                    env = r.json() if r.status_code == 200 else {}
                    if r.status_code == 200 and env["taskStatus"] in ("Pending", "Processing"):
                        continue  # the server's wait bound passed first: ask again
                    if r.status_code != 200 or env["taskStatus"] != "Completed":
                        stats.errors.append((n, f"result {r.status_code} {env.get('taskStatus')} {env.get('error')}"))
                        break
                    done = time.perf_counter()
                    stats.task_latency.append(done - t0)
                    stats.by_mode["immediate"].append(done - t0)
                    stats.accepted_latency.append(done - accepted)
                    stats.results.append((n, kind, idx, env["results"][0]["data"]))
                    break
                while not immediate:
                    await asyncio.sleep(args.poll)
                    t = time.perf_counter()
                    r = await http.get("/v5.0/ocr/Utilities/GetTaskStatus", params={"id": tid}, headers=headers)
                    stats.requests += 1
                    stats.get_ms.append((time.perf_counter() - t) * 1000)
                    if r.status_code != 200:
                        stats.errors.append((n, f"status {r.status_code}"))
                        break
                    st = r.json()["taskStatus"]
                    if st in ("Pending", "Processing"):
                        continue
                    if st != "Completed":
                        stats.errors.append((n, f"task {st}: {r.json().get('error')}"))
                        break
                    t = time.perf_counter()
                    r = await http.get(path, params={"id": tid}, headers=headers)
                    stats.requests += 1
                    stats.get_ms.append((time.perf_counter() - t) * 1000)
                    env = r.json()
                    if r.status_code != 200 or env["taskStatus"] != "Completed":
                        stats.errors.append((n, f"result {r.status_code} {env.get('taskStatus')}"))
                        break
                    done = time.perf_counter()
                    stats.task_latency.append(done - t0)
                    stats.by_mode["polling"].append(done - t0)
                    stats.accepted_latency.append(done - accepted)
                    stats.results.append((n, kind, idx, env["results"][0]["data"]))
                    break
            except httpx.HTTPError as exc:
                stats.errors.append((n, f"{type(exc).__name__}: {exc}"))


def check_results(stats, expected_bw):
    import ocrprep

    want_words = LINE.lower().split()
    wrong = 0
    for n, kind, idx, data in stats.results:
        raw = base64.b64decode(data)
        if kind == "binarize":
            if not np.array_equal(ocrprep.imread(raw), expected_bw[idx]):
                wrong += 1
                stats.errors.append((n, "binarized image differs from ocrprep.binarize"))
        else:
            got = raw.decode("utf-8").lower().replace(".", " ").split()
            if got != want_words:
                wrong += 1
                stats.errors.append((n, f"recognised {raw.decode('utf-8')!r}"))
    return wrong


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=500, help="tasks to run (default 500)")
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--queue-size", type=int, default=32,
                   help="server queue bound per lane (default 32: below --clients, so 429s happen)")
    p.add_argument("--ocr-queue-size", type=int, default=None, help="bound of the recognition lane (default: --queue-size)")
    p.add_argument("--recognize-share", type=float, default=0.05, help="fraction of RecognizeImage tasks (default 0.05)")
    p.add_argument("--poll", type=float, default=0.1, help="seconds between status polls (default 0.1)")
    p.add_argument("--immediate-share", type=float, default=0.0,
                   help="fraction of the clients that GET the result right after the POST (the server waits) "
                        "instead of polling GetTaskStatus (default 0)")
    p.add_argument("--result-wait", default=None, help="the server's --result-wait (default: its own, 30s)")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--ocr-workers", type=int, default=None)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--url", default=None, help="use a running server (its client must be load:load-test-secret)")
    p.add_argument("--json", default=None, help="write the figures here")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    import ocrprep

    random.seed(args.seed)
    images = pages()
    expected_bw = [ocrprep.binarize(im) for im in images]
    bodies = {("binarize", i): json.dumps({"image": base64.b64encode(png(im)).decode()}).encode() for i, im in enumerate(images)}
    line = text_line()
    bodies[("recognize", 0)] = json.dumps({"image": base64.b64encode(png(line)).decode(), "settings": {
        "language": "English", "makeSkewCorrect": False, "makeContrastCorrection": False,
        "resultType": "Text"}}).encode()
    n_rec = int(round(args.requests * args.recognize_share))
    kinds = [("binarize", i % len(images)) for i in range(args.requests - n_rec)] + [("recognize", 0)] * n_rec
    random.shuffle(kinds)

    tmp = Path(tempfile.mkdtemp(prefix="ocrprep-load-"))
    proc = None
    url = args.url
    if url is None:
        proc, url = start_server(args, tmp)
    try:
        import httpx

        token = httpx.post(url + "/connect/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                          "client_secret": CLIENT_SECRET}).json()["access_token"]
        auth = {"Authorization": "Bearer " + token}  # /health shows its queue figures to clients only
        health0 = httpx.get(url + "/health", headers=auth).json()
        stats = Stats()
        work = iter(range(args.requests))

        async def go():
            await asyncio.gather(*(run_client(c, args, url, work, stats, bodies, kinds) for c in range(args.clients)))

        import resource

        cpu0 = cpu_seconds(proc.pid) if proc is not None else None
        kids0 = cpu_seconds(proc.pid, children=True) if proc is not None else None
        me0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        asyncio.run(go())
        wall = time.perf_counter() - t0
        me1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu1 = cpu_seconds(proc.pid) if proc is not None else None
        kids1 = cpu_seconds(proc.pid, children=True) if proc is not None else None
        with open("/proc/loadavg") as f:
            loadavg = f.read().split()[:3]
        health1 = httpx.get(url + "/health", headers=auth).json()
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    wrong = check_results(stats, expected_bw)
    done = len(stats.results)
    fig = {
        "tasks": args.requests,
        "clients": args.clients,
        "queue_size": args.queue_size,
        "queue_lanes": {lane: v["capacity"] for lane, v in health0["queue"].get("lanes", {}).items()},
        "recognize_tasks": n_rec,
        "completed": done,
        "wrong_results": wrong,
        "errors": len(stats.errors),
        "rejected_429": stats.rejected,
        "http_requests": stats.requests,
        "wall_s": round(wall, 3),
        "throughput_tasks_per_s": round(done / wall, 2),
        "http_requests_per_s": round(stats.requests / wall, 1),
        "task_latency_s": {q: round(pct(stats.task_latency, q), 3) for q in (50, 95, 99)},
        "immediate_clients": int(sum(c < args.clients * args.immediate_share for c in range(args.clients))),
        "immediate_task_latency_s": {q: round(pct(stats.by_mode["immediate"], q), 3) for q in (50, 95, 99)},
        "polling_task_latency_s": {q: round(pct(stats.by_mode["polling"], q), 3) for q in (50, 95, 99)},
        "accepted_to_result_s": {q: round(pct(stats.accepted_latency, q), 3) for q in (50, 95, 99)},
        "post_ms": {q: round(pct(stats.post_ms, q), 1) for q in (50, 95, 99)},
        "get_ms": {q: round(pct(stats.get_ms, q), 1) for q in (50, 95, 99)},
        "waiting_get_ms": {q: round(pct(stats.waiting_get_ms, q), 1) for q in (50, 95, 99)},
        "server_cpu_s": None if cpu0 is None else round(cpu1 - cpu0, 2),
        "server_cpu_ms_per_task": None if cpu0 is None or not done else round(1000 * (cpu1 - cpu0) / done, 1),
        "tesseract_cpu_s": None if kids0 is None else round(kids1 - kids0, 2),
        "client_cpu_s": round((me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime), 2),
        "loadavg_after": loadavg,
        "server": {"workers": health0["workers"], "tesseract": health0["tesseract"]["version"]},
        "server_rejected": health1["queue"]["rejected"],
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "pages": [f"{im.shape[1]}x{im.shape[0]}{'x3' if im.ndim == 3 else ''}" for im in images],
    }
    print(json.dumps(fig, indent=2))
    for n, what in stats.errors[:20]:
        print(f"error: task {n}: {what}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=2))
    print(
        "\n| tasks | clients | queue | throughput | task p50 / p95 / p99 | accepted->result p95 | POST p95 | GET p95 "
        "| server CPU/task | 429s | errors | load avg |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {done}/{args.requests} ({n_rec} OCR) | {args.clients} | {args.queue_size} | {fig['throughput_tasks_per_s']} tasks/s | "
        f"{fig['task_latency_s'][50]} / {fig['task_latency_s'][95]} / {fig['task_latency_s'][99]} s | "
        f"{fig['accepted_to_result_s'][95]} s | {fig['post_ms'][95]} ms | {fig['get_ms'][95]} ms | "
        f"{fig['server_cpu_ms_per_task']} ms | {stats.rejected} | {len(stats.errors)} | {' '.join(loadavg)} |"
    )
    if args.immediate_share:
        print(f"\nPOST + immediate GET ({fig['immediate_clients']} clients): task p50 / p95 / p99 "
              f"{fig['immediate_task_latency_s'][50]} / {fig['immediate_task_latency_s'][95]} / "
              f"{fig['immediate_task_latency_s'][99]} s; polling clients: {fig['polling_task_latency_s'][50]} / "
              f"{fig['polling_task_latency_s'][95]} / {fig['polling_task_latency_s'][99]} s")
    return 0 if not stats.errors and done == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())
