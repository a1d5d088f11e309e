"""Planning a batch: walking the sources, naming the outputs, cutting work units.

Everything here runs on the driver and touches only directory listings,
zip directories and file headers (page counts, the first bytes that tell a
zip archive from an image); pixels are decoded by the workers.

Output names mirror the source tree under the destination:

* ``a/b/scan.jpg``                    -> ``a/b/scan.png``
* page 2 of ``a/report.pdf``          -> ``a/report_page2.png``
* member ``x/y.png`` of ``a/docs.zip`` -> ``a/docs.zip/x/y.png`` (the archive's
  own tree, in a folder named like the archive; a zip archive is recognised
  by its content, whatever its extension)

Each folder's output names are *claimed* so that no two sources can write
the same file (compared case-blind, as on Windows and macOS disks):

* sources sharing a stem get their extension: ``a/scan.png`` and ``a/scan.tif``
  -> ``a/scan_png.png`` and ``a/scan_tif.png``;
* a file named like a page of another source yields to it: beside ``doc.tif``,
  ``doc_page1.png`` -> ``doc_page1_png.png`` (``doc.tif`` may write
  ``doc_page1.png``);
* a name still taken gets a counter: ``scan.png`` and ``scan.PNG`` ->
  ``scan_png.png`` and ``scan_png_2.png`` (lower-case extensions claim first);
* a file output never takes the name of an output folder (a subfolder or an
  archive).

Names depend only on the folder listing (and which files are zip archives),
so a rerun finds the outputs of the previous run again.  Symbolic links to
folders are followed; a folder reached a second time (a link loop, or two
links to one folder) is walked once.
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import ImageDecodeError, InputNotFoundError, InvalidParameterError, ParameterTypeError
from ..io import _ARCHIVE_SUFFIXES, IMAGE_EXTENSIONS, zip_page_members
from ..io import page_file_name as output_name  # noqa: F401  (output names follow io's rule)

#: Extensions taken from source folders (every other file is left alone).
SOURCE_EXTENSIONS = frozenset(IMAGE_EXTENSIONS | {".zip"})

#: Archive member extensions :func:`ocrprep.io.iter_pages` lists (and refuses as nested archives).
_NESTED_ARCHIVES = frozenset(_ARCHIVE_SUFFIXES)

_PAGE_TAIL = re.compile(r"(.*)_page\d+", re.S)


@dataclass(frozen=True)
class SourceFile:
    """One file to process: its absolute ``path`` and its output ``base`` (relative, no suffix)."""

    path: str
    base: str
    is_zip: bool = False


@dataclass(frozen=True)
class Failure:
    """A source that failed before any page could be planned (unreadable folder...)."""

    source: str
    error: str


@dataclass(frozen=True)
class Unit:
    """A piece of work for one worker: pages ``[start, start + count)`` of ``path``.

    For a zip archive (``is_zip``) the unit is the member ``member``, at
    index ``start`` of the members :func:`ocrprep.io.iter_pages` walks, and
    ``base`` is that member's output base.  ``pages`` is the page count of
    the source when the planner knows it.  ``done`` holds the
    ``(source, page)`` keys the worker must skip (pages of a multi-page
    member finished by an earlier run).
    """

    path: str
    base: str
    start: int = 0
    count: int | None = 1
    pages: int | None = 1
    is_zip: bool = False
    done: frozenset = field(default_factory=frozenset)
    member: str | None = None


def safe_member_path(name: str) -> tuple[str, str]:
    """(folder, file name) of an archive member, with ``..``, absolute and empty parts dropped."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    parts = [p.replace(":", "_") for p in parts]
    if not parts:
        return "", "member"
    return "/".join(parts[:-1]), parts[-1]


# --------------------------------------------------------------------------- #
# claiming output names
# --------------------------------------------------------------------------- #
def claim_bases(names: list[str], dirs=(), suffixes=(".png",)) -> list[str]:
    """Output stem of each file of one folder (in the order given), no two able to write one file.

    ``names`` are the file names (with extension; the same name may occur
    twice in a zip archive), ``dirs`` the names of the output folders
    beside them (subfolders, archives) and ``suffixes`` the extensions the
    outputs get.  A base ``b`` stands for the files ``b<suffix>`` and, for a
    multi-page source, ``b_pageN<suffix>``: two bases conflict when they are
    equal or one is a page name of the other (compared case-blind).  See
    the module docstring for the rules.

    >>> claim_bases(["doc.tif", "doc_page1.png", "scan.PNG", "scan.png", "x.jpg"], dirs=["x.png"])
    ['doc', 'doc_page1_png', 'scan_png_2', 'scan_png', 'x_jpg']
    """
    stems = [posixpath.splitext(n)[0] or n for n in names]
    folded = [s.casefold() for s in stems]
    counts: dict[str, int] = {}
    for f in folded:
        counts[f] = counts.get(f, 0) + 1
    all_stems = set(folded)
    suffixes = {s.casefold() for s in suffixes}
    blocked = set()  # bases whose files would take an output folder's name
    for d in dirs:
        d = d.casefold()
        stem, ext = posixpath.splitext(d)
        if ext in suffixes:
            blocked.add(stem)
            m = _PAGE_TAIL.fullmatch(stem)
            if m:
                blocked.add(m.group(1))
    taken: set[str] = set()  # claimed bases
    page_roots: set[str] = set()  # X for every claimed base of the form X_pageN

    def free(b: str) -> bool:
        if b in taken or b in blocked or b in page_roots:
            return False
        m = _PAGE_TAIL.fullmatch(b)
        return not (m and m.group(1) in taken)

    def claim(b: str) -> None:
        taken.add(b)
        m = _PAGE_TAIL.fullmatch(b)
        if m:
            page_roots.add(m.group(1))

    out: list[str | None] = [None] * len(names)
    later = []
    for i, (stem, f) in enumerate(zip(stems, folded)):
        m = _PAGE_TAIL.fullmatch(f)
        if counts[f] == 1 and f not in blocked and not (m and m.group(1) in all_stems):
            out[i] = stem
            claim(f)
        else:
            later.append(i)
    # the rest: stem_ext, then stem_ext_2, _3...; names with a lower-case extension first
    later.sort(key=lambda i: (posixpath.splitext(names[i])[1] != posixpath.splitext(names[i])[1].lower(), i))
    for i in later:
        ext = posixpath.splitext(names[i])[1][1:].lower()
        first = f"{stems[i]}_{ext}" if ext else stems[i]
        cand, k = first, 2
        while not free(cand.casefold()):
            cand, k = f"{first}_{k}", k + 1
        out[i] = cand
        claim(cand.casefold())
    return out


def is_zip_file(path) -> bool:
    """Whether a file is a zip archive by its content (its extension does not matter)."""
    from ..io import _sniff

    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return os.fspath(path).lower().endswith(".zip")
    return _sniff(head) == "zip"


def zip_members(path: str, suffixes=(".png",)) -> list[tuple[int, str, str]]:
    """``(index, member name, output base)`` of every member :func:`ocrprep.io.iter_pages` walks
    in a zip archive (:func:`ocrprep.io.zip_page_members`: images, PDFs and nested archives,
    which fail).

    The base is relative to the archive's output folder (names claimed per
    folder of the archive as in :func:`claim_bases`, for output ``suffixes``).  Raises
    :class:`~ocrprep.errors.ImageDecodeError` when the archive cannot be
    read or holds no page.
    """
    members = zip_page_members(path)  # ImageDecodeError naming path when not a readable archive
    if not members:
        raise ImageDecodeError(f"{path}: the zip archive holds no image or PDF files")
    folders: dict[str, list[tuple[int, str]]] = {}
    subdirs: dict[str, set] = {}
    for index, n in enumerate(members):
        folder, fname = safe_member_path(n)
        folders.setdefault(folder, []).append((index, fname))
        parts = folder.split("/") if folder else []
        for depth in range(len(parts)):
            subdirs.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
    bases = [""] * len(members)
    for folder, items in folders.items():
        pages = [(i, f) for i, f in items if posixpath.splitext(f)[1].lower() not in _NESTED_ARCHIVES]
        claimed = dict(zip((i for i, _f in pages), claim_bases([f for _i, f in pages], subdirs.get(folder, ()), suffixes)))
        for index, fname in items:  # (a nested archive writes nothing: it only fails)
            b = claimed.get(index) or posixpath.splitext(fname)[0] or fname
            bases[index] = f"{folder}/{b}" if folder else b
    return [(i, n, bases[i]) for i, n in enumerate(members)]


# --------------------------------------------------------------------------- #
# walking the sources
# --------------------------------------------------------------------------- #
def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.relative_to(parent)
        return True
    except ValueError:
        return False


def _identity(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def resolve_sources(sources) -> list[Path]:
    """Absolute paths of the sources (a path or a list of paths); missing ones raise."""
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    try:
        items = list(sources)
    except TypeError:
        raise ParameterTypeError(f"sources must be a path or a list of paths, got {type(sources).__name__}") from None
    if not items:
        raise InvalidParameterError("no sources given")
    roots = []
    for s in items:
        if not isinstance(s, (str, os.PathLike)):
            raise ParameterTypeError(f"a source must be a path, got {type(s).__name__}")
        if not os.fspath(s):  # abspath("") is the current folder: never read it by accident
            raise InvalidParameterError("a source path is empty (give a file or folder path; '.' for the current folder)")
        p = Path(os.path.abspath(os.fspath(s)))
        if not p.exists():
            raise InputNotFoundError(f"{os.fspath(s)}: no such file or directory")
        roots.append(p)
    return roots


def root_prefixes(roots: list[Path]) -> list[str]:
    """Output prefix of each root: none for a single root, the folder's name for several."""
    if len(roots) == 1:
        return [""]
    prefixes, seen = [], {}
    for r in roots:
        prefix = r.name if r.is_dir() else ""
        key = ("folder", r.name.lower()) if prefix else ("file", (posixpath.splitext(r.name)[0] or r.name).lower())
        if key in seen:
            raise InvalidParameterError(
                f"sources {seen[key]} and {r} would write to the same place in the destination; "
                "give their common parent folder instead"
            )
        seen[key] = r
        prefixes.append(prefix)
    return prefixes


def iter_source_files(
    roots: list[Path], exclude: list[Path], suffixes=(".png",), *, detect: bool = True
) -> Iterator[SourceFile | Failure]:
    """Every file to process, in a stable order (roots in order, folders sorted).

    Hidden files and folders, files with other extensions and anything under
    an ``exclude`` folder (the destination, when it lies inside a source)
    are skipped; symbolic links to folders are followed, each folder walked
    once.  Folders that cannot be listed come out as :class:`Failure`.
    ``suffixes`` are the output extensions (for :func:`claim_bases`);
    ``detect=False`` skips reading the files' first bytes (zip detection),
    for a pass that only counts.
    """
    prefixes = root_prefixes(roots)
    exclude = [Path(os.path.abspath(e)) for e in exclude]
    excluded_ids = {i for i in map(_identity, exclude) if i is not None}
    for root, prefix in zip(roots, prefixes):
        if root.is_file():
            name = root.name
            is_zip = is_zip_file(root) if detect else name.lower().endswith(".zip")
            base = name if is_zip else (posixpath.splitext(name)[0] or name)
            yield SourceFile(str(root), posixpath.join(prefix, base) if prefix else base, is_zip)
            continue
        errors: list[OSError] = []
        seen = {_identity(root)}
        for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=True):
            while errors:
                exc = errors.pop()
                yield Failure(getattr(exc, "filename", None) or str(root), f"cannot list folder ({exc.strerror or exc})")
            here = Path(folder)
            kept = []
            for d in sorted(dirs):
                if _is_hidden(d) or any(_inside(here / d, e) for e in exclude):
                    continue
                ident = _identity(here / d)
                if ident is not None and (ident in seen or ident in excluded_ids):
                    continue  # a link loop, a second link to a folder already walked, or the destination
                seen.add(ident)
                kept.append(d)
            dirs[:] = kept
            rel_dir = here.relative_to(root).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            if prefix:
                rel_dir = posixpath.join(prefix, rel_dir) if rel_dir else prefix
            names = sorted(
                f for f in files
                if not _is_hidden(f) and posixpath.splitext(f)[1].lower() in SOURCE_EXTENSIONS
                and (here / f).is_file()
            )
            if detect:
                zips = {f for f in names if is_zip_file(here / f)}
            else:
                zips = {f for f in names if f.lower().endswith(".zip")}
            plain = [f for f in names if f not in zips]
            bases = dict(zip(plain, claim_bases(plain, list(zips) + kept, suffixes))) if detect else {}
            for f in names:
                is_zip = f in zips
                base = f if is_zip else bases.get(f, f)
                yield SourceFile(str(here / f), posixpath.join(rel_dir, base) if rel_dir else base, is_zip)
        while errors:
            exc = errors.pop()
            yield Failure(getattr(exc, "filename", None) or str(root), f"cannot list folder ({exc.strerror or exc})")


def count_source_files(roots: list[Path], exclude: list[Path]) -> int:
    """How many files :func:`iter_source_files` will produce (a listing pass, for progress bars)."""
    return sum(1 for item in iter_source_files(roots, exclude, detect=False) if isinstance(item, SourceFile))
