"""The ``ocrprep`` command line.

Subcommands::

    ocrprep binarize IN... -o OUT [--threshold N | --method auto|otsu|sauvola]
    ocrprep filter IN... --filters "median,binarize,dilate" -o DIR
    ocrprep recognize IN... [--binarize] [--lang eng] [--format text|json|hocr] [-o DIR]
    ocrprep demo [-o DIR]

``IN`` is any input ocrprep reads: image files (every page of a TIFF), PDF,
zip archives, folders (their images), http(s) URLs, or ``-`` for standard
input.  Exit status: 0 all inputs done, 1 some inputs failed (each one is
reported on stderr, the others are still processed), 2 usage error, which
includes a missing extra a subcommand or option needs (``serve`` without
``ocrprep[service]``, ``batch --dask`` without ``ocrprep[dask]``: the
message names what to install).

Adding a subcommand
-------------------
Write a function ``add_cli(subparsers)`` in your module that calls
``subparsers.add_parser("name", help=...)``, adds its arguments and sets
``parser.set_defaults(func=run)``, where ``run(args) -> int`` returns the exit
status.  Then list ``"your.module:add_cli"`` in :data:`COMMANDS`.  Keep the
module cheap to import (import heavy dependencies inside ``run``): every
``ocrprep`` invocation builds the whole parser.  If the module is missing
the subcommand is left out; if importing it fails (a missing optional
dependency), the subcommand is listed and explains what to install.
:func:`progress`, :class:`SourceProgress` and :func:`report_failure` are
shared helpers for multi-file work.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
import time
from pathlib import Path

from .binarize import METHODS

__all__ = ["main", "build_parser", "COMMANDS", "progress", "report_failure", "SourceProgress", "UsageError"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad command line detected after parsing (exit status 2)."""


# --------------------------------------------------------------------------- #
# shared helpers
# --------------------------------------------------------------------------- #
def progress(iterable, *, total=None, desc="", unit="file", enabled=True):
    """Wrap ``iterable`` in a progress bar on stderr.

    Uses tqdm (the ``progress`` extra) when installed; otherwise prints one
    plain ``[i/n] item`` line per step.  Disabled with ``enabled=False``.
    """
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return _plain_progress(iterable, total, desc)
    return tqdm(iterable, total=total, desc=desc.rstrip(), unit=unit, file=sys.stderr, dynamic_ncols=True, leave=True)


def _plain_progress(iterable, total, desc):
    start = time.monotonic()
    for i, item in enumerate(iterable, 1):
        yield item
        label = item if isinstance(item, (str, os.PathLike)) else ""
        of = f"/{total}" if total else ""
        print(f"{desc.rstrip()} [{i}{of}] {label} ({time.monotonic() - start:.1f} s)".strip(), file=sys.stderr,
              flush=True)


def report_failure(source, error) -> None:
    """Print one failed input on stderr, in the format every subcommand uses.

    Goes through ``tqdm.write`` when tqdm is installed, so the line is
    printed above a running progress bar instead of into it.
    """
    msg = str(error)
    src = str(source)
    if not msg.startswith(src):
        msg = f"{src}: {msg}"
    line = f"ocrprep: error: {msg}"
    try:
        from tqdm import tqdm
    except ImportError:
        print(line, file=sys.stderr, flush=True)
        return
    tqdm.write(line, file=sys.stderr)
    sys.stderr.flush()


class SourceProgress:
    """Progress over the files of a run, counted before it starts.

    A folder counts its image/PDF files and a zip archive its members
    (:func:`ocrprep.io.count_files`), so ``ocrprep binarize scans/`` shows a
    bar too.  Call :meth:`see` with the source (and page) of every page or
    failure (pages of one file share a source): a file is counted done when
    the next one starts, or at :meth:`close`.  A single input file with
    several pages (a long PDF or TIFF, counted without decoding) is followed
    page by page instead.  Shown on stderr when enabled and more than one
    file (or page) is expected: tqdm's bar when installed, plain
    ``label [i/n] file`` lines otherwise.
    """

    def __init__(self, inputs, *, desc="ocrprep", enabled=True):
        from .io import count_files

        self.total = sum(1 if arg == "-" else count_files(arg) for arg in inputs) if enabled else 0
        self.unit = "file"
        if enabled and self.total == 1 and len(inputs) == 1:
            pages = _page_count(inputs[0])
            if pages > 1:
                self.total, self.unit = pages, "page"
        self.enabled = enabled and self.total > 1
        self.desc = desc.rstrip()
        self.done = 0
        self._current = None
        self._start = time.monotonic()
        self.bar = None
        if self.enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=self.total, desc=self.desc, unit=self.unit, file=sys.stderr,
                                dynamic_ncols=True, leave=True)

    def see(self, source, page=None) -> None:
        key = (source, page) if self.unit == "page" else source
        if key != self._current:
            self._finish_current()
            self._current = key

    def _finish_current(self) -> None:
        if self._current is None:
            return
        self.done += 1
        if self.bar is not None:
            if self.done > self.bar.total:  # a file turned out to hold more sources than counted
                self.bar.total = self.done
            self.bar.update(1)
        elif self.enabled:
            if self.unit == "page":
                source, page = self._current
                label = f"{source} page {page}" if page else str(source)
            else:
                label = str(self._current)
            print(f"{self.desc} [{self.done}/{max(self.total, self.done)}] {label} "
                  f"({time.monotonic() - self._start:.1f} s)".strip(), file=sys.stderr, flush=True)
        self._current = None

    def writing(self):
        """A context in which printing to stdout does not run into the bar."""
        if self.bar is None:
            return contextlib.nullcontext()
        return self.bar.external_write_mode(file=sys.stdout)

    def close(self) -> None:
        self._finish_current()
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _page_count(arg) -> int:
    """Pages of one local TIFF/PDF input, counted without decoding (1 when unknown: no page progress)."""
    from .errors import OcrprepError
    from .io import _is_url, count_pages

    if arg == "-" or _is_url(arg) or not os.path.isfile(arg):
        return 1
    try:
        from .io import _read_path_head, _sniff

        if _sniff(_read_path_head(Path(arg), 1024)) == "zip":
            return 1  # its members are counted as files
        return count_pages(arg)
    except (OcrprepError, OSError):
        return 1  # unreadable: reported when its pages are read


def _filters_arg(text):
    """``--filters`` value: the short form, JSON, or @file.json."""
    from .errors import OcrprepError
    from .filters import PreprocessingFilter

    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {exc.strerror or exc}")
    try:
        return PreprocessingFilter.from_spec(text)
    except OcrprepError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def _threshold_arg(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if not 0 <= v <= 255:
        raise argparse.ArgumentTypeError(f"must be between 0 and 255 (0 = automatic), got {v}")
    return v


def _positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {v}")
    return v


def _read_source(arg):
    """A command-line input: a path/URL string, or the bytes of stdin for ``-``."""
    if arg == "-":
        from .io import _read_stream

        return _read_stream(sys.stdin.buffer, "stdin"), "stdin"
    return arg, arg


def _iter_input_pages(inputs, *, show_progress, counters, dpi=None):
    """Decoded pages of every command-line input, failures reported and counted."""
    from .errors import OcrprepError
    from .io import PageError, iter_pages

    bar = SourceProgress(inputs, enabled=show_progress)
    try:
        for arg in inputs:
            try:
                source, name = _read_source(arg)
            except OcrprepError as exc:  # stdin over the byte cap
                counters["failed"] += 1
                report_failure(arg if arg != "-" else "stdin", exc)
                continue
            for item in iter_pages(source, name=name if arg == "-" else None, on_error="yield", dpi=dpi):
                bar.see(item.source, item.page)
                if isinstance(item, PageError):
                    counters["failed"] += 1
                    report_failure(item.source + (f" page {item.page}" if item.page else ""), item.error)
                    continue
                yield item
    finally:
        bar.close()


#: ``-o -``: the one output page goes to standard output (PNG)
STDOUT = "-"


def _output_target(out: str | None, inputs, default_dir=None):
    """(single_file_path, ``STDOUT`` or None; directory or None) for -o.

    ``-`` is standard output (one page, as PNG); a path with an image
    extension (``.png``, ``.tif``...) is one file; an existing folder, a
    path ending in ``/`` or a path without an extension is a folder.  Any
    other extension (``result.pgn``) is a usage error: it is most often a
    typo, which would silently become a folder.
    """
    if out is None:
        if default_dir is None:
            raise UsageError("an output is required: -o FILE or -o DIR")
        return None, Path(default_dir)
    from .io import _SAVE_FORMATS  # the extensions imwrite writes

    if out == STDOUT:
        if len(inputs) != 1:
            raise UsageError(f"-o - (standard output) takes a single page but {len(inputs)} inputs were given; "
                             "use a directory")
        _check_single_page(inputs[0], "- (standard output)")
        if sys.stdout.isatty():
            raise UsageError("-o - writes a PNG image to standard output, which is a terminal here; "
                             "redirect it (> page.png) or pipe it")
        return STDOUT, None
    p = Path(out)
    if _names_folder(out):
        return None, p
    if p.suffix.lower() in _SAVE_FORMATS:
        if len(inputs) != 1:
            raise UsageError(f"-o {out} is a single file but {len(inputs)} inputs were given; use a directory")
        _check_single_page(inputs[0], out)
        return p, None
    raise UsageError(
        f"-o {out}: cannot write {p.suffix!r} images (image files end in "
        f"{', '.join(sorted(_SAVE_FORMATS))}); for a folder, end the name with {os.sep}"
    )


def _names_folder(out: str) -> bool:
    """Whether ``-o out`` means a folder: one that exists, a name ending in a separator, or no extension."""
    return (os.path.isdir(out) or out.endswith(("/", os.sep)) or not Path(out).suffix)


def _describe_output(out_file, out_dir) -> str:
    """Where the results went, for the summary line."""
    if out_file == STDOUT:
        return "standard output"
    if out_file is not None:
        return str(out_file)
    return str(out_dir).rstrip("/" + os.sep) + os.sep


def _check_single_page(arg, out):
    """Refuse, before anything is written, an input that has several pages for a single -o file.

    Folders and archives are counted by listing them, PDF and TIFF files by
    their page count (no pixels decoded); a URL or stdin is checked on its
    first page, still before writing (see :func:`_write_pages`).
    """
    from .errors import OcrprepError
    from .io import _is_url, _read_path_head, _sniff, count_files, count_pages

    if arg == "-" or _is_url(arg):
        return
    if os.path.isdir(arg):
        raise UsageError(f"-o {out} is a single file but {arg} is a folder; use a directory")
    if count_files(arg) > 1:
        raise UsageError(f"-o {out} is a single file but {arg} holds several files; use a directory")
    try:
        if _sniff(_read_path_head(Path(arg), 1024)) == "zip":
            return  # one member: its page count is checked on its first page
        n = count_pages(arg)
    except (OcrprepError, OSError):
        return  # unreadable: reported (exit 1) when its pages are read
    if n > 1:
        raise UsageError(f"-o {out} is a single file but {arg} has {n} pages; use a directory")


def _write_pages(pages, pipeline, out_file, out_dir, counters, threads=None):
    """Filter each page and write it (the shared body of ``binarize`` and ``filter``)."""
    from .io import imwrite
    from .processing import OutputNamer

    namer = OutputNamer(out_dir) if out_dir is not None else None
    written_single = False
    for page in pages:
        try:
            if out_file is not None:
                if written_single or (page.pages or 1) > 1:  # checked before anything is written
                    raise UsageError(
                        f"{page.source} has several pages but -o {out_file} is a single file; use a directory"
                    )
                target = out_file
                written_single = True
            else:
                target = namer(page, multipage=page.pages is not None and page.pages > 1)
            image = pipeline.apply(page.image, threads=threads)
            if target == STDOUT:
                _write_png_to_stdout(image)
                counters["ok"] += 1
                continue
            imwrite(target, image)
            counters["ok"] += 1
            counters["written"].append(str(target))
        except UsageError:
            raise
        except Exception as exc:  # reported; the other pages go on
            counters["failed"] += 1
            report_failure(f"{page.source}" + (f" page {page.page}" if page.multipage else ""), exc)


def _write_png_to_stdout(image) -> None:
    """``-o -``: the page as PNG on standard output (1 bit per pixel when binary, as imwrite)."""
    import io as _io

    from .io import _to_pil

    buf = _io.BytesIO()
    _to_pil(image).save(buf, "PNG")
    sys.stdout.flush()
    sys.stdout.buffer.write(buf.getvalue())
    sys.stdout.buffer.flush()


def _new_counters():
    return {"ok": 0, "failed": 0, "written": []}


def _finish(counters, quiet=False, what="page", where=None) -> int:
    if not quiet:
        n = counters["ok"]
        failed = counters["failed"]
        msg = f"ocrprep: {n} {what}{'s' if n != 1 else ''} done"
        if failed:
            msg += f", {failed} failed"
        if where and n:
            msg += f" -> {where}"
        print(msg, file=sys.stderr)
    if counters["failed"]:
        return EXIT_FAILED
    return EXIT_OK


# --------------------------------------------------------------------------- #
# binarize
# --------------------------------------------------------------------------- #
def add_binarize(sub):
    p = sub.add_parser(
        "binarize",
        help="convert pages to black ink on white paper",
        description="Binarize images: automatic by default, or a fixed --threshold, or a chosen --method.",
    )
    p.add_argument("inputs", nargs="+", metavar="IN", help="image, TIFF, PDF, zip, folder, URL, or - for stdin")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output directory, or one image file (.png, .tif...) or - (PNG on standard output) "
                        "for a single page")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--threshold", type=_threshold_arg, metavar="N",
                   help="fixed threshold 1..255: pixels lighter than N become white (0 = automatic)")
    g.add_argument("--method", default="auto", choices=list(METHODS),
                   help="binarization method (default: auto)")
    _common_options(p)
    p.set_defaults(func=run_binarize)


def run_binarize(args) -> int:
    from .filters import PreprocessingFilter

    if args.threshold is not None:
        pipeline = PreprocessingFilter([PreprocessingFilter.threshold(args.threshold)])
    else:
        pipeline = PreprocessingFilter([PreprocessingFilter.binarize(args.method)])
    return _run_pipeline(args, pipeline)


def _run_pipeline(args, pipeline) -> int:
    out_file, out_dir = _output_target(args.output, args.inputs)
    counters = _new_counters()
    pages = _iter_input_pages(args.inputs, show_progress=not args.quiet, counters=counters, dpi=args.dpi)
    try:
        _write_pages(pages, pipeline, out_file, out_dir, counters, threads=args.threads)
    finally:
        pages.close()  # the progress bar ends before any message
    return _finish(counters, args.quiet, where=_describe_output(out_file, out_dir))


def _common_options(p):
    p.add_argument("--threads", type=_positive_int, default=None, help="threads per kernel (default: all cores)")
    p.add_argument("--dpi", type=_positive_int, default=None, help="PDF rasterisation resolution (default 300)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")


# --------------------------------------------------------------------------- #
# filter
# --------------------------------------------------------------------------- #
def add_filter(sub):
    from .filters import FILTERS

    p = sub.add_parser(
        "filter",
        help="run a preprocessing pipeline",
        description=(
            "Apply a list of preprocessing filters, in order. FILTERS is the short form "
            "('median,binarize,dilate', 'median(5), threshold(150)', "
            "'threshold(value=150, area=(0, 0, 400, 200))'), JSON text, or @file.json. "
            f"Filters: {', '.join(FILTERS)}."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="IN", help="image, TIFF, PDF, zip, folder, URL, or - for stdin")
    p.add_argument("-f", "--filters", required=True, type=_filters_arg, metavar="FILTERS", help="the pipeline")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="output directory, or one image file (.png, .tif...) or - (PNG on standard output) "
                        "for a single page")
    _common_options(p)
    p.set_defaults(func=run_filter)


def run_filter(args) -> int:
    return _run_pipeline(args, args.filters)


# --------------------------------------------------------------------------- #
# recognize
# --------------------------------------------------------------------------- #
def add_recognize(sub):
    p = sub.add_parser(
        "recognize",
        help="recognise text with Tesseract",
        description="Recognise the text of every page; print it (or write one file per page with -o DIR).",
    )
    p.add_argument("inputs", nargs="+", metavar="IN", help="image, TIFF, PDF, zip, folder, URL, or - for stdin")
    p.add_argument("--binarize", action="store_true", help="binarize automatically before recognition")
    p.add_argument("--threshold", type=_threshold_arg, default=0, metavar="N", help="binarize with a fixed threshold first")
    p.add_argument("-f", "--filters", type=_filters_arg, default=None, metavar="FILTERS", help="preprocessing pipeline")
    p.add_argument("-l", "--lang", default="eng", help="Tesseract language(s): eng, deu+eng, English... (default eng)")
    p.add_argument("--format", default="text", choices=["text", "json", "hocr"], help="output format (default text)")
    p.add_argument("-o", "--output", metavar="DIR", default=None,
                   help="write one file per page into DIR (default, or -: standard output)")
    p.add_argument("-j", "--jobs", type=_positive_int, default=None, help="pages recognised in parallel (default: cores)")
    p.add_argument("--psm", type=int, default=None, help="Tesseract page segmentation mode (0..13)")
    _common_options(p)
    p.set_defaults(func=run_recognize)


def run_recognize(args) -> int:
    from .errors import OcrprepError, TesseractNotFoundError
    from .filters import PreprocessingFilter
    from .inputs import OcrInput
    from .ocr import OcrEngine, RecognitionSettings

    if args.output not in (None, STDOUT) and not _names_folder(args.output):
        raise UsageError(f"-o {args.output}: recognize writes one file per page into a folder; for a folder "
                         f"with an extension in its name, end it with {os.sep}; without -o (or with -o -) "
                         "the text goes to standard output")
    settings = RecognitionSettings(
        language=args.lang,
        result_type=args.format,
        make_binarization=args.binarize,
        threshold_value=args.threshold,
        threads_count=args.jobs,
        page_segmentation_mode=args.psm,
    )
    engine = OcrEngine()
    try:  # bad settings and languages that are not installed are usage errors, before any page is read
        engine.check_settings(settings)
    except TesseractNotFoundError as exc:
        print(f"ocrprep: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OcrprepError as exc:
        raise UsageError(str(exc))
    doc = OcrInput.any(args.filters or PreprocessingFilter(), dpi=args.dpi, threads=args.threads)
    counters = _new_counters()
    added = []
    for arg in args.inputs:
        try:
            source, name = _read_source(arg)
            doc.add(source, name="stdin" if arg == "-" else None)
        except OcrprepError as exc:
            counters["failed"] += 1
            report_failure(arg, exc)
            continue
        added.append(arg)
    out_dir = Path(args.output) if args.output not in (None, STDOUT) else None
    suffix = {"text": ".txt", "json": ".json", "hocr": ".hocr"}[args.format]
    from .processing import OutputNamer

    namer = OutputNamer(out_dir, suffix) if out_dir else None
    json_results = []
    shown = 0
    held = None
    bar = SourceProgress(added, desc="recognize", enabled=not args.quiet)
    try:
        results = engine.iter_recognize(doc, settings) if len(doc) else iter(())
        for result in results:
            bar.see(result.source, result.page)
            if result.error is not None:
                counters["failed"] += 1
                report_failure(result.source + (f" page {result.page}" if result.page > 1 else ""), result.error)
                continue
            counters["ok"] += 1
            if namer is not None:
                from .io import Page, _stem_of

                page = Page(result.source, result.page, None, result.page_count, _stem_of(result.source))
                target = namer(page, multipage=(result.page_count or 1) > 1)
                result.save(target, args.format)
                counters["written"].append(str(target))
            elif args.format == "json":
                json_results.append(result.to_dict())
            else:
                # Headers ("==> source <==") only when there is more than one page:
                # hold the first page back until a second one shows up.
                if held is None and not shown:
                    held = result
                    continue
                with bar.writing():
                    if held is not None:
                        _print_result(held, args.format, header=True)
                        held = None
                    _print_result(result, args.format, header=True)
                shown += 1
    except TesseractNotFoundError as exc:
        bar.close()
        print(f"ocrprep: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        bar.close()
    if held is not None:
        _print_result(held, args.format, header=False)
    if args.format == "json" and namer is None:
        print(json.dumps(json_results, indent=2, ensure_ascii=False))
    return _finish(counters, args.quiet, where=_describe_output(None, out_dir) if out_dir else None)


def _print_result(result, fmt, header):
    if header and fmt == "text":
        print(f"==> {result.source}" + (f" page {result.page}" if (result.page_count or 1) > 1 else "") + " <==")
    print(result.output(fmt), flush=True)


# --------------------------------------------------------------------------- #
# demo
# --------------------------------------------------------------------------- #
def add_demo(sub):
    p = sub.add_parser(
        "demo",
        help="binarize and recognise the sample page shipped with ocrprep",
        description=(
            "The main job on the sample shipped inside the package: writes the source page, its "
            "automatic binarization and fixed-threshold versions, and the recognised text into DIR."
        ),
    )
    p.add_argument("-o", "--output", default="ocrprep-demo", metavar="DIR", help="output directory (default ./ocrprep-demo)")
    p.add_argument("-l", "--lang", default="eng", help="Tesseract language (default eng)")
    p.add_argument("--method", default="auto", choices=list(METHODS),
                   help="binarization method (default: auto)")
    p.add_argument("--thresholds", default="50,100,150,200",
                   help="fixed thresholds to compare with the automatic one (comma list, '' for none)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the recognised text")
    p.set_defaults(func=run_demo)


def _word_recovery(truth: str, text: str) -> float:
    import collections
    import re

    def words(t):
        return re.sub(r"[^\w\s]", " ", t.lower()).split()

    want, got = collections.Counter(words(truth)), collections.Counter(words(text))
    total = sum(want.values())
    return sum(min(c, got[w]) for w, c in want.items()) / total if total else 0.0


def run_demo(args) -> int:
    import shutil

    from . import data
    from .errors import OcrprepError, TesseractNotFoundError
    from .filters import PreprocessingFilter
    from .io import imread, imwrite
    from .ocr import OcrEngine, RecognitionSettings

    try:
        thresholds = [int(t) for t in args.thresholds.split(",") if t.strip()]
    except ValueError:
        raise UsageError(f"--thresholds must be a comma-separated list of integers, got {args.thresholds!r}")
    for t in thresholds:
        if not 1 <= t <= 255:
            raise UsageError(f"thresholds must be between 1 and 255, got {t}")
    if args.output == STDOUT or not _names_folder(args.output):
        raise UsageError(f"-o {args.output}: the demo writes several files into a folder; give a folder name "
                         f"(ending it with {os.sep} if it has an extension)")
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    sample = data.sample_path()
    truth = data.sample_text()
    shutil.copyfile(sample, out / "sample.png")
    page = imread(sample)

    def say(msg):
        if not args.quiet:
            print(msg, file=sys.stderr)

    t0 = time.perf_counter()
    auto = PreprocessingFilter([PreprocessingFilter.binarize(args.method)]).apply(page)
    t_bin = time.perf_counter() - t0
    imwrite(out / "sample_binarized.png", auto)
    variants = [(args.method, auto)]
    for t in thresholds:
        img = PreprocessingFilter([PreprocessingFilter.threshold(t)]).apply(page)
        imwrite(out / f"sample_threshold_{t:03d}.png", img)
        variants.append((f"threshold {t}", img))
    say(f"ocrprep demo: sample {page.shape[1]}x{page.shape[0]} binarized in {t_bin * 1000:.0f} ms -> {out}/")

    engine = OcrEngine()
    settings = RecognitionSettings(language=args.lang)
    try:
        from .inputs import InputType, OcrInput

        doc = OcrInput(InputType.SINGLE_IMAGE)
        for name, img in variants:
            doc.add(img, name=name)
        results = list(engine.iter_recognize(doc, settings))  # failures are reported below, not warned
    except TesseractNotFoundError as exc:
        print(f"ocrprep: error: {exc}", file=sys.stderr)
        print(f"ocrprep: the binarized page is in {out / 'sample_binarized.png'}", file=sys.stderr)
        return EXIT_FAILED
    except OcrprepError as exc:
        print(f"ocrprep: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    failed = [r for r in results if r.error is not None]
    for r in failed:
        report_failure(r.source, r.error)
    text = results[0].recognition_text
    (out / "sample.txt").write_text(text + "\n", encoding="utf-8")
    say("words of the paragraph recovered:")
    for (name, _img), r in zip(variants, results):
        say(f"  {name:>13}: {100 * _word_recovery(truth, r.recognition_text):5.1f} %")
    say(f"recognised text ({args.method} binarization) -> {out / 'sample.txt'}:")
    print(text)
    return EXIT_FAILED if failed else EXIT_OK


# --------------------------------------------------------------------------- #
# registry and entry point
# --------------------------------------------------------------------------- #
#: Subcommands in help order: functions ``add(subparsers)`` or ``"module:function"``
#: strings (imported when the CLI starts; a missing module is skipped).
COMMANDS = [
    add_binarize,
    add_filter,
    add_recognize,
    add_demo,
    "ocrprep.batch:add_cli",
    "ocrprep.service.cli:add_cli",
    "ocrprep.bench:add_cli",
]


def _unavailable(sub, name, error):
    p = sub.add_parser(name, help=f"(unavailable: {error})", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args):
        print(f"ocrprep {name}: unavailable ({error}); install the extra it needs, e.g. pip install 'ocrprep[all]'",
              file=sys.stderr)
        return EXIT_USAGE

    p.set_defaults(func=run)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="ocrprep",
        description="Prepare scanned and photographed documents for OCR, and recognise them with Tesseract.",
        epilog="Exit status: 0 ok, 1 some inputs failed (each reported), 2 usage error or a missing extra "
               "(the message says what to install).",
    )
    parser.add_argument("--version", action="version", version=f"ocrprep {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for entry in COMMANDS:
        if callable(entry):
            entry(sub)
            continue
        module, _, func = entry.partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
                continue  # that subcommand is not part of this build
            _unavailable(sub, module.rsplit(".", 1)[-1].replace("cli", "") or module, exc)
            continue
        except ImportError as exc:
            _unavailable(sub, module.split(".")[1], exc)
            continue
        getattr(mod, func)(sub)
    return parser


def _subcommand_parser(parser, name):
    """The parser of subcommand ``name`` (``parser`` itself if there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name, parser)
    return parser


def main(argv=None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 some inputs failed, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        _subcommand_parser(parser, args.command).print_usage(sys.stderr)  # that command's usage, not the list
        print(f"ocrprep {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("ocrprep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ocrprep recognize ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK


if __name__ == "__main__":  # python -m ocrprep.cli
    sys.exit(main())
