"""PDF files written with plain PDF syntax for the tests (no PDF library involved).

:func:`form_bomb` builds the "form XObject bomb" of issue 10: form ``X0`` on
the page draws ``X1`` ``fanout`` times, ``X1`` draws ``X2`` ``fanout`` times,
..., ``depth`` levels deep, so a file of a few kilobytes asks the renderer
for ``fanout ** depth`` rectangles.
"""
from __future__ import annotations

import zlib


def build_pdf(objects: list[bytes], pages: list[int]) -> bytes:
    """A PDF with ``objects`` as objects 3, 4, ... (1 is the catalog, 2 the page tree);
    ``pages`` are the object numbers of the pages.  The cross-reference table is exact."""
    kids = b" ".join(b"%d 0 R" % p for p in pages)
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _form(content: bytes, children: dict[bytes, int], compress: bool) -> bytes:
    resources = b" ".join(b"/%s %d 0 R" % (name, num) for name, num in children.items())
    extra = b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
    if children:
        extra += b" /Resources << /XObject << " + resources + b" >> >>"
    return stream(content, extra, compress)


def page_object(contents: int, xobjects: dict[bytes, int] | None = None, size=(612, 792)) -> bytes:
    res = b""
    if xobjects:
        res = b" /Resources << /XObject << " + b" ".join(b"/%s %d 0 R" % (n, o) for n, o in xobjects.items()) + b" >> >>"
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]%s /Contents %d 0 R >>" % (size[0], size[1], res, contents)


def text_page_content(label: int) -> bytes:
    """Black bars (a different pattern per ``label``) on white: a page that renders in milliseconds."""
    ops = [b"0 g"]
    for k in range(6):
        w = 40 + ((label * 37 + k * 53) % 300)
        ops.append(b"%d %d %d 14 re f" % (60, 700 - 40 * k, w))
    ops.append(b"%d 100 30 30 re f" % (60 + 40 * (label % 10)))
    return b"\n".join(ops)


def form_bomb(depth: int = 9, fanout: int = 10, *, good_pages: tuple[int, ...] = (), compress: bool = False) -> bytes:
    """A PDF whose bomb page draws ``fanout ** depth`` rectangles through nested forms.

    ``good_pages`` lists labels of plain pages added before (negative label)
    or after the bomb page: ``good_pages=(1, 2)`` gives pages [bomb, good 1, good 2];
    ``(-1, 2)`` gives [good 1, bomb, good 2].
    """
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects) + 2

    # the leaf form: one small rectangle; each level above draws the level below fanout times
    child = add(_form(b"0 g 0 0 2 2 re f", {}, compress))
    for _level in range(depth - 1):
        draws = b" ".join(b"q 1 0 0 1 %d %d cm /X Do Q" % (i % 7, i % 5) for i in range(fanout))
        child = add(_form(draws, {b"X": child}, compress))
    page_draws = b" ".join(b"q 1 0 0 1 %d 0 cm /X0 Do Q" % i for i in range(fanout))
    bomb_contents = add(stream(page_draws, compress=compress))
    bomb_page = add(page_object(bomb_contents, {b"X0": child}))
    before, after = [], []
    for label in good_pages:
        contents = add(stream(text_page_content(abs(label)), compress=compress))
        (before if label < 0 else after).append(add(page_object(contents)))
    return build_pdf(objects, before + [bomb_page] + after)


def plain_pdf(pages: int = 3, size=(612, 792)) -> bytes:
    """A PDF of ``pages`` plain pages (:func:`text_page_content`)."""
    objects: list[bytes] = []
    numbers = []
    for label in range(1, pages + 1):
        objects.append(stream(text_page_content(label)))
        objects.append(page_object(len(objects) + 2, size=size))
        numbers.append(len(objects) + 2)
    return build_pdf(objects, numbers)
