"""OcrInput / InputType and ImageProcessing.save."""
from __future__ import annotations

import base64
import doctest
import io
import zipfile

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.inputs as imod
import ocrprep.processing as pmod
from frontdoor import encode, nonpage_pdf, serve
from ocrprep import ImageProcessing, InputType, OcrInput, PreprocessingFilter
from ocrprep.errors import (
    DownloadError,
    ImageDecodeError,
    InputNotFoundError,
    InvalidParameterError,
    ParameterTypeError,
    UnsupportedFormatError,
)
from ocrprep.io import PageError


@pytest.fixture
def pages(rng):
    return [rng.integers(0, 256, (20 + i, 30), dtype=np.uint8) for i in range(3)]


def tiff(frames):
    buf = io.BytesIO()
    ims = [Image.fromarray(f) for f in frames]
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:])
    return buf.getvalue()


def test_iteration_yields_source_page_image_with_filters(tmp_path, pages):
    p = tmp_path / "scan.png"
    Image.fromarray(pages[0]).save(p)
    doc = OcrInput(InputType.SINGLE_IMAGE, PreprocessingFilter([PreprocessingFilter.threshold(128)]))
    doc.add(str(p))
    doc.add(pages[1])
    doc.add(encode(pages[2]))
    out = list(doc)
    assert [(s, n) for s, n, _ in out] == [(str(p), 1), ("array2", 1), ("image3", 1)]
    for (_, _, img), src in zip(out, pages):
        np.testing.assert_array_equal(img, np.where(src > 128, 255, 0))
    assert len(doc) == doc.count() == 3 and doc.get_input_type() is InputType.SINGLE_IMAGE
    assert doc[1] is not pages[1] and np.array_equal(doc[1], pages[1])  # arrays are copied when added


def test_single_image_takes_first_page_tiff_takes_all(pages):
    data = tiff([np.full((5, 5), v, np.uint8) for v in (10, 20, 30)])
    single = OcrInput(InputType.SINGLE_IMAGE)
    single.add(data)
    assert [p.page for p in single] == [1]
    multi = OcrInput(InputType.TIFF)
    multi.add(data)
    multi.add(data, start_page=1, pages_count=1)
    assert [(p.page, int(p.image[0, 0])) for p in multi] == [(1, 10), (2, 20), (3, 30), (2, 20)]


def test_bad_source_does_not_stop_the_others(tmp_path, pages):
    good = tmp_path / "good.png"
    Image.fromarray(pages[0]).save(good)
    broken = tmp_path / "broken.png"
    broken.write_bytes(encode(pages[1])[:40])
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(str(broken))
    doc.add(str(good))
    doc.add(b"definitely not an image")
    doc.add(str(good))
    got = list(doc)
    assert [s for s, _, _ in got] == [str(good), str(good)]
    assert [type(e.error).__name__ for e in doc.errors] == ["ImageDecodeError", "UnsupportedFormatError"]
    assert str(broken) in str(doc.errors[0].error)
    yielded = list(doc.pages(on_error="yield"))
    assert [type(x).__name__ for x in yielded] == ["PageError", "Page", "PageError", "Page"]
    with pytest.raises(ImageDecodeError):
        list(doc.pages(on_error="raise"))


def test_filter_failure_is_a_page_error(pages):
    doc = OcrInput(InputType.SINGLE_IMAGE, PreprocessingFilter.from_spec("threshold(100, area=(500, 500, 5, 5))"))
    doc.add(pages[0])
    assert list(doc) == []
    assert "outside" in str(doc.errors[0].error)


def test_workers_keep_order(rng):
    frames = [rng.integers(0, 256, (64, 64), dtype=np.uint8) for _ in range(9)]
    doc = OcrInput(InputType.TIFF, "threshold(90)")
    doc.add(tiff(frames))
    serial = [p.image for p in doc.pages()]
    parallel = [p.image for p in doc.pages(workers=3)]
    assert len(parallel) == 9
    for a, b, f in zip(serial, parallel, frames):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, np.where(f > 90, 255, 0))


def test_directory_zip_base64_url_inputs(tmp_path, pages):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, p in enumerate(pages):
        Image.fromarray(p).save(folder / f"p{i}.png")
    d = OcrInput(InputType.DIRECTORY)
    d.add(folder)
    assert [s.rsplit("/", 1)[1] for s, _, _ in d] == ["p0.png", "p1.png", "p2.png"]
    d2 = OcrInput(InputType.DIRECTORY)
    d2.add(folder, start_page=1, pages_count=1)
    assert [s.rsplit("/", 1)[1] for s, _, _ in d2] == ["p1.png"]

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, p in enumerate(pages):
            z.writestr(f"m{i}.png", encode(p))
    zpath = tmp_path / "pages.zip"
    zpath.write_bytes(buf.getvalue())
    z = OcrInput(InputType.ZIP)
    z.add(str(zpath))
    got = list(z)
    assert [s for s, _, _ in got] == [f"{zpath}/m{i}.png" for i in range(3)]
    np.testing.assert_array_equal(got[2].image, pages[2])

    b = OcrInput(InputType.BASE64)
    b.add(base64.b64encode(encode(pages[0])).decode())
    b.add_base64("data:image/png;base64," + base64.b64encode(encode(pages[1])).decode())
    np.testing.assert_array_equal([p.image for p in b][1], pages[1])

    with serve({"/a.png": encode(pages[0]), "/missing.png": (404, b"")}) as base:
        u = OcrInput(InputType.URL)
        u.add(base + "/a.png")
        u.add(base + "/missing.png")
        got = list(u)
        assert len(got) == 1 and got[0].source.endswith("/a.png")
        assert isinstance(u.errors[0].error, DownloadError)


def test_add_validation(tmp_path, pages):
    with pytest.raises(InputNotFoundError):
        OcrInput(InputType.SINGLE_IMAGE).add(tmp_path / "nope.png")
    with pytest.raises(ParameterTypeError):
        OcrInput(InputType.SINGLE_IMAGE).add(3.14)
    with pytest.raises(ParameterTypeError):
        OcrInput(InputType.PDF).add(pages[0])
    with pytest.raises(InvalidParameterError, match="DIRECTORY"):
        OcrInput(InputType.SINGLE_IMAGE).add(tmp_path)
    f = tmp_path / "x.png"
    Image.fromarray(pages[0]).save(f)
    with pytest.raises(InvalidParameterError, match="folder"):
        OcrInput(InputType.DIRECTORY).add(f)
    with pytest.raises(InvalidParameterError, match="http"):
        OcrInput(InputType.URL).add("ftp://example.org/x.png")
    with pytest.raises(UnsupportedFormatError, match="DjVu"):
        OcrInput(InputType.DJVU)
    with pytest.raises(InvalidParameterError):
        OcrInput("carrier pigeon")
    with pytest.raises(InvalidParameterError):
        OcrInput(InputType.TIFF).add(f, start_page=-1)
    assert OcrInput("tiff").type is InputType.TIFF and OcrInput(2).type is InputType.TIFF


def test_file_objects_and_pil_images(tmp_path, pages):
    p = tmp_path / "a.png"
    Image.fromarray(pages[0]).save(p)
    doc = OcrInput(InputType.SINGLE_IMAGE)
    with open(p, "rb") as fh:
        doc.add(fh)
    doc.add(Image.open(p))
    for _ in range(2):  # iterable more than once
        imgs = [img for _, _, img in doc]
        assert len(imgs) == 2 and all(np.array_equal(i, pages[0]) for i in imgs)


def test_filters_replace_and_clear(pages):
    doc = OcrInput(InputType.SINGLE_IMAGE, "threshold(10)")
    doc.add(pages[0])
    doc.replace_filters("threshold(250)")
    assert str(doc.filters) == "threshold(value=250)"
    doc.clear_filters()
    np.testing.assert_array_equal(next(iter(doc)).image, pages[0])
    doc.clear()
    assert len(doc) == 0 and list(doc) == []


def test_adding_is_lazy(monkeypatch, tmp_path, pages):
    calls = []
    real = imod.iter_pages

    def spy(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(imod, "iter_pages", spy)
    doc = OcrInput(InputType.SINGLE_IMAGE)
    for p in pages:
        doc.add(p)
    assert calls == []
    it = iter(doc)
    next(it)
    assert len(calls) == 1  # decoding follows the iteration


# --------------------------------------------------------------------------- #
# ImageProcessing.save
# --------------------------------------------------------------------------- #
def test_save_names_formats_and_errors(tmp_path, pages):
    src = tmp_path / "source.png"
    Image.fromarray(pages[0]).save(src)
    doc = OcrInput(InputType.SINGLE_IMAGE, [PreprocessingFilter.threshold(128)])
    doc.add(str(src))
    doc.add(b"garbage")
    other = tmp_path / "other"
    other.mkdir()
    Image.fromarray(pages[1]).save(other / "source.png")
    doc.add(str(other / "source.png"))
    result = tmp_path / "result"
    with pytest.warns(ocrprep.OcrprepWarning, match="image2"):
        written = ImageProcessing.save(doc, result)
    assert [p.name for p in written] == ["source.png", "source_2.png"]
    with Image.open(result / "source.png") as im:
        assert im.mode == "1"  # binary pages are 1-bit
    np.testing.assert_array_equal(ocrprep.imread(result / "source.png"), np.where(pages[0] > 128, 255, 0))
    assert len(doc.errors) == 1 and "image2" in str(doc.errors[0].error)


def test_save_multipage_names(tmp_path):
    data = tiff([np.full((5, 6), v, np.uint8) for v in (10, 200)])
    (tmp_path / "report.tif").write_bytes(data)
    doc = OcrInput(InputType.TIFF)
    doc.add(str(tmp_path / "report.tif"))
    written = ImageProcessing.save(doc, tmp_path / "out", format="tif")
    assert [p.name for p in written] == ["report_page1.tif", "report_page2.tif"]
    assert int(ocrprep.imread(written[1])[0, 0]) == 200
    rendered = ImageProcessing.render(doc)
    assert [p.page for p in rendered] == [1, 2]


def test_module_doctests():
    for mod in (imod, pmod):
        result = doctest.testmod(mod)
        assert result.failed == 0
    assert doctest.testmod(imod).attempted > 0 and doctest.testmod(pmod).attempted > 0


def test_any_input_detects_each_kind(tmp_path, pages):
    folder = tmp_path / "dir"
    folder.mkdir()
    Image.fromarray(pages[0]).save(folder / "a.png")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("m.png", encode(pages[1]))
    doc = OcrInput.any("threshold(128)")
    doc.add(folder)
    doc.add(zbuf.getvalue(), name="pack.zip")
    doc.add(tiff([pages[2], pages[2]]), name="two.tif")
    doc.add(pages[0])
    got = [(s.rsplit("/", 1)[-1], n) for s, n, _ in doc]
    assert got == [("a.png", 1), ("m.png", 1), ("two.tif", 1), ("two.tif", 2), ("array4", 1)]
    assert doc.errors == []


def test_declared_type_must_match_content(tmp_path, pages):
    png = tmp_path / "x.png"
    Image.fromarray(pages[0]).save(png)
    for t, match in ((InputType.ZIP, "not a zip"), (InputType.PDF, "not a PDF")):
        doc = OcrInput(t)
        doc.add(str(png))
        assert list(doc) == [] and match in str(doc.errors[0].error)


def test_unexpected_failure_on_one_page_is_recorded(monkeypatch, pages):
    doc = OcrInput(InputType.SINGLE_IMAGE, "threshold(100)")
    for p in pages:
        doc.add(p)
    real = OcrInput.process

    def flaky(self, page):
        if page.source == "array2":
            raise RuntimeError("kernel bug")
        return real(self, page)

    monkeypatch.setattr(OcrInput, "process", flaky)
    assert [s for s, _, _ in doc] == ["array1", "array3"]
    assert isinstance(doc.errors[0].error, RuntimeError)


# --------------------------------------------------------------------------- #
# issue 3 audit: one bad source never stops the others; failures are never silent
# --------------------------------------------------------------------------- #
def two_page_pdf() -> bytes:
    buf = io.BytesIO()
    ims = [Image.fromarray(np.full((30, 40), v, np.uint8)) for v in (20, 220)]
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=72.0)
    return buf.getvalue()


def test_unloadable_pdf_page_does_not_stop_iteration_or_save(tmp_path):
    pytest.importorskip("pypdfium2")
    (tmp_path / "nonpage.pdf").write_bytes(nonpage_pdf())
    (tmp_path / "two.pdf").write_bytes(two_page_pdf())
    doc = OcrInput(InputType.PDF, dpi=72)
    doc.add(str(tmp_path / "nonpage.pdf"))
    doc.add(str(tmp_path / "two.pdf"))
    assert [(s.rsplit("/", 1)[1], n) for s, n, _ in doc] == [("two.pdf", 1), ("two.pdf", 2)]
    assert [(e.source.rsplit("/", 1)[1], e.page) for e in doc.errors] == [("nonpage.pdf", 1)]
    assert "nonpage.pdf page 1: cannot load the page" in str(doc.errors[0].error)
    with pytest.warns(ocrprep.OcrprepWarning, match="nonpage.pdf page 1"):
        written = ImageProcessing.save(doc, tmp_path / "out")
    assert [p.name for p in written] == ["two_page1.png", "two_page2.png"]


def test_base64_sources_are_named_in_add_order(tmp_path, pages):
    good = base64.b64encode(encode(pages[0])).decode()
    txt = tmp_path / "scan.txt"
    txt.write_text(base64.b64encode(encode(pages[1])).decode())
    doc = OcrInput(InputType.BASE64)
    doc.add(good)
    doc.add("!!! not base64 !!!")
    doc.add(base64.b64encode(b"hello, not an image").decode())
    doc.add(str(txt))
    doc.add(b"data:image/png;base64," + good.encode())
    got = [(s, n) for s, n, _ in doc]
    assert got == [("base64_1", 1), (str(txt), 1), ("base64_5", 1)]
    assert [e.source for e in doc.errors] == ["base64_2", "base64_3"]
    assert str(doc.errors[0].error).startswith("base64_2: invalid base64")
    assert str(doc.errors[1].error).startswith("base64_3: not an image format")
    doc.clear()
    doc.add(str(txt))
    assert [p.name for p in ImageProcessing.save(doc, tmp_path / "named")] == ["scan.png"]  # named after its file
    mixed = OcrInput.any()
    mixed.add("data:image/png;base64," + good)
    mixed.add("data:image/png;base64,AAAA")
    assert [s for s, _, _ in mixed] == ["base64_1"] and [e.source for e in mixed.errors] == ["base64_2"]


def test_save_warns_for_every_page_it_skips(tmp_path, pages):
    doc = OcrInput(InputType.SINGLE_IMAGE, "threshold(128)")
    doc.add(pages[0], name="good.png")
    doc.add(b"garbage one")
    doc.add(b"\x89PNG\r\n\x1a\n garbage two")
    with pytest.warns(ocrprep.OcrprepWarning) as record:
        written = ImageProcessing.save(doc, tmp_path / "out")
    assert [p.name for p in written] == ["good.png"]
    messages = [str(w.message) for w in record if issubclass(w.category, ocrprep.OcrprepWarning)]
    assert len(messages) == 2
    assert messages[0].startswith("page not saved: image2: not an image format")
    assert messages[1].startswith("page not saved: image3: corrupt PNG data")
    assert [e.source for e in doc.errors] == ["image2", "image3"]  # still recorded
    assert issubclass(ocrprep.OcrprepWarning, UserWarning)
    assert record[0].filename == __file__  # points at the caller's line


def test_save_warns_when_a_page_cannot_be_written(tmp_path, pages, monkeypatch):
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(pages[0], name="scan.png")

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pmod, "imwrite", full_disk)
    with pytest.warns(ocrprep.OcrprepWarning, match="page not saved as .*scan.png: scan.png: .*No space left"):
        assert ImageProcessing.save(doc, tmp_path / "out") == []
    assert isinstance(doc.errors[0].error, OSError)


def test_save_checks_format_and_folder_first(tmp_path, pages, monkeypatch):
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(pages[0], name="scan.png")
    read = []
    monkeypatch.setattr(OcrInput, "raw_pages", lambda self, on_error="yield": read.append(1) or iter(()))
    with pytest.raises(UnsupportedFormatError, match="'xyz'.*png"):
        ImageProcessing.save(doc, tmp_path / "fmt", format="xyz")
    assert not (tmp_path / "fmt").exists() and read == []  # refused before reading or creating anything
    blocker = tmp_path / "resultfile"
    blocker.write_text("a file in the way")
    for folder in (blocker, blocker / "sub"):
        # an OutputError (an OSError, like imwrite's), no longer an InvalidParameterError (a ValueError)
        with pytest.raises(ocrprep.OutputError, match=f"{folder}: cannot create the output folder") as info:
            ImageProcessing.save(doc, folder)
        assert isinstance(info.value, ocrprep.OcrprepError) and isinstance(info.value, OSError)
        assert not isinstance(info.value, ValueError) and info.value.errno is not None
    assert read == []
    monkeypatch.undo()
    for fmt, name in (("tif", "scan.tif"), (".TIFF", "scan.tiff"), ("JPG", "scan.jpg"), ("pgm", "scan.pgm")):
        assert [p.name for p in ImageProcessing.save(doc, tmp_path / "ok", format=fmt)] == [name]
