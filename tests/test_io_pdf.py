"""PDF pages under limits: form-XObject bombs end as one PageError, the other pages and files go on.

The bomb of issue 10 (forms nested 9 deep, each drawing the next 10 times)
made PDFium grow to 5 GB in 15 s and abort the Python process.  These tests
build such files with plain PDF syntax (tests/pdfgen.py).  Anything that
might run a real bomb without the limits runs in a child Python process, so
a regression fails a test instead of taking the test session down.
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import ocrprep
import ocrprep.io as oio
from ocrprep.errors import DecompressionBombError, ImageDecodeError
from pdfgen import form_bomb, plain_pdf

pdfium = pytest.importorskip("pypdfium2")
TESTS = Path(__file__).resolve().parent


def run_isolated(code: str, env: dict | None = None, timeout: float = 300) -> dict:
    """Run ``code`` (which sets ``result``) in a fresh Python process under an address-space cap
    of 3 GB, so a bomb that escaped the limits cannot take the machine; returns ``result`` and the
    peak resident memory of the process and of its children (the renderer workers)."""
    prelude = textwrap.dedent(f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        sys.path.insert(0, {str(TESTS)!r})
    """)
    # ru_maxrss of a process started by subprocess inherits the peak of the process that started
    # it (Linux carries the pre-exec high-water mark over exec): a large pytest process made these
    # checks fail; /proc/self/status VmHWM is this process's own peak
    epilogue = textwrap.dedent("""
        ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            import re
            ru_self = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
        except (OSError, AttributeError):
            pass
        ru_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({"result": result, "rss_mb": ru_self // 1024, "children_rss_mb": ru_kids // 1024}))
    """)
    full_env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), **(env or {}))
    proc = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code) + epilogue],
                          capture_output=True, text=True, timeout=timeout, env=full_env)
    assert proc.returncode == 0, f"status {proc.returncode}\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


READ_ALL = """
    import ocrprep.io as oio
    from ocrprep._pdfrender import shutdown
    from pdfgen import form_bomb
    items = list(oio.iter_pages(form_bomb({depth}, 10, good_pages=(-1, 2)), name="bomb.pdf",
                                dpi=100, on_error="yield"))
    shutdown()  # end the idle renderer, so its peak memory is counted in RUSAGE_CHILDREN
    result = [[type(i).__name__, i.page, getattr(i, "message", None),
               type(getattr(i, "error", None)).__name__,
               None if i.image is None else [int(i.image.min()), list(i.image.shape)]] for i in items]
"""


def test_form_bomb_page_is_a_page_error_and_the_other_pages_render():
    out = run_isolated(READ_ALL.format(depth=9))
    items = out["result"]
    assert [(kind, page) for kind, page, *_ in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    message, error = items[1][2], items[1][3]
    assert error == "DecompressionBombError" and "bomb.pdf page 2" in message and "nested forms" in message
    assert items[0][4] == [0, [1100, 850]] and items[2][4][0] == 0  # the good pages: black bars drawn
    # refused from the page's objects: neither this process nor the renderer grew
    assert out["rss_mb"] < 500 and out["children_rss_mb"] < 500, out


def test_render_limits_stop_a_bomb_the_static_check_lets_through(monkeypatch):
    # the static check switched off (a huge draw budget): the worker's memory limit (or its CPU
    # limit) ends the page, the process goes on with the next page in a new worker
    out = run_isolated(READ_ALL.format(depth=8), env={
        "OCRPREP_PDF_MAX_DRAWS": str(10**15), "OCRPREP_PDF_MAX_CONTENT": str(10**15),
        "OCRPREP_PDF_RENDER_MEMORY": str(300 << 20),
        "OCRPREP_PDF_RENDER_SECONDS": "5",
    })
    items = out["result"]
    assert [(kind, page) for kind, page, *_ in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    assert items[1][3] == "DecompressionBombError" and "rendering stopped" in items[1][2]
    assert "PDF_RENDER_MEMORY" in items[1][2] or "PDF_RENDER_SECONDS" in items[1][2]
    assert out["rss_mb"] < 500, out


def test_cpu_limit_ends_a_slow_page(monkeypatch):
    # memory to spare (2 GB) but a 1 s CPU budget: the depth-6 bomb (1,111,110 forms) is ended by
    # the CPU limit, and the next page renders in a new worker
    monkeypatch.setattr(oio, "PDF_MAX_DRAWS", 10**15)
    monkeypatch.setattr(oio, "PDF_MAX_CONTENT", 10**15)
    monkeypatch.setattr(oio, "PDF_RENDER_SECONDS", 1.0)
    monkeypatch.setattr(oio, "PDF_RENDER_MEMORY", 2 << 30)
    items = list(oio.iter_pages(form_bomb(6, 10, good_pages=(2,)), name="slow.pdf", dpi=72, on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("PageError", 1), ("Page", 2)]
    assert isinstance(items[0].error, DecompressionBombError)
    assert "more than 1 s of CPU time" in items[0].message and "PDF_RENDER_SECONDS" in items[0].message


def _expanded(depth, fanout):
    return sum(fanout ** k for k in range(1, depth + 1))


@pytest.mark.parametrize("depth,fanout", [(1, 3), (3, 4), (4, 7)])
def test_static_check_counts_the_expansion(depth, fanout):
    from ocrprep._pdfworker import TooComplex, page_cost

    pypdf = pytest.importorskip("pypdf")
    import io

    data = form_bomb(depth, fanout, compress=True)
    reader = pypdf.PdfReader(io.BytesIO(data))
    want = _expanded(depth, fanout)  # the page draws X0 f times, X0 draws X1 f times...
    cost = page_cost(reader, 0, max_draws=want, max_depth=depth, max_content=10**9)
    assert cost["draws"] == want and cost["depth"] == depth
    with pytest.raises(TooComplex, match="at least"):
        page_cost(reader, 0, max_draws=want - 1, max_depth=depth, max_content=10**9)
    with pytest.raises(TooComplex):
        page_cost(reader, 0, max_draws=want, max_depth=depth - 1, max_content=10**9)


def test_in_process_rendering_keeps_the_static_check():
    out = run_isolated("""
        import ocrprep.io as oio
        from pdfgen import form_bomb
        oio.PDF_ISOLATE = False
        items = list(oio.iter_pages(form_bomb(9, 10, good_pages=(2,)), name="b.pdf", dpi=72, on_error="yield"))
        result = [[type(i).__name__, i.page, type(getattr(i, "error", None)).__name__] for i in items]
    """)
    assert out["result"] == [["PageError", 1, "DecompressionBombError"], ["Page", 2, "NoneType"]]
    assert out["children_rss_mb"] == 0  # no worker process: all in this one


@pytest.mark.parametrize("mode", ["auto", "gray", "rgb"])
def test_worker_renders_exactly_like_pdfium_in_process(monkeypatch, mode):
    data = plain_pdf(3)
    isolated = list(oio.iter_pages(data, dpi=96, mode=mode))
    monkeypatch.setattr(oio, "PDF_ISOLATE", False)
    local = list(oio.iter_pages(data, dpi=96, mode=mode))
    assert len(isolated) == len(local) == 3
    doc = pdfium.PdfDocument(data)
    for a, b, k in zip(isolated, local, range(3)):
        np.testing.assert_array_equal(a.image, b.image)
        # the oracle: pypdfium2 called directly
        ref = np.asarray(doc[k].render(scale=96 / 72, grayscale=mode == "gray").to_pil().convert("L" if mode != "rgb" else "RGB"))
        np.testing.assert_array_equal(a.image if a.image.ndim == ref.ndim else a.image[..., 0], ref)


def test_page_errors_of_the_worker_are_the_usual_ones():
    # a page-tree kid that is not a page: the same error as in-process rendering
    from frontdoor import pdf_from_objects

    catalog = b"<</Type/Catalog/Pages 2 0 R>>"
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 36]>>"
    data = pdf_from_objects([catalog, b"<</Type/Pages/Kids[3 0 R 4 0 R 5 0 R]/Count 3>>", page, b"<</Type/Font>>", page])
    items = list(oio.iter_pages(data, name="mixed.pdf", dpi=72, on_error="yield"))
    assert [(type(i).__name__, i.page) for i in items] == [("Page", 1), ("PageError", 2), ("Page", 3)]
    assert isinstance(items[1].error, ImageDecodeError) and "mixed.pdf page 2: cannot load the page" in items[1].message


def test_imread_of_a_bomb_page_raises_and_a_good_page_reads(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(form_bomb(9, 10, good_pages=(2,)))
    out = run_isolated(f"""
        import ocrprep
        try:
            ocrprep.imread({str(path)!r}, dpi=72)
            first = None
        except ocrprep.OcrprepError as exc:
            first = [type(exc).__name__, str(exc)]
        result = [first, int(ocrprep.imread({str(path)!r}, page=2, dpi=72).min())]
    """)
    (kind, message), ink = out["result"]
    assert kind == "DecompressionBombError" and "bomb.pdf page 1" in message and ink == 0


def test_batch_over_a_folder_with_a_bomb_finishes_the_good_pages(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    (src / "bomb.pdf").write_bytes(form_bomb(9, 10, good_pages=(-1, 2)))
    (src / "good.pdf").write_bytes(plain_pdf(2))
    ocrprep.imwrite(src / "scan.png", np.full((40, 60), 200, np.uint8))
    out = run_isolated(f"""
        from ocrprep import batch
        records = batch.run({str(src)!r}, "threshold(128)", {str(dst)!r}, workers=2, dpi=72)
        result = [[r["source"], r["page"], r["status"]] for r in records]
    """)
    status = {(Path(source).name, page): state for source, page, state in out["result"]}
    assert status == {
        ("bomb.pdf", 1): "ok", ("bomb.pdf", 2): "failed", ("bomb.pdf", 3): "ok",
        ("good.pdf", 1): "ok", ("good.pdf", 2): "ok", ("scan.png", 1): "ok",
    }
    manifest = [json.loads(line) for line in (dst / "manifest.jsonl").read_text().splitlines()]
    failed = [r for r in manifest if r.get("status") == "failed"]
    assert len(failed) == 1 and failed[0]["page"] == 2 and "nested forms" in failed[0]["error"]
    assert (dst / "bomb_page1.png").is_file() and (dst / "bomb_page3.png").is_file()
    assert out["rss_mb"] < 600, out


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_starts_its_own_worker():
    # the idle worker of the parent is not shared with a forked child (their pipes would be)
    data = plain_pdf(2)
    assert len(list(oio.iter_pages(data, dpi=36))) == 2  # leaves an idle worker behind
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status
        try:
            ok = [int(p.image.min()) for p in oio.iter_pages(data, dpi=36)] == [0, 0]
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert [int(p.image.min()) for p in oio.iter_pages(data, dpi=36)] == [0, 0]  # the parent's still works
