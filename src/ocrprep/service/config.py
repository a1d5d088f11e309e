"""Settings of ``ocrprep serve``: defaults, environment variables, command-line flags.

Every setting has an environment variable (``OCRPREP_SERVICE_<NAME>``) and
a flag of ``ocrprep serve``; a flag beats the variable, the variable beats
the default.

=====================  ================================  =================================================
flag                   environment variable              meaning (default)
=====================  ================================  =================================================
--host                 OCRPREP_SERVICE_HOST              interface to listen on (127.0.0.1)
--port                 OCRPREP_SERVICE_PORT              TCP port (8080)
--db                   OCRPREP_SERVICE_DB                SQLite file of tasks and results
                                                         ($XDG_STATE_HOME/ocrprep/service.sqlite3)
--no-auth              OCRPREP_SERVICE_NO_AUTH=1         accept requests without a bearer token
--auth                 OCRPREP_SERVICE_NO_AUTH=0         require a bearer token (the default; the flag
                                                         overrides OCRPREP_SERVICE_NO_AUTH=1)
--client-file PATH     OCRPREP_SERVICE_CLIENT_FILE       API clients, one ID:SECRET a line (# comments)
--client ID:SECRET     OCRPREP_SERVICE_CLIENTS           API clients (comma-separated ID:SECRET pairs); the
                                                         flag shows the secret to every local user (ps):
                                                         prefer the file or the variable
--token-ttl            OCRPREP_SERVICE_TOKEN_TTL         lifetime of an access token (1h, at most 24h)
(none)                 OCRPREP_SERVICE_TOKEN_SECRET      token signing key (default: random, kept in the DB)
--retention            OCRPREP_SERVICE_RETENTION         how long finished results are kept (24h)
--queue-size           OCRPREP_SERVICE_QUEUE_SIZE        tasks pending or running per lane before 429 (100):
                                                         each lane has its own bound (see below)
--ocr-queue-size       OCRPREP_SERVICE_OCR_QUEUE_SIZE    bound of the recognition lane (--queue-size)
--max-body             OCRPREP_SERVICE_MAX_BODY          largest request body (64MB)
--max-db-size          OCRPREP_SERVICE_MAX_DB_SIZE       largest task database (no limit but the disk's): past
                                                         it, POSTs get 507 as on a full disk
--upload-budget        OCRPREP_SERVICE_UPLOAD_BUDGET     request bodies read and decoded at once (256MB, at
                                                         least --max-body); beyond it 503 with Retry-After
--max-pixels           OCRPREP_SERVICE_MAX_PIXELS        largest image, width x height (80000000); also
                                                         the largest page any step of a task may make
--workers              OCRPREP_SERVICE_WORKERS           threads running the kernels (cores)
--ocr-workers          OCRPREP_SERVICE_OCR_WORKERS       Tesseract processes in parallel (cores)
--threads              OCRPREP_SERVICE_THREADS           threads per kernel call (1)
--ocr-timeout          OCRPREP_SERVICE_OCR_TIMEOUT       time Tesseract may spend on one page (5m)
--task-timeout         OCRPREP_SERVICE_TASK_TIMEOUT      time budget of one task, checked between its steps
                                                         (filters, binarization, encoding) (2m)
--spare-after          OCRPREP_SERVICE_SPARE_AFTER       when every image worker has run its task this long, a
                                                         spare worker takes the smallest waiting image job
                                                         (1s; 0: no spare worker)
--result-wait          OCRPREP_SERVICE_RESULT_WAIT       how long a GET of a task still pending or running
                                                         waits for it to end before answering (30s; 0:
                                                         answer at once)
--max-connections      OCRPREP_SERVICE_MAX_CONNECTIONS   open connections at most (1000, lowered to fit the
                                                         open-files limit); one more gets 503
--header-timeout       OCRPREP_SERVICE_HEADER_TIMEOUT    time to send a request's headers (10s); bodies must
                                                         then arrive at 32 KB/s on average
--keep-alive           OCRPREP_SERVICE_KEEP_ALIVE        idle kept-alive connections are closed after (5s)
--log-level            OCRPREP_SERVICE_LOG_LEVEL         debug, info, warning, error (info)
--log-format           OCRPREP_SERVICE_LOG_FORMAT        json (one object per line) or text (json)
=====================  ================================  =================================================

The queue is bounded per lane, so a burst of slow recognitions never makes
quick image jobs wait or get 429: the *kernel* lane (BinarizeImage,
Preprocess; ``--workers`` threads) holds at most ``--queue-size`` tasks
pending or running, the *ocr* lane (RecognizeImage; ``--ocr-workers``
processes) at most ``--ocr-queue-size`` (by default ``--queue-size`` too).
A full lane answers 429 with ``Retry-After`` computed from that lane's own
workers and task times.

``--max-pixels`` is checked on the size an upload's header announces, before
anything is decoded.  Pillow has its own guard (it refuses images over about
179 megapixels, ``2 * PIL.Image.MAX_IMAGE_PIXELS``); when ``--max-pixels``
allows an image beyond it, the service raises that process-wide guard to
``--max-pixels``.

Durations take a unit (``90s``, ``30m``, ``24h``, ``7d``; bare numbers are
seconds) and sizes a suffix (``512KB``, ``64MB``, ``1GB``; bare numbers are
bytes).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from .._parallel import cpu_count

__all__ = ["ServiceConfig", "ConfigError", "parse_duration", "parse_wait", "parse_size", "parse_clients", "parse_client_file",
           "default_db_path", "MAX_TOKEN_TTL"]

ENV_PREFIX = "OCRPREP_SERVICE_"


class ConfigError(ValueError):
    """A setting has a value the service cannot use (the message names it)."""


def default_db_path() -> str:
    """``$XDG_STATE_HOME/ocrprep/service.sqlite3`` (``~/.local/state/...`` when unset)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "ocrprep", "service.sqlite3")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?\s*$", re.I)
_DURATION_UNITS = {None: 1.0, "ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value, name: str = "duration") -> float:
    """Seconds from ``90``, ``"90s"``, ``"30m"``, ``"24h"`` or ``"7d"``.

    >>> parse_duration("24h"), parse_duration("90"), parse_duration("1.5m")
    (86400.0, 90.0, 90.0)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ConfigError(f"{name}: not a duration: {value!r} (use e.g. 90s, 30m, 24h, 7d)")
        seconds = float(m.group(1)) * _DURATION_UNITS[(m.group(2) or "").lower() or None]
    if not seconds > 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")
    return seconds


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)


def parse_wait(value, name: str = "wait") -> float:
    """Seconds, like :func:`parse_duration`, but 0 is allowed (no waiting).

    >>> parse_wait("0"), parse_wait("30s"), parse_wait(2.5)
    (0.0, 30.0, 2.5)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
        if not seconds >= 0 or seconds == float("inf"):
            raise ConfigError(f"{name} must be 0 or a positive duration, got {value!r}")
        return seconds
    m = _DURATION.match(str(value))
    if m and float(m.group(1)) == 0:
        return 0.0
    return parse_duration(value, name)


def parse_size(value, name: str = "size") -> int:
    """Bytes from ``1048576``, ``"512KB"``, ``"64MB"`` or ``"1GB"`` (binary multiples).

    >>> parse_size("64MB"), parse_size("512kb"), parse_size(1000)
    (67108864, 524288, 1000)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    else:
        m = _SIZE.match(str(value))
        if not m:
            raise ConfigError(f"{name}: not a size: {value!r} (use e.g. 512KB, 64MB, 1GB)")
        unit = (m.group(2) or "b").lower()[0]
        size = int(float(m.group(1)) * {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit])
    if size < 1:
        raise ConfigError(f"{name} must be at least 1 byte, got {value!r}")
    return size


_CLIENT_ID = re.compile(r"^[A-Za-z0-9._~@+\-]{1,128}$")


def parse_clients(value) -> dict[str, str]:
    """``{"id": "secret"}`` from ``"id1:secret1,id2:secret2"`` (or an iterable of ``"id:secret"``).

    >>> parse_clients("app:s3cret-value,ci:another-secret")
    {'app': 's3cret-value', 'ci': 'another-secret'}
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    clients: dict[str, str] = {}
    for item in items:
        item = item.strip()
        if not item:
            continue
        cid, sep, secret = item.partition(":")
        if not sep or not cid or not secret:
            raise ConfigError(f"a client must be written ID:SECRET, got {item.split(':', 1)[0]!r}...")
        if not _CLIENT_ID.match(cid):
            raise ConfigError(f"client id {cid!r} may only hold letters, digits and . _ ~ @ + -")
        if len(secret) < 8:
            raise ConfigError(f"the secret of client {cid!r} is too short (8 characters at least)")
        if cid in clients:
            raise ConfigError(f"client {cid!r} is configured twice")
        clients[cid] = secret
    return clients


def parse_client_file(path) -> dict[str, str]:
    """``{"id": "secret"}`` from a file of ``ID:SECRET`` lines (blank lines and ``#`` comments skipped).

    Keeps secrets out of the command line, where every local user sees them (``ps``).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "clients")
    >>> _ = open(f, "w").write("# id:secret\\napp:s3cret-value\\n\\nci:another-secret\\n")
    >>> parse_client_file(f)
    {'app': 's3cret-value', 'ci': 'another-secret'}
    """
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(1 << 20)
    except OSError as exc:
        raise ConfigError(f"client file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"client file {path}: not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines()]
    try:
        clients = parse_clients([line for line in lines if line and not line.startswith("#")])
    except ConfigError as exc:
        raise ConfigError(f"client file {path}: {exc}") from None
    if not clients:
        raise ConfigError(f"client file {path}: no ID:SECRET line")
    return clients


def _merge_clients(*groups) -> dict[str, str]:
    out: dict[str, str] = {}
    for group in groups:
        for cid, secret in (group or {}).items():
            if cid in out:
                raise ConfigError(f"client {cid!r} is configured twice")
            out[cid] = secret
    return out


#: the longest token lifetime ``--token-ttl`` may set (every token is checked against the setting)
MAX_TOKEN_TTL = 86400.0


def _bool(value, name) -> bool:
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name}: expected true/false, got {value!r}")


def _int(value, name, low=None) -> int:
    try:
        v = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        raise ConfigError(f"{name}: not an integer: {value!r}") from None
    if low is not None and v < low:
        raise ConfigError(f"{name} must be >= {low}, got {v}")
    return v


@dataclass(frozen=True)
class ServiceConfig:
    """Everything ``ocrprep serve`` can be told (see the module docstring for flags and variables)."""

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = field(default_factory=default_db_path)
    auth: bool = True
    clients: Mapping[str, str] = field(default_factory=dict)
    token_ttl: float = 3600.0
    token_secret: bytes | None = None
    retention: float = 86400.0
    queue_size: int = 100
    #: bound of the recognition lane (None: ``queue_size``)
    ocr_queue_size: int | None = None
    max_body: int = 64 << 20
    max_pixels: int = 80_000_000
    #: largest task database in bytes (None: the disk's free space)
    max_db_size: int | None = None
    #: bytes of request bodies read and decoded at once (None: 256 MB or max_body if larger)
    upload_budget: int | None = None
    workers: int = field(default_factory=cpu_count)
    ocr_workers: int = field(default_factory=cpu_count)
    threads: int = 1
    ocr_timeout: float = 300.0
    #: seconds a task may run (checked between its steps; see :mod:`~ocrprep.service.budget`)
    task_timeout: float = 120.0
    #: seconds after which a spare worker helps when every image worker is busy (0: never)
    spare_after: float = 1.0
    #: seconds a GET of a pending or running task waits for it to end (0: answer at once)
    result_wait: float = 30.0
    #: open connections at most (``ocrprep serve`` lowers it to fit the open-files limit)
    max_connections: int = 1000
    #: seconds a connection has to send a request's line and headers
    header_timeout: float = 10.0
    #: seconds an idle kept-alive connection stays open
    keep_alive: float = 5.0
    log_level: str = "info"
    log_format: str = "json"
    #: bytes of decoded pages kept in memory between the request and the worker
    #: (beyond it the worker decodes the stored bytes again)
    cache_bytes: int = 256 << 20

    def __post_init__(self):
        self.validate()

    def validate(self) -> "ServiceConfig":
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, got {self.port}")
        if not self.db:
            raise ConfigError("db: the SQLite path is empty")
        for name in ("queue_size", "workers", "ocr_workers", "threads", "max_pixels", "max_body"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.upload_budget is not None and self.upload_budget < self.max_body:
            raise ConfigError(f"upload_budget ({self.upload_budget:,} bytes) must be at least max_body "
                              f"({self.max_body:,}): a body of the largest size could never be read")
        if self.max_db_size is not None and self.max_db_size < 64 << 10:
            raise ConfigError(f"max_db_size must be at least 64KB, got {self.max_db_size}")
        if self.ocr_queue_size is not None and self.ocr_queue_size < 1:
            raise ConfigError(f"ocr_queue_size must be >= 1, got {self.ocr_queue_size}")
        if not 0 <= self.spare_after < float("inf"):
            raise ConfigError(f"spare_after must be 0 or a positive duration, got {self.spare_after}")
        if self.max_connections < 1:
            raise ConfigError(f"max_connections must be >= 1, got {self.max_connections}")
        for name in ("token_ttl", "retention", "ocr_timeout", "task_timeout", "header_timeout", "keep_alive"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")
        if self.token_ttl > MAX_TOKEN_TTL:
            raise ConfigError(f"token_ttl must be at most {MAX_TOKEN_TTL:g} s (24h), got {self.token_ttl:g}")
        if not 0 <= self.result_wait <= 3600:
            raise ConfigError(f"result_wait must be between 0 and 3600 seconds, got {self.result_wait}")
        if self.log_level.lower() not in ("debug", "info", "warning", "error", "critical"):
            raise ConfigError(f"log_level must be debug, info, warning or error, got {self.log_level!r}")
        if self.log_format not in ("json", "text"):
            raise ConfigError(f"log_format must be json or text, got {self.log_format!r}")
        if self.auth and not self.clients:
            raise ConfigError(
                "authentication is on but no API client is configured: pass --client ID:SECRET "
                "(or set OCRPREP_SERVICE_CLIENTS=ID:SECRET), or run with --no-auth for local use"
            )
        if self.token_secret is not None and len(self.token_secret) < 16:
            raise ConfigError("the token secret must be at least 16 bytes long")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, client_file=None, **overrides) -> "ServiceConfig":
        """Defaults, then ``OCRPREP_SERVICE_*`` variables, then ``overrides`` (None values are ignored).

        ``client_file`` (or ``OCRPREP_SERVICE_CLIENT_FILE``) adds the clients of a file of
        ``ID:SECRET`` lines (:func:`parse_client_file`) to the others.
        """
        env = os.environ if environ is None else environ
        values: dict = {}

        def get(name):
            v = env.get(ENV_PREFIX + name)
            return None if v is None or v.strip() == "" else v

        conv = {
            "HOST": ("host", str),
            "PORT": ("port", lambda v: _int(v, "OCRPREP_SERVICE_PORT", 0)),
            "DB": ("db", str),
            "CLIENTS": ("clients", parse_clients),
            "TOKEN_TTL": ("token_ttl", lambda v: parse_duration(v, "OCRPREP_SERVICE_TOKEN_TTL")),
            "TOKEN_SECRET": ("token_secret", lambda v: v.encode("utf-8")),
            "RETENTION": ("retention", lambda v: parse_duration(v, "OCRPREP_SERVICE_RETENTION")),
            "QUEUE_SIZE": ("queue_size", lambda v: _int(v, "OCRPREP_SERVICE_QUEUE_SIZE", 1)),
            "OCR_QUEUE_SIZE": ("ocr_queue_size", lambda v: _int(v, "OCRPREP_SERVICE_OCR_QUEUE_SIZE", 1)),
            "MAX_BODY": ("max_body", lambda v: parse_size(v, "OCRPREP_SERVICE_MAX_BODY")),
            "MAX_PIXELS": ("max_pixels", lambda v: _int(v, "OCRPREP_SERVICE_MAX_PIXELS", 1)),
            "MAX_DB_SIZE": ("max_db_size", lambda v: parse_size(v, "OCRPREP_SERVICE_MAX_DB_SIZE")),
            "UPLOAD_BUDGET": ("upload_budget", lambda v: parse_size(v, "OCRPREP_SERVICE_UPLOAD_BUDGET")),
            "WORKERS": ("workers", lambda v: _int(v, "OCRPREP_SERVICE_WORKERS", 1)),
            "OCR_WORKERS": ("ocr_workers", lambda v: _int(v, "OCRPREP_SERVICE_OCR_WORKERS", 1)),
            "THREADS": ("threads", lambda v: _int(v, "OCRPREP_SERVICE_THREADS", 1)),
            "OCR_TIMEOUT": ("ocr_timeout", lambda v: parse_duration(v, "OCRPREP_SERVICE_OCR_TIMEOUT")),
            "TASK_TIMEOUT": ("task_timeout", lambda v: parse_duration(v, "OCRPREP_SERVICE_TASK_TIMEOUT")),
            "SPARE_AFTER": ("spare_after", lambda v: parse_wait(v, "OCRPREP_SERVICE_SPARE_AFTER")),
            "RESULT_WAIT": ("result_wait", lambda v: parse_wait(v, "OCRPREP_SERVICE_RESULT_WAIT")),
            "MAX_CONNECTIONS": ("max_connections", lambda v: _int(v, "OCRPREP_SERVICE_MAX_CONNECTIONS", 1)),
            "HEADER_TIMEOUT": ("header_timeout", lambda v: parse_duration(v, "OCRPREP_SERVICE_HEADER_TIMEOUT")),
            "KEEP_ALIVE": ("keep_alive", lambda v: parse_duration(v, "OCRPREP_SERVICE_KEEP_ALIVE")),
            "LOG_LEVEL": ("log_level", lambda v: v.strip().lower()),
            "LOG_FORMAT": ("log_format", lambda v: v.strip().lower()),
        }
        for env_name, (attr, fn) in conv.items():
            raw = get(env_name)
            if raw is not None:
                values[attr] = fn(raw)
        no_auth = get("NO_AUTH")
        if no_auth is not None:
            values["auth"] = not _bool(no_auth, "OCRPREP_SERVICE_NO_AUTH")
        known = {f.name for f in fields(cls)}
        for k, v in overrides.items():
            if k not in known:
                raise TypeError(f"unknown setting {k!r}")
            if v is not None:
                values[k] = v
        client_file = client_file or get("CLIENT_FILE")
        if client_file:
            values["clients"] = _merge_clients(parse_client_file(client_file), values.get("clients"))
        return cls(**values)

    def with_(self, **changes) -> "ServiceConfig":
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)

    @property
    def queue_sizes(self) -> dict[str, int]:
        """The bound of each lane: ``{"kernel": n, "ocr": n}``."""
        ocr = self.queue_size if self.ocr_queue_size is None else self.ocr_queue_size
        return {"kernel": self.queue_size, "ocr": ocr}

    @property
    def upload_budget_bytes(self) -> int:
        """The upload budget in effect (``upload_budget``, or 256 MB / ``max_body`` if larger)."""
        return self.upload_budget if self.upload_budget is not None else max(256 << 20, self.max_body)

    @property
    def db_path(self) -> Path | None:
        """The database file, or None for an in-memory database (``:memory:``)."""
        return None if self.db == ":memory:" else Path(self.db)

    def public(self) -> dict:
        """The settings safe to show (no secrets), for /health and the start-up log."""
        return {
            "host": self.host,
            "port": self.port,
            "db": self.db,
            "auth": self.auth,
            "clients": sorted(self.clients),
            "token_ttl": self.token_ttl,
            "retention": self.retention,
            "queue_size": self.queue_size,
            "ocr_queue_size": self.queue_sizes["ocr"],
            "max_body": self.max_body,
            "max_pixels": self.max_pixels,
            "max_db_size": self.max_db_size,
            "upload_budget": self.upload_budget_bytes,
            "workers": self.workers,
            "ocr_workers": self.ocr_workers,
            "threads": self.threads,
            "ocr_timeout": self.ocr_timeout,
            "task_timeout": self.task_timeout,
            "spare_after": self.spare_after,
            "max_connections": self.max_connections,
            "header_timeout": self.header_timeout,
            "keep_alive": self.keep_alive,
            "result_wait": self.result_wait,
        }
