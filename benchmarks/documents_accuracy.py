"""Success rates of the document recognisers on generated documents (BENCHMARKS.md, ## documents).

* MRZ (``ocrprep.documents.read_mrz``): N random passports (TD3) and N random
  ID cards (TD1) -- random names, numbers, dates, countries, optional data --
  each upright, turned 90 and 180 degrees, photographed at 3 degrees with
  Gaussian noise (sigma 12, blur, uneven light) and photographed at -3
  degrees and turned 270.  A reading counts as right when every MRZ line is
  exactly the drawn one (so every field is right) and every check digit
  verifies; "valid but wrong" counts readings whose check digits all verify
  although a field is wrong (only possible in names, which carry no check
  digit, or by a chance combination of errors).
* Car plates (``recognize_car_plate``): N street scenes, plate read exactly.
* Receipts, invoices, block capitals, street photos: a few pages each, line or
  word recall.

    PYTHONPATH=src .venv/bin/python benchmarks/documents_accuracy.py [N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import docgen  # noqa: E402

from ocrprep import OcrEngine  # noqa: E402
from ocrprep.documents import read_mrz  # noqa: E402


def mrz_rates(api, n: int, kind: str) -> None:
    stats: dict[str, list] = {}
    for seed in range(n):
        rng = np.random.default_rng(100 + seed)
        ident = docgen.random_identity(rng, "P" if kind == "TD3" else "ID")
        page = docgen.passport_page(ident, rng) if kind == "TD3" else docgen.id_card(ident, rng)
        want = docgen.td3_lines(ident) if kind == "TD3" else docgen.td1_lines(ident)
        variants = {
            "upright": page,
            "turned 90": np.rot90(page),
            "turned 180": np.rot90(page, 2),
            "photo 3 deg + noise": docgen.photograph(page, rng, angle=3.0),
            "photo -3 deg, turned 270": np.rot90(docgen.photograph(page, rng, angle=-3.0), 3),
        }
        for name, img in variants.items():
            t = time.perf_counter()
            r = read_mrz(np.ascontiguousarray(img), engine=api)
            dt = time.perf_counter() - t
            right = r.valid and r.mrz.lines == want
            s = stats.setdefault(name, [0, 0, 0, 0.0])
            s[0] += right
            s[1] += 1
            s[2] += bool(r.valid and not right)
            s[3] += dt
    print(f"\n{kind} ({n} documents)")
    print("| variant | right | valid but wrong | s / page |")
    print("|---|---|---|---|")
    total = [0, 0, 0]
    for name, (ok, count, wrong, secs) in stats.items():
        print(f"| {name} | {ok}/{count} | {wrong} | {secs / count:.2f} |")
        total[0] += ok
        total[1] += count
        total[2] += wrong
    print(f"| all | {total[0]}/{total[1]} ({100 * total[0] / total[1]:.0f} %) | {total[2]} | |")


def plates(api, n: int) -> None:
    right, secs = 0, 0.0
    for seed in range(n):
        rng = np.random.default_rng(200 + seed)
        plate = docgen.random_plate(rng)
        img = docgen.car_scene(plate, rng)
        t = time.perf_counter()
        r = api.recognize_car_plate(img)[0]
        secs += time.perf_counter() - t
        right += r.fields["plates"] == [plate]
    print(f"\ncar plates: {right}/{n} read exactly, {secs / n:.2f} s / photo")


def pages(api) -> None:
    line_hits = line_total = 0
    for seed in range(5):
        img, lines = docgen.receipt(np.random.default_rng(seed))
        got = api.recognize_receipt(img)[0].recognition_text.splitlines()
        line_hits += sum(" ".join(x.split()) in got for x in lines)
        line_total += len(lines)
    print(f"receipts (5): {line_hits}/{line_total} lines exactly right (item and price on one line)")
    hits = total = 0
    for seed in range(3):
        img, words = docgen.invoice(np.random.default_rng(seed))
        found = api.recognize_invoice(img)[0].recognition_text.split()
        hits += sum(w in found for w in words)
        total += len(words)
    print(f"invoices (3): word recall {hits / total:.3f}")
    lines = ["WE START WITH GOOD", "BECAUSE ALL SHOPS", "SHOULD DO GOOD"]
    words = " ".join(lines).split()
    hits = total = 0
    for seed in range(5):
        found = api.recognize_handwritten_text(docgen.block_capitals(lines, np.random.default_rng(seed)))[0]
        hits += sum(w in found.recognition_text.split() for w in words)
        total += len(words)
    print(f"imitated block capitals (5): word recall {hits / total:.3f}")
    hits = total = 0
    for seed in range(5):
        img, words = docgen.street_scene(np.random.default_rng(seed))
        found = api.recognize_street_photo(img)[0].recognition_text.split()
        hits += sum(w in found for w in words)
        total += len(words)
    print(f"street scenes (5): sign word recall {hits / total:.3f}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    api = OcrEngine()
    mrz_rates(api, n, "TD3")
    mrz_rates(api, n, "TD1")
    plates(api, n)
    pages(api)


if __name__ == "__main__":
    main()
