"""Reproducible test images shared by the test modules (import: ``from imagegen import ...``)."""
from __future__ import annotations

import numpy as np

#: Shapes every kernel is checked on: degenerate, thin, odd, and page-like.
SHAPES = [(1, 1), (1, 2), (2, 1), (1, 37), (37, 1), (3, 3), (5, 7), (16, 16), (31, 64), (127, 93), (240, 321)]

def random_image(rng, shape, kind="uniform"):
    """Random uint8 image: ``uniform`` noise, ``smooth`` gradients + noise, or ``doc`` (dark strokes on light)."""
    h, w = shape
    if kind == "uniform":
        return rng.integers(0, 256, shape, dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    base = 128 + 60 * np.sin(xx / 7.0) * np.cos(yy / 11.0)
    if kind == "smooth":
        return np.clip(base + rng.normal(0, 12, shape), 0, 255).astype(np.uint8)
    if kind == "doc":
        page = np.clip(200 + 20 * np.sin(xx / 50.0) + rng.normal(0, 6, shape), 0, 255)
        strokes = rng.random(shape) < 0.02
        page[strokes] = rng.integers(10, 80, strokes.sum())
        return page.astype(np.uint8)
    raise ValueError(kind)


# --------------------------------------------------------------------------- #
# rendered pages of known text (the recognition and Aspose-compatibility tests)
# --------------------------------------------------------------------------- #
FONTS = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "condensed": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
}

#: Plain English paragraphs (common words, no names) for pages of known text.
PARAGRAPHS = [
    "The small garden behind the old house was full of flowers every summer. "
    "Children played near the stone wall while their parents talked about the weather.",
    "A quiet river runs through the valley and turns the wheel of a wooden mill. "
    "Farmers bring their grain in the morning and leave with bags of fresh flour.",
    "Reading a good book on a rainy afternoon is one of the simple pleasures of life. "
    "The pages turn slowly and the story carries the reader far away from home.",
]

#: Words for table cells.
CELL_WORDS = ("apple river stone cloud green paper table window garden silver orange market "
              "yellow bridge castle forest winter summer letter number copper basket").split()


def font(kind: str = "serif", size: int = 28):
    """A DejaVu TrueType font (Pillow's built-in font when DejaVu is not installed)."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONTS[kind], size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(text: str, fnt, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if fnt.getlength(trial) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def document_page(paragraphs=PARAGRAPHS, *, kind: str = "serif", size: int = 30, width: int = 1500,
                  margin: int = 90, ink: int = 20, paper: int = 250) -> tuple[np.ndarray, str]:
    """A clean page of wrapped paragraphs: (grey image, its text)."""
    from PIL import Image, ImageDraw

    fnt = font(kind, size)
    lines = []
    for p in paragraphs:
        lines += _wrap(p, fnt, width - 2 * margin) + [""]
    step = int(size * 1.5)
    im = Image.new("L", (width, 2 * margin + step * len(lines)), paper)
    draw = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * step), line, fill=ink, font=fnt)
    return np.asarray(im).copy(), "\n".join(paragraphs)


def text_line(text: str, *, kind: str = "sans", size: int = 36, pad: int = 16) -> np.ndarray:
    """One line of text, tightly framed."""
    from PIL import Image, ImageDraw

    fnt = font(kind, size)
    w = int(fnt.getlength(text)) + 2 * pad
    im = Image.new("L", (w, int(size * 1.4) + 2 * pad), 255)
    ImageDraw.Draw(im).text((pad, pad), text, fill=0, font=fnt)
    return np.asarray(im).copy()


def ruled_table(rng, rows: int = 6, cols: int = 4, *, kind: str = "sans", size: int = 24, border: int = 3,
                title: str | None = None) -> tuple[np.ndarray, list[list[str]]]:
    """A ruled table of one- or two-word cells: (grey image, the cells row by row)."""
    from PIL import Image, ImageDraw

    fnt = font(kind, size)
    cells = [[" ".join(rng.choice(CELL_WORDS, int(rng.integers(1, 3)))) for _ in range(cols)] for _ in range(rows)]
    widths = [max(int(fnt.getlength(cells[r][c])) for r in range(rows)) + 2 * size for c in range(cols)]
    rh = int(size * 2.2)
    top = 60 + (int(size * 3) if title else 0)
    x0 = 50
    xs = [x0] + [x0 + int(v) for v in np.cumsum(widths)]
    ys = [top + rh * i for i in range(rows + 1)]
    im = Image.new("L", (xs[-1] + 50, ys[-1] + 60), 255)
    draw = ImageDraw.Draw(im)
    if title:
        draw.text((x0, 40), title, fill=0, font=fnt)
    for x in xs:
        draw.line([(x, top), (x, ys[-1])], fill=0, width=border)
    for y in ys:
        draw.line([(x0, y), (xs[-1], y)], fill=0, width=border)
    for r in range(rows):
        for c in range(cols):
            draw.text((xs[c] + size, ys[r] + (rh - size) // 2), cells[r][c], fill=0, font=fnt)
    return np.asarray(im).copy(), cells


def ruled_table_with_header(rng, zebra=False):
    """A ruled table whose header row is printed white on dark blue (RGB), optionally with
    light-blue shading on every other body row: (image, cells)."""
    from PIL import Image, ImageDraw

    size, rows, cols = 24, 6, 4
    fnt = font("sans", size)
    cells = [[" ".join(rng.choice(CELL_WORDS, int(rng.integers(1, 3)))) for _ in range(cols)]
             for _ in range(rows)]
    widths = [max(int(fnt.getlength(cells[r][c])) for r in range(rows)) + 2 * size for c in range(cols)]
    rh, x0, top = 2 * size, 40, 40
    xs = [x0] + [x0 + int(v) for v in np.cumsum(widths)]
    ys = [top + rh * i for i in range(rows + 1)]
    im = Image.new("RGB", (xs[-1] + 40, ys[-1] + 40), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((x0, ys[0], xs[-1], ys[1]), fill=(30, 60, 120))
    for r in range(2, rows, 2) if zebra else ():
        d.rectangle((x0, ys[r], xs[-1], ys[r + 1]), fill=(225, 235, 245))
    for x in xs:
        d.line([(x, top), (x, ys[-1])], fill=(0, 0, 0), width=2)
    for y in ys:
        d.line([(x0, y), (xs[-1], y)], fill=(0, 0, 0), width=2)
    for r in range(rows):
        for c in range(cols):
            d.text((xs[c] + size, ys[r] + (rh - size) // 2), cells[r][c], font=fnt,
                   fill=(255, 255, 255) if r == 0 else (0, 0, 0))
    return np.asarray(im), cells


def rotated(img: np.ndarray, angle: float) -> np.ndarray:
    """``img`` turned ``angle`` degrees counter-clockwise by Pillow (bicubic, white corners, canvas grown)."""
    from PIL import Image

    return np.asarray(Image.fromarray(img).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)).copy()


def curled(img: np.ndarray, amp: float = 30.0) -> np.ndarray:
    """``img`` with its rows bent into parabolas, deeper towards the bottom, like a page curling near a spine."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    shift = amp * (0.4 + yy / h) * ((xx - 0.25 * w) / w) ** 2 * 3
    src = np.clip(yy - shift, 0, h - 1)
    r0 = np.floor(src).astype(int)
    r1 = np.minimum(r0 + 1, h - 1)
    frac = src - r0
    cols = xx.astype(int)
    return np.clip(np.rint(img[r0, cols] * (1 - frac) + img[r1, cols] * frac), 0, 255).astype(np.uint8)
