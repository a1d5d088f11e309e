"""Structured logs: one JSON object per line on stderr.

Every record has ``ts`` (ISO 8601, UTC), ``level``, ``logger`` and
``event``; extra fields passed as ``log.info("...", extra={"fields": {...}})``
are merged in (request method, path, status, duration, task id, ...).
``--log-format text`` gives the same records as ``key=value`` lines.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
import sys

__all__ = ["JsonFormatter", "TextFormatter", "RepeatFilter", "setup_logging", "uvicorn_log_config", "LOGGER"]

LOGGER = "ocrprep.service"


def _fields(record) -> dict:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


def _ts(record) -> str:
    return _dt.datetime.fromtimestamp(record.created, _dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": _ts(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for k, v in _fields(record).items():
            if k not in out:
                out[k] = v
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``ts level event key=value ...`` for people reading a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_ts(record), record.levelname.lower(), record.getMessage()]
        parts += [f"{k}={v}" for k, v in _fields(record).items()]
        line = " ".join(str(p) for p in parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class RepeatFilter(logging.Filter):
    """Let at most ``burst`` warnings/errors with the same message through per ``period`` seconds.

    A failing ``accept()`` (too many open files) or a failing disk repeats the same error
    thousands of times a second; the first ``burst`` are kept, the rest counted, and the
    next one let through says how many were left out (``suppressed``).  Records below
    WARNING are never held back.

    Examples
    --------
    >>> f = RepeatFilter(burst=2, period=60)
    >>> rec = lambda: logging.LogRecord("x", logging.ERROR, __file__, 1, "accept failed", None, None)
    >>> [f.filter(rec()) for _ in range(4)]
    [True, True, False, False]
    """

    def __init__(self, burst: int = 5, period: float = 10.0, clock=None):
        super().__init__()
        import time

        self.burst, self.period = int(burst), float(period)
        self._clock = clock or time.monotonic
        self._seen: dict = {}  # key -> [window start, count in window, suppressed]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, str(record.msg)[:200],
               type(record.exc_info[1]).__name__ if record.exc_info and record.exc_info[1] else None)
        now = self._clock()
        state = self._seen.get(key)
        if state is None or now - state[0] >= self.period:
            suppressed = state[2] if state is not None else 0
            self._seen[key] = [now, 1, 0]
            if len(self._seen) > 1000:  # forget old keys
                for k in [k for k, v in self._seen.items() if now - v[0] >= self.period]:
                    self._seen.pop(k, None)
            if suppressed:
                extra = dict(getattr(record, "fields", None) or {})
                extra["suppressed"] = suppressed
                record.fields = extra
            return True
        state[1] += 1
        if state[1] <= self.burst:
            return True
        state[2] += 1
        return False


def _formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else TextFormatter()


def setup_logging(level: str = "info", fmt: str = "json", stream=None) -> logging.Logger:
    """Send the service's (and uvicorn's) records to ``stream`` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_formatter(fmt))
    handler.addFilter(RepeatFilter())  # floods of one error (accept() failing, a full disk) stay readable
    for name in (LOGGER, "uvicorn", "uvicorn.error", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # the service logs every request itself
    return logging.getLogger(LOGGER)


def uvicorn_log_config(level: str = "info", fmt: str = "json") -> dict:
    """A ``logging.config`` dict for ``uvicorn.Config(log_config=...)`` using these formatters."""
    cls = "ocrprep.service.logs.JsonFormatter" if fmt == "json" else "ocrprep.service.logs.TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": cls}},
        "filters": {"repeat": {"()": "ocrprep.service.logs.RepeatFilter"}},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr",
                                 "filters": ["repeat"]}},
        "loggers": {
            "asyncio": {"handlers": ["default"], "level": "WARNING", "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            LOGGER: {"handlers": ["default"], "level": level.upper(), "propagate": False},
        },
    }


def fields(**kw) -> dict:
    """``extra=`` argument for a structured record: ``log.info("done", **fields(task=id))``."""
    return {"extra": {"fields": kw}}
