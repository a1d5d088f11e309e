"""The PDF page renderer that runs in a child process, and the static page check.

A PDF page can ask for unbounded work from a few kilobytes: form XObjects
that each draw the next one ten times, nine levels deep, make PDFium parse
a billion objects (gigabytes in seconds, then an abort inside PDFium that
takes the whole Python process with it).  :mod:`ocrprep.io` therefore
renders pages here, in a child process it can lose, under limits the child
sets on itself before each page:

* an **address-space limit** (``RLIMIT_AS``): the memory in use before the
  page plus the page's budget; PDFium fails (or aborts) when it is reached;
* a **CPU-time limit** (``RLIMIT_CPU``): the kernel ends the process when
  the page has used its seconds.

Before PDFium loads a page, :func:`page_cost` reads the page's graph of
XObjects with pypdf (when installed) without expanding anything: how many
forms and images the page draws once every form is expanded, how deep
forms nest and how many content bytes the expansion parses.  A page over
the budget is refused at once with those figures; a page the check cannot
read goes to PDFium under the limits above.

This file imports nothing from ocrprep: the parent starts it with
``python -c`` loading it by path, so a child costs an interpreter, PDFium
and Pillow, not the package's kernels.

Protocol, over the child's stdin / stdout: each message is a 4-byte
big-endian length and a JSON object; a message whose ``nbytes`` is set is
followed by that many raw bytes (the PDF data, the pixels).
"""
from __future__ import annotations

import io
import json
import os
import re
import struct
import sys

#: ``/Name Do``: draws the XObject called Name (a form or an image).
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")


class TooComplex(Exception):
    """The page's forms expand beyond the budget (the message gives the figures)."""


def page_cost(reader, index: int, *, max_draws: int, max_depth: int, max_content: int) -> dict:
    """The work a page asks of the renderer, from its objects alone (nothing is drawn).

    ``draws`` is the number of XObjects (forms and images) drawn once every
    form is expanded: a page drawing form A twice, A drawing image B three
    times, counts 2 + 2 x 3 = 8.  ``depth`` is the deepest nesting of forms,
    ``content`` the bytes of content streams parsed by the expansion (a form
    drawn 1000 times is parsed 1000 times).  Each distinct form is read once
    (memoised), so the check is linear in the size of the file, whatever
    the expansion.  Raises :class:`TooComplex` as soon as a figure passes its
    budget; a form that (indirectly) draws itself counts once and is not
    expanded again.
    """
    page = reader.pages[index]
    memo: dict = {}

    def xobjects(resources):
        resources = resources.get_object() if resources is not None else None
        found = resources.get("/XObject") if resources is not None else None
        return found.get_object() if found is not None else {}

    def key_of(ref):
        return (ref.idnum, ref.generation) if hasattr(ref, "idnum") else ("direct", id(ref))

    def cost(data: bytes, resources, stack: tuple) -> tuple[int, int, int]:
        draws, content, depth = 0, len(data), 0
        names: dict[bytes, int] = {}
        for m in _DO.finditer(data):
            names[m.group(1)] = names.get(m.group(1), 0) + 1
        if not names:
            return 0, content, 0
        table = xobjects(resources)
        for name, times in names.items():
            ref = table.get("/" + name.decode("latin-1")) if table else None
            if ref is None:
                continue
            key = key_of(ref)
            obj = ref.get_object()
            if obj.get("/Subtype") != "/Form" or key in stack:
                draws += times
                continue
            if key not in memo:
                memo[key] = cost(obj.get_data(), obj.get("/Resources", resources), stack + (key,))
            d, c, n = memo[key]
            draws += times * (1 + d)
            content += times * c
            depth = max(depth, 1 + n)
            if draws > max_draws or content > max_content or depth > max_depth:
                break
        if draws > max_draws or content > max_content or depth > max_depth:
            raise TooComplex(  # figures so far: the check stops at the first one over its limit
                f"the page's nested forms expand to at least {draws:,} drawings, {depth} levels deep, "
                f"{content:,} bytes of content to parse; the limits are {max_draws:,} drawings, "
                f"{max_depth} levels, {max_content:,} bytes (a PDF form bomb? if the page is genuine, raise "
                "ocrprep.io.PDF_MAX_DRAWS / OCRPREP_PDF_MAX_DRAWS)"
            )
        return draws, content, depth

    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    draws, content, depth = cost(data, page.get("/Resources"), ())
    return {"draws": draws, "depth": depth, "content": content}


def _open_reader(source):
    try:
        import pypdf
    except ImportError:
        return None
    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # warnings about damaged files go to no one
    try:
        return pypdf.PdfReader(source if isinstance(source, str) else io.BytesIO(source), strict=False)
    except Exception:
        return None  # pypdf cannot read it: PDFium (under the limits) decides


# --------------------------------------------------------------------------- #
# the child process
# --------------------------------------------------------------------------- #
def _read_exact(stream, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _receive(stream) -> tuple[dict, bytes]:
    (length,) = struct.unpack(">I", _read_exact(stream, 4))
    msg = json.loads(_read_exact(stream, length))
    data = _read_exact(stream, msg["nbytes"]) if msg.get("nbytes") else b""
    return msg, data


def _send(stream, msg: dict, data=b"") -> None:
    if data:
        msg["nbytes"] = len(data)
    head = json.dumps(msg).encode()
    stream.write(struct.pack(">I", len(head)) + head)
    if data:
        stream.write(data)
    stream.flush()


def _limit(cpu_seconds: float, memory_bytes: int) -> None:
    """This process may use ``cpu_seconds`` more CPU time and ``memory_bytes`` more address space."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + cpu_seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    try:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no way to know the current size: the CPU limit and the parent's clock remain
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + memory_bytes
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _unlimit_memory() -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def serve(stdin, stdout) -> None:
    """Answer the parent's requests until its end of the pipe closes."""
    import pypdfium2 as pdfium

    doc = source = None
    reader = False  # the pypdf reader of the open document: False = not opened yet, None = unreadable
    while True:
        try:
            msg, data = _receive(stdin)
        except EOFError:
            return  # the parent is gone or done
        op = msg.get("op")
        if op in ("open", "close") and doc is not None:
            doc.close()
            doc = source = None
            reader = False
        if op == "open":
            source = msg["path"] if msg.get("path") else data
            try:
                doc = pdfium.PdfDocument(source)
                _send(stdout, {"ok": True, "pages": len(doc)})
            except Exception as exc:
                _send(stdout, {"ok": False, "kind": "open", "error": str(exc) or type(exc).__name__})
        elif op == "close":
            _send(stdout, {"ok": True})
        elif op == "render" and doc is None:
            _send(stdout, {"ok": False, "kind": "open", "error": "no document open"})
        elif op == "render":
            _limit(msg["cpu_seconds"], msg["memory_bytes"])
            try:
                if msg.get("check") and reader is False:
                    reader = _open_reader(source)
                _send(stdout, *_render(doc, reader if msg.get("check") else None, msg))
            except MemoryError:
                _send(stdout, {"ok": False, "kind": "memory", "error": "out of memory"})
            finally:
                _unlimit_memory()
        else:
            _send(stdout, {"ok": False, "kind": "protocol", "error": f"unknown op {op!r}"})


def _render(doc, reader, msg) -> tuple:
    """(header,) for a refused or failed page, (header, pixels) for a rendered one."""
    index = msg["index"]
    if reader is not None:
        try:
            page_cost(reader, index, max_draws=msg["max_draws"], max_depth=msg["max_depth"],
                      max_content=msg["max_content"])
        except TooComplex as exc:
            return ({"ok": False, "kind": "complex", "error": str(exc)},)
        except MemoryError:
            raise
        except Exception:
            pass  # a structure the check cannot follow: PDFium decides, under the limits
    try:
        page = doc[index]
    except MemoryError:
        raise
    except Exception as exc:  # PdfiumError: a page-tree kid that is not a page...
        return ({"ok": False, "kind": "load", "error": str(exc) or type(exc).__name__},)
    try:
        bitmap = page.render(scale=msg["scale"], grayscale=msg["gray"])
        pil = bitmap.to_pil()
        pixels = pil.tobytes()
        head = {"ok": True, "mode": pil.mode, "size": list(pil.size)}
        bitmap.close()
    except MemoryError:
        raise
    except Exception as exc:
        return ({"ok": False, "kind": "render", "error": str(exc) or type(exc).__name__},)
    finally:
        page.close()
    return head, pixels


def main() -> None:
    import resource

    # a page ended by its limits (SIGXCPU, an abort in PDFium) leaves no core file: writing a
    # gigabyte core would take longer than the page was allowed to
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol
    serve(stdin, stdout)


if __name__ == "__main__":
    main()
