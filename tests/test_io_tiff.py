"""Multi-page TIFF: random access to any page against Pillow's own seek, and linear cost.

Pillow walks the chain of page directories from page 1 with a list lookup per
step, so each reader of page k paid O(k^2) (issue 10: ``imread(page=1)`` on a
40 000-page TIFF took 17.8 s and a batch over a 2000-page file did 935 pages
in 580 s).  ocrprep walks the chain once (ocrprep._tiff) and keeps it for the
file; these tests count directory reads and file reads, never time.
"""
import io
import os
import struct

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.io as oio
from ocrprep import _tiff
from ocrprep.errors import ImageDecodeError, InvalidParameterError


def page_image(k: int) -> Image.Image:
    """Page k: grey, colour or bilevel, of varying size, with its number drawn in it."""
    h, w = 20 + (k % 5) * 3, 30 + (k % 7) * 2
    a = np.full((h, w), 200 - (k % 50), np.uint8)
    a[k % h, :] = 0
    a[:, k % w] = 40
    kind = k % 3
    if kind == 1:
        return Image.fromarray(np.dstack([a, 255 - a, a // 2]))
    if kind == 2:
        return Image.fromarray(a).convert("1")
    return Image.fromarray(a)


def tiff_bytes(pages: int, **kw) -> bytes:
    ims = [page_image(k) for k in range(pages)]
    buf = io.BytesIO()
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:], **kw)
    return buf.getvalue()


def directories(data: bytes) -> list[int]:
    """Offsets of the page directories of a little-endian classic TIFF (plain walk, for the tests)."""
    offsets, ifd = [], struct.unpack_from("<I", data, 4)[0]
    while ifd:
        offsets.append(ifd)
        n = struct.unpack_from("<H", data, ifd)[0]
        ifd = struct.unpack_from("<I", data, ifd + 2 + 12 * n)[0]
    return offsets


def entry(data, ifd: int, tag: int) -> tuple[int, int, int]:
    """(type, count, value or offset) of ``tag`` in the directory at ``ifd``."""
    for k in range(struct.unpack_from("<H", data, ifd)[0]):
        t, typ, count, value = struct.unpack_from("<HHII", data, ifd + 2 + 12 * k)
        if t == tag:
            return typ, count, value
    raise AssertionError(tag)


def corrupt_page(data: bytes, index: int) -> bytes:
    """``data`` with the strip data of page ``index`` (0-based, one strip, compressed) scrambled."""
    data = bytearray(data)
    ifd = directories(bytes(data))[index]
    _t, _c, offset = entry(data, ifd, 273)   # StripOffsets
    _t, _c, size = entry(data, ifd, 279)     # StripByteCounts
    data[offset:offset + size] = bytes((37 * i + 11) % 256 for i in range(size))
    return bytes(data)


def pillow_pages(data: bytes) -> list:
    """The oracle: every page through Pillow's own seek, as RGB arrays (None where Pillow fails)."""
    im = Image.open(io.BytesIO(data))
    out = []
    for k in range(im.n_frames):
        im.seek(k)
        try:
            out.append(np.asarray(im.convert("RGB")))
        except (OSError, ValueError, SyntaxError):
            out.append(None)
    return out


@pytest.mark.parametrize("options", [{"compression": "tiff_lzw"}, {}, {"compression": "tiff_deflate", "big_tiff": True}])
def test_random_access_matches_pillow_seek_with_a_bad_page(tmp_path, rng, options):
    pages = 40
    data = tiff_bytes(pages, **options)
    bad = 17
    if options.get("compression") == "tiff_lzw":
        data = corrupt_page(data, bad)  # existing behaviour: that page fails, the others read
    want = pillow_pages(data)
    assert len(want) == pages
    path = tmp_path / "scan.tif"
    path.write_bytes(data)
    for source in (path, data):
        for k in rng.permutation(pages):
            if want[k] is None:
                with pytest.raises(ImageDecodeError, match=f"page {k + 1}"):
                    ocrprep.imread(source, page=int(k) + 1, mode="rgb")
            else:
                np.testing.assert_array_equal(ocrprep.imread(source, page=int(k) + 1, mode="rgb"), want[k])
    items = list(oio.iter_pages(path, mode="rgb", on_error="yield"))
    assert [i.page for i in items] == list(range(1, pages + 1))
    for k, item in enumerate(items):
        if want[k] is None:
            assert isinstance(item, oio.PageError) and f"page {k + 1}" in item.message
        else:
            assert item.pages == pages
            np.testing.assert_array_equal(item.image, want[k])
    # pages one at a time, as batch units read them, in a shuffled order
    for k in rng.permutation(pages)[:12]:
        (item,) = oio.iter_pages(path, start_page=int(k), pages_count=1, mode="rgb", on_error="yield")
        assert item.page == k + 1 and (want[k] is None) == isinstance(item, oio.PageError)
    assert oio.count_pages(path) == oio.count_pages(data) == pages
    with pytest.raises(InvalidParameterError, match="beyond its 40 page"):
        ocrprep.imread(path, page=41)


def test_reading_every_page_costs_one_directory_read_per_page(tmp_path):
    n = 2000
    data = tiff_bytes(n, compression="tiff_lzw")
    path = tmp_path / "long.tif"
    path.write_bytes(data)
    reads = _tiff.STATS

    before = reads["directory_reads"]
    assert oio.count_pages(path) == n
    for k in range(n):  # every page alone, in order, as a batch over the file does
        (item,) = oio.iter_pages(path, start_page=k, pages_count=1)
        assert item.page == k + 1
    assert reads["directory_reads"] - before == n  # each directory read once: the chain is kept

    before = reads["directory_reads"]
    assert sum(1 for _ in oio.iter_pages(data)) == n  # bytes: no kept chain, one walk
    assert reads["directory_reads"] - before == n

    before = reads["directory_reads"]
    ocrprep.imread(data, page=100)
    assert reads["directory_reads"] - before == 100  # O(k): no further than the page asked for


class CountingFile(io.FileIO):
    """A file that counts the read calls made on it."""

    reads = 0

    def readinto(self, b):
        CountingFile.reads += 1
        return super().readinto(b)


@pytest.mark.parametrize("pages", [300, 1200])
def test_pillow_loads_a_bounded_number_of_directories_per_page(tmp_path, monkeypatch, pages):
    # black box: count the page directories Pillow parses and the reads of the file; reading every
    # page alone (start_page=k, pages_count=1, as a batch does) took Pillow's walk from page 1 for
    # each k: n^2 / 2 directory loads
    from PIL.TiffImagePlugin import ImageFileDirectory_v2

    loads = {"n": 0}
    original = ImageFileDirectory_v2.load

    def counting_load(self, fp):
        loads["n"] += 1
        return original(self, fp)

    monkeypatch.setattr(ImageFileDirectory_v2, "load", counting_load)
    path = tmp_path / f"t{pages}.tif"
    path.write_bytes(tiff_bytes(pages, compression="tiff_lzw"))
    for k in range(pages):
        (item,) = oio.iter_pages(path, start_page=k, pages_count=1)
        assert item.page == k + 1
    assert loads["n"] <= 6 * pages  # page 1 (format check) and page k, each loaded twice by Pillow
    CountingFile.reads = 0
    with CountingFile(path) as f:
        assert sum(1 for _ in oio.iter_pages(f)) == pages
    assert CountingFile.reads < 40 * pages  # a whole file: a bounded number of reads per page


def handmade_tiff(pages: int, tag_bytes: int = 0, loop_to: int | None = None, order: str = "<") -> bytes:
    """A classic TIFF of 4x4 grey pages written by hand (little-endian, or big-endian with
    ``order=">"``); each directory may claim ``tag_bytes`` of ImageDescription text (all pointing at
    one shared block); the last page's next-directory offset may point back to page ``loop_to``."""
    shared = b"x" * max(tag_bytes, 1)
    out = bytearray(b"II*\x00" if order == "<" else b"MM\x00*") + bytearray(4)
    shared_at = len(out)
    out += shared
    strips = []
    for k in range(pages):
        strips.append(len(out))
        out += bytes([k * 10 % 256]) * 16
    if len(out) % 2:
        out += b"\0"
    ifds = []
    for k in range(pages):
        entries = [(256, 3, 1, 4), (257, 3, 1, 4), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
                   (273, 4, 1, strips[k]), (277, 3, 1, 1), (278, 3, 1, 4), (279, 4, 1, 16)]
        if tag_bytes:
            entries.insert(3, (270, 2, tag_bytes, shared_at))
        ifds.append(len(out))
        out += struct.pack(order + "H", len(entries))
        for tag, typ, count, value in entries:
            out += struct.pack(order + "HHI", tag, typ, count)
            out += struct.pack(order + "H2x", value) if typ == 3 else struct.pack(order + "I", value)
        out += b"\0\0\0\0"  # next: patched below
    for k, at in enumerate(ifds):
        n = struct.unpack_from(order + "H", out, at)[0]
        nxt = ifds[k + 1] if k + 1 < pages else (ifds[loop_to] if loop_to is not None else 0)
        struct.pack_into(order + "I", out, at + 2 + 12 * n, nxt)
    struct.pack_into(order + "I", out, 4, ifds[0])
    return bytes(out)


def test_big_endian_pages_match_pillow():
    data = handmade_tiff(7, order=">")
    assert data[:4] == b"MM\x00*"
    want = pillow_pages(data)
    for k in (6, 0, 3):
        np.testing.assert_array_equal(ocrprep.imread(data, page=k + 1, mode="rgb"), want[k])
    assert [int(p.image[0, 0]) for p in oio.iter_pages(data)] == [k * 10 for k in range(7)]


def test_a_chain_that_loops_back_ends_like_pillow():
    data = handmade_tiff(5, loop_to=1)
    assert Image.open(io.BytesIO(data)).n_frames == 5  # the oracle
    items = list(oio.iter_pages(data))
    assert [(p.page, int(p.image[0, 0]), p.pages) for p in items] == [(k + 1, k * 10, 5) for k in range(5)]
    assert oio.count_pages(data) == 5


def test_directories_claiming_too_much_tag_data_stop_the_walk(monkeypatch):
    # 40 directories each pointing at the same 3000-byte description (an 8.7 kB file): shared blocks
    # are fine within the budget (16 x the file + 64 MiB by default) ...
    data = handmade_tiff(40, tag_bytes=3000)
    assert [int(p.image[0, 0]) for p in oio.iter_pages(data)] == [k * 10 % 256 for k in range(40)]
    # ... and the walk stops where the claims pass it (here: the file's size), so a small file
    # cannot make every page read the same data again
    monkeypatch.setattr(_tiff, "TAG_DATA_BUDGET", (1, 0))
    pages_ok = len(data) // 3000
    items = list(oio.iter_pages(data, name="many.tif", on_error="yield"))
    assert [type(i).__name__ for i in items] == ["Page"] * pages_ok + ["PageError"]
    assert "cannot read page" in items[-1].message and "tag data" in items[-1].message
    assert [int(p.image[0, 0]) for p in items[:-1]] == [k * 10 for k in range(pages_ok)]
    with pytest.raises(ImageDecodeError, match="corrupt TIFF directory"):
        oio.count_pages(data)


def test_a_changed_file_is_walked_again(tmp_path):
    path = tmp_path / "same-name.tif"
    path.write_bytes(handmade_tiff(6))
    assert [int(p.image[0, 0]) for p in oio.iter_pages(path)] == [0, 10, 20, 30, 40, 50]
    path.write_bytes(tiff_bytes(3))  # same path, new content (size and time differ)
    os.utime(path, ns=(1, 1))
    assert oio.count_pages(path) == 3
    np.testing.assert_array_equal(ocrprep.imread(path, page=3, mode="rgb"), pillow_pages(path.read_bytes())[2])
