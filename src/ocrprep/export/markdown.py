"""Markdown: the paragraphs as Markdown paragraphs (lines kept with hard breaks), pages
separated by a rule; characters Markdown would read as markup are escaped."""
from __future__ import annotations

import re

from ._layout import text_paragraphs

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")
# a line starting like a list item ("- ", "+ ", "12. ", "3) "): its marker's punctuation is escaped
_LEADING = re.compile(r"^(\s*\d*)([-+.)])(\s)")


def _escape(line: str) -> str:
    line = _SPECIAL.sub(r"\\\1", line)
    return _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), line)


def write(results) -> bytes:
    """UTF-8 Markdown.

    >>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a *b*\\nc")])
    b'a \\\\*b\\\\*  \\nc\\n'
    """
    pages = []
    for result in results:
        paras = ["  \n".join(_escape(line) for line in para) for para in text_paragraphs(result)]
        pages.append("\n\n".join(paras))
    return ("\n\n---\n\n".join(pages) + "\n").encode("utf-8")
