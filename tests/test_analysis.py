"""OcrEngine's page-analysis methods (ocrprep.analysis)."""
from __future__ import annotations

import re

import numpy as np
import pytest

import imagegen
from ocrprep import NotSupportedError, OcrEngine, OcrInput, InputType, PreprocessingFilter
from ocrprep.analysis import AreasType, text_similarity
from ocrprep.errors import InvalidParameterError, ParameterTypeError


def test_text_similarity():
    assert text_similarity("a b c d", "a b c d") == 1.0
    assert text_similarity("a b c d", "a b x d") == 0.75
    assert text_similarity("", "") == 1.0 and text_similarity("a", "") == 0.0
    assert text_similarity("Hello World", "hello world") == 1.0
    assert text_similarity("Hello World", "hello world", ignore_case=False) == 0.0
    with pytest.raises(ParameterTypeError):
        text_similarity("a", None)


@pytest.mark.parametrize("angle", [-7.0, -2.5, 1.5, 5.0, 9.0])
def test_calculate_skew_within_a_tenth_of_a_degree(angle):
    page, _ = imagegen.document_page(size=26, width=1400)
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(imagegen.rotated(page, angle), name="page.png")
    out = OcrEngine().calculate_skew(doc)
    assert len(out) == 1 and out[0].source == "page.png" and out[0].page == 1 and out[0].error is None
    assert abs(out[0].angle - angle) <= 0.1, out[0].angle


def test_calculate_skew_applies_the_filters_and_reports_bad_pages():
    page, _ = imagegen.document_page(size=26, width=1400)
    doc = OcrInput(InputType.SINGLE_IMAGE, PreprocessingFilter([PreprocessingFilter.rotate(4.0)]))
    doc.add(page)
    doc.add(b"not an image")
    with pytest.warns(Warning, match="skew not measured"):
        out = OcrEngine().calculate_skew(doc)
    assert abs(out[0].angle - 4.0) <= 0.1
    assert out[1].angle == 0.0 and out[1].error is not None


@pytest.mark.tesseract
def test_text_search_and_comparison(tesseract):
    api = OcrEngine()
    page, _ = imagegen.document_page(imagegen.PARAGRAPHS[:2], size=28, width=1300)
    assert api.image_has_text(page, "of a WOODEN\nmill")
    assert not api.image_has_text(page, "of a WOODEN mill", ignore_case=False)
    assert api.image_has_text(page, re.compile(r"wooden\s+mill"))
    assert not api.image_has_text(page, "purple elephant")
    with pytest.raises(InvalidParameterError):
        api.image_has_text(page, "  ")
    other, _ = imagegen.document_page(imagegen.PARAGRAPHS[2:], size=28, width=1300)
    assert api.image_text_diff(page, page) == 1.0
    assert api.image_text_diff(page, other) < 0.2
    assert api.compare_image_texts(page, imagegen.rotated(page, 3.0))
    assert not api.compare_image_texts(page, other)


@pytest.mark.tesseract
def test_detect_rectangles_levels(tesseract):
    page, text = imagegen.document_page(imagegen.PARAGRAPHS[:1], size=28, width=1300)
    api = OcrEngine()
    words = api.detect_rectangles(page, AreasType.WORDS)[0].rectangles
    lines = api.detect_rectangles(page, "lines")[0].rectangles
    paragraphs = api.detect_rectangles(page)[0].rectangles
    n_lines = len(imagegen._wrap(text, imagegen.font("serif", 28), 1300 - 180))
    assert len(words) == len(text.split()) and len(lines) == n_lines and len(paragraphs) == 1
    for w in words:  # every word lies inside one of the lines
        assert any(l.x <= w.x and w.x + w.width <= l.x + l.width + 1 and l.y <= w.y + w.height / 2 <= l.y + l.height
                   for l in lines)
    with pytest.raises(InvalidParameterError):
        api.detect_rectangles(page, "columns")


@pytest.mark.tesseract
def test_characters_lines_and_fast(tesseract):
    api = OcrEngine()
    line = imagegen.text_line("Seven quiet owls")
    chars = api.recognize_characters(line)[0].characters
    assert "".join(c.value for c in chars) == "Sevenquietowls"
    xs = [c.coordinates.x for c in chars]
    assert xs == sorted(xs) and all(c.coordinates.height > 5 for c in chars)
    assert api.recognize_lines(line)[0].recognition_text.strip() == "Seven quiet owls"
    assert api.recognize_fast(line) == ["Seven quiet owls"]


def test_unsupported_methods_say_why():
    with pytest.raises(NotImplementedError, match="formula"):
        OcrEngine().recognize_formula(np.zeros((5, 5), np.uint8))
    assert issubclass(NotSupportedError, NotImplementedError)
