"""The worker pool: threads that take queued tasks from the store and run them.

Two lanes, so a burst of slow recognitions never holds up quick image jobs:

* ``kernel`` (``--workers`` threads): BinarizeImage and Preprocess.  The
  ocrprep kernels release the GIL, so these threads run truly in parallel.
* ``ocr`` (``--ocr-workers`` threads): RecognizeImage.  Each thread prepares
  the page (GIL-free kernels again) and drives one ``tesseract`` process, so
  up to ``--ocr-workers`` Tesseract processes run side by side (each limited
  to one OpenMP thread by :class:`ocrprep.OcrEngine`).

Tasks are claimed from SQLite in submission order; a submission wakes one
idle thread of its lane at once (threads also look again every few seconds,
which picks up tasks recovered after a restart).  The decoded page of a
fresh submission is handed over in memory (:class:`PageCache`, bounded in
bytes); after a restart, or when the cache is full, the worker decodes the
stored bytes again.

A long task never holds up short ones: the kernel lane has one *spare*
thread, which works only while every regular thread of the lane has been
busy for more than ``spare_after`` seconds (``--spare-after``, default
:data:`LONG_TASK`), and then takes the smallest
waiting task (by upload size and filter count).  So two huge pipelines
running on both workers do not make a 20x20 binarization wait for them.
Every task runs under its time budget (``task_timeout``, see
:mod:`~ocrprep.service.budget`).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

import numpy as np

from ..errors import OcrprepError
from .logs import LOGGER, fields
from .budget import Deadline
from .limits import trim_memory
from .store import MAX_ATTEMPTS, TaskStore
from .tasks import RequestError, check_sizes, decode_stored, execute

__all__ = ["WorkerPool", "PageCache", "LANES"]

LANES = ("kernel", "ocr")
log = logging.getLogger(LOGGER)

#: seconds after which a running task counts as long (when every regular worker of the kernel
#: lane runs a long task, the spare thread takes the smallest waiting one)
LONG_TASK = 1.0
#: lanes with a spare thread (recognitions are all long: a spare would only add a Tesseract process)
SPARE_LANES = ("kernel",)


class PageCache:
    """Decoded pages waiting for their worker, at most ``max_bytes`` in total."""

    def __init__(self, max_bytes: int):
        self.max_bytes = int(max_bytes)
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, key: str, img: np.ndarray) -> bool:
        with self._lock:
            if self._bytes + img.nbytes > self.max_bytes:
                return False
            self._items[key] = img
            self._bytes += img.nbytes
            return True

    def pop(self, key: str) -> np.ndarray | None:
        with self._lock:
            img = self._items.pop(key, None)
            if img is not None:
                self._bytes -= img.nbytes
            return img

    @property
    def nbytes(self) -> int:
        return self._bytes


class WorkerPool:
    """Runs queued tasks.

    Parameters
    ----------
    store : TaskStore
    workers : dict lane -> number of threads
    max_pixels : int
        Cap used when a page must be decoded again from the store.
    threads : int
        Threads per kernel call.
    on_finished : callable(lane, seconds), optional
        Called after every task (the app frees a queue slot there).
    ocr_timeout : float, optional
        Seconds Tesseract may spend on one page (the task fails beyond).
    task_timeout : float, optional
        Time budget of one task in seconds (checked between its steps).
    spare_after : float, optional
        A kernel-lane task running longer is *long*; while every regular thread runs a long task,
        a spare thread takes the smallest waiting task (0 or None: no spare thread).
    """

    def __init__(self, store: TaskStore, workers: dict, *, max_pixels: int, threads: int = 1,
                 cache: PageCache | None = None, on_finished=None, engine=None, ocr_timeout: float | None = None,
                 task_timeout: float | None = None,
                 spare_after: float | None = LONG_TASK):
        self.store = store
        self.workers = {lane: int(workers.get(lane, 0)) for lane in LANES}
        self.max_pixels = max_pixels
        self.threads = threads
        self.cache = cache or PageCache(0)
        self.on_finished = on_finished
        self.engine = engine
        self.ocr_timeout = ocr_timeout
        self.task_timeout = task_timeout
        self.spare_after = spare_after  # (0 or None: no spare thread)
        self._running = {lane: {} for lane in LANES}  # lane -> {regular thread id: start of its task}
        self._unsettled: dict[str, tuple[str, int]] = {}  # task id -> (lane, attempts): outcome not stored
        self._settle_lock = threading.Lock()
        self._trimmed = 0.0  # when memory was last given back (see _trim_when_idle)
        self._trim_timer: threading.Timer | None = None
        #: called with the task id once a task's outcome is stored (wakes the GETs waiting for it)
        self.on_task_done = None
        self._cv = {lane: threading.Condition() for lane in LANES}
        self._gen = {lane: 0 for lane in LANES}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._busy = {lane: 0 for lane in LANES}
        self._busy_lock = threading.Lock()
        self.done = {lane: 0 for lane in LANES}
        self._mean = {lane: None for lane in LANES}  # running mean task time per lane (s)

    # ---- life cycle ---------------------------------------------------------
    def start(self) -> None:
        for lane in LANES:
            for i in range(self.workers[lane]):
                t = threading.Thread(target=self._run, args=(lane,), name=f"ocrprep-{lane}-{i}", daemon=True)
                t.start()
                self._threads.append(t)
            if lane in SPARE_LANES and self.workers[lane] and self.spare_after:
                t = threading.Thread(target=self._run_spare, args=(lane,), name=f"ocrprep-{lane}-spare", daemon=True)
                t.start()
                self._threads.append(t)

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask every thread to stop after its current task; True when all have stopped in time.

        A task still running when the process exits stays ``Processing`` in
        the store and is queued again at the next start.
        """
        self._stop.set()
        timer = self._trim_timer
        if timer is not None:
            timer.cancel()
        for lane in LANES:
            with self._cv[lane]:
                self._cv[lane].notify_all()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    def notify(self, lane: str) -> None:
        """A task was queued on ``lane``: wake one idle thread."""
        cv = self._cv[lane]
        with cv:
            self._gen[lane] += 1
            cv.notify()

    # ---- state --------------------------------------------------------------
    def busy(self) -> dict:
        with self._busy_lock:
            return dict(self._busy)

    def mean_seconds(self, lane: str) -> float | None:
        return self._mean[lane]

    # ---- the loop -------------------------------------------------------------
    def _run(self, lane: str) -> None:
        cv = self._cv[lane]
        while not self._stop.is_set():
            with cv:
                gen = self._gen[lane]
            if self._unsettled:
                self._settle()
            try:
                task = self.store.claim(lane)
            except Exception:  # a locked or failing disk: wait and try again
                log.exception("cannot claim a task", **fields(lane=lane))
                self._stop.wait(1.0)
                continue
            if task is None:
                with cv:
                    if self._gen[lane] == gen and not self._stop.is_set():
                        cv.wait(timeout=2.0)
                continue
            self._process(lane, task, regular=True)

    def _all_long(self, lane: str) -> bool:
        """Every regular thread of ``lane`` runs a task started more than ``spare_after`` s ago."""
        with self._busy_lock:
            starts = list(self._running[lane].values())
        return len(starts) >= self.workers[lane] and time.monotonic() - max(starts) > self.spare_after

    def _run_spare(self, lane: str) -> None:
        """The spare thread: the smallest waiting task, but only while every regular thread is on a long one."""
        # (it polls rather than waits on the lane's condition: a notify() must wake a regular thread)
        while not self._stop.wait(min(1.0, self.spare_after / 4)):
            if not self._all_long(lane):
                continue
            try:
                task = self.store.claim(lane, smallest=True)
            except Exception:
                log.exception("cannot claim a task", **fields(lane=lane))
                self._stop.wait(1.0)
                continue
            if task is not None:
                log.info("spare worker takes a task", **fields(task=task.id, lane=lane))
                self._process(lane, task, regular=False)

    def _process(self, lane, task, regular: bool = True) -> None:
        me = threading.get_ident()
        with self._busy_lock:
            self._busy[lane] += 1
            if regular:
                self._running[lane][me] = time.monotonic()
        t0 = time.perf_counter()
        deadline = Deadline(self.task_timeout)
        outcome = "error"
        try:
            img = self.cache.pop(task.id)
            if img is None:  # after a restart, or the cache was full: decode the stored upload
                raw = self.store.image(task.id)
                if raw is None:
                    raise OcrprepError("the submitted image is missing from the store")
                img = decode_stored(task.kind, raw, self.max_pixels)
                del raw
            # checked at submission too; again here for tasks queued before a restart with a lower cap
            check_sizes(task.kind, task.params, img.shape, self.max_pixels)
            results, warnings = execute(task.kind, task.params, img, threads=self.threads, engine=self.engine,
                                        ocr_timeout=self.ocr_timeout, deadline=deadline)
            del img
        except (OcrprepError, RequestError) as exc:
            self._finish(task, fail=[str(exc)])
        except MemoryError:
            self._finish(task, fail=["not enough memory to process this image"])
        except Exception as exc:  # a bug: report it, keep serving
            log.exception("task crashed", **fields(task=task.id, kind=task.kind))
            self._finish(task, fail=[f"internal error ({type(exc).__name__}: {exc})"])
        else:
            outcome = "completed"
            self._finish(task, results=results, warnings=warnings)
        finally:
            seconds = time.perf_counter() - t0
            with self._busy_lock:
                self._busy[lane] -= 1
                self._running[lane].pop(me, None)
                self.done[lane] += 1
                m = self._mean[lane]
                self._mean[lane] = seconds if m is None else 0.8 * m + 0.2 * seconds
            settled = task.id not in self._unsettled
            log.info("task finished", **fields(task=task.id, kind=task.kind, outcome=outcome if settled else "unstored",
                                               attempt=task.attempts, seconds=round(seconds, 4)))
            if self.on_finished is not None and settled:  # (an unstored task still holds its queue slot)
                self.on_finished(lane, seconds)
            self._trim_when_idle()

    def _trim_when_idle(self) -> None:
        """The pool has nothing running: give the pages' memory back to the system (at most every
        2 s; a trim skipped for that reason is done 2 s later if the pool is still idle)."""
        with self._busy_lock:
            if any(self._busy.values()):
                return
            wait = 2.0 - (time.monotonic() - self._trimmed)
            if wait > 0:
                if self._trim_timer is None and not self._stop.is_set():
                    self._trim_timer = threading.Timer(wait, self._deferred_trim)
                    self._trim_timer.daemon = True
                    self._trim_timer.start()
                return
            self._trimmed = time.monotonic()
        trim_memory()

    def _deferred_trim(self) -> None:
        with self._busy_lock:
            self._trim_timer = None
        self._trim_when_idle()

    def _finish(self, task, *, results=None, warnings=None, fail=None) -> None:
        self.cache.pop(task.id)  # whatever happened, no page of a finished task stays in memory
        try:
            if fail is not None:
                self.store.fail(task.id, fail)
            else:
                self.store.complete(task.id, results, warnings)
        except Exception as exc:
            # a full disk, most likely: the task must not stay Processing until a restart --
            # _settle() puts it back in the queue (or fails it) as soon as the store takes writes again
            log.error("cannot store the outcome of a task: it will run again", **fields(task=task.id, error=str(exc)))
            with self._busy_lock:
                self._unsettled[task.id] = (task.lane, task.attempts)
            return
        if self.on_task_done is not None:
            self.on_task_done(task.id)

    def _settle(self) -> None:
        """Requeue the tasks whose outcome could not be stored (fail them after MAX_ATTEMPTS runs)."""
        if not self._settle_lock.acquire(blocking=False):
            return  # another thread is at it
        try:
            self._settle_locked()
        finally:
            self._settle_lock.release()

    def _settle_locked(self) -> None:
        with self._busy_lock:
            pending = list(self._unsettled.items())
        for task_id, (lane, attempts) in pending:
            try:
                if attempts >= MAX_ATTEMPTS:
                    self.store.fail(task_id, [f"the result could not be stored after {attempts} attempts "
                                              f"(the server's disk or task database is full); send the task again"])
                    requeued = False
                else:
                    requeued = self.store.requeue(task_id)
            except Exception:
                return  # still cannot write: try again on the next round
            with self._busy_lock:
                self._unsettled.pop(task_id, None)
            log.info("unstored task settled", **fields(task=task_id, requeued=requeued))
            if requeued:
                self.notify(lane)
                continue
            if self.on_finished is not None:
                self.on_finished(lane, 0.0)
            if self.on_task_done is not None:
                self.on_task_done(task_id)
