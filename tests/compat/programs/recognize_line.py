import ocrprep.compat as ocr

api = ocr.AsposeOcr()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\sample_line.png")

''' case 1: recognize_lines '''
res = api.recognize_lines(input)
print(res[0].recognition_text)

''' case 2: a single-line setting '''
settings = ocr.RecognitionSettings()
settings.recognize_single_line = True
settings.language = ocr.Language.ENG
result = api.recognize(input, settings)
print(result[0].recognition_text)
print(len(result[0].recognition_lines_result))
