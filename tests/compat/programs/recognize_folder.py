import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' every image of a folder '''
input = ocr.OcrInput(ocr.InputType.DIRECTORY, filters)
input.add("Data\\OCR\\OCR")

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT

res = api.recognize(input, settings)
for r in res:
    print('------------------')
    print(r.recognition_text)
