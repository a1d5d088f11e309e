"""Small, densely set type: the automatic binarizer against Otsu, with ground truth.

Renders pages of 9-28 px type at leading 1.0 and 1.2 (DejaVu Serif when
installed, else Pillow's bundled font), as clean black-on-white, as a scan
(paper 225, ink 50, noise 4) and as a shaded scan (paper darkening 30 %
across the page); ground truth = rendered coverage >= 50 %.  Prints a
Markdown table of F-measures::

    .venv/bin/python benchmarks/dense_type.py
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import ocrprep
from ocrprep.metrics import fmeasure

WORDS = ("the quick brown fox jumps over a lazy dog while optical character recognition reads "
         "scanned pages of old letters and printed books 1234567890 ABCDEFG").split()
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def page(size, leading, h=1100, w=850, seed=0):
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(SERIF), size) if SERIF.exists() else ImageFont.load_default(size=size)
    rng = np.random.default_rng(seed)
    y = 20
    while y < h - size - 20:
        draw.text((20, y), " ".join(rng.choice(WORDS, int(w / (size * 3.2)))), fill=0, font=font)
        y += int(size * leading)
    return np.asarray(img).copy()


def scan(a, shade=0.0, paper=225, ink=50, noise=4, seed=1):
    rng = np.random.default_rng(seed)
    bg = paper * (1 - shade * np.linspace(0, 1, a.shape[1])[None, :])
    v = ink + (bg - ink) * (a / 255.0) + rng.normal(0, noise, a.shape)
    return np.clip(v, 0, 255).astype(np.uint8)


def main():
    print("| size px | leading | clean: auto / Otsu | scan: auto / Otsu | shaded scan: auto / Otsu |")
    print("|---|---|---|---|---|")
    means = {"auto": [], "otsu": []}
    for size in (9, 11, 13, 16, 20, 28):
        for leading in (1.0, 1.2):
            a = page(size, leading)
            gt = np.where(a < 128, 0, 255).astype(np.uint8)
            cells = []
            for img in (a, scan(a), scan(a, shade=0.3)):
                fa = fmeasure(ocrprep.binarize(img), gt)
                fo = fmeasure(ocrprep.binarize(img, method="otsu"), gt)
                means["auto"].append(fa)
                means["otsu"].append(fo)
                cells.append(f"{fa:.1f} / {fo:.1f}")
            print(f"| {size} | {leading} | " + " | ".join(cells) + " |")
    print(f"\nmean F: auto {np.mean(means['auto']):.2f}, Otsu {np.mean(means['otsu']):.2f}")


if __name__ == "__main__":
    main()
