"""DOCX (Office Open XML) through python-docx: a paragraph per area with line breaks between
its lines, a table per recognised table, a page break between pages."""
from __future__ import annotations

import io

from ._layout import tables, text_paragraphs


def write(results) -> bytes:
    """The pages as a Word document (needs ``python-docx``: ``pip install 'ocrprep[export]'``).

    >>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a")])[:2]   # doctest: +SKIP
    b'PK'
    """
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.core_properties.title = "Recognised text"
    document.core_properties.author = "ocrprep"
    for k, result in enumerate(results):
        if k:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for para in text_paragraphs(result):
            p = document.add_paragraph()
            for i, line in enumerate(para):
                run = p.add_run(_clean(line))
                if i < len(para) - 1:
                    run.add_break()
        for table in tables(result):
            columns = max((len(row) for row in table), default=0)
            if not columns:
                continue
            grid = document.add_table(rows=len(table), cols=columns)
            grid.style = "Table Grid"
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = _clean(cell)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _clean(text: str) -> str:
    # XML 1.0 cannot hold most control characters; lxml refuses them
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)
