"""``ocrprep serve``: a self-hosted HTTP service shaped like Aspose OCR Cloud v5.

Code written for the cloud works by changing its base URL: the same routes
(``/v5.0/ocr/BinarizeImage``, ``/v5.0/ocr/RecognizeImage``,
``/v5.0/ocr/Utilities/GetTaskStatus``, ``/connect/token``), JSON bodies and
task statuses, with the work done by ocrprep's own pipeline on your
machine.  A live demo page is served at ``/``, the OpenAPI schema at
``/openapi.json`` and its reference page at ``/docs``.

Modules:

* :mod:`~ocrprep.service.config` -- settings from flags and ``OCRPREP_SERVICE_*`` variables
* :mod:`~ocrprep.service.app` -- the routes (FastAPI) and the :class:`Service` behind them
* :mod:`~ocrprep.service.tasks` -- request validation and task execution
* :mod:`~ocrprep.service.store` -- tasks and results in SQLite (WAL)
* :mod:`~ocrprep.service.worker` -- the worker threads
* :mod:`~ocrprep.service.auth` -- client-credentials bearer tokens
* :mod:`~ocrprep.service.logs` -- structured (JSON) logs
* :mod:`~ocrprep.service.cli` -- the ``serve`` subcommand

Needs the ``service`` extra: ``pip install 'ocrprep[service]'``.
"""
from __future__ import annotations

from .config import ConfigError, ServiceConfig

__all__ = ["ServiceConfig", "ConfigError", "create_app", "run"]


def create_app(config=None, **kwargs):
    """The ASGI application (see :func:`ocrprep.service.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(config, **kwargs)


def run(config=None) -> None:
    """Serve until interrupted (see :func:`ocrprep.service.cli.serve`)."""
    from .cli import serve

    serve(config or ServiceConfig.from_env())
