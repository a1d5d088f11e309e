import ocrprep.compat as ocr

''' set license (ocrprep needs none: accepted and ignored) '''
lic = ocr.license.License()
lic.set_license("Aspose.OCR.Python.NET.lic")

''' initialize the main class '''
api = ocr.AsposeOcr()

''' preprocessing filters '''
filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' an input with one image (a path written on Windows) '''
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")

''' recognition settings '''
settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT
settings.threads_count = 1
settings.language = ocr.Language.ENG

result = api.recognize(input, settings)
print(result[0].recognition_text)
