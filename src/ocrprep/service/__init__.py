"""``ocrprep serve``: a self-hosted HTTP service shaped like Aspose OCR Cloud v5.

Code written for the cloud works by changing its base URL: the same routes
(``/v5.0/ocr/BinarizeImage``, ``/v5.0/ocr/RecognizeImage``, ``/v5.0/ocr/RecognizePdf``,
``/v5.0/ocr/Utilities/GetTaskStatus``, ``/connect/token``, ...), JSON bodies and
task statuses, with the work done by ocrprep's own pipeline on your
machine.  A live demo page is served at ``/``, the OpenAPI schema at
``/openapi.json`` and its reference page at ``/docs``.

Modules:

* :mod:`~ocrprep.service.config` -- settings from flags and ``OCRPREP_SERVICE_*`` variables
* :mod:`~ocrprep.service.app` -- the routes (FastAPI) and the :class:`Service` behind them
* :mod:`~ocrprep.service.tasks` -- request validation and task execution
* :mod:`~ocrprep.service.operations` -- the other cloud operations (deskew, upscale, dewarp, PDFs,
  regions, tables): their bodies and what does the work
* :mod:`~ocrprep.service.routes_cloud` -- their routes, cancellation, file uploads, the 501s
* :mod:`~ocrprep.service.results` -- recognition results in every ``resultType`` (PDF included)
* :mod:`~ocrprep.service.waiting` -- the GET that waits
* :mod:`~ocrprep.service.multipart` -- multipart/form-data bodies
* :mod:`~ocrprep.service.imagesize` -- the size an upload's header announces (checked before decoding)
* :mod:`~ocrprep.service.store` -- tasks and results in SQLite (WAL)
* :mod:`~ocrprep.service.worker` -- the worker threads
* :mod:`~ocrprep.service.auth` -- client-credentials bearer tokens
* :mod:`~ocrprep.service.logs` -- structured (JSON) logs
* :mod:`~ocrprep.service.cli` -- the ``serve`` subcommand
* :mod:`~ocrprep.service.server` -- the listening sockets (bound before anything starts), connection limits
* :mod:`~ocrprep.service.security` -- cross-origin browser requests are refused
* :mod:`~ocrprep.service.files` -- the database and its folder are private (0600 / 0700)
* :mod:`~ocrprep.service.budget` -- what one task may cost: 64 filters, ``--task-timeout``
* :mod:`~ocrprep.service.storage` -- a full disk is 507, not 500
* :mod:`~ocrprep.service.limits` -- the memory budget of uploads (``--upload-budget``), memory given back

Needs the ``service`` extra: ``pip install 'ocrprep[service]'``.

Differences from Aspose OCR Cloud v5
------------------------------------
The shapes were taken from the cloud's documentation and its generated
SDKs (``OCRResponse``, ``OCRTaskStatus``, ``ResponseStatusCode``,
``OCRSettingsRecognizeImage``, ``/connect/token``).  Where ocrprep differs:

* **Endpoints.**  Every operation of the SDK's image-processing and
  recognition APIs (:mod:`ocrprep.service.operations`): BinarizeImage,
  DeskewImage, UpscaleImage, DewarpImage, RecognizeImage (and
  RecognizeImageTrial), RecognizePdf, RecognizeRegions, DetectRegions,
  RecognizeTable, ImageProcessing/Post*File and GetResultTask/GetResultFile,
  Utilities/GetTaskStatus, connect/token; plus ocrprep's own Preprocess (any
  filter list).  The cloud's text to speech, invoice parsing, font
  identification, DjVu2PDF, labels and receipts answer 501 with the JSON
  error body.
* **The GET that waits.**  A GET of a task still pending or running waits
  for it to end, up to ``--result-wait`` (30 s; 0: answer at once), without
  holding a thread; GetTaskStatus never waits.
* **Cancel.**  DELETE on an operation's path with ``?id=`` cancels a task
  still pending: it never runs (also after a restart) and reads as
  ``taskStatus: Error`` with the reason (the cloud's enums have no cancelled
  state); a running task finishes.  The answer is the task's envelope.
* **One image per request** (PNG, JPEG, TIFF's first page, BMP, GIF, WebP,
  PNM; RecognizeImage of a multi-page TIFF says so in ``error.warnings``),
  except RecognizePdf, which takes a PDF or a multi-page TIFF (every page, at
  most 500).
* **resultType**: every value of the SDK's enum, results in the enum's order
  (``TextAndPdfAndHocr`` -> Text, Pdf, Hocr).  ``Pdf`` is a searchable PDF
  (the page image with the text as an invisible layer; several pages for
  RecognizePdf or RecognizeRegions), ``ImagePNG`` the page as Tesseract saw it
  (after the preprocessing), ``JSON`` ocrprep's ``RecognitionResult.to_dict()``
  (lines, words, boxes, confidences; ``{"pages": [...]}`` for several).
  RecognizePdf's Text has the pages separated by form feeds, RecognizeRegions'
  the regions by newlines.  DetectRegions answers one ``JSON`` result:
  ``{"regions": [{"rect": {topLeftX, topLeftY, bottomRightX, bottomRightY},
  "order", "text"}]}`` in the uploaded image's coordinates (its geometric
  settings are not applied), which RecognizeRegions takes as they are.
  Binarized images are 1-bit PNGs.  UpscaleImage enlarges 2x (bicubic and an
  unsharp mask that cannot overshoot, :func:`ocrprep.upscale`, not a neural
  network); DewarpImage is an approximation (:func:`ocrprep.dewarp`: vertical
  displacements only), said in ``error.warnings``.
* **Settings.**  ``language`` takes the cloud's names (``Netherlands``,
  ``Ukrainan``, ...; each of the SDK's 154 is read by a Tesseract model: its
  own, a Chinese one for the Chinese varieties, or its alphabet's script model,
  e.g. ``script/Latin`` for Hausa), English names or Tesseract codes
  (``deu+eng``); a language without installed Tesseract data is refused (400,
  naming the data to install).
  ``makeSpellCheck`` corrects the recognised text, lines and words with
  :mod:`ocrprep.spellcheck` (the first language's dictionary: English, German,
  Spanish, French, Italian, Portuguese, Dutch, Latvian; another language is a
  400, a server without the ``spell`` extra a 503);
  ``dsrMode``/``dsrConfidence`` take their enums' values (any case; another
  value is a 400 listing them) and are ignored
  (Tesseract analyses the layout itself); ``regions`` reads only
  the given rectangles in RecognizeImage and RecognizeRegions (RecognizePdf
  and RecognizeTable refuse them).  The settings models' own
  defaults apply (``makeBinarization`` true for PDFs, regions and tables).
  ``makeUpsampling`` enlarges 2x (:func:`ocrprep.upscale`: bicubic with a
  sharpening that cannot overshoot; not a neural network),
  ``makeContrastCorrection`` stretches the 1st..99th percentiles, ``rotate``
  turns counter-clockwise.  Order: the ``filters`` extension, contrast,
  rotate, upsampling, inversion of light-on-dark pages, deskew, binarization
  (the cloud: contrast, binarization, deskew, upsampling).
* **Extension.**  RecognizeImage also takes ``"filters"``: an
  :class:`ocrprep.PreprocessingFilter` list run first.
* **Unknown or expired ids** answer HTTP 200 with ``taskStatus: NotExist``,
  ``responseStatusCode: TaskNotFound`` and a message in ``error.messages``,
  the cloud's envelope; a malformed id is a 400.  A client only sees its own
  tasks (another client's id reads as NotExist).
* **Errors** are ``{"status", "title", "code", "detail", "error": {"messages": [...]}}``
  (the cloud sends ASP.NET problem details); token errors follow RFC 6749
  (``{"error": "invalid_client", "error_description": ...}``).  A body over
  ``--max-body`` gets 413; an image over ``--max-pixels`` (or one a filter,
  ``rotate``, ``makeUpsampling`` or the worst-case deskew would make larger
  than it) 400 ``ImageTooLarge``; a full queue 429 with ``Retry-After``; a
  request body beyond the memory budget of uploads being read and decoded
  (``--upload-budget``, 256 MB) 503 ``ServerBusy`` with ``Retry-After``,
  before its body is read; a full disk or task database (``--max-db-size``) 507
  ``InsufficientStorage``, a database that cannot be written 503
  ``StorageUnavailable``, both with ``Retry-After``.  A task whose result
  could not be stored runs again once the store takes writes (it fails
  after 3 runs).
* **Task limits.**  A filter list holds at most 64 filters (more: 400
  ``InvalidFilters``, checked before the list is parsed or stored) and a
  JSON body at most 10,000 values (400 ``InvalidJson``, checked before
  parsing); a task runs at most ``--task-timeout`` (2 min; checked between
  its filters and before encoding), past which it ends with status Error
  and a message.  When every image worker has been busy with a long task
  for ``--spare-after`` (1 s), a spare worker takes the smallest waiting
  image job, so small jobs are not held up.
* **Queues.**  Image jobs (BinarizeImage, Preprocess) and recognitions have
  separate queues, each bounded (``--queue-size``, ``--ocr-queue-size``), so
  slow recognitions never hold up image jobs; ``Retry-After`` is computed
  per queue.
* **Connections.**  At most ``--max-connections`` (1000, lowered to fit
  the open-files limit) are open; one more gets 503 and is closed.  A
  request's headers must arrive within ``--header-timeout`` (10 s; else
  408 and closed), its body at 32 KB/s on average after that, and idle
  kept-alive connections close after ``--keep-alive`` (5 s).  Repeated
  identical errors (a failing ``accept()``, a full disk) are logged a few
  times per 10 s, with the number left out.
* **Paths** match without regard to case or a trailing slash (ASP.NET's
  behaviour).
* **Tokens** are HS256 JWTs signed by the server (the cloud's are RS256);
  ``expires_in`` is ``--token-ttl`` (3600 s like the cloud, at most 24 h),
  and every token is held to that lifetime from its issue time whatever
  expiry it claims.  With ``--no-auth``, ``/connect/token`` still answers
  (with a token nobody checks), so cloud code runs unchanged.  Clients come
  from ``--client-file`` (``ID:SECRET`` lines), ``OCRPREP_SERVICE_CLIENTS``
  or ``--client`` (which warns: ``ps`` shows the secret to every local user).
* **Files.**  The task database (uploads, results, the token key) is created
  ``0600``, with its ``-wal``/``-shm`` files, in folders created ``0700``; a
  database found readable by others is made private and its token key
  replaced.
* **Browsers.**  A request a browser marks as coming from another site
  (an ``Origin`` other than the server's, ``Sec-Fetch-Site: cross-site``)
  gets 403 ``CrossOriginRefused``, so a web page cannot make a visitor's
  browser submit jobs (which matters most with ``--no-auth``); with
  ``--no-auth`` on a loopback address, browsers must also name the server
  ``localhost``/``127.0.0.1``/``[::1]`` (DNS rebinding).  Clients that are
  not browsers send no ``Origin`` and are not affected.
* **/health** answers only ``{"status": "ok", "auth": true}`` to a caller
  without a valid token when authentication is on; queue figures, workers
  and installed languages need a token.
* **Retention** (``--retention``, 24 h) counts from the task's completion
  (the cloud: from submission); the uploaded image is deleted as soon as the
  task is done, only the result is kept.  Deleted rows are zeroed in their
  pages, free pages are vacuumed and the write-ahead log is emptied
  (checkpoint TRUNCATE) by the retention janitor, so no upload or result
  outlives its retention in the files.
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
