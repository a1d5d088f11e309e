"""ocrprep.batch on a dask.distributed LocalCluster (2 worker processes)."""
from __future__ import annotations

import os
import signal
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

distributed = pytest.importorskip("distributed")

import ocrprep.batch as batch  # noqa: E402
from ocrprep.batch._manifest import read_records  # noqa: E402
from ocrprep.cli import main  # noqa: E402
from test_batch import doc_page, interrupt_and_resume, outputs, png_bytes, save_tiff, temporaries  # noqa: E402

FILTERS = "median(7),binarize"


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50,
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


#: pages of the ``scans`` tree
PAGES = 35


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """35 pages: single images in two folders, a 4-page TIFF, a 2-page PDF and a zip archive
    of 3 members (one of them that PDF again)."""
    rng = np.random.default_rng(99)
    src = tmp_path_factory.mktemp("scans")
    (src / "box1").mkdir()
    (src / "box2").mkdir()
    for i in range(13):
        Image.fromarray(doc_page(rng, 600, 450)).save(src / "box1" / f"p{i:02d}.png")
        Image.fromarray(doc_page(rng, 600, 450)).save(src / "box2" / f"p{i:02d}.jpg", quality=90)
    save_tiff(src / "bound.tif", [doc_page(rng, 600, 450) for _ in range(4)])
    pdf = [Image.fromarray(doc_page(rng, 600, 450)).convert("RGB") for _ in range(2)]
    pdf[0].save(src / "report.pdf", save_all=True, append_images=pdf[1:], resolution=100)
    with zipfile.ZipFile(src / "box1" / "loose.zip", "w") as z:
        z.writestr("a.png", png_bytes(doc_page(rng, 600, 450)))
        z.write(src / "report.pdf", "inner/report.pdf")
    (src / "box2" / "torn.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 50)
    local = src.parent / (src.name + "-local")
    records = batch.run(src, FILTERS, local, executor="threads", workers=2)
    return src, local, records


def files(dst):
    return {rel: (Path(dst) / rel).read_bytes() for rel in outputs(dst)}


def summary(records):
    return sorted((r["source"], r["page"], r["output"], r["status"]) for r in records)


def wait_for_workers(client, n=2, timeout=60):
    end = time.monotonic() + timeout
    while len(client.scheduler_info()["workers"]) < n:
        if time.monotonic() > end:
            raise AssertionError("the cluster did not get its workers back")
        time.sleep(0.1)


def test_cluster_outputs_identical_to_local_run(client, scans, tmp_path):
    src, local, local_records = scans
    wait_for_workers(client)
    records = batch.run(src, FILTERS, tmp_path / "dst", executor=client)
    assert summary(records) == summary(local_records)
    assert sum(r["status"] == "ok" for r in records) == PAGES
    assert {r["output"] for r in records if r["status"] == "ok"} >= {
        "report_page1.png", "report_page2.png", "box1/loose.zip/a.png",
        "box1/loose.zip/inner/report_page1.png", "box1/loose.zip/inner/report_page2.png",
    }
    assert [Path(r["source"]).name for r in records if r["status"] == "failed"] == ["torn.jpg"]
    assert files(tmp_path / "dst") == files(local)
    assert summary(read_records(tmp_path / "dst" / "manifest.jsonl")) == summary(records)
    workers = {r["worker"] for r in records if r["status"] == "ok"}
    assert len(workers) == 2  # both worker processes took pages (none is the driver)
    assert all(w.split(":")[-1] != str(os.getpid()) for w in workers)


def test_killed_worker_pages_are_rerun(client, scans, tmp_path):
    src, local, local_records = scans
    wait_for_workers(client)
    killed = []

    def kill_a_busy_worker(rec):
        if killed:
            return
        busy = {addr: keys for addr, keys in client.processing().items() if keys}
        if not busy:
            return
        addr = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[addr])[addr]
        killed.append((pid, len(busy[addr])))
        os.kill(pid, signal.SIGKILL)

    records = batch.run(src, FILTERS, tmp_path / "dst", executor=client, on_record=kill_a_busy_worker)
    assert killed and killed[0][1] >= 1, "no worker was busy when the first page came back"
    assert summary(records) == summary(local_records)  # every page, once, same outcome
    assert summary(read_records(tmp_path / "dst" / "manifest.jsonl")) == summary(records)
    assert files(tmp_path / "dst") == files(local)
    assert not temporaries(tmp_path / "dst")
    pids = [r["worker"].split(":")[-1] for r in records]
    assert str(killed[0][0]) not in pids[-5:]


def test_cli_on_a_scheduler_address_resumes_a_local_run(client, scans, tmp_path, capsys):
    src, local, _ = scans
    wait_for_workers(client)
    dst = tmp_path / "dst"
    assert main(["batch", str(src), str(dst), "-f", FILTERS, "-q"]) == 1  # the torn JPEG
    lost = sorted(outputs(dst / "box2"))[:5]
    for rel in lost:
        (dst / "box2" / rel).unlink()
    kept = {rel: (dst / rel).stat().st_ino for rel in outputs(dst)}
    capsys.readouterr()
    assert main(["batch", str(src), str(dst), "-f", FILTERS, "--dask", client.scheduler.address, "-j", "3"]) == 1
    err = capsys.readouterr().err
    assert f"5 pages done, {PAGES - 5} already done, 1 failed" in err and "torn.jpg" in err and "dask" in err
    assert "-j/--workers is ignored with --dask" in err
    assert files(dst) == files(local)
    assert {rel: (dst / rel).stat().st_ino for rel in kept} == kept
    ok = [r for r in read_records(dst / "manifest.jsonl") if r["status"] == "ok"]
    assert len(ok) == PAGES + 5 and len({(r["source"], r["page"]) for r in ok}) == PAGES


def test_bad_dask_address_is_a_usage_error(tmp_path, scans, capsys):
    src, _, _ = scans
    code = main(["batch", str(src), str(tmp_path / "d"), "--dask", "tcp://127.0.0.1:1", "--dask-timeout", "2", "-q"])
    assert code == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_missing_language_on_the_workers_is_refused_up_front(client, scans, tmp_path):
    import ocrprep.ocr
    from ocrprep.errors import InvalidParameterError

    if not ocrprep.ocr.tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    src, _, _ = scans
    wait_for_workers(client)
    with pytest.raises(InvalidParameterError, match="not installed"):
        batch.run(src, FILTERS, tmp_path / "dst", executor=client, recognize=True, language="zzz")
    assert not (tmp_path / "dst" / "manifest.jsonl").exists()


def test_cli_local_cluster_survives_ctrl_c_and_resumes(tmp_path):
    # Ctrl-C reaches the driver and the LocalCluster's worker processes alike
    interrupt_and_resume(tmp_path, np.random.default_rng(5), ["--dask", "local"], whole_group=True)
