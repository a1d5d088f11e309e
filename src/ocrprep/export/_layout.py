"""What the writers share: a result's paragraphs of lines, its tables, its page size, and the
cleaning of texts no document format can hold."""
from __future__ import annotations

import re
from dataclasses import replace

#: Resolution assumed for a page whose result does not know it (the usual scan resolution).
DEFAULT_DPI = 300


def paragraphs(result) -> list[list]:
    """The result's lines (``LinesResult``) grouped into its paragraphs (areas), in reading order.

    The areas' texts are the lines' texts joined by newlines, so the lines are
    dealt out to the areas by count; a result whose areas do not match its
    lines (built by hand) gets one paragraph per line.
    """
    lines = list(result.recognition_lines_result)
    areas = list(result.recognition_areas_text)
    counts = [text.count("\n") + 1 for text in areas]
    if not lines:
        return []
    if sum(counts) != len(lines):
        return [[line] for line in lines]
    out, i = [], 0
    for n in counts:
        out.append(lines[i:i + n])
        i += n
    return out


def text_paragraphs(result) -> list[list[str]]:
    """Paragraphs as lists of line texts; falls back on the text itself when there are no lines."""
    paras = paragraphs(result)
    if paras:
        return [[line.text_in_line for line in para] for para in paras]
    text = result.recognition_text.strip("\n")
    if not text:
        return []
    return [block.split("\n") for block in text.split("\n\n") if block.strip()]


def tables(result) -> list[list[list[str]]]:
    """The result's tables (each a list of rows of cell texts), when table recognition made any."""
    found = getattr(result, "tables", None) or []
    return [[["" if cell is None else str(cell) for cell in row] for row in table] for table in found]


def rows(result) -> list[list[str]]:
    """Spreadsheet rows of one page: the table rows (cells in columns) if there are tables, else
    one row per text line; tables are separated by an empty row."""
    found = tables(result)
    if not found:
        return [[line] for para in text_paragraphs(result) for line in para]
    out: list[list[str]] = []
    for k, table in enumerate(found):
        if k:
            out.append([])
        out.extend(table)
    return out


def dpi(result) -> float:
    value = getattr(result, "dpi", None)
    return float(value) if value else float(DEFAULT_DPI)


def page_size(result) -> tuple[int, int]:
    """(width, height) in pixels of the recognised page; 0s when unknown."""
    image = getattr(result, "page_image", None)
    if image is not None:
        return image.size
    return tuple(result.image_size)


# control characters XML 1.0 forbids (tab, line feed, carriage return are fine), lone UTF-16
# surrogates (no UTF-8 encoder takes them) and the two non-characters U+FFFE, U+FFFF
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text):
    return _UNWRITABLE.sub("", text) if isinstance(text, str) else text


def writable(result):
    """``result``, or a copy without the characters no format can hold (a form feed or a NUL from a
    hand-made result, a lone surrogate): every writer gets texts it can encode."""
    texts = [result.recognition_text, *result.recognition_areas_text, result.source]
    texts += [w.text for line in result.recognition_lines_result for w in line.words]
    texts += [line.text_in_line for line in result.recognition_lines_result]
    texts += [str(c) for t in (getattr(result, "tables", None) or []) for row in t for c in row]
    if not any(_UNWRITABLE.search(t) for t in texts if isinstance(t, str)):
        return result
    lines = [
        replace(line, text_in_line=_clean(line.text_in_line), words=[replace(w, text=_clean(w.text)) for w in line.words])
        for line in result.recognition_lines_result
    ]
    copy = replace(result, recognition_text=_clean(result.recognition_text), recognition_lines_result=lines,
                   recognition_areas_text=[_clean(t) for t in result.recognition_areas_text],
                   source=_clean(result.source), hocr=None)
    if getattr(result, "tables", None):
        copy.tables = [[[_clean(str(c)) for c in row] for row in t] for t in result.tables]
    return copy
