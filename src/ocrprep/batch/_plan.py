"""Planning a batch: walking the sources, naming the outputs, cutting work units.

Everything here runs on the driver and touches only directory listings and
file headers (page counts); pixels are decoded by the workers.

Output names mirror the source tree under the destination:

* ``a/b/scan.jpg``                    -> ``a/b/scan.png``
* page 2 of ``a/report.pdf``          -> ``a/report_page2.png``
* ``a/scan.png`` *and* ``a/scan.tif`` -> ``a/scan_png.png`` and ``a/scan_tif.png``
  (stems shared inside one folder, compared case-blind, get the extension)
* member ``x/y.png`` of ``a/docs.zip`` -> ``a/docs.zip/x/y.png`` (the archive's
  own tree, in a folder named like the archive)

Names depend only on the folder listing, so a rerun finds the outputs of the
previous run again.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import InputNotFoundError, InvalidParameterError, ParameterTypeError
from ..io import IMAGE_EXTENSIONS
from ..io import page_file_name as output_name  # noqa: F401  (output names follow io's rule)

#: Extensions taken from source folders (every other file is left alone).
SOURCE_EXTENSIONS = frozenset(IMAGE_EXTENSIONS | {".zip"})


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

    ``count=None`` takes every page (zip archives).  ``pages`` is the page
    count of the source when the planner knows it.  ``done`` holds the
    ``(source, page)`` keys a zip unit must skip (finished by an earlier run).
    """

    path: str
    base: str
    start: int = 0
    count: int | None = 1
    pages: int | None = 1
    is_zip: bool = False
    done: frozenset = field(default_factory=frozenset)


def safe_member_path(name: str) -> tuple[str, str]:
    """(folder, file name) of an archive member, with ``..``, absolute and empty parts dropped."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    parts = [p.replace(":", "_") for p in parts]
    if not parts:
        return "", "member"
    return "/".join(parts[:-1]), parts[-1]


def tagged_bases(names: list[str]) -> dict[str, str]:
    """Output stem for each file name of one folder: the stem, or ``stem_ext`` when stems collide."""
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(posixpath.splitext(n)[0].lower(), []).append(n)
    out = {}
    for n in names:
        stem, ext = posixpath.splitext(n)
        if len(groups[stem.lower()]) > 1 and ext:
            out[n] = f"{stem}_{ext[1:].lower()}"
        else:
            out[n] = stem or n
    return out


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.relative_to(parent)
        return True
    except ValueError:
        return False


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


def iter_source_files(roots: list[Path], exclude: list[Path]) -> Iterator[SourceFile | Failure]:
    """Every file to process, in a stable order (roots in order, folders sorted).

    Hidden files and folders, files with other extensions and anything under
    an ``exclude`` folder (the destination, when it lies inside a source)
    are skipped.  Folders that cannot be listed come out as :class:`Failure`.
    """
    prefixes = root_prefixes(roots)
    exclude = [Path(os.path.abspath(e)) for e in exclude]
    for root, prefix in zip(roots, prefixes):
        if root.is_file():
            name = root.name
            base = posixpath.splitext(name)[0] or name
            yield SourceFile(str(root), posixpath.join(prefix, base) if prefix else base, root.suffix.lower() == ".zip")
            continue
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(root, onerror=errors.append):
            while errors:
                exc = errors.pop()
                yield Failure(getattr(exc, "filename", None) or str(root), f"cannot list folder ({exc.strerror or exc})")
            here = Path(folder)
            dirs[:] = sorted(
                d for d in dirs if not _is_hidden(d) and not any(_inside(here / d, e) for e in exclude)
            )
            rel_dir = here.relative_to(root).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            if prefix:
                rel_dir = posixpath.join(prefix, rel_dir) if rel_dir else prefix
            names = sorted(
                f for f in files
                if not _is_hidden(f) and posixpath.splitext(f)[1].lower() in SOURCE_EXTENSIONS
                and (here / f).is_file()
            )
            zips = {f for f in names if f.lower().endswith(".zip")}
            bases = tagged_bases([f for f in names if f not in zips])
            for f in names:
                is_zip = f in zips
                base = f if is_zip else bases[f]
                yield SourceFile(str(here / f), posixpath.join(rel_dir, base) if rel_dir else base, is_zip)
        while errors:
            exc = errors.pop()
            yield Failure(getattr(exc, "filename", None) or str(root), f"cannot list folder ({exc.strerror or exc})")


def count_source_files(roots: list[Path], exclude: list[Path]) -> int:
    """How many files :func:`iter_source_files` will produce (a listing pass, for progress bars)."""
    return sum(1 for item in iter_source_files(roots, exclude) if isinstance(item, SourceFile))
