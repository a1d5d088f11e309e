"""Plain text (UTF-8): each page's text; pages separated by a form feed, as pdftotext does."""
from __future__ import annotations


def write(results) -> bytes:
    """The pages' ``recognition_text`` joined by ``\\f`` (a single page is its text unchanged).

    >>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a"), RecognitionResult(recognition_text="b")])
    b'a\\x0cb'
    """
    return "\f".join(r.recognition_text for r in results).encode("utf-8")
