"""What a worker does with one unit: decode, filter, recognise, write, report.

This module is imported by worker processes (local process pools, Dask
workers), so it keeps to plain picklable values: a :class:`~._plan.Unit`
and a :class:`Job` in, a list of manifest records out.  Pixels never leave
the worker: it reads the source and writes the outputs itself (on a cluster
both folders must be reachable at the same paths from every worker).

Every output is written to a temporary file in its folder and renamed into
place (:func:`ocrprep.io.imwrite`, :meth:`RecognitionResult.save`), so an
output that exists is complete.
"""
from __future__ import annotations

import functools
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import OcrprepError
from ..filters import PreprocessingFilter
from ..io import PageError, imwrite, iter_pages
from ._plan import Unit, output_name

#: Output suffix of each recognition format.
TEXT_SUFFIX = {"text": ".txt", "json": ".json", "hocr": ".hocr"}


@dataclass(frozen=True)
class Job:
    """The settings shared by every unit of a batch (small and picklable)."""

    dst: str
    filters: str  # PreprocessingFilter.to_json()
    recognize: bool = False
    language: str = "eng"
    result_type: str = "text"
    images: bool = True
    image_suffix: str = ".png"
    threads: int = 1
    dpi: int | None = None


# pages decoded and not yet released in this process (to check the memory bound)
_gauge_lock = threading.Lock()
_gauge = {"live": 0, "peak": 0}


def _gauge_add(n: int) -> None:
    with _gauge_lock:
        _gauge["live"] += n
        _gauge["peak"] = max(_gauge["peak"], _gauge["live"])


def pages_in_memory_peak(reset: bool = False) -> int:
    """Most pages this process held at once since the last reset (a test hook)."""
    with _gauge_lock:
        peak = _gauge["peak"]
        if reset:
            _gauge["peak"] = _gauge["live"]
        return peak


@functools.lru_cache(maxsize=16)
def _pipeline(spec: str) -> PreprocessingFilter:
    return PreprocessingFilter.from_json(spec)


@functools.lru_cache(maxsize=16)
def _settings(language: str, result_type: str):
    from ..ocr import RecognitionSettings

    return RecognitionSettings(language=language, result_type=result_type, threads_count=1)


@functools.lru_cache(maxsize=1)
def _engine():
    from ..ocr import OcrEngine

    return OcrEngine()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def preflight(job: Job) -> dict:
    """Check on a worker that the job can run there (filters parse, Tesseract and language present)."""
    _pipeline(job.filters)
    info = {"worker": _worker_name()}
    if job.recognize:
        from ..ocr import _check_languages, _check_tesseract

        opts = _settings(job.language, job.result_type).resolved()
        version, installed = _check_tesseract(_engine().tesseract_cmd)
        _check_languages(opts.language, installed)
        info["tesseract"] = version
    return info


# Pillow names the file it failed on by the repr of its file object:
# "cannot identify image file <_io.BufferedReader name='/x/a.png'>"
_FILE_REPR = re.compile(r"\s*<_io\.\w+ name=(?:'[^']*'|\"[^\"]*\"|-?\d+)>")


def clean_message(text: str) -> str:
    """A failure message without the ``<_io.BufferedReader name=...>`` reprs Pillow puts in
    (the record already names the source)."""
    return _FILE_REPR.sub("", text) if "<_io." in text else text


def error_text(exc) -> str:
    """The reason recorded for a failure: ocrprep's own message, else the exception's type and text."""
    if isinstance(exc, OcrprepError):
        return clean_message(str(exc))
    return clean_message(f"{type(exc).__name__}: {exc}")


def _record(source, page, status, *, output=None, error=None, timings=None, stamp=None, image=None,
            pages=None) -> dict:
    rec = {
        "source": source,
        "page": page,
        "output": output,
        "status": status,
        "error": clean_message(error) if error else error,
        "timings": {k: round(v, 4) for k, v in (timings or {}).items()},
        "worker": _worker_name(),
    }
    if pages is not None:
        rec["pages"] = pages
    if image is not None:
        rec["image"] = image
    if stamp is not None:
        rec["source_size"], rec["source_mtime_ns"] = stamp
    return rec


def _stamp(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


#: set by the driver when a run is aborted (a second Ctrl-C): thread workers stop between pages
ABORT = threading.Event()


def process_unit(unit: Unit, job: Job) -> list[dict]:
    """Process the pages of one unit; one manifest record per page (failures included).

    Errors of one page (unreadable data, a filter refusing the page,
    Tesseract failing, a full disk) become ``failed`` records and the next
    page goes on; anything unexpected propagates so the executor can retry
    the unit.
    """
    stamp = _stamp(unit.path)
    records = []
    expected = f"{unit.path}/{unit.member}" if unit.is_zip else None
    pages = iter_pages(unit.path, start_page=unit.start, pages_count=unit.count, dpi=job.dpi,
                       name=unit.path, on_error="yield")
    while not ABORT.is_set():
        t0 = time.perf_counter()
        try:
            item = next(pages)
        except StopIteration:
            break
        t_read = time.perf_counter() - t0
        if expected is not None and item.source != expected:
            # the archive is not the one planned (rewritten during the run): nothing written
            pages.close()
            return [_record(expected, None, "failed", stamp=stamp,
                            error=f"{expected}: the archive changed while the batch ran (found {item.source}); "
                                  "run the batch again")]
        if isinstance(item, PageError):
            pages_failed = [item.page]
            if item.page is None and not unit.is_zip and unit.count is not None:
                # the file failed as a whole: each page of the unit gets its record
                pages_failed = list(range(unit.start + 1, unit.start + unit.count + 1))
            for page in pages_failed:
                records.append(_record(item.source, page, "failed", error=item.message,
                                       timings={"read": t_read}, stamp=stamp))
            continue
        if unit.is_zip:
            multipage, count = item.multipage, item.pages
        else:
            multipage, count = (unit.pages or 1) > 1, unit.pages
        if (item.source, item.page) in unit.done:
            records.append(_record(item.source, item.page, "skipped", stamp=stamp, pages=count,
                                   output=_main_output(unit.base, item.page, multipage, job)))
            continue
        _gauge_add(1)
        try:
            records.append(_process_page(item, unit.base, multipage, job, t_read, stamp, count))
        finally:
            del item
            _gauge_add(-1)
    return records


def _main_output(base, page, multipage, job: Job) -> str:
    suffix = TEXT_SUFFIX[job.result_type] if job.recognize else job.image_suffix
    return output_name(base, page, multipage, suffix)


def _process_page(page, base: str, multipage: bool, job: Job, t_read: float, stamp, pages) -> dict:
    timings = {"read": t_read}
    dst = Path(job.dst)
    start = time.perf_counter()
    image_rel = output_name(base, page.page, multipage, job.image_suffix) if job.images else None
    text_rel = output_name(base, page.page, multipage, TEXT_SUFFIX[job.result_type]) if job.recognize else None
    try:
        pipeline = _pipeline(job.filters)
        img = pipeline.apply(page.image, threads=job.threads) if len(pipeline) else page.image
        t = time.perf_counter()
        timings["filter"] = t - start
        result = None
        if job.recognize:
            result = _engine().recognize_image(img, _settings(job.language, job.result_type))
            result.source, result.page, result.page_count = page.source, page.page, page.pages
            t2 = time.perf_counter()
            timings["ocr"] = t2 - t
            t = t2
        if image_rel is not None:
            imwrite(dst / image_rel, img)
        if result is not None:
            result.save(dst / text_rel, job.result_type)
        timings["write"] = time.perf_counter() - t
    except (OcrprepError, OSError) as exc:
        timings["total"] = t_read + time.perf_counter() - start
        return _record(page.source, page.page, "failed", error=error_text(exc),
                       timings=timings, stamp=stamp, pages=pages)
    timings["total"] = t_read + time.perf_counter() - start
    main = text_rel if job.recognize else image_rel
    return _record(page.source, page.page, "ok", output=main, timings=timings, stamp=stamp, pages=pages,
                   image=image_rel if (job.recognize and image_rel) else None)
