"""The batch manifest: one JSON line per page, appended by the driver only.

A record::

    {"source": "/scans/a/report.pdf", "page": 2, "output": "a/report_page2.png",
     "status": "ok", "error": null, "pages": 5,
     "timings": {"read": 0.04, "filter": 0.15, "ocr": 0.0, "write": 0.02, "total": 0.21},
     "worker": "host:1234", "source_size": 183422, "source_mtime_ns": 1712345678901234567,
     "config": "5f0c3e9a1b2d4c6e"}

``source`` is absolute (``archive.zip/member.png`` for archive members),
``output`` is relative to the destination folder, ``page`` is 1-based
(``null`` when the whole source failed before its pages were known),
``pages`` is the page count of the source (or archive member) when known,
``status`` is ``ok``, ``failed`` or ``interrupted`` (cut short by Ctrl-C:
redone by the next run) and ``config`` is the id of the configuration
that produced the record (see below).  The last record of a page is its
state: a rerun skips the pages whose last record is ``ok``, carries the
current configuration id, whose output still exists (and is not empty)
and whose source file is unchanged.

Beside the manifest, ``.ocrprep-batch.json`` records the configuration
(filters, recognition settings, output formats) and its id.  A rerun with
another configuration is refused unless ``force`` is given, since the
existing outputs would silently mix two pipelines.  The id is a hash of
the configuration; a forced run draws a new one (even for an unchanged
configuration: ``force`` means "redo every page"), so that when a forced
run is interrupted and resumed without ``force``, the pages of the older
run are redone and only those of the forced run are kept.  The file is
written when the first unit is about to start, never by a run refused up
front (a missing language, a bad executor...).

The manifest is written with ``ensure_ascii`` JSON: file names that are
not valid UTF-8 (which Python represents with surrogate escapes) are
stored as ``\\udcXX`` escapes and read back as the same string.  Manifests
of earlier versions (records without ``config``) are still read: their
``ok`` records count as done as long as the configuration is unchanged and
no forced run happened since.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from pathlib import Path

from ..errors import InvalidParameterError

MANIFEST_NAME = "manifest.jsonl"
CONFIG_NAME = ".ocrprep-batch.json"


def read_records(path, damaged: list | None = None) -> list[dict]:
    """Every well-formed record of a manifest; damaged lines are skipped.

    A line is damaged when it is not JSON (a torn last line from a crash,
    random bytes), JSON too deep or with numbers too long to parse, or a
    record whose fields have the wrong types (``"source": ["x"]``,
    ``"output": 5``...).  Its page is then simply redone.  When ``damaged``
    is a list, ``(line_number, reason)`` is appended to it for each one
    (the torn last line of a crash included).
    """
    path = Path(path)
    if not path.exists():
        return []
    out = []
    # surrogateescape: a stray non-UTF-8 byte (a damaged line) is kept, never replaced by U+FFFD
    with open(path, "r", encoding="utf-8", errors="surrogateescape") as f:
        for number, line in enumerate(_bounded_lines(f), 1):
            if line is None:
                if damaged is not None:
                    damaged.append((number, f"longer than {MAX_LINE} characters"))
                continue
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError) as exc:
                # ValueError: not JSON, or an integer over Python's digit limit;
                # RecursionError: arrays/objects nested thousands deep
                reason = "not JSON" if isinstance(exc, json.JSONDecodeError) else f"not readable ({type(exc).__name__})"
                if damaged is not None:
                    damaged.append((number, reason))
                continue
            reason = _record_problem(rec)
            if reason is not None:
                if damaged is not None:
                    damaged.append((number, reason))
                continue
            out.append(rec)
    return out


#: longest manifest line read (a record is well under 100 KB, even with 4096-byte paths)
MAX_LINE = 1 << 20


def _bounded_lines(f):
    """The lines of ``f``, ``None`` in place of each line over :data:`MAX_LINE` (never held whole)."""
    while True:
        line = f.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) <= MAX_LINE or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):  # skip the rest of the overlong line
            line = f.readline(MAX_LINE)
        yield None


def check_manifest_path(path) -> None:
    """Refuse a manifest that is not (or cannot become) a regular file: a device, a folder, a pipe."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise InvalidParameterError(f"{path}: the manifest must be a regular file")


def _optional(value, kind) -> bool:
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


#: the fields a rerun reads, and the types they must have (``None`` allowed)
_FIELD_TYPES = {
    "page": int, "pages": int, "output": str, "image": str, "error": str,
    "source_size": int, "source_mtime_ns": int, "config": str,
}


def _record_problem(rec) -> str | None:
    """Why ``rec`` (a parsed manifest line) is not a usable record, or ``None``."""
    if not isinstance(rec, dict):
        return f"a JSON {type(rec).__name__}, not a record"
    if not isinstance(rec.get("source"), str):
        return "no source path" if "source" not in rec else "source is not a string"
    if not isinstance(rec.get("status"), str):
        return "no status" if "status" not in rec else "status is not a string"
    for key, kind in _FIELD_TYPES.items():
        if not _optional(rec.get(key), kind):
            return f"{key} is not {'an integer' if kind is int else 'a string'}"
    for key in ("page", "pages"):
        if rec.get(key) is not None and rec[key] < 1:
            return f"{key} is not >= 1"
    return None


def describe_damage(path, damaged: list) -> str:
    """One line naming the damaged lines of a manifest (the first few of them)."""
    shown = ", ".join(f"line {n} ({why})" for n, why in damaged[:5])
    more = f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
    return (f"{path}: ignored {len(damaged)} damaged line{'s' if len(damaged) != 1 else ''}: {shown}{more}; "
            "the pages they recorded are redone")


def latest(records) -> dict[tuple, dict]:
    """The last record of every ``(source, page)``."""
    state = {}
    for rec in records:
        state[(rec["source"], rec.get("page"))] = rec
    return state


def finished(path, dst, config_id: str | None = None, legacy: bool = True,
             damaged: list | None = None) -> dict[tuple, dict]:
    """Pages a rerun may skip: last record ``ok``, made by configuration ``config_id``,
    and its output file(s) still present and not empty.

    Records without a configuration id (manifests of earlier versions) count
    only when ``legacy`` is true.  ``config_id=None`` accepts any id.
    Damaged lines are skipped (and listed in ``damaged``, see :func:`read_records`).
    """
    dst = Path(dst)
    done = {}
    for key, rec in latest(read_records(path, damaged)).items():
        if rec.get("status") != "ok" or not rec.get("output"):
            continue
        made_by = rec.get("config")
        if config_id is not None and made_by != config_id and not (made_by is None and legacy):
            continue
        outs = [rec["output"]] + ([rec["image"]] if rec.get("image") else [])
        if all(_non_empty_file(dst / o) for o in outs):
            done[key] = rec
    return done


def _non_empty_file(path: Path) -> bool:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return False
    return path.is_file() and st.st_size > 0


class ManifestWriter:
    """Appends records to the manifest; flushed per record, synced to disk every second.

    A record that cannot be appended (disk full, quota, I/O error) raises
    :class:`~ocrprep.OutputError` naming the manifest; the writer is then
    broken (``failed``): further writes raise the same error and
    :meth:`close` releases the file without raising.  The line it was on may
    be torn; the next run ignores it and redoes that page.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.failed: OSError | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            torn = False
            if self.path.exists() and self.path.stat().st_size:
                with open(self.path, "rb") as f:
                    f.seek(-1, os.SEEK_END)
                    torn = f.read(1) != b"\n"
            self._f = open(self.path, "a", encoding="utf-8")
            if torn:  # a crash cut the last line: start on a fresh one
                self._f.write("\n")
                self._f.flush()
        except OSError as exc:
            raise self._error(exc, "cannot open") from None
        self._synced = time.monotonic()

    def _error(self, exc: OSError, what: str = "cannot append to"):
        from ..io import _output_error

        error = _output_error(self.path, exc, f"{what} the batch manifest")
        error.args = (f"{error.args[0]}; the run stopped: make room, then run the same command again to "
                      "continue (pages without a record are redone)",)
        return error

    def write(self, record: dict) -> None:
        if self.failed is not None:
            raise self._error(self.failed)
        # ensure_ascii: a file name that is not UTF-8 (surrogate escapes) round-trips as "\udcff"
        line = json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n"
        try:
            self._f.write(line)
            self._f.flush()
            now = time.monotonic()
            if now - self._synced > 1.0:
                os.fsync(self._f.fileno())
                self._synced = now
        except OSError as exc:
            self.failed = exc
            raise self._error(exc) from None

    def close(self) -> None:
        if self._f.closed:
            return
        if self.failed is not None:
            _close_quietly(self._f)  # the line that did not fit is dropped (never half-retried)
            return
        try:
            self._f.flush()
            os.fsync(self._f.fileno())
            self._f.close()
        except OSError as exc:
            self.failed = exc
            _close_quietly(self._f)
            raise self._error(exc) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _close_quietly(f) -> None:
    """Close a text file whose buffer cannot be flushed: drop the buffer, release the descriptor."""
    try:
        f.buffer.raw.close()  # (not os.close: the descriptor number could be reused before f.close flushes)
    except OSError:
        pass
    try:
        f.close()  # its flush fails on the closed raw file, but the object ends closed
    except (OSError, ValueError):
        pass


# --------------------------------------------------------------------------- #
# the configuration file
# --------------------------------------------------------------------------- #
def config_hash(config: dict) -> str:
    """The id of a configuration that was never forced: a hash of its canonical JSON."""
    text = json.dumps(config, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def fresh_config_id(config: dict) -> str:
    """A new id for a forced run: the configuration's hash salted with a random token."""
    text = json.dumps(config, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(f"{text}\n{secrets.token_hex(8)}".encode("ascii")).hexdigest()[:16]


def read_config(dst) -> tuple[dict | None, str | None]:
    """``(configuration, id)`` recorded in ``dst`` (``(None, None)`` if none; id ``None`` for the
    files of earlier versions, which held the bare configuration)."""
    path = Path(dst) / CONFIG_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError):
        return None, None  # unreadable: treated as absent (the next run rewrites it)
    if not isinstance(data, dict):
        return None, None
    if isinstance(data.get("config"), dict) and isinstance(data.get("id"), str):
        return data["config"], data["id"]
    return data, None


class ConfigurationMismatchError(InvalidParameterError):
    """``dst`` holds the results of another configuration (``changed``: the keys that differ).

    The message gives the Python wording (``force=True``); the command line
    words it with ``--force`` (:meth:`message`).
    """

    def __init__(self, dst, changed):
        self.dst, self.changed = str(dst), list(changed)
        super().__init__(self.message("force=True"))

    def message(self, force_option: str) -> str:
        return (f"{self.dst} holds results of another configuration (different {', '.join(self.changed)}); "
                f"use {force_option} to redo every page, or choose another destination")


def check_config(dst, config: dict, force: bool) -> str:
    """Refuse to resume into ``dst`` with a different configuration (unless ``force``).

    Returns the configuration id this run must use (and record).  Writes nothing.
    """
    if force:
        return fresh_config_id(config)
    old, old_id = read_config(dst)
    if old is None:
        return config_hash(config)
    if old != config:
        changed = sorted(k for k in set(old) | set(config) if old.get(k) != config.get(k))
        raise ConfigurationMismatchError(dst, changed)
    return old_id or config_hash(config)


def write_config(dst, config: dict, config_id: str) -> None:
    """Record the configuration and its id in ``dst`` (atomically; nothing if already there).

    A file that cannot be written is an :class:`~ocrprep.OutputError` naming it."""
    if read_config(dst) == (config, config_id):
        return
    from ..io import _atomic_file, _make_parent

    path = Path(dst) / CONFIG_NAME
    _make_parent(path)
    with _atomic_file(path, "w", encoding="utf-8", fsync=True) as f:
        json.dump({"version": 2, "id": config_id, "config": config}, f, indent=1, sort_keys=True)


def legacy_ok(config: dict, config_id: str) -> bool:
    """Whether records without an id (earlier versions) may count as done under ``config_id``:
    only while no forced run has drawn a new id."""
    return config_id == config_hash(config)


def sweep_temporaries(folders) -> int:
    """Remove orphaned ``.name.XXXX.tmp`` files (from writers killed before their rename)."""
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if e.name.startswith(".") and e.name.endswith(".tmp") and e.is_file(follow_symlinks=False):
                try:
                    os.unlink(e.path)
                    removed += 1
                except OSError:
                    pass
    return removed


def walk_folders(root) -> list[str]:
    """Every folder under ``root`` (for the temporary-file sweep of a resumed run)."""
    return [folder for folder, _dirs, _files in os.walk(root)]
