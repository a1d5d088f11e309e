"""The service's files are private to the user running it.

The task database holds every pending upload, every result and the token
signing key, so it is created ``0600`` (its ``-wal`` and ``-shm`` files too;
SQLite gives them the database's permissions) in folders created ``0700``.
A database found readable by other users (made by an older version, or
copied) is made private again and reported as *exposed*: the service then
replaces its token key, since anyone could have read it.

On systems without POSIX permissions (Windows) these calls change nothing.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["private_file", "protect_companions", "is_private", "COMPANIONS"]

#: SQLite's files next to the database
COMPANIONS = ("-wal", "-shm", "-journal")

_POSIX = os.name == "posix"


def _mkdirs_private(folder: Path) -> None:
    """Create ``folder`` and any missing parent with mode 0700 (existing folders are left alone)."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            pass


def is_private(path) -> bool:
    """True when no one but the owner may read or write ``path`` (always True off POSIX)."""
    if not _POSIX:
        return True
    return not (os.stat(path).st_mode & 0o077)


def _make_private(path: Path) -> bool:
    """chmod 0600 a file of ours that others may read; True when it was readable by others."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    if not _POSIX or not (st.st_mode & 0o077) or not stat.S_ISREG(st.st_mode):
        return False
    if st.st_uid == os.getuid():
        os.chmod(path, 0o600)
    return True


def private_file(path, private_folder: bool = False) -> bool:
    """Make sure ``path`` exists as a file only its owner can read; returns True when it existed and
    was readable by others (its content may have been read: secrets in it should be replaced).

    Missing folders are created 0700; ``private_folder`` also makes the file's existing folder 0700
    (used for the default location, which older versions created 0755).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> db = os.path.join(folder, "state", "ocrprep", "tasks.sqlite3")
    >>> private_file(db)
    False
    >>> oct(os.stat(db).st_mode & 0o777), oct(os.stat(os.path.dirname(db)).st_mode & 0o777)
    ('0o600', '0o700')
    >>> os.chmod(db, 0o644)
    >>> private_file(db), oct(os.stat(db).st_mode & 0o777)
    (True, '0o600')
    """
    path = Path(path)
    _mkdirs_private(path.parent)
    if private_folder and _POSIX:
        st = os.stat(path.parent)
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path.parent, 0o700)
    exposed = _make_private(path)
    if not path.exists():
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            os.close(os.open(path, flags, 0o600))
        except FileExistsError:  # created meanwhile by another process: check it like an old one
            exposed = _make_private(path)
    exposed |= protect_companions(path)
    return exposed


def protect_companions(path) -> bool:
    """chmod 0600 the database's ``-wal``/``-shm``/``-journal`` files; True when one was readable by others."""
    exposed = False
    for suffix in COMPANIONS:
        exposed |= _make_private(Path(str(path) + suffix))
    return exposed
