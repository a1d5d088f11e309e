"""Word recall on rendered ruled tables: Tesseract's page mode vs ocrprep's table mode (BENCHMARKS.md, ## tables).

Tables of 8 rows x 5 columns of one- or two-word cells, 4 DejaVu fonts x 3
sizes x rule widths 1, 3 and 5 pixels (36 tables).  For each, the word recall
(share of the true words found, ``tests/frontdoor.word_recovery``) of

* ``plain``: ``RecognitionSettings()`` (Tesseract's default page segmentation),
* ``table``: ``RecognitionSettings(detect_areas_mode="table")``,

and, for the table mode, the share of rows whose cells all came out exactly.
Then the same tables at 3 px with their vertical rules removed (rules across
only) and with every rule removed (borderless).

    PYTHONPATH=src .venv/bin/python benchmarks/table_recall.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import imagegen  # noqa: E402
from frontdoor import word_recovery  # noqa: E402

from ocrprep import OcrEngine, RecognitionSettings  # noqa: E402


def main() -> None:
    api = OcrEngine()
    plain_s, table_s = RecognitionSettings(threads_count=1), RecognitionSettings(detect_areas_mode="table", threads_count=1)
    rows = []
    for kind in ("sans", "serif", "mono", "condensed"):
        for size in (16, 24, 34):
            for border in (1, 3, 5):
                rng = np.random.default_rng(size * 100 + border)
                img, cells = imagegen.ruled_table(rng, rows=8, cols=5, kind=kind, size=size, border=border)
                truth = "\n".join("\t".join(r) for r in cells)
                plain = api.recognize_image(img, plain_s).recognition_text
                t0 = time.perf_counter()
                res = api.recognize_image(img, table_s)
                dt = time.perf_counter() - t0
                exact = sum(a == b for a, b in zip(res.tables[0] if res.tables else [], cells)) / len(cells)
                rows.append((kind, size, border, word_recovery(truth, plain), word_recovery(truth, res.recognition_text), exact, dt))
                print(f"{kind:9s} {size:2d}px rule {border}px  plain {rows[-1][3]:.3f}  table {rows[-1][4]:.3f}  "
                      f"exact rows {exact:.2f}  {dt:.2f} s", flush=True)
    a = np.array([r[3:] for r in rows])
    print(f"\n{len(rows)} tables: plain recall mean {a[:, 0].mean():.3f} min {a[:, 0].min():.3f}; "
          f"table recall mean {a[:, 1].mean():.3f} min {a[:, 1].min():.3f}; exact rows {a[:, 2].mean():.3f}; "
          f"table mode {a[:, 3].mean():.2f} s per table")
    for border in (1, 3, 5):
        sel = [r for r in rows if r[2] == border]
        print(f"rule {border}px: plain {np.mean([r[3] for r in sel]):.3f}, table {np.mean([r[4] for r in sel]):.3f}")

    from ocrprep.tables import ruling_lines

    for style in ("rules across only", "borderless"):
        got = []
        for kind in ("sans", "serif", "mono", "condensed"):
            for size in (16, 24, 34):
                img, cells = imagegen.ruled_table(np.random.default_rng(size * 100 + 3), rows=8, cols=5, kind=kind,
                                                  size=size, border=3)
                h, v = ruling_lines(img)
                img = img.copy()
                img[v if style == "rules across only" else (h | v)] = 255
                truth = "\n".join("\t".join(r) for r in cells)
                plain = api.recognize_image(img, plain_s).recognition_text
                res = api.recognize_image(img, table_s)
                exact = sum(a == b for a, b in zip(res.tables[0] if res.tables else [], cells)) / len(cells)
                got.append((word_recovery(truth, plain), word_recovery(truth, res.recognition_text), exact))
        g = np.array(got)
        print(f"{style}: plain {g[:, 0].mean():.3f} (min {g[:, 0].min():.3f}), table {g[:, 1].mean():.3f} "
              f"(min {g[:, 1].min():.3f}), exact rows {g[:, 2].mean():.3f}")


if __name__ == "__main__":
    main()
