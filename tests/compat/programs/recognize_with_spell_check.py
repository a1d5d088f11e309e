import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\misspelt.png")

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT

res = api.recognize(input, settings)
print(res[0].recognition_text)

''' save with spell check '''
api.save_multipage_document("result1.txt", ocr.SaveFormat.TEXT, res, True, ocr.spellchecker.SpellCheckLanguage.ENG, "Data\\OCR\\userdict.txt")

''' corrected text '''
print('------------------ corrected')
print(res[0].get_spell_check_corrected_text(ocr.spellchecker.SpellCheckLanguage.ENG, "Data\\OCR\\userdict.txt"))

''' errors '''
errors = res[0].get_spell_check_error_list(ocr.spellchecker.SpellCheckLanguage.ENG, "Data\\OCR\\userdict.txt")
print('------------------ errors')
for error in errors:
    print(error.word + ': ' + ', '.join(s.word + '/' + str(s.distance) for s in error.suggested_words))
print('------------------ fixed')
print(api.correct_spelling("the smal hous", ocr.spellchecker.SpellCheckLanguage.ENG, None))
