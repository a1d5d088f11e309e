"""Batch scaling: pages/s of ``ocrprep.batch.run`` with 1 and 2 workers on generated A4 pages.

    .venv/bin/python benchmarks/batch_scaling.py                      # binarize, then binarize+recognize
    .venv/bin/python benchmarks/batch_scaling.py --modes binarize --repeat 5
    .venv/bin/python benchmarks/batch_scaling.py --pool processes     # force the local pool kind

The 200 pages (A4, 300 dpi, grey JPEG quality 90: text lines on unevenly lit
noisy paper, a different random page each) are generated once into
``.benchmarks/batch-pages/``.  Each measurement is one complete run, end to
end, as a user sees it: walking the folder, starting the pool, decoding,
filtering, (recognising,) writing 1-bit PNGs (or text) atomically and the
manifest, into a fresh destination.  Runs with 1 and 2 workers alternate so
that both see the same background load; the figure that matters is the
ratio of their pages/s within this run (the 1-worker run is the anchor).
Kernels run on one thread per page (the batch default), so 1 worker uses
one core.  The load average is printed with each run: the development
machine has 2 cores shared with other jobs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE.parent / ".benchmarks" / "batch-pages"


def _make_page(args):
    seed, path = args
    from PIL import Image

    from ocrprep._testimages import a4_page

    page = a4_page.__wrapped__(seed)  # not the cached one: 200 pages would stay in memory
    tmp = path.with_suffix(".tmp")
    Image.fromarray(page).save(tmp, "JPEG", quality=90)
    os.replace(tmp, path)


def pages(n: int, folder: Path = PAGES_DIR) -> Path:
    """``n`` generated A4 JPEG pages in ``folder`` (made once, reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(1000 + i, folder / f"page{i:03d}.jpg") for i in range(n)]
    todo = [t for t in todo if not t[1].exists()]
    if todo:
        print(f"generating {len(todo)} A4 pages into {folder} ...", file=sys.stderr, flush=True)
        with ProcessPoolExecutor(os.cpu_count() or 1) as ex:
            list(ex.map(_make_page, todo))
    return folder


def subset(src: Path, n: int, root: Path) -> Path:
    """A folder holding the first ``n`` pages (symbolic links)."""
    dst = root / f"src{n}"
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.glob("page*.jpg"))[:n]:
        (dst / p.name).symlink_to(p)
    return dst


def load() -> float:
    return os.getloadavg()[0]


def one_run(src: Path, workers: int, recognize: bool, pool, scratch: Path, dask: bool = False):
    import ocrprep.batch as batch

    dst = Path(tempfile.mkdtemp(prefix="dst", dir=scratch))
    cluster = client = None
    if dask:
        from dask.distributed import Client

        from ocrprep.batch._executors import local_cluster  # what `ocrprep batch --dask local` starts

        cluster = local_cluster(workers)
        pool = client = Client(cluster)
    before = load()
    t0 = time.perf_counter()
    try:
        records = batch.run(src, "binarize", dst, executor=pool, workers=workers, recognize=recognize)
    finally:
        wall = time.perf_counter() - t0
        if client is not None:
            client.close()
            cluster.close()
    shutil.rmtree(dst)
    ok = sum(r["status"] == "ok" for r in records)
    if ok != len(records):
        bad = [r for r in records if r["status"] != "ok"][:3]
        raise SystemExit(f"{len(records) - ok} pages failed: {bad}")
    busy = sum(r["timings"]["total"] for r in records)
    stages = {k: statistics.median(r["timings"].get(k, 0.0) for r in records) for k in ("read", "filter", "ocr", "write")}
    return {"pages": ok, "wall": wall, "rate": ok / wall, "busy": busy, "load": (before, load()), "stages": stages}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--recognize-pages", type=int, default=None, help="pages for binarize+recognize (default --pages)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per worker count (binarize)")
    ap.add_argument("--recognize-repeat", type=int, default=1, help="runs per worker count (recognize)")
    ap.add_argument("--modes", default="binarize,recognize")
    ap.add_argument("--pool", choices=["threads", "processes"], default=None,
                    help="local pool (default: threads for binarize, processes with recognition)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--dask", action="store_true",
                    help="run on a dask.distributed LocalCluster of N single-thread worker processes "
                         "(started before the clock starts, as a long-lived cluster would be)")
    args = ap.parse_args(argv)

    import ocrprep

    folder = pages(args.pages)
    counts = [int(w) for w in args.workers.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="ocrprep-batch-bench-"))
    rows = []
    try:
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            recognize = mode == "recognize"
            n = (args.recognize_pages or args.pages) if recognize else args.pages
            src = subset(folder, n, scratch)
            repeat = args.recognize_repeat if recognize else args.repeat
            runs = {w: [] for w in counts}
            for r in range(repeat):
                for w in (counts if r % 2 == 0 else counts[::-1]):
                    res = one_run(src, w, recognize, args.pool, scratch, args.dask)
                    runs[w].append(res)
                    print(f"{mode:9s} workers={w} run {r + 1}: {res['pages']} pages in {res['wall']:.1f} s = "
                          f"{res['rate']:.2f} pages/s (page work {res['busy']:.1f} s; load {res['load'][0]:.2f} -> "
                          f"{res['load'][1]:.2f}); median ms/page " +
                          " ".join(f"{k} {v * 1000:.0f}" for k, v in res["stages"].items() if v),
                          file=sys.stderr, flush=True)
            base = statistics.median(x["rate"] for x in runs[counts[0]])
            for w in counts:
                rates = [x["rate"] for x in runs[w]]
                med = statistics.median(rates)
                rows.append((mode if not recognize else "binarize+recognize", n, w, med, min(rates), max(rates),
                             med / base, statistics.median(x["load"][0] for x in runs[w])))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    pool = "dask LocalCluster" if args.dask else (args.pool or "threads (binarize) / processes (recognize)")
    print(f"\n| work | pages | workers | pages/s (median) | min..max | vs 1 worker | load avg at start |")
    print("|---|---|---|---|---|---|---|")
    for mode, n, w, med, lo, hi, ratio, ld in rows:
        print(f"| {mode} | {n} | {w} | {med:.2f} | {lo:.2f}..{hi:.2f} | {ratio:.2f}x | {ld:.2f} |")
    print(f"\nPool: {pool}; ocrprep {ocrprep.__version__}; Python {sys.version.split()[0]}; "
          f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
