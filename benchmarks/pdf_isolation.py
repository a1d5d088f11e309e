"""What rendering PDF pages in a limited worker process costs (ocrprep.io.PDF_ISOLATE).

    .venv/bin/python benchmarks/pdf_isolation.py                 # 12 scanned A4 pages, 300 dpi
    .venv/bin/python benchmarks/pdf_isolation.py --pages 24 --repeat 5 --dpi 200

The PDF holds A4 "scans" (a grey 2480x3508 page image each, JPEG inside the
PDF, as a scanner writes them) made once from :mod:`ocrprep._testimages`.
Each run reads every page with :func:`ocrprep.io.iter_pages`, in a worker
process (the default) and in this process (``PDF_ISOLATE = False``), runs
alternating so both see the same background load; the first page of an
isolated run includes starting the worker when none is idle (``--cold``
ends the idle workers before each run).  Also times the static form check
alone and the refusal of the form bomb of issue 10.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def scanned_pdf(pages: int) -> bytes:
    from PIL import Image

    from ocrprep._testimages import a4_page

    ims = [Image.fromarray(a4_page(seed=k)) for k in range(pages)]
    buf = io.BytesIO()
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=300.0, quality=85)
    return buf.getvalue()


def read_all(data: bytes, dpi: int) -> int:
    import ocrprep.io as oio

    return sum(1 for _ in oio.iter_pages(data, dpi=dpi, mode="gray"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="no idle worker before each isolated run")
    args = ap.parse_args()

    import ocrprep.io as oio
    from ocrprep import _pdfrender
    from pdfgen import form_bomb

    data = scanned_pdf(args.pages)
    print(f"{args.pages} A4 pages, {len(data) / 1e6:.1f} MB PDF, rendered at {args.dpi} dpi (grey); "
          f"load average {os.getloadavg()[0]:.1f}")
    times = {"worker process": [], "in process": []}
    for _ in range(args.repeat):
        for kind in times:
            oio.PDF_ISOLATE = kind == "worker process"
            if args.cold:
                _pdfrender.shutdown()
            t = time.perf_counter()
            assert read_all(data, args.dpi) == args.pages
            times[kind].append(time.perf_counter() - t)
    base = statistics.median(times["in process"])
    print("| rendering | pages/s (median) | min..max s | vs in process |")
    print("|---|---|---|---|")
    for kind, ts in times.items():
        med = statistics.median(ts)
        print(f"| {kind} | {args.pages / med:.2f} | {min(ts):.2f}..{max(ts):.2f} | {med / base:.2f}x time |")

    oio.PDF_ISOLATE = True
    bomb = form_bomb(9, 10, good_pages=(2,))
    t = time.perf_counter()
    items = list(oio.iter_pages(bomb, dpi=args.dpi, on_error="yield"))
    took = time.perf_counter() - t
    print(f"form bomb (9 levels x 10): {[type(i).__name__ for i in items]} in {took:.2f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
