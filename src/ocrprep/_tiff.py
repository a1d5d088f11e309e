"""The page directories of a multi-page TIFF, walked once: page k in O(k) once, then O(1).

Pillow finds page k by walking the chain of page directories (IFDs) from
page 1, and checks each new directory against a *list* of those seen, so
``seek(k)`` costs O(k^2) on a freshly opened file (17.8 s for page 1 of a
40 000-page TIFF, counted from 0 here) and every reader that opens the file
for one page pays it again.  Here the chain is walked once, with a set,
remembering each directory's offset (:class:`Chain`); the chains of files on
disk are kept (:func:`chain_of`, keyed on the file's identity, size and
modification time), so the next reader of the same file, in this process,
goes straight to its page.  Pillow then reads page k alone through
:class:`PageView`: the file with its header pointing at page k's directory.

Walking a chain reads each directory's entry table once (to find the next
offset and the size of its out-of-line tag data).  Two budgets bound the
work a small hostile file can ask for (Pillow's own budget does this job
when it walks the chain itself): the entry tables may not add up to more
than the file (directories of a real file never overlap), and the tag data
the directories point to may not add up to more than
:data:`TAG_DATA_BUDGET` (16 times the file plus 64 MiB: pages may share a
block such as an ICC profile, but 50 000 directories each pointing at the
same megabyte would have every page read it again).  Where a budget runs
out, the walk stops: that page and those after it are unreachable.
"""
from __future__ import annotations

import io
import mmap
import os
import struct
import threading
from array import array
from collections import OrderedDict

from PIL.TiffImagePlugin import TiffImageFile  # noqa: F401  (io opens single pages with it)

#: Bytes of one value of each TIFF field type (types Pillow ignores count 0).
_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}

#: Tag data all the directories of a file may point to: ``factor`` x the file's size + ``extra`` bytes.
TAG_DATA_BUDGET = (16, 64 << 20)

#: Directory reads by every chain in this process (a test hook for the linear-cost check).
STATS = {"directory_reads": 0}


class Chain:
    """The page directories of one TIFF, walked lazily and never twice.

    ``offsets`` holds the directory offsets found so far (page k at
    ``offsets[k]``); ``end`` is ``None`` while the walk can go on, else
    ``"end"`` (the last page's next-directory offset is 0, or points back
    into the chain, as Pillow reads it) or the reason the chain breaks there.
    """

    def __init__(self, header: bytes, size: int):
        if header[:2] == b"II":
            self.order = "<"
        elif header[:2] == b"MM":
            self.order = ">"
        else:
            raise ValueError("not a TIFF header")
        (magic,) = struct.unpack(self.order + "H", header[2:4])
        self.big = magic == 43
        if self.big:
            if len(header) < 16:
                raise ValueError("truncated BigTIFF header")
            (first,) = struct.unpack(self.order + "Q", header[8:16])
        else:
            (first,) = struct.unpack(self.order + "I", header[4:8])
        self.header = bytes(header[:16] if self.big else header[:8])
        self.size = size
        self.offsets = array("q")
        self.next = first
        self.end: str | None = None if first else "end"
        self._seen: set[int] = set()
        self._budget = {"entries": 0, "tags": 0}
        self.lock = threading.Lock()

    # ------------------------------------------------------------------ #
    def walk(self, fp, start: int, until: int | None = None) -> None:
        """Walk on (reading ``fp``, where the TIFF starts at ``start``) until page ``until`` is
        known (0-based), or to the end of the chain with ``until=None``."""
        with self.lock:
            while self.end is None and (until is None or len(self.offsets) <= until):
                self._step(fp, start)

    def _broken(self, why: str) -> None:
        self.end = why

    def _step(self, fp, start: int) -> None:
        offset = self.next
        if offset in self._seen:  # points back into the chain: Pillow ends the file there too
            self.end = "end"
            return
        page = len(self.offsets) + 1
        count_size, entry_size, value_size = (8, 20, 8) if self.big else (2, 12, 4)
        if offset < len(self.header) or offset + count_size > self.size:
            return self._broken(f"page {page}'s directory offset {offset} is outside the file ({self.size} bytes)")
        STATS["directory_reads"] += 1
        fp.seek(start + offset)
        raw = fp.read(count_size)
        if len(raw) != count_size:
            return self._broken(f"page {page}'s directory is truncated")
        (n,) = struct.unpack(self.order + ("Q" if self.big else "H"), raw)
        table = n * entry_size + (8 if self.big else 4)
        if offset + count_size + table > self.size:
            return self._broken(f"page {page}'s directory ({n} entries) runs past the end of the file")
        self._budget["entries"] += count_size + table
        if self._budget["entries"] > self.size:
            return self._broken(f"the page directories overlap (page {page}'s would be read again)")
        data = fp.read(table)
        if len(data) != table:
            return self._broken(f"page {page}'s directory is truncated")
        fmt = self.order + ("HHQ8x" if self.big else "HHI4x")
        tags = 0
        for _tag, typ, count in struct.iter_unpack(fmt, data[: n * entry_size]):
            nbytes = _TYPE_SIZE.get(typ, 0) * count
            if value_size < nbytes <= self.size:  # (Pillow skips a tag larger than the file)
                tags += nbytes
        self._budget["tags"] += tags
        factor, extra = TAG_DATA_BUDGET
        if self._budget["tags"] > factor * self.size + extra:
            return self._broken(
                f"the page directories point to more tag data than {factor} times the file's size (at page {page})"
            )
        (nxt,) = struct.unpack(self.order + ("Q" if self.big else "I"), data[n * entry_size:])
        self._seen.add(offset)
        self.offsets.append(offset)
        self.next = nxt
        if not nxt:
            self.end = "end"

    # ------------------------------------------------------------------ #
    def count(self, fp, start: int) -> int | None:
        """The number of pages, or ``None`` when the chain breaks before its end."""
        self.walk(fp, start)
        return len(self.offsets) if self.end == "end" else None

    def header_for(self, index: int) -> bytes:
        """The file's header with its first-directory offset pointing at page ``index``'s directory."""
        offset = self.offsets[index]
        if self.big:
            return self.header[:8] + struct.pack(self.order + "Q", offset)
        return self.header[:4] + struct.pack(self.order + "I", offset)


class Backing:
    """The whole TIFF as one buffer, for libtiff (Pillow's decoder of compressed pages).

    Given the file itself, libtiff starts from the file's first page and, to
    reach a page by its offset, counts every page directory of the file
    first: O(pages) per page, O(pages^2) for a file (60 ms a page in a
    40 000-page TIFF).  Given this buffer, whose header names the page being
    decoded, it finds that page at once.  A file on disk is mapped
    copy-on-write (writing the header copies one memory page, never the
    file); other data are copied once per reader.  Made when the first
    compressed page needs it.
    """

    def __init__(self, fp, start: int):
        self._start, self._map, self._buf = start, None, None
        try:
            fileno = fp.fileno()
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            fileno = None
        if fileno is not None:
            try:
                self._map = mmap.mmap(fileno, 0, access=mmap.ACCESS_COPY)
            except (OSError, ValueError):
                self._map = None
        if self._map is None:
            fp.seek(start)
            self._buf = bytearray(fp.read())

    def value(self, header: bytes) -> memoryview:
        """The TIFF with ``header`` in place of its own (valid until the next call)."""
        if self._map is not None:
            self._map[self._start:self._start + len(header)] = header
            return memoryview(self._map)[self._start:]
        self._buf[:len(header)] = header
        return memoryview(self._buf)

    def close(self) -> None:
        if self._map is not None:
            try:
                self._map.close()
            except BufferError:  # a view still alive: the map goes with it
                pass
        self._map = self._buf = None


class PageView(io.RawIOBase):
    """A TIFF file as Pillow should see it to read one page: the given header (whose
    first-directory offset names the page), then the file's own bytes from ``start``.

    Offsets inside the TIFF are unchanged, so strips and tags are read in
    place.  ``backing()`` gives the :class:`Backing` that compressed pages
    are decoded from (see :class:`BufferedPage`).
    """

    def __init__(self, fp, start: int, header: bytes, backing=None):
        super().__init__()
        self._fp, self._start, self._head, self._pos = fp, start, header, 0
        self._backing = backing

    def getvalue(self):
        return self._backing().value(self._head)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._fp.seek(0, io.SEEK_END) - self._start + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        want, done = len(view), 0
        if self._pos < len(self._head):
            k = min(want, len(self._head) - self._pos)
            view[:k] = self._head[self._pos:self._pos + k]
            done = k
        if done < want:
            self._fp.seek(self._start + self._pos + done)
            while done < want:
                got = self._fp.readinto(view[done:])
                if not got:
                    break
                done += got
        self._pos += done
        return done

    def fileno(self) -> int:
        # no descriptor: libtiff must decode from getvalue() (this page's header), not from the file
        raise io.UnsupportedOperation("a TIFF page view has no file descriptor")


class BufferedPage(io.BufferedReader):
    """A buffered :class:`PageView` (Pillow reads a directory a few bytes at a time); its
    ``getvalue()`` makes Pillow hand libtiff the :class:`Backing` buffer."""

    def getvalue(self):
        return self.raw.getvalue()


# --------------------------------------------------------------------------- #
# chains of files on disk, kept for the next reader
# --------------------------------------------------------------------------- #
#: Chains kept (least recently used dropped first).
CACHE_SIZE = 64

_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def file_key(fp):
    """The identity of the file behind ``fp`` (device, inode, size, modification time), or None."""
    try:
        st = os.fstat(fp.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def chain_of(fp, start: int, size: int, key=None) -> Chain:
    """The :class:`Chain` of the TIFF in ``fp`` at ``start`` (``size`` bytes from there): the one
    kept for ``key`` (see :func:`file_key`) when there is one, else a new one (kept under ``key``)."""
    if key is not None:
        key = (key, start)
        with _cache_lock:
            chain = _cache.get(key)
            if chain is not None:
                _cache.move_to_end(key)
                return chain
    fp.seek(start)
    chain = Chain(fp.read(16), size)
    if key is not None:
        with _cache_lock:
            chain = _cache.setdefault(key, chain)
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return chain
