import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sign_text.png")

res = api.recognize_street_photo(input)
print(res[0].recognition_text)
