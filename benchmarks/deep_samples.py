"""A 12-bit scan in a 16-bit PNG against its 8-bit original: pixels, binarization, recognition.

The shipped sample page is stored as a 10, 12 or 14-bit scanner writes it
(samples 0..2**bits-1 in a 16-bit PNG, not shifted up) and read back with
ocrprep.imread; the script prints how far the page read is from the 8-bit
original, the share of binarized pixels that differ, and the share of the
sample's words Tesseract recovers from each.

    .venv/bin/python benchmarks/deep_samples.py --bits 10 12 14
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

import ocrprep
from ocrprep.data import sample_path, sample_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from frontdoor import word_recovery  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[12])
    args = parser.parse_args()
    page = ocrprep.imread(sample_path(), mode="gray")
    truth = sample_text()
    base = word_recovery(truth, ocrprep.recognize(page)[0].recognition_text)
    print("| bits | imread max | mean abs diff | binarized pixels differing | words recovered (8-bit: %.3f) |" % base)
    print("|---|---|---|---|---|")
    for bits in args.bits:
        deep = np.round(page.astype(np.float64) * ((1 << bits) - 1) / 255).astype(np.uint16)
        buf = io.BytesIO()
        Image.fromarray(deep).save(buf, "PNG")
        img = ocrprep.imread(buf.getvalue())
        differing = (ocrprep.binarize(img) != ocrprep.binarize(page)).mean()
        words = word_recovery(truth, ocrprep.recognize(buf.getvalue())[0].recognition_text)
        print(f"| {bits} | {img.max()} | {np.abs(img.astype(int) - page).mean():.2f} | {differing:.4f} | {words:.3f} |")


if __name__ == "__main__":
    main()
