"""Speed of dilate/erode, to_grayscale and invert vs OpenCV (single thread).

Run (the figures in BENCHMARKS.md, section "morphology / colour"):

    .venv/bin/python -m pytest benchmarks/test_bench_morphology.py \
        --benchmark-min-rounds=30 --benchmark-json=.benchmarks/morphology.json
    .venv/bin/python benchmarks/ratios.py .benchmarks/morphology.json
"""
import numpy as np
import pytest

import ocrprep


def _morph_case(benchmark, page, cv2, impl, op, size, target):
    benchmark.group = f"{op} {size}"
    benchmark.extra_info["target"] = target
    if impl == "ocrprep":
        out = benchmark(getattr(ocrprep, op), page, size, threads=1)
    else:
        kernel = np.ones((size, size), np.uint8)
        out = benchmark(getattr(cv2, op), page, kernel)
    assert out.shape == page.shape


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.dilate"])
def test_dilate_3(benchmark, page, cv2, impl):
    _morph_case(benchmark, page, cv2, impl, "dilate", 3, "<= 1.5")


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.erode"])
def test_erode_3(benchmark, page, cv2, impl):
    _morph_case(benchmark, page, cv2, impl, "erode", 3, "<= 1.5")


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.dilate"])
def test_dilate_15(benchmark, page, cv2, impl):
    _morph_case(benchmark, page, cv2, impl, "dilate", 15, "<= 1.0")


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.erode"])
def test_erode_15(benchmark, page, cv2, impl):
    _morph_case(benchmark, page, cv2, impl, "erode", 15, "<= 1.0")


@pytest.mark.parametrize("impl", ["ocrprep", "ocrprep threads=1"])
def test_dilate_15_two_threads(benchmark, page, impl):
    """2 threads vs 1: time ratio <= 1/1.7 means a speed-up >= 1.7."""
    benchmark.group = "dilate 15 2threads"
    benchmark.extra_info["target"] = "<= 0.588"
    threads = 2 if impl == "ocrprep" else 1
    benchmark(ocrprep.dilate, page, 15, threads=threads)


@pytest.fixture(scope="module")
def rgb_page(page):
    """An A4 RGB page: the grey page with differently tinted channels."""
    return np.ascontiguousarray(np.dstack([page, page[::-1], page[:, ::-1]]))


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.cvtColor"])
def test_to_grayscale(benchmark, rgb_page, cv2, impl):
    benchmark.group = "to_grayscale RGB"
    benchmark.extra_info["target"] = "report"
    if impl == "ocrprep":
        benchmark(ocrprep.to_grayscale, rgb_page, threads=1)
    else:
        benchmark(cv2.cvtColor, rgb_page, cv2.COLOR_RGB2GRAY)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.bitwise_not"])
def test_invert(benchmark, page, cv2, impl):
    benchmark.group = "invert"
    benchmark.extra_info["target"] = "report"
    if impl == "ocrprep":
        benchmark(ocrprep.invert, page, threads=1)
    else:
        benchmark(cv2.bitwise_not, page)
