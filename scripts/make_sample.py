#!/usr/bin/env python3
"""Generate the demo page shipped in the package: ``src/ocrprep/data/sample.png``.

A paragraph about optical character recognition, each sentence in a
different ink colour (near-black, blue, red, green, purple, amber, light
green, grey), printed on a warm sheet of paper and "photographed": uneven
lighting (a broad gradient, vignetting and the photographer's shadow across
one corner), a slight lens blur and sensor noise.  The ground-truth text
goes to ``sample.txt`` beside it.

Deterministic (fixed seed) so the committed files can be regenerated:

    .venv/bin/python scripts/make_sample.py            # writes src/ocrprep/data/
    .venv/bin/python scripts/make_sample.py -o /tmp/x  # somewhere else

Designed so that the automatic binarizer keeps every word while every
fixed threshold visibly loses some, as on Aspose.OCR's live binarization
demo: 50 keeps only the near-black sentences, 100 loses the light inks
(amber, light green, grey: luma 145-165), 150 most of them and the words in
the shadow, 200 turns the shadowed corner (paper below 200) into a black
mass.  Kept small for the wheel: 1200 x 600 pixels, an RGB PNG without
sensor noise, about 410 KiB.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ocrprep" / "data"

#: (sentence, ink colour RGB).  Written for ocrprep.  Lumas (ITU-R 601):
#: near-black 8, blue / red / green / purple 55-86, amber 160, light green
#: 150, grey 104.
SENTENCES = [
    ("Optical character recognition turns pictures of printed or handwritten "
     "pages into text that a computer can search, edit and read aloud.", (8, 8, 12)),
    ("A scanner or a phone camera captures the page, and the software then "
     "finds the lines, words and letters in that image.", (28, 58, 150)),
    ("The result depends on the quality of the picture: shadows, uneven light, "
     "stains and noise all confuse the engine.", (150, 32, 36)),
    ("Coloured ink is harder still.", (215, 160, 20)),
    ("Preprocessing fixes this first.", (8, 8, 12)),
    ("It corrects the skew, removes specks and converts the page to clean "
     "black ink on white paper, a step called binarization.", (22, 104, 48)),
    ("Light green and grey words must survive it too.", (105, 185, 85)),
    ("Good preparation often matters more than the recognition engine itself.", (98, 36, 124)),
    ("A fixed threshold loses some of these words; a good one keeps them all.", (104, 104, 110)),
]

WIDTH, HEIGHT = 1200, 600
MARGIN_X, MARGIN_Y = 60, 50
FONT_SIZE = 25
LINE_SPACING = 1.55
SUPERSAMPLE = 2
SEED = 20240611


def _font(size: int):
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/TTF/DejaVuSerif.ttf",
        "/Library/Fonts/DejaVuSerif.ttf",
    ):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)  # Pillow >= 10.1 bundles a scalable font


def _layout(font, width: int):
    """Greedy word wrap keeping each word's colour: a list of lines of (word,
    colour); the light inks start a line of their own, as a second hand
    would (next to dark words their faint letters are taken for
    bleed-through: ocrprep.auto's relative-contrast rule)."""
    space = font.getlength(" ")
    lines, line, x = [], [], 0.0
    for sentence, colour in SENTENCES:
        if line and sum(colour) > 300:
            lines.append(line)
            line, x = [], 0.0
        for word in sentence.split():
            w = font.getlength(word)
            if line and x + space + w > width:
                lines.append(line)
                line, x = [], 0.0
            if line:
                x += space
            line.append((word, colour, x))
            x += w
    if line:
        lines.append(line)
    return lines


def render_text_layer(rng) -> tuple[np.ndarray, np.ndarray]:
    """Ink colour (H, W, 3) and ink coverage (H, W) in [0, 1], anti-aliased."""
    s = SUPERSAMPLE
    font = _font(FONT_SIZE * s)
    W, H = WIDTH * s, HEIGHT * s
    cover = Image.new("L", (W, H), 0)
    colour = Image.new("RGB", (W, H), (0, 0, 0))
    dc, dk = ImageDraw.Draw(cover), ImageDraw.Draw(colour)
    y = MARGIN_Y * s
    for line in _layout(font, (WIDTH - 2 * MARGIN_X) * s):
        for word, ink, x in line:
            pos = (MARGIN_X * s + x, y)
            dc.text(pos, word, fill=255, font=font)
            dk.text(pos, word, fill=ink, font=font)
        y += int(FONT_SIZE * s * LINE_SPACING)
    # a slightly uneven ink load, like a real print
    cover = cover.resize((WIDTH, HEIGHT), Image.LANCZOS)
    colour = colour.filter(ImageFilter.MaxFilter(3)).resize((WIDTH, HEIGHT), Image.LANCZOS)
    c = np.asarray(cover, np.float64) / 255.0
    c *= 0.88 + 0.12 * rng.random((HEIGHT, WIDTH)) ** 0.5
    return np.asarray(colour, np.float64), np.clip(c, 0, 1)


def illumination() -> np.ndarray:
    """Lighting field in (0, 1]: gradient, vignetting and a soft corner shadow."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    u, v = xx / WIDTH, yy / HEIGHT
    gradient = 1.0 - 0.10 * u - 0.05 * v
    r2 = ((u - 0.45) / 0.85) ** 2 + ((v - 0.40) / 0.80) ** 2
    vignette = 1.0 - 0.22 * r2
    # the photographer's shadow: a soft diagonal band over the lower-right corner
    d = (u + v - 1.35) / 0.08
    shadow = 1.0 - 0.30 / (1.0 + np.exp(-d))
    return gradient * vignette * shadow


def make(out_dir: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(SEED)
    ink, cover = render_text_layer(rng)
    paper = np.array([242.0, 236.0, 222.0])
    # paper fibres: low-frequency blotches
    blotch = Image.fromarray((rng.random((HEIGHT // 40, WIDTH // 40)) * 255).astype(np.uint8))
    blotch = np.asarray(blotch.resize((WIDTH, HEIGHT), Image.BICUBIC), np.float64) / 255.0
    page = paper[None, None, :] * (0.97 + 0.03 * blotch)[..., None]
    page = page * (1 - cover[..., None]) + ink * cover[..., None]
    page *= illumination()[..., None]
    img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    # no sensor noise (it would triple the file) and no palette: a
    # 256-colour palette (170 KiB) dithered the strokes of the light inks
    # into dots, which a binarizer then cuts into pieces - a phone's photo
    # has no such texture
    arr = np.asarray(img)
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "sample.png"
    Image.fromarray(arr).save(png, optimize=True, dpi=(200, 200))
    txt = out_dir / "sample.txt"
    txt.write_text(" ".join(s for s, _ in SENTENCES) + "\n", encoding="utf-8")
    return png, txt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", type=Path, default=OUT, help=f"output directory (default {OUT})")
    args = ap.parse_args(argv)
    png, txt = make(args.out)
    print(f"wrote {png} ({png.stat().st_size // 1024} KiB) and {txt}")


if __name__ == "__main__":
    main()
