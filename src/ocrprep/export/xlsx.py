"""XLSX through openpyxl: a worksheet per page, a row per text line, or per table row with a
cell per table cell when the page has tables."""
from __future__ import annotations

import io
import re

from ._layout import rows

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")




def write(results) -> bytes:
    """The pages as an Excel workbook (needs ``openpyxl``: ``pip install 'ocrprep[export]'``).

    >>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a")])[:2]   # doctest: +SKIP
    b'PK'
    """
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for k, result in enumerate(results, 1):
        sheet = book.create_sheet(f"Page {k}")
        page_rows = rows(result)
        for r, row in enumerate(page_rows, 1):
            for c, text in enumerate(row, 1):
                cell = sheet.cell(row=r, column=c, value=_ILLEGAL.sub("", text))
                cell.data_type = "s"  # recognised text, never a formula (a line may start with "=")
        widest = max((len(row[0]) for row in page_rows if row), default=10)
        sheet.column_dimensions["A"].width = min(max(widest, 10), 120)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
