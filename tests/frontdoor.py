"""Helpers shared by the front-door tests (io, inputs, ocr, cli, seeds).

``serve(routes)`` runs a local ``http.server`` on 127.0.0.1 in a thread
(tests never use the network); ``word_recovery`` is the measure the
recognition tests use; ``text_page`` renders a page of known text; ``png_header`` is a
decompression-bomb header.
"""
from __future__ import annotations

import collections
import contextlib
import http.server
import io
import re
import struct
import threading
import time
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def word_recovery(truth: str, text: str) -> float:
    """Fraction of the words of ``truth`` found in ``text`` (multiset match, case/punctuation-blind)."""
    want, got = collections.Counter(words(truth)), collections.Counter(words(text))
    return sum(min(c, got[w]) for w, c in want.items()) / sum(want.values())


def font(size=28):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def text_page(lines, size=(900, 300), ink=30, paper=235, font_size=30) -> np.ndarray:
    im = Image.new("L", size, paper)
    d = ImageDraw.Draw(im)
    y = 30
    for line in lines:
        d.text((30, y), line, fill=ink, font=font(font_size))
        y += int(font_size * 1.6)
    return np.asarray(im).copy()


def png_header(width: int, height: int) -> bytes:
    """A syntactically valid PNG whose IHDR announces width x height (no real pixel data:
    a decompression-bomb header)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def encode(arr, fmt="PNG", **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt, **kw)
    return buf.getvalue()


@contextlib.contextmanager
def serve(routes: dict):
    """Serve ``{path: bytes | (status, bytes) | callable(handler)}`` on a local port; yields the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            route = routes.get(self.path)
            if route is None:
                self.send_error(404, "not found")
                return
            if callable(route):
                route(self)
                return
            status, body = route if isinstance(route, tuple) else (200, route)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def slow_handler(delay):
    def handle(h):
        time.sleep(delay)
        try:
            h.send_response(200)
            h.end_headers()
        except OSError:
            pass
    return handle


def endless_handler(h):
    """Streams data without a Content-Length, forever (until the client hangs up)."""
    h.send_response(200)
    h.end_headers()
    chunk = b"\0" * 65536
    try:
        for _ in range(100000):
            h.wfile.write(chunk)
    except OSError:
        pass


def pdf_from_objects(objects) -> bytes:
    """A PDF made of the given object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def nonpage_pdf() -> bytes:
    """A PDF whose page tree's only kid is a font dictionary: PDFium cannot load its page."""
    return pdf_from_objects([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                             b"<</Type/Font>>"])
