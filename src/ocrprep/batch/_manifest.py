"""The batch manifest: one JSON line per page, appended by the driver only.

A record::

    {"source": "/scans/a/report.pdf", "page": 2, "output": "a/report_page2.png",
     "status": "ok", "error": null,
     "timings": {"read": 0.04, "filter": 0.15, "ocr": 0.0, "write": 0.02, "total": 0.21},
     "worker": "host:1234", "source_size": 183422, "source_mtime_ns": 1712345678901234567}

``source`` is absolute (``archive.zip/member.png`` for archive members),
``output`` is relative to the destination folder, ``page`` is 1-based
(``null`` when the whole source failed before its pages were known) and
``status`` is ``ok``, ``failed`` or ``interrupted`` (cut short by Ctrl-C:
redone by the next run).  The last record of a page is its state: a rerun
skips the pages whose last record is ``ok`` when their output still exists
and the source file is unchanged.

Beside the manifest, ``.ocrprep-batch.json`` records the configuration
(filters, recognition settings, output formats); a rerun with another
configuration is refused unless ``force`` is given, since the existing
outputs would silently mix two pipelines.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ..errors import InvalidParameterError

MANIFEST_NAME = "manifest.jsonl"
CONFIG_NAME = ".ocrprep-batch.json"


def read_records(path) -> list[dict]:
    """Every well-formed record of a manifest (a torn last line from a crash is ignored)."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "source" in rec and "status" in rec:
                out.append(rec)
    return out


def latest(records) -> dict[tuple, dict]:
    """The last record of every ``(source, page)``."""
    state = {}
    for rec in records:
        state[(rec["source"], rec.get("page"))] = rec
    return state


def finished(path, dst) -> dict[tuple, dict]:
    """Pages a rerun may skip: last record ``ok`` and the output file(s) still present."""
    dst = Path(dst)
    done = {}
    for key, rec in latest(read_records(path)).items():
        if rec.get("status") != "ok" or not rec.get("output"):
            continue
        outs = [rec["output"]] + ([rec["image"]] if rec.get("image") else [])
        if all((dst / o).is_file() for o in outs):
            done[key] = rec
    return done


class ManifestWriter:
    """Appends records to the manifest; flushed per record, synced to disk every second."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        torn = False
        if self.path.exists() and self.path.stat().st_size:
            with open(self.path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                torn = f.read(1) != b"\n"
        self._f = open(self.path, "a", encoding="utf-8")
        if torn:  # a crash cut the last line: start on a fresh one
            self._f.write("\n")
        self._synced = time.monotonic()

    def write(self, record: dict) -> None:
        self._f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._f.flush()
        now = time.monotonic()
        if now - self._synced > 1.0:
            os.fsync(self._f.fileno())
            self._synced = now

    def close(self) -> None:
        if self._f.closed:
            return
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def check_config(dst, config: dict, force: bool, write: bool = True) -> None:
    """Refuse to resume into ``dst`` with a different configuration (unless ``force``); record it."""
    path = Path(dst) / CONFIG_NAME
    if path.exists() and not force:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            old = None
        if old is not None and old != config:
            changed = sorted(k for k in set(old) | set(config) if old.get(k) != config.get(k))
            raise InvalidParameterError(
                f"{dst} holds results of another configuration (different {', '.join(changed)}); "
                "use force=True / --force to redo every page, or choose another destination"
            )
        if old == config:
            return
    if not write:
        return
    from ..io import _atomic_file

    path.parent.mkdir(parents=True, exist_ok=True)
    with _atomic_file(path, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1, sort_keys=True)


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
