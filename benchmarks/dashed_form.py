"""Time of ``tables.find_tables`` on a dashed A4 form (BENCHMARKS.md, ## tables).

A form of 83 rows of 17 separate 120-px dashes (about 1400 rule pieces) is the page
where a per-piece mask made the table search quadratic.

    PYTHONPATH=src .venv/bin/python benchmarks/dashed_form.py
"""
from __future__ import annotations

import time

import numpy as np

from ocrprep.tables import find_tables


def dashed_form() -> np.ndarray:
    page = np.full((3508, 2480), 255, np.uint8)
    for y in range(100, 3400, 40):
        for x in range(100, 2380, 140):
            page[y:y + 3, x:x + 120] = 0
    return page


def main() -> None:
    page = dashed_form()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        tables = find_tables(page)
        times.append(time.perf_counter() - t0)
    print(f"find_tables on a dashed A4 form: {len(tables)} table(s), median {sorted(times)[1]:.2f} s")


if __name__ == "__main__":
    main()
