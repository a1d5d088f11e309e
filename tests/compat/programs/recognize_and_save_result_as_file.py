import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")
input.add("Data\\OCR\\table.png")

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.TABLE
settings.threads_count = 1
settings.language = ocr.Language.ENG

result = api.recognize(input, settings)
print(result[0].recognition_text)

''' the whole batch as one document, and one page on its own '''
api.save_multipage_document("test.xml", ocr.SaveFormat.XML, result)
api.save_multipage_document("test.pdf", ocr.SaveFormat.PDF, result)
result[1].save("table.xlsx", ocr.SaveFormat.XLSX)
result.save("all.txt", ocr.SaveFormat.TEXT)
