import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\passport.jpg")

''' passport settings '''
settings = ocr.PassportRecognitionSettings()

res = api.recognize_passport(input, settings)
print(res[0].recognition_text)

''' the key fields '''
keywords = res[0].get_keywords()
print('------------------ fields')
for name in ("document_number", "surname", "date_of_birth"):
    print(name + '=' + str(keywords[name]))
