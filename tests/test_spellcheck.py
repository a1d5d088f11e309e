"""ocrprep.spellcheck: which words are checked, corrections keep the text's shape, positions,
user dictionaries (format, errors, effect), languages, corrected results.  The Aspose-style
programs on a recognised page are in tests/compat/test_spell_check.py."""
from __future__ import annotations

import sys

import pytest

import ocrprep
from ocrprep import spellcheck
from ocrprep.filters import Rectangle
from ocrprep.ocr import LinesResult, RecognitionResult, Word
from ocrprep.spellcheck import SpellChecker, SpellCheckLanguage, correct_spelling, corrected_result

pytest.importorskip("symspellpy")


@pytest.fixture(scope="module")
def english():
    return SpellChecker(SpellCheckLanguage.ENG)


def test_corrects_misspellings_and_keeps_everything_else(english):
    text = "Teh quikc brown fox,\n\tRECIEVED 12 parcels (abc123) from NASA and iPhone users: documnet.\n"
    assert english.correct(text) == (
        "The quick brown fox,\n\tRECEIVED 12 parcels (abc123) from NASA and iPhone users: document.\n"
    )


def test_error_list_positions_and_suggestions(english):
    text = "A documnet about teh well-knwon river."
    errors = english.errors(text)
    assert [e.word for e in errors] == ["documnet", "teh", "knwon"]
    for e in errors:
        assert text[e.start_position:e.start_position + e.length] == e.word
        assert e.suggested_words and e.suggested_words[0].distance >= 1
        distances = [s.distance for s in e.suggested_words]
        assert distances == sorted(distances) and max(distances) <= 2 and len(distances) <= 10
    assert errors[0].suggested_words[0].word == "document"
    assert errors[2].suggested_words[0].word == "known"
    assert english.errors("The river is wide.") == []


def test_words_without_suggestions_are_errors_left_unchanged(english):
    (error,) = english.errors("the xqzvkbrtnm plan")
    assert error.word == "xqzvkbrtnm" and error.suggested_words == []
    assert english.correct("the xqzvkbrtnm plan") == "the xqzvkbrtnm plan"


def test_capitalisation_is_transferred(english):
    assert english.correct("Recieve RECIEVE recieve") == "Receive RECEIVE receive"


def test_user_dictionary_changes_the_outcome(tmp_path, english):
    text = "We recieved a zorbix."
    assert english.correct(text) != "We recieved a zorbax."
    words = tmp_path / "user.txt"
    # Aspose's format: word, a space or a tab, its frequency; Windows line ends and a BOM are fine
    words.write_bytes("\ufeffrecieved 100\r\nzorbax\t5000\r\n\r\n".encode("utf-8"))
    assert correct_spelling(text, "eng", words) == "We recieved a zorbax."
    assert [e.word for e in SpellChecker("eng", str(words)).errors(text)] == ["zorbix"]
    # the file changed: the new words are used
    words.write_text("zorbix 1\n", encoding="utf-8")
    assert correct_spelling(text, "eng", words) == "We received a zorbix."


@pytest.mark.parametrize("content, match", [
    ("word 12x\n", "line 1: the frequency '12x' is not a whole number"),
    ("ok 1\nword 1 2\n", "line 2: expected 'word frequency'"),
    ("w -3\n", "negative frequency"),
])
def test_bad_user_dictionaries(tmp_path, content, match):
    path = tmp_path / "d.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ocrprep.InvalidParameterError, match=match):
        correct_spelling("text", "eng", path)


def test_user_dictionary_file_errors(tmp_path):
    with pytest.raises(ocrprep.InputNotFoundError, match="user dictionary not found"):
        correct_spelling("text", "eng", tmp_path / "missing.txt")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 3\n".encode("latin-1"))
    with pytest.raises(ocrprep.InvalidParameterError, match="not UTF-8"):
        correct_spelling("text", "eng", tmp_path / "latin1.txt")
    with pytest.raises(ocrprep.InvalidParameterError, match="is a folder"):
        correct_spelling("text", "eng", tmp_path)
    with pytest.raises(ocrprep.ParameterTypeError, match="dictionary_path must be a file path"):
        correct_spelling("text", "eng", 42)


@pytest.mark.parametrize("value, member", [
    (None, SpellCheckLanguage.ENG), ("ENG", SpellCheckLanguage.ENG), ("de", SpellCheckLanguage.DEU),
    ("French", SpellCheckLanguage.FRA), (ocrprep.Language.SPA, SpellCheckLanguage.SPA), (17, SpellCheckLanguage.SWE),
    ("cze", SpellCheckLanguage.CES),
])
def test_language_names(value, member):
    assert SpellCheckLanguage.parse(value) is member


def test_language_errors():
    with pytest.raises(ocrprep.InvalidParameterError, match="unknown spell-check language 'klingon'"):
        correct_spelling("text", "klingon")
    with pytest.raises(ocrprep.ParameterTypeError):
        correct_spelling("text", 1.5)
    with pytest.raises(ocrprep.InvalidParameterError, match=r"no spell-check dictionary for Czech \(CES\).*ENG, DEU"):
        correct_spelling("text", SpellCheckLanguage.CES)
    with pytest.raises(ocrprep.ParameterTypeError, match="text must be a string"):
        correct_spelling(b"bytes")
    # Aspose's members, in Aspose's order
    assert [m.name for m in SpellCheckLanguage][:6] == ["ENG", "DEU", "SPA", "FRA", "ITA", "POR"]
    assert {m.name for m in spellcheck.available_languages()} == {"ENG", "DEU", "SPA", "FRA", "ITA", "POR", "NLD",
                                                                 "LAV"}


def test_missing_library_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "symspellpy", None)
    with pytest.raises(ocrprep.MissingDependencyError, match=r"ocrprep\[spell\]"):
        spellcheck._symspell_module()


def test_german_dictionary_from_pyspellchecker():
    pytest.importorskip("spellchecker")
    # Aspose's documentation example
    assert correct_spelling("Die schönste Jungfrau sitzet dort oben wunderbar", SpellCheckLanguage.DEU) == (
        "Die schönste Jungfrau sitzt dort oben wunderbar"
    )


def test_corrected_result_corrects_words_lines_and_text_and_keeps_boxes():
    words = [Word("Teh", Rectangle(0, 0, 30, 10), 80.0), Word("documnet", Rectangle(40, 0, 80, 10), 70.0)]
    r = RecognitionResult(recognition_text="Teh documnet", recognition_areas_text=["Teh documnet"],
                          recognition_lines_result=[LinesResult("Teh documnet", Rectangle(0, 0, 120, 10), 75.0, words)],
                          hocr="<html/>")
    fixed = corrected_result(r)
    assert fixed.recognition_text == "The document" and fixed.recognition_areas_text == ["The document"]
    assert fixed.recognition_lines_result[0].text_in_line == "The document"
    assert [(w.text, w.box, w.confidence) for w in fixed.words] == [("The", words[0].box, 80.0),
                                                                    ("document", words[1].box, 70.0)]
    assert fixed.hocr is None and r.recognition_text == "Teh documnet"  # the original is unchanged
    assert r.get_spell_check_corrected_text() == "The document"
    assert [e.word for e in r.get_spell_check_error_list(SpellCheckLanguage.ENG)] == ["Teh", "documnet"]


def test_word_hyphenated_across_lines_is_checked_whole(english):
    text = "the recog-\nnition of docu-\n  ments and teh map"
    assert english.correct(text) == "the recog-\nnition of docu-\n  ments and the map"
    assert [e.word for e in english.errors(text)] == ["teh"]
    # halves that make no word together are checked as words
    assert [e.word for e in english.errors("documnet-\nabout")] == ["documnet"]
