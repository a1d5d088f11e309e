"""Machine-readable zones (ICAO Doc 9303): check digits, parsing, OCR repair.

The three travel-document formats of Doc 9303 are read:

======  =====================  ==================================
format  lines x characters     documents
======  =====================  ==================================
TD1     3 x 30                 ID cards (Part 5)
TD2     2 x 36                 older ID cards, some visas (Part 6)
TD3     2 x 44                 passports (Part 4)
======  =====================  ==================================

Every check digit is verified (weights 7, 3, 1 repeating; ``0-9`` count as
their value, ``A-Z`` as 10-35 and the filler ``<`` as 0), the composite one
included.  :func:`parse_mrz` also repairs what OCR typically gets wrong in
an MRZ, guided by the type of each position and by the check digits: a
letter read in a digit-only field (``O`` for ``0``, ``I`` for ``1``, ``B``
for ``8``...), a digit in a letter-only field, a letter/digit confusion in
the document number found by the check digit, and a line one filler too
long or too short.  Every change is listed in :attr:`MrzData.corrections`.
"""
from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass, field

from ..errors import InvalidParameterError, ParameterTypeError

__all__ = ["check_digit", "parse_mrz", "find_mrz_lines", "MrzData", "MrzCheck", "MRZ_CHARS", "FORMATS"]

#: The characters an MRZ may contain.
MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

#: (lines, characters per line) of each format.
FORMATS = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}

_WEIGHTS = (7, 3, 1)

# What OCR confuses in OCR-B-like fonts, by the kind of position.
_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "J": "1",
             "Z": "2", "S": "5", "B": "8", "G": "6", "T": "7", "A": "4", "E": "8"}
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}
# Alphanumeric positions: each character's look-alikes of the other kind.
_LOOKALIKE = {
    "0": "OD", "O": "0", "D": "0", "Q": "09", "9": "Q",
    "1": "IJ", "I": "1J", "L": "1", "J": "I1",
    "2": "Z", "Z": "27", "7": "Z", "5": "S", "S": "5",
    "8": "B", "B": "8", "6": "G", "G": "6",
}
# Digits OCR confuses with each other (used only for a date whose check digit fails).
_DIGIT_LOOKALIKE = {"3": "8", "8": "360", "1": "7", "7": "1", "5": "6", "6": "58", "0": "8", "9": "5"}


def _value(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    raise InvalidParameterError(f"{c!r} is not an MRZ character (A-Z, 0-9 or '<')")


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data`` (0..9).

    Each character's value (``0-9``: itself, ``A-Z``: 10..35, ``<``: 0) is
    multiplied by 7, 3, 1, 7, 3, 1, ... and the sum taken modulo 10.

    Parameters
    ----------
    data : str
        MRZ characters.

    Returns
    -------
    int

    Raises
    ------
    ParameterTypeError
        ``data`` is not a string.
    InvalidParameterError
        ``data`` holds a character an MRZ cannot hold.

    Examples
    --------
    >>> from ocrprep.documents import check_digit
    >>> check_digit("L898902C3"), check_digit("740812"), check_digit("<<<<<")
    (6, 2, 0)
    """
    if not isinstance(data, str):
        raise ParameterTypeError(f"data must be a string, got {type(data).__name__}")
    return sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10


@dataclass(frozen=True)
class MrzCheck:
    """One check digit: its ``name``, the ``data`` it covers, the digit ``read`` and the one ``computed``."""

    name: str
    data: str
    read: str
    computed: int

    @property
    def valid(self) -> bool:
        """The digit read equals the computed one (a filler ``<`` counts as 0)."""
        return (self.read == "<" and self.computed == 0) or self.read == str(self.computed)

    def to_dict(self) -> dict:
        return {"name": self.name, "read": self.read, "computed": self.computed, "valid": self.valid}


@dataclass
class MrzData:
    """The fields of a machine-readable zone, with every check digit verified.

    Attributes
    ----------
    format : str
        ``TD1``, ``TD2`` or ``TD3``.
    lines : list of str
        The MRZ lines after repair.
    raw_lines : list of str
        The lines as given (as read by OCR).
    document_type : str
        The document code, fillers removed (``P``, ``I``, ``ID``, ``AC``, ``V``...).
    issuing_country, nationality : str
        Three-letter codes (``D`` for Germany keeps its fillers stripped).
    surname, given_names : str
        Primary and secondary identifiers, ``<`` turned into spaces.
    document_number : str
        Fillers removed; a TD1/TD2 number longer than 9 characters is joined
        with its continuation in the optional data.
    birth_date, expiry_date : str
        ``YYMMDD`` as printed.
    sex : str
        ``M``, ``F``, ``X`` or ``<`` (unspecified).
    optional_data, optional_data_2 : str
        Optional fields, fillers stripped (``optional_data_2``: TD1 line 2).
    checks : list of MrzCheck
        Every check digit of the format, the composite last.
    corrections : list of tuple
        ``(line, position, read, used)`` for every character repaired.
    """

    format: str
    lines: list
    raw_lines: list
    document_type: str = ""
    issuing_country: str = ""
    surname: str = ""
    given_names: str = ""
    document_number: str = ""
    nationality: str = ""
    birth_date: str = ""
    sex: str = ""
    expiry_date: str = ""
    optional_data: str = ""
    optional_data_2: str = ""
    checks: list = field(default_factory=list)
    corrections: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Every check digit verifies."""
        return bool(self.checks) and all(c.valid for c in self.checks)

    @property
    def valid_score(self) -> int:
        """How many check digits verify."""
        return sum(c.valid for c in self.checks)

    def check(self, name: str) -> MrzCheck:
        """The check digit called ``name`` (``document_number``, ``birth_date``, ``expiry_date``,
        ``optional_data`` (TD3), ``composite``)."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"{self.format} has no {name!r} check digit; it has {[c.name for c in self.checks]}")

    @property
    def date_of_birth(self) -> _dt.date | None:
        """The birth date; a two-digit year later than this year is taken as 19xx."""
        return _date(self.birth_date, future=False)

    @property
    def date_of_expiry(self) -> _dt.date | None:
        """The expiry date; two-digit years are taken as 20xx."""
        return _date(self.expiry_date, future=True)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def to_dict(self) -> dict:
        """The fields as JSON-ready values."""
        dob, exp = self.date_of_birth, self.date_of_expiry
        return {
            "format": self.format,
            "lines": list(self.lines),
            "document_type": self.document_type,
            "issuing_country": self.issuing_country,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date,
            "date_of_birth": dob.isoformat() if dob else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "date_of_expiry": exp.isoformat() if exp else None,
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "checks": [c.to_dict() for c in self.checks],
            "valid": self.valid,
            "corrections": [list(c) for c in self.corrections],
        }


def _date(yymmdd: str, future: bool) -> _dt.date | None:
    if len(yymmdd) != 6 or not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    this = _dt.date.today().year % 100
    century = 2000 if future or yy <= this else 1900
    try:
        return _dt.date(century + yy, mm, dd)
    except ValueError:
        return None


def _valid_date(s: str) -> bool:
    if len(s) != 6 or not s.isdigit():
        return False
    mm, dd = int(s[2:4]), int(s[4:])
    return 1 <= mm <= 12 and 1 <= dd <= 31


# --------------------------------------------------------------------------- #
# position kinds of each format: A letters, N digits, X either (all allow '<')
# --------------------------------------------------------------------------- #
def _kinds(fmt: str) -> list[str]:
    if fmt == "TD3":
        return ["AA" + "AAA" + "A" * 39, "X" * 9 + "N" + "AAA" + "N" * 7 + "A" + "N" * 7 + "X" * 14 + "NN"]
    if fmt == "TD2":
        return ["AA" + "AAA" + "A" * 31, "X" * 9 + "N" + "AAA" + "N" * 7 + "A" + "N" * 7 + "X" * 7 + "N"]
    return ["AAAAA" + "X" * 9 + "N" + "X" * 15, "N" * 7 + "A" + "N" * 7 + "AAA" + "X" * 11 + "N", "A" * 30]


def _clean_line(line: str) -> str:
    out = []
    for c in line.upper():
        if c in MRZ_CHARS:
            out.append(c)
        elif c in "«‹([{":
            out.append("<")
    return "".join(out)


def _guess_format(lines: list[str]) -> str:
    if len(lines) >= 3:
        return "TD1"
    # OCR drops trailing fillers of the name line; the data line runs to the end
    longest = max(len(x) for x in lines)
    return "TD3" if abs(longest - 44) <= abs(longest - 36) else "TD2"


def _fit_length(line: str, n: int, pad_right: bool) -> str:
    """Make ``line`` ``n`` long by growing or shrinking its longest run of fillers
    (OCR miscounts long runs of ``<``); a line with no run is padded/cut at the end."""
    while len(line) != n:
        runs = [(m_end - m_start, m_start, m_end) for m_start, m_end in _filler_runs(line)]
        if pad_right or not runs:
            line = (line + "<" * n)[:n] if len(line) < n else _cut(line, n)
            continue
        _, start, end = max(runs)
        if len(line) < n:
            line = line[:end] + "<" + line[end:]
        elif end - start > 1 or not runs:
            line = line[:start] + line[start + 1:]
        else:
            line = _cut(line, n)
    return line


def _cut(line: str, n: int) -> str:
    # too long with no filler run to shrink: drop trailing fillers first, then the end
    while len(line) > n and line.endswith("<"):
        line = line[:-1]
    return line[:n]


def _filler_runs(line: str):
    i = 0
    while i < len(line):
        if line[i] == "<":
            j = i
            while j < len(line) and line[j] == "<":
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def find_mrz_lines(text) -> list[str]:
    """Pick the MRZ lines out of OCR text (or a list of lines).

    Lines are kept when, spaces removed, at least 20 of their characters are
    MRZ characters and they hold a ``<`` or are long; the last two or three
    consecutive such lines are returned (the MRZ is at the bottom of a page).

    Examples
    --------
    >>> from ocrprep.documents import find_mrz_lines
    >>> find_mrz_lines("PASSPORT\\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\n"
    ...                "L898902C36UTO7408122F1204159ZE184226B<<<<<10\\n")[0][:12]
    'P<UTOERIKSSO'
    """
    raw = _raw_lines(text)
    return [_clean_line("".join(raw[i].split())) for i in _mrz_line_indexes(raw)]


def _raw_lines(text) -> list[str]:
    if isinstance(text, str):
        return text.splitlines()
    if isinstance(text, (list, tuple)):
        return [str(x) for x in text]
    raise ParameterTypeError(f"text must be a string or a list of lines, got {type(text).__name__}")


def _mrz_line_indexes(raw: list[str]) -> list[int]:
    groups, cand = [], []
    for i, line in enumerate(raw):
        squeezed = "".join(line.split())
        cleaned = _clean_line(squeezed)
        if len(cleaned) >= 20 and len(cleaned) >= 0.8 * len(squeezed) and ("<" in cleaned or len(cleaned) >= 28):
            cand.append(i)
        elif squeezed:
            groups.append(cand)
            cand = []
    groups.append(cand)
    groups = [g for g in groups if len(g) >= 2]
    if not groups:
        return []
    cand = groups[-1]
    if len(cand) > 3:
        tail3 = cand[-3:]
        td1 = all(abs(len(_clean_line("".join(raw[i].split()))) - 30) <= 3 for i in tail3)
        cand = tail3 if td1 else cand[-2:]
    return cand


def _clean_choices(line: str, choices) -> list[dict]:
    """Per-character alternatives of ``line`` (spaces removed), filtered like :func:`_clean_line`."""
    squeezed = [c for c in line if not c.isspace()]
    if choices is None or len(choices) != len(squeezed):
        return [{} for c in _clean_line("".join(squeezed))]
    out = []
    for c, alts in zip(squeezed, choices):
        if _clean_line(c):
            out.append({_clean_line(k) or k: float(v) for k, v in dict(alts).items() if _clean_line(k)})
    return out


def _realign(old: str, alts: list[dict], new: str) -> list[dict]:
    """Carry per-character alternatives over to a line after fillers were inserted or removed."""
    import difflib

    out = [{} for _ in new]
    for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            out[block.b + k] = alts[block.a + k]
    return out


def parse_mrz(text, *, repair: bool = True, choices=None) -> MrzData:
    """Parse a machine-readable zone and verify its check digits.

    Parameters
    ----------
    text : str or list of str
        The MRZ lines (other lines around them, e.g. a whole page's OCR text,
        are skipped: see :func:`find_mrz_lines`).  Spaces are ignored.
    repair : bool, optional
        Repair OCR confusions guided by the position kinds and check digits
        (default True).  With False the lines must have their exact length.
    choices : list, optional
        The OCR engine's alternatives: for each line of ``text``, one
        ``{character: confidence}`` dict per non-space character.  When a
        check digit can be satisfied by several look-alike swaps, the
        variant the engine found likeliest is chosen.

    Returns
    -------
    MrzData
        The fields; ``valid`` tells whether every check digit verifies.

    Raises
    ------
    InvalidParameterError
        No MRZ (2 or 3 lines of MRZ characters) in ``text``, or (without
        ``repair``) lines of the wrong length.

    Examples
    --------
    >>> from ocrprep.documents import parse_mrz
    >>> mrz = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    >>> mrz.format, mrz.surname, mrz.given_names, mrz.document_number, mrz.valid
    ('TD3', 'ERIKSSON', 'ANNA MARIA', 'L898902C3', True)
    >>> parse_mrz("P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\\n"
    ...           "L898902C36UT07408122F12O4159ZE184226B<<<<<10").corrections[:2]
    [(1, 4, '0', 'O'), (2, 12, '0', 'O')]
    """
    raw_all = _raw_lines(text)
    idx = _mrz_line_indexes(raw_all)
    if len(idx) < 2:
        raise InvalidParameterError("no machine-readable zone found (2 or 3 lines of A-Z, 0-9 and '<')")
    if choices is not None and (not isinstance(choices, (list, tuple)) or len(choices) != len(raw_all)):
        raise InvalidParameterError("choices must hold one list of per-character alternatives per line of text")
    lines = [_clean_line("".join(raw_all[i].split())) for i in idx]
    alts = [_clean_choices(raw_all[i], None if choices is None else choices[i]) for i in idx]
    fmt = _guess_format(lines)
    n_lines, width = FORMATS[fmt]
    lines, alts = lines[-n_lines:], alts[-n_lines:]
    raw = list(lines)
    corrections: list = []
    if repair:
        fitted = [_fit_length(line, width, pad_right=(fmt != "TD1" and i == 0) or (fmt == "TD1" and i == 2))
                  for i, line in enumerate(lines)]
        alts = [_realign(a, b, c) for a, b, c in zip(lines, alts, fitted)]
        lines = _repair_kinds(fitted, fmt, corrections, alts)
        lines = _repair_fillers(lines, fmt, corrections)
    elif any(len(line) != width for line in lines):
        raise InvalidParameterError(
            f"{fmt} lines must be {width} characters long, got {[len(x) for x in lines]}"
        )
    data = _fields(fmt, lines, raw)
    if repair and not data.valid:
        lines = _repair_checked(data, corrections, alts)
        data = _fields(fmt, lines, raw)
    data.corrections = corrections
    return data


def _set(lines: list[str], li: int, pos: int, c: str, corrections: list) -> None:
    old = lines[li][pos]
    if old != c:
        lines[li] = lines[li][:pos] + c + lines[li][pos + 1:]
        corrections.append((li + 1, pos, old, c))


def _repair_kinds(lines: list[str], fmt: str, corrections: list, alts: list | None = None) -> list[str]:
    """A letter where only digits may stand becomes a digit and the reverse: the OCR engine's
    likeliest alternative of the right kind when it offered one, else the usual look-alike."""
    lines = list(lines)
    for li, kinds in enumerate(_kinds(fmt)):
        line_alts = alts[li] if alts and len(alts[li]) == len(lines[li]) else None
        for pos, kind in enumerate(kinds):
            c = lines[li][pos]
            if kind == "N" and c.isalpha():
                ok, table = str.isdigit, _TO_DIGIT
            elif kind == "A" and c.isdigit():
                ok, table = str.isalpha, _TO_LETTER
            else:
                continue
            listed = line_alts[pos] if line_alts else {}
            offered = {k: v for k, v in listed.items() if ok(k) and v > 0.0}
            strong = {k: v for k, v in offered.items() if v >= 20.0}
            if c in table and table[c] in listed:
                _set(lines, li, pos, table[c], corrections)
            elif strong:
                _set(lines, li, pos, max(strong, key=strong.get), corrections)
            elif c in table:
                _set(lines, li, pos, table[c], corrections)
            elif offered:
                _set(lines, li, pos, max(offered, key=offered.get), corrections)
    return lines


# (line, start, end) of the name field and of the free alphanumeric fields of each format
_FILLED = {
    "TD3": [(0, 5, 44), (1, 0, 9), (1, 28, 42)],
    "TD2": [(0, 5, 36), (1, 0, 9), (1, 28, 35)],
    "TD1": [(2, 0, 30), (0, 5, 14), (0, 15, 30), (1, 18, 29)],
}


def _repair_fillers(lines: list[str], fmt: str, corrections: list) -> list[str]:
    """A character after three or more fillers inside a field is a misread filler: names are
    separated by one or two fillers and data is left-justified, never resumed after a gap.
    (A ``0`` read for a ``<`` is invisible to the check digits: both count 0.)"""
    lines = list(lines)
    for li, start, end in _FILLED[fmt]:
        run = 0
        for pos in range(start, end):
            if lines[li][pos] == "<":
                run += 1
            elif run >= 3:
                _set(lines, li, pos, "<", corrections)
                run += 1
            else:
                run = 0
    return lines


def _fields(fmt: str, lines: list[str], raw: list[str]) -> MrzData:
    d = MrzData(format=fmt, lines=list(lines), raw_lines=list(raw))
    strip = lambda s: s.replace("<", " ").strip()  # noqa: E731
    l1 = lines[0]
    d.document_type = l1[0:2].replace("<", "")
    d.issuing_country = l1[2:5].replace("<", "")
    if fmt == "TD1":
        l2, l3 = lines[1], lines[2]
        number, number_check, opt1 = l1[5:14], l1[14], l1[15:30]
        if number_check == "<" and opt1.strip("<"):
            # a number longer than 9 characters continues in the optional data, then its check digit
            tail = opt1.rstrip("<")
            number, number_check, opt1 = number + tail[:-1], tail[-1], opt1[len(tail):]
            number_data = l1[5:14] + tail[:-1]
        else:
            number_data = number
        d.document_number = number.replace("<", "")
        d.optional_data = strip(opt1)
        d.birth_date, d.sex, d.expiry_date = l2[0:6], l2[7], l2[8:14]
        d.nationality = l2[15:18].replace("<", "")
        d.optional_data_2 = strip(l2[18:29])
        names = l3
        d.checks = [
            MrzCheck("document_number", number_data, number_check, check_digit(number_data)),
            MrzCheck("birth_date", l2[0:6], l2[6], check_digit(l2[0:6])),
            MrzCheck("expiry_date", l2[8:14], l2[14], check_digit(l2[8:14])),
            MrzCheck("composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29],
                     check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])),
        ]
    else:
        l2 = lines[1]
        names = l1[5:]
        number, number_check = l2[0:9], l2[9]
        number_data = number
        d.nationality = l2[10:13].replace("<", "")
        d.birth_date, d.sex, d.expiry_date = l2[13:19], l2[20], l2[21:27]
        if fmt == "TD3":
            d.optional_data = strip(l2[28:42])
            composite_data = l2[0:10] + l2[13:20] + l2[21:43]
            extra = [MrzCheck("optional_data", l2[28:42], l2[42], check_digit(l2[28:42]))]
            composite_read = l2[43]
        else:
            opt = l2[28:35]
            if number_check == "<" and opt.strip("<"):
                tail = opt.rstrip("<")
                number, number_check = number + tail[:-1], tail[-1]
                number_data = l2[0:9] + tail[:-1]
                opt = opt[len(tail):]
            d.optional_data = strip(opt)
            composite_data = l2[0:10] + l2[13:20] + l2[21:35]
            extra = []
            composite_read = l2[35]
        d.document_number = number.replace("<", "")
        d.checks = [
            MrzCheck("document_number", number_data, number_check, check_digit(number_data)),
            MrzCheck("birth_date", l2[13:19], l2[19], check_digit(l2[13:19])),
            MrzCheck("expiry_date", l2[21:27], l2[27], check_digit(l2[21:27])),
            *extra,
            MrzCheck("composite", composite_data, composite_read, check_digit(composite_data)),
        ]
    primary, _, secondary = names.partition("<<")
    d.surname = strip(primary)
    d.given_names = " ".join(strip(secondary).split())
    return d


# where each checked field lies: format -> name -> (line, start, end, check position (line, pos))
_SPANS = {
    "TD3": {"document_number": (1, 0, 9, 9), "birth_date": (1, 13, 19, 19),
            "expiry_date": (1, 21, 27, 27), "optional_data": (1, 28, 42, 42)},
    "TD2": {"document_number": (1, 0, 9, 9), "birth_date": (1, 13, 19, 19), "expiry_date": (1, 21, 27, 27)},
    "TD1": {"document_number": (0, 5, 14, 14), "birth_date": (1, 0, 6, 6), "expiry_date": (1, 8, 14, 14)},
}


def _repair_checked(data: MrzData, corrections: list, alts: list | None = None) -> list[str]:
    """Fix fields whose check digit fails with the fewest look-alike swaps that make it verify.

    The swaps tried at a position are its look-alikes and the alternatives
    the OCR engine gave there.  When several variants verify, the composite
    check digit (which covers the field again) and then the engine's
    confidence in the swapped-in characters pick among them; a choice that
    stays ambiguous is not made, so the field stays reported as unverified.
    """
    lines = list(data.lines)
    spans = dict(_SPANS[data.format])
    others_ok = all(c.valid for c in data.checks if c.name != "composite")
    if others_ok and data.format in _COMPOSITE_ONLY:
        # only the composite fails: the error is in a field no other check digit covers
        spans["composite"] = _COMPOSITE_ONLY[data.format]
    for chk in data.checks:
        if chk.valid or chk.name not in spans:
            continue
        li, start, end, _ = spans[chk.name]
        field_text = lines[li][start:end]
        if chk.read not in "0123456789":
            continue  # a filler where a check digit belongs (or a lost digit) is no target to repair towards
        target = int(chk.read)
        is_date = chk.name in ("birth_date", "expiry_date")
        base = _DIGIT_LOOKALIKE if is_date else _LOOKALIKE
        if chk.name == "composite":
            base = {k: "".join(dict.fromkeys(_LOOKALIKE.get(k, "") + _DIGIT_LOOKALIKE.get(k, "")))
                    for k in set(_LOOKALIKE) | set(_DIGIT_LOOKALIKE)}
        field_alts = (alts[li][start:end] if alts and len(alts[li]) == len(lines[li]) else [{}] * (end - start))
        options = []
        for c, a in zip(field_text, field_alts):
            extra = [k for k, v in sorted(a.items(), key=lambda kv: -kv[1]) if k != c and v > 1.0
                     and (not is_date or k.isdigit())]
            options.append("".join(dict.fromkeys(list(base.get(c, "")) + extra)))
        if chk.name == "composite":
            found = _composite_swaps(data, lines, li, start, end, options)
        else:
            found = _fewest_swaps(field_text, target, options, require=_valid_date if is_date else None)
        if len(found) > 1:
            def composite_ok(cand, li=li, start=start, end=end):
                if chk.name == "composite":
                    return True
                trial = list(lines)
                trial[li] = trial[li][:start] + cand + trial[li][end:]
                return _fields(data.format, trial, data.raw_lines).check("composite").valid
            found = [c for c in found if composite_ok(c)] or found
        if found and (chk.name == "composite" or sum(a != b for a, b in zip(found[0], field_text)) > 1):
            # two swaps (or one anywhere in a long optional field) can fit a check digit by chance:
            # only with the engine's word for each
            found = [c for c in found if all(fa.get(b, 0.0) > 0.0 for fa, a, b in zip(field_alts, field_text, c) if a != b)]
        if len(found) > 1:
            def support(cand):
                return sum(a.get(b, 0.0) for a, b, c in zip(field_alts, cand, field_text) if b != c)
            ranked = sorted(found, key=support, reverse=True)
            found = ranked[:1] if support(ranked[0]) > support(ranked[1]) else []
        if len(found) == 1:
            for k, (a, b) in enumerate(zip(field_text, found[0])):
                if a != b:
                    _set(lines, li, start + k, b, corrections)
    return lines


# the optional fields only the composite check digit covers: (line, start, end)
_COMPOSITE_ONLY = {"TD1": (0, 15, 30, 29), "TD2": (1, 28, 35, 35)}


def _composite_swaps(data: MrzData, lines: list, li: int, start: int, end: int, options: list) -> list[str]:
    """Single swaps in ``lines[li][start:end]`` that make the composite check digit verify."""
    found = set()
    text = lines[li][start:end]
    for i, opts in enumerate(options):
        for r in opts:
            cand = text[:i] + r + text[i + 1:]
            trial = list(lines)
            trial[li] = trial[li][:start] + cand + trial[li][end:]
            if _fields(data.format, trial, data.raw_lines).check("composite").valid:
                found.add(cand)
    return sorted(found)


def _fewest_swaps(text: str, target: int, options: list[str], require=None, max_swaps: int = 2) -> list[str]:
    """The variants of ``text`` with the fewest swaps (``options[i]``: what position i may become)
    whose check digit is ``target``."""
    positions = [i for i, o in enumerate(options) if o]
    for k in range(1, max_swaps + 1):
        found = set()
        for combo in itertools.combinations(positions, k):
            for repl in itertools.product(*(options[i] for i in combo)):
                cand = list(text)
                for i, r in zip(combo, repl):
                    cand[i] = r
                s = "".join(cand)
                if check_digit(s) == target and (require is None or require(s)):
                    found.add(s)
        if found:
            return sorted(found)
    return []
