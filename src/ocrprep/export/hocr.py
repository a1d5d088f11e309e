"""hOCR 1.2: XHTML whose ``ocr_page / ocr_carea / ocr_par / ocr_line / ocrx_word`` elements
carry their boxes (``bbox x0 y0 x1 y1``) and word confidences (``x_wconf``) in ``title``."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .html import _lang
from ._layout import page_size, paragraphs


def _bbox(box) -> str:
    x, y, w, h = (int(v) for v in box)
    return f"bbox {x} {y} {x + w} {y + h}"


def _union(boxes) -> tuple:
    boxes = [b for b in boxes if b[2] > 0 and b[3] > 0]
    if not boxes:
        return (0, 0, 0, 0)
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page(body, result, n: int) -> None:
    width, height = page_size(result)
    props = [f"bbox 0 0 {width} {height}", f"ppageno {n - 1}"]
    if result.source:
        props.insert(0, "image " + _quoted(result.source))
    page = ET.SubElement(body, "div", {"class": "ocr_page", "id": f"page_{n}", "title": "; ".join(props)})
    lang = result.language.split("+")[0]
    for b, lines in enumerate(paragraphs(result), 1):
        box = _bbox(_union([line.line for line in lines]))
        area = ET.SubElement(page, "div", {"class": "ocr_carea", "id": f"block_{n}_{b}", "title": box})
        par = ET.SubElement(area, "p", {"class": "ocr_par", "id": f"par_{n}_{b}", "lang": lang, "title": box})
        for line in lines:
            ln = ET.SubElement(par, "span", {"class": "ocr_line", "id": f"line_{n}_{b}_{len(par)}",
                                             "title": _bbox(line.line)})
            for word in line.words:
                w = ET.SubElement(ln, "span", {"class": "ocrx_word", "id": f"word_{n}_{b}_{len(par)}_{len(ln) + 1}",
                                               "title": f"{_bbox(word.box)}; x_wconf {int(round(word.confidence))}"})
                w.text = word.text
                w.tail = " "


def write(results) -> bytes:
    """The pages as one hOCR document (Tesseract's own hOCR, unchanged, for one page that has it).

    >>> from ocrprep import RecognitionResult
    >>> b'class="ocr_page"' in write([RecognitionResult(recognition_text="")])
    True
    """
    if len(results) == 1 and results[0].hocr:
        return results[0].hocr.encode("utf-8")
    from .. import __version__

    lang = _lang(results[0].language)
    root = ET.Element("html", {"xmlns": "http://www.w3.org/1999/xhtml", "xml:lang": lang, "lang": lang})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = ""
    ET.SubElement(head, "meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    ET.SubElement(head, "meta", {"name": "ocr-system", "content": f"ocrprep {__version__} (Tesseract)"})
    ET.SubElement(head, "meta", {"name": "ocr-capabilities",
                                 "content": "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"})
    ET.SubElement(head, "meta", {"name": "ocr-number-of-pages", "content": str(len(results))})
    body = ET.SubElement(root, "body")
    for n, result in enumerate(results, 1):
        _page(body, result, n)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
