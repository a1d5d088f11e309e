"""CSV (UTF-8 with a byte-order mark, so spreadsheet programs read it as UTF-8): one row per
text line, or per table row with one column per cell when the page has tables; pages are
separated by an empty row."""
from __future__ import annotations

import csv
import io

from ._layout import rows


def write(results) -> bytes:
    """>>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a, b")]).decode("utf-8-sig")
    '"a, b"\\r\\n'
    """
    buf = io.StringIO()
    out = csv.writer(buf)
    for k, result in enumerate(results):
        if k:
            out.writerow([])
        out.writerows(rows(result))
    return buf.getvalue().encode("utf-8-sig")
