"""The ``ocrprep`` command line: subcommands, outputs, exit codes, progress, registration."""
from __future__ import annotations

import builtins
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import types
import zipfile

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.cli as cli
from frontdoor import text_page, word_recovery
from ocrprep.data import sample_text


@pytest.fixture
def images(tmp_path, rng):
    paths = []
    for i in range(3):
        p = tmp_path / f"page{i}.png"
        Image.fromarray(rng.integers(0, 256, (30, 40), dtype=np.uint8)).save(p)
        paths.append(p)
    return paths


def run(argv):
    return cli.main([str(a) for a in argv])


def test_binarize_single_file_threshold(images, tmp_path):
    out = tmp_path / "bw.png"
    assert run(["binarize", images[0], "-o", out, "--threshold", 128, "-q"]) == 0
    src = ocrprep.imread(images[0])
    np.testing.assert_array_equal(ocrprep.imread(out), np.where(src > 128, 255, 0))
    with Image.open(out) as im:
        assert im.mode == "1"


def test_binarize_method_many_inputs_to_directory(images, tmp_path):
    out = tmp_path / "out"
    assert run(["binarize", *images, "-o", out, "--method", "otsu", "-q"]) == 0
    for p in images:
        np.testing.assert_array_equal(ocrprep.imread(out / p.name), ocrprep.binarize(ocrprep.imread(p), method="otsu"))


def test_one_bad_input_does_not_stop_the_others(images, tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    missing = tmp_path / "missing.png"
    out = tmp_path / "out"
    code = run(["binarize", images[0], bad, missing, images[1], "-o", out, "--threshold", 100])
    err = capsys.readouterr().err
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["page0.png", "page1.png"]
    assert f"{bad}:" in err and "corrupt" in err
    assert f"{missing}: no such file" in err
    assert "2 pages done, 2 failed" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["binarize"],
        ["binarize", "x.png"],  # no -o
        ["binarize", "x.png", "-o", "y.png", "--threshold", "300"],
        ["binarize", "x.png", "-o", "y.png", "--threshold", "100", "--method", "otsu"],
        ["filter", "x.png", "-o", "d", "--filters", "sharpen"],
        ["filter", "x.png", "-o", "d", "--filters", "median(4)"],
        ["recognize", "x.png", "--format", "pdf"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    assert run(argv) == 2
    assert "usage" in capsys.readouterr().err.lower()


def test_single_output_file_with_several_inputs_is_a_usage_error(images, tmp_path, capsys):
    assert run(["binarize", *images, "-o", tmp_path / "one.png"]) == 2
    assert "single file" in capsys.readouterr().err


def test_filter_short_form_json_and_file(images, tmp_path):
    src = ocrprep.imread(images[0])
    expected = np.where(255 - src > 100, 255, 0)
    for spec in ("invert(force=True), threshold(100)",
                 json.dumps([{"name": "invert", "params": {"force": True}}, {"name": "threshold", "value": 100}])):
        out = tmp_path / "o1"
        assert run(["filter", images[0], "--filters", spec, "-o", out, "-q"]) == 0
        np.testing.assert_array_equal(ocrprep.imread(out / "page0.png"), expected)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(ocrprep.PreprocessingFilter.from_spec("invert(force=True),threshold(100)").to_json())
    assert run(["filter", images[0], "-f", f"@{spec_file}", "-o", tmp_path / "o2", "-q"]) == 0
    np.testing.assert_array_equal(ocrprep.imread(tmp_path / "o2" / "page0.png"), expected)


def test_filter_multipage_names(tmp_path):
    frames = [Image.fromarray(np.full((6, 6), v, np.uint8)) for v in (10, 240)]
    frames[0].save(tmp_path / "doc.tif", save_all=True, append_images=frames[1:])
    assert run(["filter", tmp_path / "doc.tif", "-f", "threshold(128)", "-o", tmp_path / "o", "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["doc_page1.png", "doc_page2.png"]


def test_stdin_input(images, tmp_path, monkeypatch):
    data = images[0].read_bytes()
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=types.SimpleNamespace(read=lambda: data)))
    assert run(["binarize", "-", "-o", tmp_path / "s.png", "--threshold", 50, "-q"]) == 0
    assert (tmp_path / "s.png").exists()


def hide_tqdm(monkeypatch):
    """Make ``import tqdm`` fail, as on an install without the progress extra."""
    real_import = builtins.__import__

    def no_tqdm(name, *a, **k):
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("no tqdm here")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)


def test_progress_falls_back_to_plain_lines_without_tqdm(images, tmp_path, monkeypatch, capsys):
    hide_tqdm(monkeypatch)
    assert run(["binarize", *images, "-o", tmp_path / "o", "--threshold", 90]) == 0
    err = capsys.readouterr().err
    assert "[1/3]" in err and "[3/3]" in err


def test_progress_uses_tqdm_when_available(images, tmp_path, capsys):
    pytest.importorskip("tqdm")
    assert run(["binarize", *images, "-o", tmp_path / "o", "--threshold", 90]) == 0
    err = capsys.readouterr().err
    # tqdm's own bar ("100%|#...#| 3/3 [00:00<...]"), not the plain fallback's "[3/3]" lines
    assert re.search(r"100%\|[^|\n]*\| 3/3 \[", err), err
    assert "[3/3]" not in err


def _folder_of_images(tmp_path, rng, n=3):
    folder = tmp_path / "scans"
    folder.mkdir()
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (20, 30), dtype=np.uint8)).save(folder / f"p{i}.png")
    return folder


def _zip_of_images(tmp_path, rng, n=2):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(n):
            png = io.BytesIO()
            Image.fromarray(rng.integers(0, 256, (20, 30), dtype=np.uint8)).save(png, "PNG")
            z.writestr(f"m{i}.png", png.getvalue())
    path = tmp_path / "pack.zip"
    path.write_bytes(buf.getvalue())
    return path


def test_progress_bar_for_one_folder_or_zip_argument(tmp_path, rng, capsys):
    pytest.importorskip("tqdm")
    folder = _folder_of_images(tmp_path, rng)
    assert run(["binarize", folder, "-o", tmp_path / "o", "--threshold", 90]) == 0
    assert re.search(r"100%\|[^|\n]*\| 3/3 \[", capsys.readouterr().err)
    assert run(["filter", _zip_of_images(tmp_path, rng), "-f", "median", "-o", tmp_path / "z"]) == 0
    assert re.search(r"100%\|[^|\n]*\| 2/2 \[", capsys.readouterr().err)
    assert run(["binarize", folder, "-o", tmp_path / "q", "--threshold", 90, "-q"]) == 0
    assert capsys.readouterr().err == ""  # -q: no bar
    single = tmp_path / "one"
    single.mkdir()
    Image.fromarray(rng.integers(0, 256, (20, 30), dtype=np.uint8)).save(single / "only.png")
    assert run(["binarize", single, "-o", tmp_path / "s", "--threshold", 90]) == 0
    assert "%|" not in capsys.readouterr().err  # one file expected: no bar


def test_plain_progress_for_one_folder_argument(tmp_path, rng, monkeypatch, capsys):
    hide_tqdm(monkeypatch)
    folder = _folder_of_images(tmp_path, rng)
    assert run(["binarize", folder, "-o", tmp_path / "o", "--threshold", 90]) == 0
    err = capsys.readouterr().err
    assert "[1/3]" in err and "[3/3]" in err and "p2.png" in err


def test_error_lines_do_not_run_into_the_progress_bar(images, tmp_path, capsys):
    pytest.importorskip("tqdm")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    assert run(["binarize", images[0], bad, images[1], "-o", tmp_path / "o", "--threshold", 90]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.split("\n") if "ocrprep: error:" in line]
    assert len(lines) == 1
    # printed through tqdm.write: the bar is cleared first, so the error starts its own line
    assert lines[0].split("\r")[-1].startswith(f"ocrprep: error: {bad}: corrupt"), repr(lines[0])
    assert "|" not in lines[0].split("\r")[-1]


def _two_page_tiff(path):
    frames = [Image.fromarray(np.full((6, 6), v, np.uint8)) for v in (10, 240)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


def test_several_pages_into_one_output_file_is_refused_before_writing(tmp_path, rng, monkeypatch, capsys):
    out = tmp_path / "single.png"
    tif = _two_page_tiff(tmp_path / "two.tif")
    cases = [tif, _folder_of_images(tmp_path, rng), _zip_of_images(tmp_path, rng)]
    if importlib.util.find_spec("pypdfium2"):
        buf = io.BytesIO()
        ims = [Image.fromarray(np.full((30, 40), v, np.uint8)) for v in (20, 220)]
        ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:])
        (tmp_path / "two.pdf").write_bytes(buf.getvalue())
        cases.append(tmp_path / "two.pdf")
    for source in cases:
        assert run(["binarize", source, "-o", out, "--threshold", 100]) == 2, source
        err = capsys.readouterr().err
        assert "usage" in err and "single file" in err and str(source) in err
        assert not out.exists(), f"{source}: page 1 was written before the usage error"
    data = tif.read_bytes()  # stdin: the page count is known from the first page, still before writing
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=types.SimpleNamespace(read=lambda: data)))
    assert run(["binarize", "-", "-o", out, "--threshold", 100, "-q"]) == 2
    assert "several pages" in capsys.readouterr().err and not out.exists()


def test_subcommand_registration_is_modular(monkeypatch, capsys):
    plugin = types.ModuleType("ocrprep_test_plugin")

    def add_cli(sub):
        p = sub.add_parser("hello", help="say hello")
        p.add_argument("name")
        p.set_defaults(func=lambda args: print(f"hello {args.name}") or 0)

    plugin.add_cli = add_cli
    monkeypatch.setitem(sys.modules, "ocrprep_test_plugin", plugin)
    monkeypatch.setattr(cli, "COMMANDS", cli.COMMANDS + ["ocrprep_test_plugin:add_cli", "ocrprep_absent_module:add_cli"])
    assert run(["hello", "world"]) == 0
    assert capsys.readouterr().out.strip() == "hello world"
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "hello" in out and "binarize" in out and "absent" not in out


def test_console_entry_point_exit_codes(images, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "ocrprep.cli", "binarize", str(images[0]), "-o",
                         str(tmp_path / "x.png"), "--threshold", "10", "-q"], capture_output=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "ocrprep.cli", "binarize"], capture_output=True)
    assert bad.returncode == 2


# --------------------------------------------------------------------------- #
# with Tesseract
# --------------------------------------------------------------------------- #
LINES = ["Command line recognition works", "on every page it is given."]


@pytest.mark.tesseract
def test_recognize_text_json_hocr(tesseract, tmp_path, capsys):
    p = tmp_path / "lines.png"
    Image.fromarray(text_page(LINES)).save(p)
    assert run(["recognize", p, "--lang", "English", "-q"]) == 0
    assert word_recovery(" ".join(LINES), capsys.readouterr().out) >= 0.9
    assert run(["recognize", p, "--format", "json", "--binarize", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["source"] == str(p) and word_recovery(" ".join(LINES), data[0]["text"]) >= 0.9
    assert run(["recognize", p, "--format", "hocr", "-q"]) == 0
    assert "ocrx_word" in capsys.readouterr().out
    out = tmp_path / "texts"
    assert run(["recognize", p, p, "-o", out, "-q"]) == 0
    assert sorted(x.name for x in out.iterdir()) == ["lines.txt", "lines_2.txt"]


def test_recognize_language_not_installed_is_a_usage_error(images, monkeypatch, capsys):
    import ocrprep.ocr as ocr

    monkeypatch.setattr(ocr, "_check_tesseract", lambda cmd: ("tesseract 5", ["eng", "osd"]))
    ran = []
    monkeypatch.setattr(ocr, "_run_tesseract", lambda *a: ran.append(1))
    assert run(["recognize", images[0], "--lang", "zzz"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "usage:" in err
    assert "ocrprep recognize: error: Tesseract language(s) zzz not installed (installed: eng, osd)" in err
    assert ran == []  # checked before any page


@pytest.mark.tesseract
def test_recognize_unknown_language_with_real_tesseract(tesseract, images, capsys):
    assert run(["recognize", images[0], "--lang", "zzz"]) == 2
    err = capsys.readouterr().err
    assert "zzz not installed" in err and "installed: " in err and "eng" in err


@pytest.mark.tesseract
def test_recognize_reports_bad_inputs(tesseract, tmp_path, capsys):
    p = tmp_path / "lines.png"
    Image.fromarray(text_page(LINES)).save(p)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nonsense")
    code = run(["recognize", bad, p, tmp_path / "missing.png"])
    captured = capsys.readouterr()
    assert code == 1
    assert word_recovery(" ".join(LINES), captured.out) >= 0.9
    assert str(bad) in captured.err and "missing.png" in captured.err


@pytest.mark.tesseract
def test_demo_writes_outputs_and_prints_the_paragraph(tesseract, tmp_path, capsys):
    try:
        import ocrprep.auto  # noqa: F401
    except ImportError:
        pytest.skip("ocrprep.auto (the automatic binarizer) is not in this build yet")
    out = tmp_path / "demo"
    assert run(["demo", "-o", out]) == 0
    captured = capsys.readouterr()
    assert word_recovery(sample_text(), captured.out) >= 0.95
    names = sorted(p.name for p in out.iterdir())
    assert {"sample.png", "sample_binarized.png", "sample.txt", "sample_threshold_050.png"} <= set(names)
    with Image.open(out / "sample_binarized.png") as im:
        assert im.mode == "1"
    assert word_recovery(sample_text(), (out / "sample.txt").read_text()) >= 0.95
    assert "threshold 50" in captured.err and "%" in captured.err


@pytest.mark.tesseract
def test_recognize_a_folder(tesseract, tmp_path, capsys):
    folder = tmp_path / "scans"
    folder.mkdir()
    for i, line in enumerate(LINES):
        Image.fromarray(text_page([line])).save(folder / f"{i}.png")
    assert run(["recognize", folder, "-q"]) == 0
    out = capsys.readouterr().out
    assert word_recovery(" ".join(LINES), out) >= 0.9 and "0.png" in out and "1.png" in out


# --------------------------------------------------------------------------- #
# where the output goes (-o)
# --------------------------------------------------------------------------- #
def test_dash_output_is_standard_output_for_one_page(images, tmp_path):
    """``-o -`` writes the page as PNG on stdout (not a folder named '-'); the summary says so."""
    cmd = [sys.executable, "-m", "ocrprep.cli", "binarize", str(images[0]), "-o", "-", "--threshold", "100"]
    done = subprocess.run(cmd, capture_output=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    page = ocrprep.imread(io.BytesIO(done.stdout).read())
    np.testing.assert_array_equal(page, ocrprep.threshold(ocrprep.imread(images[0]), 100))
    assert "1 page done -> standard output" in done.stderr.decode()
    # stdin to stdout, as a filter in a pipe
    piped = subprocess.run([sys.executable, "-m", "ocrprep.cli", "filter", "-", "-f", "invert(force=True)",
                            "-o", "-", "-q"], input=images[1].read_bytes(), capture_output=True, cwd=tmp_path,
                           timeout=120)
    assert piped.returncode == 0 and piped.stderr == b""
    np.testing.assert_array_equal(ocrprep.imread(piped.stdout), 255 - ocrprep.imread(images[1]))


def test_dash_output_takes_a_single_page(images, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # (a '-' folder, if one were made, lands here)
    assert run(["binarize", *images, "-o", "-"]) == 2
    assert "standard output" in capsys.readouterr().err
    assert run(["binarize", _two_page_tiff(tmp_path / "two.tif"), "-o", "-"]) == 2
    assert "has 2 pages" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()


def test_unknown_output_extension_is_a_usage_error_not_a_folder(images, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for sub in (["binarize"], ["filter", "-f", "median"]):
        assert run([*sub, images[0], "-o", "result.pgn"]) == 2
        err = capsys.readouterr().err
        assert "result.pgn: cannot write '.pgn' images" in err and ".png" in err
        assert not (tmp_path / "result.pgn").exists()
    assert run(["recognize", images[0], "-o", "text.txt"]) == 2
    assert "folder" in capsys.readouterr().err and not (tmp_path / "text.txt").exists()
    assert run(["demo", "-o", "-"]) == 2 and not (tmp_path / "-").exists()
    # a folder is still a folder: existing, ending in a separator, or without an extension
    (tmp_path / "out.v1").mkdir()
    assert run(["binarize", images[0], "-o", "out.v1", "--threshold", 9]) == 0
    assert "1 page done -> out.v1" + os.sep in capsys.readouterr().err
    assert run(["binarize", images[0], "-o", "new.v2" + os.sep, "--threshold", 9, "-q"]) == 0
    assert (tmp_path / "new.v2" / "page0.png").is_file()
    assert run(["binarize", images[0], "-o", "one.tif", "--threshold", 9]) == 0
    assert "1 page done -> one.tif" in capsys.readouterr().err


# --------------------------------------------------------------------------- #
# progress of one long document
# --------------------------------------------------------------------------- #
def _tiff_of(path, pages):
    ims = [Image.fromarray(p) for p in pages]
    ims[0].save(path, save_all=True, append_images=ims[1:])
    return path


def test_one_multipage_input_shows_page_progress(tmp_path, rng, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    doc = _tiff_of(tmp_path / "long.tif", [rng.integers(0, 256, (20, 30), dtype=np.uint8) for _ in range(5)])
    assert run(["binarize", doc, "-o", tmp_path / "o", "--threshold", 90]) == 0
    err = capsys.readouterr().err
    assert re.search(r"ocrprep: 100%\|[^|\n]*\| 5/5 \[.*page/s", err), err  # no stray space before ':'
    assert "ocrprep :" not in err
    hide_tqdm(monkeypatch)  # the plain fallback names each page
    assert run(["filter", doc, "-f", "median", "-o", tmp_path / "p"]) == 0
    err = capsys.readouterr().err
    assert f"ocrprep [1/5] {doc} page 1 (" in err and f"ocrprep [5/5] {doc} page 5 (" in err


@pytest.mark.tesseract
def test_recognize_one_long_document_shows_page_progress(tesseract, tmp_path, monkeypatch, capsys):
    pages = [text_page([f"Page number {i} of the long report"], size=(700, 90)) for i in range(1, 4)]
    doc = _tiff_of(tmp_path / "report.tif", pages)
    hide_tqdm(monkeypatch)
    assert run(["recognize", doc, "-j", 1]) == 0
    captured = capsys.readouterr()
    for i in (1, 2, 3):
        assert f"recognize [{i}/3] {doc} page {i} (" in captured.err
    assert "Page number 3" in captured.out


def test_errors_after_parsing_show_the_subcommands_usage(images, tmp_path, capsys):
    assert run(["binarize", *images, "-o", tmp_path / "one.png"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ocrprep binarize ") and "COMMAND" not in err
    assert "ocrprep binarize: error: -o" in err
    pytest.importorskip("ocrprep.batch")
    assert run(["batch", tmp_path / "missing", tmp_path / "out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ocrprep batch ") and "missing" in err


def test_bench_help_is_complete(capsys):
    pytest.importorskip("ocrprep.bench")
    assert run(["bench", "--help"]) == 0
    out = capsys.readouterr().out
    # the whole description, not just its first paragraph (which ended in "prints a table:")
    assert "speed-up" in out and "ratio" in out and "compare ratios" in out
    assert "``" not in out


def test_a_missing_extra_exits_2_for_every_subcommand(tmp_path, monkeypatch, capsys):
    """serve without the service extra and batch --dask without Dask: the same status (2), and what to install."""
    pytest.importorskip("ocrprep.service.cli")
    pytest.importorskip("ocrprep.batch")
    (tmp_path / "src").mkdir()
    for name in ("fastapi", "uvicorn", "dask", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # `import name` raises ImportError
    assert run(["serve", "--no-auth", "--port", "0"]) == 2
    assert "pip install 'ocrprep[service]'" in capsys.readouterr().err
    assert run(["batch", tmp_path / "src", tmp_path / "out", "--dask", "local"]) == 2
    assert "pip install 'ocrprep[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
