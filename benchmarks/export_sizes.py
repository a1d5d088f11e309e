"""Document sizes and writing times of ocrprep.export, and spell-checking speed (figures in
BENCHMARKS.md, ## export).

Pages: the A4 300-dpi synthetic page of ``ocrprep.bench`` (2480x3508, grey text on an
unevenly lit page), and a dense A4 page (DejaVu Serif 11 pt, 64 full lines); each recognised
once binarized (the searchable PDF then embeds a 1-bit CCITT G4 image) and once as grey (JPEG).

    .venv/bin/python benchmarks/export_sizes.py          # everything (about 1 minute)
    .venv/bin/python benchmarks/export_sizes.py spell    # spell checking only
"""
from __future__ import annotations

import time

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocrprep import OcrEngine, RecognitionSettings
from ocrprep._testimages import a4_page
from ocrprep.export import PdfOptimizationMode, SaveFormat, to_bytes
from ocrprep.spellcheck import SpellChecker

WORDS = ("optical character recognition converts images of typed handwritten or printed text into "
         "machine encoded text from a scanned document photo scene subtitle text superimposed on an image").split()


def dense_page(seed: int = 3) -> np.ndarray:
    """A4 at 300 dpi filled with 11-pt text: 64 lines of about 95 characters."""
    rng = np.random.default_rng(seed)
    img = Image.new("L", (2480, 3508), 250)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 46)
    for k in range(64):
        line, words = "", list(rng.choice(WORDS, 40))
        while words and draw.textlength(line + " " + words[0], font=font) < 2180:
            line = (line + " " + words.pop(0)).strip()
        draw.text((150, 150 + 50 * k), line, fill=20, font=font)
    return np.asarray(img).copy()


def main() -> None:
    engine = OcrEngine()
    for name, page in (("synthetic A4 (ocrprep.bench)", a4_page()), ("dense A4, 64 lines", dense_page())):
        for binarized in (True, False):
            t = time.perf_counter()
            result = engine.recognize(page.copy(), RecognitionSettings(make_binarization=binarized, dpi=300))[0]
            ocr_s = time.perf_counter() - t
            kind = "binarized" if binarized else "grey"
            print(f"\n{name}, {kind}: {len(result.words)} words, recognised in {ocr_s:.1f} s")
            for fmt in SaveFormat:
                best = float("inf")
                for _ in range(3):
                    t = time.perf_counter()
                    data = to_bytes([result], fmt)
                    best = min(best, time.perf_counter() - t)
                print(f"  {fmt.name:<11} {len(data) / 1024:9.1f} KB  {best * 1000:7.1f} ms")
            if not binarized:
                for mode in PdfOptimizationMode:
                    t = time.perf_counter()
                    data = to_bytes([result], SaveFormat.PDF, optimize_pdf=mode)
                    took = time.perf_counter() - t
                    print(f"  PDF {mode.name:<15} {len(data) / 1024:9.1f} KB  {took * 1000:7.1f} ms")
    spell_check(result.recognition_text)


def spell_check(text: str) -> None:
    """English spell check of a recognised page, as read and with one word in ten misspelled."""
    rng = np.random.default_rng(5)
    words = text.split()
    for i in range(0, len(words), 10):  # one substituted letter, as OCR misreads
        w = words[i]
        if len(w) > 3:
            k = int(rng.integers(1, len(w) - 1))
            words[i] = w[:k] + ("x" if w[k] != "x" else "q") + w[k + 1:]
    t = time.perf_counter()
    checker = SpellChecker("eng")
    print(f"\nspell check (English): dictionary loaded in {time.perf_counter() - t:.2f} s")
    for name, page in (("as recognised", text), ("1 word in 10 misspelled", " ".join(words))):
        checker = SpellChecker("eng")  # a new checker: no suggestions remembered from the run before
        t = time.perf_counter()
        errors = checker.errors(page)
        checker.correct(page)
        took = time.perf_counter() - t
        print(f"  {name}: {len(page.split())} words, {len(errors)} misspelled, checked and corrected in "
              f"{took * 1000:.0f} ms ({len(page.split()) / took:,.0f} words/s)")

if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["spell"]:
        spell_check(" ".join(" ".join(WORDS) for _ in range(20)))
    else:
        main()
