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

__all__ = ["JsonFormatter", "TextFormatter", "setup_logging", "uvicorn_log_config", "LOGGER"]

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


def _formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else TextFormatter()


def setup_logging(level: str = "info", fmt: str = "json", stream=None) -> logging.Logger:
    """Send the service's (and uvicorn's) records to ``stream`` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_formatter(fmt))
    for name in (LOGGER, "uvicorn", "uvicorn.error"):
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
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            LOGGER: {"handlers": ["default"], "level": level.upper(), "propagate": False},
        },
    }


def fields(**kw) -> dict:
    """``extra=`` argument for a structured record: ``log.info("done", **fields(task=id))``."""
    return {"extra": {"fields": kw}}
