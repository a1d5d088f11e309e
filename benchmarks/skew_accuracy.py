"""Accuracy of ocrprep.detect_skew on generated text pages (figures in BENCHMARKS.md, ## geometry).

200 pages of 5 sizes (800x600 to A4 300 dpi) and 4 fonts, rotated by random
angles (half in [-15, 15], half in [-1, 1]) with PIL (bicubic) or OpenCV
(bilinear); prints the absolute errors in degrees.

    .venv/bin/python benchmarks/skew_accuracy.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import cv2  # noqa: E402
from test_skew import cv2_rotate, pil_rotate, text_page  # noqa: E402

import ocrprep  # noqa: E402

SIZES = [(800, 600, 14), (1100, 850, 18), (1400, 1000, 22), (2200, 1700, 34), (3508, 2480, 42)]


def main(n: int = 200, seed: int = 777) -> None:
    rng = np.random.default_rng(seed)
    errors = []
    for i in range(n):
        h, w, size = SIZES[i % len(SIZES)]
        angle = float(rng.uniform(-15, 15)) if i % 2 else float(rng.uniform(-1, 1))
        page = text_page(h, w, size, seed=1000 + i)
        img = pil_rotate(page, angle) if i % 3 else cv2_rotate(cv2, page, angle)
        errors.append(abs(ocrprep.detect_skew(img) - angle))
        text_page.cache_clear()
    e = np.array(errors)
    print(f"pages {n}: max {e.max():.3f}  p99 {np.percentile(e, 99):.3f}  "
          f"median {np.median(e):.4f}  mean {e.mean():.4f} degrees; over 0.1: {(e > 0.1).sum()}")


if __name__ == "__main__":
    main()
