"""The size an uploaded image announces, read from its header before anything is decoded.

The service checks its own pixel cap (``--max-pixels``) on this size first,
so an oversized upload is refused with the service's message and the
configured number, whatever Pillow's own guard (``PIL.Image.MAX_IMAGE_PIXELS``)
is set to.  Only the few header bytes are read: nothing is allocated for
the pixels.

:func:`header_size` knows the formats the service accepts: PNG, JPEG, TIFF
(first page, classic and BigTIFF), BMP, GIF, WebP and PNM (P1-P7).  For
anything else, or a header too damaged to read, it returns ``None`` and the
decoder's own checks apply.

>>> import io
>>> from PIL import Image
>>> buf = io.BytesIO()
>>> Image.new("L", (640, 480)).save(buf, "PNG")
>>> header_size(buf.getvalue())
('PNG', 640, 480)
>>> header_size(b"not an image") is None
True
>>> container_kind(b"%PDF-1.7 ..."), container_kind(b"PK\\x03\\x04..."), container_kind(b"GIF89a")
('PDF', 'zip', None)
"""
from __future__ import annotations

import re
import struct

__all__ = ["header_size", "container_kind"]

#: JPEG segments looked at before giving up on finding the frame header
#: (a crafted file of tiny segments must not cost a long loop).
_JPEG_MAX_SEGMENTS = 4096

#: SOF markers (frame headers) that carry the image size: C0-CF except DHT (C4), JPG (C8), DAC (CC).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def container_kind(data: bytes) -> str | None:
    """``"PDF"`` or ``"zip"`` when ``data`` is one of these containers (not a single image), else None."""
    head = bytes(data[:1024])
    if head.startswith(b"%PDF") or b"%PDF-" in head:
        return "PDF"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return None


def header_size(data: bytes) -> tuple[str, int, int] | None:
    """``(format, width, height)`` announced by an image's header, or None when unknown.

    Never raises on malformed input: a header that cannot be read gives None.
    """
    try:
        for reader in (_png, _gif, _bmp, _jpeg, _tiff, _webp, _pnm):
            found = reader(data)
            if found is not None:
                fmt, w, h = found
                return (fmt, int(w), int(h)) if w > 0 and h > 0 else None
    except (struct.error, IndexError, ValueError):
        return None
    return None


def _png(d):
    # signature, then the IHDR chunk: length, "IHDR", width, height (big-endian)
    if d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR":
        return ("PNG",) + struct.unpack(">II", d[16:24])
    return None


def _gif(d):
    if d[:6] in (b"GIF87a", b"GIF89a"):
        return ("GIF",) + struct.unpack("<HH", d[6:10])  # the logical screen
    return None


def _bmp(d):
    if d[:2] != b"BM":
        return None
    (size,) = struct.unpack("<I", d[14:18])
    if size == 12:  # OS/2 BITMAPCOREHEADER: 16-bit unsigned sizes
        return ("BMP",) + struct.unpack("<HH", d[18:22])
    w, h = struct.unpack("<ii", d[18:26])
    return ("BMP", abs(w), abs(h))  # a negative height is a top-down bitmap


def _jpeg(d):
    if d[:3] != b"\xff\xd8\xff":
        return None
    i = 2
    for _ in range(_JPEG_MAX_SEGMENTS):
        while i < len(d) and d[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= len(d):
            return None
        marker = d[i]
        i += 1
        if marker == 0xD8 or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length field
            continue
        if marker == 0xD9:  # end of image before any frame header
            return None
        (length,) = struct.unpack(">H", d[i:i + 2])
        if marker in _JPEG_SOF:
            h, w = struct.unpack(">HH", d[i + 3:i + 7])  # length, precision, height, width
            return ("JPEG", w, h)
        if length < 2:
            return None
        i += length
    return None


_TIFF_TYPES = {3: ("H", 2), 4: ("I", 4), 16: ("Q", 8)}  # SHORT, LONG, LONG8


def _tiff(d):
    if d[:4] in (b"II*\x00", b"MM\x00*"):
        big = False
    elif d[:4] in (b"II+\x00", b"MM\x00+"):
        big = True
    else:
        return None
    e = "<" if d[:2] == b"II" else ">"
    if big:
        (offset,) = struct.unpack(e + "Q", d[8:16])
        (count,) = struct.unpack(e + "Q", d[offset:offset + 8])
        first, entry, value_at = offset + 8, 20, 12
    else:
        (offset,) = struct.unpack(e + "I", d[4:8])
        (count,) = struct.unpack(e + "H", d[offset:offset + 2])
        first, entry, value_at = offset + 2, 12, 8
    found = {}
    for k in range(min(count, 4096)):
        p = first + k * entry
        tag, typ = struct.unpack(e + "HH", d[p:p + 4])
        if tag in (256, 257) and typ in _TIFF_TYPES:
            code, n = _TIFF_TYPES[typ]
            (found[tag],) = struct.unpack(e + code, d[p + value_at:p + value_at + n])
            if len(found) == 2:
                return ("TIFF", found[256], found[257])
    return None


def _webp(d):
    if d[:4] != b"RIFF" or d[8:12] != b"WEBP":
        return None
    chunk = d[12:16]
    if chunk == b"VP8X":  # extended: the canvas, 24-bit width-1 and height-1
        w = int.from_bytes(d[24:27], "little") + 1
        h = int.from_bytes(d[27:30], "little") + 1
        return ("WEBP", w, h)
    if chunk == b"VP8 " and d[23:26] == b"\x9d\x01\x2a":  # lossy: after the frame tag and start code
        w, h = struct.unpack("<HH", d[26:30])
        return ("WEBP", w & 0x3FFF, h & 0x3FFF)
    if chunk == b"VP8L" and d[20] == 0x2F:  # lossless: 14-bit width-1, 14-bit height-1
        (bits,) = struct.unpack("<I", d[21:25])
        return ("WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    return None


_PNM_TOKEN = re.compile(rb"(?:\s|#[^\n\r]*)*(\d+)")


def _pnm(d):
    if len(d) < 3 or d[0:1] != b"P":
        return None
    kind = d[1:2]
    if kind in (b"1", b"2", b"3", b"4", b"5", b"6") and d[2:3].isspace():
        head = bytes(d[2:512])
        m1 = _PNM_TOKEN.match(head)
        m2 = m1 and _PNM_TOKEN.match(head, m1.end())
        if not m2:
            return None
        return ("PNM", int(m1.group(1)), int(m2.group(1)))
    if kind == b"7" and d[2:3].isspace():  # PAM: "WIDTH n" / "HEIGHT n" lines up to ENDHDR
        head = bytes(d[3:4096])
        end = head.find(b"ENDHDR")
        fields = dict(re.findall(rb"^\s*(WIDTH|HEIGHT)\s+(\d+)", head[:end if end >= 0 else None], re.M))
        if b"WIDTH" in fields and b"HEIGHT" in fields:
            return ("PNM", int(fields[b"WIDTH"]), int(fields[b"HEIGHT"]))
    return None
