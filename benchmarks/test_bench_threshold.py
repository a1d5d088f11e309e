"""Speed of histogram and Otsu binarization vs OpenCV (single thread)."""
import numpy as np
import pytest

import ocrprep


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.calcHist"])
def test_histogram(benchmark, page, cv2, impl):
    benchmark.group = "histogram"
    benchmark.extra_info["target"] = "<= 1.0"
    if impl == "ocrprep":
        h = benchmark(ocrprep.histogram, page, threads=1)
        assert h.sum() == page.size
    else:
        benchmark(cv2.calcHist, [page], [0], None, [256], [0, 256])


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.threshold OTSU"])
def test_otsu_binarize(benchmark, page, cv2, impl):
    benchmark.group = "otsu binarize"
    benchmark.extra_info["target"] = "<= 1.0"
    if impl == "ocrprep":
        benchmark(ocrprep.binarize, page, method="otsu", threads=1)
    else:
        benchmark(cv2.threshold, page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
