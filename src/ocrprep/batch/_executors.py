"""One small interface over the executors a batch can run on.

* local **threads** (:class:`~concurrent.futures.ThreadPoolExecutor`): the
  default for preprocessing, since every kernel releases the GIL;
* local **processes** (:class:`~concurrent.futures.ProcessPoolExecutor`,
  ``spawn`` start method, workers ignore Ctrl-C so the driver can finish the
  pages in flight, and exit by themselves when the driver is killed): the
  default when recognising, each Tesseract run then lives in its own
  worker's process tree;
* any :class:`concurrent.futures.Executor` the caller passes in;
* a :class:`dask.distributed.Client` (the ``dask`` extra, imported only
  when such a client is given): units are submitted with ``pure=False`` and
  ``retries``; the scheduler re-runs the units of a worker that dies.

Every adapter returns futures with ``add_done_callback``, ``result`` and
``cancel``, which is all the driver uses.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import threading
import time

from .._checks import integer
from .._parallel import cpu_count
from ..errors import InvalidParameterError, ParameterTypeError


def _worker_init(parent: int) -> None:
    """Process-pool worker set-up: ignore Ctrl-C (the driver stops the run) and exit when the
    driver is gone (killed with SIGKILL, it cannot shut its pool down)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), name="ocrprep-parent-watch", daemon=True).start()


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent:  # re-parented: the driver died
            os._exit(1)


def _kill_survivors(procs, grace: float = 5.0) -> None:
    end = time.monotonic() + grace
    for proc in procs:
        try:
            proc.join(max(0.0, end - time.monotonic()))
            if proc.is_alive():
                proc.kill()
        except (OSError, AttributeError, ValueError):  # pragma: no cover - already reaped
            pass


def _ready() -> bool:
    return True


@contextlib.contextmanager
def _sigint_ignored():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def is_dask_client(obj) -> bool:
    mod = type(obj).__module__ or ""
    return mod.split(".", 1)[0] == "distributed" and hasattr(obj, "submit") and hasattr(obj, "nthreads")


class Pool:
    """Adapter base: ``submit(fn, *args)``, ``slots`` (tasks that can run at once), ``close()``."""

    kind = "executor"
    distributed = False
    #: whether the driver should resubmit a unit whose task raised
    driver_retries = True

    def __init__(self, executor, slots: int, owned: bool):
        self.executor = executor
        self.slots = max(1, slots)
        self.owned = owned

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args)

    def recreate(self) -> bool:
        """Replace a broken pool we own (a worker process died); False if we cannot."""
        return False

    def refresh(self) -> None:
        """Update :attr:`slots` (clusters grow and shrink)."""

    def close(self, cancel: bool = False) -> None:
        """Shut down a pool we own: wait for its tasks, or with ``cancel`` (an abort) drop the
        queued ones and return at once."""
        if self.owned:
            self.executor.shutdown(wait=not cancel, cancel_futures=cancel)

    def describe(self) -> str:
        return f"{self.kind} x{self.slots}"


class LocalPool(Pool):
    def __init__(self, kind: str, workers: int):
        self.kind = kind
        self.workers = workers
        super().__init__(self._make(), workers, owned=True)

    def _make(self):
        if self.kind == "threads":
            return cf.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocrprep-batch")
        pool = cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )
        # Start every worker now, with SIGINT ignored from their first instruction
        # (the disposition is inherited): a worker spawned on demand while Ctrl-C
        # is pressed would die importing Python and break the pool.
        try:
            with _sigint_ignored():
                for f in [pool.submit(_ready) for _ in range(self.workers)]:
                    f.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return pool

    def close(self, cancel: bool = False) -> None:
        if cancel and self.kind == "processes":
            # an abort: the pages in flight are dropped (redone next time), so stop the workers now
            procs = list((getattr(self.executor, "_processes", None) or {}).values())
            for proc in procs:
                try:
                    proc.terminate()
                except (OSError, AttributeError):  # pragma: no cover - already gone
                    pass
            if procs:  # a worker that outlives SIGTERM (a library's handler, a stuck call) is killed
                threading.Thread(target=_kill_survivors, args=(procs,), name="ocrprep-reaper", daemon=True).start()
        super().close(cancel)

    def recreate(self) -> bool:
        if self.kind != "processes":
            return False
        try:
            self.executor.shutdown(wait=False, cancel_futures=True)
        except Exception:  # pragma: no cover - a broken pool may complain
            pass
        self.executor = self._make()
        return True


class DaskPool(Pool):
    kind = "dask"
    distributed = True
    driver_retries = False

    def __init__(self, client, retries: int):
        self.retries = retries
        super().__init__(client, 1, owned=False)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.slots = max(1, sum(self.executor.nthreads().values()))
        except Exception:  # pragma: no cover - scheduler unreachable: submit will say so
            pass

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args, pure=False, retries=self.retries)

    def close(self, cancel: bool = False) -> None:
        pass

    def describe(self) -> str:
        return f"dask {getattr(self.executor, 'scheduler_info', lambda: {})().get('address', '')} x{self.slots}".strip()


def make_pool(executor, *, workers=None, recognize=False, retries=2) -> Pool:
    """The adapter for ``executor``: None/'threads'/'processes', an Executor or a Dask client."""
    if workers is not None:
        workers = integer(workers, "workers")
        if workers < 1:
            raise InvalidParameterError(f"workers must be >= 1, got {workers}")
    if executor is None:
        executor = "processes" if recognize else "threads"
    if isinstance(executor, str):
        kind = executor.strip().lower()
        if kind not in ("threads", "processes"):
            raise InvalidParameterError(f"executor must be 'threads', 'processes', an Executor or a Dask client, got {executor!r}")
        return LocalPool(kind, workers or cpu_count())
    if is_dask_client(executor):
        return DaskPool(executor, retries)
    if isinstance(executor, cf.Executor):
        slots = getattr(executor, "_max_workers", None) or workers or cpu_count()
        pool = Pool(executor, slots, owned=False)
        pool.kind = type(executor).__name__
        return pool
    raise ParameterTypeError(
        "executor must be None, 'threads', 'processes', a concurrent.futures.Executor or a "
        f"dask.distributed.Client, got {type(executor).__name__}"
    )


def local_cluster(workers: int):
    """A dask ``LocalCluster`` of ``workers`` single-thread processes, set up for page work.

    Its workers start with Ctrl-C ignored (the driver stops the run cleanly)
    and without Dask's default ``MALLOC_TRIM_THRESHOLD_=65536``: that setting
    makes glibc return every freed A4 page buffer to the kernel, so each new
    page is page-faulted in again; measured, it slows the page work by ~30 %
    and the 2-worker scaling from 1.86x to 1.74x (see BENCHMARKS.md).
    """
    import dask
    from dask.distributed import LocalCluster

    with _sigint_ignored(), dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
