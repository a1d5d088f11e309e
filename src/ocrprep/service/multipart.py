"""``multipart/form-data`` bodies (file uploads, and the token request of SDK 24.8).

The body has already been read (under ``--max-body``); it is split into its
parts by python-multipart (a dependency of the ``service`` extra), field name
-> ``Part(data, filename, content_type)``.  A malformed body raises
:class:`~ocrprep.service.tasks.RequestError` (400).
"""
from __future__ import annotations

from dataclasses import dataclass

from .tasks import RequestError

__all__ = ["Part", "parse_multipart", "boundary_of"]


@dataclass
class Part:
    data: bytes
    filename: str | None = None
    content_type: str | None = None


def boundary_of(content_type: str) -> bytes | None:
    """The ``boundary`` parameter of a multipart Content-Type header (None when absent)."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "boundary":
            value = value.strip().strip('"')
            return value.encode("latin-1") if value else None
    return None


def parse_multipart(raw: bytes, content_type: str, *, max_parts: int = 32) -> dict[str, Part]:
    """The parts of a multipart/form-data body, by field name (the first part of each name wins)."""
    try:
        from python_multipart.multipart import MultipartParser, parse_options_header
    except ImportError:  # python-multipart < 0.0.13
        from multipart.multipart import MultipartParser, parse_options_header

    boundary = boundary_of(content_type)
    if not boundary:
        raise RequestError("multipart/form-data body without a boundary in its Content-Type", code="InvalidMultipart")
    parts: dict[str, Part] = {}
    state = {"headers": {}, "field": None, "chunks": [], "header_name": b"", "header_value": b"", "count": 0}

    def on_part_begin():
        state["headers"], state["chunks"] = {}, []
        state["count"] += 1
        if state["count"] > max_parts:
            raise RequestError(f"multipart body with more than {max_parts} parts", code="InvalidMultipart")

    def on_header_field(data, start, end):
        state["header_name"] += data[start:end]

    def on_header_value(data, start, end):
        state["header_value"] += data[start:end]

    def on_header_end():
        state["headers"][state["header_name"].decode("latin-1").lower()] = state["header_value"]
        state["header_name"], state["header_value"] = b"", b""

    def on_part_data(data, start, end):
        state["chunks"].append(data[start:end])

    def on_part_end():
        disposition, options = parse_options_header(state["headers"].get("content-disposition", b""))
        name = options.get(b"name")
        if name is None:
            return
        key = name.decode("utf-8", "replace")
        filename = options.get(b"filename")
        ctype = state["headers"].get("content-type")
        if key not in parts:
            parts[key] = Part(b"".join(state["chunks"]), filename.decode("utf-8", "replace") if filename else None,
                              ctype.decode("latin-1") if ctype else None)
        state["chunks"] = []

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        parser.write(raw)
        parser.finalize()
    except RequestError:
        raise
    except Exception as exc:  # python-multipart's MultipartParseError and friends
        raise RequestError(f"malformed multipart/form-data body ({exc})", code="InvalidMultipart") from None
    return parts
