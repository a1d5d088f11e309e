"""What users bring, continued: PAM files, base64 mangled on the way, 12-bit scans in 16-bit files.

Each test is written the way a user meets the case (a small program, a CLI
call, an HTTP request): the page comes out right, or a clear
:class:`ocrprep.OcrprepError` names the problem.
"""
from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import urllib.parse
import zlib

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.io
from ocrprep import InputType, OcrInput


def _page(h=90, w=220):
    """A light page with dark strokes and a mid-grey band (so scaling errors show)."""
    page = np.full((h, w), 235, np.uint8)
    for x in range(12, w - 20, 14):
        page[20:70, x:x + 4] = 25
    page[20:24, 12:w - 20] = 25
    page[78:84, :] = 128
    return page


def _png(img) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PNG")
    return buf.getvalue()


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "ocrprep.cli", *map(str, args)], capture_output=True, timeout=180, **kw)


# --------------------------------------------------------------------------- #
# Netpbm PAM (P7) files, as pnmtopam, OpenCV and scanner back ends write them
# --------------------------------------------------------------------------- #
def _pam(samples: np.ndarray, maxval: int, tupltype: str | None, comment: bool = True) -> bytes:
    """A PAM file as Netpbm's pnmtopam writes one (a comment line as some tools add)."""
    h, w = samples.shape[:2]
    depth = 1 if samples.ndim == 2 else samples.shape[2]
    head = "P7\n" + ("# written by a scanner\n" if comment else "")
    head += f"WIDTH {w}\nHEIGHT {h}\nDEPTH {depth}\nMAXVAL {maxval}\n"
    if tupltype:
        head += f"TUPLTYPE {tupltype}\n"
    head += "ENDHDR\n"
    return head.encode() + samples.astype(">u2" if maxval > 255 else np.uint8).tobytes()


def _pam_cases():
    """(tuple type, maxval) -> (samples, the page imread must give)."""
    page = _page()
    rgb = np.dstack([page, np.maximum(page, 60), page])  # green-tinted ink
    alpha = np.where(page < 128, 255, 0).astype(np.uint8)  # ink opaque, the rest transparent black
    black = np.zeros_like(page)
    cases = {}
    for maxval in (255, 65535):
        k = maxval // 255  # 1 or 257: the same picture at this depth
        cases[("GRAYSCALE", maxval)] = (page.astype(np.uint32) * k, page)
        cases[("RGB", maxval)] = (rgb.astype(np.uint32) * k, rgb)
        # ink drawn in the alpha channel over black samples: on white paper it is the page's ink
        cases[("GRAYSCALE_ALPHA", maxval)] = (np.dstack([black, alpha]).astype(np.uint32) * k,
                                               np.where(page < 128, 0, 255))
        cases[("RGB_ALPHA", maxval)] = (np.dstack([black] * 3 + [alpha]).astype(np.uint32) * k,
                                         np.dstack([np.where(page < 128, 0, 255)] * 3))
    bw = (page >= 128).astype(np.uint8)  # PAM: 1 is white, 0 is black (unlike PBM)
    cases[("BLACKANDWHITE", 1)] = (bw, bw * 255)
    return cases


@pytest.mark.parametrize("tupltype, maxval", list(_pam_cases()))
def test_pam_files_are_read(tmp_path, tupltype, maxval):
    samples, want = _pam_cases()[(tupltype, maxval)]
    path = tmp_path / "scan.pam"
    path.write_bytes(_pam(samples, maxval, tupltype))
    for source in (path, str(path), path.read_bytes(), io.BytesIO(path.read_bytes())):
        out = ocrprep.imread(source)
        assert out.dtype == np.uint8
        np.testing.assert_array_equal(out, want)
    # OcrInput.add, as for any other file
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(str(path))
    (got,) = [p.image for p in doc.pages("raise")]
    np.testing.assert_array_equal(got, want)


def test_pam_without_tuple_type_is_read_by_its_depth_as_opencv_writes_it(tmp_path):
    cv2 = pytest.importorskip("cv2")
    page = _page()
    rgb = np.dstack([page, np.maximum(page, 60), page])
    for name, arr in (("grey.pam", page), ("colour.pam", rgb)):
        path = tmp_path / name
        assert cv2.imwrite(str(path), arr[..., ::-1] if arr.ndim == 3 else arr)
        assert b"TUPLTYPE" not in path.read_bytes()[:80]  # OpenCV names no tuple type: the depth says it
        theirs = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        np.testing.assert_array_equal(ocrprep.imread(path), theirs[..., ::-1] if theirs.ndim == 3 else theirs)
    path = tmp_path / "deep.pam"  # (OpenCV cannot read this one back itself)
    assert cv2.imwrite(str(path), page.astype(np.uint16) * 257)
    np.testing.assert_array_equal(ocrprep.imread(path), page)


def test_pam_maxval_other_than_255_is_scaled_from_maxval():
    page = _page()
    for maxval in (15, 1023, 4095):
        samples = np.round(page / 255.0 * maxval).astype(np.uint32)
        out = ocrprep.imread(_pam(samples, maxval, "GRAYSCALE"))
        assert np.abs(out.astype(int) - page).max() <= 255 / maxval / 2 + 1, maxval
    # MAXVAL 4095 is a statement: a dim page under it stays dim
    dim = np.round(page / 255.0 * 1000).astype(np.uint32)
    np.testing.assert_array_equal(ocrprep.imread(_pam(dim, 4095, "GRAYSCALE")), (dim * 255 + 2047) // 4095)


def test_cmyk_pam_reads_as_its_ink():
    page = _page()
    ink = np.where(page < 128, 255, 0).astype(np.uint8)  # K only: black ink on blank paper
    samples = np.dstack([np.zeros_like(ink)] * 3 + [ink])
    np.testing.assert_array_equal(ocrprep.imread(_pam(samples, 255, "CMYK"), mode="gray"), 255 - ink)


@pytest.mark.parametrize("magic", ["P5", "P7"])
def test_16_bit_netpbm_holding_12_bit_camera_data_is_not_black(magic):
    # raw converters (dcraw -4 -D) write 12-bit sensor values as they came, under MAXVAL 65535
    page = _page()
    deep = _deep(page, 12)
    if magic == "P5":
        data = f"P5\n{page.shape[1]} {page.shape[0]}\n65535\n".encode() + deep.astype(">u2").tobytes()
    else:
        data = _pam(deep, 65535, "GRAYSCALE")
    assert np.abs(ocrprep.imread(data).astype(int) - page).max() <= 1


def test_binarize_a_pam_file_with_the_cli(tmp_path):
    page = _page()
    src = tmp_path / "scan.pam"
    src.write_bytes(_pam(page.astype(np.uint32) * 257, 65535, "GRAYSCALE"))
    out = tmp_path / "scan_bw.png"
    r = _cli("binarize", src, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(ocrprep.imread(out), ocrprep.binarize(page))
    # a folder of scans takes the .pam file too
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "a.pam").write_bytes(src.read_bytes())
    r = _cli("binarize", folder, "-o", tmp_path / "clean/", "-q")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(ocrprep.imread(tmp_path / "clean" / "a.png"), ocrprep.binarize(page))


_BAD_PAMS = {
    "truncated pixels": (b"P7\nWIDTH 220\nHEIGHT 90\nDEPTH 1\nMAXVAL 255\nENDHDR\n" + b"\xff" * 1000,
                         ocrprep.ImageDecodeError, r"truncated PAM data \(1,000 of 19,800 bytes"),
    "forged giant header": (b"P7\nWIDTH 2000000000\nHEIGHT 2000000000\nDEPTH 4\nMAXVAL 65535\nENDHDR\n" + b"\0" * 64,
                            ocrprep.DecompressionBombError, "exceeds the limit"),
    "forged header under the pixel cap": (b"P7\nWIDTH 12000\nHEIGHT 12000\nDEPTH 4\nMAXVAL 65535\nENDHDR\n" + b"\0" * 64,
                                          ocrprep.ImageDecodeError, r"truncated PAM data \(64 of 1,152,000,000"),
    "no ENDHDR": (b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\n", ocrprep.ImageDecodeError, "ENDHDR"),
    "endless header": (b"P7\n" + b"# comment\n" * 1000, ocrprep.ImageDecodeError, "no ENDHDR in its first 4096 bytes"),
    "missing MAXVAL": (b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nENDHDR\n\0\0\0\0", ocrprep.ImageDecodeError, "MAXVAL is missing"),
    "maxval too big": (b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 70000\nENDHDR\n", ocrprep.ImageDecodeError, "MAXVAL 70000"),
    "width not a number": (b"P7\nWIDTH two\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nENDHDR\n", ocrprep.ImageDecodeError,
                           "WIDTH 'two' is not a number"),
    "depth against tuple type": (b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n\0\0\0\0",
                                 ocrprep.ImageDecodeError, "TUPLTYPE RGB has depth 3, DEPTH says 1"),
    "unknown tuple type": (b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nTUPLTYPE RAINFALL\nENDHDR\n\0\0\0\0",
                           ocrprep.UnsupportedFormatError, "tuple type 'RAINFALL'"),
    "five channels": (b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n\0\0\0\0\0",
                      ocrprep.UnsupportedFormatError, "depth 5"),
    "sample above maxval": (b"P7\nWIDTH 2\nHEIGHT 1\nDEPTH 1\nMAXVAL 100\nENDHDR\n\x10\xff",
                            ocrprep.ImageDecodeError, "a sample of 255 above MAXVAL 100"),
    "black and white with maxval 255": (b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nTUPLTYPE BLACKANDWHITE\nENDHDR\n\0",
                                        ocrprep.ImageDecodeError, "needs MAXVAL 1"),
}


@pytest.mark.parametrize("case", list(_BAD_PAMS))
def test_bad_pam_files_get_clear_errors(tmp_path, case):
    data, error, message = _BAD_PAMS[case]
    path = tmp_path / "bad.pam"
    path.write_bytes(data)
    for source in (data, path):
        with pytest.raises(error, match=message):
            ocrprep.imread(source)


def test_counting_the_pages_of_a_pam_reads_no_pixels(tmp_path):
    path = tmp_path / "huge.pam"  # a forged header: 10 gigapixels announced, nothing behind it
    path.write_bytes(b"P7\nWIDTH 100000\nHEIGHT 100000\nDEPTH 4\nMAXVAL 65535\nENDHDR\n")
    assert ocrprep.io.count_pages(path) == 1
    r = _cli("batch", tmp_path, tmp_path / "out", "--filters", "binarize", "-q")
    assert r.returncode == 1 and "exceeds the limit" in r.stderr.decode()


def test_a_truncated_pam_in_a_folder_is_one_failure_not_the_end(tmp_path):
    page = _page()
    (tmp_path / "good.pam").write_bytes(_pam(page, 255, "GRAYSCALE"))
    (tmp_path / "cut.pam").write_bytes(_pam(page, 255, "GRAYSCALE")[:500])
    doc = OcrInput(InputType.DIRECTORY)
    doc.add(tmp_path)
    pages = list(doc.pages("skip"))
    assert [os.path.basename(p.source) for p in pages] == ["good.pam"]
    assert "truncated PAM data" in str(doc.errors[0].error)


# --------------------------------------------------------------------------- #
# base64 that a web form or URL query mangled on the way: every '+' became a blank
# --------------------------------------------------------------------------- #
def _mangled_by_a_form(b64: str) -> str:
    """What a server gets when a client put base64 in a form or query string without encoding it."""
    return urllib.parse.parse_qs("image=" + b64)["image"][0]


def _plus_rich_png():
    noise = np.random.default_rng(7).integers(-6, 7, _page().shape)
    page = np.clip(_page() + noise, 0, 255).astype(np.uint8)  # scanner noise: a PNG of some kilobytes
    data = _png(page)
    b64 = base64.b64encode(data).decode()
    assert b64.count("+") >= 3  # the mangling really changes the text
    return page, data, b64


def test_base64_whose_plus_signs_became_blanks_is_read():
    page, data, b64 = _plus_rich_png()
    mangled = _mangled_by_a_form(b64)
    assert "+" not in mangled and " " in mangled
    assert ocrprep.io.decode_base64(mangled) == data
    np.testing.assert_array_equal(ocrprep.imread("data:image/png;base64," + mangled), page)
    doc = OcrInput(InputType.BASE64)
    doc.add(mangled)
    doc.add_base64(mangled.rstrip("="))  # and without its padding
    assert [p.image.tobytes() for p in doc.pages("raise")] == [page.tobytes()] * 2


def test_base64_percent_encoded_or_grouped_is_read():
    page, data, b64 = _plus_rich_png()
    assert ocrprep.io.decode_base64(urllib.parse.quote(b64, safe="")) == data  # %2B, %2F, %3D
    grouped = " ".join(b64[i:i + 4] for i in range(0, len(b64), 4))  # shown in groups of four
    assert ocrprep.io.decode_base64(grouped) == data
    wrapped = "\n".join("    " + b64[i:i + 64] for i in range(0, len(b64), 64))  # indented lines
    assert ocrprep.io.decode_base64(wrapped) == data


@pytest.mark.parametrize("text, message", [
    ("bm90IGFuIGltYWdl IHJlYWxseQ==", r"read with each blank as the '\+'.*still not an image"),
    ("iVBORw0K+GgoAAAAN SUhEUgAA", r"blanks inside the text beside '\+' signs"),
    ("iVBORw0K-GgoAAAAN SUhEUgAA", r"mixes the URL-safe alphabet.*blanks read as '\+'"),
    ("iVBORw0K-GgoAAAAN/SUhEUgAA", r"mixes the URL-safe alphabet.*'\+' or '/'"),
    ("iVBORw0KGgoAAAAN*SUhEUgAA", r"character '\*' at position 16"),
    ("iVBORw0KGgoAAAANS", "one more than a multiple of 4"),
    ("iVBORw0KGgoAAAAN\\nSUhEUgAA", r"position 16 is not base64 \(line breaks escaped twice"),
])
def test_base64_damaged_otherwise_is_refused_naming_the_damage(text, message):
    with pytest.raises(ocrprep.ImageDecodeError, match=message):
        ocrprep.io.decode_base64(text)
    doc = OcrInput(InputType.BASE64)
    doc.add(text)
    with pytest.raises(ocrprep.ImageDecodeError, match=message):
        list(doc.pages("raise"))


def test_decode_base64_and_deep_sample_doctests():
    import doctest

    import ocrprep._deep

    assert doctest.testmod(ocrprep.io, verbose=False).failed == 0
    result = doctest.testmod(ocrprep._deep, verbose=False)
    assert result.attempted >= 3 and result.failed == 0


# --------------------------------------------------------------------------- #
# 12-bit scans in 16-bit files (medical and scientific scanners)
# --------------------------------------------------------------------------- #
def _deep(page, bits):
    """The page as a ``bits``-bit scanner stores it in 16-bit samples (not shifted up)."""
    top = (1 << bits) - 1
    return np.round(page.astype(np.float64) * top / 255).astype(np.uint16)


def _png_with_sbit(samples: np.ndarray, bits: int) -> bytes:
    """A 16-bit grey PNG with an sBIT chunk declaring ``bits`` significant bits."""
    data = _png(samples)
    body = bytes([bits])
    chunk = len(body).to_bytes(4, "big") + b"sBIT" + body + zlib.crc32(b"sBIT" + body).to_bytes(4, "big")
    return data[:33] + chunk + data[33:]  # after the signature and IHDR


@pytest.mark.parametrize("bits", [10, 12, 14])
@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "array"])
def test_deep_scans_in_16_bit_files_read_as_bright_as_their_8_bit_copy(bits, fmt):
    page = _page()
    samples = _deep(page, bits)
    if fmt == "array":
        source = samples
    else:
        buf = io.BytesIO()
        Image.fromarray(samples).save(buf, fmt)
        source = buf.getvalue()
    out = ocrprep.imread(source)
    assert out.dtype == np.uint8 and np.abs(out.astype(int) - page).max() <= 1  # was: max 16, a black page
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(source)
    (got,) = [p.image for p in doc.pages("raise")]
    np.testing.assert_array_equal(got, out)
    np.testing.assert_array_equal(ocrprep.binarize(out), ocrprep.binarize(page))


def test_genuine_16_bit_pages_are_read_as_before():
    page = _page()
    samples = page.astype(np.uint16) * 257
    np.testing.assert_array_equal(ocrprep.imread(_png(samples)), page)
    np.testing.assert_array_equal(ocrprep.imread(samples), page)
    # a dark 16-bit page stays dark when its brightest sample says 16-bit (over 16383)
    dark = (page.astype(np.uint32) * 100).astype(np.uint16)  # paper at 23 500 of 65 535
    np.testing.assert_array_equal(ocrprep.imread(_png(dark)), (dark.astype(np.uint32) + 128) // 257)


def test_png_sbit_chunk_is_honoured():
    page = _page()
    deep = _deep(page, 12)
    # sBIT 12 with the samples as the scanner gave them: scaled from 4095
    assert np.abs(ocrprep.imread(_png_with_sbit(deep, 12)).astype(int) - page).max() <= 1
    # sBIT 12 with the samples shifted up to 16 bits, as the PNG specification asks writers: 16-bit
    shifted = (deep.astype(np.uint32) << 4 | deep.astype(np.uint32) >> 8).astype(np.uint16)
    assert np.abs(ocrprep.imread(_png_with_sbit(shifted, 12)).astype(int) - page).max() <= 1
    # sBIT 16: the file says its samples are 16-bit, and dark data stays dark
    np.testing.assert_array_equal(ocrprep.imread(_png_with_sbit(deep, 16)), (deep.astype(np.uint32) + 128) // 257)


def test_tiff_max_sample_value_is_honoured():
    tifffile = pytest.importorskip("tifffile")
    page = _page()
    # a 12-bit camera that marks its range; the darkest page it took has no sample above 1000
    dim = np.round(page.astype(np.float64) * 1000 / 255).astype(np.uint16)
    buf = io.BytesIO()
    tifffile.imwrite(buf, dim, extratags=[(281, "H", 1, 4095, True)])
    want = (dim.astype(np.uint32) * 255 + 2047) // 4095  # from 4095, not from the 10-bit container
    np.testing.assert_array_equal(ocrprep.imread(buf.getvalue()), want)


@pytest.mark.parametrize("bits", [12, 16])
def test_48_bit_colour_scans_keep_their_low_bytes(bits):
    """Pillow decodes 16-bit RGB to its high bytes: 12-bit colour data would be a black page."""
    cv2 = pytest.importorskip("cv2")
    tifffile = pytest.importorskip("tifffile")
    page = _page()
    rgb = np.dstack([page, np.maximum(page, 60), page])
    samples = _deep(rgb, bits)
    ok, png = cv2.imencode(".png", samples[..., ::-1])  # what cv2.imwrite("scan.png", img16) makes
    assert ok
    sources = {"png": png.tobytes()}
    for compression in (None, "zlib"):
        for byteorder in ("<", ">"):
            buf = io.BytesIO()
            tifffile.imwrite(buf, samples, photometric="rgb", compression=compression, byteorder=byteorder,
                             rowsperstrip=16)
            sources[f"tiff {compression} {byteorder}"] = buf.getvalue()
    for kind, data in sources.items():
        out = ocrprep.imread(data)
        assert out.shape == rgb.shape and np.abs(out.astype(int) - rgb).max() <= 1, kind
    # with an alpha channel (ink opaque, paper transparent): laid on white as an 8-bit RGBA file is
    alpha = np.where(page < 128, (1 << bits) - 1, 0).astype(np.uint16)
    ok, png = cv2.imencode(".png", np.dstack([samples[..., ::-1], alpha]))
    want = np.dstack([np.where(page < 128, rgb[..., c], 255) for c in range(3)])
    assert np.abs(ocrprep.imread(png.tobytes()).astype(int) - want).max() <= 1
    buf = io.BytesIO()
    with tifffile.TiffWriter(buf) as tif:  # page 2 of a multi-page scan too
        for _ in range(2):
            tif.write(samples, photometric="rgb")
    pages = [p.image for p in ocrprep.io.iter_pages(buf.getvalue())]
    assert len(pages) == 2 and all(np.abs(p.astype(int) - rgb).max() <= 1 for p in pages)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


@pytest.mark.parametrize("bits", [12, 16])
def test_16_bit_grey_alpha_png_keeps_its_low_bytes(bits):
    """Grey + alpha at 16 bits (colour type 4): Pillow keeps the high bytes, so 12-bit data with an
    opaque alpha of 4095 came out 6 % opaque, a washed-out white page."""
    page = _page()
    grey, alpha = _deep(page, bits), np.full(page.shape, (1 << bits) - 1, np.uint16)
    alpha[:, :10] = 0  # a transparent margin: paper
    rows = np.dstack([grey, alpha]).astype(">u2")
    raw = b"".join(b"\0" + rows[y].tobytes() for y in range(page.shape[0]))
    header = page.shape[1].to_bytes(4, "big") + page.shape[0].to_bytes(4, "big") + bytes([16, 4, 0, 0, 0])
    png = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw))
           + _png_chunk(b"IEND", b""))
    want = page.copy()
    want[:, :10] = 255
    out = ocrprep.imread(png)
    assert out.shape == page.shape and np.abs(out.astype(int) - want).max() <= 1


def test_a_48_bit_png_opened_with_pillow_is_read_whole(tmp_path):
    cv2 = pytest.importorskip("cv2")
    page = _page()
    rgb = np.dstack([page, np.maximum(page, 60), page])
    path = tmp_path / "scan.png"
    assert cv2.imwrite(str(path), _deep(rgb, 12)[..., ::-1])
    with Image.open(path) as im:  # a PIL image handed over unloaded, as most programs do
        doc = OcrInput(InputType.SINGLE_IMAGE)
        doc.add(im)
        (got,) = [p.image for p in doc.pages("raise")]
    assert np.abs(got.astype(int) - rgb).max() <= 1


@pytest.mark.parametrize("byteorder", ["<", ">"])
def test_planar_16_bit_colour_tiffs_are_not_garbage(byteorder):
    """PlanarConfiguration 2 (each colour in its own plane), uncompressed: Pillow read the 16-bit
    samples of each plane as 8-bit ones, a page of noise even for genuine 16-bit data."""
    tifffile = pytest.importorskip("tifffile")
    page = _page()
    rgb = np.dstack([page, np.maximum(page, 60), page])
    for bits in (16, 12):
        planes = np.ascontiguousarray(_deep(rgb, bits).transpose(2, 0, 1))
        buf = io.BytesIO()
        tifffile.imwrite(buf, planes, photometric="rgb", planarconfig="separate", byteorder=byteorder, rowsperstrip=16)
        assert np.abs(ocrprep.imread(buf.getvalue()).astype(int) - rgb).max() <= 1, bits
    # compressed, libtiff unpacks the planes itself from their high bytes: 12-bit data is dark, and said so
    buf = io.BytesIO()
    tifffile.imwrite(buf, np.ascontiguousarray(_deep(rgb, 12).transpose(2, 0, 1)), photometric="rgb",
                     planarconfig="separate", compression="zlib", byteorder=byteorder)
    with pytest.warns(ocrprep.OcrprepWarning, match=r"separate planes.*PlanarConfiguration 1"):
        ocrprep.imread(buf.getvalue())


@pytest.mark.parametrize("bits", [8, 12, 16])
def test_min_is_white_grey_tiffs_are_not_read_inverted(bits):
    """PhotometricInterpretation 0 (0 is white), as film and X-ray scanners write it: Pillow turns
    round 1 and 8-bit pages only; a 16-bit one came out as a negative (white text on black)."""
    tifffile = pytest.importorskip("tifffile")
    page = _page()
    samples = _deep(255 - page, bits) if bits > 8 else 255 - page
    buf = io.BytesIO()
    tifffile.imwrite(buf, samples.astype(np.uint16 if bits > 8 else np.uint8), photometric="miniswhite")
    assert np.abs(ocrprep.imread(buf.getvalue()).astype(int) - page).max() <= 1
    buf = io.BytesIO()
    with tifffile.TiffWriter(buf) as tif:  # every page of a multi-page one
        for _ in range(2):
            tif.write(samples.astype(np.uint16 if bits > 8 else np.uint8), photometric="miniswhite")
    pages = [p.image for p in ocrprep.io.iter_pages(buf.getvalue())]
    assert len(pages) == 2 and all(np.abs(p.astype(int) - page).max() <= 1 for p in pages)


def test_binarize_a_12_bit_tiff_with_the_cli(tmp_path):
    page = _page()
    src = tmp_path / "xray.tif"
    Image.fromarray(_deep(page, 12)).save(src, "TIFF")
    r = _cli("binarize", src, "-o", tmp_path / "bw.png", "-q")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(ocrprep.imread(tmp_path / "bw.png"), ocrprep.binarize(page))


def test_recognize_a_12_bit_scan(tesseract):
    from ocrprep.data import sample_path

    page = ocrprep.imread(sample_path(), mode="gray")
    buf = io.BytesIO()
    Image.fromarray(_deep(page, 12)).save(buf, "PNG")
    want = ocrprep.recognize(page)[0].recognition_text
    got = ocrprep.recognize(buf.getvalue())[0].recognition_text
    assert len(want.split()) > 5 and got == want


def test_the_kernels_name_the_12_bit_conversion_too():
    with pytest.raises(ocrprep.ImageTypeError, match=r"// 257.*12-bit ones with img \* 255 // 4095"):
        ocrprep.binarize(np.zeros((4, 4), np.uint16))


# --------------------------------------------------------------------------- #
# the same inputs through the HTTP service (Aspose OCR Cloud v5 requests)
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def service(tmp_path_factory):
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    httpx = pytest.importorskip("httpx")
    from servicehelp import ServerProcess

    with ServerProcess(tmp_path_factory.mktemp("inputs"), auth=False) as server:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            yield client


def _binarized_by(service, response) -> np.ndarray:
    assert response.status_code == 200, response.text
    env = service.get("/v5.0/ocr/BinarizeImage", params={"id": response.text}).json()
    assert env["taskStatus"] == "Completed", env
    return ocrprep.imread(base64.b64decode(env["results"][0]["data"]))


@pytest.mark.slow
def test_service_binarizes_pam_uploads(service):
    page = _page()
    pam = _pam(page.astype(np.uint32) * 257, 65535, "GRAYSCALE")
    # the multipart upload of the SDK's ImageProcessing API, and the JSON body of BinarizeImage
    upload = service.post("/v5.0/ocr/ImageProcessing/PostBinarizationFile", files={"file": ("scan.pam", pam)})
    np.testing.assert_array_equal(_binarized_by(service, upload), ocrprep.binarize(page))
    body = service.post("/v5.0/ocr/BinarizeImage", json={"image": base64.b64encode(pam).decode()})
    np.testing.assert_array_equal(_binarized_by(service, body), ocrprep.binarize(page))
    cut = service.post("/v5.0/ocr/BinarizeImage", json={"image": base64.b64encode(pam[:5000]).decode()})
    assert cut.status_code == 400 and cut.json()["code"] == "CorruptImage"
    assert "truncated PAM data" in cut.json()["detail"]


@pytest.mark.slow
def test_service_reads_base64_whose_plus_signs_became_blanks(service):
    page, _data, b64 = _plus_rich_png()
    mangled = _mangled_by_a_form(b64)
    r = service.post("/v5.0/ocr/BinarizeImage", json={"image": mangled})
    np.testing.assert_array_equal(_binarized_by(service, r), ocrprep.binarize(page))
    r = service.post("/v5.0/ocr/BinarizeImage", json={"image": urllib.parse.quote(b64, safe="")})
    np.testing.assert_array_equal(_binarized_by(service, r), ocrprep.binarize(page))
    # damaged beyond that: a 400 naming the damage, never a page of garbage
    bad = service.post("/v5.0/ocr/BinarizeImage", json={"image": "bm90IGFuIGltYWdl IHJlYWxseQ=="})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidBase64"
    assert "still not an image" in bad.json()["detail"]
    mixed = service.post("/v5.0/ocr/BinarizeImage", json={"image": mangled[:40] + "+" + mangled[40:]})
    assert mixed.status_code == 400 and "beside '+' signs" in mixed.json()["detail"]
    # curl -d "image=$(base64 -w0 page.png)": a form, not the JSON the API takes
    form = service.post("/v5.0/ocr/BinarizeImage", content=("image=" + b64).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and "form-encoded (image=...), not JSON" in form.json()["detail"]


@pytest.mark.slow
def test_service_binarizes_a_12_bit_png(service):
    page = _page()
    r = service.post("/v5.0/ocr/BinarizeImage", json={"image": base64.b64encode(_png(_deep(page, 12))).decode()})
    np.testing.assert_array_equal(_binarized_by(service, r), ocrprep.binarize(page))


# --------------------------------------------------------------------------- #
# a multi-page GIF (a document exported page by page): every page, as with a TIFF
# --------------------------------------------------------------------------- #
def _gif_pages():
    page = _page()
    return [page, np.roll(page, 40, axis=1), np.where(page < 128, 255, 25).astype(np.uint8)]


def _multipage_gif(path):
    first, *rest = [Image.fromarray(p) for p in _gif_pages()]
    first.save(path, save_all=True, append_images=rest)
    return path


def test_every_page_of_a_multipage_gif_is_read(tmp_path):
    path = _multipage_gif(tmp_path / "fax.gif")
    want = _gif_pages()
    assert ocrprep.io.count_pages(path) == 3
    got = list(ocrprep.io.iter_pages(path))
    assert [p.page for p in got] == [1, 2, 3] and all(p.pages == 3 for p in got)
    for p, page in zip(got, want):
        np.testing.assert_array_equal(p.image, page)  # grey pages stay grey on every frame
    np.testing.assert_array_equal(ocrprep.imread(path, page=3), want[2])
    np.testing.assert_array_equal(ocrprep.imread(Image.open(path), page=2), want[1])
    doc = OcrInput(InputType.SINGLE_IMAGE)  # a single image: its first page, as for a TIFF
    doc.add(str(path))
    assert len(list(doc.pages("raise"))) == 1
    doc = OcrInput(InputType.TIFF)
    doc.add(str(path))
    assert len(list(doc.pages("raise"))) == 3


def test_binarize_a_multipage_gif_with_the_cli_and_batch(tmp_path):
    path = _multipage_gif(tmp_path / "fax.gif")
    r = _cli("binarize", path, "-o", tmp_path / "out/", "-q")
    assert r.returncode == 0, r.stderr
    for n, page in enumerate(_gif_pages(), 1):
        np.testing.assert_array_equal(ocrprep.imread(tmp_path / "out" / f"fax_page{n}.png"), ocrprep.binarize(page))
    src = tmp_path / "scans"
    src.mkdir()
    _multipage_gif(src / "fax.gif")
    r = _cli("batch", src, tmp_path / "clean", "--filters", "binarize", "-q")
    assert r.returncode == 0, r.stderr
    for n, page in enumerate(_gif_pages(), 1):
        np.testing.assert_array_equal(ocrprep.imread(tmp_path / "clean" / f"fax_page{n}.png"), ocrprep.binarize(page))


def test_short_base64_given_where_a_path_goes_gets_a_hint():
    page, _data, b64 = _plus_rich_png()
    tiny = base64.b64encode(_png(np.full((2, 2), 255, np.uint8))).decode()  # short enough to pass for a path
    with pytest.raises(ocrprep.InputNotFoundError, match=r"^iVBOR.{35}\.\.\.: .*base64 text of a PNG file.*kind='base64'"):
        ocrprep.imread(tiny)
    with pytest.raises(ocrprep.InputNotFoundError, match=r"base64 text of a PNG file.*add_base64\(\)"):
        OcrInput(InputType.SINGLE_IMAGE).add(tiny)
    np.testing.assert_array_equal(ocrprep.imread("data:image/png;base64," + tiny), np.full((2, 2), 255))
    with pytest.raises(ocrprep.InputNotFoundError) as info:
        ocrprep.imread("/no/such/scan.png")
    assert "base64" not in str(info.value)  # a plain missing file: no hint


# --------------------------------------------------------------------------- #
# raw pixels through the Aspose-shaped door: add(pixels, width, height, pixel_type)
# --------------------------------------------------------------------------- #
def test_raw_16_bit_and_float_pixels_are_scaled_not_wrapped():
    import ocrprep.compat as ocr

    page = _page()
    h, w = page.shape
    doc = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    doc.add(_deep(page, 12).ravel(), w, h, ocr.PixelType.BYTE)  # a 12-bit camera's buffer (was: wrapped mod 256)
    doc.add((page / 255.0).ravel(), w, h, ocr.PixelType.BYTE)  # float samples in [0, 1] (was: all 0 but white)
    doc.add(page.ravel().tolist(), w, h, ocr.PixelType.BYTE)  # a list of byte values
    for got in [p.image for p in doc.pages("raise")]:
        assert np.abs(got.astype(int) - page).max() <= 1
    with pytest.raises(ocrprep.InvalidParameterError, match=r"bytes \(0\.\.255\), got 300"):
        doc.add([0, 300, 20, 10], 2, 2, ocr.PixelType.BYTE)
    with pytest.raises(ocrprep.ParameterTypeError, match="bytes or numbers"):
        doc.add(["a", "b", "c", "d"], 2, 2, ocr.PixelType.BYTE)


# --------------------------------------------------------------------------- #
# text saved under an image's name: a server's error answer (curl -o without -f), an SVG
# --------------------------------------------------------------------------- #
_S3_EXPIRED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
               b"<Message>Request has expired</Message><RequestId>X1</RequestId></Error>")
_API_ERROR = b'{"error": {"code": 401, "message": "Invalid token"}}'
_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect/></svg>'


@pytest.mark.parametrize("data, message", [
    (_S3_EXPIRED, r"is an XML document, not an image \(an error answer.*begins: '<\?xml.*AccessDenied"),
    (_API_ERROR, r"is JSON text, not an image.*Invalid token"),
    (_SVG, r"is an SVG drawing, not a raster image: convert it to PNG"),
])
def test_text_saved_as_an_image_is_named_with_its_first_words(tmp_path, data, message):
    path = tmp_path / "scan.png"
    path.write_bytes(data)
    with pytest.raises(ocrprep.UnsupportedFormatError, match=message):
        ocrprep.imread(path)
    r = _cli("binarize", path, "-o", tmp_path / "bw.png")
    assert r.returncode == 1 and "Traceback" not in r.stderr.decode()
    assert ("SVG drawing" if data is _SVG else "not an image (an error answer") in r.stderr.decode()
    with pytest.raises(ocrprep.UnsupportedFormatError) as info:
        ocrprep.imread(b"just some text")  # plain junk: no guess about it
    assert "begins" not in str(info.value)


def test_base64_text_piped_in_as_the_image_is_named(tmp_path):
    _page_, data, b64 = _plus_rich_png()
    with pytest.raises(ocrprep.UnsupportedFormatError, match=r"base64 text of a PNG file, not the file itself"):
        ocrprep.imread(b64.encode() + b"\n")
    r = _cli("binarize", "-", "-o", tmp_path / "bw.png", input=b64.encode() + b"\n")  # base64 page.png | ocrprep ...
    assert r.returncode == 1 and b"base64 -d" in r.stderr


def test_a_dicom_file_is_named_with_how_to_export_it(tmp_path):
    path = tmp_path / "IM0001.dcm"
    path.write_bytes(b"\0" * 128 + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00" + b"\0" * 200)
    with pytest.raises(ocrprep.UnsupportedFormatError, match=r"DICOM file.*16-bit PNG or TIFF"):
        ocrprep.imread(path)


@pytest.mark.slow
def test_service_names_an_error_answer_uploaded_as_an_image(service):
    r = service.post("/v5.0/ocr/ImageProcessing/PostBinarizationFile", files={"file": ("scan.png", _S3_EXPIRED)})
    assert r.status_code == 400 and r.json()["code"] == "UnsupportedFormat"
    assert "XML document" in r.json()["detail"] and "AccessDenied" in r.json()["detail"]


# --------------------------------------------------------------------------- #
# the files users bring, through every front door: each reads as the page it shows
# --------------------------------------------------------------------------- #
def _bilevel_tiff(bits: np.ndarray, fillorder: int, photometric: int) -> bytes:
    """An uncompressed 1-bit TIFF written field by field (FillOrder 2 and min-is-white as fax software writes)."""
    import struct

    h, w = bits.shape
    packed = np.packbits(bits if photometric == 1 else ~bits, axis=1, bitorder="big" if fillorder == 1 else "little")
    data = packed.tobytes()
    entries = [(256, w), (257, h), (258, 1), (259, 1), (262, photometric), (266, fillorder), (273, 0), (277, 1),
               (278, h), (279, len(data))]
    data_at = 8 + 2 + 12 * len(entries) + 4
    out = b"II*\x00" + struct.pack("<IH", 8, len(entries))
    for tag, value in entries:
        value = data_at if tag == 273 else value
        out += struct.pack("<HHII", tag, 4, 1, value) if tag in (273, 279) else struct.pack("<HHIHH", tag, 3, 1, value, 0)
    return out + b"\0\0\0\0" + data


def _user_files():
    """name -> (file bytes, the grey page it shows, tolerance of the mean difference)."""
    page = _page()
    im = Image.fromarray(page)
    rgb = im.convert("RGB")
    bw = page >= 128
    bilevel = np.where(bw, 255, 0).astype(np.uint8)

    def enc(image, fmt, **kw):
        buf = io.BytesIO()
        image.save(buf, fmt, **kw)
        return buf.getvalue()

    files = {
        "cmyk_adobe.jpg": (enc(rgb.convert("CMYK"), "JPEG", quality=95), page, 2),  # Adobe APP14, inverted CMYK
        "icc.png": (enc(rgb, "PNG", icc_profile=_srgb_profile()), page, 0),
        "icc.jpg": (enc(rgb, "JPEG", quality=95, icc_profile=_srgb_profile()), page, 2),
        "lossless.webp": (enc(rgb, "WEBP", lossless=True), page, 0),
        "g3.tif": (enc(Image.fromarray(bilevel).convert("1"), "TIFF", compression="group3"), bilevel, 0),
        "g4.tif": (enc(Image.fromarray(bilevel).convert("1"), "TIFF", compression="group4"), bilevel, 0),
        "fillorder2.tif": (_bilevel_tiff(bw, 2, 1), bilevel, 0),
        "fillorder2_miniswhite.tif": (_bilevel_tiff(bw, 2, 0), bilevel, 0),
        "topdown.bmp": (_top_down_bmp(rgb), page, 0),
    }
    for orientation, turn in ((3, Image.Transpose.ROTATE_180), (6, Image.Transpose.ROTATE_90),
                              (8, Image.Transpose.ROTATE_270)):
        exif = Image.Exif()
        exif[0x0112] = orientation  # stored turned, as a phone saves a page photographed sideways
        files[f"exif{orientation}.jpg"] = (enc(rgb.transpose(turn), "JPEG", quality=95, exif=exif.tobytes()), page, 2)
    paletted = Image.fromarray(np.where(bw, 0, 1).astype(np.uint8), "P")
    paletted.putpalette([0, 0, 0, 20, 20, 90] + [0] * 762)  # index 0 transparent (the paper), 1 dark blue ink
    want = np.asarray(Image.fromarray(np.where(bw[..., None], 255, np.array([20, 20, 90], np.uint8))
                                      .astype(np.uint8)).convert("L"))
    files["palette_transparent.png"] = (enc(paletted, "PNG", transparency=0), want, 0)
    files["palette_transparent.gif"] = (enc(paletted, "GIF", transparency=0), want, 0)
    from PIL import features

    if features.check("avif"):
        files["photo.avif"] = (enc(rgb, "AVIF", quality=95), page, 3)
    return files


def _srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _top_down_bmp(rgb) -> bytes:
    """A BMP with a negative height: rows stored top row first."""
    import struct

    buf = io.BytesIO()
    rgb.save(buf, "BMP")
    data = bytearray(buf.getvalue())
    w, h = struct.unpack("<ii", data[18:26])
    offset = struct.unpack("<I", data[10:14])[0]
    stride = (w * 3 + 3) // 4 * 4
    rows = [bytes(data[offset + i * stride:offset + (i + 1) * stride]) for i in range(h)]
    data[22:26] = struct.pack("<i", -h)
    data[offset:] = b"".join(reversed(rows))
    return bytes(data)


@pytest.mark.parametrize("name", list(_user_files()))
def test_files_users_bring_read_as_the_page_they_show(tmp_path, name):
    data, want, tolerance = _user_files()[name]
    path = tmp_path / name
    path.write_bytes(data)
    out = ocrprep.imread(path, mode="gray")
    assert out.shape == want.shape and np.abs(out.astype(int) - want).mean() <= tolerance + 0.5
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(str(path))
    (page,) = [p.image for p in doc.pages("raise")]
    np.testing.assert_array_equal(page, ocrprep.imread(path))


def test_files_users_bring_through_the_cli_and_the_filters(tmp_path):
    from ocrprep import PreprocessingFilter

    files = _user_files()
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, (data, _want, _tol) in files.items():
        (folder / name).write_bytes(data)
    r = _cli("binarize", folder, "-o", tmp_path / "out/", "-q")
    assert r.returncode == 0, r.stderr
    pipeline = PreprocessingFilter.from_spec("median(3),binarize")
    for name, (_data, want, _tol) in files.items():
        stem = name.rsplit(".", 1)[0]
        written = sorted((tmp_path / "out").glob(stem + "*.png"))
        assert written, name
        bw = ocrprep.imread(written[0])
        assert (bw != ocrprep.binarize(want)).mean() < 0.02, name  # the page's ink, upright
        filtered = pipeline.apply(ocrprep.imread(folder / name))
        assert (filtered != pipeline.apply(want)).mean() < 0.02, name


@pytest.mark.slow
def test_files_users_bring_through_the_service(service):
    for name, (data, want, _tol) in _user_files().items():
        r = service.post("/v5.0/ocr/ImageProcessing/PostBinarizationFile", files={"file": (name, data)})
        bw = _binarized_by(service, r)
        assert bw.shape == want.shape and (bw != ocrprep.binarize(want)).mean() < 0.02, name


def test_a_zero_byte_and_an_html_file_in_a_folder_fail_alone(tmp_path):
    """A download that failed left an empty file and an error page beside the good scans."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_good.png").write_bytes(_png(_page()))
    (inbox / "b_empty.png").write_bytes(b"")
    (inbox / "c_error.jpg").write_bytes(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    r = _cli("binarize", inbox, "-o", tmp_path / "out/")
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err
    assert "b_empty.png: empty file" in err and "c_error.jpg: is an HTML page" in err
    np.testing.assert_array_equal(ocrprep.imread(tmp_path / "out" / "a_good.png"), ocrprep.binarize(_page()))
    r = _cli("batch", inbox, tmp_path / "clean", "--filters", "binarize", "-q")
    assert r.returncode == 1 and (tmp_path / "clean" / "a_good.png").exists()


@pytest.mark.slow
def test_a_token_request_whose_secret_lost_its_plus_signs_says_so(tmp_path):
    """curl -d client_secret=a+b sends the '+' unencoded: the form decodes it as a blank."""
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("fastapi")
    from servicehelp import ServerProcess

    secret = "s3cr+t+key+12345"
    with ServerProcess(tmp_path, "--client", f"scanner:{secret}") as server:
        body = f"grant_type=client_credentials&client_id=scanner&client_secret={secret}"  # as curl -d sends it
        r = httpx.post(server.url + "/connect/token", content=body.encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 401 and "'+' signs arrived as blanks" in r.json()["error_description"]
        wrong = httpx.post(server.url + "/connect/token", data={"grant_type": "client_credentials",
                                                               "client_id": "scanner", "client_secret": "s3cr t"})
        assert wrong.status_code == 401 and "arrived as blanks" not in wrong.text  # only the right secret gets the hint
        ok = httpx.post(server.url + "/connect/token", data={"grant_type": "client_credentials",
                                                            "client_id": "scanner", "client_secret": secret})
        assert ok.status_code == 200 and ok.json()["access_token"]
