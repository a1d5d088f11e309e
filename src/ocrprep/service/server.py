"""How ``ocrprep serve`` runs uvicorn: the listening sockets, bound before anything starts.

The sockets are bound before the task database is opened and before the
service announces its start-up, so an address in use (or a port the user
may not bind) ends ``ocrprep serve`` at once with one line on stderr and
exit status :data:`EXIT_CANNOT_LISTEN` -- not a JSON log record after
"startup complete".
"""
from __future__ import annotations

import errno
import socket

__all__ = ["EXIT_CANNOT_LISTEN", "ListenError", "bind"]

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
