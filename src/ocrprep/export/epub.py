"""EPUB 3 through EbookLib: a chapter (XHTML) per page, a navigation document and an NCX."""
from __future__ import annotations

import io
import uuid
from html import escape

from .html import _lang
from ._layout import text_paragraphs


def write(results) -> bytes:
    """The pages as an e-book (needs ``EbookLib``: ``pip install 'ocrprep[export]'``).

    >>> from ocrprep import RecognitionResult
    >>> write([RecognitionResult(recognition_text="a")])[:2]   # doctest: +SKIP
    b'PK'
    """
    from ebooklib import epub

    lang = _lang(results[0].language)
    book = epub.EpubBook()
    # the same pages give the same identifier, so re-saving a document does not make a "new" book
    book.set_identifier("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(
        f"{r.source}#{r.page}:{r.recognition_text}" for r in results))))
    book.set_title("Recognised text")
    book.set_language(lang)
    book.add_author("ocrprep")
    chapters = []
    for k, result in enumerate(results, 1):
        paras = "\n".join(
            "<p>" + "<br/>".join(escape(line) for line in para) + "</p>" for para in text_paragraphs(result)
        )
        chapter = epub.EpubHtml(title=f"Page {k}", file_name=f"page_{k:04d}.xhtml", lang=lang)
        # an empty body makes EbookLib's XHTML parser fail: every page has at least its heading
        chapter.content = f'<h1 class="page-title">Page {k}</h1>\n{paras}'
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    buf = io.BytesIO()
    epub.write_epub(buf, book, {})
    return buf.getvalue()
