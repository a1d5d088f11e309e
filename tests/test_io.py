"""ocrprep.io: decoding, the safety guards, page iteration and atomic writes."""
from __future__ import annotations

import base64
import doctest
import io
import os
import struct
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

import ocrprep
import ocrprep.io as oio
from frontdoor import encode, endless_handler, nonpage_pdf, pdf_from_objects, png_header, serve, slow_handler
from ocrprep.errors import (
    DecompressionBombError,
    DownloadError,
    ImageDecodeError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidParameterError,
    OcrprepError,
    ParameterTypeError,
    UnsupportedFormatError,
)


@pytest.fixture
def gray(rng):
    return rng.integers(0, 256, (37, 53), dtype=np.uint8)


@pytest.fixture
def rgb(rng):
    return rng.integers(0, 256, (29, 41, 3), dtype=np.uint8)


def tiff_bytes(frames, **kw):
    buf = io.BytesIO()
    ims = [Image.fromarray(f) for f in frames]
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:], **kw)
    return buf.getvalue()


# --------------------------------------------------------------------------- #
# imread
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "BMP", "PPM", "WEBP"])
def test_lossless_roundtrip_gray_and_rgb(gray, rgb, fmt):
    kw = {"lossless": True} if fmt == "WEBP" else {}
    if fmt != "WEBP":
        np.testing.assert_array_equal(ocrprep.imread(encode(gray, fmt)), gray)
    out = ocrprep.imread(encode(rgb, fmt, **kw))
    assert out.shape == rgb.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out, rgb)


def test_jpeg_decodes_close(rgb):
    out = ocrprep.imread(encode(rgb, "JPEG", quality=95))
    assert out.shape == rgb.shape


def test_sources_path_bytes_filelike_pil(tmp_path, gray):
    p = tmp_path / "g.png"
    Image.fromarray(gray).save(p)
    for src in (str(p), p, p.read_bytes(), bytearray(p.read_bytes()), io.BytesIO(p.read_bytes()), Image.open(p)):
        np.testing.assert_array_equal(ocrprep.imread(src), gray)


def test_modes(rgb):
    data = encode(rgb)
    expected = np.asarray(Image.fromarray(rgb).convert("L"))
    np.testing.assert_array_equal(ocrprep.imread(data, mode="gray"), expected)
    g = np.asarray(Image.fromarray(rgb).convert("L"))
    assert ocrprep.imread(encode(g), mode="rgb").shape == g.shape + (3,)
    with pytest.raises(InvalidParameterError):
        ocrprep.imread(data, mode="cmyk")


def test_bilevel_palette_alpha_and_16bit():
    bw = np.zeros((8, 10), np.uint8)
    bw[:, 5:] = 255
    one = io.BytesIO()
    Image.fromarray(bw).convert("1").save(one, "PNG")
    np.testing.assert_array_equal(ocrprep.imread(one.getvalue()), bw)

    pal = Image.fromarray(bw).convert("P")
    assert ocrprep.imread(pal).ndim == 2  # a grey palette stays 2-D

    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[:2, :, 3] = 255  # top opaque red, bottom fully transparent
    out = ocrprep.imread(encode(rgba))
    assert out.shape == (4, 4, 3)
    assert out[0, 0].tolist() == [200, 0, 0] and out[3, 3].tolist() == [255, 255, 255]

    deep = (np.arange(16, dtype=np.uint16).reshape(4, 4) * 4000)
    out = ocrprep.imread(Image.fromarray(deep))
    np.testing.assert_array_equal(out, ((deep.astype(np.uint32) + 128) // 257).astype(np.uint8))


def test_tiff_pages_and_page_argument():
    frames = [np.full((6, 9), v, np.uint8) for v in (10, 120, 240)]
    data = tiff_bytes(frames)
    pages = list(oio.iter_pages(data))
    assert [(p.page, int(p.image[0, 0]), p.pages) for p in pages] == [(1, 10, 3), (2, 120, 3), (3, 240, 3)]
    assert int(ocrprep.imread(data, page=3)[0, 0]) == 240
    assert oio.count_pages(data) == 3
    with pytest.raises(InvalidParameterError, match="beyond"):
        ocrprep.imread(data, page=4)
    src, page, img = pages[1]  # pages unpack as (source, page, image)
    assert page == 2 and img.shape == (6, 9)
    sub = list(oio.iter_pages(data, start_page=1, pages_count=1))
    assert [p.page for p in sub] == [2]


def _tiff_directories(data: bytes) -> list[int]:
    """Offsets of the page directories of a little-endian TIFF (as Pillow writes them)."""
    assert data[:4] == b"II*\0"
    offsets, ifd = [], struct.unpack_from("<I", data, 4)[0]
    while ifd:
        offsets.append(ifd)
        n = struct.unpack_from("<H", data, ifd)[0]
        ifd = struct.unpack_from("<I", data, ifd + 2 + 12 * n)[0]
    return offsets


def _tiff_tag(data: bytes, ifd: int, tag: int) -> int:
    """Where the (single, inline) value of ``tag`` sits in the directory at ``ifd``."""
    for k in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * k
        if struct.unpack_from("<H", data, entry)[0] == tag:
            assert struct.unpack_from("<I", data, entry + 4)[0] == 1  # one value, stored in the entry
            return entry + 8
    raise AssertionError(f"no tag {tag}")


def _three_page_tiff():
    frames = [np.full((40, 60), v, np.uint8) for v in (10, 120, 230)]
    data = bytearray(tiff_bytes(frames, compression="tiff_lzw"))
    return data, _tiff_directories(bytes(data))


def test_corrupt_middle_tiff_page_is_one_page_error_and_the_next_page_goes_on():
    data, ifds = _three_page_tiff()
    assert len(ifds) == 3
    offset = struct.unpack_from("<I", data, _tiff_tag(data, ifds[1], 273))[0]  # StripOffsets of page 2
    size = struct.unpack_from("<I", data, _tiff_tag(data, ifds[1], 279))[0]  # StripByteCounts
    data[offset:offset + size] = bytes((37 * i + 11) % 256 for i in range(size))  # not LZW any more
    data = bytes(data)
    items = list(oio.iter_pages(data, name="scan.tif", on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    assert isinstance(items[1].error, ImageDecodeError) and "scan.tif page 2" in items[1].message
    assert [int(items[0].image[0, 0]), int(items[2].image[0, 0])] == [10, 230]
    assert items[2].pages == 3 and oio.count_pages(data) == 3
    pages = oio.iter_pages(data, name="scan.tif")  # on_error="raise": page 1, then the error
    assert next(pages).page == 1
    with pytest.raises(ImageDecodeError, match="scan.tif page 2"):
        next(pages)
    assert int(ocrprep.imread(data, page=3)[0, 0]) == 230
    # the same TIFF inside a zip archive: the member's page 3 is read too
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("scan.tif", data)
        z.writestr("next.png", encode(np.full((4, 4), 7, np.uint8)))
    items = list(oio.iter_pages(buf.getvalue(), name="a.zip", on_error="yield"))
    assert [(type(i).__name__, i.source, i.page) for i in items] == [
        ("Page", "a.zip/scan.tif", 1), ("PageError", "a.zip/scan.tif", 2), ("Page", "a.zip/scan.tif", 3),
        ("Page", "a.zip/next.png", 1),
    ]


def test_tiff_page_directory_pillow_can_skip_is_one_page_error():
    # page 2 announces 7-bit samples: Pillow cannot set that page up, but the chain of directories
    # goes on, so page 3 is still read, and the pages are counted from the chain (Pillow's n_frames,
    # which sets every page up, failed on this file)
    data, ifds = _three_page_tiff()
    struct.pack_into("<H", data, _tiff_tag(data, ifds[1], 258), 7)  # BitsPerSample
    data = bytes(data)
    items = list(oio.iter_pages(data, name="scan.tif", on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    assert "cannot read page 2" in items[1].message and "after" not in items[1].message
    assert [int(items[0].image[0, 0]), int(items[2].image[0, 0])] == [10, 230]
    assert items[2].pages == 3 and items[2].multipage
    assert int(ocrprep.imread(data, page=3)[0, 0]) == 230
    assert oio.count_pages(data) == 3  # (was a raw SyntaxError, then ImageDecodeError)
    with pytest.raises(ImageDecodeError, match="cannot read page 2 .unknown pixel mode"):  # not a raw SyntaxError
        ocrprep.imread(data, page=2)
    with pytest.raises(InvalidParameterError, match="beyond"):
        list(oio.iter_pages(data, start_page=5))


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow: "Corrupt EXIF data", "Tag data larger than file"
def test_tiff_page_pillow_cannot_get_past_is_one_error_for_the_rest():
    # page 1 points to a directory beyond the end of the file: page 2 and whatever followed it are lost
    data, ifds = _three_page_tiff()
    n = struct.unpack_from("<H", data, ifds[0])[0]
    struct.pack_into("<I", data, ifds[0] + 2 + 12 * n, len(data) + 4096)  # page 1's next-directory offset
    data = bytes(data)
    items = list(oio.iter_pages(data, name="scan.tif", on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("Page", 1), ("PageError", 2)]
    assert int(items[0].image[0, 0]) == 10
    assert "scan.tif: cannot read page 2 or any page after it" in items[1].message
    pages = oio.iter_pages(data, name="scan.tif")
    assert next(pages).page == 1
    with pytest.raises(ImageDecodeError, match="cannot read page 2"):
        next(pages)
    with pytest.raises(ImageDecodeError, match="corrupt TIFF directory"):
        oio.count_pages(data)


def test_iteration_is_lazy_one_page_at_a_time():
    """A 12-page TIFF of 1500x1500 pages: iterating it never holds more than a couple of decoded pages."""
    page_bytes = 1500 * 1500
    data = tiff_bytes([np.full((1500, 1500), v, np.uint8) for v in range(12)], compression="tiff_deflate")
    gen = oio.iter_pages(data)
    tracemalloc.start()
    try:
        seen = 0
        for p in gen:
            seen += 1
            assert int(p.image[0, 0]) == seen - 1
            del p
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 12
    assert peak < 4 * page_bytes, f"peak {peak / 1e6:.1f} MB for {page_bytes / 1e6:.1f} MB pages"


# --------------------------------------------------------------------------- #
# bad input: clear errors
# --------------------------------------------------------------------------- #
def test_decompression_bomb_png_header_100k_by_100k():
    data = png_header(100_000, 100_000)
    with pytest.raises(DecompressionBombError) as info:
        ocrprep.imread(data)
    assert isinstance(info.value, ValueError)


def test_decompression_bomb_jpeg_header():
    data = bytearray(encode(np.zeros((8, 8), np.uint8), "JPEG"))
    i = data.index(b"\xff\xc0")
    data[i + 5:i + 9] = struct.pack(">HH", 60000, 60000)
    with pytest.raises(DecompressionBombError):
        ocrprep.imread(bytes(data))


def test_pixel_cap_is_configurable(gray, monkeypatch):
    data = encode(gray)
    with pytest.raises(DecompressionBombError, match="exceeds the limit of 100"):
        ocrprep.imread(data, max_pixels=100)
    monkeypatch.setattr(oio, "MAX_PIXELS", 1000)
    with pytest.raises(DecompressionBombError):
        ocrprep.imread(data)
    assert ocrprep.imread(data, max_pixels=gray.size).shape == gray.shape


def test_bomb_in_later_tiff_page():
    data = tiff_bytes([np.zeros((4, 4), np.uint8), np.zeros((40, 40), np.uint8)])
    pages = oio.iter_pages(data, max_pixels=100)
    assert next(pages).page == 1
    with pytest.raises(DecompressionBombError, match="page 2"):
        next(pages)


def test_corrupt_truncated_unsupported_empty_missing(tmp_path, gray):
    png = encode(gray)
    with pytest.raises(ImageDecodeError, match="corrupt|truncated"):
        ocrprep.imread(png[: len(png) // 2])
    bad = bytearray(png)
    bad[60:80] = b"\xff" * 20
    with pytest.raises(ImageDecodeError):
        ocrprep.imread(bytes(bad))
    with pytest.raises(UnsupportedFormatError, match="not an image format"):
        ocrprep.imread(b"hello, this is a text file\n" * 10)
    with pytest.raises(UnsupportedFormatError, match="DjVu"):
        ocrprep.imread(b"AT&TFORM\x00\x00\x00\x10DJVU" + b"\0" * 32)
    with pytest.raises(ImageDecodeError, match="empty"):
        ocrprep.imread(b"")
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(ImageDecodeError, match="empty"):
        ocrprep.imread(tmp_path / "empty.png")
    with pytest.raises(InputNotFoundError, match="no such file"):
        ocrprep.imread(tmp_path / "missing.png")
    with pytest.raises(ParameterTypeError):
        ocrprep.imread(12345)
    for exc in (ImageDecodeError, UnsupportedFormatError, DecompressionBombError):
        assert issubclass(exc, OcrprepError) and issubclass(exc, ValueError)


# --------------------------------------------------------------------------- #
# PDF
# --------------------------------------------------------------------------- #
def pdf_bytes(frames, resolution=100.0):
    buf = io.BytesIO()
    ims = [Image.fromarray(f) for f in frames]
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=resolution)
    return buf.getvalue()


def test_pdf_pages_rendered_at_dpi():
    pytest.importorskip("pypdfium2")
    a = np.full((120, 200), 230, np.uint8)
    a[40:80, 50:150] = 20
    b = np.full((150, 100), 30, np.uint8)
    pages = list(oio.iter_pages(pdf_bytes([a, b]), dpi=100))
    assert [(p.page, p.pages) for p in pages] == [(1, 2), (2, 2)]
    for page, src in zip(pages, (a, b)):  # PDF sizes are in points: +-1 px of rounding
        assert all(abs(s - t) <= 1 for s, t in zip(page.image.shape, src.shape)), page.image.shape
    h, w = a.shape
    assert np.abs(pages[0].image[:h, :w].astype(int) - a).mean() < 3
    assert pages[1].image.mean() < 40
    big = list(oio.iter_pages(pdf_bytes([a]), dpi=200))[0].image
    assert abs(big.shape[0] - 240) <= 1 and abs(big.shape[1] - 400) <= 1


def test_zero_page_and_corrupt_pdf(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    buf = io.BytesIO()
    doc.save(buf)
    empty = buf.getvalue()
    assert empty.startswith(b"%PDF")
    with pytest.raises(ImageDecodeError, match="no pages"):
        list(oio.iter_pages(empty))
    with pytest.raises(ImageDecodeError, match="PDF"):
        list(oio.iter_pages(b"%PDF-1.7\n this is not really a pdf \n%%EOF"))
    p = tmp_path / "empty.pdf"
    p.write_bytes(empty)
    with pytest.raises(ImageDecodeError, match="no pages"):
        ocrprep.imread(p)


def test_pdf_page_too_large_refused_before_rendering():
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    doc.new_page(14000, 14000)  # points: 58333 px square at 300 dpi
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(DecompressionBombError):
        list(oio.iter_pages(buf.getvalue()))


CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PDF_PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 36]>>"
NOT_A_PAGE = b"<</Type/Font>>"  # a page-tree kid that is not a page: PDFium cannot load it


def test_pdf_page_that_cannot_be_loaded_is_a_page_error_and_the_next_page_goes_on():
    pytest.importorskip("pypdfium2")
    three = pdf_from_objects([CATALOG, b"<</Type/Pages/Kids[3 0 R 4 0 R 5 0 R]/Count 3>>", PDF_PAGE, NOT_A_PAGE, PDF_PAGE])
    items = list(oio.iter_pages(three, name="mixed.pdf", dpi=72, on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    err = items[1].error
    assert isinstance(err, ImageDecodeError) and str(err).startswith("mixed.pdf page 2: cannot load the page")
    assert items[2].image.shape == (36, 72)
    with pytest.raises(ImageDecodeError, match="mixed.pdf page 2"):
        list(oio.iter_pages(three, name="mixed.pdf", dpi=72))  # on_error="raise": a clear ocrprep error
    items = list(oio.iter_pages(nonpage_pdf(), name="nonpage.pdf", on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("PageError", 1)]


def test_an_unforeseen_decoder_failure_is_an_error_of_that_source_only(monkeypatch, gray):
    """Safety net: whatever a decoder raises (but MemoryError) becomes an ImageDecodeError naming the source."""
    real = oio._to_array

    def buggy(im, name, mode="auto", *rest):
        if name.startswith("bad"):
            raise RuntimeError("decoder bug")
        return real(im, name, mode, *rest)

    monkeypatch.setattr(oio, "_to_array", buggy)
    items = [item for src in ((encode(gray), "bad.png"), (encode(gray), "good.png"))
             for item in oio.iter_pages(src[0], name=src[1], on_error="yield")]
    assert [type(i).__name__ for i in items] == ["PageError", "Page"]
    assert isinstance(items[0].error, ImageDecodeError)
    assert str(items[0].error) == "bad.png: cannot read (RuntimeError: decoder bug)"
    with pytest.raises(ImageDecodeError, match="bad.png"):
        list(oio.iter_pages(encode(gray), name="bad.png"))

    def no_memory(im, name, mode="auto", *rest):
        raise MemoryError

    monkeypatch.setattr(oio, "_to_array", no_memory)
    with pytest.raises(MemoryError):  # never hidden: the process is in trouble, not the file
        list(oio.iter_pages(encode(gray), on_error="yield"))


# --------------------------------------------------------------------------- #
# zip, directories, base64, URLs
# --------------------------------------------------------------------------- #
def test_zip_members_in_order_bad_member_does_not_stop_others(gray):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.png", encode(gray))
        z.writestr("broken.png", b"\x89PNG\r\n\x1a\n garbage")
        z.writestr("notes.txt", b"not a page")  # skipped: not an image
        z.writestr("sub/b.tif", tiff_bytes([gray, gray[::-1]]))
        z.writestr("inner.zip", b"PK\x05\x06" + b"\0" * 18)
    items = list(oio.iter_pages(buf.getvalue(), name="batch.zip", on_error="yield"))
    kinds = [(type(i).__name__, i.source.split("/", 1)[1], i.page) for i in items]
    assert kinds == [
        ("Page", "a.png", 1),
        ("PageError", "broken.png", None),
        ("Page", "sub/b.tif", 1),
        ("Page", "sub/b.tif", 2),
        ("PageError", "inner.zip", None),
    ]
    assert "nested" in str(items[-1].error)
    with pytest.raises(ImageDecodeError):
        list(oio.iter_pages(buf.getvalue()))  # on_error="raise" stops at the broken member
    with pytest.raises(ImageDecodeError, match="zip"):
        list(oio.iter_pages(b"PK\x03\x04 broken archive"))


def test_zip_page_members_is_the_one_rule_of_io_and_the_batch_planner(tmp_path, gray):
    """iter_pages, count_files and the batch planner take the same members, in the same order."""
    import warnings

    from ocrprep.batch._plan import zip_members as planned_members

    zpath = tmp_path / "mixed.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(zpath, "w") as z:
        warnings.simplefilter("ignore", UserWarning)  # the duplicate name below
        z.writestr("a.png", encode(gray))
        z.writestr("dir/", b"")  # a folder entry: skipped
        z.writestr("__MACOSX/._a.png", b"resource fork")  # skipped
        z.writestr("sub/.hidden.png", encode(gray))  # hidden: skipped
        z.writestr("notes.txt", b"not a page")  # not an image: skipped
        z.writestr("sub/B.PNG", encode(255 - gray))
        z.writestr("doc.tif", tiff_bytes([gray, gray[::-1]]))
        z.writestr("inner.tar", b"not read: refused as a nested archive")
        z.writestr("a.png", encode(gray[::-1]))  # the same name twice: both are members
        z.writestr("x.jpeg", b"\xff\xd8\xff broken")
    expected = ["a.png", "sub/B.PNG", "doc.tif", "inner.tar", "a.png", "x.jpeg"]
    data = zpath.read_bytes()
    with zipfile.ZipFile(zpath) as zf:
        assert oio.zip_page_members(zf) == expected
    with open(zpath, "rb") as f:
        assert oio.zip_page_members(f) == expected
    assert oio.zip_page_members(zpath) == oio.zip_page_members(str(zpath)) == oio.zip_page_members(data) == expected
    assert oio.count_files(zpath) == len(expected)
    assert [m for _i, m, _base in planned_members(str(zpath))] == expected
    assert [i for i, _m, _base in planned_members(str(zpath))] == list(range(len(expected)))
    # iter_pages walks the same members in that order, and start_page indexes them
    items = list(oio.iter_pages(zpath, on_error="yield"))
    walked = [i.source[len(str(zpath)) + 1:] for i in items if i.page in (None, 1)]  # each member's first item
    assert walked == expected and [i.page for i in items if i.source.endswith("doc.tif")] == [1, 2]
    for index, member in enumerate(expected):
        first = next(oio.iter_pages(zpath, start_page=index, pages_count=1, on_error="yield"))
        assert first.source == f"{zpath}/{member}"
    np.testing.assert_array_equal(next(oio.iter_pages(zpath, start_page=4)).image, gray[::-1])
    with pytest.raises(ImageDecodeError, match="not a valid zip archive"):
        oio.zip_page_members(encode(gray))
    with pytest.raises(ImageDecodeError, match="not a valid zip archive"):
        oio.zip_page_members(tmp_path / "missing.zip")
    with pytest.raises(ocrprep.ParameterTypeError):
        oio.zip_page_members(12)
    assert "zip_page_members" in oio.__all__


def test_zip_member_size_cap(gray, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.bmp", b"BM" + b"\0" * 200_000)
    items = list(oio.iter_pages(buf.getvalue(), max_bytes=10_000, on_error="yield"))
    assert isinstance(items[0].error, InputTooLargeError)


def _two_png_zip(gray) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.png", encode(gray))
        z.writestr("b.png", encode(gray))
    return buf.getvalue()


def test_zip_with_impossible_version_is_a_clear_error(gray, tmp_path):
    """zipfile raises NotImplementedError('zip file version 17.3') for a damaged version field."""
    data = bytearray(_two_png_zip(gray))
    data[data.index(b"PK\x01\x02") + 6] = 173  # central directory: "version needed to extract" = 17.3
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    for source in (bytes(data), path):
        items = list(oio.iter_pages(source, name="damaged.zip", on_error="yield"))
        assert len(items) == 1 and isinstance(items[0], oio.PageError)
        assert isinstance(items[0].error, ImageDecodeError)
        assert str(items[0].error) == "damaged.zip: not a valid zip archive (zip file version 17.3)"
    with pytest.raises(ImageDecodeError, match="not a valid zip archive"):
        list(oio.iter_pages(bytes(data)))


def test_zip_whose_directory_points_before_the_data_gives_per_member_errors(gray, tmp_path):
    """A central-directory offset too large makes every member's header offset negative:
    bytes-backed archives raised ValueError('negative seek value') from zf.open."""
    data = bytearray(_two_png_zip(gray))
    eocd = data.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", data, eocd + 16)[0]
    struct.pack_into("<I", data, eocd + 16, offset + 200)
    path = tmp_path / "shifted.zip"
    path.write_bytes(bytes(data))
    for source in (bytes(data), path):
        items = list(oio.iter_pages(source, name="shifted.zip", on_error="yield"))
        assert [(type(i).__name__, i.source) for i in items] == [
            ("PageError", "shifted.zip/a.png"), ("PageError", "shifted.zip/b.png")]
        for item in items:
            assert isinstance(item.error, ImageDecodeError)
            assert str(item.error).startswith(f"{item.source}: cannot extract (")
    with pytest.raises(ImageDecodeError, match="shifted.zip/a.png: cannot extract"):
        list(oio.iter_pages(bytes(data), name="shifted.zip"))


def test_count_files_counts_folder_files_and_zip_members_without_decoding(tmp_path, gray):
    Image.fromarray(gray).save(tmp_path / "a.png")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 not decoded")
    (tmp_path / "notes.txt").write_text("skipped")
    zpath = tmp_path / "pack.zip"
    zpath.write_bytes(_two_png_zip(gray))
    assert oio.count_files(tmp_path) == 2  # a.png, b.pdf (the zip is not an image file of the folder)
    assert oio.count_files(zpath) == 2 and oio.count_files(zpath.read_bytes()) == 2
    assert oio.count_files(tmp_path / "a.png") == 1 and oio.count_files(tmp_path / "missing") == 1
    assert oio.count_files("http://127.0.0.1:9/x.png") == 1


def test_directory_pages_sorted_and_filtered(tmp_path, gray):
    Image.fromarray(gray).save(tmp_path / "b.png")
    Image.fromarray(gray[::-1]).save(tmp_path / "a.png")
    (tmp_path / "readme.txt").write_text("skip me")
    (tmp_path / ".hidden.png").write_bytes(b"junk")
    (tmp_path / "c.png").write_bytes(b"junk")
    items = list(oio.iter_pages(tmp_path, on_error="yield"))
    names = [os.path.basename(i.source) for i in items]
    assert names == ["a.png", "b.png", "c.png"]
    assert isinstance(items[2], oio.PageError) and isinstance(items[0], oio.Page)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ImageDecodeError, match="no image"):
        list(oio.iter_pages(empty))


def test_base64_plain_data_uri_and_errors(gray, tmp_path):
    raw = encode(gray)
    text = base64.b64encode(raw).decode()
    wrapped = "\n".join(text[i:i + 76] for i in range(0, len(text), 76))
    for src, kind in ((text, "base64"), (wrapped, "base64"), ("data:image/png;base64," + text, None)):
        np.testing.assert_array_equal(list(oio.iter_pages(src, kind=kind))[0].image, gray)
    f = tmp_path / "img.txt"
    f.write_text(wrapped)
    np.testing.assert_array_equal(list(oio.iter_pages(str(f), kind="base64"))[0].image, gray)
    with pytest.raises(ImageDecodeError, match="base64"):
        oio.decode_base64("this is *not* base64!")
    with pytest.raises(InputTooLargeError):
        oio.decode_base64(text, max_bytes=100)


def test_url_fetch_ok_404_timeout_and_size_caps(gray):
    data = encode(gray)
    def to_file(h):
        h.send_response(302)
        h.send_header("Location", "file:///etc/passwd")
        h.end_headers()

    def to_page(h):
        h.send_response(302)
        h.send_header("Location", "/page.png")
        h.end_headers()

    routes = {
        "/page.png": data,
        "/to-file": to_file,
        "/to-page": to_page,
        "/gone.png": (404, b"nope"),
        "/slow.png": slow_handler(3.0),
        "/endless": endless_handler,
    }
    with serve(routes) as base:
        np.testing.assert_array_equal(list(oio.iter_pages(base + "/page.png"))[0].image, gray)
        np.testing.assert_array_equal(ocrprep.imread(oio.fetch_url(base + "/to-page")), gray)
        with pytest.raises(DownloadError, match="(?i)redirect"):
            oio.fetch_url(base + "/to-file")
        with pytest.raises(DownloadError, match="404"):
            oio.fetch_url(base + "/gone.png")
        with pytest.raises(DownloadError, match="timed out|cannot fetch"):
            oio.fetch_url(base + "/slow.png", timeout=0.5)
        with pytest.raises(InputTooLargeError):
            oio.fetch_url(base + "/page.png", max_bytes=100)  # announced by Content-Length
        with pytest.raises(InputTooLargeError):
            oio.fetch_url(base + "/endless", max_bytes=1_000_000)  # no length: counted while reading
    with pytest.raises(InvalidParameterError, match="http"):
        oio.fetch_url("file:///etc/passwd")


def _drip_body(h):
    """200 OK, then one byte every 0.2 s for 6 s: every single read is quick, the whole is slow."""
    h.send_response(200)
    h.end_headers()
    try:
        for _ in range(30):
            h.wfile.write(b"\x89")
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:  # the client gave up
        pass


def _drip_headers(h):
    """The status line and headers, one byte every 0.2 s."""
    try:
        for byte in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 28 + b"\r\n\r\n":
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def _drip_chunks(h):
    """Chunked transfer encoding, one 1-byte chunk every 0.2 s."""
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    try:
        for _ in range(30):
            h.wfile.write(b"1\r\nx\r\n")
            h.wfile.flush()
            time.sleep(0.2)
        h.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass


@pytest.mark.parametrize("route", ["/body", "/headers", "/chunks"])
def test_url_timeout_bounds_the_whole_download_not_each_read(route):
    """A server trickling a byte every 0.2 s for 6 s never trips a 1 s per-read timeout; the
    whole-download limit of 1 s must stop it (before the fix the fetch returned the data)."""
    with serve({"/body": _drip_body, "/headers": _drip_headers, "/chunks": _drip_chunks}) as base:
        with pytest.raises(DownloadError, match=r"timed out \(the whole download must finish within 1 s\)"):
            oio.fetch_url(base + route, timeout=1.0)


def test_url_whole_download_limit_applies_to_inputs(monkeypatch, gray):
    monkeypatch.setattr(oio, "URL_TIMEOUT", 1.0)
    with serve({"/ok.png": encode(gray), "/drip": _drip_body}) as base:
        items = list(oio.iter_pages(base + "/drip", on_error="yield")) + list(oio.iter_pages(base + "/ok.png"))
    assert isinstance(items[0], oio.PageError) and isinstance(items[0].error, DownloadError)
    assert "timed out" in str(items[0].error)
    np.testing.assert_array_equal(items[1].image, gray)
    with pytest.raises(InvalidParameterError, match="timeout"):
        oio.fetch_url("http://127.0.0.1:9/x.png", timeout=0)


# --------------------------------------------------------------------------- #
# imwrite
# --------------------------------------------------------------------------- #
def test_imwrite_binary_is_one_bit_png_and_roundtrips(tmp_path, rng):
    bw = np.where(rng.random((33, 47)) < 0.3, 0, 255).astype(np.uint8)
    p = ocrprep.imwrite(tmp_path / "bw.png", bw)
    with Image.open(p) as im:
        assert im.mode == "1"
    np.testing.assert_array_equal(ocrprep.imread(p), bw)
    t = ocrprep.imwrite(tmp_path / "bw.tif", bw)
    with Image.open(t) as im:
        assert im.mode == "1" and im.info.get("compression") == "group4"
    np.testing.assert_array_equal(ocrprep.imread(t), bw)
    j = ocrprep.imwrite(tmp_path / "bw.jpg", bw)  # JPEG has no 1-bit mode: stays 8-bit grey
    with Image.open(j) as im:
        assert im.mode == "L"


def test_imwrite_gray_rgb_formats(tmp_path, gray, rgb):
    for ext in (".png", ".tif", ".bmp", ".pgm"):
        np.testing.assert_array_equal(ocrprep.imread(ocrprep.imwrite(tmp_path / f"g{ext}", gray)), gray)
    for ext in (".png", ".tif", ".bmp", ".ppm"):
        np.testing.assert_array_equal(ocrprep.imread(ocrprep.imwrite(tmp_path / f"c{ext}", rgb)), rgb)
    assert ocrprep.imwrite(tmp_path / "noext", gray, format="png").exists()
    with pytest.raises(UnsupportedFormatError):
        ocrprep.imwrite(tmp_path / "x.xyz", gray)
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.imwrite(tmp_path / "x.png", gray.astype(np.float32))


def test_imwrite_is_atomic(tmp_path, gray, monkeypatch):
    target = tmp_path / "sub" / "page.png"
    ocrprep.imwrite(target, gray)  # creates the directory
    before = target.read_bytes()
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~oio._umask())

    def boom(self, fp, *a, **k):
        fp.write(b"partial data")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        ocrprep.imwrite(target, 255 - gray)
    assert target.read_bytes() == before  # the old file is intact
    assert sorted(os.listdir(target.parent)) == ["page.png"]  # no temporary left behind


def test_is_binary():
    assert oio.is_binary(np.array([[0, 255]], np.uint8))
    assert not oio.is_binary(np.array([[0, 254]], np.uint8))
    assert not oio.is_binary(np.zeros((2, 2, 3), np.uint8))


def test_module_doctests():
    result = doctest.testmod(oio, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_overlong_strings_are_not_paths():
    with pytest.raises(InvalidParameterError, match="too long"):
        ocrprep.imread("A" * 10_000)


_SEEDS = {}


def _seed_files():
    if not _SEEDS:
        rng = np.random.default_rng(7)
        g = rng.integers(0, 256, (24, 31), dtype=np.uint8)
        c = rng.integers(0, 256, (17, 13, 3), dtype=np.uint8)
        _SEEDS.update(
            png=encode(g), jpeg=encode(c, "JPEG"), bmp=encode(c, "BMP"), gif=encode(g, "GIF"),
            tiff=tiff_bytes([g, g[::-1]]), pgm=encode(g, "PPM"), webp=encode(c, "WEBP"),
            pdf=pdf_bytes([g, g[::-1]]),
        )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:  # a small archive: every header is in reach
            z.writestr("a.png", encode(g[:8, :8]))
            z.writestr("b.gif", encode(g[:6, :9], "GIF"))
        _SEEDS["zip"] = buf.getvalue()
    return _SEEDS


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the corrupt EXIF it skips
@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["png", "jpeg", "bmp", "gif", "tiff", "pgm", "webp", "pdf", "zip"]),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    st.integers(1, 10_000),
    st.sampled_from(["raise", "yield"]),
)
def test_fuzzed_files_decode_or_raise_ocrprep_errors(kind, flips, cut, on_error):
    """Damaged files of every kind, archives and PDFs included: pages, or ocrprep errors, nothing else."""
    if kind == "pdf":
        pytest.importorskip("pypdfium2")
    data = bytearray(_seed_files()[kind])
    for pos, val in flips:
        data[pos % len(data)] = val
    data = bytes(data[: max(1, cut % (len(data) + 1))])
    try:
        for item in oio.iter_pages(data, max_pixels=1_000_000, on_error=on_error):
            if isinstance(item, oio.PageError):
                assert on_error == "yield" and isinstance(item.error, OcrprepError)
            else:
                assert item.image.dtype == np.uint8 and item.image.ndim in (2, 3)
    except OcrprepError:
        assert on_error == "raise"


# -- Pillow's own bomb guard vs ocrprep's max_pixels --------------------------------

def test_pillow_guard_reports_ocrprep_limit(monkeypatch):
    """Over Pillow's ~179 Mpx guard and over max_pixels: ocrprep's message, ocrprep's number."""
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    with pytest.raises(ocrprep.DecompressionBombError) as err:
        ocrprep.imread(png_header(15000, 14000), max_pixels=150_000_000)
    assert "150,000,000" in str(err.value) and "210,000,000" in str(err.value)
    assert "178956970" not in str(err.value)


def test_max_pixels_beyond_pillow_guard_is_honoured(monkeypatch):
    """A caller who allows more than Pillow's guard gets past it (the fake header then
    fails as truncated data, not as a bomb), and the guard is only ever raised."""
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 89_478_485)
    with pytest.raises(ocrprep.ImageDecodeError) as err:
        ocrprep.imread(png_header(15000, 14000), max_pixels=300_000_000)
    assert not isinstance(err.value, ocrprep.DecompressionBombError)
    assert Image.MAX_IMAGE_PIXELS == 300_000_000
    assert ocrprep.imread(_png(np.zeros((4, 4), np.uint8)), max_pixels=16).shape == (4, 4)
    assert Image.MAX_IMAGE_PIXELS == 300_000_000  # never lowered


def test_unidentified_image_message_has_no_object_repr():
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40  # PNG magic, garbage after it
    with pytest.raises(ocrprep.OcrprepError) as err:
        ocrprep.imread(data)
    assert " at 0x" not in str(err.value) and "<_io" not in str(err.value)


def _png(arr):
    buf = io.BytesIO()
    from PIL import Image
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()
