"""Browser-facing protections: cross-origin requests are refused.

A web page on another site can make a visitor's browser send "simple"
requests (a ``text/plain`` or form POST) to any address, including a service
on ``127.0.0.1``: without a token check (``--no-auth``) that page could
submit jobs.  :class:`SameOriginGuard` refuses, with 403 and the service's
JSON error body, every request a browser marks as coming from another
origin:

* an ``Origin`` header whose host and port differ from the ``Host`` the
  request was sent to (``Origin: null`` -- sandboxed frames, ``file://`` --
  included);
* ``Sec-Fetch-Site: cross-site`` or ``same-site`` on a request that may
  change something (any method but GET, HEAD, OPTIONS);
* with ``--no-auth`` on a loopback address, a browser request whose ``Host``
  is not a loopback name (``localhost``, ``127.0.0.1``, ``[::1]``): a page
  on ``evil.example`` whose name was re-pointed at ``127.0.0.1`` (DNS
  rebinding) is same-origin to the browser, not to the service.

Requests without these headers (curl, SDKs, scripts) are not browser
requests and pass; so do the service's own pages (their requests are
same-origin) and links from other sites to ``/`` (a navigation sends no
``Origin``).
"""
from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

__all__ = ["SameOriginGuard", "cross_origin_problem", "is_loopback_host"]

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` (and ``*.localhost``) and loopback addresses.

    >>> is_loopback_host("localhost"), is_loopback_host("127.0.0.1"), is_loopback_host("::1")
    (True, True, True)
    >>> is_loopback_host("0.0.0.0"), is_loopback_host("evil.example")
    (False, False)
    """
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_host(value: str, default_port: int | None) -> tuple[str, int | None] | None:
    """``(host, port)`` of a ``Host`` header value (``example.com:8080``, ``[::1]:80``), or None."""
    try:
        parts = urlsplit("//" + value.strip())
        return (parts.hostname or "").lower(), parts.port or default_port
    except ValueError:
        return None


def cross_origin_problem(method: str, headers: dict[str, str], *, loopback_only: bool = False) -> str | None:
    """Why a request must be refused as cross-origin, or None (``headers``: lower-case names).

    >>> cross_origin_problem("POST", {"host": "127.0.0.1:8080", "origin": "http://127.0.0.1:8080"}) is None
    True
    >>> cross_origin_problem("POST", {"host": "127.0.0.1:8080", "origin": "http://evil.example"})
    "cross-origin request refused: the page at 'http://evil.example' may not use this service"
    >>> cross_origin_problem("POST", {"host": "127.0.0.1:8080"}) is None  # curl, SDKs: no Origin
    True
    """
    origin = headers.get("origin")
    fetch_site = headers.get("sec-fetch-site", "").lower()
    host_header = headers.get("host", "")
    if origin is not None:
        parts = None
        try:
            parts = urlsplit(origin.strip())
            origin_host = (parts.hostname or "").lower()
            origin_port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:
            origin_host = ""
        if not origin_host or parts is None or parts.scheme.lower() not in _DEFAULT_PORTS:
            return f"cross-origin request refused: the page's origin {origin[:100]!r} may not use this service"
        target = _split_host(host_header, _DEFAULT_PORTS.get(parts.scheme.lower()))
        # behind a TLS proxy the Origin is https://name while Host may carry no port: compare names,
        # and ports when both are known
        if target is None or target[0] != origin_host or (target[1] not in (None, origin_port)):
            return f"cross-origin request refused: the page at {origin[:100]!r} may not use this service"
    elif fetch_site in ("cross-site", "same-site") and method.upper() not in _SAFE_METHODS:
        return "cross-origin request refused: a page of another site may not use this service"
    if loopback_only and (origin is not None or fetch_site):
        target = _split_host(host_header, None)
        if target is None or not is_loopback_host(target[0]):
            return ("request refused: without authentication (--no-auth) this service answers browsers only "
                    "under a loopback name (localhost, 127.0.0.1, [::1]), not "
                    f"{host_header[:100]!r} (a DNS-rebinding page would look same-origin)")
    return None


class SameOriginGuard:
    """ASGI middleware answering cross-origin browser requests with 403 (see the module docstring).

    Parameters
    ----------
    app : ASGI application
    loopback_only : bool
        Also refuse browser requests whose ``Host`` is not a loopback name
        (set by the app for ``--no-auth`` on a loopback ``--host``).
    """

    def __init__(self, app, *, loopback_only: bool = False):
        self.app = app
        self.loopback_only = loopback_only

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = {}
            for k, v in scope.get("headers", ()):
                name = k.decode("latin-1").lower()
                if name in ("origin", "host", "sec-fetch-site"):
                    headers[name] = v.decode("latin-1")
            problem = cross_origin_problem(scope.get("method", "GET"), headers, loopback_only=self.loopback_only)
            if problem is not None:
                body = json.dumps({"status": 403, "code": "CrossOriginRefused", "detail": problem,
                                   "error": {"messages": [problem]}}).encode()
                await send({"type": "http.response.start", "status": 403, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
