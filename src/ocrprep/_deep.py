"""Deep samples: 16-bit (and 10, 12, 14-bit) pages to the 8 bits the kernels take.

A page of 16-bit samples is scaled from the value that means white in it
(:func:`to_uint8`): the one its file declares (a PNG ``sBIT`` chunk, a TIFF
``MaxSampleValue`` tag), else the 10, 12 or 14-bit container that holds its
samples (medical and scientific scanners and cameras write their data into
16-bit files as it came: divided by 257 such a page is nearly black), else
65535.

Pillow decodes some 16-bit layouts to their high bytes only (RGB, RGBA and
grey+alpha PNG and TIFF pages), which leaves 10 to 14-bit data almost
empty; :func:`low_byte_tiles` and :func:`grey_alpha_16_tiles` give the raw
modes that read the rest, and :func:`deep_rgb` / :func:`deep_grey_alpha`
put the samples together from a second decode.  It also reads the band
planes of uncompressed 16-bit planar TIFF pages as 8-bit samples
(:func:`planar_16_tiles` repairs their raw modes), and turns round only 1 and
8-bit min-is-white pages (:func:`min_is_white` does the deep ones).
:mod:`ocrprep.io` calls these while it decodes a page.
"""
from __future__ import annotations

import os
import re
import struct
import sys

import numpy as np


#: Containers of 10, 12 and 14-bit samples held in 16 bits (medical and scientific scanners, cameras)
CONTAINERS = (1023, 4095, 16383)


def white_level(lo: int, hi: int, full_scale: int | None) -> int | None:
    """The sample value meaning white for integer samples in lo..hi (see :func:`to_uint8`);
    None past 0..65535 (their own range is stretched)."""
    if lo < 0 or hi > 65535:
        return None
    if full_scale is not None and hi <= full_scale:
        return full_scale
    if hi <= 255:
        return 255
    return next((c for c in CONTAINERS if hi <= c), 65535)


def to_uint8(a: np.ndarray, full_scale: int | None = None) -> np.ndarray:
    """16/32-bit integer or float grey levels to 8 bits.

    Integers are scaled from the value that means white:

    * ``full_scale`` when the file declares it (a PNG's ``sBIT``, a TIFF's
      ``MaxSampleValue``; a PGM/PAM ``MAXVAL`` under 65535 is applied by its
      reader: 65535 only names the 16-bit container, as a PNG's bit depth does) and
      the samples keep to it (a PNG writer that followed the specification
      shifted 12-bit samples up to 16 bits: they exceed 4095 and are 16-bit);
    * otherwise from the samples themselves: up to 255 they are 8-bit
      values as they are; up to 1023, 4095 or 16383 they are 10, 12 or
      14-bit data in a 16-bit container (what medical and scientific
      scanners write; divided by 257 such a page would come out nearly
      black) and are scaled from the smallest of these that holds them;
      above 16383 they are 16-bit (divided by 257, rounded).  A page of
      genuine 16-bit data has its paper near 65535, so it is read as before;
    * past 65535 or below 0, their own range is stretched to 0..255.

    Floats in [0, 1] are times 255, in [0, 255] as they are, else stretched.

    Examples
    --------
    >>> import numpy as np
    >>> to_uint8(np.array([0, 2048, 4095], np.uint16))     # 12-bit data: from 4095, not nearly black
    array([  0, 128, 255], dtype=uint8)
    >>> to_uint8(np.array([0, 32768, 65535], np.uint16))   # 16-bit data: from 65535, as before
    array([  0, 128, 255], dtype=uint8)
    >>> to_uint8(np.array([0, 1000], np.uint16), full_scale=4095)   # the file says 12-bit: a dim page
    array([ 0, 62], dtype=uint8)
    """
    a = np.asarray(a)
    if a.size == 0:
        return a.astype(np.uint8)
    if np.issubdtype(a.dtype, np.floating):
        finite = np.isfinite(a)
        if not finite.all():  # NaN and +-inf (a division by zero upstream) take the finite range's ends
            lo_f, hi_f = (float(a[finite].min()), float(a[finite].max())) if finite.any() else (0.0, 0.0)
            a = np.nan_to_num(a, nan=lo_f, posinf=hi_f, neginf=lo_f)
        lo, hi = float(a.min()), float(a.max())
        if lo >= 0 and hi <= 1.0:
            return np.round(a * 255).astype(np.uint8)
        if lo >= 0 and hi <= 255:
            return np.round(a).astype(np.uint8)
        return np.round((a - lo) * (255.0 / max(hi - lo, 1e-12))).astype(np.uint8)
    hi = int(a.max())
    lo = int(a.min())
    white = white_level(lo, hi, full_scale)
    if white == 255:
        return a.astype(np.uint8)
    if white == 65535:
        return ((a.astype(np.uint32) + 128) // 257).astype(np.uint8)
    if white is not None:
        return ((a.astype(np.uint32) * 255 + white // 2) // white).astype(np.uint8)
    return np.round((a.astype(np.float64) - lo) * (255.0 / max(hi - lo, 1))).astype(np.uint8)


def min_is_white(raw: np.ndarray, full_scale: int | None) -> tuple[np.ndarray, int | None]:
    """Deep grey samples stored with 0 as white (TIFF PhotometricInterpretation 0, which Pillow
    turns round only for 1 and 8-bit pages) turned round, and the white level they now have."""
    if not np.issubdtype(raw.dtype, np.integer) or raw.size == 0:
        return raw, full_scale
    white = white_level(int(raw.min()), int(raw.max()), full_scale)
    if white is None:
        return raw, full_scale
    return (white - raw.astype(np.int64)).astype(np.uint32), white


def tiff_min_is_white(im) -> bool:
    """A TIFF page whose PhotometricInterpretation (tag 262) is 0: sample 0 is white."""
    tags = getattr(im, "tag_v2", None)
    try:
        return tags is not None and tags.get(262) == 0
    except Exception:
        return False


def tiff_full_scale(im) -> int | None:
    """A TIFF page's ``MaxSampleValue`` (tag 281) below 65535: 12-bit data says 4095 there."""
    tags = getattr(im, "tag_v2", None)
    if tags is None:
        return None
    try:
        top = tags.get(281)
        top = top[0] if isinstance(top, tuple) and top else top
        return int(top) if isinstance(top, int) and 1 <= top < 65535 else None
    except Exception:  # an unreadable tag: the samples' own range decides
        return None


#: PNG chunks looked at for sBIT before giving up (it comes before PLTE and IDAT, in the first few)
PNG_MAX_CHUNKS = 64


def png_full_scale(fp, start) -> int | None:
    """``2**bits - 1`` from a 16-bit grey PNG's ``sBIT`` chunk (the bits the samples really use), or None.

    Pillow reads past the chunk without keeping it.  Only chunk headers are
    read (at most :data:`PNG_MAX_CHUNKS`), and ``fp`` is put back where it was.
    """
    if start is None:
        return None
    try:
        where = fp.tell()
        try:
            fp.seek(start + 8)
            for _ in range(PNG_MAX_CHUNKS):
                head = fp.read(8)
                if len(head) < 8:
                    return None
                length, kind = struct.unpack(">I4s", head)
                if kind == b"sBIT":
                    bits = fp.read(min(length, 4))[:1]
                    return (1 << bits[0]) - 1 if bits and 1 <= bits[0] <= 16 else None
                if kind in (b"PLTE", b"IDAT", b"IEND"):
                    return None
                fp.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
            return None
        finally:
            fp.seek(where)
    except (OSError, ValueError, struct.error, AttributeError):
        return None


_RGB16 = re.compile(r"(RGBA?|[RGBA]);16([BLN])")


def planar_16_tiles(im) -> None:
    """Give the band tiles of a 16-bit planar TIFF page (PlanarConfiguration 2, decoded by Pillow
    itself) their 16-bit raw modes: Pillow reads each band's samples as 8-bit ones (garbage)."""
    if getattr(im, "_planar_configuration", 1) != 2 or im.mode not in ("RGB", "RGBA"):
        return
    tags = getattr(im, "tag_v2", None)
    bits = tags.get(258) if tags is not None else None
    bits = bits if isinstance(bits, tuple) else (bits,)
    if not bits or any(b != 16 for b in bits):
        return
    order = "B" if getattr(tags, "_endian", "<") == ">" else "L"
    tiles = []
    for tile in im.tile:
        args = tile.args
        if tile.codec_name != "raw" or not isinstance(args, tuple) or args[0] not in ("R", "G", "B", "A"):
            return
        tiles.append(tile._replace(args=(f"{args[0]};16{order}",) + tuple(args[1:])))
    im.tile = tiles


def low_byte_tiles(im):
    """For a 16-bit RGB(A) image (which Pillow decodes to its high bytes): its tiles with the raw mode
    that takes the low bytes instead (the same samples read in the other byte order), else None."""
    if im.mode not in ("RGB", "RGBA") or not getattr(im, "tile", None):  # (an image made in memory has no tiles)
        return None
    tiles = []
    for tile in im.tile:
        args = tile.args
        raw = args if isinstance(args, str) else (args[0] if isinstance(args, tuple) and args else None)
        found = _RGB16.fullmatch(raw) if isinstance(raw, str) else None
        if found is None or (found.group(1) != im.mode and found.group(1) not in im.mode):
            return None
        order = found.group(2)
        if order == "N":
            order = "L" if sys.byteorder == "little" else "B"
        low = found.group(1) + ";16" + ("L" if order == "B" else "B")
        tiles.append(tile._replace(args=low if isinstance(args, str) else (low,) + tuple(args[1:])))
    return tiles


def deep_rgb(im, reopen, low_tiles, full_scale):
    """A 16-bit RGB(A) page whose high bytes are all under 64 (10, 12 or 14-bit data): decoded again
    for its low bytes, and the whole samples scaled to 8 bits by :func:`to_uint8`."""
    from PIL import Image

    twin = reopen()
    if twin.size != im.size or twin.mode != im.mode or len(twin.tile) != len(low_tiles):
        return im
    twin.tile = low_tiles
    twin.load()
    deep = (np.asarray(im).astype(np.uint16) << 8) | np.asarray(twin)
    out = Image.fromarray(to_uint8(deep, full_scale))
    out.info = dict(im.info)  # (its EXIF orientation)
    exif = im.getexif()
    if exif:
        out.info["exif"] = exif.tobytes()
    return out


def grey_alpha_16_tiles(im):
    """For a 16-bit grey+alpha PNG (Pillow: mode RGBA from the high bytes, raw mode LA;16B): its
    tiles read as four 8-bit bands instead (grey high, grey low, alpha high, alpha low), else None."""
    tiles = getattr(im, "tile", None)
    if im.mode != "RGBA" or not tiles or any(t.args != "LA;16B" or t.codec_name != "zip" for t in tiles):
        return None
    return [t._replace(args="RGBA") for t in tiles]


def deep_grey_alpha(im, reopen, byte_tiles, full_scale):
    """A 16-bit grey+alpha PNG page whose high bytes are all under 64: decoded again whole, scaled
    to 8 bits by :func:`to_uint8` (grey and alpha together), as an LA image."""
    from PIL import Image

    twin = reopen()
    if twin.size != im.size or len(twin.tile) != len(byte_tiles):
        return im
    twin.tile = byte_tiles
    twin.load()
    b = np.asarray(twin).astype(np.uint16)
    deep = np.dstack([(b[..., 0] << 8) | b[..., 1], (b[..., 2] << 8) | b[..., 3]])
    out = Image.fromarray(to_uint8(deep, full_scale))
    out.info = dict(im.info)
    return out
