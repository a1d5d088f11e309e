"""Word recall of ``recognize`` with *no settings* on ruled tables (BENCHMARKS.md, ## tables).

Aspose's published ``recognize_table.py`` builds ``DetectAreasMode.TABLE`` settings and then
calls ``api.recognize(input)`` without them, so the default recognition has to find the table by
itself (issue 13 item 6).  Pages (generated, seeds fixed), for each the word recall
(``tests/frontdoor.word_recovery``) with no settings and with ``detect_areas_mode="table"``:

* ``realpages``: ``tests/realpages.table_page`` seeds 0-9 (grey ink and rules on shaded, noisy paper);
* ``ruled + title``, ``large type``, ``turned 2 deg``, ``photographed`` (on a dark table, 1 degree,
  blurred, noisy, uneven light), ``dark header + shaded rows`` (white-on-blue header row, light-blue
  shading on every other row): ``tests/imagegen`` / ``tests/docgen`` tables, 5 seeds each.

    PYTHONPATH=src .venv/bin/python benchmarks/table_default.py
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import docgen  # noqa: E402
import imagegen  # noqa: E402
import realpages  # noqa: E402
from frontdoor import word_recovery  # noqa: E402

import ocrprep  # noqa: E402


def _text(cells) -> str:
    return " ".join(" ".join(row) for row in cells)


def pages():
    for seed in range(10):
        p = realpages.table_page(seed, 1.0)
        yield "realpages (grey, shaded, noisy)", p.image, p.text
    for seed in range(5):
        img, cells = imagegen.ruled_table(np.random.default_rng(100 + seed), rows=7, cols=4, title="Monthly report")
        yield "ruled + title", img, "Monthly report " + _text(cells)
        img, cells = imagegen.ruled_table(np.random.default_rng(200 + seed), rows=4, cols=3, size=34)
        yield "large type", img, _text(cells)
        img, cells = imagegen.ruled_table(np.random.default_rng(300 + seed), rows=5, cols=4)
        yield "turned 2 deg", imagegen.rotated(img, 2.0), _text(cells)
        shot = docgen.photograph(np.stack([img] * 3, -1), np.random.default_rng(seed), angle=1.0)
        yield "photographed", shot, _text(cells)
        img, cells = imagegen.ruled_table_with_header(np.random.default_rng(400 + seed), zebra=True)
        yield "dark header + shaded rows", img, _text(cells)


def main() -> None:
    plain, table = defaultdict(list), defaultdict(list)
    for kind, img, text in pages():
        plain[kind].append(word_recovery(text, ocrprep.recognize(img)[0].recognition_text))
        settings = ocrprep.RecognitionSettings(detect_areas_mode="table")
        table[kind].append(word_recovery(text, ocrprep.recognize(img, settings)[0].recognition_text))
    print("| pages | n | no settings | detect_areas_mode=\"table\" |")
    print("|---|---|---|---|")
    for kind in plain:
        a, b = plain[kind], table[kind]
        print(f"| {kind} | {len(a)} | {np.mean(a):.3f} (min {min(a):.2f}) | {np.mean(b):.3f} (min {min(b):.2f}) |")


if __name__ == "__main__":
    main()
