"""Netpbm PAM (``P7``) images, which Pillow does not read.

PAM is the Netpbm format with a header of named fields (``WIDTH``,
``HEIGHT``, ``DEPTH``, ``MAXVAL``, ``TUPLTYPE``, ending in ``ENDHDR``) and
raw samples after it: one byte each when ``MAXVAL`` < 256, two (big-endian)
otherwise.  Netpbm tools (``pnmtopam``), OpenCV (``cv2.imwrite("x.pam")``)
and scanner back ends write it.

The reader is small and bounded:

* the header may hold at most :data:`HEADER_MAX` bytes; every field is
  checked (numbers in range, the tuple type agreeing with the depth);
* the pixel count is checked against the caller's limit before anything
  is allocated, and exactly ``WIDTH x HEIGHT x DEPTH`` samples are read:
  a forged header asking for gigabytes is refused, a short file is
  "truncated" (how many bytes came of how many), never padded;
* samples above ``MAXVAL`` are refused rather than wrapped.

Samples are scaled from ``MAXVAL`` to 8 bits (``MAXVAL`` is the file's own
statement of its range: a 12-bit scan saved with ``MAXVAL 4095`` reads as
bright as its 8-bit copy); ``MAXVAL 65535`` only says "16-bit samples", and
cameras write their 12-bit data under it as it came, so those samples are
scaled as any 16-bit page is (:func:`ocrprep._deep.to_uint8`: from the
10, 12 or 14-bit container that holds them, else from 65535).  The result is a Pillow image (``L``,
``LA``, ``RGB``, ``RGBA`` or ``CMYK``) that the rest of :mod:`ocrprep.io`
treats as any decoded file: alpha laid on white paper, ``mode="gray"``...

``BLACKANDWHITE`` samples are 1 for white and 0 for black (unlike PBM,
where 1 is ink), as the PAM specification says.
"""
from __future__ import annotations

import re

import numpy as np

from .errors import ImageDecodeError, UnsupportedFormatError

#: The longest PAM header read (comments included); real headers are under 100 bytes.
HEADER_MAX = 4096

#: tuple type -> (depth, Pillow mode); "_ALPHA" types carry opacity last (0 transparent)
_TUPLE_TYPES = {
    "BLACKANDWHITE": (1, "L"),
    "GRAYSCALE": (1, "L"),
    "BLACKANDWHITE_ALPHA": (2, "LA"),
    "GRAYSCALE_ALPHA": (2, "LA"),
    "RGB": (3, "RGB"),
    "RGB_ALPHA": (4, "RGBA"),
    "CMYK": (4, "CMYK"),
}

#: a file without TUPLTYPE (OpenCV writes none): the meaning of its depth
_BY_DEPTH = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}

_FIELD = re.compile(rb"[ \t]*([A-Za-z]+)(?:[ \t]+([^\r\n]*?))?[ \t]*\r?$")


def is_pam(head: bytes) -> bool:
    """The file starts as a PAM image (``P7`` and a line break; ``P7 332`` is an XV thumbnail)."""
    return head[:2] == b"P7" and head[2:3] in (b"\n", b"\r")


def _header(fp, name: str) -> dict:
    """The header's fields, read line by line up to ENDHDR (at most :data:`HEADER_MAX` bytes)."""
    magic = fp.read(3)
    if magic[:2] != b"P7":
        raise ImageDecodeError(f"{name}: not a PAM image (no P7 magic number)")
    if magic[2:3] == b"\r":
        if fp.read(1) != b"\n":
            raise ImageDecodeError(f"{name}: corrupt PAM header (P7 not followed by a line break)")
    used = len(magic)
    fields: dict[str, str] = {}
    while True:
        line = fp.readline(HEADER_MAX - used + 1)
        used += len(line)
        if used > HEADER_MAX or not line.endswith(b"\n"):
            if not line.endswith(b"\n") and used <= HEADER_MAX:
                raise ImageDecodeError(f"{name}: truncated PAM header (the file ends before ENDHDR)")
            raise ImageDecodeError(f"{name}: corrupt PAM header (no ENDHDR in its first {HEADER_MAX} bytes)")
        stripped = line.strip()
        if not stripped or stripped.startswith(b"#"):
            continue
        m = _FIELD.match(line.rstrip(b"\n"))
        if m is None:
            raise ImageDecodeError(f"{name}: corrupt PAM header (unreadable line {stripped[:40]!r})")
        key = m.group(1).decode("ascii").upper()
        value = (m.group(2) or b"").decode("latin-1")
        if key == "ENDHDR":
            return fields
        if key == "TUPLTYPE":  # may be given on several lines: the parts join with a space
            fields[key] = (fields[key] + " " + value) if key in fields else value
        elif key in ("WIDTH", "HEIGHT", "DEPTH", "MAXVAL"):
            if key in fields:
                raise ImageDecodeError(f"{name}: corrupt PAM header ({key} given twice)")
            fields[key] = value
        else:
            raise ImageDecodeError(f"{name}: corrupt PAM header (unknown field {key[:20]!r})")


def _number(fields: dict, key: str, name: str, low: int, high: int) -> int:
    if key not in fields:
        raise ImageDecodeError(f"{name}: corrupt PAM header ({key} is missing)")
    text = fields[key]
    if not re.fullmatch(r"\d{1,10}", text):
        raise ImageDecodeError(f"{name}: corrupt PAM header ({key} {text[:20]!r} is not a number)")
    value = int(text)
    if not low <= value <= high:
        raise ImageDecodeError(f"{name}: corrupt PAM header ({key} {value} is outside {low}..{high})")
    return value


#: Bytes read at a time, so a header announcing more than the file holds costs no more than the file
_CHUNK = 1 << 24


def _read_exactly(fp, nbytes: int, name: str) -> bytes:
    """``nbytes`` from ``fp``, or a "truncated" error saying how many came; never a buffer of the announced size first."""
    try:
        here = fp.tell()
        left = fp.seek(0, 2) - here
        fp.seek(here)
    except (OSError, AttributeError, ValueError):
        left = None
    if left is not None and left < nbytes:
        raise ImageDecodeError(f"{name}: truncated PAM data ({left:,} of {nbytes:,} bytes of pixels)")
    parts, got = [], 0
    while got < nbytes:
        part = fp.read(min(_CHUNK, nbytes - got))
        if not part:
            raise ImageDecodeError(f"{name}: truncated PAM data ({got:,} of {nbytes:,} bytes of pixels)")
        parts.append(part)
        got += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_pam(fp, name: str, check_pixels):
    """Decode the PAM image at ``fp``'s position into a Pillow image (8-bit samples).

    ``check_pixels(width, height)`` is called once the header is read and
    before any pixel memory is allocated (the caller's decompression-bomb
    guard); it raises to refuse the image.
    """
    from PIL import Image

    fields = _header(fp, name)
    width = _number(fields, "WIDTH", name, 1, 1 << 31)
    height = _number(fields, "HEIGHT", name, 1, 1 << 31)
    depth = _number(fields, "DEPTH", name, 1, 1 << 16)
    maxval = _number(fields, "MAXVAL", name, 1, 65535)
    tupltype = fields.get("TUPLTYPE", "").strip().upper()
    if tupltype:
        if tupltype not in _TUPLE_TYPES:
            raise UnsupportedFormatError(
                f"{name}: PAM tuple type {tupltype[:40]!r} is not an image ocrprep reads "
                f"(it reads {', '.join(_TUPLE_TYPES)})"
            )
        want, mode = _TUPLE_TYPES[tupltype]
        if depth != want:
            raise ImageDecodeError(f"{name}: corrupt PAM header (TUPLTYPE {tupltype} has depth {want}, DEPTH says {depth})")
        if tupltype.startswith("BLACKANDWHITE") and maxval != 1:
            raise ImageDecodeError(f"{name}: corrupt PAM header (TUPLTYPE {tupltype} needs MAXVAL 1, got {maxval})")
    elif depth in _BY_DEPTH:
        mode = _BY_DEPTH[depth]
    else:
        raise UnsupportedFormatError(f"{name}: a PAM image of depth {depth} without a tuple type is not an image "
                                     "ocrprep reads (depth 1 to 4: grey, grey+alpha, RGB, RGBA)")
    check_pixels(width, height)
    wide = maxval > 255
    nbytes = width * height * depth * (2 if wide else 1)
    data = _read_exactly(fp, nbytes, name)
    samples = np.frombuffer(data, ">u2" if wide else np.uint8)
    top = int(samples.max())
    if top > maxval:
        raise ImageDecodeError(f"{name}: corrupt PAM data (a sample of {top} above MAXVAL {maxval})")
    if maxval == 65535:  # the 16-bit container: 12-bit camera data written as it came reads as bright as 8-bit
        from ._deep import to_uint8

        samples = to_uint8(samples)
    elif maxval != 255:  # the file's own range to 8 bits, rounded
        samples = ((samples.astype(np.uint32) * 255 + maxval // 2) // maxval).astype(np.uint8)
    return Image.frombytes(mode, (width, height), samples.tobytes())
