"""What users bring: legal but unusual inputs through every front door.

Each test pins a case a real user hits (a transparent-background PNG held as
a numpy array, ...): the page comes out right, or a clear
:class:`ocrprep.OcrprepError` names the problem.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import ocrprep
from ocrprep import InputType, OcrInput, PreprocessingFilter


def _text_page(h=60, w=160):
    """A white page with dark strokes: 0 ink on 255 paper, about 8 % ink."""
    page = np.full((h, w), 255, np.uint8)
    for x in range(10, w - 20, 16):
        page[15:45, x:x + 3] = 0
        page[15:18, x:x + 10] = 0
    return page


def _transparent_background(page):
    """The page as many PNGs from drawing tools hold it: black RGB everywhere, the ink in the alpha."""
    rgba = np.zeros(page.shape + (4,), np.uint8)
    rgba[..., 3] = 255 - page
    return rgba


def _ink(img):
    grey = img if img.ndim == 2 else img.mean(axis=2)
    return grey < 128


# --------------------------------------------------------------------------- #
# RGBA numpy arrays with a transparent background: transparent pixels are paper
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("method", ["auto", "otsu", "sauvola"])
def test_binarize_rgba_array_lays_transparency_on_paper(method):
    page = _text_page()
    bw = ocrprep.binarize(_transparent_background(page), method)
    # the ink is where the page's ink is: neither an all-white nor an all-black page
    assert np.array_equal(bw == 0, page == 0)


def test_ocrinput_rgba_array_is_not_an_all_black_page():
    page = _text_page()
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(_transparent_background(page))
    (out,) = [p.image for p in doc.pages("raise")]
    assert np.array_equal(_ink(out), page == 0)
    # the same pixels as the PNG file of that array, which Pillow decodes on white
    buf = io.BytesIO()
    Image.fromarray(_transparent_background(page), "RGBA").save(buf, "PNG")
    np.testing.assert_array_equal(out, ocrprep.imread(buf.getvalue()))


def test_filters_on_rgba_array_keep_the_text():
    page = _text_page()
    out = PreprocessingFilter.from_spec("median(3)").apply(_transparent_background(page))
    assert _ink(out).mean() == pytest.approx((page == 0).mean(), abs=0.02)


def test_skew_of_rgba_array_sees_the_text():
    page = _text_page(200, 400)
    page[:] = 255
    for y in range(30, 180, 20):  # lines of "text" at a slight slope
        for x in range(20, 380, 8):
            yy = y + (x * 3) // 100
            page[yy:yy + 6, x:x + 5] = 0
    rgba = _transparent_background(page)
    assert ocrprep.detect_skew(rgba) == pytest.approx(ocrprep.detect_skew(page), abs=0.05)


def test_flatten_alpha_matches_pillow_composite_on_white(rng):
    rgba = rng.integers(0, 256, (30, 40, 4), dtype=np.uint8)
    white = Image.new("RGBA", (40, 30), (255, 255, 255, 255))
    expected = np.asarray(Image.alpha_composite(white, Image.fromarray(rgba, "RGBA")).convert("RGB"))
    got = ocrprep.flatten_alpha(rgba)
    assert got.shape == (30, 40, 3) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)
    # every (colour, alpha) pair, against Pillow
    c, a = np.meshgrid(np.arange(256), np.arange(256))
    every = np.dstack([c, c, c, a]).astype(np.uint8)
    white256 = Image.new("RGBA", (256, 256), (255, 255, 255, 255))
    np.testing.assert_array_equal(
        ocrprep.flatten_alpha(every), np.asarray(Image.alpha_composite(white256, Image.fromarray(every)).convert("RGB"))
    )
    la = rgba[..., 2:]  # grey + alpha
    expected_la = np.asarray(Image.alpha_composite(white, Image.fromarray(la, "LA").convert("RGBA")).convert("L"))
    assert np.abs(ocrprep.flatten_alpha(la).astype(int) - expected_la).max() <= 1
    opaque = rgba.copy()
    opaque[..., 3] = 255
    np.testing.assert_array_equal(ocrprep.flatten_alpha(opaque), rgba[..., :3])
    grey = np.ascontiguousarray(rgba[..., 0])
    assert ocrprep.flatten_alpha(grey) is grey


# --------------------------------------------------------------------------- #
# colour-keyed transparency (PNG tRNS on grey/RGB): the keyed colour is paper
# --------------------------------------------------------------------------- #
def _png(img, **info):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PNG", **info)
    return buf.getvalue()


def test_rgb_png_with_transparent_colour_key_reads_on_white():
    page = _text_page()
    rgb = np.zeros(page.shape + (3,), np.uint8)  # black background, marked transparent by tRNS
    rgb[page == 0] = (0, 0, 140)  # dark blue text
    out = ocrprep.imread(_png(rgb, transparency=(0, 0, 0)))
    assert out.shape == rgb.shape
    np.testing.assert_array_equal(out[page != 0], 255)  # the background is white paper
    np.testing.assert_array_equal(out[page == 0], rgb[page == 0])
    assert np.array_equal(ocrprep.binarize(out) == 0, page == 0)


def test_grey_png_with_transparent_colour_key_reads_on_white():
    page = _text_page()
    grey = np.where(page == 0, 60, 0).astype(np.uint8)  # grey text, transparent black background
    out = ocrprep.imread(_png(grey, transparency=0))
    assert out.shape == page.shape  # still a grey page
    np.testing.assert_array_equal(out, np.where(page == 0, 60, 255))


def test_grey_with_alpha_png_reads_as_a_grey_page():
    # imread's contract: grey images give (H, W); LA is grey + alpha
    page = _text_page()
    la = np.dstack([np.zeros_like(page), 255 - page])
    out = ocrprep.imread(_png(la))
    assert out.shape == page.shape
    np.testing.assert_array_equal(out, page)


# --------------------------------------------------------------------------- #
# a file object left at its end (img.save(buf) without buf.seek(0))
# --------------------------------------------------------------------------- #
def _written_buffer():
    buf = io.BytesIO()
    Image.fromarray(_text_page()).save(buf, "PNG")
    return buf  # at its end, as Image.save leaves it


@pytest.mark.parametrize("door", ["imread", "OcrInput.add", "recognize_source"])
def test_stream_left_at_its_end_says_to_rewind(door):
    buf = _written_buffer()
    with pytest.raises(ocrprep.ImageDecodeError, match=r"at its end.*seek\(0\)"):
        if door == "imread":
            ocrprep.imread(buf)
        elif door == "OcrInput.add":
            OcrInput(InputType.SINGLE_IMAGE).add(buf)
        else:
            list(ocrprep.io.iter_pages(buf))
    buf.seek(0)
    np.testing.assert_array_equal(ocrprep.imread(buf), _text_page())


def test_empty_stream_at_its_start_is_just_empty():
    with pytest.raises(ocrprep.ImageDecodeError, match="empty data") as info:
        ocrprep.imread(io.BytesIO())
    assert "seek" not in str(info.value)


# --------------------------------------------------------------------------- #
# arrays as scikit-image, OpenCV and tifffile hand them over: float, bool, 16-bit
# --------------------------------------------------------------------------- #
def _as_file_would_read(arr, fmt="TIFF"):
    """What imread makes of the same pixels saved in a file (Pillow writes F and I;16 TIFFs)."""
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt)
    return ocrprep.imread(buf.getvalue())


@pytest.mark.parametrize("kind", ["float01", "float255", "float32_01", "uint16", "bool", "int32", "bigendian_u2"])
def test_ocrinput_reads_non_uint8_arrays_like_files(kind):
    page = _text_page()
    arr = {
        "float01": page / 255.0,
        "float255": page.astype(np.float64),
        "float32_01": (page / 255.0).astype(np.float32),
        "uint16": page.astype(np.uint16) * 257,
        "bool": page > 128,
        "int32": page.astype(np.int32),
        "bigendian_u2": (page.astype(np.uint16) * 257).astype(">u2"),
    }[kind]
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(arr)
    (out,) = [p.image for p in doc.pages("raise")]
    assert out.dtype == np.uint8 and out.shape == page.shape
    np.testing.assert_array_equal(out, page)
    if kind in ("float01", "uint16"):
        np.testing.assert_array_equal(out, _as_file_would_read(arr.astype(np.float32) if kind == "float01" else arr))


def test_ocrinput_reads_grey_alpha_and_float_rgba_arrays():
    page = _text_page()
    la = np.dstack([np.zeros_like(page), 255 - page])
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(la)
    doc.add(_transparent_background(page) / 255.0)  # float RGBA in [0, 1]
    grey, rgb = [p.image for p in doc.pages("raise")]
    np.testing.assert_array_equal(grey, page)
    assert np.array_equal(_ink(rgb), page == 0)


def test_recognize_image_takes_a_float_page():
    from ocrprep.data import sample_path

    page = np.asarray(Image.open(sample_path()).convert("L"))
    want = ocrprep.OcrEngine().recognize_image(page).recognition_text
    got = ocrprep.OcrEngine().recognize_image(page / 255.0).recognition_text
    assert got == want and len(want.split()) > 5


def test_non_numeric_and_nonsense_arrays_are_refused_clearly():
    with pytest.raises(ocrprep.ImageTypeError, match="dtype"):
        OcrInput(InputType.SINGLE_IMAGE).add(np.zeros((4, 4), complex))
    with pytest.raises(ocrprep.InvalidImageError, match="channels"):
        OcrInput(InputType.SINGLE_IMAGE).add(np.zeros((4, 4, 5), np.uint8))
    png = np.frombuffer(_png(_text_page()), np.uint8)  # cv2.imencode's output
    with pytest.raises(ocrprep.InvalidImageError, match=r"encoded image file.*tobytes"):
        OcrInput(InputType.SINGLE_IMAGE).add(png)


def test_kernels_name_the_conversion_for_16_bit_pixels():
    with pytest.raises(ocrprep.ImageTypeError, match=r"uint16.*// 257"):
        ocrprep.binarize(np.zeros((4, 4), np.uint16))
    with pytest.raises(ocrprep.ImageTypeError, match=r"float32.*\* 255"):
        ocrprep.binarize(np.zeros((4, 4, 3), np.float32))


# --------------------------------------------------------------------------- #
# HEIC photos (the iPhone camera's default format)
# --------------------------------------------------------------------------- #
def _heic_bytes(page):
    pillow_heif = pytest.importorskip("pillow_heif")
    buf = io.BytesIO()
    try:  # written by pillow-heif itself: Pillow is not taught HEIF here, ocrprep must do it
        pillow_heif.from_pillow(Image.fromarray(page).convert("RGB")).save(buf, quality=95)
    except (KeyError, OSError, ValueError) as exc:  # a libheif build without an HEVC encoder
        pytest.skip(f"pillow-heif cannot write HEIC here: {exc}")
    return buf.getvalue()


def test_heic_photo_is_read(tmp_path):
    page = _text_page()
    data = _heic_bytes(page)
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        out = ocrprep.imread(source, mode="gray")
        assert out.shape == page.shape
        assert np.mean(np.abs(out.astype(int) - page)) < 12  # lossy, but the page
    # a phone photo taken sideways: stored rotated, its orientation recorded (Pillow, taught HEIF by
    # the reads above, writes EXIF orientation 6 as HEIF's irot as phones do): it comes out upright
    sideways = Image.fromarray(page).rotate(90, expand=True).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    sideways.save(buf, "HEIF", exif=exif.tobytes(), quality=95)
    upright = ocrprep.imread(buf.getvalue(), mode="gray")
    assert upright.shape == page.shape
    assert np.mean(np.abs(upright.astype(int) - page)) < 12
    # a folder of phone photos: the HEIC is taken, not skipped
    doc = OcrInput(InputType.DIRECTORY)
    doc.add(tmp_path)
    assert [p.source for p in doc.pages("raise")] == [str(path)]


def test_heic_without_the_extra_names_it(tmp_path, monkeypatch):
    import sys

    data = _heic_bytes(_text_page())
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # as if pillow-heif were not installed
    with pytest.raises(ocrprep.UnsupportedFormatError, match=r"HEIC.*ocrprep\[heif\]"):
        ocrprep.imread(data)
    (tmp_path / "photo.heic").write_bytes(data)
    doc = OcrInput(InputType.DIRECTORY)
    doc.add(tmp_path)
    assert list(doc.pages("skip")) == [] and "ocrprep[heif]" in str(doc.errors[0].error)


# --------------------------------------------------------------------------- #
# URLs as people paste them: spaces and non-ASCII letters in the path, stray blanks
# --------------------------------------------------------------------------- #
def test_urls_with_spaces_and_unicode_are_fetched_as_a_browser_would():
    from urllib.parse import quote

    from frontdoor import serve

    page = _text_page()
    data = _png(page)
    routes = {"/" + quote("my scan ü.png"): data, "/" + quote("100% fair.png"): data,
              "/q.png?name=" + quote("a b"): data}
    with serve(routes) as base:
        for url in (f"{base}/my scan ü.png", f"{base}/my%20scan%20%C3%BC.png", f"{base}/100% fair.png",
                    f"{base}/q.png?name=a b", f"  {base}/my scan ü.png\n"):
            np.testing.assert_array_equal(ocrprep.imread(url), page)
            doc = OcrInput(InputType.URL)
            doc.add(url)
            (got,) = [p.image for p in doc.pages("raise")]
            np.testing.assert_array_equal(got, page)
        with pytest.raises(ocrprep.DownloadError, match="404"):
            ocrprep.imread(f"{base}/no such ü.png")


# --------------------------------------------------------------------------- #
# pages taller than Tesseract takes (32 767 px): long receipts, full-page screenshots
# --------------------------------------------------------------------------- #
def _tall_page(height=40000, step=1000):
    from PIL import ImageDraw

    from frontdoor import font

    im = Image.new("L", (700, height), 255)
    draw, f = ImageDraw.Draw(im), font(28)
    for i, y in enumerate(range(100, height - 100, step)):
        draw.text((30, y), f"line {i} receipt total", fill=0, font=f)
    return np.asarray(im), len(range(100, height - 100, step))


def test_a_page_taller_than_tesseract_takes_is_read_in_bands():
    page, n = _tall_page()
    (result,) = ocrprep.recognize(page)
    assert result.error is None
    text_lines = [line for line in result.recognition_text.splitlines() if "receipt" in line]
    assert len(text_lines) == n  # no line lost or cut in two at a band edge
    # every line is where it is on the page, not where it is in its band
    tops = {}
    for line in result.recognition_lines_result:
        words = line.text_in_line.split()
        if len(words) > 1 and words[0] == "line" and words[1].isdigit():
            tops[int(words[1])] = line.line.y
    assert len(tops) >= n - 2
    for i, top in tops.items():
        assert abs(top - (100 + 1000 * i)) < 40, (i, top)


def test_too_wide_a_page_and_tall_hocr_are_refused_clearly():
    with pytest.raises(ocrprep.InvalidImageError, match=r"40,000 pixels wide.*32,767"):
        ocrprep.OcrEngine().recognize_image(np.full((20, 40000), 255, np.uint8))
    with pytest.raises(ocrprep.InvalidImageError, match=r"tall.*hOCR"):
        ocrprep.OcrEngine().recognize_image(np.full((40000, 20), 255, np.uint8),
                                           ocrprep.RecognitionSettings(result_type="hocr"))


def test_band_cuts_fall_between_dense_text_lines():
    from ocrprep.ocr import TESSERACT_MAX_SIDE, _band_cuts

    page = np.full((70001, 300), 255, np.uint8)
    for y in range(0, page.shape[0], 45):  # 33-row "lines" with 12-row gaps
        page[y:y + 33, 10:290] = 0
    cuts = _band_cuts(page)
    assert cuts[0] == 0 and cuts[-1] == page.shape[0]
    assert all(0 < b - a <= TESSERACT_MAX_SIDE for a, b in zip(cuts[:-1], cuts[1:]))
    for y in cuts[1:-1]:
        assert (page[y] == 255).all(), y  # a blank row: no line is cut in two


# --------------------------------------------------------------------------- #
# a path handed over as bytes (os.fsencode, os.listdir(b".")): bytes are image data
# --------------------------------------------------------------------------- #
def test_bytes_holding_a_path_get_a_hint(tmp_path):
    import os

    path = tmp_path / "scan.png"
    path.write_bytes(_png(_text_page()))
    with pytest.raises(ocrprep.UnsupportedFormatError, match=r"look like a file name.*str or pathlib\.Path"):
        ocrprep.imread(os.fsencode(path))
    with pytest.raises(ocrprep.UnsupportedFormatError) as info:
        ocrprep.imread(b"not an image")
    assert "file name" not in str(info.value)  # plain junk gets no hint
    np.testing.assert_array_equal(ocrprep.imread(os.fsdecode(os.fsencode(path))), _text_page())


# --------------------------------------------------------------------------- #
# writing: format size limits, RGBA into formats without alpha
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("ext, side", [(".webp", 16384), (".gif", 70000), (".jpg", 70000)])
def test_imwrite_past_a_format_size_limit_is_refused_clearly(tmp_path, ext, side):
    strip = np.full((3, side), 255, np.uint8)
    strip[:, ::7] = 0
    with pytest.raises(ocrprep.InvalidImageError, match=r"at most .* pixels a side.*PNG or TIFF"):
        ocrprep.imwrite(tmp_path / f"strip{ext}", strip)
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
    np.testing.assert_array_equal(ocrprep.imread(ocrprep.imwrite(tmp_path / "strip.png", strip)), strip)


def test_image_processing_save_of_a_too_tall_page_as_webp_is_a_page_error(tmp_path):
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(np.full((20000, 10), 255, np.uint8))
    doc.add(_text_page())
    with pytest.warns(ocrprep.OcrprepWarning, match="16,383"):
        written = ocrprep.ImageProcessing.save(doc, tmp_path, format="webp")
    assert len(written) == 1 and len(doc.errors) == 1


@pytest.mark.parametrize("ext", [".jpg", ".bmp", ".ppm"])
def test_imwrite_rgba_into_a_format_without_alpha_lays_it_on_white(tmp_path, ext):
    page = _text_page()
    out = ocrprep.imread(ocrprep.imwrite(tmp_path / f"page{ext}", _transparent_background(page)), mode="gray")
    assert np.array_equal(out < 128, page == 0)  # not an all-black page


# --------------------------------------------------------------------------- #
# TIFF sample formats from scientific and archival scanners
# --------------------------------------------------------------------------- #
def test_32_bit_unsigned_tiff_is_not_read_wrapped_around():
    tifffile = pytest.importorskip("tifffile")
    page = _text_page()
    buf = io.BytesIO()
    tifffile.imwrite(buf, page.astype(np.uint32) * 16843009)  # 255 -> 2**32 - 1
    np.testing.assert_array_equal(ocrprep.imread(buf.getvalue()), page)  # it came out inverted


@pytest.mark.parametrize("kind", ["float64", "rgb_float32", "five_channels"])
def test_tiff_variants_pillow_cannot_decode_are_named_not_called_corrupt(kind):
    tifffile = pytest.importorskip("tifffile")
    page = _text_page()
    data, options = {
        "float64": (page / 255.0, {}),
        "rgb_float32": (np.dstack([page] * 3).astype(np.float32) / 255, {"photometric": "rgb"}),
        "five_channels": (np.dstack([page] * 5), {"photometric": "minisblack", "planarconfig": "contig"}),
    }[kind]
    buf = io.BytesIO()
    tifffile.imwrite(buf, data, **options)
    with pytest.raises(ocrprep.ImageDecodeError, match=r"corrupt, or a variant Pillow does not read.*convert it"):
        ocrprep.imread(buf.getvalue())


def test_document_readers_see_the_text_of_an_rgba_page():
    from ocrprep.documents.regions import gray_of

    page = _text_page()
    np.testing.assert_array_equal(gray_of(_transparent_background(page)), page)


# --------------------------------------------------------------------------- #
# web framework uploads: FastAPI/Starlette UploadFile has an async read()
# --------------------------------------------------------------------------- #
class _Upload:
    """The shape of Starlette's UploadFile: async read(), the spooled file in .file, the client's filename."""

    def __init__(self, data, filename="photo.png", file=True):
        self.filename = filename
        if file:
            self.file = io.BytesIO(data)
        self._data = data

    async def read(self, size=-1):
        return self._data


def test_upload_objects_with_an_async_read_are_read_through_their_file():
    page = _text_page()
    np.testing.assert_array_equal(ocrprep.imread(_Upload(_png(page))), page)
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(_Upload(_png(page), "scan 7.png"))
    (got,) = list(doc.pages("raise"))
    assert got.source == "scan 7.png"  # named by the client's file name
    np.testing.assert_array_equal(got.image, page)


def test_async_file_objects_without_a_file_say_to_await(recwarn):
    with pytest.raises(ocrprep.ParameterTypeError, match=r"asynchronous.*await"):
        ocrprep.imread(_Upload(_png(_text_page()), file=False))
    with pytest.raises(ocrprep.ParameterTypeError, match=r"asynchronous.*await"):
        OcrInput(InputType.SINGLE_IMAGE).add(_Upload(_png(_text_page()), file=False))
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_flask_style_upload_is_named_by_its_filename_not_its_form_field():
    page = _text_page()

    class FileStorage(io.BytesIO):  # werkzeug's: .name is the form field, .filename the client's file
        name = "file"
        filename = "receipt.png"

    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(FileStorage(_png(page)))
    (got,) = list(doc.pages("raise"))
    assert got.source == "receipt.png"
    assert next(ocrprep.io.iter_pages(FileStorage(_png(page)))).source == "receipt.png"


# --------------------------------------------------------------------------- #
# several documents at once
# --------------------------------------------------------------------------- #
def test_recognize_takes_a_list_of_documents(tmp_path):
    from ocrprep.data import sample_path

    page = np.asarray(Image.open(sample_path()).convert("L"))
    copy = tmp_path / "copy of sample.png"
    copy.write_bytes(_png(page))
    one = ocrprep.recognize(page)[0].recognition_text
    results = ocrprep.recognize([copy, page, str(copy)])
    assert [r.recognition_text for r in results] == [one] * 3
    assert results[0].source == str(copy)
    with pytest.raises(ocrprep.InvalidParameterError, match="empty"):
        ocrprep.recognize([])
    with pytest.raises(ocrprep.InputNotFoundError):
        ocrprep.recognize([copy, tmp_path / "missing.png"])


def test_imread_mode_applies_to_arrays_as_to_files(rng):
    rgb = rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    grey = rgb[..., 1].copy()
    for arr in (rgb, grey):
        for mode in ("gray", "rgb", "auto"):
            np.testing.assert_array_equal(ocrprep.imread(arr, mode=mode), ocrprep.imread(_png(arr), mode=mode))
    assert [p.image.ndim for p in ocrprep.io.iter_pages(rgb, mode="gray")] == [2]


@pytest.mark.parametrize("kind", ["uint8", "rgba", "float", "view"])
def test_ocrinput_keeps_its_own_copy_of_an_added_array(kind):
    page = _text_page()
    arr = {"uint8": page.copy(), "rgba": _transparent_background(page), "float": page / 255.0,
           "view": np.dstack([page] * 3)[:, :, 1]}[kind]
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(arr)
    arr[...] = 0  # the caller reuses its buffer
    (got,) = [p.image for p in doc.pages("raise")]
    assert np.array_equal(_ink(got), page == 0)


# --------------------------------------------------------------------------- #
# recognition settings on colour pages
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("options", [{"auto_contrast": True}, {"detect_areas_mode": "text_in_wild"}])
def test_contrast_settings_take_a_colour_page(options):
    from frontdoor import text_page

    grey = text_page(["Open daily from nine", "Parking at the back"], size=(700, 160))
    colour = np.dstack([grey, grey, np.maximum(grey, 90)]).astype(np.uint8)  # ink tinted blue
    (result,) = ocrprep.recognize(colour, **options)
    assert result.error is None  # was: img must be a 2-D grayscale image
    assert {"daily", "Parking"} <= set(result.recognition_text.split())


# --------------------------------------------------------------------------- #
# a share link that answers with a web page instead of the file
# --------------------------------------------------------------------------- #
def test_an_html_page_instead_of_an_image_is_named():
    from frontdoor import serve

    html = b"<!DOCTYPE html>\n<html><head><title>Shared file</title></head><body>Download</body></html>"
    with serve({"/s/abc/scan.png": html, "/plain": b"<html lang='en'><body>hi</body></html>"}) as base:
        for url in (f"{base}/s/abc/scan.png", f"{base}/plain"):
            with pytest.raises(ocrprep.UnsupportedFormatError, match=r"HTML page, not an image.*link"):
                ocrprep.imread(url)
    with pytest.raises(ocrprep.UnsupportedFormatError) as info:
        ocrprep.imread(b"just some text")
    assert "HTML" not in str(info.value)


def test_a_folder_whose_scans_are_in_subfolders_says_so(tmp_path):
    (tmp_path / "2024" / "march").mkdir(parents=True)
    (tmp_path / "2024" / "march" / "scan.png").write_bytes(_png(_text_page()))
    doc = OcrInput(InputType.DIRECTORY)
    doc.add(tmp_path)
    assert list(doc.pages("skip")) == []
    assert "(its subfolder is not read: add each folder, or use 'ocrprep batch'" in str(doc.errors[0].error)
    (tmp_path / "empty").mkdir()
    doc.add(tmp_path / "empty")
    list(doc.pages("skip"))
    assert "subfolder" not in str(doc.errors[-1].error)


def test_avif_is_read_by_pillow_even_without_the_heif_extra(monkeypatch):
    import sys

    from PIL import features

    if not features.check("avif"):
        pytest.skip("this Pillow has no AVIF support")
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    page = _text_page()
    buf = io.BytesIO()
    Image.fromarray(page).convert("RGB").save(buf, "AVIF", quality=95)
    out = ocrprep.imread(buf.getvalue(), mode="gray")
    assert out.shape == page.shape and np.mean(np.abs(out.astype(int) - page)) < 12
    # the generic 'mif1' major brand with 'avif' among the compatible ones is AVIF too, not HEIC
    data = buf.getvalue()
    assert ocrprep.io._sniff(data[:8] + b"mif1" + data[12:]) is None


# --------------------------------------------------------------------------- #
# paths typed as in a shell
# --------------------------------------------------------------------------- #
def test_a_tilde_path_or_pasted_blanks_get_a_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "scan.png").write_bytes(_png(_text_page()))
    for door in (ocrprep.imread, lambda p: OcrInput(InputType.SINGLE_IMAGE).add(p)):
        with pytest.raises(ocrprep.InputNotFoundError, match=r"~ is not expanded.*expanduser"):
            door("~/scan.png")
        with pytest.raises(ocrprep.InputNotFoundError, match="blanks around it"):
            door(f" {tmp_path / 'scan.png'}\n")
        with pytest.raises(ocrprep.InputNotFoundError) as info:
            door(str(tmp_path / "nothing.png"))
        assert "(" not in str(info.value)  # a plain missing file: no hint


# --------------------------------------------------------------------------- #
# streams that cannot seek (pipes, sockets, stdin): read up to a cap, never without end
# --------------------------------------------------------------------------- #
class _Endless(io.RawIOBase):
    """A pipe that never ends: ``head`` then zeros for ever."""

    def __init__(self, head=b""):
        self.head, self.pos = head, 0

    def readable(self):
        return True

    def readinto(self, b):
        n = len(b)
        chunk = self.head[self.pos:self.pos + n] if self.pos < len(self.head) else b""
        b[:n] = chunk + b"\0" * (n - len(chunk))
        self.pos += n
        return n


class _Pipe(io.RawIOBase):
    def __init__(self, data):
        self.data = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, b):
        chunk = self.data.read(len(b))
        b[:len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("head", [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"])
def test_an_endless_stream_ends_in_a_clear_error(monkeypatch, head):
    monkeypatch.setattr(ocrprep.io, "MAX_BYTES", 1 << 20)
    for door in (ocrprep.imread, lambda s: OcrInput(InputType.SINGLE_IMAGE).add(s)):
        with pytest.raises(ocrprep.InputTooLargeError, match="cannot seek"):
            door(io.BufferedReader(_Endless(head)))


def test_a_finite_pipe_is_read_whole():
    page = _text_page()
    np.testing.assert_array_equal(ocrprep.imread(io.BufferedReader(_Pipe(_png(page)))), page)
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(io.BufferedReader(_Pipe(_png(page))))
    np.testing.assert_array_equal([p.image for p in doc.pages("raise")][0], page)


def test_cli_stdin_pipe_is_read_up_to_the_byte_cap(tmp_path):
    import os
    import subprocess
    import sys

    data = _png(_text_page())
    env = dict(os.environ, OCRPREP_MAX_BYTES=str(len(data) - 1))
    cmd = [sys.executable, "-m", "ocrprep.cli", "binarize", "-", "-o", str(tmp_path / "out.png"), "-q"]
    over = subprocess.run(cmd, input=data, capture_output=True, env=env, timeout=120)
    assert over.returncode == 1 and b"cannot seek" in over.stderr and b"Traceback" not in over.stderr
    env["OCRPREP_MAX_BYTES"] = str(len(data))
    ok = subprocess.run(cmd, input=data, capture_output=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "out.png").exists()


def test_float_page_with_inf_or_nan_pixels_keeps_its_text():
    page = _text_page() / 255.0
    page[0, 0], page[0, 1], page[1, 0] = np.inf, -np.inf, np.nan
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(page)
    (got,) = [p.image for p in doc.pages("raise")]
    np.testing.assert_array_equal(got[2:], _text_page()[2:])  # not an all-black page


def test_kernels_given_a_path_or_pil_image_point_to_imread(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(_png(_text_page()))
    for wrong in (str(path), path, path.read_bytes(), Image.open(path)):
        for kernel in (ocrprep.binarize, lambda img: ocrprep.median(img, 3), ocrprep.to_grayscale):
            with pytest.raises(ocrprep.ImageTypeError, match=r"ocrprep\.imread first"):
                kernel(wrong)
    with pytest.raises(ocrprep.ImageTypeError, match=r"np\.asarray"):
        ocrprep.binarize([[0, 255], [255, 0]])


def test_auto_binarize_called_directly_lays_transparency_on_paper():
    # black text drawn only in the alpha channel over black pixels: read on white it is text on paper
    from ocrprep.auto import auto_binarize

    page = np.zeros((120, 200, 4), np.uint8)
    page[40:80, 30:36, -1] = 255
    page[40:80, 120:126, -1] = 255
    bw = auto_binarize(page)
    assert bw.shape == (120, 200)
    assert (bw[40:80, 30:36] == 0).all() and (bw[40:80, 120:126] == 0).all()
    assert (bw == 255).mean() > 0.95


def test_table_functions_lay_transparency_on_paper():
    # a ruled grid drawn only in the alpha channel over black pixels
    from ocrprep.tables import find_tables, ruling_lines

    page = np.zeros((300, 400, 4), np.uint8)
    for y in (20, 100, 180, 260):
        page[y:y + 3, 20:380, 3] = 255
    for x in (20, 200, 377):
        page[20:263, x:x + 3, 3] = 255
    rgb = np.full((300, 400, 3), 255, np.uint8)
    rgb[page[..., 3] == 255] = 0
    h_alpha, v_alpha = ruling_lines(page)
    h_rgb, v_rgb = ruling_lines(rgb)
    assert h_rgb.any() and v_rgb.any()
    assert np.array_equal(h_alpha, h_rgb) and np.array_equal(v_alpha, v_rgb)
    assert [t.box for t in find_tables(page)] == [t.box for t in find_tables(rgb)] != []
