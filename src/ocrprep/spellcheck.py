"""Spelling correction of recognised text (Aspose.OCR's spell checker), through symspellpy.

Words are looked up in a frequency dictionary with the SymSpell algorithm
(``symspellpy``): a word the dictionary has is correct; otherwise the
dictionary words within two edits (insert, delete, substitute, transpose)
are its suggestions, closest first, then most frequent, and the first one
replaces it in the corrected text (with the word's capitalisation).

Dictionaries, all shipped inside the libraries' wheels (no download):

* English (``ENG``): symspellpy's own (82,765 words with their frequencies);
* German, Spanish, French, Italian, Portuguese, Dutch, Latvian (``DEU``,
  ``SPA``, ``FRA``, ``ITA``, ``POR``, ``NLD``, ``LAV``): pyspellchecker's
  word-frequency lists.

The other languages of Aspose's list (Czech, Danish, Estonian, Finnish,
Lithuanian, Polish, Romanian, Slovak, Slovene, Swedish) have no dictionary
in these libraries and raise :class:`~ocrprep.InvalidParameterError`.
Install both with ``pip install 'ocrprep[spell]'``.

A *user dictionary* (``dictionary_path``) is Aspose's (and SymSpell's) file
format: UTF-8 text, one ``word frequency`` pair per line separated by a
space or a tab, words in lower case.  Its words count as correct and are
suggested like the built-in ones (a word in both has the two frequencies
added).

Which words are checked: runs of letters (apostrophes and hyphens inside a
word are kept; each part of a hyphenated word is checked on its own; a word
broken by a hyphen at the end of a line counts as correct when the two
halves make a dictionary word), at least two letters long.  Words with digits, words with a capital after the
first letter (``iPhone``, ``McKay``) and all-capital words of up to four
letters (acronyms) are left alone.

Loading a dictionary takes a few seconds the first time (it is then kept
for the process): English about 1 s and 50 MB, the larger pyspellchecker
lists about 4 s and 200 MB.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field, replace
from enum import IntEnum
from pathlib import Path

from .errors import (
    InputNotFoundError,
    InvalidParameterError,
    MissingDependencyError,
    ParameterTypeError,
)

__all__ = [
    "SpellCheckLanguage",
    "SpellCheckError",
    "SuggestedWord",
    "SpellChecker",
    "correct_spelling",
    "spell_check_errors",
    "corrected_result",
    "available_languages",
]

#: Edits allowed between a word and its suggestions.
MAX_EDIT_DISTANCE = 2
#: Suggestions listed per misspelled word.
MAX_SUGGESTIONS = 10
# SymSpell indexes deletes of each word's first letters only; 5 keeps the English index at ~50 MB
# and loading ~1 s, with the same results (the prefix only has to exceed the edit distance)
_PREFIX_LENGTH = 5


class SpellCheckLanguage(IntEnum):
    """Spell-check dictionaries (Aspose.OCR's ``SpellCheckLanguage``, same names and values).

    Members whose dictionary no installed library ships raise an error when
    used; :func:`available_languages` lists the usable ones.
    """

    ENG = 0
    DEU = 1
    SPA = 2
    FRA = 3
    ITA = 4
    POR = 5
    CES = 6
    DAN = 7
    NLD = 8
    EST = 9
    FIN = 10
    LAV = 11
    LIT = 12
    POL = 13
    RON = 14
    SLK = 15
    SLV = 16
    SWE = 17

    @classmethod
    def parse(cls, value) -> "SpellCheckLanguage":
        """A member from itself, its name (``"ENG"``/``"eng"``), an ISO 639-1 code (``"en"``),
        an English name (``"English"``) or its value; ``None`` is English.

        >>> SpellCheckLanguage.parse("de"), SpellCheckLanguage.parse(None)
        (<SpellCheckLanguage.DEU: 1>, <SpellCheckLanguage.ENG: 0>)
        """
        if value is None:
            return cls.ENG
        if isinstance(value, cls):
            return value
        if isinstance(value, bool):
            raise ParameterTypeError(f"spell-check language must be a SpellCheckLanguage, got {value!r}")
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                raise InvalidParameterError(f"no SpellCheckLanguage has the value {value}") from None
        name = getattr(value, "value", value)  # e.g. ocrprep.Language.DEU ("deu")
        if not isinstance(name, str):
            raise ParameterTypeError(
                f"spell-check language must be a SpellCheckLanguage or a name such as 'eng', "
                f"got {type(value).__name__}"
            )
        key = name.strip().lower()
        key = _ALIASES.get(key, key)
        if key.upper() in cls.__members__:
            return cls[key.upper()]
        raise InvalidParameterError(
            f"unknown spell-check language {name!r}; use one of {', '.join(m.name for m in cls)}"
        )


_ISO = {
    "ENG": "en", "DEU": "de", "SPA": "es", "FRA": "fr", "ITA": "it", "POR": "pt", "CES": "cs", "DAN": "da",
    "NLD": "nl", "EST": "et", "FIN": "fi", "LAV": "lv", "LIT": "lt", "POL": "pl", "RON": "ro", "SLK": "sk",
    "SLV": "sl", "SWE": "sv",
}
_NAMES = {
    "ENG": "English", "DEU": "German", "SPA": "Spanish", "FRA": "French", "ITA": "Italian", "POR": "Portuguese",
    "CES": "Czech", "DAN": "Danish", "NLD": "Dutch", "EST": "Estonian", "FIN": "Finnish", "LAV": "Latvian",
    "LIT": "Lithuanian", "POL": "Polish", "RON": "Romanian", "SLK": "Slovak", "SLV": "Slovene", "SWE": "Swedish",
}
_ALIASES = {iso: member.lower() for member, iso in _ISO.items()}
_ALIASES.update({name.lower(): member.lower() for member, name in _NAMES.items()})
_ALIASES.update({"slovenian": "slv", "cze": "ces", "dum": "nld", "rum": "ron", "ger": "deu", "fre": "fra"})
# where each dictionary comes from: the English one is symspellpy's, the others pyspellchecker's
_PYSPELLCHECKER = {"DEU", "SPA", "FRA", "ITA", "POR", "NLD", "LAV"}


def available_languages() -> list[SpellCheckLanguage]:
    """The languages with a shipped dictionary (whether or not its library is installed)."""
    return [m for m in SpellCheckLanguage if m.name == "ENG" or m.name in _PYSPELLCHECKER]


@dataclass
class SuggestedWord:
    """A suggested spelling (Aspose.OCR's ``SuggestedWord``): ``word`` and its edit ``distance``."""

    word: str
    distance: int


@dataclass
class SpellCheckError:
    """A misspelled word (Aspose.OCR's ``SpellCheckError``).

    Attributes
    ----------
    word : str
        The word as it is in the text.
    start_position, length : int
        Where it is in the checked text (``text[start:start + length] == word``).
    suggested_words : list of SuggestedWord
        Up to ten spellings, closest first, then most frequent; empty when
        no dictionary word is within two edits.
    """

    word: str
    start_position: int
    length: int
    suggested_words: list[SuggestedWord] = field(default_factory=list)


# --------------------------------------------------------------------------- #
# dictionaries
# --------------------------------------------------------------------------- #
_lock = threading.Lock()
_dictionaries: dict[str, object] = {}
_user_dictionaries: dict[tuple, object] = {}


def _symspell_module():
    try:
        import symspellpy
    except ImportError:
        raise MissingDependencyError(
            "spell checking needs symspellpy: pip install 'ocrprep[spell]' (or pip install symspellpy)"
        ) from None
    return symspellpy


def _new_index():
    return _symspell_module().SymSpell(max_dictionary_edit_distance=MAX_EDIT_DISTANCE, prefix_length=_PREFIX_LENGTH)


def _base_dictionary(language: SpellCheckLanguage):
    """The language's SymSpell index, built once per process."""
    name = language.name
    with _lock:
        index = _dictionaries.get(name)
        if index is not None:
            return index
        if name == "ENG":
            from importlib.resources import files

            index = _new_index()
            path = files(_symspell_module().__name__) / "frequency_dictionary_en_82_765.txt"
            if not index.load_dictionary(str(path), term_index=0, count_index=1, encoding="utf-8"):
                raise MissingDependencyError(f"symspellpy's English dictionary is missing ({path})")
        elif name in _PYSPELLCHECKER:
            try:
                from spellchecker import SpellChecker as _WordLists
            except ImportError:
                raise MissingDependencyError(
                    f"the {_NAMES[name]} spell-check dictionary needs pyspellchecker: "
                    "pip install 'ocrprep[spell]' (or pip install pyspellchecker)"
                ) from None
            words = _WordLists(language=_ISO[name], distance=1).word_frequency.dictionary
            index = _new_index()
            for word, count in words.items():
                index.create_dictionary_entry(word, int(count))
        else:
            usable = ", ".join(m.name for m in available_languages())
            raise InvalidParameterError(
                f"no spell-check dictionary for {_NAMES[name]} ({name}) in symspellpy or pyspellchecker; "
                f"available: {usable}"
            )
        _dictionaries[name] = index
        return index


def read_user_dictionary(path) -> dict[str, int]:
    """``{word: frequency}`` from a user dictionary file (``word frequency`` per line).

    Words are lower-cased; a line with a word and no frequency counts 1.

    Raises
    ------
    InputNotFoundError
        No such file.
    InvalidParameterError
        Not UTF-8 text, or a line whose frequency is not a whole number.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "words.txt")
    >>> _ = open(path, "w", encoding="utf-8").write("ocrprep 500\\nBinarization\\t20\\n")
    >>> read_user_dictionary(path)
    {'ocrprep': 500, 'binarization': 20}
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterTypeError(f"dictionary_path must be a file path, got {type(path).__name__}")
    from .io import windows_path

    path = Path(windows_path(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"user dictionary not found: {path}") from None
    except IsADirectoryError:
        raise InvalidParameterError(f"user dictionary {path} is a folder, not a file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidParameterError(f"user dictionary {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    words: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2:
            raise InvalidParameterError(
                f"user dictionary {path} line {number}: expected 'word frequency', got {line.strip()!r}"
            )
        count = 1
        if len(parts) == 2:
            try:
                count = int(parts[1])
            except ValueError:
                raise InvalidParameterError(
                    f"user dictionary {path} line {number}: the frequency {parts[1]!r} is not a whole number"
                ) from None
            if count < 0:
                raise InvalidParameterError(f"user dictionary {path} line {number}: negative frequency {count}")
        word = parts[0].lower()
        words[word] = words.get(word, 0) + count
    return words


def _user_dictionary(path):
    """The SymSpell index of a user dictionary, rebuilt when the file changes."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterTypeError(f"dictionary_path must be a file path, got {type(path).__name__}")
    from .io import windows_path

    words_path = Path(windows_path(path))
    try:
        st = words_path.stat()
        key = (str(words_path.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None  # read_user_dictionary raises the right error
    with _lock:
        if key is not None and key in _user_dictionaries:
            return _user_dictionaries[key]
    words = read_user_dictionary(words_path)
    index = _new_index()
    for word, count in words.items():
        index.create_dictionary_entry(word, max(count, 1))
    with _lock:
        if len(_user_dictionaries) >= 16:
            _user_dictionaries.pop(next(iter(_user_dictionaries)))
        _user_dictionaries[key] = index
    return index


# --------------------------------------------------------------------------- #
# the checker
# --------------------------------------------------------------------------- #
# a word: letters, maybe joined by apostrophes or hyphens, not glued to digits ("abc123" is no word)
_CANDIDATE = re.compile(r"(?<!\w)[^\W\d_]+(?:['’\-][^\W\d_]+)*(?!\w)")
_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SPLIT_WORD = re.compile(r"(?<!\w)([^\W\d_]+)-[ \t]*\r?\n[ \t]*([^\W\d_]+)(?!\w)")


def _skipped(word: str) -> bool:
    if len(word) < 2:
        return True
    if word.isupper() and len(word) <= 4:
        return True  # an acronym
    return any(c.isupper() for c in word[1:]) and not word.isupper()


def _with_case_of(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class SpellChecker:
    """Checks and corrects text against one language's dictionary (and a user dictionary).

    Parameters
    ----------
    language : SpellCheckLanguage or str, optional
        Default English.
    dictionary_path : str or Path, optional
        User dictionary (``word frequency`` per line) added to the language's.

    Examples
    --------
    >>> checker = SpellChecker("eng")                        # doctest: +SKIP
    >>> checker.correct("Teh quikc brown fox")               # doctest: +SKIP
    'The quick brown fox'
    >>> [e.word for e in checker.errors("Teh fox")]          # doctest: +SKIP
    ['Teh']
    """

    def __init__(self, language=None, dictionary_path=None):
        self.language = SpellCheckLanguage.parse(language)
        self._base = _base_dictionary(self.language)
        self._user = None if dictionary_path is None else _user_dictionary(dictionary_path)
        self._verbosity = _symspell_module().Verbosity.ALL
        self._seen: dict[str, list[tuple[str, int]]] = {}

    def suggestions(self, word: str) -> list[SuggestedWord] | None:
        """``None`` when ``word`` is spelled correctly, else its suggestions (maybe none)."""
        key = word.lower()
        # a dictionary word is correct: no lookup (listing every word within two edits of a
        # correct word would cost ~10 ms each)
        if self._known(key):
            return None
        ranked = self._seen.get(key)
        if ranked is None:
            ranked = self._lookup(key)
            if len(self._seen) < 10000:  # OCR text repeats its misreadings
                self._seen[key] = ranked
        return [SuggestedWord(_with_case_of(word, term), dist) for term, dist in ranked]

    def _lookup(self, key: str) -> list[tuple[str, int]]:
        found: dict[str, list] = {}
        for index in (self._base, self._user):
            if index is None:
                continue
            for item in index.lookup(key, self._verbosity, MAX_EDIT_DISTANCE):
                entry = found.setdefault(item.term, [item.distance, 0])
                entry[1] += item.count
        ranked = sorted(found.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[0]))
        return [(term, dist) for term, (dist, _count) in ranked[:MAX_SUGGESTIONS]]

    def _known(self, word: str) -> bool:
        key = word.lower()
        return key in self._base.words or (self._user is not None and key in self._user.words)

    def _spans(self, text: str):
        """(start, word, suggestions) of every misspelled word of ``text``."""
        # a word hyphenated across a line break ("recog-\nnition") is checked whole: its halves
        # are no words, and correcting them would break a right word in two wrong ones
        whole = {m.start(1) for m in _SPLIT_WORD.finditer(text) if self._known(m.group(1) + m.group(2))}
        whole |= {m.start(2) for m in _SPLIT_WORD.finditer(text) if m.start(1) in whole}
        for match in _CANDIDATE.finditer(text):
            token = match.group()
            if _skipped(token) or match.start() in whole:
                continue
            if "-" in token or "'" in token or "’" in token:
                if self.suggestions(token) is None:
                    continue  # the dictionary has the compound itself ("don't", "well-known")
                parts = [(match.start() + m.start(), m.group()) for m in _PART.finditer(token)]
            else:
                parts = [(match.start(), token)]
            for start, part in parts:
                if _skipped(part):
                    continue
                found = self.suggestions(part)
                if found is not None:
                    yield start, part, found

    def errors(self, text: str) -> list[SpellCheckError]:
        """The misspelled words of ``text`` with their positions and suggestions."""
        _check_text(text)
        return [SpellCheckError(word, start, len(word), found) for start, word, found in self._spans(text)]

    def correct(self, text: str) -> str:
        """``text`` with each misspelled word replaced by its first suggestion (spacing, punctuation
        and line breaks unchanged; words without a suggestion stay)."""
        _check_text(text)
        out, last = [], 0
        for start, word, found in self._spans(text):
            if found:
                out.append(text[last:start])
                out.append(found[0].word)
                last = start + len(word)
        out.append(text[last:])
        return "".join(out)


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise ParameterTypeError(f"text must be a string, got {type(text).__name__}")


def correct_spelling(text: str, language=None, dictionary_path=None) -> str:
    """``text`` with misspelled words replaced (Aspose.OCR's ``AsposeOcr.correct_spelling``).

    Examples
    --------
    >>> correct_spelling("Recogniton resluts")               # doctest: +SKIP
    'Recognition results'
    """
    return SpellChecker(language, dictionary_path).correct(text)


def spell_check_errors(text: str, language=None, dictionary_path=None) -> list[SpellCheckError]:
    """The misspelled words of ``text`` (see :class:`SpellCheckError`).

    Examples
    --------
    >>> [(e.word, e.start_position, e.suggested_words[0].word)
    ...  for e in spell_check_errors("a documnet")]             # doctest: +SKIP
    [('documnet', 2, 'document')]
    """
    return SpellChecker(language, dictionary_path).errors(text)


def corrected_result(result, language=None, dictionary_path=None):
    """A copy of a :class:`~ocrprep.RecognitionResult` with every text corrected.

    The page text, the areas, the lines and each word are corrected the same
    way; boxes, confidences and the page image are kept, so a corrected
    searchable PDF still puts each word over its image.  The copy has no
    Tesseract hOCR (it would hold the uncorrected words).
    """
    checker = SpellChecker(language, dictionary_path)
    lines = []
    for line in result.recognition_lines_result:
        words = [replace(w, text=checker.correct(w.text)) for w in line.words]
        text = " ".join(w.text for w in words) if words else checker.correct(line.text_in_line)
        lines.append(replace(line, text_in_line=text, words=words))
    fixed = replace(
        result,
        recognition_text=checker.correct(result.recognition_text),
        recognition_lines_result=lines,
        recognition_areas_text=[checker.correct(t) for t in result.recognition_areas_text],
        hocr=None,
        warnings=list(result.warnings),
    )
    if getattr(result, "tables", None):
        fixed.tables = [[[checker.correct(str(cell)) for cell in row] for row in table] for table in result.tables]
    return fixed


# --------------------------------------------------------------------------- #
# methods of RecognitionResult and OcrEngine
# --------------------------------------------------------------------------- #
class ResultSpellCheckMixin:
    """Adds Aspose.OCR's spell-check methods to a recognition result."""

    def get_spell_check_corrected_text(self, language=None, dictionary_path=None) -> str:
        """The page text with misspelled words replaced (Aspose.OCR's name).

        Parameters
        ----------
        language : SpellCheckLanguage, optional
            Default English.
        dictionary_path : str or Path, optional
            User dictionary (``word frequency`` per line), added to the language's.
        """
        return SpellChecker(language, dictionary_path).correct(self.recognition_text)

    def get_spell_check_error_list(self, language=None, dictionary_path=None) -> list[SpellCheckError]:
        """The misspelled words of the page text, each with ``word``, ``start_position``,
        ``length`` and ``suggested_words`` (``.word``, ``.distance``) (Aspose.OCR's name)."""
        return SpellChecker(language, dictionary_path).errors(self.recognition_text)


class EngineSpellCheckMixin:
    """Adds Aspose.OCR's ``correct_spelling`` to the engine."""

    @staticmethod
    def correct_spelling(text: str, language=None, dictionary_path=None) -> str:
        """``text`` with misspelled words replaced (Aspose.OCR's ``AsposeOcr.correct_spelling``)."""
        return correct_spelling(text, language, dictionary_path)
