"""ocrprep.batch: tree mirroring, manifest, resume, failures, executors, Ctrl-C, CLI."""
from __future__ import annotations

import concurrent.futures as cf
import doctest
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.batch as batch
import ocrprep.io
import ocrprep.ocr
import ocrprep.batch._work as work
from ocrprep.batch._manifest import read_records
from ocrprep.cli import main
from ocrprep.errors import InputNotFoundError, InvalidParameterError, ParameterTypeError

PY = sys.executable
INV = "invert(force=True)"  # a negative of every page (plain "invert" only inverts dark pages)


def doc_page(rng, h=120, w=160):
    """A small grey 'document': dark bars of text on uneven paper."""
    img = np.full((h, w), 215, np.uint8)
    for y in range(8, h - 14, 16):
        img[y:y + 8, 10:10 + int(rng.integers(w // 3, w - 20))] = int(rng.integers(0, 90))
    return np.clip(img + rng.normal(0, 5, img.shape), 0, 255).astype(np.uint8)


def save_tiff(path, frames):
    ims = [Image.fromarray(f) for f in frames]
    ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:])


def png_bytes(arr):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def tree(tmp_path, rng):
    """A source tree with every kind of input, and the pages each output must come from."""
    src = tmp_path / "src"
    (src / "a" / "b").mkdir(parents=True)
    (src / ".hidden").mkdir()
    expected = {}  # output relative path -> source page array

    def put(rel, arr, fmt="PNG"):
        Image.fromarray(arr).save(src / rel, fmt)

    p1, p2 = doc_page(rng), doc_page(rng)
    put("a/scan.png", p1)
    put("a/scan.bmp", p2, "BMP")  # same stem as scan.png: both get the extension
    expected["a/scan_png.png"], expected["a/scan_bmp.png"] = p1, p2
    frames = [doc_page(rng) for _ in range(3)]
    save_tiff(src / "a" / "b" / "multi.tif", frames)
    for i, f in enumerate(frames, 1):
        expected[f"a/b/multi_page{i}.png"] = f
    single = doc_page(rng)
    put("a/b/single.tif", single, "TIFF")
    expected["a/b/single.png"] = single
    m1, m2 = doc_page(rng), doc_page(rng)
    with zipfile.ZipFile(src / "arch.zip", "w") as z:
        z.writestr("inner/x.png", png_bytes(m1))
        z.writestr("../../escape.png", png_bytes(m2))  # must stay inside the destination
        z.writestr("readme.txt", b"not a page")
    expected["arch.zip/inner/x.png"], expected["arch.zip/escape.png"] = m1, m2
    (src / "a" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    (src / "notes.txt").write_text("ignored")
    put(".hidden/h.png", doc_page(rng))
    return src, expected


def outputs(dst):
    return sorted(
        p.relative_to(dst).as_posix() for p in Path(dst).rglob("*")
        if p.is_file() and p.name not in ("manifest.jsonl", ".ocrprep-batch.json")
    )


def temporaries(dst):
    return [p for p in Path(dst).rglob("*") if p.name.endswith(".tmp")]


def by_key(records):
    return {(r["source"], r["page"]): r for r in records}


# --------------------------------------------------------------------------- #
# what a run produces
# --------------------------------------------------------------------------- #
def test_tree_is_mirrored_and_pages_filtered(tree, tmp_path):
    src, expected = tree
    dst = tmp_path / "dst"
    records = batch.run(src, "threshold(128)", dst, executor="threads", workers=2)
    assert outputs(dst) == sorted(expected)
    for rel, page in expected.items():
        got = ocrprep.imread(dst / rel)
        np.testing.assert_array_equal(got, ocrprep.threshold(page, 128), err_msg=rel)
    assert not (tmp_path / "escape.png").exists() and not temporaries(dst)

    ok = [r for r in records if r["status"] == "ok"]
    failed = [r for r in records if r["status"] == "failed"]
    assert sorted(r["output"] for r in ok) == sorted(expected)
    assert {Path(r["source"]).name for r in failed} == {"broken.png"}
    assert "broken.png" in failed[0]["error"] and failed[0]["output"] is None
    multi = by_key(ok)[(str(src / "a" / "b" / "multi.tif"), 2)]
    assert multi["output"] == "a/b/multi_page2.png"
    assert set(multi["timings"]) == {"read", "filter", "write", "total"}
    assert multi["timings"]["total"] >= multi["timings"]["filter"] >= 0
    assert by_key(ok)[(str(src / "arch.zip") + "/inner/x.png", 1)]["output"] == "arch.zip/inner/x.png"
    # the manifest holds exactly the records returned
    on_disk = read_records(dst / "manifest.jsonl")
    assert sorted(map(json.dumps, on_disk)) == sorted(map(json.dumps, records))


@pytest.mark.parametrize("fmt", ["tif", "bmp"])
def test_image_format(tmp_path, rng, fmt):
    src = tmp_path / "src"
    src.mkdir()
    page = doc_page(rng)
    Image.fromarray(page).save(src / "p.png")
    batch.run(src, "threshold(100)", tmp_path / "dst", image_format=fmt, workers=1)
    np.testing.assert_array_equal(ocrprep.imread(tmp_path / "dst" / f"p.{fmt}"), ocrprep.threshold(page, 100))


def test_single_file_and_several_sources(tmp_path, rng):
    a, b = tmp_path / "one", tmp_path / "two"
    a.mkdir(), b.mkdir()
    for d in (a, b):
        Image.fromarray(doc_page(rng)).save(d / "p.png")
    Image.fromarray(doc_page(rng)).save(tmp_path / "loose.png")
    batch.run(tmp_path / "loose.png", "binarize", tmp_path / "d1", workers=1)
    assert outputs(tmp_path / "d1") == ["loose.png"]
    batch.run([a, b, tmp_path / "loose.png"], "binarize", tmp_path / "d2", workers=2)
    assert outputs(tmp_path / "d2") == ["loose.png", "one/p.png", "two/p.png"]
    with pytest.raises(InvalidParameterError, match="same place"):
        batch.run([a, a], "binarize", tmp_path / "d3")


def test_destination_inside_the_source_is_not_walked(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    Image.fromarray(doc_page(rng)).save(src / "p.png")
    batch.run(src, "binarize", src / "out", workers=1)
    second = batch.run(src, "binarize", src / "out", workers=1)
    assert [(r["output"], r["status"]) for r in second] == [("p.png", "skipped")]
    assert outputs(src / "out") == ["p.png"]


@pytest.mark.parametrize("fmt, suffix", [("text", ".txt"), ("json", ".json"), ("hocr", ".hocr")])
@pytest.mark.tesseract
def test_recognize_writes_results(tmp_path, fmt, suffix):
    from frontdoor import text_page, word_recovery

    if not ocrprep.ocr.tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    src = tmp_path / "src" / "letters"
    src.mkdir(parents=True)
    lines = ["Batch recognition keeps", "every page of the archive"]
    Image.fromarray(text_page(lines)).save(src / "page.png")
    records = batch.run(tmp_path / "src", "binarize", tmp_path / "dst", recognize=True, format=fmt,
                        images=True, workers=1)
    (rec,) = records
    assert rec["status"] == "ok" and rec["output"] == f"letters/page{suffix}" and rec["image"] == "letters/page.png"
    assert rec["timings"]["ocr"] > 0
    text = (tmp_path / "dst" / rec["output"]).read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert data["source"] == str(src / "page.png") and data["page"] == 1
        text = data["text"]
    elif fmt == "hocr":
        assert "ocrx_word" in text
        text = " ".join(ocrprep.ocr._hocr_to_data(text)["text"])
    assert word_recovery(" ".join(lines), text) >= 0.9
    assert ocrprep.io.is_binary(ocrprep.imread(tmp_path / "dst" / "letters" / "page.png"))


# --------------------------------------------------------------------------- #
# resuming
# --------------------------------------------------------------------------- #
def test_rerun_skips_finished_pages_and_force_redoes_them(tree, tmp_path):
    src, expected = tree
    dst = tmp_path / "dst"
    batch.run(src, "threshold(128)", dst, workers=2)
    inodes = {rel: (dst / rel).stat().st_ino for rel in expected}

    again = batch.run(src, "threshold(128)", dst, workers=2)
    statuses = {r["output"]: r["status"] for r in again if r["output"]}
    assert statuses == {rel: "skipped" for rel in expected}
    assert [Path(r["source"]).name for r in again if r["status"] == "failed"] == ["broken.png"]  # failures retried
    assert {rel: (dst / rel).stat().st_ino for rel in expected} == inodes  # nothing rewritten
    assert len(read_records(dst / "manifest.jsonl")) == len(expected) + 2  # skips are not re-recorded

    forced = batch.run(src, "threshold(128)", dst, workers=2, force=True)
    assert sorted(r["output"] for r in forced if r["status"] == "ok") == sorted(expected)
    assert all((dst / rel).stat().st_ino != ino for rel, ino in inodes.items())


def test_changed_or_deleted_work_is_redone(tree, tmp_path, rng):
    src, expected = tree
    dst = tmp_path / "dst"
    batch.run(src, "threshold(128)", dst, workers=2)
    new = doc_page(rng)
    Image.fromarray(new).save(src / "a" / "scan.png")  # source edited
    (dst / "a" / "b" / "multi_page2.png").unlink()  # output deleted
    Image.fromarray(doc_page(rng)).save(src / "a" / "broken.png")  # bad file repaired
    again = batch.run(src, "threshold(128)", dst, workers=2)
    redone = sorted(r["output"] for r in again if r["status"] == "ok")
    assert redone == ["a/b/multi_page2.png", "a/broken.png", "a/scan_png.png"]
    np.testing.assert_array_equal(ocrprep.imread(dst / "a" / "scan_png.png"), ocrprep.threshold(new, 128))
    assert sum(r["status"] == "skipped" for r in again) == len(expected) - 2


def test_other_configuration_is_refused_unless_forced(tree, tmp_path):
    src, _ = tree
    dst = tmp_path / "dst"
    batch.run(src, "threshold(128)", dst, workers=1)
    with pytest.raises(InvalidParameterError, match="another configuration.*filters.*force"):
        batch.run(src, "threshold(100)", dst, workers=1)
    with pytest.raises(InvalidParameterError, match="another configuration"):
        batch.run(src, "threshold(128)", dst, workers=1, image_format="tif")
    records = batch.run(src, "threshold(100)", dst, workers=1, force=True)
    assert all(r["status"] in ("ok", "failed") for r in records)
    assert batch.run(src, "threshold(100)", dst, workers=1)[0]["status"] in ("skipped", "failed")


def test_torn_manifest_line_is_ignored_and_repaired(tree, tmp_path):
    src, expected = tree
    dst = tmp_path / "dst"
    batch.run(src, "threshold(128)", dst, workers=1)
    manifest = dst / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    # a crash in the middle of the last line: that page is redone, the others are not
    cut = next(i for i, line in enumerate(lines) if '"status":"ok"' in line)
    last = json.loads(lines[cut])
    manifest.write_text("\n".join(lines[:cut] + lines[cut + 1:]) + "\n" + lines[cut][: len(lines[cut]) // 2])
    (dst / "a" / ".scan_png.png.x1y2.tmp").write_bytes(b"half a file")  # a writer killed before its rename
    again = batch.run(src, "threshold(128)", dst, workers=1)
    assert [r["output"] for r in again if r["status"] == "ok"] == [last["output"]]
    assert not temporaries(dst)
    assert len(read_records(manifest)) == len(lines) - 1 + 2  # torn line dropped; redone page + retried failure


def test_damaged_manifest_lines_are_skipped_and_reported(tree, tmp_path, capsys):
    """Lines that parse but are not records, or do not parse at all, never stop a rerun."""
    src, expected = tree
    dst = tmp_path / "dst"
    first = batch.run(src, "threshold(128)", dst, workers=1)
    manifest = dst / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    victim = next(json.loads(line) for line in lines if '"status":"ok"' in line)
    zip_ok = next(json.loads(line) for line in lines if '"status":"ok"' in line and ".zip/" in line)
    bad = [
        json.dumps({**victim, "source": [victim["source"]]}),  # unhashable key
        json.dumps({**victim, "output": 5}),
        "[" * 100_000 + "]" * 100_000,  # RecursionError in json
        '{"source": "x", "status": "ok", "page": ' + "7" * 5000 + "}",  # over int's digit limit
        json.dumps({**zip_ok, "pages": 10 ** 15}),  # a page count no set of pages can be built for
        json.dumps({**victim, "page": True}),
        json.dumps({**victim, "page": 0}),
        json.dumps({**victim, "status": None}),
        json.dumps([1, 2, 3]),
        "\x00garbage\xff",
        "x" * (3 << 20),  # a line far over any record's length is not held whole
    ]
    manifest.write_text("\n".join(lines + bad) + "\n")
    again = batch.BatchRun(src, "threshold(128)", dst, workers=1)
    notices = []
    again.notify = notices.append
    records = list(again)
    # every page of the first run is still known to be done, but the zip member whose last record
    # claims 10**15 pages (a well-formed record: it is not done) and the failure, which are retried
    assert sorted(r["output"] for r in records if r["status"] == "skipped") == sorted(
        set(expected) - {zip_ok["output"]})
    assert [r["output"] for r in records if r["status"] == "ok"] == [zip_ok["output"]]
    assert [Path(r["source"]).name for r in records if r["status"] == "failed"] == ["broken.png"]
    bad_numbers = [len(lines) + 1 + i for i in range(len(bad)) if i != 4]  # (the 10**15-page record is well formed)
    assert [n for n, _why in again.damaged_lines] == bad_numbers
    reasons = dict(again.damaged_lines)
    assert "source is not a string" in reasons[len(lines) + 1]
    assert "output is not a string" in reasons[len(lines) + 2]
    assert "RecursionError" in reasons[len(lines) + 3] and "ValueError" in reasons[len(lines) + 4]
    assert "longer than" in reasons[len(lines) + len(bad)]
    assert len(notices) == 1 and str(manifest) in notices[0] and f"ignored {len(bad) - 1} damaged lines" in notices[0]
    assert len(first) == len(expected) + 1
    # and the command line reports them above its summary, exit 1 only for broken.png
    assert main(["batch", str(src), str(dst), "-f", "threshold(128)"]) == 1
    err = capsys.readouterr().err
    assert f"ignored {len(bad) - 1} damaged lines" in err and "Traceback" not in err
    assert f"0 pages done, {len(expected)} already done, 1 failed" in err


def _limit_file_size(limit):
    def apply():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE / /dev/full are POSIX")
def test_manifest_that_cannot_grow_stops_the_run_cleanly_and_resumably(tmp_path, rng):
    """Disk full while appending to the manifest: one clear error naming it, then a rerun finishes."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    for i in range(24):
        Image.fromarray(doc_page(rng, 24, 32)).save(src / f"p{i:02d}.png")
    cmd = [PY, "-m", "ocrprep.cli", "batch", str(src), str(dst), "-f", "threshold(128)", "-j", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # the manifest (~400 bytes a record) outgrows a 3000-byte file-size limit after a few pages;
    # each output page (a 1-bit PNG) stays far below it
    full = subprocess.run(cmd, capture_output=True, text=True, env=env, preexec_fn=_limit_file_size(3000),
                          timeout=300)
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr
    assert f"{dst / 'manifest.jsonl'}: cannot append to the batch manifest (File too large)" in full.stderr
    assert "run the same command again" in full.stderr
    recorded = read_records(dst / "manifest.jsonl")
    assert 0 < len(recorded) < 24 and not temporaries(dst)
    # with room again, the same command does the rest and keeps what was recorded
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert outputs(dst) == [f"p{i:02d}.png" for i in range(24)]
    latest = {r["source"]: r["status"] for r in read_records(dst / "manifest.jsonl")}
    assert len(latest) == 24 and set(latest.values()) == {"ok"}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_manifest_writer_on_a_full_disk_names_the_manifest(tmp_path, capsys):
    from ocrprep.batch._manifest import ManifestWriter

    writer = ManifestWriter("/dev/full")  # every write: ENOSPC
    with pytest.raises(ocrprep.OutputError, match="/dev/full: cannot append to the batch manifest "
                                                  r"\(No space left on device\); the run stopped") as caught:
        writer.write({"source": "x", "status": "ok"})
    assert caught.value.errno == 28
    with pytest.raises(ocrprep.OutputError, match="No space left"):
        writer.write({"source": "y", "status": "ok"})  # stays broken, never half-writes later records
    writer.close()  # releases the file without raising again
    # a device is refused as a manifest up front (it could not be read back to resume)
    (tmp_path / "src").mkdir()
    assert main(["batch", str(tmp_path / "src"), str(tmp_path / "d"), "--manifest", "/dev/full"]) == 2
    assert "/dev/full: the manifest must be a regular file" in capsys.readouterr().err


# --------------------------------------------------------------------------- #
# failures and retries
# --------------------------------------------------------------------------- #
def test_crashed_unit_is_retried(tmp_path, rng, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(4):
        Image.fromarray(doc_page(rng)).save(src / f"p{i}.png")
    real = work.process_unit
    calls = {}
    lock = threading.Lock()

    def flaky(unit, job):
        with lock:
            calls[unit.path] = calls.get(unit.path, 0) + 1
            n = calls[unit.path]
        if unit.path.endswith("p1.png") and n <= 2:
            raise RuntimeError("worker lost its disk")
        return real(unit, job)

    monkeypatch.setattr(work, "process_unit", flaky)
    records = batch.run(src, "binarize", tmp_path / "d1", executor="threads", workers=2, retries=2)
    assert all(r["status"] == "ok" for r in records) and len(records) == 4
    assert calls[str(src / "p1.png")] == 3

    calls.clear()
    records = batch.run(src, "binarize", tmp_path / "d2", executor="threads", workers=2, retries=1)
    failed = [r for r in records if r["status"] == "failed"]
    assert [(Path(r["source"]).name, r["page"]) for r in failed] == [("p1.png", 1)]
    assert failed[0]["error"] == "RuntimeError: worker lost its disk"
    assert sum(r["status"] == "ok" for r in records) == 3


def test_page_that_a_filter_rejects_fails_alone(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    Image.fromarray(doc_page(rng, 120, 160)).save(src / "big.png")
    Image.fromarray(doc_page(rng, 12, 12)).save(src / "tiny.png")
    # an area that lies outside the small page only
    records = batch.run(src, "threshold(value=128, area=(50, 50, 10, 10))", tmp_path / "dst", workers=2)
    status = {Path(r["source"]).name: r for r in records}
    assert status["big.png"]["status"] == "ok"
    assert status["tiny.png"]["status"] == "failed" and "outside" in status["tiny.png"]["error"]


def _sixteen_page_process_run(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(16):
        Image.fromarray(doc_page(rng, 400, 300)).save(src / f"p{i:02d}.png")
    return batch.BatchRun(src, "median(7),binarize", tmp_path / "dst", "processes", workers=2)


def _assert_every_page_done(run, killed, tmp_path):
    records = list(run)
    assert killed
    assert sorted(r["output"] for r in records if r["status"] == "ok") == [f"p{i:02d}.png" for i in range(16)]
    assert not temporaries(tmp_path / "dst")


def test_dead_worker_process_is_replaced(tmp_path, rng):
    run = _sixteen_page_process_run(tmp_path, rng)
    killed = []

    def on_record(rec):
        if not killed:
            procs = list(run.pool.executor._processes.values())
            killed.append(procs[0].pid)
            os.kill(procs[0].pid, signal.SIGKILL)

    run.on_record = on_record
    _assert_every_page_done(run, killed, tmp_path)


def test_pool_broken_before_the_next_submit_is_replaced(tmp_path, rng):
    """The race of the test above made certain: the pool already knows a worker died
    when the driver submits its next unit (submit itself raises BrokenProcessPool)."""
    run = _sixteen_page_process_run(tmp_path, rng)
    killed = []

    def on_record(rec):
        if not killed:
            executor = run.pool.executor
            proc = list(executor._processes.values())[0]
            killed.append(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while not executor._broken and time.monotonic() < deadline:
                time.sleep(0.01)
            assert executor._broken

    run.on_record = on_record
    _assert_every_page_done(run, killed, tmp_path)


# --------------------------------------------------------------------------- #
# executors, bounded memory
# --------------------------------------------------------------------------- #
def test_every_executor_gives_the_same_outputs(tree, tmp_path):
    src, expected = tree
    results = {}
    with cf.ThreadPoolExecutor(3) as tpe:
        for name, executor in [("threads", "threads"), ("processes", "processes"), ("pool", tpe)]:
            dst = tmp_path / name
            records = batch.run(src, "median(3),binarize", dst, executor, workers=2)
            results[name] = {rel: (dst / rel).read_bytes() for rel in outputs(dst)}
            assert {(r["source"], r["page"], r["output"], r["status"]) for r in records} == {
                (r["source"], r["page"], r["output"], r["status"]) for r in read_records(dst / "manifest.jsonl")
            }
    assert sorted(results["threads"]) == sorted(expected)
    assert results["threads"] == results["processes"] == results["pool"]


def test_pages_in_flight_stay_bounded(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(30):
        Image.fromarray(doc_page(rng, 300, 200)).save(src / f"p{i:02d}.png")

    class Counting(cf.ThreadPoolExecutor):
        def __init__(self, n):
            super().__init__(n)
            self.live = self.peak = 0
            self.lock = threading.Lock()

        def submit(self, fn, *a):
            with self.lock:
                self.live += 1
                self.peak = max(self.peak, self.live)
            fut = super().submit(fn, *a)

            def done(_):
                with self.lock:
                    self.live -= 1

            fut.add_done_callback(done)
            return fut

    work.pages_in_memory_peak(reset=True)
    with Counting(2) as ex:
        records = batch.run(src, "median(5),binarize", tmp_path / "dst", ex)
        peak_tasks = ex.peak
    assert len(records) == 30 and all(r["status"] == "ok" for r in records)
    assert 2 <= peak_tasks <= 4  # 2 x workers units submitted at most
    assert 1 <= work.pages_in_memory_peak() <= 2  # one decoded page per busy worker


# --------------------------------------------------------------------------- #
# Ctrl-C
# --------------------------------------------------------------------------- #
def _wait_for_records(manifest, n, proc, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if manifest.exists() and len(read_records(manifest)) >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"the batch ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.005)
    raise AssertionError("no progress")


@pytest.mark.parametrize("pool, whole_group", [("threads", False), ("processes", True)])
def test_interrupt_then_rerun_processes_every_page_once(tmp_path, rng, pool, whole_group):
    interrupt_and_resume(tmp_path, rng, ["--pool", pool], whole_group)


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_interrupt_inside_a_zip_archive(tmp_path, rng, pool):
    """The members of one archive are units of their own: they spread over the workers, are
    recorded as they finish, and Ctrl-C stops between them."""
    interrupt_and_resume(tmp_path, rng, ["--pool", pool], pool == "processes", source="zip")


def interrupt_and_resume(tmp_path, rng, options, whole_group, source="files"):
    """Ctrl-C a CLI batch after a few pages, run it again: every page once, no partial file."""
    src = tmp_path / "src"
    src.mkdir()
    n = 60
    if source == "zip":  # one archive of n pages
        with zipfile.ZipFile(src / "book.zip", "w", zipfile.ZIP_STORED) as z:
            for i in range(n):
                z.writestr(f"leaf{i:02d}.png", png_bytes(doc_page(rng, 500, 400)))
    else:
        frames = [doc_page(rng, 500, 400) for _ in range(3)]
        save_tiff(src / "multi.tif", frames)
        for i in range(n - 3):
            Image.fromarray(doc_page(rng, 500, 400)).save(src / f"p{i:02d}.png")
    dst = tmp_path / "dst"
    cmd = [PY, "-m", "ocrprep.cli", "batch", str(src), str(dst), "-f", "median(9),binarize", "-j", "2", "-q", *options]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True, text=True)
    try:
        _wait_for_records(dst / "manifest.jsonl", 4, proc)
        if whole_group:  # what a terminal does on Ctrl-C: the driver and its workers get SIGINT
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # a hung run must not outlive the test
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    first = read_records(dst / "manifest.jsonl")
    assert 4 <= len(first) < n, "the interrupt came too late to test anything"
    assert all(r["status"] == "ok" for r in first)
    assert not temporaries(dst)
    # every output on disk is recorded, every record has its output
    assert outputs(dst) == sorted(r["output"] for r in first)
    inodes = {r["output"]: (dst / r["output"]).stat().st_ino for r in first}

    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    records = read_records(dst / "manifest.jsonl")
    keys = [(r["source"], r["page"]) for r in records]
    assert len(keys) == len(set(keys)) == n  # none twice, none missing
    assert outputs(dst) == sorted(r["output"] for r in records)
    assert {rel: (dst / rel).stat().st_ino for rel in inodes} == inodes  # first-run pages untouched
    assert not temporaries(dst)


# --------------------------------------------------------------------------- #
# validation
# --------------------------------------------------------------------------- #
def test_bad_arguments(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    Image.fromarray(doc_page(rng)).save(src / "p.png")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputNotFoundError, match="nope"):
        batch.run(tmp_path / "nope", "binarize", tmp_path / "d")
    with pytest.raises(InvalidParameterError, match="not a folder"):
        batch.run(src, "binarize", tmp_path / "file")
    with pytest.raises(InvalidParameterError, match="unknown filter"):
        batch.run(src, "sharpen", tmp_path / "d")
    with pytest.raises(InvalidParameterError, match="nothing to write"):
        batch.run(src, "binarize", tmp_path / "d", images=False)
    with pytest.raises(InvalidParameterError, match="image_format"):
        batch.run(src, "binarize", tmp_path / "d", image_format="xyz")
    with pytest.raises(ParameterTypeError, match="executor"):
        batch.run(src, "binarize", tmp_path / "d", executor=object())
    with pytest.raises(InvalidParameterError, match="executor"):
        batch.run(src, "binarize", tmp_path / "d", executor="gpu")
    with pytest.raises(InvalidParameterError, match="workers"):
        batch.run(src, "binarize", tmp_path / "d", workers=0)
    with pytest.raises(InvalidParameterError, match="format"):
        batch.run(src, "binarize", tmp_path / "d", recognize=True, format="pdf")
    with pytest.raises(InvalidParameterError, match="destination cannot be"):
        batch.run(src, "binarize", src)
    with pytest.raises(InvalidParameterError, match="destination cannot be"):
        batch.run(src, "binarize", tmp_path)
    assert not (tmp_path / "d").exists()  # nothing created by a refused run
    run = batch.BatchRun(src, "binarize", tmp_path / "d", workers=1)
    list(run)
    with pytest.raises(InvalidParameterError, match="runs once"):
        list(run)


def test_missing_language_is_refused_before_any_page(tmp_path, rng):
    if not ocrprep.ocr.tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    src = tmp_path / "src"
    src.mkdir()
    Image.fromarray(doc_page(rng)).save(src / "p.png")
    with pytest.raises(InvalidParameterError, match="not installed"):
        batch.run(src, "binarize", tmp_path / "d", recognize=True, language="zzz", executor="threads")
    assert not (tmp_path / "d" / "manifest.jsonl").exists()
    assert not (tmp_path / "d" / batch.CONFIG_NAME).exists()  # the refused run claims nothing
    # so the corrected command runs (it was refused as "another configuration")
    records = batch.run(src, "binarize", tmp_path / "d", recognize=True, language="eng", executor="threads")
    assert [r["status"] for r in records] == ["ok"]


def test_docstring_examples():
    assert doctest.testmod(batch, raise_on_error=False).failed == 0


# --------------------------------------------------------------------------- #
# the command line
# --------------------------------------------------------------------------- #
def test_cli_runs_summarises_and_lists_failures(tree, tmp_path, capsys):
    src, expected = tree
    dst = tmp_path / "dst"
    assert main(["batch", str(src), str(dst), "--filters", "threshold(128)", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert f"{len(expected)} pages done, 0 already done, 1 failed" in err
    assert "pages/s" in err and "manifest" in err
    assert err.count("ocrprep: error:") == 1 and "broken.png" in err
    assert outputs(dst) == sorted(expected)

    (src / "a" / "broken.png").unlink()
    assert main(["batch", str(src), str(dst), "--filters", "threshold(128)", "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["batch", str(src), str(dst), "--filters", "threshold(99)", "-q"]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "force=True" not in err  # command-line wording
    with pytest.raises(InvalidParameterError, match=r"use force=True to redo") as caught:  # Python wording
        batch.run(src, "threshold(99)", dst)
    assert "--force" not in str(caught.value)
    assert main(["batch", str(tmp_path / "none"), str(dst), "-q"]) == 2
    assert main(["batch", str(src), str(dst), "-f", "threshold(99)", "--force", "--image-format", "tif", "-q"]) == 0


def test_cli_help_lists_batch(capsys):
    assert main(["--help"]) == 0
    assert "batch" in capsys.readouterr().out
    assert main(["batch", "--help"]) == 0
    out = capsys.readouterr().out
    for opt in ("--filters", "--recognize", "--lang", "--format", "--workers", "--dask", "--force"):
        assert opt in out


# --------------------------------------------------------------------------- #
# configuration ids: an interrupted --force run, resumed
# --------------------------------------------------------------------------- #
def _pages_folder(tmp_path, rng, n=12):
    src = tmp_path / "src"
    src.mkdir()
    pages = {}
    for i in range(n):
        pages[f"p{i:02d}.png"] = doc_page(rng)
        Image.fromarray(pages[f"p{i:02d}.png"]).save(src / f"p{i:02d}.png")
    return src, pages


def _run_part(src, filters, dst, k, **options):
    """A run stopped after ``k`` records, as when Ctrl-C stops it (the pages in flight are recorded)."""
    run = batch.BatchRun(src, filters, dst, workers=1, max_in_flight=1, **options)
    it = iter(run)
    got = [next(it) for _ in range(k)]
    it.close()
    return got + [r for r in run.failures if r not in got]


def test_interrupted_forced_run_resumes_without_mixing_pipelines(tmp_path, rng):
    src, pages = _pages_folder(tmp_path, rng)
    dst = tmp_path / "dst"
    batch.run(src, "threshold(100)", dst, workers=2)
    first = _run_part(src, INV, dst, 4, force=True)  # a forced run with a new pipeline, cut short
    assert [r["status"] for r in first] == ["ok"] * 4
    # resuming without --force is allowed (the destination now belongs to the new pipeline)...
    records = batch.run(src, INV, dst, workers=2)
    status = {r["output"]: r["status"] for r in records}
    # ...and redoes every page the old pipeline wrote: none is taken for done
    assert sorted(o for o, st in status.items() if st == "skipped") == sorted(r["output"] for r in first)
    assert sum(st == "ok" for st in status.values()) == len(pages) - 4
    for rel, page in pages.items():
        np.testing.assert_array_equal(ocrprep.imread(dst / rel), ocrprep.invert(page), err_msg=rel)
    latest = {r["output"]: r for r in read_records(dst / "manifest.jsonl")}
    assert len({r["config"] for r in latest.values()}) == 1
    assert all(r["status"] == "skipped" for r in batch.run(src, INV, dst, workers=2))


def test_forced_run_of_the_same_configuration_redoes_the_older_pages(tmp_path, rng):
    src, pages = _pages_folder(tmp_path, rng, 8)
    dst = tmp_path / "dst"
    batch.run(src, INV, dst, workers=1)
    old = {rel: (dst / rel).stat().st_ino for rel in pages}
    first = _run_part(src, INV, dst, 3, force=True)
    again = batch.run(src, INV, dst, workers=1)
    assert sorted(r["output"] for r in again if r["status"] == "skipped") == sorted(r["output"] for r in first)
    assert sum(r["status"] == "ok" for r in again) == len(pages) - 3
    assert all((dst / rel).stat().st_ino != ino for rel, ino in old.items())  # every page of the forced run


def test_manifest_of_an_earlier_version_is_still_read(tmp_path, rng):
    src, pages = _pages_folder(tmp_path, rng, 5)
    dst = tmp_path / "dst"
    batch.run(src, INV, dst, workers=1)
    # what an earlier version wrote: records without ids, the bare configuration in the file
    config = json.loads((dst / batch.CONFIG_NAME).read_text())["config"]
    (dst / batch.CONFIG_NAME).write_text(json.dumps(config))
    lines = [json.loads(line) for line in (dst / "manifest.jsonl").read_text().splitlines()]
    for rec in lines:
        del rec["config"], rec["pages"]
    (dst / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    assert [r["status"] for r in batch.run(src, INV, dst, workers=1)] == ["skipped"] * 5
    with pytest.raises(InvalidParameterError, match="another configuration"):
        batch.run(src, "threshold(90)", dst, workers=1)
    assert [r["status"] for r in batch.run(src, INV, dst, workers=1, force=True)] == ["ok"] * 5


def test_empty_output_file_is_redone(tmp_path, rng):
    src, pages = _pages_folder(tmp_path, rng, 3)
    dst = tmp_path / "dst"
    batch.run(src, INV, dst, workers=1)
    (dst / "p01.png").write_bytes(b"")  # a power cut after the rename, before the data reached the disk
    again = batch.run(src, INV, dst, workers=1)
    assert {r["output"]: r["status"] for r in again} == {"p00.png": "skipped", "p01.png": "ok", "p02.png": "skipped"}
    np.testing.assert_array_equal(ocrprep.imread(dst / "p01.png"), ocrprep.invert(pages["p01.png"]))


# --------------------------------------------------------------------------- #
# names: not UTF-8, collisions, symbolic links
# --------------------------------------------------------------------------- #
def test_file_name_that_is_not_utf8(tmp_path, rng):
    src = tmp_path / "src"
    src.mkdir()
    page = doc_page(rng)
    raw = os.fsencode(src) + b"/bad\xff name.png"
    try:
        with open(raw, "wb") as f:
            f.write(png_bytes(page))
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    Image.fromarray(doc_page(rng)).save(src / "ok.png")
    dst = tmp_path / "dst"
    records = batch.run(src, INV, dst, workers=2)
    assert sorted((r["output"], r["status"]) for r in records) == [("bad\udcff name.png", "ok"), ("ok.png", "ok")]
    assert os.path.exists(os.fsencode(dst) + b"/bad\xff name.png")
    np.testing.assert_array_equal(ocrprep.imread(os.fsdecode(os.fsencode(dst) + b"/bad\xff name.png")),
                                  ocrprep.invert(page))
    (dst / "manifest.jsonl").read_bytes().decode("ascii")  # escapes, no raw surrogates
    assert [r["status"] for r in batch.run(src, INV, dst, workers=2)] == ["skipped", "skipped"]


def test_output_names_never_collide(tmp_path, rng):
    src = tmp_path / "src"
    (src / "x.png").mkdir(parents=True)  # a folder named like the output of x.jpg
    pages = {name: doc_page(rng) for name in ("t1", "t2", "png", "jpg", "scan", "SCAN", "m1", "m2", "x", "inner")}
    save_tiff(src / "doc.tif", [pages["t1"], pages["t2"]])
    Image.fromarray(pages["png"]).save(src / "doc_page1.png")
    Image.fromarray(pages["scan"]).save(src / "scan.png")
    Image.fromarray(pages["SCAN"]).save(src / "scan.PNG", "PNG")
    Image.fromarray(pages["x"]).save(src / "x.jpg", quality=100)
    Image.fromarray(pages["inner"]).save(src / "x.png" / "inner.png")
    with zipfile.ZipFile(src / "disguised.png", "w") as z:  # a zip archive named like an image
        z.writestr("m1.png", png_bytes(pages["m1"]))
        z.writestr("m2.png", png_bytes(pages["m2"]))
    expected = {
        "doc_page1.png": "t1", "doc_page2.png": "t2", "doc_page1_png.png": "png",
        "scan_png.png": "scan", "scan_png_2.png": "SCAN", "x_jpg.png": "x", "x.png/inner.png": "inner",
        "disguised.png/m1.png": "m1", "disguised.png/m2.png": "m2",
    }
    dst = tmp_path / "dst"
    records = batch.run(src, "threshold(128)", dst, workers=2)
    assert sorted(r["output"] for r in records if r["status"] == "ok") == sorted(expected)
    assert outputs(dst) == sorted(expected)
    for rel, name in expected.items():
        got = ocrprep.imread(dst / rel)
        want = ocrprep.imread(src / "x.jpg") if name == "x" else pages[name]
        np.testing.assert_array_equal(got, ocrprep.threshold(want, 128), err_msg=rel)
    again = batch.run(src, "threshold(128)", dst, workers=2)
    assert [r["status"] for r in again] == ["skipped"] * len(expected)  # the archive is not redone


def test_claim_bases_examples():
    from ocrprep.batch import _plan

    assert doctest.testmod(_plan, raise_on_error=False).failed == 0
    # a name that collides twice over, and a page name of a tagged name
    assert _plan.claim_bases(["a.png", "a.tif", "a_png.jpg"]) == ["a_png_2", "a_tif", "a_png"]
    assert _plan.claim_bases(["p.png", "P.PNG", "p_page2.tif"]) == ["p_png", "P_png_2", "p_page2_tif"]
    # a folder named like an output page of a multi-page source
    assert _plan.claim_bases(["r.pdf"], dirs=["r_page1.png"]) == ["r_pdf"]
    assert _plan.claim_bases(["r.pdf"], dirs=["r_page1.txt"], suffixes=[".png"]) == ["r"]


def test_symbolic_links_to_folders_are_followed_once(tmp_path, rng):
    src, elsewhere = tmp_path / "src", tmp_path / "elsewhere"
    (src / "a").mkdir(parents=True)
    elsewhere.mkdir()
    Image.fromarray(doc_page(rng)).save(src / "a" / "p.png")
    Image.fromarray(doc_page(rng)).save(elsewhere / "q.png")
    try:
        (src / "linked").symlink_to(elsewhere, target_is_directory=True)
        (src / "a" / "loop").symlink_to(src, target_is_directory=True)  # a loop
        (src / "again").symlink_to(src / "a", target_is_directory=True)  # a second way to a folder
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    dst = tmp_path / "dst"
    (src / "out").symlink_to(dst, target_is_directory=True)  # the destination, through a link
    records = batch.run(src, INV, dst, workers=2)
    assert sorted(r["output"] for r in records) == ["a/p.png", "linked/q.png"]
    assert all(r["status"] == "ok" for r in records)


# --------------------------------------------------------------------------- #
# worker processes: start-up errors, aborts, a killed driver
# --------------------------------------------------------------------------- #
def test_script_without_main_guard_gets_a_clear_error(tmp_path, rng):
    src = tmp_path / "p.png"
    Image.fromarray(doc_page(rng)).save(src)
    script = tmp_path / "noguard.py"
    script.write_text(
        "import ocrprep.batch\n"
        "try:\n"
        f"    ocrprep.batch.run({str(src)!r}, 'binarize', {str(tmp_path / 'dst')!r}, executor='processes', workers=1)\n"
        "    print('RESULT ok')\n"
        "except Exception as exc:\n"
        "    if __name__ != '__main__':\n"
        "        raise  # in the worker process, as a script without the guard would\n"
        "    print('RESULT', type(exc).__name__, isinstance(exc, ocrprep.OcrprepError), exc)\n"
    )
    proc = subprocess.run([PY, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    result = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
    assert len(result) == 1, proc.stdout + proc.stderr
    assert result[0].startswith("RESULT WorkerStartError True")
    assert 'if __name__ == "__main__":' in result[0]
    assert not (tmp_path / "dst" / batch.CONFIG_NAME).exists()


def test_second_ctrl_c_does_not_wait_for_the_pages_in_flight(tmp_path, rng, monkeypatch):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("SIGINT handling needs the main thread")
    src, _ = _pages_folder(tmp_path, rng, 6)
    started, release, came_back = threading.Event(), threading.Event(), threading.Event()
    real = work.process_unit

    def stuck(unit, job):
        started.set()
        release.wait(60)  # a page that takes "forever"
        came_back.set()
        return real(unit, job)

    monkeypatch.setattr(work, "process_unit", stuck)

    def press_ctrl_c_twice():
        started.wait(60)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c_twice)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            batch.run(src, INV, tmp_path / "dst", executor="threads", workers=2)
        assert not came_back.is_set()  # the run came back while its pages were still stuck
    finally:
        release.set()
        presser.join()


def test_aborted_process_pool_stops_its_workers():
    from ocrprep.batch._executors import LocalPool

    pool = LocalPool("processes", 1)
    proc = list(pool.executor._processes.values())[0]
    fut = pool.submit(time.sleep, 3600)
    closer = threading.Thread(target=pool.close, kwargs={"cancel": True}, daemon=True)
    end = time.monotonic() + 30
    while not fut.running() and time.monotonic() < end:
        time.sleep(0.01)
    closer.start()
    closer.join(60)
    assert not closer.is_alive()
    # the operating system's view, not the Process object's (whose poll() reads "alive" for a
    # child that was reaped elsewhere): gone, or a zombie waiting for its parent to collect it
    end = time.monotonic() + 60
    while not _process_ended(proc.pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert _process_ended(proc.pid)
    proc.join(5)


def _process_ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    except OSError:  # pragma: no cover - no /proc: fall back to a signal probe
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return state in ("Z", "X")



def _ignore_sigterm_and_sleep(ready):
    import signal as _signal

    _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
    ready.set()
    time.sleep(3600)


def test_a_worker_that_outlives_sigterm_is_killed():
    import multiprocessing

    from ocrprep.batch._executors import _kill_survivors

    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_ignore_sigterm_and_sleep, args=(ready,), daemon=True)
    proc.start()
    assert ready.wait(60)
    proc.terminate()
    proc.join(0.5)
    assert proc.is_alive()  # SIGTERM alone does not stop it
    _kill_survivors([proc], grace=0.5)
    proc.join(30)
    assert not proc.is_alive()

def _children(pid):
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def test_workers_exit_when_the_driver_is_killed(tmp_path, rng):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc")
    src, _ = _pages_folder(tmp_path, rng, 40)
    dst = tmp_path / "dst"
    cmd = [PY, "-m", "ocrprep.cli", "batch", str(src), str(dst), "-f", "median(9),binarize", "-j", "2", "-q",
           "--pool", "processes"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
    workers = []
    try:
        _wait_for_records(dst / "manifest.jsonl", 2, proc)
        workers = [c for c in _children(proc.pid)
                   if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert len(workers) == 2
        proc.kill()
        proc.wait()
        end = time.monotonic() + 30
        while time.monotonic() < end and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.1)
        assert not any(Path(f"/proc/{w}").exists() for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass


# --------------------------------------------------------------------------- #
# CLI details
# --------------------------------------------------------------------------- #
def test_cli_progress_shows_rate_and_eta(tmp_path, rng, capsys):
    pytest.importorskip("tqdm")  # (the progress extra; the plain lines are tested below)
    src, _ = _pages_folder(tmp_path, rng, 6)
    assert main(["batch", str(src), str(tmp_path / "d1"), "-f", INV, "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"\d+/6 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+page/s", err), err  # tqdm: done/total [elapsed<ETA, rate]
    assert "6 pages done, 0 already done, 0 failed" in err


def test_cli_plain_progress_lines_without_tqdm(tmp_path, rng, capsys, monkeypatch):
    from ocrprep.batch import cli as batch_cli

    src, _ = _pages_folder(tmp_path, rng, 6)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed
    monkeypatch.setattr(batch_cli._Progress, "interval", 0.0)
    assert main(["batch", str(src), str(tmp_path / "d1"), "-f", INV, "-j", "1"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("batch:")]
    assert len(lines) == 6
    assert re.fullmatch(r"batch: 6/6 pages, [\d.]+ pages/s, ETA 0 s", lines[-1]), lines


def test_cli_interrupt_notice_is_not_written_over_the_bar(tmp_path, rng):
    src, _ = _pages_folder(tmp_path, rng, 30)
    dst = tmp_path / "dst"
    cmd = [PY, "-m", "ocrprep.cli", "batch", str(src), str(dst), "-f", "median(15),binarize", "-j", "1"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        _wait_for_records(dst / "manifest.jsonl", 2, proc)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    notice = [line for line in re.split(r"[\r\n]", err) if "finishing the" in line]
    assert len(notice) == 1 and notice[0].startswith("ocrprep batch: interrupted;"), err


def test_cli_empty_source_folder_is_an_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no pages")
    assert main(["batch", str(tmp_path / "empty"), str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "no image, PDF or zip file found" in err
    assert "pages done" not in err and "manifest" not in err  # no summary that reads as a success
    assert not (tmp_path / "d").exists()  # nor an output folder made before the error
    assert batch.run(tmp_path / "empty", INV, tmp_path / "d2") == []
    assert not (tmp_path / "d2").exists()


def test_failure_messages_name_no_python_objects(tree, tmp_path):
    src, _ = tree
    records = batch.run(src, INV, tmp_path / "dst", workers=1)
    (failed,) = [r for r in records if r["status"] == "failed"]
    assert "broken.png" in failed["error"] and "<_io." not in failed["error"]


@pytest.mark.tesseract
def test_readme_batch_examples_run_in_order(tesseract, tmp_path, monkeypatch, capsys):
    """The README's batch lines, pasted in order in one folder, all run (the cluster one needs a scheduler)."""
    import shlex

    from frontdoor import text_page

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Batch processing", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert len(lines) == 3 and all(line.startswith("ocrprep batch ") for line in lines)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scans").mkdir()
    ocrprep.imwrite(tmp_path / "scans" / "letter.png", text_page(["Batch examples run in order"], size=(600, 90)))
    for line in lines[:2]:
        assert main(shlex.split(line)[1:] + ["-q"]) == 0, (line, capsys.readouterr().err)
    assert (tmp_path / "clean" / "letter.png").is_file()
    assert "Batch" in (tmp_path / "text" / "letter.json").read_text()
    # the cluster line differs from the first only by --dask: same folder, same configuration
    assert shlex.split(lines[2])[:5] == shlex.split(lines[0])[:5] and "--dask" in lines[2]


def test_long_tiff_goes_out_in_ranges_and_resumes_page_by_page(tmp_path, rng, monkeypatch):
    # a worker reads consecutive pages of one file (one opening, one walk of the TIFF's page
    # directories) instead of re-opening it for every page; a rerun redoes only the missing pages
    pages = 150
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    frames = [np.full((12, 16), k % 250, np.uint8) for k in range(pages)]
    save_tiff(src / "long.tif", frames)
    units = []
    real = work.process_unit

    def spy(unit, job):
        units.append((unit.start, unit.count))
        return real(unit, job)

    monkeypatch.setattr(work, "process_unit", spy)
    records = batch.run(src, INV, dst, executor="threads", workers=2)
    assert sorted(r["page"] for r in records if r["status"] == "ok") == list(range(1, pages + 1))
    covered = sorted(p for start, count in units for p in range(start, start + count))
    assert covered == list(range(pages))  # every page in exactly one unit
    assert all(1 <= count <= batch.MAX_PAGES_PER_UNIT for _s, count in units)
    assert 8 <= len(units) < pages  # ranges, and enough of them for both workers (4 x 2 slots)
    for k in (0, 77, pages - 1):
        np.testing.assert_array_equal(ocrprep.imread(dst / f"long_page{k + 1}.png"), 255 - frames[k])
    # outputs of pages 40-44 and 100 lost: the rerun plans ranges around the finished pages
    for k in [*range(40, 45), 100]:
        (dst / f"long_page{k + 1}.png").unlink()
    units.clear()
    again = batch.run(src, INV, dst, executor="threads", workers=2)
    redone = sorted(r["page"] for r in again if r["status"] == "ok")
    assert redone == [41, 42, 43, 44, 45, 101]
    assert sorted(units) == [(40, 5), (100, 1)]
