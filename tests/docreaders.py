"""Independent readers of the documents ocrprep writes (the export tests read every format back
with a program or library that did not write it): poppler's pdftotext and pypdf for PDF,
python-docx, openpyxl, striprtf, and zip + the EPUB container/OPF rules by hand."""
from __future__ import annotations

import collections
import html.parser
import io
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest

XHTML = "{http://www.w3.org/1999/xhtml}"


def words_of(text: str) -> list[str]:
    """The words of a text, punctuation-blind and lower-cased."""
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def missing_words(expected: list[str], text: str) -> list[str]:
    """Words of ``expected`` (multiset, punctuation-blind) that ``text`` lacks."""
    have = collections.Counter(words_of(text))
    out = []
    for w in (x for word in expected for x in words_of(word)):
        if have[w] > 0:
            have[w] -= 1
        else:
            out.append(w)
    return out


def need_pdftotext() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: ./scripts/setup.sh installs it")
    return exe


def pdftotext(path, *, layout=False) -> list[str]:
    """Page texts, as poppler's pdftotext reads them (it separates pages with form feeds)."""
    args = [need_pdftotext(), "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    out = subprocess.run(args, capture_output=True, check=True)
    assert not out.stderr.strip(), out.stderr.decode("utf-8", "replace")
    return out.stdout.decode("utf-8").split("\f")[:-1]


def pdftotext_boxes(path) -> list[list[tuple]]:
    """Per page, each word pdftotext finds: (text, xmin, ymin, xmax, ymax) in points from the top left;
    plus the page size as the first tuple ("", 0, 0, width, height)."""
    out = subprocess.run([need_pdftotext(), "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True)
    assert not out.stderr.strip(), out.stderr.decode("utf-8", "replace")
    root = ET.fromstring(out.stdout)
    pages = []
    for page in root.iter(XHTML + "page"):
        words = [("", 0.0, 0.0, float(page.get("width")), float(page.get("height")))]
        for w in page.iter(XHTML + "word"):
            words.append((w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
        pages.append(words)
    return pages


def pypdf_pages(path) -> list[str]:
    pypdf = pytest.importorskip("pypdf")

    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def docx_paragraphs(path) -> list[str]:
    docx = pytest.importorskip("docx")

    return [p.text for p in docx.Document(str(path)).paragraphs]


def docx_tables(path) -> list[list[list[str]]]:
    docx = pytest.importorskip("docx")

    return [[[cell.text for cell in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def xlsx_sheets(path) -> dict[str, list[list[str]]]:
    openpyxl = pytest.importorskip("openpyxl")

    book = openpyxl.load_workbook(str(path), read_only=True)
    return {
        sheet.title: [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def rtf_text(path) -> str:
    rtf_to_text = pytest.importorskip("striprtf.striprtf").rtf_to_text

    return rtf_to_text(open(path, encoding="ascii").read())


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "p", "section", "h1"):
            self.parts.append("\n")


def html_text(markup: str) -> str:
    """The text of an HTML document, through the standard library's HTML parser."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def epub_chapters(path) -> list[str]:
    """The texts of an EPUB's spine documents, found as a reading system does: the stored
    ``mimetype`` first, ``META-INF/container.xml`` -> the OPF package -> its spine -> manifest items."""
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        container = ET.fromstring(z.read("META-INF/container.xml"))
        ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "opf": "http://www.idpf.org/2007/opf"}
        opf_path = container.find("c:rootfiles/c:rootfile", ns).get("full-path")
        opf = ET.fromstring(z.read(opf_path))
        assert opf.find("opf:metadata", ns) is not None
        manifest = {item.get("id"): item for item in opf.find("opf:manifest", ns)}
        texts = []
        for ref in opf.find("opf:spine", ns):
            item = manifest[ref.get("idref")]
            if "nav" in (item.get("properties") or ""):
                continue
            doc = ET.fromstring(z.read(posixpath.join(posixpath.dirname(opf_path), item.get("href"))))
            texts.append(" ".join(t.strip() for t in doc.itertext() if t.strip()))
        return texts


def png_bytes(arr) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()
