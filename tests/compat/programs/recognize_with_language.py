import sys

import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")

settings = ocr.RecognitionSettings()
settings.language = getattr(ocr.Language, sys.argv[1])

res = api.recognize(input, settings)
print(res[0].recognition_text)
