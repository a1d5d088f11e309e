"""Colour pages drawn unlike ``tests/realpages.colour_page``: does the colour
class's gain (issue 13) carry over to other fonts, inks and papers?

    python benchmarks/colour_variants.py [--pages 6]

Six pages (900-1300 px wide type of 22-31 px, DejaVu Sans and Serif in
turn) with words in eight inks other than the benchmark's - black, navy,
grey 170, light brown, pink, cyan, orange and a bluish grey (140, 140, 150)
- on ivory, bluish and yellowed paper in turn, with paper texture, a
lighting gradient, a slight blur and noise.  Prints per page the Tesseract
word recall of ``ocrprep.binarize(page)``, the pixel recall of the grey
inks and the F-measure against the rendered ink mask (Tesseract outputs
cached as in ``benchmarks/realworld.py``).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import realworld as rw  # noqa: E402  (puts src/ and tests/ on the path)
import realpages as rp  # noqa: E402

import ocrprep  # noqa: E402

INKS = [(15, 15, 15), (20, 30, 90), (170, 170, 170), (185, 140, 95), (230, 120, 160), (90, 190, 210),
        (240, 150, 40), (140, 140, 150)]
GREYS = (2, 7)
PAPERS = [(250, 246, 235), (232, 238, 246), (228, 212, 176)]


def page(seed):
    """(image, readable text, ink mask, style map) of variant page ``seed``."""
    rng = np.random.default_rng([99, seed])
    h, w = 1000, 1300
    fs = int(rng.integers(22, 32))
    lines = [[(word, int(rng.integers(0, len(INKS)))) for word in line] for line in rp._lines(rng, 14, 7)]
    cover, style, words = rp.render((h, w), lines, fs, None, x0=50, y0=50, serif=bool(seed % 2), leading=1.8)
    ink = np.asarray(INKS, np.float64)[np.maximum(style, 0)]
    paper = np.array(PAPERS[seed % len(PAPERS)], np.float64)
    img = paper * (0.95 + 0.05 * rp._field((h, w), rng, 8))[..., None]
    img = img * (1 - cover[..., None]) + ink * cover[..., None]
    img = rp._blur(img * rp._lighting((h, w), rng, 0.25)[..., None], 0.6)
    img += rng.normal(0, 2.0, (h, w, 1)) + rng.normal(0, 1.0, (h, w, 3))
    return rp._u8(img), " ".join(words), cover >= 0.5, style


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=6)
    args = ap.parse_args(argv)
    rows = []
    for seed in range(args.pages):
        img, text, truth, style = page(seed)
        bw = ocrprep.binarize(img, threads=1)
        greys = truth & np.isin(style, GREYS)
        rows.append((seed, text, bw, float((bw[greys] == 0).mean()), rw.fmeasure(bw, truth)))
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        texts = list(ex.map(lambda r: rw.tesseract(r[2])[0], rows))
    recalls = []
    for (seed, text, _, grey, f), got in zip(rows, texts):
        recalls.append(100 * rw.recall(text, got))
        print(f"page {seed}: word recall {recalls[-1]:5.1f} %  grey-ink pixel recall {grey:.3f}  F {f:5.1f}")
    print(f"mean word recall {np.mean(recalls):.1f} %")


if __name__ == "__main__":
    main()
