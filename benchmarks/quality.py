"""Binarization quality on a DIBCO-style data set: every ocrprep method and the anchors.

    python benchmarks/quality.py --data ../shared/data/dibco [--write] [--per-image auto]

The data folder holds ``img/NAME.png`` (the degraded page, any mode; it is
converted to grey as Pillow's ``convert("L")`` does) and ``gt/NAME.png``
(the ground truth, ink black).  For every method the mean F-measure,
pseudo-F-measure (DIBCO 2013+ weights computed from the ground truth, and
the skeleton-based one of H-DIBCO 2010), PSNR and DRD over the images are
printed, with the mean F / PSNR of two halves of the set
(2009 + 2010 images, and the others) as a check against fitting one part,
and the time per image.  ``--write`` replaces the ``## quality (DIBCO)``
section of BENCHMARKS.md with the table.

ocrprep methods: every name of ``ocrprep.binarize.METHODS`` that imports
(auto, otsu, sauvola, niblack, wolf, nick, bernsen), with their default
parameters.  Anchors, when installed: OpenCV Otsu, scikit-image Sauvola
(window 25, k 0.2), doxapy's Sauvola, ISauvola, Wolf, NICK, Su and Gatos
with doxapy's default parameters (Gatos takes ~1 s an image; ``--no-slow``
skips it).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import ocrprep  # noqa: E402
from ocrprep import metrics  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("OCRPREP_DIBCO", ROOT.parent / "shared" / "data" / "dibco"))
SECTION = "## quality (DIBCO)"


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------
def load_set(data: Path):
    """[(name, grey uint8, gt ink mask, gt skeleton)] for every img/ with a gt/."""
    items = []
    for path in sorted((data / "img").iterdir()):
        gt_path = next((p for p in (data / "gt").glob(path.stem + ".*")), None)
        if gt_path is None or path.suffix.lower() not in metrics._IMAGE_EXT:
            continue
        with Image.open(path) as im:
            grey = np.ascontiguousarray(np.asarray(im.convert("L")))
        with Image.open(gt_path) as im:
            gt = np.asarray(im.convert("L")) < 128
        items.append((path.stem, grey, gt, metrics.skeleton(gt)))
    return items


def group_of(name: str) -> str:
    return "A" if name.startswith(("2009", "2010")) else "B"


# ---------------------------------------------------------------------------
# methods
# ---------------------------------------------------------------------------
def ocrprep_methods():
    from ocrprep.binarize import METHODS

    out = {}
    for name in METHODS:
        try:
            ocrprep.binarize(np.full((32, 32), 200, np.uint8), method=name)
        except (ImportError, AttributeError, ModuleNotFoundError):
            continue  # not written yet
        except Exception:
            pass  # tiny test image refused: the method exists
        out[f"ocrprep {name}"] = (lambda g, m=name: ocrprep.binarize(g, method=m, threads=1))
    return out


def anchor_methods(slow: bool = True):
    out = {}
    try:
        import cv2

        cv2.setNumThreads(1)
        out["OpenCV Otsu"] = lambda g: cv2.threshold(g, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    except ImportError:
        pass
    try:
        from skimage.filters import threshold_sauvola

        out["scikit-image Sauvola (25, 0.2)"] = lambda g: np.where(
            g > threshold_sauvola(g, window_size=25, k=0.2), 255, 0
        ).astype(np.uint8)
    except ImportError:
        pass
    try:
        import doxapy

        names = ["SAUVOLA", "ISAUVOLA", "WOLF", "NICK", "SU"] + (["GATOS"] if slow else [])
        for alg in names:
            def run(g, alg=alg):
                res = np.empty_like(g)
                b = doxapy.Binarization(getattr(doxapy.Binarization.Algorithms, alg))
                b.initialize(g)
                b.to_binary(res, {})
                return res

            out[f"doxapy {alg.title()}"] = run
    except ImportError:
        pass
    return out


# ---------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------
_WEIGHTS = {}


def weights_of(name, gt):
    """DIBCO 2013+ weights of a ground truth (computed once per image)."""
    key = (name, gt.shape, int(np.count_nonzero(gt)))
    if key not in _WEIGHTS:
        _WEIGHTS[key] = metrics._dibco_weights(gt)
    return _WEIGHTS[key]


def score(pred, gt, skel, weights=None):
    """F, pseudo-F (H-DIBCO 2010 skeleton: ``pfm``; DIBCO 2013+ weights:
    ``pfm13`` when ``weights`` are given), PSNR and DRD of one image."""
    p = metrics.ink_mask(pred, "pred")
    c = metrics._counts(p, gt)
    prec = metrics._ratio(c["tp"], c["tp"] + c["fp"])
    rec = metrics._ratio(c["tp"], c["tp"] + c["fn"])
    rec_ps = metrics._ratio(int(np.count_nonzero(skel & p)), int(np.count_nonzero(skel)))
    out = {
        "fm": metrics._f(prec, rec),
        "pfm": metrics._f(prec, rec_ps),
        "psnr": metrics._psnr(p, gt),
        "drd": metrics._drd(p, gt),
    }
    if weights is not None:
        rw, pw = weights
        out["pfm13"] = metrics._f(metrics._pseudo_precision(p, gt, pw), metrics._pseudo_recall(p, gt, rw))
    return out


def evaluate(methods, items):
    results = {}
    for label, fn in methods.items():
        rows, seconds = {}, 0.0
        for name, grey, gt, skel in items:
            t = time.perf_counter()
            pred = fn(grey)
            seconds += time.perf_counter() - t
            rows[name] = score(pred, gt, skel, weights_of(name, gt))
        results[label] = (rows, seconds / max(len(items), 1))
        print(f"  {label}: done", file=sys.stderr)
    return results


def summary(results):
    lines = [
        "| method | F | pseudo-F (2013+) | pseudo-F (2010) | PSNR | DRD | F 2009+2010 | F 2011+other "
        "| PSNR 2009+2010 | PSNR 2011+other | ms / image |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = sorted(results, key=lambda k: -np.mean([r["fm"] for r in results[k][0].values()]))
    for label in order:
        rows, sec = results[label]
        vals = list(rows.values())
        mean = {m: float(np.mean([v[m] for v in vals])) for m in ("fm", "pfm", "pfm13", "psnr", "drd")}
        ga = [rows[n] for n in rows if group_of(n) == "A"]
        gb = [rows[n] for n in rows if group_of(n) == "B"]
        f_a = np.mean([v["fm"] for v in ga]) if ga else float("nan")
        f_b = np.mean([v["fm"] for v in gb]) if gb else float("nan")
        p_a = np.mean([v["psnr"] for v in ga]) if ga else float("nan")
        p_b = np.mean([v["psnr"] for v in gb]) if gb else float("nan")
        name = f"**{label}**" if label == "ocrprep auto" else label
        lines.append(
            f"| {name} | {mean['fm']:.2f} | {mean['pfm13']:.2f} | {mean['pfm']:.2f} | {mean['psnr']:.2f} "
            f"| {mean['drd']:.2f} "
            f"| {f_a:.2f} | {f_b:.2f} | {p_a:.2f} | {p_b:.2f} | {1000 * sec:.0f} |"
        )
    return "\n".join(lines)


def per_image(results, label):
    rows, _ = results[label]
    lines = [f"{'image':12s} {'F':>7s} {'pF13':>7s} {'pF10':>7s} {'PSNR':>7s} {'DRD':>7s}"]
    for n, r in rows.items():
        lines.append(f"{n:12s} {r['fm']:7.2f} {r['pfm13']:7.2f} {r['pfm']:7.2f} {r['psnr']:7.2f} {r['drd']:7.2f}")
    return "\n".join(lines)


BEGIN, END = "<!-- quality.py table -->", "<!-- /quality.py table -->"


def write_section(table: str, n_images: int, data: Path, path: Path = ROOT / "BENCHMARKS.md"):
    """Put the table into the ``## quality (DIBCO)`` section, between the
    quality.py markers (the rest of the section - e.g. the speed notes - is
    kept); the section is created at the end of the file if missing."""
    text = path.read_text() if path.exists() else "# ocrprep benchmarks\n"
    block = (
        f"{BEGIN}\n"
        f"{n_images} images of `{data.name}` (img/ vs gt/, ink black); grey = Pillow `convert(\"L\")`; "
        "default parameters everywhere; pseudo-F (2013+) = the weighted pseudo-recall / "
        "pseudo-precision of Ntirogiannis et al. (DIBCO 2013 on), weights computed from the ground "
        "truth by `ocrprep.metrics.dibco_weights`; pseudo-F (2010) = skeleton-based pseudo-recall "
        "(H-DIBCO 2010). "
        "Targets for `ocrprep auto`: F >= 89, PSNR >= 18. The two halves (2009+2010, 2011+other) "
        "check that nothing was fitted to one part of the set.\n\n"
        "```bash\n.venv/bin/python benchmarks/quality.py --data ../shared/data/dibco --write\n```\n\n"
        f"{table}\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} (ms / image: single thread, wall time on the "
        "shared 2-core machine).\n"
        f"{END}"
    )
    pattern = re.compile(r"^## quality \(DIBCO\)\n.*?(?=^## |\Z)", re.S | re.M)
    m = pattern.search(text)
    if m is None:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    else:
        section = m.group(0)
        if BEGIN in section and END in section:
            i, j = section.index(BEGIN), section.index(END) + len(END)
            section = section[:i] + block + section[j:]
        else:
            section = f"{SECTION}\n\n{block}\n\n"
        text = text[: m.start()] + section + text[m.end() :]
    path.write_text(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with img/ and gt/")
    ap.add_argument("--write", action="store_true", help="update the section of BENCHMARKS.md")
    ap.add_argument("--no-slow", action="store_true", help="skip the slow anchors (doxapy Gatos)")
    ap.add_argument("--only", nargs="*", help="method labels to run (substring match)")
    ap.add_argument("--per-image", metavar="LABEL", help="also print the per-image scores of one method")
    args = ap.parse_args(argv)
    if not (args.data / "img").is_dir() or not (args.data / "gt").is_dir():
        print(f"error: {args.data} has no img/ and gt/ folders", file=sys.stderr)
        return 2
    items = load_set(args.data)
    methods = {**ocrprep_methods(), **anchor_methods(slow=not args.no_slow)}
    if args.only:
        methods = {k: v for k, v in methods.items() if any(s.lower() in k.lower() for s in args.only)}
    results = evaluate(methods, items)
    table = summary(results)
    print(table)
    if args.per_image:
        label = next((k for k in results if args.per_image.lower() in k.lower()), None)
        if label:
            print(f"\n{label}\n" + per_image(results, label))
    if args.write:
        write_section(table, len(items), args.data)
        print("\nwrote the quality (DIBCO) section of BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
