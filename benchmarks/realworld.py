"""Binarization on generated "real-world" pages (issue 13): F-measure and OCR word recall.

    python benchmarks/realworld.py [--pages 10] [--only auto] [--write] [--no-ocr]

Six classes of pages, one per failure of the automatic binarizer seen on
pages outside DIBCO (``tests/realpages.py`` renders them with their ground
truth; seeds fixed, three sizes: scale 0.7 / 1.0 / 1.3 in turn):

* ``colour``   - words in eight ink colours (yellow, light green and light
  grey among them) on shaded, photographed cream paper (RGB);
* ``faint``    - faint (pencil, faded) words beside dark ones, with
  bleed-through from the back of the sheet (not ink: it counts against F);
* ``backdrop`` - a papyrus-like fragment photographed on a white or a black
  table (RGB); only the writing is ink, the table must come out white;
* ``noisy``    - grey text 50 levels under its paper, Gaussian noise of
  sigma 18, a slight blur and a lighting gradient;
* ``book``     - book edges, gutter shadows and dark table strips along the
  border, text sometimes cropped by the border (that text is ink);
* ``highlight`` - dark print on photographed cream paper, runs of words under
  highlighter strokes of five colours (side by side, soft and slanted
  edges) and two lines in a tinted box (RGB; the markers must come out
  white, the words under them black).

Per class and method: the mean F-measure against the rendered ink mask and
the mean Tesseract word recall (the share of the page's readable words that
``tesseract`` reads from the binarized page; multiset match, case and
punctuation blind).  Methods: ``ocrprep auto`` (given the page as it is,
colour included), ``ocrprep otsu``, doxapy's Sauvola (window 75, k 0.2, as
in doxapy's defaults) and ISauvola when doxapy is installed, and Tesseract's
own thresholding (its ``out.processed.tif`` with
``-c tessedit_write_images=1`` for F; recognition of the page as it is for
recall).  The grey methods get Pillow's ``convert("L")`` of colour pages.

``--recognize`` adds the recognition default (issue 13 item 6): word recall
of ``ocrprep.recognize(page)`` with no settings against Tesseract alone, on
the noisy pages and on ruled tables.  ``--write`` replaces the
``## real-world pages`` section of BENCHMARKS.md.
Tesseract outputs are cached by image content in ``.benchmarks/realworld``.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import hashlib
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import ocrprep  # noqa: E402
from ocrprep import metrics  # noqa: E402
from realpages import CLASSES, RECOGNITION  # noqa: E402

SCALES = (0.7, 1.0, 1.3)
CACHE = ROOT / ".benchmarks" / "realworld"
SECTION = "## real-world pages"
TARGETS = {"colour": "recall >= 95 %", "noisy": "recall >= 90 %", "backdrop": "F >= Sauvola + 10",
           "faint": "F >= 85"}


def pages(n):
    for kind, make in CLASSES.items():
        for seed in range(n):
            yield make(seed, SCALES[seed % len(SCALES)])


def words(text):
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def recall(truth, text):
    want, got = collections.Counter(words(truth)), collections.Counter(words(text))
    total = sum(want.values())
    return sum(min(c, got[w]) for w, c in want.items()) / total if total else 1.0


def _key(img, extra=""):
    return hashlib.sha1(img.tobytes() + str(img.shape).encode() + extra.encode()).hexdigest()


def tesseract(img, *, keep_threshold=False):
    """(text, Tesseract's own thresholded image or None) of one page, cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = _key(img, "t" if keep_threshold else "")
    txt, tif = CACHE / f"{key}.txt", CACHE / f"{key}.thr.png"
    if not txt.exists() or (keep_threshold and not tif.exists()):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "page.png"
            Image.fromarray(img).save(src)
            cmd = ["tesseract", str(src), str(Path(tmp) / "out"), "--psm", "3"]
            if keep_threshold:
                cmd += ["-c", "tessedit_write_images=1"]
            subprocess.run(cmd, capture_output=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"})
            if keep_threshold:
                with Image.open(Path(tmp) / "out.processed.tif") as im:
                    Image.fromarray(np.asarray(im.convert("L"))).save(tif)
            txt.write_text((Path(tmp) / "out.txt").read_text())
    thr = None
    if keep_threshold:
        with Image.open(tif) as im:
            thr = np.asarray(im.convert("L"))
    return txt.read_text(), thr


def doxapy_binarize(alg, grey):
    """doxapy's ``alg`` (e.g. "SAUVOLA") with its default parameters on a
    grey page."""
    import doxapy

    g = np.ascontiguousarray(grey)
    res = np.empty_like(g)
    b = doxapy.Binarization(getattr(doxapy.Binarization.Algorithms, alg))
    b.initialize(g)
    b.to_binary(res, {})
    return res


def methods(only=None):
    out = {
        "ocrprep auto": lambda p: ocrprep.binarize(p.image, threads=1),
        "ocrprep otsu": lambda p: ocrprep.binarize(p.grey, method="otsu", threads=1),
    }
    try:
        import doxapy

        for alg in ("SAUVOLA", "ISAUVOLA"):
            out[f"doxapy {alg.title()}"] = lambda p, alg=alg: doxapy_binarize(alg, p.grey)
    except ImportError:
        pass
    out["Tesseract's own"] = None   # special: thresholded by tesseract itself
    if only:
        out = {k: v for k, v in out.items() if any(o.lower() in k.lower() for o in only)}
    return out


def fmeasure(bw, truth):
    return metrics.fmeasure(bw, np.where(truth, 0, 255).astype(np.uint8))


def evaluate(n, meths, ocr=True, workers=2):
    rows = collections.defaultdict(lambda: collections.defaultdict(list))
    per_page = []
    todo = []
    for page in pages(n):
        for label, fn in meths.items():
            t = time.perf_counter()
            if fn is None:
                _, bw = tesseract(page.image, keep_threshold=True)
                if bw.shape != page.truth.shape:
                    bw = np.asarray(Image.fromarray(bw).resize(page.truth.shape[::-1]))
            else:
                bw = fn(page)
            dt = time.perf_counter() - t
            f = fmeasure(bw, page.truth)
            rows[(page.kind, label)]["f"].append(f)
            rows[(page.kind, label)]["ms"].append(1000 * dt)
            per_page.append((page.kind, page.seed, page.image.shape, label, f))
            if ocr:
                todo.append(((page.kind, label), page.text, page.image if fn is None else bw))
    if ocr:
        with concurrent.futures.ThreadPoolExecutor(workers) as ex:
            futs = [(key, truth, ex.submit(tesseract, img)) for key, truth, img in todo]
            for key, truth, fut in futs:
                rows[key]["recall"].append(100.0 * recall(truth, fut.result()[0]))
    return rows, per_page


def table(rows, meths):
    kinds = list(CLASSES)
    lines = ["| class | method | F | word recall % | ms / page | target |", "|---|---|---|---|---|---|"]
    for kind in kinds:
        for label in meths:
            r = rows.get((kind, label))
            if not r:
                continue
            rec = f"{np.mean(r['recall']):.1f}" if r.get("recall") else "-"
            name = f"**{label}**" if label == "ocrprep auto" else label
            target = TARGETS.get(kind, "") if label == "ocrprep auto" else ""
            ms = f"{np.mean(r['ms']):.0f}" if label != "Tesseract's own" else "-"
            lines.append(f"| {kind} | {name} | {np.mean(r['f']):.2f} | {rec} | {ms} | {target} |")
    return "\n".join(lines)


def recognition_table(n):
    """Word recall of ``ocrprep.recognize`` with its default settings (no
    preprocessing asked for: the per-page choice of ocrprep.binarize_choice)
    against Tesseract on the page as it is, on the noisy pages and ruled
    tables (issue 13 item 6)."""
    lines = ["| pages | Tesseract alone: word recall % | `ocrprep.recognize` default: word recall % | "
             "pages read binarized |", "|---|---|---|---|"]
    for kind, make in RECOGNITION.items():
        plain, ours, switched = [], [], 0
        for seed in range(n):
            page = make(seed, SCALES[seed % len(SCALES)])
            plain.append(100.0 * recall(page.text, tesseract(page.image)[0]))
            result = ocrprep.recognize(page.image)[0]
            ours.append(100.0 * recall(page.text, result.recognition_text))
            switched += any("automatic binarization" in w for w in result.warnings)
        lines.append(f"| {kind} ({n}) | {np.mean(plain):.1f} | {np.mean(ours):.1f} | {switched} |")
    return "\n".join(lines)


def write_section(text_table, n, path=ROOT / "BENCHMARKS.md"):
    block = (
        f"{SECTION}\n\n"
        f"Generated pages of issue 13 (`tests/realpages.py`), {n} per class, seeds 0..{n - 1}, "
        "scales 0.7 / 1.0 / 1.3 in turn (pages of 560x770 to 1300x1690 px); F-measure against the "
        "rendered ink mask, word recall of `tesseract --psm 3` (5.3) on the binarized page. "
        "The grey methods get Pillow's `convert(\"L\")` of the colour pages; `ocrprep auto` gets the page "
        "as it is.  doxapy with its default parameters.\n\n"
        "```bash\n.venv/bin/python benchmarks/realworld.py --recognize --write\n```\n\n"
        f"{text_table}\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} (ms / page: single thread, shared 2-core machine).\n"
    )
    replace_section(path, SECTION, block)


def replace_section(path, heading, block):
    """Replace the ``heading`` section of the Markdown file ``path`` (up to
    the next ``## `` heading) by ``block``, or append it."""
    text = path.read_text()
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    m = pattern.search(text)
    if m is None:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        text = text[: m.start()] + block + "\n" + text[m.end():]
    path.write_text(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10, help="pages per class (default 10)")
    ap.add_argument("--only", nargs="*", help="method labels to run (substring match)")
    ap.add_argument("--no-ocr", action="store_true", help="F-measure only")
    ap.add_argument("--per-page", action="store_true", help="print every page's F")
    ap.add_argument("--write", action="store_true", help="update the section of BENCHMARKS.md")
    ap.add_argument("--recognize", action="store_true", help="also the recognition default (noisy pages, tables)")
    args = ap.parse_args(argv)
    meths = methods(args.only)
    rows, per_page = evaluate(args.pages, meths, ocr=not args.no_ocr)
    if args.per_page:
        for kind, seed, shape, label, f in per_page:
            print(f"{kind:9s} {seed:2d} {str(shape):16s} {label:18s} F {f:6.2f}")
    out = table(rows, meths)
    if args.recognize:
        out += "\n\nRecognition default (`ocrprep.recognize(page)`, no settings):\n\n" + recognition_table(args.pages)
    print(out)
    if args.write:
        write_section(out, args.pages)


if __name__ == "__main__":
    main()
