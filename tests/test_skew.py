"""detect_skew / deskew on generated text pages rotated by known angles."""
import doctest
import functools

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import ocrprep
from ocrprep import skew

WORDS = (
    "optical character recognition converts images of typed handwritten or printed text into "
    "machine encoded text from a scanned document a photo of a document a scene photo or from "
    "subtitle text superimposed on an image the quick brown fox jumps over the lazy dog 1984 "
    "invoice total amount due page chapter section"
).split()


def _font(size, variant):
    # Pillow >= 10.1 ships a scalable default font; DejaVu adds variety where installed.
    paths = ["DejaVuSans.ttf", "DejaVuSerif.ttf", "LiberationSans-Regular.ttf"]
    if variant % 4 != 3:
        try:
            return ImageFont.truetype(paths[variant % 4], size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=None)
def text_page(h=1400, w=1000, size=22, seed=0, ink=30, paper=245):
    """A page of left-aligned paragraphs (ragged lines, short last lines, gaps)."""
    rng = np.random.default_rng(seed)
    img = Image.new("L", (w, h), paper)
    draw = ImageDraw.Draw(img)
    font = _font(size, seed)
    margin = w // 12
    y = margin
    while y < h - margin - size:
        words = []
        while True:
            cand = " ".join(words + [WORDS[rng.integers(len(WORDS))]])
            if draw.textlength(cand, font=font) > w - 2 * margin:
                break
            words = cand.split()
        if rng.random() < 0.15:  # end of a paragraph
            words = words[: max(1, len(words) // 3)]
        draw.text((margin, y), " ".join(words), fill=ink, font=font)
        y += int(size * 1.6) + (2 * size if rng.random() < 0.1 else 0)
    page = np.asarray(img)
    page.flags.writeable = False
    return page


def pil_rotate(page, angle, fill=None):
    fill = int(page[0, 0]) if fill is None else fill
    return np.asarray(Image.fromarray(page).rotate(angle, resample=Image.BICUBIC, fillcolor=fill))


def cv2_rotate(cv2, page, angle, border=None):
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if border is None:
        return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


TOL = 0.1  # degrees
ANGLES = [3.7, -0.3, 0.0, 0.05, -0.08, 0.15, -0.45, 0.6, 1.0, -1.25, 2.5, -4.4, 6.1, -7.9,
          9.35, -10.6, 12.2, -13.3, 14.6, 15.0, -15.0, -14.95]


@pytest.mark.parametrize("angle", ANGLES)
def test_recovers_pil_rotation(angle):
    seed = ANGLES.index(angle)
    page = pil_rotate(text_page(seed=seed), angle)
    assert abs(ocrprep.detect_skew(page) - angle) <= TOL


@pytest.mark.parametrize("angle", [3.7, -0.3, -2.2, 8.8, -11.5, 14.2])
def test_recovers_cv2_rotation(cv2, angle):
    page = cv2_rotate(cv2, text_page(seed=40 + int(angle * 10) % 7), angle)
    assert abs(ocrprep.detect_skew(page) - angle) <= TOL


def test_many_random_angles_small_and_large_pages():
    rng = np.random.default_rng(2024)
    errors = []
    for i, (h, w, size) in enumerate([(800, 600, 14), (1400, 1000, 22), (2200, 1700, 34)] * 5):
        angle = float(rng.uniform(-15, 15)) if i % 3 else float(rng.uniform(-1, 1))
        page = pil_rotate(text_page(h, w, size, seed=100 + i), angle)
        errors.append(ocrprep.detect_skew(page) - angle)
    errors = np.abs(errors)
    assert errors.max() <= TOL, errors
    assert np.median(errors) <= 0.03, errors  # typical accuracy, not just the bound


def test_a4_page_with_uneven_lighting():
    from ocrprep._testimages import a4_page

    page = a4_page()
    for angle in (3.7, -0.3, -12.0):
        assert abs(ocrprep.detect_skew(pil_rotate(page, angle, fill=200)) - angle) <= TOL


@pytest.mark.parametrize("angle", [3.7, -0.3, -9.0])
def test_negative_and_color_pages(angle):
    page = pil_rotate(text_page(seed=7), angle)
    assert abs(ocrprep.detect_skew(255 - page) - angle) <= TOL
    rgb = np.dstack([page, page // 2 + 100, np.full_like(page, 180)])
    assert abs(ocrprep.detect_skew(rgb) - angle) <= TOL
    rgba = np.dstack([rgb, np.full_like(page, 255)])
    assert abs(ocrprep.detect_skew(rgba) - angle) <= TOL


@pytest.mark.parametrize("angle", [3.7, -0.3, 11.0])
def test_not_fooled_by_page_borders(angle):
    page = text_page(seed=11)
    skewed = pil_rotate(page, angle)
    # Dark scanner edges along two sides (axis-aligned, touching the image border).
    edges = skewed.copy()
    edges[:, :60] = 20
    edges[:45] = 30
    # The page photographed on a black bed: dark corners around the rotated sheet.
    bed = np.asarray(Image.fromarray(page).rotate(angle, expand=True, fillcolor=0))
    # An axis-aligned ruled frame inside the image that was not rotated with the text.
    frame = skewed.copy()
    frame[20:26, 20:-20] = 0
    frame[-26:-20, 20:-20] = 0
    frame[20:-20, 20:26] = 0
    frame[20:-20, -26:-20] = 0
    for img in (edges, bed, frame):
        assert abs(ocrprep.detect_skew(img) - angle) <= TOL


def test_blank_pages_give_zero(rng):
    h, w = 900, 700
    yy, xx = np.mgrid[0:h, 0:w]
    pages = [
        np.full((h, w), 255, np.uint8),
        np.full((h, w), 0, np.uint8),
        np.full((h, w), 183, np.uint8),
        np.clip(rng.normal(200, 8, (h, w)), 0, 255).astype(np.uint8),       # paper grain
        np.clip(rng.normal(128, 40, (h, w)), 0, 255).astype(np.uint8),      # heavy noise
        rng.integers(0, 256, (h, w), dtype=np.uint8),                        # uniform noise
        (xx * 255 // w).astype(np.uint8),                                    # a gradient
        np.where(rng.random((h, w)) < 0.003, 0, 255).astype(np.uint8),      # dust specks
        np.where(rng.random((h, w)) < 0.05, 0, 255).astype(np.uint8),       # salt and pepper
    ]
    for page in pages:
        assert ocrprep.detect_skew(page) == 0.0
        np.testing.assert_array_equal(ocrprep.deskew(page), page)


@pytest.mark.parametrize("shape", [(1, 1), (1, 50), (7, 5), (30, 30), (8, 2000)])
def test_tiny_images_give_zero(rng, shape):
    assert ocrprep.detect_skew(rng.integers(0, 256, shape, dtype=np.uint8)) == 0.0


def test_large_page_and_general_reduction(monkeypatch):
    # A 600-dpi-like page: reduction factor 5 through exact block means.
    big = pil_rotate(text_page(5400, 4200, 84, seed=8), -2.35)
    assert abs(ocrprep.detect_skew(big) - (-2.35)) <= TOL
    # Factors beyond MAX_BLOCK take the general area resize instead.
    monkeypatch.setattr(skew, "MAX_BLOCK", 1)
    assert abs(ocrprep.detect_skew(big) - (-2.35)) <= TOL
    # A long strip keeps enough resolution across its short side.
    strip = np.concatenate([text_page(seed=8)[:700]] * 12, axis=0)
    assert abs(ocrprep.detect_skew(pil_rotate(strip, 1.5)) - 1.5) <= TOL


def test_max_angle_bounds_the_search():
    page = pil_rotate(text_page(seed=5), 2.0)
    assert abs(ocrprep.detect_skew(page, max_angle=3) - 2.0) <= TOL
    steep = pil_rotate(text_page(seed=5), 12.0)
    assert abs(ocrprep.detect_skew(steep, max_angle=5)) <= 5.0
    assert abs(ocrprep.detect_skew(steep, max_angle=30) - 12.0) <= TOL


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_threads_give_identical_angles(threads):
    page = pil_rotate(text_page(2200, 1700, 34, seed=9), -6.3)
    assert ocrprep.detect_skew(page, threads=threads) == ocrprep.detect_skew(page, threads=1)


@pytest.mark.parametrize("angle", [3.7, -0.3, -8.5, 13.0])
def test_deskew_straightens(angle):
    page = text_page(seed=21)
    skewed = pil_rotate(page, angle)
    straight = ocrprep.deskew(skewed)
    assert straight.shape == skewed.shape
    assert abs(ocrprep.detect_skew(straight)) <= TOL
    # The text is back where it was: the straightened page matches the
    # original far better than the skewed one does (centre region).
    c = (slice(300, 1100), slice(200, 800))
    err_before = np.abs(skewed[c].astype(int) - page[c]).mean()
    err_after = np.abs(straight[c].astype(int) - page[c]).mean()
    assert err_after < err_before / 3


def test_deskew_binary_stays_binary_and_expand():
    page = np.where(text_page(seed=3) < 128, 0, 255).astype(np.uint8)
    skewed = np.where(pil_rotate(page, 5.0, fill=255) < 128, 0, 255).astype(np.uint8)
    out = ocrprep.deskew(skewed)
    assert set(np.unique(out).tolist()) == {0, 255}
    assert abs(ocrprep.detect_skew(out)) <= TOL
    big = ocrprep.deskew(skewed, expand=True, fill=255)
    assert big.shape[0] > skewed.shape[0] and big.shape[1] > skewed.shape[1]


def test_deskew_color_page_keeps_channels():
    page = pil_rotate(text_page(seed=4), -4.0)
    rgb = np.dstack([page, page, np.full_like(page, 200)])
    out = ocrprep.deskew(rgb)
    assert out.shape == rgb.shape
    assert abs(ocrprep.detect_skew(out)) <= TOL


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        (dict(max_angle=0), ocrprep.InvalidParameterError),
        (dict(max_angle=-5), ocrprep.InvalidParameterError),
        (dict(max_angle=46), ocrprep.InvalidParameterError),
        (dict(max_angle=float("nan")), ocrprep.InvalidParameterError),
        (dict(max_angle="15"), ocrprep.ParameterTypeError),
        (dict(threads=0), ocrprep.InvalidParameterError),
        (dict(threads=1.5), ocrprep.ParameterTypeError),
    ],
)
def test_bad_parameters(kwargs, exc):
    page = text_page(seed=1)
    with pytest.raises(exc):
        ocrprep.detect_skew(page, **kwargs)
    with pytest.raises(exc):
        ocrprep.deskew(page, **kwargs)


@pytest.mark.parametrize(
    "img, exc",
    [
        ("page.png", ocrprep.ImageTypeError),
        (np.zeros((40, 40), np.float64), ocrprep.ImageTypeError),
        (np.zeros((40, 40, 2), np.uint8), ocrprep.InvalidImageError),
        (np.zeros((0, 40), np.uint8), ocrprep.InvalidImageError),
    ],
)
def test_bad_images(img, exc):
    with pytest.raises(exc):
        ocrprep.detect_skew(img)
    with pytest.raises(exc):
        ocrprep.deskew(img)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.deskew(np.zeros((4, 4), np.uint8), expand="no")


def test_doctests():
    result = doctest.testmod(skew, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
