"""A TrueType font whose glyphs draw nothing, for the invisible text layer of searchable PDFs.

The text layer only has to be found, selected and copied; nothing of it is
drawn (text rendering mode 3), but PDF readers still want a font program for
a CID font.  This one is written from the OpenType specification's table
layouts: two empty glyphs (``.notdef`` and the one every character maps to
through the PDF's ``CIDToGIDMap``), each 500/1000 em wide, ascent 800,
descent -200.  About 400 bytes; built once per process.
"""
from __future__ import annotations

import functools
import struct

UNITS_PER_EM = 1000
ADVANCE = 500
ASCENT = 800
DESCENT = -200
FONT_NAME = "OcrprepGlyphless"


def _checksum(data: bytes) -> int:
    data = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _name_table() -> bytes:
    records = [(1, "OcrprepGlyphless"), (2, "Regular"), (4, "OcrprepGlyphless"), (6, FONT_NAME)]
    strings, entries, offset = b"", b"", 0
    for name_id, text in records:
        raw = text.encode("utf-16-be")
        # platform 3 (Windows), encoding 1 (Unicode BMP), language 0x409 (en-US)
        entries += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(raw), offset)
        strings += raw
        offset += len(raw)
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return header + entries + strings


def _cmap_table() -> bytes:
    # format 4 with only the mandatory closing segment: no character maps to a glyph by itself
    # (the PDF maps every character code to glyph 1 through its CIDToGIDMap)
    sub = struct.pack(">HHHHHHHHHHHH", 4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0)
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


@functools.lru_cache(maxsize=1)
def font_bytes() -> bytes:
    """The font file (a TrueType ``sfnt``), for a PDF ``FontFile2`` stream."""
    num_glyphs = 2
    tables = {
        "cmap": _cmap_table(),
        "glyf": b"",  # both glyphs are empty: their loca entries have zero length
        "head": None,  # below: its checksum adjustment covers the whole font
        "hhea": struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, ASCENT, DESCENT, 0, ADVANCE, 0, 0, 0,
                            1, 0, 0, 0, 0, 0, 0, 0, num_glyphs),
        "hmtx": struct.pack(">HhHh", ADVANCE, 0, ADVANCE, 0),
        "loca": struct.pack(">HHH", 0, 0, 0),
        "maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, num_glyphs, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "name": _name_table(),
        # version 3: no glyph names; isFixedPitch = 1
        "post": struct.pack(">IiHhIIIII", 0x00030000, 0, 0xFF9C, 50, 1, 0, 0, 0, 0),
    }

    def head(adjustment: int) -> bytes:
        return struct.pack(
            ">IIIIHHqqhhhhHHhhh",
            0x00010000, 0x00010000, adjustment, 0x5F0F3CF5,
            0b1011,  # baseline at y=0, left sidebearing at x=0, integer scaling
            UNITS_PER_EM, 0, 0, 0, DESCENT, ADVANCE, ASCENT,
            0, 8, 2, 0, 0,  # macStyle, lowestRecPPEM, fontDirectionHint, short loca, glyph format
        )

    tables["head"] = head(0)

    def assemble(sums: dict) -> bytes:
        tags = sorted(tables)
        n = len(tags)
        power = 1 << (n.bit_length() - 1)
        directory = struct.pack(">IHHHH", 0x00010000, n, power * 16, power.bit_length() - 1, n * 16 - power * 16)
        offset = 12 + 16 * n
        records, body = b"", b""
        for tag in tags:
            data = tables[tag]
            records += struct.pack(">4sIII", tag.encode("ascii"), sums[tag], offset, len(data))
            padded = data + b"\0" * (-len(data) % 4)
            body += padded
            offset += len(padded)
        return directory + records + body

    # the directory holds the head table's checksum taken with a zero adjustment (the spec's rule)
    sums = {tag: _checksum(data) for tag, data in tables.items()}
    font = assemble(sums)
    tables["head"] = head((0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF)
    return assemble(sums)
