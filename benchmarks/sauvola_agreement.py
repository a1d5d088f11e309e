"""Pixel agreement of ocrprep.sauvola with scikit-image's threshold_sauvola.

Prints a Markdown table (both border modes) for BENCHMARKS.md::

    .venv/bin/python benchmarks/sauvola_agreement.py --data ../shared/data/dibco

Agreement is ``mean(ocrprep.sauvola(img, w) == (img > threshold_sauvola(img, w)))``
over whole images, border included, k = 0.2, r = 128.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image
from skimage.filters import threshold_sauvola

import ocrprep
from ocrprep._testimages import a4_page


def agreement(images, window, border):
    same = total = 0
    for img in images:
        ours = ocrprep.sauvola(img, window, border=border) == 255
        same += int((ours == (img > threshold_sauvola(img, window, k=0.2, r=128))).sum())
        total += img.size
    return 100.0 * same / total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/dibco"),
                        help="DIBCO folder with img/ (default: ../shared/data/dibco)")
    args = parser.parse_args(argv)
    dibco = [np.asarray(Image.open(p).convert("L")) for p in sorted(Path(args.data, "img").glob("*.png"))]
    rng = np.random.default_rng(0)
    sets = [
        (f"DIBCO, {len(dibco)} images ({sum(i.size for i in dibco) / 1e6:.1f} Mpx)", dibco, (15, 25, 51)),
        ("A4 page (synthetic, 2480x3508)", [a4_page()], (25,)),
        ("random uniform, 5 x 600x800", [rng.integers(0, 256, (600, 800), dtype=np.uint8) for _ in range(5)], (25,)),
    ]
    print("| images | window | border=\"reflect\" (default) | border=\"replicate\" |")
    print("|---|---|---|---|")
    for name, images, windows in sets:
        for window in windows:
            cells = [f"{agreement(images, window, b):.4f} %" for b in ("reflect", "replicate")]
            print(f"| {name} | {window} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
