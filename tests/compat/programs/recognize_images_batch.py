import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' several images in one input '''
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")
input.add("Data\\OCR\\skew_image.png")
input.add("Data\\OCR\\sample_line.png")
print(input.count())

settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.PHOTO

res = api.recognize(input, settings)
for r in res:
    print('------------------')
    print(r.recognition_text)
