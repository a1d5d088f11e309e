"""The document recognisers on generated documents with known content (passports, ID cards, car
plates, receipts, invoices, block capitals, a street scene).

Ground truth is what was drawn; MRZ check digits of the drawings come from ``docgen.icao_check``
(independent of the package).  Success rates over larger generated sets are measured by
``benchmarks/documents_accuracy.py`` (BENCHMARKS.md).
"""
from __future__ import annotations

import numpy as np
import pytest

import docgen
from ocrprep import InputType, OcrEngine, OcrInput, OcrprepWarning, ParameterTypeError
from ocrprep.documents import (
    CarPlateRecognitionSettings,
    Country,
    DocumentResult,
    IDCardRecognitionSettings,
    InvoiceRecognitionSettings,
    PassportRecognitionSettings,
    ReceiptRecognitionSettings,
    find_mrz_zones,
    find_plates,
    read_mrz,
)
from ocrprep.ocr import tesseract_available

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="the tesseract binary is not installed")

# the Doc 9303 specimen, drawn on a passport page
SPECIMEN = docgen.Identity("P", "UTO", "ERIKSSON", ["ANNA", "MARIA"], "L898902C3", "UTO", "740812", "F", "120415",
                           "ZE184226B")
SPECIMEN_MRZ = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_the_drawn_specimen_is_icaos():
    assert docgen.td3_lines(SPECIMEN) == SPECIMEN_MRZ


@pytest.fixture(scope="module")
def api():
    if not tesseract_available():
        pytest.skip("the tesseract binary is not installed")
    return OcrEngine()


def _variants(page, rng):
    return {
        "upright": page,
        "turned 90": np.ascontiguousarray(np.rot90(page, 1)),
        "turned 180": np.ascontiguousarray(np.rot90(page, 2)),
        "photo 3 degrees + noise": docgen.photograph(page, rng, angle=3.0, noise=12.0),
    }


def _assert_fields(result, ident, lines):
    mrz = result.mrz
    assert mrz is not None, result.warnings
    assert mrz.lines == lines
    assert all(c.valid for c in mrz.checks) and mrz.valid
    f = result.fields
    assert (f["surname"], f["given_names"]) == (ident.surname, ident.given_names)
    assert (f["document_number"], f["nationality"], f["sex"]) == (ident.number, ident.nationality.replace("<", ""), ident.sex)
    assert (f["birth_date"], f["expiry_date"], f["issuing_country"]) == (ident.birth, ident.expiry, ident.country.replace("<", ""))
    assert f["optional_data"] == ident.optional and f["valid"] is True


@needs_tesseract
@pytest.mark.parametrize("variant", ["upright", "turned 90", "turned 180", "photo 3 degrees + noise"])
def test_passport_specimen_page(api, variant):
    rng = np.random.default_rng(11)
    page = docgen.passport_page(SPECIMEN, rng)
    img = _variants(page, rng)[variant]
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(img)
    results = api.recognize_passport(doc, PassportRecognitionSettings())
    assert len(results) == 1 and isinstance(results[0], DocumentResult)
    r = results[0]
    assert r.error is None and r.document_kind == "passport"
    _assert_fields(r, SPECIMEN, SPECIMEN_MRZ)
    assert r.fields["date_of_birth"] == "1974-08-12" and r.fields["date_of_expiry"] == "2012-04-15"
    assert r.recognition_text.endswith("\n".join(SPECIMEN_MRZ))
    assert "ERIKSSON" in r.recognition_text.split("\n\n")[0]  # the page's own text is read too
    if variant.startswith("photo"):
        assert abs(r.skew - 3.0) < 0.3


@needs_tesseract
def test_generated_passports_success_rate(api):
    """Random names, numbers, dates and countries; every orientation and the photographed page.
    Measured 97-100% per variant over 20 specimens (BENCHMARKS.md); 8 here, at least 7 right each."""
    right = {}
    for seed in range(8):
        rng = np.random.default_rng(100 + seed)
        ident = docgen.random_identity(rng)
        page = docgen.passport_page(ident, rng)
        for name, img in _variants(page, rng).items():
            reading = read_mrz(img, engine=api)
            m = reading.mrz
            ok = (m is not None and m.valid and m.lines == docgen.td3_lines(ident)
                  and (m.surname, m.given_names, m.document_number) == (ident.surname, ident.given_names, ident.number))
            right[name] = right.get(name, 0) + ok
    assert all(n >= 7 for n in right.values()), right


@needs_tesseract
@pytest.mark.parametrize("variant", ["upright", "turned 180", "photo 3 degrees + noise"])
def test_id_card_td1(api, variant):
    ident = docgen.Identity("I", "UTO", "ERIKSSON", ["ANNA", "MARIA"], "D23145890", "UTO", "740812", "F", "120415")
    lines = docgen.td1_lines(ident)
    assert lines == ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
    rng = np.random.default_rng(4)
    img = _variants(docgen.id_card(ident, rng), rng)[variant]
    r = api.recognize_id_card(img, IDCardRecognitionSettings())[0]
    assert r.mrz is not None and r.mrz.format == "TD1"
    _assert_fields(r, ident, lines)
    assert "IDENTITY" in r.recognition_text


@needs_tesseract
def test_no_zone_on_a_page_without_one(api):
    img, _ = docgen.invoice(np.random.default_rng(2))
    assert find_mrz_zones(img) == []
    r = api.recognize_passport(img)[0]
    assert r.mrz is None and r.fields == {} and "no machine-readable zone found" in r.warnings
    assert "INVOICE" in r.recognition_text


@needs_tesseract
def test_car_plates_in_street_scenes(api):
    """Measured 20/20 on generated scenes (BENCHMARKS.md); 5 here."""
    read = 0
    for seed in range(5):
        rng = np.random.default_rng(200 + seed)
        plate = docgen.random_plate(rng)
        img = docgen.car_scene(plate, rng)
        r = api.recognize_car_plate(img, CarPlateRecognitionSettings())[0]
        read += r.fields["plates"] == [plate] and r.recognition_text == plate
        if r.fields["plates"]:
            box = r.recognition_areas_rectangles[0]
            assert 420 < box.x < 560 and 450 < box.y < 520  # where the plate was drawn
    assert read >= 4


def test_plate_finder_ignores_a_shop_sign():
    # the scene's "CAFE" sign is a row of 4 letters on a region far bigger than itself: not a plate
    rng = np.random.default_rng(201)
    img = docgen.car_scene(docgen.random_plate(rng), rng)
    plates = find_plates(img)
    assert len(plates) == 1 and plates[0].box.y > 400


@needs_tesseract
def test_receipt(api):
    rng = np.random.default_rng(5)
    img, lines = docgen.receipt(rng)
    r = api.recognize_receipt(img, ReceiptRecognitionSettings())[0]
    got = r.recognition_text.splitlines()
    # each item stays on one line with its price
    assert sum(" ".join(line.split()) in got for line in lines) >= 0.9 * len(lines)


@needs_tesseract
def test_invoice(api):
    img, words = docgen.invoice(np.random.default_rng(3))
    r = api.recognize_invoice(img, InvoiceRecognitionSettings())[0]
    found = r.recognition_text.split()
    assert sum(w in found for w in words) >= 0.95 * len(words)


@needs_tesseract
def test_handwritten_block_capitals(api):
    lines = ["WE START WITH GOOD", "BECAUSE ALL SHOPS", "SHOULD DO GOOD"]
    img = docgen.block_capitals(lines, np.random.default_rng(5))
    r = api.recognize_handwritten_text(img)[0]
    assert r.recognition_text == r.recognition_text.upper()
    words = " ".join(lines).split()
    assert sum(w in r.recognition_text.split() for w in words) >= 0.9 * len(words)


@needs_tesseract
def test_street_photo(api):
    img, words = docgen.street_scene(np.random.default_rng(5))
    r = api.recognize_street_photo(img)[0]
    found = " ".join(r.recognition_text.split()).split()
    assert sum(w in found for w in words) >= 0.8 * len(words)
    assert r.recognition_lines_result and all(ln.words for ln in r.recognition_lines_result)


def test_settings_names_and_typos():
    s = PassportRecognitionSettings()
    s.language = "eng"
    s.threads_count = 1
    s.country = Country.USA
    s.automatic_color_inversion = False
    with pytest.raises(AttributeError, match="did you mean 'allowed_symbols'"):
        s.alowed_symbols = "ABC"
    with pytest.raises(AttributeError, match="country"):
        CarPlateRecognitionSettings().country = Country.USA  # only passports have a country
    assert PassportRecognitionSettings("eng").resolved_language() == "eng"
    assert ReceiptRecognitionSettings(upscale_small_font=True).upscale_small_font is True


@needs_tesseract
def test_bad_settings_and_bad_pages(api):
    with pytest.raises(ParameterTypeError, match="PassportRecognitionSettings"):
        api.recognize_passport(np.zeros((20, 20), np.uint8), settings={"language": "eng"})
    with pytest.raises(ParameterTypeError):
        api.recognize_car_plate(np.zeros((20, 20), np.uint8), PassportRecognitionSettings(threads_count="two"))
    doc = OcrInput(InputType.SINGLE_IMAGE)
    doc.add(b"not an image")
    doc.add(np.full((50, 80), 255, np.uint8))
    with pytest.warns(OcrprepWarning, match="image1"):
        results = api.recognize_passport(doc)
    assert len(results) == 2
    assert results[0].error is not None and results[0].recognition_text == ""
    assert results[1].error is None and results[1].mrz is None
