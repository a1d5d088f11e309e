"""Generated "real-world" pages with their ground truth (issue 13).

One generator per failure class of the automatic binarizer on pages outside
DIBCO: coloured ink on photographed paper, faint strokes beside dark ones
(with bleed-through from the back of the sheet), a document on a backdrop,
noisy low-contrast scans and book edges / gutter shadows.  Each returns a
:class:`Page`: the image (grey or RGB uint8), the ink mask it was rendered
from (True = ink; what a binarizer should find) and the words a reader can
read on it (the recall truth for OCR).

Deterministic: the same ``(seed, scale)`` gives the same page on every
machine with the DejaVu fonts (Pillow's bundled font otherwise).  Used by
``tests/test_realworld.py`` (small pages) and ``benchmarks/realworld.py``
(the suite, several sizes).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

WORDS = (
    "the of and to in is was for that with as on by be at this from which or had an are it "
    "not were his but have all has they their one been more other into when would time only "
    "new some could these two may first then after any like over such our man through where "
    "much before right between each under last never also years since without place against "
    "house world still found being great number every during public letter river mountain "
    "garden market harbour station village journey evening morning winter summer history "
    "council parish register merchant account ledger receipt payment cargo vessel captain"
).split()

SUPERSAMPLE = 2


@dataclasses.dataclass
class Page:
    image: np.ndarray       # (H, W) or (H, W, 3) uint8
    truth: np.ndarray       # (H, W) bool, True = ink
    text: str               # the readable words, in reading order
    kind: str
    seed: int
    #: masks of particular ink (e.g. ``light``: the yellow, light green and
    #: grey words of a colour page; ``faint``: the faint hand of a faint page)
    parts: dict = dataclasses.field(default_factory=dict)

    @property
    def grey(self) -> np.ndarray:
        if self.image.ndim == 2:
            return self.image
        return np.asarray(Image.fromarray(self.image).convert("L"))


def _font(size: int, serif: bool = True):
    names = ("DejaVuSerif.ttf", "DejaVuSans.ttf") if serif else ("DejaVuSans.ttf", "DejaVuSerif.ttf")
    for name in names:
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/Library/Fonts"):
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _lines(rng, n_lines, n_words):
    return [[str(rng.choice(WORDS)) for _ in range(int(rng.integers(n_words - 2, n_words + 2)))]
            for _ in range(n_lines)]


def render(shape, lines, font_size, styles, *, x0, y0, leading=1.6, serif=True, clip_words=None):
    """Anti-aliased coverage (H, W) in [0, 1] and a style index (H, W) per
    pixel for ``lines`` of words, each word a (text, style) pair; returns
    (coverage, style_map, words) with the words kept in reading order.
    ``clip_words(box)`` says whether a word (x0, y0, x1, y1) is readable."""
    h, w = shape
    s = SUPERSAMPLE
    font = _font(font_size * s, serif)
    cover = Image.new("L", (w * s, h * s), 0)
    style = Image.new("L", (w * s, h * s), 0)
    dc, ds = ImageDraw.Draw(cover), ImageDraw.Draw(style)
    space = font.getlength(" ")
    y = y0 * s
    readable = []
    for line in lines:
        x = x0 * s
        for word, st in line:
            box = dc.textbbox((x, y), word, font=font)
            dc.text((x, y), word, fill=255, font=font)
            ds.text((x, y), word, fill=int(st) + 1, font=font)
            if box[2] <= w * s and box[3] <= h * s and box[0] >= 0:
                b = tuple(v / s for v in box)
                if clip_words is None or clip_words(b):
                    readable.append(word)
            x += font.getlength(word) + space
        y += int(font_size * s * leading)
    cover = np.asarray(cover.resize((w, h), Image.LANCZOS), np.float64) / 255.0
    style = np.asarray(style.resize((w, h), Image.NEAREST), np.int16) - 1
    # the style of anti-aliased pixels next to a glyph: its nearest neighbour's
    grown = np.asarray(Image.fromarray((style + 1).astype(np.uint8)).filter(ImageFilter.MaxFilter(5)), np.int16) - 1
    style = np.where(style >= 0, style, grown)
    return np.clip(cover, 0, 1), style, readable


def _field(shape, rng, cells=6):
    """A smooth random field in [0, 1] (bicubic upsampling of a coarse grid)."""
    h, w = shape
    g = (rng.random((cells, cells)) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(g).resize((w, h), Image.BICUBIC), np.float64) / 255.0


def _lighting(shape, rng, strength):
    """Multiplicative lighting: a gradient in a random direction and a vignette."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = xx / w - 0.5, yy / h - 0.5
    a = rng.uniform(0, 2 * np.pi)
    grad = 1.0 - strength * (0.5 + u * np.cos(a) + v * np.sin(a))
    vign = 1.0 - 0.5 * strength * (u ** 2 + v ** 2) * 2.0
    return grad * vign


def _blur(arr, sigma):
    """Separable Gaussian blur (edges replicated) of a float image, grey or colour."""
    if sigma <= 0:
        return arr
    r = max(1, int(3 * sigma + 0.5))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = np.asarray(arr, np.float64)
    for axis in (0, 1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (r, r)
        padded = np.pad(out, pad, mode="edge")
        acc = np.zeros_like(out)
        for i, kv in enumerate(k):
            acc += kv * np.take(padded, np.arange(i, i + out.shape[axis]), axis=axis)
        out = acc
    return out


def _u8(arr):
    return np.ascontiguousarray(np.clip(np.round(arr), 0, 255).astype(np.uint8))


def _size(scale, base=(900, 1300)):
    return int(base[0] * scale), int(base[1] * scale)


# --------------------------------------------------------------------------- #
# 1. coloured ink on shaded, photographed paper
# --------------------------------------------------------------------------- #
INKS = [
    (12, 12, 16),      # black
    (30, 60, 160),     # blue
    (170, 30, 35),     # red
    (25, 110, 50),     # green
    (110, 40, 140),    # purple
    (225, 185, 10),    # yellow
    (120, 200, 100),   # light green
    (160, 160, 160),   # light grey
]


def colour_page(seed: int, scale: float = 1.0) -> Page:
    rng = np.random.default_rng([1, seed])
    h, w = _size(scale, (900, 1250))
    fs = int(rng.integers(24, 34) * scale)
    n_lines = max(3, int((h - 120 * scale) / (fs * 1.7)))
    lines = [[(word, int(rng.integers(0, len(INKS)))) for word in line]
             for line in _lines(rng, n_lines, max(3, int(w / (fs * 4.2))))]
    cover, style, words = render((h, w), lines, fs, None, x0=int(60 * scale), y0=int(60 * scale))
    ink = np.asarray(INKS, np.float64)[np.maximum(style, 0)]
    paper = np.array([242.0, 234.0, 214.0]) + rng.uniform(-8, 8, 3)
    page = paper * (0.96 + 0.04 * _field((h, w), rng, 12))[..., None]
    page = page * (1 - cover[..., None]) + ink * cover[..., None]
    light = _lighting((h, w), rng, 0.30)
    # the photographer's soft shadow over one corner
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    d = ((xx / w if rng.random() < 0.5 else 1 - xx / w) + (yy / h) - 1.5) / 0.08
    light *= 1.0 - 0.18 / (1.0 + np.exp(-d))
    page = _blur(page * light[..., None], 0.7)
    page += rng.normal(0, 2.5, (h, w, 1)) + rng.normal(0, 1.2, (h, w, 3))
    truth = cover >= 0.5
    return Page(_u8(page), truth, " ".join(words), "colour", seed,
                {"light": truth & (style >= 5), "chromatic": truth & ((style == 5) | (style == 6))})


# --------------------------------------------------------------------------- #
# 2. faint strokes beside dark ones, bleed-through from the back
# --------------------------------------------------------------------------- #
def faint_page(seed: int, scale: float = 1.0) -> Page:
    rng = np.random.default_rng([2, seed])
    h, w = _size(scale, (800, 1100))
    fs = int(rng.integers(24, 32) * scale)
    n_lines = max(3, int((h - 100 * scale) / (fs * 1.8)))
    paper = float(rng.uniform(200, 232))
    dark = float(rng.uniform(20, 70))
    faint = paper - rng.uniform(38, 60)             # pencil, faded second hand
    lines = [[(word, int(rng.random() < 0.45)) for word in line]
             for line in _lines(rng, n_lines, max(3, int(w / (fs * 4.0))))]
    cover, style, words = render((h, w), lines, fs, None, x0=int(50 * scale), y0=int(50 * scale), leading=1.8)
    level = np.where(style == 1, faint, dark)
    # bleed-through: the other side's writing, mirrored, diffused by the paper
    back_lines = [[(word, 0) for word in line] for line in _lines(rng, n_lines, max(3, int(w / (fs * 4.0))))]
    back, _, _ = render((h, w), back_lines, fs, None, x0=int(70 * scale), y0=int(50 * scale + fs * 0.9), leading=1.8)
    back = _blur(back[:, ::-1], 1.8 * scale)
    bleed = rng.uniform(14, 26)
    page = paper * (0.93 + 0.07 * _field((h, w), rng, 5)) - bleed * back / max(back.max(), 1e-6)
    page = page * (1 - cover) + level * cover
    page = _blur(page, 0.6) + rng.normal(0, 3.0, (h, w))
    truth = cover >= 0.5
    return Page(_u8(page), truth, " ".join(words), "faint", seed, {"faint": truth & (style == 1)})


# --------------------------------------------------------------------------- #
# 3. a document (papyrus, torn leaf) photographed on a white or black table
# --------------------------------------------------------------------------- #
def _fragment_mask(shape, rng):
    h, w = shape
    cy, cx = h * rng.uniform(0.45, 0.55), w * rng.uniform(0.45, 0.55)
    ry, rx = h * rng.uniform(0.32, 0.42), w * rng.uniform(0.32, 0.42)
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    radius = 1.0 + 0.08 * rng.standard_normal(40)
    radius = np.convolve(np.r_[radius[-2:], radius, radius[:2]], np.ones(5) / 5, "valid")
    # a squarish outline with a ragged edge (a leaf, a fragment)
    c, s = np.cos(angles), np.sin(angles)
    sq = 1.0 / np.maximum(np.abs(c), np.abs(s)) ** 0.8
    pts = [(cx + rx * r * q * ci, cy + ry * r * q * si) for r, q, ci, si in zip(radius, sq, c, s)]
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).polygon(pts, fill=255)
    return np.asarray(im) > 127


def backdrop_page(seed: int, scale: float = 1.0) -> Page:
    rng = np.random.default_rng([3, seed])
    h, w = _size(scale, (1000, 1000))
    fs = int(rng.integers(22, 30) * scale)
    inside = _fragment_mask((h, w), rng)
    n_lines = max(3, int(h * 0.6 / (fs * 1.7)))
    lines = [[(word, 0) for word in line] for line in _lines(rng, n_lines, max(3, int(w * 0.55 / (fs * 3.8))))]

    def readable(box):
        x0, y0, x1, y1 = (int(v) for v in box)
        return inside[max(y0, 0):y1, max(x0, 0):x1].all()

    x0, y0 = int(w * 0.2), int(h * 0.2)
    cover, _, words = render((h, w), lines, fs, None, x0=x0, y0=y0, clip_words=readable)
    cover = cover * inside
    white = rng.random() < 0.5
    table = (np.array([236.0, 236.0, 232.0]) if white else np.array([28.0, 26.0, 24.0])) + rng.uniform(-6, 6, 3)
    # from a pale leaf to dark papyrus (luma about 180 down to 90)
    surface = np.array([200.0, 172.0, 120.0]) * rng.uniform(0.55, 1.0) + rng.uniform(-10, 10, 3)
    fibres = _blur(rng.normal(0, 1, (h, w)), 1.0)
    fibres = (fibres - fibres.mean()) / fibres.std()
    streaks = np.repeat(rng.normal(0, 1, (1, w)), h, axis=0) if rng.random() < 0.5 else \
        np.repeat(rng.normal(0, 1, (h, 1)), w, axis=1)
    tex = 1.0 + 0.03 * fibres + 0.03 * _blur(streaks, 1.0) + 0.06 * (_field((h, w), rng, 8) - 0.5)
    page = np.where(inside[..., None], surface * tex[..., None], table * (1 + 0.02 * fibres[..., None]))
    if white:   # the fragment casts a soft shadow on a white table
        shadow = _blur(np.roll(inside, (int(6 * scale), int(6 * scale)), (0, 1)).astype(np.float64), 4 * scale)
        page = np.where(inside[..., None], page, page * (1 - 0.25 * shadow[..., None]))
    ink = np.minimum(np.array([55.0, 38.0, 25.0]), 0.35 * surface)
    page = page * (1 - cover[..., None]) + ink * cover[..., None]
    page = _blur(page * _lighting((h, w), rng, 0.15)[..., None], 0.7) + rng.normal(0, 2.5, (h, w, 1))
    return Page(_u8(page), cover >= 0.5, " ".join(words), "backdrop", seed)


# --------------------------------------------------------------------------- #
# 4. noisy low-contrast scans
# --------------------------------------------------------------------------- #
def noisy_page(seed: int, scale: float = 1.0) -> Page:
    rng = np.random.default_rng([4, seed])
    h, w = _size(scale, (800, 1100))
    # 8-11 pt type at 300 dpi (33-46 px) down to 200 dpi at scale 0.7
    fs = int(rng.integers(32, 44) * scale)
    n_lines = max(3, int((h - 100 * scale) / (fs * 1.7)))
    lines = [[(word, 0) for word in line] for line in _lines(rng, n_lines, max(3, int(w / (fs * 4.0))))]
    cover, _, words = render((h, w), lines, fs, None, x0=int(50 * scale), y0=int(50 * scale), serif=False)
    paper = float(rng.uniform(185, 215))
    page = paper - 50.0 * cover
    page = _blur(page, rng.uniform(0.8, 1.1)) * _lighting((h, w), rng, 0.22)
    page += rng.normal(0, 18.0, (h, w))
    return Page(_u8(page), cover >= 0.5, " ".join(words), "noisy", seed)


# --------------------------------------------------------------------------- #
# 5. book edges, gutter shadows, dark margins
# --------------------------------------------------------------------------- #
def book_page(seed: int, scale: float = 1.0) -> Page:
    rng = np.random.default_rng([5, seed])
    h, w = _size(scale, (1000, 800))
    fs = int(rng.integers(22, 30) * scale)
    edge = int(w * rng.uniform(0.04, 0.09))                 # the dark page edges of the volume
    gutter = int(w * rng.uniform(0.06, 0.12))
    edge_left = rng.random() < 0.5
    n_lines = max(3, int((h - 80 * scale) / (fs * 1.6)))
    # some pages are cropped through the text: lines touch the top / the outer border
    touch = rng.random() < 0.5
    x0 = int(edge + 20 * scale) if edge_left else int(gutter + 25 * scale)
    if touch:
        x0 = -int(fs * 1.5) if not edge_left else x0
    y0 = -int(fs * 0.5) if touch else int(40 * scale)
    usable = w - edge - gutter - 40 * scale
    lines = [[(word, 0) for word in line] for line in _lines(rng, n_lines, max(3, int(usable / (fs * 3.6))) + (2 if touch else 0))]
    right = w - (edge if not edge_left else gutter)

    def readable(box):
        return box[0] >= 0 and box[1] >= 0 and box[2] <= right and box[3] <= h

    cover, _, words = render((h, w), lines, fs, None, x0=x0, y0=y0, clip_words=readable)
    xx = np.arange(w, dtype=np.float64)
    # text stops at the page block; the gutter shadow and the edge are beyond it
    lo, hi = (edge, w - gutter) if edge_left else (gutter, w - edge)
    if touch and not edge_left:
        lo = 0
    cover[:, :lo] = 0
    cover[:, hi:] = 0
    paper = float(rng.uniform(205, 232))
    page = np.full((h, w), paper) * (0.95 + 0.05 * _field((h, w), rng, 6))
    # gutter: a soft shadow deepening towards the spine
    gx = (gutter - xx) / gutter if edge_left is False else (xx - (w - gutter)) / gutter
    gx = np.clip(gx, 0, 1)
    page *= 1.0 - rng.uniform(0.45, 0.7) * gx[None, :] ** 1.6
    # book edge: the stacked leaves, dark with thin light lines
    ex = (w - xx) if edge_left is False else xx + 1
    band = ex <= edge
    stripes = 40 + 25 * (np.sin(xx * rng.uniform(0.8, 1.6)) > 0.6) + rng.normal(0, 4, w)
    page[:, band] = stripes[band][None, :] * (0.9 + 0.2 * _field((h, w), rng, 4)[:, band])
    if rng.random() < 0.5:     # the dark table showing under the bottom edge
        rows = int(h * rng.uniform(0.02, 0.05))
        page[h - rows:, :] = 35 + rng.normal(0, 3, (rows, w))
        cover[h - rows:, :] = 0
    ink = float(rng.uniform(20, 60))
    page = page * (1 - cover) + ink * cover
    page = _blur(page * _lighting((h, w), rng, 0.15), 0.6) + rng.normal(0, 3.0, (h, w))
    return Page(_u8(page), cover >= 0.5, " ".join(words), "book", seed)


# --------------------------------------------------------------------------- #
# 6. marker over printed words, a tinted box (issue 13 follow-up)
# --------------------------------------------------------------------------- #
#: Highlighter inks as transmittance (multiplied into the page: ink under
#: the marker stays dark): yellow, green, pink, blue, orange.
MARKERS = [(1.0, 0.96, 0.30), (0.62, 1.0, 0.50), (1.0, 0.58, 0.80), (0.55, 0.82, 1.0), (1.0, 0.72, 0.32)]


def highlight_page(seed: int, scale: float = 1.0) -> Page:
    """Dark print on photographed cream paper, runs of words marked with a
    highlighter (soft, slightly slanted, wobbly bands in five colours) and
    a box of two lines on a tinted ground, as forms and textbooks have."""
    rng = np.random.default_rng([7, seed])
    h, w = _size(scale, (900, 1250))
    fs = int(rng.integers(26, 36) * scale)
    n_lines = max(3, int((h - 120 * scale) / (fs * 1.8)))
    lines = [[(word, 0) for word in line] for line in _lines(rng, n_lines, max(3, int(w / (fs * 4.2))))]
    boxes = []
    cover, _, words = render((h, w), lines, fs, None, x0=int(60 * scale), y0=int(60 * scale), leading=1.8,
                             serif=bool(rng.random() < 0.5), clip_words=lambda b: boxes.append(b) or True)
    paper = np.array([244.0, 238.0, 222.0]) + rng.uniform(-6, 6, 3)
    page = paper * (0.97 + 0.03 * _field((h, w), rng, 10))[..., None]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    # a tinted box behind two lines (a note, a form's field)
    tint = np.zeros((h, w))
    ys = sorted({round(b[1]) for b in boxes})
    if len(ys) >= 4:
        i = int(rng.integers(1, len(ys) - 2))
        top, bottom = ys[i] - 0.4 * fs, ys[i + 1] + 1.5 * fs
        tint[(yy >= top) & (yy < bottom) & (xx >= 40 * scale) & (xx < w - 40 * scale)] = 1.0
    box_colour = np.array(MARKERS[int(rng.integers(0, len(MARKERS)))]) * 0.35 + 0.65
    page *= 1 - tint[..., None] + tint[..., None] * box_colour
    # marker: runs of 1-5 words, one colour a run
    marks = np.zeros((h, w, 3))
    i = 0
    while i < len(boxes):
        if rng.random() < 0.35:
            n = int(rng.integers(1, 6))
            run = [b for b in boxes[i:i + n] if abs(b[1] - boxes[i][1]) < 1]
            x0, x1 = run[0][0] - 0.15 * fs, run[-1][2] + 0.15 * fs
            y0, y1 = min(b[1] for b in run) - 0.1 * fs, max(b[3] for b in run) + 0.15 * fs
            slant = rng.uniform(-0.015, 0.015)
            wob = 0.06 * fs * np.sin(xx / rng.uniform(30, 80) + rng.uniform(0, 6))
            band = (xx >= x0) & (xx < x1) & (yy >= y0 + slant * (xx - x0) + wob) & (yy < y1 + slant * (xx - x0) - wob)
            strength = rng.uniform(0.75, 1.0)
            colour = 1.0 - strength * (1.0 - np.array(MARKERS[int(rng.integers(0, len(MARKERS)))]))
            marks = np.where(band[..., None], 1.0 - colour, marks)
            i += max(1, len(run))
        else:
            i += 1
    marks = _blur(marks, 1.2 * scale)
    page *= 1.0 - marks
    ink = np.array([22.0, 22.0, 30.0]) if rng.random() < 0.7 else np.array([25.0, 35.0, 95.0])
    page = page * (1 - cover[..., None]) + ink * (1.0 - marks) * cover[..., None]
    page = _blur(page * _lighting((h, w), rng, 0.25)[..., None], 0.7)
    page += rng.normal(0, 2.5, (h, w, 1)) + rng.normal(0, 1.2, (h, w, 3))
    return Page(_u8(page), cover >= 0.5, " ".join(words), "highlight", seed,
                {"marker": marks.max(axis=2) > 0.2, "box": tint > 0})


CLASSES = {
    "colour": colour_page,
    "faint": faint_page,
    "backdrop": backdrop_page,
    "noisy": noisy_page,
    "book": book_page,
    "highlight": highlight_page,
}


# --------------------------------------------------------------------------- #
# a simple ruled table (recognition default, issue 13 item 6)
# --------------------------------------------------------------------------- #
def table_page(seed: int, scale: float = 1.0) -> Page:
    """A ruled table of words: grey ink and rules on a lightly shaded page
    (the kind Tesseract's own thresholding reads poorly)."""
    rng = np.random.default_rng([6, seed])
    h, w = _size(scale, (700, 1000))
    rows, cols = int(rng.integers(6, 10)), int(rng.integers(3, 5))
    fs = int(rng.integers(22, 30) * scale)
    font = _font(fs * SUPERSAMPLE, serif=False)
    s = SUPERSAMPLE
    cover = Image.new("L", (w * s, h * s), 0)
    d = ImageDraw.Draw(cover)
    x0, y0 = int(40 * scale), int(40 * scale)
    cw, ch = (w - 2 * x0) // cols, (h - 2 * y0) // rows
    words = []
    for r in range(rows + 1):
        d.line([(x0 * s, (y0 + r * ch) * s), ((x0 + cols * cw) * s, (y0 + r * ch) * s)], fill=255, width=2 * s)
    for c in range(cols + 1):
        d.line([((x0 + c * cw) * s, y0 * s), ((x0 + c * cw) * s, (y0 + rows * ch) * s)], fill=255, width=2 * s)
    for r in range(rows):
        for c in range(cols):
            word = str(rng.choice(WORDS))
            if c == 0:
                word = word.capitalize()
            words.append(word)
            d.text(((x0 + c * cw + 12 * scale) * s, (y0 + r * ch + (ch - fs * 1.2) / 2) * s), word,
                   fill=255, font=font)
    cover = np.asarray(cover.resize((w, h), Image.LANCZOS), np.float64) / 255.0
    paper = float(rng.uniform(190, 225))
    ink = paper - float(rng.uniform(60, 100))
    page = (paper * (1 - cover) + ink * cover) * _lighting((h, w), rng, 0.3)
    page = _blur(page, 0.7) + rng.normal(0, 6.0, (h, w))
    return Page(_u8(page), cover >= 0.5, " ".join(words), "table", seed)


#: Pages for the recognition default (not binarization classes).
RECOGNITION = {"noisy": noisy_page, "table": table_page}
