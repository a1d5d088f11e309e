"""How ``ocrprep serve`` runs uvicorn: the listening sockets, and limits on connections.

The sockets are bound before the task database is opened and before the
service announces its start-up, so an address in use (or a port the user
may not bind) ends ``ocrprep serve`` at once with one line on stderr and
exit status :data:`EXIT_CANNOT_LISTEN` -- not a JSON log record after
"startup complete".

Connections are bounded in number and in time (:func:`guarded_protocol`):
at most ``--max-connections`` are open (lowered to fit the process's
open-files limit, which is raised to its hard limit first); request headers
must arrive within ``--header-timeout`` and bodies at
:data:`MIN_BODY_RATE` bytes/s; kept-alive connections idle for
``--keep-alive`` are closed.  So idle or slow sockets (slowloris) cannot
exhaust file descriptors, and the server never gets to the point where
``accept()`` fails; were it to, those errors are logged at a bounded rate
(see :class:`~ocrprep.service.logs.RepeatFilter`).
"""
from __future__ import annotations

import errno
import socket

__all__ = ["EXIT_CANNOT_LISTEN", "ListenError", "bind", "ConnectionLimits", "guarded_protocol",
           "raise_open_files_limit", "effective_max_connections", "MIN_BODY_RATE"]

#: exit status of ``ocrprep serve`` when it cannot listen on ``--host``/``--port``
EXIT_CANNOT_LISTEN = 3


class ListenError(OSError):
    """The service cannot listen on the address it was given (the message says why, in one line)."""


def _where(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def bind(host: str, port: int, backlog: int = 2048) -> list[socket.socket]:
    """Listening TCP sockets for ``host``/``port`` (one per address ``host`` resolves to).

    Raises :class:`ListenError` naming the address and the reason (in use,
    permission denied, unknown host, ...).

    Examples
    --------
    >>> socks = bind("127.0.0.1", 0)
    >>> socks[0].getsockname()[0]
    '127.0.0.1'
    >>> try:
    ...     bind("127.0.0.1", socks[0].getsockname()[1])
    ... except ListenError as exc:
    ...     print("in use" in str(exc))
    True
    >>> for s in socks:
    ...     s.close()
    """
    where = _where(host, port)
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ListenError(f"cannot listen on {where}: unknown host ({exc.strerror})") from None
    socks: list[socket.socket] = []
    seen = set()
    try:
        for family, kind, proto, _, addr in infos:
            if (family, addr) in seen:
                continue
            seen.add((family, addr))
            sock = socket.socket(family, kind, proto)
            socks.append(sock)
            if hasattr(socket, "SO_REUSEADDR") and family != getattr(socket, "AF_UNIX", None):
                # a restart may bind while the previous process's connections sit in TIME_WAIT
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)  # "localhost": ::1 and 127.0.0.1 apart
            if port != addr[1]:  # port 0: the free port the first address got
                addr = (addr[0], port) + tuple(addr[2:])
            sock.bind(addr)
            if port == 0:
                port = sock.getsockname()[1]  # every address of the host on the same free port
            sock.listen(backlog)
            sock.setblocking(False)
            sock.set_inheritable(True)
    except OSError as exc:
        for s in socks:
            s.close()
        if exc.errno == errno.EADDRINUSE:
            reason = "the address is already in use (another server on this port? choose another with --port)"
        elif exc.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges)"
        elif exc.errno == errno.EADDRNOTAVAIL:
            reason = "no interface of this machine has that address (--host)"
        else:
            reason = exc.strerror or str(exc)
        error = ListenError(f"cannot listen on {where}: {reason}")
        error.errno = exc.errno
        raise error from None
    if not socks:  # pragma: no cover - getaddrinfo returns at least one address or raises
        raise ListenError(f"cannot listen on {where}: the host has no address")
    return socks


# --------------------------------------------------------------------------- #
# connections: how many, and how long they may idle or trickle
# --------------------------------------------------------------------------- #
#: the least average rate of a request body, after the first ``header_timeout`` seconds of it
MIN_BODY_RATE = 32 << 10
#: file descriptors kept free for the database, Tesseract's pipes, logs, ... under the open-files limit
FD_RESERVE = 128


class ConnectionLimits:
    """What :func:`guarded_protocol` enforces, and what it counted (for logs and tests).

    Parameters
    ----------
    max_connections : int
        Open connections at most; one more is answered 503 and closed at once.
    header_timeout : float
        Seconds a connection may take to send a request's line and headers (from its opening,
        or from the end of the previous response).  A request body must then arrive at
        :data:`MIN_BODY_RATE` bytes/s on average once it has taken this long.
    """

    def __init__(self, max_connections: int, header_timeout: float):
        self.max_connections = int(max_connections)
        self.header_timeout = float(header_timeout)
        self.refused = 0  # connections over max_connections
        self.timed_out = 0  # connections closed for idling or trickling


def raise_open_files_limit() -> int:
    """Raise this process's soft open-files limit to its hard limit; returns the soft limit now in force."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 1 << 16
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 16
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = (1 << 16) if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), hard))
            soft = max(soft, target)
        except (ValueError, OSError):
            pass
    return soft


def effective_max_connections(wanted: int, open_files: int) -> int:
    """``wanted``, lowered to fit under the open-files limit with :data:`FD_RESERVE` descriptors to spare.

    >>> effective_max_connections(1000, 1024), effective_max_connections(1000, 65536)
    (896, 1000)
    """
    return min(int(wanted), max(16, int(open_files) - FD_RESERVE))


_BUSY_CONNECTION = (
    "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {n}\r\n"
    "retry-after: 1\r\nconnection: close\r\n\r\n{body}"
)
_TIMEOUT_RESPONSE = (
    "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {n}\r\n"
    "connection: close\r\n\r\n{body}"
)


def _raw_response(template: str, status: int, code: str, message: str) -> bytes:
    import json

    body = json.dumps({"status": status, "code": code, "detail": message, "error": {"messages": [message]}})
    return template.format(n=len(body), body=body).encode("latin-1")


def guarded_protocol(base, limits: ConnectionLimits):
    """A subclass of uvicorn's HTTP protocol class ``base`` that enforces ``limits``:

    * past ``max_connections`` open connections, a new one gets a 503 (JSON body,
      ``Retry-After: 1``) and is closed at once, so idle sockets cannot use up the
      process's file descriptors;
    * a connection that has not sent a whole request line and headers within
      ``header_timeout`` (a fresh connection that sends nothing, a slowloris, a
      kept-alive connection trickling its next request) gets 408 and is closed;
    * a request body arriving slower than :data:`MIN_BODY_RATE` on average, once it
      has taken ``header_timeout``, is cut off (the connection is closed).

    Idle kept-alive connections are closed by uvicorn's own keep-alive timeout.
    """
    import time

    refuse = _raw_response(_BUSY_CONNECTION, 503, "TooManyConnections",
                           "the server has as many open connections as it allows; retry in a second")
    late = _raw_response(_TIMEOUT_RESPONSE, 408, "RequestTimeout",
                         f"the request line and headers did not arrive within {limits.header_timeout:g} s")
    tick = max(0.05, min(1.0, limits.header_timeout / 4))

    class GuardedProtocol(base):
        _guard_refused = False
        _guard_timer = None

        def connection_made(self, transport):
            if len(self.connections) >= limits.max_connections:
                limits.refused += 1
                self._guard_refused = True
                try:
                    transport.write(refuse)
                finally:
                    transport.close()
                return
            super().connection_made(transport)
            now = time.monotonic()
            self._guard_bytes = 0
            self._guard_wait_since = now  # waiting for a request's headers since then
            self._guard_cycle = None
            self._guard_cycle_start = now
            self._guard_cycle_bytes = 0
            self._guard_timer = self.loop.call_later(tick, self._guard_tick)

        def data_received(self, data):
            self._guard_bytes += len(data)
            super().data_received(data)

        def connection_lost(self, exc):
            if self._guard_timer is not None:
                self._guard_timer.cancel()
                self._guard_timer = None
            if self._guard_refused:
                return  # never registered with uvicorn
            super().connection_lost(exc)

        def _guard_close(self, response: bytes | None) -> None:
            limits.timed_out += 1
            if response is not None:
                try:
                    self.transport.write(response)
                except Exception:  # pragma: no cover - a transport closing under us
                    pass
            self.transport.close()

        def _guard_tick(self) -> None:
            self._guard_timer = None
            if self.transport is None or self.transport.is_closing():
                return
            now = time.monotonic()
            cycle = self.cycle
            if cycle is not self._guard_cycle:  # a new request: its headers are complete
                self._guard_cycle = cycle
                self._guard_cycle_start = now
                self._guard_cycle_bytes = self._guard_bytes
                self._guard_wait_since = None
            if cycle is not None and getattr(cycle, "more_body", False):
                # its body is still arriving (also after an early answer, while uvicorn discards it)
                took = now - self._guard_cycle_start
                got = self._guard_bytes - self._guard_cycle_bytes
                if took > limits.header_timeout and got < MIN_BODY_RATE * (took - limits.header_timeout):
                    self._guard_close(None)
                    return
            elif cycle is None or cycle.response_complete:
                # between requests: the next request's headers must come within header_timeout
                if self._guard_wait_since is None:
                    self._guard_wait_since = now
                if now - self._guard_wait_since > limits.header_timeout:
                    self._guard_close(late)
                    return
            self._guard_timer = self.loop.call_later(tick, self._guard_tick)

    GuardedProtocol.__name__ = GuardedProtocol.__qualname__ = f"Guarded{base.__name__}"
    return GuardedProtocol
