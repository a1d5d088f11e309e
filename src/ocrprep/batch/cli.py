"""``ocrprep batch SRC... DST``: the command-line shell over :class:`ocrprep.batch.BatchRun`."""
from __future__ import annotations

import contextlib
import sys
import time

from ..cli import EXIT_FAILED, EXIT_OK, UsageError, _filters_arg, _positive_int, report_failure

_DESCRIPTION = """\
Preprocess (and optionally recognise) every page under SRC into DST, in parallel.

SRC folders are walked recursively (images, multi-page TIFF, PDF, zip archives);
their tree is mirrored in DST: a/scan.jpg -> DST/a/scan.png, page 2 of
a/report.pdf -> DST/a/report_page2.png, member x.png of a/docs.zip ->
DST/a/docs.zip/x.png.  DST/manifest.jsonl gets one JSON line per page (source,
page, output, status, error, timings).  Rerunning skips the pages already
done; --force redoes them (and an interrupted --force run is continued by the
same command without --force).  Ctrl-C finishes the pages in flight and
stops (a second Ctrl-C stops at once); run the same command again to continue.
"""

_EPILOG = ("Exit status: 0 every page done, 1 some inputs failed (each listed), SRC holds no image, PDF or "
           "zip file, or the manifest could not be written (disk full: the run stops; rerun to continue), "
           "2 usage error, 130 interrupted.")


def add_cli(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="process folders of scans in parallel (resumable; local or Dask)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="+", metavar="SRC", help="folder, image, TIFF, PDF or zip (several allowed)")
    p.add_argument("dst", metavar="DST", help="output folder (the source tree is mirrored into it)")
    p.add_argument("-f", "--filters", type=_filters_arg, default=None, metavar="FILTERS",
                   help="the pipeline: short form ('auto_skew,binarize'), JSON, or @file.json (default: none)")
    p.add_argument("--recognize", action="store_true", help="recognise the text of every page with Tesseract")
    p.add_argument("-l", "--lang", default="eng", help="Tesseract language(s) (default eng)")
    p.add_argument("--format", default="txt", choices=["txt", "text", "json", "hocr"],
                   help="recognition output format (default txt)")
    p.add_argument("--images", action="store_true",
                   help="with --recognize, also write the preprocessed pages")
    p.add_argument("--image-format", default="png", metavar="EXT", help="format of written pages (default png)")
    p.add_argument("-j", "--workers", type=_positive_int, default=None,
                   help="pages processed at once (default: cores; with --dask local the number of Dask workers; "
                        "ignored with a scheduler address, whose workers decide)")
    p.add_argument("--pool", choices=["threads", "processes"], default=None,
                   help="local workers: threads (default without --recognize) or processes (default with it)")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster: tcp://scheduler:8786, or 'local' for a LocalCluster here")
    p.add_argument("--dask-timeout", type=float, default=20.0, metavar="SECONDS",
                   help="how long to try reaching the Dask scheduler (default 20)")
    p.add_argument("--threads", type=_positive_int, default=1, help="kernel threads per page (default 1)")
    p.add_argument("--force", action="store_true", help="redo pages already done (and accept a new configuration)")
    p.add_argument("--manifest", default=None, metavar="PATH", help="manifest file (default DST/manifest.jsonl)")
    p.add_argument("--retries", type=int, default=2, help="times a crashed unit is retried (default 2)")
    p.add_argument("--dpi", type=_positive_int, default=None, help="PDF rasterisation resolution (default 300)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary (failures are still listed)")
    p.set_defaults(func=run_cli)


def _dask_client(address: str, workers, timeout: float = 20.0):
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("--dask needs Dask: pip install 'ocrprep[dask]'") from None
    if address == "local":
        from .._parallel import cpu_count
        from ._executors import local_cluster

        cluster = local_cluster(workers or cpu_count())
        return Client(cluster), cluster
    try:
        return Client(address, timeout=f"{timeout}s"), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None


class _Progress:
    """tqdm bar (the ``progress`` extra) with pages/s and ETA, or plain lines every few seconds."""

    #: seconds between the plain progress lines (without tqdm)
    interval = 5.0

    def __init__(self, batch, enabled: bool):
        self.batch = batch
        self.bar = None
        self.enabled = enabled
        self.done = 0
        self.last_line = time.monotonic()
        self.start = time.monotonic()
        self.tqdm = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            self.tqdm = tqdm

    def update(self, rec) -> None:
        if not self.enabled:
            return
        if self.bar is None and self.tqdm is not None:  # created on the first page, after the checks
            self.bar = self.tqdm(total=max(1, self.batch.total_estimate - self.batch.counts["skipped"]), unit="page",
                                 desc="batch", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)
            self.start = time.monotonic()
        counts = self.batch.counts
        total = max(0, self.batch.total_estimate - counts["skipped"])
        if rec["status"] != "skipped":
            self.done += 1
        if self.bar is not None:
            self.bar.total = max(total, self.done)
            if rec["status"] != "skipped":
                self.bar.update(1)
            self.bar.set_postfix(failed=counts["failed"], skipped=counts["skipped"], refresh=False)
            return
        now = time.monotonic()
        if now - self.last_line >= self.interval:
            rate = self.done / max(now - self.start, 1e-9)
            eta = (total - self.done) / rate if rate > 0 else float("nan")
            print(f"batch: {self.done}/{total} pages, {rate:.2f} pages/s, ETA {eta:.0f} s", file=sys.stderr, flush=True)
            self.last_line = now

    def write(self, message: str) -> None:
        """A notice on its own line, above the bar (never in the middle of it)."""
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_cli(args) -> int:
    from ..errors import InputNotFoundError, OcrprepError, OutputError, TesseractNotFoundError
    from ..filters import PreprocessingFilter
    from . import BatchRun
    from ._manifest import ConfigurationMismatchError

    client = cluster = None
    executor = args.pool
    if args.dask:
        if args.pool:
            raise UsageError("--pool and --dask exclude each other")
        if args.workers is not None and args.dask != "local":
            print(f"ocrprep batch: note: -j/--workers is ignored with --dask {args.dask} "
                  "(the cluster's workers decide how many pages run at once)", file=sys.stderr)
        client, cluster = _dask_client(args.dask, args.workers, args.dask_timeout)
        executor = client
    try:
        try:
            batch = BatchRun(
                args.sources, args.filters or PreprocessingFilter(), args.dst, executor,
                recognize=args.recognize, language=args.lang, format=args.format,
                images=True if args.images else None, image_format=args.image_format,
                workers=args.workers, threads=args.threads, force=args.force, manifest=args.manifest,
                retries=args.retries, dpi=args.dpi, count_first=not args.quiet,
            )
        except InputNotFoundError as exc:
            raise UsageError(str(exc)) from None
        except ConfigurationMismatchError as exc:
            raise UsageError(exc.message("--force")) from None
        except OcrprepError as exc:
            raise UsageError(str(exc)) from None
        bar = _Progress(batch, enabled=not args.quiet)
        batch.notify = bar.write
        start = time.monotonic()
        interrupted = False
        stopped = None
        try:
            with contextlib.closing(iter(batch)) as records:
                for rec in records:
                    bar.update(rec)
        except KeyboardInterrupt:
            interrupted = True
        except OutputError as exc:  # the manifest cannot be written (disk full...): the run stopped
            stopped = exc
        except TesseractNotFoundError as exc:
            bar.close()
            print(f"ocrprep: error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except ConfigurationMismatchError as exc:  # (another run claimed dst in the meantime)
            bar.close()
            raise UsageError(exc.message("--force")) from None
        except OcrprepError as exc:  # refused before any page ran (configuration, language...)
            bar.close()
            raise UsageError(str(exc)) from None
        finally:
            bar.close()
        elapsed = time.monotonic() - start
        if not batch.files_planned and not batch.failures and not interrupted and stopped is None:
            # (checked before the summary: "0 pages done" would read as success)
            print(f"ocrprep batch: error: no image, PDF or zip file found in {', '.join(args.sources)}; "
                  f"nothing written to {args.dst}", file=sys.stderr)
            return EXIT_FAILED
        for rec in batch.failures:
            where = rec["source"] + (f" page {rec['page']}" if rec.get("page") else "")
            report_failure(where, rec.get("error") or "failed")
        c = batch.counts
        if not args.quiet:
            # the rate counts the pages this run wrote (not the skipped ones, nor failures)
            rate = c["ok"] / elapsed if elapsed > 0 else 0.0
            msg = (f"ocrprep batch: {c['ok']} page{'s' if c['ok'] != 1 else ''} done, {c['skipped']} already done, "
                   f"{c['failed']} failed in {elapsed:.1f} s ({rate:.2f} pages/s done on "
                   f"{batch.pool.describe() if batch.pool else '?'})")
            if c.get("interrupted"):
                msg += f", {c['interrupted']} cut short"
            print(msg, file=sys.stderr)
            print(f"ocrprep batch: manifest {batch.manifest_path}", file=sys.stderr)
        if interrupted:
            print("ocrprep batch: interrupted; run the same command again to continue", file=sys.stderr)
            return 130
        if stopped is not None:
            print(f"ocrprep batch: error: {stopped}", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_FAILED if c["failed"] else EXIT_OK
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
