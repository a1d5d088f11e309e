"""ocrprep.compat: Aspose.OCR's module tree, names and calling conventions over the native objects."""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

import imagegen
import ocrprep
import ocrprep.compat as ocr
from ocrprep.errors import InvalidParameterError, NotSupportedError
from ocrprep.ocr import DetectAreasMode, Language, RecognitionSettings, _check_languages, resolve_language


def test_module_tree_and_aliases():
    assert ocr.models.preprocessingfilters.PreprocessingFilter is ocr.PreprocessingFilter
    assert issubclass(ocr.PreprocessingFilter, ocrprep.PreprocessingFilter)
    assert issubclass(ocr.AsposeOcr, ocrprep.OcrEngine) and issubclass(ocr.OcrInput, ocrprep.OcrInput)
    assert ocr.recognitionsettings.RecognitionSettings is ocr.RecognitionSettings
    assert issubclass(ocr.RecognitionSettings, ocr.BaseRecognitionSettings)
    assert ocr.license.License is ocr.License and ocr.filters.InterpolationFilterType.LANCZOS8
    assert ocr.models.events.OcrPageRecognizeEventsArgs().current_page == 0
    namespace = {}
    exec("from ocrprep.compat import *", namespace)
    for name in ("AsposeOcr", "OcrInput", "InputType", "PreprocessingFilter", "RecognitionSettings",
                 "DetectAreasMode", "Language", "ImageProcessing", "AreasType", "License", "Rectangle"):
        assert name in namespace


def test_license_is_accepted_and_logged_once(caplog):
    from ocrprep.compat import license as lic

    lic._told.clear()
    with caplog.at_level(logging.INFO, logger="ocrprep.compat"):
        ocr.License().set_license("Aspose.OCR.lic")
        ocr.license.License().set_license(None)
        ocr.Metered().set_metered_key("a", "b")
    assert len([r for r in caplog.records if "licence" in r.getMessage()]) == 1
    assert ocr.License().is_licensed


def test_settings_refuse_unknown_attributes_naming_the_closest():
    s = ocr.RecognitionSettings()
    for wrong, right in (("detect_area_mode", "detect_areas_mode"), ("thread_count", "threads_count"),
                         ("upscale_small_fonts", "upscale_small_font"), ("ignored_character", "ignored_characters")):
        with pytest.raises(AttributeError, match=f"did you mean '{right}'"):
            setattr(s, wrong, 1)
    with pytest.raises(AttributeError, match="the attributes are"):
        s.zzzz = 1
    with pytest.raises(AttributeError, match="did you mean 'language'"):
        s.langauge
    native = RecognitionSettings()
    with pytest.raises(AttributeError):
        native.detect_area_mode = "table"


def test_settings_constructors():
    s = ocr.RecognitionSettings(ocr.Language.DEU, [ocr.Rectangle(1, 2, 3, 4)], True)
    assert s.language is Language.DEU and s.recognition_areas == [(1, 2, 3, 4)] and s.recognize_single_line
    assert ocr.RecognitionSettings(True).auto_skew
    d = ocr.DocumentRecognitionSettings(2, 3, ocr.Language.ENG, False, True, 120)
    assert (d.start_page, d.pages_number, d.auto_skew, d.threshold_value) == (2, 3, True, 120)
    assert d.resolved().config.startswith("--psm 6")
    d.start_page = 0
    with pytest.raises(AttributeError, match="start_page"):
        d.start_pag = 1


@pytest.mark.parametrize("mode, psm", [
    (DetectAreasMode.NONE, 6), (DetectAreasMode.DOCUMENT, 3), (DetectAreasMode.PHOTO, 11),
    (DetectAreasMode.COMBINE, 3), (DetectAreasMode.TEXT_IN_WILD, 11), ("universal", 11), ("LEAN", 6),
])
def test_detect_areas_mode_to_page_segmentation(mode, psm):
    opts = RecognitionSettings(detect_areas_mode=mode).resolved()
    assert f"--psm {psm}" in opts.config
    assert opts.contrast == (opts.areas_mode is DetectAreasMode.TEXT_IN_WILD)


def test_settings_mapping_to_tesseract():
    opts = RecognitionSettings(detect_areas_mode="table").resolved()
    assert opts.areas_mode is DetectAreasMode.TABLE and "--psm" not in opts.config
    opts = RecognitionSettings(detect_areas_mode="table", recognize_single_line=True).resolved()
    assert opts.areas_mode is None and "--psm 7" in opts.config         # single line wins, as in Aspose
    opts = RecognitionSettings(allowed_characters=ocr.CharactersAllowedType.DIGITS).resolved()
    assert '-c "tessedit_char_whitelist=0123456789 "' in opts.config
    opts = RecognitionSettings(allowed_characters="latin_alphabet", allowed_symbols="xyz").resolved()
    assert "tessedit_char_whitelist=xyz " in opts.config
    s = RecognitionSettings()
    s.ignored_characters = "|"
    assert s.ignored_symbols == "|" and "tessedit_char_blacklist=|" in s.resolved().config
    opts = RecognitionSettings(recognition_areas=[(0, 0, 10, 10)]).resolved()
    assert opts.areas == ((0, 0, 10, 10),) and "--psm 6" in opts.config
    for bad in ({"detect_areas_mode": "columns"}, {"allowed_characters": "greek"},
                {"recognition_areas": [(0, 0, 0, 5)]}):
        with pytest.raises((InvalidParameterError, TypeError)):
            RecognitionSettings(**bad).resolved()


def test_languages_map_to_tesseract_models():
    assert Language.CHI is Language.CMN and Language.CHI.value == "chi_sim"
    assert resolve_language(ocr.Language.EXT_LATIN) == "script/Latin"
    assert resolve_language(ocr.Language.CYRILLIC) == "script/Cyrillic"
    assert resolve_language("HBS") == "hrv" and resolve_language("script/latin") == "script/Latin"
    assert resolve_language(ocr.Language.ENG) == "eng"
    with pytest.raises(InvalidParameterError, match="apt-get install tesseract-ocr-chi-sim tesseract-ocr-script-latn"):
        _check_languages("chi_sim+script/Latin", ["eng"])
    # every Aspose member has a Tesseract model (a language or a script)
    for member in Language:
        assert member.value == "auto" or resolve_language(member) == member.value


@pytest.mark.tesseract
def test_auto_language_uses_the_installed_ones(tesseract):
    opts = ocrprep.OcrEngine().check_settings(RecognitionSettings(language=ocr.Language.AUTO))
    assert opts.language.split("+")[0] == "eng" and "osd" not in opts.language


def test_rectangle_has_asposes_members():
    r = ocr.Rectangle(5, 6, 10, 20)
    assert (r.left, r.top, r.right, r.bottom) == (5, 6, 15, 26)
    assert r.contains(5, 6) and not r.contains(15, 6) and ocr.Rectangle().is_empty and not r.is_empty


def test_ocr_input_raw_pixels_and_windows_paths(tmp_path, monkeypatch):
    img = np.zeros((3, 4, 3), np.uint8)
    img[..., 0] = 200                                               # red
    doc = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    doc.add(img.tobytes(), 4, 3, ocr.PixelType.RGB)
    doc.add(img[..., ::-1].tobytes(), 4, 3, ocr.PixelType.BGR)
    doc.add(np.packbits(np.array([[1, 0, 1, 0, 1, 0, 1, 0, 1]] * 2, np.uint8), axis=1).tobytes(), 9, 2, ocr.PixelType.BYTE)
    doc.add(list(range(12)), 4, 3, 0)
    pages = [p.image for p in doc]
    assert np.array_equal(pages[0], img) and np.array_equal(pages[1], img)
    assert pages[2].tolist() == [[255, 0, 255, 0, 255, 0, 255, 0, 255]] * 2
    assert pages[3].shape == (3, 4)
    with pytest.raises(InvalidParameterError, match="do not make"):
        doc.add(b"\0" * 5, 4, 3, ocr.PixelType.RGB)
    (tmp_path / "Data" / "OCR").mkdir(parents=True)
    from PIL import Image

    Image.fromarray(np.full((8, 8), 255, np.uint8)).save(tmp_path / "Data" / "OCR" / "a.png")
    monkeypatch.chdir(tmp_path)
    win = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    win.add("Data\\OCR\\a.png")
    assert [p.image.shape for p in win] == [(8, 8)]
    with pytest.raises(ocrprep.InputNotFoundError):
        win.add("Data\\OCR\\missing.png")
    from ocrprep.io import windows_path

    assert windows_path(Path("Data\\OCR\\a.png")) == "Data/OCR/a.png"
    assert windows_path("Data\\OCR\\missing.png") == "Data\\OCR\\missing.png" and windows_path(b"x") == b"x"


def test_image_processing_save_returns_an_input(tmp_path):
    doc = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, ocr.PreprocessingFilter([ocr.PreprocessingFilter.threshold(128)]))
    doc.add(np.full((6, 6), 200, np.uint8), name="one.png")
    doc.add(np.full((6, 6), 50, np.uint8), name="two.png")
    out = ocr.ImageProcessing.save(doc, tmp_path / "saved")
    assert isinstance(out, ocr.OcrInput) and out.count() == 2 and len(out.filters) == 0
    assert [p.image.max() for p in out] == [255, 0]
    assert [str(s).rsplit("/", 1)[-1] for s in (out[0], out[1])] == ["one.png", "two.png"]
    out.clear()
    assert out.count() == 0


def test_preprocessing_filter_aspose_spellings():
    f = ocr.PreprocessingFilter()
    f.add(ocr.PreprocessingFilter.contrast_correction_filter())
    f.add(ocr.PreprocessingFilter.resize(20, 10, ocr.filters.InterpolationFilterType.BOX))
    f.add(f.scale(2.0, ocr.filters.InterpolationFilterType.LANCZOS8))
    f.add(ocr.PreprocessingFilter.auto_dewarping())
    assert str(f) == "contrast_correction(),resize(width=20, height=10),scale(ratio=2.0),dewarp()"
    assert f.apply(np.full((5, 5), 100, np.uint8)).shape == (20, 40)


def test_missing_parts_raise_not_supported_never_attribute_error():
    from ocrprep.compat import _pending

    for name in _pending.PENDING:
        try:
            getattr(ocr, name)
        except NotSupportedError as exc:
            assert "not available in this build" in str(exc)
    api = ocr.AsposeOcr()
    for method in ("save_multipage_document", "correct_spelling", "recognize_passport", "recognize_car_plate",
                   "recognize_id_card", "recognize_receipt", "recognize_invoice", "recognize_handwritten_text",
                   "recognize_street_photo"):
        try:
            assert callable(getattr(api, method))
        except NotSupportedError as exc:
            assert method in str(exc)
    with pytest.raises(AttributeError):
        api.no_such_method
    with pytest.raises(NotSupportedError, match="language model"):
        ocr.ai.AsposeAI()
    with pytest.raises(NotSupportedError, match="downloads no models"):
        ocr.Resources.fetch_all()


def test_logging_drives_the_ocrprep_logger(tmp_path):
    logger = logging.getLogger("ocrprep")
    try:
        ocr.Logging.log_file_path = tmp_path / "ocr.log"
        ocr.Logging.file_system = True
        ocr.Logging.logging_level = ocr.LoggingLevel.DEBUG
        logger.debug("hello from the test")
        for h in logger.handlers:
            h.flush()
        assert "hello from the test" in (tmp_path / "ocr.log").read_text()
    finally:
        ocr.Logging.logging_level = ocr.LoggingLevel.NONE
        ocr.Logging.file_system = False
        logger.setLevel(logging.NOTSET)
    assert not any(isinstance(h, logging.FileHandler) for h in logger.handlers)


@pytest.mark.tesseract
def test_presets_alphabet_and_document_pages(tesseract, tmp_path):
    from PIL import Image

    pages = [Image.fromarray(imagegen.text_line(t)) for t in ("alpha one", "bravo two", "charlie three")]
    pages[0].save(tmp_path / "doc.tif", save_all=True, append_images=pages[1:])
    api = ocr.AsposeOcr()
    doc = ocr.OcrInput(ocr.InputType.TIFF)
    doc.add(str(tmp_path / "doc.tif"))
    got = api.recognize(doc, ocr.DocumentRecognitionSettings(1, 1))
    assert [r.page for r in got] == [2] and got[0].recognition_text.strip() == "bravo two"
    preset = ocr.AsposeOcrPresets(ocr.OcrPreset.DEFAULT, ocr.RecognitionSettings(recognize_single_line=True))
    assert [r.recognition_text.strip() for r in api.recognize(doc, preset)] == ["alpha one", "bravo two", "charlie three"]
    import string

    digits = ocr.AsposeOcr(string.ascii_letters)
    assert digits.recognize(imagegen.text_line("Delta 42"))[0].recognition_text.strip().lower().startswith("delta")
    assert not any(c.isdigit() for c in digits.recognize(imagegen.text_line("Delta 42"))[0].recognition_text)
    tables = ocr.tables_of(api.recognize(imagegen.ruled_table(np.random.default_rng(2), rows=2, cols=2)[0],
                                         ocr.RecognitionSettings(detect_areas_mode=ocr.DetectAreasMode.TABLE))[0])
    assert len(tables.tables) == 1 and len(tables.tables[0].rows) == 2 and tables.tables[0].rows[1].cells[1].column_index == 1


#: Every class and enumeration of Aspose's ``aspose.ocr`` namespace (its API reference index).
ASPOSE_NAMES = """AsposeOcr AsposeOcrPresets BaseRecognitionSettings CarPlateRecognitionSettings Character
CharacterRecognitionResult ContentArea DefectAreas DefectOutput IDCardRecognitionSettings ImageData ImageProcessing
InvoiceRecognitionSettings LanguageDetectionOutput LayoutOutput License Logging Metered OCRTable OCRTableCell
OCRTablePage OCRTableRow OcrInput OcrOutput OnnxRuntimeSessionOptions PassportRecognitionSettings
ReceiptRecognitionSettings RecognitionResult RecognitionSettings Rectangle RectangleOutput Resources SkewOutput
AreasType CharactersAllowedType Country DefectType DetectAreasMode ExecutionModeOnnx GraphOptimizationLevelOnnx
InputType Language LanguageDetectionLevel LoggingLevel PdfOptimizationMode PixelType SaveFormat
DocumentRecognitionSettings LinesResult RegionResult RegionTypes FontLineResult DocType DocTypeOutput OcrPreset""".split()


def test_every_aspose_name_resolves():
    missing = []
    for name in ASPOSE_NAMES:
        try:
            getattr(ocr, name)
        except NotSupportedError:
            pass  # a part of ocrprep not in this build: a clear error, not an AttributeError
        except AttributeError:
            missing.append(name)
    assert missing == []


def test_the_status_table_lists_every_aspose_name():
    path = Path(__file__).resolve().parents[1] / "docs" / "aspose_status.md"
    if not path.exists():
        pytest.skip("docs/aspose_status.md not next to the tests")
    status = path.read_text(encoding="utf-8")
    assert [n for n in ASPOSE_NAMES if f"`{n}" not in status] == []
    for cls, names in ASPOSE_MEMBERS.items():
        assert [n for n in names.split() if n not in status] == [], cls


@pytest.mark.tesseract
def test_curved_text_mode_straightens_curled_lines(tesseract):
    from frontdoor import word_recovery

    page, text = imagegen.document_page(imagegen.PARAGRAPHS * 2, kind="sans", size=24, width=1300)
    bent = imagegen.curled(page, 50)
    api = ocr.AsposeOcr()
    plain = api.recognize(bent, ocr.RecognitionSettings(detect_areas_mode=ocr.DetectAreasMode.DOCUMENT))[0]
    curved = api.recognize(bent, ocr.RecognitionSettings(detect_areas_mode=ocr.DetectAreasMode.CURVED_TEXT))[0]
    assert word_recovery(text, curved.recognition_text) >= 0.95
    assert word_recovery(text, curved.recognition_text) > word_recovery(text, plain.recognition_text) + 0.1
    filtered = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, ocr.PreprocessingFilter([ocr.PreprocessingFilter.auto_dewarping()]))
    filtered.add(bent)
    assert word_recovery(text, api.recognize(filtered)[0].recognition_text) >= 0.95


#: Members of Aspose's classes, from its API reference (methods, properties).
ASPOSE_MEMBERS = {
    "AsposeOcr": """recognize recognize_receipt recognize_invoice recognize_id_card recognize_car_plate recognize_passport
        recognize_lines detect_rectangles recognize_characters save_multipage_document recognize_fast
        recognize_handwritten_text detect_document_layout recognize_formula calculate_skew detect_defects
        detect_languages image_has_text compare_image_texts image_text_diff correct_spelling set_debug_mode
        set_debug_mode_save_directory recognize_street_photo""",
    "RecognitionSettings": """recognize_vertical_lines threads_count language ignored_symbols allowed_symbols
        allowed_characters automatic_color_inversion recognition_areas recognize_single_line language_detection_level
        lines_filtration detect_areas_mode upscale_small_font ignored_characters preprocessing_filters auto_contrast
        auto_denoising""",
    "OcrInput": "add replace_filters clear_filters add_base64 clear count get_input_type",
    "RecognitionResult": """recognition_lines_result recognition_characters_list recognition_text file_name warnings
        save get_spell_check_corrected_text get_spell_check_error_list get_json get_xml get_keywords""",
    "PreprocessingFilter": """default empty resize scale binarize dilate invert rotate to_grayscale threshold median
        auto_denoising auto_skew auto_dewarping contrast_correction_filter add""",
    "ImageProcessing": "save render",
    "License": "set_license is_licensed",
    "Rectangle": "empty x y width height left top right bottom is_empty contains",
    "SkewOutput": "source page image_index angle",
    "RectangleOutput": "source page image_index rectangles",
    "LinesResult": "text_in_line line confidence",
}


def test_every_aspose_member_exists():
    objects = {
        "AsposeOcr": ocr.AsposeOcr(), "RecognitionSettings": ocr.RecognitionSettings(),
        "OcrInput": ocr.OcrInput(ocr.InputType.SINGLE_IMAGE), "RecognitionResult": ocr.RecognitionResult(),
        "PreprocessingFilter": ocr.PreprocessingFilter, "ImageProcessing": ocr.ImageProcessing,
        "License": ocr.License(), "Rectangle": ocr.Rectangle(), "SkewOutput": ocr.SkewOutput(),
        "RectangleOutput": ocr.RectangleOutput(), "LinesResult": ocr.LinesResult("", ocr.Rectangle(), 0.0),
    }
    missing = []
    for cls, names in ASPOSE_MEMBERS.items():
        for name in names.split():
            if name == "empty" and cls == "Rectangle":
                continue  # Rectangle.empty is Rectangle() in Python
            try:
                getattr(objects[cls], name)
            except NotSupportedError:
                pass
            except AttributeError:
                missing.append(f"{cls}.{name}")
    assert missing == []


@pytest.mark.tesseract
def test_upscale_small_font_reports_boxes_on_the_original_page(tesseract):
    from frontdoor import word_recovery

    small, text = imagegen.document_page(imagegen.PARAGRAPHS[:1], kind="sans", size=11, width=560, margin=30)
    api = ocrprep.OcrEngine()
    big = api.recognize_image(small, RecognitionSettings(upscale_small_font=True))
    assert word_recovery(text, big.recognition_text) >= 0.95
    h, w = small.shape
    assert big.image_size == (w, h)
    for word in big.words:
        assert 0 <= word.box.x and word.box.x + word.box.width <= w and word.box.y + word.box.height <= h
    first = big.words[0].box                                     # "The", at the page margin
    assert abs(first.x - 30) <= 3 and abs(first.y - 30) <= 4 and 5 <= first.height <= 14
