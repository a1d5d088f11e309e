"""Speed of rotate / scale / resize and skew detection vs OpenCV (single thread).

No targets: the figures are reported as ratios (see BENCHMARKS.md, ## geometry).
The skew anchor is the common OpenCV recipe (Otsu, ``cv2.minAreaRect`` of the
ink pixels, ``cv2.warpAffine``): a speed reference only, it is far less accurate.
"""
import numpy as np
import pytest

import ocrprep

ANGLE = 3.7


@pytest.fixture(scope="module")
def skewed(page, cv2):
    h, w = page.shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), ANGLE, 1.0)
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


@pytest.fixture(scope="module")
def rgb(page):
    return np.ascontiguousarray(np.dstack([page, page[:, ::-1], page[::-1]]))


def _cv2_rotate(cv2, img, angle, fill=255):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(fill,) * 4)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.warpAffine"])
def test_rotate(benchmark, page, cv2, impl):
    benchmark.group = "rotate 3.7 deg (gray)"
    if impl == "ocrprep":
        benchmark(ocrprep.rotate, page, ANGLE, fill=255, threads=1)
    else:
        benchmark(_cv2_rotate, cv2, page, ANGLE)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.warpAffine"])
def test_rotate_rgb(benchmark, rgb, cv2, impl):
    benchmark.group = "rotate 3.7 deg (RGB)"
    if impl == "ocrprep":
        benchmark(ocrprep.rotate, rgb, ANGLE, fill=255, threads=1)
    else:
        benchmark(_cv2_rotate, cv2, rgb, ANGLE)


@pytest.mark.parametrize("ratio", [0.5, 0.3, 0.77, 1.5, 2.0])
@pytest.mark.parametrize("impl", ["ocrprep", "cv2.resize"])
def test_scale(benchmark, page, cv2, impl, ratio):
    h, w = page.shape
    size = (int(w * ratio + 0.5), int(h * ratio + 0.5))
    interp = cv2.INTER_AREA if ratio < 1 else cv2.INTER_LINEAR
    benchmark.group = f"scale {ratio} ({'INTER_AREA' if ratio < 1 else 'INTER_LINEAR'})"
    if impl == "ocrprep":
        out = benchmark(ocrprep.scale, page, ratio, threads=1)
        assert out.shape == (size[1], size[0])
    else:
        benchmark(cv2.resize, page, size, interpolation=interp)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2.resize"])
def test_scale_rgb(benchmark, rgb, cv2, impl):
    benchmark.group = "scale 0.5 (RGB, INTER_AREA)"
    h, w = rgb.shape[:2]
    if impl == "ocrprep":
        benchmark(ocrprep.scale, rgb, 0.5, threads=1)
    else:
        benchmark(cv2.resize, rgb, (w // 2, h // 2), interpolation=cv2.INTER_AREA)


def _cv2_recipe_angle(cv2, img):
    """The widespread OpenCV deskew recipe: minAreaRect of all ink pixels."""
    _, ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    coords = cv2.findNonZero(ink)
    return cv2.minAreaRect(coords)[-1]


@pytest.mark.parametrize("impl", ["ocrprep", "cv2 minAreaRect recipe"])
def test_detect_skew(benchmark, skewed, cv2, impl):
    benchmark.group = "detect_skew (A4 300 dpi)"
    if impl == "ocrprep":
        angle = benchmark(ocrprep.detect_skew, skewed, threads=1)
        assert abs(angle - ANGLE) <= 0.1
    else:
        benchmark(_cv2_recipe_angle, cv2, skewed)


@pytest.mark.parametrize("impl", ["ocrprep", "cv2 minAreaRect recipe"])
def test_deskew(benchmark, skewed, cv2, impl):
    benchmark.group = "deskew = detect + rotate (A4 300 dpi)"
    if impl == "ocrprep":
        benchmark(ocrprep.deskew, skewed, threads=1)
    else:
        def recipe():
            return _cv2_rotate(cv2, skewed, -_cv2_recipe_angle(cv2, skewed))

        benchmark(recipe)


def test_deskew_two_threads(benchmark, skewed):
    benchmark.group = "deskew, 2 threads (no anchor)"
    benchmark(ocrprep.deskew, skewed, threads=2)
