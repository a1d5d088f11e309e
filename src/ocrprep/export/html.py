"""HTML5: one ``<section>`` per page, a ``<p>`` per paragraph, ``<br>`` between its lines."""
from __future__ import annotations

from html import escape

from ._layout import text_paragraphs


def body(results) -> str:
    """The pages as HTML sections (shared with the EPUB writer)."""
    parts = []
    for i, result in enumerate(results):
        parts.append(f'<section class="page" id="page-{i + 1}">')
        for para in text_paragraphs(result):
            parts.append("<p>" + "<br/>\n".join(escape(line) for line in para) + "</p>")
        parts.append("</section>")
    return "\n".join(parts)


def write(results) -> bytes:
    """A standalone UTF-8 HTML page.

    >>> from ocrprep import RecognitionResult
    >>> b"<p>a &amp; b</p>" in write([RecognitionResult(recognition_text="a & b")])
    True
    """
    return (
        "<!DOCTYPE html>\n"
        '<html lang="{}">\n<head>\n<meta charset="utf-8"/>\n<title>{}</title>\n</head>\n<body>\n{}\n</body>\n</html>\n'
    ).format(_lang(results[0].language), "Recognised text", body(results)).encode("utf-8")


_ISO = {"eng": "en", "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "por": "pt", "nld": "nl", "pol": "pl",
        "ces": "cs", "dan": "da", "swe": "sv", "fin": "fi", "rus": "ru", "ukr": "uk", "tur": "tr", "ell": "el",
        "lav": "lv", "lit": "lt", "est": "et", "ron": "ro", "slk": "sk", "slv": "sl", "nor": "no"}


def _lang(language: str) -> str:
    """An HTML language tag for a Tesseract code (the first of ``eng+deu``)."""
    code = (language or "eng").split("+")[0]
    return _ISO.get(code, code)
