"""Batch runs: folders of scans on every core, resumable, locally or on Dask.

::

    import ocrprep.batch
    records = ocrprep.batch.run("scans/", "auto_skew,binarize", "clean/")
    records = ocrprep.batch.run("scans/", "binarize", "text/", recognize=True, format="json")

    from dask.distributed import Client
    records = ocrprep.batch.run("scans/", "binarize", "clean/", executor=Client("tcp://scheduler:8786"))

or on the command line ``ocrprep batch SRC DST --filters "auto_skew,binarize"``.

What happens
------------
The **driver** (the calling process) walks the sources (:mod:`._plan`:
folders recursively, images, multi-page TIFF, PDF, zip archives), names
each output by mirroring the source tree into ``dst``, and cuts the work
into **units**: one page of a TIFF/PDF, one image file, or one member of a
zip archive.
Units go to the **executor**; a worker decodes its pages
(:func:`ocrprep.io.iter_pages`), runs the filter pipeline
(:class:`ocrprep.PreprocessingFilter`), optionally recognises the text
(:class:`ocrprep.OcrEngine`) and writes the outputs itself, each to a
temporary file renamed into place.  It returns one record per page, which
the driver appends to the **manifest** (:mod:`._manifest`, JSON lines in
``dst/manifest.jsonl``).

* **Bounded memory**: at most ``2 x workers`` units are submitted at once
  and pixels never travel back to the driver, so a million-page run holds
  O(workers) pages in memory.
* **Resumable**: a rerun skips every page whose last record is ``ok`` and
  comes from the same configuration, whose output exists (not empty) and
  whose source is unchanged; ``force=True`` redoes all (and a forced run
  that was interrupted resumes without ``force``: only the pages of the
  older run are redone).
* **Failures never stop the run**: an unreadable file or a page Tesseract
  rejects becomes a ``failed`` record (retried by the next run); a unit
  whose task crashed is resubmitted ``retries`` times (on Dask by the
  scheduler, which also re-runs the units of a worker that died).
* **Granularity**: the pages of a TIFF or PDF go out in ranges of
  consecutive pages (about a quarter of the file's pages per worker, at most
  :data:`MAX_PAGES_PER_UNIT`; a worker reads page k + 1 right after page k),
  and each member of a zip archive is a unit of its own (the driver reads
  the archive's directory, not its data), so one long document or archive
  spreads over every worker.
* **Ctrl-C** (SIGINT, when running in the main thread): no new unit starts,
  the units in flight finish and are recorded, then ``KeyboardInterrupt`` is
  raised; a second Ctrl-C aborts: ``KeyboardInterrupt`` comes at once,
  process workers are terminated, thread workers stop after the page they
  are on (pages then in flight are not recorded and are redone next time).
  Outputs are never left half-written.
* **Process pools need the main-module guard**: worker processes are
  started with ``spawn``, which imports the calling script again; a script
  calling :func:`run` with processes (``recognize=True`` picks them) must
  do so under ``if __name__ == "__main__":``, or the workers cannot start
  (:class:`WorkerStartError` says so).

Executors: ``None`` picks local **threads** (the kernels release the GIL)
or, with ``recognize=True``, local **processes** (each worker drives its
own Tesseract processes); ``"threads"``, ``"processes"``, any
:class:`concurrent.futures.Executor` or a :class:`dask.distributed.Client`
(``pip install 'ocrprep[dask]'``).  On a cluster the source and destination
folders must be visible at the same paths on every worker.  Each page runs
its kernels on ``threads=1`` thread by default: the parallelism is across
pages.
"""
from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import BrokenExecutor, CancelledError, Future
from pathlib import Path
from typing import Iterator

from .._checks import integer
from ..errors import InvalidParameterError, OcrprepError, OutputError, ParameterTypeError
from ._manifest import (
    CONFIG_NAME,
    MANIFEST_NAME,
    ManifestWriter,
    check_config,
    check_manifest_path,
    describe_damage,
    finished,
    legacy_ok,
    sweep_temporaries,
    walk_folders,
    write_config,
)
from ._plan import (
    Failure,
    SourceFile,
    Unit,
    count_source_files,
    iter_source_files,
    output_name,
    resolve_sources,
    zip_members,
)

__all__ = ["run", "BatchRun", "add_cli", "WorkerStartError", "MANIFEST_NAME", "CONFIG_NAME"]


class WorkerStartError(OcrprepError, RuntimeError):
    """The executor could not start its workers (for local process pools: most often a
    script that calls the batch without the ``if __name__ == "__main__":`` guard)."""


#: Most pages of one file in one unit (a unit's pages are redone together if its worker dies).
MAX_PAGES_PER_UNIT = 32

_SPAWN_HINT = (
    "local worker processes start with 'spawn', which re-imports the main script: call "
    "ocrprep.batch.run() from under `if __name__ == \"__main__\":` (or use executor='threads')"
)


def add_cli(subparsers) -> None:
    """Register ``ocrprep batch`` (see :mod:`ocrprep.cli`)."""
    from .cli import add_cli as _add

    _add(subparsers)


def run(sources, filters, dst, executor=None, **options) -> list[dict]:
    """Process every page of ``sources`` into ``dst``; return the manifest records of this run.

    Parameters
    ----------
    sources : path or list of paths
        Folders (walked recursively; hidden files and files that are not
        images, PDF or zip are ignored), or single files.
    filters : PreprocessingFilter, str, list or JSON
        The pipeline, in any form :meth:`PreprocessingFilter.from_spec`
        accepts (``"auto_skew,binarize"``, JSON text, a list of filters...).
    dst : path
        Output folder (created); the source tree is mirrored into it.
    executor : None, 'threads', 'processes', Executor or dask.distributed.Client
        Where the pages run (see the module docstring).
    **options
        ``recognize=False``, ``language="eng"``, ``format="text"``
        (``"json"``, ``"hocr"``), ``images`` (write the filtered pages;
        default: only when not recognising), ``image_format="png"``,
        ``workers`` (local executors; default: the number of cores),
        ``threads=1`` (kernel threads per page), ``force=False``,
        ``manifest`` (default ``dst/manifest.jsonl``), ``retries=2``,
        ``dpi`` (PDF rasterisation), ``max_in_flight`` (default
        ``2 x`` the executor's slots), ``on_record`` (a callback
        receiving each record as it arrives).

    Returns
    -------
    list of dict
        One record per page (``source``, ``page``, ``output``, ``status``,
        ``error``, ``timings``, ...), in completion order.  Pages finished by
        an earlier run come back with status ``skipped``.  Sources without
        any image, PDF or zip file give an empty list.  (For runs of
        millions of pages, iterate a :class:`BatchRun` instead of keeping
        the list.)

    Raises
    ------
    InputNotFoundError
        A source does not exist.
    InvalidParameterError
        Bad options, or ``dst`` holds results of another configuration
        (pass ``force=True`` to redo them).
    TesseractNotFoundError
        ``recognize=True`` and Tesseract is missing on a worker.
    WorkerStartError
        The executor cannot start workers (a script without the
        ``if __name__ == "__main__":`` guard using a process pool).
    KeyboardInterrupt
        After a Ctrl-C, once the pages in flight are written and recorded.

    Examples
    --------
    >>> import numpy as np, tempfile, os, ocrprep, ocrprep.batch
    >>> src, dst = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> page = np.full((40, 60), 220, np.uint8); page[10:30, 20:40] = 30
    >>> _ = ocrprep.imwrite(os.path.join(src, "sub", "scan.png"), page)
    >>> records = ocrprep.batch.run(src, "threshold(128)", dst, workers=1)
    >>> [(r["output"], r["status"]) for r in records]
    [('sub/scan.png', 'ok')]
    >>> [r["status"] for r in ocrprep.batch.run(src, "threshold(128)", dst, workers=1)]
    ['skipped']
    """
    return list(BatchRun(sources, filters, dst, executor, **options))


class BatchRun:
    """A configured batch; iterate it to run it (records arrive as pages complete).

    Takes the arguments of :func:`run`, validated when it is created (before
    any work).  Attributes updated while it runs: ``counts`` (ok, failed,
    skipped, interrupted), ``failures`` (the failed records),
    ``files_planned``, ``pages_planned``, ``files_total`` (with
    ``count_first=True``: a listing pass first, for progress bars) and
    :attr:`total_estimate`.
    """

    def __init__(
        self,
        sources,
        filters,
        dst,
        executor=None,
        *,
        recognize: bool = False,
        language: str = "eng",
        format: str = "text",
        images: bool | None = None,
        image_format: str = "png",
        workers: int | None = None,
        threads: int = 1,
        force: bool = False,
        manifest=None,
        retries: int = 2,
        dpi: int | None = None,
        max_in_flight: int | None = None,
        count_first: bool = False,
        on_record=None,
    ):
        from ..filters import PreprocessingFilter
        from ..io import _SAVE_FORMATS
        from ._work import TEXT_SUFFIX, Job

        self.roots = resolve_sources(sources)
        pipeline = PreprocessingFilter.from_spec(filters)
        if not isinstance(dst, (str, os.PathLike)):
            raise ParameterTypeError(f"dst must be a path, got {type(dst).__name__}")
        self.dst = Path(os.path.abspath(os.fspath(dst)))
        if self.dst.exists() and not self.dst.is_dir():
            raise InvalidParameterError(f"{dst}: the destination exists and is not a folder")
        for r in self.roots:
            if r == self.dst or self.dst in r.parents:
                raise InvalidParameterError(f"{dst}: the destination cannot be (or contain) a source ({r})")
        recognize = bool(recognize)
        if recognize:
            from ..ocr import _resolve_result_type, resolve_language

            try:
                result_type = _resolve_result_type(format).value
            except InvalidParameterError:
                raise InvalidParameterError(f"format must be text (txt), json or hocr, got {format!r}") from None
            language = resolve_language(language)
        else:
            result_type, language = "text", "eng"
        images = (not recognize) if images is None else bool(images)
        if not images and not recognize:
            raise InvalidParameterError("nothing to write: images=False needs recognize=True")
        if not isinstance(image_format, str):
            raise ParameterTypeError(f"image_format must be a string such as 'png', got {type(image_format).__name__}")
        suffix = "." + image_format.lower().lstrip(".")
        if suffix not in _SAVE_FORMATS:
            raise InvalidParameterError(f"image_format must be one of {', '.join(s[1:] for s in sorted(_SAVE_FORMATS))}, got {image_format!r}")
        threads = integer(threads, "threads")
        if threads < 1:
            raise InvalidParameterError(f"threads must be >= 1, got {threads}")
        self.retries = integer(retries, "retries")
        if self.retries < 0:
            raise InvalidParameterError(f"retries must be >= 0, got {self.retries}")
        if dpi is not None:
            dpi = integer(dpi, "dpi")
        if max_in_flight is not None:
            max_in_flight = integer(max_in_flight, "max_in_flight")
            if max_in_flight < 1:
                raise InvalidParameterError(f"max_in_flight must be >= 1, got {max_in_flight}")
        if on_record is not None and not callable(on_record):
            raise ParameterTypeError("on_record must be callable")
        self.job = Job(
            dst=str(self.dst), filters=pipeline.to_json(), recognize=recognize, language=language,
            result_type=result_type, images=images, image_suffix=suffix, threads=threads, dpi=dpi,
        )
        self.config = {
            "filters": pipeline.to_list(),
            "recognize": recognize,
            "language": language if recognize else None,
            "format": result_type if recognize else None,
            "images": suffix if images else None,
            "dpi": dpi,
        }
        self.filters = pipeline
        self.suffixes = tuple(
            ([suffix] if images else []) + ([TEXT_SUFFIX[result_type]] if recognize else [])
        )
        self.main_suffix = TEXT_SUFFIX[result_type] if recognize else suffix
        self.config_id: str | None = None
        #: where notices go (the interrupt notice...); the CLI routes them around its progress bar
        self.notify = _print_notice
        self.manifest_path = Path(os.path.abspath(manifest)) if manifest is not None else self.dst / MANIFEST_NAME
        check_manifest_path(self.manifest_path)
        self.force = bool(force)
        self.executor = executor
        self.workers = workers
        self.max_in_flight = max_in_flight
        self.count_first = bool(count_first)
        self.on_record = on_record
        self.counts = {"ok": 0, "failed": 0, "skipped": 0, "interrupted": 0}
        self.failures: list[dict] = []
        #: ``(line number, reason)`` of the manifest lines a rerun could not use (skipped; their pages redone)
        self.damaged_lines: list[tuple[int, str]] = []
        self.files_total: int | None = None
        self.files_planned = 0
        self.pages_planned = 0
        self.pool = None
        self.interrupted = False
        self._stop = False
        self._abort = False
        self._touched: set[str] = set()
        self._started = False
        # validate the executor now (cheap: pools are created when the run starts)
        if not (executor is None or isinstance(executor, str)):
            from ._executors import is_dask_client
            import concurrent.futures as cf

            if not (is_dask_client(executor) or isinstance(executor, cf.Executor)):
                raise ParameterTypeError(
                    "executor must be None, 'threads', 'processes', a concurrent.futures.Executor or a "
                    f"dask.distributed.Client, got {type(executor).__name__}"
                )
        elif isinstance(executor, str) and executor.strip().lower() not in ("threads", "processes"):
            raise InvalidParameterError(f"executor must be 'threads' or 'processes' (or an executor object), got {executor!r}")
        if workers is not None and integer(workers, "workers") < 1:
            raise InvalidParameterError(f"workers must be >= 1, got {workers}")
        check_config(self.dst, self.config, self.force)  # refuse another configuration up front

    # ------------------------------------------------------------------ #
    @property
    def total_estimate(self) -> int:
        """Pages expected: those planned so far plus one per file not yet opened."""
        rest = max(0, (self.files_total or 0) - self.files_planned)
        return self.pages_planned + rest

    def __iter__(self) -> Iterator[dict]:
        if self._started:
            raise InvalidParameterError("a BatchRun runs once; create a new one (or call run() again) to resume")
        self._started = True
        return self._run()

    # ------------------------------------------------------------------ #
    def _plan(self, done: dict) -> Iterator[Unit | dict]:
        from ..io import count_pages
        from ._work import _record, error_text

        by_source: dict[str, list] = {}
        for (source, _page), rec in done.items():
            by_source.setdefault(source, []).append(rec)
        for item in iter_source_files(self.roots, [self.dst], self.suffixes):
            if isinstance(item, Failure):
                yield _record(item.source, None, "failed", error=item.error)
                continue
            self.files_planned += 1
            try:
                st = os.stat(item.path)
                stamp = (st.st_size, st.st_mtime_ns)
            except OSError as exc:
                yield _record(item.path, None, "failed", error=f"cannot read ({exc.strerror or exc})")
                continue

            def finished_here(rec, base, pages):
                """An earlier ok record still valid: same source file, same output name."""
                if rec is None or (rec.get("source_size"), rec.get("source_mtime_ns")) != stamp:
                    return False
                known = pages if pages is not None else rec.get("pages")
                multi = [known > 1] if known is not None else [False, True]
                return rec["output"] in {output_name(base, rec.get("page") or 1, m, self.main_suffix) for m in multi}

            if item.is_zip:
                try:
                    members = zip_members(item.path, self.suffixes)
                except (OcrprepError, OSError) as exc:
                    yield _record(item.path, None, "failed", error=error_text(exc), stamp=stamp)
                    continue
                self.pages_planned += len(members)
                for index, member, rel in members:
                    source = f"{item.path}/{member}"
                    base = f"{item.base}/{rel}"
                    recs = [r for r in by_source.get(source, ()) if finished_here(r, base, None)]
                    pages = next((r["pages"] for r in recs if r.get("pages")), None)
                    if pages is None and recs and os.path.splitext(member)[1].lower() not in (".tif", ".tiff", ".pdf"):
                        pages = 1  # an image member of an earlier version's manifest
                    # (every page 1..pages recorded; counted, never built as a range: a damaged
                    # record may claim any page count)
                    if pages is not None and len({r["page"] for r in recs if (r["page"] or pages + 1) <= pages}) == pages:
                        for r in sorted(recs, key=lambda r: r["page"] or 0):
                            yield _skipped(r)
                        continue
                    keys = frozenset((source, r["page"]) for r in recs)
                    yield Unit(item.path, base, index, 1, None, True, keys, member)
                continue
            try:
                n = count_pages(item.path)
            except (OcrprepError, OSError) as exc:
                yield _record(item.path, None, "failed", error=error_text(exc), stamp=stamp)
                continue
            self.pages_planned += n
            # consecutive pages to do go out as ranges: a worker reads page k + 1 right after page k
            # (one file opening, one walk of a TIFF's page directories, one PDF renderer session)
            size, run = self._pages_per_unit(n), []
            for i in range(n):
                rec = done.get((item.path, i + 1))
                if finished_here(rec, item.base, n):
                    if run:
                        yield Unit(item.path, item.base, run[0], len(run), n)
                        run = []
                    yield _skipped(rec)
                    continue
                run.append(i)
                if len(run) == size:
                    yield Unit(item.path, item.base, run[0], len(run), n)
                    run = []
            if run:
                yield Unit(item.path, item.base, run[0], len(run), n)

    def _pages_per_unit(self, pages: int) -> int:
        """Pages of one multi-page file per unit: enough units for every worker to take
        several (one long document still spreads over all of them), at most
        :data:`MAX_PAGES_PER_UNIT`."""
        # (the first file is planned before the pool starts: then the workers asked for, or the cores)
        slots = max(1, getattr(self.pool, "slots", None) or self.workers or os.cpu_count() or 1)
        return max(1, min(MAX_PAGES_PER_UNIT, pages // (4 * slots)))

    def _emit(self, writer, records):
        for rec in records:
            status = rec["status"]
            if status == "failed" and self._stop:
                rec["status"] = status = "interrupted"  # cut short by Ctrl-C: redo next time
            if status != "skipped":
                rec["config"] = self.config_id
                writer.write(rec)
                for key in ("output", "image"):
                    if rec.get(key):
                        self._touched.add(str((self.dst / rec[key]).parent))
            self.counts[status] = self.counts.get(status, 0) + 1
            if status == "failed":
                self.failures.append(rec)
            if self.on_record is not None:
                self.on_record(rec)
        return records

    def _unit_failed(self, unit: Unit, exc) -> list[dict]:
        from ._work import _record, error_text

        if unit.is_zip:
            return [_record(f"{unit.path}/{unit.member}", None, "failed", error=error_text(exc))]
        if unit.count is None:
            return [_record(unit.path, None, "failed", error=error_text(exc))]
        return [_record(unit.path, page, "failed", error=error_text(exc))
                for page in range(unit.start + 1, unit.start + unit.count + 1)]

    def _on_sigint(self, signum, frame):
        if self._stop:
            from ._work import ABORT

            self._abort = True
            ABORT.set()  # thread workers stop after their current page
            raise KeyboardInterrupt
        self._stop = True  # (no printing here: the main thread may be inside a write to stderr)

    def _run(self) -> Iterator[dict]:
        from ._executors import make_pool
        from ._work import ABORT, preflight, process_unit

        # the id the records of this run carry: a forced run draws a new one, so its pages (and
        # only its pages) count as done when it is resumed
        self.config_id = check_config(self.dst, self.config, self.force)
        damaged: list = []
        done = {} if self.force else finished(self.manifest_path, self.dst, self.config_id,
                                              legacy_ok(self.config, self.config_id), damaged)
        self.damaged_lines = damaged
        if damaged:
            self.notify(f"ocrprep batch: manifest {describe_damage(self.manifest_path, damaged)}")
        if done or self.manifest_path.exists():
            sweep_temporaries(walk_folders(self.dst))  # leftovers of a run killed hard
        if self.count_first:
            self.files_total = count_source_files(self.roots, [self.dst])
        if next(iter(iter_source_files(self.roots, [self.dst], self.suffixes, detect=False)), None) is None:
            return  # no image, PDF or zip file at all: nothing is started, nothing created in dst
        ABORT.clear()
        try:
            pool = self.pool = make_pool(self.executor, workers=self.workers, recognize=self.job.recognize,
                                         retries=self.retries)
        except BrokenExecutor as exc:
            raise WorkerStartError(f"the executor cannot start its workers ({exc}); {_SPAWN_HINT}") from None
        handler_installed = False
        pending: dict[int, tuple] = {}
        q: queue.Queue = queue.Queue()
        token = iter(range(1 << 62))
        generation = [0]

        def submit(unit, attempt):
            k = next(token)
            try:
                fut = pool.submit(process_unit, unit, self.job)
            except BrokenExecutor as exc:
                # The pool broke (a worker died) before we saw it fail a unit: this one
                # takes the same road as a unit lost with the worker (new pool, retry).
                fut = Future()
                fut.set_exception(exc)
            pending[k] = (fut, unit, attempt, generation[0])
            fut.add_done_callback(lambda _f, k=k: q.put(k))

        writer = None
        try:
            try:
                if pool.distributed:  # every worker of the cluster, not just one
                    pool.executor.run(preflight, self.job)
                else:
                    pool.submit(preflight, self.job).result()
            except BrokenExecutor as exc:
                hint = f"; {_SPAWN_HINT}" if _uses_processes(pool) else ""
                raise WorkerStartError(f"the executor cannot start its workers ({exc}){hint}") from None
            # checks passed: from here on the destination is ours (a run refused above writes nothing)
            write_config(self.dst, self.config, self.config_id)
            writer = ManifestWriter(self.manifest_path)
            if threading.current_thread() is threading.main_thread():
                previous = signal.getsignal(signal.SIGINT)
                signal.signal(signal.SIGINT, self._on_sigint)
                handler_installed = True
            plan = self._plan(done)  # (after the pool: ranges of long files are sized by its slots)
            exhausted = announced = False
            refreshed = time.monotonic()
            while True:
                if pool.distributed and time.monotonic() - refreshed > 5:
                    pool.refresh()  # a cluster may gain or lose workers during the run
                    refreshed = time.monotonic()
                limit = self.max_in_flight or 2 * pool.slots
                while not exhausted and not self._stop and len(pending) < limit:
                    item = next(plan, None)
                    if item is None:
                        exhausted = True
                    elif isinstance(item, dict):
                        yield from self._emit(writer, [item])
                    else:
                        submit(item, 0)
                if not pending:
                    break
                if self._stop and not announced:
                    announced = True
                    self.notify(f"ocrprep batch: interrupted; finishing the {len(pending)} unit(s) in flight "
                                "(Ctrl-C again to abort)")
                if self._stop and not pool.distributed:
                    for fut, *_ in pending.values():
                        fut.cancel()  # only units no worker has started
                try:
                    k = q.get(timeout=0.25)
                except queue.Empty:
                    continue
                fut, unit, attempt, gen = pending.pop(k)
                if fut.cancelled():
                    continue
                try:
                    records = fut.result()
                except CancelledError:
                    continue
                except BrokenExecutor as exc:  # a local worker process died: new pool, same units
                    if gen == generation[0] and pool.recreate():
                        generation[0] += 1
                    if attempt < self.retries and not self._stop and gen < generation[0]:
                        submit(unit, attempt + 1)
                        continue
                    records = self._unit_failed(unit, exc)
                except Exception as exc:
                    if pool.driver_retries and attempt < self.retries and not self._stop:
                        submit(unit, attempt + 1)
                        continue
                    records = self._unit_failed(unit, exc)
                yield from self._emit(writer, records)
            self.interrupted = self._stop
        finally:
            if handler_installed:
                signal.signal(signal.SIGINT, previous)
            if pending and writer is not None and writer.failed is not None:
                # the manifest cannot take more records (disk full): start nothing more; what is in
                # flight finishes in pool.close, unrecorded, and is redone by the next run
                for fut, *_ in pending.values():
                    fut.cancel()
                pending.clear()
            if pending and not self._abort and writer is not None:
                # stopped early (an error, or the consumer left): record what is still running
                for fut, unit, _a, _g in list(pending.values()):
                    if not pool.distributed:
                        fut.cancel()
                for fut, unit, _a, _g in list(pending.values()):
                    try:
                        records = fut.result()
                    except CancelledError:
                        continue
                    except Exception as exc:
                        records = self._unit_failed(unit, exc)
                    try:
                        self._emit(writer, records)
                    except OutputError:
                        break  # the manifest is full: the error already on its way out says so
                pending.clear()
            close_error = None
            if writer is not None:
                try:
                    writer.close()
                except OutputError as exc:  # the last records could not be stored
                    close_error = exc
            pool.close(cancel=self._abort)
            if not self._abort:
                sweep_temporaries(sorted(self._touched))
        if close_error is not None:
            raise close_error
        if self.interrupted:
            raise KeyboardInterrupt


def _print_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _uses_processes(pool) -> bool:
    import concurrent.futures as cf

    return getattr(pool, "kind", "") == "processes" or isinstance(pool.executor, cf.ProcessPoolExecutor)


def _skipped(rec: dict) -> dict:
    out = {
        "source": rec["source"],
        "page": rec.get("page"),
        "output": rec.get("output"),
        "status": "skipped",
        "error": None,
        "timings": {},
    }
    if rec.get("pages"):
        out["pages"] = rec["pages"]
    if rec.get("image"):
        out["image"] = rec["image"]
    return out
