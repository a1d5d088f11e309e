"""Reading and writing document images: files, bytes, archives, PDFs, URLs.

Everything that turns outside data into numpy pixels goes through here, so
the safety checks live in one place:

* a **decompression-bomb guard** reads the pixel count from the header and
  refuses oversized images *before* decoding (:data:`MAX_PIXELS`, per call
  ``max_pixels=``; PDF pages are checked from their size in points);
* a **byte cap** (:data:`MAX_BYTES`) bounds downloads, base64 strings and
  zip members before they are read into memory;
* corrupt, truncated, unsupported and zero-page inputs raise clear
  :mod:`ocrprep.errors` exceptions naming the source.

Pages are produced lazily by :func:`iter_pages`: a 500-page TIFF, PDF or
zip archive is decoded one page at a time, never held whole.

An image whose EXIF ``Orientation`` tag says it is stored turned or mirrored
(the way phone cameras save a page photographed sideways) is turned upright,
as image viewers show it.

PDF pages are rasterised with **pypdfium2** (the optional extra ``pdf``),
chosen over pdf2image because it ships PDFium inside its wheels for every
platform (pdf2image needs the Poppler command-line tools installed
separately), renders page by page without temporary image files and
reports page sizes before rendering, which the pixel guard needs.

A PDF page can ask for unbounded work from a few kilobytes (form XObjects
drawing each other ten times over, nine levels deep: a billion drawings,
gigabytes in seconds and an abort inside PDFium).  So each page

* is first checked from its objects, without expanding anything
  (:data:`PDF_MAX_DRAWS` drawings once its forms are expanded,
  :data:`PDF_MAX_FORM_DEPTH` levels, :data:`PDF_MAX_CONTENT` bytes of content
  to parse; read with pypdf, also in the ``pdf`` extra; skipped without it);
* is rendered in a worker process (:mod:`ocrprep._pdfrender`, reused from
  page to page and document to document) that may use
  :data:`PDF_RENDER_SECONDS` of CPU time and :data:`PDF_RENDER_MEMORY`
  bytes of memory besides the page's bitmap (``OCRPREP_PDF_ISOLATE=0``:
  in this process, for trusted files).

A page over a limit is a :class:`~ocrprep.DecompressionBombError` for that
page (a :class:`PageError` with ``on_error="yield"``); the other pages and
files go on.  On platforms without ``setrlimit`` (Windows) pages are
rendered in-process after the check.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import functools
import inspect
import io as _stdio
import itertools
import os
import http.client
import re
import socket
import stat
import struct
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from . import _checks, _deep, _pam
from .errors import (
    DecompressionBombError,
    DownloadError,
    ImageDecodeError,
    ImageTypeError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidImageError,
    InvalidParameterError,
    OcrprepError,
    OcrprepWarning,
    OutputError,
    ParameterTypeError,
    UnsupportedFormatError,
)

__all__ = [
    "imread",
    "imwrite",
    "iter_pages",
    "count_pages",
    "count_files",
    "zip_page_members",
    "Page",
    "PageError",
    "fetch_url",
    "decode_base64",
    "is_binary",
    "MAX_PIXELS",
    "MAX_BYTES",
    "PDF_DPI",
    "JPEG_MAX_SCANS",
    "PDF_RENDER_SECONDS",
    "PDF_RENDER_MEMORY",
    "PDF_MAX_DRAWS",
    "URL_TIMEOUT",
    "IMAGE_EXTENSIONS",
]

#: Largest image (width x height) decoded by default: 150 megapixels, a
#: little more than an A4 page at 1200 dpi.  Set ``OCRPREP_MAX_PIXELS`` or
#: assign ``ocrprep.io.MAX_PIXELS``; every reader also takes ``max_pixels=``.
#: (Pillow has its own guard at about 179 megapixels: images over
#: ``max_pixels`` get ocrprep's :class:`~ocrprep.DecompressionBombError`
#: quoting ``max_pixels``; a ``max_pixels`` beyond Pillow's guard lifts
#: ``PIL.Image.MAX_IMAGE_PIXELS`` to it, process-wide, when such an image comes.)
MAX_PIXELS = int(os.environ.get("OCRPREP_MAX_PIXELS", 150_000_000))

#: Largest download, base64 payload or (uncompressed) zip member read, in bytes.
MAX_BYTES = int(os.environ.get("OCRPREP_MAX_BYTES", 256 * 1024 * 1024))

#: Resolution at which PDF pages are rasterised.
PDF_DPI = 300

#: Most scans a (progressive) JPEG may have; more is refused before decoding
#: (:class:`~ocrprep.DecompressionBombError`).  The decoder re-reads every
#: coefficient for each scan, so 5000 scans in an 836 KB file of 64
#: megapixels take 38 s.  Real files have 1 (baseline) to ~10 (libjpeg's
#: progressive script: 10 for colour, 6 for grey); 256 is one scan per DCT
#: coefficient per component of a 4-component image, the finest split the
#: format's spectral selection allows.  ``OCRPREP_JPEG_MAX_SCANS``.
JPEG_MAX_SCANS = int(os.environ.get("OCRPREP_JPEG_MAX_SCANS", 256))

#: Render PDF pages in a worker process under the time and memory limits below
#: (a page over them is a :class:`~ocrprep.DecompressionBombError` for that
#: page, never a crash).  ``OCRPREP_PDF_ISOLATE=0`` renders in this process
#: (trusted files only: only the static check of :data:`PDF_MAX_DRAWS` remains).
PDF_ISOLATE = os.environ.get("OCRPREP_PDF_ISOLATE", "1").strip().lower() not in ("0", "false", "no", "off")

#: CPU seconds the worker may spend on one PDF page.
PDF_RENDER_SECONDS = float(os.environ.get("OCRPREP_PDF_RENDER_SECONDS", 30))

#: Memory (bytes) the worker may add for one PDF page, besides 8 bytes per
#: pixel of the page at the chosen ``dpi`` for its bitmap.
PDF_RENDER_MEMORY = int(os.environ.get("OCRPREP_PDF_RENDER_MEMORY", 1 << 30))

#: Most forms and images one PDF page may draw once its nested form XObjects
#: are expanded (a form drawn 10 times, drawing an image 10 times, counts 110),
#: checked from the page's objects before PDFium parses it (needs pypdf, in
#: the ``pdf`` extra).  ``OCRPREP_PDF_MAX_DRAWS``.
PDF_MAX_DRAWS = int(os.environ.get("OCRPREP_PDF_MAX_DRAWS", 100_000))

#: Deepest nesting of form XObjects and most content-stream bytes the
#: expansion of one page may parse (checked with :data:`PDF_MAX_DRAWS`).
PDF_MAX_FORM_DEPTH = int(os.environ.get("OCRPREP_PDF_MAX_FORM_DEPTH", 32))
PDF_MAX_CONTENT = int(os.environ.get("OCRPREP_PDF_MAX_CONTENT", 256 * 1024 * 1024))

#: Seconds allowed for a whole http(s) fetch (connection, headers and body;
#: see :func:`fetch_url`).
URL_TIMEOUT = 30.0

#: File name extensions taken from a directory or zip archive (others are skipped).
IMAGE_EXTENSIONS = frozenset(
    ".png .jpg .jpeg .jpe .jfif .tif .tiff .bmp .dib .gif .pbm .pgm .ppm .pnm .pam .webp .heic .heif .avif .pdf".split()
)

_SAVE_FORMATS = {
    ".png": "PNG",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".bmp": "BMP",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".pbm": "PPM",
    ".pgm": "PPM",
    ".ppm": "PPM",
    ".pnm": "PPM",
    ".webp": "WEBP",
    ".gif": "GIF",
}

# magic prefix -> format name, to tell "corrupt" from "not an image at all".
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "BigTIFF"),
    (b"MM\x00+", "BigTIFF"),
    (b"BM", "BMP"),
]
_PNM = re.compile(rb"^P[1-7]\s")
#: ISO base media file brands of HEIF images (HEIC is the iPhone camera's default format)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}

# PDFium is not thread-safe: every call into it holds this lock.
_PDFIUM_LOCK = threading.RLock()


# --------------------------------------------------------------------------- #
# pages
# --------------------------------------------------------------------------- #
@dataclass(frozen=True, eq=False)
class Page:
    """One decoded page: unpacks as ``(source, page, image)``.

    Attributes
    ----------
    source : str
        Where the page came from (path, URL, ``archive.zip/member.png``, ...).
    page : int
        1-based page number inside that source.
    image : ndarray
        uint8, (H, W) for grey pages, (H, W, 3) RGB for colour pages.
    pages : int or None
        Number of pages of the source, when known (``None`` for streams).
    stem : str
        A file-name stem derived from the source, for writing results.
    """

    source: str
    page: int
    image: np.ndarray
    pages: int | None = None
    stem: str = "page"

    def __iter__(self):
        return iter((self.source, self.page, self.image))

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return (self.source, self.page, self.image)[i]

    @property
    def multipage(self) -> bool:
        """True when the source has (or may have) more than one page."""
        return self.pages is None or self.pages > 1

    def output_name(self, suffix: str = ".png", multipage: bool | None = None) -> str:
        """``stem.png`` for single pages, ``stem_page2.png`` for pages of a multi-page source."""
        return page_file_name(self.stem, self.page, self.multipage if multipage is None else multipage, suffix)

    def replace(self, **changes) -> "Page":
        values = dict(source=self.source, page=self.page, image=self.image, pages=self.pages, stem=self.stem)
        values.update(changes)
        return Page(**values)

    def __repr__(self):
        shape = getattr(self.image, "shape", None)
        return f"Page(source={self.source!r}, page={self.page}, shape={shape})"


def page_file_name(stem: str, page: int, multipage: bool, suffix: str = ".png") -> str:
    """The output file name of a page: ``stem.png`` for a single-page source, ``stem_page2.png``
    for page 2 of a multi-page one (the one naming rule of the CLI, ImageProcessing and batch runs)."""
    return f"{stem}_page{page}{suffix}" if multipage else f"{stem}{suffix}"


@dataclass(frozen=True, eq=False)
class PageError:
    """A source (or one page of it) that could not be read.

    Yielded instead of a :class:`Page` by ``iter_pages(..., on_error="yield")``
    so one bad file never stops the others.  ``error`` is the exception.
    """

    source: str
    page: int | None
    error: BaseException
    stem: str = "page"
    image: None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        return f"{self.source}: {self.error}" if self.source not in str(self.error) else str(self.error)


# --------------------------------------------------------------------------- #
# guards
# --------------------------------------------------------------------------- #
def _cap(max_pixels) -> int:
    if max_pixels is None:
        return MAX_PIXELS
    value = _checks.integer(max_pixels, "max_pixels")
    if value < 1:
        raise InvalidParameterError(f"max_pixels must be >= 1, got {value}")
    return value


def _kind_phrase(kind: str) -> str:
    """'an image', 'a TIFF', ... for messages about a source of the wrong kind."""
    word = {"image": "image", "tiff": "TIFF", "zip": "zip archive", "pdf": "PDF", "directory": "directory",
            "base64": "base64 image", "url": "URL image"}.get(str(kind).lower(), str(kind))
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _check_pixels(width: int, height: int, name: str, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageDecodeError(f"{name}: the header announces an empty image ({width}x{height})")
    if width * height > max_pixels:
        raise DecompressionBombError(
            f"{name}: {width}x{height} = {width * height:,} pixels exceeds the limit of "
            f"{max_pixels:,} (possible decompression bomb; raise max_pixels= or "
            f"OCRPREP_MAX_PIXELS if the image is genuine)"
        )


def _byte_cap(nbytes: int, name: str, what: str, max_bytes: int | None = None) -> None:
    cap = MAX_BYTES if max_bytes is None else max_bytes
    if nbytes > cap:
        raise InputTooLargeError(f"{name}: {what} of {nbytes:,} bytes exceeds the limit of {cap:,} bytes (OCRPREP_MAX_BYTES)")


def _sniff(head: bytes) -> str | None:
    """Container kind from the first bytes: 'pdf', 'zip', 'djvu', an image format, or None."""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"AT&TFORM"):
        return "djvu"
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        box = head[8:int.from_bytes(head[:4], "big")]  # major brand, version, compatible brands
        if b"avif" not in box and b"avis" not in box:  # AVIF (also "mif1"-branded): Pillow reads it itself
            return "HEIF"
    if _PNM.match(head[:3]):
        return "PNM"
    return None


# --------------------------------------------------------------------------- #
# Pillow decoding
# --------------------------------------------------------------------------- #
def _pil():
    from PIL import Image

    return Image


_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, IndexError, KeyError, TypeError)


#: Pillow's own guard, e.g. "Image size (210000000 pixels) exceeds limit of ...".
_PILLOW_BOMB = re.compile(r"\((\d+) pixels\)")
_pillow_limit_lock = threading.Lock()


_heif_lock = threading.Lock()


def _heif_opener(name: str) -> None:
    """Teach Pillow HEIC/HEIF (phone photos) through pillow-heif, the ``heif`` extra, once."""
    try:
        import pillow_heif
    except ImportError:
        raise UnsupportedFormatError(
            f"{name}: is a HEIC/HEIF photo; reading it needs pillow-heif: pip install 'ocrprep[heif]' "
            "(or pip install pillow-heif), or export the photo as JPEG"
        ) from None
    with _heif_lock:
        if not getattr(_heif_opener, "done", False):
            pillow_heif.register_heif_opener()
            _heif_opener.done = True


def _raise_pillow_limit(max_pixels: int) -> bool:
    """Lift Pillow's process-wide guard (``PIL.Image.MAX_IMAGE_PIXELS``, which
    refuses twice its value) to ``max_pixels``; never lowers it.  True if it moved."""
    Image = _pil()
    with _pillow_limit_lock:
        limit = Image.MAX_IMAGE_PIXELS
        if limit is None or 2 * limit >= max_pixels:
            return False
        Image.MAX_IMAGE_PIXELS = int(max_pixels)
        return True


_PATH_LIKE = re.compile(r"(?:[/~]|[A-Za-z]:[\\/]|\.{1,2}[\\/])\S.*|[^\s/\\]+\.[A-Za-z0-9]{2,5}", re.S)


_HTML = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


_XML = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+(\w+)[^>]*>\s*)?<([A-Za-z][\w:.-]*)", re.S)
_JSON = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:\{\s*(?:\"|\})|\[)")


def _text_document(head: bytes) -> str:
    """What a file given as an image is, when it says so: a DICOM file, an SVG drawing, an XML
    or JSON document (typically a server's error answer saved under the image's name: ``curl -o``
    without ``-f``, named with its first words); else ''."""
    if head[128:132] == b"DICM":  # the DICOM preamble: 128 bytes, then "DICM"
        return ("is a DICOM file (medical imaging), which ocrprep does not read: export its image as 16-bit "
                "PNG or TIFF (for example with pydicom or dcmj2pnm)")
    if b"\0" in head[:1024]:
        return ""
    start = head.lstrip()[:24]
    if len(start) == 24 and start[:5].lower() != b"data:":
        try:
            kind = _sniff(decode_base64(start))
        except OcrprepError:
            kind = None
        if kind is not None:
            return (f"is base64 text of a {kind.upper()} file, not the file itself: decode it first (base64 -d), "
                    "or give it as base64 (a data: URI, kind='base64' in iter_pages, OcrInput.add_base64)")
    xml, json_text = _XML.match(head), _JSON.match(head)
    if not xml and not json_text:
        return ""
    try:
        text = head[:1024].decode("utf-8-sig", "strict" if len(head) < 1024 else "ignore")
    except UnicodeDecodeError:
        return ""
    opening = " ".join(text.split())[:100]
    if xml and b"svg" in (xml.group(2) or b"").lower():
        return "is an SVG drawing, not a raster image: convert it to PNG first (for example with rsvg-convert or cairosvg)"
    what = "an XML document" if xml else "JSON text"
    return f"is {what}, not an image (an error answer saved under the image's name?); it begins: {opening!r}"


def _path_hint(head: bytes) -> str:
    """A hint when the "image data" is short text shaped like a file name (``imread(b"/scans/a.png")``,
    ``os.fsencode(path)``): bytes are read as the encoded image itself."""
    if len(head) >= 1024 or b"\0" in head or b"\n" in head:
        return ""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    if not _PATH_LIKE.fullmatch(text.strip()):
        return ""
    return "; these bytes look like a file name: pass a path as str or pathlib.Path (bytes are the image data itself)"


def _open_pil(fp, name: str, max_pixels: int, head: bytes = b""):
    """``Image.open`` with every failure mapped to an ocrprep error; header size checked.

    Pillow's own decompression-bomb guard (about 179 megapixels) fires while
    the header is read.  ocrprep's ``max_pixels`` decides: an image over it
    gets ocrprep's message quoting that limit; an image under it that only
    Pillow refuses (a caller who raised ``max_pixels`` past Pillow's guard)
    is opened after lifting Pillow's guard to ``max_pixels``.
    """
    Image = _pil()
    if head and _sniff(head) == "HEIF":
        _heif_opener(name)
    if head and _pam.is_pam(head):  # Netpbm PAM (P7), which Pillow does not read
        try:
            return _pam.read_pam(fp, name, lambda w, h: _check_pixels(w, h, name, max_pixels))
        except MemoryError:
            raise InvalidImageError(f"{name}: not enough memory to decode this image") from None
    for attempt in (1, 2):
        try:
            im = Image.open(fp)
            break
        except Image.DecompressionBombError as exc:
            found = _PILLOW_BOMB.search(str(exc))
            pixels = int(found.group(1)) if found else None
            if pixels is not None and pixels > max_pixels:
                raise DecompressionBombError(
                    f"{name}: {pixels:,} pixels exceeds the limit of {max_pixels:,} (possible "
                    f"decompression bomb; raise max_pixels= or OCRPREP_MAX_PIXELS if the image is genuine)"
                ) from None
            seekable = getattr(fp, "seekable", lambda: False)()
            if attempt == 2 or pixels is None or not seekable or not _raise_pillow_limit(max_pixels):
                raise DecompressionBombError(f"{name}: {exc}") from None
            fp.seek(0)
        except Exception as exc:  # UnidentifiedImageError is an OSError
            kind = _sniff(head) if head else None
            if kind is None and _HTML.match(head):
                raise UnsupportedFormatError(
                    f"{name}: is an HTML page, not an image (a share or preview link? give the link "
                    "that downloads the file itself)"
                ) from None
            if kind is None and _text_document(head):
                raise UnsupportedFormatError(f"{name}: {_text_document(head)}") from None
            if kind is None:
                raise UnsupportedFormatError(
                    f"{name}: not an image format ocrprep can read "
                    f"(supported: PNG, JPEG, TIFF, BMP, GIF, PNM, WebP, PDF, ZIP){_path_hint(head)}"
                ) from None
            if isinstance(exc, Image.UnidentifiedImageError) and kind in ("TIFF", "BigTIFF"):
                # a valid TIFF Pillow has no decoder for looks just like a damaged one
                raise ImageDecodeError(
                    f"{name}: cannot decode this TIFF: corrupt, or a variant Pillow does not read (64-bit "
                    "or colour float samples, more than 4 channels...); convert it to 8/16-bit grey or RGB"
                ) from None
            if isinstance(exc, Image.UnidentifiedImageError):
                reason = "Pillow cannot identify it"
            else:
                reason = re.sub(r"<[^<>]* at 0x[0-9a-fA-F]+>", "the data", str(exc))
            raise ImageDecodeError(f"{name}: corrupt {kind} data ({reason})") from None
    _check_pixels(im.size[0], im.size[1], name, max_pixels)
    return im


#: EXIF tag of the orientation the camera stored the pixels in (1: as they are)
_EXIF_ORIENTATION = 0x0112


def _upright(im):
    """``im`` as it is meant to be seen: turned or mirrored by its EXIF orientation (2..8)."""
    try:
        orientation = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # unreadable EXIF data: the pixels as stored
        return im
    if orientation not in (2, 3, 4, 5, 6, 7, 8):
        return im
    from PIL import ImageOps

    return ImageOps.exif_transpose(im)


def _to_array(im, name: str, mode: str = "auto", full_scale: int | None = None, reopen=None) -> np.ndarray:
    """Decode a Pillow image into uint8 pixels: 2-D grey or (H, W, 3) RGB.

    ``full_scale``: the sample value the file declares as white for 16-bit
    samples (from a PNG ``sBIT`` chunk; a TIFF's ``MaxSampleValue`` tag is
    read here), see :func:`ocrprep._deep.to_uint8`.  ``reopen()``, when given, opens
    the same image again: Pillow keeps only the high byte of 16-bit RGB
    samples, which is all but empty for 10/12/14-bit data, so such a page is
    decoded a second time for the low bytes (:mod:`ocrprep._deep`).
    """
    Image = _pil()
    try:
        if full_scale is None:
            full_scale = _deep.tiff_full_scale(im)
        _deep.planar_16_tiles(im)
        low_bytes = _deep.low_byte_tiles(im) if reopen is not None else None
        grey_alpha_bytes = _deep.grey_alpha_16_tiles(im)  # (Pillow gives these grey pages as RGBA)
        # libtiff unpacks the planes of a compressed planar page itself, from their high bytes only
        libtiff_planes = getattr(im, "_planar_configuration", 1) == 2 and im.tile[0].codec_name == "libtiff" \
            if low_bytes else False
        im.load()
        paletted = im.mode == "P" or im.format == "GIF"  # (Pillow gives a GIF's later frames as RGB)
        if low_bytes is not None and max(band[1] for band in im.getextrema()) < 64:
            if libtiff_planes:
                import warnings

                warnings.warn(f"{name}: a 16-bit colour TIFF in separate planes whose samples stay under "
                              "16384 (10 to 14-bit data?) is read from its high bytes only and comes out dark; "
                              "save it with contiguous samples (PlanarConfiguration 1) or as 16-bit grey",
                              OcrprepWarning, stacklevel=2)
            else:
                im = _deep.deep_rgb(im, reopen, low_bytes, full_scale)
        elif grey_alpha_bytes and reopen is not None and max(band[1] for band in im.getextrema()) < 64:
            im = _deep.deep_grey_alpha(im, reopen, grey_alpha_bytes, full_scale)
        im = _upright(im)
        m = im.mode
        if mode == "rgb":
            return _flatten_alpha(im) if _has_alpha(im) else np.asarray(im.convert("RGB"))
        if _has_alpha(im):
            arr = _flatten_alpha(im)
            if m in ("L", "LA", "La") or grey_alpha_bytes:  # grey on white paper stays grey: its channels are equal
                arr = arr[..., 0]
        elif m in ("1", "L"):
            arr = np.asarray(im.convert("L") if m == "1" else im)
        elif m.startswith("I") or m == "F":
            raw = np.asarray(im)
            if m == "I" and _unsigned_32(im):
                raw = raw.view(np.uint32)  # Pillow holds 32-bit unsigned TIFF samples in int32: undo the wrap
            if _deep.tiff_min_is_white(im):
                raw, full_scale = _deep.min_is_white(raw, full_scale)
            arr = _deep_to_uint8(raw, full_scale)
        elif m == "RGB":
            arr = np.asarray(im)
        else:  # P without transparency, CMYK, YCbCr, LAB, HSV, ...
            arr = np.asarray(im.convert("RGB"))
        if arr.ndim == 3 and (mode == "gray" or (mode == "auto" and paletted and _channels_equal(arr))):
            arr = arr[..., 0] if _channels_equal(arr) else np.asarray(Image.fromarray(arr).convert("L"))
    except OcrprepError:
        raise
    except MemoryError:
        raise InvalidImageError(f"{name}: not enough memory to decode this image") from None
    except _DECODE_ERRORS as exc:
        raise ImageDecodeError(f"{name}: corrupt or truncated image data ({exc})") from None
    if arr.dtype != np.uint8:
        arr = arr.astype(np.uint8)
    if not arr.flags.writeable or not arr.flags.c_contiguous:
        arr = np.array(arr, order="C")
    return arr


def _reopen(fp, start):
    """The image at ``fp`` (from ``start``) opened again."""
    fp.seek(start)
    return _pil().open(fp)


def _unsigned_32(im) -> bool:
    """A TIFF page of 32-bit unsigned integer samples (BitsPerSample 32, SampleFormat 1)."""
    tags = getattr(im, "tag_v2", None)
    if tags is None:
        return False
    bits, fmt = tags.get(258), tags.get(339, 1)
    bits = bits[0] if isinstance(bits, tuple) and bits else bits
    fmt = fmt[0] if isinstance(fmt, tuple) and fmt else fmt
    return bits == 32 and fmt == 1


def _has_alpha(im) -> bool:
    """An alpha channel, or a colour key (PNG tRNS, GIF transparent index) marking transparent pixels."""
    return im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (im.mode in ("P", "L", "RGB") and "transparency" in im.info)


def _flatten_alpha(im) -> np.ndarray:
    """Composite on white paper: transparent regions of a document are blank paper."""
    Image = _pil()
    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))


def _array_page(arr, name: str = "image") -> np.ndarray:
    """A numpy page as the readers give a decoded file: uint8, (H, W) grey or (H, W, 3) RGB.

    The pixels a user holds in an array are read as the same pixels in a file
    would be: booleans are 0/255, 16-bit and float images are scaled to 8
    bits as :func:`imread` scales a 16-bit PNG or a float TIFF (floats in
    [0, 1] times 255), grey+alpha and RGBA are laid on white paper
    (:func:`ocrprep.flatten_alpha`).  The kernels themselves take uint8 only.
    """
    from .color import flatten_alpha

    _checks._not_masked(arr, name)
    if not isinstance(arr, np.ndarray):
        raise ImageTypeError(f"{name} must be a numpy.ndarray, got {type(arr).__name__}")
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 2, 3, 4)):
        hint = ""
        if arr.ndim == 1 and arr.dtype == np.uint8 and _sniff(arr[:16].tobytes()):
            hint = " (it holds an encoded image file: pass arr.tobytes())"
        raise InvalidImageError(
            f"{name} must be 2-D (grey) or 3-D with 1, 2 (grey+alpha), 3 or 4 channels, got shape {arr.shape}{hint}"
        )
    if arr.size == 0:
        raise InvalidImageError(f"{name} is empty (shape {arr.shape})")
    _checks._sides(arr, name, _checks.MAX_SIDE)  # before any conversion copies it
    if arr.dtype == bool:
        arr = np.where(arr, np.uint8(255), np.uint8(0))
    elif arr.dtype != np.uint8:
        if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
            raise ImageTypeError(f"{name} must hold integer, float or bool pixels, got dtype {arr.dtype}")
        arr = _deep_to_uint8(arr)
    if arr.ndim == 3:
        arr = flatten_alpha(arr)  # 1 channel: 2-D; alpha: transparent pixels are paper
    return _checks.image_gray_or_color(arr, name)


def _channels_equal(arr: np.ndarray) -> bool:
    return bool(np.array_equal(arr[..., 0], arr[..., 1]) and np.array_equal(arr[..., 0], arr[..., 2]))


#: 16/32-bit integer or float grey levels to 8 bits (see :func:`ocrprep._deep.to_uint8`)
_deep_to_uint8 = _deep.to_uint8


# --------------------------------------------------------------------------- #
# sources
# --------------------------------------------------------------------------- #
def _is_url(s) -> bool:
    return isinstance(s, str) and s.lstrip()[:8].lower().startswith(("http://", "https://"))


_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _requote(url: str) -> str:
    """``url`` as a browser sends it: spaces and non-ASCII characters of the path and
    query percent-encoded (UTF-8), escapes already there kept, the fragment left out."""
    parts = urllib.parse.urlsplit(url.strip())

    def quote(text, safe):
        return urllib.parse.quote(_BARE_PERCENT.sub("%25", text), safe=safe)

    path = quote(parts.path, "/%:@!$&'()*+,;=~")
    query = quote(parts.query, "/%:@!$&'()*+,;=~?")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _is_data_uri(s) -> bool:
    return isinstance(s, (str, bytes)) and s[:5].lower() in ("data:", b"data:")


def _stem_of(name: str, default: str = "page") -> str:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    base = urllib.parse.unquote(base.split("?", 1)[0].split("#", 1)[0])
    stem = Path(base).stem if base else ""
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._")
    return stem or default


def _read_path_head(path: Path, n: int = 1024) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def fetch_url(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> bytes:
    """Download an http(s) URL into memory, with a time limit and a size cap.

    ``timeout`` (default :data:`URL_TIMEOUT`) bounds the **whole** fetch, not
    each network read: connection, response headers and body must all arrive
    within ``timeout`` seconds of the call, so a server that trickles a byte
    at a time cannot hold the download longer.  (Each single wait for the
    network is bounded by the same value.)

    Raises
    ------
    DownloadError
        Network failure, time limit exceeded or an HTTP error status.
    InputTooLargeError
        More than ``max_bytes`` (default :data:`MAX_BYTES`) announced or received.
    InvalidParameterError
        Not an http(s) URL (``file:``, ``ftp:`` ... are refused), or a timeout <= 0.
    """
    if not isinstance(url, str):
        raise ParameterTypeError(f"url must be a string, got {type(url).__name__}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidParameterError(f"only http(s) URLs can be fetched, got {url!r}")
    cap = MAX_BYTES if max_bytes is None else max_bytes
    timeout = URL_TIMEOUT if timeout is None else _checks.real(timeout, "timeout")
    if not timeout > 0:
        raise InvalidParameterError(f"timeout must be > 0 seconds, got {timeout}")
    url = url.strip()
    request = urllib.request.Request(_requote(url), headers={"User-Agent": "ocrprep"})
    deadline = _Deadline(timeout)
    too_slow = f"{url}: timed out (the whole download must finish within {timeout:g} s)"
    try:
        with _http_opener(deadline).open(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length is not None and length.isdigit():
                _byte_cap(int(length), url, "download", cap)
            read = getattr(resp, "read1", resp.read)  # read1: return what has arrived, never wait for 64 KiB
            chunks, total = [], 0
            while True:
                if deadline.remaining() <= 0:
                    raise DownloadError(too_slow)
                chunk = read(1 << 16)
                if not chunk:
                    break
                total += len(chunk)
                _byte_cap(total, url, "download", cap)
                chunks.append(chunk)
            if deadline.expired and not (length is not None and length.isdigit() and total == int(length)):
                raise DownloadError(too_slow)  # the watchdog cut the connection: not a real end of data
    except OcrprepError:
        raise
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if deadline.expired or isinstance(exc.reason, TimeoutError):
            raise DownloadError(too_slow) from None
        raise DownloadError(f"{url}: cannot fetch ({exc.reason})") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired or isinstance(exc, TimeoutError):
            raise DownloadError(too_slow) from None
        raise DownloadError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
    finally:
        deadline.cancel()
    return b"".join(chunks)


class _Deadline:
    """The time limit of one :func:`fetch_url` call.

    A timer shuts down the fetch's connections when the time is up, which
    wakes a read blocked on a server that sends a byte now and then (a
    socket timeout only bounds each single wait); :func:`fetch_url` also
    checks :meth:`remaining` between reads.
    """

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._connections: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def watch(self, connection) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                self._cut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                self._cut(connection)

    @staticmethod
    def _cut(connection) -> None:
        sock = getattr(connection, "sock", None)
        if sock is None:
            return
        try:  # the plain-socket shutdown: also right for TLS sockets, and safe while another thread reads
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except (OSError, ValueError, TypeError):
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs (never ftp:, file:, ...)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"redirect to a non-http(s) URL refused: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _WatchedConnections:
    """Handler mix-in: every connection it opens is registered with a :class:`_Deadline`."""

    def __init__(self, deadline, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def do_open(self, http_class, req, **kwargs):
        deadline = self._deadline
        if deadline is None:
            return super().do_open(http_class, req, **kwargs)

        def connection(*args, **kw):
            conn = http_class(*args, **kw)
            original = conn.connect

            def connect():
                original()
                deadline.watch(conn)

            conn.connect = connect
            return conn

        return super().do_open(connection, req, **kwargs)


class _HTTPHandler(_WatchedConnections, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_WatchedConnections, urllib.request.HTTPSHandler):
    pass


def _http_opener(deadline: _Deadline | None = None):
    """An opener with only the http(s) handlers (``urlopen`` would also speak ftp: and file:)."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


_B64_LINES = re.compile(rb"[ \t]*(?:\r\n|[\r\n\f\v])[ \t]*")
_B64_URLSAFE = bytes.maketrans(b"-_", b"+/")
_B64_PERCENT = re.compile(rb"(?:[A-Za-z0-9+/=_ -]|%[0-9A-Fa-f]{2})*%(?:2[BbFf]|3[Dd])(?:[A-Za-z0-9+/=_ -]|%[0-9A-Fa-f]{2})*")
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def _spaces_separate_groups(data: bytes) -> bool:
    """Blanks between equal groups ("AAAA BBBB CCCC", lines of 76 joined by blanks): layout, not data."""
    groups = data.split(b" ")
    if len(groups) < 3 or not groups[-1]:
        return False
    size = len(groups[0])
    return size % 4 == 0 and size >= 4 and all(len(g) == size for g in groups[:-1]) and len(groups[-1]) <= size


def decode_base64(data, *, max_bytes: int | None = None, name: str = "base64") -> bytes:
    """Decode a base64 string (plain, or a ``data:...;base64,`` URI) into bytes.

    Line breaks and the blanks around them are ignored, and so is what
    encoders differ in: missing ``=`` padding, and the URL-safe alphabet
    (``-``, ``_``; not mixed with ``+``, ``/``).  Two manglings by web
    transports are undone, because each can be undone exactly:

    * blanks where ``+`` belongs: a form-encoded body or URL query decoded
      on the way turns every ``+`` into a blank.  Blanks inside the text of
      a string without any ``+`` are read as ``+`` (blanks between groups
      of equal length, ``"AAAA BBBB CCCC"``, are layout and dropped); the
      result must then start as an image, PDF or zip file, otherwise it is
      refused with a message saying what was tried;
    * percent-encoding (``%2B``, ``%2F``, ``%3D``): a URL-encoded value
      passed on undecoded.

    Raises :class:`ImageDecodeError` on invalid base64, naming what is
    wrong, and :class:`InputTooLargeError` beyond ``max_bytes``.

    Examples
    --------
    >>> sent = "R0lGODlh+AQABAAAAACw="
    >>> decode_base64(sent.replace("+", " ")) == decode_base64(sent)   # '+' turned into a blank by a web form
    True
    >>> decode_base64("R0lGODlh-AQABAAAAACw") == decode_base64(sent)   # URL-safe alphabet, no padding
    True
    """
    if isinstance(data, str):
        try:
            data = data.encode("ascii")
        except UnicodeEncodeError:
            raise ImageDecodeError(f"{name}: base64 text contains non-ASCII characters") from None
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise ParameterTypeError(f"{name}: base64 data must be str or bytes, got {type(data).__name__}")
    data = data.strip()
    if data[:5].lower() == b"data:":
        header, sep, payload = data.partition(b",")
        if not sep or b";base64" not in header.lower():
            raise ImageDecodeError(f"{name}: only base64 data: URIs are supported")
        data = payload.strip()
    _byte_cap(len(data) * 3 // 4, name, "base64 payload", max_bytes)
    if any(c in data for c in (b"\n", b"\r", b"\f", b"\v")):
        if b" " in data or b"\t" in data:  # blanks around line breaks (indented text) go with them
            data = _B64_LINES.sub(b"", data)
        else:
            data = data.translate(None, b"\r\n\f\v")
    if b"\t" in data:
        data = data.replace(b"\t", b"")
    data = data.strip(b" ")
    if b"%" in data and _B64_PERCENT.fullmatch(data):
        data = urllib.parse.unquote_to_bytes(data)
    blanks_were_plus = False
    if b" " in data:
        if _spaces_separate_groups(data):
            data = data.replace(b" ", b"")
        elif b"+" in data:
            raise ImageDecodeError(
                f"{name}: invalid base64: blanks inside the text beside '+' signs (neither line breaks "
                "nor '+' turned into blanks by form encoding); send the base64 text unchanged"
            )
        else:  # a web form or URL query turned every '+' into a blank
            data = data.replace(b" ", b"+")
            blanks_were_plus = True
    urlsafe = b"-" in data or b"_" in data
    if urlsafe:
        if b"+" in data or b"/" in data:
            what = "blanks read as '+'" if blanks_were_plus else "'+' or '/'"
            raise ImageDecodeError(f"{name}: invalid base64: it mixes the URL-safe alphabet ('-', '_') with {what}")
        data = data.translate(_B64_URLSAFE)
    if data.translate(None, _B64_CHARS) or b"=" in data.rstrip(b"="):
        bad = re.search(rb"[^A-Za-z0-9+/=]|=(?=[^=])", data)
        char = chr(data[bad.start()]) if bad else "?"
        where = bad.start() if bad else 0
        why = ""
        if char == "\\" and data[where + 1:where + 2] in (b"n", b"r"):
            why = " (line breaks escaped twice: the text holds '\\n' as two characters)"
        raise ImageDecodeError(f"{name}: invalid base64: character {char!r} at position {where:,} is not base64{why}")
    if len(data.rstrip(b"=")) % 4 == 1:
        raise ImageDecodeError(f"{name}: invalid base64: {len(data.rstrip(b'=')):,} characters, one more than a "
                               "multiple of 4 (the text was cut or has a character too many)")
    if len(data) % 4:
        data = data.rstrip(b"=")
        data += b"=" * (-len(data) % 4)
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageDecodeError(f"{name}: invalid base64 ({exc})") from None
    if not raw:
        raise ImageDecodeError(f"{name}: empty base64 payload")
    if blanks_were_plus and _sniff(raw[:1024]) is None:
        raise ImageDecodeError(
            f"{name}: invalid base64: it holds blanks, and read with each blank as the '+' a web form turns "
            "into a blank, it is still not an image, PDF or zip file"
        )
    return raw


def _is_base64_file(text) -> bool:
    """True when a BASE64 source is the path of a ``.txt`` file (rather than base64 text)."""
    if not isinstance(text, (str, os.PathLike)) or _is_data_uri(text):
        return False
    s = os.fspath(text)
    return isinstance(s, str) and len(s) < 4096 and s.lower().endswith(".txt")


def _base64_source(text, name, max_bytes=None) -> bytes:
    """Base64 text, or the path of a .txt file holding it (as Aspose's BASE64 input allows)."""
    if _is_base64_file(text):
        s = os.fspath(text)
        p = Path(s)
        if not p.is_file():
            raise InputNotFoundError(f"{s}: no such file")
        _byte_cap(p.stat().st_size, s, "base64 file", None if max_bytes is None else max_bytes * 4 // 3 + 4)
        return decode_base64(p.read_bytes(), max_bytes=max_bytes, name=name)
    return decode_base64(text, max_bytes=max_bytes, name=name)


# --------------------------------------------------------------------------- #
# page iteration
# --------------------------------------------------------------------------- #
def _pages_from_pil_file(fp, name, stem, *, head, mode, max_pixels, first, count, all_frames, on_error="raise",
                         need_count=True):
    """The pages of an image file: every page of a TIFF, else the one image.

    A TIFF's pages are found through :mod:`ocrprep._tiff` (the chain of page
    directories walked once, and kept for a file on disk), so page k costs
    O(k) once and a whole file O(pages).  With ``on_error="yield"``, a
    page that cannot be read (corrupt data, a page directory Pillow cannot
    set up, over ``max_pixels``) is a :class:`PageError` and the next page
    goes on; where the chain of directories breaks, one error names that
    page and the pages after it.  ``need_count=False`` (imread) walks no
    further than the page asked for (``Page.pages`` is then ``None``).
    """
    try:
        start = fp.tell()
    except (OSError, AttributeError, ValueError):
        start = None
    im = _open_pil(fp, name, max_pixels, head)
    if im.format in ("JPEG", "MPO"):
        _check_jpeg_scans(fp, start, name)
    chain = None
    if all_frames and im.format == "TIFF" and start is not None:
        chain = _tiff_chain(fp, start, name)
    if all_frames and _multiframe_gif(im):
        yield from _gif_pages(im, name, stem, mode, max_pixels, first, count, on_error)
        return
    if chain is None:
        _page_indexes(first, count, 1, name)
        deep = im.format == "PNG" and (im.mode.startswith("I") or _deep.low_byte_tiles(im) is not None
                                       or _deep.grey_alpha_16_tiles(im) is not None)
        full_scale = _deep.png_full_scale(fp, start) if deep else None
        reopen = functools.partial(_reopen, fp, start) if start is not None else None
        yield Page(name, 1, _to_array(im, name, mode, full_scale, reopen), 1, stem)
        return
    from ._tiff import Backing, BufferedPage, PageView, TiffImageFile

    backing = []  # the buffer libtiff decodes compressed pages from, made for the first one

    def backing_of():
        if not backing:
            backing.append(Backing(fp, start))
        return backing[0]

    try:
        yield from _tiff_pages(fp, start, im, chain, name, stem, mode, max_pixels, first, count, on_error,
                               need_count, lambda header: BufferedPage(PageView(fp, start, header, backing_of), 16384),
                               TiffImageFile)
    finally:
        if backing:
            backing[0].close()


def _multiframe_gif(im) -> bool:
    """A GIF of several frames: the pages of a document exported as GIF (or an animation's frames)."""
    if im.format != "GIF":
        return False
    try:
        return bool(im.is_animated)
    except _DECODE_ERRORS:  # a damaged second frame: the first is read as a single image
        return False


def _gif_pages(im, name, stem, mode, max_pixels, first, count, on_error):
    """Every frame of a multi-frame GIF as a page, as Pillow composes it (later frames drawn over earlier ones)."""
    try:
        nframes = im.n_frames  # frame headers only: nothing is decoded
    except _DECODE_ERRORS as exc:
        raise ImageDecodeError(f"{name}: corrupt GIF data ({exc})") from None
    for index in _page_indexes(first, count, nframes, name):
        label = f"{name} page {index + 1}"
        try:
            try:
                im.seek(index)
            except _DECODE_ERRORS as exc:
                raise ImageDecodeError(f"{name}: cannot read page {index + 1} ({exc})") from None
            _check_pixels(im.size[0], im.size[1], label, max_pixels)
            arr = _to_array(im, label, mode)
        except OcrprepError as exc:
            if on_error == "raise":
                raise
            yield PageError(name, index + 1, exc, stem)
            if "cannot read page" in str(exc):
                return  # frames are drawn over the frames before them: past a broken one, none is right
            continue
        yield Page(name, index + 1, arr, nframes, stem)


def _tiff_pages(fp, start, im, chain, name, stem, mode, max_pixels, first, count, on_error, need_count, view_of,
                TiffImageFile):
    """The pages of a multi-page TIFF (see :func:`_pages_from_pil_file`)."""
    stop = None if count is None else first + count - 1  # the last page asked for (0-based)
    chain.walk(fp, start, None if need_count else stop)
    found = len(chain.offsets)
    nframes = found if chain.end == "end" else None  # None: the chain breaks, the count is unknown
    if chain.end == "end" and first >= found:
        raise InvalidParameterError(f"{name}: start page {first} is beyond its {found} page(s)")
    index = first
    while stop is None or index <= stop:
        if index >= len(chain.offsets):
            chain.walk(fp, start, index)
        if index >= len(chain.offsets):
            if chain.end == "end":
                return  # past the last page
            # the chain breaks before this page: it, and every page after it, is out of reach
            broken_at = len(chain.offsets) + 1
            if on_error == "raise":
                raise ImageDecodeError(f"{name}: cannot read page {index + 1} ({chain.end})")
            also = "" if index + 1 == broken_at else f" (the page directories break at page {broken_at})"
            error = ImageDecodeError(f"{name}: cannot read page {index + 1} or any page after it ({chain.end}){also}")
            yield PageError(name, index + 1, error, stem)
            return
        label = f"{name} page {index + 1}"
        try:
            if index == 0:
                page_im = im
            else:
                try:  # the page alone, through a view whose header names its directory
                    page_im = TiffImageFile(view_of(chain.header_for(index)))
                except MemoryError:
                    raise
                except Exception as exc:  # _DECODE_ERRORS and whatever a damaged directory raises
                    raise ImageDecodeError(f"{name}: cannot read page {index + 1} ({exc})") from None
            _check_pixels(page_im.size[0], page_im.size[1], label, max_pixels)
            if index == 0:
                reopen = functools.partial(_reopen, fp, start)
            else:
                reopen = functools.partial(lambda h: TiffImageFile(view_of(h)), chain.header_for(index))
            arr = _to_array(page_im, label, mode, reopen=reopen)
        except OcrprepError as exc:
            if on_error == "raise":
                raise
            yield PageError(name, index + 1, exc, stem)
        else:
            yield Page(name, index + 1, arr, nframes, stem)
        index += 1


def _tiff_chain(fp, start, name):
    """The chain of page directories of the TIFF open in ``fp`` (see :mod:`ocrprep._tiff`),
    kept across calls for a file on disk; ``None`` if it cannot be set up (then only page 1 is read)."""
    from ._tiff import chain_of, file_key

    try:
        size = fp.seek(0, os.SEEK_END) - start
        return chain_of(fp, start, size, file_key(fp))
    except (OSError, ValueError, struct.error):
        return None


def _check_jpeg_scans(fp, start, name) -> None:
    """Refuse a JPEG with more than :data:`JPEG_MAX_SCANS` scans, from its markers (nothing decoded).

    ``fp`` holds the JPEG from offset ``start``: a file is mapped (not read),
    a ``BytesIO`` viewed in place, another stream read whole (the decoder
    would read it whole anyway).  When the data cannot be reached, the check
    is skipped.
    """
    from ._jpeg import scan_count

    limit = JPEG_MAX_SCANS
    if start is None:
        return
    pos = None
    try:
        pos = fp.tell()
        if isinstance(fp, _stdio.BytesIO):
            with fp.getbuffer() as view:
                scans = scan_count(view[start:], limit)
        else:
            try:
                fileno = fp.fileno()
            except (OSError, AttributeError, ValueError):
                fileno = None
            if fileno is not None and os.fstat(fileno).st_size > start:
                import mmap

                with mmap.mmap(fileno, 0, access=mmap.ACCESS_READ) as mapped, memoryview(mapped) as view:
                    scans = scan_count(view[start:], limit)
            else:
                fp.seek(start)
                data = fp.read()
                scans = scan_count(data if isinstance(data, bytes) else b"", limit)
    except (OSError, ValueError, BufferError):
        return  # the data cannot be reached this way: the decoder decides
    finally:
        if pos is not None:
            try:
                fp.seek(pos)
            except (OSError, ValueError):
                pass
    if scans > limit:
        raise DecompressionBombError(
            f"{name}: the JPEG has more than {limit:,} scans (each one re-reads the whole image; real "
            f"files have 1-10): possible scan bomb; raise ocrprep.io.JPEG_MAX_SCANS or "
            f"OCRPREP_JPEG_MAX_SCANS if the file is genuine"
        )


def _pdfium():
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise UnsupportedFormatError(
            "reading PDF needs pypdfium2: pip install 'ocrprep[pdf]' (or pip install pypdfium2)"
        ) from None
    return pdfium


def _open_pdf(data, name):
    pdfium = _pdfium()
    try:
        with _PDFIUM_LOCK:
            doc = pdfium.PdfDocument(data)
            n = len(doc)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        code = getattr(exc, "err_code", None)
        if "password" in msg.lower() or code == 4:  # FPDF_ERR_PASSWORD
            raise ImageDecodeError(f"{name}: the PDF is encrypted (password required)") from None
        if _pdf_declares_no_pages(data):
            # PDFium refuses to open a document whose page tree is empty.
            raise ImageDecodeError(f"{name}: the PDF has no pages") from None
        raise ImageDecodeError(f"{name}: corrupt or unreadable PDF ({msg})") from None
    if n == 0:
        with _PDFIUM_LOCK:
            doc.close()
        raise ImageDecodeError(f"{name}: the PDF has no pages")
    return doc, n


_PDF_PAGE_OBJ = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PDF_COUNT_ZERO = re.compile(rb"/Count\s+0(?![0-9])")


def _pdf_declares_no_pages(data) -> bool:
    """True when a PDF that PDFium refused has a page tree with no page objects."""
    try:
        if isinstance(data, (str, os.PathLike)):
            if Path(data).stat().st_size > MAX_BYTES:
                return False
            raw = Path(data).read_bytes()
        else:
            raw = bytes(data)
    except (OSError, TypeError, ValueError):
        return False
    return bool(_PDF_COUNT_ZERO.search(raw)) and not _PDF_PAGE_OBJ.search(raw)


def _pdf_limits() -> dict:
    """The limits of one PDF page, read at call time (tests and callers may change them)."""
    return {
        "seconds": PDF_RENDER_SECONDS, "memory": PDF_RENDER_MEMORY, "check": True,
        "draws": PDF_MAX_DRAWS, "depth": PDF_MAX_FORM_DEPTH, "content": PDF_MAX_CONTENT,
    }


def _pdf_reader(data):
    """pypdf's reader of a PDF, for the static page check; None without pypdf or if it cannot read it."""
    from ._pdfworker import _open_reader

    return _open_reader(str(data) if isinstance(data, Path) else data)


def _render_pdf_page(doc, index, label, *, mode, max_pixels, scale, session=None, reader=None):
    """Rasterise page ``index`` of an open PDF; every failure is an ocrprep error naming ``label``.

    With a ``session`` (:class:`ocrprep._pdfrender.Session`) the page is
    checked and rendered in a worker process under :data:`PDF_RENDER_SECONDS`
    and :data:`PDF_RENDER_MEMORY`; without one, in this process after the
    static check of its forms (``reader``, see :func:`ocrprep._pdfworker.page_cost`).
    """
    with _PDFIUM_LOCK:
        try:  # the size from the page dictionary: PDFium does not parse the page for it
            w_pt, h_pt = doc.get_page_size(index)
        except MemoryError:
            raise
        except Exception as exc:  # PdfiumError: a page-tree kid that is not a page
            raise ImageDecodeError(f"{label}: cannot load the page ({exc})") from None
    w, h = int(round(w_pt * scale)), int(round(h_pt * scale))
    _check_pixels(w, h, label, max_pixels)
    if session is not None:
        pil_mode, size, pixels = session.render(
            index, label, scale=scale, gray=mode == "gray", pixels=w * h, limits=_pdf_limits()
        )
        channels = {"L": 1, "RGB": 3}.get(pil_mode)
        if channels is not None and len(pixels) == size[0] * size[1] * channels and not (
                mode == "rgb" and channels == 1):
            # the pixels as they came (a writeable buffer of this process): no copy
            arr = np.frombuffer(pixels, np.uint8).reshape((size[1], size[0]) + ((3,) if channels == 3 else ()))
            if mode == "auto" and arr.ndim == 3 and _channels_equal(arr):
                arr = np.ascontiguousarray(arr[..., 0])
            return arr
        try:
            pil = _pil().frombuffer(pil_mode, size, pixels, "raw", pil_mode, 0, 1)
        except (ValueError, TypeError) as exc:
            raise ImageDecodeError(f"{label}: the renderer sent unusable pixels ({exc})") from None
    else:
        if reader is not None:
            from ._pdfworker import TooComplex, page_cost

            limits = _pdf_limits()
            try:
                page_cost(reader, index, max_draws=limits["draws"], max_depth=limits["depth"],
                          max_content=limits["content"])
            except TooComplex as exc:
                raise DecompressionBombError(f"{label}: {exc}") from None
            except MemoryError:
                raise
            except Exception:
                pass  # a structure the check cannot follow: PDFium decides
        with _PDFIUM_LOCK:
            try:
                page = doc[index]  # PDFium cannot load some pages (a page-tree kid that is not a page)
            except MemoryError:
                raise
            except Exception as exc:  # PdfiumError and friends
                raise ImageDecodeError(f"{label}: cannot load the page ({exc})") from None
            try:
                bitmap = page.render(scale=scale, grayscale=mode == "gray")
                pil = bitmap.to_pil()
                bitmap.close()
            except (OcrprepError, MemoryError):
                raise
            except Exception as exc:  # PdfiumError and friends
                raise ImageDecodeError(f"{label}: cannot render ({exc})") from None
            finally:
                page.close()
    arr = _to_array(pil, label, mode)
    if mode == "auto" and arr.ndim == 3 and _channels_equal(arr):
        arr = np.ascontiguousarray(arr[..., 0])
    return arr


def _pages_from_pdf(data, name, stem, *, mode, max_pixels, first, count, dpi, on_error="raise"):
    """The pages of a PDF; a page that cannot be loaded or rendered, or that passes the limits of
    :data:`PDF_MAX_DRAWS`, :data:`PDF_RENDER_SECONDS` or :data:`PDF_RENDER_MEMORY`, is a
    :class:`PageError` (with ``on_error="yield"``) and the next page goes on."""
    from . import _pdfrender

    doc, n = _open_pdf(data, name)
    session = reader = None
    try:
        indexes = _page_indexes(first, count, n, name)
        scale = dpi / 72.0
        if PDF_ISOLATE and _pdfrender.available():
            session = _pdfrender.Session(str(data) if isinstance(data, (str, Path)) else data, name)
        else:
            reader = _pdf_reader(data)
        for index in indexes:
            label = f"{name} page {index + 1}"
            try:
                arr = _render_pdf_page(doc, index, label, mode=mode, max_pixels=max_pixels, scale=scale,
                                       session=session, reader=reader)
            except OcrprepError as exc:
                if on_error == "raise":
                    raise
                yield PageError(name, index + 1, exc, stem)
                continue
            yield Page(name, index + 1, arr, n, stem)
    finally:
        if session is not None:
            session.close()
        with _PDFIUM_LOCK:
            doc.close()


def count_pages(source, *, kind: str | None = None) -> int:
    """Number of pages of a TIFF/PDF/image source (1 for ordinary images), without decoding pixels."""
    data, name, _stem, detected = _resolve(source, kind)
    if detected == "pdf":
        doc, n = _open_pdf(data, name)
        with _PDFIUM_LOCK:
            doc.close()
        return n
    if detected in ("zip", "directory", "url", "base64"):
        return sum(1 for _ in iter_pages(source, kind=kind, on_error="yield"))
    if detected == "pil":
        return getattr(data, "n_frames", 1) if kind != "image" and data.format in ("TIFF", "GIF") else 1
    fp = _as_fp(data)
    try:
        start = fp.tell()
        head = _peek(fp)
        if _pam.is_pam(head):  # one image a file (read whole when opened: not just to count it)
            return 1
        im = _open_pil(fp, name, 1 << 62, head)
        if kind != "image" and _multiframe_gif(im):
            try:
                return im.n_frames
            except _DECODE_ERRORS as exc:
                raise ImageDecodeError(f"{name}: corrupt GIF data ({exc})") from None
        if im.format != "TIFF" or kind == "image":
            return 1
        chain = _tiff_chain(fp, start, name)  # walks the page directories once (kept for the readers)
        if chain is None:
            raise ImageDecodeError(f"{name}: corrupt TIFF directory (cannot read the file's header)")
        n = chain.count(fp, start)
        if n is None:  # the chain breaks (iter_pages reads the pages before the break)
            raise ImageDecodeError(f"{name}: corrupt TIFF directory ({chain.end})")
        return n
    finally:
        _close_fp(fp, data)


def _as_fp(data):
    if isinstance(data, Path):
        return open(data, "rb")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _stdio.BytesIO(data)
    return data


def _close_fp(fp, data):
    if fp is not data:
        fp.close()


def _peek(fp) -> bytes:
    try:
        pos = fp.tell()
        head = fp.read(1024)
        fp.seek(pos)
        return head if isinstance(head, bytes) else b""
    except (OSError, AttributeError, ValueError):
        return b""


def _seekable(fp) -> bool:
    try:
        return bool(fp.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _read_stream(fp, label: str, max_bytes: int | None = None) -> bytes:
    """The rest of a binary file object, read in chunks; one that cannot seek (a pipe, a
    socket, stdin, an HTTP response) is read up to ``max_bytes`` (default :data:`MAX_BYTES`),
    so an endless or huge stream ends in :class:`InputTooLargeError`, not in all the memory."""
    cap = None if _seekable(fp) else (MAX_BYTES if max_bytes is None else max_bytes)
    chunks, total = [], 0
    while True:
        want = 1 << 20 if cap is None else max(1, min(1 << 20, cap + 1 - total))
        try:
            chunk = fp.read(want)
        except TypeError:  # a duck-typed reader whose read() takes no size: all of it at once
            if chunks:
                raise
            chunk, whole = fp.read(), True
        else:
            whole = False
        if chunk is None:  # a non-blocking stream with nothing ready
            raise ParameterTypeError(f"{label}: the file object returned no data (non-blocking?); pass its bytes")
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise ParameterTypeError(f"{label}: file object must be opened in binary mode ('rb')")
        if not chunk:
            return b"".join(chunks)
        chunks.append(bytes(chunk))
        total += len(chunk)
        if cap is not None and total > cap:
            raise InputTooLargeError(
                f"{label}: the stream holds more than {cap:,} bytes, the limit for a file object that cannot "
                "seek (OCRPREP_MAX_BYTES); save it to a file and pass the path"
            )
        if whole:
            return chunks[0]


def _missing_path_hint(text: str, base64_how: str = "base64 text needs a 'data:' prefix, or kind='base64' in "
                                                    "iter_pages") -> str:
    """Why a path a user typed is not found when the reason is a common slip: a ``~`` that
    nothing expanded (only shells do), blanks pasted around it, or base64 text of an image."""
    if text.startswith("~") and os.path.exists(os.path.expanduser(text)):
        return f" (the ~ is not expanded: pass os.path.expanduser({text!r}))"
    if text != text.strip() and os.path.exists(text.strip()):
        return f" (it has blanks around it: {text.strip()!r} exists)"
    head = text.strip()[:24]
    if len(head) == 24:
        try:
            kind = _sniff(decode_base64(head))
        except OcrprepError:
            kind = None
        if kind is not None:
            return f" (it is base64 text of a {kind.upper()} file: {base64_how})"
    return ""


def _upload_name(source) -> str | None:
    """The client's file name of an upload object (``UploadFile.filename`` of FastAPI/Starlette,
    ``FileStorage.filename`` of Flask, whose ``.name`` is the form field's name)."""
    filename = getattr(source, "filename", None)
    return filename if isinstance(filename, str) and filename else None


def _sync_stream(source):
    """A file object whose ``read()`` returns bytes now.  An asynchronous one (FastAPI's and
    Starlette's ``UploadFile``, aiofiles) is replaced by the synchronous file it wraps
    (``UploadFile.file``) when it has one, else refused with what to do."""
    if not inspect.iscoroutinefunction(getattr(source, "read", None)):
        return source
    inner = getattr(source, "file", None)
    if inner is not None and callable(getattr(inner, "read", None)) and not inspect.iscoroutinefunction(inner.read):
        return inner
    raise ParameterTypeError(
        f"{type(source).__name__}.read() is asynchronous: pass the bytes of `await f.read()` instead"
    )


def _position(fp) -> int | None:
    try:
        return fp.tell()
    except (OSError, AttributeError, ValueError):
        return None


def _stream_end_hint(position: int | None) -> str:
    """Why a file object gave no bytes when it was read from ``position``: already read or
    written to its end (``img.save(buf)`` leaves ``buf`` there), the commonest slip."""
    if not position:
        return ""
    return (f" (the file object is at its end, position {position:,}: it was already written or read; "
            "rewind it with .seek(0) before passing it)")


def _resolve(source, kind=None, *, name=None, index=1, max_bytes=None):
    """Normalise a source into ``(data, name, stem, kind)``.

    ``data`` is a Path, bytes, a binary file object, a PIL image or an ndarray;
    ``kind`` is 'image', 'pdf', 'zip', 'directory', 'pil' or 'array'.
    """
    if kind is not None and kind not in ("image", "pdf", "tiff", "zip", "directory", "url", "base64"):
        raise InvalidParameterError(f"unknown source kind {kind!r}")
    Image = None
    if isinstance(source, np.ndarray):
        return source, name or f"array{index}", _stem_of(name or f"array{index}"), "array"
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a runtime dependency
        pass
    if Image is not None and isinstance(source, Image.Image):
        fname = getattr(source, "filename", "") or ""
        label = name or fname or f"image{index}"
        return source, label, _stem_of(label, f"image{index}"), "pil"
    if kind == "base64" or (kind is None and _is_data_uri(source)):
        label = name or (os.fspath(source) if _is_base64_file(source) else f"base64_{index}")
        raw = _base64_source(source, label, max_bytes)
        return raw, label, _stem_of(label, f"base64_{index}"), _sniff_kind(raw[:1024])
    if kind == "url" or (kind is None and _is_url(source)):
        if not _is_url(source):
            raise InvalidParameterError(f"not an http(s) URL: {source!r}")
        raw = fetch_url(source, max_bytes=max_bytes)
        return raw, name or source, _stem_of(source, f"download{index}"), _sniff_kind(raw[:1024])
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        if not raw:
            raise ImageDecodeError(f"{name or f'bytes{index}'}: empty data")
        label = name or f"bytes{index}"
        return raw, label, _stem_of(label, f"image{index}"), _sniff_kind(raw[:1024])
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if isinstance(text, bytes):
            text = os.fsdecode(text)
        if not text:  # Path("") is the current directory: never read it by accident
            raise InvalidParameterError(
                f"{name + ': ' if name else ''}the path is empty (give the path of a file or folder; "
                "'.' for the current folder)"
            )
        if len(text) > 4096 or "\0" in text:
            raise InvalidParameterError(
                f"{text[:40]}...: not a usable path (too long); base64 text needs kind='base64' "
                "or a 'data:' prefix"
            )
        path = Path(text)
        label = name or text
        if path.is_dir():
            return path, label, _stem_of(path.name, "dir"), "directory"
        if not path.exists():
            hint = _missing_path_hint(text)
            shown = f"{label[:40]}..." if "base64 text of" in hint and label is text and len(text) > 40 else label
            raise InputNotFoundError(f"{shown}: no such file or directory{hint}")
        if not path.is_file():
            raise UnsupportedFormatError(f"{label}: not a regular file")
        try:
            head = _read_path_head(path)
        except OSError as exc:
            raise ImageDecodeError(f"{label}: cannot read ({exc.strerror or exc})") from None
        if not head:
            raise ImageDecodeError(f"{label}: empty file")
        return path, label, _stem_of(path.name), _sniff_kind(head)
    if hasattr(source, "read"):
        label = name or _upload_name(source) or getattr(source, "name", None) or f"stream{index}"
        label = os.fspath(label) if isinstance(label, os.PathLike) else str(label)
        source = _sync_stream(source)
        head = _peek(source)
        if head:
            return source, label, _stem_of(label, f"stream{index}"), _sniff_kind(head)
        at = _position(source)
        raw = _read_stream(source, label, max_bytes)
        if not raw:
            raise ImageDecodeError(f"{label}: empty data{_stream_end_hint(at)}")
        return raw, label, _stem_of(label, f"stream{index}"), _sniff_kind(raw[:1024])
    raise ParameterTypeError(
        "an input must be a path, bytes, a binary file object, a PIL image, a numpy array, "
        f"a base64 string or an http(s) URL; got {type(source).__name__}"
    )


def _page_selection(start_page, pages_count) -> tuple[int, int | None]:
    """Validate a 0-based ``start_page`` and an optional ``pages_count`` (``None`` = all)."""
    first = _checks.integer(start_page, "start_page")
    if first < 0:
        raise InvalidParameterError(f"start_page must be >= 0, got {first}")
    count = None if pages_count is None else _checks.integer(pages_count, "pages_count")
    if count is not None and count < 1:
        raise InvalidParameterError(f"pages_count must be >= 1 or None (all), got {count}")
    return first, count


def _page_indexes(first: int, count: int | None, n: int, name: str) -> range:
    """The 0-based indexes of the selected pages of a source with ``n`` pages."""
    if first >= n:
        raise InvalidParameterError(f"{name}: start page {first} is beyond its {n} page(s)")
    return range(first, n if count is None else min(n, first + count))


def _sniff_kind(head: bytes) -> str:
    kind = _sniff(head)
    if kind in ("pdf", "zip", "djvu"):
        return kind
    return "image"


def iter_pages(
    source,
    *,
    kind: str | None = None,
    start_page: int = 0,
    pages_count: int | None = None,
    mode: str = "auto",
    max_pixels: int | None = None,
    max_bytes: int | None = None,
    dpi: int | None = None,
    name: str | None = None,
    on_error: str = "raise",
) -> Iterator[Page]:
    """Decode the pages of any supported source lazily, one at a time.

    Parameters
    ----------
    source : path, bytes, file object, PIL image, ndarray, URL or base64 text
        Images (PNG, JPEG, BMP, GIF, PNM, WebP; TIFF with all its pages), PDF
        (every page rasterised at ``dpi``), zip archives (each image/PDF
        member in archive order; nested archives are refused), directories
        (their image/PDF files in name order, not recursive), ``http(s)://``
        URLs and base64 (``data:`` URIs, or ``kind="base64"`` for bare text).
        An empty path is an :class:`~ocrprep.InvalidParameterError` (``"."``
        names the current folder).
    kind : {'image', 'tiff', 'pdf', 'zip', 'directory', 'url', 'base64'}, optional
        Force the interpretation instead of detecting it from the content.
    start_page : int
        0-based index of the first page (or archive member / directory file) taken.
    pages_count : int, optional
        How many pages (members / files) to take; ``None`` = all.
    mode : {'auto', 'gray', 'rgb'}
        ``auto`` keeps grey pages 2-D and colour pages RGB; ``gray`` converts
        colour with ITU-R 601 luma; ``rgb`` always returns (H, W, 3).
    max_pixels, max_bytes : int, optional
        Per-call overrides of :data:`MAX_PIXELS` and :data:`MAX_BYTES`.
    dpi : int, optional
        PDF rasterisation resolution (default :data:`PDF_DPI`).
    on_error : {'raise', 'yield'}
        ``raise`` stops at the first error; ``yield`` produces a
        :class:`PageError` for each bad source/member/page and goes on (a
        TIFF page directory that Pillow cannot get past ends that file with
        one error naming the page).

    Notes
    -----
    Page k of a multi-page TIFF costs O(k) the first time (the chain of
    page directories is walked once, with its offsets kept for files on
    disk, keyed on the file's identity, size and modification time) and
    O(1) after, so reading a file page by page, in any order or from
    several readers of one process, costs O(pages).  PDF pages are checked
    and rendered under limits (see the module's notes).

    Yields
    ------
    Page
        Unpacks as ``(source, page, image)``; ``page`` is 1-based.

    Examples
    --------
    >>> import io, numpy as np
    >>> from PIL import Image
    >>> from ocrprep.io import iter_pages
    >>> buf = io.BytesIO()
    >>> frames = [Image.new("L", (8, 4), v) for v in (10, 200)]
    >>> frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    >>> [(p.page, p.image.shape, int(p.image[0, 0])) for p in iter_pages(buf.getvalue())]
    [(1, (4, 8), 10), (2, (4, 8), 200)]
    """
    yield from _iter_pages(
        source, kind=kind, start_page=start_page, pages_count=pages_count, mode=mode, max_pixels=max_pixels,
        max_bytes=max_bytes, dpi=dpi, name=name, on_error=on_error,
    )


def _iter_pages(source, *, kind, start_page, pages_count, mode, max_pixels, max_bytes, dpi, name, on_error,
                need_count=True):
    """:func:`iter_pages`; ``need_count=False`` (imread) reads a TIFF's directories no further
    than the pages asked for (``Page.pages`` may then be ``None``)."""
    if on_error not in ("raise", "yield"):
        raise InvalidParameterError(f"on_error must be 'raise' or 'yield', got {on_error!r}")
    if mode not in ("auto", "gray", "rgb"):
        raise InvalidParameterError(f"mode must be 'auto', 'gray' or 'rgb', got {mode!r}")
    first, count = _page_selection(start_page, pages_count)
    cap = _cap(max_pixels)
    dpi = PDF_DPI if dpi is None else _checks.integer(dpi, "dpi")
    if not 18 <= dpi <= 2400:
        raise InvalidParameterError(f"dpi must be between 18 and 2400, got {dpi}")
    opts = dict(mode=mode, max_pixels=cap, max_bytes=max_bytes, dpi=dpi, on_error=on_error)

    label = name or (os.fspath(source) if isinstance(source, (str, os.PathLike)) and len(os.fspath(source)) < 512 else "input")
    try:
        data, label, stem, detected = _resolve(source, kind, name=name, max_bytes=max_bytes)
    except OcrprepError as exc:
        if on_error == "raise":
            raise
        yield PageError(label, None, exc, _stem_of(label))
        return
    except MemoryError:
        raise
    except Exception as exc:  # an unforeseen failure reading this source: it never aborts the others
        error = _unexpected(label, exc)
        if on_error == "raise":
            raise error from exc
        yield PageError(label, None, error, _stem_of(label))
        return
    yield from _iter_resolved(data, label, stem, detected, kind, first, count, need_count=need_count, **opts)


def _iter_resolved(data, name, stem, detected, kind, first, count, *, mode, max_pixels, max_bytes, dpi, on_error,
                   need_count=True):
    def fail(exc, page=None):
        if on_error == "raise":
            raise exc
        return PageError(name, page, exc, stem)

    opts = dict(mode=mode, max_pixels=max_pixels, max_bytes=max_bytes, dpi=dpi, on_error=on_error)
    try:
        if detected == "array":
            arr = _array_page(data, name)
            if mode == "gray" and arr.ndim == 3:
                from .color import to_grayscale

                arr = to_grayscale(arr)  # the same luma as Pillow's "L" for a decoded file
            elif mode == "rgb" and arr.ndim == 2:
                arr = np.repeat(arr[:, :, None], 3, axis=2)
            if first > 0:
                raise InvalidParameterError(f"{name}: start page {first} is beyond its 1 page")
            yield Page(name, 1, np.ascontiguousarray(arr), 1, stem)
            return
        if detected == "pil":
            _check_pixels(data.size[0], data.size[1], name, max_pixels)
            yield from _pil_object_pages(data, name, stem, mode, max_pixels, first, count, kind)
            return
        if detected == "directory":
            yield from _iter_directory(data, name, first, count, kind, **opts)
            return
        if detected == "zip":
            if kind not in (None, "zip"):
                raise UnsupportedFormatError(f"{name}: is a zip archive, not {_kind_phrase(kind)}")
            yield from _iter_zip(data, name, first, count, **opts)
            return
        if detected == "djvu":
            raise UnsupportedFormatError(f"{name}: DjVu is not supported (convert it to PDF or TIFF first)")
        if detected == "pdf":
            if kind not in (None, "pdf", "url", "base64"):
                raise UnsupportedFormatError(f"{name}: is a PDF document, not {_kind_phrase(kind)}")
            if isinstance(data, Path):
                src = str(data)
            elif hasattr(data, "read") and not isinstance(data, (bytes, bytearray)):
                src = data.read()
            else:
                src = data
            yield from _pages_from_pdf(
                src, name, stem, mode=mode, max_pixels=max_pixels, first=first, count=count, dpi=dpi, on_error=on_error,
            )
            return
        if kind == "pdf":
            raise UnsupportedFormatError(f"{name}: not a PDF document")
        if kind == "zip":
            raise UnsupportedFormatError(f"{name}: not a zip archive")
        fp = _as_fp(data)
        try:
            head = _peek(fp)
            yield from _pages_from_pil_file(
                fp, name, stem, head=head, mode=mode, max_pixels=max_pixels,
                first=first, count=count, all_frames=kind != "image", on_error=on_error, need_count=need_count,
            )
        finally:
            _close_fp(fp, data)
    except OcrprepError as exc:
        err = fail(exc)
        if err is not None:
            yield err
    except MemoryError:
        raise
    except Exception as exc:  # a decoder bug or a failure nobody foresaw: still this source's error only
        err = fail(_unexpected(name, exc))
        if err is not None:
            yield err


def _unexpected(name: str, exc: BaseException) -> ImageDecodeError:
    """An :class:`ImageDecodeError` naming ``name`` for an exception no decoder mapped itself."""
    error = ImageDecodeError(f"{name}: cannot read ({type(exc).__name__}: {exc})")
    error.__cause__ = exc
    return error


def _pil_object_pages(im, name, stem, mode, max_pixels, first, count, kind):
    nframes = getattr(im, "n_frames", 1) if kind != "image" and im.format in ("TIFF", "GIF") else 1
    for index in _page_indexes(first, count, nframes, name):
        if nframes > 1:
            im.seek(index)
            _check_pixels(im.size[0], im.size[1], f"{name} page {index + 1}", max_pixels)
        filename = getattr(im, "filename", "") if nframes == 1 else ""
        reopen = functools.partial(_pil().open, filename) if isinstance(filename, str) and filename else None
        yield Page(name, index + 1, _to_array(im, name, mode, reopen=reopen), nframes, stem)


def _listing_slice(items, first, count, name):
    if first and first >= len(items):
        raise InvalidParameterError(f"{name}: start index {first} is beyond its {len(items)} file(s)")
    return items[first:] if count is None else items[first:first + count]


def _directory_files(path: Path, name) -> list[Path]:
    """The image/PDF files of a folder that :func:`iter_pages` reads, in name order (not recursive)."""
    try:
        return sorted(
            (p for p in path.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_EXTENSIONS),
            key=lambda p: p.name,
        )
    except OSError as exc:
        raise ImageDecodeError(f"{name}: cannot list directory ({exc.strerror or exc})") from None


#: Member extensions taken from a zip archive and refused (one error each) as nested archives.
_ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".7z", ".rar")


def _zip_members(zf: zipfile.ZipFile) -> list:
    """The members :func:`iter_pages` takes from an archive: images, PDFs and (refused with an
    error each) nested archives; other files are skipped.  The one place of this rule (see
    :func:`zip_page_members`)."""
    return [
        info for info in zf.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not Path(info.filename).name.startswith(".")
        and Path(info.filename).suffix.lower() in IMAGE_EXTENSIONS | set(_ARCHIVE_SUFFIXES)
    ]


def _open_zip(fp, name) -> zipfile.ZipFile:
    """``zipfile.ZipFile(fp)``; an :class:`ImageDecodeError` naming ``name`` if it is not a readable archive."""
    try:
        return zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            struct.error, IndexError) as exc:
        # NotImplementedError: a damaged header announcing e.g. "zip file version 17.3"
        raise ImageDecodeError(f"{name}: not a valid zip archive ({exc})") from None


def zip_page_members(source) -> list[str]:
    """The names of the members of a zip archive that :func:`iter_pages` reads, in its order.

    Images and PDFs (by extension), and nested archives (``.zip``, ``.tar``,
    ``.gz``, ``.7z``, ``.rar``), which :func:`iter_pages` reports as one error
    each; folders, hidden files, ``__MACOSX/`` entries and other files are
    skipped.  A name's position is its index for ``start_page``.  Nothing is
    decompressed.

    Parameters
    ----------
    source : str, path-like, bytes, binary file object or zipfile.ZipFile

    Returns
    -------
    list of str
        Possibly empty (:func:`iter_pages` refuses such an archive).

    Raises
    ------
    ImageDecodeError
        ``source`` is not a readable zip archive.

    Examples
    --------
    >>> import io, zipfile
    >>> from ocrprep.io import zip_page_members
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     for n in ("b.png", "notes.txt", "__MACOSX/._b.png", "sub/a.PDF", ".hidden.png", "inner.zip"):
    ...         zf.writestr(n, b"...")
    >>> zip_page_members(buf.getvalue())
    ['b.png', 'sub/a.PDF', 'inner.zip']
    """
    if isinstance(source, zipfile.ZipFile):
        return [info.filename for info in _zip_members(source)]
    if isinstance(source, (bytes, bytearray, memoryview)):
        name, fp = "bytes", _stdio.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        name = fp = os.fspath(source)
    elif hasattr(source, "read"):
        name, fp = getattr(source, "name", None) or "stream", source
    else:
        raise ParameterTypeError(
            f"a zip archive must be a path, bytes, a binary file object or a ZipFile, got {type(source).__name__}"
        )
    with _open_zip(fp, name) as zf:
        return [info.filename for info in _zip_members(zf)]


def count_files(source) -> int:
    """How many files a source stands for, without decoding anything.

    The image/PDF files of a folder, the image/PDF members of a zip archive,
    otherwise 1 (a file, URL, byte string... whatever its page count).  An
    unreadable source counts 1 (it will be reported as one failure).  Used
    to size progress bars.
    """
    try:
        if isinstance(source, (str, os.PathLike)) and not _is_url(source) and not _is_data_uri(source):
            path = Path(os.fspath(source))
            if path.is_dir():
                return max(1, len(_directory_files(path, str(path))))
            if path.is_file() and _sniff(_read_path_head(path, 8)) == "zip":
                return max(1, len(zip_page_members(path)))
        elif isinstance(source, (bytes, bytearray, memoryview)) and _sniff(bytes(source[:8])) == "zip":
            return max(1, len(zip_page_members(source)))
    except MemoryError:
        raise
    except Exception:  # unreadable: iter_pages reports it as one failed source
        return 1
    return 1


def _subfolder_hint(path: Path) -> str:
    """Why an empty-looking folder may still hold the scans: they are in its subfolders, which
    a DIRECTORY input does not walk."""
    try:
        subfolders = sum(1 for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return ""
    if not subfolders:
        return ""
    what = f"{subfolders} subfolders are" if subfolders > 1 else "subfolder is"
    return f" (its {what} not read: add each folder, or use 'ocrprep batch', which walks the whole tree)"


def _iter_directory(path: Path, name, first, count, kind, *, mode, max_pixels, max_bytes, dpi, on_error):
    files = _directory_files(path, name)
    if not files:
        raise ImageDecodeError(f"{name}: the directory holds no image or PDF files{_subfolder_hint(path)}")
    for p in _listing_slice(files, first, count, name):
        yield from iter_pages(
            p, mode=mode, max_pixels=max_pixels, max_bytes=max_bytes, dpi=dpi, on_error=on_error,
            name=os.path.join(name, p.name),
        )


def _iter_zip(data, name, first, count, *, mode, max_pixels, max_bytes, dpi, on_error):
    fp = _as_fp(data)
    try:
        with _open_zip(fp, name) as zf:
            members = _zip_members(zf)  # the members zip_page_members names
            if not members:
                raise ImageDecodeError(f"{name}: the zip archive holds no image or PDF files")
            for info in _listing_slice(members, first, count, name):
                member_name = f"{name}/{info.filename}"
                try:
                    if Path(info.filename).suffix.lower() in _ARCHIVE_SUFFIXES:
                        raise UnsupportedFormatError(f"{member_name}: nested archives are not supported")
                    if info.flag_bits & 0x1:
                        raise ImageDecodeError(f"{member_name}: encrypted zip members are not supported")
                    _byte_cap(info.file_size, member_name, "archive member", max_bytes)
                    cap = MAX_BYTES if max_bytes is None else max_bytes
                    with zf.open(info) as member:
                        raw = member.read(cap + 1)
                    _byte_cap(len(raw), member_name, "archive member", max_bytes)
                    if _sniff(raw[:8]) == "zip":
                        raise UnsupportedFormatError(f"{member_name}: nested archives are not supported")
                except OcrprepError as exc:
                    if on_error == "raise":
                        raise
                    yield PageError(member_name, None, exc, _stem_of(info.filename))
                    continue
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError,
                        ValueError, struct.error) as exc:
                    # ValueError: "negative seek value" when a damaged directory points before the data
                    err = ImageDecodeError(f"{member_name}: cannot extract ({exc})")
                    if on_error == "raise":
                        raise err from None
                    yield PageError(member_name, None, err, _stem_of(info.filename))
                    continue
                yield from iter_pages(
                    raw, mode=mode, max_pixels=max_pixels, max_bytes=max_bytes, dpi=dpi,
                    on_error=on_error, name=member_name,
                )
    finally:
        _close_fp(fp, data)


# --------------------------------------------------------------------------- #
# imread / imwrite
# --------------------------------------------------------------------------- #
def imread(source, *, mode: str = "auto", page: int = 1, max_pixels: int | None = None, dpi: int | None = None) -> np.ndarray:
    """Read one page of an image file, byte string, file object or PIL image.

    Parameters
    ----------
    source : str, path-like, bytes, binary file object or PIL.Image.Image
        PNG, JPEG, TIFF, BMP, GIF, PNM (PBM/PGM/PPM), WebP; PDF with the
        ``pdf`` extra; URLs and base64 too (see :func:`iter_pages`).  A path
        must name one file: a directory (or an empty path) is refused; read
        the images of a folder with :func:`ocrprep.io.iter_pages` or
        ``OcrInput(InputType.DIRECTORY)``.
    mode : {'auto', 'gray', 'rgb'}
        ``auto``: grey and bilevel images give (H, W), colour images give
        (H, W, 3) RGB (transparency is composited on white paper; 16-bit
        images are scaled to 8 bits).  ``gray``: always (H, W), converted
        with ITU-R 601 luma like Pillow's ``"L"``.  ``rgb``: always (H, W, 3).
    page : int
        1-based page of a multi-page TIFF or PDF.
    max_pixels : int, optional
        Refuse images whose header announces more pixels (default
        :data:`MAX_PIXELS`) before decoding anything.

    Returns
    -------
    ndarray of uint8, writeable and C-contiguous.

    Raises
    ------
    InputNotFoundError, UnsupportedFormatError, ImageDecodeError, DecompressionBombError
    InvalidParameterError
        ``source`` is a directory or an empty path (or ``page`` < 1).

    Examples
    --------
    >>> import io, numpy as np, ocrprep
    >>> from PIL import Image
    >>> buf = io.BytesIO(); Image.new("RGB", (3, 2), (255, 0, 0)).save(buf, "PNG")
    >>> ocrprep.imread(buf.getvalue()).shape
    (2, 3, 3)
    >>> ocrprep.imread(buf.getvalue(), mode="gray")
    array([[76, 76, 76],
           [76, 76, 76]], dtype=uint8)
    """
    _refuse_directory(source)
    p = _checks.integer(page, "page")
    if p < 1:
        raise InvalidParameterError(f"page is 1-based, got {p}")
    pages = _iter_pages(source, kind=None, start_page=p - 1, pages_count=1, mode=mode, max_pixels=max_pixels,
                        max_bytes=None, dpi=dpi, name=None, on_error="raise", need_count=False)
    for item in pages:
        return item.image
    raise ImageDecodeError("the input has no pages")  # pragma: no cover - iter_pages raises first


def _refuse_directory(source) -> None:
    """imread reads one image: an empty path or a directory is an error, not a folder to expand."""
    if not isinstance(source, (str, os.PathLike)):
        return
    text = os.fspath(source)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text:
        raise InvalidParameterError("imread: the path is empty (give the path of an image file)")
    if _is_url(text) or _is_data_uri(text) or len(text) > 4096 or "\0" in text:
        return
    if os.path.isdir(text):  # False (never an exception) for unusable names
        raise InvalidParameterError(
            f"{text}: is a directory, and imread reads one image file; read the images of a folder "
            "with ocrprep.io.iter_pages(path) or OcrInput(InputType.DIRECTORY)"
        )


def is_binary(img: np.ndarray) -> bool:
    """True when a 2-D uint8 image holds only the values 0 and 255."""
    if not isinstance(img, np.ndarray) or img.ndim != 2 or img.dtype != np.uint8 or img.size == 0:
        return False
    from ._geometry import is_binary as all_0_or_255  # stops at the first row of grey

    return bool(all_0_or_255(np.ascontiguousarray(img)))


def _umask() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


@contextlib.contextmanager
def _atomic_file(path: Path, mode: str = "wb", *, encoding: str | None = None, fsync: bool = False):
    """Write ``path`` atomically: ``with _atomic_file(path) as f: f.write(...)``.

    The data go to a temporary ``.name.XXXX.tmp`` file in ``path``'s (existing)
    folder, which is renamed over ``path`` when the block ends, with the
    permissions a newly created file would get; if the block raises, the
    temporary file is removed and ``path`` is untouched.  ``fsync`` also
    flushes the file to the disk before the rename.

    Every ``OSError`` on the way (creating, writing, syncing or renaming the
    temporary file, or raised by the block: an encoder error, a full disk)
    comes out as an :class:`OutputError` naming ``path``, never the
    temporary file; ocrprep's own errors and other exceptions pass unchanged.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # no such folder, no permission, a file system that takes no new files (/proc)
        raise _output_error(path, exc) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(0o666 & ~_umask()))
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OcrprepError):
            raise _output_error(path, exc) from None
        raise


def _make_parent(path: Path) -> None:
    """Create the folder of the file ``path`` (and its parents); an :class:`OutputError` naming
    ``path`` if that fails (a file in the way, no permission, a read-only file system)."""
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocked = isinstance(exc, (FileExistsError, NotADirectoryError))  # a file where a folder should be
        raise _output_error(path, exc, f"cannot create the folder {parent}",
                            "a file is in the way" if blocked else None) from None


#: Largest width or height each output format can hold (its header's fields, libjpeg's limit).
_FORMAT_MAX_SIDE = {"JPEG": 65500, "WEBP": 16383, "GIF": 65535}


def _to_pil(img: np.ndarray, bilevel: bool | None = None):
    """A Pillow image of a uint8 page; mode ``"1"`` (packed bits) when ``bilevel``.

    ``bilevel=None`` decides by the content: a 2-D page holding only 0 and
    255 (:func:`is_binary`).  A bilevel page must be 2-D.
    """
    Image = _pil()
    if bilevel is None:
        bilevel = is_binary(img)
    if bilevel:
        h, w = img.shape
        return Image.frombytes("1", (w, h), np.packbits(img > 127, axis=1).tobytes())
    return Image.fromarray(np.ascontiguousarray(img))


def imwrite(
    path, img, *, format: str | None = None, dpi: int | None = None, bilevel: bool | None = None, fsync: bool = False
) -> Path:
    """Write an image atomically; binary images become 1-bit files.

    The data go to a temporary file in the destination directory, which is
    then renamed over ``path``: readers never see a half-written file, and an
    interrupted (even killed) process leaves the previous file intact.
    Missing parent directories are created.

    Parameters
    ----------
    path : str or path-like
        The extension chooses the format (``.png``, ``.tif``, ``.bmp``,
        ``.jpg``, ``.pbm/.pgm/.ppm/.pnm``, ``.webp``, ``.gif``) unless
        ``format`` is given.
    img : (H, W) or (H, W, 3|4) uint8 ndarray
    format : str, optional
        A Pillow format name, e.g. ``"PNG"``.
    dpi : int, optional
        Resolution recorded in the file.
    bilevel : bool, optional
        Force (``True``) or forbid (``False``) 1-bit output; by default a
        2-D image holding only 0 and 255 is written as 1 bit per pixel
        (PNG, TIFF with CCITT G4, BMP, PBM); JPEG/WebP stay 8-bit grey.
    fsync : bool
        Also flush the file to the disk before the rename, so it survives a
        power loss (costs a disk flush per file, often more than the encoding).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        The file cannot be written: ``path`` is a directory, its folder
        cannot be created or written (permissions, read-only or full file
        system), or the encoder fails.  Also an ``OSError``; the message
        names ``path`` and the temporary file is removed.
    ImageTypeError, InvalidImageError, UnsupportedFormatError, InvalidParameterError
        A bad image, format or ``dpi``.

    Examples
    --------
    >>> import numpy as np, ocrprep, tempfile, os
    >>> from PIL import Image
    >>> bw = np.zeros((4, 9), np.uint8); bw[:, 5:] = 255
    >>> d = tempfile.mkdtemp(); p = ocrprep.imwrite(os.path.join(d, "bw.png"), bw)
    >>> Image.open(p).mode, bool((ocrprep.imread(p) == bw).all())
    ('1', True)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterTypeError(f"path must be a str or path-like, got {type(path).__name__}")
    img = _checks.image_gray_or_color(img)
    path = Path(path)
    if os.path.isdir(path):
        error = OutputError(f"{path}: is a directory; give the path of the image file to write")
        error.errno = errno.EISDIR
        raise error
    if format is None:
        fmt = _SAVE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UnsupportedFormatError(
                f"{path}: cannot tell the format from the extension {path.suffix!r}; "
                f"use one of {', '.join(sorted(_SAVE_FORMATS))} or pass format="
            )
    else:
        if not isinstance(format, str):
            raise ParameterTypeError(f"format must be a string, got {type(format).__name__}")
        fmt = format.upper()
        fmt = {"JPG": "JPEG", "TIF": "TIFF", "PNM": "PPM", "PBM": "PPM", "PGM": "PPM"}.get(fmt, fmt)
        if fmt not in set(_SAVE_FORMATS.values()):
            raise UnsupportedFormatError(f"unsupported output format {format!r}")

    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    one_bit = is_binary(img) if bilevel is None else bool(bilevel)
    if one_bit and img.ndim != 2:
        raise InvalidImageError("bilevel output needs a 2-D image")
    limit = _FORMAT_MAX_SIDE.get(fmt)
    if limit is not None and max(img.shape[:2]) > limit:
        h, w = img.shape[:2]
        raise InvalidImageError(
            f"{path}: {fmt} holds at most {limit:,} pixels a side and the image is {w:,}x{h:,}; "
            "write it as PNG or TIFF"
        )
    if img.ndim == 3 and img.shape[2] == 4 and fmt in ("JPEG", "PPM", "BMP"):
        from .color import flatten_alpha

        img = flatten_alpha(img)  # no alpha in these formats: transparent pixels are paper, not black
    pil = _to_pil(img, one_bit and fmt not in ("JPEG", "WEBP", "GIF"))
    options = {}
    if dpi is not None:
        d = _checks.integer(dpi, "dpi")
        if d < 1:
            raise InvalidParameterError(f"dpi must be >= 1, got {d}")
        options["dpi"] = (d, d)
    if fmt == "TIFF":
        options["compression"] = "group4" if pil.mode == "1" else "tiff_deflate"
    if fmt == "JPEG":
        options["quality"] = 95

    _make_parent(path)
    # no permission, full disk, a name the file system refuses, an encoder error...: an OutputError
    # naming path from _atomic_file, which removes its temporary file
    with _atomic_file(path, fsync=fsync) as f:
        pil.save(f, format=fmt, **options)
    return path


def _output_error(path: Path, exc: OSError, what: str = "cannot write", reason: str | None = None) -> OutputError:
    """An :class:`OutputError` naming the target ``path`` (never the temporary file), with ``exc``'s errno."""
    reason = reason or exc.strerror or str(exc) or type(exc).__name__
    error = OutputError(f"{path}: {what} ({reason})")
    error.errno = exc.errno
    return error


def windows_path(path):
    r"""``path`` as written, or with ``\`` read as ``/`` when only that file exists (on POSIX).

    Programs written on Windows (Aspose.OCR's examples among them) name
    files ``"Data\\OCR\\scan.png"``; on Linux or macOS that is a single odd
    file name.  When no such file exists but ``Data/OCR/scan.png`` does, the
    latter is meant (returned as a string).  Anything else (bytes, arrays,
    URLs, existing paths) is returned unchanged.

    >>> windows_path("no\\such\\file.png")
    'no\\such\\file.png'
    """
    text = os.fspath(path) if isinstance(path, os.PathLike) else path
    if isinstance(text, str) and "\\" in text and os.sep == "/" and not os.path.exists(text):
        alt = text.replace("\\", "/")
        if os.path.exists(alt):
            return alt
    return path
