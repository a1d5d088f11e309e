import ocrprep.compat as ocr

api = ocr.AsposeOcr()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\handwritten.png")

res = api.recognize_handwritten_text(input)
print(res[0].recognition_text)
