import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' an image on the web '''
input = ocr.OcrInput(ocr.InputType.URL, filters)
url = "http://127.0.0.1:PORT/uploads/justified-text.png"
input.add(url)

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT

res = api.recognize(input, settings)
print(res[0].recognition_text)
