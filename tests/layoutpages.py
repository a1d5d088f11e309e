"""Generated pages of layouts users bring that DIBCO has none of, each with
its ink truth and its words: a table with a dark header band, an ID card
on a pastel guilloche, a printed page with a colour photo, a thermal
receipt, a notebook page with coloured rules, a page under a hard shadow,
a flash hotspot, a dark-mode screenshot, a red stamp over text.  Used by
``tests/test_auto_layouts.py`` and ``benchmarks/layouts.py``.  Each
function returns ``(rgb, truth, text)``; light text on a dark band (table
header, dark-mode page) is ink in the truth only where the page as a whole
is light-on-dark."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont



def font(size=28, mono=False):
    names = ("DejaVuSansMono.ttf",) if mono else ("DejaVuSerif.ttf", "DejaVuSans.ttf")
    for name in names + ("DejaVuSans.ttf",):
        try:
            return ImageFont.truetype("/usr/share/fonts/truetype/dejavu/" + name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)

WORDS = "merchant harbour ledger payment receipt vessel captain council parish village station journey".split()


def _finish(img, truth, words, seed, noise=3.0, shade=0.15):
    rng = np.random.default_rng(seed)
    a = np.asarray(img).astype(float)
    h, w = a.shape[:2]
    a = a * (1 - shade * (np.arange(w) / w))[None, :, None]
    a = np.clip(a + rng.normal(0, noise, (h, w, 1)), 0, 255).astype(np.uint8)
    return a, np.asarray(truth) >= 128, " ".join(words)


def table_page(seed=0):
    """A table: white words on a dark blue header band, black words in rows
    shaded light blue every other row."""
    rng = np.random.default_rng(seed)
    w, h = 1100, 700
    img, tr = Image.new("RGB", (w, h), (250, 250, 248)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    f = font(26)
    words = []
    d.rectangle((40, 40, w - 40, 100), fill=(40, 70, 140))
    for c in range(4):
        s = str(rng.choice(WORDS))
        d.text((60 + c * 250, 55), s, font=f, fill=(255, 255, 255))
        words.append(s)
    for r in range(9):
        y = 100 + r * 60
        if r % 2:
            d.rectangle((40, y, w - 40, y + 60), fill=(222, 235, 250))
        for c in range(4):
            s = str(rng.choice(WORDS))
            words.append(s)
            d.text((60 + c * 250, y + 15), s, font=f, fill=(30, 30, 30))
            t.text((60 + c * 250, y + 15), s, font=f, fill=255)
    return _finish(img, tr, words, seed)


def id_card_page(seed=0):
    """Black text on a pastel guilloche (interlaced sine lines in three
    light colours) on a light blue-grey card."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 620
    img, tr = Image.new("RGB", (w, h), (236, 240, 246)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    for k in range(40):
        colour = [(190, 205, 235), (235, 200, 210), (200, 230, 205)][k % 3]
        d.line([(x, 310 + 250 * np.sin(x / 90 + k * 0.35) * np.cos(k * 0.2)) for x in range(0, w, 4)],
               fill=colour, width=2)
    f = font(30)
    words = []
    for i in range(7):
        s = " ".join(rng.choice(WORDS, 3))
        words += s.split()
        d.text((60, 60 + i * 75), s, font=f, fill=(25, 25, 35))
        t.text((60, 60 + i * 75), s, font=f, fill=255)
    return _finish(img, tr, words, seed)


def photo_page(seed=0):
    """A printed page with a colour photograph inset beside its text."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 800
    img, tr = Image.new("RGB", (w, h), (246, 244, 238)), Image.new("L", (w, h), 0)
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(tr)
    f = font(26)
    words = []
    for i in range(11):
        s = " ".join(rng.choice(WORDS, 3))
        words += s.split()
        d.text((40, 40 + i * 65), s, font=f, fill=(25, 25, 30))
        t.text((40, 40 + i * 65), s, font=f, fill=255)
    a = np.asarray(img).astype(float)
    photo = Image.fromarray((rng.random((8, 8, 3)) * 255).astype(np.uint8)).resize((380, 300), Image.BICUBIC)
    a[80:380, 560:940] = np.asarray(photo)
    return _finish(Image.fromarray(a.astype(np.uint8)), tr, words, seed)




def _lines(img, truth, lines, x, y0, step, size, fill, mono=False):
    d, t = ImageDraw.Draw(img), ImageDraw.Draw(truth)
    f = font(size, mono=mono)
    words = []
    for i, s in enumerate(lines):
        d.text((x, y0 + i * step), s, font=f, fill=fill)
        t.text((x, y0 + i * step), s, font=f, fill=255)
        words += s.split()
    return words


def receipt_page(seed=0):
    """Grey thermal print in a narrow column, darker towards the edges."""
    rng = np.random.default_rng(seed)
    w, h = 600, 900
    img, tr = Image.new("RGB", (w, h), (236, 234, 230)), Image.new("L", (w, h), 0)
    lines = [" ".join(rng.choice(WORDS, 2)) + "  %d.%02d" % (rng.integers(1, 99), rng.integers(0, 99))
             for _ in range(16)]
    words = _lines(img, tr, lines, 40, 40, 50, 24, (110, 108, 112), mono=True)
    a = np.asarray(img).astype(float)
    xx = np.arange(w)[None, :]
    a *= (0.75 + 0.25 * np.cos((xx - w / 2) / w * np.pi))[..., None]
    return _finish(Image.fromarray(a.astype(np.uint8)), tr, words, seed, noise=5.0, shade=0.0)


def notebook_page(seed=0):
    """Blue ink on ruled paper: light blue rules, a red margin line."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 800
    img, tr = Image.new("RGB", (w, h), (250, 250, 245)), Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(img)
    for y in range(60, h, 40):
        d.line([(0, y), (w, y)], fill=(150, 190, 230), width=2)
    d.line([(90, 0), (90, h)], fill=(230, 120, 120), width=2)
    lines = [" ".join(rng.choice(WORDS, 3)) for _ in range(12)]
    words = _lines(img, tr, lines, 110, 30, 40, 30, (30, 40, 120))
    return _finish(img, tr, words, seed)


def shadow_page(seed=0):
    """A hard-edged shadow (a hand, a phone) across a third of the text."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 700
    img, tr = Image.new("RGB", (w, h), (240, 236, 228)), Image.new("L", (w, h), 0)
    lines = [" ".join(rng.choice(WORDS, 4)) for _ in range(10)]
    words = _lines(img, tr, lines, 50, 40, 62, 28, (25, 25, 30))
    yy, xx = np.mgrid[0:h, 0:w]
    sh = Image.fromarray(((xx + 0.6 * yy > 700) * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3))
    a = np.asarray(img).astype(float) * (1 - 0.55 * np.asarray(sh) / 255.0)[..., None] * np.array([1.0, 1.0, 1.08])
    return _finish(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), tr, words, seed, shade=0.0)


def hotspot_page(seed=0):
    """A flash hotspot washing out the middle of the page."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 700
    img, tr = Image.new("RGB", (w, h), (225, 222, 215)), Image.new("L", (w, h), 0)
    lines = [" ".join(rng.choice(WORDS, 4)) for _ in range(10)]
    words = _lines(img, tr, lines, 50, 40, 62, 28, (50, 50, 55))
    yy, xx = np.mgrid[0:h, 0:w]
    spot = np.exp(-((xx - 450) ** 2 + (yy - 300) ** 2) / (2 * 150.0 ** 2))
    a = np.asarray(img).astype(float)
    a = a + (255 - a) * 0.85 * spot[..., None]
    return _finish(Image.fromarray(a.astype(np.uint8)), tr, words, seed, shade=0.0)


def dark_mode_page(seed=0):
    """A dark-mode screenshot: light text on a dark grey page (the truth is
    the text: the result is dark text on white)."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 600
    img, tr = Image.new("RGB", (w, h), (30, 32, 38)), Image.new("L", (w, h), 0)
    lines = [" ".join(rng.choice(WORDS, 4)) for _ in range(8)]
    words = _lines(img, tr, lines, 50, 40, 62, 26, (220, 222, 226))
    return _finish(img, tr, words, seed, noise=2.0, shade=0.0)


def stamp_page(seed=0):
    """A red rubber stamp (ring and word) over printed lines; the stamp is
    ink too, but only the printed words are the text."""
    rng = np.random.default_rng(seed)
    w, h = 1000, 600
    img, tr = Image.new("RGB", (w, h), (244, 240, 230)), Image.new("L", (w, h), 0)
    lines = [" ".join(rng.choice(WORDS, 4)) for _ in range(7)]
    words = _lines(img, tr, lines, 60, 50, 75, 30, (25, 25, 35))
    st = Image.new("L", (w, h), 0)
    ds = ImageDraw.Draw(st)
    ds.ellipse((500, 150, 800, 450), outline=255, width=8)
    ds.text((540, 280), "APPROVED", font=font(44), fill=255)
    m = np.asarray(st)[..., None] / 255.0 * 0.8
    a = np.asarray(img).astype(float) * (1 - m) + np.array([200, 40, 50]) * m
    tr = Image.fromarray(np.maximum(np.asarray(tr), np.asarray(st)))
    return _finish(Image.fromarray(a.astype(np.uint8)), tr, words, seed)


LAYOUTS = {
    "table, dark header": table_page,
    "ID card, guilloche": id_card_page,
    "photo inset": photo_page,
    "thermal receipt": receipt_page,
    "notebook, ruled": notebook_page,
    "hard shadow": shadow_page,
    "flash hotspot": hotspot_page,
    "dark mode": dark_mode_page,
    "red stamp": stamp_page,
}
