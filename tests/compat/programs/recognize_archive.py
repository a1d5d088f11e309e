import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' every image of a zip archive '''
input = ocr.OcrInput(ocr.InputType.ZIP, filters)
input.add("Data\\OCR\\OCR.zip")

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.PHOTO

res = api.recognize(input, settings)
for r in res:
    print('------------------')
    print(r.recognition_text)
