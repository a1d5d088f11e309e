"""``ocrprep serve``: run the HTTP service (registered in :data:`ocrprep.cli.COMMANDS`).

Cheap to import: FastAPI and uvicorn are imported only when the command runs.
"""
from __future__ import annotations

import argparse
import os
import sys

from .config import ConfigError, ServiceConfig, parse_clients, parse_duration, parse_size, parse_wait

__all__ = ["add_cli", "run_serve", "serve"]

NO_AUTH_WARNING = (
    "WARNING: authentication is disabled (--no-auth): anyone who can reach {where} can submit "
    "images and read every result. Use it only on a trusted machine."
)


def _arg(fn, what):
    def conv(text):
        try:
            return fn(text)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc))

    conv.__name__ = what
    return conv


def add_cli(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="run the HTTP service (Aspose OCR Cloud v5-shaped API + live demo page)",
        description=(
            "Serve BinarizeImage, RecognizeImage, Preprocess and GetTaskStatus like Aspose OCR Cloud v5 "
            "(POST a base64 image, get a task id, GET the result), with /connect/token client-credentials "
            "auth, tasks kept in SQLite, a demo page at / and the OpenAPI schema at /openapi.json. "
            "Every option can also be set by an OCRPREP_SERVICE_<NAME> environment variable "
            "(e.g. OCRPREP_SERVICE_PORT=9000, OCRPREP_SERVICE_CLIENTS=id:secret); flags win."
        ),
        epilog=("Needs the service extra: pip install 'ocrprep[service]'. Exit status: 0 stopped by SIGINT/SIGTERM, "
                "1 cannot start (missing extra, unusable database), 2 bad option or setting, "
                "3 cannot listen on --host/--port (address already in use, permission denied, unknown host)."),
    )
    p.add_argument("--host", help="interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, help="TCP port (default 8080)")
    p.add_argument("--db", metavar="PATH", help="SQLite file of tasks and results (default $XDG_STATE_HOME/ocrprep/service.sqlite3)")
    auth = p.add_mutually_exclusive_group()
    auth.add_argument("--no-auth", action="store_true", default=None, help="accept requests without a token (local use only)")
    auth.add_argument("--auth", action="store_true", default=None,
                      help="require a bearer token (the default; overrides OCRPREP_SERVICE_NO_AUTH=1)")
    p.add_argument("--client-file", metavar="PATH",
                   help="file of API clients allowed to get tokens, one ID:SECRET a line (# comments); keep it "
                        "chmod 600. Preferred to --client, whose secret every local user sees in ps")
    p.add_argument("--client", action="append", metavar="ID:SECRET", default=None,
                   help="an API client allowed to get tokens (repeatable; secret of 8+ characters). Visible to "
                        "every local user in ps: prefer --client-file or OCRPREP_SERVICE_CLIENTS")
    p.add_argument("--token-ttl", type=_arg(lambda v: parse_duration(v, "--token-ttl"), "duration"), metavar="DURATION",
                   help="token lifetime (default 1h, at most 24h)")
    p.add_argument("--retention", type=_arg(lambda v: parse_duration(v, "--retention"), "duration"), metavar="DURATION",
                   help="how long finished results are kept (default 24h)")
    p.add_argument("--queue-size", type=int, metavar="N",
                   help="tasks pending or running per lane before requests get 429 (default 100; the image lane "
                        "and the recognition lane are bounded separately)")
    p.add_argument("--ocr-queue-size", type=int, metavar="N",
                   help="bound of the recognition lane (RecognizeImage) alone (default: --queue-size)")
    p.add_argument("--max-body", type=_arg(lambda v: parse_size(v, "--max-body"), "size"), metavar="SIZE",
                   help="largest request body (default 64MB)")
    p.add_argument("--max-db-size", type=_arg(lambda v: parse_size(v, "--max-db-size"), "size"), metavar="SIZE",
                   help="largest task database (default: no limit but the disk); when it or the disk is full, "
                        "POSTs get 507 with Retry-After")
    p.add_argument("--upload-budget", type=_arg(lambda v: parse_size(v, "--upload-budget"), "size"), metavar="SIZE",
                   help="request bodies read and decoded at once (default 256MB, at least --max-body); beyond it "
                        "a request gets 503 with Retry-After before its body is read")
    p.add_argument("--max-pixels", type=int, metavar="N",
                   help="largest image in pixels, width x height, and largest page a task's filters, rotate, "
                        "upsampling or deskew may make from it (default 80000000)")
    p.add_argument("--workers", type=int, metavar="N", help="threads running image kernels (default: cores)")
    p.add_argument("--ocr-workers", type=int, metavar="N", help="Tesseract processes in parallel (default: cores)")
    p.add_argument("--threads", type=int, metavar="N", help="threads per kernel call (default 1)")
    p.add_argument("--ocr-timeout", type=_arg(lambda v: parse_duration(v, "--ocr-timeout"), "duration"), metavar="DURATION",
                   help="time Tesseract may spend on one page before the task fails (default 5m)")
    p.add_argument("--task-timeout", type=_arg(lambda v: parse_duration(v, "--task-timeout"), "duration"),
                   metavar="DURATION",
                   help="time budget of one task, checked between its steps (filters, binarization, encoding): "
                        "past it the task ends with status Error (default 2m)")
    p.add_argument("--spare-after", type=_arg(lambda v: parse_wait(v, "--spare-after"), "duration"), metavar="DURATION",
                   help="when every image worker has run its task this long, a spare worker takes the smallest "
                        "waiting image job, so small jobs are not held up by long ones (default 1s; 0: no spare)")
    p.add_argument("--result-wait", type=_arg(lambda v: parse_wait(v, "--result-wait"), "duration"), metavar="DURATION",
                   help="how long a GET of a task still pending or running waits for it to end before "
                        "answering (default 30s; 0 answers at once)")
    p.add_argument("--max-connections", type=int, metavar="N",
                   help="open connections at most; one more gets 503 and is closed (default 1000, lowered to fit "
                        "the open-files limit)")
    p.add_argument("--header-timeout", type=_arg(lambda v: parse_duration(v, "--header-timeout"), "duration"),
                   metavar="DURATION",
                   help="time a connection has to send a request's line and headers; a body must then arrive at "
                        "32 KB/s on average (default 10s)")
    p.add_argument("--keep-alive", type=_arg(lambda v: parse_duration(v, "--keep-alive"), "duration"),
                   metavar="DURATION", help="idle time after which a kept-alive connection is closed (default 5s)")
    p.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="default info")
    p.add_argument("--log-format", choices=["json", "text"], help="json (default: one object per line) or text")
    p.set_defaults(func=run_serve)


def config_from_args(args, environ=None) -> ServiceConfig:
    clients = None
    if args.client:
        clients = parse_clients(args.client)
    return ServiceConfig.from_env(
        environ,
        client_file=getattr(args, "client_file", None),
        host=args.host,
        port=args.port,
        db=args.db,
        auth=False if args.no_auth else (True if args.auth else None),
        clients=clients,
        token_ttl=args.token_ttl,
        retention=args.retention,
        queue_size=args.queue_size,
        ocr_queue_size=args.ocr_queue_size,
        max_body=args.max_body,
        max_pixels=args.max_pixels,
        max_db_size=getattr(args, "max_db_size", None),
        upload_budget=getattr(args, "upload_budget", None),
        workers=args.workers,
        ocr_workers=args.ocr_workers,
        threads=args.threads,
        ocr_timeout=args.ocr_timeout,
        task_timeout=getattr(args, "task_timeout", None),
        spare_after=getattr(args, "spare_after", None),
        result_wait=args.result_wait,
        max_connections=getattr(args, "max_connections", None),
        header_timeout=getattr(args, "header_timeout", None),
        keep_alive=getattr(args, "keep_alive", None),
        log_level=args.log_level,
        log_format=args.log_format,
    )


CLIENT_ARGV_WARNING = (
    "ocrprep serve: warning: --client puts the secret on the command line, where every local user can read it "
    "(ps, /proc); use --client-file PATH (chmod 600) or OCRPREP_SERVICE_CLIENTS instead"
)


def run_serve(args) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as exc:
        print(f"ocrprep serve: error: {exc}", file=sys.stderr)
        return 2
    if args.client:
        print(CLIENT_ARGV_WARNING, file=sys.stderr)
    client_file = getattr(args, "client_file", None) or os.environ.get("OCRPREP_SERVICE_CLIENT_FILE")
    if client_file and os.name == "posix" and os.stat(client_file).st_mode & 0o077:
        print(f"ocrprep serve: warning: the client file {client_file} is readable by other users (chmod 600 it)",
              file=sys.stderr)
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        print(f"ocrprep serve: {exc.name} is not installed: pip install 'ocrprep[service]'", file=sys.stderr)
        return 2  # a missing extra: the exit status of every subcommand (see ocrprep.cli)
    return serve(config)


def serve(config: ServiceConfig) -> int:
    """Run uvicorn with the service until SIGINT/SIGTERM; returns the exit status."""
    import logging

    import uvicorn

    from .app import create_app
    from .logs import LOGGER, fields, setup_logging, uvicorn_log_config

    from .limits import tune_malloc
    from .server import (EXIT_CANNOT_LISTEN, ConnectionLimits, ListenError, bind, effective_max_connections,
                         guarded_protocol, raise_open_files_limit)

    try:  # before anything starts: an address in use is one line and exit 3, not a log record after start-up
        sockets = bind(config.host, config.port)
    except ListenError as exc:
        print(f"ocrprep serve: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    setup_logging(config.log_level, config.log_format)
    tune_malloc()  # big buffers are returned to the system when freed (see limits.py)
    if not config.auth:
        where = f"http://{config.host}:{config.port}"
        print(NO_AUTH_WARNING.format(where=where), file=sys.stderr, flush=True)
        logging.getLogger(LOGGER).warning("authentication disabled", extra={"fields": {"flag": "--no-auth"}})
    try:
        app = create_app(config)
    except OSError as exc:  # unusable database path, ...
        print(f"ocrprep serve: error: cannot open the task database {config.db}: {exc}", file=sys.stderr)
        _close(sockets)
        return 1
    except Exception as exc:  # sqlite3.DatabaseError (not a database), ...
        print(f"ocrprep serve: error: {config.db}: {exc}", file=sys.stderr)
        _close(sockets)
        return 1
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    # idle and slow connections cannot use up the file descriptors (see server.py)
    limits = ConnectionLimits(effective_max_connections(config.max_connections, raise_open_files_limit()),
                              config.header_timeout)
    server = uvicorn.Server(uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        log_config=uvicorn_log_config(config.log_level, config.log_format),
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=30,
        timeout_keep_alive=max(1, round(config.keep_alive)),
        http=guarded_protocol(AutoHTTPProtocol, limits),
        server_header=False,
    ))
    app.state.server = server  # waiting GETs end when the server is asked to stop
    app.state.connection_limits = limits
    port = sockets[0].getsockname()[1]
    logging.getLogger(LOGGER).info("listening", **fields(
        url=f"http://{_host_for_url(config.host)}:{port}", max_connections=limits.max_connections,
        header_timeout=config.header_timeout, keep_alive=config.keep_alive))
    server.run(sockets=sockets)
    return 0 if getattr(server, "started", True) else 1


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _close(sockets) -> None:
    for s in sockets:
        s.close()
