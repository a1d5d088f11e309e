"""What a client is told when the task database cannot take a write.

A full disk (or a database at ``--max-db-size``) is not a bug of the
service: a POST then gets **507 Insufficient Storage**, with the JSON error
body and ``Retry-After``; a database that cannot be written for another
reason (an I/O error, a lock held too long) gets **503**.  Either way the
request's connection stays usable (an unhandled error would close it).

Tasks whose outcome could not be stored are retried by the worker pool
(see :mod:`~ocrprep.service.worker`), never left ``Processing``.
"""
from __future__ import annotations

import errno
import sqlite3

__all__ = ["storage_problem", "is_full", "RETRY_AFTER"]

#: seconds a client refused for lack of storage is asked to wait
RETRY_AFTER = 30

_FULL = {"SQLITE_FULL"}
_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}


def is_full(exc: BaseException) -> bool:
    """True for "database or disk is full" (SQLITE_FULL, ``--max-db-size`` reached) and ENOSPC.

    >>> is_full(sqlite3.OperationalError("database or disk is full"))
    True
    >>> is_full(OSError(errno.ENOSPC, "No space left on device")), is_full(ValueError("x"))
    (True, False)
    """
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", None)
        return name in _FULL if name is not None else "full" in str(exc).lower()
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


def storage_problem(exc: BaseException) -> tuple[int, str, str] | None:
    """``(status, code, message)`` for an error of the task database, or None when ``exc`` is not one.

    >>> storage_problem(sqlite3.OperationalError("database or disk is full"))[:2]
    (507, 'InsufficientStorage')
    >>> storage_problem(sqlite3.OperationalError("disk I/O error"))[:2]
    (503, 'StorageUnavailable')
    >>> storage_problem(KeyError("x")) is None
    True
    """
    if is_full(exc):
        return (507, "InsufficientStorage",
                f"the server cannot store the task now: its disk or task database is full; retry in {RETRY_AFTER} s")
    if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(exc, sqlite3.ProgrammingError):
        name = getattr(exc, "sqlite_errorname", "") or ""
        why = "busy" if name in _BUSY or "locked" in str(exc) else "failing"
        return (503, "StorageUnavailable",
                f"the server cannot store the task now: its task database is {why}; retry in {RETRY_AFTER} s")
    return None
