"""Binarization on generated layouts users bring that DIBCO has none of.

    python benchmarks/layouts.py [--write]

The pages of ``tests/layoutpages.py`` (one each, fixed seeds): a table with
a dark header band and shaded rows, an ID card on a pastel guilloche, a
printed page with a colour photo, a thermal receipt, a notebook page with
coloured rules, a page under a hard shadow, a flash hotspot, a dark-mode
screenshot, a red stamp over text.  Per page and method: F-measure against
the rendered ink and Tesseract's word recall on the binarized page (as in
``benchmarks/realworld.py``, whose Tesseract cache it shares).  Methods:
``ocrprep auto`` on the colour page and on its grey copy, Otsu, doxapy's
Sauvola and ISauvola on the grey copy (when doxapy is installed).
``--write`` replaces the ``## layouts users bring`` section of BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import ocrprep  # noqa: E402
from layoutpages import LAYOUTS  # noqa: E402
from realworld import doxapy_binarize, fmeasure, recall, replace_section, tesseract  # noqa: E402

SECTION = "## layouts users bring"


def methods():
    grey = lambda rgb: np.asarray(Image.fromarray(rgb).convert("L"))  # noqa: E731
    out = {
        "ocrprep auto (colour)": lambda rgb: ocrprep.binarize(rgb, threads=1),
        "ocrprep auto (grey)": lambda rgb: ocrprep.binarize(grey(rgb), threads=1),
        "ocrprep otsu": lambda rgb: ocrprep.binarize(grey(rgb), method="otsu", threads=1),
    }
    try:
        import doxapy  # noqa: F401

        for alg in ("SAUVOLA", "ISAUVOLA"):
            out[f"doxapy {alg.title()}"] = lambda rgb, alg=alg: doxapy_binarize(alg, grey(rgb))
    except ImportError:
        pass
    return out


def table():
    meths = methods()
    head = "| page | " + " | ".join(meths) + " |"
    lines = [head, "|" + "---|" * (len(meths) + 1)]
    for name, make in LAYOUTS.items():
        rgb, truth, text = make()
        cells = []
        for fn in meths.values():
            bw = fn(rgb)
            cells.append(f"{fmeasure(bw, truth):.1f} / {100 * recall(text, tesseract(bw)[0]):.0f} %")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_section(text_table, path=ROOT / "BENCHMARKS.md"):
    block = (
        f"{SECTION}\n\n"
        "Generated layouts outside DIBCO (`tests/layoutpages.py`, one page each, seed 0): F-measure "
        "against the rendered ink / Tesseract word recall on the binarized page (`tesseract --psm 3`). "
        "The grey methods get Pillow's `convert(\"L\")`. On the table page the truth "
        "holds the dark text only (the header's white words are holes in a black band, which "
        "Tesseract reads), on the stamp page the stamp too.\n\n"
        "```bash\n.venv/bin/python benchmarks/layouts.py --write\n```\n\n"
        f"{text_table}\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M')}.\n"
    )
    replace_section(path, SECTION, block)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="update the section of BENCHMARKS.md")
    args = ap.parse_args(argv)
    out = table()
    print(out)
    if args.write:
        write_section(out)


if __name__ == "__main__":
    main()
