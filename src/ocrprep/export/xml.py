"""XML: pages, areas (paragraphs), lines and words, each with its box and confidence."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ._layout import page_size, paragraphs


def _box(el, box) -> None:
    for name, value in zip(("x", "y", "width", "height"), box):
        el.set(name, str(int(value)))


def page_element(result, number: int) -> ET.Element:
    """One ``<page>`` element: attributes for the page, ``<text>``, then ``<area>/<line>/<word>``."""
    width, height = page_size(result)
    page = ET.Element("page", {
        "number": str(number),
        "source": result.source,
        "sourcePage": str(result.page),
        "width": str(width),
        "height": str(height),
        "language": result.language,
        "confidence": f"{result.confidence:.2f}",
        "skew": f"{result.skew:.3f}",
    })
    ET.SubElement(page, "text").text = result.recognition_text
    boxes = list(result.recognition_areas_rectangles)
    for k, lines in enumerate(paragraphs(result)):
        area = ET.SubElement(page, "area")
        if len(boxes) == len(result.recognition_areas_text) and k < len(boxes):
            _box(area, boxes[k])
        for line in lines:
            el = ET.SubElement(area, "line", {"confidence": f"{line.confidence:.2f}"})
            _box(el, line.line)
            for word in line.words:
                w = ET.SubElement(el, "word", {"confidence": f"{word.confidence:.2f}"})
                _box(w, word.box)
                w.text = word.text
    for warning in result.warnings:
        ET.SubElement(page, "warning").text = warning
    if result.error is not None:
        ET.SubElement(page, "error").text = str(result.error)
    return page


def write(results) -> bytes:
    """A UTF-8 ``<recognitionResults>`` document with one ``<page>`` per result.

    >>> from ocrprep import RecognitionResult
    >>> b"<text>hi</text>" in write([RecognitionResult(recognition_text="hi")])
    True
    """
    root = ET.Element("recognitionResults", {"pages": str(len(results))})
    for number, result in enumerate(results, 1):
        root.append(page_element(result, number))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
