"""Counting the scans of a JPEG from its markers, before anything is decoded.

A progressive JPEG codes its image in several *scans* (libjpeg's standard
script: 10 for a colour image, 6 for a grey one), and the decoder re-reads
every coefficient of the image for each of them.  Nothing in the format
bounds their number: 5000 repeated scans in an 836 KB file of 64 megapixels
keep libjpeg busy for 38 s.  :func:`scan_count` walks the marker segments
(skipping each segment by its length and each scan's entropy-coded data up to
the next marker) and stops as soon as the count passes the limit, so a
refused file costs one pass over its bytes at C speed (``re``).
"""
from __future__ import annotations

import re

# A marker in entropy-coded data: 0xFF followed by anything but a stuffed 0x00, a restart marker
# (RST0-7, which do not end a scan) or another 0xFF (fill bytes before a marker).
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SOS, _EOI, _SOI = 0xDA, 0xD9, 0xD8
_STANDALONE = frozenset([0x01, *range(0xD0, 0xD8)])  # TEM, RSTn: no length field


def scan_count(buf, limit: int | None = None) -> int:
    """Number of scans (SOS markers) of the first image of JPEG data ``buf`` (bytes-like, mmap).

    Counts until the end of the first image (EOI) or of the data; with
    ``limit``, stops at ``limit + 1``.  Segment payloads are skipped by their
    length, so the scans of an EXIF thumbnail are not counted.  Damaged
    marker structure ends the count early (the decoder reports the damage).
    """
    n = len(buf)
    if n < 4 or buf[0] != 0xFF or buf[1] != _SOI:
        return 0
    pos, scans = 2, 0
    while pos + 1 < n:
        if buf[pos] != 0xFF:
            return scans  # not a marker where one must be: damaged
        while pos + 1 < n and buf[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 1 >= n:
            break
        marker = buf[pos + 1]
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            pos += 2
            continue
        if pos + 3 >= n:
            break
        length = (buf[pos + 2] << 8) | buf[pos + 3]
        if length < 2:
            return scans
        pos += 2 + length
        if marker == _SOS:
            scans += 1
            if limit is not None and scans > limit:
                return scans
            found = _MARKER.search(buf, pos)
            if found is None:
                break
            pos = found.start()
    return scans
