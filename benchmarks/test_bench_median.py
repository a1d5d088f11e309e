"""Speed of ocrprep.median vs cv2.medianBlur (single thread), and its 2-thread speed-up.

Run (the figures in BENCHMARKS.md, section "median"):

    .venv/bin/python -m pytest benchmarks/test_bench_median.py \
        --benchmark-min-rounds=30 --benchmark-json=.benchmarks/median.json
    .venv/bin/python benchmarks/ratios.py .benchmarks/median.json
"""
import numpy as np
import pytest

import ocrprep

TARGETS = {3: "<= 1.5", 5: "<= 1.5", 15: "<= 1.0"}


@pytest.mark.parametrize("size", sorted(TARGETS))
@pytest.mark.parametrize("impl", ["ocrprep", "cv2.medianBlur"])
def test_median(benchmark, page, cv2, impl, size):
    benchmark.group = f"median {size}"
    benchmark.extra_info["target"] = TARGETS[size]
    if impl == "ocrprep":
        out = benchmark(ocrprep.median, page, size, threads=1)
        np.testing.assert_array_equal(out, cv2.medianBlur(page, size))
    else:
        benchmark(cv2.medianBlur, page, size)


@pytest.mark.parametrize("size", [5, 15])
@pytest.mark.parametrize("impl", ["ocrprep", "ocrprep threads=1"])
def test_median_two_threads(benchmark, page, impl, size):
    """2 threads vs 1: time ratio <= 1/1.7 means a speed-up >= 1.7."""
    benchmark.group = f"median {size} 2threads"
    benchmark.extra_info["target"] = "<= 0.588"
    benchmark(ocrprep.median, page, size, threads=2 if impl == "ocrprep" else 1)


@pytest.mark.parametrize("size", [7, 9, 31, 101, 255])
@pytest.mark.parametrize("impl", ["ocrprep", "cv2.medianBlur"])
def test_median_other_sizes(benchmark, page, cv2, impl, size):
    """No target: how the histogram path compares across sizes."""
    benchmark.group = f"median {size}"
    if impl == "ocrprep":
        benchmark(ocrprep.median, page, size, threads=1)
    else:
        benchmark(cv2.medianBlur, page, size)
