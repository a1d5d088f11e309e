"""Tasks and results in SQLite: a task accepted is never lost.

One table holds every task: its kind, parameters, the submitted image
(until the task is done), its status, and its results.  The database runs
in WAL mode with ``synchronous=FULL``: :meth:`TaskStore.add` returns only
after the task is on disk, so a client that received a task id can always
fetch it later, whatever happens to the server process (``kill -9``
included).  On start-up :meth:`TaskStore.recover` puts tasks that were
running when the server died back in the queue.

Statuses are the cloud's: ``Pending`` (queued), ``Processing``,
``Completed``, ``Error``; an id that is unknown or whose results have been
removed by the retention reads as ``NotExist``.  ``Cancelled`` is ocrprep's
own: a task cancelled while pending (:meth:`TaskStore.cancel`) is never
claimed by a worker; clients see it as ``Error`` (the cloud's enums have no
cancelled state) with the reason in ``error.messages``.

Each thread uses its own connection (SQLite connections are not shared
between threads); writes are serialised by one lock so they never wait on
SQLite's busy handler.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass

from .files import private_file, protect_companions

__all__ = ["TaskStore", "Task", "PENDING", "PROCESSING", "COMPLETED", "ERROR", "NOT_EXIST", "CANCELLED",
           "MAX_ATTEMPTS"]

PENDING, PROCESSING, COMPLETED, ERROR, NOT_EXIST = "Pending", "Processing", "Completed", "Error", "NotExist"
CANCELLED = "Cancelled"

#: A task that was running when the server died this many times is given up
#: (status Error) instead of being queued again: it may be what kills it.
MAX_ATTEMPTS = 3

_COLUMNS = "id, kind, lane, status, client, params, created, started, finished, attempts, error"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    lane      TEXT NOT NULL,
    status    TEXT NOT NULL,
    client    TEXT,
    params    TEXT NOT NULL,
    image     BLOB,
    results   TEXT,
    error     TEXT,
    created   REAL NOT NULL,
    started   REAL,
    finished  REAL,
    attempts  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tasks_queue ON tasks (status, lane, seq);
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks (finished);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"""


@dataclass
class Task:
    """One task row (``image`` is the submitted file's bytes, present until the task finishes)."""

    id: str
    kind: str
    lane: str
    status: str
    params: dict
    client: str | None = None
    image: bytes | None = None
    results: str | None = None  # JSON text: [{"type": ..., "data": base64}, ...]
    error: str | None = None  # JSON text: {"messages": [...], "warnings": [...]}
    created: float = 0.0
    started: float | None = None
    finished: float | None = None
    attempts: int = 0


def new_id() -> str:
    """A random GUID, lower-case with dashes, like the cloud's task ids."""
    return str(uuid.uuid4())


class TaskStore:
    """The SQLite file (or ``":memory:"``) holding every task.

    Parameters
    ----------
    path : str or Path
        Database file; missing parent folders are created 0700, the file 0600 (see
        :mod:`~ocrprep.service.files`).  ``":memory:"`` uses a temporary file removed by
        :meth:`close` (nothing survives a restart).
    default_folder : bool
        The file is in the service's default folder: make that folder 0700 too.
    max_bytes : int, optional
        Largest size of the database file (SQLite's ``max_page_count``): past it, writes fail
        with "database or disk is full", as on a full disk.

    Attributes
    ----------
    exposed : bool
        The database existed and was readable by other users (now fixed): secrets in it
        should be replaced.
    """

    def __init__(self, path, *, default_folder: bool = False, max_bytes: int | None = None):
        self._tmpdir = None
        self.max_bytes = max_bytes
        if str(path) == ":memory:":
            # SQLite's shared-cache memory databases lock whole tables between
            # threads; a throw-away file keeps WAL's concurrent readers.
            self._tmpdir = tempfile.mkdtemp(prefix="ocrprep-service-")
            path = os.path.join(self._tmpdir, "tasks.sqlite3")
        self.path = str(path)
        # private: the file holds uploads, results and the token key (see files.py)
        self.exposed = private_file(self.path, private_folder=default_folder)
        self._local = threading.local()
        self._write = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        conn = self._conn()  # creates the file and the schema, checks it is usable
        with self._write:
            if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
                # INCREMENTAL: scrub() can give freed pages (old uploads and results) back to the file
                # system; a database of an older version is converted once (VACUUM rewrites it)
                conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
                if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # the header is written already
                    conn.execute("VACUUM")
            conn.executescript(_SCHEMA)
        protect_companions(self.path)  # -wal and -shm exist now

    # ---- connections ------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise sqlite3.ProgrammingError("the task store is closed")
        # cached_statements=0: a cached INSERT keeps its last bound upload (tens of MB) until it runs
        # again, once per thread's connection -- 9 such copies (400 MB) outlived a burst of uploads
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False,
                               cached_statements=0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        self._local.sync = "FULL"
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA secure_delete=FAST")  # deleted rows are zeroed in their pages, not left readable
        if self.max_bytes:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(1, int(self.max_bytes) // page)}")
        conn.row_factory = sqlite3.Row
        self._local.conn = conn
        with self._all_lock:
            self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection (the WAL is checkpointed by the last one)."""
        self._closed = True
        with self._all_lock:
            conns, self._all = self._all, []
        for c in conns:
            try:
                c.close()
            except sqlite3.Error:
                pass
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def _tx(self, durable: bool = False):
        """A write transaction.  ``durable``: fsync'ed before returning (synchronous=FULL), so it
        survives a power cut too; otherwise synchronous=NORMAL, which in WAL mode survives any
        crash of this process (kill -9) but may roll back on a power cut -- fine for state that
        is recomputed then (a claimed task returns to the queue, a result is recomputed)."""
        conn = self._conn()
        want = "FULL" if durable else "NORMAL"
        if getattr(self._local, "sync", None) != want:
            conn.execute(f"PRAGMA synchronous={want}")
            self._local.sync = want
        return _Transaction(conn, self._write)

    # ---- meta ---------------------------------------------------------------
    def secret(self, name: str = "token_key", nbytes: int = 32, *, renew: bool = False) -> bytes:
        """A random key created on first use and kept in the database (tokens survive restarts);
        ``renew``: replace it (the database was readable by others, the key may be known)."""
        with self._tx(durable=True) as c:
            if renew:
                c.execute("DELETE FROM meta WHERE key = ?", (name,))
            row = c.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
            if row is not None:
                return bytes(row["value"])
            value = secrets.token_bytes(nbytes)
            c.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (name, value))
            return value

    # ---- writing ------------------------------------------------------------
    def add(self, kind: str, lane: str, params: dict, image: bytes, client: str | None = None,
            task_id: str | None = None) -> str:
        """Queue a task; returns its id (``task_id``, or a new one) once the row is durably on disk."""
        task_id = task_id or new_id()
        with self._tx(durable=True) as c:
            c.execute(
                "INSERT INTO tasks (id, kind, lane, status, client, params, image, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (task_id, kind, lane, PENDING, client, json.dumps(params), image, time.time()),
            )
        return task_id

    def claim(self, lane: str, *, smallest: bool = False) -> Task | None:
        """Mark the oldest pending task of ``lane`` as Processing and return it (or None).

        ``smallest``: the task with the smallest upload times filter count instead (what the
        spare worker takes).  The submitted image is not read (the worker usually has the decoded
        page in memory; :meth:`image` reads it otherwise).
        """
        order = ("length(image) * (1 + coalesce(json_array_length(params, '$.filters'), 0)), seq"
                 if smallest else "seq")
        with self._tx() as c:
            row = c.execute(
                f"SELECT seq, {_COLUMNS} FROM tasks WHERE status = ? AND lane = ? ORDER BY {order} LIMIT 1", (PENDING, lane)
            ).fetchone()
            if row is None:
                return None
            now = time.time()
            c.execute(
                "UPDATE tasks SET status = ?, started = ?, attempts = attempts + 1 WHERE seq = ?",
                (PROCESSING, now, row["seq"]),
            )
        task = _task(row)
        task.status, task.started, task.attempts = PROCESSING, now, task.attempts + 1
        return task

    def complete(self, task_id: str, results: list[dict], warnings: list[str] | None = None) -> None:
        """Store the results; the submitted image is dropped."""
        error = json.dumps({"messages": [], "warnings": list(warnings)}) if warnings else None
        self._finish(task_id, COMPLETED, json.dumps(results, separators=(",", ":")), error)

    def fail(self, task_id: str, messages: list[str], warnings: list[str] | None = None) -> None:
        """Mark the task failed with its error messages; the submitted image is dropped."""
        error = {"messages": list(messages)}
        if warnings:
            error["warnings"] = list(warnings)
        self._finish(task_id, ERROR, None, json.dumps(error))

    def _finish(self, task_id, status, results, error) -> None:
        with self._tx() as c:
            c.execute(
                "UPDATE tasks SET status = ?, results = ?, error = ?, image = NULL, finished = ? WHERE id = ?",
                (status, results, error, time.time(), task_id),
            )

    def requeue(self, task_id: str) -> bool:
        """Put a task left Processing back in the queue (its outcome could not be stored); True when done."""
        with self._tx() as c:
            return c.execute("UPDATE tasks SET status = ?, started = NULL WHERE id = ? AND status = ?",
                             (PENDING, task_id, PROCESSING)).rowcount > 0
    def cancel(self, task_id: str, message: str) -> bool:
        """Cancel a task still pending: it will never run.  True when it was cancelled.

        Durable (fsync'ed) before returning, so the cancellation survives a
        ``kill -9`` or a power cut.  Claiming a task (:meth:`claim`) and
        cancelling it are serialised by the write lock and SQLite's
        transactions: a task is either claimed by a worker or cancelled, never both.
        """
        with self._tx(durable=True) as c:
            n = c.execute(
                "UPDATE tasks SET status = ?, image = NULL, finished = ?, error = ? WHERE id = ? AND status = ?",
                (CANCELLED, time.time(), json.dumps({"messages": [message]}), task_id, PENDING),
            ).rowcount
        return n > 0

    def recover(self) -> tuple[int, int]:
        """After a crash: tasks left Processing go back to Pending (or fail after :data:`MAX_ATTEMPTS`).

        Returns ``(requeued, given_up)``.
        """
        with self._tx() as c:
            given_up = c.execute(
                "UPDATE tasks SET status = ?, image = NULL, finished = ?, error = ? WHERE status = ? AND attempts >= ?",
                (
                    ERROR,
                    time.time(),
                    json.dumps({"messages": [f"the server stopped {MAX_ATTEMPTS} times while running this task; giving up"]}),
                    PROCESSING,
                    MAX_ATTEMPTS,
                ),
            ).rowcount
            requeued = c.execute(
                "UPDATE tasks SET status = ?, started = NULL WHERE status = ?", (PENDING, PROCESSING)
            ).rowcount
        return requeued, given_up

    def purge(self, finished_before: float) -> int:
        """Delete finished tasks older than ``finished_before`` (a time.time() value); returns how many.

        Then :meth:`scrub`: deleted rows must not live on in the write-ahead log or in free pages.
        """
        with self._tx() as c:
            n = c.execute(
                "DELETE FROM tasks WHERE status IN (?, ?, ?) AND finished < ?",
                (COMPLETED, ERROR, CANCELLED, finished_before)
            ).rowcount
        self.scrub()
        return n

    def scrub(self, max_pages: int = 1 << 16) -> bool:
        """Give free pages back (incremental vacuum, at most ``max_pages`` a call) and empty the
        write-ahead log (checkpoint, TRUNCATE), so the bytes of dropped uploads and deleted results
        leave the files; True when the log could be emptied (it waits for readers, briefly)."""
        conn = self._conn()
        with self._write:
            if conn.execute("PRAGMA freelist_count").fetchone()[0]:
                conn.execute(f"PRAGMA incremental_vacuum({int(max_pages)})").fetchall()
            conn.execute("PRAGMA busy_timeout=2000")
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                conn.execute("PRAGMA busy_timeout=30000")
        return not busy

    # ---- reading ------------------------------------------------------------
    def get(self, task_id: str, *, with_results: bool = True) -> Task | None:
        """The task (without its image), or None."""
        cols = _COLUMNS
        if with_results:
            cols += ", results"
        row = self._conn().execute(f"SELECT {cols} FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return None if row is None else _task(row)

    def status(self, task_id: str) -> str | None:
        """The task's status alone (None for an unknown id): a cheap look for waiting requests."""
        row = self._conn().execute("SELECT status FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return None if row is None else row["status"]

    def image(self, task_id: str) -> bytes | None:
        row = self._conn().execute("SELECT image FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return None if row is None or row["image"] is None else bytes(row["image"])

    def counts(self) -> dict[str, int]:
        """Number of tasks per status."""
        rows = self._conn().execute("SELECT status, COUNT(*) AS n FROM tasks GROUP BY status").fetchall()
        out = {s: 0 for s in (PENDING, PROCESSING, COMPLETED, ERROR, CANCELLED)}
        out.update({r["status"]: r["n"] for r in rows})
        return out

    def active(self, lane: str | None = None) -> int:
        """Tasks pending or running (what the queue bound counts), of one ``lane`` or of all."""
        sql, args = "SELECT COUNT(*) AS n FROM tasks WHERE status IN (?, ?)", [PENDING, PROCESSING]
        if lane is not None:
            sql += " AND lane = ?"
            args.append(lane)
        row = self._conn().execute(sql, args).fetchone()
        return int(row["n"])

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal", "-shm"):
            try:
                total += os.path.getsize(self.path + suffix)
            except OSError:
                pass
        return total


class _Transaction:
    """``with store._tx() as conn``: BEGIN IMMEDIATE ... COMMIT under the write lock."""

    def __init__(self, conn, lock):
        self.conn, self.lock = conn, lock

    def __enter__(self):
        self.lock.acquire()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error:
                    self._rollback()  # (a COMMIT that failed, on a full disk say, may leave it open)
                    raise
            else:
                self._rollback()
        finally:
            self.lock.release()
        return False

    def _rollback(self):
        if self.conn.in_transaction:  # (SQLite has rolled back already after SQLITE_FULL and the like)
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the original error is the one to report


def _task(row: sqlite3.Row) -> Task:
    keys = row.keys()
    return Task(
        id=row["id"],
        kind=row["kind"],
        lane=row["lane"],
        status=row["status"],
        params=json.loads(row["params"]),
        client=row["client"],
        image=bytes(row["image"]) if "image" in keys and row["image"] is not None else None,
        results=row["results"] if "results" in keys else None,
        error=row["error"],
        created=row["created"],
        started=row["started"],
        finished=row["finished"],
        attempts=row["attempts"],
    )
