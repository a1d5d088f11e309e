#!/usr/bin/env python3
"""Pages per second of ``OcrEngine.recognize`` on N copies of the shipped sample.

    .venv/bin/python benchmarks/ocr_parallel.py [--pages 8] [--repeat 3]

Prints the best time for threads_count = 1 and 2 (the binarization runs
once, outside the timing), and the same with Tesseract's own OpenMP threads
left on (OCRPREP_TESSERACT_THREADS=0 is not supported by Tesseract, so this
mode sets OMP_THREAD_LIMIT to the core count for the subprocesses).
"""
from __future__ import annotations

import argparse
import os
import time

import ocrprep
from ocrprep import InputType, OcrEngine, OcrInput, RecognitionSettings
from ocrprep._parallel import cpu_count
from ocrprep.data import sample_path


def best(pages, threads, repeat):
    bw = ocrprep.binarize(ocrprep.imread(sample_path()), method="otsu")
    times = []
    for _ in range(repeat):
        doc = OcrInput(InputType.SINGLE_IMAGE)
        for i in range(pages):
            doc.add(bw, name=f"p{i}")
        t = time.perf_counter()
        res = OcrEngine().recognize(doc, RecognitionSettings(threads_count=threads, automatic_color_inversion=False))
        times.append(time.perf_counter() - t)
        assert all(r.ok for r in res)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rows = []
    for label, env in (("tesseract single-threaded (default)", None), ("tesseract OpenMP on", str(cpu_count()))):
        if env is not None:
            os.environ["OMP_THREAD_LIMIT"] = env
        for threads in (1, 2):
            t = best(a.pages, threads, a.repeat)
            rows.append((label, threads, t, a.pages / t))
    print(f"{'mode':38} {'threads':>7} {'seconds':>8} {'pages/s':>8}")
    for label, threads, t, rate in rows:
        print(f"{label:38} {threads:>7} {t:8.2f} {rate:8.2f}")


if __name__ == "__main__":
    main()
