"""imread refuses directories and empty paths; imwrite's OS failures are OutputErrors naming the target."""
from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.io as oio
from ocrprep import InputType, OcrInput


@pytest.fixture
def gray():
    return np.random.default_rng(8).integers(0, 256, (12, 17), dtype=np.uint8)


@pytest.fixture
def folder(tmp_path, gray):
    """A folder holding two images: imread of it used to return the first one."""
    d = tmp_path / "scans"
    d.mkdir()
    Image.fromarray(gray).save(d / "a.png")
    Image.fromarray(255 - gray).save(d / "b.png")
    return d


# --------------------------------------------------------------------------- #
# imread
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("as_type", [str, Path])
def test_imread_of_a_directory_is_an_error(folder, as_type):
    with pytest.raises(ocrprep.InvalidParameterError, match="is a directory") as info:
        ocrprep.imread(as_type(folder))
    message = str(info.value)
    assert str(folder) in message
    assert "ocrprep.io.iter_pages" in message and "OcrInput(InputType.DIRECTORY)" in message
    assert isinstance(info.value, ValueError)


def test_imread_of_an_empty_path_is_an_error(tmp_path, gray, monkeypatch):
    # "" used to read the current directory (".")
    Image.fromarray(gray).save(tmp_path / "here.png")
    monkeypatch.chdir(tmp_path)
    for empty in ("", Path("")):
        with pytest.raises(ocrprep.InvalidParameterError, match="is empty|is a directory"):
            ocrprep.imread(empty)
    with pytest.raises(ocrprep.InvalidParameterError, match="the path is empty"):
        ocrprep.imread("")
    with pytest.raises(ocrprep.InvalidParameterError, match="is a directory"):
        ocrprep.imread(".")


class _EmptyPath:
    def __fspath__(self):
        return ""


def test_iter_pages_of_an_empty_path_is_an_error(tmp_path, gray, monkeypatch):
    # "" used to be the current directory: iter_pages("") read every image of it
    Image.fromarray(gray).save(tmp_path / "here.png")
    monkeypatch.chdir(tmp_path)
    for empty in ("", _EmptyPath()):
        with pytest.raises(ocrprep.InvalidParameterError, match="the path is empty"):
            list(oio.iter_pages(empty))
        [error] = list(oio.iter_pages(empty, on_error="yield"))  # one error, no page of the folder
        assert isinstance(error, oio.PageError) and isinstance(error.error, ocrprep.InvalidParameterError)
        with pytest.raises(ocrprep.InvalidParameterError, match="the path is empty"):
            oio.count_pages(empty)
        for doc in (OcrInput(InputType.DIRECTORY), OcrInput(InputType.SINGLE_IMAGE), OcrInput.any()):
            with pytest.raises(ocrprep.InvalidParameterError, match="the path is empty"):
                doc.add(empty)
            assert len(doc) == 0
    from ocrprep.batch._plan import resolve_sources

    with pytest.raises(ocrprep.InvalidParameterError, match="path is empty"):
        resolve_sources(["", str(tmp_path / "here.png")])
    # a real path to the current folder still works
    [page] = list(oio.iter_pages("."))
    assert Path(page.source).name == "here.png"
    np.testing.assert_array_equal(page.image, gray)
    assert resolve_sources(["."]) == [tmp_path]


def test_directories_still_expand_where_they_should(folder, gray):
    pages = list(oio.iter_pages(folder))
    assert [Path(p.source).name for p in pages] == ["a.png", "b.png"]
    np.testing.assert_array_equal(pages[0].image, gray)
    doc = OcrInput(InputType.DIRECTORY)
    doc.add(folder)
    assert len(list(doc)) == 2
    # and imread of a file in it is unchanged
    np.testing.assert_array_equal(ocrprep.imread(folder / "b.png"), 255 - gray)


def test_imread_other_sources_unaffected(gray):
    buf = io.BytesIO()
    Image.fromarray(gray).save(buf, "PNG")
    np.testing.assert_array_equal(ocrprep.imread(buf.getvalue()), gray)
    np.testing.assert_array_equal(ocrprep.imread(io.BytesIO(buf.getvalue())), gray)
    with pytest.raises(ocrprep.InputNotFoundError):
        ocrprep.imread("/no/such/file.png")


# --------------------------------------------------------------------------- #
# imwrite
# --------------------------------------------------------------------------- #
def _no_temporaries(folder: Path):
    return [n for n in os.listdir(folder) if n.endswith(".tmp")] == []


def test_output_error_is_exported_and_an_os_error():
    assert ocrprep.OutputError is ocrprep.errors.OutputError
    assert "OutputError" in ocrprep.__all__ and "OutputError" in ocrprep.errors.__all__
    assert issubclass(ocrprep.OutputError, ocrprep.OcrprepError)
    assert issubclass(ocrprep.OutputError, OSError)


def test_imwrite_to_an_existing_directory(tmp_path, gray):
    target = tmp_path / "page.png"
    target.mkdir()  # a directory where the file should go (even with an image extension)
    with pytest.raises(ocrprep.OutputError, match="is a directory") as info:
        ocrprep.imwrite(target, gray)
    assert isinstance(info.value, OSError) and not isinstance(info.value, IsADirectoryError)
    assert info.value.errno == errno.EISDIR
    assert str(target) in str(info.value)
    assert target.is_dir() and os.listdir(target) == []
    assert _no_temporaries(tmp_path)
    with pytest.raises(ocrprep.OutputError, match="is a directory"):
        ocrprep.imwrite(tmp_path, gray, format="png")  # no extension at all: still the directory message


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_imwrite_into_proc_names_the_target(gray):
    # /proc accepts no new files (not even for root): mkstemp fails with ENOENT naming the temp file
    with pytest.raises(ocrprep.OutputError) as info:
        ocrprep.imwrite("/proc/x.png", gray)
    message = str(info.value)
    assert message.startswith("/proc/x.png: cannot write")
    assert ".tmp" not in message and ".x.png." not in message
    assert info.value.errno == errno.ENOENT
    assert not isinstance(info.value, FileNotFoundError)  # an ocrprep error, not the raw one


def test_imwrite_into_a_read_only_folder(tmp_path, gray):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as root (or similar): a 0o500 folder is still writable")
        with pytest.raises(ocrprep.OutputError, match="Permission denied") as info:
            ocrprep.imwrite(ro / "x.png", gray)
        assert str(info.value).startswith(f"{ro / 'x.png'}: cannot write")
        assert ".tmp" not in str(info.value)
        assert info.value.errno == errno.EACCES
        with pytest.raises(ocrprep.OutputError, match="cannot create the folder"):
            ocrprep.imwrite(ro / "sub" / "x.png", gray)
        assert os.listdir(ro) == []
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("failing", ["mkstemp", "replace", "chmod"])
def test_permission_failures_anywhere_in_the_atomic_write(tmp_path, gray, monkeypatch, failing):
    """The same, simulated, so it runs as root too: the message names the target, the temp file is gone."""
    target = tmp_path / "x.png"
    ocrprep.imwrite(target, gray)
    before = target.read_bytes()

    def denied(*args, **kwargs):
        name = args[0] if args and isinstance(args[0], (str, os.PathLike)) else str(tmp_path / ".x.png.abcd.tmp")
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(name))

    module = oio.tempfile if failing == "mkstemp" else oio.os
    monkeypatch.setattr(module, failing, denied)
    with pytest.raises(ocrprep.OutputError) as info:
        ocrprep.imwrite(target, 255 - gray)
    monkeypatch.undo()
    assert str(info.value) == f"{target}: cannot write (Permission denied)"
    assert info.value.errno == errno.EACCES
    assert target.read_bytes() == before  # the previous file is intact
    assert sorted(os.listdir(tmp_path)) == ["x.png"]  # no temporary file left behind


def test_imwrite_encoder_and_disk_errors_are_output_errors(tmp_path, gray, monkeypatch):
    target = tmp_path / "y.tif"

    def full(self, fp, *a, **k):
        fp.write(b"half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full)
    with pytest.raises(ocrprep.OutputError, match=r"y\.tif: cannot write \(No space left on device\)") as info:
        ocrprep.imwrite(target, gray)
    assert info.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


def test_imwrite_with_a_file_in_the_way_of_the_folder(tmp_path, gray):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    for target in (blocker / "x.png", blocker / "sub" / "x.png"):
        with pytest.raises(ocrprep.OutputError, match="cannot create the folder .*a file is in the way") as info:
            ocrprep.imwrite(target, gray)
        assert str(info.value).startswith(str(target))
    assert blocker.read_text() == "a file, not a folder"


# --------------------------------------------------------------------------- #
# the other atomic writers: RecognitionResult.save, the batch configuration file
# --------------------------------------------------------------------------- #
def _save_result(path):
    from ocrprep.ocr import RecognitionResult

    return RecognitionResult(recognition_text="two words\n").save(path)


def _save_batch_config(path):
    from ocrprep.batch._manifest import write_config

    assert path.name == ".ocrprep-batch.json"
    write_config(path.parent, {"filters": "threshold(128)"}, "0123456789abcdef")
    return path


_WRITERS = {"result": (_save_result, "r.txt"), "batch-config": (_save_batch_config, ".ocrprep-batch.json")}


@pytest.mark.parametrize("writer", sorted(_WRITERS))
@pytest.mark.parametrize("failing", ["mkstemp", "replace", "chmod"])
def test_every_atomic_writer_names_its_target(tmp_path, monkeypatch, writer, failing):
    """The shared atomic-write helper raises the OutputError, so every writer names its target, not the temp file."""
    save, name = _WRITERS[writer]
    target = tmp_path / "out" / name
    save(target)
    before = target.read_bytes()

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(target.parent / f".{name}.abcd.tmp"))

    module = oio.tempfile if failing == "mkstemp" else oio.os
    monkeypatch.setattr(module, failing, denied)
    if writer == "batch-config":
        target.unlink()  # write_config writes only when the recorded configuration differs
    with pytest.raises(ocrprep.OutputError) as info:
        save(target)
    monkeypatch.undo()
    assert str(info.value) == f"{target}: cannot write (Permission denied)"
    assert info.value.errno == errno.EACCES and isinstance(info.value, OSError)
    assert not isinstance(info.value, PermissionError)  # ocrprep's error, not the raw one
    assert _no_temporaries(target.parent)
    if writer == "result":
        assert target.read_bytes() == before  # the previous file is intact


@pytest.mark.parametrize("writer", sorted(_WRITERS))
def test_atomic_writers_with_a_file_in_the_way_of_the_folder(tmp_path, writer):
    save, name = _WRITERS[writer]
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    target = blocker / "sub" / name
    with pytest.raises(ocrprep.OutputError, match="cannot create the folder .*a file is in the way") as info:
        save(target)
    assert str(info.value).startswith(str(target))
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_result_save_into_proc_names_the_target():
    with pytest.raises(ocrprep.OutputError) as info:
        _save_result(Path("/proc/r.txt"))
    assert str(info.value).startswith("/proc/r.txt: cannot write")
    assert ".tmp" not in str(info.value)


def test_atomic_file_wraps_os_errors_of_the_block_and_passes_the_others(tmp_path):
    target = tmp_path / "t.txt"
    with pytest.raises(ocrprep.OutputError, match=r"t\.txt: cannot write \(No space left on device\)") as info:
        with oio._atomic_file(target, "w", encoding="utf-8") as f:
            f.write("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.errno == errno.ENOSPC
    with pytest.raises(KeyError):  # not an OSError: unchanged
        with oio._atomic_file(target, "w", encoding="utf-8") as f:
            raise KeyError("x")
    error = ocrprep.DownloadError("already an ocrprep error")
    with pytest.raises(ocrprep.DownloadError) as info:  # an OcrprepError that is an OSError: unchanged
        with oio._atomic_file(target, "w", encoding="utf-8") as f:
            raise error
    assert info.value is error
    assert os.listdir(tmp_path) == []
    # a result asked for a format that does not exist: the InvalidParameterError (a ValueError), no file left
    from ocrprep.ocr import RecognitionResult

    with pytest.raises(ocrprep.InvalidParameterError, match="unknown save format"):
        RecognitionResult(recognition_text="x").save(tmp_path / "r.hocr", "hocrx")
    assert os.listdir(tmp_path) == []
