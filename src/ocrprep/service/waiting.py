"""The GET that waits: a request for a task still pending or running is held until the task ends.

The cloud's SDK examples POST a task and GET its result at once; a server
that answered ``NotReady`` there would break them.  So a GET of an unfinished
task waits (up to ``--result-wait``, 30 s by default) for the task to end, then
answers as usual.  Waiting costs no thread: each waiting request awaits an
:class:`asyncio.Event` on the server's event loop, and the worker thread that
finishes a task (or the request that cancels it) sets the events of that task
with :meth:`asyncio.AbstractEventLoop.call_soon_threadsafe`.  Pollers are
unaffected (a finished task answers at once) and ``/health`` never queues
behind waiting requests.

Waiting is done in slices of :data:`SLICE` seconds so that a server asked to
stop releases its waiting clients within a slice (uvicorn lets open requests
finish before it shuts down).
"""
from __future__ import annotations

import asyncio
import threading
from typing import Callable

__all__ = ["Waiters", "SLICE"]

#: longest single sleep of a waiting request (it then checks whether the server is stopping)
SLICE = 0.5


class Waiters:
    """Events of the tasks someone is waiting for, keyed by task id."""

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[str, set[asyncio.Event]] = {}
        self._lock = threading.Lock()  # _events is touched from the loop only; the lock guards _loop
        self.stopping = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the waiting requests run on (called once the server runs)."""
        with self._lock:
            self._loop = loop

    @property
    def waiting(self) -> int:
        """Requests waiting right now (for /health)."""
        return sum(len(s) for s in self._events.values())

    def done(self, task_id: str) -> None:
        """A task ended (completed, failed or cancelled): wake its waiters.  Thread-safe."""
        with self._lock:
            loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._wake, task_id)
        except RuntimeError:  # the loop closed meanwhile: nobody is waiting any more
            pass

    def _wake(self, task_id: str) -> None:
        for event in self._events.get(task_id, ()):
            event.set()

    def wake_all(self) -> None:
        """The server stops: answer every waiting request now (called on the loop)."""
        self.stopping = True
        for events in self._events.values():
            for event in events:
                event.set()

    async def wait(self, task_id: str, timeout: float, still_running: Callable[[], "asyncio.Future | bool"],
                   stopping: Callable[[], bool] | None = None) -> None:
        """Wait until task ``task_id`` ends, ``timeout`` seconds pass or the server stops.

        ``still_running`` is awaited *after* the event is registered (so an end
        between the caller's first look and the registration is not missed); it
        returns whether the task is still pending or running.
        """
        if timeout <= 0 or self.stopping:
            return
        event = asyncio.Event()
        self._events.setdefault(task_id, set()).add(event)
        try:
            running = still_running()
            if asyncio.iscoroutine(running) or isinstance(running, asyncio.Future):
                running = await running
            if not running:
                return
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while not event.is_set() and not self.stopping:
                if stopping is not None and stopping():
                    return
                left = deadline - loop.time()
                if left <= 0:
                    return
                try:
                    await asyncio.wait_for(event.wait(), min(SLICE, left))
                except asyncio.TimeoutError:
                    pass
        finally:
            events = self._events.get(task_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._events[task_id]
