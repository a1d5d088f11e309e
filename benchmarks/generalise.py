"""Generalisation check of the automatic binarizer: many views of the DIBCO set.

    python benchmarks/generalise.py --data ../shared/data/dibco [--only auto otsu]
                                    [--set auto.WINDOW_FACTOR=2.5] [--worst 3]

The 37 DIBCO 2009-2011 images are few and the binarizer is judged on other,
unseen DIBCO pages (later years: stains, bleed-through, faint ink, other
resolutions).  A change is accepted only when it helps, or is neutral, on
*every* view below, not just on the mean of the 37:

``A`` / ``B``
    the two halves: DIBCO 2009 + H-DIBCO 2010 (20 images), and DIBCO 2011 +
    2JohnC1V3 (17 images);
``x0.5``, ``x0.75``, ``x1.5``, ``x2``
    the 37 images resized (grey image: area interpolation down, bilinear up;
    ground truth: the ink fraction resized the same way, thresholded at 1/2);
``synth``
    synthetic pages (seeded, generated here, never stored): the ground truth
    of one page rendered as ink of random contrast (faint to dark, varying
    over the page, soft edges) onto the paper of *another* page (its ink
    inpainted away), plus - each with probability 1/2 - bleed-through (a third
    page's ink, mirrored and blurred, at 20-70 % of the ink's contrast),
    stains (smooth random blobs darkening the paper by 10-40 %), shading (a
    linear or radial illumination falloff), then sensor noise and blur, at a
    random scale 0.6-1.6;
``faint``
    faded ink: each ground truth at 6-16 % contrast on another page's paper
    (its texture softened), light noise.

For every view and method: mean F-measure, PSNR, pseudo-F (both the
H-DIBCO 2010 skeleton definition and the DIBCO 2013+ weighted one) and DRD.
``--set module.NAME=value`` overrides a module constant of ``ocrprep.auto``
or ``ocrprep.background`` for an ablation (only for the Python-level
constants; the run says which were set).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import quality  # noqa: E402  (also puts ../src on the path)

import ocrprep  # noqa: E402
from ocrprep import metrics  # noqa: E402

SCALES = (0.5, 0.75, 1.5, 2.0)
VIEWS = ("all", "A", "B") + tuple(f"x{s:g}" for s in SCALES) + ("synth", "faint")


# ---------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------
def _cv2():
    import cv2

    cv2.setNumThreads(1)
    return cv2


def resize_pair(grey, gt, s):
    """Grey image and ground truth resized by ``s`` (see the module doc)."""
    cv2 = _cv2()
    h, w = grey.shape
    size = (max(1, round(w * s)), max(1, round(h * s)))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    g = cv2.resize(grey, size, interpolation=interp)
    frac = cv2.resize(gt.astype(np.float32), size, interpolation=interp)
    return np.ascontiguousarray(g), frac >= 0.5


def _paper(grey, gt, rng=None):
    """The page with its ink removed: a real paper texture.

    The smooth paper level is inpainted under the (dilated) ink on a 4x
    smaller image; the fine grain (page minus that level) is copied under
    the ink from paper pixels at random horizontal, then vertical, offsets,
    so the grain and its streaks continue where the ink was (an inpainted
    patch alone would be a smooth, noise-free halo).
    """
    cv2 = _cv2()
    rng = rng or np.random.default_rng(0)
    h, w = grey.shape
    mask = cv2.dilate(gt.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    msmall = (cv2.resize(mask.astype(np.float32), small.shape[::-1], interpolation=cv2.INTER_AREA) > 0)
    msmall = cv2.dilate(msmall.astype(np.uint8), np.ones((3, 3), np.uint8))
    level = cv2.inpaint(small, msmall, 3, cv2.INPAINT_TELEA)
    level = cv2.GaussianBlur(level.astype(np.float32), (0, 0), 1.5)
    level = cv2.resize(level, (w, h), interpolation=cv2.INTER_LINEAR)
    resid = grey.astype(np.float32) - level
    todo = mask.copy()
    for axis in (1, 0, 1, 0, 1, 0):
        if not todo.any():
            break
        n = grey.shape[axis]
        for _ in range(4):
            sh = int(rng.integers(n // 8 + 1, n - n // 8)) if n > 16 else 1
            src = np.roll(resid, sh, axis=axis)
            ok = np.roll(~mask, sh, axis=axis) & todo
            resid[ok] = src[ok]
            todo &= ~ok
    resid[todo] = 0
    return level + resid


def _fit(tex, shape, rng):
    """A random crop of ``tex`` (mirror-tiled when too small) of ``shape``."""
    h, w = shape
    th, tw = tex.shape
    # mirror at the borders so the texture stays continuous
    big = np.pad(tex, ((0, max(0, h - th)), (0, max(0, w - tw))), mode="symmetric")
    y = rng.integers(0, big.shape[0] - h + 1)
    x = rng.integers(0, big.shape[1] - w + 1)
    return big[y : y + h, x : x + w].astype(np.float32)


def _smooth_field(shape, scale, rng):
    """Zero-mean, unit-std random field smooth over ``scale`` pixels."""
    cv2 = _cv2()
    h, w = shape
    f = max(1, int(scale // 4))
    small = rng.standard_normal((max(2, h // f + 2), max(2, w // f + 2))).astype(np.float32)
    small = cv2.GaussianBlur(small, (0, 0), max(scale / f / 2, 0.8))
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)[:h, :w]
    field -= field.mean()
    return field / max(field.std(), 1e-6)


def synth_page(k, items, papers, rng):
    """One synthetic page from the ground truth of item ``k``: (name, grey, gt).

    The name ends with the degradations drawn: b (bleed-through), s (stains),
    l (shading), o (none of them)."""
    cv2 = _cv2()
    n = len(items)
    name, _, gt0, _ = items[k]
    s = float(np.exp(rng.uniform(np.log(0.6), np.log(1.6))))
    g0 = gt0.astype(np.float32)
    h, w = max(8, round(gt0.shape[0] * s)), max(8, round(gt0.shape[1] * s))
    cover = cv2.resize(g0, (w, h), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    gt = cover >= 0.5
    j = (k + 1 + rng.integers(0, n - 1)) % n
    paper = _fit(papers[j], (h, w), rng)
    # paper level and contrast of its texture
    level = rng.uniform(150, 235)
    paper = level + (paper - paper.mean()) * rng.uniform(0.6, 1.4)
    # ink: contrast 0.2-0.85 of the paper, varying smoothly over the page
    c0 = rng.uniform(0.2, 0.85)
    c = np.clip(c0 * (1 + 0.25 * _smooth_field((h, w), rng.uniform(60, 300), rng)), 0.1, 0.95)
    alpha = cv2.GaussianBlur(cover, (0, 0), rng.uniform(0.4, 1.0))
    img = paper * (1 - c * alpha)
    tags = ""
    if rng.random() < 0.5:                          # bleed-through
        tags += "b"
        m = (j + 1 + rng.integers(0, n - 1)) % n
        if m == k:
            m = (m + 1) % n
        bt = _fit(items[m][2][:, ::-1].astype(np.float32), (h, w), rng)
        bt = cv2.GaussianBlur(bt, (0, 0), rng.uniform(1.0, 2.5))
        cb = c0 * rng.uniform(0.2, 0.7)
        img *= 1 - cb * np.clip(bt * 1.3, 0, 1)
    if rng.random() < 0.5:                          # stains
        tags += "s"
        f = _smooth_field((h, w), rng.uniform(40, 200), rng)
        blob = np.clip((f - np.quantile(f, rng.uniform(0.6, 0.9))) * 3, 0, 1)
        img *= 1 - rng.uniform(0.1, 0.4) * blob
    if rng.random() < 0.5:                          # shading
        tags += "l"
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        if rng.random() < 0.5:
            a = rng.uniform(0, 2 * np.pi)
            t = (np.cos(a) * xx / w + np.sin(a) * yy / h)
            t = (t - t.min()) / max(np.ptp(t), 1e-6)
        else:
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
            t = np.hypot((yy - cy) / h, (xx - cx) / w)
            t /= max(t.max(), 1e-6)
        img *= 1 - rng.uniform(0.15, 0.45) * t
    img += rng.normal(0, rng.uniform(1.0, 6.0), (h, w))
    sb = rng.uniform(0, 0.8)
    if sb > 0.3:
        img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), sb)
    grey = np.clip(np.round(img), 0, 255).astype(np.uint8)
    return f"s{k:02d}-{name}-{tags or 'o'}", grey, gt


def faint_page(k, items, papers, rng):
    """Faded ink: the ground truth of item ``k`` at 6-16 % contrast on the
    (softened) paper of another page, light noise; no other degradation."""
    cv2 = _cv2()
    n = len(items)
    name, _, gt, _ = items[k]
    h, w = gt.shape
    j = (k + 1 + rng.integers(0, n - 1)) % n
    paper = _fit(papers[j], (h, w), rng)
    paper = rng.uniform(170, 230) + (paper - paper.mean()) * rng.uniform(0.4, 0.8)
    alpha = cv2.GaussianBlur(gt.astype(np.float32), (0, 0), 0.7)
    img = paper * (1 - rng.uniform(0.06, 0.16) * alpha) + rng.normal(0, rng.uniform(1.0, 3.0), (h, w))
    return f"f{k:02d}-{name}", np.clip(np.round(img), 0, 255).astype(np.uint8), gt


def build_views(data: Path, seed: int = 2024, synth_per_page: int = 1, views=VIEWS):
    """{view: [(name, grey, gt, skeleton)]}."""
    items = quality.load_set(data)
    out = {}
    if "all" in views:
        out["all"] = items
    if "A" in views:
        out["A"] = [it for it in items if quality.group_of(it[0]) == "A"]
    if "B" in views:
        out["B"] = [it for it in items if quality.group_of(it[0]) == "B"]
    for s in SCALES:
        v = f"x{s:g}"
        if v in views:
            rows = []
            for name, grey, gt, _ in items:
                g, t = resize_pair(grey, gt, s)
                rows.append((name, g, t, metrics.skeleton(t)))
            out[v] = rows
    if "synth" in views or "faint" in views:
        rng = np.random.default_rng(seed)
        papers = [_paper(grey, gt, rng) for _, grey, gt, _ in items]
    if "synth" in views:
        rows = []
        for rep in range(synth_per_page):
            for k in range(len(items)):
                name, g, t = synth_page(k, items, papers, rng)
                rows.append((name if rep == 0 else f"{name}-{rep}", g, t, metrics.skeleton(t)))
        out["synth"] = rows
    if "faint" in views:
        frng = np.random.default_rng(seed + 1)
        rows = []
        for k in range(len(items)):
            name, g, t = faint_page(k, items, papers, frng)
            rows.append((name, g, t, metrics.skeleton(t)))
        out["faint"] = rows
    return out


# ---------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------
def score(name, pred, gt, skel, weighted=True):
    return quality.score(pred, gt, skel, quality.weights_of(name, gt) if weighted else None)


def methods(only=None):
    out = {"auto": lambda g: ocrprep.auto_binarize(g, threads=1)}
    anchors = quality.anchor_methods(slow=False)
    for label, key in (("otsu", "OpenCV Otsu"), ("isauvola", "doxapy Isauvola"), ("su", "doxapy Su")):
        if key in anchors:
            out[label] = anchors[key]
    if only:
        out = {k: v for k, v in out.items() if k in only}
    return out


_CHILD = """
import pickle, sys
sys.path.insert(0, sys.argv[1])
import ocrprep
pages = pickle.load(open(sys.argv[2], "rb"))
out = {key: ocrprep.auto_binarize(grey, threads=1) for key, grey in pages.items()}
pickle.dump(out, open(sys.argv[3], "wb"))
"""


def baseline_method(src: Path, views):
    """``auto`` of another source tree (e.g. an older commit, built in place),
    run in a child process on every page of ``views``; returns a lookup
    function usable as a method."""
    import pickle
    import subprocess
    import tempfile

    pages = {(v, name): g for v, rows in views.items() for name, g, _, _ in rows}
    with tempfile.TemporaryDirectory() as tmp:
        fin, fout = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
        with open(fin, "wb") as fh:
            pickle.dump(pages, fh)
        subprocess.run([sys.executable, "-c", _CHILD, str(src), str(fin), str(fout)], check=True)
        with open(fout, "rb") as fh:
            preds = pickle.load(fh)
    by_id = {id(g): preds[key] for key, g in pages.items()}
    return lambda g: by_id[id(g)]


def run(views, meths, weighted=True):
    res = {}
    for label, fn in meths.items():
        for v, rows in views.items():
            t = time.perf_counter()
            res[(label, v)] = {name: score(name, fn(g), gt, sk, weighted) for name, g, gt, sk in rows}
            print(f"  {label} {v}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return res


def table(res, meths, views, worst=0):
    cols = ["fm", "psnr", "pfm", "pfm13", "drd"]
    lines = ["| method | view | n | F | PSNR | pseudo-F 2010 | pseudo-F 2013 | DRD |",
             "|---|---|---|---|---|---|---|---|"]
    for label in meths:
        for v in views:
            rows = res[(label, v)]
            vals = list(rows.values())
            m = {c: (float(np.mean([r[c] for r in vals])) if c in vals[0] else float("nan")) for c in cols}
            lines.append(f"| {label} | {v} | {len(vals)} | {m['fm']:.2f} | {m['psnr']:.2f} | {m['pfm']:.2f} "
                         f"| {m['pfm13']:.2f} | {m['drd']:.2f} |")
            if worst:
                bad = sorted(rows.items(), key=lambda kv: kv[1]["fm"])[:worst]
                lines.append("|  |  | worst: " + ", ".join(f"{n} {r['fm']:.1f}" for n, r in bad) + " |")
    return "\n".join(lines)


def apply_settings(settings):
    import importlib

    for s in settings or []:
        lhs, val = s.split("=", 1)
        mod, name = lhs.rsplit(".", 1)
        module = importlib.import_module(f"ocrprep.{mod}")
        if not hasattr(module, name):
            raise SystemExit(f"ocrprep.{mod} has no {name}")
        old = getattr(module, name)
        new = type(old)(val) if not isinstance(old, bool) else val.lower() in ("1", "true", "yes")
        setattr(module, name, new)
        print(f"set ocrprep.{mod}.{name} = {new!r} (was {old!r})", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=quality.DEFAULT_DATA)
    ap.add_argument("--only", nargs="*", help="methods: auto otsu isauvola su")
    ap.add_argument("--views", nargs="*", default=list(VIEWS))
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--synth-per-page", type=int, default=2)
    ap.add_argument("--set", action="append", dest="settings", help="module.NAME=value")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst images per view")
    ap.add_argument("--no-weighted", action="store_true", help="skip the DIBCO 2013 pseudo-F")
    ap.add_argument("--baseline-src", type=Path,
                    help="also score 'auto' of another built source tree (its src/ folder)")
    args = ap.parse_args(argv)
    apply_settings(args.settings)
    views = build_views(args.data, args.seed, args.synth_per_page, tuple(args.views))
    meths = methods(args.only)
    if args.baseline_src:
        meths = {"auto (baseline)": baseline_method(args.baseline_src, views), **meths}
    res = run(views, meths, weighted=not args.no_weighted)
    print(table(res, meths, list(views), args.worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
