"""ocrprep.defects: noise, low contrast, glare and blur found on rendered pages with known defects."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

import imagegen
from ocrprep import OcrEngine
from ocrprep.defects import DefectType, find_defects
from ocrprep.errors import InvalidParameterError

KINDS = [t for t in DefectType if t is not DefectType.ALL]


@pytest.fixture(scope="module", params=[(28, "serif"), (20, "sans"), (40, "mono")])
def page(request):
    size, kind = request.param
    return imagegen.document_page(imagegen.PARAGRAPHS * 3, kind=kind, size=size, width=1600)[0]


def found(img, kind=DefectType.ALL):
    return {t: r for t, r in find_defects(img, kind).items() if r}


def inside(rects, y0, y1, x0, x1, slack):
    return all(y0 - slack <= r.y and r.y + r.height <= y1 + slack and x0 - slack <= r.x and r.x + r.width <= x1 + slack
               for r in rects)


def test_clean_and_evenly_noisy_pages_have_no_defects(page):
    rng = np.random.default_rng(1)
    assert found(page) == {}
    assert found(np.clip(page + rng.normal(0, 12, page.shape), 0, 255).astype(np.uint8)) == {}
    assert found(imagegen.rotated(page, 3.0)) == {}


def test_salt_and_pepper_noise_where_it_is(page):
    rng = np.random.default_rng(2)
    noisy = page.copy()
    w = page.shape[1]
    dots = rng.random(page.shape) < 0.02
    dots[:, : w // 2] = False
    noisy[dots] = rng.choice([0, 255], int(dots.sum()))
    got = found(noisy)
    assert set(got) == {DefectType.SALT_PEPPER_NOISE}
    rects = got[DefectType.SALT_PEPPER_NOISE]
    assert inside(rects, 0, page.shape[0], w // 2, w, slack=page.shape[1] // 16)
    assert sum(r.width * r.height for r in rects) >= 0.8 * (w // 2) * page.shape[0]


def test_blur_is_the_whole_page(page):
    for radius, blurred in ((1.0, False), (2.5, True)):
        img = np.asarray(Image.fromarray(page).filter(ImageFilter.GaussianBlur(radius)))
        got = found(img, DefectType.BLUR)
        assert (DefectType.BLUR in got) == blurred, radius
    assert got[DefectType.BLUR][0] == (0, 0, page.shape[1], page.shape[0])


def test_shadow_and_faint_text_are_low_contrast(page):
    h, w = page.shape
    shadow = page.astype(np.float64)
    shadow[:, : w // 4] *= 0.55
    got = found(shadow.astype(np.uint8))
    assert set(got) == {DefectType.LOW_CONTRAST}
    assert inside(got[DefectType.LOW_CONTRAST], 0, h, 0, w // 4, slack=w // 16)
    faint = page.copy()
    dim = (250 - (250 - page.astype(np.float64)) * 0.4).astype(np.uint8)
    faint[300:500, 600:1000] = dim[300:500, 600:1000]
    got = found(faint)
    assert set(got) == {DefectType.LOW_CONTRAST}
    assert inside(got[DefectType.LOW_CONTRAST], 300, 500, 600, 1000, slack=w // 16)


def test_glare(page):
    h, w = page.shape
    yy, xx = np.mgrid[:h, :w]
    spot = np.clip(1.6 * np.exp(-((yy - 400) ** 2 + (xx - 1200) ** 2) / (2 * 120.0 ** 2)), 0, 1)
    lit = page * 0.88
    lit = (lit + (255 - lit) * spot).astype(np.uint8)
    rects = find_defects(lit, "glare")[DefectType.GLARE]
    assert rects and inside(rects, 400 - 300, 400 + 300, 1200 - 300, 1200 + 300, slack=0)


def test_arguments_and_tiny_pages():
    assert find_defects(np.zeros((2, 2), np.uint8)) == {t: [] for t in KINDS}
    assert list(find_defects(np.full((5, 5, 3), 200, np.uint8), 2)) == [DefectType.BLUR]
    with pytest.raises(InvalidParameterError):
        find_defects(np.zeros((5, 5), np.uint8), "smudge")


def test_engine_detect_defects(page):
    rng = np.random.default_rng(3)
    noisy = page.copy()
    dots = rng.random(page.shape) < 0.02
    noisy[dots] = 0
    out = OcrEngine().detect_defects(noisy)
    assert len(out) == 1 and out[0].page == 1
    assert [a.defect_type for a in out[0].defect_areas] == [DefectType.SALT_PEPPER_NOISE]
    assert OcrEngine().detect_defects(page, DefectType.BLUR)[0].defect_areas == []
