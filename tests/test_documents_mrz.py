"""The ICAO 9303 MRZ parser: check digits and fields against the specimens published in Doc 9303,
and the repair of typical OCR errors (the expected values are the published ones)."""
from __future__ import annotations

import datetime as dt

import pytest

from docgen import icao_check
from ocrprep import InvalidParameterError, ParameterTypeError
from ocrprep.documents import MRZ_CHARS, check_digit, find_mrz_lines, parse_mrz

# Doc 9303 Part 4 (TD3 passport), Part 5 (TD1 card), Part 6 (TD2): the Utopian specimens of Anna Maria Eriksson
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]


@pytest.mark.parametrize("data, digit", [("L898902C3", 6), ("740812", 2), ("120415", 9), ("ZE184226B<<<<<", 1),
                                         ("D23145890", 7), ("<<<<<<", 0), ("", 0)])
def test_check_digit_matches_published_specimens(data, digit):
    assert check_digit(data) == digit


def test_check_digit_agrees_with_an_independent_implementation():
    import random

    rnd = random.Random(5)
    for _ in range(500):
        s = "".join(rnd.choice(MRZ_CHARS) for _ in range(rnd.randint(1, 30)))
        assert check_digit(s) == int(icao_check(s))


def test_check_digit_refuses_bad_input():
    with pytest.raises(InvalidParameterError, match="not an MRZ character"):
        check_digit("ab1")
    with pytest.raises(ParameterTypeError):
        check_digit(1234)


def test_td3_specimen():
    m = parse_mrz(TD3)
    assert (m.format, m.document_type, m.issuing_country) == ("TD3", "P", "UTO")
    assert (m.surname, m.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (m.document_number, m.nationality, m.sex) == ("L898902C3", "UTO", "F")
    assert (m.birth_date, m.expiry_date, m.optional_data) == ("740812", "120415", "ZE184226B")
    assert m.date_of_birth == dt.date(1974, 8, 12) and m.date_of_expiry == dt.date(2012, 4, 15)
    assert [c.name for c in m.checks] == ["document_number", "birth_date", "expiry_date", "optional_data", "composite"]
    assert [(c.read, c.computed) for c in m.checks] == [("6", 6), ("2", 2), ("9", 9), ("1", 1), ("0", 0)]
    assert m.valid and not m.corrections
    assert m.to_dict()["date_of_birth"] == "1974-08-12"


def test_td1_specimen():
    m = parse_mrz("\n".join(TD1))
    assert (m.format, m.document_type, m.document_number, m.nationality) == ("TD1", "I", "D23145890", "UTO")
    assert (m.surname, m.given_names, m.sex, m.birth_date, m.expiry_date) == ("ERIKSSON", "ANNA MARIA", "F", "740812", "120415")
    assert m.check("composite").read == "6" and m.valid


def test_td2_specimen():
    m = parse_mrz(TD2)
    assert (m.format, m.document_number, m.surname, m.given_names) == ("TD2", "D23145890", "ERIKSSON", "ANNA MARIA")
    assert m.valid


def test_each_check_digit_detects_a_changed_field():
    for pos, new in [(3, "9"), (15, "1"), (23, "6"), (30, "F"), (43, "5")]:
        line = TD3[1][:pos] + new + TD3[1][pos + 1:]
        m = parse_mrz([TD3[0], line], repair=False)
        assert not m.valid, (pos, new)


def test_long_document_number_of_a_td1_card():
    # a number over 9 characters: filler in the check position, the rest in the optional data (Doc 9303 Part 5)
    number = "D23145890734"
    l1 = "I<UTO" + number[:9] + "<" + number[9:] + icao_check(number) + "<" * (15 - len(number[9:]) - 1)
    l2 = "7408122F1204159UTO<<<<<<<<<<<"
    l2 += icao_check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    m = parse_mrz([l1, l2, TD1[2]])
    assert m.document_number == number and m.valid


def test_page_text_around_the_zone_is_skipped():
    text = "UTOPIA\nPASSPORT\nSurname ERIKSSON\n\n" + "\n".join(TD3) + "\n"
    assert find_mrz_lines(text) == TD3
    assert parse_mrz(text).valid


@pytest.mark.parametrize("lines, what", [
    # letters for digits in dates and check digits, a digit in the country code
    (["P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO74O8I22F12O4I59ZE184226B<<<<<1O"], "kinds"),
    # the engine dropped trailing fillers of line 1 and miscounted the optional run of line 2
    (["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<<10"], "lengths"),
    # spaces inserted by the engine between words
    (["P<UTO ERIKSSON<<ANNA<MARIA <<<<<<<<<<<<<<<<<<<", "L898902C36UTO 7408122F1204159ZE184226B <<<<<10"], "spaces"),
    # a '0' read for the last filler of the optional data (same value 0: invisible to the check digits)
    (["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<010"], "filler"),
])
def test_repairs_typical_ocr_errors(lines, what):
    m = parse_mrz(lines)
    assert m.lines == TD3, what
    assert m.valid
    if what in ("kinds", "filler"):  # character changes are listed (line, position, read, used)
        assert m.corrections and all(TD3[li - 1][pos] == used for li, pos, _, used in m.corrections)


def test_the_engines_alternatives_settle_an_ambiguous_swap():
    # S18BF38I misread as S18BF381: three single swaps fit the check digit; the engine's second choice decides
    from docgen import Identity, td3_lines

    ident = Identity("P", "AUS", "MARTE", ["ANZE", "ZEQUIYO"], "S18BF38I", "USA", "690527", "F", "260329", "842")
    truth = td3_lines(ident)
    read = [truth[0], truth[1][:7] + "1" + truth[1][8:]]
    assert not parse_mrz(read).valid  # ambiguous without evidence: no guess
    choices = [[{c: 95.0} for c in read[0]], [{c: 95.0} for c in read[1]]]
    choices[1][7] = {"1": 89.0, "I": 33.0}
    m = parse_mrz(read, choices=choices)
    assert m.lines == truth and m.valid


def test_no_zone_and_bad_input():
    with pytest.raises(InvalidParameterError, match="no machine-readable zone"):
        parse_mrz("just some text\nand more")
    with pytest.raises(InvalidParameterError, match="44 characters"):
        parse_mrz([TD3[0][:-3], TD3[1]], repair=False)
    with pytest.raises(ParameterTypeError):
        parse_mrz(42)
    with pytest.raises(InvalidParameterError, match="choices"):
        parse_mrz(TD3, choices=[[]])


def test_doctests():
    import doctest
    import importlib

    for name in ("ocrprep.documents.mrz", "ocrprep.documents.settings"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.failed == 0, name
