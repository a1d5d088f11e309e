"""Multi-page TIFF access: pages/s reading page by page, random access, and a batch run.

    .venv/bin/python benchmarks/tiff_pages.py                       # 2000 pages, every measure
    .venv/bin/python benchmarks/tiff_pages.py --pages 2000 --skip-batch
    PYTHONPATH=/path/to/other/checkout/src python benchmarks/tiff_pages.py   # "before" figures

The TIFF is generated once into ``.benchmarks/tiff-pages/``: tiny pages
(48x64 grey LZW, 64 different ones in turn), as in issue 10's 600 KB,
2000-page file.  Measures, each one complete call as a user makes it:

* ``iter_pages`` over the whole file (pages/s);
* every page read alone, ``iter_pages(path, start_page=k, pages_count=1)``
  for k = 0..n-1, as batch workers used to (pages/s);
* ``imread(path, page=1)`` and ``imread(path, page=n)`` on a fresh copy of
  the file (no directory chain kept from an earlier reader);
* ``ocrprep.batch.run(path, "invert", ...)`` with 2 threads (pages/s),
  unless ``--skip-batch``; ``--budget`` seconds bound each measure (a slow
  version is stopped and reported with the pages it did).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def make_tiff(path: Path, pages: int) -> None:
    """``pages`` tiny LZW pages (48x64 grey).  Pillow encodes 64 different pages; the file is
    assembled here (Pillow's own multi-page writer takes minutes for 40 000 pages): each page
    directory points at one of the 64 strips, so every page is a real, decodable LZW page."""
    import io
    import struct

    from PIL import Image

    rng = np.random.default_rng(0)
    strips = []
    for k in range(64):
        a = np.full((48, 64), 230, np.uint8)
        a[8:40:4, 4:60] = rng.integers(0, 90, (8, 56), dtype=np.uint8)
        a[0, k] = 0
        buf = io.BytesIO()
        Image.fromarray(a).save(buf, "TIFF", compression="tiff_lzw")
        im = Image.open(buf)
        (offset,), (size,) = im.tag_v2[273], im.tag_v2[279]
        strips.append(buf.getvalue()[offset:offset + size])
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    at = []
    for strip in strips:
        at.append(len(out))
        out += strip + b"\0" * (len(strip) % 2)
    first = len(out)
    entries = 9
    ifd_size = 2 + 12 * entries + 4
    for k in range(pages):
        nxt = first + (k + 1) * ifd_size if k + 1 < pages else 0
        s = k % 64
        out += struct.pack("<H", entries)
        for tag, typ, value in ((256, 3, 64), (257, 3, 48), (258, 3, 8), (259, 3, 5), (262, 3, 1),
                                (273, 4, at[s]), (277, 3, 1), (278, 3, 48), (279, 4, len(strips[s]))):
            out += struct.pack("<HHI", tag, typ, 1) + (struct.pack("<H2x", value) if typ == 3 else struct.pack("<I", value))
        out += struct.pack("<I", nxt)
    struct.pack_into("<I", out, 4, first)
    path.write_bytes(bytes(out))


def fresh_copy(path: Path, tmp: Path) -> Path:
    """A copy with a new identity: no reader of this process has seen it."""
    out = tmp / f"copy{time.monotonic_ns()}.tif"
    shutil.copyfile(path, out)
    return out


def timed(fn, budget: float):
    """(seconds, pages done, finished) of ``fn(stop_event) -> pages``, stopped after ``budget`` s."""
    stop = threading.Event()
    timer = threading.Timer(budget, stop.set)
    timer.start()
    t = time.perf_counter()
    try:
        done = fn(stop)
    finally:
        timer.cancel()
    return time.perf_counter() - t, done, not stop.is_set()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--budget", type=float, default=300.0, help="seconds per measure before it is stopped")
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()

    import ocrprep
    from ocrprep.io import iter_pages

    data_dir = ROOT / ".benchmarks" / "tiff-pages"
    data_dir.mkdir(parents=True, exist_ok=True)
    src = data_dir / f"pages{args.pages}.tif"
    if not src.exists():
        make_tiff(src, args.pages)
    n = args.pages
    print(f"ocrprep from {Path(ocrprep.__file__).parent}; {src.name}: {n} pages, {src.stat().st_size / 1e3:.0f} kB; "
          f"load average {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def whole(stop):
            done = 0
            for _ in iter_pages(fresh_copy(src, tmp)):
                done += 1
                if stop.is_set():
                    break
            return done

        rows.append(("iter_pages, whole file", *timed(whole, args.budget)))

        def one_by_one(stop):
            path = fresh_copy(src, tmp)
            done = 0
            for k in range(n):
                if stop.is_set():
                    break
                done += sum(1 for _ in iter_pages(path, start_page=k, pages_count=1))
            return done

        rows.append(("iter_pages(start_page=k, pages_count=1), every k", *timed(one_by_one, args.budget)))

        for page in (1, n):
            def single(stop, page=page):
                ocrprep.imread(fresh_copy(src, tmp), page=page)
                return 1

            rows.append((f"imread(page={page}), file not seen before", *timed(single, args.budget)))

        if not args.skip_batch:
            from ocrprep import batch

            def run_batch(stop):
                dst = tmp / f"out{time.monotonic_ns()}"
                run = batch.BatchRun(fresh_copy(src, tmp), "invert", dst, executor="threads", workers=2)
                done = 0
                try:
                    for rec in run:
                        done += rec["status"] == "ok"
                        if stop.is_set():
                            run._stop = True  # as Ctrl-C: the units in flight finish
                except KeyboardInterrupt:  # what an interrupted run raises at its end
                    pass
                return done

            rows.append(("batch.run(-f invert), 2 threads", *timed(run_batch, args.budget)))

    print("| measure | seconds | pages | pages/s |")
    print("|---|---|---|---|")
    for what, secs, done, finished in rows:
        rate = f"{done / secs:.0f}" if done else "-"
        note = "" if finished else f" (stopped after {args.budget:g} s)"
        print(f"| {what} | {secs:.2f}{note} | {done} | {rate} |")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
