"""How fast is ocrprep here?  ``python -m ocrprep.bench`` (or ``ocrprep bench``).

Times every kernel ocrprep has on a generated A4 300-dpi page (2480x3508,
grey text on an unevenly lit, noisy background; no data files needed), on
one thread and on all cores, next to the usual alternative when it is
installed (OpenCV run single-threaded, doxapy), and prints a table:

* ``1 thread`` / ``N threads``: median milliseconds of ``--rounds`` calls
  (the fastest one with ``--best``);
* ``speed-up``: 1-thread time / N-thread time;
* ``ratio``: ocrprep 1-thread time / anchor time, measured interleaved in
  the same process (below 1 means ocrprep is faster);
* ``target``: the ratio ocrprep aims for (the project's acceptance
  figures), when there is one.

The figures of a shared or busy machine are noisy; compare ratios, and use
more ``--rounds`` for steadier medians.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

__all__ = ["cases", "measure", "doxapy_call", "main", "add_cli"]


def _anchor_modules():
    mods = {}
    try:
        import cv2

        cv2.setNumThreads(1)
        mods["cv2"] = cv2
    except ImportError:
        pass
    try:
        import doxapy

        mods["doxapy"] = doxapy
    except ImportError:
        pass
    return mods


def doxapy_call(name, page, **params):
    """A call binarizing ``page`` with doxapy's ``name`` algorithm (``"SAUVOLA"``...),
    the whole user-level work: allocate the output, initialize the algorithm on the
    page (Doxa builds its integral images there), binarize.  Needs doxapy."""
    import doxapy
    import numpy as np

    algorithm = getattr(doxapy.Binarization.Algorithms, name)

    def run():
        out = np.empty_like(page)
        binarizer = doxapy.Binarization(algorithm)
        binarizer.initialize(page)
        binarizer.to_binary(out, params)
        return out

    return run


def cases(page, rgb):
    """``[(label, ocrprep_call(threads), anchor_name, anchor_call, target)]``
    for every kernel (an anchor is ``None`` when its package is not installed)."""
    import numpy as np

    import ocrprep

    mods = _anchor_modules()
    cv2, doxapy = mods.get("cv2"), mods.get("doxapy")
    h, w = page.shape
    out = []

    def add(label, call, anchor_name=None, anchor=None, target=""):
        out.append((label, call, anchor_name if anchor else None, anchor, target))

    add("histogram", lambda t: ocrprep.histogram(page, threads=t),
        "cv2.calcHist", cv2 and (lambda: cv2.calcHist([page], [0], None, [256], [0, 256])), "<= 1.0")
    add("otsu binarize", lambda t: ocrprep.binarize(page, method="otsu", threads=t),
        "cv2.threshold OTSU", cv2 and (lambda: cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)),
        "<= 1.0")
    add("sauvola w=25", lambda t: ocrprep.sauvola(page, 25, 0.2, threads=t),
        "doxapy Sauvola", doxapy and doxapy_call("SAUVOLA", page, window=25, k=0.2), "<= 0.33")
    for name, doxa_name, k in (("niblack", "NIBLACK", -0.2), ("wolf", "WOLF", 0.5), ("nick", "NICK", -0.1)):
        add(f"{name} w=25", lambda t, name=name, k=k: getattr(ocrprep, name)(page, 25, k, threads=t),
            f"doxapy {doxa_name.title()}", doxapy and doxapy_call(doxa_name, page, window=25, k=k))
    add("bernsen w=31", lambda t: ocrprep.bernsen(page, 31, threads=t))
    add("binarize auto", lambda t: ocrprep.binarize(page, threads=t),
        "doxapy Sauvola", doxapy and doxapy_call("SAUVOLA", page, window=25, k=0.2))
    for size, target in ((3, "<= 1.5"), (5, "<= 1.5"), (15, "<= 1.0")):
        add(f"median {size}", lambda t, s=size: ocrprep.median(page, s, threads=t),
            "cv2.medianBlur", cv2 and (lambda s=size: cv2.medianBlur(page, s)), target)
    for op in ("dilate", "erode"):
        for size, target in ((3, "<= 1.5"), (15, "<= 1.0")):
            kernel = np.ones((size, size), np.uint8)
            add(f"{op} {size}", lambda t, op=op, s=size: getattr(ocrprep, op)(page, s, threads=t),
                f"cv2.{op}", cv2 and (lambda op=op, k=kernel: getattr(cv2, op)(page, k)), target)
    add("invert", lambda t: ocrprep.invert(page, threads=t),
        "cv2.bitwise_not", cv2 and (lambda: cv2.bitwise_not(page)))
    add("to_grayscale (RGB)", lambda t: ocrprep.to_grayscale(rgb, threads=t),
        "cv2.cvtColor", cv2 and (lambda: cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)))
    add("contrast_stretch", lambda t: ocrprep.contrast_stretch(page, threads=t))

    def warp():
        m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 3.7, 1.0)
        return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    add("rotate 3.7 deg", lambda t: ocrprep.rotate(page, 3.7, threads=t), "cv2.warpAffine", cv2 and warp)
    return out


def measure(call, rounds):
    """Median and minimum seconds of ``rounds`` calls (after one warm-up call)."""
    call()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def _interleaved(calls, rounds, stat=statistics.median):
    """``stat`` (median) of each call's seconds, measured in alternation so
    that a change of machine load hits every call alike."""
    for call in calls:
        call()  # warm-up
    times = [[] for _ in calls]
    for _ in range(rounds):
        for i, call in enumerate(calls):
            t0 = time.perf_counter()
            call()
            times[i].append(time.perf_counter() - t0)
    return [stat(t) for t in times]


def _ok(ratio, target):
    if not target:
        return ""
    bound = float(target[2:])
    return "yes" if (ratio <= bound if target.startswith("<=") else ratio >= bound) else "NO"


def run(args) -> int:
    import numpy as np

    from ._parallel import cpu_count
    from ._testimages import a4_page

    if args.rounds < 1 or args.threads < 0:
        print("ocrprep bench: --rounds must be >= 1 and --threads >= 0", file=sys.stderr)
        return 2
    threads = args.threads or cpu_count()
    page = a4_page()
    if args.quick:
        page = np.ascontiguousarray(page[: page.shape[0] // 4])
    rgb = np.ascontiguousarray(np.dstack([page, page[::-1], 255 - page]))
    only = {s.strip().lower() for s in args.only.split(",")} if args.only else None
    rows = []
    header = ["kernel", "1 thread ms", f"{threads} threads ms", "speed-up", "anchor", "anchor ms", "ratio", "target", "ok"]
    print(f"ocrprep bench: page {page.shape[1]}x{page.shape[0]}, {'best' if args.best else 'median'} of "
          f"{args.rounds} rounds, {threads} threads for the parallel column", file=sys.stderr)
    for label, call, anchor_name, anchor, target in cases(page, rgb):
        if only and not any(label.lower().startswith(o) for o in only):
            continue
        calls = [lambda: call(1)] + ([anchor] if anchor else [])
        stat = min if args.best else statistics.median
        medians = _interleaved(calls, args.rounds, stat)
        one = medians[0]
        many = _interleaved([lambda: call(threads)], args.rounds, stat)[0] if threads > 1 else one
        row = [label, f"{one * 1e3:.2f}", f"{many * 1e3:.2f}", f"{one / many:.2f}"]
        if anchor:
            ratio = one / medians[1]
            row += [anchor_name, f"{medians[1] * 1e3:.2f}", f"{ratio:.2f}", target, _ok(ratio, target)]
        else:
            row += ["", "", "", target, ""]
        rows.append(row)
        if args.verbose:
            print("  " + " | ".join(row), file=sys.stderr)
    print(_table(header, rows, args.markdown))
    return 0


def _table(header, rows, markdown):
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:{'<' if i in (0, 4) else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in rows]
    return "\n".join(lines)


def _arguments(p):
    p.add_argument("--rounds", type=int, default=7, help="timed calls per measurement (default 7)")
    p.add_argument("--threads", type=int, default=0, help="threads of the parallel column (default: all cores)")
    p.add_argument("--only", default="", help="comma-separated kernel names to run, e.g. 'sauvola,median'")
    p.add_argument("--quick", action="store_true", help="a quarter page: a fast smoke run")
    p.add_argument("--best", action="store_true",
                   help="report the fastest call instead of the median (steadier on a busy machine)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("-v", "--verbose", action="store_true", help="print each row as it is measured")


#: the help text of ``ocrprep bench``: the module docstring after its title line, without reST markup
_DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("``", "").strip()


def add_cli(sub):
    """Register ``ocrprep bench``."""
    p = sub.add_parser("bench", help="time every kernel on a generated A4 page (vs OpenCV/doxapy if installed)",
                       description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    _arguments(p)
    p.set_defaults(func=run)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocrprep.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
