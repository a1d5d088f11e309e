"""Front-door overheads vs the direct calls / OpenCV (informational: no targets in issue 3).

* ``imread A4 PNG``: ocrprep.imread vs cv2.imread (grey PNG of the A4 page);
* ``imwrite A4 binary``: ocrprep.imwrite (1-bit PNG, atomic temp+rename+fsync) vs
  cv2.imwrite (8-bit PNG, in place);
* ``pipeline median+otsu``: PreprocessingFilter.apply vs calling the two kernels
  directly (the cost of the filter layer itself).
"""
import numpy as np
import pytest

import ocrprep
from ocrprep import PreprocessingFilter


@pytest.fixture(scope="module")
def page_png(tmp_path_factory, page):
    p = tmp_path_factory.mktemp("fd") / "page.png"
    ocrprep.imwrite(p, page)
    return p


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.imread"])
def test_imread(benchmark, page_png, page, cv2, impl):
    benchmark.group = "imread A4 PNG"
    benchmark.extra_info["target"] = "report"
    if impl == "ocrprep":
        out = benchmark(ocrprep.imread, page_png)
    else:
        out = benchmark(cv2.imread, str(page_png), cv2.IMREAD_GRAYSCALE)
    np.testing.assert_array_equal(out, page)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.imwrite"])
def test_imwrite_binary(benchmark, page, cv2, tmp_path, impl):
    benchmark.group = "imwrite A4 binary"
    benchmark.extra_info["target"] = "report"
    bw = ocrprep.binarize(page, method="otsu")
    if impl == "ocrprep":
        benchmark(ocrprep.imwrite, tmp_path / "bw.png", bw)
    else:
        benchmark(cv2.imwrite, str(tmp_path / "bw_cv.png"), bw)


@pytest.mark.parametrize("impl", ["ocrprep", "direct kernels"])
def test_pipeline_overhead(benchmark, page, impl):
    benchmark.group = "pipeline median+otsu"
    benchmark.extra_info["target"] = "report"
    pipeline = PreprocessingFilter.from_spec("median(3), binarize(method=otsu)")
    if impl == "ocrprep":
        out = benchmark(pipeline.apply, page, threads=1)
    else:
        out = benchmark(lambda: ocrprep.binarize(ocrprep.median(page, 3, threads=1), method="otsu", threads=1))
    assert set(np.unique(out)) <= {0, 255}
