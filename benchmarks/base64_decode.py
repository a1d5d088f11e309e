"""Speed of ocrprep.io.decode_base64 against the standard library's decoder.

ocrprep's decoder also repairs what transports do to base64 text ('+' turned
into blanks, percent-encoding, URL-safe alphabet, missing padding, line
breaks) and names any other damage; this measures what those checks cost on
clean text, plain and wrapped at 76 columns (MIME), against
``base64.b64decode(validate=True)`` and ``base64.decodebytes``.

    .venv/bin/python benchmarks/base64_decode.py --megabytes 30 --repeat 5
"""
from __future__ import annotations

import argparse
import base64
import os
import time

from ocrprep.io import decode_base64


def best(fn, arg, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=30, help="size of the decoded payload")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = os.urandom(args.megabytes * 1_000_000)
    plain, wrapped = base64.b64encode(raw), base64.encodebytes(raw)
    mangled = plain.replace(b"+", b" ")
    cap = 1 << 40
    rows = [
        ("plain", lambda d: decode_base64(d, max_bytes=cap), plain, "b64decode(validate=True)",
         lambda d: base64.b64decode(d, validate=True)),
        ("wrapped at 76", lambda d: decode_base64(d, max_bytes=cap), wrapped, "decodebytes", base64.decodebytes),
        ("'+' turned into blanks", lambda d: decode_base64(d, max_bytes=cap), mangled, "(none: stdlib reads garbage)",
         None),
    ]
    print(f"| text ({len(plain) / 1e6:.0f} MB of base64) | ocrprep s | anchor | anchor s | ratio |")
    print("|---|---|---|---|---|")
    for label, ours, data, anchor_name, anchor in rows:
        if label.startswith("'+'"):
            try:
                ours(data)  # (a random payload is no image: the repair is timed up to that check)
            except Exception:
                pass
            t = best(lambda d: _swallow(ours, d), data, args.repeat)
            print(f"| {label} | {t:.3f} | {anchor_name} | - | - |")
            continue
        t = best(ours, data, args.repeat)
        a = best(anchor, data, args.repeat)
        print(f"| {label} | {t:.3f} | {anchor_name} | {a:.3f} | {t / a:.2f} |")


def _swallow(fn, d):
    try:
        fn(d)
    except Exception:
        pass


if __name__ == "__main__":
    main()
