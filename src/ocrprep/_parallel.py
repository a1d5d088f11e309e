"""Row-band parallelism for the GIL-free kernels.

Every kernel exposes a ``nogil`` function that fills output rows
``[y0, y1)``; this module splits the image into bands and runs them on a
shared thread pool.  Pool workers only ever run such leaf functions (never
code that waits on the pool), so nested use cannot deadlock.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

#: Below this many pixels a kernel runs on the calling thread: the hand-off
#: costs more than it saves.
PARALLEL_MIN_PIXELS = 1 << 19

_pool = None
_pool_lock = threading.Lock()


def cpu_count() -> int:
    """Cores this process may run on (respects affinity masks and cgroups' cpusets)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def auto_threads(npixels: int) -> int:
    return cpu_count() if npixels >= PARALLEL_MIN_PIXELS else 1


def _get_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(
                    max_workers=max(2, cpu_count()), thread_name_prefix="ocrprep-kernel"
                )
    return _pool


def bands(height: int, parts: int) -> list[tuple[int, int]]:
    """Split ``range(height)`` into at most ``parts`` contiguous, nearly equal bands."""
    parts = max(1, min(parts, height))
    step, extra = divmod(height, parts)
    out, y = [], 0
    for i in range(parts):
        n = step + (1 if i < extra else 0)
        out.append((y, y + n))
        y += n
    return out


#: Each worker gets about this many bands, pulled from a shared queue: a
#: pool thread that starts late (its core busy, a cold wake-up) then takes
#: fewer bands instead of leaving the caller waiting on one big band.
BANDS_PER_THREAD = 4


def run_bands(fn, height: int, threads: int, min_rows: int = 1):
    """Call ``fn(y0, y1)`` over bands covering ``range(height)``; return the results.

    ``fn`` must release the GIL for the bands to run in parallel.  ``threads``
    workers (the calling thread and ``threads - 1`` pool threads) pull bands
    of at least ``min_rows`` rows from a shared queue, so the split adapts to
    whichever thread is actually running.  Results come back in band order.
    """
    parts = min(threads, max(1, height // max(1, min_rows)))
    if parts <= 1:
        return [fn(0, height)]
    nbands = min(parts * BANDS_PER_THREAD, max(parts, height // max(1, min_rows)))
    spans = bands(height, nbands)
    results = [None] * len(spans)
    claim = iter(range(len(spans)))
    lock = threading.Lock()
    failed = []

    def worker():
        while not failed:
            with lock:
                i = next(claim, None)
            if i is None:
                return
            try:
                results[i] = fn(*spans[i])
            except BaseException as exc:  # re-raised by the caller below
                failed.append(exc)
                return

    pool = _get_pool()
    futures = [pool.submit(worker) for _ in range(parts - 1)]
    try:
        worker()
    finally:
        # Never return (or raise) while a band may still write into the output.
        for f in futures:
            f.exception()
    if failed:
        raise failed[0]
    return results
