"""Aspose.OCR's spell-checking program (its example recognize_with_spell_check.py: save with
correction, get_spell_check_corrected_text, get_spell_check_error_list, a user dictionary) and
AsposeOcr.correct_spelling, written as Aspose's documentation writes them with only the import
changed, on a rendered page with misspelled words."""
from __future__ import annotations

import json

import pytest
from PIL import Image

import ocrprep.compat as ocr
from docreaders import pdftotext
from frontdoor import text_page

pytest.importorskip("symspellpy")

LINES = ["Teh recieved documnet was", "examined by Zorbix yesterday."]
CORRECTED = "The received document was examined by Orbit yesterday."  # Zorbix: nearest word within 2 edits
WITH_USER_WORDS = "The recieved document was examined by Zorbax yesterday."


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from ocrprep.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    folder = tmp_path_factory.mktemp("spell")
    Image.fromarray(text_page(LINES, size=(900, 200))).save(folder / "sample.png")
    # the user dictionary: "recieved" is a word here, and "zorbax" a frequent one
    (folder / "userdict.txt").write_text("recieved 100\nzorbax 5000\n", encoding="utf-8")
    return folder


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_recognize_with_spell_check_program(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    userdict = str(page / "userdict.txt")

    api = ocr.AsposeOcr()
    filters = ocr.PreprocessingFilter()
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
    input.add(str(page / "sample.png"))
    res = api.recognize(input)
    assert one_line(res[0].recognition_text) == one_line(" ".join(LINES))  # the misspellings were read as printed

    api.save_multipage_document("result1.txt", ocr.SaveFormat.TEXT, res, True,
                                ocr.spellchecker.SpellCheckLanguage.ENG, userdict)
    res[0].save("result2.txt", ocr.SaveFormat.JSON, True, ocr.spellchecker.SpellCheckLanguage.ENG, userdict)
    corrected = res[0].get_spell_check_corrected_text(ocr.spellchecker.SpellCheckLanguage.ENG, userdict)
    errors = res[0].get_spell_check_error_list(ocr.spellchecker.SpellCheckLanguage.ENG, userdict)

    assert one_line(corrected) == WITH_USER_WORDS
    assert one_line((tmp_path / "result1.txt").read_text(encoding="utf-8")) == WITH_USER_WORDS
    saved = json.loads((tmp_path / "result2.txt").read_text(encoding="utf-8"))
    assert one_line(saved["text"]) == WITH_USER_WORDS
    assert [w["text"] for line in saved["lines"] for w in line["words"]] == WITH_USER_WORDS.split()
    assert [e.word for e in errors] == ["Teh", "documnet", "Zorbix"]
    by_word = {e.word: e for e in errors}
    assert by_word["Zorbix"].suggested_words[0].word == "Zorbax"
    assert by_word["Zorbix"].suggested_words[0].distance == 1
    for error in errors:
        for correction in error.suggested_words:
            assert isinstance(correction.word, str) and correction.distance in (1, 2)

    # without the user dictionary the outcome differs: "recieved" is corrected, "Zorbix" goes elsewhere
    assert one_line(res[0].get_spell_check_corrected_text(ocr.spellchecker.SpellCheckLanguage.ENG)) == CORRECTED
    assert "recieved" in [e.word for e in res[0].get_spell_check_error_list()]


def test_corrected_searchable_pdf_keeps_the_boxes(page, tmp_path):
    api = ocr.AsposeOcr()
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    input.add(str(page / "sample.png"))
    res = api.recognize(input)
    api.save_multipage_document(str(tmp_path / "fixed.pdf"), ocr.SaveFormat.PDF, res, True,
                                ocr.spellchecker.SpellCheckLanguage.ENG, str(page / "userdict.txt"))
    (text,) = pdftotext(tmp_path / "fixed.pdf")
    assert one_line(text) == WITH_USER_WORDS
    # the result itself is untouched
    assert one_line(res[0].recognition_text) == one_line(" ".join(LINES))


def test_correct_spelling():
    api = ocr.AsposeOcr()
    correctedText = api.correct_spelling("Teh documnet", ocr.spellchecker.SpellCheckLanguage.ENG)
    assert correctedText == "The document"
    text = "Die schönste Jungfrau sitzet dort oben wunderbar"
    pytest.importorskip("spellchecker")
    correctedText = api.correct_spelling(text, ocr.SpellCheckLanguage.DEU)
    assert correctedText == "Die schönste Jungfrau sitzt dort oben wunderbar"
